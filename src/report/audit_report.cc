// SPDX-License-Identifier: MIT
// The report's entry points: build the document model once, render it as HTML or PDF.
#include "report/audit_report.h"

#include "report/internal/document.h"

namespace salesbox::report {

std::string AuditHtml(const analytics::audit::AuditInput& input,
                      const std::vector<analytics::audit::ItemResult>& items,
                      const analytics::audit::Labels& labels,
                      const analytics::audit::Report& report, int locale, const ReportMeta& meta) {
  return internal::RenderHtml(internal::BuildDocument(input, items, labels, report, locale, meta));
}

Result<std::string> AuditPdf(const analytics::audit::AuditInput& input,
                             const std::vector<analytics::audit::ItemResult>& items,
                             const analytics::audit::Labels& labels,
                             const analytics::audit::Report& report, int locale,
                             const ReportMeta& meta) {
  return internal::RenderPdf(internal::BuildDocument(input, items, labels, report, locale, meta));
}

}  // namespace salesbox::report

// SPDX-License-Identifier: MIT
// The management report of an audit: what a sales director hands to the board. The same
// content as an HTML page and as an A4 PDF, in the reader's language (en, da, sv, nb): key
// figures, per section (opportunities, customers) the colour distribution and value at risk per
// team, a team x area heat map, the largest values at risk and the weakest area per rep, the
// trend over saved runs, and the open action plans.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analytics/audit/audit.h"
#include "analytics/audit/report.h"
#include "common/result.h"

namespace salesbox::report {

// One saved audit run, for the trend chart: its date and its counts per colour.
struct RunPoint {
  analytics::audit::Day as_of = 0;
  int64_t green = 0;
  int64_t yellow = 0;
  int64_t red = 0;
};

// What the report says about itself, beside the audit.
struct ReportMeta {
  std::string company;            // shown on the title header and in the footer
  std::string generated_at;       // shown as given: "2025-06-02 10:31 UTC"
  std::vector<RunPoint> history;  // saved runs, oldest first; the trend chart draws the
                                  // newest 12 columns, this audit included
};

// The report as one self-contained HTML page (UTF-8, inline CSS, charts as inline SVG, no
// scripts and no external resources; prints on A4). Every text from the data is escaped.
// The current audit is the trend chart's last column unless the last saved run has its date;
// without saved runs the trend part gives only the comparison with the previous run, if any.
// `locale` is an index of analytics::audit::kLocales; English when out of range.
// REQUIRES: `input`, `items`, `labels` and `report` belong together (report = Consolidate(input,
// items, labels, ...)), and every section's playbook outlives the call.
std::string AuditHtml(const analytics::audit::AuditInput& input,
                      const std::vector<analytics::audit::ItemResult>& items,
                      const analytics::audit::Labels& labels,
                      const analytics::audit::Report& report, int locale, const ReportMeta& meta);

// The same report as PDF bytes: A4 portrait, as many pages as the content needs, each with a
// "page N of M" footer; charts are drawn as vectors, tables continue on the next page with
// their header repeated, and text that would run off the page is wrapped or shortened with "…".
// An audit without items gives one page saying there is nothing to audit.
// Returns kInternal when cairo fails (e.g. out of memory). Same REQUIRES as AuditHtml.
Result<std::string> AuditPdf(const analytics::audit::AuditInput& input,
                             const std::vector<analytics::audit::ItemResult>& items,
                             const analytics::audit::Labels& labels,
                             const analytics::audit::Report& report, int locale,
                             const ReportMeta& meta);

}  // namespace salesbox::report

// SPDX-License-Identifier: MIT
// The data-quality route: what in the data makes the audit's and the forecast's results less
// than they seem (service/data_quality.h), for the pages that show those results.
#include <string>

#include <nlohmann/json.hpp>

#include "analytics/audit/playbook.h"
#include "api/internal/params.h"
#include "api/internal/reply.h"
#include "api/routes/routes.h"
#include "service/data_quality.h"

namespace salesbox::api::internal {
namespace {

using nlohmann::json;

// The company's data quality: for those who read the company's or a team's results.
http::Response DataQuality(const ApiContext& ctx, Context& c) {
  const Role role = c.principal->role;
  if (role != Role::kAdmin && role != Role::kExecutive && role != Role::kManager) {
    return ErrorResponse(403, "forbidden", "the data-quality report is for admins, executives "
                                           "and managers");
  }
  Result<service::DataQualityReport> report = service::CheckDataQuality(ctx.store);
  if (!report.ok()) return FromStatus(report.status());
  const int locale = LocaleOf(c);
  json findings = json::array();
  for (const service::DataQualityFinding& f : report->findings) {
    findings.push_back({{"check", service::DataQualityCheckName(f.check)},
                        {"count", f.count},
                        {"of", f.of},
                        {"field", f.field.empty() ? json(nullptr) : json(f.field)},
                        {"examples", f.examples},
                        {"title", service::DataQualityTitle(f, locale)},
                        {"meaning", service::DataQualityMeaning(f, locale)}});
  }
  json out = {{"locale", analytics::audit::kLocales[static_cast<size_t>(locale)]},
              {"opportunities", report->opportunities},
              {"open", report->open},
              {"won", report->won},
              {"lost", report->lost},
              {"accounts", report->accounts},
              {"activities", report->activities},
              {"answers", report->answers},
              {"findings", std::move(findings)}};
  return http::Response::Json(200, Dump(out));
}

}  // namespace

void AddDataQualityRoutes(RouteTable& table, const ApiContext& ctx) {
  table
      .Add({"GET", std::string(kPrefix) + "/data-quality",
            "What in the data makes the audit and the forecast less than they seem",
            "data-quality", Access::kSignedIn, std::nullopt, "", 200, false,
            [ctx](Context& c) { return DataQuality(ctx, c); }})
      .query = {{"locale", "string"}};
}

}  // namespace salesbox::api::internal

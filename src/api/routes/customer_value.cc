// SPDX-License-Identifier: MIT
// The customer value route: lifetime value per customer (BG/NBD + Gamma-Gamma) with ABC classes,
// fitted on every customer and answered for the accounts the user may see.
#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "analytics/clv/rfm.h"
#include "api/internal/params.h"
#include "api/internal/reply.h"
#include "api/routes/routes.h"
#include "service/access.h"
#include "service/customer_value.h"

namespace salesbox::api::internal {
namespace {

using nlohmann::json;
using service::Kind;

// Customer value: the model is fitted on every customer; the rows are the accounts the user
// may see, the most valuable first, paged.
http::Response CustomerValue(const ApiContext& ctx, Context& c) {
  storage::Store& store = ctx.store;
  if (c.principal->role == Role::kMarketing) {
    return ErrorResponse(403, "forbidden", "customer value is for sales roles");
  }
  service::CustomerValueOptions options;
  options.calibration_end = ToDate(ctx.clock.Now());
  if (auto text = Param(c, "calibration_end")) {
    Result<Date> parsed = ParseIsoDate(*text);
    if (!parsed.ok()) {
      return ErrorResponse(400, "bad_request", "calibration_end: " + parsed.status().message(),
                           "calibration_end");
    }
    options.calibration_end = *parsed;
  }
  if (auto unit = Param(c, "time_unit")) {
    Result<analytics::clv::TimeUnit> parsed = analytics::clv::ParseTimeUnit(*unit);
    if (!parsed.ok()) {
      return ErrorResponse(400, "bad_request", "time_unit: " + parsed.status().message(),
                           "time_unit");
    }
    options.time_unit = *parsed;
  }
  int64_t limit = 50, offset = 0, horizon = options.horizon;
  Status ranged = PageParams(c, &limit, &offset);
  if (ranged.ok()) {
    ranged = RangeParam(c, "horizon", 1, service::kMaxCustomerValueHorizon, &horizon);
  }
  if (!ranged.ok()) return FromStatus(ranged, 400);
  options.horizon = static_cast<int>(horizon);
  if (auto text = Param(c, "discount_rate")) {
    char* end = nullptr;
    const double rate = std::strtod(text->c_str(), &end);
    if (end != text->c_str() + text->size() || !(rate >= 0 && rate < 10)) {
      return ErrorResponse(400, "bad_request", "discount_rate: \"" + *text + "\" is not in 0..10",
                           "discount_rate");
    }
    options.discount_rate = rate;
  }
  Result<service::CustomerValueReport> report = service::ComputeCustomerValue(store, options);
  if (!report.ok()) return FromStatus(report.status());
  // Which accounts the user may see.
  std::optional<std::unordered_set<int64_t>> visible;
  std::vector<storage::Filter> filters = service::VisibleFilters(*c.principal, Kind::kAccounts);
  if (!filters.empty()) {
    visible.emplace();
    storage::ListQuery query;
    query.filters = std::move(filters);
    Status scanned = store.accounts().ScanFields(
        query, {"id"}, [&visible](std::span<const storage::FieldValue> r) {
          visible->insert(r[0].integer);
          return Status::Ok();
        });
    if (!scanned.ok()) return FromStatus(scanned);
  }
  const std::optional<std::string> currency = Param(c, "currency");
  json out = service::CustomerValueJson(*report);
  json rows = json::array();
  for (const json& row : out["customers"]) {
    if (visible && !visible->count(row["id"].get<int64_t>())) continue;
    if (currency && row.value("currency", "") != *currency) continue;
    rows.push_back(row);
  }
  // By currency (values in different currencies do not compare), the most valuable first.
  std::stable_sort(rows.begin(), rows.end(), [](const json& x, const json& y) {
    const std::string cx = x.value("currency", ""), cy = y.value("currency", "");
    if (cx != cy) return cx < cy;
    return x.value("clv", 0.0) > y.value("clv", 0.0);
  });
  json page = json::array();
  for (size_t i = static_cast<size_t>(offset);
       i < rows.size() && page.size() < static_cast<size_t>(limit); ++i) {
    page.push_back(rows[i]);
  }
  out["total"] = rows.size();
  out["limit"] = limit;
  out["offset"] = offset;
  out["customers"] = std::move(page);
  return http::Response::Json(200, Dump(out));
}

}  // namespace

void AddCustomerValueRoutes(RouteTable& table, const ApiContext& ctx) {
  table.Add({"GET", std::string(kPrefix) + "/customer-value",
             "Lifetime value per customer (BG/NBD + Gamma-Gamma) with ABC classes", "strategy",
             Access::kSignedIn, std::nullopt, "", 200, false,
             [ctx](Context& c) { return CustomerValue(ctx, c); }});
}

}  // namespace salesbox::api::internal

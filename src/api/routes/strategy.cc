// SPDX-License-Identifier: MIT
// The strategy routes: segments, profitability, the ideal customer profile and alignment for
// managers and up; the cascade of objectives, segments with value propositions and alignment.
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/internal/facts_by_day.h"
#include "api/internal/params.h"
#include "api/internal/reply.h"
#include "api/routes/routes.h"
#include "common/status_macros.h"
#include "service/strategy_cascade.h"
#include "service/strategy_service.h"

namespace salesbox::api::internal {
namespace {

using nlohmann::json;

// The strategy's facts (three years of orders and every deal, about a second at --scale 10):
// every user's segments, alignment and cascade pages share one load per day and data version.
using StrategyFacts = FactsByDay<service::StrategyData>;

// Strategy: company-level analysis for managers, executives, admins and marketing.
http::Response Strategy(const ApiContext& ctx, StrategyFacts& facts, Context& c) {
  storage::Store& store = ctx.store;
  if (c.principal->role == Role::kRep) {
    return ErrorResponse(403, "forbidden", "the strategy analysis is for managers and up");
  }
  service::StrategyRequest request;
  Result<Date> as_of = AsOfParam(c, ctx.clock);
  if (!as_of.ok()) return FromStatus(as_of.status(), 400);
  request.as_of = *as_of;
  if (auto text = Param(c, "from")) {
    Result<Date> parsed = ParseIsoDate(*text);
    if (!parsed.ok() || *parsed > request.as_of) {
      return ErrorResponse(400, "bad_request", "from: \"" + *text + "\" is not a date before as_of",
                           "from");
    }
    request.from = *parsed;
  }
  request.account_profitability = false;
  Result<std::shared_ptr<const service::StrategyData>> data = facts.For(request.as_of);
  if (!data.ok()) return FromStatus(data.status());
  Result<service::StrategyReport> report = service::AnalyzeStrategy(**data, request);
  if (!report.ok()) return FromStatus(report.status());
  json out = service::StrategyReportJson(*report);
  if (c.principal->role == Role::kManager) {
    // A manager's alignment: the company's rows for comparison, their own team and its reps.
    const int64_t team = c.principal->team_id ? c.principal->team_id->value : 0;
    std::unordered_set<int64_t> members;
    Status scanned = store.users().ScanFields(
        {}, {"id", "team_id"}, [&](std::span<const storage::FieldValue> r) {
          if (r[1].kind == storage::FieldValue::Kind::kInteger && r[1].integer == team) {
            members.insert(r[0].integer);
          }
          return Status::Ok();
        });
    if (!scanned.ok()) return FromStatus(scanned);
    json& rows = out["alignment"]["rows"];
    json kept = json::array();
    for (json& row : rows) {
      const std::string level = row.value("level", "");
      const int64_t id = row.value("id", int64_t{0});
      if (level == "company" || (level == "team" && id == team) ||
          (level == "rep" && members.contains(id))) {
        kept.push_back(std::move(row));
      }
    }
    rows = std::move(kept);
  }
  return http::Response::Json(200, Dump(out));
}

// The strategy cascade: objectives, segments with value propositions, company alignment.
// Every role: it shows no single customer.
http::Response Cascade(const ApiContext& ctx, StrategyFacts& facts, Context& c) {
  Result<Date> as_of = AsOfParam(c, ctx.clock);
  if (!as_of.ok()) return FromStatus(as_of.status(), 400);
  Result<std::shared_ptr<const service::StrategyData>> data = facts.For(*as_of);
  if (!data.ok()) return FromStatus(data.status());
  Result<service::Cascade> cascade = service::BuildCascade(ctx.store, **data);
  if (!cascade.ok()) return FromStatus(cascade.status());
  return http::Response::Json(200, Dump(service::CascadeJson(*cascade)));
}

}  // namespace

void AddStrategyRoutes(RouteTable& table, const ApiContext& ctx) {
  const std::string v1(kPrefix);
  auto facts = std::make_shared<StrategyFacts>(
      ctx.store,
      [](storage::Store& s, Date as_of) -> Result<std::shared_ptr<const service::StrategyData>> {
        SB_ASSIGN_OR_RETURN(service::StrategyData data, service::LoadStrategyData(s, as_of));
        return std::make_shared<const service::StrategyData>(std::move(data));
      });
  table.Add({"GET", v1 + "/strategy",
             "Segments, profitability, ideal customer profile and alignment", "strategy",
             Access::kSignedIn, std::nullopt, "", 200, false,
             [ctx, facts](Context& c) { return Strategy(ctx, *facts, c); }});
  table.Add({"GET", v1 + "/strategy/cascade",
             "Objectives with progress, segments with value propositions, alignment", "strategy",
             Access::kSignedIn, std::nullopt, "", 200, false,
             [ctx, facts](Context& c) { return Cascade(ctx, *facts, c); }});
}

}  // namespace salesbox::api::internal

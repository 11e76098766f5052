// SPDX-License-Identifier: MIT
#include "service/home_service.h"

#include <map>
#include <nlohmann/json.hpp>
#include <variant>

#include "common/status_macros.h"
#include "domain/enum_names.h"
#include "service/access.h"
#include "service/internal/scan.h"
#include "service/record_service.h"

namespace salesbox::service {
namespace {

using nlohmann::json;
using storage::FilterOp;
using storage::Match;

using Sums = std::map<std::string, int64_t>;  // currency code -> minor units

Date QuarterStart(Date today) {
  const std::chrono::year_month_day ymd(today);
  const unsigned month = static_cast<unsigned>(ymd.month());
  const unsigned first = (month - 1) / 3 * 3 + 1;
  return std::chrono::sys_days(ymd.year() / std::chrono::month(first) / 1);
}

}  // namespace

json Stages() {
  json out = json::array();
  for (const auto& [stage, name] : EnumNames<Stage>::kNames) {
    out.push_back(
        {{"name", name}, {"probability", DefaultProbability(stage)}, {"open", !IsClosed(stage)}});
  }
  return out;
}

Result<json> Home(storage::Store& store, const Clock& clock, const Principal& principal) {
  const Timestamp now = clock.Now();
  const Date today = ToDate(now);
  json out = json::object();
  // Plain reads, not one transaction: they run on the store's read connections beside writes
  // (a transaction would take the write lock), and a dashboard's figures a moment apart are fine.
  storage::Store& s = store;
  internal::PhaseTimer trace("SALESBOX_HOME_TRACE", "home");
  {
    // Open pipeline by stage: summed in the database, per stage and currency.
    std::map<Stage, std::pair<int64_t, Sums>> by_stage;
    Sums open_value;
    int64_t open_count = 0;
    storage::AggregateQuery open;
    open.filters = VisibleFilters(principal, Kind::kOpportunities);
    open.filters.push_back(
        Match("stage", FilterOp::kIn,
              {std::string("qualify"), std::string("discover"), std::string("propose"),
               std::string("negotiate"), std::string("commit")}));
    open.group_by = {"stage", "amount_currency"};
    open.aggregates = {{storage::AggregateFn::kCount, ""},
                       {storage::AggregateFn::kSum, "amount_minor"}};
    SB_RETURN_IF_ERROR(s.opportunities().Aggregate(open, [&](const storage::AggregateRow& row) {
      const auto* stage_name = std::get_if<std::string>(&row.keys[0]);
      const auto* currency = std::get_if<std::string>(&row.keys[1]);
      const auto* count = std::get_if<int64_t>(&row.values[0]);
      const auto* sum = std::get_if<int64_t>(&row.values[1]);
      if (stage_name == nullptr || currency == nullptr || count == nullptr) return Status::Ok();
      Result<Stage> stage = ParseEnum<Stage>(*stage_name);
      if (!stage.ok()) return Status::Ok();
      const int64_t amount = sum != nullptr ? *sum : 0;
      auto& [stage_count, sums] = by_stage[*stage];
      stage_count += *count;
      sums[*currency] += amount;
      open_value[*currency] += amount;
      open_count += *count;
      return Status::Ok();
    }));
    json stages = json::array();
    for (const auto& [stage, name] : EnumNames<Stage>::kNames) {
      if (IsClosed(stage)) continue;
      const auto it = by_stage.find(stage);
      stages.push_back(
          {{"stage", name},
           {"count", it == by_stage.end() ? 0 : it->second.first},
           {"value", MoneyListJson(it == by_stage.end() ? Sums{} : it->second.second)}});
    }
    out["pipeline"] = {{"open_count", open_count},
                       {"by_stage", std::move(stages)},
                       {"value", MoneyListJson(open_value)}};
    trace.Mark("pipeline");

    // Won this quarter.
    storage::ListQuery won;
    won.filters = VisibleFilters(principal, Kind::kOpportunities);
    won.filters.push_back(Match("stage", FilterOp::kEq, {std::string("closed_won")}));
    won.filters.push_back(Match("closed_on", FilterOp::kGe, {FormatDate(QuarterStart(today))}));
    won.filters.push_back(Match("closed_on", FilterOp::kLe, {FormatDate(today)}));
    // Summed in the database too (decoding every won deal took 40-60 ms at --scale 10).
    storage::AggregateQuery won_sums;
    won_sums.filters = std::move(won.filters);
    won_sums.group_by = {"amount_currency"};
    won_sums.aggregates = {{storage::AggregateFn::kCount, ""},
                           {storage::AggregateFn::kSum, "amount_minor"}};
    Sums won_value;
    int64_t won_count = 0;
    SB_RETURN_IF_ERROR(s.opportunities().Aggregate(won_sums, [&](const storage::AggregateRow& row) {
      const auto* currency = std::get_if<std::string>(&row.keys[0]);
      const auto* count = std::get_if<int64_t>(&row.values[0]);
      const auto* sum = std::get_if<int64_t>(&row.values[1]);
      if (currency == nullptr || count == nullptr) return Status::Ok();
      won_count += *count;
      won_value[*currency] += sum != nullptr ? *sum : 0;
      return Status::Ok();
    }));
    out["won_this_quarter"] = {{"count", won_count},
                               {"value", MoneyListJson(won_value)},
                               {"since", FormatDate(QuarterStart(today))}};
    trace.Mark("won");

    // Activities of the people whose work the user sees: a rep their own, a manager the team's,
    // executives everyone's.
    std::vector<storage::Value> everyone;
    if (!(principal.role == Role::kRep || principal.role == Role::kManager ||
          principal.role == Role::kMarketing)) {
      SB_RETURN_IF_ERROR(
          s.users().ScanFields({}, {"id"}, [&](std::span<const storage::FieldValue> r) {
            everyone.push_back(r[0].integer);
            return Status::Ok();
          }));
    }
    const auto count_activities = [&](std::vector<storage::Filter> extra) -> Result<int64_t> {
      storage::ListQuery q;
      if (principal.role == Role::kRep || principal.role == Role::kManager ||
          principal.role == Role::kMarketing) {
        // Owned by one of the user's people: visible by definition, and an index range.
        q.filters.push_back(
            Match("owner_id", FilterOp::kIn,
                  std::vector<storage::Value>(principal.owners.begin(), principal.owners.end())));
      } else {
        // Everyone's: by every owner, and none, so that the (owner_id, status, at) index serves
        // instead of a scan of every activity.
        q.filters = VisibleFilters(principal, Kind::kActivities);
        q.filters.push_back(storage::AnyOf(
            {Match("owner_id", FilterOp::kIn, everyone), Match("owner_id", FilterOp::kIsNull)}));
      }
      for (auto& f : extra) q.filters.push_back(std::move(f));
      return s.activities().Count(q);
    };
    const std::string midnight = FormatDate(today) + "T00:00:00Z";
    const std::string end_of_day = FormatDate(today) + "T23:59:59Z";
    SB_ASSIGN_OR_RETURN(int64_t due_today,
                        count_activities({Match("status", FilterOp::kEq, {std::string("planned")}),
                                          Match("at", FilterOp::kGe, {midnight}),
                                          Match("at", FilterOp::kLe, {end_of_day})}));
    SB_ASSIGN_OR_RETURN(int64_t overdue,
                        count_activities({Match("status", FilterOp::kEq, {std::string("planned")}),
                                          Match("at", FilterOp::kLt, {midnight})}));
    SB_ASSIGN_OR_RETURN(
        int64_t done,
        count_activities(
            {Match("status", FilterOp::kEq, {std::string("completed")}),
             Match("at", FilterOp::kGe, {FormatTimestamp(now - std::chrono::hours(24 * 7))})}));
    out["activities"] = {
        {"due_today", due_today}, {"overdue", overdue}, {"completed_last_7_days", done}};
    trace.Mark("activities");

    // Leads not yet converted or disqualified.
    storage::ListQuery leads;
    leads.filters = VisibleFilters(principal, Kind::kLeads);
    leads.filters.push_back(
        Match("status", FilterOp::kIn,
              {std::string("new"), std::string("working"), std::string("warm")}));
    SB_ASSIGN_OR_RETURN(int64_t open_leads, s.leads().Count(leads));
    out["leads"] = {{"open", open_leads}};
    trace.Mark("leads");
  }

  RecordService records(store, clock);
  ListRequest soon;
  soon.limit = 10;
  soon.sort = "close_date";
  soon.filters.push_back({"outcome", {"open"}});
  SB_ASSIGN_OR_RETURN(json closing, records.List(principal, Kind::kOpportunities, soon));
  out["closing_soon"] = std::move(closing["items"]);
  trace.Mark("closing soon");
  return out;
}

}  // namespace salesbox::service

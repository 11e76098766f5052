// SPDX-License-Identifier: MIT
#include "service/strategy_service.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <unordered_set>
#include <utility>

#include <nlohmann/json.hpp>

#include "common/status_macros.h"
#include "domain/enum_names.h"

namespace salesbox::service {
namespace {

namespace strategy = analytics::strategy;
using storage::FieldValue;
using storage::FilterOp;
using storage::ListQuery;
using storage::Match;

int64_t IntOr(const FieldValue& value, int64_t fallback = 0) {
  return value.kind == FieldValue::Kind::kInteger ? value.integer : fallback;
}

std::string Text(const FieldValue& value) { return std::string(value.text); }

// The date of "YYYY-MM-DD..." (a date or a timestamp's date part); empty for null or malformed
// text. Hot: called for every activity.
std::optional<Date> ParseDay(const FieldValue& value) {
  if (value.kind != FieldValue::Kind::kText || value.text.size() < 10) return std::nullopt;
  const char* s = value.text.data();
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  }
  auto digit = [s](int i) { return s[i] - '0'; };
  const std::chrono::year_month_day ymd{
      std::chrono::year(digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3)),
      std::chrono::month(static_cast<unsigned>(digit(5) * 10 + digit(6))),
      std::chrono::day(static_cast<unsigned>(digit(8) * 10 + digit(9)))};
  if (!ymd.ok()) return std::nullopt;
  return Date(ymd);
}

Money MoneyOf(const FieldValue& minor, const FieldValue& currency) {
  Result<Currency> code = Currency::Parse(currency.text);
  return Money{IntOr(minor), code.ok() ? *code : Currency()};
}

template <typename E>
std::optional<E> EnumOf(const FieldValue& value) {
  if (value.kind != FieldValue::Kind::kText) return std::nullopt;
  for (const auto& [v, name] : EnumNames<E>::kNames) {
    if (name == value.text) return v;
  }
  return std::nullopt;
}

// Grows `v` so that index `id` exists.
template <typename T>
T& At(std::vector<T>& v, int64_t id, const T& fill) {
  if (id < 0) id = 0;
  if (static_cast<size_t>(id) >= v.size()) v.resize(static_cast<size_t>(id) + 1, fill);
  return v[static_cast<size_t>(id)];
}

int64_t Lookup(const std::vector<int64_t>& v, int64_t id) {
  return id > 0 && static_cast<size_t>(id) < v.size() ? v[static_cast<size_t>(id)] : 0;
}

}  // namespace

Result<StrategyData> LoadStrategyData(storage::Store& store, Date as_of, bool with_effort) {
  StrategyData data;
  strategy::StrategyInput& in = data.input;
  StrategyLabels& labels = data.labels;
  in.as_of = as_of;
  const std::string as_of_text = FormatDate(as_of);
  const std::string end = FormatTimestamp(StartOf(as_of + std::chrono::days(1)));

  // Segments, in id order: the order their rules are evaluated in.
  SB_RETURN_IF_ERROR(store.segments().ScanFields(
      ListQuery{}, {"id", "name", "rule", "core"}, [&](std::span<const FieldValue> r) {
        in.segments.push_back(
            strategy::SegmentDefinition{r[0].integer, Text(r[1]), Text(r[2]), IntOr(r[3]) != 0});
        labels.segments[r[0].integer] = Text(r[1]);
        return Status::Ok();
      }));
  SB_RETURN_IF_ERROR(store.users().ScanFields(ListQuery{}, {"id", "name", "team_id"},
                                              [&](std::span<const FieldValue> r) {
                                                labels.users[r[0].integer] = Text(r[1]);
                                                if (!r[2].is_null())
                                                  in.team_of[r[0].integer] = r[2].integer;
                                                return Status::Ok();
                                              }));
  SB_RETURN_IF_ERROR(
      store.teams().ScanFields(ListQuery{}, {"id", "name"}, [&](std::span<const FieldValue> r) {
        labels.teams[r[0].integer] = Text(r[1]);
        return Status::Ok();
      }));

  // Accounts, and their segments (design note 3).
  std::vector<strategy::SegmentDefinition> good;
  for (const strategy::SegmentDefinition& s : in.segments) {
    Result<strategy::SegmentRule> rule = strategy::SegmentRule::Parse(s.rule);
    if (rule.ok()) {
      good.push_back(s);
    } else {
      data.rule_errors.push_back("segment \"" + s.name + "\": " + rule.status().message());
    }
  }
  SB_ASSIGN_OR_RETURN(const strategy::SegmentClassifier classifier,
                      strategy::SegmentClassifier::Create(good));
  {
    ListQuery query;
    query.filters.push_back(Match("created_at", FilterOp::kLt, {end}));
    SB_RETURN_IF_ERROR(store.accounts().ScanFields(
        query,
        {"id", "external_id", "name", "industry", "employees", "region", "country", "owner_id",
         "segment_id"},
        [&](std::span<const FieldValue> r) {
          strategy::AccountFacts a;
          a.id = r[0].integer;
          a.industry = Text(r[3]);
          if (!r[4].is_null()) a.employees = r[4].integer;
          a.region = Text(r[5]);
          a.country = Text(r[6]);
          a.owner_id = IntOr(r[7]);
          strategy::SegmentAssignment assignment;
          assignment.account_id = a.id;
          assignment.stored_segment_id = IntOr(r[8]);
          assignment.derived_segment_id = classifier.Classify(strategy::SubjectOf(a));
          a.segment_id = labels.segments.contains(assignment.stored_segment_id)
                             ? assignment.stored_segment_id
                             : assignment.derived_segment_id;
          labels.account_external_ids[a.id] = Text(r[1]);
          labels.account_names[a.id] = Text(r[2]);
          data.assignments.push_back(assignment);
          in.accounts.push_back(std::move(a));
          return Status::Ok();
        }));
  }
  // Contacts: only their account, to place activities.
  std::vector<int64_t> contact_account;
  if (with_effort)
    SB_RETURN_IF_ERROR(store.contacts().ScanFields(
        ListQuery{}, {"id", "account_id"}, [&](std::span<const FieldValue> r) {
          At(contact_account, r[0].integer, int64_t{0}) = IntOr(r[1]);
          return Status::Ok();
        }));
  // Leads that arrived by D.
  std::vector<int64_t> lead_account;
  SB_RETURN_IF_ERROR(store.leads().ScanFields(
      ListQuery{}, {"id", "name", "company", "account_id", "owner_id", "source", "created_on"},
      [&](std::span<const FieldValue> r) {
        const std::optional<Date> created = ParseDay(r[6]);
        if (created && *created > as_of) return Status::Ok();
        strategy::LeadFacts lead;
        lead.id = r[0].integer;
        lead.account_id = IntOr(r[3]);
        lead.owner_id = IntOr(r[4]);
        lead.source = EnumOf<LeadSource>(r[5]).value_or(LeadSource::kOther);
        lead.created_on = created;
        At(lead_account, lead.id, int64_t{0}) = lead.account_id;
        labels.lead_names[lead.id] =
            r[2].text.empty() ? Text(r[1]) : Text(r[1]) + " (" + Text(r[2]) + ")";
        in.leads.push_back(lead);
        return Status::Ok();
      }));
  // Opportunities created by D, as they stood on D.
  std::vector<int64_t> deal_account;
  if (with_effort) {
    ListQuery query;
    query.filters.push_back(Match("created_on", FilterOp::kLe, {as_of_text}));
    SB_RETURN_IF_ERROR(store.opportunities().ScanFields(
        query,
        {"id", "account_id", "owner_id", "stage", "amount_minor", "amount_currency", "created_on",
         "closed_on"},
        [&](std::span<const FieldValue> r) {
          strategy::DealFacts deal;
          deal.id = r[0].integer;
          deal.account_id = IntOr(r[1]);
          deal.owner_id = IntOr(r[2]);
          deal.amount = MoneyOf(r[4], r[5]);
          const std::optional<Date> created = ParseDay(r[6]);
          if (!created) return Status::Ok();
          deal.created_on = *created;
          const std::optional<Stage> stage = EnumOf<Stage>(r[3]);
          const std::optional<Date> closed = ParseDay(r[7]);
          if (stage && IsClosed(*stage) && closed && *closed <= as_of) {
            deal.outcome = OutcomeOf(*stage);
            deal.closed_on = closed;
          }
          At(deal_account, deal.id, int64_t{0}) = deal.account_id;
          in.deals.push_back(deal);
          return Status::Ok();
        }));
  }
  // Completed activities by the end of D (design note 4).
  if (with_effort) {
    ListQuery query;
    query.filters.push_back(Match("status", FilterOp::kEq, {"completed"}));
    query.filters.push_back(Match("at", FilterOp::kLt, {end}));
    SB_RETURN_IF_ERROR(store.activities().ScanFields(
        query, {"owner_id", "account_id", "contact_id", "opportunity_id", "lead_id", "type", "at"},
        [&](std::span<const FieldValue> r) {
          const std::optional<Date> on = ParseDay(r[6]);
          if (!on) return Status::Ok();
          strategy::ActivityFacts activity;
          activity.owner_id = IntOr(r[0]);
          activity.lead_id = IntOr(r[4]);
          activity.account_id = IntOr(r[1]);
          if (activity.account_id == 0) activity.account_id = Lookup(deal_account, IntOr(r[3]));
          if (activity.account_id == 0) activity.account_id = Lookup(contact_account, IntOr(r[2]));
          if (activity.account_id == 0) {
            activity.account_id = Lookup(lead_account, activity.lead_id);
          }
          activity.type = EnumOf<ActivityType>(r[5]).value_or(ActivityType::kTask);
          activity.on = *on;
          in.activities.push_back(activity);
          return Status::Ok();
        }));
  }
  // Orders by D.
  {
    ListQuery query;
    query.filters.push_back(Match("ordered_on", FilterOp::kLe, {as_of_text}));
    SB_RETURN_IF_ERROR(store.orders().ScanFields(
        query,
        {"id", "account_id", "ordered_on", "revenue_minor", "revenue_currency", "margin_minor",
         "margin_currency"},
        [&](std::span<const FieldValue> r) {
          const std::optional<Date> on = ParseDay(r[2]);
          if (!on) return Status::Ok();
          in.orders.push_back(strategy::OrderFacts{r[0].integer, IntOr(r[1]), *on,
                                                   MoneyOf(r[3], r[4]), MoneyOf(r[5], r[6])});
          return Status::Ok();
        }));
  }
  return data;
}

Result<StrategyReport> AnalyzeStrategy(const StrategyData& data, const StrategyRequest& request) {
  const strategy::StrategyInput& base = data.input;
  if (request.as_of != base.as_of) {
    return Status::InvalidArgument("strategy: the request is as of " + FormatDate(request.as_of) +
                                   " but the data as of " + FormatDate(base.as_of));
  }
  StrategyReport report;
  report.as_of = request.as_of;
  report.request = request;
  report.labels = data.labels;
  report.assignments = data.assignments;
  report.rule_errors = data.rule_errors;
  const Date from = request.from.value_or(request.as_of - std::chrono::days(1095));
  if (from > request.as_of) {
    return Status::InvalidArgument("strategy: the window starts " + FormatDate(from) +
                                   ", after the day of the analysis " + FormatDate(request.as_of));
  }
  report.window = strategy::Window{from, request.as_of};

  const strategy::StrategyInput* input = &base;

  strategy::ProfitabilityOptions profit;
  profit.granularity = request.profit_granularity;
  profit.window = report.window;
  SB_ASSIGN_OR_RETURN(report.segment_profitability,
                      strategy::ProfitabilityBySegment(input->orders, input->accounts, profit));
  if (request.account_profitability) {
    SB_ASSIGN_OR_RETURN(report.account_profitability,
                        strategy::ProfitabilityByAccount(input->orders, profit));
  }

  strategy::SegmentTableOptions table;
  table.window = report.window;
  table.min_customers = request.min_customers;
  report.segment_table = strategy::BuildSegmentTable(*input, table);

  strategy::IcpOptions icp;
  icp.window = report.window;
  icp.top_share = request.top_share;
  icp.prior_strength = request.prior_strength;
  Result<strategy::IcpProfile> profile = strategy::BuildIcpProfile(*input, icp);
  if (profile.ok()) {
    report.icp = *std::move(profile);
    report.account_fits = strategy::ScoreAccounts(*report.icp, *input);
    report.lead_fits = strategy::ScoreLeads(*report.icp, *input);
  } else if (profile.status().code() == StatusCode::kFailedPrecondition) {
    report.icp_error = profile.status().message();
  } else {
    return profile.status();
  }

  strategy::AlignmentOptions alignment;
  alignment.granularity = request.alignment_granularity;
  alignment.from = request.alignment_from;
  alignment.fit_threshold = request.fit_threshold;
  if (request.align_with_suggested) {
    alignment.core_segments.emplace();
    for (const strategy::SegmentRow& row : report.segment_table.segments) {
      if (row.suggested_core) alignment.core_segments->push_back(row.segment_id);
    }
    report.core_segments = *alignment.core_segments;
  } else {
    for (const strategy::SegmentDefinition& s : input->segments) {
      if (s.core) report.core_segments.push_back(s.id);
    }
  }
  SB_ASSIGN_OR_RETURN(report.alignment, strategy::MeasureAlignment(*input, report.account_fits,
                                                                   report.lead_fits, alignment));
  return report;
}

Result<std::unordered_map<int64_t, double>> AccountFitScores(storage::Store& store, Date as_of) {
  SB_ASSIGN_OR_RETURN(StrategyData data, LoadStrategyData(store, as_of, /*with_effort=*/false));
  std::unordered_map<int64_t, double> fits;
  strategy::IcpOptions options;
  options.window = strategy::Window{as_of - std::chrono::days(1095), as_of};
  Result<strategy::IcpProfile> profile = strategy::BuildIcpProfile(data.input, options);
  if (!profile.ok()) {
    // Nothing to profile (no customer with a positive margin): no fit scores.
    if (profile.status().code() == StatusCode::kFailedPrecondition) return fits;
    return profile.status();
  }
  // A profile of a handful of customers is noise, not a profile.
  if (profile->customers < kMinIcpCustomers) return fits;
  for (const strategy::FitScore& fit : strategy::ScoreAccounts(*profile, data.input)) {
    fits[fit.id] = fit.score;
  }
  return fits;
}

Result<StrategyReport> RunStrategy(storage::Store& store, StrategyRequest request) {
  SB_ASSIGN_OR_RETURN(StrategyData data, LoadStrategyData(store, request.as_of));
  data.input.account_values = std::move(request.account_values);
  request.account_values.clear();
  return AnalyzeStrategy(data, request);
}

// --- JSON -------------------------------------------------------------------------------------

nlohmann::json MoneyJson(const Money& money) {
  double major = static_cast<double>(money.minor_units);
  for (int i = 0; i < money.currency.minor_digits(); ++i) major /= 10;
  return {{"currency", money.currency.ToString()},
          {"amount", major},
          {"amount_minor", money.minor_units}};
}

namespace {

using nlohmann::json;

template <typename T>
json Optional(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

json OptionalMoney(const std::optional<Money>& value) {
  return value ? MoneyJson(*value) : json(nullptr);
}

template <typename K>
std::string NameOr(const std::unordered_map<int64_t, std::string>& names, K id) {
  auto it = names.find(id);
  return it == names.end() ? std::string() : it->second;
}

json PeriodJson(const strategy::Period& period, strategy::Granularity granularity) {
  return {{"start", FormatDate(period.start)},
          {"end", FormatDate(period.end)},
          {"label", strategy::PeriodLabel(period, granularity)}};
}

json SegmentRowJson(const strategy::SegmentRow& row) {
  json currencies = json::array();
  for (const strategy::SegmentCurrencyFigures& f : row.currencies) {
    currencies.push_back({{"currency", f.currency.ToString()},
                          {"customers", f.customers},
                          {"revenue", MoneyJson(f.revenue)},
                          {"margin", MoneyJson(f.margin)},
                          {"margin_pct", Optional(f.margin_pct)},
                          {"margin_per_customer", MoneyJson(f.margin_per_customer)},
                          {"won_deals", f.won_deals},
                          {"won_amount", MoneyJson(f.won_amount)},
                          {"average_deal", OptionalMoney(f.average_deal)},
                          {"median_deal", OptionalMoney(f.median_deal)},
                          {"valued_accounts", f.valued_accounts},
                          {"value_total", OptionalMoney(f.value_total)},
                          {"value_per_account", OptionalMoney(f.value_per_account)}});
  }
  return {{"segment_id", row.segment_id},
          {"name", row.name},
          {"core", row.core},
          {"suggested_core", row.suggested_core},
          {"reason", row.reason},
          {"accounts", row.accounts},
          {"customers", row.customers},
          {"won", row.won},
          {"lost", row.lost},
          {"win_rate", Optional(row.win_rate)},
          {"median_cycle_days", Optional(row.median_cycle_days)},
          {"margin_per_customer_index", Optional(row.margin_per_customer_index)},
          {"value_index", Optional(row.value_index)},
          {"currencies", std::move(currencies)}};
}

json ProfitRowsJson(const std::vector<strategy::ProfitRow>& rows, strategy::Granularity g,
                    const char* key, const std::unordered_map<int64_t, std::string>& names) {
  json out = json::array();
  for (const strategy::ProfitRow& row : rows) {
    out.push_back({{"period", PeriodJson(row.period, g)},
                   {key, row.key},
                   {"name", NameOr(names, row.key)},
                   {"revenue", MoneyJson(row.revenue)},
                   {"margin", MoneyJson(row.margin)},
                   {"margin_pct", Optional(row.margin_pct)},
                   {"orders", row.orders},
                   {"customers", row.customers}});
  }
  return out;
}

json FactorsJson(const strategy::FitScore& fit) {
  json factors = json::array();
  for (const strategy::FitFactor& f : fit.factors) {
    factors.push_back({{"attribute", strategy::IcpAttributeName(f.attribute)},
                       {"value", f.value},
                       {"label", strategy::FactorLabel(f.attribute, f.value)},
                       {"lift", f.lift}});
  }
  return factors;
}

json ShareJson(const strategy::ShareCount& c) {
  return {{"total", c.total},
          {"core", c.core},
          {"high_fit", c.high_fit},
          {"core_share", Optional(c.core_share())},
          {"high_fit_share", Optional(c.high_fit_share())}};
}

}  // namespace

json SegmentTableJson(const StrategyReport& report) {
  json segments = json::array();
  for (const strategy::SegmentRow& row : report.segment_table.segments) {
    segments.push_back(SegmentRowJson(row));
  }
  return {{"rule", report.segment_table.rule},
          {"company", SegmentRowJson(report.segment_table.company)},
          {"segments", std::move(segments)}};
}

json ProfitabilityJson(const StrategyReport& report) {
  const strategy::Granularity g = report.request.profit_granularity;
  return {{"granularity", strategy::GranularityName(g)},
          {"segments",
           ProfitRowsJson(report.segment_profitability, g, "segment_id", report.labels.segments)},
          {"accounts", ProfitRowsJson(report.account_profitability, g, "account_id",
                                      report.labels.account_names)}};
}

json IcpJson(const StrategyReport& report) {
  if (!report.icp) return {{"error", report.icp_error}};
  const strategy::IcpProfile& p = *report.icp;
  json attributes = json::object();
  for (const strategy::IcpLift& lift : p.lifts) {
    json& list = attributes[std::string(strategy::IcpAttributeName(lift.attribute))];
    if (list.is_null()) list = json::array();
    list.push_back({{"value", lift.value},
                    {"label", strategy::FactorLabel(lift.attribute, lift.value)},
                    {"customers", lift.customers},
                    {"top_customers", lift.top_customers},
                    {"share_all", lift.share_all},
                    {"share_top", lift.share_top},
                    {"raw_lift", lift.raw_lift},
                    {"lift", lift.lift},
                    {"in_fit", lift.in_fit}});
  }
  return {{"value_basis", p.value_basis},
          {"top_share", p.top_share},
          {"prior_strength", p.prior_strength},
          {"customers", p.customers},
          {"top_customers", p.top_customers},
          {"attributes", std::move(attributes)},
          {"error", nullptr}};
}

json FitJson(const StrategyReport& report, int64_t limit) {
  auto ranked = [limit](const std::vector<strategy::FitScore>& fits) {
    std::vector<const strategy::FitScore*> order;
    order.reserve(fits.size());
    for (const strategy::FitScore& f : fits) order.push_back(&f);
    std::stable_sort(order.begin(), order.end(),
                     [](const strategy::FitScore* x, const strategy::FitScore* y) {
                       return x->score > y->score;
                     });
    if (limit >= 0 && order.size() > static_cast<size_t>(limit)) {
      order.resize(static_cast<size_t>(limit));
    }
    return order;
  };
  std::unordered_map<int64_t, int64_t> segment_of;
  for (const strategy::SegmentAssignment& a : report.assignments) {
    segment_of[a.account_id] = report.labels.segments.contains(a.stored_segment_id)
                                   ? a.stored_segment_id
                                   : a.derived_segment_id;
  }
  json accounts = json::array();
  for (const strategy::FitScore* fit : ranked(report.account_fits)) {
    accounts.push_back({{"account_id", fit->id},
                        {"external_id", NameOr(report.labels.account_external_ids, fit->id)},
                        {"name", NameOr(report.labels.account_names, fit->id)},
                        {"segment_id", segment_of[fit->id]},
                        {"fit", fit->score},
                        {"explanation", fit->explanation},
                        {"factors", FactorsJson(*fit)}});
  }
  json leads = json::array();
  for (const strategy::FitScore* fit : ranked(report.lead_fits)) {
    leads.push_back({{"lead_id", fit->id},
                     {"name", NameOr(report.labels.lead_names, fit->id)},
                     {"fit", fit->score},
                     {"explanation", fit->explanation},
                     {"factors", FactorsJson(*fit)}});
  }
  return {{"threshold", report.request.fit_threshold},
          {"accounts", std::move(accounts)},
          {"leads", std::move(leads)}};
}

json AlignmentJson(const StrategyReport& report) {
  const strategy::Granularity g = report.request.alignment_granularity;
  json rows = json::array();
  for (const strategy::AlignmentRow& row : report.alignment) {
    json pipeline = json::array();
    for (const strategy::PipelineShare& p : row.pipeline) {
      pipeline.push_back({{"currency", p.currency.ToString()},
                          {"deals", p.deals},
                          {"total", MoneyJson(p.total)},
                          {"core", MoneyJson(p.core)},
                          {"high_fit", MoneyJson(p.high_fit)},
                          {"core_share", Optional(p.core_share())},
                          {"high_fit_share", Optional(p.high_fit_share())}});
    }
    std::string name = "company";
    if (row.level == strategy::AlignmentLevel::kTeam) name = NameOr(report.labels.teams, row.id);
    if (row.level == strategy::AlignmentLevel::kRep) name = NameOr(report.labels.users, row.id);
    rows.push_back({{"level", strategy::AlignmentLevelName(row.level)},
                    {"id", row.id},
                    {"name", name},
                    {"period", PeriodJson(row.period, g)},
                    {"meetings", ShareJson(row.meetings)},
                    {"activities", ShareJson(row.activities)},
                    {"unlinked_activities", row.unlinked_activities},
                    {"pipeline", std::move(pipeline)}});
  }
  return {{"granularity", strategy::GranularityName(g)},
          {"threshold", report.request.fit_threshold},
          {"core_segments", report.core_segments},
          {"rows", std::move(rows)}};
}

json StrategyReportJson(const StrategyReport& report) {
  json changes = json::array();
  for (const strategy::SegmentAssignment& a : report.assignments) {
    if (!a.changed()) continue;
    changes.push_back({{"account_id", a.account_id},
                       {"stored_segment_id",
                        a.stored_segment_id == 0 ? json(nullptr) : json(a.stored_segment_id)},
                       {"derived_segment_id",
                        a.derived_segment_id == 0 ? json(nullptr) : json(a.derived_segment_id)}});
  }
  return {{"as_of", FormatDate(report.as_of)},
          {"window",
           {{"from", FormatDate(*report.window.from)}, {"to", FormatDate(*report.window.to)}}},
          {"rule_errors", report.rule_errors},
          {"segment_changes", std::move(changes)},
          {"segment_table", SegmentTableJson(report)},
          {"profitability", ProfitabilityJson(report)},
          {"icp", IcpJson(report)},
          {"fit", FitJson(report, 100)},
          {"alignment", AlignmentJson(report)}};
}

}  // namespace salesbox::service

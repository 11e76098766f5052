// SPDX-License-Identifier: MIT
// The forecast's and the backtest's wire format (docs/api.md): ForecastJson and BacktestJson.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "service/forecast/backtest.h"
#include "service/forecast/forecast.h"
#include "service/internal/scan.h"
#include "service/strategy_service.h"

namespace salesbox::service {
namespace {

namespace fc = analytics::forecast;
using internal::FromDay;
using nlohmann::json;

template <typename Map>
json Name(const Map& names, int64_t id) {
  auto it = names.find(id);
  return it == names.end() ? json(nullptr) : json(it->second);
}

json DayJson(Day day) { return day == kNoDay ? json(nullptr) : json(FormatDate(FromDay(day))); }

json RollupJson(const Rollup& r) {
  auto money = [&](int64_t minor) { return MoneyJson(Money{minor, r.currency}); };
  return {{"currency", r.currency.ToString()},
          {"deals", r.deals},
          {"closed_won", money(r.closed_won)},
          {"pipeline", money(r.pipeline)},
          {"stated", money(r.stated)},
          {"commit", money(r.commit)},
          {"best_case", money(r.best_case)},
          {"expected", money(r.expected)},
          {"p10", money(r.p10)},
          {"p50", money(r.p50)},
          {"p90", money(r.p90)}};
}

json FactorsJson(const std::vector<Factor>& factors) {
  json out = json::array();
  for (const Factor& f : factors) {
    out.push_back({{"feature", f.feature}, {"label", f.label}, {"effect", f.effect}});
  }
  return out;
}

json ScoresJson(const ScoreSet& s) {
  json bins = json::array();
  for (const fc::ReliabilityBin& b : s.reliability) {
    bins.push_back({{"lower", b.lower},
                    {"upper", b.upper},
                    {"count", b.count},
                    {"mean_predicted", b.mean_predicted},
                    {"observed_rate", b.observed_rate}});
  }
  return {{"brier", s.brier},
          {"log_loss", s.log_loss},
          {"auc", s.auc ? json(*s.auc) : json(nullptr)},
          {"reliability", std::move(bins)}};
}

std::string_view MethodName(ForecastMethod m) {
  return m == ForecastMethod::kModel ? "model" : "stage_rates";
}

json ModelJson(const ForecastModel& m) {
  json features = json::array();
  for (std::string_view f : ForecastFeatureNames()) features.push_back(f);
  static constexpr std::string_view kMethods[] = {"none", "platt", "isotonic"};
  static constexpr std::string_view kChoices[] = {"too_few_recent", "few_recent",
                                                  "platt_not_beaten", "isotonic_better"};
  json out = {{"closed_deals", m.closed_deals},
              {"examples", m.examples},
              {"calibration", kMethods[static_cast<size_t>(m.calibration_method)]},
              {"calibration_reason", kChoices[static_cast<size_t>(m.calibration_choice)]},
              {"calibration_examples", m.calibration_examples},
              {"features", std::move(features)}};
  if (m.calibration_brier_platt >= 0) {
    out["calibration_brier"] = {{"platt", m.calibration_brier_platt},
                                {"isotonic", m.calibration_brier_isotonic}};
  }
  return out;
}

}  // namespace

json ForecastJson(const ForecastData& data, const Forecast& f, int64_t limit, int64_t offset) {
  json totals = json::array();
  for (const Rollup& r : f.totals) totals.push_back(RollupJson(r));
  json groups = json::array();
  for (const GroupRollup& g : f.groups) {
    json row = RollupJson(g.rollup);
    row["level"] = g.level;
    row["id"] = g.id;
    row["name"] = Name(g.level == "team" ? data.team_names : data.user_names, g.id);
    groups.push_back(std::move(row));
  }
  json fan = json::array();
  for (const auto& [currency, points] : f.fan) {
    json list = json::array();
    for (const FanPoint& p : points) {
      auto money = [&](int64_t minor) { return MoneyJson(Money{minor, currency}); };
      list.push_back({{"date", DayJson(p.day)},
                      {"closed_won", money(p.closed_won)},
                      {"expected", money(p.expected)},
                      {"p10", money(p.p10)},
                      {"p50", money(p.p50)},
                      {"p90", money(p.p90)}});
    }
    fan.push_back({{"currency", currency.ToString()}, {"points", std::move(list)}});
  }
  json deals = json::array();
  for (int64_t i = offset; i < static_cast<int64_t>(f.deals.size()) && i < offset + limit; ++i) {
    const ScoredDeal& s = f.deals[static_cast<size_t>(i)];
    const ForecastDealFacts* facts = data.Deal(s.id);
    const std::string name = facts != nullptr ? facts->name : std::string();
    deals.push_back({{"id", s.id},
                     {"name", name},
                     {"account_id", s.account_id},
                     {"account", Name(data.account_names, s.account_id)},
                     {"owner_id", s.owner_id},
                     {"owner", Name(data.user_names, s.owner_id)},
                     {"team", s.team_id != 0 ? Name(data.team_names, s.team_id) : json(nullptr)},
                     {"stage", ToString(s.stage)},
                     {"amount", MoneyJson(s.amount)},
                     {"close_date", DayJson(s.close_on)},
                     {"forecast_category", ToString(s.category)},
                     {"in_period", s.in_period},
                     {"p_model", s.p_model},
                     {"p_stated", s.p_stated ? json(*s.p_stated) : json(nullptr)},
                     {"difference", s.p_stated ? json(*s.p_stated - s.p_model) : json(nullptr)},
                     {"p_slip", s.p_slip},
                     {"factors", {{"up", FactorsJson(s.up)}, {"down", FactorsJson(s.down)}}}});
  }
  json optimism = json::array();
  for (const fc::RepOptimism& o : f.optimism) {
    auto team = data.team_of.find(o.rep);
    optimism.push_back(
        {{"rep_id", o.rep},
         {"name", Name(data.user_names, o.rep)},
         {"team", team == data.team_of.end() ? json(nullptr) : Name(data.team_names, team->second)},
         {"examples", o.examples},
         {"mean_stated", o.mean_stated},
         {"win_rate", o.win_rate},
         {"optimism", o.optimism},
         {"lower", o.interval ? json(o.interval->lower) : json(nullptr)},
         {"upper", o.interval ? json(o.interval->upper) : json(nullptr)}});
  }
  return {{"as_of", FormatDate(f.as_of)},
          {"period",
           {{"label", f.period_label},
            {"start", FormatDate(f.period_start)},
            {"end", FormatDate(f.period_end)}}},
          {"method", MethodName(f.model.method)},
          {"method_reason", f.model.method_reason},
          {"model", ModelJson(f.model)},
          {"totals", std::move(totals)},
          {"groups", std::move(groups)},
          {"fan", std::move(fan)},
          {"deals", std::move(deals)},
          {"deals_total", f.deals.size()},
          {"limit", limit},
          {"offset", offset},
          {"optimism", std::move(optimism)}};
}

json BacktestJson(const Backtest& b) {
  return {
      {"cutoff", FormatDate(b.cutoff)},
      {"as_of", FormatDate(b.as_of)},
      {"train", {{"closed_deals", b.model_info.closed_deals}, {"examples", b.model_info.examples}}},
      {"test", {{"examples", b.test_examples}, {"without_history", b.without_history}}},
      {"method", MethodName(b.model_info.method)},
      {"method_reason", b.model_info.method_reason},
      {"model", ScoresJson(b.model)},
      {"stated", b.stated ? ScoresJson(*b.stated) : json(nullptr)},
      {"stage_default", b.stage_default ? ScoresJson(*b.stage_default) : json(nullptr)}};
}

}  // namespace salesbox::service

// SPDX-License-Identifier: MIT
// The forecast of a period (part of service/forecast.h): every open deal scored, with its factors
// in words, rolled up per rep, team and company with Monte Carlo ranges; the reps' optimism.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "analytics/forecast/optimism.h"
#include "common/money.h"
#include "common/result.h"
#include "common/time.h"
#include "domain/opportunity.h"
#include "service/auth.h"
#include "service/forecast/facts.h"
#include "service/forecast/features.h"
#include "service/forecast/model.h"

namespace salesbox::service {

class ForecastSimulations;  // simulations.h

// Every deal open on `day`, scored with `model`: what RunForecast would compute for each, kept by
// the live fact model per snapshot so that a request does not score the whole pipeline again.
struct DealScore {
  int32_t deal = -1;  // index into ForecastData::deals
  DealOnDay state;
  double p_model = 0;
  std::array<double, kForecastFeatures> x{};  // the features, for the factors in words
};
struct ForecastScores {
  Day day = kNoDay;
  const ForecastModel* model = nullptr;  // scored with this model (identity)
  std::vector<DealScore> open;           // in the order of ForecastData::deals
  // Every rep's optimism as of `day` (closed deals only, so independent of the model), by rep.
  std::map<int64_t, analytics::forecast::RepOptimism> optimism;
};

// Scores every deal open on `day` (the same state, features and probability RunForecast uses).
ForecastScores ScoreOpenDeals(const ForecastData& data, const ForecastModel& model, Day day);

// `old` (scores of `old_data`) carried over to `data`, with the deals in `changed` (by id) and
// every deal of an owner in `owners` (their win rate may have moved) scored again. Equal to
// ScoreOpenDeals(data, model, old.day) when `changed` and `owners` cover what differs.
ForecastScores UpdateScores(const ForecastScores& old, const ForecastData& old_data,
                            const ForecastData& data, const ForecastModel& model,
                            const std::unordered_set<int64_t>& changed,
                            const std::unordered_set<int64_t>& owners);

struct ForecastRequest {
  Date as_of{};
  std::string period;  // "2026-Q4", "2026-11"; empty: the quarter of as_of
  std::optional<int64_t> team_id;
  std::optional<int64_t> rep_id;
  const Principal* viewer = nullptr;  // null: everything
  int64_t trials = 100'000;
  // Trials for each team's and rep's range (at most `trials`), and for each week of the fan.
  int64_t group_trials = 10'000;
  int64_t fan_trials = 2'000;
  uint64_t seed = 42;
  bool fan = true;
  std::string locale = "en";  // the factors' language: en, da, sv, nb
  // A model already trained on this data with cutoff as_of (the server keeps one per day while
  // the data is unchanged); null: train it.
  const ForecastModel* model = nullptr;
  // Scores of the open deals for as_of with `model` (the live facts keep them); null, or for
  // another day or model: every deal is scored here.
  const ForecastScores* scores = nullptr;
  // Explain (the factors in words) only the deals of this page of the sorted list; the others
  // keep empty factors. Negative: explain every deal.
  int64_t explain_limit = -1;
  int64_t explain_offset = 0;
  // Simulations kept between pages (the server keeps one, thread-safe); null: drawn afresh. The
  // ranges are the same either way.
  ForecastSimulations* simulations = nullptr;
};

struct Factor {
  std::string feature;
  std::string label;  // in words
  double effect = 0;  // log-odds
};

struct ScoredDeal {
  int64_t id = 0;
  int64_t owner_id = 0;
  int64_t team_id = 0;
  int64_t account_id = 0;
  Stage stage = Stage::kQualify;
  Money amount;
  Day close_on = kNoDay;
  ForecastCategory category = ForecastCategory::kPipeline;
  double p_model = 0;
  std::optional<double> p_stated;
  double p_slip = 0;
  bool in_period = false;  // expected to close in the period (or overdue while it runs)
  std::vector<Factor> up, down;
};

struct Rollup {
  Currency currency;
  int64_t deals = 0;
  int64_t closed_won = 0, pipeline = 0, stated = 0, commit = 0, best_case = 0;
  int64_t expected = 0, p10 = 0, p50 = 0, p90 = 0;
};

struct GroupRollup {
  std::string level;  // "team", "rep"
  int64_t id = 0;
  Rollup rollup;
};

struct FanPoint {
  Day day = kNoDay;
  int64_t closed_won = 0, expected = 0, p10 = 0, p50 = 0, p90 = 0;
};

struct Forecast {
  Date as_of{};
  std::string period_label;
  Date period_start{}, period_end{};
  ForecastModel model;
  std::vector<ScoredDeal> deals;  // open on as_of within scope, largest |difference| first
  std::vector<Rollup> totals;     // per currency
  std::vector<GroupRollup> groups;
  std::vector<std::pair<Currency, std::vector<FanPoint>>> fan;
  std::vector<analytics::forecast::RepOptimism> optimism;
};

// Whether `viewer` sees deals owned by `owner` (null viewer: everything): reps their own,
// managers their team's, executives and admins all; marketing only their own.
bool ForecastVisible(const Principal* viewer, const ForecastData& data, int64_t owner);

// Parses "2026-Q4" or "2026-11" into [start, end] and the label; kInvalidArgument otherwise.
Result<std::pair<Date, Date>> ParsePeriod(std::string_view text);

// Trains (cutoff as_of), scores the open deals and rolls up. kInvalidArgument for a bad period;
// kNotFound for an unknown team or rep; kPermissionDenied for one outside the viewer's scope.
Result<Forecast> RunForecast(const ForecastData& data, const ForecastRequest& request);

// {"as_of","period","method","method_reason","model","totals","groups","fan","deals" (page),
//  "deals_total","limit","offset","optimism"} (docs/api.md).
nlohmann::json ForecastJson(const ForecastData& data, const Forecast& forecast, int64_t limit,
                            int64_t offset);

}  // namespace salesbox::service

// SPDX-License-Identifier: MIT
// The evidence-based forecast (DESIGN.md section 3, issue 5): a win probability learned from the
// company's own closed deals, each seen as it was at month starts before it closed, next to the
// reps' stated probabilities; the optimism of each rep; a roll-up per rep, team and company with
// Monte Carlo ranges; and a backtest against the reps and the stage defaults.
//
// Design notes
// (1) One pass per table. Opportunities, their history, completed activities, opportunity
//     scorecard answers, contacts, accounts, segments and users are each read once with
//     ScanFields into compact arrays (ForecastData); every snapshot of every deal is then built
//     in memory.
// (2) A deal as it was on day D (DealFeatures): its stage, amount, close date, next-step date
//     and stated probability from the last history row on or before D (the current record when
//     it has no history); activities completed, answers given and contacts created on or
//     before D; the owner's win rate over deals closed before D. Nothing dated after D reaches
//     a feature (the leakage test changes everything after D and compares).
// (3) Typical values (median days in each stage, median amount per currency) belong to the
//     model: they are measured on the training deals only and stored with it.
// (4) Training examples: every closed deal at every month start on which it was open, up to the
//     cutoff (deals closed by the cutoff). The last quarter of the span calibrates (isotonic);
//     the rest trains the L2 logistic regression; probabilities stay within [0.01, 0.99]. Under 200
//     closed deals: the empirical win rate per stage with a Beta prior instead, and the output says
//     so.
// (5) Slip: the learned chance that a deal won later than the end of the period its close date
//     was in, per stage at the snapshot (and for deals already past their close date).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "analytics/forecast/calibration.h"
#include "analytics/forecast/logistic.h"
#include "analytics/forecast/metrics.h"
#include "analytics/forecast/optimism.h"
#include "analytics/forecast/stage_rates.h"
#include "common/money.h"
#include "common/result.h"
#include "common/time.h"
#include "domain/opportunity.h"
#include "service/auth.h"
#include "service/internal/scan.h"
#include "service/pipeline_audit.h"
#include "storage/store.h"

namespace salesbox::service {

using internal::Day;
using internal::kNoDay;

// --- facts (design note 1) ------------------------------------------------------------------

// One history row: the state after a change.
struct ForecastChange {
  int64_t seconds = 0;  // changed_at, seconds since the epoch
  Stage stage = Stage::kQualify;
  int64_t amount_minor = 0;
  float probability = -1;  // -1: none stated
  Day close_on = kNoDay;
  Day next_step_on = kNoDay;
};

struct ForecastActivity {
  Day day = kNoDay;
  bool meeting = false;
  bool with_economic_buyer = false;  // its contact's role is economic buyer
};

struct ForecastAnswer {
  Day day = kNoDay;
  int64_t seconds = 0;
  uint16_t criterion = 0;  // index into the opportunity playbook's criteria
  bool yes = false;
};

struct ForecastDealFacts {
  int64_t id = 0;
  int64_t account_id = 0;
  int64_t owner_id = 0;
  std::string name;
  Stage stage = Stage::kQualify;  // current
  Money amount;                   // current
  float probability = -1;         // current stated probability; -1: none
  Day created_on = kNoDay;
  Day close_on = kNoDay;
  Day closed_on = kNoDay;
  Day next_step_on = kNoDay;
  ForecastCategory category = ForecastCategory::kPipeline;
  // Ranges into ForecastData's arrays, each in time order.
  uint32_t changes_begin = 0, changes_end = 0;
  uint32_t activities_begin = 0, activities_end = 0;
  uint32_t answers_begin = 0, answers_end = 0;
};

struct ForecastData {
  std::vector<ForecastDealFacts> deals;  // by id
  std::vector<int32_t> index_of;         // by opportunity id: index into deals, -1 none
  // The deal with `id`, or null.
  const ForecastDealFacts* Deal(int64_t id) const {
    if (id <= 0 || static_cast<size_t>(id) >= index_of.size() || index_of[id] < 0) return nullptr;
    return &deals[static_cast<size_t>(index_of[id])];
  }
  std::vector<ForecastChange> changes;
  std::vector<ForecastActivity> activities;
  std::vector<ForecastAnswer> answers;
  // Per account: whether its segment is core, and the days its contacts with the key buying
  // roles (economic buyer, decision maker, champion) were created.
  std::unordered_map<int64_t, bool> core_account;
  std::unordered_map<int64_t, std::array<Day, 3>> first_role_day;
  std::unordered_map<int64_t, std::string> account_names;
  std::unordered_map<int64_t, std::string> user_names;
  std::unordered_map<int64_t, int64_t> team_of;  // user -> team
  std::unordered_map<int64_t, std::string> team_names;
  std::vector<int> criterion_area;               // per playbook criterion, -1 for auto criteria
  std::array<int, 5> manual_criteria_in_area{};  // answered by people, per area
  std::vector<std::string> area_ids;
  std::vector<std::array<std::string, 4>> area_names;  // per area, in en, da, sv, nb
  // Per owner, the days their deals closed (sorted) and how many of the first k were won
  // (wins[k]): the owner's win rate before D by binary search.
  struct OwnerRecord {
    std::vector<Day> closed_on;
    std::vector<int32_t> wins;  // wins[k]: won among closed_on[0..k); size closed_on.size() + 1
  };
  std::unordered_map<int64_t, OwnerRecord> closed_by_owner;
};

// With `parallel_reader` (a second connection to the same database) the scorecard answers are
// read on it in a second thread, beside the activities. Storage errors as they come.
Result<ForecastData> LoadForecastData(storage::Store& store,
                                      storage::Store* parallel_reader = nullptr);

struct ForecastLoadOptions {
  storage::Store* parallel_reader = nullptr;
  // Only these subjects (pipeline_audit.h): their deals, and the accounts' names, core flags and
  // key roles; closed_by_owner then covers only the subset's deals (ComputeOwnerRecords redoes
  // it over all deals after a merge).
  const FactSubset* subset = nullptr;
};
Result<ForecastData> LoadForecastData(storage::Store& store, const ForecastLoadOptions& options);

// Fills closed_by_owner from `deals`.
void ComputeOwnerRecords(ForecastData& data);

// --- features (design note 2) ----------------------------------------------------------------

inline constexpr int kForecastFeatures = 22;
// Stable keys: "stage_discover", ..., "owner_win_rate".
const std::array<std::string_view, kForecastFeatures>& ForecastFeatureNames();

// The values typical of the training deals (design note 3).
struct ForecastTypical {
  std::array<double, 5> median_days_in_stage{30, 30, 30, 30, 30};  // qualify .. commit
  std::unordered_map<std::string, double> median_amount;           // currency -> minor units
  double owner_prior = 0.25;  // the company's win rate, the owners' prior mean
};

// The deal's state on day D (from its history; note 2).
struct DealOnDay {
  bool open = false;  // created by D and not closed by D
  Stage stage = Stage::kQualify;
  int64_t amount_minor = 0;
  float probability = -1;
  Day close_on = kNoDay;
  Day next_step_on = kNoDay;
  Day stage_since = kNoDay;
  int close_changes = 0;
};
DealOnDay StateOn(const ForecastData& data, const ForecastDealFacts& deal, Day d);

// Writes the kForecastFeatures features of `deal` as it was on `d` into `out`.
void DealFeatures(const ForecastData& data, const ForecastTypical& typical,
                  const ForecastDealFacts& deal, const DealOnDay& state, Day d, double* out);

// --- the model -------------------------------------------------------------------------------

enum class ForecastMethod { kModel, kStageRates };

struct ForecastModel {
  ForecastMethod method = ForecastMethod::kModel;
  std::string method_reason;
  int64_t closed_deals = 0;      // closed by the cutoff
  int64_t examples = 0;          // month-start snapshots of the closed deals
  int64_t sampled_examples = 0;  // of which used to fit (all, up to 400,000)
  int64_t calibration_examples = 0;
  ForecastTypical typical;
  analytics::forecast::LogisticModel logistic;
  std::optional<analytics::forecast::IsotonicCalibration> calibration;
  std::array<double, 5> stage_rate{};  // the fallback: win rate per open stage
  // Slip: per open stage, and for deals already past their close date (index 5).
  std::array<double, 6> slip_quarter{}, slip_month{};
  double Probability(const double* features, Stage stage) const;
};

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
};

struct TrainOptions {
  Day cutoff = kNoDay;  // deals closed on or before it, snapshots before it
  double lambda = 1.0;
  double calibration_share = 0.25;
};

// Trains on the closed deals (note 4). kFailedPrecondition when no deal closed by the cutoff.
Result<ForecastModel> TrainForecast(const ForecastData& data, const TrainOptions& options);

// Scores every deal open on `day` (the same state, features and probability RunForecast uses).
ForecastScores ScoreOpenDeals(const ForecastData& data, const ForecastModel& model, Day day);

// `old` (scores of `old_data`) carried over to `data`, with the deals in `changed` (by id) and
// every deal of an owner in `owners` (their win rate may have moved) scored again. Equal to
// ScoreOpenDeals(data, model, old.day) when `changed` and `owners` cover what differs.
ForecastScores UpdateScores(const ForecastScores& old, const ForecastData& old_data,
                            const ForecastData& data, const ForecastModel& model,
                            const std::unordered_set<int64_t>& changed,
                            const std::unordered_set<int64_t>& owners);

// --- the forecast ----------------------------------------------------------------------------

struct ForecastRequest {
  Date as_of{};
  std::string period;  // "2026-Q4", "2026-11"; empty: the quarter of as_of
  std::optional<int64_t> team_id;
  std::optional<int64_t> rep_id;
  const Principal* viewer = nullptr;  // null: everything
  int64_t trials = 100'000;
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

// --- backtest --------------------------------------------------------------------------------

struct ScoreSet {
  double brier = 0, log_loss = 0;
  std::optional<double> auc;
  std::vector<analytics::forecast::ReliabilityBin> reliability;
};

struct Backtest {
  Date cutoff{};
  Date as_of{};
  ForecastModel model_info;  // the model trained on the past
  int64_t test_examples = 0;
  ScoreSet model, stated, stage_default;
};

// Trains on deals closed before `cutoff` (default as_of − 365 days) and tests on the month-start
// snapshots after it of deals closed by as_of. kFailedPrecondition when either side is empty.
Result<Backtest> RunBacktest(const ForecastData& data, Date as_of, std::optional<Date> cutoff);

// {"cutoff","as_of","train","test","method","model","stated","stage_default"}.
nlohmann::json BacktestJson(const Backtest& backtest);

}  // namespace salesbox::service

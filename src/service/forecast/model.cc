// SPDX-License-Identifier: MIT
// Training the forecast's model on the closed deals (design notes 4 and 5 in model.h): typical
// values, slip, stage rates, the logistic regression and its calibration; the probability it gives.
#include "service/forecast/model.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <span>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "analytics/forecast/calibration.h"
#include "analytics/forecast/logistic.h"
#include "analytics/forecast/stage_rates.h"
#include "common/status_macros.h"
#include "service/forecast/internal.h"

namespace salesbox::service {
namespace {

namespace fc = analytics::forecast;
using internal::FromDay;
using internal::ToDay;
using internal::forecast::ForEachSnapshot;
using internal::forecast::StageIndex;

}  // namespace

double ForecastModel::Probability(const double* features, Stage stage) const {
  if (method == ForecastMethod::kStageRates) {
    return stage_rate[static_cast<size_t>(std::clamp(StageIndex(stage), 0, 4))];
  }
  Result<double> raw =
      fc::PredictProbability(logistic, std::span<const double>(features, kForecastFeatures));
  const double p = raw.ok() ? *raw : 0.5;
  // Never 0 or 1 for an open deal: isotonic steps at the ends rest on a handful of examples,
  // and "cannot be won" is a claim no history supports.
  constexpr double kFloor = 0.01;
  Result<double> calibrated = p;
  if (calibration_method == CalibrationMethod::kPlatt && platt) {
    calibrated = fc::Calibrate(*platt, p);
  } else if (calibration_method == CalibrationMethod::kIsotonic && isotonic) {
    calibrated = fc::Calibrate(*isotonic, p);
  }
  return std::clamp(calibrated.ok() ? *calibrated : p, kFloor, 1 - kFloor);
}

namespace {

double Median(std::vector<double>& values, double fallback) {
  if (values.empty()) return fallback;
  const size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
  return values[mid];
}

// The last day of the quarter (or month) containing `day`.
Day PeriodEnd(Day day, bool quarter) {
  const std::chrono::year_month_day ymd(FromDay(day));
  unsigned m = static_cast<unsigned>(ymd.month());
  if (quarter) m = (m - 1) / 3 * 3 + 3;
  const std::chrono::year_month_day_last last(ymd.year() / std::chrono::month(m) /
                                              std::chrono::last);
  return ToDay(Date(last));
}

struct Example {
  size_t deal = 0;
  Day day = kNoDay;
  DealOnDay state;
  double outcome = 0;
};

// Every snapshot of every deal closed by `cutoff`, taken before the cutoff.
std::vector<Example> TrainingExamples(const ForecastData& data, Day cutoff, Day from = INT32_MIN) {
  std::vector<Example> out;
  for (size_t i = 0; i < data.deals.size(); ++i) {
    const ForecastDealFacts& deal = data.deals[i];
    if (deal.closed_on == kNoDay || deal.closed_on > cutoff) continue;
    ForEachSnapshot(deal, cutoff, [&](Day d) {
      if (d < from) return;
      DealOnDay state = StateOn(data, deal, d);
      if (!state.open) return;
      out.push_back({i, d, state, deal.stage == Stage::kClosedWon ? 1.0 : 0.0});
    });
  }
  std::sort(out.begin(), out.end(), [](const Example& a, const Example& b) {
    return a.day != b.day ? a.day < b.day : a.deal < b.deal;
  });
  return out;
}

ForecastTypical TypicalOf(const ForecastData& data, const std::vector<Example>& examples) {
  ForecastTypical typical;
  std::array<std::vector<double>, 5> days;
  std::map<std::string, std::vector<double>> amounts;
  std::unordered_set<size_t> seen;
  double won = 0, closed = 0;
  for (const Example& e : examples) {
    const int stage = std::clamp(StageIndex(e.state.stage), 0, 4);
    days[static_cast<size_t>(stage)].push_back(
        std::max(0, e.day - std::max(e.state.stage_since, data.deals[e.deal].created_on)));
    if (seen.insert(e.deal).second) {
      const ForecastDealFacts& deal = data.deals[e.deal];
      if (e.state.amount_minor > 0 && deal.amount_known) {
        amounts[deal.amount.currency.ToString()].push_back(
            static_cast<double>(e.state.amount_minor));
      }
      closed += 1;
      won += e.outcome;
    }
  }
  for (size_t s = 0; s < 5; ++s) typical.median_days_in_stage[s] = Median(days[s], 30);
  for (auto& [currency, values] : amounts) typical.median_amount[currency] = Median(values, 1);
  if (closed > 0) typical.owner_prior = won / closed;
  return typical;
}

// Slip: the share of won snapshots whose deal closed after the end of the period its expected
// close date was in (per stage; index 5 for deals already past their close date), with a prior.
void LearnSlip(const ForecastData& data, const std::vector<Example>& examples, ForecastModel& m) {
  std::array<double, 6> slipped_q{}, slipped_m{}, n{};
  for (const Example& e : examples) {
    const ForecastDealFacts& deal = data.deals[e.deal];
    if (deal.stage != Stage::kClosedWon || e.state.close_on == kNoDay) continue;
    const bool overdue = e.state.close_on < e.day;
    const size_t k = overdue ? 5 : static_cast<size_t>(std::clamp(StageIndex(e.state.stage), 0, 4));
    const Day reference = overdue ? e.day : e.state.close_on;
    n[k] += 1;
    slipped_q[k] += deal.closed_on > PeriodEnd(reference, true) ? 1 : 0;
    slipped_m[k] += deal.closed_on > PeriodEnd(reference, false) ? 1 : 0;
  }
  constexpr double kPrior = 10, kPriorQuarter = 0.25, kPriorMonth = 0.4;
  for (size_t k = 0; k < 6; ++k) {
    m.slip_quarter[k] = (slipped_q[k] + kPrior * kPriorQuarter) / (n[k] + kPrior);
    m.slip_month[k] = (slipped_m[k] + kPrior * kPriorMonth) / (n[k] + kPrior);
  }
}

constexpr size_t kMinCalibrationExamples = 100;
constexpr size_t kPlattOnlyBelow = 500;
constexpr int kCalibrationFolds = 5;

// Platt for few recent snapshots; else isotonic only when it beats Platt on held-out folds
// (SelectCalibration). A calibration that cannot be fitted leaves the raw probabilities.
void ChooseCalibration(std::span<const double> raw, std::span<const double> y,
                       ForecastModel& model) {
  fc::CalibrationChoiceOptions options;
  options.isotonic_from = static_cast<int64_t>(kPlattOnlyBelow);
  options.folds = kCalibrationFolds;
  Result<fc::CalibrationSelection> chosen = fc::SelectCalibration(raw, y, options);
  if (!chosen.ok()) return;
  model.calibration_brier_platt = chosen->brier_platt;
  model.calibration_brier_isotonic = chosen->brier_isotonic;
  if (!chosen->cross_validated) {
    model.calibration_choice = CalibrationChoice::kFewRecent;
  } else {
    model.calibration_choice =
        chosen->isotonic ? CalibrationChoice::kIsotonicBetter : CalibrationChoice::kPlattNotBeaten;
  }
  if (chosen->isotonic) {
    model.isotonic = std::move(chosen->isotonic_map);
    model.calibration_method = CalibrationMethod::kIsotonic;
  } else {
    model.platt = chosen->platt;
    model.calibration_method = CalibrationMethod::kPlatt;
  }
}

}  // namespace

std::string DescribeCalibration(const ForecastModel& m) {
  if (m.method != ForecastMethod::kModel) return "none: the stage rates need none";
  const std::string n = std::to_string(m.calibration_examples);
  char brier[96] = "";
  if (m.calibration_brier_platt >= 0) {
    std::snprintf(
        brier, sizeof brier, " (Brier %.4f vs %.4f)",
        m.calibration_method == CalibrationMethod::kIsotonic ? m.calibration_brier_isotonic
                                                             : m.calibration_brier_platt,
        m.calibration_method == CalibrationMethod::kIsotonic ? m.calibration_brier_platt
                                                             : m.calibration_brier_isotonic);
  }
  switch (m.calibration_choice) {
    case CalibrationChoice::kTooFewRecent:
      return "none: only " + n + " snapshots in the latest part of the history (at least " +
             std::to_string(kMinCalibrationExamples) +
             " are needed), so the model was fitted on all snapshots instead";
    case CalibrationChoice::kFewRecent:
      return std::string(m.calibration_method == CalibrationMethod::kPlatt ? "Platt scaling"
                                                                           : "none") +
             ": " + n + " latest snapshots are too few for isotonic regression (fewer than " +
             std::to_string(kPlattOnlyBelow) + ")";
    case CalibrationChoice::kPlattNotBeaten:
      return "Platt scaling: isotonic regression did not beat it on 5 time-ordered folds of the " +
             n + " latest snapshots" + brier;
    case CalibrationChoice::kIsotonicBetter:
      return "isotonic regression: it beat Platt scaling on 5 time-ordered folds of the " + n +
             " latest snapshots" + brier;
  }
  return "";
}

Result<ForecastModel> TrainForecast(const ForecastData& data, const TrainOptions& options) {
  ForecastModel model;
  std::vector<Example> examples = TrainingExamples(data, options.cutoff);
  std::unordered_set<size_t> deals;
  for (const Example& e : examples) deals.insert(e.deal);
  for (const ForecastDealFacts& deal : data.deals) {
    if (deal.closed_on != kNoDay && deal.closed_on <= options.cutoff) ++model.closed_deals;
  }
  if (model.closed_deals == 0 || examples.empty()) {
    return Status::FailedPrecondition(
        "forecast: no deal closed by " + FormatDate(FromDay(options.cutoff)) +
        " was open on a month start: there is no history to learn from");
  }
  model.examples = static_cast<int64_t>(examples.size());
  model.typical = TypicalOf(data, examples);
  LearnSlip(data, examples, model);

  // Stage rates: the fallback, and the prior of nothing else.
  std::vector<fc::StageHistory> stages(5);
  for (int s = 0; s < 5; ++s)
    stages[static_cast<size_t>(s)].default_rate = DefaultProbability(static_cast<Stage>(s));
  for (const Example& e : examples) {
    fc::StageHistory& h = stages[static_cast<size_t>(std::clamp(StageIndex(e.state.stage), 0, 4))];
    h.closed += 1;
    h.won += static_cast<int64_t>(e.outcome);
  }
  SB_ASSIGN_OR_RETURN(std::vector<fc::StageRate> rates, fc::StageWinRates(stages));
  for (size_t s = 0; s < 5; ++s) model.stage_rate[s] = rates[s].rate;

  int64_t won = 0;
  for (size_t i : deals) won += data.deals[i].stage == Stage::kClosedWon ? 1 : 0;
  const int64_t lost = static_cast<int64_t>(deals.size()) - won;
  if (fc::IsLittleHistory(model.closed_deals) || won < 10 || lost < 10) {
    model.method = ForecastMethod::kStageRates;
    char reason[200];
    std::snprintf(reason, sizeof reason,
                  "%lld closed deals (%lld won, %lld lost) are too few to learn from (at least "
                  "%lld, with 10 of each, are needed): the win rate per stage with a prior is used",
                  static_cast<long long>(model.closed_deals), static_cast<long long>(won),
                  static_cast<long long>(lost),
                  static_cast<long long>(fc::kLittleHistoryClosedDeals));
    model.method_reason = reason;
    return model;
  }

  // At most kMaxTrainingExamples, evenly over time (every k-th by day): a few hundred thousand
  // snapshots pin down 22 coefficients; the millions of a large company only cost time.
  constexpr size_t kMaxTrainingExamples = 400'000;
  if (examples.size() > kMaxTrainingExamples) {
    const double step = static_cast<double>(examples.size()) / kMaxTrainingExamples;
    std::vector<Example> sample;
    sample.reserve(kMaxTrainingExamples);
    for (size_t k = 0; k < kMaxTrainingExamples; ++k) {
      sample.push_back(examples[static_cast<size_t>(static_cast<double>(k) * step)]);
    }
    examples = std::move(sample);
  }
  model.sampled_examples = static_cast<int64_t>(examples.size());

  // Train on the earlier part, calibrate on the latest (note 4).
  const Day first = examples.front().day, last = examples.back().day;
  const Day calibration_from =
      last - static_cast<Day>(std::lround((last - first) * options.calibration_share));
  size_t split = 0;
  while (split < examples.size() && examples[split].day < calibration_from) ++split;
  if (split < examples.size() / 2) split = examples.size();  // too little before: no calibration
  std::vector<double> x(examples.size() * kForecastFeatures);
  std::vector<double> y(examples.size());
  for (size_t i = 0; i < examples.size(); ++i) {
    const Example& e = examples[i];
    DealFeatures(data, model.typical, data.deals[e.deal], e.state, e.day,
                 &x[i * kForecastFeatures]);
    y[i] = e.outcome;
  }
  fc::LogisticOptions logistic;
  logistic.lambda = options.lambda;
  const size_t held_out = examples.size() - split;
  model.calibration_examples = static_cast<int64_t>(held_out);
  // Too few recent snapshots to calibrate on: fit on all of them instead of leaving them out.
  if (held_out < kMinCalibrationExamples) split = examples.size();
  model.fitted_examples = static_cast<int64_t>(split);
  fc::FeatureMatrix train{std::span<const double>(x.data(), split * kForecastFeatures),
                          static_cast<int64_t>(split), kForecastFeatures};
  SB_ASSIGN_OR_RETURN(
      model.logistic,
      fc::FitLogistic(train, std::span<const double>(y.data(), split), {}, logistic));
  if (split < examples.size()) {
    std::vector<double> raw(held_out);
    fc::FeatureMatrix calibrate{
        std::span<const double>(x.data() + split * kForecastFeatures, held_out * kForecastFeatures),
        static_cast<int64_t>(held_out), kForecastFeatures};
    SB_RETURN_IF_ERROR(fc::PredictProbabilities(model.logistic, calibrate, raw));
    ChooseCalibration(raw, std::span<const double>(y.data() + split, held_out), model);
  }
  model.method = ForecastMethod::kModel;
  model.method_reason = "learned from " + std::to_string(model.closed_deals) + " closed deals (" +
                        std::to_string(model.examples) + " month-start snapshots)";
  return model;
}

}  // namespace salesbox::service

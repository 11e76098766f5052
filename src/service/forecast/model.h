// SPDX-License-Identifier: MIT
// The forecast's model: a win probability learned from the closed deals, calibrated, with the
// stage rates as the fallback, and the chance of slipping (part of service/forecast.h).
//
// Design notes
// (4) Training examples: every closed deal at every month start on which it was open, up to the
//     cutoff (deals closed by the cutoff). The last quarter of the span calibrates; the rest
//     trains the L2 logistic regression; probabilities stay within [0.01, 0.99]. The calibration
//     (CalibrationChoice): under 100 recent snapshots none, and the regression is fitted on all
//     snapshots instead; under 500 Platt scaling; else isotonic only when it beats Platt on five
//     time-ordered held-out folds (analytics SelectCalibration). Under 200 closed deals: the
//     empirical win rate per stage with a Beta prior instead, and the output says so.
// (5) Slip: the learned chance that a deal won later than the end of the period its close date
//     was in, per stage at the snapshot (and for deals already past their close date).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "analytics/forecast/calibration.h"
#include "analytics/forecast/logistic.h"
#include "common/result.h"
#include "domain/opportunity.h"
#include "service/forecast/facts.h"
#include "service/forecast/features.h"

namespace salesbox::service {

enum class ForecastMethod { kModel, kStageRates };

// How the model's raw probabilities are calibrated on the latest part of the history (note 4).
enum class CalibrationMethod { kNone, kPlatt, kIsotonic };
// Why: fewer than 100 recent snapshots (no calibration; the model is fitted on all of them),
// fewer than 500 (Platt: a curve with two parameters), or the cross-validated choice between
// Platt and isotonic regression on five time-ordered folds of the recent snapshots (isotonic
// only when its Brier score is lower).
enum class CalibrationChoice { kTooFewRecent, kFewRecent, kPlattNotBeaten, kIsotonicBetter };

struct ForecastModel {
  ForecastMethod method = ForecastMethod::kModel;
  std::string method_reason;
  int64_t closed_deals = 0;          // closed by the cutoff
  int64_t examples = 0;              // month-start snapshots of the closed deals
  int64_t sampled_examples = 0;      // of which used to fit (all, up to 400,000)
  int64_t fitted_examples = 0;       // of which the logistic regression was fitted on
  int64_t calibration_examples = 0;  // the recent snapshots held out for calibration
  CalibrationMethod calibration_method = CalibrationMethod::kNone;
  CalibrationChoice calibration_choice = CalibrationChoice::kTooFewRecent;
  // With kPlattNotBeaten or kIsotonicBetter: each method's mean Brier score on the held-out
  // folds (fitted on the other four).
  double calibration_brier_platt = -1, calibration_brier_isotonic = -1;
  ForecastTypical typical;
  analytics::forecast::LogisticModel logistic;
  std::optional<analytics::forecast::PlattCalibration> platt;
  std::optional<analytics::forecast::IsotonicCalibration> isotonic;
  std::array<double, 5> stage_rate{};  // the fallback: win rate per open stage
  // Slip: per open stage, and for deals already past their close date (index 5).
  std::array<double, 6> slip_quarter{}, slip_month{};
  double Probability(const double* features, Stage stage) const;
};

// The calibration used and why, in a sentence (English, like method_reason): "isotonic: it beat
// Platt scaling on 5 time-ordered folds of the 1,240 latest snapshots (Brier 0.1612 vs 0.1650)".
std::string DescribeCalibration(const ForecastModel& model);

struct TrainOptions {
  Day cutoff = kNoDay;  // deals closed on or before it, snapshots before it
  double lambda = 1.0;
  double calibration_share = 0.25;
};

// Trains on the closed deals (note 4). kFailedPrecondition when no deal closed by the cutoff.
Result<ForecastModel> TrainForecast(const ForecastData& data, const TrainOptions& options);

}  // namespace salesbox::service

// SPDX-License-Identifier: MIT
// Calibration of win scores (DESIGN.md section 3): a model's raw probabilities are mapped to
// observed win rates learnt on a later, held-out time slice, by isotonic regression (no shape
// assumed beyond "a higher score never means a lower rate") or Platt scaling (a 1-D logistic
// curve on the score's log-odds, better with few examples).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/result.h"

namespace salesbox::analytics::forecast {

enum class Interpolation {
  kStep,    // the rate of the nearest knot at or below the score
  kLinear,  // linear between neighbouring knots
};

struct IsotonicOptions {
  Interpolation interpolation = Interpolation::kLinear;
  // Calibrated probabilities are clamped to [epsilon, 1 − epsilon]: an empirical rate of 0 or 1
  // from a few deals must not become certainty. REQUIRES 0 <= epsilon < 0.5.
  double epsilon = 1e-6;
};

// A fitted isotonic map: knots with non-decreasing scores and rates. Each pooled block of the
// fit contributes its lowest and (if different) highest score with the block's rate, so the
// map is flat within a block and interpolated between blocks.
struct IsotonicCalibration {
  std::vector<double> knots;  // strictly increasing scores
  std::vector<double> rates;  // non-decreasing, unclamped fitted rates at the knots
  Interpolation interpolation = Interpolation::kLinear;
  double epsilon = 1e-6;
};

// Weighted isotonic (non-decreasing) least-squares fit of outcomes (0/1) on scores by
// pool-adjacent-violators. Scores may be any finite numbers (probabilities or log-odds); equal
// scores are pooled first, so the fit does not depend on the order of ties. Weights: empty means
// all 1; zero-weight rows are ignored. kInvalidArgument for empty or mismatched input, a
// non-finite score, an outcome other than 0/1, a negative or non-finite weight, zero total
// weight or epsilon outside [0, 0.5). Thread-safe (pure function).
Result<IsotonicCalibration> FitIsotonic(std::span<const double> scores,
                                        std::span<const double> outcomes,
                                        std::span<const double> weights = {},
                                        const IsotonicOptions& options = {});

// The calibrated probability of `score`: the rate at the first knot below the knots, at the last
// above them, otherwise by the calibration's interpolation; clamped to [epsilon, 1 − epsilon].
// kInvalidArgument for a non-finite score.
Result<double> Calibrate(const IsotonicCalibration& calibration, double score);

struct PlattOptions {
  // Scores are clamped to [epsilon, 1 − epsilon] before taking logit, so 0 and 1 stay finite.
  double epsilon = 1e-6;
  // L2 penalty on the slope (on the standardised logit scale, as in FitLogistic). 0 is plain
  // maximum likelihood, which fails with kFailedPrecondition when the scores separate the
  // outcomes.
  double lambda = 0;
};

// p = σ(slope · logit(score) + intercept). Identity when slope = 1 and intercept = 0.
struct PlattCalibration {
  double slope = 1;
  double intercept = 0;
  double epsilon = 1e-6;
};

// Fits slope and intercept by weighted maximum likelihood (FitLogistic on one feature). Scores
// are probabilities in [0, 1]. Plain Platt: targets are the 0/1 outcomes (no (n₊ + 1)/(n₊ + 2)
// smoothing). Errors as FitLogistic, and kInvalidArgument for a score outside [0, 1] or epsilon
// outside (0, 0.5).
Result<PlattCalibration> FitPlatt(std::span<const double> scores, std::span<const double> outcomes,
                                  std::span<const double> weights = {},
                                  const PlattOptions& options = {});

// kInvalidArgument for a score that is not a number in [0, 1].
Result<double> Calibrate(const PlattCalibration& calibration, double score);

// Which calibration to use for scores in time order (DESIGN.md section 3, small data): Platt when
// there are fewer than `isotonic_from` examples; otherwise each is fitted on all but one of
// `folds` contiguous (time-ordered) folds and scored (Brier) on the fold left out, and isotonic
// is chosen only when its mean Brier score is lower. The chosen map is then fitted on all
// examples.
struct CalibrationChoiceOptions {
  int64_t isotonic_from = 500;
  int folds = 5;
  double platt_lambda = 0.01;  // a light penalty, so that separating scores still give a curve
};
struct CalibrationSelection {
  bool isotonic = false;         // else Platt
  bool cross_validated = false;  // false: too few examples for isotonic, Platt without a test
  double brier_platt = -1, brier_isotonic = -1;  // cross-validated, when measured
  PlattCalibration platt;                        // when !isotonic
  IsotonicCalibration isotonic_map;              // when isotonic
};
// Errors as FitPlatt, or kInvalidArgument for folds < 2 or mismatched input.
Result<CalibrationSelection> SelectCalibration(std::span<const double> scores,
                                               std::span<const double> outcomes,
                                               const CalibrationChoiceOptions& options = {});

}  // namespace salesbox::analytics::forecast

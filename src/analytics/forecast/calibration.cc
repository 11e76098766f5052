// SPDX-License-Identifier: MIT
// Design notes: isotonic regression by pool-adjacent-violators (PAV) and Platt scaling.
//
// Isotonic: sort the rows by score, merge equal scores into one point (weight Σw, rate
// Σwy / Σw), then sweep left to right keeping a stack of blocks; a new point is pushed and,
// while the block below it has a higher rate, the two are pooled (rates combine by weight).
// Invariants: (1) block rates strictly increase up the stack, so the fit is non-decreasing;
// (2) each block's rate is the weighted mean outcome of its rows, which is what makes the fit
// the weighted least-squares one; (3) ties never straddle blocks. O(n log n) for the sort, O(n)
// for the sweep.
//
// Platt: logistic regression of the outcome on logit(score) (Platt 1999, without the target
// smoothing); with slope a and intercept b, p = σ(a logit(s) + b).
#include "analytics/forecast/calibration.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "analytics/forecast/logistic.h"
#include "common/status_macros.h"

namespace salesbox::analytics::forecast {
namespace {

Status ValidateRows(std::string_view what, std::span<const double> scores,
                    std::span<const double> outcomes, std::span<const double> weights) {
  const std::string prefix(what);
  if (scores.empty()) return Status::InvalidArgument(prefix + ": no examples");
  if (scores.size() != outcomes.size()) {
    return Status::InvalidArgument(prefix + ": " + std::to_string(scores.size()) + " scores for " +
                                   std::to_string(outcomes.size()) + " outcomes");
  }
  if (!weights.empty() && weights.size() != scores.size()) {
    return Status::InvalidArgument(prefix + ": " + std::to_string(weights.size()) +
                                   " weights for " + std::to_string(scores.size()) + " scores");
  }
  double total = 0;
  for (size_t i = 0; i < scores.size(); ++i) {
    if (!std::isfinite(scores[i])) {
      return Status::InvalidArgument(prefix + ": score " + std::to_string(i) +
                                     " is not a finite number");
    }
    if (outcomes[i] != 0.0 && outcomes[i] != 1.0) {
      return Status::InvalidArgument(prefix + ": outcome " + std::to_string(i) + " is not 0 or 1");
    }
    if (!weights.empty() && !(std::isfinite(weights[i]) && weights[i] >= 0)) {
      return Status::InvalidArgument(prefix + ": weight " + std::to_string(i) +
                                     " is negative or not finite");
    }
    total += weights.empty() ? 1.0 : weights[i];
  }
  if (!(total > 0)) return Status::InvalidArgument(prefix + ": the weights sum to 0");
  return Status::Ok();
}

struct Block {
  double first_score;
  double last_score;
  double weight;
  double weighted_outcomes;
  double rate() const { return weighted_outcomes / weight; }
};

// Points of equal score merged, in increasing score order; zero-weight rows dropped.
std::vector<Block> PooledTies(std::span<const double> scores, std::span<const double> outcomes,
                              std::span<const double> weights) {
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  std::vector<Block> points;
  for (size_t i : order) {
    const double w = weights.empty() ? 1.0 : weights[i];
    if (w == 0) continue;
    if (!points.empty() && points.back().first_score == scores[i]) {
      points.back().weight += w;
      points.back().weighted_outcomes += w * outcomes[i];
    } else {
      points.push_back({scores[i], scores[i], w, w * outcomes[i]});
    }
  }
  return points;
}

std::vector<Block> PoolAdjacentViolators(const std::vector<Block>& points) {
  std::vector<Block> stack;
  stack.reserve(points.size());
  for (const Block& point : points) {
    stack.push_back(point);
    while (stack.size() >= 2 && stack[stack.size() - 2].rate() > stack.back().rate()) {
      const Block top = stack.back();
      stack.pop_back();
      Block& below = stack.back();
      below.last_score = top.last_score;
      below.weight += top.weight;
      below.weighted_outcomes += top.weighted_outcomes;
    }
  }
  return stack;
}

double Logit(double p) { return std::log(p / (1 - p)); }

}  // namespace

Result<IsotonicCalibration> FitIsotonic(std::span<const double> scores,
                                        std::span<const double> outcomes,
                                        std::span<const double> weights,
                                        const IsotonicOptions& options) {
  SB_RETURN_IF_ERROR(ValidateRows("isotonic calibration", scores, outcomes, weights));
  if (!(options.epsilon >= 0 && options.epsilon < 0.5)) {
    return Status::InvalidArgument("isotonic calibration: epsilon must be in [0, 0.5)");
  }
  IsotonicCalibration out;
  out.interpolation = options.interpolation;
  out.epsilon = options.epsilon;
  for (const Block& block : PoolAdjacentViolators(PooledTies(scores, outcomes, weights))) {
    out.knots.push_back(block.first_score);
    out.rates.push_back(block.rate());
    if (block.last_score > block.first_score) {
      out.knots.push_back(block.last_score);
      out.rates.push_back(block.rate());
    }
  }
  return out;
}

Result<double> Calibrate(const IsotonicCalibration& calibration, double score) {
  if (!std::isfinite(score)) {
    return Status::InvalidArgument("isotonic calibration: the score is not a finite number");
  }
  const std::vector<double>& knots = calibration.knots;
  const std::vector<double>& rates = calibration.rates;
  if (knots.empty() || knots.size() != rates.size()) {
    return Status::InvalidArgument("isotonic calibration: the calibration has no knots");
  }
  // First knot strictly above the score; the one before it is at or below.
  const size_t above =
      static_cast<size_t>(std::upper_bound(knots.begin(), knots.end(), score) - knots.begin());
  double rate;
  if (above == 0) {
    rate = rates.front();
  } else if (above == knots.size()) {
    rate = rates.back();
  } else if (calibration.interpolation == Interpolation::kStep) {
    rate = rates[above - 1];
  } else {
    const double t = (score - knots[above - 1]) / (knots[above] - knots[above - 1]);
    rate = rates[above - 1] + t * (rates[above] - rates[above - 1]);
  }
  return std::clamp(rate, calibration.epsilon, 1 - calibration.epsilon);
}

Result<PlattCalibration> FitPlatt(std::span<const double> scores, std::span<const double> outcomes,
                                  std::span<const double> weights, const PlattOptions& options) {
  SB_RETURN_IF_ERROR(ValidateRows("platt calibration", scores, outcomes, weights));
  if (!(options.epsilon > 0 && options.epsilon < 0.5)) {
    return Status::InvalidArgument("platt calibration: epsilon must be in (0, 0.5)");
  }
  std::vector<double> logits(scores.size());
  for (size_t i = 0; i < scores.size(); ++i) {
    if (scores[i] < 0 || scores[i] > 1) {
      return Status::InvalidArgument("platt calibration: score " + std::to_string(i) +
                                     " is not in [0, 1]");
    }
    logits[i] = Logit(std::clamp(scores[i], options.epsilon, 1 - options.epsilon));
  }
  LogisticOptions fit_options;
  fit_options.lambda = options.lambda;
  Result<LogisticModel> model =
      FitLogistic(FeatureMatrix{logits, static_cast<int64_t>(logits.size()), 1}, outcomes, weights,
                  fit_options);
  if (!model.ok()) return model.status().WithContext("platt calibration");
  return PlattCalibration{model->coefficients[0], model->intercept, options.epsilon};
}

Result<double> Calibrate(const PlattCalibration& calibration, double score) {
  if (!(score >= 0 && score <= 1)) {
    return Status::InvalidArgument("platt calibration: the score is not a number in [0, 1]");
  }
  const double s = std::clamp(score, calibration.epsilon, 1 - calibration.epsilon);
  return Sigmoid(calibration.slope * Logit(s) + calibration.intercept);
}

Result<CalibrationSelection> SelectCalibration(std::span<const double> scores,
                                               std::span<const double> outcomes,
                                               const CalibrationChoiceOptions& options) {
  if (scores.size() != outcomes.size()) {
    return Status::InvalidArgument("calibration: scores and outcomes differ in length");
  }
  if (options.folds < 2) return Status::InvalidArgument("calibration: fewer than 2 folds");
  PlattOptions platt;
  platt.lambda = options.platt_lambda;
  CalibrationSelection out;
  const size_t n = scores.size();
  if (static_cast<int64_t>(n) >= options.isotonic_from) {
    out.cross_validated = true;
    double platt_sum = 0, isotonic_sum = 0;
    const size_t folds = static_cast<size_t>(options.folds);
    for (size_t k = 0; k < folds; ++k) {
      const size_t from = n * k / folds, to = n * (k + 1) / folds;
      std::vector<double> fit_scores, fit_outcomes;
      fit_scores.reserve(n - (to - from));
      fit_outcomes.reserve(n - (to - from));
      for (size_t i = 0; i < n; ++i) {
        if (i >= from && i < to) continue;
        fit_scores.push_back(scores[i]);
        fit_outcomes.push_back(outcomes[i]);
      }
      SB_ASSIGN_OR_RETURN(PlattCalibration p, FitPlatt(fit_scores, fit_outcomes, {}, platt));
      Result<IsotonicCalibration> iso = FitIsotonic(fit_scores, fit_outcomes);
      for (size_t i = from; i < to; ++i) {
        SB_ASSIGN_OR_RETURN(double a, Calibrate(p, scores[i]));
        platt_sum += (a - outcomes[i]) * (a - outcomes[i]);
        Result<double> b = iso.ok() ? Calibrate(*iso, scores[i]) : Result<double>(1.0);
        isotonic_sum += b.ok() ? (*b - outcomes[i]) * (*b - outcomes[i]) : 1.0;
      }
    }
    out.brier_platt = platt_sum / static_cast<double>(n);
    out.brier_isotonic = isotonic_sum / static_cast<double>(n);
    out.isotonic = out.brier_isotonic < out.brier_platt;
  }
  if (out.isotonic) {
    SB_ASSIGN_OR_RETURN(out.isotonic_map, FitIsotonic(scores, outcomes));
  } else {
    SB_ASSIGN_OR_RETURN(out.platt, FitPlatt(scores, outcomes, {}, platt));
  }
  return out;
}

}  // namespace salesbox::analytics::forecast

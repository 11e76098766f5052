// SPDX-License-Identifier: MIT
// L2-regularised logistic regression: the win-probability model of the evidence-based forecast
// (DESIGN.md section 3), fitted by Newton/IRLS on closed opportunities seen as they were, and a
// per-feature breakdown of one prediction so a page can list the factors that move a deal most.
//
// Features are standardised internally (mean 0, sd 1 over the weighted training rows), so one
// penalty `lambda` means the same for an amount in øre and a 0/1 flag; the coefficients are also
// reported on the original scale. The intercept is never penalised.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/result.h"

namespace salesbox::analytics::forecast {

// A dense row-major matrix that the caller owns: row i is values[i * cols, (i + 1) * cols).
struct FeatureMatrix {
  std::span<const double> values;
  int64_t rows = 0;
  int64_t cols = 0;
};

struct LogisticOptions {
  // Penalty on the standardised coefficients: the fit maximises
  //   Σ w_i [y_i ln p_i + (1 − y_i) ln(1 − p_i)] − (lambda / 2) Σ_j β_j²   (β standardised).
  // 0 is plain maximum likelihood, which does not exist for separable data (see FitLogistic).
  double lambda = 1.0;
  int max_iterations = 100;
  // Converged when the Newton decrement g'H⁻¹g / 2 (the predicted gain of the next full step)
  // is at most this. Newton converges quadratically, so this costs one extra iteration at most.
  double tolerance = 1e-14;
};

struct LogisticModel {
  // Original scale: logit p(x) = intercept + Σ_j coefficients[j] · x_j.
  double intercept = 0;
  std::vector<double> coefficients;
  // Standardised scale: logit p(x) = standardized_intercept + Σ_j standardized[j] · z_j with
  // z_j = (x_j − means[j]) / sds[j]. standardized_intercept is the log-odds at the mean row.
  double standardized_intercept = 0;
  std::vector<double> standardized_coefficients;
  std::vector<double> means;  // weighted training means
  std::vector<double> sds;    // weighted training sds (population); 0 for a constant column
  double lambda = 0;
  int iterations = 0;                   // Newton steps taken
  int step_halvings = 0;                // times a step was halved (diagnostic)
  double log_likelihood = 0;            // Σ w_i ln P(y_i) at the optimum
  double penalized_log_likelihood = 0;  // log_likelihood − (lambda / 2) Σ_j standardized[j]²
};

// Fits the model to rows of `x` with labels `labels` (each 0 or 1) and optional non-negative
// weights (empty: all 1; a weight w counts like w copies of the row). A constant column (sd 0
// over the rows with positive weight) gets coefficient 0 and no contribution.
// Errors:
//   kInvalidArgument    empty or mismatched input, a non-finite feature, a label other than 0/1,
//                       a negative or non-finite weight, zero total weight, lambda < 0 or not
//                       finite, max_iterations < 1;
//   kFailedPrecondition only one class has positive weight (the unpenalised intercept would be
//                       infinite); with lambda = 0, classes that are (quasi-)separable: no finite
//                       maximum-likelihood estimate exists, so rather than return a huge θ this
//                       is an error (use lambda > 0). Detected as Newton converging only
//                       geometrically (θ drifting to infinity), a singular Newton system, or a
//                       standardised coefficient beyond ±10⁴; also max_iterations reached
//                       without convergence.
// Thread-safe (pure function). Memory: O(k²) plus a block of 4096 rows; x is not copied.
Result<LogisticModel> FitLogistic(const FeatureMatrix& x, std::span<const double> labels,
                                  std::span<const double> weights = {},
                                  const LogisticOptions& options = {});

// P(win) for one row of features. kInvalidArgument for a size other than the model's feature
// count or a non-finite feature.
Result<double> PredictProbability(const LogisticModel& model, std::span<const double> features);

// P(win) for every row of `x`, written to `out` (same number of rows). kInvalidArgument as above.
Status PredictProbabilities(const LogisticModel& model, const FeatureMatrix& x,
                            std::span<double> out);

// Why one prediction is what it is, on the log-odds scale:
//   log_odds = base_log_odds + Σ_j contributions[j],
//   contributions[j] = coefficients[j] · (x_j − means[j]),
// so a positive contribution pushes this deal above an average training deal. Sort the indices
// by contribution to list the top factors up and down.
struct PredictionBreakdown {
  double base_log_odds = 0;  // the log-odds of the mean training row
  std::vector<double> contributions;
  double log_odds = 0;
  double probability = 0;
};
Result<PredictionBreakdown> ExplainPrediction(const LogisticModel& model,
                                              std::span<const double> features);

// The logistic function 1 / (1 + e^−t), computed without overflow.
double Sigmoid(double t);

}  // namespace salesbox::analytics::forecast

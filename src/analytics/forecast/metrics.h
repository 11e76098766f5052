// SPDX-License-Identifier: MIT
// Backtest metrics for win probabilities (DESIGN.md section 3): Brier score, log loss, AUC and
// a reliability table, so the model, the reps' own probabilities and the stage defaults can be
// compared on the same closed deals.
//
// Every function takes predicted probabilities p_i in [0, 1] and outcomes y_i in {0, 1} of the
// same, non-zero length, and returns kInvalidArgument (naming the index) otherwise, or for a NaN.
// All are pure functions and thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace salesbox::analytics::forecast {

// (1/n) Σ (p_i − y_i)²: 0 is perfect, 0.25 is always saying 0.5.
Result<double> BrierScore(std::span<const double> predicted, std::span<const double> outcomes);

// −(1/n) Σ [y_i ln p_i + (1 − y_i) ln(1 − p_i)] with p clipped to [kLogLossClip, 1 − kLogLossClip]
// so a confident miss costs about 34.5 instead of infinity.
inline constexpr double kLogLossClip = 1e-15;
Result<double> LogLoss(std::span<const double> predicted, std::span<const double> outcomes);

// Area under the ROC curve by Mann–Whitney: the share of (won, lost) pairs in which the won deal
// has the higher probability, ties counting 1/2. O(n log n). kFailedPrecondition when only one
// class occurs (the AUC is undefined).
Result<double> Auc(std::span<const double> predicted, std::span<const double> outcomes);

// One bin of a reliability diagram. An empty bin has count 0 and zero means (never NaN).
struct ReliabilityBin {
  double lower = 0;  // bin i covers [i/10, (i+1)/10); the last also includes 1.0
  double upper = 0;
  int64_t count = 0;
  double mean_predicted = 0;
  double observed_rate = 0;  // share of outcomes 1
};
inline constexpr int kReliabilityBins = 10;

// kReliabilityBins equal-width bins over [0, 1] by predicted probability.
Result<std::vector<ReliabilityBin>> ReliabilityTable(std::span<const double> predicted,
                                                     std::span<const double> outcomes);

// The checks shared by the metrics (and calibration): equal non-zero lengths, every p_i finite in
// [0, 1], every y_i exactly 0 or 1. `what` prefixes the message ("brier score").
Status ValidateProbabilitiesAndOutcomes(std::string_view what, std::span<const double> predicted,
                                        std::span<const double> outcomes);

}  // namespace salesbox::analytics::forecast

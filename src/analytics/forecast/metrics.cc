// SPDX-License-Identifier: MIT
// Design notes: the backtest metrics.
//  (1) AUC = (R₁ − n₁(n₁ + 1)/2) / (n₁ n₀), R₁ the sum of the mid-ranks of the won deals after
//      sorting by p; mid-ranks make a tie between a won and a lost deal count 1/2.
//  (2) reliability bin of p is the largest i with p >= i/10 (i <= 9), comparing against the same
//      edges i/10.0 that are reported, so 0.3 falls in [0.3, 0.4) although 0.3 × 10 rounds up.
#include "analytics/forecast/metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "common/status_macros.h"

namespace salesbox::analytics::forecast {

Status ValidateProbabilitiesAndOutcomes(std::string_view what, std::span<const double> predicted,
                                        std::span<const double> outcomes) {
  const std::string prefix(what);
  if (predicted.empty()) return Status::InvalidArgument(prefix + ": no examples");
  if (predicted.size() != outcomes.size()) {
    return Status::InvalidArgument(prefix + ": " + std::to_string(predicted.size()) +
                                   " probabilities for " + std::to_string(outcomes.size()) +
                                   " outcomes");
  }
  for (size_t i = 0; i < predicted.size(); ++i) {
    // !(in range) also rejects NaN.
    if (!(predicted[i] >= 0.0 && predicted[i] <= 1.0)) {
      return Status::InvalidArgument(prefix + ": probability " + std::to_string(i) +
                                     " is not a number in [0, 1]");
    }
    if (outcomes[i] != 0.0 && outcomes[i] != 1.0) {
      return Status::InvalidArgument(prefix + ": outcome " + std::to_string(i) + " is not 0 or 1");
    }
  }
  return Status::Ok();
}

Result<double> BrierScore(std::span<const double> predicted, std::span<const double> outcomes) {
  SB_RETURN_IF_ERROR(ValidateProbabilitiesAndOutcomes("brier score", predicted, outcomes));
  double sum = 0;
  for (size_t i = 0; i < predicted.size(); ++i) {
    sum += (predicted[i] - outcomes[i]) * (predicted[i] - outcomes[i]);
  }
  return sum / static_cast<double>(predicted.size());
}

Result<double> LogLoss(std::span<const double> predicted, std::span<const double> outcomes) {
  SB_RETURN_IF_ERROR(ValidateProbabilitiesAndOutcomes("log loss", predicted, outcomes));
  double sum = 0;
  for (size_t i = 0; i < predicted.size(); ++i) {
    // The probability given to what happened, clipped; 1 − p is exact where it matters (p near
    // 1), so a certain miss costs exactly −ln(kLogLossClip) either way round.
    const double p_outcome = outcomes[i] == 1.0 ? predicted[i] : 1 - predicted[i];
    sum -= std::log(std::clamp(p_outcome, kLogLossClip, 1 - kLogLossClip));
  }
  return sum / static_cast<double>(predicted.size());
}

Result<double> Auc(std::span<const double> predicted, std::span<const double> outcomes) {
  SB_RETURN_IF_ERROR(ValidateProbabilitiesAndOutcomes("auc", predicted, outcomes));
  const size_t n = predicted.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return predicted[a] < predicted[b]; });
  double won_rank_sum = 0;
  double won = 0;
  for (size_t begin = 0; begin < n;) {
    size_t end = begin;
    double won_in_tie = 0;
    while (end < n && predicted[order[end]] == predicted[order[begin]]) {
      won_in_tie += outcomes[order[end]];
      ++end;
    }
    // Ranks begin + 1 … end share their mean.
    const double mid_rank = 0.5 * static_cast<double>(begin + 1 + end);
    won_rank_sum += won_in_tie * mid_rank;
    won += won_in_tie;
    begin = end;
  }
  const double lost = static_cast<double>(n) - won;
  if (won == 0 || lost == 0) {
    return Status::FailedPrecondition("auc: needs both won and lost examples");
  }
  return (won_rank_sum - won * (won + 1) / 2) / (won * lost);
}

Result<std::vector<ReliabilityBin>> ReliabilityTable(std::span<const double> predicted,
                                                     std::span<const double> outcomes) {
  SB_RETURN_IF_ERROR(ValidateProbabilitiesAndOutcomes("reliability table", predicted, outcomes));
  std::vector<ReliabilityBin> bins(kReliabilityBins);
  for (int i = 0; i < kReliabilityBins; ++i) {
    bins[i].lower = i / 10.0;
    bins[i].upper = (i + 1) / 10.0;
  }
  for (size_t k = 0; k < predicted.size(); ++k) {
    const double p = predicted[k];
    int i = std::min(static_cast<int>(p * kReliabilityBins), kReliabilityBins - 1);
    if (i < kReliabilityBins - 1 && p >= bins[i + 1].lower) ++i;
    if (i > 0 && p < bins[i].lower) --i;
    bins[i].count += 1;
    bins[i].mean_predicted += p;
    bins[i].observed_rate += outcomes[k];
  }
  for (ReliabilityBin& bin : bins) {
    if (bin.count == 0) continue;
    bin.mean_predicted /= static_cast<double>(bin.count);
    bin.observed_rate /= static_cast<double>(bin.count);
  }
  return bins;
}

}  // namespace salesbox::analytics::forecast

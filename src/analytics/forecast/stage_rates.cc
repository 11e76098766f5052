// SPDX-License-Identifier: MIT
// Design notes: Beta-binomial shrinkage. With prior Beta(m p0, m (1 − p0)) and w wins of n
// closed deals, the posterior is Beta(w + m p0, n − w + m (1 − p0)) with mean
// (w + m p0) / (n + m): a weighted average of the empirical rate w/n (weight n) and p0 (weight m).
// Invariants: (1) the rate lies between w/n and p0; (2) n = 0 gives p0; (3) m = 0 gives w/n.
#include "analytics/forecast/stage_rates.h"

#include <cmath>
#include <string>

namespace salesbox::analytics::forecast {

Result<std::vector<StageRate>> StageWinRates(std::span<const StageHistory> stages,
                                             const StageRateOptions& options) {
  if (stages.empty()) return Status::InvalidArgument("stage rates: no stages");
  const double m = options.prior_strength;
  if (!(std::isfinite(m) && m >= 0)) {
    return Status::InvalidArgument("stage rates: prior strength must be finite and >= 0");
  }
  std::vector<StageRate> out;
  out.reserve(stages.size());
  for (size_t i = 0; i < stages.size(); ++i) {
    const StageHistory& s = stages[i];
    const std::string name = "stage rates: stage " + std::to_string(i);
    if (s.won < 0 || s.closed < s.won) {
      return Status::InvalidArgument(name + ": needs 0 <= won <= closed (won " +
                                     std::to_string(s.won) + ", closed " +
                                     std::to_string(s.closed) + ")");
    }
    if (!(s.default_rate >= 0 && s.default_rate <= 1)) {
      return Status::InvalidArgument(name + ": default rate is not a number in [0, 1]");
    }
    StageRate rate;
    rate.won = s.won;
    rate.closed = s.closed;
    rate.alpha = static_cast<double>(s.won) + m * s.default_rate;
    rate.beta = static_cast<double>(s.closed - s.won) + m * (1 - s.default_rate);
    const double n = static_cast<double>(s.closed) + m;
    rate.rate = n > 0 ? rate.alpha / n : s.default_rate;
    out.push_back(rate);
  }
  return out;
}

}  // namespace salesbox::analytics::forecast

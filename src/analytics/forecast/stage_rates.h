// SPDX-License-Identifier: MIT
// The little-history fallback of the forecast (DESIGN.md section 3): with few closed deals (under
// about 200) a fitted model is not trustworthy, so each stage's win probability is its empirical
// win rate shrunk towards a default rate for the stage by a Beta prior. A stage with no history
// gets its default; a stage with much history gets close to its own rate.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/result.h"

namespace salesbox::analytics::forecast {

// Below this many closed deals the forecast uses stage rates and says so.
inline constexpr int64_t kLittleHistoryClosedDeals = 200;
inline bool IsLittleHistory(int64_t closed_deals) {
  return closed_deals < kLittleHistoryClosedDeals;
}

// One stage's history: of `closed` deals that were in the stage, `won` were won.
struct StageHistory {
  int64_t won = 0;
  int64_t closed = 0;
  double default_rate = 0;  // the prior mean p0 for the stage, e.g. 0.1 (lead) … 0.8 (commit)
};

struct StageRateOptions {
  // m: how many pseudo-deals the default is worth (Beta(m p0, m (1 − p0)) prior).
  double prior_strength = 10;
};

struct StageRate {
  double rate = 0;  // posterior mean (won + m p0) / (closed + m); p0 when closed + m = 0
  // The posterior Beta(alpha, beta), for a caller that wants an interval.
  double alpha = 0;  // won + m p0
  double beta = 0;   // closed − won + m (1 − p0)
  int64_t won = 0;
  int64_t closed = 0;
};

// One StageRate per stage, in order. kInvalidArgument (naming the stage index) for an empty
// list, won < 0, closed < won, a default rate that is not a number in [0, 1], or a prior strength
// that is negative or not finite. Thread-safe (pure function).
Result<std::vector<StageRate>> StageWinRates(std::span<const StageHistory> stages,
                                             const StageRateOptions& options = {});

}  // namespace salesbox::analytics::forecast

// SPDX-License-Identifier: MIT
// The per-rep optimism index (DESIGN.md section 3): how far a rep's stated win probabilities run
// above what actually happened on comparable closed deals. Positive means optimistic. Shown with
// a 95% confidence interval so a manager does not read noise from a handful of deals as a habit.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/result.h"

namespace salesbox::analytics::forecast {

// One closed deal as the rep saw it: the probability they stated and how it ended.
struct StatedOutcome {
  int64_t rep = 0;                // the rep's id
  double stated_probability = 0;  // in [0, 1]
  double outcome = 0;             // 1 won, 0 lost
};

struct ConfidenceInterval {
  double lower = 0;
  double upper = 0;
};

struct RepOptimism {
  int64_t rep = 0;
  int64_t examples = 0;    // n
  double mean_stated = 0;  // mean stated probability
  double win_rate = 0;     // realised win rate
  double optimism = 0;     // mean_stated − win_rate = mean of d_i = stated_i − outcome_i
  // 95% interval mean(d) ± t_{0.975, n−1} · sd(d) / √n (sd with n − 1), Student t for every n,
  // not a normal approximation above 30. Empty when n < 2; zero width when all d_i are equal.
  std::optional<ConfidenceInterval> interval;
};

// One RepOptimism per rep, in increasing rep id. kInvalidArgument (naming the example index) for
// no examples, a stated probability that is not a number in [0, 1] or an outcome other than 0/1.
// Thread-safe (pure function).
Result<std::vector<RepOptimism>> OptimismByRep(std::span<const StatedOutcome> examples);

}  // namespace salesbox::analytics::forecast

// SPDX-License-Identifier: MIT
// The random draws of the Monte Carlo roll-up (monte_carlo.h, kept_simulation.h): counter-based,
// so deal d's uniform in trial t is a pure function of (seed, d's stream, t). Any set of deals
// then has the same trials whatever else is simulated beside it, in whatever order: a total can
// be kept and corrected deal by deal, and a team's range equals the team's deals simulated alone.
// Internal to salesbox_forecast.
#pragma once

#include <cstddef>
#include <cstdint>

namespace salesbox::analytics::forecast::internal {

// A deal's stream, hashed with the seed into the two 32-bit keys of its draws.
struct StreamKey {
  uint32_t lo = 0;
  uint32_t hi = 0;
};
StreamKey KeyOf(uint64_t seed, uint64_t stream);

// A win probability q as a threshold on a 32-bit uniform: 0 never wins, kAlways always wins, a
// value in [1, 2³² − 1] wins iff u < threshold (q rounded to a multiple of 2⁻³²).
inline constexpr uint64_t kAlways = uint64_t{1} << 32;
uint64_t ThresholdOf(double q);

// The uniform of `key` in trial `trial` (what AddDraws compares; for tests).
uint32_t Uniform(StreamKey key, uint32_t trial);

// For i in [0, count): adds `amount` (may be negative, to take a deal out) to rows[r][i] for every
// r < row_count where Uniform(key, first + i) < threshold. count is a multiple of 8;
// threshold in [1, 2³² − 1]. Branch-free; compiled for AVX2 and the baseline ISA alike (the same
// results).
void AddDraws(StreamKey key, uint32_t threshold, int64_t amount, uint32_t first, size_t count,
              int64_t* const* rows, size_t row_count);

// Trials rounded up to the kernel's width (the rows hold this many; the extra ones are ignored).
inline size_t PaddedTrials(int64_t trials) {
  return (static_cast<size_t>(trials) + 7) & ~size_t{7};
}

}  // namespace salesbox::analytics::forecast::internal

// SPDX-License-Identifier: MIT
// Design notes: the Monte Carlo roll-up.
//
// Model: deal i adds amount_i iff W_i ∧ ¬S_i, W_i ~ Bernoulli(p_win), S_i ~ Bernoulli(p_slip),
// all independent. Only the conjunction matters, so each trial draws one Bernoulli(q_i),
// q_i = p_win (1 − p_slip), per deal: the same distribution with half the random numbers.
//
// Speed (10⁹ deal-draws for 10⁵ trials × 10⁴ deals, about 0.25 s on one AVX2 core): deals with
// q = 0 are dropped and deals with q = 1 folded into a constant; the rest are stored as arrays of
// thresholds round(q 2³²) in [1, 2³² − 1] and amounts, padded to a multiple of 16. Eight
// independent xoshiro256++ generators (Blackman & Vigna; shifts, xors and adds only, so they run
// as two 4-lane vectors) each give one 64-bit number per 16 deals, split into two 32-bit uniforms
// u; deal i is won iff u < threshold_i. The kernel is branch-free, uses GCC/Clang vector
// extensions and is compiled for AVX2 as well as the baseline ISA (target_clones picks one at
// load time; both give identical results).
//
// Invariants:
//  (1) the result depends only on the deals (in order), the groupings and the seed;
//  (2) every trial total is the sum of its group totals plus the ungrouped deals' amounts;
//  (3) expected values are exact (long double sums), not simulated;
//  (4) quantiles are nearest-rank (monte_carlo.h), by nth_element, O(trials) per quantile.
#include "analytics/forecast/monte_carlo.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "common/status_macros.h"

namespace salesbox::analytics::forecast {
namespace {

constexpr int64_t kMaxTrials = 100'000'000;
constexpr int64_t kMaxKeptTotals = 250'000'000;
constexpr size_t kLanes = 8;
constexpr size_t kDealsPerStep = 2 * kLanes;
constexpr double kQuantileTolerance = 1e-12;
constexpr int kPercents[3] = {10, 50, 90};

Status ValidateDeals(std::span<const Deal> deals) {
  int64_t sum = 0;
  for (size_t i = 0; i < deals.size(); ++i) {
    const Deal& d = deals[i];
    const std::string name = "forecast: deal " + std::to_string(i);
    if (d.amount_minor < 0) return Status::InvalidArgument(name + " has a negative amount");
    if (!(d.p_win >= 0 && d.p_win <= 1)) {
      return Status::InvalidArgument(name + ": p_win is not a number in [0, 1]");
    }
    if (!(d.p_slip >= 0 && d.p_slip <= 1)) {
      return Status::InvalidArgument(name + ": p_slip is not a number in [0, 1]");
    }
    if (d.amount_minor > std::numeric_limits<int64_t>::max() - sum) {
      return Status::InvalidArgument("forecast: the amounts add up beyond int64");
    }
    sum += d.amount_minor;
  }
  return Status::Ok();
}

Status ValidateGroupings(size_t deals, std::span<const DealGrouping> groupings, int64_t trials) {
  int64_t series = 1;
  for (size_t g = 0; g < groupings.size(); ++g) {
    const DealGrouping& grouping = groupings[g];
    const std::string name = "forecast: grouping " + std::to_string(g);
    if (grouping.group_count < 0) return Status::InvalidArgument(name + " has a negative count");
    if (grouping.group_of_deal.size() != deals) {
      return Status::InvalidArgument(name + " has " +
                                     std::to_string(grouping.group_of_deal.size()) +
                                     " group ids for " + std::to_string(deals) + " deals");
    }
    for (size_t i = 0; i < deals; ++i) {
      const int32_t id = grouping.group_of_deal[i];
      if (id < kNoGroup || id >= grouping.group_count) {
        return Status::InvalidArgument(name + ": deal " + std::to_string(i) + " has group " +
                                       std::to_string(id) + ", not in [-1, " +
                                       std::to_string(grouping.group_count) + ")");
      }
    }
    series += grouping.group_count;
  }
  if (series > kMaxKeptTotals / trials) {
    return Status::InvalidArgument("forecast: trials × (1 + groups) is above 2.5e8");
  }
  return Status::Ok();
}

double WinProbability(const Deal& d) { return d.p_win * (1 - d.p_slip); }

int64_t RoundMinor(long double value) { return static_cast<int64_t>(std::llround(value)); }

// The smallest total whose cumulative share reaches percent/100 (nearest rank), in O(n):
// reorders `totals`.
std::array<int64_t, 3> NearestRankQuantiles(std::span<int64_t> totals) {
  std::array<int64_t, 3> out{};
  const int64_t n = static_cast<int64_t>(totals.size());
  for (int k = 0; k < 3; ++k) {
    const int64_t rank = (kPercents[k] * n + 99) / 100;  // ⌈p n / 100⌉, >= 1
    std::nth_element(totals.begin(), totals.begin() + (rank - 1), totals.end());
    out[k] = totals[rank - 1];
  }
  return out;
}

uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Eight xoshiro256++ generators side by side (structure of arrays, for SIMD).
struct Generators {
  alignas(64) uint64_t s0[kLanes];
  alignas(64) uint64_t s1[kLanes];
  alignas(64) uint64_t s2[kLanes];
  alignas(64) uint64_t s3[kLanes];

  explicit Generators(uint64_t seed) {
    uint64_t state = seed;
    for (size_t j = 0; j < kLanes; ++j) {
      s0[j] = SplitMix64(state);
      s1[j] = SplitMix64(state);
      s2[j] = SplitMix64(state);
      s3[j] = SplitMix64(state);
    }
  }
};

// The random deals, padded to a multiple of kDealsPerStep with threshold 0 (never won).
struct DrawnDeals {
  std::vector<int64_t> thresholds;  // in [1, 2³² − 1]; int64 so the kernel compares in 64 bits
  std::vector<int64_t> amounts;
  std::vector<uint32_t> index;  // position in the caller's deals
  int64_t certain_minor = 0;    // Σ amount of deals with q = 1
};

DrawnDeals PrepareDeals(std::span<const Deal> deals) {
  DrawnDeals out;
  for (size_t i = 0; i < deals.size(); ++i) {
    const double q = WinProbability(deals[i]);
    if (q >= 1) {
      out.certain_minor += deals[i].amount_minor;
    } else if (q > 0 && deals[i].amount_minor > 0) {
      const double scaled = std::nearbyint(std::ldexp(q, 32));
      out.thresholds.push_back(static_cast<int64_t>(std::clamp(scaled, 1.0, 4294967295.0)));
      out.amounts.push_back(deals[i].amount_minor);
      out.index.push_back(static_cast<uint32_t>(i));
    }
  }
  while (out.thresholds.size() % kDealsPerStep != 0) {
    out.thresholds.push_back(0);
    out.amounts.push_back(0);
  }
  return out;
}

// Four 64-bit lanes (GCC/Clang vector extensions: one AVX2 register or two SSE2 ones).
using U64x4 = uint64_t __attribute__((vector_size(32)));
using I64x4 = int64_t __attribute__((vector_size(32)));

// Helpers are macros, not functions: a function taking or returning a vector type would not be
// inlined into both target clones and would change the ABI (-Wpsabi).
#define SB_FORECAST_LOAD(type, pointer, out) \
  type out;                                  \
  std::memcpy(&out, pointer, sizeof(out))
#define SB_FORECAST_STORE(pointer, value) std::memcpy(pointer, &(value), sizeof(value))
#define SB_FORECAST_ROTL(x, k) (((x) << (k)) | ((x) >> (64 - (k))))
// One xoshiro256++ step of four generators: r receives their outputs.
#define SB_FORECAST_XOSHIRO(r, s0, s1, s2, s3) \
  do {                                         \
    r = SB_FORECAST_ROTL(s0 + s3, 23) + s0;    \
    const U64x4 sb_forecast_t = s1 << 17;      \
    s2 ^= s0;                                  \
    s3 ^= s1;                                  \
    s1 ^= s2;                                  \
    s0 ^= s3;                                  \
    s2 ^= sb_forecast_t;                       \
    s3 = SB_FORECAST_ROTL(s3, 45);             \
  } while (false)
// Adds the amounts of the four deals at `at` whose uniform u is below their threshold.
#define SB_FORECAST_COUNT(u, at)                                           \
  do {                                                                     \
    SB_FORECAST_LOAD(I64x4, thresholds + (at), sb_forecast_threshold);     \
    SB_FORECAST_LOAD(I64x4, amounts + (at), sb_forecast_amount);           \
    const I64x4 sb_forecast_hit = (u) < sb_forecast_threshold;             \
    sums += sb_forecast_amount & sb_forecast_hit;                          \
    if constexpr (kRecord) {                                               \
      const I64x4 sb_forecast_kept = sb_forecast_amount & sb_forecast_hit; \
      SB_FORECAST_STORE(kept + (at), sb_forecast_kept);                    \
    }                                                                      \
  } while (false)

// One trial: Σ amount_i [u_i < threshold_i]. With kRecord, also writes every (padded) deal's
// contribution amount_i [u_i < threshold_i] to `kept` for the group totals. Generators 0..3
// and 4..7 run as two 4-lane vectors; each 64-bit output gives the uniforms of two deals (low and
// high half).
template <bool kRecord>
__attribute__((target_clones("avx2", "default"))) int64_t RunTrial(Generators& g,
                                                                   const int64_t* thresholds,
                                                                   const int64_t* amounts,
                                                                   size_t padded, int64_t* kept) {
  SB_FORECAST_LOAD(U64x4, g.s0, a0);
  SB_FORECAST_LOAD(U64x4, g.s1, a1);
  SB_FORECAST_LOAD(U64x4, g.s2, a2);
  SB_FORECAST_LOAD(U64x4, g.s3, a3);
  SB_FORECAST_LOAD(U64x4, g.s0 + 4, b0);
  SB_FORECAST_LOAD(U64x4, g.s1 + 4, b1);
  SB_FORECAST_LOAD(U64x4, g.s2 + 4, b2);
  SB_FORECAST_LOAD(U64x4, g.s3 + 4, b3);
  I64x4 sums = {};
  for (size_t base = 0; base < padded; base += kDealsPerStep) {
    U64x4 ra, rb;
    SB_FORECAST_XOSHIRO(ra, a0, a1, a2, a3);
    SB_FORECAST_XOSHIRO(rb, b0, b1, b2, b3);
    // The 32-bit halves as non-negative int64 lanes, so one signed 64-bit compare decides.
    const U64x4 low = {0xffffffffULL, 0xffffffffULL, 0xffffffffULL, 0xffffffffULL};
    SB_FORECAST_COUNT((I64x4)(ra & low), base);
    SB_FORECAST_COUNT((I64x4)(ra >> 32), base + 4);
    SB_FORECAST_COUNT((I64x4)(rb & low), base + 8);
    SB_FORECAST_COUNT((I64x4)(rb >> 32), base + 12);
  }
  SB_FORECAST_STORE(g.s0, a0);
  SB_FORECAST_STORE(g.s1, a1);
  SB_FORECAST_STORE(g.s2, a2);
  SB_FORECAST_STORE(g.s3, a3);
  SB_FORECAST_STORE(g.s0 + 4, b0);
  SB_FORECAST_STORE(g.s1 + 4, b1);
  SB_FORECAST_STORE(g.s2 + 4, b2);
  SB_FORECAST_STORE(g.s3 + 4, b3);
  return sums[0] + sums[1] + sums[2] + sums[3];
}
#undef SB_FORECAST_LOAD
#undef SB_FORECAST_STORE
#undef SB_FORECAST_ROTL
#undef SB_FORECAST_XOSHIRO
#undef SB_FORECAST_COUNT

// A grouping prepared for the trials: the random deals (indices into DrawnDeals) sorted by
// group, so group k's deals are members[begin[k], begin[k + 1]) and each group total is a short
// run of independent loads and adds (no scatter, no branch), plus each group's certain amount
// and exact expected value.
struct PreparedGrouping {
  std::vector<uint32_t> members;
  std::vector<size_t> begin;  // group_count + 1 offsets into members
  std::vector<int64_t> certain_minor;
  std::vector<long double> expected;
};

PreparedGrouping PrepareGrouping(std::span<const Deal> deals, const DealGrouping& grouping,
                                 const DrawnDeals& drawn) {
  const size_t groups = static_cast<size_t>(grouping.group_count);
  PreparedGrouping out;
  out.certain_minor.assign(groups, 0);
  out.expected.assign(groups, 0.0L);
  for (size_t i = 0; i < deals.size(); ++i) {
    const int32_t g = grouping.group_of_deal[i];
    if (g == kNoGroup) continue;
    const double q = WinProbability(deals[i]);
    out.expected[g] += static_cast<long double>(deals[i].amount_minor) * q;
    if (q >= 1) out.certain_minor[g] += deals[i].amount_minor;
  }
  // Counting sort of the random deals by group.
  out.begin.assign(groups + 1, 0);
  for (uint32_t i : drawn.index) {
    const int32_t g = grouping.group_of_deal[i];
    if (g != kNoGroup) ++out.begin[static_cast<size_t>(g) + 1];
  }
  for (size_t k = 0; k < groups; ++k) out.begin[k + 1] += out.begin[k];
  out.members.resize(out.begin[groups]);
  std::vector<size_t> next(out.begin.begin(), out.begin.end() - 1);
  for (size_t d = 0; d < drawn.index.size(); ++d) {
    const int32_t g = grouping.group_of_deal[drawn.index[d]];
    if (g != kNoGroup) out.members[next[g]++] = static_cast<uint32_t>(d);
  }
  return out;
}

TotalSummary Summarize(long double expected, std::span<int64_t> totals) {
  const std::array<int64_t, 3> q = NearestRankQuantiles(totals);
  return TotalSummary{RoundMinor(expected), q[0], q[1], q[2]};
}

}  // namespace

Result<int64_t> ExpectedTotalMinor(std::span<const Deal> deals) {
  SB_RETURN_IF_ERROR(ValidateDeals(deals));
  long double sum = 0;
  for (const Deal& d : deals) sum += static_cast<long double>(d.amount_minor) * WinProbability(d);
  return RoundMinor(sum);
}

Result<MonteCarloForecast> SimulateForecast(std::span<const Deal> deals,
                                            const MonteCarloOptions& options,
                                            std::span<const DealGrouping> groupings) {
  SB_RETURN_IF_ERROR(ValidateDeals(deals));
  if (options.trials < 1 || options.trials > kMaxTrials) {
    return Status::InvalidArgument("forecast: trials must be in [1, 1e8]");
  }
  SB_RETURN_IF_ERROR(ValidateGroupings(deals.size(), groupings, options.trials));
  SB_ASSIGN_OR_RETURN(const int64_t expected, ExpectedTotalMinor(deals));

  const DrawnDeals drawn = PrepareDeals(deals);
  std::vector<PreparedGrouping> prepared;
  for (const DealGrouping& grouping : groupings) {
    prepared.push_back(PrepareGrouping(deals, grouping, drawn));
  }
  const size_t trials = static_cast<size_t>(options.trials);
  std::vector<int64_t> totals(trials);
  // group_totals[g][k * trials + t]: group k of grouping g in trial t.
  std::vector<std::vector<int64_t>> group_totals(groupings.size());
  for (size_t g = 0; g < groupings.size(); ++g) {
    group_totals[g].resize(static_cast<size_t>(groupings[g].group_count) * trials);
  }
  std::vector<int64_t> kept(groupings.empty() ? 0 : drawn.thresholds.size());

  Generators generators(options.seed);
  double mean = 0, m2 = 0;  // Welford
  for (size_t t = 0; t < trials; ++t) {
    const int64_t total =
        drawn.certain_minor +
        (kept.empty() ? RunTrial<false>(generators, drawn.thresholds.data(), drawn.amounts.data(),
                                        drawn.thresholds.size(), nullptr)
                      : RunTrial<true>(generators, drawn.thresholds.data(), drawn.amounts.data(),
                                       drawn.thresholds.size(), kept.data()));
    totals[t] = total;
    const double delta = static_cast<double>(total) - mean;
    mean += delta / static_cast<double>(t + 1);
    m2 += delta * (static_cast<double>(total) - mean);
    for (size_t g = 0; g < prepared.size(); ++g) {
      const PreparedGrouping& p = prepared[g];
      int64_t* out = group_totals[g].data();
      for (size_t k = 0; k + 1 < p.begin.size(); ++k) {
        int64_t sum = p.certain_minor[k];
        for (size_t m = p.begin[k]; m < p.begin[k + 1]; ++m) sum += kept[p.members[m]];
        out[k * trials + t] = sum;
      }
    }
  }

  MonteCarloForecast out;
  out.trials = options.trials;
  out.simulated_mean_minor = mean;
  out.simulated_sd_minor = std::sqrt(m2 / static_cast<double>(trials));
  out.total = Summarize(static_cast<long double>(expected), totals);
  out.groups.resize(groupings.size());
  for (size_t g = 0; g < groupings.size(); ++g) {
    for (size_t k = 0; k < prepared[g].expected.size(); ++k) {
      out.groups[g].push_back(
          Summarize(prepared[g].expected[k],
                    std::span<int64_t>(group_totals[g].data() + k * trials, trials)));
    }
  }
  return out;
}

Result<ExactForecast> ComputeExactForecast(std::span<const Deal> deals) {
  SB_RETURN_IF_ERROR(ValidateDeals(deals));
  if (deals.size() > static_cast<size_t>(kMaxExactDeals)) {
    return Status::InvalidArgument("exact forecast: " + std::to_string(deals.size()) +
                                   " deals; enumeration is limited to " +
                                   std::to_string(kMaxExactDeals));
  }
  SB_ASSIGN_OR_RETURN(const int64_t expected, ExpectedTotalMinor(deals));
  // Outcomes of the first k deals, doubled for each further deal: 2^n (total, probability).
  std::vector<std::pair<int64_t, double>> outcomes = {{0, 1.0}};
  outcomes.reserve(size_t{1} << deals.size());
  for (const Deal& d : deals) {
    const double q = WinProbability(d);
    const size_t half = outcomes.size();
    for (size_t k = 0; k < half; ++k) {
      outcomes.push_back({outcomes[k].first + d.amount_minor, outcomes[k].second * q});
      outcomes[k].second *= 1 - q;
    }
  }
  std::sort(outcomes.begin(), outcomes.end());
  ExactForecast out;
  for (const auto& [total, probability] : outcomes) {
    if (probability == 0) continue;  // impossible totals (a deal with q = 0 or 1)
    if (!out.totals.empty() && out.totals.back() == total) {
      out.probabilities.back() += probability;
    } else {
      out.totals.push_back(total);
      out.probabilities.push_back(probability);
    }
  }
  out.total.expected_minor = expected;
  int64_t* quantiles[3] = {&out.total.p10_minor, &out.total.p50_minor, &out.total.p90_minor};
  for (int k = 0; k < 3; ++k) {
    double cumulative = 0;
    for (size_t v = 0; v < out.totals.size(); ++v) {
      cumulative += out.probabilities[v];
      if (cumulative >= kPercents[k] / 100.0 - kQuantileTolerance || v + 1 == out.totals.size()) {
        *quantiles[k] = out.totals[v];
        break;
      }
    }
  }
  return out;
}

}  // namespace salesbox::analytics::forecast

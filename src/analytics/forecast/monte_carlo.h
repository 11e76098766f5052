// SPDX-License-Identifier: MIT
// The forecast roll-up (DESIGN.md section 3): the total a set of open deals in one currency may
// bring in a period, as an exact expected value plus P10/P50/P90 from a seeded Monte Carlo
// simulation in which each deal is won or not and may slip out of the period. Per-group totals
// (per rep, per team) come from the same trials, so they are consistent with the total.
// Splitting deals by currency is the caller's job: amounts in different currencies never add up.
//
// Quantiles are nearest-rank: P_q is the smallest total t with P(total <= t) >= q/100, for the
// simulated trials (the ⌈qN/100⌉-th smallest of N totals) and for the exact distribution alike.
// They are therefore always totals that can actually occur.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/result.h"

namespace salesbox::analytics::forecast {

struct Deal {
  int64_t amount_minor = 0;  // >= 0, in minor units of the roll-up's currency
  double p_win = 0;          // in [0, 1]
  double p_slip = 0;         // chance the close falls outside the period, in [0, 1]
  // Which random numbers the deal draws (callers pass the deal's id). Deals with distinct
  // streams are independent; two deals of one simulation may not share a stream.
  uint64_t stream = 0;
};

// One way of grouping the deals (by rep, by team, ...): group_of_deal[i] is deal i's group in
// [0, group_count), or kNoGroup. The span must outlive the call.
inline constexpr int32_t kNoGroup = -1;
struct DealGrouping {
  std::span<const int32_t> group_of_deal;
  int32_t group_count = 0;
};

struct MonteCarloOptions {
  int64_t trials = 100'000;  // in [1, 10^8]
  uint64_t seed = 1;         // same seed and input → identical result on every run and machine
};

struct TotalSummary {
  int64_t expected_minor = 0;  // exact Σ amount · p_win · (1 − p_slip), rounded half away from 0
  int64_t p10_minor = 0;
  int64_t p50_minor = 0;
  int64_t p90_minor = 0;
};

struct MonteCarloForecast {
  TotalSummary total;
  double simulated_mean_minor = 0;  // mean of the trial totals (a check on the simulation)
  double simulated_sd_minor = 0;    // their standard deviation (population)
  int64_t trials = 0;
  // groups[g][k]: group k of groupings[g], from the same trials as `total`.
  std::vector<std::vector<TotalSummary>> groups;
};

// Exact expected total Σ amount · p_win · (1 − p_slip), rounded to whole minor units.
// kInvalidArgument as SimulateForecast.
Result<int64_t> ExpectedTotalMinor(std::span<const Deal> deals);

// Runs options.trials trials; in each, deal i counts its amount iff it is won and does not slip
// (independently of the other deals and trials), i.e. with probability q_i = p_win (1 − p_slip).
// An empty deal set gives all zeros. Deals with q_i = 0 or 1 are not drawn; the others are drawn
// with 32-bit resolution (q_i rounded to a multiple of 2⁻³²).
// Errors (kInvalidArgument): a negative amount, a probability that is not a number in [0, 1],
// two deals with one stream, amounts whose sum overflows int64, trials outside [1, 10^8], a
// grouping whose size differs from the deals or with a group id outside [kNoGroup, group_count),
// or trials × (1 + Σ group_count) above 2.5·10⁸ (the totals kept for the quantiles would need
// more than 2 GB).
// Cost: O(trials × (deals + grouped deals)) time, trials × (1 + Σ group_count) × 8 bytes.
// Thread-safe (pure function).
Result<MonteCarloForecast> SimulateForecast(std::span<const Deal> deals,
                                            const MonteCarloOptions& options = {},
                                            std::span<const DealGrouping> groupings = {});

// A simulation kept between calls, so that a page made again after a write draws only the deals
// that changed (the server keeps one per page and currency). It holds the trial totals of a set
// of deals in `rows` rows (the fan: one row per week of closing).
//
//   KeptSimulation kept = KeptSimulation::Create(20'000, seed, 1).value();
//   kept.Assign(deals);                        // draws every deal
//   kept.Assign(deals_after_a_write);          // draws the changed deal twice (out, in)
//   TotalSummary range = kept.CumulativeSummaries()[0];
//
// After any sequence of Assign calls the trial totals equal those of SimulateForecast(deals,
// {trials, seed}) for the last deals (integer sums; the draws are counter-based), so the
// quantiles are the same; the expected value may differ in the last unit when rows are added up.
// Not thread-safe: one caller at a time.
class KeptSimulation {
 public:
  // kInvalidArgument for trials outside [1, 10^8] or rows outside [1, 2.5·10⁸ / trials].
  static Result<KeptSimulation> Create(int64_t trials, uint64_t seed, int32_t rows);

  // Makes the kept deals `deals`, deal i in row row_of[i] (empty: all in row 0). Draws the deals
  // added, removed or changed (amount, probability, row) since the last call, or all of them
  // when that is cheaper. Errors as SimulateForecast and for a row outside [0, rows); the kept
  // state is unchanged then. Cost: O(n log n) when the deals do not come sorted by stream, plus
  // trials per changed deal (2 × trials when it changed).
  Status Assign(std::span<const Deal> deals, std::span<const int32_t> row_of = {});

  // Element k: the range of the deals in rows 0..k together (exact expected value, nearest-rank
  // quantiles of the trial totals). O(rows × trials).
  std::vector<TotalSummary> CumulativeSummaries() const;

  // Deals drawn by the last Assign (each changed one counts twice).
  int64_t redrawn() const { return redrawn_; }

 private:
  struct Entry {
    uint64_t stream = 0;
    int64_t amount = 0;
    uint64_t threshold = 0;  // draws.h
    int32_t row = 0;
    bool operator==(const Entry&) const = default;
  };
  KeptSimulation() = default;
  // Adds `amount` to row e.row for trials [first, first + count) where e is won.
  void Draw(const Entry& e, int64_t amount, size_t first, size_t count);

  int64_t trials_ = 0;
  uint64_t seed_ = 0;
  size_t padded_ = 0;
  std::vector<int64_t> totals_;        // row r, trial t at r * padded_ + t (drawn deals only)
  std::vector<int64_t> certain_;       // per row: Σ amount of deals with q = 1
  std::vector<long double> expected_;  // per row: Σ amount · q
  std::vector<Entry> entries_;         // by stream; deals that can add something
  int64_t redrawn_ = 0;
};

// The exact distribution of the total by enumerating all 2^n won/lost outcomes.
struct ExactForecast {
  TotalSummary total;
  std::vector<int64_t> totals;        // every possible total, increasing
  std::vector<double> probabilities;  // P(total = totals[k]); sums to 1
};
inline constexpr int kMaxExactDeals = 20;

// kInvalidArgument as SimulateForecast, or more than kMaxExactDeals deals. In the quantiles,
// P(total <= t) >= q/100 is tested with a tolerance of 1e-12 against rounding in the sums.
Result<ExactForecast> ComputeExactForecast(std::span<const Deal> deals);

}  // namespace salesbox::analytics::forecast

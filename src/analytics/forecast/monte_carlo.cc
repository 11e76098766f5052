// SPDX-License-Identifier: MIT
// Design notes: the Monte Carlo roll-up.
//
// Model: deal i adds amount_i iff W_i ∧ ¬S_i, W_i ~ Bernoulli(p_win), S_i ~ Bernoulli(p_slip),
// all independent. Only the conjunction matters, so each trial draws one Bernoulli(q_i),
// q_i = p_win (1 − p_slip), per deal: the same distribution with half the random numbers.
//
// Speed: deals with q = 0 are dropped and deals with q = 1 folded into a constant; the rest are
// drawn by the counter-based kernel of draws.h, deal by deal over a tile of 2,048 trials (16 KiB
// of totals per row, so the rows a deal adds to stay in the L1 cache), eight trials per step.
// A deal in a group adds to the total's row and to its group's row from the same draws.
//
// Invariants:
//  (1) the result depends only on the set of (stream, amount, q) and the seed, not on the order
//      of the deals or on what else is simulated (draws.h);
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
#include <thread>

#include "analytics/forecast/draws.h"
#include "common/status_macros.h"

namespace salesbox::analytics::forecast {
namespace {

constexpr int64_t kMaxTrials = 100'000'000;
constexpr int64_t kMaxKeptTotals = 250'000'000;
constexpr size_t kTile = 2048;  // trials per tile: 16 KiB of totals per row
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

// Two deals with one stream would be won and lost together in every trial.
Status ValidateStreams(std::span<const Deal> deals) {
  std::vector<std::pair<uint64_t, size_t>> streams(deals.size());
  for (size_t i = 0; i < deals.size(); ++i) streams[i] = {deals[i].stream, i};
  std::sort(streams.begin(), streams.end());
  for (size_t i = 1; i < streams.size(); ++i) {
    if (streams[i].first == streams[i - 1].first) {
      return Status::InvalidArgument("forecast: deals " + std::to_string(streams[i - 1].second) +
                                     " and " + std::to_string(streams[i].second) +
                                     " share random stream " + std::to_string(streams[i].first));
    }
  }
  return Status::Ok();
}

Status ValidateTrials(int64_t trials) {
  if (trials < 1 || trials > kMaxTrials) {
    return Status::InvalidArgument("forecast: trials must be in [1, 1e8]");
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

// A deal to draw: its key, threshold and amount.
struct DrawnDeal {
  internal::StreamKey key;
  uint32_t threshold = 0;
  int64_t amount = 0;
  uint32_t index = 0;  // position in the caller's deals
};

// Calls tile(first, count) for each tile of kTile trials in [0, padded). Tiles write disjoint
// trials, so with more than ~16M draws to make the second half of them runs on a thread of its
// own (the sums per trial, and so the result, are the same).
template <typename Tile>
void ForEachTile(size_t padded, size_t deals, const Tile& tile) {
  auto run = [&](size_t from, size_t to) {
    for (size_t first = from; first < to; first += kTile) tile(first, std::min(kTile, to - first));
  };
  const size_t tiles = (padded + kTile - 1) / kTile;
  if (tiles < 2 || deals * padded < (size_t{1} << 24)) {
    run(0, padded);
    return;
  }
  const size_t middle = tiles / 2 * kTile;
  std::thread second([&] { run(middle, padded); });
  run(0, middle);
  second.join();
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
  SB_RETURN_IF_ERROR(ValidateStreams(deals));
  SB_RETURN_IF_ERROR(ValidateTrials(options.trials));
  SB_RETURN_IF_ERROR(ValidateGroupings(deals.size(), groupings, options.trials));
  SB_ASSIGN_OR_RETURN(const int64_t expected, ExpectedTotalMinor(deals));

  const size_t trials = static_cast<size_t>(options.trials);
  const size_t padded = internal::PaddedTrials(options.trials);
  std::vector<int64_t> totals(padded, 0);
  // group_totals[g][k * padded + t]: group k of grouping g in trial t.
  std::vector<std::vector<int64_t>> group_totals(groupings.size());
  std::vector<std::vector<int64_t>> group_certain(groupings.size());
  std::vector<std::vector<long double>> group_expected(groupings.size());
  for (size_t g = 0; g < groupings.size(); ++g) {
    const size_t count = static_cast<size_t>(groupings[g].group_count);
    group_totals[g].assign(count * padded, 0);
    group_certain[g].assign(count, 0);
    group_expected[g].assign(count, 0.0L);
  }
  int64_t certain = 0;
  std::vector<DrawnDeal> drawn;
  for (size_t i = 0; i < deals.size(); ++i) {
    const Deal& d = deals[i];
    const double q = WinProbability(d);
    for (size_t g = 0; g < groupings.size(); ++g) {
      const int32_t k = groupings[g].group_of_deal[i];
      if (k != kNoGroup) group_expected[g][k] += static_cast<long double>(d.amount_minor) * q;
    }
    const uint64_t threshold = internal::ThresholdOf(q);
    if (d.amount_minor == 0 || threshold == 0) continue;
    if (threshold == internal::kAlways) {
      certain += d.amount_minor;
      for (size_t g = 0; g < groupings.size(); ++g) {
        const int32_t k = groupings[g].group_of_deal[i];
        if (k != kNoGroup) group_certain[g][k] += d.amount_minor;
      }
      continue;
    }
    drawn.push_back({internal::KeyOf(options.seed, d.stream), static_cast<uint32_t>(threshold),
                     d.amount_minor, static_cast<uint32_t>(i)});
  }

  ForEachTile(padded, drawn.size(), [&](size_t first, size_t count) {
    std::vector<int64_t*> rows(1 + groupings.size());
    for (const DrawnDeal& d : drawn) {
      size_t used = 0;
      rows[used++] = totals.data() + first;
      for (size_t g = 0; g < groupings.size(); ++g) {
        const int32_t k = groupings[g].group_of_deal[d.index];
        if (k != kNoGroup) rows[used++] = group_totals[g].data() + k * padded + first;
      }
      internal::AddDraws(d.key, d.threshold, d.amount, static_cast<uint32_t>(first), count,
                         rows.data(), used);
    }
  });

  MonteCarloForecast out;
  out.trials = options.trials;
  double mean = 0, m2 = 0;  // Welford
  for (size_t t = 0; t < trials; ++t) {
    totals[t] += certain;
    const double delta = static_cast<double>(totals[t]) - mean;
    mean += delta / static_cast<double>(t + 1);
    m2 += delta * (static_cast<double>(totals[t]) - mean);
  }
  out.simulated_mean_minor = mean;
  out.simulated_sd_minor = std::sqrt(m2 / static_cast<double>(trials));
  out.total = Summarize(static_cast<long double>(expected), std::span(totals.data(), trials));
  out.groups.resize(groupings.size());
  for (size_t g = 0; g < groupings.size(); ++g) {
    for (size_t k = 0; k < group_certain[g].size(); ++k) {
      int64_t* row = group_totals[g].data() + k * padded;
      for (size_t t = 0; t < trials; ++t) row[t] += group_certain[g][k];
      out.groups[g].push_back(Summarize(group_expected[g][k], std::span(row, trials)));
    }
  }
  return out;
}

Result<KeptSimulation> KeptSimulation::Create(int64_t trials, uint64_t seed, int32_t rows) {
  SB_RETURN_IF_ERROR(ValidateTrials(trials));
  if (rows < 1 || rows > kMaxKeptTotals / trials) {
    return Status::InvalidArgument("forecast: a kept simulation needs 1 to 2.5e8 / trials rows");
  }
  KeptSimulation out;
  out.trials_ = trials;
  out.seed_ = seed;
  out.padded_ = internal::PaddedTrials(trials);
  out.totals_.assign(static_cast<size_t>(rows) * out.padded_, 0);
  out.certain_.assign(static_cast<size_t>(rows), 0);
  out.expected_.assign(static_cast<size_t>(rows), 0.0L);
  return out;
}

Status KeptSimulation::Assign(std::span<const Deal> deals, std::span<const int32_t> row_of) {
  SB_RETURN_IF_ERROR(ValidateDeals(deals));
  const int32_t rows = static_cast<int32_t>(certain_.size());
  if (!row_of.empty() && row_of.size() != deals.size()) {
    return Status::InvalidArgument("forecast: " + std::to_string(row_of.size()) + " rows for " +
                                   std::to_string(deals.size()) + " deals");
  }
  std::vector<Entry> next(deals.size());
  std::vector<long double> expected(certain_.size(), 0.0L);
  for (size_t i = 0; i < deals.size(); ++i) {
    const Deal& d = deals[i];
    const int32_t row = row_of.empty() ? 0 : row_of[i];
    if (row < 0 || row >= rows) {
      return Status::InvalidArgument("forecast: deal " + std::to_string(i) + " has row " +
                                     std::to_string(row) + ", not in [0, " + std::to_string(rows) +
                                     ")");
    }
    const double q = WinProbability(d);
    expected[static_cast<size_t>(row)] += static_cast<long double>(d.amount_minor) * q;
    next[i] = Entry{d.stream, d.amount_minor, internal::ThresholdOf(q), row};
  }
  // By stream (usually given in that order already), to find duplicates and walk beside entries_.
  auto by_stream = [](const Entry& a, const Entry& b) { return a.stream < b.stream; };
  if (!std::is_sorted(next.begin(), next.end(), by_stream)) {
    std::sort(next.begin(), next.end(), by_stream);
  }
  for (size_t i = 1; i < next.size(); ++i) {
    if (next[i].stream == next[i - 1].stream) {
      return Status::InvalidArgument("forecast: two deals share random stream " +
                                     std::to_string(next[i].stream));
    }
  }
  // Deals that add nothing are not kept.
  std::erase_if(next, [](const Entry& e) { return e.amount == 0 || e.threshold == 0; });

  // What changed: entries_ and next are both sorted by stream.
  std::vector<const Entry*> removed, added;
  size_t a = 0, b = 0;
  while (a < entries_.size() || b < next.size()) {
    if (b == next.size() || (a < entries_.size() && entries_[a].stream < next[b].stream)) {
      removed.push_back(&entries_[a++]);
    } else if (a == entries_.size() || next[b].stream < entries_[a].stream) {
      added.push_back(&next[b++]);
    } else {
      if (!(entries_[a] == next[b])) {
        removed.push_back(&entries_[a]);
        added.push_back(&next[b]);
      }
      ++a;
      ++b;
    }
  }
  if (removed.size() + added.size() >= next.size()) {
    // Most changed (a new model, a new day): draw everything again, tile by tile.
    std::fill(totals_.begin(), totals_.end(), 0);
    std::fill(certain_.begin(), certain_.end(), 0);
    redrawn_ = static_cast<int64_t>(next.size());
    ForEachTile(padded_, next.size(), [&](size_t first, size_t count) {
      for (const Entry& e : next) Draw(e, e.amount, first, count);  // certain_: tile 0 only
    });
  } else {
    redrawn_ = static_cast<int64_t>(removed.size() + added.size());
    for (const Entry* e : removed) Draw(*e, -e->amount, 0, padded_);
    for (const Entry* e : added) Draw(*e, e->amount, 0, padded_);
  }
  entries_ = std::move(next);
  expected_ = std::move(expected);
  return Status::Ok();
}

void KeptSimulation::Draw(const Entry& e, int64_t amount, size_t first, size_t count) {
  const size_t row = static_cast<size_t>(e.row);
  if (e.threshold == internal::kAlways) {
    if (first == 0) certain_[row] += amount;
    return;
  }
  int64_t* out = totals_.data() + row * padded_ + first;
  internal::AddDraws(internal::KeyOf(seed_, e.stream), static_cast<uint32_t>(e.threshold), amount,
                     static_cast<uint32_t>(first), count, &out, 1);
}

std::vector<TotalSummary> KeptSimulation::CumulativeSummaries() const {
  const size_t trials = static_cast<size_t>(trials_);
  std::vector<int64_t> sum(trials, 0), scratch(trials);
  std::vector<TotalSummary> out;
  int64_t certain = 0;
  long double expected = 0;
  for (size_t row = 0; row < certain_.size(); ++row) {
    const int64_t* totals = totals_.data() + row * padded_;
    for (size_t t = 0; t < trials; ++t) sum[t] += totals[t];
    certain += certain_[row];
    expected += expected_[row];
    for (size_t t = 0; t < trials; ++t) scratch[t] = sum[t] + certain;
    out.push_back(Summarize(expected, scratch));
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

// SPDX-License-Identifier: MIT
// The roll-up: the exact distribution by hand, the simulation against the exact distribution
// (quantiles, mean, sd), determinism by seed, degenerate probabilities, groups from the same
// trials, and bad input.
#include "analytics/forecast/monte_carlo.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "analytics/forecast/draws.h"
#include "testing/status_matchers.h"

namespace salesbox::analytics::forecast {
namespace {

using ::salesbox::test::StatusIs;
using ::salesbox::test::StatusIsWithMessage;

// A: 100 with q = 0.5; B: 300 with q = 0.4 × (1 − 0.5) = 0.2.
// Totals 0, 100, 300, 400 with probabilities 0.4, 0.4, 0.1, 0.1 (CDF 0.4, 0.8, 0.9, 1).
const std::vector<Deal> kTwoDeals = {{100, 0.5, 0.0, 1}, {300, 0.4, 0.5, 2}};

// Each deal its own random stream (its position + 1), as callers give each deal its id.
std::vector<Deal> Streamed(std::vector<Deal> deals) {
  for (size_t i = 0; i < deals.size(); ++i) deals[i].stream = i + 1;
  return deals;
}

TEST(ExactForecastTest, TwoDealsByHand) {
  SB_ASSERT_OK_AND_ASSIGN(ExactForecast exact, ComputeExactForecast(kTwoDeals));
  EXPECT_THAT(exact.totals, ::testing::ElementsAre(0, 100, 300, 400));
  ASSERT_EQ(exact.probabilities.size(), 4u);
  EXPECT_NEAR(exact.probabilities[0], 0.4, 1e-15);
  EXPECT_NEAR(exact.probabilities[1], 0.4, 1e-15);
  EXPECT_NEAR(exact.probabilities[2], 0.1, 1e-15);
  EXPECT_NEAR(exact.probabilities[3], 0.1, 1e-15);
  EXPECT_EQ(exact.total.expected_minor, 110);  // 100 · 0.5 + 300 · 0.2
  EXPECT_EQ(exact.total.p10_minor, 0);
  EXPECT_EQ(exact.total.p50_minor, 100);
  EXPECT_EQ(exact.total.p90_minor, 300);  // CDF(300) = 0.9 exactly reaches 0.9
}

TEST(ExactForecastTest, EqualTotalsMergeAndCertainDealsShift) {
  // Two deals of 50 at q = 0.5 and one certain 10: totals 10, 60, 110 w.p. 1/4, 1/2, 1/4.
  const std::vector<Deal> deals = {{50, 0.5, 0}, {50, 1.0, 0.5}, {10, 1.0, 0.0}};
  SB_ASSERT_OK_AND_ASSIGN(ExactForecast exact, ComputeExactForecast(deals));
  EXPECT_THAT(exact.totals, ::testing::ElementsAre(10, 60, 110));
  EXPECT_THAT(exact.probabilities, ::testing::ElementsAre(0.25, 0.5, 0.25));
  EXPECT_EQ(exact.total.p10_minor, 10);
  EXPECT_EQ(exact.total.p50_minor, 60);
  EXPECT_EQ(exact.total.p90_minor, 110);
  EXPECT_EQ(exact.total.expected_minor, 60);
}

TEST(ExactForecastTest, TooManyDealsIsInvalid) {
  const std::vector<Deal> deals(21, Deal{1, 0.5, 0});
  EXPECT_THAT(ComputeExactForecast(deals), StatusIsWithMessage(StatusCode::kInvalidArgument, "21"));
}

TEST(MonteCarloTest, ExpectedValueIsExactAndRounded) {
  SB_ASSERT_OK_AND_ASSIGN(int64_t two, ExpectedTotalMinor(kTwoDeals));
  EXPECT_EQ(two, 110);
  const std::vector<Deal> halves(3, Deal{1, 0.5, 0});  // 1.5 rounds half away from zero
  SB_ASSERT_OK_AND_ASSIGN(int64_t rounded, ExpectedTotalMinor(halves));
  EXPECT_EQ(rounded, 2);
  SB_ASSERT_OK_AND_ASSIGN(int64_t none, ExpectedTotalMinor({}));
  EXPECT_EQ(none, 0);
}

// Nine deals chosen (by a search over random sets) so that for the whole set and for deals 0..3
// and 4..7 the exact CDF stays at least 0.008 away from 0.1, 0.5 and 0.9 around each quantile:
// over 10 standard errors of an empirical CDF at 400,000 trials, so the simulated nearest-rank
// quantiles must equal the exact ones.
std::vector<Deal> NineDeals() {
  return Streamed({{1000, 0.11, 0.25},
                   {2500, 0.32, 0.2},
                   {400, 0.34, 0.2},
                   {7000, 0.44, 0.5},
                   {1200, 0.17, 0.0},
                   {3300, 0.2, 0.25},
                   {800, 0.17, 0.3},
                   {5100, 0.91, 0.5},
                   {150, 0.61, 0.3}});
}
constexpr int64_t kManyTrials = 400'000;

// The premise above, checked rather than assumed.
void ExpectWellSeparatedQuantiles(const ExactForecast& exact) {
  const int64_t quantiles[3] = {exact.total.p10_minor, exact.total.p50_minor,
                                exact.total.p90_minor};
  const double levels[3] = {0.1, 0.5, 0.9};
  for (int k = 0; k < 3; ++k) {
    double below = 0, at = 0;
    for (size_t v = 0; v < exact.totals.size(); ++v) {
      if (exact.totals[v] < quantiles[k]) below += exact.probabilities[v];
      if (exact.totals[v] <= quantiles[k]) at += exact.probabilities[v];
    }
    EXPECT_LT(below, levels[k] - 0.008) << "premise, level " << levels[k];
    EXPECT_GT(at, levels[k] + 0.008) << "premise, level " << levels[k];
  }
}

TEST(MonteCarloTest, QuantilesEqualTheExactOnes) {
  const std::vector<Deal> deals = NineDeals();
  SB_ASSERT_OK_AND_ASSIGN(ExactForecast exact, ComputeExactForecast(deals));
  ExpectWellSeparatedQuantiles(exact);
  MonteCarloOptions options;
  options.trials = kManyTrials;
  options.seed = 17;
  SB_ASSERT_OK_AND_ASSIGN(MonteCarloForecast mc, SimulateForecast(deals, options));
  EXPECT_EQ(mc.total.p10_minor, exact.total.p10_minor);
  EXPECT_EQ(mc.total.p50_minor, exact.total.p50_minor);
  EXPECT_EQ(mc.total.p90_minor, exact.total.p90_minor);
  EXPECT_EQ(mc.total.expected_minor, exact.total.expected_minor);
  EXPECT_EQ(mc.trials, kManyTrials);
}

TEST(MonteCarloTest, MeanAndSdAgreeWithTheExactMoments) {
  std::vector<Deal> deals;
  long double mean = 0, variance = 0;
  for (int i = 0; i < 500; ++i) {
    const Deal d{1000 + 37 * (i % 50), 0.05 + 0.9 * (i % 19) / 18.0, 0.1 * (i % 4),
                 static_cast<uint64_t>(i)};
    const long double q = d.p_win * (1 - d.p_slip);
    mean += d.amount_minor * q;
    variance += static_cast<long double>(d.amount_minor) * d.amount_minor * q * (1 - q);
    deals.push_back(d);
  }
  MonteCarloOptions options;
  options.trials = 20'000;
  SB_ASSERT_OK_AND_ASSIGN(MonteCarloForecast mc, SimulateForecast(deals, options));
  const double sd = std::sqrt(static_cast<double>(variance));
  EXPECT_EQ(mc.total.expected_minor, std::llround(mean));
  EXPECT_LT(std::abs(mc.simulated_mean_minor - static_cast<double>(mean)),
            3 * sd / std::sqrt(20'000.0));
  // The sd only matches if the draws are independent across deals; its own SE is ~0.5% here.
  EXPECT_NEAR(mc.simulated_sd_minor / sd, 1.0, 0.03);
  EXPECT_LE(mc.total.p10_minor, mc.total.p50_minor);
  EXPECT_LE(mc.total.p50_minor, mc.total.p90_minor);
}

TEST(MonteCarloTest, SameSeedSameResultOtherSeedOtherTrials) {
  const std::vector<Deal> deals = NineDeals();
  std::vector<int32_t> reps = {0, 1, 0, 1, 0, 1, 2, 2, kNoGroup};
  const DealGrouping grouping{reps, 3};
  MonteCarloOptions options;
  options.trials = 5'000;
  options.seed = 99;
  SB_ASSERT_OK_AND_ASSIGN(MonteCarloForecast a, SimulateForecast(deals, options, {&grouping, 1}));
  SB_ASSERT_OK_AND_ASSIGN(MonteCarloForecast b, SimulateForecast(deals, options, {&grouping, 1}));
  EXPECT_EQ(a.simulated_mean_minor, b.simulated_mean_minor);
  EXPECT_EQ(a.simulated_sd_minor, b.simulated_sd_minor);
  EXPECT_EQ(a.total.p10_minor, b.total.p10_minor);
  EXPECT_EQ(a.total.p50_minor, b.total.p50_minor);
  EXPECT_EQ(a.total.p90_minor, b.total.p90_minor);
  for (int k = 0; k < 3; ++k) EXPECT_EQ(a.groups[0][k].p50_minor, b.groups[0][k].p50_minor);
  options.seed = 100;
  SB_ASSERT_OK_AND_ASSIGN(MonteCarloForecast c, SimulateForecast(deals, options, {&grouping, 1}));
  EXPECT_NE(a.simulated_mean_minor, c.simulated_mean_minor);

  // Asking for groups does not change the draws: the total is the same without them.
  options.seed = 99;
  SB_ASSERT_OK_AND_ASSIGN(MonteCarloForecast plain, SimulateForecast(deals, options));
  EXPECT_EQ(plain.simulated_mean_minor, a.simulated_mean_minor);
  EXPECT_EQ(plain.total.p50_minor, a.total.p50_minor);
}

TEST(MonteCarloTest, CertainAndImpossibleDeals) {
  const std::vector<Deal> never = Streamed({{100, 0.0, 0.0}, {200, 1.0, 1.0}, {300, 0.7, 1.0}});
  SB_ASSERT_OK_AND_ASSIGN(MonteCarloForecast none, SimulateForecast(never));
  EXPECT_EQ(none.total.expected_minor, 0);
  EXPECT_EQ(none.total.p10_minor, 0);
  EXPECT_EQ(none.total.p90_minor, 0);
  EXPECT_EQ(none.simulated_mean_minor, 0);

  const std::vector<Deal> always = Streamed({{100, 1.0, 0.0}, {250, 1.0, 0.0}});
  SB_ASSERT_OK_AND_ASSIGN(MonteCarloForecast all, SimulateForecast(always));
  EXPECT_EQ(all.total.expected_minor, 350);
  EXPECT_EQ(all.total.p10_minor, 350);
  EXPECT_EQ(all.total.p50_minor, 350);
  EXPECT_EQ(all.total.p90_minor, 350);
  EXPECT_EQ(all.simulated_sd_minor, 0);
}

TEST(MonteCarloTest, EmptyDealSetIsZero) {
  const std::vector<int32_t> no_ids;
  const DealGrouping grouping{no_ids, 2};
  SB_ASSERT_OK_AND_ASSIGN(MonteCarloForecast mc, SimulateForecast({}, {}, {&grouping, 1}));
  EXPECT_EQ(mc.total.expected_minor, 0);
  EXPECT_EQ(mc.total.p10_minor, 0);
  EXPECT_EQ(mc.total.p50_minor, 0);
  EXPECT_EQ(mc.total.p90_minor, 0);
  ASSERT_EQ(mc.groups.size(), 1u);
  ASSERT_EQ(mc.groups[0].size(), 2u);
  EXPECT_EQ(mc.groups[0][1].p90_minor, 0);
  SB_ASSERT_OK_AND_ASSIGN(ExactForecast exact, ComputeExactForecast({}));
  EXPECT_THAT(exact.totals, ::testing::ElementsAre(0));
  EXPECT_EQ(exact.total.p50_minor, 0);
}

TEST(MonteCarloTest, GroupsComeFromTheSameTrials) {
  const std::vector<Deal> deals = NineDeals();
  // Grouping 0: everything in one group, so it must equal the total trial for trial.
  // Grouping 1: deals 0..3 in group 0, 4..7 in group 1, deal 8 in none.
  const std::vector<int32_t> one(9, 0);
  const std::vector<int32_t> two = {0, 0, 0, 0, 1, 1, 1, 1, kNoGroup};
  const DealGrouping groupings[2] = {{one, 1}, {two, 2}};
  MonteCarloOptions options;
  options.trials = kManyTrials;
  SB_ASSERT_OK_AND_ASSIGN(MonteCarloForecast mc, SimulateForecast(deals, options, groupings));
  ASSERT_EQ(mc.groups.size(), 2u);
  const TotalSummary& everything = mc.groups[0][0];
  EXPECT_EQ(everything.expected_minor, mc.total.expected_minor);
  EXPECT_EQ(everything.p10_minor, mc.total.p10_minor);
  EXPECT_EQ(everything.p50_minor, mc.total.p50_minor);
  EXPECT_EQ(everything.p90_minor, mc.total.p90_minor);
  // Each group of grouping 1 against its own exact distribution.
  for (int g = 0; g < 2; ++g) {
    const std::vector<Deal> part(deals.begin() + 4 * g, deals.begin() + 4 * g + 4);
    SB_ASSERT_OK_AND_ASSIGN(ExactForecast exact, ComputeExactForecast(part));
    ExpectWellSeparatedQuantiles(exact);
    const TotalSummary& simulated = mc.groups[1][g];
    EXPECT_EQ(simulated.expected_minor, exact.total.expected_minor) << g;
    EXPECT_EQ(simulated.p10_minor, exact.total.p10_minor) << g;
    EXPECT_EQ(simulated.p50_minor, exact.total.p50_minor) << g;
    EXPECT_EQ(simulated.p90_minor, exact.total.p90_minor) << g;
  }
}

TEST(MonteCarloTest, BadInputIsInvalidArgument) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THAT(SimulateForecast(std::vector<Deal>{{-1, 0.5, 0}}),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "deal 0 has a negative amount"));
  EXPECT_THAT(SimulateForecast(std::vector<Deal>{{1, 0.5, 0, 1}, {1, nan, 0, 2}}),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "deal 1: p_win"));
  EXPECT_THAT(SimulateForecast(std::vector<Deal>{{1, 0.5, 1.5}}),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "p_slip"));
  const int64_t big = std::numeric_limits<int64_t>::max() / 2 + 1;
  EXPECT_THAT(SimulateForecast(std::vector<Deal>{{big, 0.5, 0, 1}, {big, 0.5, 0, 2}}),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "beyond int64"));
  EXPECT_THAT(
      SimulateForecast(std::vector<Deal>{{1, 0.5, 0, 7}, {2, 0.5, 0, 3}, {3, 0.5, 0, 7}}),
      StatusIsWithMessage(StatusCode::kInvalidArgument, "deals 0 and 2 share random stream 7"));
  MonteCarloOptions zero;
  zero.trials = 0;
  EXPECT_THAT(SimulateForecast(kTwoDeals, zero), StatusIs(StatusCode::kInvalidArgument));
  const std::vector<int32_t> short_ids = {0};
  const DealGrouping wrong_size{short_ids, 1};
  EXPECT_THAT(SimulateForecast(kTwoDeals, {}, {&wrong_size, 1}),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "1 group ids for 2 deals"));
  const std::vector<int32_t> out_of_range = {0, 3};
  const DealGrouping bad_id{out_of_range, 2};
  EXPECT_THAT(SimulateForecast(kTwoDeals, {}, {&bad_id, 1}),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "group 3"));
  const std::vector<int32_t> ids = {0, 1};
  const DealGrouping huge{ids, 10'000};
  EXPECT_THAT(SimulateForecast(kTwoDeals, {}, {&huge, 1}),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "2.5e8"));
  EXPECT_THAT(ComputeExactForecast(std::vector<Deal>{{1, 2.0, 0}}),
              StatusIs(StatusCode::kInvalidArgument));
}

// The draws: uniform over trials for one deal, and over deals within one trial (chi-square with
// 255 degrees of freedom; the 0.9999 quantile is about 335).
TEST(DrawsTest, UniformAcrossTrialsAndAcrossDeals) {
  constexpr int kBins = 256;
  constexpr int kDraws = 256 * 400;
  auto chi_square = [&](const std::vector<int>& bins) {
    double chi = 0;
    const double expected = static_cast<double>(kDraws) / kBins;
    for (int c : bins) chi += (c - expected) * (c - expected) / expected;
    return chi;
  };
  std::vector<int> over_trials(kBins, 0), over_deals(kBins, 0);
  const internal::StreamKey one = internal::KeyOf(42, 12345);
  for (uint32_t t = 0; t < kDraws; ++t) ++over_trials[internal::Uniform(one, t) >> 24];
  for (uint64_t d = 1; d <= kDraws; ++d)
    ++over_deals[internal::Uniform(internal::KeyOf(42, d), 7) >> 24];
  EXPECT_LT(chi_square(over_trials), 335);
  EXPECT_LT(chi_square(over_deals), 335);
}

// Neighbouring streams (ids 1, 2, 3, ...) are not correlated: over 200,000 trials the share of
// trials in which both of two q = 0.5 deals win is 0.25 within 4 standard errors (0.004).
TEST(DrawsTest, NeighbouringStreamsAreIndependent) {
  constexpr uint32_t kTrials = 200'000;
  for (uint64_t d = 1; d < 6; ++d) {
    const internal::StreamKey a = internal::KeyOf(1, d), b = internal::KeyOf(1, d + 1);
    int both = 0;
    for (uint32_t t = 0; t < kTrials; ++t) {
      both += (internal::Uniform(a, t) < (1u << 31)) && (internal::Uniform(b, t) < (1u << 31));
    }
    EXPECT_NEAR(both / static_cast<double>(kTrials), 0.25, 0.004) << d;
  }
}

// The kernel (both target clones pick the same arithmetic) against the scalar uniform.
TEST(DrawsTest, KernelAddsExactlyTheWonTrials) {
  const internal::StreamKey key = internal::KeyOf(9, 77);
  const uint32_t threshold = 1'500'000'000u;
  std::vector<int64_t> a(72, 5), b(72, 0);
  int64_t* rows[2] = {a.data(), b.data()};
  internal::AddDraws(key, threshold, 3, 1000, 72, rows, 2);
  for (uint32_t i = 0; i < 72; ++i) {
    const bool won = internal::Uniform(key, 1000 + i) < threshold;
    EXPECT_EQ(a[i], won ? 8 : 5) << i;
    EXPECT_EQ(b[i], won ? 3 : 0) << i;
  }
  internal::AddDraws(key, threshold, -3, 1000, 72, rows, 1);  // taken out again
  EXPECT_EQ(a, std::vector<int64_t>(72, 5));
}

// Invariant (1): the order of the deals and the deals simulated beside them do not change a
// deal set's trials.
TEST(MonteCarloTest, TrialsDependOnTheDealSetNotItsOrderOrCompany) {
  std::vector<Deal> deals = NineDeals();
  MonteCarloOptions options;
  options.trials = 3'001;  // not a multiple of the kernel's 8
  SB_ASSERT_OK_AND_ASSIGN(MonteCarloForecast forward, SimulateForecast(deals, options));
  std::reverse(deals.begin(), deals.end());
  SB_ASSERT_OK_AND_ASSIGN(MonteCarloForecast backward, SimulateForecast(deals, options));
  EXPECT_EQ(forward.simulated_mean_minor, backward.simulated_mean_minor);
  EXPECT_EQ(forward.simulated_sd_minor, backward.simulated_sd_minor);
  EXPECT_EQ(forward.total.p10_minor, backward.total.p10_minor);
  EXPECT_EQ(forward.total.p90_minor, backward.total.p90_minor);

  // Deals 4..7 as a group of all nine, and alone.
  const std::vector<int32_t> part = {kNoGroup, kNoGroup, kNoGroup, kNoGroup, 0, 0, 0, 0, kNoGroup};
  const std::vector<Deal> nine = NineDeals();
  const DealGrouping grouping{part, 1};
  SB_ASSERT_OK_AND_ASSIGN(MonteCarloForecast grouped,
                          SimulateForecast(nine, options, {&grouping, 1}));
  SB_ASSERT_OK_AND_ASSIGN(MonteCarloForecast alone,
                          SimulateForecast(std::span(nine).subspan(4, 4), options));
  EXPECT_EQ(grouped.groups[0][0].p10_minor, alone.total.p10_minor);
  EXPECT_EQ(grouped.groups[0][0].p50_minor, alone.total.p50_minor);
  EXPECT_EQ(grouped.groups[0][0].p90_minor, alone.total.p90_minor);
  EXPECT_EQ(grouped.groups[0][0].expected_minor, alone.total.expected_minor);
}

void ExpectSameSummary(const TotalSummary& a, const TotalSummary& b, const std::string& where) {
  EXPECT_EQ(a.expected_minor, b.expected_minor) << where;
  EXPECT_EQ(a.p10_minor, b.p10_minor) << where;
  EXPECT_EQ(a.p50_minor, b.p50_minor) << where;
  EXPECT_EQ(a.p90_minor, b.p90_minor) << where;
}

// A kept simulation after 300 random edits (amounts, probabilities, deals added and removed,
// certain and impossible deals, several at once) gives the ranges of a fresh simulation of the
// same deals after every edit, and draws only what changed.
TEST(KeptSimulationTest, EqualsAFreshSimulationAfterRandomEdits) {
  std::mt19937_64 random(5);
  std::vector<Deal> deals;
  uint64_t next_stream = 1;
  auto make = [&] {
    std::uniform_int_distribution<int64_t> amount(0, 50'000);
    const double p = std::uniform_real_distribution<double>(0, 1)(random);
    const int kind = std::uniform_int_distribution<int>(0, 9)(random);
    return Deal{amount(random), kind == 0 ? 1.0 : (kind == 1 ? 0.0 : p), kind == 2 ? 0.5 : 0.0,
                next_stream++};
  };
  for (int i = 0; i < 400; ++i) deals.push_back(make());
  SB_ASSERT_OK_AND_ASSIGN(KeptSimulation kept, KeptSimulation::Create(2'003, 11, 1));
  MonteCarloOptions options;
  options.trials = 2'003;
  options.seed = 11;
  for (int step = 0; step < 300; ++step) {
    const int edits = std::uniform_int_distribution<int>(0, 3)(random);
    for (int e = 0; e < edits; ++e) {
      const size_t i = std::uniform_int_distribution<size_t>(0, deals.size() - 1)(random);
      switch (std::uniform_int_distribution<int>(0, 4)(random)) {
        case 0:
          deals[i].amount_minor = std::uniform_int_distribution<int64_t>(0, 90'000)(random);
          break;
        case 1:
          deals[i].p_win = std::uniform_real_distribution<double>(0, 1)(random);
          break;
        case 2:
          deals.push_back(make());
          break;
        case 3:
          deals.erase(deals.begin() + static_cast<std::ptrdiff_t>(i));
          break;
        case 4:
          deals[i].p_win = 1.0;
          break;
      }
    }
    std::shuffle(deals.begin(), deals.end(), random);  // order does not matter
    SB_ASSERT_OK(kept.Assign(deals));
    if (step > 0) {
      EXPECT_LE(kept.redrawn(), 2 * edits) << step;
    }
    SB_ASSERT_OK_AND_ASSIGN(MonteCarloForecast fresh, SimulateForecast(deals, options));
    ExpectSameSummary(kept.CumulativeSummaries()[0], fresh.total, "step " + std::to_string(step));
  }
  SB_ASSERT_OK(kept.Assign(deals));
  EXPECT_EQ(kept.redrawn(), 0);
}

// Rows: row k's cumulative range is the range of the deals in rows 0..k simulated alone.
TEST(KeptSimulationTest, CumulativeRowsAreTheirDealsAlone) {
  const std::vector<Deal> deals = NineDeals();
  const std::vector<int32_t> week = {2, 0, 1, 2, 0, 1, 1, 0, 2};
  SB_ASSERT_OK_AND_ASSIGN(KeptSimulation kept, KeptSimulation::Create(kManyTrials, 17, 3));
  SB_ASSERT_OK(kept.Assign(deals, week));
  const std::vector<TotalSummary> fan = kept.CumulativeSummaries();
  ASSERT_EQ(fan.size(), 3u);
  MonteCarloOptions options;
  options.trials = kManyTrials;
  options.seed = 17;
  for (int32_t k = 0; k < 3; ++k) {
    std::vector<Deal> by_then;
    for (size_t i = 0; i < deals.size(); ++i) {
      if (week[i] <= k) by_then.push_back(deals[i]);
    }
    SB_ASSERT_OK_AND_ASSIGN(MonteCarloForecast alone, SimulateForecast(by_then, options));
    ExpectSameSummary(fan[static_cast<size_t>(k)], alone.total, "row " + std::to_string(k));
  }
  // The whole set against its exact distribution.
  SB_ASSERT_OK_AND_ASSIGN(ExactForecast exact, ComputeExactForecast(deals));
  EXPECT_EQ(fan[2].p10_minor, exact.total.p10_minor);
  EXPECT_EQ(fan[2].p50_minor, exact.total.p50_minor);
  EXPECT_EQ(fan[2].p90_minor, exact.total.p90_minor);
}

// A large simulation draws its trials on two threads, tile by tile; a kept one that takes the
// deals in two steps draws the second half deal by deal on one thread. Same trials.
TEST(KeptSimulationTest, ThreadedTilesEqualDealByDealDraws) {
  std::vector<Deal> deals;
  for (int i = 0; i < 2000; ++i) {
    deals.push_back(
        Deal{1000 + 13 * (i % 97), 0.02 + 0.96 * (i % 31) / 30.0, 0.05 * (i % 5), 500u + i});
  }
  constexpr int64_t kTrials = 10'001;  // 2,000 deals × 10,008 padded trials: two threads
  MonteCarloOptions options;
  options.trials = kTrials;
  options.seed = 8;
  SB_ASSERT_OK_AND_ASSIGN(MonteCarloForecast fresh, SimulateForecast(deals, options));
  SB_ASSERT_OK_AND_ASSIGN(KeptSimulation kept, KeptSimulation::Create(kTrials, 8, 1));
  SB_ASSERT_OK(kept.Assign(std::span(deals).first(1000)));
  SB_ASSERT_OK(kept.Assign(deals));
  EXPECT_EQ(kept.redrawn(), 1000);
  ExpectSameSummary(kept.CumulativeSummaries()[0], fresh.total, "two threads against one");
}

TEST(KeptSimulationTest, BadInputChangesNothing) {
  EXPECT_THAT(KeptSimulation::Create(0, 1, 1), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(KeptSimulation::Create(100, 1, 0), StatusIs(StatusCode::kInvalidArgument));
  SB_ASSERT_OK_AND_ASSIGN(KeptSimulation kept, KeptSimulation::Create(1'000, 3, 2));
  const std::vector<Deal> deals = NineDeals();
  SB_ASSERT_OK(kept.Assign(deals));
  const TotalSummary before = kept.CumulativeSummaries()[1];
  std::vector<Deal> twice = deals;
  twice.push_back(deals[3]);
  EXPECT_THAT(kept.Assign(twice), StatusIsWithMessage(StatusCode::kInvalidArgument, "stream 4"));
  const std::vector<int32_t> bad_row(deals.size(), 2);
  EXPECT_THAT(kept.Assign(deals, bad_row),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "row 2"));
  std::vector<Deal> negative = deals;
  negative[0].amount_minor = -5;
  EXPECT_THAT(kept.Assign(negative), StatusIs(StatusCode::kInvalidArgument));
  ExpectSameSummary(kept.CumulativeSummaries()[1], before, "after refused input");
  SB_ASSERT_OK(kept.Assign(deals));
  EXPECT_EQ(kept.redrawn(), 0);
}

}  // namespace
}  // namespace salesbox::analytics::forecast

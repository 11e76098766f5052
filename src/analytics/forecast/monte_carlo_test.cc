// SPDX-License-Identifier: MIT
// The roll-up: the exact distribution by hand, the simulation against the exact distribution
// (quantiles, mean, sd), determinism by seed, degenerate probabilities, groups from the same
// trials, and bad input.
#include "analytics/forecast/monte_carlo.h"

#include <cmath>
#include <limits>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace salesbox::analytics::forecast {
namespace {

using ::salesbox::test::StatusIs;
using ::salesbox::test::StatusIsWithMessage;

// A: 100 with q = 0.5; B: 300 with q = 0.4 × (1 − 0.5) = 0.2.
// Totals 0, 100, 300, 400 with probabilities 0.4, 0.4, 0.1, 0.1 (CDF 0.4, 0.8, 0.9, 1).
const std::vector<Deal> kTwoDeals = {{100, 0.5, 0.0}, {300, 0.4, 0.5}};

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
  return {{1000, 0.11, 0.25}, {2500, 0.32, 0.2}, {400, 0.34, 0.2},
          {7000, 0.44, 0.5},  {1200, 0.17, 0.0}, {3300, 0.2, 0.25},
          {800, 0.17, 0.3},   {5100, 0.91, 0.5}, {150, 0.61, 0.3}};
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
    const Deal d{1000 + 37 * (i % 50), 0.05 + 0.9 * (i % 19) / 18.0, 0.1 * (i % 4)};
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
  const std::vector<Deal> never = {{100, 0.0, 0.0}, {200, 1.0, 1.0}, {300, 0.7, 1.0}};
  SB_ASSERT_OK_AND_ASSIGN(MonteCarloForecast none, SimulateForecast(never));
  EXPECT_EQ(none.total.expected_minor, 0);
  EXPECT_EQ(none.total.p10_minor, 0);
  EXPECT_EQ(none.total.p90_minor, 0);
  EXPECT_EQ(none.simulated_mean_minor, 0);

  const std::vector<Deal> always = {{100, 1.0, 0.0}, {250, 1.0, 0.0}};
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
  EXPECT_THAT(SimulateForecast(std::vector<Deal>{{1, 0.5, 0}, {1, nan, 0}}),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "deal 1: p_win"));
  EXPECT_THAT(SimulateForecast(std::vector<Deal>{{1, 0.5, 1.5}}),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "p_slip"));
  const int64_t big = std::numeric_limits<int64_t>::max() / 2 + 1;
  EXPECT_THAT(SimulateForecast(std::vector<Deal>{{big, 0.5, 0}, {big, 0.5, 0}}),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "beyond int64"));
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

}  // namespace
}  // namespace salesbox::analytics::forecast

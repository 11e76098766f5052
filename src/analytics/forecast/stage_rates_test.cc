// SPDX-License-Identifier: MIT
// Stage win rates with a Beta prior, by hand.
#include "analytics/forecast/stage_rates.h"

#include <limits>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace salesbox::analytics::forecast {
namespace {

using ::salesbox::test::StatusIs;
using ::salesbox::test::StatusIsWithMessage;

TEST(StageRatesTest, PosteriorMeansByHand) {
  const std::vector<StageHistory> stages = {
      {3, 10, 0.2},      // (3 + 10·0.2) / (10 + 10) = 5 / 20
      {0, 0, 0.4},       // no history: the default
      {600, 1000, 0.1},  // (600 + 1) / 1010
      {0, 5, 0.8},       // (0 + 8) / 15
  };
  SB_ASSERT_OK_AND_ASSIGN(std::vector<StageRate> rates, StageWinRates(stages));
  ASSERT_EQ(rates.size(), 4u);
  EXPECT_DOUBLE_EQ(rates[0].rate, 0.25);
  EXPECT_DOUBLE_EQ(rates[0].alpha, 5);
  EXPECT_DOUBLE_EQ(rates[0].beta, 15);  // 7 losses + 10 · 0.8
  EXPECT_EQ(rates[0].won, 3);
  EXPECT_EQ(rates[0].closed, 10);
  EXPECT_DOUBLE_EQ(rates[1].rate, 0.4);
  EXPECT_DOUBLE_EQ(rates[2].rate, 601.0 / 1010);
  EXPECT_DOUBLE_EQ(rates[3].rate, 8.0 / 15);
}

TEST(StageRatesTest, PriorStrengthZeroIsTheEmpiricalRate) {
  StageRateOptions options;
  options.prior_strength = 0;
  const std::vector<StageHistory> stages = {{3, 10, 0.2}, {0, 0, 0.4}};
  SB_ASSERT_OK_AND_ASSIGN(std::vector<StageRate> rates, StageWinRates(stages, options));
  EXPECT_DOUBLE_EQ(rates[0].rate, 0.3);
  EXPECT_DOUBLE_EQ(rates[1].rate, 0.4);  // nothing at all: still the default, never 0/0
}

TEST(StageRatesTest, StrongerPriorPullsTowardsTheDefault) {
  StageRateOptions options;
  options.prior_strength = 90;
  const std::vector<StageHistory> stages = {{3, 10, 0.2}};
  SB_ASSERT_OK_AND_ASSIGN(std::vector<StageRate> rates, StageWinRates(stages, options));
  EXPECT_DOUBLE_EQ(rates[0].rate, (3 + 18) / 100.0);
}

TEST(StageRatesTest, LittleHistoryThreshold) {
  EXPECT_TRUE(IsLittleHistory(199));
  EXPECT_FALSE(IsLittleHistory(200));
}

TEST(StageRatesTest, BadInputIsInvalidArgument) {
  EXPECT_THAT(StageWinRates({}), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(StageWinRates(std::vector<StageHistory>{{0, 1, 0.1}, {4, 3, 0.1}}),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "stage 1"));
  EXPECT_THAT(StageWinRates(std::vector<StageHistory>{{-1, 3, 0.1}}),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(StageWinRates(std::vector<StageHistory>{{1, 3, 1.2}}),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "default rate"));
  EXPECT_THAT(
      StageWinRates(std::vector<StageHistory>{{1, 3, std::numeric_limits<double>::quiet_NaN()}}),
      StatusIs(StatusCode::kInvalidArgument));
  StageRateOptions negative;
  negative.prior_strength = -1;
  EXPECT_THAT(StageWinRates(std::vector<StageHistory>{{1, 3, 0.5}}, negative),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "prior strength"));
}

}  // namespace
}  // namespace salesbox::analytics::forecast

// SPDX-License-Identifier: MIT
// The optimism index and its t interval, by hand (t quantiles from published tables).
#include "analytics/forecast/optimism.h"

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

// t_{0.975, ν} for ν = 1, 3, 29 (standard tables; 12.706, 3.182, 2.045).
constexpr double kT1 = 12.706204736174698;
constexpr double kT3 = 3.182446305284263;
constexpr double kT29 = 2.045229642132703;

TEST(OptimismTest, ByHand) {
  // Rep 7: stated 0.8 0.6 0.9 0.5, outcomes 1 0 0 1 → d = −0.2 0.6 0.9 −0.5, mean 0.2
  // (0.7 stated − 0.5 won); Σ(d − 0.2)² = 0.16 + 0.16 + 0.49 + 0.49 = 1.3, sd = √(1.3/3),
  // half width t₃ · sd / 2.
  // Rep 2: one example, no interval. Rep 3: d = −0.5, 0.5 → mean 0, sd √0.5, half width t₁ · 0.5.
  const std::vector<StatedOutcome> examples = {
      {7, 0.8, 1}, {2, 0.4, 0}, {7, 0.6, 0}, {3, 0.5, 1}, {7, 0.9, 0}, {3, 0.5, 0}, {7, 0.5, 1},
  };
  SB_ASSERT_OK_AND_ASSIGN(std::vector<RepOptimism> reps, OptimismByRep(examples));
  ASSERT_EQ(reps.size(), 3u);

  EXPECT_EQ(reps[0].rep, 2);
  EXPECT_EQ(reps[0].examples, 1);
  EXPECT_DOUBLE_EQ(reps[0].optimism, 0.4);
  EXPECT_FALSE(reps[0].interval.has_value());

  EXPECT_EQ(reps[1].rep, 3);
  EXPECT_DOUBLE_EQ(reps[1].optimism, 0);
  ASSERT_TRUE(reps[1].interval.has_value());
  EXPECT_NEAR(reps[1].interval->lower, -kT1 * 0.5, 1e-9);
  EXPECT_NEAR(reps[1].interval->upper, kT1 * 0.5, 1e-9);

  EXPECT_EQ(reps[2].rep, 7);
  EXPECT_EQ(reps[2].examples, 4);
  EXPECT_NEAR(reps[2].mean_stated, 0.7, 1e-15);
  EXPECT_DOUBLE_EQ(reps[2].win_rate, 0.5);
  EXPECT_NEAR(reps[2].optimism, 0.2, 1e-15);
  ASSERT_TRUE(reps[2].interval.has_value());
  const double half = kT3 * std::sqrt(1.3 / 3) / 2;
  EXPECT_NEAR(half, 1.047471, 1e-6);  // 3.18245 × 0.658281 / 2
  EXPECT_NEAR(reps[2].interval->lower, 0.2 - half, 1e-9);
  EXPECT_NEAR(reps[2].interval->upper, 0.2 + half, 1e-9);
}

TEST(OptimismTest, ThirtyExamplesUseStudentT) {
  // 30 examples, stated 0.7; 15 won: d = −0.3 (15×) and 0.7 (15×), mean 0.2, Σ(d − 0.2)² = 30 ·
  // 0.25, sd = √(7.5/29); half width t₂₉ · sd / √30.
  std::vector<StatedOutcome> examples;
  for (int i = 0; i < 30; ++i) examples.push_back({1, 0.7, i % 2 == 0 ? 1.0 : 0.0});
  SB_ASSERT_OK_AND_ASSIGN(std::vector<RepOptimism> reps, OptimismByRep(examples));
  ASSERT_EQ(reps.size(), 1u);
  EXPECT_NEAR(reps[0].optimism, 0.2, 1e-12);
  const double half = kT29 * std::sqrt(7.5 / 29) / std::sqrt(30.0);
  EXPECT_NEAR(reps[0].interval->upper - reps[0].optimism, half, 1e-9);
}

TEST(OptimismTest, EqualDifferencesGiveAZeroWidthInterval) {
  const std::vector<StatedOutcome> examples = {{1, 0.3, 0}, {1, 0.3, 0}, {1, 0.3, 0}};
  SB_ASSERT_OK_AND_ASSIGN(std::vector<RepOptimism> reps, OptimismByRep(examples));
  EXPECT_DOUBLE_EQ(reps[0].optimism, 0.3);
  EXPECT_DOUBLE_EQ(reps[0].interval->lower, 0.3);
  EXPECT_DOUBLE_EQ(reps[0].interval->upper, 0.3);
}

TEST(OptimismTest, BadInputIsInvalidArgument) {
  EXPECT_THAT(OptimismByRep({}), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(OptimismByRep(std::vector<StatedOutcome>{{1, 0.5, 1}, {1, 1.5, 0}}),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "example 1"));
  EXPECT_THAT(
      OptimismByRep(std::vector<StatedOutcome>{{1, std::numeric_limits<double>::quiet_NaN(), 0}}),
      StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(OptimismByRep(std::vector<StatedOutcome>{{1, 0.5, 0.5}}),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "outcome"));
}

}  // namespace
}  // namespace salesbox::analytics::forecast

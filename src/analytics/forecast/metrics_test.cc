// SPDX-License-Identifier: MIT
// Backtest metrics against hand calculations and, for the AUC, a brute-force pair count.
#include "analytics/forecast/metrics.h"

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace salesbox::analytics::forecast {
namespace {

using ::salesbox::test::StatusIs;
using ::salesbox::test::StatusIsWithMessage;

const std::vector<double> kP = {0.9, 0.2, 0.6, 0.5};
const std::vector<double> kY = {1, 0, 0, 1};

TEST(MetricsTest, BrierScoreByHand) {
  // (0.1² + 0.2² + 0.6² + 0.5²) / 4 = 0.66 / 4.
  SB_ASSERT_OK_AND_ASSIGN(double brier, BrierScore(kP, kY));
  EXPECT_NEAR(brier, 0.165, 1e-15);
  SB_ASSERT_OK_AND_ASSIGN(double half,
                          BrierScore(std::vector<double>{0.5, 0.5}, std::vector<double>{1, 0}));
  EXPECT_DOUBLE_EQ(half, 0.25);
}

TEST(MetricsTest, LogLossByHand) {
  // −(ln 0.9 + ln 0.8 + ln 0.4 + ln 0.5) / 4.
  SB_ASSERT_OK_AND_ASSIGN(double loss, LogLoss(kP, kY));
  EXPECT_NEAR(loss, 0.484485494851534, 1e-14);
}

TEST(MetricsTest, LogLossClipsCertainMisses) {
  // p = 1 for a loss costs −ln(1e-15) = 34.5388; p = 0 for a loss costs −ln(1 − 1e-15) ≈ 1e-15.
  SB_ASSERT_OK_AND_ASSIGN(double miss, LogLoss(std::vector<double>{1.0}, std::vector<double>{0.0}));
  EXPECT_NEAR(miss, 34.538776394910684, 1e-9);
  SB_ASSERT_OK_AND_ASSIGN(double hit, LogLoss(std::vector<double>{0.0}, std::vector<double>{0.0}));
  EXPECT_NEAR(hit, 1e-15, 1e-17);
  SB_ASSERT_OK_AND_ASSIGN(double won_miss,
                          LogLoss(std::vector<double>{0.0}, std::vector<double>{1.0}));
  EXPECT_NEAR(won_miss, 34.538776394910684, 1e-9);
}

TEST(MetricsTest, AucByHand) {
  // Won 0.35, 0.8 vs lost 0.1, 0.4: 3 of 4 pairs ordered correctly.
  SB_ASSERT_OK_AND_ASSIGN(
      double auc, Auc(std::vector<double>{0.1, 0.4, 0.35, 0.8}, std::vector<double>{0, 0, 1, 1}));
  EXPECT_DOUBLE_EQ(auc, 0.75);
  // Won 0.5, 0.9 vs lost 0.5, 0.2: the 0.5/0.5 tie counts 1/2, so 3.5 / 4.
  SB_ASSERT_OK_AND_ASSIGN(
      double tied, Auc(std::vector<double>{0.5, 0.5, 0.2, 0.9}, std::vector<double>{1, 0, 0, 1}));
  EXPECT_DOUBLE_EQ(tied, 0.875);
  // All tied: 1/2.
  SB_ASSERT_OK_AND_ASSIGN(double flat,
                          Auc(std::vector<double>{0.3, 0.3, 0.3}, std::vector<double>{1, 0, 1}));
  EXPECT_DOUBLE_EQ(flat, 0.5);
}

TEST(MetricsTest, AucMatchesPairCountWithManyTies) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int> level(0, 10);
  std::bernoulli_distribution coin(0.4);
  std::vector<double> p, y;
  for (int i = 0; i < 400; ++i) {
    p.push_back(level(rng) / 10.0);
    y.push_back(coin(rng) ? 1 : 0);
  }
  double pairs = 0, favourable = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    for (size_t j = 0; j < p.size(); ++j) {
      if (y[i] != 1 || y[j] != 0) continue;
      pairs += 1;
      favourable += p[i] > p[j] ? 1 : p[i] == p[j] ? 0.5 : 0;
    }
  }
  SB_ASSERT_OK_AND_ASSIGN(double auc, Auc(p, y));
  EXPECT_NEAR(auc, favourable / pairs, 1e-12);
}

TEST(MetricsTest, AucNeedsBothClasses) {
  EXPECT_THAT(Auc(std::vector<double>{0.2, 0.7}, std::vector<double>{1, 1}),
              StatusIsWithMessage(StatusCode::kFailedPrecondition, "both"));
}

TEST(MetricsTest, ReliabilityTableByHand) {
  const std::vector<double> p = {0.0, 0.05, 0.3, 0.35, 0.99, 1.0, 0.9};
  const std::vector<double> y = {0, 0, 1, 0, 1, 1, 0};
  SB_ASSERT_OK_AND_ASSIGN(std::vector<ReliabilityBin> bins, ReliabilityTable(p, y));
  ASSERT_EQ(bins.size(), 10u);
  EXPECT_EQ(bins[0].count, 2);
  EXPECT_DOUBLE_EQ(bins[0].mean_predicted, 0.025);
  EXPECT_DOUBLE_EQ(bins[0].observed_rate, 0);
  EXPECT_EQ(bins[3].count, 2);  // 0.3 is in [0.3, 0.4) although 0.3 × 10 > 3 in floating point
  EXPECT_DOUBLE_EQ(bins[3].mean_predicted, 0.325);
  EXPECT_DOUBLE_EQ(bins[3].observed_rate, 0.5);
  EXPECT_EQ(bins[9].count, 3);  // 0.9, 0.99 and 1.0
  EXPECT_NEAR(bins[9].mean_predicted, (0.9 + 0.99 + 1.0) / 3, 1e-15);
  EXPECT_NEAR(bins[9].observed_rate, 2.0 / 3, 1e-15);
  for (int i : {1, 2, 4, 5, 6, 7, 8}) {
    EXPECT_EQ(bins[i].count, 0) << i;
    EXPECT_EQ(bins[i].mean_predicted, 0) << i;
    EXPECT_EQ(bins[i].observed_rate, 0) << i;
  }
  EXPECT_DOUBLE_EQ(bins[3].lower, 0.3);
  EXPECT_DOUBLE_EQ(bins[3].upper, 0.4);
}

TEST(MetricsTest, BinEdgesAreHonouredForEveryTenth) {
  for (int i = 0; i <= 10; ++i) {
    const double p = i / 10.0;
    SB_ASSERT_OK_AND_ASSIGN(std::vector<ReliabilityBin> bins,
                            ReliabilityTable(std::vector<double>{p}, std::vector<double>{1}));
    const int expected = std::min(i, 9);
    EXPECT_EQ(bins[expected].count, 1) << p;
    // Just below an edge stays in the bin below.
    if (i > 0 && i < 10) {
      const double below = std::nextafter(p, 0.0);
      SB_ASSERT_OK_AND_ASSIGN(std::vector<ReliabilityBin> lower,
                              ReliabilityTable(std::vector<double>{below}, std::vector<double>{1}));
      EXPECT_EQ(lower[i - 1].count, 1) << below;
    }
  }
}

TEST(MetricsTest, BadInputIsInvalidArgument) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> one = {1};
  EXPECT_THAT(BrierScore({}, {}), StatusIsWithMessage(StatusCode::kInvalidArgument, "no examples"));
  EXPECT_THAT(BrierScore(kP, one), StatusIsWithMessage(StatusCode::kInvalidArgument, "4 prob"));
  EXPECT_THAT(LogLoss(std::vector<double>{nan}, one),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "probability 0"));
  EXPECT_THAT(Auc(std::vector<double>{0.5, 1.5}, std::vector<double>{0, 1}),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "probability 1"));
  EXPECT_THAT(ReliabilityTable(std::vector<double>{-0.1}, one),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(BrierScore(std::vector<double>{0.5}, std::vector<double>{0.5}),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "outcome 0"));
}

}  // namespace
}  // namespace salesbox::analytics::forecast

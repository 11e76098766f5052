// SPDX-License-Identifier: MIT
// CLV and ABC classes: hand examples, invariants, and the lifetimes documentation's CDNOW CLVs.
#include "analytics/clv/clv_model.h"

#include <array>
#include <cmath>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "analytics/clv/cdnow_test_data.h"
#include "testing/status_matchers.h"

namespace salesbox::analytics::clv {
namespace {

using ::salesbox::test::StatusIs;
using ::salesbox::test::StatusIsWithMessage;
using ::testing::ElementsAre;

constexpr AbcClass A = AbcClass::kA, B = AbcClass::kB, C = AbcClass::kC;

// Total 100. Ranked: 50 (before 0 → A), 30 (before 50 < 80 → A), 10 (before 80 → B),
// 5 (before 90 < 95 → B), 5 (before 95 → C); ties keep input order.
TEST(AbcTest, SplitsAHandExampleAtEightyAndNinetyFivePercent) {
  const std::vector<double> values = {5, 30, 10, 50, 5};
  SB_ASSERT_OK_AND_ASSIGN(std::vector<AbcClass> classes, ClassifyAbc(values));
  EXPECT_THAT(classes, ElementsAre(B, A, B, A, C));
}

TEST(AbcTest, AShareIsTheShortestPrefixReachingIt) {
  // One customer holding 90% is A on their own; the next 5% is B.
  SB_ASSERT_OK_AND_ASSIGN(std::vector<AbcClass> classes,
                          ClassifyAbc(std::vector<double>{90, 5, 3, 2}));
  EXPECT_THAT(classes, ElementsAre(A, B, C, C));
  // Configurable shares: A = top 50%, B = next 30%.
  SB_ASSERT_OK_AND_ASSIGN(
      classes, ClassifyAbc(std::vector<double>{10, 20, 30, 40}, {.a_share = 0.5, .b_share = 0.3}));
  EXPECT_THAT(classes, ElementsAre(C, B, A, A));
  // Zero and negative values are C.
  SB_ASSERT_OK_AND_ASSIGN(classes, ClassifyAbc(std::vector<double>{0, 10, -3}));
  EXPECT_THAT(classes, ElementsAre(C, A, C));
}

TEST(AbcTest, RejectsBadSharesAndEmptyOrValuelessInput) {
  EXPECT_THAT(ClassifyAbc(std::vector<double>{1}, {.a_share = 0.9, .b_share = 0.2}),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ClassifyAbc(std::vector<double>{1}, {.a_share = 0, .b_share = 0.2}),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ClassifyAbc(std::vector<double>{}),
              StatusIsWithMessage(StatusCode::kFailedPrecondition, "no customers"));
  EXPECT_THAT(ClassifyAbc(std::vector<double>{0, 0}),
              StatusIsWithMessage(StatusCode::kFailedPrecondition, "no customer has a positive"));
  EXPECT_THAT(ClassifyAbc(std::vector<double>{1, NAN}), StatusIs(StatusCode::kInvalidArgument));
}

constexpr BgNbdParams kBg{0.243, 4.414, 0.793, 2.426};
constexpr GammaGammaParams kGg{6.25, 3.74, 15.44};

TEST(ClvTest, IsTheDiscountedSumOfPeriodIncrements) {
  const std::vector<CustomerRfm> customers = {{1, 4, 30, 38, 20.0}, {2, 0, 0, 30, 0}};
  const ClvOptions options{.periods = 3, .period_length = 4, .discount_rate = 0.1};
  SB_ASSERT_OK_AND_ASSIGN(std::vector<CustomerValue> values,
                          ComputeCustomerValues(customers, kBg, kGg, options));
  ASSERT_EQ(values.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    const CustomerRfm& c = customers[i];
    double e[4] = {0, 0, 0, 0};
    for (int k = 1; k <= 3; ++k) {
      e[k] = *BgNbdConditionalExpectedPurchases(kBg, 4.0 * k, c.frequency, c.recency, c.age);
    }
    const double spend = *GammaGammaExpectedSpend(kGg, c.frequency, c.monetary);
    const double clv = (e[1] - e[0]) * spend / 1.1 + (e[2] - e[1]) * spend / (1.1 * 1.1) +
                       (e[3] - e[2]) * spend / (1.1 * 1.1 * 1.1);
    EXPECT_NEAR(values[i].clv, clv, 1e-12 * clv);
    EXPECT_NEAR(values[i].expected_purchases, e[3], 1e-15);
    EXPECT_EQ(values[i].expected_spend, spend);
    EXPECT_EQ(values[i].p_alive, BgNbdProbabilityAlive(kBg, c.frequency, c.recency, c.age));
  }
  EXPECT_EQ(values[0].customer, 1);
  EXPECT_EQ(values[0].abc, A);
}

TEST(ClvTest, WithoutDiscountItIsExpectedPurchasesTimesSpendAndDiscountingLowersIt) {
  const std::vector<CustomerRfm> customers = {{1, 2, 30.43, 38.86, 22.35}};
  SB_ASSERT_OK_AND_ASSIGN(auto undiscounted,
                          ComputeCustomerValues(customers, kBg, kGg, {.periods = 12}));
  SB_ASSERT_OK_AND_ASSIGN(
      auto discounted,
      ComputeCustomerValues(customers, kBg, kGg, {.periods = 12, .discount_rate = 0.01}));
  const CustomerValue& v = undiscounted[0];
  EXPECT_NEAR(v.clv, v.expected_purchases * v.expected_spend, 1e-12 * v.clv);
  EXPECT_LT(discounted[0].clv, v.clv);
  EXPECT_GT(discounted[0].clv, v.clv / std::pow(1.01, 12));
}

TEST(ClvTest, RejectsBadOptions) {
  const std::vector<CustomerRfm> customers = {{1, 2, 30.43, 38.86, 22.35}};
  EXPECT_THAT(ComputeCustomerValues(customers, kBg, kGg, {.periods = 0}),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ComputeCustomerValues(customers, kBg, kGg, {.period_length = 0}),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ComputeCustomerValues(customers, kBg, kGg, {.discount_rate = -0.1}),
              StatusIs(StatusCode::kInvalidArgument));
  // Zero spend for a repeat customer names the customer.
  EXPECT_THAT(ComputeCustomerValues(std::vector<CustomerRfm>{{9, 2, 3, 5, 0}}, kBg, kGg),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "customer 9"));
}

// lifetimes docs (Quickstart): CLV of customers 1..10 with the BG/NBD and Gamma-Gamma fitted on
// cdnow_customers_summary_with_transactions, time = 12, discount_rate = 0.01, and the default
// freq = "D". With freq "D" lifetimes steps 30 model time units per month, and the model is in
// weeks, so its "months" are 30 weeks long: period_length = 30. (A known lifetimes quirk; a
// salesbox month is TimeUnit::kMonth.) Our fits differ from lifetimes' by ~1e-6 relative.
TEST(ClvTest, ReproducesTheLifetimesDocumentationCdnowValues) {
  SB_ASSERT_OK_AND_ASSIGN(std::vector<CustomerRfm> customers, test::LoadCdnowSummaryWithSpend());
  SB_ASSERT_OK_AND_ASSIGN(
      ClvReport report,
      AnalyzeCustomerValue(customers, {.periods = 12, .period_length = 30, .discount_rate = 0.01}));
  const std::array<double, 10> kLifetimes = {140.096211, 18.943467,   38.180574, 38.180574,
                                             38.180574,  1003.868107, 28.109683, 38.180574,
                                             167.418216, 38.180574};
  ASSERT_EQ(report.customers.size(), 2357u);
  for (size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(report.customers[i].customer, static_cast<int64_t>(i + 1));
    EXPECT_NEAR(report.customers[i].clv, kLifetimes[i], 1e-5 * kLifetimes[i])
        << "customer " << i + 1;
  }
  EXPECT_NEAR(report.bgnbd.log_likelihood, -9582.4256, 1e-3);
  EXPECT_NEAR(report.gamma_gamma.log_likelihood, -4055.9232, 1e-3);
}

TEST(ClvTest, AbcClassesOfTheCdnowCohortSplitTheValueAsConfigured) {
  SB_ASSERT_OK_AND_ASSIGN(std::vector<CustomerRfm> customers, test::LoadCdnowSummaryWithSpend());
  SB_ASSERT_OK_AND_ASSIGN(
      ClvReport report,
      AnalyzeCustomerValue(customers,
                           {.periods = 12, .period_length = 52.0 / 12, .discount_rate = 0.01}));
  double total = 0, a_total = 0, a_min = INFINITY, b_max = 0;
  int a_count = 0;
  for (const CustomerValue& v : report.customers) {
    EXPECT_GE(v.p_alive, 0);
    EXPECT_LE(v.p_alive, 1);
    EXPECT_GT(v.clv, 0);
    total += v.clv;
    if (v.abc == A) {
      a_total += v.clv;
      a_min = std::min(a_min, v.clv);
      ++a_count;
    } else {
      b_max = std::max(b_max, v.clv);
    }
  }
  EXPECT_GE(a_total, 0.8 * total);
  EXPECT_LT(a_total - a_min, 0.8 * total);  // the shortest such prefix
  EXPECT_GE(a_min, b_max);
  EXPECT_GT(a_count, 0);
  EXPECT_LT(a_count, 2357);
}

TEST(ClvTest, AnalyzeReportsDegenerateCohortsWithTheModelName) {
  const std::vector<CustomerRfm> no_repeat = {{1, 0, 0, 10, 0}, {2, 0, 0, 20, 0}};
  EXPECT_THAT(AnalyzeCustomerValue(no_repeat),
              StatusIsWithMessage(StatusCode::kFailedPrecondition, "BG/NBD: no customer made"));
  EXPECT_THAT(AnalyzeCustomerValue({}),
              StatusIsWithMessage(StatusCode::kFailedPrecondition, "BG/NBD: no customers"));
}

}  // namespace
}  // namespace salesbox::analytics::clv

// SPDX-License-Identifier: MIT
// SummarizeRfm: hand-made logs and the CDNOW rebuild against the published summary files.
#include "analytics/clv/rfm.h"

#include <cmath>
#include <map>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "analytics/clv/cdnow_test_data.h"
#include "common/time.h"
#include "testing/status_matchers.h"

namespace salesbox::analytics::clv {
namespace {

using ::salesbox::test::StatusIs;

TEST(RfmTest, MergesSameDayTransactionsAndIgnoresTheHoldout) {
  const Date d0 = MakeDate(2025, 1, 1);
  const std::vector<Transaction> log = {
      {7, d0 + std::chrono::days(14), 300},   // repeat, same day as the next one
      {7, d0, 1000},                          // first purchase (order does not matter)
      {7, d0 + std::chrono::days(14), 500},   // merged: one repeat of 800
      {7, d0 + std::chrono::days(21), 200},   // second repeat
      {7, d0 + std::chrono::days(40), 9999},  // after the calibration end: ignored
      {3, d0 + std::chrono::days(7), 400},    // one purchase only
      {5, d0 + std::chrono::days(35), 100},   // first purchase after the end: not a customer
  };
  const std::vector<CustomerRfm> rfm = SummarizeRfm(
      log, {.calibration_end = d0 + std::chrono::days(28), .time_unit = TimeUnit::kWeek});
  ASSERT_EQ(rfm.size(), 2u);
  EXPECT_EQ(rfm[0].customer, 3);
  EXPECT_EQ(rfm[0].frequency, 0);
  EXPECT_EQ(rfm[0].recency, 0);
  EXPECT_DOUBLE_EQ(rfm[0].age, 3.0);
  EXPECT_EQ(rfm[0].monetary, 0);
  EXPECT_EQ(rfm[1].customer, 7);
  EXPECT_EQ(rfm[1].frequency, 2);
  EXPECT_DOUBLE_EQ(rfm[1].recency, 3.0);
  EXPECT_DOUBLE_EQ(rfm[1].age, 4.0);
  EXPECT_DOUBLE_EQ(rfm[1].monetary, (800 + 200) / 2.0);
}

TEST(RfmTest, TimeUnitsAreDaysWeeksAndJulianMonths) {
  const Date d0 = MakeDate(2024, 1, 1);
  const std::vector<Transaction> log = {{1, d0, 100}, {1, d0 + std::chrono::days(61), 100}};
  for (auto [unit, days] : {std::pair{TimeUnit::kDay, 1.0}, std::pair{TimeUnit::kWeek, 7.0},
                            std::pair{TimeUnit::kMonth, 30.4375}}) {
    const auto rfm =
        SummarizeRfm(log, {.calibration_end = d0 + std::chrono::days(90), .time_unit = unit});
    ASSERT_EQ(rfm.size(), 1u);
    EXPECT_DOUBLE_EQ(rfm[0].recency, 61.0 / days);
    EXPECT_DOUBLE_EQ(rfm[0].age, 90.0 / days);
  }
  EXPECT_DOUBLE_EQ(DaysPerUnit(TimeUnit::kMonth), 365.25 / 12);
}

TEST(RfmTest, EmptyLogGivesNoCustomers) {
  EXPECT_TRUE(SummarizeRfm({}, {.calibration_end = MakeDate(2025, 1, 1)}).empty());
}

TEST(RfmTest, ParsesTimeUnitNames) {
  SB_ASSERT_OK_AND_ASSIGN(TimeUnit unit, ParseTimeUnit("month"));
  EXPECT_EQ(unit, TimeUnit::kMonth);
  EXPECT_THAT(ParseTimeUnit("fortnight"), StatusIs(StatusCode::kInvalidArgument));
}

// SOURCE.md: rebuilt with same-day merging, calibration end 1997-09-30 and weeks = days / 7,
// x matches for all 2,357 customers, t_x and T within 0.0043 weeks (the files round to 2
// decimals) and zbar within 0.005.
TEST(RfmTest, RebuildsTheCdnowSummaryFilesFromTheTransactions) {
  SB_ASSERT_OK_AND_ASSIGN(std::vector<Transaction> log, test::LoadCdnowSampleTransactions());
  ASSERT_EQ(log.size(), 6919u);
  const std::vector<CustomerRfm> rfm =
      SummarizeRfm(log, {.calibration_end = MakeDate(1997, 9, 30), .time_unit = TimeUnit::kWeek});
  SB_ASSERT_OK_AND_ASSIGN(std::vector<CustomerRfm> published, test::LoadCdnowSummaryWithSpend());
  SB_ASSERT_OK_AND_ASSIGN(std::vector<CustomerRfm> summary, test::LoadCdnowSummary());
  ASSERT_EQ(rfm.size(), 2357u);
  ASSERT_EQ(published.size(), 2357u);
  ASSERT_EQ(summary.size(), 2357u);
  int64_t repeats = 0, repeat_customers = 0;
  for (size_t i = 0; i < rfm.size(); ++i) {
    SCOPED_TRACE(testing::Message() << "customer " << rfm[i].customer);
    ASSERT_EQ(rfm[i].customer, published[i].customer);
    EXPECT_EQ(rfm[i].frequency, published[i].frequency);
    EXPECT_NEAR(rfm[i].recency, published[i].recency, 0.0043);
    EXPECT_NEAR(rfm[i].age, published[i].age, 0.0043);
    // zbar is rounded half up to cents in the file, so an exact half cent differs by 0.005.
    EXPECT_NEAR(rfm[i].monetary / 100.0, published[i].monetary, 0.005 + 1e-9);
    EXPECT_EQ(rfm[i].frequency, summary[i].frequency);
    EXPECT_NEAR(rfm[i].recency, summary[i].recency, 0.0043);
    EXPECT_NEAR(rfm[i].age, summary[i].age, 0.0043);
    repeats += rfm[i].frequency;
    repeat_customers += rfm[i].frequency > 0;
  }
  EXPECT_EQ(repeat_customers, 946);  // SOURCE.md: 946 customers have x > 0
  EXPECT_EQ(repeats, 2457);          // SOURCE.md: 2,457 repeat transactions in calibration
}

}  // namespace
}  // namespace salesbox::analytics::clv

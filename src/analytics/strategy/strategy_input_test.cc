// SPDX-License-Identifier: MIT
// Calendar periods: starts, clipping to a window, labels.
#include "analytics/strategy/strategy_input.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace salesbox::analytics::strategy {
namespace {

using ::salesbox::test::StatusIs;

TEST(PeriodTest, StartsOfMonthQuarterAndYear) {
  const Date d = MakeDate(2025, 8, 17);
  EXPECT_EQ(PeriodStart(d, Granularity::kMonth), MakeDate(2025, 8, 1));
  EXPECT_EQ(PeriodStart(d, Granularity::kQuarter), MakeDate(2025, 7, 1));
  EXPECT_EQ(PeriodStart(MakeDate(2025, 3, 31), Granularity::kQuarter), MakeDate(2025, 1, 1));
  EXPECT_EQ(PeriodStart(d, Granularity::kYear), MakeDate(2025, 1, 1));
  EXPECT_EQ(PeriodStart(d, Granularity::kTotal), d);
}

TEST(PeriodTest, PeriodsAreClippedToTheWindow) {
  const std::vector<Period> q =
      PeriodsBetween(MakeDate(2024, 11, 15), MakeDate(2025, 4, 10), Granularity::kQuarter);
  ASSERT_EQ(q.size(), 3u);
  EXPECT_EQ(q[0], (Period{MakeDate(2024, 11, 15), MakeDate(2024, 12, 31)}));
  EXPECT_EQ(q[1], (Period{MakeDate(2025, 1, 1), MakeDate(2025, 3, 31)}));
  EXPECT_EQ(q[2], (Period{MakeDate(2025, 4, 1), MakeDate(2025, 4, 10)}));
  EXPECT_EQ(PeriodLabel(q[0], Granularity::kQuarter), "2024-Q4");
  EXPECT_EQ(PeriodLabel(q[2], Granularity::kQuarter), "2025-Q2");

  const std::vector<Period> m =
      PeriodsBetween(MakeDate(2024, 1, 31), MakeDate(2024, 3, 1), Granularity::kMonth);
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[1], (Period{MakeDate(2024, 2, 1), MakeDate(2024, 2, 29)}));
  EXPECT_EQ(PeriodLabel(m[1], Granularity::kMonth), "2024-02");

  const std::vector<Period> t =
      PeriodsBetween(MakeDate(2024, 1, 31), MakeDate(2024, 3, 1), Granularity::kTotal);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(PeriodLabel(t[0], Granularity::kTotal), "2024-01-31..2024-03-01");
  EXPECT_EQ(
      PeriodLabel(PeriodsBetween(MakeDate(2023, 5, 1), MakeDate(2023, 5, 1), Granularity::kYear)[0],
                  Granularity::kYear),
      "2023");
  EXPECT_TRUE(
      PeriodsBetween(MakeDate(2024, 2, 1), MakeDate(2024, 1, 1), Granularity::kMonth).empty());
}

TEST(PeriodTest, GranularityNamesRoundTrip) {
  for (Granularity g :
       {Granularity::kMonth, Granularity::kQuarter, Granularity::kYear, Granularity::kTotal}) {
    SB_ASSERT_OK_AND_ASSIGN(Granularity parsed, ParseGranularity(GranularityName(g)));
    EXPECT_EQ(parsed, g);
  }
  EXPECT_THAT(ParseGranularity("week"), StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace salesbox::analytics::strategy

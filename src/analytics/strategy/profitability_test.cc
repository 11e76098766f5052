// SPDX-License-Identifier: MIT
// Profitability per account and segment per period, by hand: amounts in minor units.
#include "analytics/strategy/profitability.h"

#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace salesbox::analytics::strategy {
namespace {

using ::salesbox::test::StatusIsWithMessage;

Money Dkk(int64_t minor) { return Money{minor, *Currency::Parse("DKK")}; }
Money Sek(int64_t minor) { return Money{minor, *Currency::Parse("SEK")}; }

OrderFacts Order(int64_t id, int64_t account, Date on, Money revenue, Money margin) {
  return OrderFacts{id, account, on, revenue, margin};
}

// Accounts 1 and 2 in segment 10, account 3 in segment 20.
class ProfitabilityTest : public ::testing::Test {
 protected:
  std::vector<AccountFacts> accounts_ = {
      {1, "", {}, "", "", 0, 10}, {2, "", {}, "", "", 0, 10}, {3, "", {}, "", "", 0, 20}};
  std::vector<OrderFacts> orders_ = {
      Order(1, 1, MakeDate(2025, 1, 15), Dkk(100000), Dkk(30000)),
      Order(2, 1, MakeDate(2025, 2, 10), Dkk(50000), Dkk(10000)),
      Order(3, 2, MakeDate(2025, 3, 31), Dkk(200000), Dkk(40000)),
      Order(4, 2, MakeDate(2025, 4, 1), Sek(100000), Sek(25000)),
      Order(5, 3, MakeDate(2025, 5, 5), Dkk(80000), Dkk(8000)),
  };
};

TEST_F(ProfitabilityTest, PerAccountAndQuarter) {
  SB_ASSERT_OK_AND_ASSIGN(std::vector<ProfitRow> rows,
                          ProfitabilityByAccount(orders_, {Granularity::kQuarter, {}}));
  ASSERT_EQ(rows.size(), 4u);
  // Q1, account 1: 1000 + 500 revenue, 300 + 100 margin.
  EXPECT_EQ(rows[0].period, (Period{MakeDate(2025, 1, 15), MakeDate(2025, 3, 31)}));
  EXPECT_EQ(rows[0].key, 1);
  EXPECT_EQ(rows[0].revenue, Dkk(150000));
  EXPECT_EQ(rows[0].margin, Dkk(40000));
  EXPECT_EQ(rows[0].orders, 2);
  EXPECT_EQ(rows[0].customers, 1);
  EXPECT_NEAR(*rows[0].margin_pct, 40000.0 / 150000.0, 1e-12);
  EXPECT_EQ(rows[1].key, 2);
  EXPECT_NEAR(*rows[1].margin_pct, 0.2, 1e-12);
  // Q2: account 2 in SEK, account 3 in DKK.
  EXPECT_EQ(rows[2].period, (Period{MakeDate(2025, 4, 1), MakeDate(2025, 5, 5)}));
  EXPECT_EQ(rows[2].key, 2);
  EXPECT_EQ(rows[2].revenue, Sek(100000));
  EXPECT_NEAR(*rows[2].margin_pct, 0.25, 1e-12);
  EXPECT_EQ(rows[3].key, 3);
  EXPECT_NEAR(*rows[3].margin_pct, 0.1, 1e-12);
}

TEST_F(ProfitabilityTest, PerSegmentNeverAddsCurrencies) {
  SB_ASSERT_OK_AND_ASSIGN(std::vector<ProfitRow> rows,
                          ProfitabilityBySegment(orders_, accounts_, {Granularity::kYear, {}}));
  ASSERT_EQ(rows.size(), 3u);
  // Segment 10 in DKK: 1000 + 500 + 2000 revenue, 300 + 100 + 400 margin, two customers.
  EXPECT_EQ(rows[0].key, 10);
  EXPECT_EQ(rows[0].revenue, Dkk(350000));
  EXPECT_EQ(rows[0].margin, Dkk(80000));
  EXPECT_EQ(rows[0].orders, 3);
  EXPECT_EQ(rows[0].customers, 2);
  EXPECT_NEAR(*rows[0].margin_pct, 800.0 / 3500.0, 1e-12);
  // Segment 10 in SEK, its own row.
  EXPECT_EQ(rows[1].key, 10);
  EXPECT_EQ(rows[1].revenue, Sek(100000));
  EXPECT_EQ(rows[1].customers, 1);
  EXPECT_EQ(rows[2].key, 20);
  EXPECT_EQ(rows[2].margin, Dkk(8000));
}

TEST_F(ProfitabilityTest, MonthsAndAWindow) {
  ProfitabilityOptions options;
  options.granularity = Granularity::kMonth;
  options.window = Window{MakeDate(2025, 2, 1), MakeDate(2025, 4, 30)};
  SB_ASSERT_OK_AND_ASSIGN(std::vector<ProfitRow> rows,
                          ProfitabilityBySegment(orders_, accounts_, options));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].period, (Period{MakeDate(2025, 2, 1), MakeDate(2025, 2, 28)}));
  EXPECT_EQ(rows[0].revenue, Dkk(50000));
  EXPECT_EQ(rows[1].period, (Period{MakeDate(2025, 3, 1), MakeDate(2025, 3, 31)}));
  EXPECT_EQ(rows[1].revenue, Dkk(200000));
  EXPECT_EQ(rows[2].period, (Period{MakeDate(2025, 4, 1), MakeDate(2025, 4, 30)}));
  EXPECT_EQ(rows[2].revenue, Sek(100000));
}

TEST_F(ProfitabilityTest, OrdersOfUnknownAccountsCountWithoutASegment) {
  orders_.push_back(Order(6, 99, MakeDate(2025, 5, 6), Dkk(1000), Dkk(0)));
  SB_ASSERT_OK_AND_ASSIGN(std::vector<ProfitRow> rows,
                          ProfitabilityBySegment(orders_, accounts_, {Granularity::kTotal, {}}));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].key, 0);
  EXPECT_EQ(rows[0].revenue, Dkk(1000));
  EXPECT_NEAR(*rows[0].margin_pct, 0.0, 1e-12);
}

TEST_F(ProfitabilityTest, ZeroRevenueHasNoMarginPercent) {
  const std::vector<OrderFacts> orders = {Order(1, 1, MakeDate(2025, 1, 1), Dkk(0), Dkk(-500))};
  SB_ASSERT_OK_AND_ASSIGN(std::vector<ProfitRow> rows,
                          ProfitabilityByAccount(orders, {Granularity::kMonth, {}}));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_FALSE(rows[0].margin_pct.has_value());
}

TEST_F(ProfitabilityTest, RejectsMixedCurrenciesInAnOrderAndAnInvertedWindow) {
  orders_.push_back(Order(9, 3, MakeDate(2025, 5, 6), Dkk(1000), Sek(100)));
  EXPECT_THAT(ProfitabilityByAccount(orders_, {}),
              StatusIsWithMessage(StatusCode::kInvalidArgument,
                                  "order 9 of account 3 on 2025-05-06: margin in SEK but "
                                  "revenue in DKK"));
  ProfitabilityOptions options;
  options.window = Window{MakeDate(2025, 2, 1), MakeDate(2025, 1, 1)};
  EXPECT_THAT(ProfitabilityByAccount({}, options),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "after it ends"));
}

}  // namespace
}  // namespace salesbox::analytics::strategy

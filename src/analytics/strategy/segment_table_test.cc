// SPDX-License-Identifier: MIT
// The segment table against a hand calculation: win rate, cycle, deal sizes, margin, customers,
// account values, the margin per customer index and the suggested core segments.
#include "analytics/strategy/segment_table.h"

#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace salesbox::analytics::strategy {
namespace {

using ::testing::HasSubstr;

Money Dkk(int64_t units) { return Money{units * 100, *Currency::Parse("DKK")}; }
Money Sek(int64_t units) { return Money{units * 100, *Currency::Parse("SEK")}; }

AccountFacts Account(int64_t id, int64_t segment) {
  AccountFacts a;
  a.id = id;
  a.segment_id = segment;
  return a;
}

OrderFacts Order(int64_t account, Money revenue, Money margin, Date on = MakeDate(2025, 3, 1)) {
  return OrderFacts{0, account, on, revenue, margin};
}

DealFacts Deal(int64_t account, Outcome outcome, Money amount, Date created,
               std::optional<Date> closed) {
  DealFacts d;
  d.account_id = account;
  d.outcome = outcome;
  d.amount = amount;
  d.created_on = created;
  d.closed_on = closed;
  return d;
}

// Segment 10 ("Core A", stored core): accounts 1, 2, 3 (3 never ordered).
// Segment 20 ("Other"): accounts 4, 5, 6, 7 (7 never ordered). Account 8 has no segment.
StrategyInput Fixture() {
  StrategyInput in;
  in.as_of = MakeDate(2025, 6, 30);
  in.segments = {{10, "Core A", "industry=A", true}, {20, "Other", "*", false}};
  in.accounts = {Account(1, 10), Account(2, 10), Account(3, 10), Account(4, 20),
                 Account(5, 20), Account(6, 20), Account(7, 20), Account(8, 0)};
  in.orders = {
      Order(1, Dkk(1000), Dkk(400)),
      Order(2, Dkk(1500), Dkk(500)),
      Order(2, Dkk(500), Dkk(200), MakeDate(2025, 5, 1)),
      Order(4, Dkk(1000), Dkk(200)),
      Order(5, Dkk(3000), Dkk(500)),
      Order(6, Dkk(500), Dkk(100)),
      Order(6, Dkk(9999), Dkk(9999), MakeDate(2024, 12, 31)),  // before the window
  };
  in.deals = {
      // Segment 10: two won (30 and 59 days), one lost.
      Deal(1, Outcome::kWon, Dkk(1000), MakeDate(2025, 1, 1), MakeDate(2025, 1, 31)),
      Deal(2, Outcome::kWon, Dkk(3000), MakeDate(2025, 2, 1), MakeDate(2025, 4, 1)),
      Deal(2, Outcome::kLost, Dkk(800), MakeDate(2025, 2, 1), MakeDate(2025, 4, 2)),
      Deal(3, Outcome::kOpen, Dkk(5000), MakeDate(2025, 2, 1), std::nullopt),
      // Segment 20: one won in DKK (10 days), one in SEK (10 days), three lost.
      Deal(4, Outcome::kWon, Dkk(500), MakeDate(2025, 1, 10), MakeDate(2025, 1, 20)),
      Deal(6, Outcome::kWon, Sek(2000), MakeDate(2025, 3, 1), MakeDate(2025, 3, 11)),
      Deal(5, Outcome::kLost, Dkk(100), MakeDate(2025, 1, 10), MakeDate(2025, 2, 20)),
      Deal(5, Outcome::kLost, Dkk(100), MakeDate(2025, 1, 10), MakeDate(2025, 2, 21)),
      Deal(7, Outcome::kLost, Dkk(100), MakeDate(2025, 1, 10), MakeDate(2025, 2, 22)),
      // Closed before the window.
      Deal(7, Outcome::kWon, Dkk(100), MakeDate(2024, 1, 10), MakeDate(2024, 2, 22)),
  };
  return in;
}

SegmentTableOptions Options(int64_t min_customers = 2) {
  SegmentTableOptions options;
  options.window = Window{MakeDate(2025, 1, 1), std::nullopt};
  options.min_customers = min_customers;
  return options;
}

TEST(SegmentTableTest, FiguresPerSegmentByHand) {
  const SegmentTable table = BuildSegmentTable(Fixture(), Options());
  ASSERT_EQ(table.segments.size(), 3u);
  const SegmentRow& a = table.segments[0];
  const SegmentRow& other = table.segments[1];
  const SegmentRow& none = table.segments[2];
  const SegmentRow& company = table.company;

  EXPECT_EQ(a.name, "Core A");
  EXPECT_TRUE(a.core);
  EXPECT_EQ(a.accounts, 3);
  EXPECT_EQ(a.customers, 2);
  EXPECT_EQ(a.won, 2);
  EXPECT_EQ(a.lost, 1);
  EXPECT_NEAR(*a.win_rate, 2.0 / 3.0, 1e-12);
  EXPECT_DOUBLE_EQ(*a.median_cycle_days, (30.0 + 59.0) / 2);
  ASSERT_EQ(a.currencies.size(), 1u);
  EXPECT_EQ(a.currencies[0].revenue, Dkk(3000));
  EXPECT_EQ(a.currencies[0].margin, Dkk(1100));
  EXPECT_NEAR(*a.currencies[0].margin_pct, 1100.0 / 3000.0, 1e-12);
  EXPECT_EQ(a.currencies[0].margin_per_customer, Dkk(550));
  EXPECT_EQ(a.currencies[0].won_deals, 2);
  EXPECT_EQ(*a.currencies[0].average_deal, Dkk(2000));
  EXPECT_EQ(*a.currencies[0].median_deal, Dkk(2000));

  EXPECT_EQ(other.accounts, 4);
  EXPECT_EQ(other.customers, 3);
  EXPECT_EQ(other.won, 2);
  EXPECT_EQ(other.lost, 3);
  EXPECT_NEAR(*other.win_rate, 0.4, 1e-12);
  EXPECT_DOUBLE_EQ(*other.median_cycle_days, 10);
  ASSERT_EQ(other.currencies.size(), 2u);  // DKK orders and deals, SEK deal
  EXPECT_EQ(other.currencies[0].currency.ToString(), "DKK");
  EXPECT_EQ(other.currencies[0].revenue, Dkk(4500));
  EXPECT_EQ(other.currencies[0].margin, Dkk(800));
  EXPECT_EQ(other.currencies[0].margin_per_customer.minor_units, 26667);  // 80000 / 3
  EXPECT_EQ(*other.currencies[0].average_deal, Dkk(500));
  EXPECT_EQ(other.currencies[1].currency.ToString(), "SEK");
  EXPECT_EQ(other.currencies[1].customers, 0);
  EXPECT_EQ(*other.currencies[1].median_deal, Sek(2000));
  EXPECT_FALSE(other.currencies[1].margin_pct.has_value());

  EXPECT_EQ(none.segment_id, 0);
  EXPECT_EQ(none.accounts, 1);
  EXPECT_EQ(none.customers, 0);

  EXPECT_EQ(company.accounts, 8);
  EXPECT_EQ(company.customers, 5);
  EXPECT_NEAR(*company.win_rate, 4.0 / 8.0, 1e-12);
  EXPECT_DOUBLE_EQ(*company.median_cycle_days, (10.0 + 30.0) / 2);  // 10, 10, 30, 59
  EXPECT_EQ(company.currencies[0].revenue, Dkk(7500));
  EXPECT_EQ(company.currencies[0].margin_per_customer, Dkk(380));
  EXPECT_EQ(*company.currencies[0].average_deal, Dkk(1500));  // (1000 + 3000 + 500) / 3
  EXPECT_EQ(*company.currencies[0].median_deal, Dkk(1000));

  // Margin per customer against the company's 380: 550 / 380 and (800 / 3) / 380.
  EXPECT_NEAR(*a.margin_per_customer_index, 550.0 / 380.0, 1e-12);
  EXPECT_NEAR(*other.margin_per_customer_index, 800.0 / 3 / 380.0, 1e-12);
  EXPECT_NEAR(*company.margin_per_customer_index, 1.0, 1e-12);
  EXPECT_FALSE(none.margin_per_customer_index.has_value());
  EXPECT_FALSE(a.value_index.has_value());
}

TEST(SegmentTableTest, SuggestsCoreSegmentsByTheRule) {
  const SegmentTable table = BuildSegmentTable(Fixture(), Options());
  const SegmentRow& a = table.segments[0];
  const SegmentRow& other = table.segments[1];
  EXPECT_TRUE(a.suggested_core);
  EXPECT_EQ(a.reason,
            "margin per customer 1.45× the company's, gross margin 36.7% against 25.3% in DKK, "
            "win rate 66.7% against 50.0%");
  EXPECT_FALSE(other.suggested_core);
  EXPECT_EQ(other.reason, "margin per customer 0.70× the company's");
  EXPECT_FALSE(table.segments[2].suggested_core);
  EXPECT_THAT(table.rule, HasSubstr("customers >= 2"));

  // Too few customers.
  const SegmentTable strict = BuildSegmentTable(Fixture(), Options(10));
  EXPECT_FALSE(strict.segments[0].suggested_core);
  EXPECT_EQ(strict.segments[0].reason, "2 customers, fewer than 10");
}

TEST(SegmentTableTest, AMarkedlyLowerWinRateIsNotCore) {
  StrategyInput in = Fixture();
  // Segment 10 now loses 18 more deals: 2 won of 21 (9.5%) against the company's 4 of 26
  // (15.4%); two standard errors on 21 deals at 15.4% are 15.7 points, so it still passes.
  for (int i = 0; i < 18; ++i) {
    in.deals.push_back(
        Deal(1, Outcome::kLost, Dkk(10), MakeDate(2025, 1, 1), MakeDate(2025, 2, 1)));
  }
  EXPECT_TRUE(BuildSegmentTable(in, Options()).segments[0].suggested_core);
  // Segment 20 wins 60 more: the company's rate is 64 of 86 (74.4%); segment 10's 9.5% on 21
  // deals is far more than two standard errors (19.0 points) below: the floor is 55.4%.
  for (int i = 0; i < 60; ++i) {
    in.deals.push_back(Deal(4, Outcome::kWon, Dkk(10), MakeDate(2025, 1, 1), MakeDate(2025, 2, 1)));
  }
  const SegmentTable table = BuildSegmentTable(in, Options());
  EXPECT_FALSE(table.segments[0].suggested_core);
  EXPECT_THAT(table.segments[0].reason, HasSubstr("win rate 9.5% against 74.4% (below 55.4%)"));
}

TEST(SegmentTableTest, ALowerMarginPercentIsNotCore) {
  StrategyInput in = Fixture();
  // Segment 10 grows through revenue at thin margin: margin per customer stays high, margin %
  // falls below the company's.
  in.orders.push_back(Order(1, Dkk(100000), Dkk(10000)));
  const SegmentTable table = BuildSegmentTable(in, Options());
  EXPECT_GT(*table.segments[0].margin_per_customer_index, 1);
  EXPECT_FALSE(table.segments[0].suggested_core);
  EXPECT_THAT(table.segments[0].reason, HasSubstr("gross margin 10.8% against 11.1% in DKK"));
}

TEST(SegmentTableTest, ReportsAccountValuesPerSegment) {
  StrategyInput in = Fixture();
  in.account_values = {{1, Dkk(5000)}, {4, Dkk(1000)}, {5, Sek(300)}};
  const SegmentTable table = BuildSegmentTable(in, Options());
  const SegmentCurrencyFigures& a = table.segments[0].currencies[0];
  EXPECT_EQ(a.valued_accounts, 1);
  EXPECT_EQ(*a.value_total, Dkk(5000));
  EXPECT_EQ(*a.value_per_account, Dkk(5000));
  EXPECT_EQ(*table.company.currencies[0].value_per_account, Dkk(3000));
  // DKK: 5000 against the company's 3000.
  EXPECT_NEAR(*table.segments[0].value_index, 5000.0 / 3000.0, 1e-12);
  // Segment 20: one DKK account at 1000 / 3000 and one SEK account at 300 / 300.
  EXPECT_NEAR(*table.segments[1].value_index, (1000.0 / 3000.0 + 1.0) / 2, 1e-12);
}

}  // namespace
}  // namespace salesbox::analytics::strategy

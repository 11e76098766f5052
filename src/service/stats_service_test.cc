// SPDX-License-Identifier: MIT
// StatsService: counts and totals against a hand-made database.
#include "service/stats_service.h"

#include <gtest/gtest.h>

#include "service/transfer.h"
#include "storage/open_store.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"

namespace salesbox::service {
namespace {

TEST(StatsServiceTest, CountsPipelineWinsAndOrdersByHand) {
  SB_ASSERT_OK_AND_ASSIGN(std::unique_ptr<storage::Store> store,
                          storage::OpenStore("sqlite::memory:"));
  test::FakeClock clock("2025-06-30T12:00:00Z");
  TransferService transfer(*store, clock);
  ImportOptions options;
  auto import = [&](Kind kind, std::string text) {
    SB_ASSERT_OK_AND_ASSIGN(csv::CsvReader reader, csv::CsvReader::FromString(text, "t.csv"));
    SB_ASSERT_OK_AND_ASSIGN(ImportReport report, transfer.Import(kind, reader, options));
    ASSERT_TRUE(report.errors.empty()) << report.errors[0].ToString();
  };
  import(Kind::kAccounts, "external_id,name\nA,Alpha\nB,Beta\n");
  import(Kind::kOpportunities,
         "external_id,account,name,stage,amount,currency,close_date,closed_date\n"
         "1,A,a,qualify,100,DKK,2025-07-15,\n"
         "2,A,b,qualify,50.50,DKK,2025-06-01,\n"    // overdue
         "3,B,c,commit,1000,SEK,2025-09-01,\n"
         "4,B,d,closed_won,700,DKK,,2025-03-01\n"
         "5,B,e,closed_won,300,DKK,,2024-01-01\n"   // more than a year ago
         "6,A,f,closed_lost,10,DKK,,2025-05-01\n");
  import(Kind::kOrders,
         "account,date,revenue,margin,currency\n"
         "A,2023-01-01,100,10,DKK\nA,2025-01-01,200,50,DKK\nB,2025-06-30,300,90,DKK\n");

  SB_ASSERT_OK_AND_ASSIGN(Stats stats, StatsService(*store).Compute(MakeDate(2025, 6, 30)));
  EXPECT_EQ(stats.counts[3], (std::pair<std::string, int64_t>("accounts", 2)));
  EXPECT_EQ(stats.counts[7], (std::pair<std::string, int64_t>("opportunities", 6)));
  ASSERT_EQ(stats.open_pipeline.size(), 5u);
  EXPECT_EQ(stats.open_pipeline[0].stage, "qualify");
  EXPECT_EQ(stats.open_pipeline[0].count, 2);
  EXPECT_EQ(stats.open_pipeline[0].amount_minor.at("DKK"), 15050);
  EXPECT_EQ(stats.open_pipeline[4].count, 1);
  EXPECT_EQ(stats.open_pipeline[4].amount_minor.at("SEK"), 100000);
  EXPECT_EQ(stats.open_overdue, 1);
  EXPECT_EQ(stats.won_last_year, 1);
  EXPECT_EQ(stats.lost_last_year, 1);
  EXPECT_EQ(stats.won_amount_last_year.at("DKK"), 70000);
  EXPECT_EQ(stats.order_revenue_last_year.at("DKK"), 50000);
  EXPECT_EQ(stats.order_margin_last_year.at("DKK"), 14000);
  EXPECT_EQ(stats.first_order_on, "2023-01-01");
  EXPECT_EQ(stats.last_order_on, "2025-06-30");
}

}  // namespace
}  // namespace salesbox::service

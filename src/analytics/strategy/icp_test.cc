// SPDX-License-Identifier: MIT
// The ideal customer profile on a hand example: lifts with shrinkage, support counts, the top
// customers per currency, and fit scores with their explanations.
#include "analytics/strategy/icp.h"

#include <cmath>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace salesbox::analytics::strategy {
namespace {

using ::salesbox::test::StatusIs;

Money Dkk(int64_t units) { return Money{units * 100, *Currency::Parse("DKK")}; }
Money Sek(int64_t units) { return Money{units * 100, *Currency::Parse("SEK")}; }

AccountFacts Account(int64_t id, std::string industry, int64_t employees, int64_t segment) {
  AccountFacts a;
  a.id = id;
  a.industry = std::move(industry);
  a.employees = employees;
  a.country = "NO";
  a.segment_id = segment;
  return a;
}

// Ten customers, all in DKK, with margins 1000, 900, ..., 100 (accounts 1..10): the top 20% are
// accounts 1 and 2. Accounts 1-3 are Manufacturing, 4-10 Retail; account 1 has 120 employees,
// account 2 300, the others 20. Account 1's first lead came from the web, account 4's by
// referral. Account 11 is a prospect (Manufacturing, 120 employees).
StrategyInput Fixture() {
  StrategyInput in;
  in.as_of = MakeDate(2025, 6, 30);
  in.segments = {{10, "Industrial", "industry=Manufacturing", true}, {20, "Retail", "*", false}};
  for (int64_t id = 1; id <= 10; ++id) {
    const int64_t employees = id == 1 ? 120 : id == 2 ? 300 : 20;
    in.accounts.push_back(
        Account(id, id <= 3 ? "Manufacturing" : "Retail", employees, id <= 3 ? 10 : 20));
    in.orders.push_back(OrderFacts{id, id, MakeDate(2025, 3, 1), Dkk(5000), Dkk(1100 - 100 * id)});
  }
  in.accounts.push_back(Account(11, "Manufacturing", 120, 10));
  in.leads = {
      {100, 1, 0, LeadSource::kWeb, MakeDate(2024, 1, 1)},
      {101, 1, 0, LeadSource::kReferral, MakeDate(2024, 6, 1)},  // later: not account 1's source
      {102, 4, 0, LeadSource::kReferral, MakeDate(2024, 2, 1)},
      {103, 0, 0, LeadSource::kWeb, MakeDate(2025, 1, 1)},  // no account
      {104, 11, 0, LeadSource::kReferral, MakeDate(2025, 2, 1)},
  };
  return in;
}

IcpOptions Options() {
  IcpOptions options;
  options.prior_strength = 4;
  return options;
}

TEST(IcpTest, LiftsWithShrinkageByHand) {
  SB_ASSERT_OK_AND_ASSIGN(IcpProfile profile, BuildIcpProfile(Fixture(), Options()));
  EXPECT_EQ(profile.value_basis, "margin");
  EXPECT_EQ(profile.customers, 10);
  EXPECT_EQ(profile.top_customers, 2);

  // p = 2/10. Manufacturing: n = 3, t = 2: raw (2/3)/0.2, shrunk (2 + 4·0.2)/((3 + 4)·0.2) = 2.
  const IcpLift* manufacturing = profile.Find(IcpAttribute::kIndustry, "Manufacturing");
  ASSERT_NE(manufacturing, nullptr);
  EXPECT_EQ(manufacturing->customers, 3);
  EXPECT_EQ(manufacturing->top_customers, 2);
  EXPECT_NEAR(manufacturing->share_all, 0.3, 1e-12);
  EXPECT_NEAR(manufacturing->share_top, 1.0, 1e-12);
  EXPECT_NEAR(manufacturing->raw_lift, 10.0 / 3.0, 1e-12);
  EXPECT_NEAR(manufacturing->lift, 2.0, 1e-12);
  // Retail: n = 7, t = 0: 0.8 / (11 · 0.2).
  const IcpLift* retail = profile.Find(IcpAttribute::kIndustry, "Retail");
  EXPECT_NEAR(retail->raw_lift, 0.0, 1e-12);
  EXPECT_NEAR(retail->lift, 0.8 / 2.2, 1e-12);
  // Size 50-249 (only account 1): raw 5, shrunk 1.8 / (5 · 0.2) = 1.8; 10-49: 0.8 / 2.4.
  EXPECT_NEAR(profile.Find(IcpAttribute::kSizeBand, "50-249")->raw_lift, 5.0, 1e-12);
  EXPECT_NEAR(profile.Find(IcpAttribute::kSizeBand, "50-249")->lift, 1.8, 1e-12);
  EXPECT_NEAR(profile.Find(IcpAttribute::kSizeBand, "250-999")->lift, 1.8, 1e-12);
  EXPECT_NEAR(profile.Find(IcpAttribute::kSizeBand, "10-49")->lift, 1.0 / 3.0, 1e-12);
  // Everyone is in NO: lift 1.
  EXPECT_NEAR(profile.Find(IcpAttribute::kCountry, "NO")->lift, 1.0, 1e-12);
  EXPECT_EQ(profile.Find(IcpAttribute::kRegion, ""), nullptr);
  // Lead source: only accounts 1 (web, top) and 4 (referral) have one, so p = 1/2 there:
  // web (1 + 2) / (5 · 0.5) = 1.2, referral 2 / 2.5 = 0.8.
  const IcpLift* web = profile.Find(IcpAttribute::kLeadSource, "web");
  EXPECT_EQ(web->customers, 1);
  EXPECT_NEAR(web->raw_lift, 2.0, 1e-12);
  EXPECT_NEAR(web->lift, 1.2, 1e-12);
  EXPECT_NEAR(profile.Find(IcpAttribute::kLeadSource, "referral")->lift, 0.8, 1e-12);
  // The segment is profiled but not used by the fit.
  const IcpLift* industrial = profile.Find(IcpAttribute::kSegment, "Industrial");
  EXPECT_NEAR(industrial->lift, 2.0, 1e-12);
  EXPECT_FALSE(industrial->in_fit);
  EXPECT_TRUE(manufacturing->in_fit);
  // Highest lift first within an attribute.
  EXPECT_EQ(profile.lifts[0].value, "Manufacturing");
  EXPECT_EQ(profile.lifts[1].value, "Retail");
}

TEST(IcpTest, WithoutShrinkageTheLiftIsTheRawLift) {
  IcpOptions options = Options();
  options.prior_strength = 0;
  SB_ASSERT_OK_AND_ASSIGN(IcpProfile profile, BuildIcpProfile(Fixture(), options));
  EXPECT_NEAR(profile.Find(IcpAttribute::kIndustry, "Manufacturing")->lift, 10.0 / 3.0, 1e-12);
  EXPECT_NEAR(profile.Find(IcpAttribute::kIndustry, "Retail")->lift, 0.0, 1e-12);
}

TEST(IcpTest, FitScoresPlaceEachAccountBetweenTheWorstAndTheBestProfile) {
  SB_ASSERT_OK_AND_ASSIGN(IcpProfile profile, BuildIcpProfile(Fixture(), Options()));
  // L = ln(0.8/2.2) + ln(1/3) + ln 0.8, H = ln 2 + ln 1.8 + ln 1.2 (country: 0, region: none).
  const double low = std::log(0.8 / 2.2) + std::log(1.0 / 3) + std::log(0.8);
  const double high = std::log(2.0) + std::log(1.8) + std::log(1.2);
  EXPECT_NEAR(profile.log_low, low, 1e-12);
  EXPECT_NEAR(profile.log_high, high, 1e-12);

  const StrategyInput in = Fixture();
  const std::vector<FitScore> fits = ScoreAccounts(profile, in);
  ASSERT_EQ(fits.size(), 11u);
  // Account 1 has every best value.
  EXPECT_EQ(fits[0].id, 1);
  EXPECT_NEAR(fits[0].score, 100, 1e-9);
  EXPECT_EQ(fits[0].explanation, "industry=Manufacturing ×2.0, size 50–249 ×1.8, source=web ×1.2");
  ASSERT_EQ(fits[0].factors.size(), 4u);  // and country=NO ×1.0, last
  EXPECT_EQ(fits[0].factors[3].attribute, IcpAttribute::kCountry);
  // Account 4 has every worst value.
  EXPECT_NEAR(fits[3].score, 0, 1e-9);
  EXPECT_EQ(fits[3].explanation, "size 10–49 ×0.33, industry=Retail ×0.36, source=referral ×0.80");
  // Account 3: Manufacturing but small: 100 · (ln 2 + ln 1/3 − L) / (H − L) = 50.78.
  EXPECT_NEAR(fits[2].score, 50.779, 1e-3);
  // Account 10 (Retail, small, no lead): 5.877.
  EXPECT_NEAR(fits[9].score, 5.877, 1e-3);
  // The prospect, account 11: Manufacturing, 120 employees, its lead by referral: 89.320.
  EXPECT_NEAR(fits[10].score, 89.320, 1e-3);
  EXPECT_NEAR(fits[10].score,
              100 * (std::log(2.0) + std::log(1.8) + std::log(0.8) - low) / (high - low), 1e-9);
}

TEST(IcpTest, LeadsAreScoredByTheirSourceAndTheirAccount) {
  SB_ASSERT_OK_AND_ASSIGN(IcpProfile profile, BuildIcpProfile(Fixture(), Options()));
  const std::vector<FitScore> fits = ScoreLeads(profile, Fixture());
  ASSERT_EQ(fits.size(), 5u);
  // Lead 103 has no account: its source alone, 100 · (ln 1.2 − L) / (H − L) = 66.261.
  EXPECT_EQ(fits[3].id, 103);
  EXPECT_NEAR(fits[3].score, 66.261, 1e-3);
  EXPECT_EQ(fits[3].explanation, "source=web ×1.2");
  // Lead 104 is account 11's: 89.320, as the account.
  EXPECT_NEAR(fits[4].score, 89.320, 1e-3);
  // Lead 101 is account 1's, but came by referral.
  EXPECT_LT(fits[1].score, fits[0].score);
}

TEST(IcpTest, TopCustomersAreChosenWithinEachCurrency) {
  StrategyInput in;
  in.as_of = MakeDate(2025, 6, 30);
  for (int64_t id = 1; id <= 4; ++id) {
    AccountFacts a;
    a.id = id;
    a.industry = id % 2 == 1 ? "A" : "B";
    in.accounts.push_back(a);
  }
  // DKK: 1 (1000) and 2 (10); SEK: 3 (5) and 4 (1). Top half per currency: 1 and 3.
  in.orders = {{1, 1, MakeDate(2025, 1, 1), Dkk(1), Dkk(1000)},
               {2, 2, MakeDate(2025, 1, 1), Dkk(1), Dkk(10)},
               {3, 3, MakeDate(2025, 1, 1), Sek(1), Sek(5)},
               {4, 4, MakeDate(2025, 1, 1), Sek(1), Sek(1)}};
  IcpOptions options;
  options.top_share = 0.5;
  options.prior_strength = 0;
  SB_ASSERT_OK_AND_ASSIGN(IcpProfile profile, BuildIcpProfile(in, options));
  EXPECT_EQ(profile.top_customers, 2);
  EXPECT_EQ(profile.Find(IcpAttribute::kIndustry, "A")->top_customers, 2);
  EXPECT_NEAR(profile.Find(IcpAttribute::kIndustry, "A")->lift, 2.0, 1e-12);

  // Account values (e.g. CLV) rank instead of margin: now 2 and 4 are the top.
  in.account_values = {{1, Dkk(1)}, {2, Dkk(50)}, {3, Sek(1)}, {4, Sek(9)}};
  SB_ASSERT_OK_AND_ASSIGN(IcpProfile by_value, BuildIcpProfile(in, options));
  EXPECT_EQ(by_value.value_basis, "account_value");
  EXPECT_EQ(by_value.Find(IcpAttribute::kIndustry, "B")->top_customers, 2);

  // A quarter of 10 customers rounds up to 3.
  options.top_share = 0.25;
  SB_ASSERT_OK_AND_ASSIGN(IcpProfile quarter, BuildIcpProfile(Fixture(), options));
  EXPECT_EQ(quarter.top_customers, 3);
}

TEST(IcpTest, RejectsBadOptionsAndDegenerateInput) {
  IcpOptions options;
  options.top_share = 0;
  EXPECT_THAT(BuildIcpProfile(Fixture(), options), StatusIs(StatusCode::kInvalidArgument));
  options.top_share = 0.2;
  options.prior_strength = -1;
  EXPECT_THAT(BuildIcpProfile(Fixture(), options), StatusIs(StatusCode::kInvalidArgument));
  StrategyInput empty;
  EXPECT_THAT(BuildIcpProfile(empty, {}), StatusIs(StatusCode::kFailedPrecondition));
  StrategyInput losses = Fixture();
  for (OrderFacts& order : losses.orders) order.margin.minor_units = -1;
  EXPECT_THAT(BuildIcpProfile(losses, {}), StatusIs(StatusCode::kFailedPrecondition));
}

TEST(IcpTest, SizeBandsAndLabels) {
  EXPECT_EQ(SizeBand(std::nullopt), "");
  EXPECT_EQ(SizeBand(0), "");
  EXPECT_EQ(SizeBand(9), "1-9");
  EXPECT_EQ(SizeBand(10), "10-49");
  EXPECT_EQ(SizeBand(49), "10-49");
  EXPECT_EQ(SizeBand(50), "50-249");
  EXPECT_EQ(SizeBand(999), "250-999");
  EXPECT_EQ(SizeBand(1000), "1000+");
  EXPECT_EQ(FactorLabel(IcpAttribute::kSizeBand, "1000+"), "size 1000+");
  EXPECT_EQ(FactorLabel(IcpAttribute::kRegion, "Oslo"), "region=Oslo");
}

}  // namespace
}  // namespace salesbox::analytics::strategy

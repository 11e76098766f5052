// SPDX-License-Identifier: MIT
// The strategy service against a real in-memory SQLite company computed by hand: what it reads
// as of a day, how accounts get their segment, and the numbers each analysis gives.
#include "service/strategy_service.h"

#include <memory>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "storage/open_store.h"
#include "testing/status_matchers.h"

namespace salesbox::service {
namespace {

namespace strategy = analytics::strategy;
using ::testing::HasSubstr;

Money Dkk(int64_t units) { return Money{units * 100, *Currency::Parse("DKK")}; }
Money Sek(int64_t units) { return Money{units * 100, *Currency::Parse("SEK")}; }

Timestamp At(int y, unsigned m, unsigned d, int hour = 9) {
  return StartOf(MakeDate(y, m, d)) + std::chrono::hours(hour);
}

// Segments (in id order): Small "employees<50", Industrial (core)
// "industry=Manufacturing;employees>=50", Other "*". Accounts: Alpha (Manufacturing, 120,
// stored Industrial), Beta (Retail, 20, none stored: derives Small), Gamma (Manufacturing, 300,
// stored Other although its rule says Industrial), Delta (IT, 80, none stored: Other). Rep A is
// in team East, rep B in no team. Today is 2025-06-15.
class StrategyServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SB_ASSERT_OK_AND_ASSIGN(store_, storage::OpenStore("sqlite::memory:"));
    storage::Store& s = *store_;
    Team east;
    east.name = "East";
    SB_ASSERT_OK_AND_ASSIGN(team_, s.teams().Insert(east));
    User a;
    a.email = "a@example.com";
    a.name = "Rep A";
    a.team_id = team_;
    SB_ASSERT_OK_AND_ASSIGN(rep_a_, s.users().Insert(a));
    User b;
    b.email = "b@example.com";
    b.name = "Rep B";
    SB_ASSERT_OK_AND_ASSIGN(rep_b_, s.users().Insert(b));

    auto segment = [&](std::string name, std::string rule, bool core) -> SegmentId {
      Segment seg;
      seg.name = std::move(name);
      seg.rule = std::move(rule);
      seg.core = core;
      Result<SegmentId> id = s.segments().Insert(seg);
      EXPECT_TRUE(id.ok()) << id.status().ToString();
      return id.ok() ? *id : SegmentId{};
    };
    small_ = segment("Small", "employees<50", false);
    industrial_ = segment("Industrial", "industry=Manufacturing;employees>=50", true);
    other_ = segment("Other", "*", false);

    auto add_account = [&](std::string name, std::string industry, int64_t employees,
                           std::optional<SegmentId> stored, UserId owner) -> AccountId {
      Account acc;
      acc.external_id = "ACC-" + name;
      acc.name = std::move(name);
      acc.industry = std::move(industry);
      acc.employees = employees;
      acc.country = "DK";
      acc.region = "Hovedstaden";
      acc.segment_id = stored;
      acc.owner_id = owner;
      acc.created_at = At(2024, 1, 1);
      Result<AccountId> id = s.accounts().Insert(acc);
      EXPECT_TRUE(id.ok()) << id.status().ToString();
      return id.ok() ? *id : AccountId{};
    };
    alpha_ = add_account("Alpha", "Manufacturing", 120, industrial_, rep_a_);
    beta_ = add_account("Beta", "Retail", 20, std::nullopt, rep_a_);
    gamma_ = add_account("Gamma", "Manufacturing", 300, other_, rep_b_);
    delta_ = add_account("Delta", "IT services", 80, std::nullopt, rep_b_);

    Contact contact;
    contact.external_id = "C-1";
    contact.account_id = gamma_;
    contact.name = "Greta";
    SB_ASSERT_OK_AND_ASSIGN(const ContactId gamma_contact, s.contacts().Insert(contact));

    int order_number = 0;
    auto order = [&](AccountId account, Date on, Money revenue, Money margin) {
      Order o;
      o.external_id = "O-" + std::to_string(++order_number);
      o.account_id = account;
      o.ordered_on = on;
      o.revenue = revenue;
      o.margin = margin;
      SB_ASSERT_OK(s.orders().Insert(o));
    };
    order(alpha_, MakeDate(2025, 1, 10), Dkk(1000), Dkk(400));
    order(alpha_, MakeDate(2025, 4, 5), Dkk(500), Dkk(150));
    order(beta_, MakeDate(2025, 2, 1), Dkk(200), Dkk(40));
    order(gamma_, MakeDate(2025, 3, 1), Sek(3000), Sek(900));
    order(alpha_, MakeDate(2025, 7, 1), Dkk(9000), Dkk(9000));  // after today

    int deal_number = 0;
    auto deal = [&](AccountId account, UserId owner, Stage stage, Money amount, Date created,
                    std::optional<Date> closed) -> OpportunityId {
      Opportunity o;
      o.external_id = "OPP-" + std::to_string(++deal_number);
      o.account_id = account;
      o.name = o.external_id;
      o.owner_id = owner;
      o.stage = stage;
      o.amount = amount;
      o.created_on = created;
      o.closed_on = closed;
      Result<OpportunityId> id = s.opportunities().Insert(o);
      EXPECT_TRUE(id.ok()) << id.status().ToString();
      return id.ok() ? *id : OpportunityId{};
    };
    deal(alpha_, rep_a_, Stage::kClosedWon, Dkk(1000), MakeDate(2025, 1, 1), MakeDate(2025, 2, 15));
    deal(beta_, rep_a_, Stage::kClosedLost, Dkk(300), MakeDate(2025, 1, 5), MakeDate(2025, 3, 1));
    const OpportunityId open =
        deal(alpha_, rep_a_, Stage::kPropose, Dkk(2000), MakeDate(2025, 3, 1), std::nullopt);
    // Won after today: open on the day.
    deal(gamma_, rep_b_, Stage::kClosedWon, Sek(700), MakeDate(2025, 2, 1), MakeDate(2025, 7, 1));
    // Created after today: not there yet.
    deal(delta_, rep_b_, Stage::kQualify, Dkk(50), MakeDate(2025, 7, 2), std::nullopt);

    int activity_number = 0;
    auto activity = [&](UserId owner, ActivityType type, ActivityStatus status, Timestamp at,
                        std::optional<AccountId> account, std::optional<OpportunityId> opp,
                        std::optional<ContactId> contact_id) {
      Activity act;
      act.external_id = "ACT-" + std::to_string(++activity_number);
      act.owner_id = owner;
      act.type = type;
      act.status = status;
      act.at = at;
      act.account_id = account;
      act.opportunity_id = opp;
      act.contact_id = contact_id;
      SB_ASSERT_OK(s.activities().Insert(act));
    };
    using T = ActivityType;
    const ActivityStatus done = ActivityStatus::kCompleted;
    activity(rep_a_, T::kMeeting, done, At(2025, 4, 10), alpha_, std::nullopt, std::nullopt);
    activity(rep_a_, T::kCall, done, At(2025, 5, 1), beta_, std::nullopt, std::nullopt);
    // About Alpha only through its opportunity.
    activity(rep_a_, T::kMeeting, done, At(2025, 5, 2), std::nullopt, open, std::nullopt);
    // About Gamma only through its contact.
    activity(rep_b_, T::kEmail, done, At(2025, 5, 3), std::nullopt, std::nullopt, gamma_contact);
    // Not counted: planned, and completed after today.
    activity(rep_a_, T::kMeeting, ActivityStatus::kPlanned, At(2025, 5, 4), alpha_, std::nullopt,
             std::nullopt);
    activity(rep_a_, T::kCall, done, At(2025, 6, 16, 10), alpha_, std::nullopt, std::nullopt);

    auto lead = [&](std::string id, LeadSource source, std::optional<AccountId> account,
                    Date created) {
      Lead l;
      l.external_id = std::move(id);
      l.name = "Lena";
      l.company = "Lena's";
      l.source = source;
      l.account_id = account;
      l.created_on = created;
      SB_ASSERT_OK(s.leads().Insert(l));
    };
    lead("L-1", LeadSource::kWeb, alpha_, MakeDate(2024, 12, 1));
    lead("L-2", LeadSource::kReferral, std::nullopt, MakeDate(2025, 5, 1));
    lead("L-3", LeadSource::kWeb, std::nullopt, MakeDate(2025, 7, 1));  // after today
  }

  StrategyRequest Request() {
    StrategyRequest request;
    request.as_of = MakeDate(2025, 6, 15);
    request.min_customers = 1;
    request.alignment_from = MakeDate(2025, 4, 1);
    return request;
  }

  const strategy::SegmentRow& Row(const StrategyReport& report, SegmentId id) {
    for (const strategy::SegmentRow& row : report.segment_table.segments) {
      if (row.segment_id == id.value) return row;
    }
    ADD_FAILURE() << "no segment " << id.value;
    return report.segment_table.company;
  }

  std::unique_ptr<storage::Store> store_;
  TeamId team_;
  UserId rep_a_, rep_b_;
  SegmentId small_, industrial_, other_;
  AccountId alpha_, beta_, gamma_, delta_;
};

TEST_F(StrategyServiceTest, ReadsTheFactsAsOfTheDay) {
  SB_ASSERT_OK_AND_ASSIGN(StrategyData data, LoadStrategyData(*store_, MakeDate(2025, 6, 15)));
  const strategy::StrategyInput& in = data.input;
  ASSERT_EQ(in.segments.size(), 3u);
  EXPECT_EQ(in.segments[1].name, "Industrial");
  EXPECT_TRUE(in.segments[1].core);
  EXPECT_EQ(in.accounts.size(), 4u);
  EXPECT_EQ(in.orders.size(), 4u);
  EXPECT_EQ(in.deals.size(), 4u);
  EXPECT_EQ(in.activities.size(), 4u);
  EXPECT_EQ(in.leads.size(), 2u);
  EXPECT_EQ(in.team_of.at(rep_a_.value), team_.value);
  EXPECT_FALSE(in.team_of.contains(rep_b_.value));
  // The deal won after today was open on the day.
  for (const strategy::DealFacts& d : in.deals) {
    if (d.amount == Sek(700)) {
      EXPECT_EQ(d.outcome, Outcome::kOpen);
      EXPECT_FALSE(d.closed_on.has_value());
    }
  }
  // Activities are placed through their opportunity and their contact.
  EXPECT_EQ(in.activities[2].account_id, alpha_.value);
  EXPECT_EQ(in.activities[3].account_id, gamma_.value);

  // Stored segments win; accounts without one get the derived one.
  ASSERT_EQ(data.assignments.size(), 4u);
  EXPECT_EQ(in.accounts[0].segment_id, industrial_.value);
  EXPECT_FALSE(data.assignments[0].changed());
  EXPECT_EQ(in.accounts[1].segment_id, small_.value);
  EXPECT_TRUE(data.assignments[1].changed());
  EXPECT_EQ(in.accounts[2].segment_id, other_.value);
  EXPECT_EQ(data.assignments[2].derived_segment_id, industrial_.value);
  EXPECT_EQ(in.accounts[3].segment_id, other_.value);
  EXPECT_TRUE(data.rule_errors.empty());
}

TEST_F(StrategyServiceTest, AnalysesMatchTheHandCount) {
  SB_ASSERT_OK_AND_ASSIGN(StrategyReport report, RunStrategy(*store_, Request()));
  EXPECT_EQ(*report.window.from, MakeDate(2022, 6, 16));

  // Profitability per segment and quarter.
  ASSERT_EQ(report.segment_profitability.size(), 4u);
  const strategy::ProfitRow& q1_small = report.segment_profitability[0];
  EXPECT_EQ(q1_small.key, small_.value);
  EXPECT_EQ(q1_small.revenue, Dkk(200));
  const strategy::ProfitRow& q1_industrial = report.segment_profitability[1];
  EXPECT_EQ(q1_industrial.key, industrial_.value);
  EXPECT_EQ(q1_industrial.margin, Dkk(400));
  EXPECT_NEAR(*q1_industrial.margin_pct, 0.4, 1e-12);
  EXPECT_EQ(report.segment_profitability[2].revenue, Sek(3000));  // Other, Q1
  EXPECT_EQ(report.segment_profitability[3].margin, Dkk(150));    // Industrial, Q2
  EXPECT_EQ(report.account_profitability.size(), 4u);

  // Segment table: Industrial won its one closed deal in 45 days; Small lost its one.
  const strategy::SegmentRow& industrial = Row(report, industrial_);
  EXPECT_EQ(industrial.won, 1);
  EXPECT_NEAR(*industrial.win_rate, 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(*industrial.median_cycle_days, 45);
  EXPECT_EQ(industrial.customers, 1);
  EXPECT_NEAR(*Row(report, small_).win_rate, 0.0, 1e-12);
  EXPECT_NEAR(*report.segment_table.company.win_rate, 0.5, 1e-12);
  EXPECT_TRUE(industrial.suggested_core);
  EXPECT_FALSE(Row(report, small_).suggested_core);

  // ICP: customers Alpha (550 DKK), Beta (40 DKK), Gamma (900 SEK); the top of each currency
  // are Alpha and Gamma, both Manufacturing.
  ASSERT_TRUE(report.icp.has_value()) << report.icp_error;
  EXPECT_EQ(report.icp->customers, 3);
  EXPECT_EQ(report.icp->top_customers, 2);
  EXPECT_EQ(report.icp->Find(strategy::IcpAttribute::kIndustry, "Manufacturing")->top_customers, 2);
  ASSERT_EQ(report.account_fits.size(), 4u);
  EXPECT_GT(report.account_fits[0].score, report.account_fits[1].score);
  EXPECT_THAT(report.account_fits[0].explanation, HasSubstr("industry=Manufacturing"));
  EXPECT_EQ(report.lead_fits.size(), 2u);

  // Alignment, Q2 (to today): Rep A's meeting with Alpha, call with Beta and meeting on Alpha's
  // deal; Rep B's e-mail to Gamma's contact. Core (Industrial): the two about Alpha.
  const strategy::AlignmentRow& company = report.alignment.front();
  EXPECT_EQ(company.level, strategy::AlignmentLevel::kCompany);
  EXPECT_EQ(company.period.start, MakeDate(2025, 4, 1));
  EXPECT_EQ(company.activities.total, 4);
  EXPECT_EQ(company.activities.core, 2);
  EXPECT_EQ(company.meetings.total, 2);
  EXPECT_EQ(company.meetings.core, 2);
  // Open today: Alpha's 2000 DKK (core) and Gamma's 700 SEK.
  ASSERT_EQ(company.pipeline.size(), 2u);
  EXPECT_EQ(company.pipeline[0].total, Dkk(2000));
  EXPECT_EQ(company.pipeline[0].core, Dkk(2000));
  EXPECT_EQ(company.pipeline[1].total, Sek(700));
  EXPECT_EQ(company.pipeline[1].core, Sek(0));
  for (const strategy::AlignmentRow& row : report.alignment) {
    if (row.level == strategy::AlignmentLevel::kTeam) {
      EXPECT_EQ(row.id, team_.value);
      EXPECT_EQ(row.activities.total, 3);
      EXPECT_EQ(row.activities.core, 2);
    }
    if (row.level == strategy::AlignmentLevel::kRep && row.id == rep_b_.value) {
      EXPECT_EQ(row.activities.total, 1);
      EXPECT_EQ(row.activities.core, 0);
    }
  }
  EXPECT_EQ(report.core_segments, std::vector<int64_t>{industrial_.value});
}

TEST_F(StrategyServiceTest, AlignsWithTheSuggestedCoreSetWhenAsked) {
  StrategyRequest request = Request();
  request.align_with_suggested = true;
  SB_ASSERT_OK_AND_ASSIGN(StrategyReport report, RunStrategy(*store_, request));
  std::vector<int64_t> suggested;
  for (const strategy::SegmentRow& row : report.segment_table.segments) {
    if (row.suggested_core) suggested.push_back(row.segment_id);
  }
  EXPECT_EQ(report.core_segments, suggested);
}

TEST_F(StrategyServiceTest, ReportsBadRulesAndKeepsGoing) {
  SB_ASSERT_OK_AND_ASSIGN(Segment small, store_->segments().Get(small_));
  small.rule = "employees<fifty";
  SB_ASSERT_OK(store_->segments().Update(small));
  SB_ASSERT_OK_AND_ASSIGN(StrategyData data, LoadStrategyData(*store_, MakeDate(2025, 6, 15)));
  ASSERT_EQ(data.rule_errors.size(), 1u);
  EXPECT_THAT(data.rule_errors[0],
              HasSubstr("segment \"Small\": segment rule \"employees<fifty\""));
  // Beta (20 employees, nothing stored) now falls through to Other.
  EXPECT_EQ(data.input.accounts[1].segment_id, other_.value);
}

TEST_F(StrategyServiceTest, JsonCarriesEverySection) {
  StrategyRequest request = Request();
  request.account_values = {{alpha_.value, Dkk(10000)}, {gamma_.value, Sek(5000)}};
  SB_ASSERT_OK_AND_ASSIGN(StrategyReport report, RunStrategy(*store_, request));
  const nlohmann::json json = StrategyReportJson(report);
  EXPECT_EQ(json["as_of"], "2025-06-15");
  EXPECT_EQ(json["segment_changes"].size(), 3u);  // Beta, Gamma and Delta
  const nlohmann::json& table = json["segment_table"];
  EXPECT_EQ(table["segments"].size(), 3u);
  EXPECT_EQ(table["segments"][1]["name"], "Industrial");
  EXPECT_EQ(table["segments"][1]["currencies"][0]["value_total"]["amount_minor"], 1000000);
  EXPECT_EQ(json["icp"]["value_basis"], "account_value");
  EXPECT_EQ(json["icp"]["attributes"]["industry"][0]["value"], "Manufacturing");
  EXPECT_EQ(json["fit"]["accounts"].size(), 4u);
  EXPECT_EQ(json["fit"]["leads"][0]["name"].get<std::string>().substr(0, 4), "Lena");
  EXPECT_EQ(json["alignment"]["rows"][0]["level"], "company");
  EXPECT_EQ(json["alignment"]["rows"][0]["period"]["label"], "2025-Q2");
  EXPECT_EQ(json["profitability"]["segments"][0]["revenue"]["currency"], "DKK");
  EXPECT_EQ(json["profitability"]["segments"][0]["name"], "Small");
}

TEST_F(StrategyServiceTest, RejectsAWindowAfterTheDay) {
  StrategyRequest request = Request();
  request.from = MakeDate(2025, 7, 1);
  EXPECT_THAT(RunStrategy(*store_, request),
              test::StatusIsWithMessage(StatusCode::kInvalidArgument, "after the day"));
}

}  // namespace
}  // namespace salesbox::service

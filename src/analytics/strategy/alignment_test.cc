// SPDX-License-Identifier: MIT
// Alignment against a hand count on a small fixture: meetings, activities and open pipeline in
// core segments and high-fit accounts, per rep, team and company, per quarter.
#include "analytics/strategy/alignment.h"

#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace salesbox::analytics::strategy {
namespace {

using ::salesbox::test::StatusIs;

Money Dkk(int64_t units) { return Money{units * 100, *Currency::Parse("DKK")}; }
Money Sek(int64_t units) { return Money{units * 100, *Currency::Parse("SEK")}; }

AccountFacts Account(int64_t id, int64_t segment) {
  AccountFacts a;
  a.id = id;
  a.segment_id = segment;
  return a;
}

ActivityFacts Activity(int64_t owner, int64_t account, int64_t lead, ActivityType type, Date on) {
  return ActivityFacts{owner, account, lead, type, on};
}

DealFacts Deal(int64_t owner, int64_t account, Money amount, Date created,
               std::optional<Date> closed = std::nullopt) {
  DealFacts d;
  d.owner_id = owner;
  d.account_id = account;
  d.amount = amount;
  d.created_on = created;
  d.closed_on = closed;
  d.outcome = closed ? Outcome::kLost : Outcome::kOpen;
  return d;
}

constexpr int64_t kRep100 = 100, kRep101 = 101, kRep102 = 102, kTeam = 7;

// Segment 10 is core. Account 1 (segment 10, fit 80), 2 (segment 20, fit 70), 3 (segment 20,
// fit 20). Lead 50 (no account, fit 65), lead 51 (fit 10). Reps 100 and 101 are in team 7,
// rep 102 in no team. Today is 2025-05-15; quarters from 2025-01-01 to 2025-06-30.
class AlignmentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    in_.as_of = MakeDate(2025, 5, 15);
    in_.segments = {{10, "Core", "industry=X", true}, {20, "Other", "*", false}};
    in_.accounts = {Account(1, 10), Account(2, 20), Account(3, 20)};
    in_.team_of = {{kRep100, kTeam}, {kRep101, kTeam}};
    using T = ActivityType;
    in_.activities = {
        Activity(kRep100, 1, 0, T::kMeeting, MakeDate(2025, 1, 10)),   // a: core, high-fit
        Activity(kRep100, 2, 0, T::kCall, MakeDate(2025, 2, 1)),       // b: high-fit
        Activity(kRep100, 3, 0, T::kMeeting, MakeDate(2025, 3, 1)),    // c: neither
        Activity(kRep101, 0, 50, T::kEmail, MakeDate(2025, 3, 15)),    // d: high-fit lead
        Activity(kRep101, 1, 0, T::kMeeting, MakeDate(2025, 3, 20)),   // e: core, high-fit
        Activity(kRep102, 0, 0, T::kTask, MakeDate(2025, 2, 2)),       // f: unlinked
        Activity(0, 1, 0, T::kMeeting, MakeDate(2025, 1, 5)),          // g: unowned, core, fit
        Activity(kRep100, 2, 0, T::kMeeting, MakeDate(2025, 4, 2)),    // h (Q2): high-fit
        Activity(kRep101, 0, 51, T::kCall, MakeDate(2025, 5, 1)),      // i (Q2): low-fit lead
        Activity(kRep100, 1, 0, T::kMeeting, MakeDate(2024, 12, 31)),  // before the window
    };
    in_.deals = {
        Deal(kRep100, 1, Dkk(1000), MakeDate(2024, 12, 1)),                       // D1
        Deal(kRep100, 2, Dkk(500), MakeDate(2025, 2, 1), MakeDate(2025, 4, 10)),  // D2
        Deal(kRep101, 3, Sek(2000), MakeDate(2025, 3, 1)),                        // D3
        Deal(kRep101, 1, Dkk(300), MakeDate(2025, 4, 1)),                         // D4
        Deal(kRep102, 1, Dkk(400), MakeDate(2025, 1, 1), MakeDate(2025, 3, 31)),  // D6
    };
    account_fits_ = {{1, 80, {}, ""}, {2, 70, {}, ""}, {3, 20, {}, ""}};
    lead_fits_ = {{50, 65, {}, ""}, {51, 10, {}, ""}};
    options_.granularity = Granularity::kQuarter;
    options_.from = MakeDate(2025, 1, 1);
    options_.to = MakeDate(2025, 6, 30);
    options_.fit_threshold = 60;
  }

  std::vector<AlignmentRow> Run() {
    Result<std::vector<AlignmentRow>> rows =
        MeasureAlignment(in_, account_fits_, lead_fits_, options_);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? *rows : std::vector<AlignmentRow>{};
  }

  static const AlignmentRow& Find(const std::vector<AlignmentRow>& rows, AlignmentLevel level,
                                  int64_t id, Date start) {
    for (const AlignmentRow& row : rows) {
      if (row.level == level && row.id == id && row.period.start == start) return row;
    }
    ADD_FAILURE() << "no row " << AlignmentLevelName(level) << " " << id;
    static const AlignmentRow kNone;
    return kNone;
  }

  StrategyInput in_;
  std::vector<FitScore> account_fits_, lead_fits_;
  AlignmentOptions options_;
};

void ExpectCounts(const ShareCount& c, int64_t total, int64_t core, int64_t high_fit) {
  EXPECT_EQ(c.total, total);
  EXPECT_EQ(c.core, core);
  EXPECT_EQ(c.high_fit, high_fit);
}

TEST_F(AlignmentTest, CountsActivitiesAndMeetingsByHand) {
  const std::vector<AlignmentRow> rows = Run();
  const Date q1 = MakeDate(2025, 1, 1);
  const Date q2 = MakeDate(2025, 4, 1);
  // Company, Q1: a-g; core a, e, g; high-fit a, b, d, e, g. Meetings a, c, e, g.
  const AlignmentRow& company = Find(rows, AlignmentLevel::kCompany, 0, q1);
  EXPECT_EQ(company.period, (Period{q1, MakeDate(2025, 3, 31)}));
  ExpectCounts(company.activities, 7, 3, 5);
  ExpectCounts(company.meetings, 4, 3, 3);
  EXPECT_EQ(company.unlinked_activities, 1);
  EXPECT_NEAR(*company.activities.core_share(), 3.0 / 7, 1e-12);
  EXPECT_NEAR(*company.meetings.high_fit_share(), 0.75, 1e-12);
  // Team 7, Q1: a-e.
  const AlignmentRow& team = Find(rows, AlignmentLevel::kTeam, kTeam, q1);
  ExpectCounts(team.activities, 5, 2, 4);
  ExpectCounts(team.meetings, 3, 2, 2);
  // Reps, Q1.
  ExpectCounts(Find(rows, AlignmentLevel::kRep, kRep100, q1).activities, 3, 1, 2);
  ExpectCounts(Find(rows, AlignmentLevel::kRep, kRep100, q1).meetings, 2, 1, 1);
  ExpectCounts(Find(rows, AlignmentLevel::kRep, kRep101, q1).activities, 2, 1, 2);
  ExpectCounts(Find(rows, AlignmentLevel::kRep, kRep101, q1).meetings, 1, 1, 1);
  const AlignmentRow& lone = Find(rows, AlignmentLevel::kRep, kRep102, q1);
  ExpectCounts(lone.activities, 1, 0, 0);
  EXPECT_EQ(lone.unlinked_activities, 1);
  EXPECT_FALSE(lone.meetings.core_share().has_value());
  // Company, Q2 (to today): h, i; the meeting h is high-fit.
  const AlignmentRow& later = Find(rows, AlignmentLevel::kCompany, 0, q2);
  EXPECT_EQ(later.period, (Period{q2, MakeDate(2025, 6, 30)}));
  ExpectCounts(later.activities, 2, 0, 1);
  ExpectCounts(later.meetings, 1, 0, 1);
  // No team row for rep 102, and 2 company + 2 team + 3 reps in Q1 + 2 reps in Q2 rows.
  EXPECT_EQ(rows.size(), 2u + 2u + 5u);
}

TEST_F(AlignmentTest, SumsOpenPipelinePerCurrencyAtEachPeriodEnd) {
  const std::vector<AlignmentRow> rows = Run();
  const Date q1 = MakeDate(2025, 1, 1);
  const Date q2 = MakeDate(2025, 4, 1);
  // Open on 2025-03-31: D1 (1000 DKK, account 1), D2 (500 DKK, account 2), D3 (2000 SEK,
  // account 3); D6 closed that day.
  const AlignmentRow& company = Find(rows, AlignmentLevel::kCompany, 0, q1);
  ASSERT_EQ(company.pipeline.size(), 2u);
  const PipelineShare& dkk = company.pipeline[0];
  EXPECT_EQ(dkk.currency.ToString(), "DKK");
  EXPECT_EQ(dkk.deals, 2);
  EXPECT_EQ(dkk.total, Dkk(1500));
  EXPECT_EQ(dkk.core, Dkk(1000));
  EXPECT_EQ(dkk.high_fit, Dkk(1500));
  EXPECT_NEAR(*dkk.core_share(), 2.0 / 3, 1e-12);
  const PipelineShare& sek = company.pipeline[1];
  EXPECT_EQ(sek.total, Sek(2000));
  EXPECT_EQ(sek.core, Sek(0));
  EXPECT_EQ(sek.high_fit, Sek(0));
  EXPECT_NEAR(*sek.high_fit_share(), 0.0, 1e-12);
  // Open today (2025-05-15, within Q2): D1, D3, D4; D2 was lost on 2025-04-10.
  const AlignmentRow& now = Find(rows, AlignmentLevel::kCompany, 0, q2);
  ASSERT_EQ(now.pipeline.size(), 2u);
  EXPECT_EQ(now.pipeline[0].total, Dkk(1300));
  EXPECT_EQ(now.pipeline[0].core, Dkk(1300));
  EXPECT_EQ(now.pipeline[1].total, Sek(2000));
  // Per rep and team.
  EXPECT_EQ(Find(rows, AlignmentLevel::kRep, kRep100, q1).pipeline[0].total, Dkk(1500));
  EXPECT_EQ(Find(rows, AlignmentLevel::kRep, kRep100, q2).pipeline[0].total, Dkk(1000));
  const AlignmentRow& rep101 = Find(rows, AlignmentLevel::kRep, kRep101, q2);
  ASSERT_EQ(rep101.pipeline.size(), 2u);
  EXPECT_EQ(rep101.pipeline[0].total, Dkk(300));
  EXPECT_EQ(rep101.pipeline[1].total, Sek(2000));
  const AlignmentRow& team = Find(rows, AlignmentLevel::kTeam, kTeam, q1);
  EXPECT_EQ(team.pipeline[0].total, Dkk(1500));
  EXPECT_EQ(team.pipeline[1].total, Sek(2000));
}

TEST_F(AlignmentTest, AGivenCoreSetAndThresholdReplaceTheStoredOnes) {
  options_.core_segments = std::vector<int64_t>{20};
  options_.fit_threshold = 75;
  const std::vector<AlignmentRow> rows = Run();
  const AlignmentRow& company = Find(rows, AlignmentLevel::kCompany, 0, MakeDate(2025, 1, 1));
  // Core now: b, c (accounts 2, 3); high-fit (>= 75): a, e, g (account 1).
  ExpectCounts(company.activities, 7, 2, 3);
  ExpectCounts(company.meetings, 4, 1, 3);
}

TEST_F(AlignmentTest, MonthlyPeriodsAndDefaults) {
  options_.granularity = Granularity::kMonth;
  options_.from.reset();
  options_.to.reset();
  const std::vector<AlignmentRow> rows = Run();
  // Defaults: from the month containing 2024-05-16 to today: 13 months, each with a company row.
  int64_t company_rows = 0;
  for (const AlignmentRow& row : rows) company_rows += row.level == AlignmentLevel::kCompany;
  EXPECT_EQ(company_rows, 13);
  EXPECT_EQ(rows.front().period.start, MakeDate(2024, 5, 1));
  const AlignmentRow& january = Find(rows, AlignmentLevel::kCompany, 0, MakeDate(2025, 1, 1));
  ExpectCounts(january.activities, 2, 2, 2);  // a and g
  const AlignmentRow& december = Find(rows, AlignmentLevel::kCompany, 0, MakeDate(2024, 12, 1));
  ExpectCounts(december.meetings, 1, 1, 1);
  ASSERT_EQ(december.pipeline.size(), 1u);
  EXPECT_EQ(december.pipeline[0].total, Dkk(1000));  // D1, created 2024-12-01
}

TEST_F(AlignmentTest, RejectsAnInvertedWindow) {
  options_.from = MakeDate(2025, 7, 1);
  EXPECT_THAT(MeasureAlignment(in_, account_fits_, lead_fits_, options_),
              StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace salesbox::analytics::strategy

// SPDX-License-Identifier: MIT
// Objective progress against hand counts on a small fixture: every metric, the window clipped
// at as_of, and the status at each boundary.
#include "analytics/strategy/objectives.h"

#include <vector>

#include <gtest/gtest.h>

namespace salesbox::analytics::strategy {
namespace {

const Currency kDkk = *Currency::Parse("DKK");
const Currency kSek = *Currency::Parse("SEK");
Money Dkk(int64_t units) { return Money{units * 100, kDkk}; }
Money Sek(int64_t units) { return Money{units * 100, kSek}; }
Date D(int y, unsigned m, unsigned d) { return MakeDate(y, m, d); }

DealFacts Deal(Outcome outcome, Money amount, std::optional<Date> closed) {
  DealFacts d;
  d.outcome = outcome;
  d.amount = amount;
  d.created_on = D(2025, 1, 1);
  d.closed_on = closed;
  return d;
}

// Segment 1 is core. Accounts 10 and 11 are in it, 12 is not.
StrategyInput Fixture(Date as_of) {
  StrategyInput in;
  in.as_of = as_of;
  in.segments = {{1, "Core", "", true}, {2, "Other", "", false}};
  in.accounts = {
      {10, "", {}, "", "", 0, 1}, {11, "", {}, "", "", 0, 1}, {12, "", {}, "", "", 0, 2}};
  in.deals = {
      Deal(Outcome::kWon, Dkk(100), D(2025, 4, 10)), Deal(Outcome::kWon, Dkk(50), D(2025, 5, 20)),
      Deal(Outcome::kWon, Sek(999), D(2025, 4, 11)),  // another currency
      Deal(Outcome::kWon, Dkk(70), D(2025, 3, 31)),   // before the period
      Deal(Outcome::kLost, Dkk(10), D(2025, 4, 2)),  Deal(Outcome::kLost, Sek(10), D(2025, 5, 2)),
      Deal(Outcome::kOpen, Dkk(500), std::nullopt),
  };
  in.orders = {
      {1, 10, D(2024, 11, 5), Dkk(1000), Dkk(300)},  // account 10's first order: old customer
      {2, 10, D(2025, 4, 5), Dkk(2000), Dkk(500)},
      {3, 11, D(2025, 4, 20), Dkk(1000), Dkk(100)},  // account 11: new in the period
      {4, 12, D(2025, 5, 1), Sek(4000), Sek(1000)},  // account 12: new, other currency
      {5, 12, D(2025, 7, 1), Sek(4000), Sek(1000)},  // after the period
  };
  in.activities = {
      {1, 10, 0, ActivityType::kMeeting, D(2025, 4, 3)},
      {1, 11, 0, ActivityType::kMeeting, D(2025, 4, 4)},
      {1, 12, 0, ActivityType::kMeeting, D(2025, 5, 4)},
      {1, 0, 0, ActivityType::kMeeting, D(2025, 5, 5)},  // about no account: total, never core
      {1, 10, 0, ActivityType::kCall, D(2025, 5, 6)},
      {1, 12, 0, ActivityType::kCall, D(2025, 5, 7)},
      {1, 10, 0, ActivityType::kMeeting, D(2025, 3, 1)},  // before the period
  };
  return in;
}

Objective Make(ObjectiveMetric metric, double target, std::optional<Money> amount = {}) {
  Objective o;
  o.name = "o";
  o.metric = metric;
  o.target = target;
  o.target_amount = amount;
  o.period_start = D(2025, 4, 1);
  o.period_end = D(2025, 6, 30);  // Q2: 91 days
  return o;
}

const std::vector<int64_t> kCore = {1};

TEST(ObjectivesTest, EveryMetricAgainstAHandCount) {
  const StrategyInput in = Fixture(D(2025, 6, 30));
  auto actual = [&](ObjectiveMetric m, std::optional<Money> amount = {}) {
    return MeasureObjective(in, Make(m, 1, amount), kCore).actual;
  };
  EXPECT_EQ(actual(ObjectiveMetric::kWonAmount, Dkk(0)), 15000.0);  // 100 + 50 DKK in øre
  EXPECT_EQ(actual(ObjectiveMetric::kWonAmount, Sek(0)), 99900.0);
  EXPECT_EQ(actual(ObjectiveMetric::kGrossMargin, Dkk(0)), 60000.0);     // 500 + 100
  EXPECT_DOUBLE_EQ(*actual(ObjectiveMetric::kMarginPct, Dkk(0)), 20.0);  // 600 / 3000
  EXPECT_DOUBLE_EQ(*actual(ObjectiveMetric::kMarginPct, Sek(0)), 25.0);
  // Won 3 (2 DKK, 1 SEK), lost 2, in the period; currencies do not matter for a rate.
  EXPECT_DOUBLE_EQ(*actual(ObjectiveMetric::kWinRate), 60.0);
  EXPECT_EQ(actual(ObjectiveMetric::kNewCustomers), 2.0);  // 11 and 12
  EXPECT_EQ(actual(ObjectiveMetric::kMeetings), 4.0);
  EXPECT_DOUBLE_EQ(*actual(ObjectiveMetric::kCoreMeetingShare), 50.0);   // 2 of 4
  EXPECT_DOUBLE_EQ(*actual(ObjectiveMetric::kCoreActivityShare), 50.0);  // 3 of 6
}

TEST(ObjectivesTest, TheWindowEndsAtAsOf) {
  const StrategyInput in = Fixture(D(2025, 4, 30));  // 30 of 91 days
  ObjectiveProgress p = MeasureObjective(in, Make(ObjectiveMetric::kMeetings, 6), kCore);
  EXPECT_EQ(p.actual, 2.0);
  EXPECT_DOUBLE_EQ(p.elapsed, 30.0 / 91.0);
  EXPECT_DOUBLE_EQ(*p.progress, 2.0 / 6.0);
  EXPECT_EQ(p.status, ObjectiveStatus::kOnTrack);  // 0.333 >= 0.330

  p = MeasureObjective(in, Make(ObjectiveMetric::kMeetings, 7), kCore);
  EXPECT_EQ(p.status, ObjectiveStatus::kBehind);  // 0.286 < 0.330
  p = MeasureObjective(in, Make(ObjectiveMetric::kMeetings, 2), kCore);
  EXPECT_EQ(p.status, ObjectiveStatus::kAchieved);  // reached before the end

  p = MeasureObjective(in, Make(ObjectiveMetric::kWonAmount, 0, Dkk(300)), kCore);
  EXPECT_EQ(p.actual, 10000.0);
  EXPECT_EQ(p.target, 30000.0);
  EXPECT_EQ(p.status, ObjectiveStatus::kOnTrack);  // 1/3 >= 30/91
}

TEST(ObjectivesTest, StatusBeforeDuringAndAfter) {
  ObjectiveProgress before =
      MeasureObjective(Fixture(D(2025, 3, 31)), Make(ObjectiveMetric::kMeetings, 1), kCore);
  EXPECT_EQ(before.status, ObjectiveStatus::kNotStarted);
  EXPECT_FALSE(before.actual);
  EXPECT_EQ(before.elapsed, 0.0);

  // Level metrics compare the rate itself, whatever share of the period has passed.
  const StrategyInput during = Fixture(D(2025, 5, 31));
  EXPECT_EQ(MeasureObjective(during, Make(ObjectiveMetric::kWinRate, 60), kCore).status,
            ObjectiveStatus::kOnTrack);
  EXPECT_EQ(MeasureObjective(during, Make(ObjectiveMetric::kWinRate, 61), kCore).status,
            ObjectiveStatus::kBehind);
  // Nothing measurable yet: a level metric has not started.
  const StrategyInput early = Fixture(D(2025, 4, 1));
  ObjectiveProgress none = MeasureObjective(early, Make(ObjectiveMetric::kWinRate, 50), kCore);
  EXPECT_FALSE(none.actual);
  EXPECT_FALSE(none.progress);
  EXPECT_EQ(none.status, ObjectiveStatus::kNotStarted);

  const StrategyInput after = Fixture(D(2025, 8, 1));
  EXPECT_EQ(MeasureObjective(after, Make(ObjectiveMetric::kMeetings, 4), kCore).status,
            ObjectiveStatus::kAchieved);
  EXPECT_EQ(MeasureObjective(after, Make(ObjectiveMetric::kMeetings, 5), kCore).status,
            ObjectiveStatus::kMissed);
  EXPECT_DOUBLE_EQ(MeasureObjective(after, Make(ObjectiveMetric::kMeetings, 5), kCore).elapsed,
                   1.0);
  // The order on 2025-07-01 is after the period even though as_of is later.
  EXPECT_EQ(MeasureObjective(after, Make(ObjectiveMetric::kGrossMargin, 0, Sek(0)), kCore).actual,
            100000.0);
}

TEST(ObjectivesTest, ZeroTargetHasNoProgress) {
  ObjectiveProgress p =
      MeasureObjective(Fixture(D(2025, 5, 1)), Make(ObjectiveMetric::kMeetings, 0), kCore);
  EXPECT_FALSE(p.progress);
  EXPECT_EQ(p.status, ObjectiveStatus::kAchieved);
}

}  // namespace
}  // namespace salesbox::analytics::strategy

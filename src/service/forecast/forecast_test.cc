// SPDX-License-Identifier: MIT
// The forecast's facts and features on a small hand-built company: a deal as it was on a day
// (hand-computed features), the leakage test (nothing dated after the snapshot reaches a feature,
// while the same events do show at a later date), the little-history fallback, periods, slip and
// the roll-up's arithmetic.
#include "service/forecast.h"

#include <array>
#include <map>
#include <memory>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/status_macros.h"
#include "service/forecast/simulations.h"
#include "service/forecast/snapshots.h"
#include "storage/open_store.h"
#include "testing/status_matchers.h"

namespace salesbox::service {
namespace {

using ::salesbox::test::StatusIs;
using ::testing::HasSubstr;

Date D(int y, unsigned m, unsigned d) { return MakeDate(y, m, d); }
Timestamp At(Date d, int hour = 10) { return StartOf(d) + std::chrono::hours(hour); }

int Feature(std::string_view name) {
  const auto& names = ForecastFeatureNames();
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<int>(i);
  }
  ADD_FAILURE() << "no feature " << name;
  return 0;
}

class ForecastTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = storage::OpenStore("sqlite::memory:");
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = *std::move(opened);
    dkk_ = *Currency::Parse("DKK");
    Segment core;
    core.name = "Core";
    core.core = true;
    core_segment_ = Must(store_->segments().Insert(core));
    Team team;
    team.name = "North";
    team_ = Must(store_->teams().Insert(team));
    rep_ = AddUser("rep@example.com", team_);
    other_ = AddUser("other@example.com", team_);
    Account account;
    account.name = "Acme";
    account.segment_id = core_segment_;
    account_ = Must(store_->accounts().Insert(account));
  }

  template <typename T>
  T Must(Result<T> r) {
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *std::move(r) : T{};
  }

  UserId AddUser(const std::string& email, TeamId team) {
    User u;
    u.email = email;
    u.name = email.substr(0, email.find('@'));
    u.role = Role::kRep;
    u.team_id = team;
    return Must(store_->users().Insert(u));
  }

  // A deal created on `created`, with a first history row then; closed when `closed` is set.
  OpportunityId AddDeal(const std::string& name, Date created, std::optional<Date> closed = {},
                        bool won = false, int64_t amount = 100000, UserId owner = {}) {
    Opportunity o;
    o.name = name;
    o.account_id = account_;
    o.owner_id = owner.valid() ? owner : rep_;
    o.amount = Money{amount * 100, dkk_};
    o.created_on = created;
    o.close_on = created + std::chrono::days(90);
    o.stage = closed ? (won ? Stage::kClosedWon : Stage::kClosedLost) : Stage::kQualify;
    o.closed_on = closed;
    o.probability = 0.1;
    const OpportunityId id = Must(store_->opportunities().Insert(o));
    AddChange(id, At(created), Stage::kQualify, amount, 0.1, created + std::chrono::days(90));
    if (closed) AddChange(id, At(*closed), o.stage, amount, won ? 1.0 : 0.0, *closed);
    return id;
  }

  void AddChange(OpportunityId id, Timestamp at, Stage stage, int64_t amount, double p,
                 Date close_on, std::optional<Date> next_step_on = {}) {
    OpportunityChange c;
    c.opportunity_id = id;
    c.changed_at = at;
    c.stage = stage;
    c.amount = Money{amount * 100, dkk_};
    c.probability = p;
    c.close_on = close_on;
    c.next_step_on = next_step_on;
    Must(store_->opportunity_changes().Insert(c));
  }

  void AddActivity(OpportunityId deal, Date on, ActivityType type = ActivityType::kCall,
                   std::optional<ContactId> contact = {}) {
    Activity a;
    a.type = type;
    a.status = ActivityStatus::kCompleted;
    a.at = At(on);
    a.owner_id = rep_;
    a.opportunity_id = deal;
    a.account_id = account_;
    a.contact_id = contact;
    Must(store_->activities().Insert(a));
  }

  ContactId AddContact(BuyingRole role, Date created) {
    Contact c;
    c.account_id = account_;
    c.name = "Contact " + std::to_string(++contacts_);
    c.buying_role = role;
    c.created_at = At(created);
    return Must(store_->contacts().Insert(c));
  }

  void Answer(OpportunityId deal, const std::string& criterion, Answer answer, Date on) {
    ScorecardAnswer a;
    a.subject_type = SubjectType::kOpportunity;
    a.subject_id = deal.value;
    a.criterion_id = criterion;
    a.answer = answer;
    a.answered_at = At(on);
    Must(store_->scorecard_answers().Insert(a));
  }

  const ForecastDealFacts& DealIn(const ForecastData& data, OpportunityId id) {
    for (const ForecastDealFacts& d : data.deals) {
      if (d.id == id.value) return d;
    }
    ADD_FAILURE() << "no deal " << id.value;
    return data.deals[0];
  }

  std::array<double, kForecastFeatures> FeaturesOf(OpportunityId id, Date on,
                                                   const ForecastTypical& typical) {
    Result<ForecastData> data = LoadForecastData(*store_);
    EXPECT_TRUE(data.ok()) << data.status().ToString();
    std::array<double, kForecastFeatures> x{};
    const ForecastDealFacts& deal = DealIn(*data, id);
    const Day d = internal::ToDay(on);
    DealFeatures(*data, typical, deal, StateOn(*data, deal, d), d, x.data());
    return x;
  }

  // Enough history to learn from (220 deals open on 2024-02-01 and 03-01, one in three won), and
  // `late` deals open on 07-01, 08-01 and 09-01: the snapshots from 07-10 on (the latest quarter
  // of the span) are the calibration set. Trained with cutoff 2025-01-01.
  Result<ForecastModel> TrainWithLateDeals(int late) {
    for (int i = 0; i < 220; ++i) {
      AddDeal("Early " + std::to_string(i), D(2024, 1, 15), D(2024, 3, 20), i % 3 == 0);
    }
    for (int i = 0; i < late; ++i) {
      AddDeal("Late " + std::to_string(i), D(2024, 6, 15), D(2024, 9, 20), i % 3 == 0);
    }
    SB_ASSIGN_OR_RETURN(ForecastData data, LoadForecastData(*store_));
    TrainOptions options;
    options.cutoff = internal::ToDay(D(2025, 1, 1));
    return TrainForecast(data, options);
  }

  std::unique_ptr<storage::Store> store_;
  Currency dkk_;
  SegmentId core_segment_;
  TeamId team_;
  UserId rep_, other_;
  AccountId account_;
  int contacts_ = 0;
};

ForecastTypical Typical() {
  ForecastTypical t;
  t.median_days_in_stage = {10, 20, 30, 40, 50};
  t.median_amount["DKK"] = 5000000;  // 50,000 DKK
  t.owner_prior = 0.25;
  return t;
}

// A deal imported without an amount is scored as one of the typical size (feature 0), not as
// the smallest (-3, what a known amount of 0 gives).
TEST_F(ForecastTest, ADealWithoutAnAmountIsTakenToBeOfTypicalSize) {
  const OpportunityId unknown = AddDeal("No amount", D(2025, 1, 10), {}, false, 0);
  const OpportunityId zero = AddDeal("Zero", D(2025, 1, 10), {}, false, 0);
  SB_ASSERT_OK_AND_ASSIGN(Opportunity o, store_->opportunities().Get(unknown));
  o.amount_known = false;
  SB_ASSERT_OK(store_->opportunities().Update(o));
  EXPECT_DOUBLE_EQ(FeaturesOf(unknown, D(2025, 3, 1), Typical())[Feature("amount")], 0.0);
  EXPECT_DOUBLE_EQ(FeaturesOf(zero, D(2025, 3, 1), Typical())[Feature("amount")], -3.0);
}

// One deal, on 2025-03-01, by hand.
TEST_F(ForecastTest, ADealAsItWasOnADay) {
  const Date created = D(2025, 1, 10);
  const OpportunityId deal = AddDeal("Big one", created);
  AddChange(deal, At(D(2025, 2, 1)), Stage::kPropose, 200000, 0.5, D(2025, 2, 20),
            D(2025, 3, 5));  // 200,000 DKK; close date moved once
  const ContactId eb = AddContact(BuyingRole::kEconomicBuyer, D(2025, 1, 15));
  AddContact(BuyingRole::kChampion, D(2025, 1, 20));
  AddActivity(deal, D(2025, 1, 20), ActivityType::kMeeting, eb);
  AddActivity(deal, D(2025, 2, 10));
  AddActivity(deal, D(2025, 2, 25));
  Answer(deal, "budget_confirmed", Answer::kYes, D(2025, 2, 2));
  // The owner closed two deals before: one won. The company prior is 0.25 with weight 10.
  AddDeal("Old win", D(2024, 6, 1), D(2024, 9, 1), true);
  AddDeal("Old loss", D(2024, 6, 1), D(2024, 10, 1), false);

  const auto x = FeaturesOf(deal, D(2025, 3, 1), Typical());
  EXPECT_EQ(x[Feature("stage_discover")], 0);
  EXPECT_EQ(x[Feature("stage_propose")], 1);
  EXPECT_DOUBLE_EQ(x[Feature("days_in_stage")], std::log(29.0 / 31.0));  // 28 days vs 30
  EXPECT_DOUBLE_EQ(x[Feature("age")], std::log1p(50));
  EXPECT_DOUBLE_EQ(x[Feature("amount")], std::log(4.0));  // 200,000 vs 50,000
  EXPECT_DOUBLE_EQ(x[Feature("days_since_activity")], std::log1p(4));
  EXPECT_DOUBLE_EQ(x[Feature("activities_30d")], std::log1p(2));  // 02-10, 02-25
  EXPECT_DOUBLE_EQ(x[Feature("activities_90d")], std::log1p(3));
  EXPECT_DOUBLE_EQ(x[Feature("buying_roles")], 2.0 / 3.0);
  EXPECT_EQ(x[Feature("economic_buyer_met")], 1);
  EXPECT_EQ(x[Feature("next_step_ahead")], 1);  // 03-05 after 03-01
  EXPECT_EQ(x[Feature("close_date_pushes")], 1);
  EXPECT_EQ(x[Feature("close_date_passed")], 1);  // 02-20 before 03-01
  EXPECT_EQ(x[Feature("core_segment")], 1);
  EXPECT_DOUBLE_EQ(x[Feature("owner_win_rate")], (1 + 10 * 0.25) / (2 + 10));
  // budget_confirmed is one yes among the manual criteria of its area.
  Result<ForecastData> data = LoadForecastData(*store_);
  ASSERT_TRUE(data.ok());
  double answered = 0;
  for (int area = 0; area < 5; ++area) answered += x[static_cast<size_t>(Feature("area_1") + area)];
  int area_of_budget = -1;
  for (int area = 0; area < 5; ++area) {
    if (x[static_cast<size_t>(Feature("area_1") + area)] > 0) area_of_budget = area;
  }
  ASSERT_GE(area_of_budget, 0);
  EXPECT_DOUBLE_EQ(answered,
                   1.0 / data->manual_criteria_in_area[static_cast<size_t>(area_of_budget)]);
}

// The leakage test: everything dated after the snapshot day changes, the features on that day
// do not; on a later day the same events do show (so the test can fail).
TEST_F(ForecastTest, NothingAfterTheSnapshotDayReachesAFeature) {
  const OpportunityId deal = AddDeal("Deal", D(2025, 1, 10));
  AddChange(deal, At(D(2025, 2, 1)), Stage::kDiscover, 100000, 0.2, D(2025, 4, 10));
  AddActivity(deal, D(2025, 2, 15));
  const Date day = D(2025, 3, 1);
  const ForecastTypical typical = Typical();
  const auto before = FeaturesOf(deal, day, typical);

  // After the day: activities (also later the same day), a meeting with a new economic buyer,
  // answers, stage, amount, probability, close-date and next-step changes, the close, and the
  // owner's other deals closing.
  const Date after = D(2025, 3, 2);
  AddActivity(deal, day + std::chrono::days(0), ActivityType::kCall);  // 10:00 on D counts ...
  const auto same_day = FeaturesOf(deal, day, typical);
  EXPECT_NE(same_day[Feature("activities_30d")], before[Feature("activities_30d")]);  // ... so
  const auto base = same_day;  // it is part of D; from here on only later events are added
  const ContactId eb = AddContact(BuyingRole::kEconomicBuyer, after);
  AddContact(BuyingRole::kDecisionMaker, after);
  AddActivity(deal, after, ActivityType::kMeeting, eb);
  Answer(deal, "budget_confirmed", Answer::kYes, after);
  AddChange(deal, At(after), Stage::kNegotiate, 900000, 0.9, D(2025, 6, 30), D(2025, 3, 20));
  Result<Opportunity> o = store_->opportunities().Get(deal);
  ASSERT_TRUE(o.ok());
  o->stage = Stage::kClosedWon;
  o->closed_on = D(2025, 3, 10);
  ASSERT_TRUE(store_->opportunities().Update(*o).ok());
  AddChange(deal, At(D(2025, 3, 10)), Stage::kClosedWon, 900000, 1.0, D(2025, 3, 10));
  AddDeal("Owner's later win", D(2024, 12, 1), D(2025, 3, 2), true);
  const auto later_events = FeaturesOf(deal, day, typical);
  EXPECT_EQ(later_events, base);

  // The same events are seen from the day after.
  const auto next_day = FeaturesOf(deal, D(2025, 3, 3), typical);
  for (const char* name : {"stage_negotiate", "amount", "economic_buyer_met", "buying_roles",
                           "next_step_ahead", "close_date_pushes", "owner_win_rate"}) {
    EXPECT_NE(next_day[Feature(name)], base[Feature(name)]) << name;
  }
  double areas_before = 0, areas_after = 0;
  for (int area = 0; area < 5; ++area) {
    areas_before += base[static_cast<size_t>(Feature("area_1") + area)];
    areas_after += next_day[static_cast<size_t>(Feature("area_1") + area)];
  }
  EXPECT_GT(areas_after, areas_before);
  // Closed on 03-10: not open on 03-10.
  Result<ForecastData> data = LoadForecastData(*store_);
  ASSERT_TRUE(data.ok());
  EXPECT_TRUE(StateOn(*data, DealIn(*data, deal), internal::ToDay(D(2025, 3, 9))).open);
  EXPECT_FALSE(StateOn(*data, DealIn(*data, deal), internal::ToDay(D(2025, 3, 10))).open);
}

TEST_F(ForecastTest, LittleHistoryUsesStageRatesAndSaysWhy) {
  // 12 closed deals: 3 won. Snapshots at month starts while open (created mid-month).
  for (int i = 0; i < 12; ++i) {
    AddDeal("Deal " + std::to_string(i), D(2024, 1, 15), D(2024, 3, 20), i < 3);
  }
  const OpportunityId open = AddDeal("Open", D(2025, 1, 15));
  Result<ForecastData> data = LoadForecastData(*store_);
  ASSERT_TRUE(data.ok());
  TrainOptions options;
  options.cutoff = internal::ToDay(D(2025, 3, 1));
  Result<ForecastModel> model = TrainForecast(*data, options);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ(model->method, ForecastMethod::kStageRates);
  EXPECT_THAT(model->method_reason, HasSubstr("12 closed deals (3 won, 9 lost) are too few"));
  EXPECT_EQ(model->closed_deals, 12);
  EXPECT_EQ(model->examples, 24);  // each deal on 02-01 and 03-01, in qualify
  // Qualify: 6 won of 24 snapshots, prior 0.1 with weight 10: (6 + 1) / (24 + 10).
  EXPECT_DOUBLE_EQ(model->stage_rate[0], 7.0 / 34.0);

  ForecastRequest request;
  request.as_of = D(2025, 3, 1);
  request.period = "2025-04";
  Result<Forecast> forecast = RunForecast(*data, request);
  ASSERT_TRUE(forecast.ok()) << forecast.status().ToString();
  ASSERT_EQ(forecast->deals.size(), 1u);
  EXPECT_EQ(forecast->deals[0].id, open.value);
  EXPECT_DOUBLE_EQ(forecast->deals[0].p_model, 7.0 / 34.0);
  EXPECT_TRUE(forecast->deals[0].in_period);  // closes 2025-04-15
  // One deal in the period: the roll-up is its amount times its chance, and the quantiles are 0
  // or the amount.
  ASSERT_EQ(forecast->totals.size(), 1u);
  const Rollup& r = forecast->totals[0];
  const double keep = 7.0 / 34.0 * (1 - forecast->deals[0].p_slip);
  EXPECT_EQ(r.expected, std::llround(10000000 * keep));
  EXPECT_EQ(r.pipeline, 10000000);
  EXPECT_EQ(r.stated, 1000000);  // 10% stated
  EXPECT_EQ(r.p10, 0);
  EXPECT_EQ(r.p90, keep >= 0.1 ? 10000000 : 0);
}

// The server keeps each large page's simulation between requests: the ranges (total, teams,
// reps, fan) equal a fresh simulation's, before and after a deal is added, and the second page
// draws the new deal instead of the whole company again.
TEST_F(ForecastTest, KeptSimulationsGiveTheFreshRangesAndDrawOnlyWhatChanged) {
  for (int i = 0; i < 12; ++i) {
    AddDeal("History " + std::to_string(i), D(2024, 1, 15), D(2024, 3, 20), i < 3);
  }
  const int kOpen = 2 * static_cast<int>(ForecastSimulations::kKeepFrom);
  for (int i = 0; i < kOpen; ++i) {  // closing in April-May 2025
    AddDeal("Open " + std::to_string(i), D(2025, 1, 1) + std::chrono::days(i % 50), {}, false,
            1000 + 97 * (i % 40), i % 3 == 0 ? other_ : rep_);
  }
  ForecastSimulations kept;
  auto run = [&](ForecastSimulations* simulations) {
    Result<ForecastData> data = LoadForecastData(*store_);
    EXPECT_TRUE(data.ok());
    ForecastRequest request;
    request.as_of = D(2025, 3, 1);
    request.period = "2025-Q2";
    request.trials = 4'000;
    request.group_trials = 1'000;
    request.fan_trials = 500;
    request.simulations = simulations;
    Result<Forecast> forecast = RunForecast(*data, request);
    EXPECT_TRUE(forecast.ok()) << forecast.status().ToString();
    return forecast.ok() ? *std::move(forecast) : Forecast{};
  };
  auto expect_same = [](const Forecast& a, const Forecast& b) {
    auto same = [](const Rollup& x, const Rollup& y, const std::string& what) {
      EXPECT_EQ(x.expected, y.expected) << what;
      EXPECT_EQ(x.p10, y.p10) << what;
      EXPECT_EQ(x.p50, y.p50) << what;
      EXPECT_EQ(x.p90, y.p90) << what;
    };
    ASSERT_EQ(a.totals.size(), 1u);
    ASSERT_EQ(b.totals.size(), 1u);
    same(a.totals[0], b.totals[0], "total");
    ASSERT_EQ(a.groups.size(), b.groups.size());
    for (size_t g = 0; g < a.groups.size(); ++g) {
      same(a.groups[g].rollup, b.groups[g].rollup,
           a.groups[g].level + std::to_string(a.groups[g].id));
    }
    ASSERT_EQ(a.fan.size(), 1u);
    ASSERT_EQ(a.fan[0].second.size(), b.fan[0].second.size());
    for (size_t k = 0; k < a.fan[0].second.size(); ++k) {
      EXPECT_EQ(a.fan[0].second[k].p10, b.fan[0].second[k].p10) << k;
      EXPECT_EQ(a.fan[0].second[k].p90, b.fan[0].second[k].p90) << k;
      EXPECT_EQ(a.fan[0].second[k].expected, b.fan[0].second[k].expected) << k;
    }
  };
  const Forecast first = run(&kept);
  const int64_t drawn_first = kept.drawn();
  // Total, fan, the team and both reps: each in-period deal drawn four times.
  EXPECT_EQ(drawn_first, 4 * kOpen);
  expect_same(first, run(nullptr));
  EXPECT_GT(first.totals[0].p90, first.totals[0].p10);  // a real range, not a point
  EXPECT_EQ(kept.drawn(), drawn_first);  // the fresh run did not touch the kept simulations

  AddDeal("New", D(2025, 1, 20), {}, false, 250'000, rep_);  // a large deal, closing in April
  const Forecast second = run(&kept);
  expect_same(second, run(nullptr));
  EXPECT_GT(second.totals[0].p90, first.totals[0].p90);
  // The new deal once in the total and once in the fan; the team's and the rep's ranges drawn
  // again from their deals; the other rep's range remembered.
  const int64_t reps_deals = kOpen - (kOpen + 2) / 3 + 1;
  EXPECT_EQ(kept.drawn() - drawn_first, 1 + 1 + (kOpen + 1) + reps_deals);
  // Nothing changed: nothing drawn.
  const int64_t before = kept.drawn();
  run(&kept);
  EXPECT_EQ(kept.drawn(), before);
}

// Too few recent snapshots to calibrate on: no calibration, and the model is fitted on every
// snapshot instead of leaving the recent ones unused; the CLI's sentence says so.
TEST_F(ForecastTest, TooFewRecentSnapshotsFitOnAllWithoutCalibration) {
  SB_ASSERT_OK_AND_ASSIGN(ForecastModel model, TrainWithLateDeals(10));
  EXPECT_EQ(model.method, ForecastMethod::kModel);
  EXPECT_EQ(model.examples, 220 * 2 + 10 * 3);
  EXPECT_EQ(model.calibration_method, CalibrationMethod::kNone);
  EXPECT_EQ(model.calibration_choice, CalibrationChoice::kTooFewRecent);
  EXPECT_EQ(model.calibration_examples, 20);         // 08-01 and 09-01: on or after 07-10
  EXPECT_EQ(model.fitted_examples, model.examples);  // all, not 450
  EXPECT_THAT(DescribeCalibration(model), HasSubstr("only 20 snapshots"));
}

// 100 to 499 recent snapshots: Platt scaling, fitted on them; the JSON says which and why.
TEST_F(ForecastTest, FewRecentSnapshotsArePlattScaled) {
  SB_ASSERT_OK_AND_ASSIGN(ForecastModel model, TrainWithLateDeals(80));
  EXPECT_EQ(model.calibration_examples, 160);
  EXPECT_EQ(model.fitted_examples, model.examples - 160);
  EXPECT_EQ(model.calibration_method, CalibrationMethod::kPlatt);
  EXPECT_EQ(model.calibration_choice, CalibrationChoice::kFewRecent);
  ASSERT_TRUE(model.platt.has_value());
  EXPECT_FALSE(model.isotonic.has_value());
  EXPECT_THAT(DescribeCalibration(model), HasSubstr("Platt scaling: 160 latest snapshots"));
  // Every probability goes through the fitted curve.
  std::array<double, kForecastFeatures> x{};
  Result<double> raw = analytics::forecast::PredictProbability(model.logistic, x);
  ASSERT_TRUE(raw.ok());
  SB_ASSERT_OK_AND_ASSIGN(double curve, analytics::forecast::Calibrate(*model.platt, *raw));
  EXPECT_DOUBLE_EQ(model.Probability(x.data(), Stage::kQualify), std::clamp(curve, 0.01, 0.99));
}

// Closed deals imported without a stage history say 1 or 0 as their stated probability and
// their final stage: a perfect "rep". The backtest leaves them out of the baselines (and the
// comparison), and without any history scores the model alone.
TEST_F(ForecastTest, BacktestBaselinesNeedStageHistory) {
  for (int i = 0; i < 220; ++i) {  // training, closed before the cutoff
    AddDeal("Early " + std::to_string(i), D(2024, 1, 15), D(2024, 3, 20), i % 3 == 0);
  }
  for (int i = 0; i < 30; ++i) {  // tested, no history: open on 08-01 and 09-01
    Opportunity o;
    o.name = "Imported " + std::to_string(i);
    o.account_id = account_;
    o.owner_id = rep_;
    o.amount = Money{100000, dkk_};
    o.created_on = D(2024, 7, 15);
    o.close_on = D(2024, 9, 20);
    o.closed_on = D(2024, 9, 20);
    o.stage = i % 2 == 0 ? Stage::kClosedWon : Stage::kClosedLost;
    o.probability = i % 2 == 0 ? 1.0 : 0.0;
    Must(store_->opportunities().Insert(o));
  }
  const Date cutoff = D(2024, 6, 1), as_of = D(2025, 1, 1);
  {
    SB_ASSERT_OK_AND_ASSIGN(ForecastData data, LoadForecastData(*store_));
    SB_ASSERT_OK_AND_ASSIGN(Backtest bt, RunBacktest(data, as_of, cutoff));
    EXPECT_EQ(bt.test_examples, 60);
    EXPECT_EQ(bt.without_history, 0);
    EXPECT_FALSE(bt.stated.has_value());
    EXPECT_FALSE(bt.stage_default.has_value());
    const nlohmann::json j = BacktestJson(bt);
    EXPECT_TRUE(j["stated"].is_null());
    EXPECT_TRUE(j["stage_default"].is_null());
  }
  // 20 tested deals with history (stated 10% from the start, 7 of them won): the three are
  // compared on their 40 snapshots; the 60 without history are counted as left out.
  for (int i = 0; i < 20; ++i) {
    AddDeal("Tracked " + std::to_string(i), D(2024, 7, 15), D(2024, 9, 20), i % 3 == 0);
  }
  SB_ASSERT_OK_AND_ASSIGN(ForecastData data, LoadForecastData(*store_));
  SB_ASSERT_OK_AND_ASSIGN(Backtest bt, RunBacktest(data, as_of, cutoff));
  EXPECT_EQ(bt.test_examples, 40);
  EXPECT_EQ(bt.without_history, 60);
  ASSERT_TRUE(bt.stated.has_value());
  EXPECT_NEAR(bt.stated->brier, (14 * 0.81 + 26 * 0.01) / 40, 1e-9);  // (0.1 − y)² by hand
  ASSERT_TRUE(bt.stage_default.has_value());
  const double q = DefaultProbability(Stage::kQualify);
  EXPECT_NEAR(bt.stage_default->brier, (14 * (1 - q) * (1 - q) + 26 * q * q) / 40, 1e-9);
}

// A team may have several managers: one who belongs to another team sees the team they
// co-manage, its reps' deals and its forecast; a manager of neither does not.
TEST_F(ForecastTest, EveryManagerOfATeamSeesItsForecast) {
  Team south;
  south.name = "South";
  const TeamId south_id = Must(store_->teams().Insert(south));
  const UserId co = AddUser("co@example.com", south_id);
  SB_ASSERT_OK_AND_ASSIGN(ForecastData data, LoadForecastData(*store_));
  Principal co_manager;
  co_manager.user_id = co;
  co_manager.role = Role::kManager;
  co_manager.team_id = south_id;
  co_manager.managed_teams = {std::min(team_.value, south_id.value),
                              std::max(team_.value, south_id.value)};
  EXPECT_TRUE(ForecastVisible(&co_manager, data, rep_.value));  // North's rep
  Principal other = co_manager;
  other.managed_teams = {south_id.value};
  EXPECT_FALSE(ForecastVisible(&other, data, rep_.value));

  for (int i = 0; i < 12; ++i)
    AddDeal("H" + std::to_string(i), D(2024, 1, 15), D(2024, 3, 20), i < 3);
  SB_ASSERT_OK_AND_ASSIGN(ForecastData more, LoadForecastData(*store_));
  ForecastRequest request;
  request.as_of = D(2025, 3, 1);
  request.team_id = team_.value;
  request.viewer = &co_manager;
  EXPECT_TRUE(RunForecast(more, request).ok());
  request.viewer = &other;
  EXPECT_THAT(RunForecast(more, request), StatusIs(StatusCode::kPermissionDenied));
}

TEST_F(ForecastTest, NoHistoryIsAClearError) {
  AddDeal("Open", D(2025, 1, 15));
  Result<ForecastData> data = LoadForecastData(*store_);
  ASSERT_TRUE(data.ok());
  ForecastRequest request;
  request.as_of = D(2025, 3, 1);
  EXPECT_THAT(RunForecast(*data, request), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(RunBacktest(*data, D(2025, 3, 1), std::nullopt),
              StatusIs(StatusCode::kFailedPrecondition));
}

TEST_F(ForecastTest, SnapshotsShowWhatMoved) {
  for (int i = 0; i < 12; ++i) {
    AddDeal("History " + std::to_string(i), D(2024, 1, 15), D(2024, 3, 20), i < 3);
  }
  // Open deals, closing 2025-04-15 (in Q2): A stays, B is pushed out, C grows, W is won, L lost.
  AddDeal("A", D(2025, 1, 15));
  const OpportunityId b = AddDeal("B", D(2025, 1, 15));
  const OpportunityId c = AddDeal("C", D(2025, 1, 15));
  const OpportunityId w = AddDeal("W", D(2025, 1, 15));
  const OpportunityId l = AddDeal("L", D(2025, 1, 15), {}, false, 100000, other_);
  const Timestamp now = At(D(2025, 3, 1), 12);
  Result<ForecastData> data = LoadForecastData(*store_);
  ASSERT_TRUE(data.ok());
  Result<ForecastSnapshot> first =
      TakeForecastSnapshot(*store_, *data, D(2025, 3, 1), "2025-Q2", rep_, now);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->deals, 5);
  EXPECT_EQ(first->period, "2025-Q2");
  EXPECT_EQ(first->method, "stage_rates");

  AddChange(b, At(D(2025, 3, 3)), Stage::kQualify, 100000, 0.1, D(2025, 8, 1));
  AddChange(c, At(D(2025, 3, 3)), Stage::kQualify, 150000, 0.1, D(2025, 4, 15));
  for (auto [id, won] : {std::pair{w, true}, std::pair{l, false}}) {
    Result<Opportunity> o = store_->opportunities().Get(id);
    ASSERT_TRUE(o.ok());
    o->stage = won ? Stage::kClosedWon : Stage::kClosedLost;
    o->closed_on = D(2025, 3, 5);
    ASSERT_TRUE(store_->opportunities().Update(*o).ok());
    AddChange(id, At(D(2025, 3, 5)), o->stage, 100000, won ? 1 : 0, D(2025, 3, 5));
  }
  const OpportunityId e = AddDeal("E", D(2025, 3, 4));
  data = LoadForecastData(*store_);
  ASSERT_TRUE(data.ok());
  Result<ForecastSnapshot> second = TakeForecastSnapshot(*store_, *data, D(2025, 3, 8), "2025-Q2",
                                                         rep_, now + std::chrono::days(7));
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->deals, 4);  // A, B, C, E

  Result<std::vector<Move>> moves = MovedBetween(*store_, *data, first->id, second->id, nullptr);
  ASSERT_TRUE(moves.ok()) << moves.status().ToString();
  std::map<std::string, std::vector<int64_t>> by_kind;
  for (const Move& m : *moves) by_kind[m.kind].push_back(m.opportunity_id);
  EXPECT_EQ(by_kind["new"], std::vector<int64_t>{e.value});
  EXPECT_EQ(by_kind["won"], std::vector<int64_t>{w.value});
  EXPECT_EQ(by_kind["lost"], std::vector<int64_t>{l.value});
  EXPECT_EQ(by_kind["pushed_out"], std::vector<int64_t>{b.value});
  EXPECT_EQ(by_kind["amount_up"], std::vector<int64_t>{c.value});
  EXPECT_TRUE(by_kind["pulled_in"].empty());
  EXPECT_TRUE(by_kind["amount_down"].empty());
  EXPECT_EQ(moves->size(), 5u);  // A did not move

  // A rep sees only their own deals move: L belongs to the other rep.
  Principal rep;
  rep.user_id = rep_;
  rep.role = Role::kRep;
  rep.team_id = team_;
  Result<std::vector<Move>> own = MovedBetween(*store_, *data, first->id, second->id, &rep);
  ASSERT_TRUE(own.ok());
  EXPECT_EQ(own->size(), 4u);
  Result<nlohmann::json> json = MovedJson(*store_, *data, first->id, second->id, &rep);
  ASSERT_TRUE(json.ok());
  EXPECT_EQ((*json)["summary"][0]["kind"], "new");
  EXPECT_EQ((*json)["summary"][0]["count"], 1);
  EXPECT_EQ((*json)["from"]["totals"][0]["deals"], 4);  // A, B, C, W in Q2, the rep's
  EXPECT_THAT(MovedBetween(*store_, *data, first->id, ForecastSnapshotId{999}, nullptr),
              StatusIs(StatusCode::kNotFound));
}

TEST(ForecastPeriodTest, QuartersAndMonths) {
  auto q = ParsePeriod("2026-Q4");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->first, D(2026, 10, 1));
  EXPECT_EQ(q->second, D(2026, 12, 31));
  auto m = ParsePeriod("2024-02");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->second, D(2024, 2, 29));
  for (const char* bad : {"2026-Q5", "2026-13", "2026-00", "26-Q1", "2026Q1", "", "2026-Q1x"}) {
    EXPECT_THAT(ParsePeriod(bad), StatusIs(StatusCode::kInvalidArgument)) << bad;
  }
}

}  // namespace
}  // namespace salesbox::service

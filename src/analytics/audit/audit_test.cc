// SPDX-License-Identifier: MIT
#include "analytics/audit/audit.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "analytics/audit/report.h"

namespace salesbox::analytics::audit {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr Day kToday = 20000;  // 2024-10-04

uint32_t Types(std::initializer_list<ActivityType> types) {
  uint32_t mask = 0;
  for (ActivityType t : types) mask |= 1u << static_cast<unsigned>(t);
  return mask;
}

AutoSpec Rule(AutoRule rule) {
  AutoSpec spec;
  spec.rule = rule;
  return spec;
}

// --- each auto rule ----------------------------------------------------------------------

TEST(AutoRuleTest, ContactWithRole) {
  AccountFacts account;
  AutoSpec rule = Rule(AutoRule::kContactWithRole);
  rule.role = BuyingRole::kEconomicBuyer;
  EXPECT_EQ(EvaluateRule(rule, kToday, account, nullptr, nullptr), Answer::kNo);
  account.roles_present = 1u << static_cast<int>(BuyingRole::kChampion);
  EXPECT_EQ(EvaluateRule(rule, kToday, account, nullptr, nullptr), Answer::kNo);
  account.roles_present |= 1u << static_cast<int>(BuyingRole::kEconomicBuyer);
  EXPECT_EQ(EvaluateRule(rule, kToday, account, nullptr, nullptr), Answer::kYes);
}

TEST(AutoRuleTest, MetRoleNeedsTheTypeWithThatRoleOnTheDeal) {
  AccountFacts account;
  OpportunityFacts deal;
  AutoSpec rule = Rule(AutoRule::kMetRole);
  rule.role = BuyingRole::kEconomicBuyer;
  rule.types = Types({ActivityType::kMeeting});
  EXPECT_EQ(EvaluateRule(rule, kToday, account, &deal, nullptr), Answer::kNo);
  deal.role_types[static_cast<int>(BuyingRole::kEconomicBuyer)] = Types({ActivityType::kCall});
  EXPECT_EQ(EvaluateRule(rule, kToday, account, &deal, nullptr), Answer::kNo);  // a call is not a meeting
  deal.role_types[static_cast<int>(BuyingRole::kChampion)] = Types({ActivityType::kMeeting});
  EXPECT_EQ(EvaluateRule(rule, kToday, account, &deal, nullptr), Answer::kNo);  // wrong role
  deal.role_types[static_cast<int>(BuyingRole::kEconomicBuyer)] |= Types({ActivityType::kMeeting});
  EXPECT_EQ(EvaluateRule(rule, kToday, account, &deal, nullptr), Answer::kYes);
  EXPECT_EQ(EvaluateRule(rule, kToday, account, nullptr, nullptr), Answer::kUnknown);
}

TEST(AutoRuleTest, RoleActiveWithinDaysCountsTheBoundaryDay) {
  AccountFacts account;
  account.role_last_active.fill(kNoDay);
  AutoSpec rule = Rule(AutoRule::kRoleActive);
  rule.role = BuyingRole::kChampion;
  rule.within_days = 30;
  const int champion = static_cast<int>(BuyingRole::kChampion);
  EXPECT_EQ(EvaluateRule(rule, kToday, account, nullptr, nullptr), Answer::kNo);
  account.role_last_active[champion] = kToday - 30;
  EXPECT_EQ(EvaluateRule(rule, kToday, account, nullptr, nullptr), Answer::kYes);
  account.role_last_active[champion] = kToday - 31;
  EXPECT_EQ(EvaluateRule(rule, kToday, account, nullptr, nullptr), Answer::kNo);
  account.role_last_active[champion] = kToday + 1;  // after the audit date: not yet
  EXPECT_EQ(EvaluateRule(rule, kToday, account, nullptr, nullptr), Answer::kNo);
}

TEST(AutoRuleTest, StrengthRules) {
  AccountFacts account;
  account.role_strength.fill(-1);
  AutoSpec every = Rule(AutoRule::kRolesStrength);
  every.min = 3;
  EXPECT_EQ(EvaluateRule(every, kToday, account, nullptr, nullptr), Answer::kNo);  // no roles
  account.weakest_role_strength = 3;
  EXPECT_EQ(EvaluateRule(every, kToday, account, nullptr, nullptr), Answer::kYes);
  account.weakest_role_strength = 2;
  EXPECT_EQ(EvaluateRule(every, kToday, account, nullptr, nullptr), Answer::kNo);
  AutoSpec one = Rule(AutoRule::kRoleStrength);
  one.role = BuyingRole::kEconomicBuyer;
  one.min = 3;
  EXPECT_EQ(EvaluateRule(one, kToday, account, nullptr, nullptr), Answer::kNo);
  account.role_strength[static_cast<int>(BuyingRole::kEconomicBuyer)] = 4;
  EXPECT_EQ(EvaluateRule(one, kToday, account, nullptr, nullptr), Answer::kYes);
}

TEST(AutoRuleTest, RolesCoveredIgnoresUnknownRole) {
  AccountFacts account;
  AutoSpec rule = Rule(AutoRule::kRolesCovered);
  rule.min = 3;
  account.roles_present = 1u << 0 | 1u << 1 | 1u << 2;  // unknown, economic buyer, decision maker
  EXPECT_EQ(EvaluateRule(rule, kToday, account, nullptr, nullptr), Answer::kNo);
  account.roles_present |= 1u << 3;
  EXPECT_EQ(EvaluateRule(rule, kToday, account, nullptr, nullptr), Answer::kYes);
}

TEST(AutoRuleTest, NextStepMustBeAfterTheAuditDate) {
  AccountFacts account;
  OpportunityFacts deal;
  AutoSpec rule = Rule(AutoRule::kNextStepDated);
  EXPECT_EQ(EvaluateRule(rule, kToday, account, &deal, nullptr), Answer::kNo);
  deal.next_step_on = kToday;
  EXPECT_EQ(EvaluateRule(rule, kToday, account, &deal, nullptr), Answer::kNo);
  deal.next_step_on = kToday + 1;
  EXPECT_EQ(EvaluateRule(rule, kToday, account, &deal, nullptr), Answer::kYes);
}

TEST(AutoRuleTest, FieldPresentAndActivityCount) {
  AccountFacts account;
  OpportunityFacts deal;
  AutoSpec field = Rule(AutoRule::kFieldPresent);
  field.field = "competitors";
  EXPECT_EQ(EvaluateRule(field, kToday, account, &deal, nullptr), Answer::kNo);
  deal.competitors = true;
  EXPECT_EQ(EvaluateRule(field, kToday, account, &deal, nullptr), Answer::kYes);
  AutoSpec count = Rule(AutoRule::kActivitiesCount);
  count.types = Types({ActivityType::kMeeting, ActivityType::kDemo});
  count.min = 2;
  deal.type_counts[static_cast<int>(ActivityType::kMeeting)] = 1;
  deal.type_counts[static_cast<int>(ActivityType::kCall)] = 5;
  EXPECT_EQ(EvaluateRule(count, kToday, account, &deal, nullptr), Answer::kNo);
  deal.type_counts[static_cast<int>(ActivityType::kDemo)] = 1;
  EXPECT_EQ(EvaluateRule(count, kToday, account, &deal, nullptr), Answer::kYes);
}

TEST(AutoRuleTest, IcpFitUsesScoresThenTheCoreSegment) {
  AccountFacts account;
  AutoSpec rule = Rule(AutoRule::kIcpFit);
  rule.min = 60;
  EXPECT_EQ(EvaluateRule(rule, kToday, account, nullptr, nullptr), Answer::kUnknown);
  account.segment_id = 3;
  EXPECT_EQ(EvaluateRule(rule, kToday, account, nullptr, nullptr), Answer::kNo);
  account.core_segment = true;
  EXPECT_EQ(EvaluateRule(rule, kToday, account, nullptr, nullptr), Answer::kYes);
  account.icp_fit = 59.9;  // a fit score overrides the segment
  EXPECT_EQ(EvaluateRule(rule, kToday, account, nullptr, nullptr), Answer::kNo);
  account.icp_fit = 60;
  EXPECT_EQ(EvaluateRule(rule, kToday, account, nullptr, nullptr), Answer::kYes);
}

TEST(AutoRuleTest, AccountRules) {
  AccountFacts account;
  AutoSpec touched = Rule(AutoRule::kContactTouched);
  touched.within_days = 90;
  account.last_contact_touch = kToday - 91;
  EXPECT_EQ(EvaluateRule(touched, kToday, account, nullptr, nullptr), Answer::kNo);
  account.last_contact_touch = kToday - 90;
  EXPECT_EQ(EvaluateRule(touched, kToday, account, nullptr, nullptr), Answer::kYes);

  AutoSpec meeting = Rule(AutoRule::kMeetingHeld);
  meeting.within_days = 182;
  account.last_meeting = kToday - 100;
  EXPECT_EQ(EvaluateRule(meeting, kToday, account, nullptr, nullptr), Answer::kYes);

  Minimum class_a;
  class_a.touchpoints_per_year = 4;
  AutoSpec touchpoints = Rule(AutoRule::kTouchpointsMeetTarget);
  account.touches_365 = 3;
  EXPECT_EQ(EvaluateRule(touchpoints, kToday, account, nullptr, &class_a), Answer::kNo);
  account.touches_365 = 4;
  EXPECT_EQ(EvaluateRule(touchpoints, kToday, account, nullptr, &class_a), Answer::kYes);

  EXPECT_EQ(EvaluateRule(Rule(AutoRule::kNextActivityPlanned), kToday, account, nullptr, nullptr),
            Answer::kNo);
  account.planned_ahead = true;
  EXPECT_EQ(EvaluateRule(Rule(AutoRule::kNextActivityPlanned), kToday, account, nullptr, nullptr),
            Answer::kYes);

  AutoSpec lines = Rule(AutoRule::kProductLines);
  lines.min = 2;
  account.product_lines = 1;
  EXPECT_EQ(EvaluateRule(lines, kToday, account, nullptr, nullptr), Answer::kNo);
  account.product_lines = 2;
  EXPECT_EQ(EvaluateRule(lines, kToday, account, nullptr, nullptr), Answer::kYes);

  // Order trend: last 12 months >= 0.9 x the 12 before. 90,000 vs 100,000 is exactly 0.9.
  AutoSpec trend = Rule(AutoRule::kOrderTrend);
  trend.min_ratio = 0.9;
  EXPECT_EQ(EvaluateRule(trend, kToday, account, nullptr, nullptr), Answer::kUnknown);
  account.margin_prev_365 = 100000;
  account.margin_last_365 = 90000;
  EXPECT_EQ(EvaluateRule(trend, kToday, account, nullptr, nullptr), Answer::kYes);
  account.margin_last_365 = 89999;
  EXPECT_EQ(EvaluateRule(trend, kToday, account, nullptr, nullptr), Answer::kNo);

  AutoSpec recent = Rule(AutoRule::kRecentBusiness);
  recent.within_days = 182;
  account.last_order = kToday - 200;
  EXPECT_EQ(EvaluateRule(recent, kToday, account, nullptr, nullptr), Answer::kNo);
  account.open_opportunity = true;
  EXPECT_EQ(EvaluateRule(recent, kToday, account, nullptr, nullptr), Answer::kYes);
}

// --- colour at every boundary ---------------------------------------------------------------

// Five areas of two manual criteria each (a1_1, a1_2, ... a5_2); propose needs 2,2,1,1,0 and
// is stale after 14 days; accounts need 2 per area for A, 1 for B and C.
std::string TestPlaybook(const char* subject) {
  nlohmann::json j;
  j["name"] = "test";
  j["subject_type"] = subject;
  nlohmann::json text = {{"en", "x"}, {"da", "x"}, {"sv", "x"}, {"nb", "x"}};
  j["title"] = text;
  for (int a = 1; a <= 5; ++a) {
    j["areas"].push_back({{"id", "area" + std::to_string(a)}, {"name", text}});
    for (int c = 1; c <= 2; ++c) {
      const std::string id = "a" + std::to_string(a) + "_" + std::to_string(c);
      j["criteria"].push_back({{"id", id},
                               {"area", "area" + std::to_string(a)},
                               {"text", {{"en", "criterion " + id}, {"da", "kriterium " + id},
                                         {"sv", "kriterium " + id}, {"nb", "kriterium " + id}}},
                               {"action", {{"en", "do " + id}, {"da", "gør " + id},
                                           {"sv", "gör " + id}, {"nb", "gjør " + id}}}});
    }
  }
  if (std::string(subject) == "opportunity") {
    for (const char* stage : {"qualify", "discover", "propose", "negotiate", "commit"}) {
      j["minimums"][stage] = {{"areas", {2, 2, 1, 1, 0}}, {"stale_after_days", 14}};
    }
  } else {
    j["minimums"]["A"] = {{"areas", {2, 2, 2, 2, 2}}, {"touchpoints_per_year", 4}};
    j["minimums"]["B"] = {{"areas", {1, 1, 1, 1, 1}}, {"touchpoints_per_year", 2}};
    j["minimums"]["C"] = {{"areas", {1, 1, 1, 1, 1}}, {"touchpoints_per_year", 1}};
  }
  return j.dump();
}

class ColourTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<Playbook> p = ParsePlaybook(TestPlaybook("opportunity"));
    ASSERT_TRUE(p.ok()) << p.status().message();
    playbook_ = *p;
    input_.as_of = kToday;
    input_.opportunity_playbook = &playbook_;
    input_.accounts.resize(1);
    OpportunityFacts deal;
    deal.id = 7;
    deal.account = 0;
    deal.stage = Stage::kPropose;
    deal.created_on = kToday - 100;
    deal.last_activity = kToday - 3;
    deal.next_step_on = kToday + 5;
    deal.close_on = kToday + 30;
    input_.opportunities.push_back(deal);
    input_.opportunity_answers.resize(1);
  }

  // Answers yes to the first `n[a]` criteria of each area.
  ItemResult With(std::array<int, 5> n) {
    auto& answers = input_.opportunity_answers[0];
    answers.clear();
    for (int a = 0; a < 5; ++a) {
      for (int c = 0; c < n[a]; ++c) {
        answers.push_back(AnswerFact{static_cast<uint16_t>(a * 2 + c), Answer::kYes});
      }
    }
    return AuditOpportunity(input_, 0);
  }

  Playbook playbook_;
  AuditInput input_;
};

TEST_F(ColourTest, EveryMinimumMetIsGreen) {
  ItemResult item = With({2, 2, 1, 1, 0});
  EXPECT_EQ(item.colour, Colour::kGreen);
  EXPECT_THAT(item.scores, ElementsAre(2, 2, 1, 1, 0));
  EXPECT_THAT(item.minimums, ElementsAre(2, 2, 1, 1, 0));
  EXPECT_TRUE(item.findings.empty());
}

TEST_F(ColourTest, MissingByOneInOneOrTwoAreasIsYellow) {
  EXPECT_EQ(With({1, 2, 1, 1, 0}).colour, Colour::kYellow);
  ItemResult item = With({1, 2, 0, 1, 0});
  EXPECT_EQ(item.colour, Colour::kYellow);
  // The reasons are the criteria not met in the areas below their minimum.
  ASSERT_EQ(item.findings.size(), 3u);
  EXPECT_EQ(FindingReason(item.findings[0], playbook_, 0), "Not met: criterion a1_2");
  EXPECT_EQ(FindingAction(item.findings[0], playbook_, 0), "do a1_2");
  EXPECT_EQ(FindingReason(item.findings[1], playbook_, 1), "Ikke opfyldt: kriterium a3_1");
  EXPECT_EQ(FindingAction(item.findings[2], playbook_, 3), "gjør a3_2");
}

TEST_F(ColourTest, MissingByOneInThreeAreasIsRed) {
  EXPECT_EQ(With({1, 1, 0, 1, 0}).colour, Colour::kRed);
}

TEST_F(ColourTest, MissingByTwoInOneAreaIsRed) {
  EXPECT_EQ(With({0, 2, 1, 1, 0}).colour, Colour::kRed);
}

TEST_F(ColourTest, ScoresAboveTheMinimumDoNotOffsetAGap) {
  EXPECT_EQ(With({2, 1, 1, 2, 2}).colour, Colour::kYellow);
}

TEST_F(ColourTest, StaleAfterTheStageLimitIsRedEvenWhenEveryAreaIsMet) {
  input_.opportunities[0].last_activity = kToday - 14;
  EXPECT_EQ(With({2, 2, 1, 1, 0}).colour, Colour::kGreen);  // 14 days: at the limit
  input_.opportunities[0].last_activity = kToday - 15;
  ItemResult item = With({2, 2, 1, 1, 0});
  EXPECT_EQ(item.colour, Colour::kRed);
  EXPECT_TRUE(item.stale);
  ASSERT_EQ(item.findings.size(), 1u);
  EXPECT_EQ(FindingReason(item.findings[0], playbook_, 0),
            "No completed activity in 15 days (the stage allows 14)");
  EXPECT_EQ(FindingReason(item.findings[0], playbook_, 2),
            "Ingen genomförd aktivitet på 15 dagar (fasen tillåter 14)");
}

TEST_F(ColourTest, WithoutActivityTheAgeCounts) {
  input_.opportunities[0].last_activity = kNoDay;
  input_.opportunities[0].created_on = kToday - 10;
  EXPECT_EQ(With({2, 2, 1, 1, 0}).colour, Colour::kGreen);
  input_.opportunities[0].created_on = kToday - 20;
  EXPECT_EQ(With({2, 2, 1, 1, 0}).colour, Colour::kRed);
}

TEST_F(ColourTest, NextStepOrCloseDateInThePastIsRed) {
  input_.opportunities[0].next_step_on = kToday;  // today is not in the past
  EXPECT_EQ(With({2, 2, 1, 1, 0}).colour, Colour::kGreen);
  input_.opportunities[0].next_step_on = kToday - 1;
  ItemResult item = With({2, 2, 1, 1, 0});
  EXPECT_EQ(item.colour, Colour::kRed);
  EXPECT_EQ(FindingReason(item.findings[0], playbook_, 0), "The next step's date passed 1 days ago");
  input_.opportunities[0].next_step_on = kToday + 1;
  input_.opportunities[0].close_on = kToday - 2;
  item = With({2, 2, 1, 1, 0});
  EXPECT_EQ(item.colour, Colour::kRed);
  EXPECT_EQ(item.findings[0].kind, FindingKind::kCloseDatePassed);
  EXPECT_EQ(FindingAction(item.findings[0], playbook_, 0),
            "Confirm a realistic close date with the customer, or close the deal as lost");
}

TEST_F(ColourTest, TheLatestAnswerWinsAndNoDoesNotScore) {
  auto& answers = input_.opportunity_answers[0];
  answers = {{0, Answer::kYes}, {1, Answer::kNo}, {2, Answer::kYes}, {3, Answer::kUnknown}};
  ItemResult item = AuditOpportunity(input_, 0);
  EXPECT_EQ(item.scores[0], 1);
  EXPECT_EQ(item.scores[1], 1);
  EXPECT_EQ(item.answers[1], Answer::kNo);
  EXPECT_EQ(item.answers[3], Answer::kUnknown);
}

TEST(AccountColourTest, TheClassSetsTheMinimumAndTheTouchpointTarget) {
  Result<Playbook> p = ParsePlaybook(TestPlaybook("account"));
  ASSERT_TRUE(p.ok()) << p.status().message();
  AuditInput input;
  input.as_of = kToday;
  input.account_playbook = &*p;
  AccountFacts account;
  account.customer = true;
  account.abc_class = 'B';
  account.touches_365 = 2;
  input.accounts.push_back(account);
  input.account_answers.push_back({{0, Answer::kYes}, {2, Answer::kYes}, {4, Answer::kYes},
                                   {6, Answer::kYes}, {8, Answer::kYes}});
  EXPECT_EQ(AuditAccount(input, 0).colour, Colour::kGreen);  // B needs 1 per area
  input.accounts[0].abc_class = 'A';                           // A needs 2 and 4 touchpoints
  ItemResult item = AuditAccount(input, 0);
  EXPECT_EQ(item.colour, Colour::kRed);
  EXPECT_TRUE(item.stale);
  EXPECT_EQ(FindingReason(item.findings[0], *p, 0),
            "2 touchpoints in the last 12 months (the class's target is 4)");
  input.accounts[0].abc_class = 0;  // unclassified is audited as C
  EXPECT_EQ(AuditAccount(input, 0).abc_class, 'C');
  // Only customers are audited as accounts.
  input.accounts.push_back(AccountFacts{});
  EXPECT_EQ(Audit(input).size(), 1u);
}

// --- the consolidated report --------------------------------------------------------------

TEST(ReportTest, CountsAddUpPerGroupAndTheTrendComparesRuns) {
  Result<Playbook> p = ParsePlaybook(TestPlaybook("opportunity"));
  ASSERT_TRUE(p.ok());
  AuditInput input;
  input.as_of = kToday;
  input.opportunity_playbook = &*p;
  input.accounts.resize(1);
  Labels labels;
  labels.teams[1] = "North";
  labels.teams[2] = "South";
  labels.people[10] = Person{"Ann", "ann@x", 1};
  labels.people[11] = Person{"Bo", "bo@x", 2};
  // Ann: green 100 DKK, yellow 300 DKK (gap in area 1). Bo: red 500 DKK (gap 2 in area 2),
  // red 200 SEK (stale).
  struct Deal {
    int64_t owner;
    int64_t amount;
    const char* currency;
    std::array<int, 5> yes;
    Day last;
  };
  const Deal deals[] = {{10, 10000, "DKK", {2, 2, 1, 1, 0}, kToday},
                        {10, 30000, "DKK", {1, 2, 1, 1, 0}, kToday},
                        {11, 50000, "DKK", {2, 0, 1, 1, 0}, kToday},
                        {11, 20000, "SEK", {2, 2, 1, 1, 0}, kToday - 40}};
  for (size_t i = 0; i < std::size(deals); ++i) {
    OpportunityFacts f;
    f.id = static_cast<int64_t>(100 + i);
    f.owner_id = deals[i].owner;
    f.account = 0;
    f.stage = Stage::kPropose;
    f.amount = Money{deals[i].amount, *Currency::Parse(deals[i].currency)};
    f.created_on = kToday - 50;
    f.last_activity = deals[i].last;
    input.opportunities.push_back(f);
    std::vector<AnswerFact> answers;
    for (int a = 0; a < 5; ++a) {
      for (int c = 0; c < deals[i].yes[a]; ++c) {
        answers.push_back({static_cast<uint16_t>(a * 2 + c), Answer::kYes});
      }
    }
    input.opportunity_answers.push_back(answers);
    labels.opportunity_external_ids.push_back("OPP-" + std::to_string(i));
    labels.opportunity_names.push_back("Deal " + std::to_string(i));
  }
  std::vector<ItemResult> items = Audit(input);
  ASSERT_EQ(items.size(), 4u);
  PreviousRun previous;
  previous.id = 3;
  previous.as_of = kToday - 7;
  previous.colours[{SubjectType::kOpportunity, 100}] = Colour::kRed;     // -> green
  previous.colours[{SubjectType::kOpportunity, 101}] = Colour::kYellow;  // unchanged
  previous.colours[{SubjectType::kOpportunity, 102}] = Colour::kGreen;   // -> red
  previous.colours[{SubjectType::kOpportunity, 999}] = Colour::kGreen;   // gone
  Report report = Consolidate(input, items, labels, previous, {}, ReportOptions{});
  EXPECT_THAT(report.summary, ElementsAre(1, 1, 2));
  ASSERT_EQ(report.sections.size(), 1u);
  const Section& s = report.sections[0];
  ASSERT_EQ(s.by_team.size(), 2u);
  EXPECT_EQ(s.by_team[0].key, "North");
  EXPECT_THAT(s.by_team[0].tally.count, ElementsAre(1, 1, 0));
  EXPECT_THAT(s.by_team[1].tally.count, ElementsAre(0, 0, 2));
  EXPECT_EQ(s.by_team[0].tally.value.at("DKK")[0], 10000);
  EXPECT_EQ(s.by_team[1].tally.value.at("SEK")[2], 20000);
  // Mean gaps over the 4 deals: area 1 1/4, area 2 2/4. Ann's area-1 gap (1/2) exceeds the
  // average by most; Bo's area-2 gap (2/2).
  EXPECT_DOUBLE_EQ(s.mean_gap[0], 0.25);
  EXPECT_DOUBLE_EQ(s.mean_gap[1], 0.5);
  ASSERT_EQ(s.by_rep.size(), 2u);
  EXPECT_EQ(s.by_rep[0].key, "ann@x");
  EXPECT_EQ(s.by_rep[0].label, "Ann");
  EXPECT_EQ(s.by_rep[0].weakest_area, 0);
  EXPECT_EQ(s.by_rep[1].weakest_area, 1);
  EXPECT_DOUBLE_EQ(s.by_rep[1].meets_minimum[1], 0.5);
  // Worst items: red and yellow, by value within each currency.
  ASSERT_EQ(s.worst.at("DKK").size(), 2u);
  EXPECT_EQ(ItemId(input, items[s.worst.at("DKK")[0]]), 102);
  EXPECT_EQ(ItemId(input, items[s.worst.at("DKK")[1]]), 101);
  EXPECT_EQ(s.worst.at("SEK").size(), 1u);
  ASSERT_TRUE(report.trend.has_value());
  EXPECT_EQ(report.trend->to_green, 1);
  EXPECT_EQ(report.trend->to_red, 1);
  EXPECT_EQ(report.trend->unchanged, 1);
  EXPECT_EQ(report.trend->added, 1);
  EXPECT_EQ(report.trend->gone, 1);

  nlohmann::json json = ReportJson(input, items, labels, report, 0);
  EXPECT_EQ(json["summary"]["items"], 4);
  EXPECT_EQ(json["summary"]["green"].get<int>() + json["summary"]["yellow"].get<int>() +
                json["summary"]["red"].get<int>(),
            static_cast<int>(json["items"].size()));
  const auto& item = json["items"][2];
  EXPECT_EQ(item["subject_type"], "opportunity");
  EXPECT_EQ(item["id"], 102);
  EXPECT_EQ(item["owner"], "bo@x");
  EXPECT_EQ(item["team"], "South");
  EXPECT_EQ(item["stage"], "propose");
  EXPECT_EQ(item["colour"], "red");
  EXPECT_EQ(item["area_scores"], nlohmann::json({2, 0, 1, 1, 0}));
  EXPECT_EQ(item["reasons"].size(), item["actions"].size());
  EXPECT_EQ(item["reasons"][0], "Not met: criterion a2_1");
  std::string csv = ReportCsv(input, items, labels, 0);
  EXPECT_THAT(csv, HasSubstr("opportunity,102,OPP-2,Deal 2,bo@x,South,propose,red,2,0,1,1,0,"
                             "2,2,1,1,0,false,50000,DKK,"));
  std::string table = ReportTable(input, items, labels, report, 0);
  EXPECT_THAT(table, HasSubstr("4 items: 1 green, 1 yellow, 2 red"));
  EXPECT_THAT(table, HasSubstr("1 to green, 0 to yellow, 1 to red, 1 unchanged, 1 new, 1 gone"));
}

TEST(ReportTest, ActionsKnowWhetherTheirGapClosed) {
  Result<Playbook> p = ParsePlaybook(TestPlaybook("opportunity"));
  ASSERT_TRUE(p.ok());
  AuditInput input;
  input.as_of = kToday;
  input.opportunity_playbook = &*p;
  input.accounts.resize(1);
  OpportunityFacts f;
  f.id = 5;
  f.account = 0;
  f.stage = Stage::kPropose;
  f.created_on = kToday;
  input.opportunities.push_back(f);
  input.opportunity_answers.push_back({{0, Answer::kYes}});
  std::vector<ItemResult> items = Audit(input);
  std::vector<ActionStatus> actions(3);
  actions[0].subject_id = 5;
  actions[0].criterion_id = "a1_1";  // answered yes: closed
  actions[1].subject_id = 5;
  actions[1].criterion_id = "a1_2";  // still open
  actions[2].subject_id = 6;         // not audited
  actions[2].criterion_id = "a1_2";
  Labels labels;
  labels.opportunity_names = {"x"};
  labels.opportunity_external_ids = {"x"};
  Report report = Consolidate(input, items, labels, std::nullopt, actions, ReportOptions{});
  EXPECT_EQ(report.actions[0].closed, std::optional<bool>(true));
  EXPECT_EQ(report.actions[1].closed, std::optional<bool>(false));
  EXPECT_FALSE(report.actions[2].closed.has_value());
}

}  // namespace
}  // namespace salesbox::analytics::audit

// SPDX-License-Identifier: MIT
#include "analytics/audit/playbook.h"

#include <functional>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace salesbox::analytics::audit {
namespace {

using ::testing::HasSubstr;

std::string Shipped(std::string_view name) {
  for (const ShippedPlaybook& p : ShippedPlaybooks()) {
    if (p.name == name) return std::string(p.json);
  }
  return std::string();
}

TEST(PlaybookTest, ShippedPlaybooksParse) {
  ASSERT_EQ(ShippedPlaybooks().size(), 3u);
  for (const ShippedPlaybook& shipped : ShippedPlaybooks()) {
    Result<Playbook> playbook = ParsePlaybook(shipped.json);
    ASSERT_TRUE(playbook.ok()) << shipped.name << ": " << playbook.status().message();
    EXPECT_EQ(playbook->name, shipped.name);
  }
}

TEST(PlaybookTest, DefaultOpportunityPlaybookIsTheDesignsTable) {
  Result<Playbook> p = ParsePlaybook(Shipped("default-opportunity"));
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->subject_type, SubjectType::kOpportunity);
  EXPECT_EQ(p->criteria.size(), 20u);
  for (int a = 0; a < kAreaCount; ++a) EXPECT_EQ(p->CriteriaIn(a), 4) << a;
  // DESIGN.md section 2: stage minimums per area and stale-after days.
  const std::array<int, 5> qualify{1, 1, 0, 0, 1}, discover{2, 2, 1, 1, 1},
      propose{3, 3, 2, 2, 2}, negotiate{3, 3, 3, 3, 3}, commit{4, 3, 4, 3, 4};
  EXPECT_EQ(p->minimums.at("qualify").areas, qualify);
  EXPECT_EQ(p->minimums.at("discover").areas, discover);
  EXPECT_EQ(p->minimums.at("propose").areas, propose);
  EXPECT_EQ(p->minimums.at("negotiate").areas, negotiate);
  EXPECT_EQ(p->minimums.at("commit").areas, commit);
  EXPECT_EQ(p->minimums.at("qualify").stale_after_days, 30);
  EXPECT_EQ(p->minimums.at("discover").stale_after_days, 21);
  EXPECT_EQ(p->minimums.at("propose").stale_after_days, 14);
  EXPECT_EQ(p->minimums.at("negotiate").stale_after_days, 10);
  EXPECT_EQ(p->minimums.at("commit").stale_after_days, 7);
  // The auto criteria DESIGN.md marks.
  for (const char* id : {"eb_identified", "eb_met", "champion_active", "next_step_dated", "icp_fit"}) {
    ASSERT_NE(p->Find(id), nullptr) << id;
    EXPECT_TRUE(p->Find(id)->auto_rule.has_value()) << id;
  }
  EXPECT_FALSE(p->Find("budget_confirmed")->auto_rule.has_value());
  EXPECT_EQ(p->Find("eb_met")->text.In(LocaleIndex("da")),
            "Vi har mødt den økonomiske beslutningstager");
}

TEST(PlaybookTest, DefaultAccountPlaybookHasClassMinimums) {
  Result<Playbook> p = ParsePlaybook(Shipped("default-account"));
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->subject_type, SubjectType::kAccount);
  const std::array<int, 5> a{3, 3, 3, 3, 3}, b{2, 2, 2, 2, 2}, c{1, 1, 1, 1, 1};
  EXPECT_EQ(p->minimums.at("A").areas, a);
  EXPECT_EQ(p->minimums.at("B").areas, b);
  EXPECT_EQ(p->minimums.at("C").areas, c);
  EXPECT_EQ(p->minimums.at("A").touchpoints_per_year, 4);
}

TEST(PlaybookTest, LocaleIndexFallsBackToEnglish) {
  EXPECT_EQ(LocaleIndex("en"), 0);
  EXPECT_EQ(LocaleIndex("da-DK"), 1);
  EXPECT_EQ(LocaleIndex("sv"), 2);
  EXPECT_EQ(LocaleIndex("no"), 3);
  EXPECT_EQ(LocaleIndex("fi"), 0);
}

// Issue 16: a company writing only its own language can load its playbook.
TEST(PlaybookTest, AnySubsetOfLanguagesFallsBackToEnglishElseTheFirstGiven) {
  nlohmann::json json = nlohmann::json::parse(Shipped("default-opportunity"));
  // Only Danish and Swedish everywhere: Danish (the first given) stands in for en and nb.
  std::function<void(nlohmann::json&)> keep = [&](nlohmann::json& j) {
    if (j.is_object() && j.contains("da") && j.contains("en")) {
      j.erase("en");
      j.erase("nb");
      return;
    }
    if (j.is_structured()) {
      for (auto& child : j) keep(child);
    }
  };
  keep(json);
  json["criteria"][0]["text"] = {{"sv", "Svensk text"}};
  json["criteria"][1]["text"] = {{"en", "English text"}, {"nb", "Norsk tekst"}};
  Result<Playbook> playbook = ParsePlaybook(json.dump());
  ASSERT_TRUE(playbook.ok()) << playbook.status().message();
  const nlohmann::json shipped = nlohmann::json::parse(Shipped("default-opportunity"));
  const std::string danish = shipped["criteria"][2]["text"]["da"];
  const Criterion& third = playbook->criteria[2];
  EXPECT_EQ(third.text.In(0), danish);
  EXPECT_EQ(third.text.In(1), danish);
  EXPECT_EQ(third.text.In(2), shipped["criteria"][2]["text"]["sv"].get<std::string>());
  EXPECT_EQ(third.text.In(3), danish);
  for (int locale = 0; locale < 4; ++locale) {
    EXPECT_EQ(playbook->criteria[0].text.In(locale), "Svensk text");
  }
  EXPECT_EQ(playbook->criteria[1].text.In(0), "English text");
  EXPECT_EQ(playbook->criteria[1].text.In(1), "English text");
  EXPECT_EQ(playbook->criteria[1].text.In(2), "English text");
  EXPECT_EQ(playbook->criteria[1].text.In(3), "Norsk tekst");
}

// Edits the default opportunity playbook with `edit` and returns the parse error.
template <typename Edit>
std::string ErrorAfter(Edit edit) {
  nlohmann::json json = nlohmann::json::parse(Shipped("default-opportunity"));
  edit(json);
  Result<Playbook> p = ParsePlaybook(json.dump());
  if (p.ok()) return "parsed";
  EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
  return p.status().message();
}

TEST(PlaybookTest, BadPlaybooksNameTheProblem) {
  EXPECT_THAT(ParsePlaybook("{\"name\": ").status().message(), HasSubstr("not valid JSON"));
  // A number beyond a double (found by fuzzing: it threw out of the loader).
  EXPECT_THAT(ParsePlaybook("56e5555555555555555552").status().message(),
              HasSubstr("not valid JSON"));
  EXPECT_THAT(ParsePlaybook("[1]").status().message(), HasSubstr("must be an object"));
  EXPECT_THAT(ErrorAfter([](auto& j) { j.erase("areas"); }), HasSubstr("areas: missing"));
  EXPECT_THAT(ErrorAfter([](auto& j) { j["areas"].erase(4); }),
              HasSubstr("has 4 areas; a playbook has exactly 5"));
  EXPECT_THAT(ErrorAfter([](auto& j) { j["criteria"][3]["area"] = "valu"; }),
              HasSubstr("criteria[3].area: unknown area \"valu\" (areas are relationships, "
                        "understanding, joint_process, value, commitment)"));
  EXPECT_THAT(ErrorAfter([](auto& j) { j["criteria"][5]["id"] = "eb_met"; }),
              HasSubstr("criteria[5].id: \"eb_met\" is used twice"));
  EXPECT_THAT(ErrorAfter([](auto& j) { j["criteria"][0]["auto"]["rule"] = "crystal_ball"; }),
              HasSubstr("criteria[0].auto.rule: unknown rule \"crystal_ball\""));
  EXPECT_THAT(ErrorAfter([](auto& j) { j["criteria"][0]["auto"]["role"] = "ceo"; }),
              HasSubstr("criteria[0].auto.role: unknown buying role \"ceo\""));
  EXPECT_THAT(ErrorAfter([](auto& j) { j["criteria"][0]["auto"]["within_days"] = 3; }),
              HasSubstr("criteria[0].auto.within_days: unknown parameter for rule "
                        "\"contact_with_role\""));
  EXPECT_THAT(ErrorAfter([](auto& j) { j["criteria"][1]["auto"]["types"] = {"lunch"}; }),
              HasSubstr("criteria[1].auto.types[0]"));
  EXPECT_THAT(ErrorAfter([](auto& j) { j["criteria"][10]["auto"] = {{"rule", "order_trend"}, {"min_ratio", 1}}; }),
              HasSubstr("rule \"order_trend\" does not apply to opportunity playbooks"));
  EXPECT_THAT(ErrorAfter([](auto& j) { j["minimums"]["propose"]["areas"][2] = 5; }),
              HasSubstr("minimums.propose.areas[2]: 5 is more than the 4 criteria of area "
                        "\"joint_process\""));
  EXPECT_THAT(ErrorAfter([](auto& j) { j["minimums"]["won"] = j["minimums"]["propose"]; }),
              HasSubstr("minimums.won: unknown stage"));
  EXPECT_THAT(ErrorAfter([](auto& j) { j["minimums"].erase("commit"); }),
              HasSubstr("minimums.commit: missing"));
  EXPECT_THAT(ErrorAfter([](auto& j) { j["criteria"][2]["text"] = nlohmann::json::object(); }),
              HasSubstr("criteria[2].text: needs a text in at least one of en, da, sv, nb"));
  EXPECT_THAT(ErrorAfter([](auto& j) { j["criteria"][2]["text"]["nb"] = ""; }),
              HasSubstr("criteria[2].text.nb: must not be empty"));
  EXPECT_THAT(ErrorAfter([](auto& j) { j["criteria"][2]["text"]["fi"] = "x"; }),
              HasSubstr("criteria[2].text.fi: unknown key"));
  EXPECT_THAT(ErrorAfter([](auto& j) { j["colour"] = "red"; }), HasSubstr("colour: unknown key"));
  EXPECT_THAT(ErrorAfter([](auto& j) { j["subject_type"] = "lead"; }),
              HasSubstr("subject_type: \"lead\" must be opportunity or account"));
  EXPECT_THAT(ErrorAfter([](auto& j) { j["minimums"]["qualify"]["stale_after_days"] = 0; }),
              HasSubstr("minimums.qualify.stale_after_days: 0 is outside 1..3660"));
  EXPECT_THAT(ErrorAfter([](auto& j) {
                nlohmann::json kept = nlohmann::json::array();
                for (auto& c : j["criteria"]) {
                  if (c["area"] != "value") kept.push_back(c);
                }
                j["criteria"] = kept;
              }),
              HasSubstr("area \"value\" has no criteria"));
}

}  // namespace
}  // namespace salesbox::analytics::audit

// SPDX-License-Identifier: MIT
// Segment rules: parsing (table-driven, good and bad rules), matching, and deriving segments
// with the demo company's rules (the first match wins).
#include "analytics/strategy/segment_rule.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace salesbox::analytics::strategy {
namespace {

using ::salesbox::test::StatusIsWithMessage;
using ::testing::HasSubstr;

TEST(SegmentRuleTest, ParsesGoodRulesToTheirCanonicalForm) {
  struct Case {
    std::string text;
    std::string canonical;
  };
  const std::vector<Case> cases = {
      {"*", "*"},
      {"  *  ", "*"},
      {"employees<50", "employees<50"},
      {"industry=Manufacturing;employees>=50", "industry=Manufacturing;employees>=50"},
      {" industry = Public sector ", "industry=Public sector"},
      {"Industry=Retail", "industry=Retail"},
      {"employees<=49;employees>9;employees!=20;employees=21",
       "employees<=49;employees>9;employees!=20;employees=21"},
      {"country!=DK;region=Oslo | Akershus", "country!=DK;region=Oslo|Akershus"},
      {"employees>1000", "employees>1000"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    SB_ASSERT_OK_AND_ASSIGN(SegmentRule rule, SegmentRule::Parse(c.text));
    EXPECT_EQ(rule.ToString(), c.canonical);
  }
}

TEST(SegmentRuleTest, RejectsBadRulesWithPreciseMessages) {
  struct Case {
    std::string text;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"", "segment rule \"\": empty (use \"*\" to match every account)"},
      {"   ", "empty (use \"*\" to match every account)"},
      {"industry=Manufacturing;;employees>=50", "condition 2 (\"\"): empty condition"},
      {"industry=Retail;", "condition 2 (\"\"): empty condition"},
      {"*;employees<50", "condition 1 (\"*\"): \"*\" must be the whole rule"},
      {"employees<50;*", "condition 2 (\"*\"): \"*\" must be the whole rule"},
      {"industry Manufacturing", "condition 1 (\"industry Manufacturing\"): no operator"},
      {"=Retail", "no field before the operator"},
      {"industry=Manufacturing;employes>=50",
       "segment rule \"industry=Manufacturing;employes>=50\": condition 2 (\"employes>=50\"): "
       "unknown field \"employes\" (fields: industry, employees, region, country)"},
      {"employees==50", "unknown operator \"==\""},
      {"employees=>50", "unknown operator \"=>\""},
      {"employees<>50", "unknown operator \"<>\""},
      {"industry!Retail", "unknown operator \"!\""},
      {"employees>= =50", "the value \"=50\" starts with an operator character"},
      {"employees>=", "condition 1 (\"employees>=\"): no value after the operator"},
      {"employees<fifty", "employees must be compared with a whole number >= 0, not \"fifty\""},
      {"employees<5O", "not \"5O\""},
      {"employees>-1", "not \"-1\""},
      {"employees<50.5", "not \"50.5\""},
      {"industry>=Manufacturing", "industry is text and takes = or !=, not >="},
      {"region=Oslo||Akershus", "empty alternative in \"Oslo||Akershus\""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_THAT(SegmentRule::Parse(c.text),
                StatusIsWithMessage(StatusCode::kInvalidArgument, c.message));
  }
}

TEST(SegmentRuleTest, MatchesAccounts) {
  SB_ASSERT_OK_AND_ASSIGN(SegmentRule mid,
                          SegmentRule::Parse("industry=manufacturing;employees>=50"));
  EXPECT_TRUE(mid.Matches({"Manufacturing", 50, "Oslo", "NO"}));
  EXPECT_FALSE(mid.Matches({"Manufacturing", 49, "Oslo", "NO"}));
  EXPECT_FALSE(mid.Matches({"Logistics", 500, "Oslo", "NO"}));
  // Unknown head count matches no employees condition, not even !=.
  EXPECT_FALSE(mid.Matches({"Manufacturing", std::nullopt, "Oslo", "NO"}));
  SB_ASSERT_OK_AND_ASSIGN(SegmentRule not20, SegmentRule::Parse("employees!=20"));
  EXPECT_FALSE(not20.Matches({"Retail", std::nullopt, "", ""}));
  EXPECT_TRUE(not20.Matches({"Retail", 21, "", ""}));

  SB_ASSERT_OK_AND_ASSIGN(SegmentRule east, SegmentRule::Parse("region=Oslo|Akershus;country!=SE"));
  EXPECT_TRUE(east.Matches({"", 1, "akershus", "NO"}));
  EXPECT_FALSE(east.Matches({"", 1, "Vestland", "NO"}));
  EXPECT_FALSE(east.Matches({"", 1, "Oslo", "SE"}));
  // An empty text field equals nothing.
  SB_ASSERT_OK_AND_ASSIGN(SegmentRule not_retail, SegmentRule::Parse("industry!=Retail"));
  EXPECT_TRUE(not_retail.Matches({"", 1, "", ""}));

  SB_ASSERT_OK_AND_ASSIGN(SegmentRule all, SegmentRule::Parse("*"));
  EXPECT_TRUE(all.matches_everything());
  EXPECT_TRUE(all.Matches({}));
}

// The demo company's segments (docs/demo-data.md), evaluated in order.
std::vector<SegmentDefinition> DemoSegments() {
  return {
      {1, "Small business", "employees<50", false},
      {2, "Industrial mid-market", "industry=Manufacturing;employees>=50", true},
      {3, "Logistics & distribution", "industry=Logistics;employees>=50", true},
      {4, "Energy & utilities", "industry=Energy;employees>=50", true},
      {5, "Public sector", "industry=Public sector", false},
      {6, "Retail & consumer", "industry=Retail", false},
      {7, "Other mid-market", "*", false},
  };
}

AccountFacts Account(int64_t id, std::string industry, std::optional<int64_t> employees) {
  AccountFacts a;
  a.id = id;
  a.industry = std::move(industry);
  a.employees = employees;
  return a;
}

TEST(SegmentRuleTest, DerivesTheFirstMatchingSegment) {
  const std::vector<AccountFacts> accounts = {
      Account(10, "Manufacturing", 20),            // small first: 1
      Account(11, "Manufacturing", 50),            // 2
      Account(12, "Logistics", 4000),              // 3
      Account(13, "Energy", 120),                  // 4
      Account(14, "Public sector", 30),            // small: 1
      Account(15, "Public sector", 300),           // 5
      Account(16, "Retail", 60),                   // 6
      Account(17, "IT services", 60),              // 7
      Account(18, "Manufacturing", std::nullopt),  // no employees condition holds: 7
  };
  const std::vector<int64_t> stored = {1, 2, 3, 4, 1, 5, 6, 6, 0};
  SB_ASSERT_OK_AND_ASSIGN(std::vector<SegmentAssignment> assigned,
                          DeriveSegments(DemoSegments(), accounts, stored));
  std::vector<int64_t> derived;
  for (const SegmentAssignment& a : assigned) derived.push_back(a.derived_segment_id);
  EXPECT_EQ(derived, (std::vector<int64_t>{1, 2, 3, 4, 1, 5, 6, 7, 7}));
  EXPECT_FALSE(assigned[0].changed());
  EXPECT_TRUE(assigned[7].changed());
  EXPECT_EQ(assigned[7].stored_segment_id, 6);
  EXPECT_TRUE(assigned[8].changed());
}

TEST(SegmentRuleTest, NoMatchingRuleLeavesTheAccountWithoutASegment) {
  const std::vector<SegmentDefinition> segments = {{1, "Small", "employees<50", false}};
  SB_ASSERT_OK_AND_ASSIGN(SegmentClassifier classifier, SegmentClassifier::Create(segments));
  EXPECT_EQ(classifier.Classify({"Retail", 500, "", ""}), 0);
  EXPECT_EQ(classifier.Classify({"Retail", 5, "", ""}), 1);
}

TEST(SegmentRuleTest, ABadRuleNamesItsSegment) {
  std::vector<SegmentDefinition> segments = DemoSegments();
  segments[3].rule = "industry=Energy;employees>=lots";
  EXPECT_THAT(DeriveSegments(segments, {}),
              StatusIsWithMessage(StatusCode::kInvalidArgument,
                                  "segment \"Energy & utilities\": segment rule "
                                  "\"industry=Energy;employees>=lots\": condition 2"));
}

}  // namespace
}  // namespace salesbox::analytics::strategy

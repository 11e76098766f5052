// SPDX-License-Identifier: MIT
// Segment rules: the text a segment is defined by ("employees<50",
// "industry=Manufacturing;employees>=50", "*"), parsed once and evaluated against accounts, and
// the derivation of every account's segment (the first segment in order whose rule matches).
//
// Grammar (blanks around tokens are ignored):
//   rule      := "*" | condition { ";" condition }      all conditions must hold
//   condition := field op value
//   field     := "industry" | "region" | "country"       text: op is "=" or "!=", and the value
//                                                        may list alternatives "a|b|c"
//              | "employees"                             a whole number: = != < <= > >=
// Text compares case-insensitively (ASCII letters). An account whose employees are unknown
// matches no employees condition (not even "!="); an empty text field equals nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/strategy/strategy_input.h"
#include "common/result.h"

namespace salesbox::analytics::strategy {

enum class RuleField { kIndustry, kEmployees, kRegion, kCountry };
enum class RuleOp { kEq, kNe, kLt, kLe, kGt, kGe };

// "industry", "employees", "region", "country"; "=", "!=", "<", "<=", ">", ">=".
std::string_view RuleFieldName(RuleField field);
std::string_view RuleOpText(RuleOp op);

struct RuleCondition {
  RuleField field = RuleField::kIndustry;
  RuleOp op = RuleOp::kEq;
  std::vector<std::string> texts;  // text fields: the alternatives
  int64_t number = 0;              // employees
};

// What a rule reads of an account.
struct RuleSubject {
  std::string_view industry;
  std::optional<int64_t> employees;
  std::string_view region;
  std::string_view country;
};
RuleSubject SubjectOf(const AccountFacts& account);

class SegmentRule {
 public:
  // Parses `text` (grammar above). kInvalidArgument names the rule, the condition (by number and
  // text) and the problem: an empty rule or condition, an unknown field, a missing or unknown
  // operator, a missing value, a non-numeric employees value, an ordering operator on a text
  // field, or "*" combined with conditions.
  static Result<SegmentRule> Parse(std::string_view text);

  bool matches_everything() const { return conditions_.empty(); }
  const std::vector<RuleCondition>& conditions() const { return conditions_; }

  // True when every condition holds for `subject`.
  bool Matches(const RuleSubject& subject) const;

  // The canonical text: "*" or the conditions joined by ";" without blanks.
  std::string ToString() const;

 private:
  std::vector<RuleCondition> conditions_;  // empty: "*"
};

// The parsed rules of a list of segments, in evaluation order.
class SegmentClassifier {
 public:
  // kInvalidArgument for the first segment whose rule does not parse, prefixed with
  // `segment "<name>"`.
  static Result<SegmentClassifier> Create(std::span<const SegmentDefinition> segments);

  // The id of the first segment whose rule matches, or 0 when none does.
  int64_t Classify(const RuleSubject& subject) const;

 private:
  std::vector<std::pair<int64_t, SegmentRule>> rules_;
};

// One account's derived segment next to the stored one.
struct SegmentAssignment {
  int64_t account_id = 0;
  int64_t stored_segment_id = 0;   // 0: none stored
  int64_t derived_segment_id = 0;  // 0: no rule matches
  bool changed() const { return stored_segment_id != derived_segment_id; }
};

// Derives the segment of every account (parallel to `accounts`; `stored` gives the stored
// segment id per account, parallel too, or is empty). Errors as SegmentClassifier::Create.
Result<std::vector<SegmentAssignment>> DeriveSegments(std::span<const SegmentDefinition> segments,
                                                      std::span<const AccountFacts> accounts,
                                                      std::span<const int64_t> stored = {});

}  // namespace salesbox::analytics::strategy

// SPDX-License-Identifier: MIT
#include "analytics/strategy/segment_rule.h"

#include <algorithm>
#include <charconv>
#include <utility>

namespace salesbox::analytics::strategy {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

constexpr std::string_view kOpChars = "<>=!";
constexpr std::pair<std::string_view, RuleOp> kOps[] = {{"=", RuleOp::kEq}, {"!=", RuleOp::kNe},
                                                        {"<", RuleOp::kLt}, {"<=", RuleOp::kLe},
                                                        {">", RuleOp::kGt}, {">=", RuleOp::kGe}};

constexpr RuleField kFields[] = {RuleField::kIndustry, RuleField::kEmployees, RuleField::kRegion,
                                 RuleField::kCountry};

std::string_view TextOf(const RuleSubject& subject, RuleField field) {
  switch (field) {
    case RuleField::kIndustry:
      return subject.industry;
    case RuleField::kRegion:
      return subject.region;
    case RuleField::kCountry:
      return subject.country;
    case RuleField::kEmployees:
      break;
  }
  return {};
}

bool Holds(const RuleCondition& c, const RuleSubject& subject) {
  if (c.field == RuleField::kEmployees) {
    if (!subject.employees) return false;
    const int64_t e = *subject.employees;
    switch (c.op) {
      case RuleOp::kEq:
        return e == c.number;
      case RuleOp::kNe:
        return e != c.number;
      case RuleOp::kLt:
        return e < c.number;
      case RuleOp::kLe:
        return e <= c.number;
      case RuleOp::kGt:
        return e > c.number;
      case RuleOp::kGe:
        return e >= c.number;
    }
    return false;
  }
  const std::string_view value = Trim(TextOf(subject, c.field));
  bool any = false;
  if (!value.empty()) {
    for (const std::string& text : c.texts) any = any || EqualsIgnoreCase(value, text);
  }
  return c.op == RuleOp::kEq ? any : !any;
}

}  // namespace

std::string_view RuleFieldName(RuleField field) {
  switch (field) {
    case RuleField::kIndustry:
      return "industry";
    case RuleField::kEmployees:
      return "employees";
    case RuleField::kRegion:
      return "region";
    case RuleField::kCountry:
      return "country";
  }
  return "industry";
}

std::string_view RuleOpText(RuleOp op) {
  switch (op) {
    case RuleOp::kEq:
      return "=";
    case RuleOp::kNe:
      return "!=";
    case RuleOp::kLt:
      return "<";
    case RuleOp::kLe:
      return "<=";
    case RuleOp::kGt:
      return ">";
    case RuleOp::kGe:
      return ">=";
  }
  return "=";
}

RuleSubject SubjectOf(const AccountFacts& account) {
  return RuleSubject{account.industry, account.employees, account.region, account.country};
}

Result<SegmentRule> SegmentRule::Parse(std::string_view text) {
  const std::string quoted = "segment rule \"" + std::string(text) + "\"";
  const std::string_view rule = Trim(text);
  if (rule.empty()) {
    return Status::InvalidArgument(quoted + ": empty (use \"*\" to match every account)");
  }
  SegmentRule parsed;
  if (rule == "*") return parsed;
  int number = 0;
  std::string_view rest = rule;
  while (true) {
    ++number;
    const size_t cut = rest.find(';');
    const std::string_view raw = rest.substr(0, cut);
    const std::string_view condition = Trim(raw);
    const std::string where =
        quoted + ": condition " + std::to_string(number) + " (\"" + std::string(condition) + "\")";
    if (condition.empty()) return Status::InvalidArgument(where + ": empty condition");
    if (condition == "*") {
      return Status::InvalidArgument(where + ": \"*\" must be the whole rule");
    }
    const size_t op_at = condition.find_first_of(kOpChars);
    if (op_at == std::string_view::npos) {
      return Status::InvalidArgument(where + ": no operator (use =, !=, <, <=, > or >=)");
    }
    const std::string_view field_text = Trim(condition.substr(0, op_at));
    if (field_text.empty())
      return Status::InvalidArgument(where + ": no field before the operator");
    std::optional<RuleField> field;
    for (RuleField f : kFields) {
      if (EqualsIgnoreCase(field_text, RuleFieldName(f))) field = f;
    }
    if (!field) {
      return Status::InvalidArgument(where + ": unknown field \"" + std::string(field_text) +
                                     "\" (fields: industry, employees, region, country)");
    }
    const std::string_view after = condition.substr(op_at);
    // The operator is the run of operator characters at `op_at`; it must be a known one (so
    // "==", "=>", "<>" and a lone "!" are unknown).
    const size_t op_end = std::min(after.find_first_not_of(kOpChars), after.size());
    std::optional<RuleOp> op;
    for (const auto& [op_text, known] : kOps) {
      if (after.substr(0, op_end) == op_text) op = known;
    }
    if (!op) {
      return Status::InvalidArgument(where + ": unknown operator \"" +
                                     std::string(after.substr(0, op_end)) +
                                     "\" (use =, !=, <, <=, > or >=)");
    }
    const std::string_view value = Trim(after.substr(op_end));
    if (value.empty()) return Status::InvalidArgument(where + ": no value after the operator");
    if (value.find_first_of(kOpChars) == 0) {
      return Status::InvalidArgument(where + ": the value \"" + std::string(value) +
                                     "\" starts with an operator character");
    }
    RuleCondition c;
    c.field = *field;
    c.op = *op;
    if (*field == RuleField::kEmployees) {
      int64_t n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || end != value.data() + value.size() || n < 0) {
        return Status::InvalidArgument(where +
                                       ": employees must be compared with a whole number "
                                       ">= 0, not \"" +
                                       std::string(value) + "\"");
      }
      c.number = n;
    } else {
      if (*op != RuleOp::kEq && *op != RuleOp::kNe) {
        return Status::InvalidArgument(where + ": " + std::string(RuleFieldName(*field)) +
                                       " is text and takes = or !=, not " +
                                       std::string(RuleOpText(*op)));
      }
      std::string_view alternatives = value;
      while (true) {
        const size_t bar = alternatives.find('|');
        const std::string_view one = Trim(alternatives.substr(0, bar));
        if (one.empty()) {
          return Status::InvalidArgument(where + ": empty alternative in \"" + std::string(value) +
                                         "\"");
        }
        c.texts.emplace_back(one);
        if (bar == std::string_view::npos) break;
        alternatives.remove_prefix(bar + 1);
      }
    }
    parsed.conditions_.push_back(std::move(c));
    if (cut == std::string_view::npos) break;
    rest.remove_prefix(cut + 1);
  }
  return parsed;
}

bool SegmentRule::Matches(const RuleSubject& subject) const {
  for (const RuleCondition& c : conditions_) {
    if (!Holds(c, subject)) return false;
  }
  return true;
}

std::string SegmentRule::ToString() const {
  if (conditions_.empty()) return "*";
  std::string out;
  for (const RuleCondition& c : conditions_) {
    if (!out.empty()) out += ';';
    out += RuleFieldName(c.field);
    out += RuleOpText(c.op);
    if (c.field == RuleField::kEmployees) {
      out += std::to_string(c.number);
    } else {
      for (size_t i = 0; i < c.texts.size(); ++i) {
        if (i > 0) out += '|';
        out += c.texts[i];
      }
    }
  }
  return out;
}

Result<SegmentClassifier> SegmentClassifier::Create(std::span<const SegmentDefinition> segments) {
  SegmentClassifier classifier;
  for (const SegmentDefinition& segment : segments) {
    Result<SegmentRule> rule = SegmentRule::Parse(segment.rule);
    if (!rule.ok()) {
      return Status::InvalidArgument("segment \"" + segment.name +
                                     "\": " + rule.status().message());
    }
    classifier.rules_.emplace_back(segment.id, *std::move(rule));
  }
  return classifier;
}

int64_t SegmentClassifier::Classify(const RuleSubject& subject) const {
  for (const auto& [id, rule] : rules_) {
    if (rule.Matches(subject)) return id;
  }
  return 0;
}

Result<std::vector<SegmentAssignment>> DeriveSegments(std::span<const SegmentDefinition> segments,
                                                      std::span<const AccountFacts> accounts,
                                                      std::span<const int64_t> stored) {
  Result<SegmentClassifier> classifier = SegmentClassifier::Create(segments);
  if (!classifier.ok()) return classifier.status();
  std::vector<SegmentAssignment> out;
  out.reserve(accounts.size());
  for (size_t i = 0; i < accounts.size(); ++i) {
    SegmentAssignment a;
    a.account_id = accounts[i].id;
    a.stored_segment_id = i < stored.size() ? stored[i] : 0;
    a.derived_segment_id = classifier->Classify(SubjectOf(accounts[i]));
    out.push_back(a);
  }
  return out;
}

}  // namespace salesbox::analytics::strategy

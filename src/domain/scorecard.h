// SPDX-License-Identifier: MIT
// The audit's records (DESIGN.md section 2): playbooks as loaded, dated scorecard answers,
// immutable audit runs, and the action items created from red and yellow findings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/ids.h"
#include "common/time.h"
#include "domain/enum_names.h"

namespace salesbox {

// What a scorecard is about.
enum class SubjectType { kOpportunity, kAccount };

template <>
struct EnumNames<SubjectType> {
  static constexpr std::string_view kWhat = "subject type";
  static constexpr std::array<std::pair<SubjectType, std::string_view>, 2> kNames{{
      {SubjectType::kOpportunity, "opportunity"},
      {SubjectType::kAccount, "account"},
  }};
};

enum class Answer : uint8_t { kUnknown, kYes, kNo };

template <>
struct EnumNames<Answer> {
  static constexpr std::string_view kWhat = "answer";
  static constexpr std::array<std::pair<Answer, std::string_view>, 3> kNames{{
      {Answer::kUnknown, "unknown"},
      {Answer::kYes, "yes"},
      {Answer::kNo, "no"},
  }};
};

// One loaded version of a playbook. Loading a playbook with a name that exists adds the next
// version; the newest version of each subject type's active playbook is the one audits use.
// `body` is the playbook's canonical JSON (analytics/audit/playbook.h parses and checks it).
struct PlaybookVersion {
  PlaybookId id;
  std::string name;  // "default-opportunity", "meddicc"
  int64_t revision = 1;  // 1, 2, ... per name; (name, revision) is unique
  SubjectType subject_type = SubjectType::kOpportunity;
  std::string body;
  std::string checksum;  // hex SHA-256 of body: loading the same body again adds no version
  bool active = false;   // at most one active playbook per subject type
  std::optional<UserId> loaded_by;
  Timestamp loaded_at{};

  friend bool operator==(const PlaybookVersion&, const PlaybookVersion&) = default;
};

// A rep's (or manager's) answer to one criterion for one opportunity or account, as of
// `answered_at`. Answers are never overwritten: a new answer is a new row, so the scorecard can
// be read as it stood at any past instant (the latest answer at or before it wins). The natural
// key is (subject_type, subject_id, criterion_id, answered_at). subject_id is not a foreign key
// (it names one of two tables); the services check that the subject exists.
struct ScorecardAnswer {
  ScorecardAnswerId id;
  SubjectType subject_type = SubjectType::kOpportunity;
  int64_t subject_id = 0;    // the opportunity's or the account's id
  std::string criterion_id;  // a criterion of the subject type's playbook
  Answer answer = Answer::kUnknown;
  std::string note;  // the evidence: "CFO confirmed budget in the 12 May meeting"
  std::optional<UserId> answered_by;
  Timestamp answered_at{};

  friend bool operator==(const ScorecardAnswer&, const ScorecardAnswer&) = default;
};

// A saved audit: what every audited item scored, as of a date, under which playbooks. Never
// updated or deleted. `report` is the full JSON report (items, summary, groupings) as
// `salesbox audit --format json` printed it.
struct AuditRun {
  AuditRunId id;
  std::string event_id;  // random, unique: two runs saved in the same second stay apart
  Date as_of{};
  std::string scope;  // "company", "team:Danmark Øst", "rep:anders.nielsen@..."
  std::string playbooks;  // "default-opportunity@1,default-account@1"
  int64_t items = 0;
  int64_t green = 0;
  int64_t yellow = 0;
  int64_t red = 0;
  std::optional<UserId> created_by;
  Timestamp created_at{};
  std::string report;

  friend bool operator==(const AuditRun&, const AuditRun&) = default;
};

// An action taken on an audit finding: the planned activity that should close the gap of one
// criterion of one opportunity or account. The activity carries owner and due date and shows in
// the owner's activity list; the next audit tells whether the criterion is now met.
struct ActionItem {
  ActionItemId id;
  ActivityId activity_id;
  SubjectType subject_type = SubjectType::kOpportunity;
  int64_t subject_id = 0;
  std::string criterion_id;  // empty: a staleness finding ("no activity in 30 days")
  std::optional<AuditRunId> run_id;  // the saved run it came from, if any
  std::optional<UserId> created_by;
  Timestamp created_at{};

  friend bool operator==(const ActionItem&, const ActionItem&) = default;
};

}  // namespace salesbox

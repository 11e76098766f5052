// SPDX-License-Identifier: MIT
// Playbooks: the audit's scorecard as data (DESIGN.md section 2). A playbook names five areas,
// the criteria that score them (each answered yes/no by a person, or computed from the data by
// an auto rule), and the minimum score per area an item needs: per stage for opportunities,
// per ABC class for accounts. Parsing checks everything and names the problem with its JSON
// path, so a bad playbook is refused before it can be stored.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/status_macros.h"
#include "domain/account.h"
#include "domain/activity.h"
#include "domain/opportunity.h"
#include "domain/scorecard.h"

namespace salesbox::analytics::audit {

// Every playbook has exactly five areas, so scores can be compared across playbooks and runs.
inline constexpr int kAreaCount = 5;

// The languages a playbook's texts are shown in, in this order. A playbook gives each text in
// any non-empty subset of them; the others show English, else the first language given.
inline constexpr std::array<std::string_view, 4> kLocales{"en", "da", "sv", "nb"};

// Index of `locale` in kLocales ("da-DK" and "no" are accepted); English when unknown.
int LocaleIndex(std::string_view locale);

// A text in every locale of kLocales (the parser fills languages the playbook leaves out).
struct LocalText {
  std::array<std::string, kLocales.size()> text;
  const std::string& In(int locale) const { return text[static_cast<size_t>(locale)]; }
};

// What an auto criterion computes from the data, as of the audit date D. "Linked" means the
// activity names the opportunity; "on the account" means it names the account.
enum class AutoRule {
  kContactWithRole,     // the account has a contact with `role`
  kMetRole,             // a completed activity of `types`, linked to the deal, with a `role` contact
  kRoleActive,          // a `role` contact of the account had a completed activity in `within_days`
  kRolesStrength,       // every contact with a buying role has strength >= `min` (and one exists)
  kRoleStrength,        // the `role` contacts' strongest relationship is >= `min`
  kRolesCovered,        // at least `min` distinct buying roles among the account's contacts
  kNextStepDated,       // the opportunity's next-step date is after D
  kFieldPresent,        // the opportunity's `field` ("competitors") is not empty
  kActivitiesCount,     // at least `min` completed activities of `types` linked to the deal
  kIcpFit,              // the account's ICP fit >= `min`; without fit scores: in a core segment
  kContactTouched,      // a completed activity with one of the account's contacts in `within_days`
  kMeetingHeld,         // a completed meeting on the account in `within_days`
  kTouchpointsMeetTarget,  // completed activities on the account in the last 365 days >= the
                           // class's touchpoints_per_year
  kNextActivityPlanned,    // an activity on the account is planned after D
  kProductLines,           // won deals cover at least `min` distinct product lines
  kOrderTrend,             // margin in the last 365 days >= `min_ratio` x the 365 days before
  kRecentBusiness,         // an open opportunity, or an order in `within_days`
};

struct AutoSpec {
  AutoRule rule = AutoRule::kNextStepDated;
  BuyingRole role = BuyingRole::kUnknown;
  uint32_t types = 0;  // bit (1 << ActivityType) per activity type
  int64_t within_days = 0;
  int64_t min = 0;
  double min_ratio = 0;
  std::string field;
};

struct Criterion {
  std::string id;  // unique in the playbook: [a-z0-9_], 1..64 characters
  int area = 0;    // 0..kAreaCount-1
  LocalText text;
  LocalText action;  // the concrete next action when the criterion is not met
  std::optional<AutoSpec> auto_rule;  // empty: answered by people
};

struct Area {
  std::string id;
  LocalText name;
};

// The bar an item must meet: per area, and when it is stale.
struct Minimum {
  std::array<int, kAreaCount> areas{};
  int64_t stale_after_days = 0;      // opportunities: days without a completed activity
  int64_t touchpoints_per_year = 0;  // accounts: completed activities in the last 365 days
};

struct Playbook {
  std::string name;
  SubjectType subject_type = SubjectType::kOpportunity;
  LocalText title;
  std::array<Area, kAreaCount> areas;
  std::vector<Criterion> criteria;
  // Opportunities: one per open stage (qualify .. commit). Accounts: "A", "B", "C".
  std::map<std::string, Minimum, std::less<>> minimums;

  // The criterion with `id`, or null.
  const Criterion* Find(std::string_view id) const;
  // The number of criteria in `area`.
  int CriteriaIn(int area) const;
};

// Parses and checks a playbook. kInvalidArgument names the first problem with its path:
//   criteria[3].area: unknown area "valu" (areas are relationships, understanding, ...)
//   minimums.propose.areas[2]: 5 is more than the 4 criteria of area "joint_process"
// Unknown keys are refused (a typo must not silently drop a rule).
Result<Playbook> ParsePlaybook(std::string_view json_text);

// The playbooks shipped with salesbox: default-opportunity, default-account, meddicc (the files
// in playbooks/, compiled in). The first two are what a new database uses.
struct ShippedPlaybook {
  std::string_view name;
  std::string_view json;
};
std::span<const ShippedPlaybook> ShippedPlaybooks();

}  // namespace salesbox::analytics::audit

// SPDX-License-Identifier: MIT
// The audit (DESIGN.md section 2) as a pure function: facts about every open opportunity and
// every customer as they stood on day D, plus their scorecard answers, in; scores per area,
// a colour, and the reasons with one next action each, out. No I/O: service/audit_service
// gathers the facts from the store, and the renderers turn results into text.
//
// Design notes
// (1) Scale. The audit must cover ~1M opportunities and 200k accounts in well under a second,
//     so facts are compact plain structs (days as int32 day numbers, role and activity-type
//     sets as bit masks) and findings are codes, rendered into words only when printed.
// (2) Colour. gap[a] = max(0, minimum[a] - score[a]). Green: no gap and not stale. Yellow:
//     not stale, no gap above 1, and at most two areas with a gap. Red: anything else.
//     Opportunities are stale when their last completed activity (or, with none, their
//     creation) is more than the stage's stale_after_days before D, or their next-step or
//     close date lies before D. Customers are stale when their completed activities in the
//     last 365 days fall short of their ABC class's touchpoint target.
// (3) Answers. A criterion with an auto rule is decided by the data; otherwise the latest
//     answer at or before D counts (yes scores, no and unknown do not).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analytics/audit/playbook.h"
#include "common/cow_vector.h"
#include "common/money.h"
#include "domain/scorecard.h"

namespace salesbox::analytics::audit {

// Days since 1970-01-01; kNoDay when there is none.
using Day = int32_t;
inline constexpr Day kNoDay = INT32_MIN;

inline constexpr int kBuyingRoles = 9;     // BuyingRole values
inline constexpr int kActivityTypes = 7;   // ActivityType values

enum class Colour : uint8_t { kGreen, kYellow, kRed };
std::string_view ColourName(Colour colour);  // "green", "yellow", "red"

// An account as of D: itself as a subject (when it is a customer), and the context its
// opportunities' relationship rules read.
struct AccountFacts {
  int64_t id = 0;
  int64_t owner_id = 0;  // 0: none
  int64_t segment_id = 0;
  bool core_segment = false;
  bool customer = false;   // ordered in the 365 days up to D: audited with the account playbook
  char abc_class = 0;      // 'A', 'B', 'C'; 0 unclassified (audited as 'C')
  std::optional<double> icp_fit;  // 0..100, when fit scores exist

  uint16_t roles_present = 0;               // bit per BuyingRole among contacts created by D
  std::array<int8_t, kBuyingRoles> role_strength{};  // strongest known per role; -1 none known
  int8_t weakest_role_strength = -1;  // weakest over contacts with a buying role; null counts 0
  std::array<Day, kBuyingRoles> role_last_active{};  // last completed activity with a role contact

  Day last_contact_touch = kNoDay;  // last completed activity with any of its contacts
  Day last_meeting = kNoDay;        // last completed meeting on the account
  int32_t touches_365 = 0;          // completed activities on the account in (D-365, D]
  bool planned_ahead = false;       // an activity on the account planned after D
  int32_t product_lines = 0;        // distinct product lines of deals won by D
  int64_t margin_last_365 = 0;      // minor units of `currency`: orders in (D-365, D]
  int64_t margin_prev_365 = 0;      // orders in (D-730, D-365]
  int64_t margin_3y = 0;            // orders in (D-1096, D]: the value for ABC classes
  Day last_order = kNoDay;
  bool open_opportunity = false;    // an opportunity open on D
  Currency currency;                // of its orders (the first seen)
};

// An opportunity open on D, as it stood then.
struct OpportunityFacts {
  int64_t id = 0;
  int64_t owner_id = 0;
  int32_t account = -1;  // index into the accounts vector given to Audit
  Stage stage = Stage::kQualify;
  Money amount;
  Day created_on = kNoDay;
  Day close_on = kNoDay;
  Day next_step_on = kNoDay;
  Day last_activity = kNoDay;  // last completed activity linked to the deal
  bool competitors = false;    // field_present
  bool next_step_text = false;
  bool product_lines = false;
  // Per buying role: the activity types of completed activities linked to the deal with a
  // contact in that role (bit per ActivityType).
  std::array<uint8_t, kBuyingRoles> role_types{};
  std::array<uint16_t, kActivityTypes> type_counts{};  // completed activities linked to the deal
};

// The latest answer at or before D to one manual criterion.
struct AnswerFact {
  uint16_t criterion = 0;  // index into the playbook's criteria
  Answer answer = Answer::kUnknown;
  int64_t at = 0;  // when it was answered (seconds since the epoch), to keep the latest
  int64_t id = 0;  // the stored answer's id, to order answers given in the same second
};

// Why an item is not green: a criterion not met in an area below its minimum, or staleness.
enum class FindingKind : uint8_t {
  kCriterion,         // `criterion` not met
  kNoRecentActivity,  // `days` since the last completed activity, limit `limit`
  kNextStepPassed,    // the next step was `days` days ago
  kCloseDatePassed,   // the close date was `days` days ago
  kTouchpointsMissed  // `days` touchpoints in the last 365 days, target `limit`
};

struct Finding {
  FindingKind kind = FindingKind::kCriterion;
  int16_t criterion = -1;
  int32_t days = 0;
  int32_t limit = 0;
  friend bool operator==(const Finding&, const Finding&) = default;
};

struct ItemResult {
  SubjectType subject_type = SubjectType::kOpportunity;
  int32_t index = 0;  // into the opportunities or accounts given to Audit
  Colour colour = Colour::kGreen;
  bool stale = false;
  char abc_class = 0;  // accounts: the class that set the minimums
  std::array<int8_t, kAreaCount> scores{};
  std::array<int8_t, kAreaCount> minimums{};
  // Per criterion of the playbook, yes/no/unknown (auto criteria: as the data decided).
  std::vector<Answer> answers;
  std::vector<Finding> findings;  // empty when green

  int Gap(int area) const { return scores[area] < minimums[area] ? minimums[area] - scores[area] : 0; }
};

// The facts the rules read, for the whole audit.
struct AuditInput {
  Day as_of = 0;
  const Playbook* opportunity_playbook = nullptr;  // null: opportunities are not audited
  const Playbook* account_playbook = nullptr;      // null: customers are not audited
  // In chunks that copies share (common/cow_vector.h): the live fact model's snapshots.
  CowVector<AccountFacts> accounts;
  CowVector<OpportunityFacts> opportunities;
  // Answers per item, aligned with `opportunities` and `accounts` (may be empty: no answers).
  CowVector<std::vector<AnswerFact>> opportunity_answers;
  CowVector<std::vector<AnswerFact>> account_answers;
};

// One criterion's auto rule, decided from the facts (yes or no; unknown when the data cannot
// tell, e.g. ICP fit without fit scores or a core-segment flag).
Answer EvaluateRule(const AutoSpec& rule, Day as_of, const AccountFacts& account,
                    const OpportunityFacts* opportunity, const Minimum* minimum);

// Scores, colours and findings for one item.
ItemResult AuditOpportunity(const AuditInput& input, int32_t index);
ItemResult AuditAccount(const AuditInput& input, int32_t index);

// Every open opportunity, then every customer (accounts with customer = true), in input order.
std::vector<ItemResult> Audit(const AuditInput& input);

// The reason and the next action for a finding, in `locale` (an index of kLocales).
std::string FindingReason(const Finding& finding, const Playbook& playbook, int locale);
std::string FindingAction(const Finding& finding, const Playbook& playbook, int locale);

}  // namespace salesbox::analytics::audit

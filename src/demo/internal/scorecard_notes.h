// SPDX-License-Identifier: MIT
// The manual criteria of the default playbooks (playbooks/default-opportunity.json and
// default-account.json) that the demo's reps answer, and the short evidence notes they write,
// in Danish, Swedish, Norwegian or English. Plain static data; nothing here allocates except
// the caller's buffer.
#pragma once

#include <string>
#include <string_view>

#include "common/time.h"
#include "domain/scorecard.h"

namespace salesbox::demo::internal {

// A note's language: the country index of nordic_data.h (0 Danish, 1 Swedish, 2 Norwegian),
// or English.
inline constexpr int kEnglish = 3;

struct ManualCriterion {
  std::string_view id;
  int area;  // 0-based, in the playbook's area order
};

// The opportunity playbook's manual criteria, in the order a rep answers them within an area.
// Areas: 0 relationships (all auto), 1 understanding, 2 joint process, 3 value, 4 commitment.
inline constexpr ManualCriterion kOpportunityCriteria[] = {
    {"issue_written", 1},           {"impact_quantified", 1}, {"understanding_confirmed", 1},
    {"decision_criteria_known", 1}, {"mutual_plan", 2},       {"plan_agreed", 2},
    {"decision_process_known", 2},  {"value_mapped", 3},      {"difference_acknowledged", 3},
    {"business_case_agreed", 3},    {"budget_confirmed", 4},  {"compelling_event", 4},
    {"seen_as_partner", 4},
};
inline constexpr int kOpportunityCriterionCount =
    static_cast<int>(sizeof kOpportunityCriteria / sizeof kOpportunityCriteria[0]);

// The account playbook's manual criteria. Areas: 0 coverage (all auto), 1 account plan,
// 2 governance, 3 value delivered, 4 position.
inline constexpr ManualCriterion kAccountCriteria[] = {
    {"plan_exists", 1},          {"plan_reviewed", 1},    {"priorities_known", 1},
    {"buying_process_known", 1}, {"escalation_path", 2},  {"satisfaction_measured", 3},
    {"no_open_escalation", 3},   {"value_documented", 3}, {"reference", 3},
    {"wallet_known", 4},
};
inline constexpr int kAccountCriterionCount =
    static_cast<int>(sizeof kAccountCriteria / sizeof kAccountCriteria[0]);
inline constexpr int kAccountNoOpenEscalation = 6;  // index in kAccountCriteria

// Sets `*out` to the evidence note for an answer to criterion `criterion` (an index into
// kOpportunityCriteria, or kAccountCriteria when `account`) given on `day`, in `language`
// ("CFO confirmed budget in the meeting on 12 May", "Budgettet er ikke godkendt endnu").
// REQUIRES: the index is in range; 0 <= language <= kEnglish.
void SetAnswerNote(bool account, int criterion, Answer answer, int language, Date day,
                   std::string* out);

}  // namespace salesbox::demo::internal

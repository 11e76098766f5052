// SPDX-License-Identifier: MIT
#include "analytics/audit/audit.h"

#include <algorithm>
#include <bit>
#include <string>

namespace salesbox::analytics::audit {
namespace {

bool Within(Day day, Day as_of, int64_t days) {
  return day != kNoDay && day <= as_of && as_of - day < days;
}

Answer YesIf(bool condition) { return condition ? Answer::kYes : Answer::kNo; }

// Scores `answers` into areas and sets the colour from the gaps and staleness.
void Score(const Playbook& playbook, ItemResult* item) {
  item->scores.fill(0);
  for (size_t c = 0; c < playbook.criteria.size(); ++c) {
    if (item->answers[c] == Answer::kYes) ++item->scores[playbook.criteria[c].area];
  }
  int gaps = 0;
  int big = 0;
  for (int a = 0; a < kAreaCount; ++a) {
    const int gap = item->Gap(a);
    if (gap > 0) ++gaps;
    if (gap > 1) ++big;
  }
  if (item->stale || big > 0 || gaps > 2) {
    item->colour = Colour::kRed;
  } else if (gaps > 0) {
    item->colour = Colour::kYellow;
  } else {
    item->colour = Colour::kGreen;
  }
  if (item->colour == Colour::kGreen) return;
  // Reasons: every criterion not met in an area below its minimum, in playbook order, after the
  // staleness findings (which come first: they are the most urgent).
  for (size_t c = 0; c < playbook.criteria.size(); ++c) {
    const int area = playbook.criteria[c].area;
    if (item->Gap(area) > 0 && item->answers[c] != Answer::kYes) {
      item->findings.push_back(Finding{FindingKind::kCriterion, static_cast<int16_t>(c), 0, 0});
    }
  }
}

std::vector<Answer> Answers(const Playbook& playbook, const std::vector<AnswerFact>* manual,
                            Day as_of, const AccountFacts& account,
                            const OpportunityFacts* opportunity, const Minimum* minimum) {
  std::vector<Answer> answers(playbook.criteria.size(), Answer::kUnknown);
  if (manual != nullptr) {
    for (const AnswerFact& fact : *manual) {
      if (fact.criterion < answers.size()) answers[fact.criterion] = fact.answer;
    }
  }
  for (size_t c = 0; c < playbook.criteria.size(); ++c) {
    const Criterion& criterion = playbook.criteria[c];
    if (criterion.auto_rule) {
      answers[c] = EvaluateRule(*criterion.auto_rule, as_of, account, opportunity, minimum);
    }
  }
  return answers;
}

}  // namespace

std::string_view ColourName(Colour colour) {
  switch (colour) {
    case Colour::kGreen:
      return "green";
    case Colour::kYellow:
      return "yellow";
    case Colour::kRed:
      return "red";
  }
  return "red";
}

Answer EvaluateRule(const AutoSpec& rule, Day as_of, const AccountFacts& account,
                    const OpportunityFacts* opportunity, const Minimum* minimum) {
  const int role = static_cast<int>(rule.role);
  switch (rule.rule) {
    case AutoRule::kContactWithRole:
      return YesIf((account.roles_present >> role) & 1u);
    case AutoRule::kMetRole:
      if (opportunity == nullptr) return Answer::kUnknown;
      return YesIf((opportunity->role_types[role] & rule.types) != 0);
    case AutoRule::kRoleActive:
      return YesIf(Within(account.role_last_active[role], as_of, rule.within_days + 1));
    case AutoRule::kRolesStrength:
      return YesIf(account.weakest_role_strength >= 0 &&
                   account.weakest_role_strength >= rule.min);
    case AutoRule::kRoleStrength:
      return YesIf(account.role_strength[role] >= 0 && account.role_strength[role] >= rule.min);
    case AutoRule::kRolesCovered: {
      const uint16_t known = account.roles_present & ~1u;  // BuyingRole::kUnknown is bit 0
      return YesIf(std::popcount(known) >= rule.min);
    }
    case AutoRule::kNextStepDated:
      if (opportunity == nullptr) return Answer::kUnknown;
      return YesIf(opportunity->next_step_on != kNoDay && opportunity->next_step_on > as_of);
    case AutoRule::kFieldPresent:
      if (opportunity == nullptr) return Answer::kUnknown;
      if (rule.field == "competitors") return YesIf(opportunity->competitors);
      if (rule.field == "next_step") return YesIf(opportunity->next_step_text);
      return YesIf(opportunity->product_lines);
    case AutoRule::kActivitiesCount: {
      if (opportunity == nullptr) return Answer::kUnknown;
      int64_t count = 0;
      for (int t = 0; t < kActivityTypes; ++t) {
        if ((rule.types >> t) & 1u) count += opportunity->type_counts[t];
      }
      return YesIf(count >= rule.min);
    }
    case AutoRule::kIcpFit:
      if (account.icp_fit) return YesIf(*account.icp_fit >= static_cast<double>(rule.min));
      if (account.segment_id != 0) return YesIf(account.core_segment);
      return Answer::kUnknown;
    case AutoRule::kContactTouched:
      return YesIf(Within(account.last_contact_touch, as_of, rule.within_days + 1));
    case AutoRule::kMeetingHeld:
      return YesIf(Within(account.last_meeting, as_of, rule.within_days + 1));
    case AutoRule::kTouchpointsMeetTarget:
      if (minimum == nullptr) return Answer::kUnknown;
      return YesIf(account.touches_365 >= minimum->touchpoints_per_year);
    case AutoRule::kNextActivityPlanned:
      return YesIf(account.planned_ahead);
    case AutoRule::kProductLines:
      return YesIf(account.product_lines >= rule.min);
    case AutoRule::kOrderTrend:
      if (account.margin_last_365 == 0 && account.margin_prev_365 == 0) return Answer::kUnknown;
      // Integer-free of rounding: last >= ratio * previous, compared in doubles of minor units
      // (exact below 2^53).
      return YesIf(static_cast<double>(account.margin_last_365) >=
                   rule.min_ratio * static_cast<double>(account.margin_prev_365));
    case AutoRule::kRecentBusiness:
      return YesIf(account.open_opportunity ||
                   Within(account.last_order, as_of, rule.within_days + 1));
  }
  return Answer::kUnknown;
}

ItemResult AuditOpportunity(const AuditInput& input, int32_t index) {
  const Playbook& playbook = *input.opportunity_playbook;
  const OpportunityFacts& deal = input.opportunities[static_cast<size_t>(index)];
  static const AccountFacts kNoAccount{};
  const AccountFacts& account =
      deal.account >= 0 ? input.accounts[static_cast<size_t>(deal.account)] : kNoAccount;
  ItemResult item;
  item.subject_type = SubjectType::kOpportunity;
  item.index = index;
  const std::string_view stage = ToString(deal.stage);
  auto it = playbook.minimums.find(stage);
  const Minimum* minimum = it == playbook.minimums.end() ? nullptr : &it->second;
  if (minimum != nullptr) {
    for (int a = 0; a < kAreaCount; ++a) item.minimums[a] = static_cast<int8_t>(minimum->areas[a]);
  }
  const std::vector<AnswerFact>* manual =
      static_cast<size_t>(index) < input.opportunity_answers.size()
          ? &input.opportunity_answers[static_cast<size_t>(index)]
          : nullptr;
  item.answers = Answers(playbook, manual, input.as_of, account, &deal, minimum);

  if (minimum != nullptr) {
    const Day last = deal.last_activity != kNoDay ? deal.last_activity : deal.created_on;
    const int32_t idle = last == kNoDay ? 0 : input.as_of - last;
    if (idle > minimum->stale_after_days) {
      item.stale = true;
      item.findings.push_back(Finding{FindingKind::kNoRecentActivity, -1, idle,
                                      static_cast<int32_t>(minimum->stale_after_days)});
    }
  }
  if (deal.next_step_on != kNoDay && deal.next_step_on < input.as_of) {
    item.stale = true;
    item.findings.push_back(
        Finding{FindingKind::kNextStepPassed, -1, input.as_of - deal.next_step_on, 0});
  }
  if (deal.close_on != kNoDay && deal.close_on < input.as_of) {
    item.stale = true;
    item.findings.push_back(
        Finding{FindingKind::kCloseDatePassed, -1, input.as_of - deal.close_on, 0});
  }
  Score(playbook, &item);
  return item;
}

ItemResult AuditAccount(const AuditInput& input, int32_t index) {
  const Playbook& playbook = *input.account_playbook;
  const AccountFacts& account = input.accounts[static_cast<size_t>(index)];
  ItemResult item;
  item.subject_type = SubjectType::kAccount;
  item.index = index;
  item.abc_class = account.abc_class == 'A' || account.abc_class == 'B' ? account.abc_class : 'C';
  const Minimum* minimum = nullptr;
  if (auto it = playbook.minimums.find(std::string_view(&item.abc_class, 1));
      it != playbook.minimums.end()) {
    minimum = &it->second;
    for (int a = 0; a < kAreaCount; ++a) item.minimums[a] = static_cast<int8_t>(minimum->areas[a]);
  }
  const std::vector<AnswerFact>* manual =
      static_cast<size_t>(index) < input.account_answers.size()
          ? &input.account_answers[static_cast<size_t>(index)]
          : nullptr;
  item.answers = Answers(playbook, manual, input.as_of, account, nullptr, minimum);
  if (minimum != nullptr && account.touches_365 < minimum->touchpoints_per_year) {
    item.stale = true;
    item.findings.push_back(Finding{FindingKind::kTouchpointsMissed, -1, account.touches_365,
                                    static_cast<int32_t>(minimum->touchpoints_per_year)});
  }
  Score(playbook, &item);
  return item;
}

std::vector<ItemResult> Audit(const AuditInput& input) {
  std::vector<ItemResult> items;
  if (input.opportunity_playbook != nullptr) {
    items.reserve(input.opportunities.size());
    for (size_t i = 0; i < input.opportunities.size(); ++i) {
      items.push_back(AuditOpportunity(input, static_cast<int32_t>(i)));
    }
  }
  if (input.account_playbook != nullptr) {
    for (size_t i = 0; i < input.accounts.size(); ++i) {
      if (input.accounts[i].customer) items.push_back(AuditAccount(input, static_cast<int32_t>(i)));
    }
  }
  return items;
}

}  // namespace salesbox::analytics::audit

// SPDX-License-Identifier: MIT
// Running the audit: every item scored, a scope's report with the trend against the previous
// saved run and the open action items, and saving a run.
#include "service/audit/run.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_set>
#include <utility>

#include <nlohmann/json.hpp>

#include "common/status_macros.h"
#include "service/access.h"
#include "service/internal/scan.h"

namespace salesbox::service {
namespace {

namespace audit = analytics::audit;
using internal::ToDay;
using storage::FilterOp;
using storage::ListQuery;
using storage::Match;

}  // namespace

void ScoreAuditData(AuditData& data) {
  const audit::AuditInput& input = data.input;
  data.scored = true;
  data.opportunity_results.assign(input.opportunities.size(), {});
  data.account_results.assign(input.accounts.size(), {});
  for (size_t i = 0; i < input.opportunities.size(); ++i) {
    data.opportunity_results[i] = audit::AuditOpportunity(input, static_cast<int32_t>(i));
  }
  for (size_t i = 0; i < input.accounts.size(); ++i) {
    if (input.accounts[i].customer) {
      data.account_results[i] = audit::AuditAccount(input, static_cast<int32_t>(i));
    }
  }
}

// --- running and saving -----------------------------------------------------------------------

Result<std::string> ScopeLabel(storage::Store& store, const AuditScope& scope) {
  std::string label = "company";
  if (scope.team_id) {
    Result<Team> team = store.teams().Get(TeamId{*scope.team_id});
    if (!team.ok())
      return Status::NotFound("team " + std::to_string(*scope.team_id) + " does not exist");
    label = "team:" + team->name;
  }
  if (scope.rep_id) {
    Result<User> user = store.users().Get(UserId{*scope.rep_id});
    if (!user.ok())
      return Status::NotFound("user " + std::to_string(*scope.rep_id) + " does not exist");
    label = (scope.team_id ? label + "," : std::string()) + "rep:" + user->email;
  }
  return label;
}

Result<AuditOutcome> RunAudit(storage::Store& store, std::shared_ptr<const AuditData> data,
                              const AuditScope& scope, std::string scope_label) {
  const audit::AuditInput& input = data->input;
  // Which owners are in scope (empty optional: everyone).
  std::optional<std::unordered_set<int64_t>> owners;
  auto narrow = [&owners](std::unordered_set<int64_t> allowed) {
    if (!owners) {
      owners = std::move(allowed);
      return;
    }
    std::unordered_set<int64_t> both;
    for (int64_t id : *owners) {
      if (allowed.count(id)) both.insert(id);
    }
    owners = std::move(both);
  };
  if (scope.viewer != nullptr) {
    switch (scope.viewer->role) {
      case Role::kRep:
      case Role::kManager:
        narrow(
            std::unordered_set<int64_t>(scope.viewer->owners.begin(), scope.viewer->owners.end()));
        break;
      case Role::kMarketing:
        return Status::PermissionDenied("the audit is for sales roles");
      case Role::kExecutive:
      case Role::kAdmin:
        break;
    }
  }
  if (scope.team_id) {
    std::unordered_set<int64_t> members;
    for (const auto& [id, person] : data->labels.people) {
      if (person.team_id == *scope.team_id) members.insert(id);
    }
    narrow(std::move(members));
  }
  if (scope.rep_id) narrow({*scope.rep_id});

  AuditOutcome outcome;
  outcome.data = data;
  std::vector<audit::ItemResult> all;
  if (data->scored) {  // audited already (the live fact model keeps every item's result)
    all.reserve(data->opportunity_results.size());
    all.assign(data->opportunity_results.begin(), data->opportunity_results.end());
    for (size_t i = 0; i < input.accounts.size(); ++i) {
      if (input.accounts[i].customer) all.push_back(data->account_results[i]);
    }
  } else {
    all = audit::Audit(input);
  }
  if (!owners) {
    outcome.items = std::move(all);
  } else {
    for (audit::ItemResult& item : all) {
      const int64_t owner = item.subject_type == SubjectType::kOpportunity
                                ? input.opportunities[static_cast<size_t>(item.index)].owner_id
                                : input.accounts[static_cast<size_t>(item.index)].owner_id;
      if (owners->count(owner)) outcome.items.push_back(std::move(item));
    }
  }

  // The previous saved run of this scope: the one with the latest audit date up to ours (of
  // those, the last saved; ties are broken by id). Not simply the last saved: a run back-filled
  // for an earlier date must not become the previous run of every later audit.
  std::optional<audit::PreviousRun> previous;
  {
    ListQuery query;
    query.filters.push_back(Match("scope", FilterOp::kEq, {scope_label}));
    query.filters.push_back(Match("as_of", FilterOp::kLe, {FormatDate(data->as_of)}));
    query.order_by = "as_of";
    query.descending = true;
    query.limit = 1;
    SB_ASSIGN_OR_RETURN(std::vector<AuditRun> runs, store.audit_runs().List(query));
    if (!runs.empty()) {
      nlohmann::json saved = nlohmann::json::parse(runs[0].report, nullptr, false);
      audit::PreviousRun run;
      run.id = runs[0].id.value;
      run.as_of = ToDay(runs[0].as_of);
      if (saved.is_object() && saved.contains("items") && saved["items"].is_array()) {
        for (const auto& row : saved["items"]) {
          if (!row.is_array() || row.size() < 3) continue;
          const SubjectType type =
              row[0] == "account" ? SubjectType::kAccount : SubjectType::kOpportunity;
          const std::string colour = row[2].get<std::string>();
          run.colours[{type, row[1].get<int64_t>()}] = colour == "green"    ? audit::Colour::kGreen
                                                       : colour == "yellow" ? audit::Colour::kYellow
                                                                            : audit::Colour::kRed;
        }
      }
      previous = std::move(run);
    }
  }

  // Open action items of the items in scope.
  std::vector<audit::ActionStatus> actions;
  {
    std::unordered_set<int64_t> deal_ids, account_ids;
    for (const audit::ItemResult& item : outcome.items) {
      (item.subject_type == SubjectType::kOpportunity ? deal_ids : account_ids)
          .insert(audit::ItemId(input, item));
    }
    SB_RETURN_IF_ERROR(store.action_items().Scan(ListQuery{}, [&](const ActionItem& action) {
      const bool is_deal = action.subject_type == SubjectType::kOpportunity;
      if (!(is_deal ? deal_ids : account_ids).count(action.subject_id)) return Status::Ok();
      Result<Activity> activity = store.activities().Get(action.activity_id);
      if (!activity.ok()) return Status::Ok();
      audit::ActionStatus status;
      status.activity_id = action.activity_id.value;
      status.subject_type = action.subject_type;
      status.subject_id = action.subject_id;
      const auto& index = is_deal ? data->opportunity_index : data->account_index;
      if (const int32_t at = index.Find(action.subject_id); at >= 0) {
        status.subject_name = is_deal ? data->labels.opportunity_names[static_cast<size_t>(at)]
                                      : data->labels.account_names[static_cast<size_t>(at)];
      }
      status.criterion_id = action.criterion_id;
      const audit::Playbook& playbook =
          is_deal ? data->playbooks.opportunity.playbook : data->playbooks.account.playbook;
      if (const audit::Criterion* c = playbook.Find(action.criterion_id)) {
        status.criterion_text = c->text.In(0);
      }
      status.owner_id = activity->owner_id ? activity->owner_id->value : 0;
      status.due = ToDay(ToDate(activity->at));
      status.done = activity->status == ActivityStatus::kCompleted;
      // Done actions stay in the report for 90 days after they were due, then drop out.
      if (status.done && data->input.as_of - status.due > 90) return Status::Ok();
      actions.push_back(std::move(status));
      return Status::Ok();
    }));
  }
  audit::ReportOptions options;
  options.scope = std::move(scope_label);
  outcome.report =
      audit::Consolidate(input, outcome.items, data->labels, previous, std::move(actions), options);
  return outcome;
}

nlohmann::json SavedReportJson(const AuditOutcome& outcome, int locale) {
  nlohmann::json json = audit::ReportJson(outcome.data->input, outcome.items, outcome.data->labels,
                                          outcome.report, locale, /*with_items=*/false);
  nlohmann::json items = nlohmann::json::array();
  for (const audit::ItemResult& item : outcome.items) {
    nlohmann::json row = {std::string(ToString(item.subject_type)),
                          audit::ItemId(outcome.data->input, item),
                          std::string(audit::ColourName(item.colour))};
    for (int8_t s : item.scores) row.push_back(static_cast<int>(s));
    row.push_back(item.stale);
    items.push_back(std::move(row));
  }
  json["playbooks"] = outcome.data->playbooks.label();
  json["items"] = std::move(items);
  return json;
}

Result<AuditRun> SaveRun(storage::Store& store, const AuditOutcome& outcome,
                         std::optional<UserId> by, Timestamp now) {
  AuditRun run;
  run.event_id = RandomHex(16);
  run.as_of = outcome.data->as_of;
  run.scope = outcome.report.scope;
  run.playbooks = outcome.data->playbooks.label();
  run.green = outcome.report.summary[0];
  run.yellow = outcome.report.summary[1];
  run.red = outcome.report.summary[2];
  run.items = run.green + run.yellow + run.red;
  run.created_by = by;
  run.created_at = now;
  run.report = SavedReportJson(outcome, 0).dump();
  SB_ASSIGN_OR_RETURN(run.id, store.audit_runs().Insert(run));
  return run;
}

}  // namespace salesbox::service

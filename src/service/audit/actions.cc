// SPDX-License-Identifier: MIT
// Creating an action item: a planned task for the owner, due on a day, tied to the criterion.
#include "service/audit/actions.h"

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/status_macros.h"
#include "service/access.h"
#include "service/change_log.h"
#include "service/audit/internal.h"
#include "service/audit/playbooks.h"

namespace salesbox::service {
namespace {

namespace audit = analytics::audit;
using internal::SubjectAccess;
using storage::FilterOp;
using storage::ListQuery;
using storage::Match;

}  // namespace

Result<ActionItem> CreateAction(storage::Store& store, const Principal& principal,
                                const ActionRequest& request, Timestamp now) {
  // Executives direct the work they see: they may plan actions on any item, though they do not
  // change the items themselves. Everyone else needs to be able to change the item.
  if (principal.role == Role::kExecutive) {
    const Kind kind =
        request.subject_type == SubjectType::kOpportunity ? Kind::kOpportunities : Kind::kAccounts;
    ListQuery visible;
    visible.filters = VisibleFilters(principal, kind);
    visible.filters.push_back(Match("id", FilterOp::kEq, {request.subject_id}));
    Result<int64_t> seen = kind == Kind::kOpportunities ? store.opportunities().Count(visible)
                                                        : store.accounts().Count(visible);
    SB_RETURN_IF_ERROR(seen.status());
    if (*seen == 0) {
      return Status::NotFound(std::string(ToString(request.subject_type)) + " " +
                              std::to_string(request.subject_id) + " does not exist");
    }
  } else {
    SB_RETURN_IF_ERROR(SubjectAccess(store, principal, request.subject_type, request.subject_id));
  }
  SB_ASSIGN_OR_RETURN(ActivePlaybooks playbooks, LoadActivePlaybooks(store));
  const bool is_deal = request.subject_type == SubjectType::kOpportunity;
  const audit::Playbook& playbook =
      is_deal ? playbooks.opportunity.playbook : playbooks.account.playbook;
  std::string text;
  const int locale = audit::LocaleIndex(principal.locale);
  if (!request.criterion_id.empty()) {
    const audit::Criterion* criterion = playbook.Find(request.criterion_id);
    if (criterion == nullptr) {
      return Status::InvalidArgument("criterion \"" + request.criterion_id +
                                     "\" is not in the playbook " + playbook.name)
          .WithField("criterion_id");
    }
    text = criterion->action.In(locale);
  }
  if (request.due < ToDate(now)) {
    return Status::InvalidArgument("due: " + FormatDate(request.due) + " is in the past")
        .WithField("due");
  }
  Activity activity;
  activity.type = ActivityType::kTask;
  activity.status = ActivityStatus::kPlanned;
  activity.at = StartOf(request.due) + std::chrono::hours(8);
  if (is_deal) {
    SB_ASSIGN_OR_RETURN(Opportunity deal,
                        store.opportunities().Get(OpportunityId{request.subject_id}));
    activity.opportunity_id = deal.id;
    activity.account_id = deal.account_id;
    activity.owner_id = deal.owner_id;
  } else {
    SB_ASSIGN_OR_RETURN(Account account, store.accounts().Get(AccountId{request.subject_id}));
    activity.account_id = account.id;
    activity.owner_id = account.owner_id;
  }
  if (request.owner_id) {
    Result<User> owner = store.users().Get(UserId{*request.owner_id});
    if (!owner.ok()) {
      return Status::InvalidArgument("owner: user " + std::to_string(*request.owner_id) +
                                     " does not exist")
          .WithField("owner_id");
    }
    if (principal.role == Role::kRep || principal.role == Role::kManager) {
      if (std::find(principal.owners.begin(), principal.owners.end(), *request.owner_id) ==
          principal.owners.end()) {
        return Status::PermissionDenied("you may give actions only to your own people")
            .WithField("owner_id");
      }
    }
    activity.owner_id = UserId{*request.owner_id};
  }
  if (!activity.owner_id) activity.owner_id = principal.user_id;
  activity.outcome = "";
  activity.notes =
      text.empty() ? request.note : (request.note.empty() ? text : text + " — " + request.note);
  if (activity.notes.empty()) {
    return Status::InvalidArgument("note: say what to do (a staleness action needs a note)")
        .WithField("note");
  }
  activity.created_at = now;
  activity.updated_at = now;
  ActionItem item;
  Status status = store.Transact([&](storage::Store& s) -> Status {
    SB_ASSIGN_OR_RETURN(activity.id, s.activities().Insert(activity));
    item.activity_id = activity.id;
    item.subject_type = request.subject_type;
    item.subject_id = request.subject_id;
    item.criterion_id = request.criterion_id;
    if (request.run_id) item.run_id = AuditRunId{*request.run_id};
    item.created_by = principal.user_id;
    item.created_at = now;
    SB_ASSIGN_OR_RETURN(item.id, s.action_items().Insert(item));
    return AppendChange(s, now, principal.user_id, "create", "activities", activity.id.value,
                        nlohmann::json{{"type", {nullptr, "task"}},
                                       {"status", {nullptr, "planned"}},
                                       {"at", {nullptr, FormatTimestamp(activity.at)}},
                                       {"notes", {nullptr, activity.notes}},
                                       {"criterion_id", {nullptr, request.criterion_id}}}
                            .dump());
  });
  SB_RETURN_IF_ERROR(status);
  return item;
}

}  // namespace salesbox::service

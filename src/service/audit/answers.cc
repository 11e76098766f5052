// SPDX-License-Identifier: MIT
// Recording a scorecard answer, and who may: the access check shared with the action items.
#include "service/audit/answers.h"

#include <string>

#include <nlohmann/json.hpp>

#include "common/status_macros.h"
#include "service/change_log.h"
#include "service/access.h"
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

namespace internal {

Status SubjectAccess(storage::Store& store, const Principal& principal, SubjectType type,
                     int64_t id) {
  const Kind kind = type == SubjectType::kOpportunity ? Kind::kOpportunities : Kind::kAccounts;
  const char* what = type == SubjectType::kOpportunity ? "opportunity" : "account";
  const char* plural = type == SubjectType::kOpportunity ? "opportunities" : "accounts";
  ListQuery visible;
  visible.filters = VisibleFilters(principal, kind);
  visible.filters.push_back(Match("id", FilterOp::kEq, {id}));
  Result<int64_t> seen = type == SubjectType::kOpportunity ? store.opportunities().Count(visible)
                                                           : store.accounts().Count(visible);
  SB_RETURN_IF_ERROR(seen.status());
  if (*seen == 0) {
    return Status::NotFound(std::string(what) + " " + std::to_string(id) + " does not exist");
  }
  if (!MayWrite(principal, kind)) {
    return Status::PermissionDenied(std::string("your role may not change ") + plural);
  }
  ListQuery writable;
  writable.filters = WritableFilters(principal, kind);
  writable.filters.push_back(Match("id", FilterOp::kEq, {id}));
  Result<int64_t> may = type == SubjectType::kOpportunity ? store.opportunities().Count(writable)
                                                          : store.accounts().Count(writable);
  SB_RETURN_IF_ERROR(may.status());
  if (*may == 0) {
    return Status::PermissionDenied(std::string("you may not change this ") + what);
  }
  return Status::Ok();
}

}  // namespace internal

Result<ScorecardAnswer> RecordAnswer(storage::Store& store, const Principal& principal,
                                     const AnswerRequest& request, Timestamp now) {
  SB_RETURN_IF_ERROR(SubjectAccess(store, principal, request.subject_type, request.subject_id));
  SB_ASSIGN_OR_RETURN(ActivePlaybooks playbooks, LoadActivePlaybooks(store));
  const ActivePlaybook& active =
      request.subject_type == SubjectType::kOpportunity ? playbooks.opportunity : playbooks.account;
  const audit::Criterion* criterion = active.playbook.Find(request.criterion_id);
  if (criterion == nullptr) {
    return Status::InvalidArgument("criterion \"" + request.criterion_id +
                                   "\" is not in the playbook " + active.label())
        .WithField("criterion_id");
  }
  if (criterion->auto_rule) {
    return Status::InvalidArgument("criterion \"" + request.criterion_id +
                                   "\" is computed from the data and cannot be answered")
        .WithField("criterion_id");
  }
  if (request.note.size() > 2000) {
    return Status::InvalidArgument("note: longer than 2000 characters").WithField("note");
  }
  ScorecardAnswer answer;
  answer.subject_type = request.subject_type;
  answer.subject_id = request.subject_id;
  answer.criterion_id = request.criterion_id;
  answer.answer = request.answer;
  answer.note = request.note;
  answer.answered_by = principal.user_id;
  answer.answered_at = now;
  Status status = store.Transact([&](storage::Store& s) -> Status {
    // Two answers within one second: the later replaces the earlier (the key is per second).
    SB_ASSIGN_OR_RETURN(auto upserted, s.scorecard_answers().Upsert(answer));
    answer.id = upserted.id;
    return AppendChange(s, now, principal.user_id, "create", "scorecard_answers", answer.id.value,
                        nlohmann::json{{"subject_type", {nullptr, ToString(answer.subject_type)}},
                                       {"subject_id", {nullptr, answer.subject_id}},
                                       {"criterion_id", {nullptr, answer.criterion_id}},
                                       {"answer", {nullptr, ToString(answer.answer)}},
                                       {"note", {nullptr, answer.note}}}
                            .dump());
  });
  SB_RETURN_IF_ERROR(status);
  return answer;
}

}  // namespace salesbox::service

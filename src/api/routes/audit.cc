// SPDX-License-Identifier: MIT
// The pipeline audit's routes: the report, items by colour, one item's scorecard, answers and
// planned actions, saved runs and their comparison; and the audit's facts kept per day.
#include <algorithm>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analytics/audit/playbook.h"
#include "api/internal/facts_by_day.h"
#include "api/internal/params.h"
#include "api/internal/reply.h"
#include "api/routes/routes.h"
#include "common/status_macros.h"
#include "service/audit_views.h"
#include "service/pipeline_audit.h"

namespace salesbox::api::internal {
namespace {

using nlohmann::json;
using service::Principal;

// The last few audit runs by live snapshot and scope: an executive's report and item pages are
// made again after every write and each used to run the whole company's audit (30-35 ms at
// --scale 10). One caller per key runs it; the others wait for that run. Thread-safe.
class RecentOutcomes {
 public:
  using Outcome = std::shared_ptr<const service::AuditOutcome>;
  template <typename Run>
  Result<Outcome> Get(const std::string& key, Run run) {
    std::shared_ptr<Slot> slot;
    {
      std::lock_guard lock(mutex_);
      for (auto& [k, s] : slots_) {
        if (k == key) slot = s;
      }
      if (slot == nullptr) {
        slot = std::make_shared<Slot>();
        if (slots_.size() >= kKept) slots_.erase(slots_.begin());
        slots_.emplace_back(key, slot);
      }
    }
    std::lock_guard run_lock(slot->mutex);
    if (slot->outcome == nullptr) {
      SB_ASSIGN_OR_RETURN(service::AuditOutcome outcome, run());
      slot->outcome = std::make_shared<const service::AuditOutcome>(std::move(outcome));
    }
    return slot->outcome;
  }

 private:
  static constexpr size_t kKept = 16;  // oldest first out
  struct Slot {
    std::mutex mutex;
    Outcome outcome;
  };
  std::mutex mutex_;
  std::vector<std::pair<std::string, std::shared_ptr<Slot>>> slots_;
};

// The audit's handlers and the facts they share.
struct Audit {
  explicit Audit(const ApiContext& ctx)
      : store(ctx.store),
        clock(ctx.clock),
        facts(ctx.store, [](storage::Store& s, Date as_of) -> Result<AuditDataPtr> {
          return service::LoadAuditData(s, as_of);
        }) {}

  storage::Store& store;
  const Clock& clock;
  using AuditDataPtr = std::shared_ptr<const service::AuditData>;
  // The audit's facts when the live ones are for another day: gathering reads every activity.
  FactsByDay<service::AuditData> facts;
  RecentOutcomes outcomes;

  // The audit for the request's as_of, team_id and rep_id, within what the user may see.
  Result<std::shared_ptr<const service::AuditOutcome>> AuditFor(const Context& c) {
    SB_ASSIGN_OR_RETURN(const Date as_of, AsOfParam(c, clock));
    service::AuditScope scope;
    scope.viewer = &*c.principal;
    if (Param(c, "team_id")) {
      SB_ASSIGN_OR_RETURN(int64_t team, PositiveParam(c, "team_id"));
      scope.team_id = team;
    }
    if (Param(c, "rep_id")) {
      SB_ASSIGN_OR_RETURN(int64_t rep, PositiveParam(c, "rep_id"));
      scope.rep_id = rep;
    }
    SB_RETURN_IF_ERROR(MayAsk(*c.principal, scope));
    SB_ASSIGN_OR_RETURN(std::string label, service::ScopeLabel(store, scope));
    if (!scope.team_id && !scope.rep_id) label = DefaultScopeLabel(*c.principal);
    const service::facts::FactSnapshot* live = LiveFactsFor(c, as_of);
    if (live == nullptr) {
      SB_ASSIGN_OR_RETURN(std::shared_ptr<const service::AuditData> data, facts.For(as_of));
      SB_ASSIGN_OR_RETURN(service::AuditOutcome outcome,
                          service::RunAudit(store, data, scope, label));
      return std::make_shared<const service::AuditOutcome>(std::move(outcome));
    }
    // The report, the item pages and the scorecards of one snapshot and scope share one run.
    const Principal& p = *c.principal;
    // The store's data version too: saved runs and action items (the trend and the open actions)
    // are read from the store and need not move the snapshot.
    SB_ASSIGN_OR_RETURN(uint64_t data_version, store.DataVersion());
    const std::string key = std::to_string(live->version) + '/' + std::to_string(data_version) +
                            '/' + std::to_string(p.user_id.value) + '/' +
                            std::to_string(static_cast<int>(p.role)) + '/' +
                            std::to_string(p.team_id ? p.team_id->value : 0) + '/' +
                            std::to_string(scope.team_id.value_or(0)) + '/' +
                            std::to_string(scope.rep_id.value_or(0)) + '/' + label;
    return outcomes.Get(key, [&] { return service::RunAudit(store, live->audit, scope, label); });
  }

  // The forecast's rule (service/forecast): executives and admins may ask for any team and rep,
  // a manager for their own team (or one they manage) and its members, a rep for themselves.
  // A missing team or rep is kNotFound first, as there; the label of a scope names the rep's
  // e-mail, so the check comes before it is made.
  Status MayAsk(const Principal& p, const service::AuditScope& scope) {
    const bool all = p.role == Role::kAdmin || p.role == Role::kExecutive;
    if (scope.team_id) {
      Result<Team> team = store.teams().Get(TeamId{*scope.team_id});
      if (!team.ok()) {
        return Status::NotFound("no team with id " + std::to_string(*scope.team_id))
            .WithField("team_id");
      }
      const bool theirs =
          p.role == Role::kManager &&
          std::binary_search(p.managed_teams.begin(), p.managed_teams.end(), team->id.value);
      if (!all && !theirs) {
        return Status::PermissionDenied("the team is outside what you may see")
            .WithField("team_id");
      }
    }
    if (scope.rep_id) {
      Result<User> rep = store.users().Get(UserId{*scope.rep_id});
      if (!rep.ok()) {
        return Status::NotFound("no user with id " + std::to_string(*scope.rep_id))
            .WithField("rep_id");
      }
      if (!all && std::find(p.owners.begin(), p.owners.end(), *scope.rep_id) == p.owners.end()) {
        return Status::PermissionDenied("the rep is outside what you may see").WithField("rep_id");
      }
    }
    return Status::Ok();
  }

  // What the user's own audit is called when no team or rep is asked for: a rep's own items,
  // a manager's team, everything for executives and admins.
  std::string DefaultScopeLabel(const Principal& p) {
    if (p.role == Role::kRep) return "rep:" + p.email;
    if (p.role == Role::kManager && p.team_id) {
      Result<Team> team = store.teams().Get(*p.team_id);
      if (team.ok()) return "team:" + team->name;
    }
    return "company";
  }

  http::Response Report(Context& c) {
    Result<std::shared_ptr<const service::AuditOutcome>> outcome = AuditFor(c);
    if (!outcome.ok()) return FromStatus(outcome.status(), 400);
    const service::AuditData& d = *(*outcome)->data;
    json out = analytics::audit::ReportJson(d.input, (*outcome)->items, d.labels,
                                            (*outcome)->report, LocaleOf(c), /*with_items=*/false);
    out["playbooks"] = d.playbooks.label();
    return http::Response::Json(200, Dump(out));
  }

  http::Response Items(Context& c) {
    service::ItemPage page;
    if (auto colour = Param(c, "colour")) {
      if (*colour != "green" && *colour != "yellow" && *colour != "red") {
        return ErrorResponse(400, "bad_request", "colour: must be green, yellow or red", "colour");
      }
      page.colour = *colour;
    }
    if (auto type = Param(c, "subject_type")) {
      Result<SubjectType> parsed = ParseEnum<SubjectType>(*type);
      if (!parsed.ok())
        return ErrorResponse(400, "bad_request", parsed.status().message(), "subject_type");
      page.subject_type = *parsed;
    }
    if (auto area = Param(c, "area")) page.area = *area;
    Status paged = PageParams(c, &page.limit, &page.offset);
    if (!paged.ok()) return FromStatus(paged, 400);
    Result<std::shared_ptr<const service::AuditOutcome>> outcome = AuditFor(c);
    if (!outcome.ok()) return FromStatus(outcome.status(), 400);
    return http::Response::Json(200, Dump(service::AuditItemsJson(**outcome, page, LocaleOf(c))));
  }

  http::Response Scorecard(Context& c) {
    const std::optional<std::string> type_text = Param(c, "subject_type");
    Result<SubjectType> type = ParseEnum<SubjectType>(type_text.value_or(""));
    if (!type.ok()) {
      return ErrorResponse(400, "bad_request", "subject_type: must be opportunity or account",
                           "subject_type");
    }
    Result<int64_t> id = PositiveParam(c, "id");
    if (!id.ok()) return FromStatus(id.status(), 400);
    Result<std::shared_ptr<const service::AuditOutcome>> outcome = AuditFor(c);
    if (!outcome.ok()) return FromStatus(outcome.status(), 400);
    return JsonOr(service::ScorecardJson(store, **outcome, *type, *id, LocaleOf(c)));
  }

  http::Response AnswerCriterion(Context& c) {
    using V = json::value_t;
    if (auto bad = CheckFields(c.body,
                               {{"subject_type", V::string},
                                {"subject_id", V::number_integer},
                                {"criterion_id", V::string},
                                {"answer", V::string},
                                {"note", V::string}},
                               {"subject_type", "subject_id", "criterion_id", "answer"})) {
      return *bad;
    }
    service::AnswerRequest request;
    Result<SubjectType> type = ParseEnum<SubjectType>(c.body["subject_type"].get<std::string>());
    if (!type.ok()) return ErrorResponse(422, "invalid", type.status().message(), "subject_type");
    request.subject_type = *type;
    request.subject_id = c.body["subject_id"].get<int64_t>();
    request.criterion_id = c.body["criterion_id"].get<std::string>();
    Result<Answer> answer = ParseEnum<Answer>(c.body["answer"].get<std::string>());
    if (!answer.ok()) return ErrorResponse(422, "invalid", answer.status().message(), "answer");
    request.answer = *answer;
    if (c.body.contains("note") && c.body["note"].is_string()) request.note = c.body["note"];
    Result<ScorecardAnswer> stored =
        service::RecordAnswer(store, *c.principal, request, clock.Now());
    if (!stored.ok()) return FromStatus(stored.status());
    return http::Response::Json(
        201, Dump(json{{"id", stored->id.value},
                       {"subject_type", std::string(ToString(stored->subject_type))},
                       {"subject_id", stored->subject_id},
                       {"criterion_id", stored->criterion_id},
                       {"answer", std::string(ToString(stored->answer))},
                       {"note", stored->note},
                       {"answered_by",
                        stored->answered_by ? json(stored->answered_by->value) : json(nullptr)},
                       {"answered_at", FormatTimestamp(stored->answered_at)}}));
  }

  http::Response PlanAction(Context& c) {
    using V = json::value_t;
    if (auto bad = CheckFields(c.body,
                               {{"subject_type", V::string},
                                {"subject_id", V::number_integer},
                                {"criterion_id", V::string},
                                {"owner_id", V::number_integer},
                                {"due", V::string},
                                {"note", V::string},
                                {"run_id", V::number_integer}},
                               {"subject_type", "subject_id", "due"})) {
      return *bad;
    }
    service::ActionRequest request;
    Result<SubjectType> type = ParseEnum<SubjectType>(c.body["subject_type"].get<std::string>());
    if (!type.ok()) return ErrorResponse(422, "invalid", type.status().message(), "subject_type");
    request.subject_type = *type;
    request.subject_id = c.body["subject_id"].get<int64_t>();
    if (c.body.contains("criterion_id") && c.body["criterion_id"].is_string()) {
      request.criterion_id = c.body["criterion_id"];
    }
    if (c.body.contains("owner_id") && c.body["owner_id"].is_number()) {
      request.owner_id = c.body["owner_id"].get<int64_t>();
    }
    Result<Date> due = ParseIsoDate(c.body["due"].get<std::string>());
    if (!due.ok()) return ErrorResponse(422, "invalid", "due: " + due.status().message(), "due");
    request.due = *due;
    if (c.body.contains("note") && c.body["note"].is_string()) request.note = c.body["note"];
    if (c.body.contains("run_id") && c.body["run_id"].is_number()) {
      request.run_id = c.body["run_id"].get<int64_t>();
    }
    Result<ActionItem> item = service::CreateAction(store, *c.principal, request, clock.Now());
    if (!item.ok()) return FromStatus(item.status());
    return http::Response::Json(
        201, Dump(json{{"id", item->id.value},
                       {"activity_id", item->activity_id.value},
                       {"subject_type", std::string(ToString(item->subject_type))},
                       {"subject_id", item->subject_id},
                       {"criterion_id", item->criterion_id},
                       {"created_at", FormatTimestamp(item->created_at)}}));
  }

  http::Response Runs(Context& c) {
    auto scopes = service::ReadableRunScopes(store, *c.principal);
    Result<json> runs = service::AuditRunsJson(store, scopes ? &*scopes : nullptr);
    if (!runs.ok()) return FromStatus(runs.status());
    return http::Response::Json(200, Dump(json{{"items", *runs}}));
  }

  http::Response SaveRun(Context& c) {
    using V = json::value_t;
    if (auto bad = CheckFields(c.body, {{"as_of", V::string}}, {})) return *bad;
    if (c.principal->role == Role::kRep || c.principal->role == Role::kMarketing) {
      return ErrorResponse(403, "forbidden", "saving audit runs is for managers and executives");
    }
    // The body's as_of, if any, becomes the query's.
    http::Request copy = c.request;
    if (c.body.contains("as_of") && c.body["as_of"].is_string()) {
      copy.query = "as_of=" + c.body["as_of"].get<std::string>();
    } else {
      copy.query.clear();
    }
    Context run_context{copy, c.principal, c.csrf_token, 0, nullptr, c.facts};
    Result<std::shared_ptr<const service::AuditOutcome>> outcome = AuditFor(run_context);
    if (!outcome.ok()) return FromStatus(outcome.status());
    Result<::salesbox::AuditRun> run =
        service::SaveRun(store, **outcome, c.principal->user_id, clock.Now());
    if (!run.ok()) return FromStatus(run.status());
    return http::Response::Json(201, Dump(json{{"id", run->id.value},
                                               {"as_of", FormatDate(run->as_of)},
                                               {"scope", run->scope},
                                               {"items", run->items},
                                               {"green", run->green},
                                               {"yellow", run->yellow},
                                               {"red", run->red}}));
  }

  // kNotFound unless the user may read the run.
  Result<::salesbox::AuditRun> ReadableRun(const Principal& principal, int64_t id) {
    Result<::salesbox::AuditRun> run = store.audit_runs().Get(AuditRunId{id});
    const Status missing = Status::NotFound("audit run " + std::to_string(id) + " does not exist");
    if (!run.ok()) return missing;
    auto scopes = service::ReadableRunScopes(store, principal);
    if (scopes && std::find(scopes->begin(), scopes->end(), run->scope) == scopes->end()) {
      return missing;
    }
    return run;
  }

  http::Response Run(Context& c) {
    Result<::salesbox::AuditRun> run = ReadableRun(*c.principal, c.id);
    if (!run.ok()) return FromStatus(run.status());
    json report = json::parse(run->report, nullptr, false);
    if (report.is_object()) report.erase("items");
    report["id"] = run->id.value;
    report["created_at"] = FormatTimestamp(run->created_at);
    return http::Response::Json(200, Dump(report));
  }

  http::Response CompareRuns(Context& c) {
    Result<int64_t> from = PositiveParam(c, "from");
    if (!from.ok()) return FromStatus(from.status(), 400);
    Result<int64_t> to = PositiveParam(c, "to");
    if (!to.ok()) return FromStatus(to.status(), 400);
    for (int64_t id : {*from, *to}) {
      Result<::salesbox::AuditRun> run = ReadableRun(*c.principal, id);
      if (!run.ok()) return FromStatus(run.status());
    }
    Result<::salesbox::AuditRun> later = store.audit_runs().Get(AuditRunId{*to});
    const Date day = later.ok() ? later->as_of : ToDate(clock.Now());
    const service::facts::FactSnapshot* live = LiveFactsFor(c, day);
    Result<std::shared_ptr<const service::AuditData>> names =
        live != nullptr ? Result<std::shared_ptr<const service::AuditData>>(live->audit)
                        : facts.For(day);
    return JsonOr(service::CompareRunsJson(store, *from, *to, names.ok() ? names->get() : nullptr));
  }
};

}  // namespace

void AddAuditRoutes(RouteTable& table, const ApiContext& ctx) {
  const std::string v1(kPrefix);
  // The handlers share `audit`, and the table owns it.
  auto audit = std::make_shared<Audit>(ctx);
  table
      .Add({"GET", v1 + "/audit", "The audit report: counts, groups, heat map, worst items, trend",
            "audit", Access::kSignedIn, std::nullopt, "", 200, false,
            [audit](Context& c) { return audit->Report(c); }})
      .Live();
  table
      .Add({"GET", v1 + "/audit/items", "Audited items by colour, the most valuable first", "audit",
            Access::kSignedIn, std::nullopt, "", 200, false,
            [audit](Context& c) { return audit->Items(c); }})
      .Live();
  table
      .Add({"GET", v1 + "/audit/scorecard", "One item's scorecard: answers, reasons, actions",
            "audit", Access::kSignedIn, std::nullopt, "", 200, false,
            [audit](Context& c) { return audit->Scorecard(c); }})
      .Live();
  table.Add({"POST", v1 + "/audit/answers", "Answer a scorecard criterion (dated now)", "audit",
             Access::kSignedIn, std::nullopt, "AuditAnswer", 201, false,
             [audit](Context& c) { return audit->AnswerCriterion(c); }});
  table.Add({"POST", v1 + "/audit/actions",
             "Plan an action on a finding: a task for the owner, linked to the criterion", "audit",
             Access::kSignedIn, std::nullopt, "AuditAction", 201, false,
             [audit](Context& c) { return audit->PlanAction(c); }});
  table.Add({"GET", v1 + "/audit/runs", "Saved audit runs, newest first", "audit",
             Access::kSignedIn, std::nullopt, "", 200, false,
             [audit](Context& c) { return audit->Runs(c); }});
  table
      .Add({"POST", v1 + "/audit/runs", "Save the audit of the signed-in user's scope as a run",
            "audit", Access::kSignedIn, std::nullopt, "AuditRunRequest", 201, false,
            [audit](Context& c) { return audit->SaveRun(c); }})
      .facts = true;
  table.Add({"GET", v1 + "/audit/runs/{id}", "A saved run's report", "audit", Access::kSignedIn,
             std::nullopt, "", 200, false, [audit](Context& c) { return audit->Run(c); }});
  table
      .Add({"GET", v1 + "/audit/compare", "How items moved between two saved runs", "audit",
            Access::kSignedIn, std::nullopt, "", 200, false,
            [audit](Context& c) { return audit->CompareRuns(c); }})
      .facts = true;

  table.AddSchema("AuditAnswer",
                  {{"type", "object"},
                   {"required", {"subject_type", "subject_id", "criterion_id", "answer"}},
                   {"properties",
                    {{"subject_type", {{"type", "string"}, {"enum", {"opportunity", "account"}}}},
                     {"subject_id", {{"type", "integer"}}},
                     {"criterion_id", {{"type", "string"}}},
                     {"answer", {{"type", "string"}, {"enum", {"yes", "no", "unknown"}}}},
                     {"note", {{"type", "string"}}}}}});
  table.AddSchema("AuditAction",
                  {{"type", "object"},
                   {"required", {"subject_type", "subject_id", "due"}},
                   {"properties",
                    {{"subject_type", {{"type", "string"}, {"enum", {"opportunity", "account"}}}},
                     {"subject_id", {{"type", "integer"}}},
                     {"criterion_id", {{"type", "string"}}},
                     {"owner_id", {{"type", "integer"}}},
                     {"due", {{"type", "string"}, {"format", "date"}}},
                     {"note", {{"type", "string"}}},
                     {"run_id", {{"type", "integer"}}}}}});
  table.AddSchema(
      "AuditRunRequest",
      {{"type", "object"}, {"properties", {{"as_of", {{"type", "string"}, {"format", "date"}}}}}});
}

}  // namespace salesbox::api::internal

// SPDX-License-Identifier: MIT
// The audit pages' JSON: an item's scorecard, pages of items, saved runs and their comparison.
#include "service/audit/views.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "common/status_macros.h"
#include "domain/enum_names.h"

namespace salesbox::service {
namespace {

namespace audit = analytics::audit;
using json = nlohmann::json;
using storage::FilterOp;
using storage::ListQuery;
using storage::Match;

const audit::Playbook& PlaybookOf(const AuditData& data, SubjectType type) {
  return type == SubjectType::kOpportunity ? data.playbooks.opportunity.playbook
                                           : data.playbooks.account.playbook;
}

json ItemJson(const AuditOutcome& outcome, const audit::ItemResult& item, int locale) {
  return audit::ItemJson(outcome.data->input, item, outcome.data->labels, locale);
}

}  // namespace

json AuditItemsJson(const AuditOutcome& outcome, const ItemPage& page, int locale) {
  const AuditData& data = *outcome.data;
  std::vector<size_t> chosen;
  for (size_t i = 0; i < outcome.items.size(); ++i) {
    const audit::ItemResult& item = outcome.items[i];
    if (page.colour && audit::ColourName(item.colour) != *page.colour) continue;
    if (page.subject_type && item.subject_type != *page.subject_type) continue;
    if (page.area) {
      const audit::Playbook& playbook = PlaybookOf(data, item.subject_type);
      int area = -1;
      for (int a = 0; a < audit::kAreaCount; ++a) {
        if (playbook.areas[a].id == *page.area) area = a;
      }
      if (area < 0 || item.Gap(area) == 0) continue;
    }
    chosen.push_back(i);
  }
  std::stable_sort(chosen.begin(), chosen.end(), [&](size_t x, size_t y) {
    const audit::ItemResult& a = outcome.items[x];
    const audit::ItemResult& b = outcome.items[y];
    if (a.colour != b.colour) return a.colour > b.colour;  // red first
    return audit::ItemValue(data.input, a).minor_units >
           audit::ItemValue(data.input, b).minor_units;
  });
  json items = json::array();
  const size_t begin =
      std::min(chosen.size(), static_cast<size_t>(std::max<int64_t>(0, page.offset)));
  const size_t end =
      std::min(chosen.size(), begin + static_cast<size_t>(std::max<int64_t>(0, page.limit)));
  for (size_t k = begin; k < end; ++k) {
    items.push_back(ItemJson(outcome, outcome.items[chosen[k]], locale));
  }
  return {
      {"items", items}, {"total", chosen.size()}, {"limit", page.limit}, {"offset", page.offset}};
}

Result<json> ScorecardJson(storage::Store& store, const AuditOutcome& outcome, SubjectType type,
                           int64_t id, int locale) {
  const AuditData& data = *outcome.data;
  const audit::ItemResult* found = nullptr;
  for (const audit::ItemResult& item : outcome.items) {
    if (item.subject_type == type && audit::ItemId(data.input, item) == id) found = &item;
  }
  const char* what = type == SubjectType::kOpportunity ? "opportunity" : "customer";
  if (found == nullptr) {
    return Status::NotFound(std::string(what) + " " + std::to_string(id) +
                            " is not among the audited items you may see (open opportunities "
                            "and customers as of " +
                            FormatDate(data.as_of) + ")");
  }
  const audit::Playbook& playbook = PlaybookOf(data, type);
  // Every answer to this subject up to the audit date, oldest first.
  ListQuery query;
  query.filters.push_back(Match("subject_type", FilterOp::kEq, {std::string(ToString(type))}));
  query.filters.push_back(Match("subject_id", FilterOp::kEq, {id}));
  query.filters.push_back(Match("answered_at", FilterOp::kLt,
                                {FormatTimestamp(StartOf(data.as_of + std::chrono::days(1)))}));
  query.order_by = "answered_at";
  SB_ASSIGN_OR_RETURN(std::vector<ScorecardAnswer> answers, store.scorecard_answers().List(query));
  std::map<std::string, std::vector<const ScorecardAnswer*>> by_criterion;
  for (const ScorecardAnswer& a : answers) by_criterion[a.criterion_id].push_back(&a);
  auto person = [&data](std::optional<UserId> user) -> json {
    if (!user) return nullptr;
    auto it = data.labels.people.find(user->value);
    if (it == data.labels.people.end()) return json{{"id", user->value}};
    return json{{"id", user->value}, {"name", it->second.name}, {"email", it->second.email}};
  };
  json areas = json::array();
  for (int a = 0; a < audit::kAreaCount; ++a) {
    json criteria = json::array();
    for (size_t c = 0; c < playbook.criteria.size(); ++c) {
      const audit::Criterion& criterion = playbook.criteria[c];
      if (criterion.area != a) continue;
      json history = json::array();
      json latest = nullptr;
      for (const ScorecardAnswer* answer : by_criterion[criterion.id]) {
        json entry = {{"answer", std::string(ToString(answer->answer))},
                      {"note", answer->note},
                      {"answered_by", person(answer->answered_by)},
                      {"answered_at", FormatTimestamp(answer->answered_at)}};
        history.push_back(entry);
        latest = entry;
      }
      criteria.push_back({{"id", criterion.id},
                          {"text", criterion.text.In(locale)},
                          {"action", criterion.action.In(locale)},
                          {"auto", criterion.auto_rule.has_value()},
                          {"answer", std::string(ToString(found->answers[c]))},
                          {"latest", criterion.auto_rule ? json(nullptr) : latest},
                          {"history", criterion.auto_rule ? json::array() : history}});
    }
    areas.push_back({{"id", playbook.areas[a].id},
                     {"name", playbook.areas[a].name.In(locale)},
                     {"score", found->scores[a]},
                     {"minimum", found->minimums[a]},
                     {"gap", found->Gap(a)},
                     {"criteria", criteria}});
  }
  json actions = json::array();
  for (const audit::ActionStatus& action : outcome.report.actions) {
    if (action.subject_type != type || action.subject_id != id) continue;
    const audit::Criterion* criterion = playbook.Find(action.criterion_id);
    actions.push_back(
        {{"activity_id", action.activity_id},
         {"criterion_id", action.criterion_id},
         {"criterion", criterion ? criterion->text.In(locale) : action.criterion_text},
         {"due", action.due == audit::kNoDay ? std::string()
                                             : FormatDate(Date(std::chrono::days(action.due)))},
         {"done", action.done},
         {"gap_closed", action.closed ? json(*action.closed) : json(nullptr)}});
  }
  json out = ItemJson(outcome, *found, locale);
  out["as_of"] = FormatDate(data.as_of);
  out["playbook"] = playbook.name;
  out["playbook_title"] = playbook.title.In(locale);
  out["areas"] = areas;
  out["action_items"] = actions;
  return out;
}

std::optional<std::vector<std::string>> ReadableRunScopes(storage::Store& store,
                                                          const Principal& principal) {
  if (principal.role == Role::kExecutive || principal.role == Role::kAdmin) return std::nullopt;
  std::vector<std::string> scopes;
  if (principal.role == Role::kMarketing) return scopes;
  for (int64_t owner : principal.owners) {
    Result<User> user = store.users().Get(UserId{owner});
    if (user.ok()) scopes.push_back("rep:" + user->email);
  }
  if (principal.role == Role::kManager && principal.team_id) {
    Result<Team> team = store.teams().Get(*principal.team_id);
    if (team.ok()) scopes.push_back("team:" + team->name);
  }
  return scopes;
}

Result<json> AuditRunsJson(storage::Store& store, const std::vector<std::string>* scopes) {
  ListQuery query;
  if (scopes != nullptr) {
    std::vector<storage::Value> values(scopes->begin(), scopes->end());
    query.filters.push_back(Match("scope", FilterOp::kIn, values));
  }
  query.order_by = "created_at";
  query.descending = true;
  json out = json::array();
  // Reads the runs without their (large) reports.
  SB_RETURN_IF_ERROR(store.audit_runs().ScanFields(
      query,
      {"id", "as_of", "scope", "playbooks", "items", "green", "yellow", "red", "created_at",
       "created_by"},
      [&out](std::span<const storage::FieldValue> r) {
        out.push_back({{"id", r[0].integer},
                       {"as_of", std::string(r[1].text)},
                       {"scope", std::string(r[2].text)},
                       {"playbooks", std::string(r[3].text)},
                       {"items", r[4].integer},
                       {"green", r[5].integer},
                       {"yellow", r[6].integer},
                       {"red", r[7].integer},
                       {"created_at", std::string(r[8].text)},
                       {"created_by", r[9].is_null() ? json(nullptr) : json(r[9].integer)}});
        return Status::Ok();
      }));
  return out;
}

Result<json> CompareRunsJson(storage::Store& store, int64_t from, int64_t to,
                             const AuditData* names) {
  struct Seen {
    std::string colour;
  };
  std::map<std::pair<std::string, int64_t>, std::string> colours[2];
  AuditRun runs[2];
  const int64_t ids[2] = {from, to};
  for (int k = 0; k < 2; ++k) {
    Result<AuditRun> run = store.audit_runs().Get(AuditRunId{ids[k]});
    if (!run.ok()) {
      return Status::NotFound("audit run " + std::to_string(ids[k]) + " does not exist");
    }
    runs[k] = *run;
    json report = json::parse(run->report, nullptr, false);
    if (!report.is_object() || !report.contains("items")) continue;
    for (const json& row : report["items"]) {
      if (!row.is_array() || row.size() < 3) continue;
      colours[k][{row[0].get<std::string>(), row[1].get<int64_t>()}] = row[2].get<std::string>();
    }
  }
  std::map<std::pair<std::string, std::string>, int64_t> moves;
  json to_red = json::array(), to_green = json::array();
  auto name_of = [names](const std::string& type, int64_t id) -> std::string {
    if (names == nullptr) return std::string();
    const bool deal = type == "opportunity";
    const auto& index = deal ? names->opportunity_index : names->account_index;
    const int32_t at = index.Find(id);
    if (at < 0) return std::string();
    return deal ? names->labels.opportunity_names[static_cast<size_t>(at)]
                : names->labels.account_names[static_cast<size_t>(at)];
  };
  for (const auto& [key, after] : colours[1]) {
    auto it = colours[0].find(key);
    const std::string before = it == colours[0].end() ? "new" : it->second;
    ++moves[{before, after}];
    if (before != after && (after == "red" || after == "green")) {
      json entry = {{"subject_type", key.first},
                    {"id", key.second},
                    {"name", name_of(key.first, key.second)},
                    {"from", before}};
      (after == "red" ? to_red : to_green).push_back(entry);
    }
  }
  for (const auto& [key, before] : colours[0]) {
    if (!colours[1].count(key)) ++moves[{before, "gone"}];
  }
  json matrix = json::array();
  for (const auto& [pair, count] : moves) {
    matrix.push_back({{"from", pair.first}, {"to", pair.second}, {"count", count}});
  }
  auto summary = [](const AuditRun& run) {
    return json{{"id", run.id.value}, {"as_of", FormatDate(run.as_of)},
                {"scope", run.scope}, {"items", run.items},
                {"green", run.green}, {"yellow", run.yellow},
                {"red", run.red},     {"created_at", FormatTimestamp(run.created_at)}};
  };
  return json{{"from", summary(runs[0])},
              {"to", summary(runs[1])},
              {"moves", matrix},
              {"to_red", to_red},
              {"to_green", to_green}};
}

}  // namespace salesbox::service

// SPDX-License-Identifier: MIT
// Loading the forecast's facts, one pass per table (design note 1 in facts.h), and each owner's
// record of closed deals.
#include "service/forecast/facts.h"

#include <algorithm>
#include <array>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "analytics/audit/playbook.h"
#include "common/status_macros.h"
#include "domain/account.h"
#include "service/internal/scan.h"
#include "service/pipeline_audit.h"

namespace salesbox::service {
namespace {

using internal::EnumIndex;
using internal::IntOr;
using internal::ParseDay;
using internal::ParseSeconds;
using internal::RealOr;
using storage::FieldValue;
using storage::FilterOp;
using storage::ListQuery;
using storage::Match;

}  // namespace

Result<ForecastData> LoadForecastData(storage::Store& store, storage::Store* parallel_reader) {
  return LoadForecastData(store, ForecastLoadOptions{parallel_reader, nullptr});
}

Result<ForecastData> LoadForecastData(storage::Store& store, const ForecastLoadOptions& options) {
  internal::PhaseTimer trace("SALESBOX_FORECAST_TRACE", "forecast");
  storage::Store* parallel_reader = options.parallel_reader;
  const FactSubset* subset = options.subset;
  std::vector<storage::Value> subset_accounts, subset_deals;
  if (subset != nullptr) {
    subset_accounts.assign(subset->accounts.begin(), subset->accounts.end());
    subset_deals.assign(subset->opportunities.begin(), subset->opportunities.end());
  }
  // The subset's filter on `field`, or none.
  auto only = [subset](std::string field, const std::vector<storage::Value>& ids) {
    ListQuery query;
    if (subset != nullptr) query.filters.push_back(Match(std::move(field), FilterOp::kIn, ids));
    return query;
  };
  ForecastData data;
  SB_ASSIGN_OR_RETURN(ActivePlaybooks playbooks, LoadActivePlaybooks(store));
  const analytics::audit::Playbook& playbook = playbooks.opportunity.playbook;
  std::unordered_map<std::string, uint16_t> criterion_index;
  for (size_t c = 0; c < playbook.criteria.size(); ++c) {
    const auto& criterion = playbook.criteria[c];
    criterion_index[criterion.id] = static_cast<uint16_t>(c);
    data.criterion_area.push_back(criterion.auto_rule ? -1 : criterion.area);
    if (!criterion.auto_rule) ++data.manual_criteria_in_area[static_cast<size_t>(criterion.area)];
  }
  for (const auto& area : playbook.areas) {
    data.area_ids.push_back(area.id);
    data.area_names.push_back(area.name.text);
  }

  // Users and teams.
  SB_RETURN_IF_ERROR(
      store.users().ScanFields({}, {"id", "name", "team_id"}, [&](std::span<const FieldValue> r) {
        data.user_names[r[0].integer] = std::string(r[1].text);
        if (const int64_t team = IntOr(r[2]); team > 0) data.team_of[r[0].integer] = team;
        return Status::Ok();
      }));
  SB_RETURN_IF_ERROR(
      store.teams().ScanFields({}, {"id", "name"}, [&](std::span<const FieldValue> r) {
        data.team_names[r[0].integer] = std::string(r[1].text);
        return Status::Ok();
      }));

  trace.Mark("users");
  // Accounts: name and whether their segment is core.
  std::unordered_set<int64_t> core_segments;
  SB_RETURN_IF_ERROR(
      store.segments().ScanFields({}, {"id", "core"}, [&](std::span<const FieldValue> r) {
        if (IntOr(r[1]) != 0 || r[1].text == "true") core_segments.insert(r[0].integer);
        return Status::Ok();
      }));
  SB_RETURN_IF_ERROR(
      store.accounts().ScanFields(only("id", subset_accounts), {"id", "name", "segment_id"},
                                  [&](std::span<const FieldValue> r) {
                                    data.account_names[r[0].integer] = std::string(r[1].text);
                                    if (core_segments.contains(IntOr(r[2])))
                                      data.core_account[r[0].integer] = true;
                                    return Status::Ok();
                                  }));

  trace.Mark("accounts");
  // Contacts: the first day each account had an economic buyer, decision maker and champion, and
  // which contacts are economic buyers (for meetings with them).
  std::unordered_set<int64_t> economic_buyers;
  ListQuery contacts;
  if (subset != nullptr) {
    // The subset's contacts, and every contact its deals' activities were held with.
    contacts.filters.push_back(storage::AnyOf(
        {Match("account_id", FilterOp::kIn, subset_accounts),
         storage::InSelect("id", "activities", "contact_id",
                           {Match("opportunity_id", FilterOp::kIn, subset_deals)})}));
  }
  SB_RETURN_IF_ERROR(store.contacts().ScanFields(
      contacts, {"id", "account_id", "buying_role", "created_at"},
      [&](std::span<const FieldValue> r) {
        const int role = EnumIndex<BuyingRole>(r[2], -1);
        int slot = -1;
        if (role == static_cast<int>(BuyingRole::kEconomicBuyer)) slot = 0;
        if (role == static_cast<int>(BuyingRole::kDecisionMaker)) slot = 1;
        if (role == static_cast<int>(BuyingRole::kChampion)) slot = 2;
        if (slot < 0) return Status::Ok();
        if (slot == 0) economic_buyers.insert(r[0].integer);
        auto [it, inserted] = data.first_role_day.try_emplace(
            IntOr(r[1]), std::array<Day, 3>{INT32_MAX, INT32_MAX, INT32_MAX});
        Day& first = it->second[static_cast<size_t>(slot)];
        first = std::min(first, ParseDay(r[3]));
        return Status::Ok();
      }));

  trace.Mark("contacts");
  // Opportunities.
  SB_RETURN_IF_ERROR(store.opportunities().ScanFields(
      only("id", subset_deals),
      {"id", "account_id", "owner_id", "name", "stage", "amount_minor", "amount_currency",
       "probability", "created_on", "close_on", "closed_on", "next_step_on", "forecast_category",
       "amount_known"},
      [&](std::span<const FieldValue> r) {
        ForecastDealFacts d;
        d.id = r[0].integer;
        d.account_id = IntOr(r[1]);
        d.owner_id = IntOr(r[2]);
        d.name = std::string(r[3].text);
        d.stage = static_cast<Stage>(EnumIndex<Stage>(r[4], 0));
        Result<Currency> currency = Currency::Parse(r[6].text);
        d.amount = Money{IntOr(r[5]), currency.ok() ? *currency : Currency()};
        d.probability = static_cast<float>(RealOr(r[7], -1));
        d.created_on = ParseDay(r[8]);
        d.close_on = ParseDay(r[9]);
        d.closed_on = IsClosed(d.stage) ? ParseDay(r[10]) : kNoDay;
        d.next_step_on = ParseDay(r[11]);
        d.category = static_cast<ForecastCategory>(EnumIndex<ForecastCategory>(r[12], 0));
        d.amount_known = IntOr(r[13]) != 0;
        data.index_of.Set(d.id, static_cast<int32_t>(data.deals.size()));
        data.deals.push_back(std::move(d));
        return Status::Ok();
      }));
  // The index of the deal with `id` in data.deals, -1 for none.
  auto deal_at = [&data](int64_t id) -> int32_t { return data.index_of.Find(id); };

  trace.Mark("opportunities");
  // History, activities and answers are gathered per deal, then laid out contiguously.
  std::vector<std::vector<ForecastChange>> changes(data.deals.size());
  {
    // In storage order (a sequential scan; ordering by changed_at would walk its index and
    // fetch rows at random); each deal's rows are sorted below.
    ListQuery query = only("opportunity_id", subset_deals);
    SB_RETURN_IF_ERROR(store.opportunity_changes().ScanFields(
        query,
        {"opportunity_id", "changed_at", "stage", "amount_minor", "probability", "close_on",
         "next_step_on"},
        [&](std::span<const FieldValue> r) {
          const int32_t deal = deal_at(IntOr(r[0]));
          if (deal < 0) return Status::Ok();
          ForecastChange c;
          c.seconds = ParseSeconds(r[1]);
          c.stage = static_cast<Stage>(EnumIndex<Stage>(r[2], 0));
          c.amount_minor = IntOr(r[3]);
          c.probability = static_cast<float>(RealOr(r[4], -1));
          c.close_on = ParseDay(r[5]);
          c.next_step_on = ParseDay(r[6]);
          changes[static_cast<size_t>(deal)].push_back(c);
          return Status::Ok();
        }));
  }
  trace.Mark("history");
  // Answers: read on `parallel_reader` beside the activities when there is one (they share
  // nothing but the deal index, which is complete by now).
  std::vector<std::vector<ForecastAnswer>> answers(data.deals.size());
  auto read_answers = [&](storage::Store& reader) -> Status {
    ListQuery query = only("subject_id", subset_deals);
    query.filters.push_back(Match("subject_type", FilterOp::kEq, {std::string("opportunity")}));
    std::string criterion;
    return reader.scorecard_answers().ScanFields(
        query, {"subject_id", "criterion_id", "answer", "answered_at"},
        [&](std::span<const FieldValue> r) {
          const int32_t deal = deal_at(IntOr(r[0]));
          if (deal < 0) return Status::Ok();
          criterion.assign(r[1].text);
          auto it = criterion_index.find(criterion);
          if (it == criterion_index.end()) return Status::Ok();
          ForecastAnswer a;
          a.seconds = ParseSeconds(r[3]);
          a.day = ParseDay(r[3]);
          a.criterion = it->second;
          a.yes = r[2].text == "yes";
          answers[static_cast<size_t>(deal)].push_back(a);
          return Status::Ok();
        });
  };
  internal::SecondPass answers_pass(parallel_reader, read_answers);
  answers_pass.Start();
  std::vector<std::vector<ForecastActivity>> activities(data.deals.size());
  {
    // Completed ones (a sequential scan: a filter on opportunity_id would walk its index).
    ListQuery query = only("opportunity_id", subset_deals);
    query.filters.push_back(Match("status", FilterOp::kEq, {std::string("completed")}));
    SB_RETURN_IF_ERROR(store.activities().ScanFields(
        query, {"opportunity_id", "at", "type", "contact_id"}, [&](std::span<const FieldValue> r) {
          const int32_t deal = deal_at(IntOr(r[0]));
          if (deal < 0) return Status::Ok();
          ForecastActivity a;
          a.day = ParseDay(r[1]);
          a.meeting = r[2].text == "meeting";
          a.with_economic_buyer = a.meeting && economic_buyers.contains(IntOr(r[3]));
          activities[static_cast<size_t>(deal)].push_back(a);
          return Status::Ok();
        }));
  }
  trace.Mark("activities");
  SB_RETURN_IF_ERROR(answers_pass.Finish(store));
  trace.Mark("answers");
  for (size_t i = 0; i < data.deals.size(); ++i) {
    ForecastDealFacts& d = data.deals[i];
    std::stable_sort(
        changes[i].begin(), changes[i].end(),
        [](const ForecastChange& a, const ForecastChange& b) { return a.seconds < b.seconds; });
    d.changes_begin = static_cast<uint32_t>(data.changes.size());
    data.changes.AppendRange(changes[i].data(), changes[i].size());
    d.changes_end = static_cast<uint32_t>(data.changes.size());
    // Total orders, so that a deal gathered alone (the live facts' delta) lays out its rows
    // exactly as a full load does, whatever order the storage returned them in.
    std::sort(activities[i].begin(), activities[i].end(),
              [](const ForecastActivity& a, const ForecastActivity& b) {
                return std::tie(a.day, a.meeting, a.with_economic_buyer) <
                       std::tie(b.day, b.meeting, b.with_economic_buyer);
              });
    d.activities_begin = static_cast<uint32_t>(data.activities.size());
    data.activities.AppendRange(activities[i].data(), activities[i].size());
    d.activities_end = static_cast<uint32_t>(data.activities.size());
    std::sort(
        answers[i].begin(), answers[i].end(), [](const ForecastAnswer& a, const ForecastAnswer& b) {
          return std::tie(a.seconds, a.criterion, a.yes) < std::tie(b.seconds, b.criterion, b.yes);
        });
    d.answers_begin = static_cast<uint32_t>(data.answers.size());
    data.answers.AppendRange(answers[i].data(), answers[i].size());
    d.answers_end = static_cast<uint32_t>(data.answers.size());
  }
  ComputeOwnerRecords(data);
  trace.Mark("layout");
  return data;
}

void ComputeOwnerRecords(ForecastData& data, const std::unordered_set<int64_t>* owners) {
  if (owners == nullptr) {
    data.closed_by_owner.clear();
  } else {
    for (int64_t owner : *owners) data.closed_by_owner.erase(owner);
  }
  std::unordered_map<int64_t, std::vector<std::pair<Day, bool>>> closed;
  for (const ForecastDealFacts& d : data.deals) {
    if (d.closed_on != kNoDay && d.owner_id != 0 &&
        (owners == nullptr || owners->contains(d.owner_id))) {
      closed[d.owner_id].push_back({d.closed_on, d.stage == Stage::kClosedWon});
    }
  }
  for (auto& [owner, list] : closed) {
    std::sort(list.begin(), list.end());
    ForecastData::OwnerRecord& record = data.closed_by_owner[owner];
    record.wins.push_back(0);
    for (const auto& [day, won] : list) {
      record.closed_on.push_back(day);
      record.wins.push_back(record.wins.back() + (won ? 1 : 0));
    }
  }
}

}  // namespace salesbox::service

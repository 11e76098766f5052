// SPDX-License-Identifier: MIT
// Merging re-gathered subjects into the previous facts (fact_merge.h).
//
// Design notes
// (1) Both sides are in id order (the loaders scan by id), so one merge pass keeps a full load's
//     order: the audit report's ties and the forecast's seeded Monte Carlo then come out exactly
//     as after a reload.
// (2) What an item's result reads: an opportunity's audit reads its own facts and its account's
//     facts; an account's audit reads its own. Every deal of a re-gathered account is itself
//     re-gathered (ExpandSubset), so a kept deal's account is a kept account, whose facts are
//     unchanged unless reclassification changed its ABC class or customer flag: those accounts
//     and their deals are audited again, everything else keeps its result.
// (3) The merge copies the arrays it keeps (memcpy-fast); the analytics work it does is only
//     for the re-gathered and reclassified items.
#include "service/facts/fact_merge.h"

#include <algorithm>
#include <unordered_set>
#include <utility>
#include <vector>

#include "analytics/audit/audit.h"
#include "common/status_macros.h"

namespace salesbox::service::facts {
namespace {

namespace audit = analytics::audit;
using storage::FieldValue;
using storage::FilterOp;
using storage::ListQuery;
using storage::Match;

// Calls keep(i) for the indexes of `old_ids` not in `replaced` and take(j) for every index of
// `fresh_ids`, in increasing id order (both inputs sorted by id).
template <typename OldId, typename FreshId, typename Keep, typename Take>
void MergeById(size_t old_size, OldId old_id, size_t fresh_size, FreshId fresh_id,
               const std::unordered_set<int64_t>& replaced, Keep keep, Take take) {
  size_t i = 0, j = 0;
  while (i < old_size || j < fresh_size) {
    if (i < old_size && replaced.contains(old_id(i))) {
      ++i;
      continue;
    }
    if (j >= fresh_size || (i < old_size && old_id(i) < fresh_id(j))) {
      keep(i++);
    } else {
      take(j++);
    }
  }
}

}  // namespace

Result<FactSubset> ExpandSubset(storage::Store& store, const std::set<int64_t>& accounts,
                                const std::set<int64_t>& opportunities) {
  std::set<int64_t> all_accounts = accounts;
  std::set<int64_t> all_deals = opportunities;
  if (!opportunities.empty()) {
    ListQuery query;
    query.filters.push_back(Match("id", FilterOp::kIn,
                                  std::vector<storage::Value>(opportunities.begin(),
                                                              opportunities.end())));
    SB_RETURN_IF_ERROR(store.opportunities().ScanFields(
        query, {"account_id"}, [&](std::span<const FieldValue> r) {
          if (r[0].integer > 0) all_accounts.insert(r[0].integer);
          return Status::Ok();
        }));
  }
  if (!all_accounts.empty()) {
    ListQuery query;
    query.filters.push_back(Match("account_id", FilterOp::kIn,
                                  std::vector<storage::Value>(all_accounts.begin(),
                                                              all_accounts.end())));
    SB_RETURN_IF_ERROR(
        store.opportunities().ScanFields(query, {"id"}, [&](std::span<const FieldValue> r) {
          all_deals.insert(r[0].integer);
          return Status::Ok();
        }));
  }
  FactSubset subset;
  subset.accounts.assign(all_accounts.begin(), all_accounts.end());
  subset.opportunities.assign(all_deals.begin(), all_deals.end());
  return subset;
}

std::shared_ptr<const AuditData> MergeAudit(const AuditData& old, const AuditData& fresh,
                                            const FactSubset& subset) {
  SB_CHECK(old.scored);
  auto out = std::make_shared<AuditData>();
  out->as_of = old.as_of;
  out->playbooks = fresh.playbooks;
  out->fits = old.fits;
  audit::AuditInput& input = out->input;
  const audit::AuditInput& a = old.input;
  const audit::AuditInput& b = fresh.input;
  input.as_of = a.as_of;
  input.opportunity_playbook = &out->playbooks.opportunity.playbook;
  input.account_playbook = &out->playbooks.account.playbook;
  out->labels.people = fresh.labels.people;
  out->labels.teams = fresh.labels.teams;
  out->labels.segments = fresh.labels.segments;
  const std::unordered_set<int64_t> accounts(subset.accounts.begin(), subset.accounts.end());
  const std::unordered_set<int64_t> deals(subset.opportunities.begin(),
                                          subset.opportunities.end());

  // Accounts (note 1). Kept ones carry their results; fresh ones are audited below.
  const size_t account_count = a.accounts.size() + b.accounts.size();
  input.accounts.reserve(account_count);
  input.account_answers.reserve(account_count);
  out->stored_abc_class.reserve(account_count);
  out->account_results.reserve(account_count);
  std::vector<char> audit_account;  // by new index: needs auditing
  auto add_account = [&](const AuditData& from, size_t i, bool kept) {
    const int32_t index = static_cast<int32_t>(input.accounts.size());
    input.accounts.push_back(from.input.accounts[i]);
    input.account_answers.push_back(i < from.input.account_answers.size()
                                        ? from.input.account_answers[i]
                                        : std::vector<audit::AnswerFact>{});
    out->stored_abc_class.push_back(from.stored_abc_class[i]);
    out->labels.account_external_ids.push_back(from.labels.account_external_ids[i]);
    out->labels.account_names.push_back(from.labels.account_names[i]);
    out->account_index[from.input.accounts[i].id] = index;
    audit::ItemResult result = kept ? from.account_results[i] : audit::ItemResult{};
    result.index = index;
    out->account_results.push_back(std::move(result));
    audit_account.push_back(kept ? 0 : 1);
  };
  MergeById(
      a.accounts.size(), [&](size_t i) { return a.accounts[i].id; }, b.accounts.size(),
      [&](size_t j) { return b.accounts[j].id; }, accounts,
      [&](size_t i) { add_account(old, i, true); }, [&](size_t j) { add_account(fresh, j, false); });

  // Customers and classes over all accounts; the changed ones are audited again (note 2).
  std::vector<char> reclassified(input.accounts.size(), 0);
  for (int32_t changed : ClassifyCustomers(*out)) {
    reclassified[static_cast<size_t>(changed)] = 1;
    audit_account[static_cast<size_t>(changed)] = 1;
  }

  // Opportunities, their account indexes mapped by id.
  auto new_account = [&](const AuditData& from, int32_t account) -> int32_t {
    if (account < 0) return account;
    auto it = out->account_index.find(from.input.accounts[static_cast<size_t>(account)].id);
    return it == out->account_index.end() ? -1 : it->second;
  };
  const size_t deal_count = a.opportunities.size() + b.opportunities.size();
  input.opportunities.reserve(deal_count);
  input.opportunity_answers.reserve(deal_count);
  out->opportunity_results.reserve(deal_count);
  std::vector<int32_t> audit_deal;
  auto add_deal = [&](const AuditData& from, size_t i, bool kept) {
    const int32_t index = static_cast<int32_t>(input.opportunities.size());
    audit::OpportunityFacts facts = from.input.opportunities[i];
    facts.account = new_account(from, facts.account);
    input.opportunities.push_back(facts);
    input.opportunity_answers.push_back(i < from.input.opportunity_answers.size()
                                            ? from.input.opportunity_answers[i]
                                            : std::vector<audit::AnswerFact>{});
    out->labels.opportunity_external_ids.push_back(from.labels.opportunity_external_ids[i]);
    out->labels.opportunity_names.push_back(from.labels.opportunity_names[i]);
    out->opportunity_index[facts.id] = index;
    const bool stale_account =
        facts.account >= 0 && reclassified[static_cast<size_t>(facts.account)] != 0;
    audit::ItemResult result = kept ? from.opportunity_results[i] : audit::ItemResult{};
    result.index = index;
    out->opportunity_results.push_back(std::move(result));
    if (!kept || stale_account) audit_deal.push_back(index);
  };
  MergeById(
      a.opportunities.size(), [&](size_t i) { return a.opportunities[i].id; },
      b.opportunities.size(), [&](size_t j) { return b.opportunities[j].id; }, deals,
      [&](size_t i) { add_deal(old, i, true); }, [&](size_t j) { add_deal(fresh, j, false); });

  for (int32_t index : audit_deal) {
    out->opportunity_results[static_cast<size_t>(index)] = audit::AuditOpportunity(input, index);
  }
  for (size_t i = 0; i < input.accounts.size(); ++i) {
    if (audit_account[i] == 0) continue;
    out->account_results[i] = input.accounts[i].customer
                                  ? audit::AuditAccount(input, static_cast<int32_t>(i))
                                  : audit::ItemResult{};
    if (!input.accounts[i].customer) out->account_results[i].index = static_cast<int32_t>(i);
  }
  out->scored = true;
  return out;
}

std::shared_ptr<const ForecastData> MergeForecast(const ForecastData& old,
                                                  const ForecastData& fresh,
                                                  const FactSubset& subset) {
  auto out = std::make_shared<ForecastData>();
  // Small tables and the playbook: as gathered now.
  out->criterion_area = fresh.criterion_area;
  out->manual_criteria_in_area = fresh.manual_criteria_in_area;
  out->area_ids = fresh.area_ids;
  out->area_names = fresh.area_names;
  out->user_names = fresh.user_names;
  out->team_of = fresh.team_of;
  out->team_names = fresh.team_names;
  // Per account: the subset's entries replaced.
  out->core_account = old.core_account;
  out->account_names = old.account_names;
  out->first_role_day = old.first_role_day;
  for (int64_t account : subset.accounts) {
    out->core_account.erase(account);
    out->account_names.erase(account);
    out->first_role_day.erase(account);
    if (auto it = fresh.core_account.find(account); it != fresh.core_account.end()) {
      out->core_account.insert(*it);
    }
    if (auto it = fresh.account_names.find(account); it != fresh.account_names.end()) {
      out->account_names.insert(*it);
    }
    if (auto it = fresh.first_role_day.find(account); it != fresh.first_role_day.end()) {
      out->first_role_day.insert(*it);
    }
  }

  // Deals, with their rows laid out again contiguously.
  const std::unordered_set<int64_t> deals(subset.opportunities.begin(),
                                          subset.opportunities.end());
  out->deals.reserve(old.deals.size() + fresh.deals.size());
  out->changes.reserve(old.changes.size() + fresh.changes.size());
  out->activities.reserve(old.activities.size() + fresh.activities.size());
  out->answers.reserve(old.answers.size() + fresh.answers.size());
  auto add = [&](const ForecastData& from, size_t i) {
    ForecastDealFacts deal = from.deals[i];
    auto copy = [](const auto& source, auto& target, uint32_t& begin, uint32_t& end) {
      const uint32_t new_begin = static_cast<uint32_t>(target.size());
      target.insert(target.end(), source.begin() + begin, source.begin() + end);
      begin = new_begin;
      end = static_cast<uint32_t>(target.size());
    };
    copy(from.changes, out->changes, deal.changes_begin, deal.changes_end);
    copy(from.activities, out->activities, deal.activities_begin, deal.activities_end);
    copy(from.answers, out->answers, deal.answers_begin, deal.answers_end);
    internal::At(out->index_of, deal.id, int32_t{-1}) = static_cast<int32_t>(out->deals.size());
    out->deals.push_back(std::move(deal));
  };
  MergeById(
      old.deals.size(), [&](size_t i) { return old.deals[i].id; }, fresh.deals.size(),
      [&](size_t j) { return fresh.deals[j].id; }, deals, [&](size_t i) { add(old, i); },
      [&](size_t j) { add(fresh, j); });
  // The owners of the re-gathered deals, before and after, are the only records that can move.
  out->closed_by_owner = old.closed_by_owner;
  std::unordered_set<int64_t> owners;
  for (const ForecastData* data : {&old, &fresh}) {
    for (int64_t id : subset.opportunities) {
      if (const ForecastDealFacts* deal = data->Deal(id)) owners.insert(deal->owner_id);
    }
  }
  ComputeOwnerRecords(*out, &owners);
  return out;
}

}  // namespace salesbox::service::facts

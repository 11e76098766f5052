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
// (3) The analytics work a merge does is only for the re-gathered and reclassified items.
// (4) In place. The facts' arrays are CowVectors, so a copy of the old facts shares every chunk.
//     When every re-gathered subject is where it was (or new, with an id above all kept ones,
//     as new records are: ids are never reused), the merge writes those subjects at their
//     index (or appends them) and copies only the chunks that hold them. A subject gone (a
//     deleted record; for the audit also a deal that closed) or one that lands between kept
//     ones (a deal reopened) makes the general merge lay every array out again.
// (5) A forecast deal's history, activities and answers are one range of each array. In place,
//     a re-gathered deal's rows are appended and its range moved there; the old rows stay
//     unused until the general merge, run when they are over a quarter of all rows, drops them.
#include "service/facts/fact_merge.h"

#include <algorithm>
#include <optional>
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

// `deal`'s history, activities and answers in `from` appended to `out`'s arrays, and its ranges
// moved there.
void AppendRows(const ForecastData& from, ForecastData& out, ForecastDealFacts& deal) {
  auto append = [](const auto& source, auto& target, uint32_t& begin, uint32_t& end) {
    const uint32_t new_begin = static_cast<uint32_t>(target.size());
    target.append(source, begin, end);
    begin = new_begin;
    end = static_cast<uint32_t>(target.size());
  };
  append(from.changes, out.changes, deal.changes_begin, deal.changes_end);
  append(from.activities, out.activities, deal.activities_begin, deal.activities_end);
  append(from.answers, out.answers, deal.answers_begin, deal.answers_end);
}

// `key`'s entry in `out` made as in `fresh` (present or not); writes (and so copies a shared
// map) only when it differs.
template <typename K, typename V>
void TakeEntry(CowMap<K, V>& out, const CowMap<K, V>& fresh, const K& key) {
  auto now = fresh.find(key);
  auto was = out.find(key);
  if (now == fresh.end()) {
    if (was != out.end()) out.erase(key);
  } else if (was == out.end() || !(was->second == now->second)) {
    out[key] = now->second;
  }
}

// The small tables and the playbook's areas as gathered now; the per-account tables of `old`
// with the subset's accounts as in `fresh`.
void TakeTables(const ForecastData& old, const ForecastData& fresh, const FactSubset& subset,
                ForecastData& out) {
  out.criterion_area = fresh.criterion_area;
  out.manual_criteria_in_area = fresh.manual_criteria_in_area;
  out.area_ids = fresh.area_ids;
  out.area_names = fresh.area_names;
  out.user_names = fresh.user_names;
  out.team_of = fresh.team_of;
  out.team_names = fresh.team_names;
  out.core_account = old.core_account;  // shared until written
  out.account_names = old.account_names;
  out.first_role_day = old.first_role_day;
  for (int64_t account : subset.accounts) {
    TakeEntry(out.core_account, fresh.core_account, account);
    TakeEntry(out.account_names, fresh.account_names, account);
    TakeEntry(out.first_role_day, fresh.first_role_day, account);
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

namespace {

// The general merge (note 1): every array laid out again. For deletions and for ids that land
// between kept ones.
std::shared_ptr<const AuditData> RebuildAudit(const AuditData& old, const AuditData& fresh,
                                              const FactSubset& subset) {
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
    out->account_index.Set(from.input.accounts[i].id, index);
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
    return out->account_index.Find(from.input.accounts[static_cast<size_t>(account)].id);
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
    out->opportunity_index.Set(facts.id, index);
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

std::shared_ptr<const ForecastData> RebuildForecast(const ForecastData& old,
                                                    const ForecastData& fresh,
                                                    const FactSubset& subset) {
  auto out = std::make_shared<ForecastData>();
  TakeTables(old, fresh, subset, *out);

  // Deals, with their rows laid out again contiguously.
  const std::unordered_set<int64_t> deals(subset.opportunities.begin(),
                                          subset.opportunities.end());
  out->deals.reserve(old.deals.size() + fresh.deals.size());
  out->changes.reserve(old.changes.size() + fresh.changes.size());
  out->activities.reserve(old.activities.size() + fresh.activities.size());
  out->answers.reserve(old.answers.size() + fresh.answers.size());
  auto add = [&](const ForecastData& from, size_t i) {
    ForecastDealFacts deal = from.deals[i];
    AppendRows(from, *out, deal);
    out->index_of.Set(deal.id, static_cast<int32_t>(out->deals.size()));
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

}  // namespace

namespace {

// Where each re-gathered subject goes in the merged arrays (note 4): (index in fresh, index in
// the result), in id order. Nothing when a subject is gone or a new id lands before the last
// kept one: then the general merge lays the arrays out again.
template <typename OldFind, typename FreshFind>
std::optional<std::vector<std::pair<size_t, size_t>>> PlaceInPlace(
    const std::vector<int64_t>& ids, size_t old_size, int64_t old_last_id, OldFind old_find,
    FreshFind fresh_find) {
  std::vector<std::pair<size_t, size_t>> slots;
  size_t next = old_size;
  for (int64_t id : ids) {  // increasing
    const int32_t at_old = old_find(id);
    const int32_t at_fresh = fresh_find(id);
    if (at_fresh < 0) {
      if (at_old >= 0) return std::nullopt;  // gone
      continue;                              // neither before nor now
    }
    if (at_old >= 0) {
      slots.emplace_back(static_cast<size_t>(at_fresh), static_cast<size_t>(at_old));
    } else if (id > old_last_id) {
      slots.emplace_back(static_cast<size_t>(at_fresh), next++);
    } else {
      return std::nullopt;  // a new id between kept ones
    }
  }
  return slots;
}

// Sets v[at] to value, appending when `at` is the end.
template <typename V, typename T>
void Put(V& v, size_t at, T value) {
  if (at == v.size()) {
    v.push_back(std::move(value));
  } else {
    v[at] = std::move(value);
  }
}

std::shared_ptr<const AuditData> MergeAuditInPlace(
    const AuditData& old, const AuditData& fresh,
    const std::vector<std::pair<size_t, size_t>>& account_slots,
    const std::vector<std::pair<size_t, size_t>>& deal_slots) {
  auto out = std::make_shared<AuditData>(old);  // shares every chunk
  out->playbooks = fresh.playbooks;
  out->input.opportunity_playbook = &out->playbooks.opportunity.playbook;
  out->input.account_playbook = &out->playbooks.account.playbook;
  out->labels.people = fresh.labels.people;
  out->labels.teams = fresh.labels.teams;
  out->labels.segments = fresh.labels.segments;
  audit::AuditInput& input = out->input;
  const audit::AuditInput& b = fresh.input;

  std::vector<int32_t> audit_accounts;
  for (const auto& [j, at] : account_slots) {
    Put(input.accounts, at, b.accounts[j]);
    Put(input.account_answers, at,
        j < b.account_answers.size() ? b.account_answers[j] : std::vector<audit::AnswerFact>{});
    Put(out->stored_abc_class, at, fresh.stored_abc_class[j]);
    Put(out->labels.account_external_ids, at, fresh.labels.account_external_ids[j]);
    Put(out->labels.account_names, at, fresh.labels.account_names[j]);
    Put(out->account_results, at, audit::ItemResult{});
    out->account_index.Set(b.accounts[j].id, static_cast<int32_t>(at));
    audit_accounts.push_back(static_cast<int32_t>(at));
  }
  // Customers and classes over all accounts; the changed ones are audited again (note 2).
  const std::vector<int32_t> reclassified = ClassifyCustomers(*out);
  audit_accounts.insert(audit_accounts.end(), reclassified.begin(), reclassified.end());

  std::vector<int32_t> audit_deals;
  for (const auto& [j, at] : deal_slots) {
    audit::OpportunityFacts facts = b.opportunities[j];
    if (facts.account >= 0) {
      facts.account =
          out->account_index.Find(b.accounts[static_cast<size_t>(facts.account)].id);
    }
    out->opportunity_index.Set(facts.id, static_cast<int32_t>(at));
    Put(input.opportunities, at, facts);
    Put(input.opportunity_answers, at,
        j < b.opportunity_answers.size() ? b.opportunity_answers[j]
                                         : std::vector<audit::AnswerFact>{});
    Put(out->labels.opportunity_external_ids, at, fresh.labels.opportunity_external_ids[j]);
    Put(out->labels.opportunity_names, at, fresh.labels.opportunity_names[j]);
    Put(out->opportunity_results, at, audit::ItemResult{});
    audit_deals.push_back(static_cast<int32_t>(at));
  }
  // The deals of reclassified accounts read their class (note 2). Only a scan when there are.
  if (!reclassified.empty()) {
    std::vector<char> stale(input.accounts.size(), 0);
    for (int32_t a : reclassified) stale[static_cast<size_t>(a)] = 1;
    const audit::AuditInput& read = input;
    for (size_t i = 0; i < read.opportunities.size(); ++i) {
      const int32_t account = read.opportunities[i].account;
      if (account >= 0 && stale[static_cast<size_t>(account)] != 0) {
        audit_deals.push_back(static_cast<int32_t>(i));
      }
    }
  }
  for (int32_t index : audit_deals) {
    out->opportunity_results[static_cast<size_t>(index)] = audit::AuditOpportunity(input, index);
  }
  for (int32_t index : audit_accounts) {
    const size_t i = static_cast<size_t>(index);
    const audit::AuditInput& read = input;
    if (read.accounts[i].customer) {
      out->account_results[i] = audit::AuditAccount(input, index);
    } else {
      audit::ItemResult empty;
      empty.index = index;
      out->account_results[i] = std::move(empty);
    }
  }
  out->scored = true;
  return out;
}

std::shared_ptr<const ForecastData> MergeForecastInPlace(
    const ForecastData& old, const ForecastData& fresh, const FactSubset& subset,
    const std::vector<std::pair<size_t, size_t>>& deal_slots) {
  auto out = std::make_shared<ForecastData>(old);  // shares every chunk and map
  TakeTables(old, fresh, subset, *out);
  std::unordered_set<int64_t> owners;
  for (const auto& [j, at] : deal_slots) {
    ForecastDealFacts deal = fresh.deals[j];
    AppendRows(fresh, *out, deal);  // its old rows are left unused (note 5)
    if (at < old.deals.size()) {
      const ForecastDealFacts& was = old.deals[at];
      owners.insert(was.owner_id);
      out->unused_rows += (was.changes_end - was.changes_begin) +
                          (was.activities_end - was.activities_begin) +
                          (was.answers_end - was.answers_begin);
    }
    owners.insert(deal.owner_id);
    out->index_of.Set(deal.id, static_cast<int32_t>(at));
    Put(out->deals, at, std::move(deal));
  }
  ComputeOwnerRecords(*out, &owners);
  return out;
}

}  // namespace

std::shared_ptr<const AuditData> MergeAudit(const AuditData& old, const AuditData& fresh,
                                            const FactSubset& subset) {
  SB_CHECK(old.scored);
  const auto& a = old.input;
  auto accounts = PlaceInPlace(
      subset.accounts, a.accounts.size(), a.accounts.empty() ? 0 : a.accounts.back().id,
      [&](int64_t id) { return old.account_index.Find(id); },
      [&](int64_t id) { return fresh.account_index.Find(id); });
  if (!accounts) return RebuildAudit(old, fresh, subset);
  auto deals = PlaceInPlace(
      subset.opportunities, a.opportunities.size(),
      a.opportunities.empty() ? 0 : a.opportunities.back().id,
      [&](int64_t id) { return old.opportunity_index.Find(id); },
      [&](int64_t id) { return fresh.opportunity_index.Find(id); });
  if (!deals) return RebuildAudit(old, fresh, subset);
  return MergeAuditInPlace(old, fresh, *accounts, *deals);
}

std::shared_ptr<const ForecastData> MergeForecast(const ForecastData& old,
                                                  const ForecastData& fresh,
                                                  const FactSubset& subset) {
  const size_t rows = old.changes.size() + old.activities.size() + old.answers.size();
  // Mostly unused rows: laid out again, which drops them (note 5).
  if (old.unused_rows > 100'000 && old.unused_rows > rows / 4) {
    return RebuildForecast(old, fresh, subset);
  }
  auto deals = PlaceInPlace(
      subset.opportunities, old.deals.size(), old.deals.empty() ? 0 : old.deals.back().id,
      [&](int64_t id) { return old.index_of.Find(id); },
      [&](int64_t id) { return fresh.index_of.Find(id); });
  if (!deals) return RebuildForecast(old, fresh, subset);
  return MergeForecastInPlace(old, fresh, subset, *deals);
}

}  // namespace salesbox::service::facts

// SPDX-License-Identifier: MIT
// Gathering the audit's facts as of a day, one pass per table (design notes 1-4 in facts.h), and
// the ABC classes of the customers without a stored one.
#include "service/audit/facts.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <thread>
#include <unordered_set>
#include <utility>

#include <nlohmann/json.hpp>

#include "common/check.h"
#include "common/status_macros.h"
#include "domain/enum_names.h"
#include "service/change_log.h"
#include "service/internal/scan.h"
#include "service/strategy_service.h"

namespace salesbox::service {
namespace {

namespace audit = analytics::audit;
using audit::Day;
using audit::kNoDay;
using internal::At;
using internal::EnumIndex;
using internal::IntOr;
using internal::ParseDay;
using internal::ParseSeconds;
using internal::Text;
using internal::ToDay;
using storage::AnyOf;
using storage::FieldValue;
using storage::FilterOp;
using storage::ListQuery;
using storage::Match;

// The first instant after day `as_of`: "at < this" means "by the end of as_of".
std::string EndOf(Date as_of) { return FormatTimestamp(StartOf(as_of + std::chrono::days(1))); }

// What is needed of an opportunity while deciding whether it was open on D.
struct DealState {
  audit::OpportunityFacts facts;
  int64_t account_id = 0;
  std::string external_id, name;
  bool needs_history = false;  // changed after D: its state on D comes from history
  bool history_seen = false;
  bool keep = false;
};

// What records changed after D looked like on D, from the change log (service/change_log.h): for
// each field, the old value of its first change after D. Covers the fields the audit reads that
// have no history of their own (an opportunity's competitors, owner, account; a contact's role,
// strength and account; an account's owner). Keys are the canonical column names.
struct Rollback {
  using Fields = std::unordered_map<std::string, nlohmann::json>;
  std::unordered_map<int64_t, Fields> opportunities, contacts, accounts;

  static const nlohmann::json* Find(const std::unordered_map<int64_t, Fields>& table, int64_t id,
                                    const char* field) {
    auto record = table.find(id);
    if (record == table.end()) return nullptr;
    auto value = record->second.find(field);
    return value == record->second.end() ? nullptr : &value->second;
  }
  // The text a field had on D, or `now` when it did not change since.
  static std::string_view TextOr(const std::unordered_map<int64_t, Fields>& table, int64_t id,
                                 const char* field, std::string_view now) {
    const nlohmann::json* old = Find(table, id, field);
    if (old == nullptr) return now;
    return old->is_string() ? std::string_view(old->get_ref<const std::string&>())
                            : std::string_view();
  }
};

Result<Rollback> LoadRollback(storage::Store& store, const std::string& end) {
  Rollback rollback;
  ListQuery query;
  query.filters.push_back(Match("at", FilterOp::kGe, {end}));
  query.filters.push_back(Match("action", FilterOp::kEq, {std::string("update")}));
  query.filters.push_back(
      Match("entity", FilterOp::kIn,
            {std::string("opportunities"), std::string("contacts"), std::string("accounts")}));
  query.order_by = "at";
  SB_RETURN_IF_ERROR(store.change_log().ScanFields(
      query, {"entity", "entity_id", "changes"}, [&](std::span<const FieldValue> r) {
        auto& table = r[0].text == "opportunities" ? rollback.opportunities
                      : r[0].text == "contacts"    ? rollback.contacts
                                                   : rollback.accounts;
        nlohmann::json changes = nlohmann::json::parse(r[2].text, nullptr, false);
        if (!changes.is_object()) return Status::Ok();
        Rollback::Fields& fields = table[r[1].integer];
        for (auto it = changes.begin(); it != changes.end(); ++it) {
          if (it->is_array() && it->size() == 2) fields.emplace(it.key(), (*it)[0]);
        }
        return Status::Ok();
      }));
  return rollback;
}

}  // namespace

AuditData::AuditData(const AuditData& other)
    : as_of(other.as_of),
      playbooks(other.playbooks),
      input(other.input),
      labels(other.labels),
      opportunity_index(other.opportunity_index),
      account_index(other.account_index),
      stored_abc_class(other.stored_abc_class),
      fits(other.fits),
      scored(other.scored),
      opportunity_results(other.opportunity_results),
      account_results(other.account_results) {
  input.opportunity_playbook = &playbooks.opportunity.playbook;
  input.account_playbook = &playbooks.account.playbook;
}

namespace {

// The values of `ids` for an IN filter.
std::vector<storage::Value> IdValues(const std::vector<int64_t>& ids) {
  return std::vector<storage::Value>(ids.begin(), ids.end());
}

}  // namespace

Result<std::shared_ptr<const AuditData>> LoadAuditData(storage::Store& store, Date as_of,
                                                       storage::Store* parallel_reader) {
  AuditLoadOptions options;
  options.parallel_reader = parallel_reader;
  SB_ASSIGN_OR_RETURN(std::shared_ptr<AuditData> data, LoadAuditData(store, as_of, options));
  ClassifyCustomers(*data);
  return std::shared_ptr<const AuditData>(std::move(data));
}

Result<std::shared_ptr<AuditData>> LoadAuditData(storage::Store& store, Date as_of,
                                                 const AuditLoadOptions& options) {
  storage::Store* parallel_reader = options.parallel_reader;
  const FactSubset* subset = options.subset;
  if (subset != nullptr && options.fits == nullptr) {
    return Status::Internal("a subset of the audit's facts needs the day's fit scores");
  }
  // In a subset, a positive id that is not loaded is "elsewhere" (-2), not "none" (-1).
  const int32_t kElsewhere = subset != nullptr ? -2 : -1;
  std::vector<storage::Value> subset_accounts, subset_deals;
  if (subset != nullptr) {
    subset_accounts = IdValues(subset->accounts);
    subset_deals = IdValues(subset->opportunities);
  }
  auto data = std::make_shared<AuditData>();
  data->as_of = as_of;
  SB_ASSIGN_OR_RETURN(data->playbooks, LoadActivePlaybooks(store));
  audit::AuditInput& input = data->input;
  audit::Labels& labels = data->labels;
  input.as_of = ToDay(as_of);
  input.opportunity_playbook = &data->playbooks.opportunity.playbook;
  input.account_playbook = &data->playbooks.account.playbook;
  const Day d = input.as_of;
  const std::string end = EndOf(as_of);
  const std::string as_of_text = FormatDate(as_of);

  internal::PhaseTimer timer("SALESBOX_AUDIT_TRACE", "audit facts");
  // A subset is gathered for a day no write is after (FactSubset's contract): nothing to roll
  // back, and the change log's entries need not be read for every delta.
  Rollback rollback;
  if (subset == nullptr) {
    SB_ASSIGN_OR_RETURN(rollback, LoadRollback(store, end));
  }
  timer.Mark("change log");

  // People, teams and segments.
  std::unordered_map<std::string, int64_t> user_by_email;
  SB_RETURN_IF_ERROR(store.users().ScanFields(
      ListQuery{}, {"id", "name", "email", "team_id"}, [&](std::span<const FieldValue> r) {
        labels.people[r[0].integer] = audit::Person{Text(r[1]), Text(r[2]), IntOr(r[3])};
        user_by_email[Text(r[2])] = r[0].integer;
        return Status::Ok();
      }));
  // An owner as it was on D: the logged old e-mail, when the owner changed since.
  auto owner_on_d = [&](const std::unordered_map<int64_t, Rollback::Fields>& table, int64_t id,
                        int64_t now) -> int64_t {
    const nlohmann::json* old = Rollback::Find(table, id, "owner_email");
    if (old == nullptr) return now;
    if (!old->is_string()) return 0;
    auto it = user_by_email.find(old->get<std::string>());
    return it == user_by_email.end() ? now : it->second;
  };
  SB_RETURN_IF_ERROR(
      store.teams().ScanFields(ListQuery{}, {"id", "name"}, [&](std::span<const FieldValue> r) {
        labels.teams[r[0].integer] = Text(r[1]);
        return Status::Ok();
      }));
  std::unordered_map<int64_t, bool> core;
  SB_RETURN_IF_ERROR(store.segments().ScanFields(ListQuery{}, {"id", "name", "core"},
                                                 [&](std::span<const FieldValue> r) {
                                                   labels.segments[r[0].integer] = Text(r[1]);
                                                   core[r[0].integer] = IntOr(r[2]) != 0;
                                                   return Status::Ok();
                                                 }));

  timer.Mark("people");
  // Accounts that existed on D. `account_at[id]` is the index, -1 none.
  std::vector<int32_t> account_at;
  std::unordered_map<std::string, int64_t> account_by_external;
  {
    ListQuery query;
    query.filters.push_back(Match("created_at", FilterOp::kLt, {end}));
    if (subset != nullptr) query.filters.push_back(Match("id", FilterOp::kIn, subset_accounts));
    SB_RETURN_IF_ERROR(store.accounts().ScanFields(
        query, {"id", "external_id", "name", "owner_id", "segment_id", "abc_class"},
        [&](std::span<const FieldValue> r) {
          audit::AccountFacts facts;
          facts.id = r[0].integer;
          facts.owner_id = owner_on_d(rollback.accounts, facts.id, IntOr(r[3]));
          account_by_external[Text(r[1])] = facts.id;
          facts.segment_id = IntOr(r[4]);
          facts.core_segment = facts.segment_id != 0 && core[facts.segment_id];
          if (r[5].text.size() == 1 && r[5].text[0] >= 'A' && r[5].text[0] <= 'C') {
            facts.abc_class = r[5].text[0];
          }
          data->stored_abc_class.push_back(facts.abc_class);
          facts.role_strength.fill(-1);
          facts.role_last_active.fill(kNoDay);
          At(account_at, facts.id, int32_t{-1}) = static_cast<int32_t>(input.accounts.size());
          data->account_index.Set(facts.id, static_cast<int32_t>(input.accounts.size()));
          input.accounts.push_back(facts);
          labels.account_external_ids.push_back(Text(r[1]));
          labels.account_names.push_back(Text(r[2]));
          return Status::Ok();
        }));
  }
  auto account_index = [&account_at, kElsewhere](int64_t id) -> int32_t {
    if (id <= 0) return -1;
    const int32_t index =
        static_cast<size_t>(id) < account_at.size() ? account_at[static_cast<size_t>(id)] : -1;
    return index >= 0 ? index : kElsewhere;
  };
  // A record's account as it was on D (the change log keeps the account's external id).
  auto account_on_d = [&](const std::unordered_map<int64_t, Rollback::Fields>& table, int64_t id,
                          int64_t now) -> int64_t {
    const nlohmann::json* old = Rollback::Find(table, id, "account");
    if (old == nullptr || !old->is_string()) return now;
    auto it = account_by_external.find(old->get<std::string>());
    return it == account_by_external.end() ? now : it->second;
  };

  // ICP fit (design note 4): the strategy's fit score of every account as of D.
  if (options.fits != nullptr) {
    data->fits = options.fits;
  } else {
    SB_ASSIGN_OR_RETURN(FitScores fits, AccountFitScores(store, as_of));
    data->fits = std::make_shared<const FitScores>(std::move(fits));
  }
  for (size_t i = 0; i < input.accounts.size(); ++i) {
    const int64_t id = input.accounts[i].id;
    if (auto it = data->fits->find(id); it != data->fits->end()) {
      input.accounts[i].icp_fit = it->second;
    }
  }
  timer.Mark("accounts");
  // Contacts created by D: their account and role, and the accounts' role coverage.
  std::vector<int8_t> contact_role;      // by contact id; -1: none
  std::vector<int32_t> contact_account;  // by contact id: account index
  {
    ListQuery query;
    query.filters.push_back(Match("created_at", FilterOp::kLt, {end}));
    if (subset != nullptr) {
      // The subset's contacts, and every contact its activities were held with.
      query.filters.push_back(AnyOf(
          {Match("account_id", FilterOp::kIn, subset_accounts),
           storage::InSelect("id", "activities", "contact_id",
                             {AnyOf({Match("account_id", FilterOp::kIn, subset_accounts),
                                     Match("opportunity_id", FilterOp::kIn, subset_deals)})})}));
    }
    SB_RETURN_IF_ERROR(store.contacts().ScanFields(
        query, {"id", "account_id", "buying_role", "relationship_strength"},
        [&](std::span<const FieldValue> r) {
          const int64_t id = r[0].integer;
          const int32_t a = account_index(account_on_d(rollback.contacts, id, IntOr(r[1])));
          FieldValue role_value = r[2];
          role_value.text = Rollback::TextOr(rollback.contacts, id, "buying_role", r[2].text);
          const int role = EnumIndex<BuyingRole>(role_value, 0);
          FieldValue strength_value = r[3];
          if (const nlohmann::json* old =
                  Rollback::Find(rollback.contacts, id, "relationship_strength")) {
            // The change log keeps cells as text ("4"); null when it was empty.
            int64_t value = 0;
            const std::string text = old->is_string() ? old->get<std::string>() : std::string();
            auto [end_ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
            const bool number =
                !text.empty() && ec == std::errc() && end_ptr == text.data() + text.size();
            strength_value.kind = number ? FieldValue::Kind::kInteger : FieldValue::Kind::kNull;
            strength_value.integer = value;
          }
          At(contact_role, r[0].integer, int8_t{-1}) = static_cast<int8_t>(role);
          At(contact_account, r[0].integer, int32_t{-1}) = a;
          if (a < 0) return Status::Ok();
          audit::AccountFacts& account = input.accounts[static_cast<size_t>(a)];
          account.roles_present |= static_cast<uint16_t>(1u << role);
          if (role != static_cast<int>(BuyingRole::kUnknown)) {
            const int8_t strength =
                strength_value.is_null()
                    ? int8_t{0}
                    : static_cast<int8_t>(std::clamp<int64_t>(strength_value.integer, 0, 4));
            if (!strength_value.is_null()) {
              account.role_strength[role] = std::max(account.role_strength[role], strength);
            }
            account.weakest_role_strength = account.weakest_role_strength < 0
                                                ? strength
                                                : std::min(account.weakest_role_strength, strength);
          }
          return Status::Ok();
        }));
  }

  timer.Mark("contacts");
  // Opportunities: which were open on D, and in what state.
  std::vector<DealState> deals;
  std::vector<int32_t> deal_at;  // by opportunity id: index into `deals`, -1 none
  std::vector<std::set<std::string>> account_lines(input.accounts.size());
  bool any_history = false;
  {
    ListQuery query;
    query.filters.push_back(Match("created_on", FilterOp::kLe, {as_of_text}));
    if (subset != nullptr) query.filters.push_back(Match("id", FilterOp::kIn, subset_deals));
    SB_RETURN_IF_ERROR(store.opportunities().ScanFields(
        query,
        {"id", "external_id", "name", "owner_id", "account_id", "stage", "amount_minor",
         "amount_currency", "created_on", "close_on", "closed_on", "next_step", "next_step_on",
         "competitors", "product_lines", "updated_at"},
        [&](std::span<const FieldValue> r) {
          const int64_t id = r[0].integer;
          const int stage = EnumIndex<Stage>(r[5], 0);
          const Day closed_on = ParseDay(r[10]);
          const int32_t a = account_index(account_on_d(rollback.opportunities, id, IntOr(r[4])));
          if (IsClosed(static_cast<Stage>(stage)) && closed_on != kNoDay && closed_on <= d) {
            if (static_cast<Stage>(stage) == Stage::kClosedWon && a >= 0) {
              std::string_view lines = r[14].text;
              while (!lines.empty()) {
                const size_t cut = lines.find(';');
                std::string_view line = lines.substr(0, cut);
                while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
                while (!line.empty() && line.back() == ' ') line.remove_suffix(1);
                if (!line.empty()) account_lines[static_cast<size_t>(a)].insert(std::string(line));
                if (cut == std::string_view::npos) break;
                lines.remove_prefix(cut + 1);
              }
            }
            return Status::Ok();
          }
          DealState deal;
          audit::OpportunityFacts& f = deal.facts;
          f.id = id;
          f.owner_id = owner_on_d(rollback.opportunities, id, IntOr(r[3]));
          f.account = a;
          f.stage = static_cast<Stage>(stage);
          Result<Currency> currency = Currency::Parse(r[7].text);
          f.amount = Money{IntOr(r[6]), currency.ok() ? *currency : Currency()};
          f.created_on = ParseDay(r[8]);
          f.close_on = ParseDay(r[9]);
          f.next_step_on = ParseDay(r[12]);
          const auto& log = rollback.opportunities;
          f.next_step_text = !Rollback::TextOr(log, id, "next_step", r[11].text).empty();
          f.competitors = !Rollback::TextOr(log, id, "competitors", r[13].text).empty();
          f.product_lines = !Rollback::TextOr(log, id, "product_lines", r[14].text).empty();
          deal.account_id = IntOr(r[4]);
          deal.external_id = Text(r[1]);
          deal.name = std::string(Rollback::TextOr(log, id, "name", r[2].text));
          // Changed after D (or closed after D): its state on D is in its history.
          deal.needs_history = r[15].text >= std::string_view(end) || IsClosed(f.stage);
          deal.keep = !IsClosed(f.stage);
          any_history = any_history || deal.needs_history;
          At(deal_at, f.id, int32_t{-1}) = static_cast<int32_t>(deals.size());
          deals.push_back(std::move(deal));
          return Status::Ok();
        }));
  }
  if (any_history) {
    ListQuery query;
    query.filters.push_back(Match("changed_at", FilterOp::kLt, {end}));
    if (subset != nullptr) {
      query.filters.push_back(Match("opportunity_id", FilterOp::kIn, subset_deals));
    }
    query.order_by = "changed_at";
    SB_RETURN_IF_ERROR(store.opportunity_changes().ScanFields(
        query,
        {"opportunity_id", "stage", "amount_minor", "amount_currency", "close_on", "next_step_on"},
        [&](std::span<const FieldValue> r) {
          const int64_t id = r[0].integer;
          if (id <= 0 || static_cast<size_t>(id) >= deal_at.size() || deal_at[id] < 0) {
            return Status::Ok();
          }
          DealState& deal = deals[static_cast<size_t>(deal_at[id])];
          if (!deal.needs_history) return Status::Ok();
          deal.history_seen = true;
          audit::OpportunityFacts& f = deal.facts;
          f.stage = static_cast<Stage>(EnumIndex<Stage>(r[1], 0));
          Result<Currency> currency = Currency::Parse(r[3].text);
          f.amount = Money{IntOr(r[2]), currency.ok() ? *currency : f.amount.currency};
          f.close_on = ParseDay(r[4]);
          f.next_step_on = ParseDay(r[5]);
          deal.keep = !IsClosed(f.stage);
          return Status::Ok();
        }));
  }
  timer.Mark("opportunities");
  // A deal changed after D without history by D: its current state is all there is; a closed
  // one cannot be placed on D and is left out.
  std::fill(deal_at.begin(), deal_at.end(), int32_t{-1});
  for (DealState& deal : deals) {
    if (!deal.keep) continue;
    const int32_t index = static_cast<int32_t>(input.opportunities.size());
    At(deal_at, deal.facts.id, int32_t{-1}) = index;
    data->opportunity_index.Set(deal.facts.id, index);
    if (deal.facts.account >= 0) {
      input.accounts[static_cast<size_t>(deal.facts.account)].open_opportunity = true;
    }
    input.opportunities.push_back(deal.facts);
    labels.opportunity_external_ids.push_back(std::move(deal.external_id));
    labels.opportunity_names.push_back(std::move(deal.name));
  }
  deals.clear();
  deals.shrink_to_fit();
  for (size_t a = 0; a < account_lines.size(); ++a) {
    input.accounts[a].product_lines = static_cast<int32_t>(account_lines[a].size());
  }
  account_lines.clear();
  auto deal_index = [&deal_at](int64_t id) -> int32_t {
    return id > 0 && static_cast<size_t>(id) < deal_at.size() ? deal_at[static_cast<size_t>(id)]
                                                              : -1;
  };

  // Answers by D: per item and criterion the latest (kept while scanning; sorting 9M answers by
  // date in SQL cost 7 s at --scale 100).
  // Reads only `reader` and the answer lists, so it can run beside the activities pass on a
  // second connection.
  input.opportunity_answers.assign(input.opportunities.size(), {});
  input.account_answers.assign(input.accounts.size(), {});
  auto read_answers = [&](storage::Store& reader) -> Status {
    std::unordered_map<std::string, uint16_t> opportunity_criteria, account_criteria;
    const auto& op = data->playbooks.opportunity.playbook.criteria;
    for (size_t c = 0; c < op.size(); ++c)
      opportunity_criteria[op[c].id] = static_cast<uint16_t>(c);
    const auto& ac = data->playbooks.account.playbook.criteria;
    for (size_t c = 0; c < ac.size(); ++c) account_criteria[ac[c].id] = static_cast<uint16_t>(c);
    // A subset's answers are read per subject type, so that the (subject_type, subject_id, ...)
    // key serves as the index.
    std::vector<ListQuery> queries(subset != nullptr ? 2 : 1);
    for (ListQuery& query : queries) {
      query.filters.push_back(Match("answered_at", FilterOp::kLt, {end}));
    }
    if (subset != nullptr) {
      queries[0].filters.push_back(
          Match("subject_type", FilterOp::kEq, {std::string("opportunity")}));
      queries[0].filters.push_back(Match("subject_id", FilterOp::kIn, subset_deals));
      queries[1].filters.push_back(Match("subject_type", FilterOp::kEq, {std::string("account")}));
      queries[1].filters.push_back(Match("subject_id", FilterOp::kIn, subset_accounts));
    }
    std::string criterion;
    for (const ListQuery& query : queries) {
      SB_RETURN_IF_ERROR(reader.scorecard_answers().ScanFields(
          query, {"subject_type", "subject_id", "criterion_id", "answer", "answered_at", "id"},
          [&](std::span<const FieldValue> r) {
            const bool is_deal = r[0].text == "opportunity";
            const int32_t index = is_deal ? deal_index(IntOr(r[1])) : account_index(IntOr(r[1]));
            if (index < 0) return Status::Ok();
            criterion.assign(r[2].text);
            const auto& criteria = is_deal ? opportunity_criteria : account_criteria;
            auto it = criteria.find(criterion);
            if (it == criteria.end()) return Status::Ok();
            const auto answer = static_cast<Answer>(EnumIndex<Answer>(r[3], 0));
            auto& list = is_deal ? input.opportunity_answers[static_cast<size_t>(index)]
                                 : input.account_answers[static_cast<size_t>(index)];
            const int64_t at = ParseSeconds(r[4]);
            const int64_t id = r[5].integer;
            for (audit::AnswerFact& fact : list) {
              if (fact.criterion != it->second) continue;
              // The later answer wins; of two in the same second, the later stored.
              if (at > fact.at || (at == fact.at && id > fact.id)) {
                fact.answer = answer;
                fact.at = at;
                fact.id = id;
              }
              return Status::Ok();
            }
            list.push_back(audit::AnswerFact{it->second, answer, at, id});
            return Status::Ok();
          }));
    }
    return Status::Ok();
  };
  internal::SecondPass answers_pass(parallel_reader, read_answers);
  answers_pass.Start();

  // Activities: one pass.
  timer.Mark("history");
  {
    const int meeting = static_cast<int>(ActivityType::kMeeting);
    const int completed = static_cast<int>(ActivityStatus::kCompleted);
    ListQuery query;
    if (subset != nullptr) {
      query.filters.push_back(
          AnyOf({Match("account_id", FilterOp::kIn, subset_accounts),
                 Match("opportunity_id", FilterOp::kIn, subset_deals),
                 storage::InSelect("contact_id", "contacts", "id",
                                   {Match("account_id", FilterOp::kIn, subset_accounts)})}));
    }
    SB_RETURN_IF_ERROR(store.activities().ScanFields(
        query, {"account_id", "contact_id", "opportunity_id", "type", "status", "at", "created_at"},
        [&](std::span<const FieldValue> r) {
          const Day at = ParseDay(r[5]);
          if (at == kNoDay) return Status::Ok();
          const int64_t contact = IntOr(r[1]);
          int role = -1;
          int32_t account = account_index(IntOr(r[0]));
          if (contact > 0 && static_cast<size_t>(contact) < contact_role.size()) {
            role = contact_role[static_cast<size_t>(contact)];
            if (account == -1) account = contact_account[static_cast<size_t>(contact)];
          }
          if (at > d) {
            // Planned ahead as of D, if it was already in the calendar on D.
            if (account >= 0 && r[6].text < std::string_view(end)) {
              input.accounts[static_cast<size_t>(account)].planned_ahead = true;
            }
            return Status::Ok();
          }
          if (EnumIndex<ActivityStatus>(r[4], 0) != completed) return Status::Ok();
          const int type = EnumIndex<ActivityType>(r[3], 0);
          const int32_t deal = deal_index(IntOr(r[2]));
          if (deal >= 0) {
            audit::OpportunityFacts& f = input.opportunities[static_cast<size_t>(deal)];
            f.last_activity = std::max(f.last_activity, at);
            ++f.type_counts[type];
            if (role >= 0) f.role_types[role] |= static_cast<uint8_t>(1u << type);
          }
          if (account >= 0) {
            audit::AccountFacts& a = input.accounts[static_cast<size_t>(account)];
            if (d - at < 365) ++a.touches_365;
            if (type == meeting) a.last_meeting = std::max(a.last_meeting, at);
            if (role >= 0) {
              a.last_contact_touch = std::max(a.last_contact_touch, at);
              a.role_last_active[role] = std::max(a.role_last_active[role], at);
            }
          }
          return Status::Ok();
        }));
  }
  contact_role.clear();
  contact_account.clear();
  timer.Mark("activities");

  // Orders by D: margins per window, and who is a customer.
  {
    ListQuery query;
    query.filters.push_back(Match("ordered_on", FilterOp::kLe, {as_of_text}));
    if (subset != nullptr) {
      query.filters.push_back(Match("account_id", FilterOp::kIn, subset_accounts));
    }
    SB_RETURN_IF_ERROR(store.orders().ScanFields(
        query, {"account_id", "ordered_on", "margin_minor", "margin_currency"},
        [&](std::span<const FieldValue> r) {
          const int32_t account = account_index(IntOr(r[0]));
          const Day on = ParseDay(r[1]);
          if (account < 0 || on == kNoDay) return Status::Ok();
          audit::AccountFacts& a = input.accounts[static_cast<size_t>(account)];
          if (a.currency == Currency()) {
            Result<Currency> currency = Currency::Parse(r[3].text);
            if (currency.ok()) a.currency = *currency;
          }
          const int64_t margin = IntOr(r[2]);
          const int age = d - on;
          if (age < 365) {
            a.margin_last_365 += margin;
          } else if (age < 730) {
            a.margin_prev_365 += margin;
          }
          if (age < 1096) a.margin_3y += margin;
          a.last_order = std::max(a.last_order, on);
          return Status::Ok();
        }));
  }
  timer.Mark("orders");
  SB_RETURN_IF_ERROR(answers_pass.Finish(store));
  timer.Mark("answers");
  return data;
}

std::vector<int32_t> ClassifyCustomers(AuditData& data) {
  audit::AuditInput& input = data.input;
  const audit::AuditInput& read = input;  // reads leave the shared chunks shared
  const Day d = input.as_of;
  SB_CHECK(data.stored_abc_class.size() == input.accounts.size());
  // The class and customer flag of every account as they come out now.
  std::vector<std::pair<char, bool>> after(read.accounts.size());
  std::map<std::string, std::vector<int32_t>> by_currency;
  for (size_t i = 0; i < read.accounts.size(); ++i) {
    const audit::AccountFacts& a = read.accounts[i];
    const bool customer = a.last_order != kNoDay && d - a.last_order < 365;
    after[i] = {data.stored_abc_class[i], customer};
    if (customer && after[i].first == 0)
      by_currency[a.currency.ToString()].push_back(static_cast<int32_t>(i));
  }
  for (auto& [currency, members] : by_currency) {
    std::sort(members.begin(), members.end(), [&read](int32_t x, int32_t y) {
      const auto& ax = read.accounts[static_cast<size_t>(x)];
      const auto& ay = read.accounts[static_cast<size_t>(y)];
      return ax.margin_3y != ay.margin_3y ? ax.margin_3y > ay.margin_3y : ax.id < ay.id;
    });
    long double total = 0;
    for (int32_t m : members)
      total += std::max<int64_t>(0, read.accounts[static_cast<size_t>(m)].margin_3y);
    long double margin_before = 0;
    for (int32_t m : members) {
      // The class of the customer whose margin starts at `margin_before`: A while the customers
      // before it make less than 80%.
      after[static_cast<size_t>(m)].first = total <= 0 || margin_before < 0.80L * total ? 'A'
                                            : margin_before < 0.95L * total           ? 'B'
                                                                                      : 'C';
      margin_before += std::max<int64_t>(0, read.accounts[static_cast<size_t>(m)].margin_3y);
    }
  }
  // Written only where they changed (a write copies the chunk another snapshot shares).
  std::vector<int32_t> changed;
  for (size_t i = 0; i < read.accounts.size(); ++i) {
    const audit::AccountFacts& a = read.accounts[i];
    if (after[i] != std::make_pair(a.abc_class, a.customer)) {
      audit::AccountFacts& w = input.accounts[i];
      w.abc_class = after[i].first;
      w.customer = after[i].second;
      changed.push_back(static_cast<int32_t>(i));
    }
  }
  return changed;
}

}  // namespace salesbox::service

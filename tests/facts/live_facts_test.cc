// SPDX-License-Identifier: MIT
// The live fact model (service/facts/live_facts.h) against a full reload: after more than 10,000
// random writes of every kind (stage moves, amounts, dates, activities, answers, orders,
// contacts, owners, new and deleted deals and accounts), applied as deltas in batches, every
// fact, every audit result and every forecast probability equals what a reload of the same data
// gives, and the model never fell back to a reload to get there.
#include "service/facts/live_facts.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/status_macros.h"
#include "domain/enum_names.h"
#include "service/facts/fact_file.h"
#include "service/facts/fact_merge.h"
#include "testing/demo_store.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"

namespace salesbox::service::facts {
namespace {

namespace audit = analytics::audit;
using storage::FieldValue;
using storage::ListQuery;
using test::FakeClock;
using test::StatusIs;

// --- describing facts, so that a difference reads as text ------------------------------------

template <typename T, size_t N>
std::string Join(const std::array<T, N>& values) {
  std::string out;
  for (const T& v : values) out += std::to_string(static_cast<int64_t>(v)) + ",";
  return out;
}

std::string DescribeAnswers(std::vector<audit::AnswerFact> answers) {
  std::sort(answers.begin(), answers.end(), [](const auto& a, const auto& b) {
    return a.criterion < b.criterion;
  });
  std::ostringstream out;
  for (const audit::AnswerFact& a : answers) {
    out << a.criterion << "=" << static_cast<int>(a.answer) << "@" << a.at << "#" << a.id << " ";
  }
  return out.str();
}

std::string DescribeResult(const audit::ItemResult& r) {
  std::ostringstream out;
  out << "colour " << static_cast<int>(r.colour) << " stale " << r.stale << " class "
      << static_cast<int>(r.abc_class) << " scores " << Join(r.scores) << " minimums "
      << Join(r.minimums) << " answers ";
  for (Answer a : r.answers) out << static_cast<int>(a);
  out << " findings ";
  for (const audit::Finding& f : r.findings) {
    out << static_cast<int>(f.kind) << "/" << f.criterion << "/" << f.days << "/" << f.limit << " ";
  }
  return out.str();
}

std::string DescribeAccount(const AuditData& data, size_t i) {
  const audit::AccountFacts& a = data.input.accounts[i];
  std::ostringstream out;
  out << "account " << a.id << " owner " << a.owner_id << " segment " << a.segment_id << " core "
      << a.core_segment << " customer " << a.customer << " class " << static_cast<int>(a.abc_class)
      << " stored " << static_cast<int>(data.stored_abc_class[i]) << " fit "
      << (a.icp_fit ? *a.icp_fit : -1.0) << " roles " << a.roles_present << " strength "
      << Join(a.role_strength) << " weakest " << static_cast<int>(a.weakest_role_strength)
      << " role_active " << Join(a.role_last_active) << " touch " << a.last_contact_touch
      << " meeting " << a.last_meeting << " touches " << a.touches_365 << " planned "
      << a.planned_ahead << " lines " << a.product_lines << " margins " << a.margin_last_365
      << "/" << a.margin_prev_365 << "/" << a.margin_3y << " last_order " << a.last_order
      << " open " << a.open_opportunity << " currency " << a.currency.ToString() << " | "
      << data.labels.account_external_ids[i] << " " << data.labels.account_names[i] << " | "
      << DescribeAnswers(data.input.account_answers[i]);
  if (a.customer) out << " | " << DescribeResult(data.account_results[i]);
  return out.str();
}

std::string DescribeOpportunity(const AuditData& data, size_t i) {
  const audit::OpportunityFacts& o = data.input.opportunities[i];
  std::ostringstream out;
  out << "opportunity " << o.id << " owner " << o.owner_id << " account "
      << (o.account >= 0 ? data.input.accounts[static_cast<size_t>(o.account)].id : o.account)
      << " stage " << static_cast<int>(o.stage) << " amount " << o.amount.minor_units
      << o.amount.currency.ToString() << " created " << o.created_on << " close " << o.close_on
      << " next " << o.next_step_on << " last " << o.last_activity << " flags "
      << o.competitors << o.next_step_text << o.product_lines << " roles " << Join(o.role_types)
      << " types " << Join(o.type_counts) << " | " << data.labels.opportunity_external_ids[i]
      << " " << data.labels.opportunity_names[i] << " | "
      << DescribeAnswers(data.input.opportunity_answers[i]) << " | "
      << DescribeResult(data.opportunity_results[i]);
  return out.str();
}

std::string DescribeDeal(const ForecastData& data, const ForecastDealFacts& d) {
  std::ostringstream out;
  out << "deal " << d.id << " account " << d.account_id << " owner " << d.owner_id << " "
      << d.name << " stage " << static_cast<int>(d.stage) << " amount " << d.amount.minor_units
      << d.amount.currency.ToString() << " p " << d.probability << " created " << d.created_on
      << " close " << d.close_on << " closed " << d.closed_on << " next " << d.next_step_on
      << " category " << static_cast<int>(d.category) << " | changes ";
  for (uint32_t k = d.changes_begin; k < d.changes_end; ++k) {
    const ForecastChange& c = data.changes[k];
    out << c.seconds << ":" << static_cast<int>(c.stage) << ":" << c.amount_minor << ":"
        << c.probability << ":" << c.close_on << ":" << c.next_step_on << " ";
  }
  out << "| activities ";
  for (uint32_t k = d.activities_begin; k < d.activities_end; ++k) {
    const ForecastActivity& a = data.activities[k];
    out << a.day << ":" << a.meeting << a.with_economic_buyer << " ";
  }
  out << "| answers ";
  for (uint32_t k = d.answers_begin; k < d.answers_end; ++k) {
    const ForecastAnswer& a = data.answers[k];
    out << a.seconds << ":" << a.day << ":" << a.criterion << ":" << a.yes << " ";
  }
  return out.str();
}

template <typename Map>
std::vector<std::string> Sorted(const Map& map) {
  std::vector<std::string> out;
  for (const auto& [key, value] : map) {
    std::ostringstream line;
    line << key << "=";
    if constexpr (requires { value.size(); value[0]; }) {
      for (size_t k = 0; k < value.size(); ++k) line << value[k] << ",";
    } else {
      line << value;
    }
    out.push_back(line.str());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> DescribeOwners(const ForecastData& data) {
  std::vector<std::string> out;
  for (const auto& [owner, record] : data.closed_by_owner) {
    std::ostringstream line;
    line << owner << ":";
    for (size_t k = 0; k < record.closed_on.size(); ++k) {
      line << record.closed_on[k] << "/" << record.wins[k + 1] << " ";
    }
    out.push_back(line.str());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Expects `live` to equal a full load of `store` (with the same fit scores and model).
void ExpectSameAsReload(const FactSnapshot& live, storage::Store& store) {
  AuditLoadOptions options;
  options.fits = live.audit->fits;
  SB_ASSERT_OK_AND_ASSIGN(std::shared_ptr<AuditData> full, LoadAuditData(store, live.day, options));
  ClassifyCustomers(*full);
  ScoreAuditData(*full);
  const AuditData& kept = *live.audit;
  ASSERT_EQ(kept.input.accounts.size(), full->input.accounts.size());
  ASSERT_EQ(kept.input.opportunities.size(), full->input.opportunities.size());
  int differences = 0;
  for (size_t i = 0; i < full->input.accounts.size() && differences < 10; ++i) {
    const std::string want = DescribeAccount(*full, i), got = DescribeAccount(kept, i);
    if (want != got) ++differences;
    EXPECT_EQ(got, want);
  }
  for (size_t i = 0; i < full->input.opportunities.size() && differences < 10; ++i) {
    const std::string want = DescribeOpportunity(*full, i), got = DescribeOpportunity(kept, i);
    if (want != got) ++differences;
    EXPECT_EQ(got, want);
  }
  EXPECT_EQ(kept.opportunity_index, full->opportunity_index);
  EXPECT_EQ(kept.account_index, full->account_index);
  EXPECT_EQ(Sorted(kept.labels.teams), Sorted(full->labels.teams));

  SB_ASSERT_OK_AND_ASSIGN(ForecastData reloaded, LoadForecastData(store));
  const ForecastData& facts = *live.forecast;
  ASSERT_EQ(facts.deals.size(), reloaded.deals.size());
  for (size_t i = 0; i < reloaded.deals.size() && differences < 20; ++i) {
    const std::string want = DescribeDeal(reloaded, reloaded.deals[i]);
    const std::string got = DescribeDeal(facts, facts.deals[i]);
    if (want != got) ++differences;
    EXPECT_EQ(got, want);
  }
  EXPECT_TRUE(facts.index_of == reloaded.index_of);
  for (const ForecastDealFacts& deal : reloaded.deals) {
    ASSERT_NE(facts.Deal(deal.id), nullptr) << deal.id;
    EXPECT_EQ(facts.Deal(deal.id)->id, deal.id);
  }
  EXPECT_EQ(Sorted(facts.core_account), Sorted(reloaded.core_account));
  EXPECT_EQ(Sorted(facts.account_names), Sorted(reloaded.account_names));
  EXPECT_EQ(Sorted(facts.first_role_day), Sorted(reloaded.first_role_day));
  EXPECT_EQ(Sorted(facts.user_names), Sorted(reloaded.user_names));
  EXPECT_EQ(Sorted(facts.team_of), Sorted(reloaded.team_of));
  EXPECT_EQ(DescribeOwners(facts), DescribeOwners(reloaded));

  // The kept scores: every open deal's features exactly as scoring the reload gives them (the
  // calibrated probability alone would hide small feature changes in its steps).
  ASSERT_NE(live.scores, nullptr);
  const ForecastScores rescored =
      ScoreOpenDeals(reloaded, *live.model, static_cast<Day>(live.day.time_since_epoch().count()));
  ASSERT_EQ(live.scores->open.size(), rescored.open.size());
  for (size_t i = 0; i < rescored.open.size() && differences < 20; ++i) {
    const DealScore& want = rescored.open[i];
    const DealScore& got = live.scores->open[i];
    const int64_t id = reloaded.deals[static_cast<size_t>(want.deal)].id;
    EXPECT_EQ(facts.deals[static_cast<size_t>(got.deal)].id, id);
    if (got.x != want.x || got.p_model != want.p_model) ++differences;
    EXPECT_EQ(got.x, want.x) << "deal " << id;
    EXPECT_EQ(got.p_model, want.p_model) << "deal " << id;
  }
  // Every rep's optimism, kept for the owners whose closed deals moved.
  ASSERT_EQ(live.scores->optimism.size(), rescored.optimism.size());
  for (const auto& [rep, want] : rescored.optimism) {
    auto it = live.scores->optimism.find(rep);
    ASSERT_NE(it, live.scores->optimism.end()) << "rep " << rep;
    EXPECT_EQ(it->second.examples, want.examples) << "rep " << rep;
    EXPECT_DOUBLE_EQ(it->second.optimism, want.optimism) << "rep " << rep;
  }

  // Every probability and the roll-up, with the same model.
  ForecastRequest request;
  request.as_of = live.day;
  request.model = live.model.get();
  request.trials = 2000;
  SB_ASSERT_OK_AND_ASSIGN(Forecast from_reload, RunForecast(reloaded, request));
  // The live side scores nothing itself: it takes the snapshot's kept scores.
  ASSERT_NE(live.scores, nullptr);
  request.scores = live.scores.get();
  SB_ASSERT_OK_AND_ASSIGN(Forecast from_live, RunForecast(facts, request));
  ASSERT_EQ(from_live.deals.size(), from_reload.deals.size());
  for (size_t i = 0; i < from_reload.deals.size(); ++i) {
    EXPECT_EQ(from_live.deals[i].id, from_reload.deals[i].id);
    EXPECT_EQ(from_live.deals[i].p_model, from_reload.deals[i].p_model) << from_live.deals[i].id;
    EXPECT_EQ(from_live.deals[i].p_slip, from_reload.deals[i].p_slip);
    ASSERT_EQ(from_live.deals[i].up.size(), from_reload.deals[i].up.size());
    for (size_t k = 0; k < from_reload.deals[i].up.size(); ++k) {
      EXPECT_EQ(from_live.deals[i].up[k].label, from_reload.deals[i].up[k].label);
    }
  }
  ASSERT_EQ(from_live.totals.size(), from_reload.totals.size());
  for (size_t i = 0; i < from_reload.totals.size(); ++i) {
    EXPECT_EQ(from_live.totals[i].expected, from_reload.totals[i].expected);
    EXPECT_EQ(from_live.totals[i].p10, from_reload.totals[i].p10);
    EXPECT_EQ(from_live.totals[i].p50, from_reload.totals[i].p50);
    EXPECT_EQ(from_live.totals[i].p90, from_reload.totals[i].p90);
  }
  ASSERT_EQ(from_live.fan.size(), from_reload.fan.size());
  for (size_t i = 0; i < from_reload.fan.size(); ++i) {
    ASSERT_EQ(from_live.fan[i].second.size(), from_reload.fan[i].second.size());
    for (size_t k = 0; k < from_reload.fan[i].second.size(); ++k) {
      EXPECT_EQ(from_live.fan[i].second[k].closed_won, from_reload.fan[i].second[k].closed_won);
      EXPECT_EQ(from_live.fan[i].second[k].p50, from_reload.fan[i].second[k].p50);
    }
  }
  ASSERT_EQ(from_live.optimism.size(), from_reload.optimism.size());
  for (size_t i = 0; i < from_reload.optimism.size(); ++i) {
    EXPECT_EQ(from_live.optimism[i].rep, from_reload.optimism[i].rep);
    EXPECT_EQ(from_live.optimism[i].examples, from_reload.optimism[i].examples);
    EXPECT_DOUBLE_EQ(from_live.optimism[i].optimism, from_reload.optimism[i].optimism);
  }
}

// --- a writer of random changes ----------------------------------------------------------------

class RandomWriter {
 public:
  RandomWriter(storage::Store& store, FakeClock& clock, uint64_t seed)
      : store_(store), clock_(clock), rng_(seed) {}

  Status Load() {
    auto ids = [this](auto& repository, std::vector<int64_t>& out) -> Status {
      return repository.ScanFields(ListQuery{}, {"id"}, [&](std::span<const FieldValue> r) {
        out.push_back(r[0].integer);
        return Status::Ok();
      });
    };
    SB_RETURN_IF_ERROR(ids(store_.accounts(), accounts_));
    SB_RETURN_IF_ERROR(ids(store_.contacts(), contacts_));
    SB_RETURN_IF_ERROR(ids(store_.opportunities(), deals_));
    SB_RETURN_IF_ERROR(ids(store_.activities(), activities_));
    SB_RETURN_IF_ERROR(ids(store_.orders(), orders_));
    SB_RETURN_IF_ERROR(ids(store_.users(), users_));
    SB_RETURN_IF_ERROR(ids(store_.teams(), teams_));
    SB_ASSIGN_OR_RETURN(ActivePlaybooks playbooks, LoadActivePlaybooks(store_));
    for (const auto& c : playbooks.opportunity.playbook.criteria) {
      if (!c.auto_rule) deal_criteria_.push_back(c.id);
    }
    for (const auto& c : playbooks.account.playbook.criteria) {
      if (!c.auto_rule) account_criteria_.push_back(c.id);
    }
    return Status::Ok();
  }

  // One write of a random kind; returns its kind's name.
  Result<std::string> WriteOne() {
    clock_.Advance(std::chrono::seconds(1));
    now_ = clock_.Now();
    today_ = ToDate(now_);
    const int kind = Pick(19);
    switch (kind) {
      case 0: return Named("stage", MoveStage());
      case 1: return Named("amount", ChangeDeal([this](Opportunity& o) {
                o.amount.minor_units = Pick(5000) * 10000;
              }));
      case 2: return Named("dates", ChangeDeal([this](Opportunity& o) {
                o.close_on = today_ + std::chrono::days(Pick(200) - 60);
                o.next_step_on = today_ + std::chrono::days(Pick(40) - 20);
                o.next_step = Pick(2) ? "Call back" : "";
              }));
      case 3: return Named("new activity", NewActivity());
      case 4: return Named("activity", ChangeActivity());
      case 5: return Named("delete activity", DeleteActivity());
      case 6: return Named("deal answer", NewAnswer(SubjectType::kOpportunity));
      case 7: return Named("account answer", NewAnswer(SubjectType::kAccount));
      case 8: return Named("new order", NewOrder());
      case 9: return Named("delete order", DeleteOrder());
      case 10: return Named("new contact", NewContact());
      case 11: return Named("contact role", ChangeContact([this](Contact& c) {
                 c.buying_role = static_cast<BuyingRole>(Pick(9));
               }));
      case 12: return Named("contact", ChangeContact([this](Contact& c) {
                 c.relationship_strength = Pick(3) ? std::optional<int64_t>(Pick(5)) : std::nullopt;
                 if (Pick(4) == 0) c.account_id = AccountId{Any(accounts_)};
               }));
      case 13: return Named("deal owner", ChangeDeal([this](Opportunity& o) {
                 o.owner_id = Pick(10) ? std::optional<UserId>(UserId{Any(users_)}) : std::nullopt;
                 o.competitors = Pick(2) ? "Acme" : "";
                 o.product_lines = Pick(2) ? "Pumps;Service" : "";
               }));
      case 14: return Named("account", ChangeAccount());
      case 15: return Named("new deal", NewDeal());
      case 16: return Named("delete deal", DeleteDeal());
      case 17: return Named("new account", NewAccount());
      default: return Named("user", ChangeUser());
    }
  }

 private:
  int64_t Pick(int64_t n) { return std::uniform_int_distribution<int64_t>(0, n - 1)(rng_); }
  int64_t Any(const std::vector<int64_t>& ids) { return ids[static_cast<size_t>(Pick(static_cast<int64_t>(ids.size())))]; }
  static Result<std::string> Named(std::string name, Status status) {
    SB_RETURN_IF_ERROR(status.WithContext(name));
    return name;
  }

  Status Record(const Opportunity& o) {
    OpportunityChange change;
    change.opportunity_id = o.id;
    change.changed_at = now_;
    change.stage = o.stage;
    change.amount = o.amount;
    change.probability = o.probability;
    change.close_on = o.close_on;
    change.next_step_on = o.next_step_on;
    return store_.opportunity_changes().Insert(change).status();
  }

  template <typename F>
  Status ChangeDeal(F change) {
    SB_ASSIGN_OR_RETURN(Opportunity o, store_.opportunities().Get(OpportunityId{Any(deals_)}));
    change(o);
    o.updated_at = now_;
    return store_.Transact([&](storage::Store& s) -> Status {
      SB_RETURN_IF_ERROR(s.opportunities().Update(o));
      return Record(o);
    });
  }

  Status MoveStage() {
    return ChangeDeal([this](Opportunity& o) {
      const int step = static_cast<int>(Pick(7));
      o.stage = static_cast<Stage>(std::min(step, 6));
      if (IsClosed(o.stage)) {
        o.closed_on = today_;
        o.probability = o.stage == Stage::kClosedWon ? 1.0 : 0.0;
      } else {
        o.closed_on.reset();
        o.probability = Pick(2) ? std::optional<double>(Pick(100) / 100.0) : std::nullopt;
      }
    });
  }

  Status NewActivity() {
    Activity a;
    a.type = static_cast<ActivityType>(Pick(7));
    a.status = Pick(3) ? ActivityStatus::kCompleted : ActivityStatus::kPlanned;
    a.at = now_ - std::chrono::days(Pick(420)) + std::chrono::days(a.status == ActivityStatus::kPlanned ? Pick(60) : 0);
    if (a.at > now_ && a.status == ActivityStatus::kCompleted) a.at = now_;
    a.owner_id = UserId{Any(users_)};
    if (Pick(4)) a.account_id = AccountId{Any(accounts_)};
    if (Pick(2)) a.contact_id = ContactId{Any(contacts_)};
    if (Pick(2)) a.opportunity_id = OpportunityId{Any(deals_)};
    a.created_at = now_;
    a.updated_at = now_;
    SB_ASSIGN_OR_RETURN(ActivityId id, store_.activities().Insert(a));
    activities_.push_back(id.value);
    return Status::Ok();
  }

  Status ChangeActivity() {
    SB_ASSIGN_OR_RETURN(Activity a, store_.activities().Get(ActivityId{Any(activities_)}));
    switch (Pick(4)) {
      case 0: a.status = a.status == ActivityStatus::kCompleted ? ActivityStatus::kPlanned
                                                                : ActivityStatus::kCompleted; break;
      case 1: a.opportunity_id = Pick(2) ? std::optional<OpportunityId>(OpportunityId{Any(deals_)}) : std::nullopt; break;
      case 2: a.contact_id = Pick(2) ? std::optional<ContactId>(ContactId{Any(contacts_)}) : std::nullopt; break;
      default: a.type = static_cast<ActivityType>(Pick(7)); a.account_id = Pick(3) ? std::optional<AccountId>(AccountId{Any(accounts_)}) : std::nullopt;
    }
    a.updated_at = now_;
    return store_.activities().Update(a);
  }

  Status DeleteActivity() {
    const size_t at = static_cast<size_t>(Pick(static_cast<int64_t>(activities_.size())));
    // An activity an action item refers to cannot go (RESTRICT): then nothing is written.
    if (!store_.activities().Delete(ActivityId{activities_[at]}).ok()) return Status::Ok();
    activities_.erase(activities_.begin() + static_cast<std::ptrdiff_t>(at));
    return Status::Ok();
  }

  Status NewAnswer(SubjectType type) {
    ScorecardAnswer answer;
    answer.subject_type = type;
    const auto& criteria = type == SubjectType::kOpportunity ? deal_criteria_ : account_criteria_;
    answer.subject_id = type == SubjectType::kOpportunity ? Any(deals_) : Any(accounts_);
    answer.criterion_id = criteria[static_cast<size_t>(Pick(static_cast<int64_t>(criteria.size())))];
    answer.answer = static_cast<Answer>(Pick(3));
    answer.answered_at = now_;
    return store_.scorecard_answers().Upsert(answer).status();
  }

  Status NewOrder() {
    Order order;
    order.account_id = AccountId{Any(accounts_)};
    order.ordered_on = today_ - std::chrono::days(Pick(800));
    SB_ASSIGN_OR_RETURN(Currency currency, Currency::Parse(Pick(2) ? "DKK" : "SEK"));
    order.revenue = Money{Pick(1000) * 1000, currency};
    order.margin = Money{order.revenue.minor_units / 3, currency};
    order.created_at = now_;
    order.updated_at = now_;
    SB_ASSIGN_OR_RETURN(OrderId id, store_.orders().Insert(order));
    orders_.push_back(id.value);
    return Status::Ok();
  }

  Status DeleteOrder() {
    const size_t at = static_cast<size_t>(Pick(static_cast<int64_t>(orders_.size())));
    SB_RETURN_IF_ERROR(store_.orders().Delete(OrderId{orders_[at]}));
    orders_.erase(orders_.begin() + static_cast<std::ptrdiff_t>(at));
    return Status::Ok();
  }

  Status NewContact() {
    Contact c;
    c.account_id = AccountId{Any(accounts_)};
    c.name = "Kontakt " + std::to_string(Pick(100000));
    c.buying_role = static_cast<BuyingRole>(Pick(9));
    c.relationship_strength = Pick(5);
    c.created_at = now_;
    c.updated_at = now_;
    SB_ASSIGN_OR_RETURN(ContactId id, store_.contacts().Insert(c));
    contacts_.push_back(id.value);
    return Status::Ok();
  }

  template <typename F>
  Status ChangeContact(F change) {
    SB_ASSIGN_OR_RETURN(Contact c, store_.contacts().Get(ContactId{Any(contacts_)}));
    change(c);
    c.updated_at = now_;
    return store_.contacts().Update(c);
  }

  Status ChangeAccount() {
    SB_ASSIGN_OR_RETURN(Account a, store_.accounts().Get(AccountId{Any(accounts_)}));
    if (Pick(2)) {
      a.owner_id = UserId{Any(users_)};
    } else {
      static constexpr const char* kClasses[] = {"", "A", "B", "C"};
      a.abc_class = kClasses[Pick(4)];
    }
    a.name += Pick(2) ? "" : " A/S";
    a.updated_at = now_;
    return store_.accounts().Update(a);
  }

  Status NewDeal() {
    Opportunity o;
    o.account_id = AccountId{Any(accounts_)};
    o.name = "Ny handel " + std::to_string(Pick(100000));
    o.owner_id = UserId{Any(users_)};
    o.stage = static_cast<Stage>(Pick(5));
    SB_ASSIGN_OR_RETURN(Currency currency, Currency::Parse("DKK"));
    o.amount = Money{Pick(100) * 100000, currency};
    o.created_on = today_;
    o.close_on = today_ + std::chrono::days(Pick(120));
    o.created_at = now_;
    o.updated_at = now_;
    return store_.Transact([&](storage::Store& s) -> Status {
      SB_ASSIGN_OR_RETURN(o.id, s.opportunities().Insert(o));
      deals_.push_back(o.id.value);
      return Record(o);
    });
  }

  // A deal with everything that refers to it: its activities are unlinked, its history goes.
  Status DeleteDeal() {
    const size_t at = static_cast<size_t>(Pick(static_cast<int64_t>(deals_.size())));
    const int64_t id = deals_[at];
    Status status = store_.Transact([&](storage::Store& s) -> Status {
      ListQuery linked;
      linked.filters.push_back(storage::Match("opportunity_id", storage::FilterOp::kEq, {id}));
      SB_ASSIGN_OR_RETURN(std::vector<Activity> activities, s.activities().List(linked));
      for (Activity& a : activities) {
        a.opportunity_id.reset();
        a.updated_at = now_;
        SB_RETURN_IF_ERROR(s.activities().Update(a));
      }
      SB_ASSIGN_OR_RETURN(std::vector<OpportunityChange> history,
                          s.opportunity_changes().List(linked));
      for (const OpportunityChange& c : history) {
        SB_RETURN_IF_ERROR(s.opportunity_changes().Delete(c.id));
      }
      return s.opportunities().Delete(OpportunityId{id});
    });
    if (!status.ok()) return Status::Ok();  // referred to elsewhere: rolled back, nothing written
    deals_.erase(deals_.begin() + static_cast<std::ptrdiff_t>(at));
    return Status::Ok();
  }

  Status NewAccount() {
    Account a;
    a.name = "Nyt firma " + std::to_string(Pick(100000));
    a.country = "DK";
    a.owner_id = UserId{Any(users_)};
    a.created_at = now_;
    a.updated_at = now_;
    SB_ASSIGN_OR_RETURN(AccountId id, store_.accounts().Insert(a));
    accounts_.push_back(id.value);
    return Status::Ok();
  }

  Status ChangeUser() {
    SB_ASSIGN_OR_RETURN(User u, store_.users().Get(UserId{Any(users_)}));
    u.name += "!";
    u.team_id = TeamId{Any(teams_)};
    u.updated_at = now_;
    return store_.users().Update(u);
  }

  storage::Store& store_;
  FakeClock& clock_;
  std::mt19937_64 rng_;
  Timestamp now_{};
  Date today_{};
  std::vector<int64_t> accounts_, contacts_, deals_, activities_, orders_, users_, teams_;
  std::vector<std::string> deal_criteria_, account_criteria_;
};

Result<std::unique_ptr<storage::Store>> SmallDemo() {
  SB_ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store, storage::OpenStore("sqlite::memory:"));
  demo::DemoOptions options;
  options.seed = 7;
  options.scale = 0.1;
  options.today = test::DemoToday();
  SB_RETURN_IF_ERROR(demo::GenerateDemoCompany(*store, options).status());
  return store;
}

TEST(LiveFactsTest, DeltasAfterTenThousandRandomWritesEqualAFullReload) {
  SB_ASSERT_OK_AND_ASSIGN(std::unique_ptr<storage::Store> store, SmallDemo());
  FakeClock clock("2025-06-02T00:00:05Z");
  LiveFacts live(*store, clock, LiveFacts::Options{});
  SB_ASSERT_OK_AND_ASSIGN(std::shared_ptr<const FactSnapshot> first, live.ApplyPending());
  ASSERT_NE(first->model, nullptr);
  // The learned model, not the stage-rate fallback: every feature (the owner's win rate, the
  // account's roles, activities, answers) reaches the probabilities being compared.
  ASSERT_EQ(first->model->method, ForecastMethod::kModel) << first->model->method_reason;
  ASSERT_GT(first->audit->input.opportunities.size(), 50u);
  ASSERT_NO_FATAL_FAILURE(ExpectSameAsReload(*first, *store));

  RandomWriter writer(*store, clock, 20261207);
  SB_ASSERT_OK(writer.Load());
  std::mt19937 batches(11);
  std::map<std::string, int> kinds;
  int writes = 0;
  while (writes < 10'500) {
    const int batch = std::uniform_int_distribution<int>(1, 40)(batches);
    for (int k = 0; k < batch; ++k, ++writes) {
      Result<std::string> kind = writer.WriteOne();
      ASSERT_TRUE(kind.ok()) << kind.status().ToString();
      ++kinds[*kind];
    }
    SB_ASSERT_OK_AND_ASSIGN(std::shared_ptr<const FactSnapshot> now, live.ApplyPending());
    SB_ASSERT_OK_AND_ASSIGN(int64_t head, store->change_feed().Head());
    ASSERT_EQ(now->feed_seq, head);
    if (writes / 2500 != (writes - batch) / 2500) {
      SCOPED_TRACE("after " + std::to_string(writes) + " writes");
      ASSERT_NO_FATAL_FAILURE(ExpectSameAsReload(*now, *store));
    }
  }
  SB_ASSERT_OK_AND_ASSIGN(std::shared_ptr<const FactSnapshot> last, live.ApplyPending());
  ASSERT_NO_FATAL_FAILURE(ExpectSameAsReload(*last, *store));
  EXPECT_EQ(kinds.size(), 19u);  // every kind of write happened
  for (const auto& [kind, count] : kinds) EXPECT_GT(count, 300) << kind;
  const LiveFactsStats stats = live.stats();
  EXPECT_EQ(stats.full_loads, 1u) << stats.last_reload_reason;  // deltas only after the start
  EXPECT_GT(stats.deltas, 400u);
  EXPECT_GE(last->version, stats.deltas + 1);
}

TEST(LiveFactsTest, FallsBackToAReloadForPlaybooksBulkLoadsAndANewDay) {
  SB_ASSERT_OK_AND_ASSIGN(std::unique_ptr<storage::Store> store, SmallDemo());
  FakeClock clock("2025-06-02T08:00:00Z");
  LiveFacts live(*store, clock, LiveFacts::Options{});
  SB_ASSERT_OK(live.ApplyPending().status());
  EXPECT_EQ(live.stats().full_loads, 1u);

  // A segment changes (every account's core flag may move): a reload.
  SB_ASSERT_OK_AND_ASSIGN(std::vector<Segment> segments, store->segments().List({}));
  ASSERT_FALSE(segments.empty());
  segments[0].core = !segments[0].core;
  SB_ASSERT_OK(store->segments().Update(segments[0]));
  SB_ASSERT_OK(live.ApplyPending().status());
  EXPECT_EQ(live.stats().full_loads, 2u);
  EXPECT_EQ(live.stats().last_reload_reason, "segments changed");

  // A bulk load writes no entries but one "*".
  SB_ASSERT_OK(store->BulkLoad([](storage::Store& s) -> Status {
    Account a;
    a.name = "Bulk";
    return s.accounts().Insert(a).status();
  }));
  SB_ASSERT_OK_AND_ASSIGN(std::shared_ptr<const FactSnapshot> after_bulk, live.ApplyPending());
  EXPECT_EQ(live.stats().last_reload_reason, "a bulk load");
  ASSERT_NO_FATAL_FAILURE(ExpectSameAsReload(*after_bulk, *store));

  // The next day: facts as of the new day.
  clock.Advance(std::chrono::hours(24));
  SB_ASSERT_OK_AND_ASSIGN(std::shared_ptr<const FactSnapshot> tomorrow, live.ApplyPending());
  EXPECT_EQ(tomorrow->day, MakeDate(2025, 6, 3));
  EXPECT_EQ(live.stats().last_reload_reason, "a new day");

  // A pruned feed behind the facts: a reload.
  SB_ASSERT_OK(store->orders().Delete(OrderId{1}));
  SB_ASSERT_OK_AND_ASSIGN(int64_t head, store->change_feed().Head());
  SB_ASSERT_OK(store->change_feed().Prune(head));
  SB_ASSERT_OK(live.ApplyPending().status());
  EXPECT_EQ(live.stats().last_reload_reason, "the change feed was pruned past the facts");
}

TEST(LiveFactsTest, ReadersTakeSnapshotsWhileTheThreadAppliesWrites) {
  SB_ASSERT_OK_AND_ASSIGN(std::unique_ptr<storage::Store> store, SmallDemo());
  FakeClock clock("2025-06-02T08:00:00Z");
  LiveFacts::Options options;
  options.poll = std::chrono::milliseconds(20);
  LiveFacts live(*store, clock, options);
  EXPECT_EQ(live.Current(), nullptr);
  live.Start();
  SB_ASSERT_OK_AND_ASSIGN(std::shared_ptr<const FactSnapshot> first,
                          live.AtLeast(0, std::chrono::seconds(60)));
  ASSERT_NE(first, nullptr);

  // A write, then a read that must see it (the writer's own next read).
  SB_ASSERT_OK_AND_ASSIGN(Opportunity deal, store->opportunities().Get(OpportunityId{
                                                first->audit->input.opportunities[0].id}));
  deal.amount.minor_units += 100;
  deal.updated_at = clock.Now();
  SB_ASSERT_OK(store->opportunities().Update(deal));
  SB_ASSERT_OK_AND_ASSIGN(int64_t head, store->change_feed().Head());
  live.Wake();
  SB_ASSERT_OK_AND_ASSIGN(std::shared_ptr<const FactSnapshot> fresh,
                          live.AtLeast(head, std::chrono::seconds(10)));
  EXPECT_GE(fresh->feed_seq, head);
  const int32_t index = fresh->audit->opportunity_index.Find(deal.id.value);
  EXPECT_EQ(fresh->audit->input.opportunities[static_cast<size_t>(index)].amount.minor_units,
            deal.amount.minor_units);
  EXPECT_EQ(fresh->forecast->Deal(deal.id.value)->amount.minor_units, deal.amount.minor_units);
  // The old snapshot is untouched.
  const int32_t old_index = first->audit->opportunity_index.Find(deal.id.value);
  EXPECT_EQ(first->audit->input.opportunities[static_cast<size_t>(old_index)].amount.minor_units,
            deal.amount.minor_units - 100);
  // Merged in place (fact_merge.cc note 4): the new snapshot shares the old one's chunks except
  // those of the deal, its account and the forecast rows appended after the last chunk.
  auto copied = [](const auto& now, const auto& before) {
    return now.chunk_count() - now.SharedChunks(before);
  };
  const auto& a0 = first->audit->input;
  const auto& a1 = fresh->audit->input;
  const auto& f0 = *first->forecast;
  const auto& f1 = *fresh->forecast;
  ASSERT_GE(f0.activities.chunk_count(), 3u) << "the demo is too small to show sharing";
  EXPECT_LE(copied(a1.opportunities, a0.opportunities), 1u);
  EXPECT_LE(copied(a1.accounts, a0.accounts), 1u);
  EXPECT_LE(copied(fresh->audit->opportunity_results, first->audit->opportunity_results), 1u);
  EXPECT_LE(copied(f1.deals, f0.deals), 1u);
  EXPECT_LE(copied(f1.activities, f0.activities), 2u);
  EXPECT_LE(copied(f1.answers, f0.answers), 2u);
  EXPECT_TRUE(f1.account_names.SharesWith(f0.account_names));
  live.Stop();
}

// The facts kept on disk between runs (fact_file.h).
std::string TempFactFile(const std::string& name) {
  return ::testing::TempDir() + "salesbox_" + name + "_" + std::to_string(::getpid()) + ".facts";
}

TEST(FactFileTest, ARestartReadsTheFileAndReplaysOnlyTheFeedSinceThen) {
  SB_ASSERT_OK_AND_ASSIGN(std::unique_ptr<storage::Store> store, SmallDemo());
  FakeClock clock("2025-06-02T08:00:00Z");
  const std::string path = TempFactFile("restart");
  std::remove(path.c_str());
  LiveFacts::Options options;
  options.fact_file = path;
  RandomWriter writer(*store, clock, 77);
  SB_ASSERT_OK(writer.Load());
  {
    LiveFacts first(*store, clock, options);
    SB_ASSERT_OK(first.ApplyPending().status());
    EXPECT_EQ(first.stats().full_loads, 1u);
    for (int i = 0; i < 300; ++i) SB_ASSERT_OK(writer.WriteOne().status());
    SB_ASSERT_OK(first.ApplyPending().status());
    first.Stop();  // keeps what the deltas added
  }
  for (int i = 0; i < 200; ++i) SB_ASSERT_OK(writer.WriteOne().status());  // while "down"
  LiveFacts second(*store, clock, options);
  SB_ASSERT_OK_AND_ASSIGN(std::shared_ptr<const FactSnapshot> now, second.ApplyPending());
  EXPECT_EQ(second.stats().full_loads, 0u) << second.stats().last_reload_reason;
  EXPECT_EQ(second.stats().file_reads, 1u);
  EXPECT_GT(second.stats().deltas, 0u);
  SB_ASSERT_OK_AND_ASSIGN(int64_t head, store->change_feed().Head());
  EXPECT_EQ(now->feed_seq, head);
  ASSERT_NO_FATAL_FAILURE(ExpectSameAsReload(*now, *store));
  std::remove(path.c_str());
}

TEST(FactFileTest, ADamagedForeignOrOldFileIsNotUsed) {
  SB_ASSERT_OK_AND_ASSIGN(std::unique_ptr<storage::Store> store, SmallDemo());
  FakeClock clock("2025-06-02T08:00:00Z");
  LiveFacts live(*store, clock, LiveFacts::Options{});
  SB_ASSERT_OK_AND_ASSIGN(std::shared_ptr<const FactSnapshot> snapshot, live.ApplyPending());
  SB_ASSERT_OK_AND_ASSIGN(std::string id, store->DatabaseId());
  EXPECT_EQ(id.size(), 32u);
  SB_ASSERT_OK_AND_ASSIGN(ActivePlaybooks playbooks, LoadActivePlaybooks(*store));
  const std::string path = TempFactFile("damaged");
  SB_ASSERT_OK(WriteFactFile(*snapshot, id, path));
  SB_ASSERT_OK_AND_ASSIGN(std::shared_ptr<FactSnapshot> read, ReadFactFile(path, id, playbooks));
  ASSERT_NO_FATAL_FAILURE(ExpectSameAsReload(*read, *store));

  EXPECT_THAT(ReadFactFile(path, "another database", playbooks),
              StatusIs(StatusCode::kFailedPrecondition));
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  ASSERT_GT(bytes.size(), 1000u);
  // Every kind of damage is refused, none crashes: a flipped byte anywhere, a cut anywhere.
  for (size_t at : {size_t{60}, bytes.size() / 3, bytes.size() / 2, bytes.size() - 3}) {
    std::string bad = bytes;
    bad[at] = static_cast<char>(bad[at] ^ 0x5a);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bad;
    Result<std::shared_ptr<FactSnapshot>> damaged = ReadFactFile(path, id, playbooks);
    EXPECT_FALSE(damaged.ok()) << "byte " << at;
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes.substr(0, at);
    EXPECT_FALSE(ReadFactFile(path, id, playbooks).ok()) << "cut at " << at;
  }
  EXPECT_THAT(ReadFactFile(path + ".missing", id, playbooks), StatusIs(StatusCode::kNotFound));

  // A damaged file at start: the facts are loaded from the store instead.
  LiveFacts::Options options;
  options.fact_file = path;
  LiveFacts restarted(*store, clock, options);
  SB_ASSERT_OK(restarted.ApplyPending().status());
  EXPECT_EQ(restarted.stats().file_reads, 0u);
  EXPECT_EQ(restarted.stats().full_loads, 1u);
  // ... and a file of yesterday is not read today.
  restarted.Stop();
  clock.Advance(std::chrono::hours(24));
  LiveFacts tomorrow(*store, clock, options);
  SB_ASSERT_OK(tomorrow.ApplyPending().status());
  EXPECT_EQ(tomorrow.stats().file_reads, 0u);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace salesbox::service::facts

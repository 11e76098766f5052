// SPDX-License-Identifier: MIT
// service/pipeline_audit against a real in-memory SQLite store. A small company is built by hand
// (two teams, six accounts with contacts in buying roles, open and closed deals in DKK and SEK,
// completed and planned activities, orders over three years, scorecard answers at different
// instants), and every expectation below is computed by hand from the default playbooks
// (playbooks/default-*.json) and DESIGN.md section 2, not by calling the code under test.
//
// The fixture, as of D = 2025-06-30 (day offsets relative to D; "-20" is 20 days before D):
//
//   Nord: manager mgr (locale da), reps rep1, rep2 (sv)     Syd: rep3     exec, mkt, admin
//   segments: Core (core), Other
//
//   account  owner seg    abc  contacts (role strength)          orders (margin, age)
//   alfa     rep1  Core   -    eb1 (EB 4) champ1 (champion 3)      DKK 180k -30, 200k -400,
//                                tech1 (technical 3)               130k -800
//   beta     rep2  Other  B    eb2 (EB 2) user2 (user, none)      SEK 80k -200, 80k -600
//   gamma    rep1  -      -    champ3 (champion 4)                DKK 999k -365 (not a customer)
//   delta    rep3  Core   -    gen4 (no role)                     DKK 100k -100, 200k -500
//   epsilon  rep2  Other  -    eb5 (EB 1)                         DKK 150k -364
//   zeta     rep1  -      -    -                                  DKK 40k -10, 10000k -1096
//   eta      rep3  -      -    -                                  DKK 0 -300
//
//   deal  account  owner stage      amount          created close next  competitors
//   o1    alfa     rep1  propose    1,000,000 DKK   -60     +30   +7    Visma
//   o2    beta     rep2  negotiate    500,000 SEK   -90     +20   -3    -
//   o3    gamma    rep1  qualify      200,000 DKK   -10     +60   -     -
//   o4    delta    rep3  discover     300,000 DKK   -50     -1    +1    -
//   o5    alfa     rep1  commit       750,000 DKK   -40     +14   +2    Visma;Microsoft
//   o8    epsilon  mgr   qualify      100,000 DKK   -45     +90   -     -
//   w1    alfa     rep1  won (-100), lines "Software; Service"; w4 delta rep3 won (-200),
//   "Hardware"; lost6 beta rep2 lost (-20), "Consulting;Training"
#include "service/pipeline_audit.h"

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "analytics/audit/audit.h"
#include "analytics/audit/playbook.h"
#include "service/auth.h"
#include "service/record_service.h"
#include "storage/open_store.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"

// The fixture's designated initializers name only what differs from the defaults.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace salesbox::service {
namespace {

namespace audit = analytics::audit;
using ::salesbox::test::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using json = nlohmann::json;
using std::chrono::days;
using std::chrono::hours;
using std::chrono::seconds;
using Strings = std::vector<std::string>;

std::string ShippedJson(std::string_view name) {
  for (const audit::ShippedPlaybook& p : audit::ShippedPlaybooks()) {
    if (p.name == name) return std::string(p.json);
  }
  ADD_FAILURE() << "no shipped playbook " << name;
  return std::string();
}

// A deal of the fixture. Offsets are days relative to D.
struct DealSpec {
  std::string name, account, owner;
  Stage stage = Stage::kQualify;
  int64_t amount = 0;
  std::string currency = "DKK";
  int created = -30;
  std::optional<int> close, next_step, closed;
  std::string competitors, product_lines;
};

class PipelineAuditTest : public ::testing::Test {
 protected:
  void SetUp() override { SB_ASSERT_OK_AND_ASSIGN(store_, storage::OpenStore("sqlite::memory:")); }

  // --- dates ----------------------------------------------------------------------------------

  static Date D() { return MakeDate(2025, 6, 30); }
  static Date On(int offset) { return D() + days(offset); }
  static Timestamp At(int offset, int hour = 10) { return StartOf(On(offset)) + hours(hour); }
  static Timestamp LongAgo() { return StartOf(MakeDate(2021, 1, 4)) + hours(9); }

  // --- building the world ---------------------------------------------------------------------

  int64_t Id(const std::string& name) const {
    auto it = id_.find(name);
    EXPECT_NE(it, id_.end()) << name;
    return it == id_.end() ? -1 : it->second;
  }
  const Principal& P(const std::string& user) { return principals_.at(user); }

  void AddTeam(const std::string& name) {
    Team team;
    team.name = name;
    team.created_at = team.updated_at = LongAgo();
    SB_ASSERT_OK_AND_ASSIGN(TeamId id, store_->teams().Insert(team));
    id_[name] = id.value;
  }

  void AddUser(const std::string& name, Role role, const std::string& team,
               const std::string& locale = "en") {
    User user;
    user.email = name + "@example.com";
    user.name = "User " + name;
    user.role = role;
    if (!team.empty()) user.team_id = TeamId{Id(team)};
    user.locale = locale;
    user.created_at = user.updated_at = LongAgo();
    SB_ASSERT_OK_AND_ASSIGN(UserId id, store_->users().Insert(user));
    id_[name] = id.value;
  }

  void SetManager(const std::string& team_name, const std::string& manager) {
    SB_ASSERT_OK_AND_ASSIGN(Team team, store_->teams().Get(TeamId{Id(team_name)}));
    team.manager_id = UserId{Id(manager)};
    SB_ASSERT_OK(store_->teams().Update(team));
  }

  void AddSegment(const std::string& name, bool core) {
    Segment segment;
    segment.name = name;
    segment.core = core;
    segment.created_at = segment.updated_at = LongAgo();
    SB_ASSERT_OK_AND_ASSIGN(SegmentId id, store_->segments().Insert(segment));
    id_[name] = id.value;
  }

  void AddAccount(const std::string& name, const std::string& owner, const std::string& segment,
                  const std::string& abc = "") {
    Account account;
    account.external_id = "ext-" + name;
    account.name = name + " A/S";
    account.owner_id = UserId{Id(owner)};
    if (!segment.empty()) account.segment_id = SegmentId{Id(segment)};
    account.abc_class = abc;
    account.created_at = account.updated_at = LongAgo();
    SB_ASSERT_OK_AND_ASSIGN(AccountId id, store_->accounts().Insert(account));
    id_[name] = id.value;
  }

  void AddContact(const std::string& name, const std::string& account, BuyingRole role,
                  std::optional<int64_t> strength, Timestamp created = LongAgo()) {
    Contact contact;
    contact.external_id = "ext-" + name;
    contact.account_id = AccountId{Id(account)};
    contact.name = name;
    contact.buying_role = role;
    contact.relationship_strength = strength;
    contact.created_at = contact.updated_at = created;
    SB_ASSERT_OK_AND_ASSIGN(ContactId id, store_->contacts().Insert(contact));
    id_[name] = id.value;
  }

  // Inserts the deal and, as RecordService and the import do, its first history row.
  void AddDeal(const DealSpec& spec) {
    Opportunity o;
    o.external_id = "ext-" + spec.name;
    o.account_id = AccountId{Id(spec.account)};
    o.name = spec.name;
    o.owner_id = UserId{Id(spec.owner)};
    o.stage = spec.stage;
    o.amount = Money{spec.amount, Currency::Parse(spec.currency).value()};
    o.created_on = On(spec.created);
    if (spec.close) o.close_on = On(*spec.close);
    if (spec.next_step) {
      o.next_step = "next step of " + spec.name;
      o.next_step_on = On(*spec.next_step);
    }
    if (spec.closed) {
      o.closed_on = On(*spec.closed);
      o.close_on = o.closed_on;
      o.forecast_category = ForecastCategory::kClosed;
    }
    o.competitors = spec.competitors;
    o.product_lines = spec.product_lines;
    o.created_at = o.updated_at = At(spec.created, 9);
    SB_ASSERT_OK_AND_ASSIGN(OpportunityId id, store_->opportunities().Insert(o));
    id_[spec.name] = id.value;
    OpportunityChange change;
    change.opportunity_id = id;
    change.changed_at = o.created_at;
    change.stage = o.stage;
    change.amount = o.amount;
    change.close_on = o.close_on;
    change.next_step_on = o.next_step_on;
    change.changed_by = o.owner_id;
    SB_ASSERT_OK(store_->opportunity_changes().Insert(change).status());
  }

  struct ActivitySpec {
    std::string name;
    ActivityType type = ActivityType::kCall;
    ActivityStatus status = ActivityStatus::kCompleted;
    Timestamp at{};
    std::string owner, account, contact, deal;
    std::optional<Timestamp> created;  // default: `at`
  };
  void AddActivity(const ActivitySpec& spec) {
    Activity a;
    a.external_id = "ext-" + spec.name;
    a.type = spec.type;
    a.status = spec.status;
    a.at = spec.at;
    a.owner_id = UserId{Id(spec.owner)};
    if (!spec.account.empty()) a.account_id = AccountId{Id(spec.account)};
    if (!spec.contact.empty()) a.contact_id = ContactId{Id(spec.contact)};
    if (!spec.deal.empty()) a.opportunity_id = OpportunityId{Id(spec.deal)};
    a.created_at = a.updated_at = spec.created.value_or(spec.at);
    SB_ASSERT_OK_AND_ASSIGN(ActivityId id, store_->activities().Insert(a));
    id_[spec.name] = id.value;
  }

  void AddOrder(const std::string& account, int offset, int64_t margin,
                const std::string& currency = "DKK") {
    Order order;
    order.external_id = "ord-" + account + "-" + std::to_string(offset);
    order.account_id = AccountId{Id(account)};
    order.ordered_on = On(offset);
    const Currency c = Currency::Parse(currency).value();
    order.revenue = Money{margin * 4 + 10000, c};
    order.margin = Money{margin, c};
    order.created_at = order.updated_at = At(offset, 18);
    SB_ASSERT_OK(store_->orders().Insert(order).status());
  }

  void AddAnswer(SubjectType type, const std::string& subject, const std::string& criterion,
                 Answer answer, Timestamp at) {
    ScorecardAnswer a;
    a.subject_type = type;
    a.subject_id = Id(subject);
    a.criterion_id = criterion;
    a.answer = answer;
    a.note = "evidence";
    a.answered_at = at;
    SB_ASSERT_OK(store_->scorecard_answers().Insert(a).status());
  }
  void DealAnswer(const std::string& deal, const std::string& criterion, Answer answer,
                  Timestamp at) {
    AddAnswer(SubjectType::kOpportunity, deal, criterion, answer, at);
  }
  void AccountAnswer(const std::string& account, const std::string& criterion, Answer answer,
                     Timestamp at) {
    AddAnswer(SubjectType::kAccount, account, criterion, answer, at);
  }

  void LoadPrincipals() {
    for (const char* user : {"mgr", "rep1", "rep2", "rep3", "exec", "mkt", "admin"}) {
      Result<Principal> p = LoadPrincipal(*store_, UserId{Id(user)});
      ASSERT_TRUE(p.ok()) << user << ": " << p.status().ToString();
      principals_.insert_or_assign(user, *p);
    }
  }

  // Only people: for the playbook tests.
  void BuildPeople() {
    AddTeam("Nord");
    AddTeam("Syd");
    AddUser("mgr", Role::kManager, "Nord", "da");
    AddUser("rep1", Role::kRep, "Nord");
    AddUser("rep2", Role::kRep, "Nord", "sv");
    AddUser("rep3", Role::kRep, "Syd");
    AddUser("exec", Role::kExecutive, "");
    AddUser("mkt", Role::kMarketing, "");
    AddUser("admin", Role::kAdmin, "");
    SetManager("Nord", "mgr");
    LoadPrincipals();
  }

  // The company of the file comment.
  void BuildWorld() {
    BuildPeople();
    AddSegment("Core", true);
    AddSegment("Other", false);

    AddAccount("alfa", "rep1", "Core");
    AddAccount("beta", "rep2", "Other", "B");
    AddAccount("gamma", "rep1", "");
    AddAccount("delta", "rep3", "Core");
    AddAccount("epsilon", "rep2", "Other");
    AddAccount("zeta", "rep1", "");
    AddAccount("eta", "rep3", "");

    AddContact("eb1", "alfa", BuyingRole::kEconomicBuyer, 4);
    AddContact("champ1", "alfa", BuyingRole::kChampion, 3);
    AddContact("tech1", "alfa", BuyingRole::kTechnical, 3);
    AddContact("eb2", "beta", BuyingRole::kEconomicBuyer, 2);
    AddContact("user2", "beta", BuyingRole::kUser, std::nullopt);
    AddContact("champ3", "gamma", BuyingRole::kChampion, 4);
    AddContact("gen4", "delta", BuyingRole::kUnknown, std::nullopt);
    AddContact("eb5", "epsilon", BuyingRole::kEconomicBuyer, 1);

    // clang-format off
    AddDeal({.name = "o1", .account = "alfa", .owner = "rep1", .stage = Stage::kPropose,
             .amount = 100'000'000, .created = -60, .close = 30, .next_step = 7,
             .competitors = "Visma", .product_lines = "Software"});
    AddDeal({.name = "o2", .account = "beta", .owner = "rep2", .stage = Stage::kNegotiate,
             .amount = 50'000'000, .currency = "SEK", .created = -90, .close = 20,
             .next_step = -3});
    AddDeal({.name = "o3", .account = "gamma", .owner = "rep1", .stage = Stage::kQualify,
             .amount = 20'000'000, .created = -10, .close = 60});
    AddDeal({.name = "o4", .account = "delta", .owner = "rep3", .stage = Stage::kDiscover,
             .amount = 30'000'000, .created = -50, .close = -1, .next_step = 1});
    AddDeal({.name = "o5", .account = "alfa", .owner = "rep1", .stage = Stage::kCommit,
             .amount = 75'000'000, .created = -40, .close = 14, .next_step = 2,
             .competitors = "Visma;Microsoft"});
    AddDeal({.name = "o8", .account = "epsilon", .owner = "mgr", .stage = Stage::kQualify,
             .amount = 10'000'000, .created = -45, .close = 90});
    AddDeal({.name = "w1", .account = "alfa", .owner = "rep1", .stage = Stage::kClosedWon,
             .amount = 40'000'000, .created = -300, .closed = -100,
             .product_lines = "Software; Service"});
    AddDeal({.name = "w4", .account = "delta", .owner = "rep3", .stage = Stage::kClosedWon,
             .amount = 10'000'000, .created = -400, .closed = -200, .product_lines = "Hardware"});
    AddDeal({.name = "lost6", .account = "beta", .owner = "rep2", .stage = Stage::kClosedLost,
             .amount = 10'000'000, .currency = "SEK", .created = -80, .closed = -20,
             .product_lines = "Consulting;Training"});

    using T = ActivityType;
    const ActivityStatus planned = ActivityStatus::kPlanned;
    AddActivity({.name = "a1", .type = T::kMeeting, .at = At(-20), .owner = "rep1",
                 .account = "alfa", .contact = "eb1", .deal = "o1"});
    AddActivity({.name = "a2", .type = T::kDemo, .at = At(-14), .owner = "rep1",
                 .account = "alfa", .deal = "o1"});
    AddActivity({.name = "a3", .type = T::kCall, .at = At(-30), .owner = "rep1",
                 .account = "alfa", .contact = "champ1"});
    AddActivity({.name = "a4", .type = T::kMeeting, .at = At(-3), .owner = "rep1",
                 .account = "alfa", .contact = "eb1", .deal = "o5"});
    // Planned for yesterday and never done: counts for nothing.
    AddActivity({.name = "a5", .type = T::kCall, .status = planned, .at = At(-1),
                 .owner = "rep1", .account = "alfa", .deal = "o1", .created = At(-5)});
    // In the calendar on D, for after D.
    AddActivity({.name = "a6", .type = T::kMeeting, .status = planned, .at = At(10),
                 .owner = "rep1", .account = "alfa", .created = At(-5)});
    // 365 days before D: outside the 12 months.
    AddActivity({.name = "a7", .type = T::kCall, .at = At(-365), .owner = "rep1",
                 .account = "alfa", .contact = "tech1"});
    // The account comes from the contact.
    AddActivity({.name = "b1", .type = T::kMeeting, .at = At(-40), .owner = "rep2",
                 .contact = "eb2"});
    AddActivity({.name = "b2", .type = T::kEmail, .at = At(-15), .owner = "rep2",
                 .account = "beta", .contact = "user2", .deal = "o2"});
    AddActivity({.name = "b3", .type = T::kMeeting, .status = planned, .at = At(-2),
                 .owner = "rep2", .account = "beta", .contact = "eb2", .deal = "o2",
                 .created = At(-10)});
    AddActivity({.name = "b4", .type = T::kCall, .at = At(-16), .owner = "rep2",
                 .account = "beta", .contact = "eb2", .deal = "o2"});
    AddActivity({.name = "c1", .type = T::kCall, .at = At(-31), .owner = "rep1",
                 .account = "gamma", .contact = "champ3"});
    AddActivity({.name = "d1", .type = T::kCall, .at = At(-1), .owner = "rep3",
                 .account = "delta", .contact = "gen4", .deal = "o4"});
    // Planned for after D, but only put in the calendar after D.
    AddActivity({.name = "d2", .type = T::kCall, .status = planned, .at = At(5),
                 .owner = "rep3", .account = "delta", .created = At(1)});

    // clang-format on
    AddOrder("alfa", -30, 180'000);
    AddOrder("alfa", -400, 200'000);
    AddOrder("alfa", -800, 130'000);
    AddOrder("beta", -200, 80'000, "SEK");
    AddOrder("beta", -600, 80'000, "SEK");
    AddOrder("gamma", -365, 999'000);
    AddOrder("delta", -100, 100'000);
    AddOrder("delta", -500, 200'000);
    AddOrder("epsilon", -364, 150'000);
    AddOrder("zeta", -10, 40'000);
    AddOrder("zeta", -1096, 10'000'000);
    AddOrder("eta", -300, 0);

    DealAnswer("o1", "issue_written", Answer::kYes, At(-20));
    DealAnswer("o1", "impact_quantified", Answer::kNo, At(-30));
    DealAnswer("o1", "impact_quantified", Answer::kYes, At(-10));
    DealAnswer("o1", "understanding_confirmed", Answer::kNo, At(-5));
    DealAnswer("o1", "mutual_plan", Answer::kYes, StartOf(On(1)) - seconds(1));  // D 23:59:59
    DealAnswer("o1", "decision_criteria_known", Answer::kYes, StartOf(On(1)));   // after D
    DealAnswer("o1", "value_mapped", Answer::kYes, At(-7));
    DealAnswer("o1", "budget_confirmed", Answer::kYes, At(-7));
    DealAnswer("o1", "competitors_known", Answer::kNo, At(-7));  // the data decides
    DealAnswer("o1", "bogus", Answer::kYes, At(-7));             // not in the playbook
    DealAnswer("o3", "issue_written", Answer::kYes, At(-5));
    for (const char* c :
         {"issue_written", "impact_quantified", "understanding_confirmed", "mutual_plan",
          "plan_agreed", "decision_process_known", "value_mapped", "difference_acknowledged",
          "budget_confirmed", "compelling_event", "seen_as_partner"}) {
      DealAnswer("o5", c, Answer::kYes, At(-6));
    }
    DealAnswer("o8", "issue_written", Answer::kYes, At(-44));
    DealAnswer("o8", "budget_confirmed", Answer::kYes, At(-44));
    for (const char* c : {"plan_exists", "plan_reviewed", "priorities_known",
                          "satisfaction_measured", "no_open_escalation"}) {
      AccountAnswer("alfa", c, Answer::kYes, At(-50));
    }
    AccountAnswer("alfa", "value_documented", Answer::kYes, At(-100));
    AccountAnswer("alfa", "value_documented", Answer::kNo, At(-60));
  }

  // --- reading results ------------------------------------------------------------------------

  Result<std::shared_ptr<const AuditData>> Load(Date as_of) {
    return LoadAuditData(*store_, as_of);
  }

  Result<AuditOutcome> Run(Date as_of, AuditScope scope = {}) {
    SB_ASSIGN_OR_RETURN(std::shared_ptr<const AuditData> data, LoadAuditData(*store_, as_of));
    SB_ASSIGN_OR_RETURN(std::string label, ScopeLabel(*store_, scope));
    return RunAudit(*store_, data, scope, label);
  }

  // "o1" or "alfa" for an item.
  std::string NameOf(const AuditOutcome& outcome, const audit::ItemResult& item) const {
    const int64_t id = audit::ItemId(outcome.data->input, item);
    const bool deal = item.subject_type == SubjectType::kOpportunity;
    for (const auto& [name, value] : id_) {
      if (value != id) continue;
      const bool is_account = name == "alfa" || name == "beta" || name == "gamma" ||
                              name == "delta" || name == "epsilon" || name == "zeta" ||
                              name == "eta";
      const bool is_deal = name.size() >= 2 &&
                           (name[0] == 'o' || name[0] == 'w' || name.rfind("lost", 0) == 0) &&
                           !is_account;
      if ((deal && is_deal) || (!deal && is_account)) return name;
    }
    return "#" + std::to_string(id);
  }

  Strings Names(const AuditOutcome& outcome) const {
    Strings names;
    for (const audit::ItemResult& item : outcome.items) names.push_back(NameOf(outcome, item));
    return names;
  }

  const audit::ItemResult* Find(const AuditOutcome& outcome, const std::string& name) const {
    for (const audit::ItemResult& item : outcome.items) {
      if (NameOf(outcome, item) == name) return &item;
    }
    return nullptr;
  }

  // Findings as text: "criterion:<id>", "no_recent_activity:<days>/<limit>", ...
  static Strings FindingTexts(const audit::Playbook& playbook, const audit::ItemResult& item) {
    Strings out;
    for (const audit::Finding& f : item.findings) {
      switch (f.kind) {
        case audit::FindingKind::kCriterion:
          out.push_back("criterion:" + playbook.criteria.at(static_cast<size_t>(f.criterion)).id);
          break;
        case audit::FindingKind::kNoRecentActivity:
          out.push_back("no_recent_activity:" + std::to_string(f.days) + "/" +
                        std::to_string(f.limit));
          break;
        case audit::FindingKind::kNextStepPassed:
          out.push_back("next_step_passed:" + std::to_string(f.days));
          break;
        case audit::FindingKind::kCloseDatePassed:
          out.push_back("close_date_passed:" + std::to_string(f.days));
          break;
        case audit::FindingKind::kTouchpointsMissed:
          out.push_back("touchpoints_missed:" + std::to_string(f.days) + "/" +
                        std::to_string(f.limit));
          break;
      }
    }
    return out;
  }

  static Strings Criteria(std::initializer_list<const char*> ids) {
    Strings out;
    for (const char* id : ids) out.push_back(std::string("criterion:") + id);
    return out;
  }
  static Strings Join(Strings a, const Strings& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  }

  // The answer the audit used for `criterion` of `item`.
  static Answer AnswerOf(const audit::Playbook& playbook, const audit::ItemResult& item,
                         const std::string& criterion) {
    for (size_t c = 0; c < playbook.criteria.size(); ++c) {
      if (playbook.criteria[c].id == criterion) return item.answers.at(c);
    }
    ADD_FAILURE() << "no criterion " << criterion;
    return Answer::kUnknown;
  }

  struct Expected {
    std::array<int, 5> scores;
    std::array<int, 5> minimums;
    audit::Colour colour;
    bool stale;
    Strings findings;
  };
  void ExpectItem(const AuditOutcome& outcome, const std::string& name, const Expected& e) {
    SCOPED_TRACE(name);
    const audit::ItemResult* item = Find(outcome, name);
    ASSERT_NE(item, nullptr);
    const audit::Playbook& playbook = item->subject_type == SubjectType::kOpportunity
                                          ? *outcome.data->input.opportunity_playbook
                                          : *outcome.data->input.account_playbook;
    std::array<int, 5> scores{}, minimums{};
    for (int a = 0; a < 5; ++a) {
      scores[a] = item->scores[a];
      minimums[a] = item->minimums[a];
    }
    EXPECT_EQ(scores, e.scores);
    EXPECT_EQ(minimums, e.minimums);
    EXPECT_EQ(audit::ColourName(item->colour), audit::ColourName(e.colour));
    EXPECT_EQ(item->stale, e.stale);
    EXPECT_EQ(FindingTexts(playbook, *item), e.findings);
  }

  int64_t AuditLogCount(const std::string& entity) {
    storage::ListQuery query;
    query.filters.push_back(storage::Match("entity", storage::FilterOp::kEq, {entity}));
    Result<int64_t> n = store_->change_log().Count(query);
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return n.ok() ? *n : -1;
  }

  std::vector<PlaybookVersion> StoredPlaybooks() {
    storage::ListQuery query;
    query.order_by = "id";
    Result<std::vector<PlaybookVersion>> all = store_->playbooks().List(query);
    EXPECT_TRUE(all.ok()) << all.status().ToString();
    return all.ok() ? *all : std::vector<PlaybookVersion>{};
  }

  std::vector<ScorecardAnswer> StoredAnswers(const std::string& subject) {
    storage::ListQuery query;
    query.filters.push_back(storage::Match("subject_id", storage::FilterOp::kEq, {Id(subject)}));
    Result<std::vector<ScorecardAnswer>> all = store_->scorecard_answers().List(query);
    EXPECT_TRUE(all.ok()) << all.status().ToString();
    return all.ok() ? *all : std::vector<ScorecardAnswer>{};
  }

  RecordService Records() { return RecordService(*store_, clock_); }

  int64_t VersionOf(int64_t opportunity) {
    Result<Opportunity> o = store_->opportunities().Get(OpportunityId{opportunity});
    EXPECT_TRUE(o.ok()) << o.status().ToString();
    return o.ok() ? o->version : -1;
  }

  test::FakeClock clock_{"2025-06-30T18:00:00Z"};
  std::unique_ptr<storage::Store> store_;
  std::map<std::string, int64_t> id_;
  std::map<std::string, Principal> principals_;
};

// --- playbooks --------------------------------------------------------------------------------

TEST_F(PipelineAuditTest, WithoutStoredPlaybooksTheShippedDefaultsAreActive) {
  BuildPeople();
  SB_ASSERT_OK_AND_ASSIGN(ActivePlaybooks active, LoadActivePlaybooks(*store_));
  EXPECT_EQ(active.opportunity.label(), "default-opportunity@builtin");
  EXPECT_EQ(active.account.label(), "default-account@builtin");
  EXPECT_EQ(active.label(), "default-opportunity@builtin,default-account@builtin");
  EXPECT_EQ(active.opportunity.revision, 0);
  EXPECT_EQ(active.account.revision, 0);
  EXPECT_EQ(active.opportunity.playbook.subject_type, SubjectType::kOpportunity);
  EXPECT_EQ(active.account.playbook.subject_type, SubjectType::kAccount);
  EXPECT_EQ(active.opportunity.playbook.criteria.size(), 20u);
  EXPECT_EQ(active.account.playbook.criteria.size(), 20u);
  EXPECT_THAT(StoredPlaybooks(), IsEmpty());
}

TEST_F(PipelineAuditTest, LoadPlaybookVersionsActivatesAndSkipsUnchangedBodies) {
  BuildPeople();
  const std::optional<UserId> admin = UserId{Id("admin")};
  const std::string body = ShippedJson("default-opportunity");

  SB_ASSERT_OK_AND_ASSIGN(PlaybookLoad first, LoadPlaybook(*store_, body, admin, At(0)));
  EXPECT_FALSE(first.unchanged);
  EXPECT_EQ(first.version.name, "default-opportunity");
  EXPECT_EQ(first.version.revision, 1);
  EXPECT_EQ(first.version.subject_type, SubjectType::kOpportunity);
  EXPECT_TRUE(first.version.active);
  EXPECT_EQ(first.version.body, body);
  EXPECT_EQ(first.version.checksum.size(), 64u);
  EXPECT_EQ(first.version.loaded_by, admin);
  EXPECT_EQ(first.version.loaded_at, At(0));
  EXPECT_GT(first.version.id.value, 0);
  EXPECT_EQ(AuditLogCount("playbooks"), 1);
  {
    SB_ASSERT_OK_AND_ASSIGN(ActivePlaybooks active, LoadActivePlaybooks(*store_));
    EXPECT_EQ(active.label(), "default-opportunity@1,default-account@builtin");
  }

  // The same bytes again: nothing new is stored.
  SB_ASSERT_OK_AND_ASSIGN(PlaybookLoad again, LoadPlaybook(*store_, body, admin, At(1)));
  EXPECT_TRUE(again.unchanged);
  EXPECT_EQ(again.version.revision, 1);
  EXPECT_EQ(again.version.id, first.version.id);
  EXPECT_TRUE(again.version.active);
  EXPECT_EQ(StoredPlaybooks().size(), 1u);
  EXPECT_EQ(AuditLogCount("playbooks"), 1);

  // A changed body is revision 2, and replaces revision 1 as the active one.
  json changed = json::parse(body);
  changed["title"]["en"] = "Our opportunity scorecard";
  const std::string body2 = changed.dump(2);
  SB_ASSERT_OK_AND_ASSIGN(PlaybookLoad second, LoadPlaybook(*store_, body2, admin, At(2)));
  EXPECT_FALSE(second.unchanged);
  EXPECT_EQ(second.version.revision, 2);
  EXPECT_TRUE(second.version.active);
  EXPECT_NE(second.version.checksum, first.version.checksum);
  {
    std::vector<PlaybookVersion> stored = StoredPlaybooks();
    ASSERT_EQ(stored.size(), 2u);
    EXPECT_EQ(stored[0].revision, 1);
    EXPECT_FALSE(stored[0].active);
    EXPECT_EQ(stored[1].revision, 2);
    EXPECT_TRUE(stored[1].active);
    SB_ASSERT_OK_AND_ASSIGN(ActivePlaybooks active, LoadActivePlaybooks(*store_));
    EXPECT_EQ(active.opportunity.label(), "default-opportunity@2");
    EXPECT_EQ(active.opportunity.playbook.title.In(0), "Our opportunity scorecard");
  }

  // MEDDICC takes over the opportunities; the default playbook stays stored but inactive.
  SB_ASSERT_OK_AND_ASSIGN(PlaybookLoad meddicc,
                          LoadPlaybook(*store_, ShippedJson("meddicc"), admin, At(3)));
  EXPECT_EQ(meddicc.version.name, "meddicc");
  EXPECT_EQ(meddicc.version.revision, 1);
  EXPECT_TRUE(meddicc.version.active);
  {
    std::vector<PlaybookVersion> stored = StoredPlaybooks();
    ASSERT_EQ(stored.size(), 3u);
    EXPECT_FALSE(stored[0].active);
    EXPECT_FALSE(stored[1].active);
    EXPECT_TRUE(stored[2].active);
    SB_ASSERT_OK_AND_ASSIGN(ActivePlaybooks active, LoadActivePlaybooks(*store_));
    EXPECT_EQ(active.opportunity.label(), "meddicc@1");
    EXPECT_EQ(active.account.label(), "default-account@builtin");
    EXPECT_EQ(active.label(), "meddicc@1,default-account@builtin");
    EXPECT_EQ(active.opportunity.playbook.criteria.size(), 14u);
  }
  // The audit reads with it.
  {
    SB_ASSERT_OK_AND_ASSIGN(std::shared_ptr<const AuditData> data, Load(D()));
    EXPECT_EQ(data->input.opportunity_playbook->name, "meddicc");
    EXPECT_EQ(data->playbooks.label(), "meddicc@1,default-account@builtin");
  }

  // Loaded without activating: stored, and MEDDICC stays active.
  changed["title"]["en"] = "Draft scorecard";
  const std::string body3 = changed.dump();
  SB_ASSERT_OK_AND_ASSIGN(PlaybookLoad draft,
                          LoadPlaybook(*store_, body3, admin, At(4), /*activate=*/false));
  EXPECT_EQ(draft.version.revision, 3);
  EXPECT_FALSE(draft.version.active);
  {
    SB_ASSERT_OK_AND_ASSIGN(ActivePlaybooks active, LoadActivePlaybooks(*store_));
    EXPECT_EQ(active.opportunity.label(), "meddicc@1");
  }
  // Loading the same bytes with activation: nothing new, but revision 3 becomes active.
  SB_ASSERT_OK_AND_ASSIGN(PlaybookLoad activate, LoadPlaybook(*store_, body3, admin, At(5)));
  EXPECT_TRUE(activate.unchanged);
  EXPECT_EQ(activate.version.revision, 3);
  EXPECT_TRUE(activate.version.active);
  EXPECT_EQ(StoredPlaybooks().size(), 4u);
  {
    SB_ASSERT_OK_AND_ASSIGN(ActivePlaybooks active, LoadActivePlaybooks(*store_));
    EXPECT_EQ(active.opportunity.label(), "default-opportunity@3");
    int active_count = 0;
    for (const PlaybookVersion& v : StoredPlaybooks()) active_count += v.active ? 1 : 0;
    EXPECT_EQ(active_count, 1);
  }

  // An account playbook is versioned on its own.
  SB_ASSERT_OK_AND_ASSIGN(PlaybookLoad account,
                          LoadPlaybook(*store_, ShippedJson("default-account"), admin, At(6)));
  EXPECT_EQ(account.version.revision, 1);
  EXPECT_EQ(account.version.subject_type, SubjectType::kAccount);
  SB_ASSERT_OK_AND_ASSIGN(ActivePlaybooks active, LoadActivePlaybooks(*store_));
  EXPECT_EQ(active.label(), "default-opportunity@3,default-account@1");
}

TEST_F(PipelineAuditTest, BadPlaybookIsRefusedWithTheParsersMessageAndNothingStored) {
  BuildPeople();
  json bad = json::parse(ShippedJson("default-opportunity"));
  bad["criteria"][3]["area"] = "valu";
  const std::string text = bad.dump();
  const Result<audit::Playbook> parsed = audit::ParsePlaybook(text);
  ASSERT_FALSE(parsed.ok());
  ASSERT_THAT(parsed.status().message(), HasSubstr("criteria[3].area"));

  Result<PlaybookLoad> load = LoadPlaybook(*store_, text, UserId{Id("admin")}, At(0));
  EXPECT_THAT(load, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(load.status().message(), parsed.status().message());

  const Result<PlaybookLoad> not_json = LoadPlaybook(*store_, "{\"name\": ", std::nullopt, At(0));
  EXPECT_THAT(not_json, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(not_json.status().message(), audit::ParsePlaybook("{\"name\": ").status().message());

  EXPECT_THAT(StoredPlaybooks(), IsEmpty());
  EXPECT_EQ(AuditLogCount("playbooks"), 0);
}

TEST_F(PipelineAuditTest, AnOpportunityPlaybooksNameCannotBeReusedForAccounts) {
  BuildPeople();
  SB_ASSERT_OK(LoadPlaybook(*store_, ShippedJson("default-opportunity"), std::nullopt, At(0)));
  json account = json::parse(ShippedJson("default-account"));
  account["name"] = "default-opportunity";
  Result<PlaybookLoad> load = LoadPlaybook(*store_, account.dump(), std::nullopt, At(1));
  EXPECT_THAT(load, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(load.status().message(), HasSubstr("default-opportunity"));
  EXPECT_THAT(load.status().message(), HasSubstr("already used"));
  ASSERT_EQ(StoredPlaybooks().size(), 1u);
  SB_ASSERT_OK_AND_ASSIGN(ActivePlaybooks active, LoadActivePlaybooks(*store_));
  EXPECT_EQ(active.label(), "default-opportunity@1,default-account@builtin");
}

// --- answers ----------------------------------------------------------------------------------

TEST_F(PipelineAuditTest, RecordAnswerStoresAManualAnswerByThePrincipalNow) {
  BuildWorld();
  const int64_t log_before = AuditLogCount("scorecard_answers");
  AnswerRequest request;
  request.subject_type = SubjectType::kOpportunity;
  request.subject_id = Id("o1");
  request.criterion_id = "understanding_confirmed";
  request.answer = Answer::kYes;
  request.note = "CFO confirmed in the 12 June meeting";
  SB_ASSERT_OK_AND_ASSIGN(ScorecardAnswer answer,
                          RecordAnswer(*store_, P("rep1"), request, clock_.Now()));
  EXPECT_GT(answer.id.value, 0);
  EXPECT_EQ(answer.subject_type, SubjectType::kOpportunity);
  EXPECT_EQ(answer.subject_id, Id("o1"));
  EXPECT_EQ(answer.criterion_id, "understanding_confirmed");
  EXPECT_EQ(answer.answer, Answer::kYes);
  EXPECT_EQ(answer.note, "CFO confirmed in the 12 June meeting");
  EXPECT_EQ(answer.answered_by, UserId{Id("rep1")});
  EXPECT_EQ(answer.answered_at, clock_.Now());
  SB_ASSERT_OK_AND_ASSIGN(ScorecardAnswer stored, store_->scorecard_answers().Get(answer.id));
  EXPECT_EQ(stored, answer);

  // The audit log says who answered what.
  EXPECT_EQ(AuditLogCount("scorecard_answers"), log_before + 1);
  storage::ListQuery last;
  last.filters.push_back(storage::Match("entity", storage::FilterOp::kEq, {"scorecard_answers"}));
  last.order_by = "id";
  last.descending = true;
  last.limit = 1;
  SB_ASSERT_OK_AND_ASSIGN(std::vector<ChangeLogEntry> entries, store_->change_log().List(last));
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].entity_id, answer.id.value);
  EXPECT_EQ(entries[0].user_id, UserId{Id("rep1")});
  EXPECT_EQ(entries[0].action, "create");
  EXPECT_EQ(entries[0].at, clock_.Now());
  const json changes = json::parse(entries[0].changes);
  EXPECT_EQ(changes.at("criterion_id")[1], "understanding_confirmed");
  EXPECT_EQ(changes.at("answer")[1], "yes");

  // An account answer on an account the rep shares with nobody but owns.
  AnswerRequest account;
  account.subject_type = SubjectType::kAccount;
  account.subject_id = Id("beta");
  account.criterion_id = "wallet_known";
  account.answer = Answer::kNo;
  SB_ASSERT_OK_AND_ASSIGN(ScorecardAnswer a, RecordAnswer(*store_, P("rep2"), account, At(0, 19)));
  EXPECT_EQ(a.answered_by, UserId{Id("rep2")});
  // The manager answers for the team.
  account.answer = Answer::kYes;
  SB_ASSERT_OK_AND_ASSIGN(ScorecardAnswer m, RecordAnswer(*store_, P("mgr"), account, At(0, 20)));
  EXPECT_EQ(m.answered_by, UserId{Id("mgr")});
  EXPECT_EQ(StoredAnswers("beta").size(), 2u);
}

TEST_F(PipelineAuditTest, TwoAnswersInOneSecondKeepTheLater) {
  BuildWorld();
  AnswerRequest request;
  request.subject_type = SubjectType::kOpportunity;
  request.subject_id = Id("o3");
  request.criterion_id = "budget_confirmed";
  request.answer = Answer::kYes;
  SB_ASSERT_OK(RecordAnswer(*store_, P("rep1"), request, clock_.Now()));
  request.answer = Answer::kNo;
  request.note = "oops";
  SB_ASSERT_OK(RecordAnswer(*store_, P("rep1"), request, clock_.Now()));
  int rows = 0;
  for (const ScorecardAnswer& a : StoredAnswers("o3")) {
    if (a.subject_type != SubjectType::kOpportunity || a.criterion_id != "budget_confirmed")
      continue;
    ++rows;
    EXPECT_EQ(a.answer, Answer::kNo);
    EXPECT_EQ(a.note, "oops");
  }
  EXPECT_EQ(rows, 1);
}

TEST_F(PipelineAuditTest, RecordAnswerRefusesAutoAndUnknownCriteria) {
  BuildWorld();
  const size_t before = StoredAnswers("o1").size();
  for (const char* criterion :
       {"eb_met", "next_step_dated", "icp_fit", "bogus", "plan_exists", ""}) {
    SCOPED_TRACE(criterion);
    AnswerRequest request;
    request.subject_type = SubjectType::kOpportunity;
    request.subject_id = Id("o1");
    request.criterion_id = criterion;
    request.answer = Answer::kYes;
    Result<ScorecardAnswer> r = RecordAnswer(*store_, P("rep1"), request, clock_.Now());
    EXPECT_THAT(r, StatusIs(StatusCode::kInvalidArgument));
    EXPECT_EQ(r.status().field(), "criterion_id");
  }
  // Account criteria computed from the data, on an account.
  AnswerRequest touch;
  touch.subject_type = SubjectType::kAccount;
  touch.subject_id = Id("alfa");
  touch.criterion_id = "touchpoints_met";
  touch.answer = Answer::kYes;
  Result<ScorecardAnswer> r = RecordAnswer(*store_, P("rep1"), touch, clock_.Now());
  EXPECT_THAT(r, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(r.status().field(), "criterion_id");
  // An over-long note.
  AnswerRequest note;
  note.subject_type = SubjectType::kOpportunity;
  note.subject_id = Id("o1");
  note.criterion_id = "budget_confirmed";
  note.note = std::string(2001, 'x');
  r = RecordAnswer(*store_, P("rep1"), note, clock_.Now());
  EXPECT_THAT(r, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(r.status().field(), "note");
  EXPECT_EQ(StoredAnswers("o1").size(), before);
}

TEST_F(PipelineAuditTest, RecordAnswerFollowsTheActivePlaybook) {
  BuildWorld();
  SB_ASSERT_OK(LoadPlaybook(*store_, ShippedJson("meddicc"), std::nullopt, At(0, 12)));
  AnswerRequest request;
  request.subject_type = SubjectType::kOpportunity;
  request.subject_id = Id("o1");
  request.answer = Answer::kYes;
  request.criterion_id = "understanding_confirmed";
  Result<ScorecardAnswer> r = RecordAnswer(*store_, P("rep1"), request, clock_.Now());
  EXPECT_THAT(r, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(r.status().message(), HasSubstr("meddicc@1"));
  request.criterion_id = "m_pain";
  SB_EXPECT_OK(RecordAnswer(*store_, P("rep1"), request, clock_.Now()));
  request.criterion_id = "m_discovery";  // auto in MEDDICC
  EXPECT_THAT(RecordAnswer(*store_, P("rep1"), request, clock_.Now()),
              StatusIs(StatusCode::kInvalidArgument));
}

TEST_F(PipelineAuditTest, RecordAnswerChecksWhoMaySeeAndChangeTheSubject) {
  BuildWorld();
  const size_t before =
      StoredAnswers("o2").size() + StoredAnswers("o1").size() + StoredAnswers("alfa").size();
  auto answer = [&](const std::string& user, SubjectType type, const std::string& subject,
                    const std::string& criterion) {
    AnswerRequest request;
    request.subject_type = type;
    request.subject_id = subject.empty() ? 999999 : Id(subject);
    request.criterion_id = criterion;
    request.answer = Answer::kYes;
    return RecordAnswer(*store_, P(user), request, clock_.Now());
  };
  const SubjectType deal = SubjectType::kOpportunity;
  const SubjectType account = SubjectType::kAccount;
  // Not visible: another rep's deal and account, another team's deal, nothing at all.
  EXPECT_THAT(answer("rep1", deal, "o2", "budget_confirmed"), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(answer("rep1", account, "beta", "wallet_known"), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(answer("mgr", deal, "o4", "budget_confirmed"), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(answer("admin", deal, "", "budget_confirmed"), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(answer("admin", account, "", "wallet_known"), StatusIs(StatusCode::kNotFound));
  // Marketing sees no one else's deals, and may read accounts but not change them.
  EXPECT_THAT(answer("mkt", deal, "o1", "budget_confirmed"), StatusIs(StatusCode::kNotFound));
  Result<ScorecardAnswer> mkt = answer("mkt", account, "alfa", "wallet_known");
  EXPECT_THAT(mkt, StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(mkt.status().message(), HasSubstr("accounts"));
  // The executive sees everything but changes no scorecard.
  Result<ScorecardAnswer> exec = answer("exec", deal, "o1", "budget_confirmed");
  EXPECT_THAT(exec, StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(exec.status().message(), HasSubstr("opportunities"));
  EXPECT_THAT(answer("exec", account, "alfa", "wallet_known"),
              StatusIs(StatusCode::kPermissionDenied));
  const size_t after =
      StoredAnswers("o2").size() + StoredAnswers("o1").size() + StoredAnswers("alfa").size();
  EXPECT_EQ(after, before);

  // Reps and managers change everything they see (access.h: WritableFilters equals
  // VisibleFilters for them), so a colleague's deal on an account shared with the rep can be
  // answered, and there is no visible-but-not-writable subject for them.
  AccountShare share;
  share.account_id = AccountId{Id("alfa")};
  share.user_id = UserId{Id("rep2")};
  SB_ASSERT_OK(store_->account_shares().Insert(share).status());
  SB_ASSERT_OK_AND_ASSIGN(principals_["rep2"], LoadPrincipal(*store_, UserId{Id("rep2")}));
  SB_EXPECT_OK(answer("rep2", deal, "o1", "budget_confirmed"));
  SB_EXPECT_OK(answer("rep2", account, "alfa", "wallet_known"));
  SB_EXPECT_OK(answer("mgr", deal, "o8", "compelling_event"));
  SB_EXPECT_OK(answer("admin", deal, "o4", "compelling_event"));
}

// --- the audit of the fixture -----------------------------------------------------------------

TEST_F(PipelineAuditTest, FactsAreReadFromTheRowsAsOfD) {
  BuildWorld();
  SB_ASSERT_OK_AND_ASSIGN(std::shared_ptr<const AuditData> data, Load(D()));
  const audit::AuditInput& in = data->input;
  EXPECT_EQ(data->as_of, D());
  EXPECT_EQ(in.as_of, static_cast<audit::Day>(D().time_since_epoch().count()));
  EXPECT_EQ(data->playbooks.label(), "default-opportunity@builtin,default-account@builtin");

  // Open deals only: closed before D are out.
  std::set<int64_t> deals;
  for (const audit::OpportunityFacts& o : in.opportunities) {
    if (data->opportunity_index.Find(o.id) >= 0) deals.insert(o.id);
  }
  EXPECT_EQ(deals, (std::set<int64_t>{Id("o1"), Id("o2"), Id("o3"), Id("o4"), Id("o5"), Id("o8")}));
  ASSERT_EQ(in.opportunities.size(), 6u);

  auto account = [&](const std::string& name) -> const audit::AccountFacts& {
    return in.accounts.at(static_cast<size_t>(data->account_index.Find(Id(name))));
  };
  auto deal = [&](const std::string& name) -> const audit::OpportunityFacts& {
    return in.opportunities.at(static_cast<size_t>(data->opportunity_index.Find(Id(name))));
  };
  auto day = [](int offset) {
    return static_cast<audit::Day>(On(offset).time_since_epoch().count());
  };

  // Customers: an order in the 365 days up to D (gamma's is 365 days old).
  EXPECT_TRUE(account("alfa").customer);
  EXPECT_TRUE(account("beta").customer);
  EXPECT_FALSE(account("gamma").customer);
  EXPECT_TRUE(account("delta").customer);
  EXPECT_TRUE(account("epsilon").customer);
  EXPECT_TRUE(account("zeta").customer);
  EXPECT_TRUE(account("eta").customer);

  // ABC: beta's stored B; the DKK customers by 3-year margin: alfa 510k (before 0: A),
  // delta 300k (before 510k < 800k: A), epsilon 150k (before 810k: B), zeta 40k (before
  // 960k >= 950k: C; its 10,000k order is 1096 days old), eta 0 (C).
  EXPECT_EQ(account("alfa").abc_class, 'A');
  EXPECT_EQ(account("beta").abc_class, 'B');
  EXPECT_EQ(account("gamma").abc_class, 0);
  EXPECT_EQ(account("delta").abc_class, 'A');
  EXPECT_EQ(account("epsilon").abc_class, 'B');
  EXPECT_EQ(account("zeta").abc_class, 'C');
  EXPECT_EQ(account("eta").abc_class, 'C');

  // Margins per window.
  EXPECT_EQ(account("alfa").margin_last_365, 180'000);
  EXPECT_EQ(account("alfa").margin_prev_365, 200'000);
  EXPECT_EQ(account("alfa").margin_3y, 510'000);
  EXPECT_EQ(account("alfa").currency.ToString(), "DKK");
  EXPECT_EQ(account("beta").margin_last_365, 80'000);
  EXPECT_EQ(account("beta").margin_prev_365, 80'000);
  EXPECT_EQ(account("beta").currency.ToString(), "SEK");
  EXPECT_EQ(account("gamma").margin_prev_365, 999'000);
  EXPECT_EQ(account("delta").margin_3y, 300'000);
  EXPECT_EQ(account("zeta").margin_3y, 40'000);
  EXPECT_EQ(account("zeta").last_order, day(-10));
  EXPECT_EQ(account("epsilon").last_order, day(-364));

  // Touchpoints in (D-365, D]: alfa a1 a2 a3 a4 (a7 is 365 days old, a5 never done); beta b1
  // (through its contact) b2 b4; delta d1.
  EXPECT_EQ(account("alfa").touches_365, 4);
  EXPECT_EQ(account("beta").touches_365, 3);
  EXPECT_EQ(account("delta").touches_365, 1);
  EXPECT_EQ(account("zeta").touches_365, 0);
  EXPECT_EQ(account("alfa").last_meeting, day(-3));
  EXPECT_EQ(account("beta").last_meeting, day(-40));
  EXPECT_EQ(account("alfa").last_contact_touch, day(-3));
  EXPECT_EQ(account("delta").last_contact_touch, day(-1));
  EXPECT_TRUE(account("alfa").planned_ahead);    // a6, in the calendar since D-5
  EXPECT_FALSE(account("delta").planned_ahead);  // d2 was put in after D
  EXPECT_FALSE(account("beta").planned_ahead);

  // Contacts: roles and strengths.
  const int eb = static_cast<int>(BuyingRole::kEconomicBuyer);
  const int champion = static_cast<int>(BuyingRole::kChampion);
  EXPECT_EQ(account("alfa").role_strength[eb], 4);
  EXPECT_EQ(account("alfa").weakest_role_strength, 3);
  EXPECT_EQ(account("beta").weakest_role_strength, 0);    // user2 without strength counts 0
  EXPECT_EQ(account("delta").weakest_role_strength, -1);  // no contact with a buying role
  EXPECT_EQ(account("alfa").role_last_active[champion], day(-30));
  EXPECT_EQ(account("gamma").role_last_active[champion], day(-31));

  // Product lines of deals won by D.
  EXPECT_EQ(account("alfa").product_lines, 2);
  EXPECT_EQ(account("beta").product_lines, 0);
  EXPECT_EQ(account("delta").product_lines, 1);
  EXPECT_TRUE(account("alfa").open_opportunity);
  EXPECT_FALSE(account("zeta").open_opportunity);

  // Deals.
  EXPECT_EQ(deal("o1").last_activity, day(-14));  // a2; a5 was only planned
  EXPECT_EQ(deal("o1").stage, Stage::kPropose);
  EXPECT_EQ(deal("o1").amount.minor_units, 100'000'000);
  EXPECT_EQ(deal("o2").amount.currency.ToString(), "SEK");
  EXPECT_EQ(deal("o2").next_step_on, day(-3));
  EXPECT_EQ(deal("o3").last_activity, audit::kNoDay);
  EXPECT_EQ(deal("o3").created_on, day(-10));
  EXPECT_EQ(deal("o4").close_on, day(-1));
  const int meeting = 1 << static_cast<int>(ActivityType::kMeeting);
  const int call = 1 << static_cast<int>(ActivityType::kCall);
  EXPECT_EQ(deal("o1").role_types[eb], meeting);
  EXPECT_EQ(deal("o2").role_types[eb], call);  // b4; the meeting b3 was never held
  EXPECT_EQ(deal("o5").role_types[eb], meeting);
  EXPECT_EQ(deal("o1").account, data->account_index.Find(Id("alfa")));

  // Answers by the end of D: the latest per criterion (8 answers to 7 criteria), not the one
  // after D, nor "bogus".
  const auto& o1_answers =
      in.opportunity_answers.at(static_cast<size_t>(data->opportunity_index.Find(Id("o1"))));
  EXPECT_EQ(o1_answers.size(), 7u);
  const int impact = [&] {
    const auto& criteria = data->playbooks.opportunity.playbook.criteria;
    for (size_t c = 0; c < criteria.size(); ++c) {
      if (criteria[c].id == "impact_quantified") return static_cast<int>(c);
    }
    return -1;
  }();
  for (const audit::AnswerFact& fact : o1_answers) {
    if (fact.criterion == impact) {
      EXPECT_EQ(fact.answer, Answer::kYes);  // no at -30, yes at -10
    }
  }

  // Labels.
  const size_t o1 = static_cast<size_t>(data->opportunity_index.Find(Id("o1")));
  EXPECT_EQ(data->labels.opportunity_names.at(o1), "o1");
  EXPECT_EQ(data->labels.opportunity_external_ids.at(o1), "ext-o1");
  EXPECT_EQ(data->labels.people.at(Id("rep1")).email, "rep1@example.com");
  EXPECT_EQ(data->labels.people.at(Id("rep1")).team_id, Id("Nord"));
  EXPECT_EQ(data->labels.teams.at(Id("Syd")), "Syd");
  EXPECT_EQ(data->labels.segments.at(Id("Core")), "Core");
}

TEST_F(PipelineAuditTest, EveryItemIsScoredColouredAndExplainedAsComputedByHand) {
  BuildWorld();
  SB_ASSERT_OK_AND_ASSIGN(AuditOutcome outcome, Run(D()));
  using audit::Colour;
  // Open deals in id order, then customers in id order.
  EXPECT_THAT(Names(outcome), ElementsAre("o1", "o2", "o3", "o4", "o5", "o8", "alfa", "beta",
                                          "delta", "epsilon", "zeta", "eta"));

  // o1, propose [3,3,2,2,2], 14 days: eb1 met in a1 (linked); champ1 active 30 days ago;
  // weakest role 3. Understanding: issue yes, impact yes (its later answer), confirmed no,
  // criteria answered only after D. Joint: mutual plan (D 23:59:59) + next step +7. Value:
  // mapped + competitors (the data overrides a stored "no"). Commitment: budget + Core segment.
  // Last linked activity a2 14 days ago: not stale.
  ExpectItem(outcome, "o1",
             {{4, 2, 2, 2, 2},
              {3, 3, 2, 2, 2},
              Colour::kYellow,
              false,
              Criteria({"understanding_confirmed", "decision_criteria_known"})});
  // o2, negotiate [3,3,3,3,3], 10 days: only the economic buyer identified (b1 was not linked,
  // b4 was a call, b3 never held); last activity b2 15 days ago; next step 3 days ago.
  ExpectItem(
      outcome, "o2",
      {{1, 0, 0, 0, 0},
       {3, 3, 3, 3, 3},
       Colour::kRed,
       true,
       Join({"no_recent_activity:15/10", "next_step_passed:3"},
            Criteria({"eb_met", "champion_active", "roles_strong", "issue_written",
                      "impact_quantified", "understanding_confirmed", "decision_criteria_known",
                      "mutual_plan", "plan_agreed", "next_step_dated", "decision_process_known",
                      "value_mapped", "competitors_known", "difference_acknowledged",
                      "business_case_agreed", "budget_confirmed", "compelling_event", "icp_fit",
                      "seen_as_partner"}))});
  // o3, qualify [1,1,0,0,1], 30 days: champ3 (strength 4) last active 31 days ago; no segment,
  // so ICP fit is unknown; created 10 days ago without activity.
  ExpectItem(outcome, "o3",
             {{1, 1, 0, 0, 0},
              {1, 1, 0, 0, 1},
              Colour::kYellow,
              false,
              Criteria({"budget_confirmed", "compelling_event", "icp_fit", "seen_as_partner"})});
  // o4, discover [2,2,1,1,1]: no buying roles; next step +1; Core; close date yesterday.
  ExpectItem(outcome, "o4",
             {{0, 0, 1, 0, 1},
              {2, 2, 1, 1, 1},
              Colour::kRed,
              true,
              Join({"close_date_passed:1"},
                   Criteria({"eb_identified", "eb_met", "champion_active", "roles_strong",
                             "issue_written", "impact_quantified", "understanding_confirmed",
                             "decision_criteria_known", "value_mapped", "competitors_known",
                             "difference_acknowledged", "business_case_agreed"}))});
  // o5, commit [4,3,4,3,4], 7 days: everything needed, last activity a4 3 days ago.
  ExpectItem(outcome, "o5", {{4, 3, 4, 3, 4}, {4, 3, 4, 3, 4}, Colour::kGreen, false, {}});
  // o8, qualify: meets every minimum but has had no activity since it was created 45 days ago.
  ExpectItem(outcome, "o8",
             {{1, 1, 0, 0, 1}, {1, 1, 0, 0, 1}, Colour::kRed, true, {"no_recent_activity:45/30"}});

  // alfa, A [3,3,3,3,3], 4 touchpoints: coverage 4; plan 3; governance 3 (review a4, 4 >= 4,
  // a6 planned); value 2 (value_documented's latest answer is no); position 3 (two product
  // lines, 180k >= 0.9 x 200k, open deals).
  ExpectItem(outcome, "alfa",
             {{4, 3, 3, 2, 3},
              {3, 3, 3, 3, 3},
              Colour::kYellow,
              false,
              Criteria({"value_documented", "reference"})});
  // beta, stored B [2,2,2,2,2], 2 touchpoints: EB known and a contact touched (b2), two roles,
  // EB strength 2; review b1 and 3 touchpoints; lost deals bring no product line.
  ExpectItem(
      outcome, "beta",
      {{2, 0, 2, 0, 2},
       {2, 2, 2, 2, 2},
       Colour::kRed,
       false,
       Criteria({"plan_exists", "plan_reviewed", "priorities_known", "buying_process_known",
                 "satisfaction_measured", "no_open_escalation", "value_documented", "reference"})});
  // delta, A: only gen4 (no role) touched; 1 of 4 touchpoints; one product line; falling
  // orders (100k < 180k); o4 open.
  ExpectItem(outcome, "delta",
             {{1, 0, 0, 0, 1},
              {3, 3, 3, 3, 3},
              Colour::kRed,
              true,
              Join({"touchpoints_missed:1/4"},
                   Criteria({"eb_known", "roles_covered", "relationship_strong", "plan_exists",
                             "plan_reviewed", "priorities_known", "buying_process_known",
                             "business_review_held", "touchpoints_met", "next_activity_planned",
                             "escalation_path", "satisfaction_measured", "no_open_escalation",
                             "value_documented", "reference", "wallet_known",
                             "several_product_lines", "order_trend"}))});
  // epsilon, B: eb5 known (strength 1), never touched; 150k vs nothing the year before is
  // not falling; o8 open.
  ExpectItem(outcome, "epsilon",
             {{1, 0, 0, 0, 2},
              {2, 2, 2, 2, 2},
              Colour::kRed,
              true,
              Join({"touchpoints_missed:0/2"},
                   Criteria({"roles_covered", "key_contact_touched", "relationship_strong",
                             "plan_exists", "plan_reviewed", "priorities_known",
                             "buying_process_known", "business_review_held", "touchpoints_met",
                             "next_activity_planned", "escalation_path", "satisfaction_measured",
                             "no_open_escalation", "value_documented", "reference"}))});
  // zeta, C [1,1,1,1,1]: nothing but an order 10 days ago.
  ExpectItem(
      outcome, "zeta",
      {{0, 0, 0, 0, 2},
       {1, 1, 1, 1, 1},
       Colour::kRed,
       true,
       Join({"touchpoints_missed:0/1"},
            Criteria({"eb_known", "roles_covered", "key_contact_touched", "relationship_strong",
                      "plan_exists", "plan_reviewed", "priorities_known", "buying_process_known",
                      "business_review_held", "touchpoints_met", "next_activity_planned",
                      "escalation_path", "satisfaction_measured", "no_open_escalation",
                      "value_documented", "reference"}))});
  // eta, C: a zero-margin order 300 days ago: no trend to judge, no recent business.
  ExpectItem(outcome, "eta",
             {{0, 0, 0, 0, 0},
              {1, 1, 1, 1, 1},
              Colour::kRed,
              true,
              Join({"touchpoints_missed:0/1"}, Criteria({"eb_known",
                                                         "roles_covered",
                                                         "key_contact_touched",
                                                         "relationship_strong",
                                                         "plan_exists",
                                                         "plan_reviewed",
                                                         "priorities_known",
                                                         "buying_process_known",
                                                         "business_review_held",
                                                         "touchpoints_met",
                                                         "next_activity_planned",
                                                         "escalation_path",
                                                         "satisfaction_measured",
                                                         "no_open_escalation",
                                                         "value_documented",
                                                         "reference",
                                                         "wallet_known",
                                                         "several_product_lines",
                                                         "order_trend",
                                                         "open_business"}))});
  EXPECT_EQ(Find(outcome, "alfa")->abc_class, 'A');
  EXPECT_EQ(Find(outcome, "beta")->abc_class, 'B');
  EXPECT_EQ(Find(outcome, "epsilon")->abc_class, 'B');
  EXPECT_EQ(Find(outcome, "zeta")->abc_class, 'C');
}

TEST_F(PipelineAuditTest, AutoRulesAreDecidedFromTheRows) {
  BuildWorld();
  SB_ASSERT_OK_AND_ASSIGN(AuditOutcome outcome, Run(D()));
  const audit::Playbook& op = *outcome.data->input.opportunity_playbook;
  const audit::Playbook& ac = *outcome.data->input.account_playbook;
  struct Case {
    const char* item;
    const char* criterion;
    Answer expected;
  };
  const Answer yes = Answer::kYes, no = Answer::kNo, unknown = Answer::kUnknown;
  const std::vector<Case> deals = {
      // economic buyer identified: a contact with the role on the deal's account
      {"o1", "eb_identified", yes},
      {"o3", "eb_identified", no},
      {"o8", "eb_identified", yes},
      // met: a completed meeting linked to the deal with that contact
      {"o1", "eb_met", yes},
      {"o5", "eb_met", yes},
      {"o2", "eb_met", no},
      {"o8", "eb_met", no},
      // champion active within 30 days (30: yes, 31: no)
      {"o1", "champion_active", yes},
      {"o3", "champion_active", no},
      {"o2", "champion_active", no},
      // every buying role has strength >= 3
      {"o1", "roles_strong", yes},
      {"o3", "roles_strong", yes},
      {"o2", "roles_strong", no},
      {"o4", "roles_strong", no},
      {"o8", "roles_strong", no},
      // next step dated after D
      {"o1", "next_step_dated", yes},
      {"o2", "next_step_dated", no},
      {"o3", "next_step_dated", no},
      {"o4", "next_step_dated", yes},
      // competitors recorded
      {"o1", "competitors_known", yes},
      {"o5", "competitors_known", yes},
      {"o2", "competitors_known", no},
      // ICP fit without fit scores: the segment's core flag; unknown without a segment
      {"o1", "icp_fit", yes},
      {"o2", "icp_fit", no},
      {"o3", "icp_fit", unknown},
      {"o8", "icp_fit", no},
  };
  for (const Case& c : deals) {
    SCOPED_TRACE(std::string(c.item) + " " + c.criterion);
    const audit::ItemResult* item = Find(outcome, c.item);
    ASSERT_NE(item, nullptr);
    EXPECT_EQ(ToString(AnswerOf(op, *item, c.criterion)), ToString(c.expected));
  }
  const std::vector<Case> accounts = {
      {"alfa", "eb_known", yes},
      {"delta", "eb_known", no},
      {"alfa", "roles_covered", yes},
      {"beta", "roles_covered", no},
      {"delta", "roles_covered", no},
      {"alfa", "key_contact_touched", yes},
      {"delta", "key_contact_touched", yes},
      {"epsilon", "key_contact_touched", no},
      {"alfa", "relationship_strong", yes},
      {"beta", "relationship_strong", no},
      {"alfa", "business_review_held", yes},
      {"beta", "business_review_held", yes},
      {"delta", "business_review_held", no},
      {"alfa", "touchpoints_met", yes},
      {"beta", "touchpoints_met", yes},
      {"delta", "touchpoints_met", no},
      {"zeta", "touchpoints_met", no},
      {"alfa", "next_activity_planned", yes},
      {"delta", "next_activity_planned", no},
      {"alfa", "several_product_lines", yes},
      {"delta", "several_product_lines", no},
      {"beta", "several_product_lines", no},
      {"alfa", "order_trend", yes},
      {"beta", "order_trend", yes},
      {"delta", "order_trend", no},
      {"epsilon", "order_trend", yes},
      {"eta", "order_trend", unknown},
      {"alfa", "open_business", yes},
      {"zeta", "open_business", yes},
      {"eta", "open_business", no},
  };
  for (const Case& c : accounts) {
    SCOPED_TRACE(std::string(c.item) + " " + c.criterion);
    const audit::ItemResult* item = Find(outcome, c.item);
    ASSERT_NE(item, nullptr);
    EXPECT_EQ(ToString(AnswerOf(ac, *item, c.criterion)), ToString(c.expected));
  }
  // Manual answers: the latest by D counts.
  const audit::ItemResult* o1 = Find(outcome, "o1");
  EXPECT_EQ(AnswerOf(op, *o1, "impact_quantified"), Answer::kYes);
  EXPECT_EQ(AnswerOf(op, *o1, "understanding_confirmed"), Answer::kNo);
  EXPECT_EQ(AnswerOf(op, *o1, "decision_criteria_known"), Answer::kUnknown);
  EXPECT_EQ(AnswerOf(op, *o1, "mutual_plan"), Answer::kYes);
  EXPECT_EQ(AnswerOf(ac, *Find(outcome, "alfa"), "value_documented"), Answer::kNo);
}

TEST_F(PipelineAuditTest, ReportCountsAndValuesAddUp) {
  BuildWorld();
  SB_ASSERT_OK_AND_ASSIGN(AuditOutcome outcome, Run(D()));
  const audit::Report& report = outcome.report;
  EXPECT_EQ(report.scope, "company");
  EXPECT_EQ(report.as_of, static_cast<audit::Day>(D().time_since_epoch().count()));
  EXPECT_EQ(report.summary, (std::array<int64_t, 3>{1, 3, 8}));
  EXPECT_EQ(report.summary[0] + report.summary[1] + report.summary[2],
            static_cast<int64_t>(outcome.items.size()));
  EXPECT_FALSE(report.trend.has_value());
  EXPECT_THAT(report.actions, IsEmpty());
  ASSERT_EQ(report.sections.size(), 2u);

  const audit::Section& deals = report.sections[0];
  EXPECT_EQ(deals.subject_type, SubjectType::kOpportunity);
  EXPECT_EQ(deals.total.count, (std::array<int64_t, 3>{1, 2, 3}));
  using V = std::array<int64_t, 3>;
  EXPECT_EQ(deals.total.value, (audit::Values{{"DKK", V{75'000'000, 120'000'000, 40'000'000}},
                                              {"SEK", V{0, 0, 50'000'000}}}));
  // Worst items by value at risk, per currency: yellow and red only.
  std::map<std::string, Strings> worst;
  for (const auto& [currency, indexes] : deals.worst) {
    for (size_t i : indexes) worst[currency].push_back(NameOf(outcome, outcome.items[i]));
  }
  EXPECT_EQ(worst,
            (std::map<std::string, Strings>{{"DKK", {"o1", "o4", "o3", "o8"}}, {"SEK", {"o2"}}}));
  std::map<std::string, std::array<int64_t, 3>> teams, stages;
  for (const audit::GroupRow& row : deals.by_team) teams[row.key] = row.tally.count;
  EXPECT_EQ(teams, (std::map<std::string, std::array<int64_t, 3>>{{"Nord", {1, 2, 2}},
                                                                  {"Syd", {0, 0, 1}}}));
  Strings stage_order;
  for (const audit::GroupRow& row : deals.by_stage) stage_order.push_back(row.key);
  EXPECT_THAT(stage_order, ElementsAre("qualify", "discover", "propose", "negotiate", "commit"));
  std::map<std::string, int64_t> reps;
  for (const audit::GroupRow& row : deals.by_rep) reps[row.key] = row.tally.items();
  EXPECT_EQ(reps, (std::map<std::string, int64_t>{{"mgr@example.com", 1},
                                                  {"rep1@example.com", 3},
                                                  {"rep2@example.com", 1},
                                                  {"rep3@example.com", 1}}));

  const audit::Section& customers = report.sections[1];
  EXPECT_EQ(customers.subject_type, SubjectType::kAccount);
  EXPECT_EQ(customers.total.count, (std::array<int64_t, 3>{0, 1, 5}));
  EXPECT_EQ(customers.total.value,
            (audit::Values{{"DKK", V{0, 180'000, 290'000}}, {"SEK", V{0, 0, 80'000}}}));
  std::map<std::string, int64_t> classes;
  for (const audit::GroupRow& row : customers.by_stage) classes[row.key] = row.tally.items();
  EXPECT_EQ(classes, (std::map<std::string, int64_t>{{"A", 2}, {"B", 2}, {"C", 2}}));

  // The JSON the CLI prints: per item the fields the issue names, and a summary that adds up.
  const json j =
      audit::ReportJson(outcome.data->input, outcome.items, outcome.data->labels, report, 0);
  EXPECT_EQ(j.at("summary"), json({{"items", 12}, {"green", 1}, {"yellow", 3}, {"red", 8}}));
  ASSERT_EQ(j.at("items").size(), 12u);
  const json& o2 = j.at("items")[1];
  EXPECT_EQ(o2.at("subject_type"), "opportunity");
  EXPECT_EQ(o2.at("id"), Id("o2"));
  EXPECT_EQ(o2.at("name"), "o2");
  EXPECT_EQ(o2.at("owner"), "rep2@example.com");
  EXPECT_EQ(o2.at("team"), "Nord");
  EXPECT_EQ(o2.at("stage"), "negotiate");
  EXPECT_EQ(o2.at("colour"), "red");
  EXPECT_EQ(o2.at("area_scores"), json({1, 0, 0, 0, 0}));
  EXPECT_EQ(o2.at("value"), json({{"minor", 50'000'000}, {"currency", "SEK"}}));
  ASSERT_EQ(o2.at("reasons").size(), 21u);
  EXPECT_EQ(o2.at("reasons")[0], "No completed activity in 15 days (the stage allows 10)");
  EXPECT_EQ(o2.at("reasons")[1], "The next step's date passed 3 days ago");
  EXPECT_EQ(o2.at("reasons")[2], "Not met: We have met the economic buyer");
  EXPECT_EQ(o2.at("actions").size(), 21u);
  EXPECT_EQ(o2.at("actions")[2], "Book a meeting with the economic buyer");
  const json& zeta = j.at("items")[10];
  EXPECT_EQ(zeta.at("subject_type"), "account");
  EXPECT_EQ(zeta.at("stage"), "customer");
  EXPECT_EQ(zeta.at("abc_class"), "C");
  EXPECT_EQ(zeta.at("value"), json({{"minor", 40'000}, {"currency", "DKK"}}));
  EXPECT_EQ(zeta.at("reasons")[0], "0 touchpoints in the last 12 months (the class's target is 1)");
}

// --- scope ------------------------------------------------------------------------------------

TEST_F(PipelineAuditTest, ScopeLabelsNameTheOwners) {
  BuildWorld();
  EXPECT_EQ(ScopeLabel(*store_, {}).value(), "company");
  AuditScope team;
  team.team_id = Id("Nord");
  EXPECT_EQ(ScopeLabel(*store_, team).value(), "team:Nord");
  AuditScope rep;
  rep.rep_id = Id("rep1");
  EXPECT_EQ(ScopeLabel(*store_, rep).value(), "rep:rep1@example.com");
  AuditScope both = team;
  both.rep_id = Id("rep1");
  EXPECT_EQ(ScopeLabel(*store_, both).value(), "team:Nord,rep:rep1@example.com");
  AuditScope unknown_team;
  unknown_team.team_id = 999;
  EXPECT_THAT(ScopeLabel(*store_, unknown_team), StatusIs(StatusCode::kNotFound));
  AuditScope unknown_rep;
  unknown_rep.rep_id = 999;
  EXPECT_THAT(ScopeLabel(*store_, unknown_rep), StatusIs(StatusCode::kNotFound));
}

TEST_F(PipelineAuditTest, ScopeAndViewerNarrowTheItems) {
  BuildWorld();
  auto names = [&](AuditScope scope) -> Strings {
    Result<AuditOutcome> outcome = Run(D(), scope);
    EXPECT_TRUE(outcome.ok()) << outcome.status().ToString();
    if (!outcome.ok()) return {"error"};
    const audit::Report& r = outcome->report;
    EXPECT_EQ(r.summary[0] + r.summary[1] + r.summary[2],
              static_cast<int64_t>(outcome->items.size()));
    return Names(*outcome);
  };
  auto viewer = [&](const std::string& user) {
    AuditScope scope;
    scope.viewer = &P(user);
    return scope;
  };
  const Strings everything = {"o1",   "o2",   "o3",    "o4",      "o5",   "o8",
                              "alfa", "beta", "delta", "epsilon", "zeta", "eta"};
  EXPECT_EQ(names({}), everything);
  EXPECT_EQ(names(viewer("exec")), everything);
  EXPECT_EQ(names(viewer("admin")), everything);
  EXPECT_THAT(names(viewer("rep1")), ElementsAre("o1", "o3", "o5", "alfa", "zeta"));
  EXPECT_THAT(names(viewer("rep2")), ElementsAre("o2", "beta", "epsilon"));
  EXPECT_THAT(names(viewer("rep3")), ElementsAre("o4", "delta", "eta"));
  EXPECT_THAT(names(viewer("mgr")),
              ElementsAre("o1", "o2", "o3", "o5", "o8", "alfa", "beta", "epsilon", "zeta"));
  {
    AuditScope mkt = viewer("mkt");
    SB_ASSERT_OK_AND_ASSIGN(std::shared_ptr<const AuditData> data, Load(D()));
    EXPECT_THAT(RunAudit(*store_, data, mkt, "company"), StatusIs(StatusCode::kPermissionDenied));
  }
  AuditScope syd;
  syd.team_id = Id("Syd");
  EXPECT_THAT(names(syd), ElementsAre("o4", "delta", "eta"));
  AuditScope nord;
  nord.team_id = Id("Nord");
  EXPECT_THAT(names(nord),
              ElementsAre("o1", "o2", "o3", "o5", "o8", "alfa", "beta", "epsilon", "zeta"));
  AuditScope rep2;
  rep2.rep_id = Id("rep2");
  EXPECT_THAT(names(rep2), ElementsAre("o2", "beta", "epsilon"));
  // Scope and viewer together: the intersection.
  AuditScope nord_by_rep1 = nord;
  nord_by_rep1.viewer = &P("rep1");
  EXPECT_THAT(names(nord_by_rep1), ElementsAre("o1", "o3", "o5", "alfa", "zeta"));
  AuditScope rep2_by_mgr = rep2;
  rep2_by_mgr.viewer = &P("mgr");
  EXPECT_THAT(names(rep2_by_mgr), ElementsAre("o2", "beta", "epsilon"));
  AuditScope syd_by_mgr = syd;
  syd_by_mgr.viewer = &P("mgr");
  EXPECT_THAT(names(syd_by_mgr), IsEmpty());
  AuditScope rep3_by_rep1;
  rep3_by_rep1.rep_id = Id("rep3");
  rep3_by_rep1.viewer = &P("rep1");
  EXPECT_THAT(names(rep3_by_rep1), IsEmpty());

  // The report carries the label it was given.
  SB_ASSERT_OK_AND_ASSIGN(AuditOutcome team_outcome, Run(D(), syd));
  EXPECT_EQ(team_outcome.report.scope, "team:Syd");
  EXPECT_EQ(team_outcome.report.summary, (std::array<int64_t, 3>{0, 0, 3}));
}

// --- as of a past date ------------------------------------------------------------------------

TEST_F(PipelineAuditTest, AnAuditAsOfASavedRunsDateReproducesItAfterTheDataChanged) {
  BuildWorld();
  SB_ASSERT_OK_AND_ASSIGN(AuditOutcome first, Run(D()));
  SB_ASSERT_OK_AND_ASSIGN(AuditRun run, SaveRun(*store_, first, UserId{Id("admin")}, At(0, 18)));
  EXPECT_GT(run.id.value, 0);
  EXPECT_EQ(run.as_of, D());
  EXPECT_EQ(run.scope, "company");
  EXPECT_EQ(run.playbooks, "default-opportunity@builtin,default-account@builtin");
  EXPECT_EQ(run.items, 12);
  EXPECT_EQ(run.green, 1);
  EXPECT_EQ(run.yellow, 3);
  EXPECT_EQ(run.red, 8);
  EXPECT_EQ(run.created_by, UserId{Id("admin")});
  SB_ASSERT_OK_AND_ASSIGN(AuditRun stored, store_->audit_runs().Get(run.id));
  EXPECT_EQ(stored, run);
  const json saved = json::parse(stored.report);
  EXPECT_EQ(saved.at("items"), SavedReportJson(first, 0).at("items"));
  EXPECT_EQ(saved.at("items")[0], json({"opportunity", Id("o1"), "yellow", 4, 2, 2, 2, 2, false}));
  EXPECT_EQ(saved.at("playbooks"), run.playbooks);
  EXPECT_EQ(saved.at("summary"), json({{"items", 12}, {"green", 1}, {"yellow", 3}, {"red", 8}}));

  // --- after D, the data changes ---
  // Two days later rep2 moves o2 to commit with a new amount, and rep1 loses o3.
  clock_.Advance(hours(40));  // D+2 10:00
  SB_ASSERT_OK(Records().Update(P("rep2"), Kind::kOpportunities, Id("o2"),
                                {{"version", VersionOf(Id("o2"))},
                                 {"stage", "commit"},
                                 {"amount", "600000"},
                                 {"currency", "SEK"},
                                 {"next_step_date", FormatDate(On(9))}}));
  SB_ASSERT_OK(Records().Update(P("rep1"), Kind::kOpportunities, Id("o3"),
                                {{"version", VersionOf(Id("o3"))}, {"stage", "closed_lost"}}));
  {
    SB_ASSERT_OK_AND_ASSIGN(Opportunity o3, store_->opportunities().Get(OpportunityId{Id("o3")}));
    ASSERT_EQ(o3.closed_on, On(2));
  }
  // o4 is moved by an import: the record and a history row three days after D.
  {
    SB_ASSERT_OK_AND_ASSIGN(Opportunity o4, store_->opportunities().Get(OpportunityId{Id("o4")}));
    o4.stage = Stage::kPropose;
    o4.amount.minor_units = 40'000'000;
    o4.close_on = On(40);
    o4.updated_at = At(3);
    SB_ASSERT_OK(store_->opportunities().Update(o4));
    OpportunityChange change;
    change.opportunity_id = o4.id;
    change.changed_at = At(3);
    change.stage = o4.stage;
    change.amount = o4.amount;
    change.close_on = o4.close_on;
    change.next_step_on = o4.next_step_on;
    SB_ASSERT_OK(store_->opportunity_changes().Insert(change).status());
  }
  // Answers, activities, a contact, an order and a new deal after D.
  AnswerRequest answer;
  answer.subject_type = SubjectType::kOpportunity;
  answer.subject_id = Id("o1");
  answer.criterion_id = "understanding_confirmed";
  answer.answer = Answer::kYes;
  SB_ASSERT_OK(RecordAnswer(*store_, P("rep1"), answer, clock_.Now()));
  answer.subject_type = SubjectType::kAccount;
  answer.subject_id = Id("beta");
  answer.criterion_id = "plan_exists";
  SB_ASSERT_OK(RecordAnswer(*store_, P("rep2"), answer, clock_.Now()));
  AddActivity({.name = "late1",
               .type = ActivityType::kMeeting,
               .at = At(1),
               .owner = "rep2",
               .account = "beta",
               .contact = "eb2",
               .deal = "o2"});
  AddActivity({.name = "late2",
               .type = ActivityType::kCall,
               .at = At(2),
               .owner = "rep1",
               .account = "zeta"});
  AddContact("eb3", "gamma", BuyingRole::kEconomicBuyer, 3, At(1));
  AddOrder("gamma", 1, 50'000);
  AddDeal({.name = "o10",
           .account = "zeta",
           .owner = "rep1",
           .stage = Stage::kQualify,
           .amount = 5'000'000,
           .created = 1,
           .close = 60});
  ActionRequest action;
  action.subject_id = Id("o8");
  action.criterion_id = "compelling_event";
  action.due = On(5);
  SB_ASSERT_OK(CreateAction(*store_, P("mgr"), action, clock_.Now()));
  // Fields without history of their own change too: they are rolled back from the change log.
  // o1 gets competitors recorded and a new owner; alfa's economic buyer turns champion and
  // weaker; beta's economic buyer grows stronger.
  SB_ASSERT_OK(Records().Update(P("admin"), Kind::kOpportunities, Id("o1"),
                                {{"version", VersionOf(Id("o1"))},
                                 {"competitors", "Visma;SAP"},
                                 {"owner_email", "rep2@example.com"}}));
  {
    SB_ASSERT_OK_AND_ASSIGN(json eb1, Records().Get(P("admin"), Kind::kContacts, Id("eb1")));
    SB_ASSERT_OK(Records().Update(
        P("admin"), Kind::kContacts, Id("eb1"),
        {{"version", eb1["version"]}, {"buying_role", "champion"}, {"relationship_strength", 1}}));
    SB_ASSERT_OK_AND_ASSIGN(json eb2, Records().Get(P("admin"), Kind::kContacts, Id("eb2")));
    SB_ASSERT_OK(Records().Update(P("admin"), Kind::kContacts, Id("eb2"),
                                  {{"version", eb2["version"]}, {"relationship_strength", 4}}));
  }

  // As of D, nothing of that shows: the saved run is reproduced exactly.
  SB_ASSERT_OK_AND_ASSIGN(AuditOutcome again, Run(D()));
  const json reproduced = SavedReportJson(again, 0);
  EXPECT_EQ(reproduced.at("items"), saved.at("items"));
  EXPECT_EQ(reproduced.at("summary"), saved.at("summary"));
  EXPECT_EQ(reproduced.at("sections"), saved.at("sections"));
  EXPECT_EQ(reproduced.at("playbooks"), saved.at("playbooks"));
  EXPECT_EQ(reproduced.at("as_of"), saved.at("as_of"));
  // Its trend is against the run saved on D: nothing moved.
  ASSERT_TRUE(again.report.trend.has_value());
  EXPECT_EQ(again.report.trend->previous_run_id, run.id.value);
  EXPECT_EQ(again.report.trend->unchanged, 12);
  EXPECT_EQ(again.report.trend->added + again.report.trend->gone + again.report.trend->to_green +
                again.report.trend->to_red + again.report.trend->to_yellow,
            0);
  // Closed before D (w1, w4, lost6) or created after D (o10): not audited as of D.
  for (const char* name : {"w1", "w4", "lost6", "o10"}) {
    EXPECT_EQ(again.data->opportunity_index.Find(Id(name)), -1) << name;
  }
  // o2 as it stood on D.
  const audit::OpportunityFacts& o2 = again.data->input.opportunities.at(
      static_cast<size_t>(again.data->opportunity_index.Find(Id("o2"))));
  EXPECT_EQ(o2.stage, Stage::kNegotiate);
  EXPECT_EQ(o2.amount.minor_units, 50'000'000);

  // Three days after D the picture differs.
  SB_ASSERT_OK_AND_ASSIGN(AuditOutcome later, Run(On(3)));
  EXPECT_NE(SavedReportJson(later, 0).at("items"), saved.at("items"));
  // o3 lost, o10 opened; gamma ordered after D; epsilon's only order is now 367 days old.
  EXPECT_THAT(Names(later), ElementsAre("o1", "o2", "o4", "o5", "o8", "o10", "alfa", "beta",
                                        "gamma", "delta", "zeta", "eta"));
  const audit::OpportunityFacts& o2_later = later.data->input.opportunities.at(
      static_cast<size_t>(later.data->opportunity_index.Find(Id("o2"))));
  EXPECT_EQ(o2_later.stage, Stage::kCommit);
  EXPECT_EQ(o2_later.amount.minor_units, 60'000'000);
  const audit::OpportunityFacts& o4_later = later.data->input.opportunities.at(
      static_cast<size_t>(later.data->opportunity_index.Find(Id("o4"))));
  EXPECT_EQ(o4_later.stage, Stage::kPropose);
  EXPECT_EQ(o4_later.amount.minor_units, 40'000'000);
  const audit::Playbook& op = *later.data->input.opportunity_playbook;
  EXPECT_EQ(AnswerOf(op, *Find(later, "o2"), "eb_met"), Answer::kYes);  // late1
  EXPECT_EQ(AnswerOf(op, *Find(later, "o1"), "understanding_confirmed"), Answer::kYes);
}

TEST_F(PipelineAuditTest, ADealClosedAfterDIsAuditedAsOfDFromItsHistory) {
  BuildWorld();
  // o5 is won the day after D, through the service.
  clock_.Advance(hours(16));  // D+1 10:00
  SB_ASSERT_OK(Records().Update(P("rep1"), Kind::kOpportunities, Id("o5"),
                                {{"version", VersionOf(Id("o5"))}, {"stage", "closed_won"}}));
  SB_ASSERT_OK_AND_ASSIGN(AuditOutcome at_d, Run(D()));
  EXPECT_NE(Find(at_d, "o5"), nullptr);
  EXPECT_EQ(Find(at_d, "o5")->colour, audit::Colour::kGreen);
  SB_ASSERT_OK_AND_ASSIGN(AuditOutcome after, Run(On(1)));
  EXPECT_EQ(Find(after, "o5"), nullptr);
}

// --- trend ------------------------------------------------------------------------------------

TEST_F(PipelineAuditTest, TrendCountsMovesAgainstThePreviousSavedRunOfTheScope) {
  BuildWorld();
  AuditScope rep1;
  rep1.rep_id = Id("rep1");
  SB_ASSERT_OK_AND_ASSIGN(AuditOutcome first, Run(D(), rep1));
  EXPECT_EQ(first.report.scope, "rep:rep1@example.com");
  EXPECT_THAT(Names(first), ElementsAre("o1", "o3", "o5", "alfa", "zeta"));
  EXPECT_FALSE(first.report.trend.has_value());
  SB_ASSERT_OK_AND_ASSIGN(AuditRun run1, SaveRun(*store_, first, UserId{Id("rep1")}, At(0, 18)));
  // A company run does not count for the rep's trend.
  SB_ASSERT_OK_AND_ASSIGN(AuditOutcome company, Run(D()));
  SB_ASSERT_OK(SaveRun(*store_, company, std::nullopt, At(0, 19)).status());

  // The next day: o1 is fixed (understanding confirmed, a meeting with the champion today),
  // o3 is lost, o5's close date is moved to D (now passed), o9 is opened.
  clock_.Advance(hours(18));  // D+1 12:00
  for (const char* criterion : {"understanding_confirmed", "decision_criteria_known"}) {
    AnswerRequest answer;
    answer.subject_id = Id("o1");
    answer.criterion_id = criterion;
    answer.answer = Answer::kYes;
    SB_ASSERT_OK(RecordAnswer(*store_, P("rep1"), answer, clock_.Now()));
  }
  AddActivity({.name = "fix1",
               .type = ActivityType::kMeeting,
               .at = At(1),
               .owner = "rep1",
               .account = "alfa",
               .contact = "champ1",
               .deal = "o1"});
  SB_ASSERT_OK(Records().Update(P("rep1"), Kind::kOpportunities, Id("o3"),
                                {{"version", VersionOf(Id("o3"))}, {"stage", "closed_lost"}}));
  SB_ASSERT_OK(
      Records().Update(P("rep1"), Kind::kOpportunities, Id("o5"),
                       {{"version", VersionOf(Id("o5"))}, {"close_date", FormatDate(D())}}));
  SB_ASSERT_OK_AND_ASSIGN(json o9, Records().Create(P("rep1"), Kind::kOpportunities,
                                                    {{"account_id", Id("zeta")},
                                                     {"name", "o9"},
                                                     {"stage", "qualify"},
                                                     {"amount", 1000},
                                                     {"currency", "DKK"},
                                                     {"close_date", FormatDate(On(60))}}));
  id_["o9"] = o9.at("id").get<int64_t>();

  SB_ASSERT_OK_AND_ASSIGN(AuditOutcome second, Run(On(1), rep1));
  EXPECT_THAT(Names(second), ElementsAre("o1", "o5", "o9", "alfa", "zeta"));
  EXPECT_EQ(Find(second, "o1")->colour, audit::Colour::kGreen);
  EXPECT_EQ(Find(second, "o5")->colour, audit::Colour::kRed);
  EXPECT_EQ(Find(second, "alfa")->colour, audit::Colour::kYellow);
  EXPECT_EQ(Find(second, "zeta")->colour, audit::Colour::kRed);
  ASSERT_TRUE(second.report.trend.has_value());
  const audit::Trend& t = *second.report.trend;
  EXPECT_EQ(t.previous_run_id, run1.id.value);
  EXPECT_EQ(t.previous_as_of, first.report.as_of);
  EXPECT_EQ(t.to_green, 1);  // o1
  EXPECT_EQ(t.to_red, 1);    // o5
  EXPECT_EQ(t.to_yellow, 0);
  EXPECT_EQ(t.unchanged, 2);  // alfa, zeta
  EXPECT_EQ(t.added, 1);      // o9
  EXPECT_EQ(t.gone, 1);       // o3
  SB_ASSERT_OK_AND_ASSIGN(AuditRun run2,
                          SaveRun(*store_, second, UserId{Id("rep1")}, clock_.Now()));
  const json trend = json::parse(run2.report).at("trend");
  EXPECT_EQ(trend.at("previous_run_id"), run1.id.value);
  EXPECT_EQ(trend.at("to_green"), 1);
  EXPECT_EQ(trend.at("gone"), 1);

  // Against the second saved run nothing has moved.
  SB_ASSERT_OK_AND_ASSIGN(AuditOutcome third, Run(On(1), rep1));
  ASSERT_TRUE(third.report.trend.has_value());
  EXPECT_EQ(third.report.trend->previous_run_id, run2.id.value);
  EXPECT_EQ(third.report.trend->unchanged, 5);
  EXPECT_EQ(third.report.trend->to_green + third.report.trend->to_red +
                third.report.trend->to_yellow + third.report.trend->added +
                third.report.trend->gone,
            0);
}

TEST_F(PipelineAuditTest, ThePreviousRunIsTheOneWithTheLatestAuditDateNotTheLatestSaved) {
  BuildWorld();
  SB_ASSERT_OK_AND_ASSIGN(AuditOutcome at_d, Run(D()));
  SB_ASSERT_OK_AND_ASSIGN(AuditRun run_d, SaveRun(*store_, at_d, std::nullopt, At(0, 18)));
  // Later someone saves an audit of an earlier date (a back-filled run).
  SB_ASSERT_OK_AND_ASSIGN(AuditOutcome back, Run(On(-10)));
  SB_ASSERT_OK_AND_ASSIGN(AuditRun run_back, SaveRun(*store_, back, std::nullopt, At(1, 9)));
  ASSERT_NE(run_back.id, run_d.id);
  // The audit of D+1 compares with D's run, the one just before it.
  SB_ASSERT_OK_AND_ASSIGN(AuditOutcome next, Run(On(1)));
  ASSERT_TRUE(next.report.trend.has_value());
  EXPECT_EQ(next.report.trend->previous_run_id, run_d.id.value);
  // And an audit of D-5 with the back-filled one (D's run lies after it).
  SB_ASSERT_OK_AND_ASSIGN(AuditOutcome before, Run(On(-5)));
  ASSERT_TRUE(before.report.trend.has_value());
  EXPECT_EQ(before.report.trend->previous_run_id, run_back.id.value);
}

// --- actions ----------------------------------------------------------------------------------

TEST_F(PipelineAuditTest, CreateActionPlansATaskForTheOwnerInThePrincipalsLanguage) {
  BuildWorld();
  SB_ASSERT_OK_AND_ASSIGN(ActivePlaybooks playbooks, LoadActivePlaybooks(*store_));
  const audit::Criterion* confirmed =
      playbooks.opportunity.playbook.Find("understanding_confirmed");
  ASSERT_NE(confirmed, nullptr);
  const std::string danish = confirmed->action.In(audit::LocaleIndex("da"));
  ASSERT_NE(danish, confirmed->action.In(0));

  const int64_t log_before = AuditLogCount("activities");
  ActionRequest request;
  request.subject_id = Id("o1");
  request.criterion_id = "understanding_confirmed";
  request.due = On(7);
  request.note = "før styregruppemødet";
  SB_ASSERT_OK_AND_ASSIGN(ActionItem item, CreateAction(*store_, P("mgr"), request, clock_.Now()));
  EXPECT_GT(item.id.value, 0);
  EXPECT_EQ(item.subject_type, SubjectType::kOpportunity);
  EXPECT_EQ(item.subject_id, Id("o1"));
  EXPECT_EQ(item.criterion_id, "understanding_confirmed");
  EXPECT_EQ(item.created_by, UserId{Id("mgr")});
  EXPECT_EQ(item.created_at, clock_.Now());
  EXPECT_FALSE(item.run_id.has_value());
  SB_ASSERT_OK_AND_ASSIGN(ActionItem stored_item, store_->action_items().Get(item.id));
  EXPECT_EQ(stored_item, item);

  SB_ASSERT_OK_AND_ASSIGN(Activity task, store_->activities().Get(item.activity_id));
  EXPECT_EQ(task.type, ActivityType::kTask);
  EXPECT_EQ(task.status, ActivityStatus::kPlanned);
  EXPECT_EQ(task.at, StartOf(On(7)) + hours(8));
  EXPECT_EQ(task.owner_id, UserId{Id("rep1")});  // the deal's owner
  EXPECT_EQ(task.opportunity_id, OpportunityId{Id("o1")});
  EXPECT_EQ(task.account_id, AccountId{Id("alfa")});
  EXPECT_EQ(task.notes, danish + " — før styregruppemødet");
  EXPECT_EQ(task.created_at, clock_.Now());
  EXPECT_EQ(AuditLogCount("activities"), log_before + 1);

  // Given to someone of the manager's team, tied to a saved run, without a note, due today.
  SB_ASSERT_OK_AND_ASSIGN(AuditOutcome outcome, Run(D()));
  SB_ASSERT_OK_AND_ASSIGN(AuditRun run, SaveRun(*store_, outcome, std::nullopt, clock_.Now()));
  ActionRequest given;
  given.subject_id = Id("o1");
  given.criterion_id = "decision_criteria_known";
  given.owner_id = Id("rep2");
  given.due = D();
  given.run_id = run.id.value;
  SB_ASSERT_OK_AND_ASSIGN(ActionItem given_item,
                          CreateAction(*store_, P("mgr"), given, clock_.Now()));
  EXPECT_EQ(given_item.run_id, run.id);
  SB_ASSERT_OK_AND_ASSIGN(Activity given_task, store_->activities().Get(given_item.activity_id));
  EXPECT_EQ(given_task.owner_id, UserId{Id("rep2")});
  EXPECT_EQ(given_task.at, StartOf(D()) + hours(8));
  EXPECT_EQ(given_task.notes, playbooks.opportunity.playbook.Find("decision_criteria_known")
                                  ->action.In(audit::LocaleIndex("da")));

  // An account action, by a rep in English, for the account's owner.
  ActionRequest account;
  account.subject_type = SubjectType::kAccount;
  account.subject_id = Id("beta");
  account.criterion_id = "plan_exists";
  account.due = On(14);
  SB_ASSERT_OK_AND_ASSIGN(ActionItem account_item,
                          CreateAction(*store_, P("rep2"), account, clock_.Now()));
  SB_ASSERT_OK_AND_ASSIGN(Activity account_task,
                          store_->activities().Get(account_item.activity_id));
  EXPECT_EQ(account_task.owner_id, UserId{Id("rep2")});
  EXPECT_EQ(account_task.account_id, AccountId{Id("beta")});
  EXPECT_FALSE(account_task.opportunity_id.has_value());
  EXPECT_EQ(account_task.notes, playbooks.account.playbook.Find("plan_exists")
                                    ->action.In(audit::LocaleIndex("sv")));  // rep2 reads Swedish

  // A staleness action needs a note, which is then the whole text.
  ActionRequest stale;
  stale.subject_id = Id("o2");
  stale.due = On(1);
  Result<ActionItem> no_note = CreateAction(*store_, P("rep2"), stale, clock_.Now());
  EXPECT_THAT(no_note, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(no_note.status().field(), "note");
  stale.note = "Call Beta's CFO";
  SB_ASSERT_OK_AND_ASSIGN(ActionItem stale_item,
                          CreateAction(*store_, P("rep2"), stale, clock_.Now()));
  EXPECT_EQ(stale_item.criterion_id, "");
  SB_ASSERT_OK_AND_ASSIGN(Activity stale_task, store_->activities().Get(stale_item.activity_id));
  EXPECT_EQ(stale_task.notes, "Call Beta's CFO");
}

TEST_F(PipelineAuditTest, CreateActionRefusesPastDatesUnknownCriteriaAndStrangers) {
  BuildWorld();
  auto count = [&]() {
    Result<int64_t> n = store_->action_items().Count(storage::ListQuery{});
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  };
  auto activities = [&]() {
    Result<int64_t> n = store_->activities().Count(storage::ListQuery{});
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  };
  const int64_t items_before = count();
  const int64_t activities_before = activities();
  ActionRequest base;
  base.subject_id = Id("o1");
  base.criterion_id = "understanding_confirmed";
  base.due = On(3);

  ActionRequest past = base;
  past.due = On(-1);
  Result<ActionItem> r = CreateAction(*store_, P("rep1"), past, clock_.Now());
  EXPECT_THAT(r, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(r.status().field(), "due");

  ActionRequest unknown = base;
  unknown.criterion_id = "plan_exists";  // an account criterion
  r = CreateAction(*store_, P("rep1"), unknown, clock_.Now());
  EXPECT_THAT(r, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(r.status().field(), "criterion_id");

  // A rep's people are themselves only; a manager's are the team.
  ActionRequest to_colleague = base;
  to_colleague.owner_id = Id("rep2");
  r = CreateAction(*store_, P("rep1"), to_colleague, clock_.Now());
  EXPECT_THAT(r, StatusIs(StatusCode::kPermissionDenied));
  EXPECT_EQ(r.status().field(), "owner_id");
  ActionRequest other_team = base;
  other_team.owner_id = Id("rep3");
  EXPECT_THAT(CreateAction(*store_, P("mgr"), other_team, clock_.Now()),
              StatusIs(StatusCode::kPermissionDenied));
  ActionRequest nobody = base;
  nobody.owner_id = 999;
  r = CreateAction(*store_, P("mgr"), nobody, clock_.Now());
  EXPECT_THAT(r, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(r.status().field(), "owner_id");

  // Subjects the principal cannot see or change.
  ActionRequest hidden = base;
  hidden.subject_id = Id("o2");
  EXPECT_THAT(CreateAction(*store_, P("rep1"), hidden, clock_.Now()),
              StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(CreateAction(*store_, P("mkt"), base, clock_.Now()), StatusIs(StatusCode::kNotFound));

  EXPECT_EQ(count(), items_before);
  EXPECT_EQ(activities(), activities_before);

  // An executive directs the work: plans an action on any item, for its owner.
  SB_ASSERT_OK_AND_ASSIGN(ActionItem directed,
                          CreateAction(*store_, P("exec"), base, clock_.Now()));
  SB_ASSERT_OK_AND_ASSIGN(Activity task, store_->activities().Get(directed.activity_id));
  EXPECT_NE(task.owner_id, UserId{Id("exec")});

  // To themselves, a rep may.
  ActionRequest self = base;
  self.owner_id = Id("rep1");
  SB_EXPECT_OK(CreateAction(*store_, P("rep1"), self, clock_.Now()));
}

TEST_F(PipelineAuditTest, TheNextAuditShowsWhetherAnActionsGapClosed) {
  BuildWorld();
  ActionRequest manual;
  manual.subject_id = Id("o1");
  manual.criterion_id = "understanding_confirmed";
  manual.due = On(7);
  SB_ASSERT_OK_AND_ASSIGN(ActionItem manual_item,
                          CreateAction(*store_, P("rep1"), manual, clock_.Now()));
  ActionRequest automatic;
  automatic.subject_id = Id("o3");
  automatic.criterion_id = "eb_identified";
  automatic.due = On(3);
  SB_ASSERT_OK_AND_ASSIGN(ActionItem auto_item,
                          CreateAction(*store_, P("rep1"), automatic, clock_.Now()));
  ActionRequest stale;
  stale.subject_id = Id("o2");
  stale.due = On(1);
  stale.note = "Call them";
  SB_ASSERT_OK_AND_ASSIGN(ActionItem stale_item,
                          CreateAction(*store_, P("rep2"), stale, clock_.Now()));

  auto status_of = [](const AuditOutcome& outcome,
                      const ActionItem& item) -> const audit::ActionStatus* {
    for (const audit::ActionStatus& a : outcome.report.actions) {
      if (a.activity_id == item.activity_id.value) return &a;
    }
    return nullptr;
  };
  {
    SB_ASSERT_OK_AND_ASSIGN(AuditOutcome outcome, Run(D()));
    EXPECT_EQ(outcome.report.actions.size(), 3u);
    const audit::ActionStatus* a = status_of(outcome, manual_item);
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->subject_type, SubjectType::kOpportunity);
    EXPECT_EQ(a->subject_id, Id("o1"));
    EXPECT_EQ(a->subject_name, "o1");
    EXPECT_EQ(a->criterion_id, "understanding_confirmed");
    EXPECT_EQ(a->criterion_text, "The customer confirmed our understanding");
    EXPECT_EQ(a->owner_id, Id("rep1"));
    EXPECT_EQ(a->due, static_cast<audit::Day>(On(7).time_since_epoch().count()));
    EXPECT_FALSE(a->done);
    EXPECT_EQ(a->closed, std::optional<bool>(false));
    ASSERT_NE(status_of(outcome, auto_item), nullptr);
    EXPECT_EQ(status_of(outcome, auto_item)->closed, std::optional<bool>(false));
    ASSERT_NE(status_of(outcome, stale_item), nullptr);
    EXPECT_EQ(status_of(outcome, stale_item)->closed, std::optional<bool>(false));
    // A rep's audit shows only the actions on their items.
    AuditScope rep2;
    rep2.viewer = &P("rep2");
    SB_ASSERT_OK_AND_ASSIGN(AuditOutcome rep2_outcome, Run(D(), rep2));
    ASSERT_EQ(rep2_outcome.report.actions.size(), 1u);
    EXPECT_EQ(rep2_outcome.report.actions[0].activity_id, stale_item.activity_id.value);
  }

  // The rep confirms the understanding, an economic buyer is added at Gamma, and the task is
  // done.
  clock_.Advance(hours(1));
  AnswerRequest answer;
  answer.subject_id = Id("o1");
  answer.criterion_id = "understanding_confirmed";
  answer.answer = Answer::kYes;
  SB_ASSERT_OK(RecordAnswer(*store_, P("rep1"), answer, clock_.Now()));
  AddContact("eb3", "gamma", BuyingRole::kEconomicBuyer, 2, clock_.Now());
  SB_ASSERT_OK_AND_ASSIGN(Activity task, store_->activities().Get(manual_item.activity_id));
  task.status = ActivityStatus::kCompleted;
  task.updated_at = clock_.Now();
  SB_ASSERT_OK(store_->activities().Update(task));
  {
    SB_ASSERT_OK_AND_ASSIGN(AuditOutcome outcome, Run(D()));
    const audit::ActionStatus* a = status_of(outcome, manual_item);
    ASSERT_NE(a, nullptr);
    EXPECT_TRUE(a->done);
    EXPECT_EQ(a->closed, std::optional<bool>(true));
    ASSERT_NE(status_of(outcome, auto_item), nullptr);
    EXPECT_EQ(status_of(outcome, auto_item)->closed, std::optional<bool>(true));
    EXPECT_EQ(status_of(outcome, stale_item)->closed, std::optional<bool>(false));
    // o1 is now green: its area 2 is 3 of 3.
    EXPECT_EQ(Find(outcome, "o1")->colour, audit::Colour::kGreen);
    // The JSON report says so too.
    const json j = audit::ReportJson(outcome.data->input, outcome.items, outcome.data->labels,
                                     outcome.report, 0, /*with_items=*/false);
    bool seen = false;
    for (const json& action : j.at("actions")) {
      if (action.at("activity_id") != manual_item.activity_id.value) continue;
      seen = true;
      EXPECT_EQ(action.at("gap_closed"), true);
      EXPECT_EQ(action.at("owner"), "rep1@example.com");
      EXPECT_EQ(action.at("due"), FormatDate(On(7)));
    }
    EXPECT_TRUE(seen);
  }
  // As of a day before the answer, the gap was still open.
  SB_ASSERT_OK_AND_ASSIGN(AuditOutcome before, Run(On(-1)));
  ASSERT_NE(status_of(before, manual_item), nullptr);
  EXPECT_EQ(status_of(before, manual_item)->closed, std::optional<bool>(false));
}

}  // namespace
}  // namespace salesbox::service

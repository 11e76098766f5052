// SPDX-License-Identifier: MIT
// RecordService and the access rules (access.h) against a real in-memory SQLite store: a small
// company of two teams (a manager and two reps each), an executive, a marketing user and an
// admin, with one account shared across the teams. Every role's lists, gets, updates and
// deletes are checked against a hand-written table of who sees and changes what, then
// versions, validation, opportunity history, the audit log and list parameters.
#include "service/record_service.h"

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "service/access.h"
#include "service/auth.h"
#include "storage/open_store.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"

namespace salesbox::service {
namespace {

using ::salesbox::test::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using json = nlohmann::json;
using Names = std::set<std::string>;
using std::chrono::days;
using std::chrono::hours;

const std::vector<std::string> kUsers = {"mn",  "rn1",  "rn2", "ms",   "rs1",
                                         "rs2", "exec", "mkt", "admin"};

class RecordServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SB_ASSERT_OK_AND_ASSIGN(store_, storage::OpenStore("sqlite::memory:"));
    dkk_ = Currency::Parse("DKK").value();
    BuildWorld();
  }

  // --- the world ------------------------------------------------------------------------------
  //
  //   North: manager mn, reps rn1 rn2        South: manager ms, reps rs1 rs2
  //   exec (executive), mkt (marketing), admin: no team
  //
  //   account  owner  contact   opportunities             order      activities
  //   aN1      rn1    cN1       oN1 (rn1)                 ordN1      actN1 (rn1), actExec (exec)
  //   aN2      rn2    cN2       oN2 (rn2)
  //   aS1      rs1    cS1       oS1 (rs1)                 ordS1      actS1 (rs1)
  //   aS2      rs2    cS2       oS2 (rs2), oCross (rn2)
  //   aShared  rs1    cShared   oShared (rs1)             ordShared  actShared (rs1)
  //            shared with rn1
  //   aFree    -      cFree     oMkt (mkt)
  //
  //   leads: lN1 (rn1), lS1 (rs1), lMkt (mkt, with activity actMkt), lFree (no owner)
  //   campaigns: cmpSpring; teams: North, South; segCore (core) with objective objMeetings and
  //   value proposition vpCore
  void BuildWorld() {
    north_ = AddTeam("North");
    south_ = AddTeam("South");
    AddUser("mn", Role::kManager, north_);
    AddUser("rn1", Role::kRep, north_);
    AddUser("rn2", Role::kRep, north_);
    AddUser("ms", Role::kManager, south_);
    AddUser("rs1", Role::kRep, south_);
    AddUser("rs2", Role::kRep, south_);
    AddUser("exec", Role::kExecutive, std::nullopt);
    AddUser("mkt", Role::kMarketing, std::nullopt);
    AddUser("admin", Role::kAdmin, std::nullopt);
    SetManager(north_, "mn");
    SetManager(south_, "ms");

    AddAccount("aN1", "rn1");
    AddAccount("aN2", "rn2");
    AddAccount("aS1", "rs1");
    AddAccount("aS2", "rs2");
    AddAccount("aShared", "rs1");
    AddAccount("aFree", "");
    Share("aShared", "rn1");

    for (const char* a : {"N1", "N2", "S1", "S2", "Shared", "Free"}) {
      AddContact(std::string("c") + a, std::string("a") + a);
    }

    AddOpportunity("oN1", "aN1", "rn1", MakeDate(2025, 6, 30));
    AddOpportunity("oN2", "aN2", "rn2", MakeDate(2025, 6, 30));
    AddOpportunity("oS1", "aS1", "rs1", MakeDate(2025, 6, 30));
    AddOpportunity("oS2", "aS2", "rs2", MakeDate(2025, 6, 30));
    AddOpportunity("oShared", "aShared", "rs1", MakeDate(2025, 4, 30));
    AddOpportunity("oCross", "aS2", "rn2", MakeDate(2025, 6, 30));
    AddOpportunity("oMkt", "aFree", "mkt", MakeDate(2025, 6, 30));

    AddOrder("ordN1", "aN1");
    AddOrder("ordS1", "aS1");
    AddOrder("ordShared", "aShared");

    AddLead("lN1", "rn1");
    AddLead("lS1", "rs1");
    AddLead("lMkt", "mkt");
    AddLead("lFree", "");

    AddActivity("actN1", "rn1", "aN1", "");
    AddActivity("actS1", "rs1", "aS1", "");
    AddActivity("actShared", "rs1", "aShared", "");
    AddActivity("actExec", "exec", "aN1", "");
    AddActivity("actMkt", "mkt", "", "lMkt");

    Campaign campaign;
    campaign.external_id = "cmpSpring";
    campaign.name = "cmpSpring";
    Remember(Kind::kCampaigns, "cmpSpring", store_->campaigns().Insert(campaign));

    Segment segment;
    segment.name = "segCore";
    segment.core = true;
    const Result<SegmentId> core = store_->segments().Insert(segment);
    Remember(Kind::kSegments, "segCore", core);
    Objective objective;
    objective.name = "objMeetings";
    objective.metric = ObjectiveMetric::kMeetings;
    objective.target = 40;
    objective.period_start = MakeDate(2025, 1, 1);
    objective.period_end = MakeDate(2025, 3, 31);
    Remember(Kind::kObjectives, "objMeetings", store_->objectives().Insert(objective));
    ValueProposition proposition;
    proposition.segment_id = *core;
    proposition.statement = "vpCore";
    Remember(Kind::kValuePropositions, "vpCore", store_->value_propositions().Insert(proposition));

    for (const std::string& user : kUsers) {
      Result<Principal> p = LoadPrincipal(*store_, UserId{id_.at(user)});
      ASSERT_TRUE(p.ok()) << p.status().ToString();
      principals_.emplace(user, *p);
    }
  }

  template <typename IdT>
  void Remember(Kind kind, const std::string& name, const Result<IdT>& id) {
    ASSERT_TRUE(id.ok()) << name << ": " << id.status().ToString();
    id_[name] = id->value;
    names_[{kind, id->value}] = name;
    all_[kind].insert(name);
  }

  TeamId AddTeam(const std::string& name) {
    Team team;
    team.name = name;
    Result<TeamId> id = store_->teams().Insert(team);
    Remember(Kind::kTeams, name, id);
    return id.ok() ? *id : TeamId{};
  }

  void AddUser(const std::string& name, Role role, std::optional<TeamId> team) {
    User user;
    user.email = name + "@example.com";
    user.name = name;
    user.role = role;
    user.team_id = team;
    Remember(Kind::kUsers, name, store_->users().Insert(user));
  }

  void SetManager(TeamId team_id, const std::string& manager) {
    Result<Team> team = store_->teams().Get(team_id);
    ASSERT_TRUE(team.ok());
    team->manager_id = UserId{id_.at(manager)};
    ASSERT_TRUE(store_->teams().Update(*team).ok());
  }

  std::optional<UserId> Owner(const std::string& name) {
    if (name.empty()) return std::nullopt;
    return UserId{id_.at(name)};
  }

  void AddAccount(const std::string& name, const std::string& owner) {
    Account account;
    account.external_id = name;
    account.name = name + " A/S";
    account.owner_id = Owner(owner);
    Remember(Kind::kAccounts, name, store_->accounts().Insert(account));
  }

  void Share(const std::string& account, const std::string& user) {
    AccountShare share;
    share.account_id = AccountId{id_.at(account)};
    share.user_id = UserId{id_.at(user)};
    share.note = "key-account team";
    ASSERT_TRUE(store_->account_shares().Insert(share).ok());
  }

  void AddContact(const std::string& name, const std::string& account) {
    Contact contact;
    contact.external_id = name;
    contact.account_id = AccountId{id_.at(account)};
    contact.name = name;
    Remember(Kind::kContacts, name, store_->contacts().Insert(contact));
  }

  Opportunity MakeOpportunity(const std::string& name, const std::string& account,
                              const std::string& owner, Date close_on,
                              Stage stage = Stage::kQualify) {
    Opportunity o;
    o.external_id = name;
    o.account_id = AccountId{id_.at(account)};
    o.name = name;
    o.owner_id = Owner(owner);
    o.stage = stage;
    o.amount = Money{100000, dkk_};
    o.created_on = MakeDate(2025, 1, 2);
    o.close_on = close_on;
    if (IsClosed(stage)) {
      o.closed_on = close_on;
      o.forecast_category = ForecastCategory::kClosed;
    }
    return o;
  }

  void AddOpportunity(const std::string& name, const std::string& account, const std::string& owner,
                      Date close_on, Stage stage = Stage::kQualify) {
    Remember(
        Kind::kOpportunities, name,
        store_->opportunities().Insert(MakeOpportunity(name, account, owner, close_on, stage)));
  }

  void AddOrder(const std::string& name, const std::string& account) {
    Order order;
    order.external_id = name;
    order.account_id = AccountId{id_.at(account)};
    order.ordered_on = MakeDate(2025, 2, 1);
    order.revenue = Money{50000, dkk_};
    order.margin = Money{10000, dkk_};
    Remember(Kind::kOrders, name, store_->orders().Insert(order));
  }

  void AddLead(const std::string& name, const std::string& owner) {
    Lead lead;
    lead.external_id = name;
    lead.name = name;
    lead.owner_id = Owner(owner);
    lead.created_on = MakeDate(2025, 2, 1);
    Remember(Kind::kLeads, name, store_->leads().Insert(lead));
  }

  void AddActivity(const std::string& name, const std::string& owner, const std::string& account,
                   const std::string& lead) {
    Activity activity;
    activity.external_id = name;
    activity.at = clock_.Now() + days(1);
    activity.owner_id = Owner(owner);
    if (!account.empty()) activity.account_id = AccountId{id_.at(account)};
    if (!lead.empty()) activity.lead_id = LeadId{id_.at(lead)};
    Remember(Kind::kActivities, name, store_->activities().Insert(activity));
  }

  // --- helpers --------------------------------------------------------------------------------

  RecordService Service() { return RecordService(*store_, clock_); }
  const Principal& P(const std::string& user) { return principals_.at(user); }
  int64_t Id(const std::string& name) { return id_.at(name); }

  // The name of a record of the world; "#<id>" for one the test made.
  std::string NameOf(Kind kind, const json& item) {
    const int64_t id = item.at("id").get<int64_t>();
    auto it = names_.find({kind, id});
    if (it != names_.end()) return it->second;
    std::string unknown(1, '#');
    unknown += std::to_string(id);
    return unknown;
  }

  // The names of the records in a List answer.
  Names NamesOf(Kind kind, const json& list) {
    Names names;
    for (const json& item : list.at("items")) names.insert(NameOf(kind, item));
    return names;
  }

  // The names in a List answer, in its order.
  std::vector<std::string> OrderOf(Kind kind, const json& list) {
    std::vector<std::string> order;
    for (const json& item : list.at("items")) order.push_back(NameOf(kind, item));
    return order;
  }

  // The current version of a record, read as the admin.
  int64_t VersionOf(Kind kind, const std::string& name) {
    Result<json> record = Service().Get(P("admin"), kind, Id(name));
    EXPECT_TRUE(record.ok()) << name << ": " << record.status().ToString();
    return record.ok() ? record->at("version").get<int64_t>() : -1;
  }

  int64_t Count(Kind kind) {
    Result<json> list = Service().List(P("admin"), kind, ListRequest{});
    EXPECT_TRUE(list.ok()) << list.status().ToString();
    return list.ok() ? list->at("total").get<int64_t>() : -1;
  }

  int64_t AuditTotal() {
    Result<json> log = Service().ChangeLog(P("admin"), "", 0, 500, 0);
    EXPECT_TRUE(log.ok()) << log.status().ToString();
    return log.ok() ? log->at("total").get<int64_t>() : -1;
  }

  // The newest audit entry.
  json LastAudit() {
    Result<json> log = Service().ChangeLog(P("admin"), "", 0, 1, 0);
    EXPECT_TRUE(log.ok()) << log.status().ToString();
    if (!log.ok() || log->at("items").empty()) return json();
    return log->at("items")[0];
  }

  std::vector<std::string> HistoryStages(const std::string& user, int64_t opportunity) {
    Result<json> history = Service().History(P(user), opportunity);
    EXPECT_TRUE(history.ok()) << history.status().ToString();
    std::vector<std::string> stages;
    if (history.ok()) {
      for (const json& item : history->at("items"))
        stages.push_back(item.at("stage").get<std::string>());
    }
    return stages;
  }

  // --- who sees and changes what: the table the tests check against -----------------------

  Names Visible(const std::string& user, Kind kind) {
    if (user == "exec" || user == "admin") return all_[kind];
    if (kind == Kind::kCampaigns || kind == Kind::kSegments || kind == Kind::kObjectives ||
        kind == Kind::kValuePropositions) {
      return all_[kind];  // the strategy is for everyone to read
    }
    if (user == "mkt") {
      if (kind == Kind::kOpportunities) return {"oMkt"};
      if (kind == Kind::kActivities) return {"actMkt"};
      return all_[kind];
    }
    // Reps and managers see their own team (rn1, rn2, mn: North; rs1, rs2, ms: South).
    if (kind == Kind::kTeams) return {user[1] == 'n' ? "North" : "South"};
    static const std::map<std::string, std::map<Kind, Names>> kTable = {
        {"rn1",
         {{Kind::kAccounts, {"aN1", "aShared"}},
          {Kind::kContacts, {"cN1", "cShared"}},
          {Kind::kOrders, {"ordN1", "ordShared"}},
          {Kind::kOpportunities, {"oN1", "oShared"}},
          {Kind::kActivities, {"actN1", "actShared", "actExec"}},
          {Kind::kLeads, {"lN1"}},
          {Kind::kUsers, {"mn", "rn1", "rn2"}}}},
        {"rn2",
         {{Kind::kAccounts, {"aN2"}},
          {Kind::kContacts, {"cN2"}},
          {Kind::kOrders, {}},
          {Kind::kOpportunities, {"oN2", "oCross"}},
          {Kind::kActivities, {}},
          {Kind::kLeads, {}},
          {Kind::kUsers, {"mn", "rn1", "rn2"}}}},
        {"mn",
         {{Kind::kAccounts, {"aN1", "aN2", "aShared"}},
          {Kind::kContacts, {"cN1", "cN2", "cShared"}},
          {Kind::kOrders, {"ordN1", "ordShared"}},
          {Kind::kOpportunities, {"oN1", "oN2", "oShared", "oCross"}},
          {Kind::kActivities, {"actN1", "actShared", "actExec"}},
          {Kind::kLeads, {"lN1"}},
          {Kind::kUsers, {"mn", "rn1", "rn2"}}}},
        {"rs1",
         {{Kind::kAccounts, {"aS1", "aShared"}},
          {Kind::kContacts, {"cS1", "cShared"}},
          {Kind::kOrders, {"ordS1", "ordShared"}},
          {Kind::kOpportunities, {"oS1", "oShared"}},
          {Kind::kActivities, {"actS1", "actShared"}},
          {Kind::kLeads, {"lS1"}},
          {Kind::kUsers, {"ms", "rs1", "rs2"}}}},
        {"rs2",
         {{Kind::kAccounts, {"aS2"}},
          {Kind::kContacts, {"cS2"}},
          {Kind::kOrders, {}},
          {Kind::kOpportunities, {"oS2", "oCross"}},
          {Kind::kActivities, {}},
          {Kind::kLeads, {}},
          {Kind::kUsers, {"ms", "rs1", "rs2"}}}},
        {"ms",
         {{Kind::kAccounts, {"aS1", "aS2", "aShared"}},
          {Kind::kContacts, {"cS1", "cS2", "cShared"}},
          {Kind::kOrders, {"ordS1", "ordShared"}},
          {Kind::kOpportunities, {"oS1", "oS2", "oShared", "oCross"}},
          {Kind::kActivities, {"actS1", "actShared"}},
          {Kind::kLeads, {"lS1"}},
          {Kind::kUsers, {"ms", "rs1", "rs2"}}}},
    };
    return kTable.at(user).at(kind);
  }

  // Whether `user` may change the record `name`, which they can see.
  static bool MayChange(const std::string& user, Kind kind, const std::string& name) {
    if (user == "admin") return true;
    if (user == "exec") {
      return name == "actExec" || kind == Kind::kSegments || kind == Kind::kObjectives ||
             kind == Kind::kValuePropositions;
    }
    if (user == "mkt") {
      return kind == Kind::kLeads || kind == Kind::kCampaigns ||
             kind == Kind::kValuePropositions || name == "actMkt";
    }
    // Reps and managers: everything they see, of the kinds they work on.
    return kind == Kind::kAccounts || kind == Kind::kContacts || kind == Kind::kOrders ||
           kind == Kind::kOpportunities || kind == Kind::kActivities || kind == Kind::kLeads;
  }

  test::FakeClock clock_{"2025-03-03T09:00:00Z"};
  std::unique_ptr<storage::Store> store_;
  Currency dkk_;
  TeamId north_, south_;
  std::map<std::string, int64_t> id_;                      // name -> id
  std::map<std::pair<Kind, int64_t>, std::string> names_;  // (kind, id) -> name
  std::map<Kind, Names> all_;
  std::map<std::string, Principal> principals_;
};

std::string KindPath(Kind kind) { return std::string(DescribeKind(kind).path); }

// --- visibility -------------------------------------------------------------------------------

TEST_F(RecordServiceTest, ListAndGetShowExactlyWhatEachRoleMaySee) {
  for (const std::string& user : kUsers) {
    for (Kind kind : ApiKinds()) {
      SCOPED_TRACE(user + " listing " + KindPath(kind));
      const Names expected = Visible(user, kind);
      ListRequest request;
      request.limit = 500;
      SB_ASSERT_OK_AND_ASSIGN(json list, Service().List(P(user), kind, request));
      EXPECT_EQ(NamesOf(kind, list), expected);
      EXPECT_EQ(list.at("total").get<int64_t>(), static_cast<int64_t>(expected.size()));
      EXPECT_EQ(list.at("limit").get<int64_t>(), 500);
      EXPECT_EQ(list.at("offset").get<int64_t>(), 0);

      for (const std::string& name : all_[kind]) {
        Result<json> got = Service().Get(P(user), kind, Id(name));
        if (expected.count(name) > 0) {
          ASSERT_TRUE(got.ok()) << name << ": " << got.status().ToString();
          EXPECT_EQ(got->at("id").get<int64_t>(), Id(name));
        } else {
          EXPECT_THAT(got, StatusIs(StatusCode::kNotFound)) << name;
        }
      }
    }
  }
}

TEST_F(RecordServiceTest, UpdateAndDeleteAreNotFoundWhenInvisibleAndDeniedWhenReadOnly) {
  for (const std::string& user : kUsers) {
    for (Kind kind : ApiKinds()) {
      const Names visible = Visible(user, kind);
      for (const std::string& name : all_[kind]) {
        SCOPED_TRACE(user + " changing " + KindPath(kind) + " " + name);
        const int64_t version = VersionOf(kind, name);
        const json body = {{"version", version}};
        if (visible.count(name) == 0) {
          EXPECT_THAT(Service().Update(P(user), kind, Id(name), body),
                      StatusIs(StatusCode::kNotFound));
          EXPECT_THAT(Service().Delete(P(user), kind, Id(name)), StatusIs(StatusCode::kNotFound));
        } else if (!MayChange(user, kind, name)) {
          EXPECT_THAT(Service().Update(P(user), kind, Id(name), body),
                      StatusIs(StatusCode::kPermissionDenied));
          EXPECT_THAT(Service().Delete(P(user), kind, Id(name)),
                      StatusIs(StatusCode::kPermissionDenied));
        } else {
          SB_ASSERT_OK_AND_ASSIGN(json updated, Service().Update(P(user), kind, Id(name), body));
          EXPECT_EQ(updated.at("version").get<int64_t>(), version + 1);
        }
      }
    }
  }
  // Every record is still there.
  for (Kind kind : ApiKinds()) {
    EXPECT_EQ(Count(kind), static_cast<int64_t>(all_[kind].size())) << KindPath(kind);
  }
}

TEST_F(RecordServiceTest, AManagerSeesTheirTeamMembersDealsWherever) {
  ListRequest request;
  request.filters = {{"owner_id", {std::to_string(Id("rn2"))}}};
  SB_ASSERT_OK_AND_ASSIGN(json list, Service().List(P("mn"), Kind::kOpportunities, request));
  // oCross is on an account of the other team.
  EXPECT_EQ(NamesOf(Kind::kOpportunities, list), (Names{"oN2", "oCross"}));
  SB_EXPECT_OK(Service().Get(P("mn"), Kind::kOpportunities, Id("oCross")));
  EXPECT_THAT(Service().Get(P("mn"), Kind::kAccounts, Id("aS2")), StatusIs(StatusCode::kNotFound));
}

// A team may have several managers (issue 16): each of them sees and manages the team's work,
// and one taken off the team's managers loses it again.
TEST_F(RecordServiceTest, EveryManagerOfATeamSeesAndChangesItsWork) {
  // Before: mn manages North only.
  EXPECT_THAT(Service().Get(P("mn"), Kind::kOpportunities, Id("oS1")),
              StatusIs(StatusCode::kNotFound));

  SB_ASSERT_OK_AND_ASSIGN(json south,
                          Service().Update(P("admin"), Kind::kTeams, Id("South"),
                                           {{"version", VersionOf(Kind::kTeams, "South")},
                                            {"managers", "ms@example.com; mn"}}));
  EXPECT_EQ(south.at("manager_email"), "ms@example.com");
  EXPECT_EQ(south.at("managers"), "ms@example.com; mn@example.com");
  EXPECT_EQ(south.at("manager_ids"), json::array({Id("ms"), Id("mn")}));
  EXPECT_EQ(LastAudit().at("changes").at("managers"),
            json::array({"ms@example.com", "ms@example.com; mn@example.com"}));

  SB_ASSERT_OK_AND_ASSIGN(Principal mn, LoadPrincipal(*store_, UserId{Id("mn")}));
  EXPECT_THAT(mn.managed_teams, ElementsAre(Id("North"), Id("South")));
  ListRequest request;
  request.limit = 500;
  SB_ASSERT_OK_AND_ASSIGN(json deals, Service().List(mn, Kind::kOpportunities, request));
  EXPECT_EQ(NamesOf(Kind::kOpportunities, deals),
            (Names{"oN1", "oN2", "oCross", "oS1", "oS2", "oShared"}));
  SB_ASSERT_OK_AND_ASSIGN(json users, Service().List(mn, Kind::kUsers, request));
  EXPECT_EQ(NamesOf(Kind::kUsers, users), (Names{"mn", "rn1", "rn2", "ms", "rs1", "rs2"}));
  SB_ASSERT_OK_AND_ASSIGN(json teams, Service().List(mn, Kind::kTeams, request));
  EXPECT_EQ(NamesOf(Kind::kTeams, teams), (Names{"North", "South"}));
  SB_ASSERT_OK_AND_ASSIGN(json moved,
                          Service().Update(mn, Kind::kOpportunities, Id("oS1"),
                                           {{"version", VersionOf(Kind::kOpportunities, "oS1")},
                                            {"next_step", "call the buyer"}}));
  EXPECT_EQ(moved.at("next_step"), "call the buyer");
  // The first manager keeps the team too, and a rep of it gains nothing.
  SB_ASSERT_OK_AND_ASSIGN(Principal ms, LoadPrincipal(*store_, UserId{Id("ms")}));
  EXPECT_THAT(ms.managed_teams, ElementsAre(Id("South")));
  SB_ASSERT_OK_AND_ASSIGN(Principal rs1, LoadPrincipal(*store_, UserId{Id("rs1")}));
  EXPECT_THAT(rs1.owners, ElementsAre(Id("rs1")));

  // Taken off again: South is ms's alone.
  SB_ASSERT_OK(Service()
                   .Update(P("admin"), Kind::kTeams, Id("South"),
                           {{"version", VersionOf(Kind::kTeams, "South")}, {"managers", "ms"}})
                   .status());
  SB_ASSERT_OK_AND_ASSIGN(mn, LoadPrincipal(*store_, UserId{Id("mn")}));
  EXPECT_THAT(mn.managed_teams, ElementsAre(Id("North")));
  EXPECT_THAT(Service().Get(mn, Kind::kOpportunities, Id("oS1")), StatusIs(StatusCode::kNotFound));
  SB_ASSERT_OK_AND_ASSIGN(json after, Service().Get(P("admin"), Kind::kTeams, Id("South")));
  EXPECT_EQ(after.at("manager_ids"), json::array({Id("ms")}));
}

TEST_F(RecordServiceTest, ATeamsManagersMustBeKnownUsersAndNothingChangesOtherwise) {
  const int64_t version = VersionOf(Kind::kTeams, "South");
  EXPECT_THAT(Service().Update(P("admin"), Kind::kTeams, Id("South"),
                               {{"version", version}, {"managers", "ms; nobody@example.com"}}),
              StatusIs(StatusCode::kInvalidArgument));
  SB_ASSERT_OK_AND_ASSIGN(json south, Service().Get(P("admin"), Kind::kTeams, Id("South")));
  EXPECT_EQ(south.at("version"), version);
  EXPECT_EQ(south.at("manager_ids"), json::array({Id("ms")}));
  // Managers never change teams themselves.
  EXPECT_THAT(Service().Update(P("ms"), Kind::kTeams, Id("South"),
                               {{"version", version}, {"managers", "ms; mn"}}),
              StatusIs(StatusCode::kPermissionDenied));
}

TEST_F(RecordServiceTest, ASharedAccountIsWorkedOnWithItsContactsAndDeals) {
  ListRequest by_account;
  by_account.filters = {{"account_id", {std::to_string(Id("aShared"))}}};
  SB_ASSERT_OK_AND_ASSIGN(json contacts, Service().List(P("rn1"), Kind::kContacts, by_account));
  EXPECT_EQ(NamesOf(Kind::kContacts, contacts), (Names{"cShared"}));
  SB_ASSERT_OK_AND_ASSIGN(json deals, Service().List(P("rn1"), Kind::kOpportunities, by_account));
  EXPECT_EQ(NamesOf(Kind::kOpportunities, deals), (Names{"oShared"}));

  // rn1 may add to it and change its deal; the new deal is rn1's and the owner's team sees it.
  SB_ASSERT_OK_AND_ASSIGN(json created, Service().Create(P("rn1"), Kind::kOpportunities,
                                                         {{"account_id", Id("aShared")},
                                                          {"name", "Joint deal"},
                                                          {"stage", "qualify"},
                                                          {"amount", 5000},
                                                          {"currency", "DKK"}}));
  EXPECT_EQ(created.at("owner_id").get<int64_t>(), Id("rn1"));
  EXPECT_EQ(created.at("owner_email"), "rn1@example.com");
  for (const char* user : {"rs1", "ms", "mn", "rn1"}) {
    SB_EXPECT_OK(Service().Get(P(user), Kind::kOpportunities, created.at("id").get<int64_t>()));
  }
  EXPECT_THAT(Service().Get(P("rs2"), Kind::kOpportunities, created.at("id").get<int64_t>()),
              StatusIs(StatusCode::kNotFound));
  SB_EXPECT_OK(Service().Create(P("rn1"), Kind::kContacts,
                                {{"account_id", Id("aShared")}, {"name", "New contact"}}));
  SB_EXPECT_OK(Service().Update(P("rn1"), Kind::kOpportunities, Id("oShared"),
                                {{"version", 1}, {"next_step", "call"}}));
}

TEST_F(RecordServiceTest, UnsharingAnAccountHidesItAndItsRecordsAgain) {
  SB_ASSERT_OK_AND_ASSIGN(json shares, Service().Shares(P("rs1"), Id("aShared")));
  ASSERT_EQ(shares.at("items").size(), 1u);
  EXPECT_EQ(shares.at("items")[0].at("user_id").get<int64_t>(), Id("rn1"));

  SB_ASSERT_OK(Service().SetShares(P("rs1"), Id("aShared"), {}));

  EXPECT_THAT(Service().Get(P("rn1"), Kind::kAccounts, Id("aShared")),
              StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(Service().Get(P("rn1"), Kind::kContacts, Id("cShared")),
              StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(Service().Get(P("mn"), Kind::kOpportunities, Id("oShared")),
              StatusIs(StatusCode::kNotFound));
  SB_ASSERT_OK_AND_ASSIGN(json deals,
                          Service().List(P("rn1"), Kind::kOpportunities, ListRequest{}));
  EXPECT_EQ(NamesOf(Kind::kOpportunities, deals), (Names{"oN1"}));
  EXPECT_EQ(deals.at("total").get<int64_t>(), 1);
}

TEST_F(RecordServiceTest, OnlyTheOwnerTheirManagerOrAnAdminMayShareAnAccount) {
  EXPECT_THAT(Service().SetShares(P("rn1"), Id("aShared"), {Id("rn2")}),
              StatusIs(StatusCode::kPermissionDenied));  // shared with rn1, not rn1's
  EXPECT_THAT(Service().SetShares(P("rs2"), Id("aShared"), {Id("rs2")}),
              StatusIs(StatusCode::kNotFound));  // not visible to rs2 at all
  EXPECT_THAT(Service().SetShares(P("exec"), Id("aShared"), {}),
              StatusIs(StatusCode::kPermissionDenied));
  SB_ASSERT_OK_AND_ASSIGN(json shares,
                          Service().SetShares(P("ms"), Id("aShared"), {Id("rs2"), Id("rn1")}));
  EXPECT_EQ(shares.at("items").size(), 2u);
  SB_EXPECT_OK(Service().Get(P("rs2"), Kind::kAccounts, Id("aShared")));
}

// --- what each role may write ---------------------------------------------------------------

TEST_F(RecordServiceTest, ARepCannotCreateADealOnAnotherTeamsAccount) {
  const int64_t deals = Count(Kind::kOpportunities);
  const int64_t audits = AuditTotal();

  Result<json> by_id = Service().Create(P("rn1"), Kind::kOpportunities,
                                        {{"account_id", Id("aS1")},
                                         {"name", "Poach"},
                                         {"stage", "qualify"},
                                         {"amount", 100},
                                         {"currency", "DKK"}});
  Result<json> by_key = Service().Create(P("rn1"), Kind::kOpportunities,
                                         {{"account", "aS1"},
                                          {"name", "Poach"},
                                          {"stage", "qualify"},
                                          {"amount", 100},
                                          {"currency", "DKK"}});

  // An account the rep cannot see reads as a missing one.
  EXPECT_THAT(by_id, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(by_id.status().field(), "account_id");
  EXPECT_THAT(by_key, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(by_key.status().field(), "account_id");
  EXPECT_EQ(Count(Kind::kOpportunities), deals);
  EXPECT_EQ(AuditTotal(), audits);
}

TEST_F(RecordServiceTest, ARepCannotMoveTheirDealToAnotherTeamsAccount) {
  Result<json> moved = Service().Update(P("rn1"), Kind::kOpportunities, Id("oN1"),
                                        {{"version", 1}, {"account_id", Id("aS1")}});
  EXPECT_THAT(moved, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(moved.status().field(), "account_id");
  EXPECT_EQ(VersionOf(Kind::kOpportunities, "oN1"), 1);
}

TEST_F(RecordServiceTest, ARepCannotCreateADealOwnedByAnotherTeamsRep) {
  const int64_t deals = Count(Kind::kOpportunities);
  for (const json& owner :
       {json{{"owner_id", Id("rs1")}}, json{{"owner_email", "rs2@example.com"}}}) {
    json body = {{"account_id", Id("aN1")},
                 {"name", "Gift"},
                 {"stage", "qualify"},
                 {"amount", 100},
                 {"currency", "DKK"}};
    body.update(owner);
    Result<json> created = Service().Create(P("rn1"), Kind::kOpportunities, body);
    EXPECT_FALSE(created.ok()) << "created " << (created.ok() ? created->dump() : "");
    EXPECT_THAT(created.status().code(),
                ::testing::AnyOf(StatusCode::kPermissionDenied, StatusCode::kInvalidArgument));
  }
  EXPECT_EQ(Count(Kind::kOpportunities), deals);
}

TEST_F(RecordServiceTest, ARepCannotHandTheirDealToAnotherTeam) {
  Result<json> handed = Service().Update(P("rn1"), Kind::kOpportunities, Id("oN1"),
                                         {{"version", 1}, {"owner_id", Id("rs1")}});
  EXPECT_FALSE(handed.ok()) << "handed over: " << (handed.ok() ? handed->dump() : "");
  EXPECT_THAT(handed.status().code(),
              ::testing::AnyOf(StatusCode::kPermissionDenied, StatusCode::kInvalidArgument));
  SB_ASSERT_OK_AND_ASSIGN(json deal, Service().Get(P("admin"), Kind::kOpportunities, Id("oN1")));
  EXPECT_EQ(deal.at("owner_id").get<int64_t>(), Id("rn1"));
}

TEST_F(RecordServiceTest, AManagerMayCreateDealsForTheirTeamsReps) {
  SB_ASSERT_OK_AND_ASSIGN(json created, Service().Create(P("mn"), Kind::kOpportunities,
                                                         {{"account_id", Id("aN2")},
                                                          {"owner_id", Id("rn2")},
                                                          {"name", "Team deal"},
                                                          {"stage", "discover"},
                                                          {"amount", 100},
                                                          {"currency", "DKK"}}));
  EXPECT_EQ(created.at("owner_id").get<int64_t>(), Id("rn2"));
  SB_EXPECT_OK(Service().Get(P("rn2"), Kind::kOpportunities, created.at("id").get<int64_t>()));
}

TEST_F(RecordServiceTest, AnExecutiveChangesOnlyTheirOwnActivities) {
  const int64_t activities = Count(Kind::kActivities);
  const int64_t audits = AuditTotal();

  SB_ASSERT_OK_AND_ASSIGN(json mine, Service().Create(P("exec"), Kind::kActivities,
                                                      {{"type", "meeting"},
                                                       {"date", "2025-03-05T10:00:00Z"},
                                                       {"account_id", Id("aS1")}}));
  EXPECT_EQ(mine.at("owner_id").get<int64_t>(), Id("exec"));

  // Someone else's activity would be outside what the executive may change: rolled back.
  EXPECT_THAT(Service().Create(P("exec"), Kind::kActivities,
                               {{"type", "call"},
                                {"date", "2025-03-05T10:00:00Z"},
                                {"account_id", Id("aN1")},
                                {"owner_id", Id("rn1")}}),
              StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(Service().Update(P("exec"), Kind::kActivities, mine.at("id").get<int64_t>(),
                               {{"version", 1}, {"owner_id", Id("rn1")}}),
              StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(Service().Create(P("exec"), Kind::kOpportunities,
                               {{"account_id", Id("aN1")},
                                {"name", "x"},
                                {"stage", "qualify"},
                                {"amount", 1},
                                {"currency", "DKK"}}),
              StatusIs(StatusCode::kPermissionDenied));

  EXPECT_EQ(Count(Kind::kActivities), activities + 1);
  EXPECT_EQ(AuditTotal(), audits + 1);
  SB_ASSERT_OK_AND_ASSIGN(
      json still, Service().Get(P("exec"), Kind::kActivities, mine.at("id").get<int64_t>()));
  EXPECT_EQ(still.at("owner_id").get<int64_t>(), Id("exec"));
}

TEST_F(RecordServiceTest, MarketingChangesLeadsAndCampaignsButOnlyReadsAccounts) {
  SB_ASSERT_OK_AND_ASSIGN(json lead,
                          Service().Create(P("mkt"), Kind::kLeads, {{"name", "Lena Lead"}}));
  EXPECT_EQ(lead.at("owner_id").get<int64_t>(), Id("mkt"));
  SB_EXPECT_OK(Service().Create(P("mkt"), Kind::kCampaigns, {{"name", "Autumn"}}));
  SB_EXPECT_OK(
      Service().Update(P("mkt"), Kind::kLeads, Id("lN1"), {{"version", 1}, {"status", "working"}}));
  EXPECT_THAT(Service().Create(P("mkt"), Kind::kAccounts, {{"name", "Nope"}}),
              StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(Service().Create(P("mkt"), Kind::kOpportunities,
                               {{"account_id", Id("aFree")},
                                {"name", "x"},
                                {"stage", "qualify"},
                                {"amount", 1},
                                {"currency", "DKK"}}),
              StatusIs(StatusCode::kPermissionDenied));
}

TEST_F(RecordServiceTest, RepsAndManagersCannotWriteUsersTeamsOrCampaigns) {
  for (const char* user : {"rn1", "mn"}) {
    SCOPED_TRACE(user);
    EXPECT_THAT(Service().Create(P(user), Kind::kCampaigns, {{"name", "Mine"}}),
                StatusIs(StatusCode::kPermissionDenied));
    EXPECT_THAT(Service().Create(P(user), Kind::kTeams, {{"name", "West"}}),
                StatusIs(StatusCode::kPermissionDenied));
    EXPECT_THAT(Service().Create(P(user), Kind::kUsers,
                                 {{"email", "x@example.com"}, {"name", "X"}, {"role", "admin"}}),
                StatusIs(StatusCode::kPermissionDenied));
  }
}

// --- versions and validation ------------------------------------------------------------------

TEST_F(RecordServiceTest, AStaleVersionIsAbortedAndChangesNothing) {
  SB_ASSERT_OK_AND_ASSIGN(json first, Service().Update(P("rn1"), Kind::kOpportunities, Id("oN1"),
                                                       {{"version", 1}, {"name", "First"}}));
  EXPECT_EQ(first.at("version").get<int64_t>(), 2);

  EXPECT_THAT(Service().Update(P("rn1"), Kind::kOpportunities, Id("oN1"),
                               {{"version", 1}, {"name", "Second"}}),
              StatusIs(StatusCode::kAborted));
  EXPECT_THAT(Service().Update(P("rn1"), Kind::kOpportunities, Id("oN1"),
                               {{"version", 3}, {"name", "Third"}}),
              StatusIs(StatusCode::kAborted));

  SB_ASSERT_OK_AND_ASSIGN(json now, Service().Get(P("rn1"), Kind::kOpportunities, Id("oN1")));
  EXPECT_EQ(now.at("name"), "First");
  EXPECT_EQ(now.at("version").get<int64_t>(), 2);
}

TEST_F(RecordServiceTest, AnUpdateWithoutAnIntegerVersionIsInvalid) {
  for (const json& body : {json{{"name", "x"}}, json{{"version", "1"}, {"name", "x"}},
                           json{{"version", 1.5}, {"name", "x"}}, json{{"version", nullptr}}}) {
    SCOPED_TRACE(body.dump());
    Result<json> updated = Service().Update(P("rn1"), Kind::kOpportunities, Id("oN1"), body);
    EXPECT_THAT(updated, StatusIs(StatusCode::kInvalidArgument));
    EXPECT_EQ(updated.status().field(), "version");
  }
  EXPECT_THAT(Service().Update(P("rn1"), Kind::kOpportunities, Id("oN1"), json::array()),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(VersionOf(Kind::kOpportunities, "oN1"), 1);
}

struct BadValue {
  json fields;
  std::string field;
};

const std::vector<BadValue>& BadOpportunityValues() {
  static const std::vector<BadValue> kCases = {
      {{{"stage", "nonsense"}}, "stage"},
      {{{"amount", "abc"}}, "amount"},
      {{{"close_date", "31.02.2025"}}, "close_date"},
      {{{"close_date", "2025-02-30"}}, "close_date"},
      {{{"probability", "lots"}}, "probability"},
      {{{"currency", "kroner"}}, "currency"},
      {{{"account_id", "x"}}, "account_id"},
      {{{"account_id", 0}}, "account_id"},
      {{{"account_id", 99999}}, "account_id"},
      {{{"owner_id", -3}}, "owner_id"},
      {{{"name", json::array({"a"})}}, "name"},
      {{{"name", "  "}}, "name"},
  };
  return kCases;
}

TEST_F(RecordServiceTest, ABadValueOnUpdateNamesTheFieldAndChangesNothing) {
  const int64_t audits = AuditTotal();
  for (const BadValue& bad : BadOpportunityValues()) {
    SCOPED_TRACE(bad.fields.dump());
    json body = {{"version", 1}};
    body.update(bad.fields);
    Result<json> updated = Service().Update(P("rn1"), Kind::kOpportunities, Id("oN1"), body);
    EXPECT_THAT(updated, StatusIs(StatusCode::kInvalidArgument));
    EXPECT_EQ(updated.status().field(), bad.field) << updated.status().ToString();
  }
  EXPECT_EQ(VersionOf(Kind::kOpportunities, "oN1"), 1);
  EXPECT_EQ(AuditTotal(), audits);
  EXPECT_THAT(HistoryStages("rn1", Id("oN1")), IsEmpty());
}

TEST_F(RecordServiceTest, ABadValueOnCreateNamesTheFieldAndCreatesNothing) {
  const int64_t deals = Count(Kind::kOpportunities);
  const int64_t audits = AuditTotal();
  const json good = {{"account_id", Id("aN1")}, {"name", "Deal"},    {"stage", "qualify"},
                     {"amount", "1000.50"},     {"currency", "DKK"}, {"close_date", "2025-04-01"}};
  SB_ASSERT_OK(Service().Create(P("rn1"), Kind::kOpportunities, good));  // the baseline is good
  for (const BadValue& bad : BadOpportunityValues()) {
    SCOPED_TRACE(bad.fields.dump());
    json body = good;
    body.update(bad.fields);
    Result<json> created = Service().Create(P("rn1"), Kind::kOpportunities, body);
    EXPECT_THAT(created, StatusIs(StatusCode::kInvalidArgument));
    EXPECT_EQ(created.status().field(), bad.field) << created.status().ToString();
  }
  EXPECT_EQ(Count(Kind::kOpportunities), deals + 1);
  EXPECT_EQ(AuditTotal(), audits + 1);
}

TEST_F(RecordServiceTest, CreateNeedsTheRequiredFields) {
  const json good = {{"account_id", Id("aN1")},
                     {"name", "Deal"},
                     {"stage", "qualify"},
                     {"amount", 1},
                     {"currency", "DKK"}};
  for (const char* missing : {"account_id", "name", "stage"}) {
    SCOPED_TRACE(missing);
    json body = good;
    body.erase(missing);
    Result<json> created = Service().Create(P("rn1"), Kind::kOpportunities, body);
    EXPECT_THAT(created, StatusIs(StatusCode::kInvalidArgument));
    const std::string field = missing == std::string("account_id") ? "account" : missing;
    EXPECT_EQ(created.status().field(), field);
  }
  EXPECT_THAT(Service().Create(P("rn1"), Kind::kOpportunities, json::array()),
              StatusIs(StatusCode::kInvalidArgument));
}

TEST_F(RecordServiceTest, CreateReturnsTheStoredRecordWithMoneyInMinorUnits) {
  SB_ASSERT_OK_AND_ASSIGN(json created, Service().Create(P("rn1"), Kind::kOpportunities,
                                                         {{"account", "aN1"},
                                                          {"name", "Deal"},
                                                          {"stage", "propose"},
                                                          {"amount", "1234.50"},
                                                          {"currency", "dkk"},
                                                          {"close_date", "2025-04-01"}}));
  EXPECT_EQ(created.at("version").get<int64_t>(), 1);
  EXPECT_EQ(created.at("account_id").get<int64_t>(), Id("aN1"));
  EXPECT_EQ(created.at("account"), "aN1");
  EXPECT_EQ(created.at("account_name"), "aN1 A/S");
  EXPECT_EQ(created.at("amount_minor").get<int64_t>(), 123450);
  EXPECT_DOUBLE_EQ(created.at("amount").get<double>(), 1234.5);
  EXPECT_EQ(created.at("currency"), "DKK");
  EXPECT_EQ(created.at("close_date"), "2025-04-01");
  EXPECT_EQ(created.at("created_date"), "2025-03-03");
  EXPECT_EQ(created.at("outcome"), "open");
  EXPECT_TRUE(created.at("closed_date").is_null());
  SB_ASSERT_OK_AND_ASSIGN(
      json got, Service().Get(P("rn1"), Kind::kOpportunities, created.at("id").get<int64_t>()));
  EXPECT_EQ(got, created);
}

// --- opportunity history ----------------------------------------------------------------------

TEST_F(RecordServiceTest, StageChangesAppendToTheHistoryNewestFirst) {
  SB_ASSERT_OK_AND_ASSIGN(json deal, Service().Create(P("rn1"), Kind::kOpportunities,
                                                      {{"account_id", Id("aN1")},
                                                       {"name", "Deal"},
                                                       {"stage", "qualify"},
                                                       {"amount", 1000},
                                                       {"currency", "DKK"}}));
  const int64_t id = deal.at("id").get<int64_t>();
  clock_.Advance(hours(1));
  SB_ASSERT_OK(
      Service().Update(P("rn1"), Kind::kOpportunities, id, {{"version", 1}, {"stage", "propose"}}));
  clock_.Advance(hours(1));
  SB_ASSERT_OK(Service().Update(P("mn"), Kind::kOpportunities, id,
                                {{"version", 2}, {"stage", "negotiate"}}));

  SB_ASSERT_OK_AND_ASSIGN(json history, Service().History(P("rn1"), id));
  ASSERT_EQ(history.at("items").size(), 3u);
  const json& newest = history.at("items")[0];
  EXPECT_EQ(newest.at("stage"), "negotiate");
  EXPECT_EQ(newest.at("changed_at"), "2025-03-03T11:00:00Z");
  EXPECT_EQ(newest.at("changed_by"), "mn@example.com");
  EXPECT_EQ(newest.at("changed_by_id").get<int64_t>(), Id("mn"));
  EXPECT_EQ(newest.at("amount_minor").get<int64_t>(), 100000);
  EXPECT_EQ(history.at("items")[1].at("stage"), "propose");
  EXPECT_EQ(history.at("items")[1].at("changed_at"), "2025-03-03T10:00:00Z");
  EXPECT_EQ(history.at("items")[2].at("stage"), "qualify");
  EXPECT_EQ(history.at("items")[2].at("changed_at"), "2025-03-03T09:00:00Z");
  EXPECT_EQ(history.at("items")[2].at("changed_by"), "rn1@example.com");
}

TEST_F(RecordServiceTest, OnlyChangesTheForecastFollowsAddHistory) {
  int64_t version = 1;
  const int64_t id = Id("oN1");
  auto update = [&](json fields) {
    clock_.Advance(hours(1));
    fields["version"] = version;
    Result<json> updated = Service().Update(P("rn1"), Kind::kOpportunities, id, fields);
    ASSERT_TRUE(updated.ok()) << updated.status().ToString();
    version = updated->at("version").get<int64_t>();
  };
  update({{"name", "Renamed"}, {"next_step", "call them"}});
  EXPECT_EQ(HistoryStages("rn1", id).size(), 0u);
  update({{"amount", 2000}});
  update({{"probability", "0.3"}});
  update({{"close_date", "2025-07-01"}});
  update({{"competitors", "Them"}});
  EXPECT_EQ(HistoryStages("rn1", id).size(), 3u);
}

TEST_F(RecordServiceTest, MovingToClosedWonSetsTheClosedDateToToday) {
  clock_.Advance(days(2));
  SB_ASSERT_OK_AND_ASSIGN(json won, Service().Update(P("rn1"), Kind::kOpportunities, Id("oN1"),
                                                     {{"version", 1}, {"stage", "closed_won"}}));
  EXPECT_EQ(won.at("closed_date"), "2025-03-05");
  EXPECT_EQ(won.at("outcome"), "won");
  EXPECT_EQ(won.at("forecast_category"), "closed");
  EXPECT_THAT(HistoryStages("rn1", Id("oN1")), ElementsAre("closed_won"));

  // Reopened: no closed date, back in the pipeline.
  SB_ASSERT_OK_AND_ASSIGN(json reopened, Service().Update(P("rn1"), Kind::kOpportunities, Id("oN1"),
                                                          {{"version", 2}, {"stage", "commit"}}));
  EXPECT_TRUE(reopened.at("closed_date").is_null());
  EXPECT_EQ(reopened.at("outcome"), "open");
  EXPECT_EQ(reopened.at("forecast_category"), "pipeline");
}

TEST_F(RecordServiceTest, AClosedDateGivenWithTheStageIsKept) {
  SB_ASSERT_OK_AND_ASSIGN(json lost, Service().Update(P("rn1"), Kind::kOpportunities, Id("oN1"),
                                                      {{"version", 1},
                                                       {"stage", "closed_lost"},
                                                       {"closed_date", "2025-03-01"},
                                                       {"reason", "price"}}));
  EXPECT_EQ(lost.at("closed_date"), "2025-03-01");
  EXPECT_EQ(lost.at("outcome"), "lost");
}

TEST_F(RecordServiceTest, TheHistoryOfADealOneCannotSeeIsNotFound) {
  EXPECT_THAT(Service().History(P("rn2"), Id("oN1")), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(Service().History(P("mkt"), Id("oN1")), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(Service().History(P("admin"), 99999), StatusIs(StatusCode::kNotFound));
  SB_EXPECT_OK(Service().History(P("exec"), Id("oN1")));
}

TEST_F(RecordServiceTest, DeletingADealTakesItsHistoryAlong) {
  SB_ASSERT_OK(Service().Update(P("rn1"), Kind::kOpportunities, Id("oN1"),
                                {{"version", 1}, {"stage", "propose"}}));
  ASSERT_EQ(HistoryStages("rn1", Id("oN1")).size(), 1u);

  SB_ASSERT_OK(Service().Delete(P("rn1"), Kind::kOpportunities, Id("oN1")));

  EXPECT_THAT(Service().Get(P("admin"), Kind::kOpportunities, Id("oN1")),
              StatusIs(StatusCode::kNotFound));
  SB_ASSERT_OK_AND_ASSIGN(std::vector<OpportunityChange> left,
                          store_->opportunity_changes().List(storage::ListQuery{}));
  EXPECT_THAT(left, IsEmpty());
}

TEST_F(RecordServiceTest, DeletingARecordOthersReferToFailsPreconditionAndChangesNothing) {
  const int64_t audits = AuditTotal();
  EXPECT_THAT(Service().Delete(P("rn1"), Kind::kAccounts, Id("aN1")),
              StatusIs(StatusCode::kFailedPrecondition));
  SB_EXPECT_OK(Service().Get(P("rn1"), Kind::kAccounts, Id("aN1")));
  EXPECT_EQ(AuditTotal(), audits);
}

TEST_F(RecordServiceTest, AFailedDeleteKeepsTheDealAndItsHistory) {
  SB_ASSERT_OK(Service().Update(P("rn1"), Kind::kOpportunities, Id("oN1"),
                                {{"version", 1}, {"stage", "propose"}}));
  SB_ASSERT_OK(Service().Create(
      P("rn1"), Kind::kActivities,
      {{"type", "call"}, {"date", "2025-03-04T10:00:00Z"}, {"opportunity_id", Id("oN1")}}));
  const int64_t audits = AuditTotal();

  EXPECT_THAT(Service().Delete(P("rn1"), Kind::kOpportunities, Id("oN1")),
              StatusIs(StatusCode::kFailedPrecondition));

  SB_EXPECT_OK(Service().Get(P("rn1"), Kind::kOpportunities, Id("oN1")));
  EXPECT_THAT(HistoryStages("rn1", Id("oN1")), ElementsAre("propose"));
  EXPECT_EQ(AuditTotal(), audits);
}

TEST_F(RecordServiceTest, APasswordChangeIsAuditedWithoutTheHashAndNeverShown) {
  Result<json> too_short = Service().Update(P("admin"), Kind::kUsers, Id("rn1"),
                                            {{"version", 1}, {"password", "short"}});
  EXPECT_THAT(too_short, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(too_short.status().field(), "password");
  EXPECT_THAT(Service().Update(P("admin"), Kind::kUsers, Id("rn1"),
                               {{"version", 1}, {"password", 12345678}}),
              StatusIs(StatusCode::kInvalidArgument));

  SB_ASSERT_OK_AND_ASSIGN(json user,
                          Service().Update(P("admin"), Kind::kUsers, Id("rn1"),
                                           {{"version", 1}, {"password", "new secret"}}));

  SB_ASSERT_OK_AND_ASSIGN(User stored, store_->users().Get(UserId{Id("rn1")}));
  EXPECT_TRUE(VerifyPassword(stored.password_hash, "new secret"));
  json entry = LastAudit();
  EXPECT_EQ(entry.at("changes"), (json{{"password", {"(set)", "(changed)"}}}));
  EXPECT_EQ(entry.dump().find(stored.password_hash), std::string::npos);
  EXPECT_EQ(user.dump().find("$argon2"), std::string::npos) << user.dump();
  SB_ASSERT_OK_AND_ASSIGN(json everyone, Service().List(P("admin"), Kind::kUsers, ListRequest{}));
  EXPECT_EQ(everyone.dump().find("$argon2"), std::string::npos);
  EXPECT_FALSE(everyone.at("items")[0].contains("password"));
  EXPECT_FALSE(everyone.at("items")[0].contains("password_hash"));
}

// --- the audit log ----------------------------------------------------------------------------

struct AuditCase {
  Kind kind;
  json create;  // account ids are filled in by the test: "@aN1"
  json update;  // one field
  std::string updated_field;
  json old_value;
  json new_value;
};

TEST_F(RecordServiceTest, EveryWriteIsAuditedWithItsChanges) {
  const std::vector<AuditCase> cases = {
      {Kind::kAccounts,
       {{"name", "Audit Co"}},
       {{"industry", "Retail"}},
       "industry",
       nullptr,
       "Retail"},
      {Kind::kContacts,
       {{"account_id", "@aN1"}, {"name", "Carl"}},
       {{"title", "CFO"}},
       "title",
       nullptr,
       "CFO"},
      {Kind::kLeads, {{"name", "Lena"}}, {{"company", "Lena ApS"}}, "company", nullptr, "Lena ApS"},
      {Kind::kOpportunities,
       {{"account_id", "@aN1"},
        {"name", "Deal"},
        {"stage", "qualify"},
        {"amount", 1000},
        {"currency", "DKK"}},
       {{"amount", 2500}},
       "amount",
       "1000.00",
       "2500.00"},
      {Kind::kActivities,
       {{"type", "call"}, {"date", "2025-03-04T10:00:00Z"}, {"account_id", "@aN1"}},
       {{"status", "completed"}},
       "status",
       "planned",
       "completed"},
      {Kind::kOrders,
       {{"account_id", "@aN1"}, {"date", "2025-03-01"}, {"revenue", 500}, {"currency", "DKK"}},
       {{"margin", 100}},
       "margin",
       "0.00",
       "100.00"},
  };
  for (const AuditCase& c : cases) {
    const std::string path = KindPath(c.kind);
    SCOPED_TRACE(path);
    json body = c.create;
    if (body.contains("account_id")) body["account_id"] = Id("aN1");

    SB_ASSERT_OK_AND_ASSIGN(json created, Service().Create(P("rn1"), c.kind, body));
    const int64_t id = created.at("id").get<int64_t>();
    json entry = LastAudit();
    EXPECT_EQ(entry.at("action"), "create");
    EXPECT_EQ(entry.at("entity"), path);
    EXPECT_EQ(entry.at("entity_id").get<int64_t>(), id);
    EXPECT_EQ(entry.at("user_id").get<int64_t>(), Id("rn1"));
    EXPECT_EQ(entry.at("user"), "rn1@example.com");
    EXPECT_EQ(entry.at("at"), FormatTimestamp(clock_.Now()));
    ASSERT_TRUE(entry.at("changes").is_object()) << entry.dump();
    EXPECT_FALSE(entry.at("changes").empty());
    for (const auto& [field, pair] : entry.at("changes").items()) {
      EXPECT_TRUE(pair.at(0).is_null()) << field << " on create: " << pair.dump();
      EXPECT_FALSE(pair.at(1).is_null()) << field;
    }
    if (body.contains("name")) {
      EXPECT_EQ(entry.at("changes").at("name"), json::array({nullptr, body["name"]}));
    }

    clock_.Advance(hours(1));
    json change = c.update;
    change["version"] = 1;
    SB_ASSERT_OK(Service().Update(P("rn1"), c.kind, id, change));
    entry = LastAudit();
    EXPECT_EQ(entry.at("action"), "update");
    EXPECT_EQ(entry.at("entity"), path);
    EXPECT_EQ(entry.at("entity_id").get<int64_t>(), id);
    EXPECT_EQ(entry.at("user_id").get<int64_t>(), Id("rn1"));
    EXPECT_EQ(entry.at("at"), FormatTimestamp(clock_.Now()));
    EXPECT_EQ(entry.at("changes"),
              (json{{c.updated_field, json::array({c.old_value, c.new_value})}}));

    SB_ASSERT_OK(Service().Delete(P("rn1"), c.kind, id));
    entry = LastAudit();
    EXPECT_EQ(entry.at("action"), "delete");
    EXPECT_EQ(entry.at("entity"), path);
    EXPECT_EQ(entry.at("entity_id").get<int64_t>(), id);
    EXPECT_EQ(entry.at("user_id").get<int64_t>(), Id("rn1"));
    for (const auto& [field, pair] : entry.at("changes").items()) {
      EXPECT_FALSE(pair.at(0).is_null()) << field;
      EXPECT_TRUE(pair.at(1).is_null()) << field << " on delete: " << pair.dump();
    }
    EXPECT_EQ(entry.at("changes").at(c.updated_field).at(0), c.new_value);
  }
}

TEST_F(RecordServiceTest, TheAuditLogIsForManagersTheirTeamOnlyExecutivesAndAdmins) {
  // One change each, oldest first.
  SB_ASSERT_OK(Service().Update(P("rn1"), Kind::kOpportunities, Id("oN1"),
                                {{"version", 1}, {"name", "n1"}}));
  SB_ASSERT_OK(Service().Update(P("rs1"), Kind::kOpportunities, Id("oS1"),
                                {{"version", 1}, {"name", "s1"}}));
  SB_ASSERT_OK(
      Service().Update(P("mn"), Kind::kOpportunities, Id("oN2"), {{"version", 1}, {"name", "n2"}}));
  SB_ASSERT_OK(Service().Update(P("exec"), Kind::kActivities, Id("actExec"),
                                {{"version", 1}, {"notes", "x"}}));
  SB_ASSERT_OK(
      Service().Update(P("mkt"), Kind::kLeads, Id("lFree"), {{"version", 1}, {"company", "x"}}));
  SB_ASSERT_OK(
      Service().Update(P("admin"), Kind::kTeams, Id("North"), {{"version", 2}, {"name", "Nord"}}));

  auto users = [&](const std::string& who) {
    std::vector<std::string> out;
    Result<json> log = Service().ChangeLog(P(who), "", 0, 50, 0);
    EXPECT_TRUE(log.ok()) << who << ": " << log.status().ToString();
    if (!log.ok()) return out;
    for (const json& item : log->at("items")) out.push_back(item.at("user").get<std::string>());
    EXPECT_EQ(log->at("total").get<int64_t>(), static_cast<int64_t>(out.size()));
    return out;
  };
  EXPECT_THAT(users("mn"), ElementsAre("mn@example.com", "rn1@example.com"));
  EXPECT_THAT(users("ms"), ElementsAre("rs1@example.com"));
  const std::vector<std::string> everyone = {"admin@example.com", "mkt@example.com",
                                             "exec@example.com",  "mn@example.com",
                                             "rs1@example.com",   "rn1@example.com"};
  EXPECT_EQ(users("exec"), everyone);
  EXPECT_EQ(users("admin"), everyone);
  for (const char* who : {"rn1", "rs2", "mkt"}) {
    EXPECT_THAT(Service().ChangeLog(P(who), "", 0, 50, 0), StatusIs(StatusCode::kPermissionDenied))
        << who;
  }

  SB_ASSERT_OK_AND_ASSIGN(json deals, Service().ChangeLog(P("admin"), "opportunities", 0, 50, 0));
  EXPECT_EQ(deals.at("total").get<int64_t>(), 3);
  SB_ASSERT_OK_AND_ASSIGN(json one,
                          Service().ChangeLog(P("admin"), "opportunities", Id("oS1"), 50, 0));
  ASSERT_EQ(one.at("items").size(), 1u);
  EXPECT_EQ(one.at("items")[0].at("changes"), (json{{"name", {"oS1", "s1"}}}));
  SB_ASSERT_OK_AND_ASSIGN(json page, Service().ChangeLog(P("admin"), "", 0, 2, 1));
  EXPECT_EQ(page.at("total").get<int64_t>(), 6);
  ASSERT_EQ(page.at("items").size(), 2u);
  EXPECT_EQ(page.at("items")[0].at("user"), "mkt@example.com");

  EXPECT_THAT(Service().ChangeLog(P("admin"), "widgets", 0, 50, 0),
              StatusIs(StatusCode::kInvalidArgument));
  for (int64_t limit : {0, 501}) {
    Result<json> bad = Service().ChangeLog(P("admin"), "", 0, limit, 0);
    EXPECT_THAT(bad, StatusIs(StatusCode::kInvalidArgument));
    EXPECT_EQ(bad.status().field(), "limit");
  }
  EXPECT_THAT(Service().ChangeLog(P("admin"), "", 0, 50, -1),
              StatusIs(StatusCode::kInvalidArgument));
}

// --- list parameters --------------------------------------------------------------------------

class RecordServiceListTest : public RecordServiceTest {
 protected:
  void SetUp() override {
    RecordServiceTest::SetUp();
    if (HasFatalFailure()) return;
    // rn1 also sees oN1 (qualify, 2025-06-30) and oShared (rs1's, qualify, 2025-04-30).
    AddOpportunity("Acme Expansion", "aN1", "rn1", MakeDate(2025, 4, 10), Stage::kPropose);
    AddOpportunity("ACME Renewal", "aN1", "rn1", MakeDate(2025, 2, 1), Stage::kClosedWon);
    AddOpportunity("Beta Pilot", "aN1", "rn1", MakeDate(2025, 3, 15), Stage::kClosedLost);
    AddOpportunity("Gamma", "aN1", "rn2", MakeDate(2025, 5, 20));
  }

  Names List(ListRequest request, const std::string& user = "rn1") {
    request.limit = 500;
    Result<json> list = Service().List(P(user), Kind::kOpportunities, request);
    EXPECT_TRUE(list.ok()) << list.status().ToString();
    if (!list.ok()) return {"<error>"};
    EXPECT_EQ(list->at("total").get<int64_t>(), static_cast<int64_t>(list->at("items").size()));
    return NamesOf(Kind::kOpportunities, *list);
  }

  static ListRequest Filter(std::string name, std::vector<std::string> values) {
    ListRequest request;
    request.filters = {{std::move(name), std::move(values)}};
    return request;
  }

  std::string IdText(const std::string& name) { return std::to_string(Id(name)); }
};

TEST_F(RecordServiceListTest, FiltersByOwner) {
  EXPECT_EQ(List(Filter("owner_id", {IdText("rn1")})),
            (Names{"oN1", "Acme Expansion", "ACME Renewal", "Beta Pilot"}));
  EXPECT_EQ(List(Filter("owner_id", {IdText("rn2"), IdText("rs1")})), (Names{"Gamma", "oShared"}));
}

TEST_F(RecordServiceListTest, FiltersNeverWidenWhatIsVisible) {
  EXPECT_EQ(List(Filter("owner_id", {IdText("rs2")})), Names{});
  EXPECT_EQ(List(Filter("account_id", {IdText("aS1")})), Names{});
  EXPECT_EQ(List(Filter("owner_id", {IdText("rs2")}), "admin"), (Names{"oS2"}));
}

TEST_F(RecordServiceListTest, FiltersByStageAndOutcome) {
  EXPECT_EQ(List(Filter("stage", {"propose"})), (Names{"Acme Expansion"}));
  EXPECT_EQ(List(Filter("stage", {"qualify", "propose"})),
            (Names{"oN1", "oShared", "Acme Expansion", "Gamma"}));
  EXPECT_EQ(List(Filter("outcome", {"open"})),
            (Names{"oN1", "oShared", "Acme Expansion", "Gamma"}));
  EXPECT_EQ(List(Filter("outcome", {"won"})), (Names{"ACME Renewal"}));
  EXPECT_EQ(List(Filter("outcome", {"lost"})), (Names{"Beta Pilot"}));
  EXPECT_EQ(List(Filter("outcome", {"won", "lost"})), (Names{"ACME Renewal", "Beta Pilot"}));

  ListRequest both;
  both.filters = {{"outcome", {"open"}}, {"owner_id", {IdText("rn1")}}};
  EXPECT_EQ(List(both), (Names{"oN1", "Acme Expansion"}));
}

TEST_F(RecordServiceListTest, SearchesTheNameWhateverItsCase) {
  ListRequest request;
  request.q = "acme";
  EXPECT_EQ(List(request), (Names{"Acme Expansion", "ACME Renewal"}));
  request.q = "RENEW";
  EXPECT_EQ(List(request), (Names{"ACME Renewal"}));
}

TEST_F(RecordServiceListTest, FromAndToBoundTheCloseDateInclusively) {
  ListRequest request;
  request.from = "2025-04-10";
  request.to = "2025-05-20";
  EXPECT_EQ(List(request), (Names{"Acme Expansion", "oShared", "Gamma"}));
  request.to.clear();
  request.from = "2025-05-01";
  EXPECT_EQ(List(request), (Names{"Gamma", "oN1"}));
  request.from.clear();
  request.to = "2025-03-15";
  EXPECT_EQ(List(request), (Names{"ACME Renewal", "Beta Pilot"}));
}

TEST_F(RecordServiceListTest, SortsByCloseDateDescendingAndPages) {
  ListRequest request;
  request.sort = "close_date";
  request.descending = true;
  SB_ASSERT_OK_AND_ASSIGN(json all, Service().List(P("rn1"), Kind::kOpportunities, request));
  EXPECT_THAT(
      OrderOf(Kind::kOpportunities, all),
      ElementsAre("oN1", "Gamma", "oShared", "Acme Expansion", "Beta Pilot", "ACME Renewal"));

  request.descending = false;
  SB_ASSERT_OK_AND_ASSIGN(json up, Service().List(P("rn1"), Kind::kOpportunities, request));
  EXPECT_THAT(
      OrderOf(Kind::kOpportunities, up),
      ElementsAre("ACME Renewal", "Beta Pilot", "Acme Expansion", "oShared", "Gamma", "oN1"));

  request.descending = true;
  request.limit = 2;
  request.offset = 2;
  SB_ASSERT_OK_AND_ASSIGN(json page, Service().List(P("rn1"), Kind::kOpportunities, request));
  EXPECT_THAT(OrderOf(Kind::kOpportunities, page), ElementsAre("oShared", "Acme Expansion"));
  EXPECT_EQ(page.at("total").get<int64_t>(), 6);
  EXPECT_EQ(page.at("limit").get<int64_t>(), 2);
  EXPECT_EQ(page.at("offset").get<int64_t>(), 2);
}

TEST_F(RecordServiceListTest, TheIdFilterOnlyFetchesVisibleRecords) {
  EXPECT_EQ(List(Filter("id", {IdText("oN1"), IdText("oS1"), IdText("Gamma")})),
            (Names{"oN1", "Gamma"}));
  EXPECT_EQ(List(Filter("id", {IdText("oS1")})), Names{});

  Result<json> bad = Service().List(P("rn1"), Kind::kOpportunities, Filter("id", {"x"}));
  EXPECT_THAT(bad, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(bad.status().field(), "id");
  std::vector<std::string> many;
  for (int i = 1; i <= 501; ++i) many.push_back(std::to_string(i));
  Result<json> too_many = Service().List(P("rn1"), Kind::kOpportunities, Filter("id", many));
  EXPECT_THAT(too_many, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(too_many.status().field(), "id");
}

TEST_F(RecordServiceListTest, RejectsUnknownFiltersSortsAndLimitsNamingTheParameter) {
  struct Case {
    std::string what;
    Kind kind;
    ListRequest request;
    std::string field;
  };
  std::vector<Case> cases;
  auto add = [&](std::string what, Kind kind, std::string field, auto change) {
    ListRequest request;
    change(request);
    cases.push_back({std::move(what), kind, std::move(request), std::move(field)});
  };
  const Kind kDeals = Kind::kOpportunities;
  add("unknown filter", kDeals, "colour", [](ListRequest& r) {
    r.filters = {{"colour", {"red"}}};
  });
  add("filter of another kind", kDeals, "industry", [](ListRequest& r) {
    r.filters = {{"industry", {"x"}}};
  });
  add("bad id", kDeals, "owner_id", [](ListRequest& r) { r.filters = {{"owner_id", {"abc"}}}; });
  add("bad outcome", kDeals, "outcome", [](ListRequest& r) {
    r.filters = {{"outcome", {"maybe"}}};
  });
  add("bad sort", kDeals, "sort", [](ListRequest& r) { r.sort = "colour"; });
  add("sort with its minus", kDeals, "sort", [](ListRequest& r) { r.sort = "-close_date"; });
  add("limit 0", kDeals, "limit", [](ListRequest& r) { r.limit = 0; });
  add("limit 501", kDeals, "limit", [](ListRequest& r) { r.limit = 501; });
  add("negative offset", kDeals, "offset", [](ListRequest& r) { r.offset = -1; });
  add("bad from", kDeals, "from", [](ListRequest& r) { r.from = "31.02.2025"; });
  add("bad to", kDeals, "to", [](ListRequest& r) { r.to = "soon"; });
  add("q where there is no name", Kind::kActivities, "q", [](ListRequest& r) { r.q = "x"; });
  add("from where there is no date", Kind::kAccounts, "from",
      [](ListRequest& r) { r.from = "2025-01-01"; });
  add("filter on a kind without filters", Kind::kTeams, "name", [](ListRequest& r) {
    r.filters = {{"name", {"North"}}};
  });

  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    Result<json> list = Service().List(P("rn1"), c.kind, c.request);
    EXPECT_THAT(list, StatusIs(StatusCode::kInvalidArgument));
    EXPECT_EQ(list.status().field(), c.field) << list.status().ToString();
  }
  ListRequest edges;
  edges.limit = 500;
  SB_EXPECT_OK(Service().List(P("rn1"), Kind::kOpportunities, edges));
  edges.limit = 1;
  SB_ASSERT_OK_AND_ASSIGN(json one, Service().List(P("rn1"), Kind::kOpportunities, edges));
  EXPECT_EQ(one.at("items").size(), 1u);
  EXPECT_EQ(one.at("total").get<int64_t>(), 6);
}

// --- the access rules directly ----------------------------------------------------------------

TEST_F(RecordServiceTest, MayWriteFollowsTheRoleTable) {
  EXPECT_TRUE(MayWrite(P("rn1"), Kind::kOpportunities));
  EXPECT_FALSE(MayWrite(P("rn1"), Kind::kUsers));
  EXPECT_FALSE(MayWrite(P("mn"), Kind::kCampaigns));
  EXPECT_TRUE(MayWrite(P("exec"), Kind::kActivities));
  EXPECT_FALSE(MayWrite(P("exec"), Kind::kOpportunities));
  EXPECT_TRUE(MayWrite(P("mkt"), Kind::kLeads));
  EXPECT_TRUE(MayWrite(P("mkt"), Kind::kCampaigns));
  EXPECT_FALSE(MayWrite(P("mkt"), Kind::kAccounts));
  for (Kind kind : ApiKinds()) EXPECT_TRUE(MayWrite(P("admin"), kind));
  EXPECT_TRUE(VisibleFilters(P("admin"), Kind::kOpportunities).empty());
  EXPECT_TRUE(VisibleFilters(P("exec"), Kind::kOpportunityHistory).empty());
  EXPECT_FALSE(VisibleFilters(P("rn1"), Kind::kOpportunityHistory).empty());
}

TEST(KindTest, KindsAreFoundByTheirPath) {
  SB_ASSERT_OK_AND_ASSIGN(Kind kind, KindForPath("opportunities"));
  EXPECT_EQ(kind, Kind::kOpportunities);
  EXPECT_THAT(KindForPath("widgets"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(ApiKinds().size(), 12u);
  const KindInfo& deals = DescribeKind(Kind::kOpportunities);
  EXPECT_EQ(deals.date_field, "close_date");
  EXPECT_TRUE(deals.searchable);
  EXPECT_THAT(deals.sorts,
              UnorderedElementsAre("name", "amount", "close_date", "created_date", "stage"));
}

}  // namespace
}  // namespace salesbox::service

// SPDX-License-Identifier: MIT
// Passwords, LoadPrincipal and AuthService (sign-in, throttling, idle and absolute expiry, the
// session cache) against a real in-memory SQLite store and a FakeClock. An argon2id hash or
// check at the interactive cost takes ~0.1 s and 64 MiB, so HashPassword runs once per process
// and the tests of throttling and sessions store an argon2id hash at libsodium's minimum cost
// (VerifyPassword reads the cost from the hash): what they test is not the hash.
#include "service/auth.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sodium.h>
#include <nlohmann/json.hpp>

#include "common/check.h"
#include "storage/open_store.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"

namespace salesbox::service {
namespace {

using ::salesbox::test::StatusIs;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::StartsWith;

constexpr std::string_view kPassword = "correct horse battery";

// The argon2id hash of kPassword, computed on first use and shared by every user and test.
const std::string& PasswordHash() {
  static const std::string hash = [] {
    Result<std::string> h = HashPassword(kPassword);
    SB_CHECK(h.ok());
    return *h;
  }();
  return hash;
}

// The argon2id hash of kPassword at the minimum cost (microseconds to check), once.
const std::string& CheapPasswordHash() {
  static const std::string hash = [] {
    SB_CHECK(sodium_init() >= 0);
    char out[crypto_pwhash_STRBYTES];
    SB_CHECK(crypto_pwhash_str_alg(out, kPassword.data(), kPassword.size(),
                                   crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN,
                                   crypto_pwhash_ALG_ARGON2ID13) == 0);
    return std::string(out);
  }();
  return hash;
}

bool IsLowerHex(const std::string& text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// --- passwords --------------------------------------------------------------------------------

TEST(PasswordTest, HashIsArgon2idAtInteractiveCostAndVerifiesOnlyThePassword) {
  const std::string& hash = PasswordHash();
  EXPECT_THAT(hash, StartsWith("$argon2id$v=19$m=65536,t=2,p=1$"));
  EXPECT_TRUE(VerifyPassword(hash, kPassword));
  EXPECT_FALSE(VerifyPassword(hash, "correct horse battery "));
}

TEST(PasswordTest, HashingTheSamePasswordTwiceUsesADifferentSalt) {
  SB_ASSERT_OK_AND_ASSIGN(std::string again, HashPassword(kPassword));
  EXPECT_NE(again, PasswordHash());
}

TEST(PasswordTest, HashAcceptsEightBytes) {
  SB_ASSERT_OK_AND_ASSIGN(std::string hash, HashPassword("12345678"));
  EXPECT_THAT(hash, StartsWith("$argon2id$"));
}

TEST(PasswordTest, HashRejectsPasswordsShorterThanEightBytes) {
  Result<std::string> hash = HashPassword("1234567");
  EXPECT_THAT(hash, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(hash.status().field(), "password");
  EXPECT_THAT(HashPassword(""), StatusIs(StatusCode::kInvalidArgument));
}

TEST(PasswordTest, HashRejectsPasswordsLongerThan1024Bytes) {
  Result<std::string> hash = HashPassword(std::string(1025, 'x'));
  EXPECT_THAT(hash, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(hash.status().field(), "password");
}

TEST(PasswordTest, VerifyIsFalseForAnEmptyOrMalformedHash) {
  EXPECT_FALSE(VerifyPassword("", kPassword));
  EXPECT_FALSE(VerifyPassword("not a hash", kPassword));
  EXPECT_FALSE(VerifyPassword("$argon2id$v=19$m=65536,t=2,p=1$garbage", kPassword));
  EXPECT_FALSE(VerifyPassword(std::string(300, '$'), kPassword));
}

// --- fixture ----------------------------------------------------------------------------------

class AuthFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    SB_ASSERT_OK_AND_ASSIGN(store_, storage::OpenStore("sqlite::memory:"));
    SB_ASSERT_OK_AND_ASSIGN(north_, AddTeam("North"));
    SB_ASSERT_OK_AND_ASSIGN(south_, AddTeam("South"));
  }

  Result<TeamId> AddTeam(const std::string& name) {
    Team team;
    team.name = name;
    return store_->teams().Insert(team);
  }

  // A user whose password is kPassword (at the minimum cost) unless `hash` says otherwise.
  Result<UserId> AddUser(const std::string& email, Role role, std::optional<TeamId> team,
                         bool active = true, std::optional<std::string> hash = std::nullopt) {
    User user;
    user.email = email;
    user.name = email.substr(0, email.find('@'));
    user.role = role;
    user.team_id = team;
    user.locale = "da";
    user.password_hash = hash ? *hash : CheapPasswordHash();
    user.active = active;
    return store_->users().Insert(user);
  }

  // Applies `change` to the stored user.
  template <typename Fn>
  void ChangeUser(UserId id, Fn change) {
    SB_ASSERT_OK_AND_ASSIGN(User user, store_->users().Get(id));
    change(user);
    SB_ASSERT_OK(store_->users().Update(user));
  }

  std::vector<Session> Sessions() {
    Result<std::vector<Session>> all = store_->sessions().List(storage::ListQuery{});
    EXPECT_TRUE(all.ok()) << all.status().ToString();
    return all.ok() ? *all : std::vector<Session>{};
  }

  test::FakeClock clock_{"2025-03-03T09:00:00Z"};
  std::unique_ptr<storage::Store> store_;
  TeamId north_, south_;
};

// --- LoadPrincipal ----------------------------------------------------------------------------

using LoadPrincipalTest = AuthFixture;

TEST_F(LoadPrincipalTest, ARepOwnsOnlyTheirOwnRecords) {
  SB_ASSERT_OK_AND_ASSIGN(UserId rep, AddUser("anna@example.com", Role::kRep, north_, true, ""));
  SB_ASSERT_OK_AND_ASSIGN(UserId mate, AddUser("bo@example.com", Role::kRep, north_, true, ""));
  (void)mate;

  SB_ASSERT_OK_AND_ASSIGN(Principal p, LoadPrincipal(*store_, rep));

  EXPECT_EQ(p.user_id, rep);
  EXPECT_EQ(p.role, Role::kRep);
  EXPECT_EQ(p.team_id, north_);
  EXPECT_EQ(p.email, "anna@example.com");
  EXPECT_EQ(p.name, "anna");
  EXPECT_EQ(p.locale, "da");
  EXPECT_THAT(p.owners, ElementsAre(rep.value));
}

TEST_F(LoadPrincipalTest, AManagerOwnsEveryMemberOfTheirTeamInactiveOnesIncluded) {
  SB_ASSERT_OK_AND_ASSIGN(UserId rep1, AddUser("r1@example.com", Role::kRep, north_, true, ""));
  SB_ASSERT_OK_AND_ASSIGN(UserId other, AddUser("s1@example.com", Role::kRep, south_, true, ""));
  SB_ASSERT_OK_AND_ASSIGN(UserId manager,
                          AddUser("m@example.com", Role::kManager, north_, true, ""));
  SB_ASSERT_OK_AND_ASSIGN(UserId gone, AddUser("r2@example.com", Role::kRep, north_, false, ""));
  (void)other;

  SB_ASSERT_OK_AND_ASSIGN(Principal p, LoadPrincipal(*store_, manager));

  // Sorted, the manager included, the other team's rep not.
  EXPECT_THAT(p.owners, ElementsAre(rep1.value, manager.value, gone.value));
}

TEST_F(LoadPrincipalTest, AManagerWithoutATeamOwnsOnlyThemselves) {
  SB_ASSERT_OK_AND_ASSIGN(UserId rep, AddUser("r1@example.com", Role::kRep, north_, true, ""));
  SB_ASSERT_OK_AND_ASSIGN(UserId manager,
                          AddUser("m@example.com", Role::kManager, std::nullopt, true, ""));
  (void)rep;

  SB_ASSERT_OK_AND_ASSIGN(Principal p, LoadPrincipal(*store_, manager));

  EXPECT_THAT(p.owners, ElementsAre(manager.value));
}

TEST_F(LoadPrincipalTest, AManagerOwnsTheMembersOfTheTeamTheyManage) {
  SB_ASSERT_OK_AND_ASSIGN(UserId rep, AddUser("s1@example.com", Role::kRep, south_, true, ""));
  SB_ASSERT_OK_AND_ASSIGN(UserId manager,
                          AddUser("m@example.com", Role::kManager, std::nullopt, true, ""));
  SB_ASSERT_OK_AND_ASSIGN(Team team, store_->teams().Get(south_));
  team.manager_id = manager;
  SB_ASSERT_OK(store_->teams().Update(team));

  SB_ASSERT_OK_AND_ASSIGN(Principal p, LoadPrincipal(*store_, manager));

  EXPECT_THAT(p.owners, ElementsAre(rep.value, manager.value));
}

TEST_F(LoadPrincipalTest, EveryManagerOfATeamWithSeveralManagersOwnsItsMembers) {
  SB_ASSERT_OK_AND_ASSIGN(UserId rep, AddUser("s1@example.com", Role::kRep, south_, true, ""));
  SB_ASSERT_OK_AND_ASSIGN(UserId first,
                          AddUser("m1@example.com", Role::kManager, std::nullopt, true, ""));
  SB_ASSERT_OK_AND_ASSIGN(UserId second,
                          AddUser("m2@example.com", Role::kManager, north_, true, ""));
  SB_ASSERT_OK_AND_ASSIGN(Team team, store_->teams().Get(south_));
  team.manager_id = first;
  SB_ASSERT_OK(store_->teams().Update(team));
  TeamManager also;
  also.team_id = south_;
  also.user_id = second;
  SB_ASSERT_OK(store_->team_managers().Insert(also).status());

  SB_ASSERT_OK_AND_ASSIGN(Principal p1, LoadPrincipal(*store_, first));
  SB_ASSERT_OK_AND_ASSIGN(Principal p2, LoadPrincipal(*store_, second));

  EXPECT_THAT(p1.owners, ElementsAre(rep.value, first.value));
  EXPECT_THAT(p1.managed_teams, ElementsAre(south_.value));
  // The second manager: their own team (North, nobody else in it) and South.
  EXPECT_THAT(p2.owners, ElementsAre(rep.value, second.value));
  EXPECT_THAT(p2.managed_teams, ElementsAre(north_.value, south_.value));
}

TEST_F(LoadPrincipalTest, AManagerTakenOffATeamNoLongerOwnsItsMembers) {
  SB_ASSERT_OK_AND_ASSIGN(UserId rep, AddUser("s1@example.com", Role::kRep, south_, true, ""));
  SB_ASSERT_OK_AND_ASSIGN(UserId manager,
                          AddUser("m@example.com", Role::kManager, std::nullopt, true, ""));
  TeamManager m;
  m.team_id = south_;
  m.user_id = manager;
  SB_ASSERT_OK_AND_ASSIGN(TeamManagerId id, store_->team_managers().Insert(m));
  SB_ASSERT_OK_AND_ASSIGN(Principal before, LoadPrincipal(*store_, manager));
  EXPECT_THAT(before.owners, ElementsAre(rep.value, manager.value));

  SB_ASSERT_OK(store_->team_managers().Delete(id));
  SB_ASSERT_OK_AND_ASSIGN(Principal after, LoadPrincipal(*store_, manager));
  EXPECT_THAT(after.owners, ElementsAre(manager.value));
  EXPECT_THAT(after.managed_teams, ::testing::IsEmpty());
}

TEST_F(LoadPrincipalTest, ExecutivesMarketingAndAdminsOwnOnlyThemselves) {
  SB_ASSERT_OK_AND_ASSIGN(UserId rep, AddUser("r1@example.com", Role::kRep, north_, true, ""));
  (void)rep;
  for (Role role : {Role::kExecutive, Role::kMarketing, Role::kAdmin}) {
    SB_ASSERT_OK_AND_ASSIGN(
        UserId id, AddUser(std::string(ToString(role)) + "@example.com", role, north_, true, ""));
    SB_ASSERT_OK_AND_ASSIGN(Principal p, LoadPrincipal(*store_, id));
    EXPECT_EQ(p.role, role);
    EXPECT_THAT(p.owners, ElementsAre(id.value)) << ToString(role);
  }
}

TEST_F(LoadPrincipalTest, AnInactiveUserIsUnauthenticated) {
  SB_ASSERT_OK_AND_ASSIGN(UserId id, AddUser("r1@example.com", Role::kRep, north_, false, ""));
  EXPECT_THAT(LoadPrincipal(*store_, id), StatusIs(StatusCode::kUnauthenticated));
}

TEST_F(LoadPrincipalTest, AnUnknownUserIsNotFound) {
  EXPECT_THAT(LoadPrincipal(*store_, UserId{999}), StatusIs(StatusCode::kNotFound));
}

// --- CreateUser, SetPassword, SetAllPasswordHashes -------------------------------------------

class UserAdminTest : public AuthFixture {
 protected:
  std::vector<ChangeLogEntry> Audit() {
    Result<std::vector<ChangeLogEntry>> all = store_->change_log().List(storage::ListQuery{});
    EXPECT_TRUE(all.ok()) << all.status().ToString();
    return all.ok() ? *all : std::vector<ChangeLogEntry>{};
  }

  std::optional<Team> TeamNamed(const std::string& name) {
    storage::ListQuery query;
    query.filters.push_back(storage::Match("name", storage::FilterOp::kEq, {name}));
    Result<std::vector<Team>> teams = store_->teams().List(query);
    EXPECT_TRUE(teams.ok());
    if (!teams.ok() || teams->empty()) return std::nullopt;
    return teams->front();
  }
};

TEST_F(UserAdminTest, CreateUserStoresAUserWhoCanSignInAndAuditsIt) {
  NewUser input;
  input.email = "New.Person@Example.com";
  input.name = "New Person";
  input.role = Role::kManager;
  input.team = "North";
  input.locale = "sv";
  input.password = std::string(kPassword);

  SB_ASSERT_OK_AND_ASSIGN(UserId id, CreateUser(*store_, clock_, input));

  SB_ASSERT_OK_AND_ASSIGN(User user, store_->users().Get(id));
  EXPECT_EQ(user.email, "new.person@example.com");
  EXPECT_EQ(user.name, "New Person");
  EXPECT_EQ(user.role, Role::kManager);
  EXPECT_EQ(user.team_id, north_);
  EXPECT_EQ(user.locale, "sv");
  EXPECT_TRUE(user.active);
  EXPECT_EQ(user.created_at, clock_.Now());
  EXPECT_TRUE(VerifyPassword(user.password_hash, kPassword));
  std::vector<ChangeLogEntry> audit = Audit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "create");
  EXPECT_EQ(audit[0].entity, "users");
  EXPECT_EQ(audit[0].entity_id, id.value);
  EXPECT_EQ(audit[0].user_id, std::nullopt) << "a change by the system";
  EXPECT_EQ(audit[0].at, clock_.Now());
  nlohmann::json changes = nlohmann::json::parse(audit[0].changes, nullptr, false);
  ASSERT_FALSE(changes.is_discarded()) << audit[0].changes;
  EXPECT_EQ(changes["email"], nlohmann::json::array({nullptr, "new.person@example.com"}));
  EXPECT_EQ(changes["role"], nlohmann::json::array({nullptr, "manager"}));
  EXPECT_EQ(changes.find("password"), changes.end());
}

TEST_F(UserAdminTest, CreateUserRejectsBadInputBeforeHashing) {
  NewUser good;
  good.email = "x@example.com";
  good.name = "X";
  good.password = std::string(kPassword);
  const struct {
    void (*spoil)(NewUser&);
    const char* field;
  } kCases[] = {
      {[](NewUser& u) { u.email = "no-at-sign"; }, "email"},
      {[](NewUser& u) { u.email = "@example.com"; }, "email"},
      {[](NewUser& u) { u.email = "x@"; }, "email"},
      {[](NewUser& u) { u.name.clear(); }, "name"},
      {[](NewUser& u) { u.locale = "de"; }, "locale"},
      {[](NewUser& u) { u.password = "short"; }, "password"},
  };
  for (const auto& c : kCases) {
    NewUser input = good;
    c.spoil(input);
    SCOPED_TRACE(c.field);
    Result<UserId> created = CreateUser(*store_, clock_, input);
    EXPECT_THAT(created, StatusIs(StatusCode::kInvalidArgument));
    EXPECT_EQ(created.status().field(), c.field);
  }
  SB_ASSERT_OK_AND_ASSIGN(std::vector<User> users, store_->users().List(storage::ListQuery{}));
  EXPECT_TRUE(users.empty());
  EXPECT_TRUE(Audit().empty());
}

TEST_F(UserAdminTest, CreateUserWithATakenEmailChangesNothing) {
  SB_ASSERT_OK(AddUser("taken@example.com", Role::kRep, north_, true, ""));
  NewUser input;
  input.email = "TAKEN@example.com";
  input.name = "Again";
  input.team = "West";  // would be created
  input.password = std::string(kPassword);

  EXPECT_THAT(CreateUser(*store_, clock_, input), StatusIs(StatusCode::kAlreadyExists));

  EXPECT_EQ(TeamNamed("West"), std::nullopt) << "the new team is rolled back too";
  EXPECT_TRUE(Audit().empty());
}

TEST_F(UserAdminTest, CreateUserMakesAMissingTeamAndKeepsTheAuditValidJson) {
  NewUser input;
  input.email = "o\"brien\\x@example.com";
  input.name = "O'Brien";
  input.team = "West";
  input.password = std::string(kPassword);

  SB_ASSERT_OK_AND_ASSIGN(UserId id, CreateUser(*store_, clock_, input));

  std::optional<Team> west = TeamNamed("West");
  ASSERT_TRUE(west.has_value());
  SB_ASSERT_OK_AND_ASSIGN(User user, store_->users().Get(id));
  EXPECT_EQ(user.team_id, west->id);
  std::vector<ChangeLogEntry> audit = Audit();
  ASSERT_EQ(audit.size(), 1u);
  nlohmann::json changes = nlohmann::json::parse(audit[0].changes, nullptr, false);
  ASSERT_FALSE(changes.is_discarded()) << audit[0].changes;
  EXPECT_EQ(changes["email"][1], "o\"brien\\x@example.com");
}

TEST_F(UserAdminTest, SetPasswordReplacesTheHashAndAuditsOnlyThatItChanged) {
  SB_ASSERT_OK_AND_ASSIGN(UserId id, AddUser("anna@example.com", Role::kRep, north_));
  clock_.Advance(hours(1));

  SB_ASSERT_OK(SetPassword(*store_, clock_, "Anna@Example.com", "a new password"));

  SB_ASSERT_OK_AND_ASSIGN(User user, store_->users().Get(id));
  EXPECT_NE(user.password_hash, CheapPasswordHash());
  EXPECT_THAT(user.password_hash, StartsWith("$argon2id$v=19$m=65536,t=2,p=1$"));
  EXPECT_TRUE(VerifyPassword(user.password_hash, "a new password"));
  EXPECT_EQ(user.updated_at, clock_.Now());
  std::vector<ChangeLogEntry> audit = Audit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "update");
  EXPECT_EQ(audit[0].entity, "users");
  EXPECT_EQ(audit[0].entity_id, id.value);
  EXPECT_EQ(audit[0].user_id, std::nullopt);
  EXPECT_EQ(audit[0].changes, R"json({"password":["(set)","(changed)"]})json");
  EXPECT_EQ(audit[0].changes.find(user.password_hash), std::string::npos);
}

TEST_F(UserAdminTest, SetPasswordFailsForAShortPasswordOrAnUnknownEmail) {
  SB_ASSERT_OK_AND_ASSIGN(UserId id, AddUser("anna@example.com", Role::kRep, north_));
  Status short_password = SetPassword(*store_, clock_, "anna@example.com", "short");
  EXPECT_THAT(short_password, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(short_password.field(), "password");
  EXPECT_THAT(SetPassword(*store_, clock_, "nobody@example.com", kPassword),
              StatusIs(StatusCode::kNotFound));

  SB_ASSERT_OK_AND_ASSIGN(User user, store_->users().Get(id));
  EXPECT_EQ(user.password_hash, CheapPasswordHash());
  EXPECT_TRUE(Audit().empty());
}

TEST_F(UserAdminTest, SetAllPasswordHashesLetsEveryUserSignInWithOnePassword) {
  SB_ASSERT_OK(AddUser("anna@example.com", Role::kRep, north_, true, ""));
  SB_ASSERT_OK(AddUser("bo@example.com", Role::kManager, south_, true, ""));

  SB_ASSERT_OK(SetAllPasswordHashes(*store_, CheapPasswordHash()));

  AuthService auth(*store_, clock_);
  SB_EXPECT_OK(auth.SignIn("anna@example.com", kPassword, "127.0.0.1"));
  SB_EXPECT_OK(auth.SignIn("bo@example.com", kPassword, "127.0.0.1"));
}

// --- AuthService: sign-in ---------------------------------------------------------------------

class AuthServiceTest : public AuthFixture {
 protected:
  void SetUp() override {
    AuthFixture::SetUp();
    if (HasFatalFailure()) return;
    SB_ASSERT_OK_AND_ASSIGN(anna_, AddUser("anna@example.com", Role::kRep, north_));
    SB_ASSERT_OK_AND_ASSIGN(bo_, AddUser("bo@example.com", Role::kRep, north_));
    SB_ASSERT_OK_AND_ASSIGN(boss_, AddUser("boss@example.com", Role::kManager, north_));
  }

  Result<SignedIn> SignIn(AuthService& auth, std::string_view email,
                          std::string_view password = kPassword, int64_t* retry_after = nullptr) {
    return auth.SignIn(email, password, "192.0.2.7", retry_after);
  }

  UserId anna_, bo_, boss_;
};

TEST_F(AuthServiceTest, SignInReturnsATokenAndCsrfTokenAndStoresOnlyTheTokensHash) {
  SB_ASSERT_OK_AND_ASSIGN(UserId real,
                          AddUser("real@example.com", Role::kRep, north_, true, PasswordHash()));
  AuthService auth(*store_, clock_);

  SB_ASSERT_OK_AND_ASSIGN(SignedIn in, SignIn(auth, "real@example.com"));

  EXPECT_EQ(in.token.size(), 64u);
  EXPECT_TRUE(IsLowerHex(in.token)) << in.token;
  EXPECT_EQ(in.csrf_token.size(), 64u);
  EXPECT_NE(in.token, in.csrf_token);
  EXPECT_EQ(in.principal.user_id, real);
  EXPECT_EQ(in.principal.email, "real@example.com");
  std::vector<Session> sessions = Sessions();
  ASSERT_EQ(sessions.size(), 1u);
  const Session& s = sessions[0];
  EXPECT_EQ(s.user_id, real);
  EXPECT_EQ(s.token_hash.size(), 64u);
  EXPECT_NE(s.token_hash, in.token);
  EXPECT_EQ(s.csrf_token, in.csrf_token);
  EXPECT_EQ(s.created_at, clock_.Now());
  EXPECT_EQ(s.last_seen_at, clock_.Now());
  EXPECT_EQ(s.expires_at, clock_.Now() + hours(24 * 7));
  EXPECT_EQ(s.remote_address, "192.0.2.7");
}

TEST_F(AuthServiceTest, SignInIgnoresTheCaseOfTheEmail) {
  AuthService auth(*store_, clock_);
  SB_ASSERT_OK_AND_ASSIGN(SignedIn in, SignIn(auth, "Anna@EXAMPLE.com"));
  EXPECT_EQ(in.principal.user_id, anna_);
}

TEST_F(AuthServiceTest, AWrongPasswordAndAnUnknownEmailGetTheSameAnswer) {
  SB_ASSERT_OK(AddUser("real@example.com", Role::kRep, north_, true, PasswordHash()));
  AuthService auth(*store_, clock_);

  Result<SignedIn> wrong = SignIn(auth, "real@example.com", "wrong password");
  Result<SignedIn> unknown = SignIn(auth, "nobody@example.com");

  EXPECT_THAT(wrong, StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(unknown, StatusIs(StatusCode::kUnauthenticated));
  EXPECT_EQ(wrong.status().message(), unknown.status().message());
  EXPECT_TRUE(Sessions().empty());
}

TEST_F(AuthServiceTest, AnInactiveUserCannotSignInWithTheRightPassword) {
  ChangeUser(anna_, [](User& u) { u.active = false; });
  AuthService auth(*store_, clock_);
  EXPECT_THAT(SignIn(auth, "anna@example.com"), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_TRUE(Sessions().empty());
}

TEST_F(AuthServiceTest, AUserWithoutAPasswordCannotSignIn) {
  SB_ASSERT_OK(AddUser("nopass@example.com", Role::kRep, north_, true, ""));
  AuthService auth(*store_, clock_);
  EXPECT_THAT(SignIn(auth, "nopass@example.com", ""), StatusIs(StatusCode::kUnauthenticated));
}

// --- AuthService: throttling ------------------------------------------------------------------

TEST_F(AuthServiceTest, FiveFailuresLockTheEmailForFifteenMinutes) {
  AuthService auth(*store_, clock_);
  for (int i = 0; i < 5; ++i) {
    EXPECT_THAT(SignIn(auth, "anna@example.com", "wrong password"),
                StatusIs(StatusCode::kUnauthenticated))
        << "attempt " << i + 1;
  }

  int64_t retry_after = -1;
  EXPECT_THAT(SignIn(auth, "anna@example.com", kPassword, &retry_after),
              StatusIs(StatusCode::kResourceExhausted));
  EXPECT_EQ(retry_after, 15 * 60);
  EXPECT_THAT(SignIn(auth, "anna@example.com"), StatusIs(StatusCode::kResourceExhausted))
      << "retry_after is optional";

  clock_.Advance(minutes(15) - seconds(1));
  EXPECT_THAT(SignIn(auth, "anna@example.com", kPassword, &retry_after),
              StatusIs(StatusCode::kResourceExhausted));
  EXPECT_EQ(retry_after, 1);

  clock_.Advance(seconds(1));
  SB_EXPECT_OK(SignIn(auth, "anna@example.com"));
}

TEST_F(AuthServiceTest, FailuresOlderThanTheWindowDoNotCount) {
  AuthOptions options;
  options.max_failures = 2;
  AuthService auth(*store_, clock_, options);

  EXPECT_THAT(SignIn(auth, "anna@example.com", "wrong password"),
              StatusIs(StatusCode::kUnauthenticated));
  clock_.Advance(minutes(15));
  EXPECT_THAT(SignIn(auth, "anna@example.com", "wrong password"),
              StatusIs(StatusCode::kUnauthenticated));

  SB_EXPECT_OK(SignIn(auth, "anna@example.com"));
}

TEST_F(AuthServiceTest, ASuccessfulSignInForgetsEarlierFailures) {
  AuthOptions options;
  options.max_failures = 2;
  AuthService auth(*store_, clock_, options);

  EXPECT_THAT(SignIn(auth, "anna@example.com", "wrong password"),
              StatusIs(StatusCode::kUnauthenticated));
  SB_ASSERT_OK(SignIn(auth, "anna@example.com"));
  EXPECT_THAT(SignIn(auth, "anna@example.com", "wrong password"),
              StatusIs(StatusCode::kUnauthenticated));

  SB_EXPECT_OK(SignIn(auth, "anna@example.com"));
}

TEST_F(AuthServiceTest, ThrottlingCountsPerEmailWhateverItsCase) {
  AuthOptions options;
  options.max_failures = 2;
  AuthService auth(*store_, clock_, options);

  EXPECT_THAT(SignIn(auth, "ANNA@example.com", "wrong password"),
              StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(SignIn(auth, "anna@example.com", "wrong password"),
              StatusIs(StatusCode::kUnauthenticated));

  EXPECT_THAT(SignIn(auth, "Anna@Example.com"), StatusIs(StatusCode::kResourceExhausted));
  SB_EXPECT_OK(SignIn(auth, "bo@example.com"));
}

TEST_F(AuthServiceTest, AnUnknownEmailIsThrottledLikeAKnownOne) {
  AuthOptions options;
  options.max_failures = 2;
  AuthService auth(*store_, clock_, options);

  EXPECT_THAT(SignIn(auth, "nobody@example.com"), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(SignIn(auth, "nobody@example.com"), StatusIs(StatusCode::kUnauthenticated));

  EXPECT_THAT(SignIn(auth, "nobody@example.com"), StatusIs(StatusCode::kResourceExhausted));
}

// The attack of issue 19: anyone could lock a user out with five wrong passwords. A client that
// signed in as the user before gets through with the right password.
TEST_F(AuthServiceTest, AnEmailLockedFromElsewhereLetsAPreviouslyGoodClientThrough) {
  AuthService auth(*store_, clock_);
  SB_ASSERT_OK(auth.SignIn("anna@example.com", kPassword, "198.51.100.5"));  // her laptop
  for (int i = 0; i < 5; ++i) {
    EXPECT_THAT(auth.SignIn("anna@example.com", "guess " + std::to_string(i), "203.0.113.66"),
                StatusIs(StatusCode::kUnauthenticated));
  }

  EXPECT_THAT(auth.SignIn("anna@example.com", kPassword, "203.0.113.66"),
              StatusIs(StatusCode::kResourceExhausted));
  EXPECT_THAT(auth.SignIn("anna@example.com", kPassword, "192.0.2.200"),
              StatusIs(StatusCode::kResourceExhausted))
      << "an address she never used waits like the attacker";
  SB_EXPECT_OK(auth.SignIn("anna@example.com", kPassword, "198.51.100.5"));
}

TEST_F(AuthServiceTest, AClientKnownFromASessionInTheStorePassesTheLockInAnotherProcess) {
  AuthService earlier(*store_, clock_);
  SB_ASSERT_OK(earlier.SignIn("anna@example.com", kPassword, "198.51.100.5"));
  AuthService auth(*store_, clock_);  // started since: knows her laptop only from the store
  for (int i = 0; i < 5; ++i) {
    (void)auth.SignIn("anna@example.com", "guess", "203.0.113.66");
  }
  SB_EXPECT_OK(auth.SignIn("anna@example.com", kPassword, "198.51.100.5"));
}

TEST_F(AuthServiceTest, AKnownClientStillHasALimitOfItsOwn) {
  AuthService auth(*store_, clock_);
  SB_ASSERT_OK(auth.SignIn("anna@example.com", kPassword, "198.51.100.5"));
  for (int i = 0; i < 5; ++i) {
    EXPECT_THAT(auth.SignIn("anna@example.com", "guess", "198.51.100.5"),
                StatusIs(StatusCode::kUnauthenticated));
  }
  int64_t retry_after = 0;
  EXPECT_THAT(auth.SignIn("anna@example.com", kPassword, "198.51.100.5", &retry_after),
              StatusIs(StatusCode::kResourceExhausted));
  EXPECT_EQ(retry_after, 15 * 60);
}

// The other attack of issue 19: 40 e-mails tried once each from one address all got plain 401s.
TEST_F(AuthServiceTest, ManyEmailsFromOneAddressLockTheAddress) {
  AuthService auth(*store_, clock_);
  int refused = 0, throttled = 0;
  for (int i = 0; i < 40; ++i) {
    Result<SignedIn> r =
        auth.SignIn("user" + std::to_string(i) + "@example.com", "Summer2025!", "203.0.113.66");
    if (r.status().code() == StatusCode::kUnauthenticated) ++refused;
    if (r.status().code() == StatusCode::kResourceExhausted) ++throttled;
  }
  EXPECT_EQ(refused, 20);
  EXPECT_EQ(throttled, 20);
  EXPECT_THAT(auth.SignIn("anna@example.com", kPassword, "203.0.113.66"),
              StatusIs(StatusCode::kResourceExhausted));
  // Other addresses are not affected.
  SB_EXPECT_OK(auth.SignIn("anna@example.com", kPassword, "192.0.2.200"));
  clock_.Advance(minutes(15));
  SB_EXPECT_OK(auth.SignIn("bo@example.com", kPassword, "203.0.113.66"));
}

TEST_F(AuthServiceTest, LockoutsAreWrittenToTheChangeLog) {
  AuthService auth(*store_, clock_);
  for (int i = 0; i < 5; ++i) (void)auth.SignIn("anna@example.com", "guess", "203.0.113.66");
  for (int i = 0; i < 20; ++i) {
    (void)auth.SignIn("x" + std::to_string(i) + "@example.com", "guess", "192.0.2.9");
  }
  SB_ASSERT_OK_AND_ASSIGN(std::vector<ChangeLogEntry> log,
                          store_->change_log().List(storage::ListQuery{}));
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].entity, "users");
  EXPECT_EQ(log[0].entity_id, anna_.value);
  EXPECT_FALSE(log[0].user_id.has_value());
  const nlohmann::json account = nlohmann::json::parse(log[0].changes);
  EXPECT_EQ(account["sign_in_locked_until"][1], "2025-03-03T09:15:00Z");
  EXPECT_EQ(account["failed_from"][1], "203.0.113.66");
  const nlohmann::json address = nlohmann::json::parse(log[1].changes);
  EXPECT_EQ(log[1].entity, "sessions");
  EXPECT_EQ(address["address"][1], "192.0.2.9");
  EXPECT_EQ(address["failures"][1], 20);
  // Unknown e-mails are locked too (ThrottlingCountsPerEmailWhateverItsCase), never logged.
  EXPECT_EQ(log[1].changes.find("x1@example.com"), std::string::npos);
}

// --- AuthService: sessions --------------------------------------------------------------------

TEST_F(AuthServiceTest, AuthenticateReturnsThePrincipalAndCsrfTokenOfTheSession) {
  AuthService auth(*store_, clock_);
  SB_ASSERT_OK_AND_ASSIGN(SignedIn in, SignIn(auth, "boss@example.com"));

  SB_ASSERT_OK_AND_ASSIGN(Authenticated cached, auth.Authenticate(in.token));
  EXPECT_EQ(cached.principal.user_id, boss_);
  EXPECT_EQ(cached.csrf_token, in.csrf_token);
  // A manager's principal carries their team.
  EXPECT_THAT(cached.principal.owners, ElementsAre(anna_.value, bo_.value, boss_.value));

  // The same from the store, by another instance that never saw the sign-in.
  AuthService other(*store_, clock_);
  SB_ASSERT_OK_AND_ASSIGN(Authenticated stored, other.Authenticate(in.token));
  EXPECT_EQ(stored.principal.user_id, boss_);
  EXPECT_EQ(stored.csrf_token, in.csrf_token);
  EXPECT_EQ(stored.principal.owners, cached.principal.owners);
}

TEST_F(AuthServiceTest, AuthenticateRejectsEmptyUnknownAndOverlongTokens) {
  AuthService auth(*store_, clock_);
  EXPECT_THAT(auth.Authenticate(""), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(auth.Authenticate(std::string(64, 'a')), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(auth.Authenticate(std::string(257, 'a')), StatusIs(StatusCode::kUnauthenticated));
}

TEST_F(AuthServiceTest, TheIdleTimerIsWrittenBackAtMostEveryFiveMinutes) {
  AuthService auth(*store_, clock_);
  const Timestamp signed_in = clock_.Now();
  SB_ASSERT_OK_AND_ASSIGN(SignedIn in, SignIn(auth, "anna@example.com"));

  clock_.Advance(minutes(1));
  SB_ASSERT_OK(auth.Authenticate(in.token));
  ASSERT_EQ(Sessions().size(), 1u);
  EXPECT_EQ(Sessions()[0].last_seen_at, signed_in);

  clock_.Advance(minutes(5));
  SB_ASSERT_OK(auth.Authenticate(in.token));
  EXPECT_EQ(Sessions()[0].last_seen_at, signed_in + minutes(6));
}

TEST_F(AuthServiceTest, ASessionExpiresAfterTwelveHoursIdle) {
  AuthService auth(*store_, clock_);
  SB_ASSERT_OK_AND_ASSIGN(SignedIn in, SignIn(auth, "anna@example.com"));

  clock_.Advance(hours(12) - seconds(1));
  SB_ASSERT_OK(auth.Authenticate(in.token));  // just in time; this use restarts the timer

  clock_.Advance(hours(12));
  EXPECT_THAT(auth.Authenticate(in.token), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_TRUE(Sessions().empty()) << "the expired session is deleted";
  EXPECT_THAT(auth.Authenticate(in.token), StatusIs(StatusCode::kUnauthenticated));
}

TEST_F(AuthServiceTest, ASessionInUseExpiresAfterSevenDays) {
  AuthService auth(*store_, clock_);
  SB_ASSERT_OK_AND_ASSIGN(SignedIn in, SignIn(auth, "anna@example.com"));

  for (int i = 1; i <= 15; ++i) {  // 165 hours, never more than 11 idle
    clock_.Advance(hours(11));
    SCOPED_TRACE(::testing::Message() << "after " << 11 * i << " hours");
    SB_ASSERT_OK(auth.Authenticate(in.token));
  }
  clock_.Advance(hours(3));  // 168 hours

  EXPECT_THAT(auth.Authenticate(in.token), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_TRUE(Sessions().empty());
}

TEST_F(AuthServiceTest, SignOutEndsTheSessionAndMayBeRepeated) {
  AuthService auth(*store_, clock_);
  SB_ASSERT_OK_AND_ASSIGN(SignedIn in, SignIn(auth, "anna@example.com"));
  SB_ASSERT_OK(auth.Authenticate(in.token));

  SB_ASSERT_OK(auth.SignOut(in.token));

  EXPECT_THAT(auth.Authenticate(in.token), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_TRUE(Sessions().empty());
  SB_EXPECT_OK(auth.SignOut(in.token));
  SB_EXPECT_OK(auth.SignOut("never-issued"));
}

// Two AuthService objects over one store stand for two server processes over one database:
// each has its own memory of sessions, and only the store is shared.
TEST_F(AuthServiceTest, ASignOutInAnotherProcessIsNoticedAtOnce) {
  AuthService here(*store_, clock_);
  AuthService elsewhere(*store_, clock_);
  SB_ASSERT_OK_AND_ASSIGN(SignedIn in, SignIn(here, "anna@example.com"));
  SB_ASSERT_OK(here.Authenticate(in.token));
  SB_ASSERT_OK(elsewhere.SignOut(in.token));

  EXPECT_THAT(here.Authenticate(in.token), StatusIs(StatusCode::kUnauthenticated));
}

TEST_F(AuthServiceTest, SetPasswordEndsTheUsersSessionsInEveryProcessAtOnce) {
  AuthService one(*store_, clock_);
  AuthService two(*store_, clock_);
  SB_ASSERT_OK_AND_ASSIGN(SignedIn anna, SignIn(one, "anna@example.com"));
  SB_ASSERT_OK_AND_ASSIGN(SignedIn bo, SignIn(one, "bo@example.com"));
  SB_ASSERT_OK(one.Authenticate(anna.token));
  SB_ASSERT_OK(two.Authenticate(anna.token));

  // What `salesbox user passwd` does, from a third process.
  SB_ASSERT_OK(SetPassword(*store_, clock_, "anna@example.com", "another long password"));

  clock_.Advance(seconds(1));
  EXPECT_THAT(one.Authenticate(anna.token), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(two.Authenticate(anna.token), StatusIs(StatusCode::kUnauthenticated));
  // Other users keep their sessions.
  SB_EXPECT_OK(one.Authenticate(bo.token));
}

TEST_F(AuthServiceTest, ForgetMakesADeactivationTakeEffectAtOnce) {
  AuthService auth(*store_, clock_);
  SB_ASSERT_OK_AND_ASSIGN(SignedIn in, SignIn(auth, "anna@example.com"));
  ChangeUser(anna_, [](User& u) { u.active = false; });

  auth.Forget(anna_);

  EXPECT_THAT(auth.Authenticate(in.token), StatusIs(StatusCode::kUnauthenticated));
}

TEST_F(AuthServiceTest, ADeactivationInTheStoreTakesEffectAtOnceInEveryProcess) {
  AuthService auth(*store_, clock_);
  SB_ASSERT_OK_AND_ASSIGN(SignedIn in, SignIn(auth, "anna@example.com"));
  SB_ASSERT_OK(auth.Authenticate(in.token));
  ChangeUser(anna_, [](User& u) { u.active = false; });

  EXPECT_THAT(auth.Authenticate(in.token), StatusIs(StatusCode::kUnauthenticated));
}

TEST_F(AuthServiceTest, ForgettingATeamMemberRefreshesTheirManagersPrincipal) {
  AuthService auth(*store_, clock_);
  SB_ASSERT_OK_AND_ASSIGN(SignedIn in, SignIn(auth, "boss@example.com"));
  ChangeUser(anna_, [this](User& u) { u.team_id = south_; });
  SB_ASSERT_OK_AND_ASSIGN(Authenticated before, auth.Authenticate(in.token));
  EXPECT_THAT(before.principal.owners, ElementsAre(anna_.value, bo_.value, boss_.value));

  auth.Forget(anna_);

  SB_ASSERT_OK_AND_ASSIGN(Authenticated after, auth.Authenticate(in.token));
  EXPECT_THAT(after.principal.owners, ElementsAre(bo_.value, boss_.value));
}

TEST_F(AuthServiceTest, AMemberWhoMovedTeamLeavesTheManagersPrincipalWithinTheCacheTtl) {
  AuthService auth(*store_, clock_);
  SB_ASSERT_OK_AND_ASSIGN(SignedIn in, SignIn(auth, "boss@example.com"));
  ChangeUser(anna_, [this](User& u) { u.team_id = south_; });

  clock_.Advance(seconds(30));

  SB_ASSERT_OK_AND_ASSIGN(Authenticated after, auth.Authenticate(in.token));
  EXPECT_THAT(after.principal.owners, ElementsAre(bo_.value, boss_.value));
}

TEST_F(AuthServiceTest, ARoleChangeInTheStoreIsSeenAtOnce) {
  AuthService auth(*store_, clock_);
  SB_ASSERT_OK_AND_ASSIGN(SignedIn in, SignIn(auth, "anna@example.com"));
  SB_ASSERT_OK(auth.Authenticate(in.token));
  ChangeUser(anna_, [](User& u) { u.role = Role::kAdmin; });

  SB_ASSERT_OK_AND_ASSIGN(Authenticated now, auth.Authenticate(in.token));
  EXPECT_EQ(now.principal.role, Role::kAdmin);
}

TEST_F(AuthServiceTest, PurgeExpiredDeletesIdleAndOverageSessionsOnly) {
  AuthOptions options;
  options.idle_timeout = hours(1);
  options.absolute_timeout = hours(3);
  AuthService auth(*store_, clock_, options);
  SB_ASSERT_OK_AND_ASSIGN(int64_t none, auth.PurgeExpired());
  EXPECT_EQ(none, 0);

  SB_ASSERT_OK_AND_ASSIGN(SignedIn busy, SignIn(auth, "anna@example.com"));
  SB_ASSERT_OK_AND_ASSIGN(SignedIn idle, SignIn(auth, "bo@example.com"));
  for (int i = 0; i < 3; ++i) {  // busy is used every 50 minutes, up to 2.5 hours
    clock_.Advance(minutes(50));
    SB_ASSERT_OK(auth.Authenticate(busy.token));
  }
  SB_ASSERT_OK_AND_ASSIGN(SignedIn fresh, SignIn(auth, "boss@example.com"));
  clock_.Advance(minutes(30));  // 3 hours: busy reaches its absolute limit, idle is long idle

  SB_ASSERT_OK_AND_ASSIGN(int64_t purged, auth.PurgeExpired());

  EXPECT_EQ(purged, 2);
  std::vector<Session> left = Sessions();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].user_id, boss_);
  EXPECT_THAT(auth.Authenticate(busy.token), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(auth.Authenticate(idle.token), StatusIs(StatusCode::kUnauthenticated));
  SB_EXPECT_OK(auth.Authenticate(fresh.token));
}

}  // namespace
}  // namespace salesbox::service

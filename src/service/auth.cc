// SPDX-License-Identifier: MIT
#include "service/auth.h"

#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <cctype>
#include <deque>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <unordered_set>

#include "common/json_text.h"
#include "common/status_macros.h"
#include "service/change_log.h"

namespace salesbox::service {
namespace {

constexpr size_t kMinPassword = 8;
constexpr size_t kMaxPassword = 1024;
// The idle timer is written back at most this often: a write per request would make every
// read a write.
constexpr auto kTouchInterval = std::chrono::minutes(5);

bool SodiumReady() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string RandomHex(size_t bytes) {
  SodiumReady();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                 raw.size());
  hex.pop_back();
  return hex;
}

std::string Sha256Hex(std::string_view text) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  std::string hex(sizeof(digest) * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest, sizeof(digest));
  hex.pop_back();
  return hex;
}

Result<Principal> LoadPrincipal(storage::Store& store, UserId user_id) {
  SB_ASSIGN_OR_RETURN(User user, store.users().Get(user_id));
  if (!user.active) return Status::Unauthenticated("the account " + user.email + " is disabled");
  Principal p;
  p.user_id = user.id;
  p.role = user.role;
  p.team_id = user.team_id;
  p.email = user.email;
  p.name = user.name;
  p.locale = user.locale;
  p.owners.push_back(user.id.value);
  if (user.role == Role::kManager) {
    // The team they belong to and every team they are one of the managers of (teams.manager_id
    // is kept among team_managers by migration 0012; both are read so neither can hide a team).
    std::vector<int64_t>& own = p.managed_teams;
    if (user.team_id) own.push_back(user.team_id->value);
    storage::ListQuery led;
    led.filters.push_back(storage::Match("manager_id", storage::FilterOp::kEq, {user.id.value}));
    SB_RETURN_IF_ERROR(store.teams().Scan(led, [&](const Team& team) {
      own.push_back(team.id.value);
      return Status::Ok();
    }));
    storage::ListQuery managing;
    managing.filters.push_back(storage::Match("user_id", storage::FilterOp::kEq, {user.id.value}));
    SB_RETURN_IF_ERROR(store.team_managers().Scan(managing, [&](const TeamManager& m) {
      own.push_back(m.team_id.value);
      return Status::Ok();
    }));
    std::sort(own.begin(), own.end());
    own.erase(std::unique(own.begin(), own.end()), own.end());
    const std::vector<storage::Value> teams(own.begin(), own.end());
    storage::ListQuery members;
    members.filters.push_back(storage::Match("team_id", storage::FilterOp::kIn, teams));
    SB_RETURN_IF_ERROR(store.users().Scan(members, [&](const User& member) {
      if (member.id != user.id) p.owners.push_back(member.id.value);
      return Status::Ok();
    }));
    std::sort(p.owners.begin(), p.owners.end());
    p.owners.erase(std::unique(p.owners.begin(), p.owners.end()), p.owners.end());
  }
  return p;
}

Result<std::string> HashPassword(std::string_view password) {
  if (password.size() < kMinPassword) {
    return Status::InvalidArgument("a password needs at least " + std::to_string(kMinPassword) +
                                   " characters")
        .WithField("password");
  }
  if (password.size() > kMaxPassword) {
    return Status::InvalidArgument("a password may have at most " +
                                   std::to_string(kMaxPassword) + " bytes")
        .WithField("password");
  }
  if (!SodiumReady()) return Status::Internal("libsodium failed to initialise");
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(hash, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::Internal("hashing the password ran out of memory");
  }
  return std::string(hash);
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES || !SodiumReady()) return false;
  std::string terminated(hash);  // crypto_pwhash_str_verify reads a C string
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

namespace {

Status AuditSystemChange(storage::Store& store, Timestamp at, std::string_view action,
                         int64_t user_id, std::string changes) {
  return AppendChange(store, at, std::nullopt, action, "users", user_id, std::move(changes));
}


}  // namespace

Result<UserId> CreateUser(storage::Store& store, const Clock& clock, const NewUser& input) {
  const std::string email = Lower(input.email);
  if (email.find('@') == std::string::npos || email.front() == '@' || email.back() == '@') {
    return Status::InvalidArgument("\"" + input.email + "\" is not an e-mail address")
        .WithField("email");
  }
  if (input.name.empty()) return Status::InvalidArgument("a name is required").WithField("name");
  if (input.locale != "en" && input.locale != "da" && input.locale != "sv" &&
      input.locale != "nb") {
    return Status::InvalidArgument("locale must be one of en, da, sv, nb").WithField("locale");
  }
  SB_ASSIGN_OR_RETURN(std::string hash, HashPassword(input.password));
  const Timestamp now = clock.Now();
  UserId id;
  SB_RETURN_IF_ERROR(store.Transact([&](storage::Store& s) -> Status {
    User user;
    user.email = email;
    user.name = input.name;
    user.role = input.role;
    user.locale = input.locale;
    user.password_hash = hash;
    user.created_at = now;
    user.updated_at = now;
    if (!input.team.empty()) {
      storage::ListQuery by_name;
      by_name.filters.push_back(storage::Match("name", storage::FilterOp::kEq, {input.team}));
      SB_ASSIGN_OR_RETURN(std::vector<Team> teams, s.teams().List(by_name));
      if (teams.empty()) {
        Team team;
        team.name = input.team;
        team.created_at = now;
        team.updated_at = now;
        SB_ASSIGN_OR_RETURN(TeamId team_id, s.teams().Insert(team));
        user.team_id = team_id;
      } else {
        user.team_id = teams.front().id;
      }
    }
    Result<UserId> inserted = s.users().Insert(user);
    if (!inserted.ok() && inserted.status().code() == StatusCode::kAlreadyExists) {
      return Status::AlreadyExists("a user with e-mail " + email + " exists already");
    }
    SB_RETURN_IF_ERROR(inserted.status());
    id = *inserted;
    return AuditSystemChange(s, now, "create", id.value,
                             "{\"email\":[null," + JsonString(email) + "],\"role\":[null,\"" +
                                 std::string(ToString(input.role)) + "\"]}");
  }));
  return id;
}

Status SetPassword(storage::Store& store, const Clock& clock, std::string_view email,
                   std::string_view password) {
  SB_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  const Timestamp now = clock.Now();
  return store.Transact([&](storage::Store& s) -> Status {
    storage::ListQuery by_email;
    by_email.filters.push_back(storage::Match("email", storage::FilterOp::kEq, {Lower(email)}));
    SB_ASSIGN_OR_RETURN(std::vector<User> users, s.users().List(by_email));
    if (users.empty()) return Status::NotFound("no user has e-mail " + std::string(email));
    User user = users.front();
    user.password_hash = hash;
    user.updated_at = now;
    SB_RETURN_IF_ERROR(s.users().Update(user));
    // A new password ends every session signed in with the old one.
    SB_RETURN_IF_ERROR(EndSessions(s, user.id));
    return AuditSystemChange(s, now, "update", user.id.value,
                             "{\"password\":[\"(set)\",\"(changed)\"]}");
  });
}

Status SetAllPasswordHashes(storage::Store& store, const std::string& hash) {
  return store.Transact([&](storage::Store& s) -> Status {
    SB_ASSIGN_OR_RETURN(std::vector<User> users, s.users().List(storage::ListQuery{}));
    for (User& user : users) {
      user.password_hash = hash;
      SB_RETURN_IF_ERROR(s.users().Update(user));
    }
    return Status::Ok();
  });
}

Status EndSessions(storage::Store& store, UserId user_id) {
  storage::ListQuery sessions;
  sessions.filters.push_back(storage::Match("user_id", storage::FilterOp::kEq, {user_id.value}));
  SB_ASSIGN_OR_RETURN(std::vector<Session> open, store.sessions().List(sessions));
  for (const Session& session : open) {
    Status deleted = store.sessions().Delete(session.id);
    if (!deleted.ok() && deleted.code() != StatusCode::kNotFound) return deleted;
  }
  return Status::Ok();
}

namespace {

constexpr size_t kMaxThrottleEntries = 10000;

struct Failures {
  std::deque<Timestamp> at;  // within the window
  Timestamp locked_until{};
};

// Seconds left of the lock of `key` in `table`, 0 when there is none.
int64_t LockedFor(const std::unordered_map<std::string, Failures>& table,
                  const std::string& key, Timestamp now) {
  auto it = table.find(key);
  if (it == table.end() || it->second.locked_until <= now) return 0;
  return (it->second.locked_until - now).count();
}

// Counts a failure for `key`; true when it sets a new lock. Bounded memory whatever keys
// strangers try: entries outside the window are forgotten once the table is large.
bool CountFailure(std::unordered_map<std::string, Failures>& table,
                  const std::string& key, Timestamp now, int max, const AuthOptions& options) {
  if (table.size() > kMaxThrottleEntries) {
    std::erase_if(table, [&](const auto& entry) {
      return entry.second.locked_until <= now &&
             (entry.second.at.empty() || entry.second.at.back() + options.failure_window <= now);
    });
  }
  Failures& f = table[key];
  f.at.push_back(now);
  while (!f.at.empty() && f.at.front() + options.failure_window <= now) f.at.pop_front();
  if (static_cast<int>(f.at.size()) < max) return false;
  f.locked_until = now + options.lockout;
  f.at.clear();
  return true;
}

}  // namespace

struct AuthService::State {
  struct Cached {
    Authenticated auth;
    int64_t user_version = 0;  // the user's row the principal was loaded from
    Timestamp loaded_at;
  };
  std::shared_mutex cache_mutex;
  std::unordered_map<std::string, Cached> cache;  // by token hash

  std::mutex throttle_mutex;
  // By lower-case e-mail, by source address, and by e-mail + '\n' + address.
  std::unordered_map<std::string, Failures> by_email, by_address, by_pair;
  // (e-mail, address) pairs that signed in here (bounded; the sessions table is the lasting
  // record).
  std::unordered_set<std::string> good_pairs;
};

AuthService::AuthService(storage::Store& store, const Clock& clock, AuthOptions options)
    : store_(store), clock_(clock), options_(options), state_(std::make_unique<State>()) {}

AuthService::~AuthService() = default;

bool AuthService::KnownClient(UserId user_id, const std::string& pair,
                              std::string_view remote_address) {
  {
    std::lock_guard<std::mutex> lock(state_->throttle_mutex);
    if (state_->good_pairs.contains(pair)) return true;
  }
  if (remote_address.empty()) return false;
  storage::ListQuery sessions;
  sessions.filters.push_back(storage::Match("user_id", storage::FilterOp::kEq, {user_id.value}));
  sessions.filters.push_back(
      storage::Match("remote_address", storage::FilterOp::kEq, {std::string(remote_address)}));
  Result<int64_t> count = store_.sessions().Count(sessions);
  return count.ok() && *count > 0;
}

Result<SignedIn> AuthService::SignIn(std::string_view email, std::string_view password,
                                     std::string_view remote_address, int64_t* retry_after) {
  const Timestamp now = clock_.Now();
  const std::string key = Lower(email);
  const std::string address(remote_address);
  const std::string pair = key + '\n' + address;

  storage::ListQuery by_email;
  by_email.filters.push_back(storage::Match("email", storage::FilterOp::kEq, {key}));
  by_email.limit = 1;
  SB_ASSIGN_OR_RETURN(std::vector<User> users, store_.users().List(by_email));
  const User* user = users.empty() ? nullptr : &users.front();
  // A client that signed in as this user before passes the e-mail's and the address's locks
  // (AuthOptions); only its own lock stops it.
  const bool known = user != nullptr && KnownClient(user->id, pair, address);
  {
    std::lock_guard<std::mutex> lock(state_->throttle_mutex);
    const int64_t wait =
        known ? LockedFor(state_->by_pair, pair, now)
              : std::max(LockedFor(state_->by_email, key, now),
                         address.empty() ? 0 : LockedFor(state_->by_address, address, now));
    if (wait > 0) {
      if (retry_after != nullptr) *retry_after = wait;
      return Status::ResourceExhausted("too many failed sign-ins; try again in " +
                                       std::to_string((wait + 59) / 60) + " minutes");
    }
  }
  const auto fail = [&]() -> Status {
    bool email_locked = false, address_locked = false;
    int64_t address_failures = 0;
    {
      std::lock_guard<std::mutex> lock(state_->throttle_mutex);
      email_locked = CountFailure(state_->by_email, key, now, options_.max_failures, options_);
      if (!address.empty()) {
        address_locked = CountFailure(state_->by_address, address, now,
                                      options_.max_address_failures, options_);
        address_failures = address_locked ? options_.max_address_failures : 0;
      }
      if (known) CountFailure(state_->by_pair, pair, now, options_.max_failures, options_);
    }
    // The locks go into the change log: who was locked, from where, until when. Only an e-mail
    // that belongs to a user is named; the log never records e-mails that do not exist.
    const std::string until = FormatTimestamp(now + options_.lockout);
    if (email_locked && user != nullptr) {
      (void)AppendChange(store_, now, std::nullopt, "update", "users", user->id.value,
                         "{\"sign_in_locked_until\":[null," + JsonString(until) +
                             "],\"failed_from\":[null," + JsonString(address) + "]}");
    }
    if (address_locked) {
      (void)AppendChange(store_, now, std::nullopt, "update", "sessions", 0,
                         "{\"address_locked_until\":[null," + JsonString(until) +
                             "],\"address\":[null," + JsonString(address) +
                             "],\"failures\":[null," + std::to_string(address_failures) + "]}");
    }
    return Status::Unauthenticated("wrong e-mail or password");
  };

  if (user == nullptr) {
    // Spend the time a real check would, so the answer's timing does not reveal the e-mail.
    static const std::string kDummy = [] {
      Result<std::string> hash = HashPassword("not-a-real-password");
      return hash.ok() ? *hash : std::string();
    }();
    (void)VerifyPassword(kDummy, password);
    return fail();
  }
  if (!VerifyPassword(user->password_hash, password) || !user->active) return fail();
  {
    std::lock_guard<std::mutex> lock(state_->throttle_mutex);
    state_->by_pair.erase(pair);
    // A lock set by someone else's guesses stays; earlier failures of this e-mail are forgotten.
    if (LockedFor(state_->by_email, key, now) == 0) state_->by_email.erase(key);
    if (state_->good_pairs.size() > kMaxThrottleEntries) state_->good_pairs.clear();
    state_->good_pairs.insert(pair);
  }

  SB_ASSIGN_OR_RETURN(Principal principal, LoadPrincipal(store_, user->id));
  SignedIn out;
  out.token = RandomHex(32);
  out.csrf_token = RandomHex(32);
  Session session;
  session.token_hash = Sha256Hex(out.token);
  session.user_id = user->id;
  session.csrf_token = out.csrf_token;
  session.created_at = now;
  session.last_seen_at = now;
  session.expires_at = now + options_.absolute_timeout;
  session.remote_address = std::string(remote_address);
  SB_ASSIGN_OR_RETURN(session.id, store_.sessions().Insert(session));
  out.principal = principal;
  std::unique_lock lock(state_->cache_mutex);
  state_->cache[session.token_hash] = State::Cached{{principal, out.csrf_token}, user->version, now};
  return out;
}

Result<Authenticated> AuthService::Authenticate(std::string_view token) {
  if (token.empty() || token.size() > 256) return Status::Unauthenticated("not signed in");
  const Timestamp now = clock_.Now();
  const std::string hash = Sha256Hex(token);
  const auto forget = [&] {
    std::unique_lock lock(state_->cache_mutex);
    state_->cache.erase(hash);
  };
  // The session row, read on every request: a sign-out, password, role or active change in any
  // process deletes it (EndSessions), and the next request sees that.
  storage::ListQuery by_hash;
  by_hash.filters.push_back(storage::Match("token_hash", storage::FilterOp::kEq, {hash}));
  by_hash.limit = 1;
  SB_ASSIGN_OR_RETURN(std::vector<Session> found, store_.sessions().List(by_hash));
  if (found.empty()) {
    forget();
    return Status::Unauthenticated("not signed in (the session ended)");
  }
  Session session = found.front();
  if (now >= session.expires_at || now - session.last_seen_at >= options_.idle_timeout) {
    forget();
    Status deleted = store_.sessions().Delete(session.id);
    if (!deleted.ok() && deleted.code() != StatusCode::kNotFound) return deleted;
    return Status::Unauthenticated("the session expired; sign in again");
  }
  // The user's row, also read every time: its version says whether the principal kept from an
  // earlier request still holds (a change made directly in the store, by any process).
  Result<User> user = store_.users().Get(session.user_id);
  if (!user.ok()) {
    forget();
    if (user.status().code() == StatusCode::kNotFound) {
      return Status::Unauthenticated("the user no longer exists");
    }
    return user.status();
  }
  if (!user->active) {
    forget();
    return Status::Unauthenticated("the account " + user->email + " is disabled");
  }
  if (now - session.last_seen_at >= kTouchInterval) {
    session.last_seen_at = now;
    Status touched = store_.sessions().Update(session);
    if (!touched.ok() && touched.code() != StatusCode::kNotFound) return touched;
  }
  {
    std::shared_lock lock(state_->cache_mutex);
    auto it = state_->cache.find(hash);
    if (it != state_->cache.end() && it->second.user_version == user->version &&
        it->second.auth.principal.user_id == session.user_id &&
        now - it->second.loaded_at < options_.cache_ttl) {
      return it->second.auth;
    }
  }
  Result<Principal> principal = LoadPrincipal(store_, session.user_id);
  if (!principal.ok()) {
    forget();
    if (principal.status().code() == StatusCode::kNotFound ||
        principal.status().code() == StatusCode::kUnauthenticated) {
      return Status::Unauthenticated("not signed in (the user changed)");
    }
    return principal.status();
  }
  Authenticated auth{*std::move(principal), session.csrf_token};
  std::unique_lock lock(state_->cache_mutex);
  if (state_->cache.size() > kMaxThrottleEntries) state_->cache.clear();
  state_->cache[hash] = State::Cached{auth, user->version, now};
  return auth;
}

Status AuthService::SignOut(std::string_view token) {
  const std::string hash = Sha256Hex(token);
  {
    std::unique_lock lock(state_->cache_mutex);
    state_->cache.erase(hash);
  }
  storage::ListQuery by_hash;
  by_hash.filters.push_back(storage::Match("token_hash", storage::FilterOp::kEq, {hash}));
  SB_ASSIGN_OR_RETURN(std::vector<Session> found, store_.sessions().List(by_hash));
  for (const Session& s : found) {
    Status deleted = store_.sessions().Delete(s.id);
    if (!deleted.ok() && deleted.code() != StatusCode::kNotFound) return deleted;
  }
  return Status::Ok();
}

void AuthService::Forget(UserId user_id) {
  std::unique_lock lock(state_->cache_mutex);
  std::erase_if(state_->cache, [&](const auto& entry) {
    return entry.second.auth.principal.user_id == user_id ||
           std::find(entry.second.auth.principal.owners.begin(),
                     entry.second.auth.principal.owners.end(),
                     user_id.value) != entry.second.auth.principal.owners.end();
  });
}

Result<int64_t> AuthService::PurgeExpired() {
  const Timestamp now = clock_.Now();
  storage::ListQuery query;
  query.filters.push_back(storage::AnyOf(
      {storage::Match("expires_at", storage::FilterOp::kLe, {FormatTimestamp(now)}),
       storage::Match("last_seen_at", storage::FilterOp::kLe,
                      {FormatTimestamp(now - options_.idle_timeout)})}));
  SB_ASSIGN_OR_RETURN(std::vector<Session> old, store_.sessions().List(query));
  for (const Session& s : old) SB_RETURN_IF_ERROR(store_.sessions().Delete(s.id));
  {
    std::unique_lock lock(state_->cache_mutex);
    state_->cache.clear();
  }
  return static_cast<int64_t>(old.size());
}

}  // namespace salesbox::service

// SPDX-License-Identifier: MIT
// Who is asking: passwords (argon2id), sign-in sessions, and the Principal every service call
// is made for.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/time.h"
#include "domain/user.h"
#include "storage/store.h"

namespace salesbox::service {

// The signed-in user as the access rules see them.
struct Principal {
  UserId user_id;
  Role role = Role::kRep;
  std::optional<TeamId> team_id;
  std::string email;
  std::string name;
  std::string locale;
  // Users whose records count as the principal's own: a rep's are their own; a manager's are
  // those of every member of the teams they manage or belong to, themselves included.
  std::vector<int64_t> owners;
  // A manager's teams, sorted: the one they belong to and every team they are one of the
  // managers of (a team may have several; each of them sees and manages it). Empty for the
  // other roles.
  std::vector<int64_t> managed_teams;
};

// `bytes` random bytes from libsodium as lower-case hex (tokens, event ids).
std::string RandomHex(size_t bytes);
// The SHA-256 of `text` as lower-case hex.
std::string Sha256Hex(std::string_view text);

// Loads the principal for `user_id` (kNotFound; kUnauthenticated when the user is inactive).
// A manager's teams are read from store.team_managers() as well as teams.manager_id.
Result<Principal> LoadPrincipal(storage::Store& store, UserId user_id);

// argon2id via libsodium's crypto_pwhash_str at the "interactive" cost (64 MiB, 2 passes).
// kInvalidArgument when the password is shorter than 8 or longer than 1024 bytes.
Result<std::string> HashPassword(std::string_view password);
// False also for an empty or malformed hash.
bool VerifyPassword(std::string_view hash, std::string_view password);

// Creates a user who can sign in (admin tooling: `salesbox user add`), recording it in the
// audit log as a change by the system. kAlreadyExists when the e-mail is taken.
struct NewUser {
  std::string email;
  std::string name;
  Role role = Role::kRep;
  std::string team;    // created when it does not exist; empty: none
  std::string locale = "en";
  std::string password;
};
Result<UserId> CreateUser(storage::Store& store, const Clock& clock, const NewUser& user);
// Sets the password of the user with `email` (kNotFound), audited.
Status SetPassword(storage::Store& store, const Clock& clock, std::string_view email,
                   std::string_view password);
// Sets every user's password hash to `hash` (the demo company: one password for all).
Status SetAllPasswordHashes(storage::Store& store, const std::string& hash);

// Deletes every session of `user_id` (a password, role or active change): every server process
// refuses their cookies from the next request on, because Authenticate reads the session row on
// each request. Call inside the transaction that makes the change.
Status EndSessions(storage::Store& store, UserId user_id);

// Sign-in throttling (docs/security.md, "Guessing passwords"). Failures are counted within
// `failure_window` per e-mail, per source address and per (e-mail, address) pair:
//  * `max_failures` for an e-mail lock it for `lockout` against every address that has not
//    signed in as that user before (a spray of guesses for one account);
//  * `max_address_failures` from one address lock that address for `lockout`, whatever e-mails
//    it tries next (a spray of one guess for many accounts);
//  * a client that has signed in as the user before (the address has a session of theirs, or
//    signed in here since the process started) passes both locks, so nobody can lock a user out
//    from elsewhere; it has a lock of its own after `max_failures` for the pair.
// Locks of an e-mail that belongs to a user, and of an address, are written to the change log.
struct AuthOptions {
  std::chrono::seconds idle_timeout = std::chrono::hours(12);
  std::chrono::seconds absolute_timeout = std::chrono::hours(24 * 7);
  int max_failures = 5;           // per e-mail (and per e-mail and address) within the window
  int max_address_failures = 20;  // per source address within the window
  std::chrono::seconds failure_window = std::chrono::minutes(15);
  std::chrono::seconds lockout = std::chrono::minutes(15);
  // How long Authenticate reuses a manager's list of team members before loading it again (a
  // member who moved team). The session and the user's own row are read on every request.
  std::chrono::seconds cache_ttl = std::chrono::seconds(30);
};

struct SignedIn {
  std::string token;  // the cookie value; only its hash is stored
  std::string csrf_token;
  Principal principal;
};

struct Authenticated {
  Principal principal;
  std::string csrf_token;
};

// Sign-in, sessions and throttling. Thread-safe.
class AuthService {
 public:
  AuthService(storage::Store& store, const Clock& clock, AuthOptions options = {});
  ~AuthService();

  // kUnauthenticated for a wrong e-mail or password (one message for both, so the answer does
  // not tell which e-mails exist); kResourceExhausted while the e-mail, the address or the pair
  // is locked (AuthOptions), with the seconds to wait in `retry_after`.
  Result<SignedIn> SignIn(std::string_view email, std::string_view password,
                          std::string_view remote_address, int64_t* retry_after = nullptr);

  // The principal of the session whose cookie token is `token`; kUnauthenticated when there is
  // none (signed out or ended by EndSessions in any process), it expired or the user was
  // deactivated. Reads the session and the user from the store on every call (point reads);
  // the principal is loaded again whenever the user's row changed. Refreshes the idle timer
  // now and then.
  Result<Authenticated> Authenticate(std::string_view token);

  // Ends the session (no error when it is already gone).
  Status SignOut(std::string_view token);

  // Forgets cached sessions of `user_id` (after a role, team or password change).
  void Forget(UserId user_id);

  // Deletes expired sessions; returns how many.
  Result<int64_t> PurgeExpired();

 private:
  struct State;
  // Whether `pair` (e-mail and address) signed in before: here since the start, or a session of
  // the user from that address is in the store.
  bool KnownClient(UserId user_id, const std::string& pair, std::string_view remote_address);

  storage::Store& store_;
  const Clock& clock_;
  AuthOptions options_;
  std::unique_ptr<State> state_;
};

}  // namespace salesbox::service

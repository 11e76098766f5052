// SPDX-License-Identifier: MIT
// Who may work where, and what they did: sign-in sessions, accounts shared with other users,
// and the append-only audit log of changes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/ids.h"
#include "common/time.h"

namespace salesbox {

// A signed-in browser. The cookie carries a random token; only its SHA-256 is stored, so a copy
// of the database does not let anyone sign in.
struct Session {
  SessionId id;
  std::string token_hash;  // hex SHA-256 of the cookie token; unique
  UserId user_id;
  std::string csrf_token;  // sent back as X-CSRF-Token on state-changing requests
  Timestamp created_at{};
  Timestamp last_seen_at{};  // idle expiry counts from here
  Timestamp expires_at{};    // absolute expiry
  std::string remote_address;

  friend bool operator==(const Session&, const Session&) = default;
};

// An account's owner may let other users work on it (a key-account team, a stand-in during
// holidays); they then see it with its contacts, opportunities, activities and orders.
struct AccountShare {
  AccountShareId id;
  AccountId account_id;
  UserId user_id;
  Timestamp created_at{};
  std::string note;  // why: "key-account team", "stand-in during holidays"

  friend bool operator==(const AccountShare&, const AccountShare&) = default;
};

// One change: who, when, what, and every changed field's old and new value. Never updated or
// deleted by salesbox.
struct ChangeLogEntry {
  ChangeLogEntryId id;
  std::string event_id;  // random, unique: lets an entry be copied between databases exactly once
  Timestamp at{};
  std::optional<UserId> user_id;  // empty: the system (import, demo)
  std::string action;             // "create", "update", "delete"
  std::string entity;             // the API's kind name: "opportunities"
  int64_t entity_id = 0;
  std::string changes;  // JSON object {"field":[old,new]}; old is null on create, new on delete

  friend bool operator==(const ChangeLogEntry&, const ChangeLogEntry&) = default;
};

}  // namespace salesbox

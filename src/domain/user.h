// SPDX-License-Identifier: MIT
// Users of salesbox and the teams they sell in.
#pragma once

#include <optional>
#include <string>

#include "common/ids.h"
#include "common/time.h"
#include "domain/enum_names.h"

namespace salesbox {

enum class Role { kRep, kManager, kExecutive, kMarketing, kAdmin };

template <>
struct EnumNames<Role> {
  static constexpr std::string_view kWhat = "role";
  static constexpr std::array<std::pair<Role, std::string_view>, 5> kNames{{
      {Role::kRep, "rep"},
      {Role::kManager, "manager"},
      {Role::kExecutive, "executive"},
      {Role::kMarketing, "marketing"},
      {Role::kAdmin, "admin"},
  }};
};

// A team may have several managers (TeamManager); manager_id is the first of them, the one the
// API's manager_id and manager_email fields show. Setting it makes that user a manager of the
// team in the store as well (and un-sets the manager it replaces).
struct Team {
  TeamId id;
  std::string name;                // unique
  std::optional<UserId> manager_id;
  Timestamp created_at{};
  Timestamp updated_at{};
  int64_t version = 1;

  friend bool operator==(const Team&, const Team&) = default;
};

// One manager of one team: every manager of a team sees and manages the team's work (access.h).
struct TeamManager {
  TeamManagerId id;
  TeamId team_id;
  UserId user_id;
  Timestamp created_at{};
  std::string note;  // how they became one: "import", "set by Ida Holm"

  friend bool operator==(const TeamManager&, const TeamManager&) = default;
};

struct User {
  UserId id;
  std::string email;  // unique, stored lower-case
  std::string name;
  Role role = Role::kRep;
  std::optional<TeamId> team_id;
  std::string locale = "en";   // en, da, sv, nb
  std::string password_hash;   // argon2id (libsodium crypto_pwhash_str); empty: cannot sign in
  bool active = true;
  Timestamp created_at{};
  Timestamp updated_at{};
  int64_t version = 1;

  friend bool operator==(const User&, const User&) = default;
};

}  // namespace salesbox

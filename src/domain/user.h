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

struct Team {
  TeamId id;
  std::string name;                // unique
  std::optional<UserId> manager_id;
  Timestamp created_at{};
  Timestamp updated_at{};
  int64_t version = 1;

  friend bool operator==(const Team&, const Team&) = default;
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

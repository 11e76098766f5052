// SPDX-License-Identifier: MIT
// Accounts (customers and prospects), their contacts, and the segments they fall into.
#pragma once

#include <optional>
#include <string>

#include "common/ids.h"
#include "common/time.h"
#include "domain/enum_names.h"

namespace salesbox {

enum class AccountStatus { kProspect, kCustomer, kFormer };

template <>
struct EnumNames<AccountStatus> {
  static constexpr std::string_view kWhat = "account status";
  static constexpr std::array<std::pair<AccountStatus, std::string_view>, 3> kNames{{
      {AccountStatus::kProspect, "prospect"},
      {AccountStatus::kCustomer, "customer"},
      {AccountStatus::kFormer, "former"},
  }};
};

// A named group of accounts, defined by a rule over account attributes. `core` marks the
// segments where the company creates most value (the strategy's scope).
struct Segment {
  SegmentId id;
  std::string name;  // unique
  std::string rule;  // e.g. "industry=Manufacturing;employees>=200"
  bool core = false;
  Timestamp created_at{};
  Timestamp updated_at{};
  int64_t version = 1;

  friend bool operator==(const Segment&, const Segment&) = default;
};

struct Account {
  AccountId id;
  std::string external_id;  // the id in the system it came from; unique when not empty
  std::string name;
  std::string org_number;  // CVR / organisationsnummer / organisasjonsnummer
  std::string industry;
  std::optional<int64_t> employees;
  std::string region;
  std::string country;  // ISO 3166-1 alpha-2 ("DK")
  AccountStatus status = AccountStatus::kProspect;
  std::optional<UserId> owner_id;
  std::optional<SegmentId> segment_id;  // derived
  std::string abc_class;                // derived: "A", "B", "C" or empty
  Timestamp created_at{};
  Timestamp updated_at{};
  int64_t version = 1;

  friend bool operator==(const Account&, const Account&) = default;
};

enum class BuyingRole {
  kUnknown,
  kEconomicBuyer,
  kDecisionMaker,
  kChampion,
  kInfluencer,
  kUser,
  kTechnical,
  kCoach,
  kBlocker,
};

template <>
struct EnumNames<BuyingRole> {
  static constexpr std::string_view kWhat = "buying role";
  static constexpr std::array<std::pair<BuyingRole, std::string_view>, 9> kNames{{
      {BuyingRole::kUnknown, "unknown"},
      {BuyingRole::kEconomicBuyer, "economic_buyer"},
      {BuyingRole::kDecisionMaker, "decision_maker"},
      {BuyingRole::kChampion, "champion"},
      {BuyingRole::kInfluencer, "influencer"},
      {BuyingRole::kUser, "user"},
      {BuyingRole::kTechnical, "technical"},
      {BuyingRole::kCoach, "coach"},
      {BuyingRole::kBlocker, "blocker"},
  }};
};

struct Contact {
  ContactId id;
  std::string external_id;
  AccountId account_id;
  std::string name;
  std::string title;
  std::string email;
  std::string phone;
  BuyingRole buying_role = BuyingRole::kUnknown;
  std::optional<int64_t> relationship_strength;  // 0 (none) .. 4 (trusted advisor)
  Timestamp created_at{};
  Timestamp updated_at{};
  int64_t version = 1;

  friend bool operator==(const Contact&, const Contact&) = default;
};

}  // namespace salesbox

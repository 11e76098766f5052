// SPDX-License-Identifier: MIT
// Activities (calls, meetings, ...) planned or done, and orders (what customers bought).
#pragma once

#include <optional>
#include <string>

#include "common/ids.h"
#include "common/money.h"
#include "common/time.h"
#include "domain/enum_names.h"

namespace salesbox {

enum class ActivityType { kCall, kMeeting, kEmail, kProposal, kDemo, kEvent, kTask };

template <>
struct EnumNames<ActivityType> {
  static constexpr std::string_view kWhat = "activity type";
  static constexpr std::array<std::pair<ActivityType, std::string_view>, 7> kNames{{
      {ActivityType::kCall, "call"},
      {ActivityType::kMeeting, "meeting"},
      {ActivityType::kEmail, "email"},
      {ActivityType::kProposal, "proposal"},
      {ActivityType::kDemo, "demo"},
      {ActivityType::kEvent, "event"},
      {ActivityType::kTask, "task"},
  }};
};

enum class ActivityStatus { kPlanned, kCompleted };

template <>
struct EnumNames<ActivityStatus> {
  static constexpr std::string_view kWhat = "activity status";
  static constexpr std::array<std::pair<ActivityStatus, std::string_view>, 2> kNames{{
      {ActivityStatus::kPlanned, "planned"},
      {ActivityStatus::kCompleted, "completed"},
  }};
};

struct Activity {
  ActivityId id;
  std::string external_id;
  ActivityType type = ActivityType::kCall;
  ActivityStatus status = ActivityStatus::kPlanned;
  Timestamp at{};  // due time when planned, done time when completed
  std::optional<UserId> owner_id;
  std::optional<AccountId> account_id;
  std::optional<ContactId> contact_id;
  std::optional<OpportunityId> opportunity_id;
  std::optional<LeadId> lead_id;
  std::string outcome;
  std::string notes;
  Timestamp created_at{};
  Timestamp updated_at{};
  int64_t version = 1;

  friend bool operator==(const Activity&, const Activity&) = default;
};

// A transaction with a customer: the basis for profitability and lifetime value.
struct Order {
  OrderId id;
  std::string external_id;  // the order number, or a key derived from the row (see import)
  AccountId account_id;
  Date ordered_on{};
  Money revenue;
  Money margin;  // gross margin, same currency as revenue
  Timestamp created_at{};
  Timestamp updated_at{};
  int64_t version = 1;

  friend bool operator==(const Order&, const Order&) = default;
};

}  // namespace salesbox

// SPDX-License-Identifier: MIT
// The strategy cascade's editable parts: objectives and value propositions per segment.
#pragma once

#include <optional>
#include <string>

#include "common/ids.h"
#include "common/money.h"
#include "common/time.h"
#include "domain/enum_names.h"

namespace salesbox {

// What an objective measures, over its period, for the whole company (docs/api.md lists the
// units). Cumulative metrics add up over the period (won amount, meetings); level metrics are a
// rate at any moment (win rate, core share).
enum class ObjectiveMetric {
  kWonAmount,
  kGrossMargin,
  kMarginPct,
  kWinRate,
  kNewCustomers,
  kMeetings,
  kCoreMeetingShare,
  kCoreActivityShare,
};

template <>
struct EnumNames<ObjectiveMetric> {
  static constexpr std::string_view kWhat = "metric";
  static constexpr std::array<std::pair<ObjectiveMetric, std::string_view>, 8> kNames{{
      {ObjectiveMetric::kWonAmount, "won_amount"},
      {ObjectiveMetric::kGrossMargin, "gross_margin"},
      {ObjectiveMetric::kMarginPct, "margin_pct"},
      {ObjectiveMetric::kWinRate, "win_rate"},
      {ObjectiveMetric::kNewCustomers, "new_customers"},
      {ObjectiveMetric::kMeetings, "meetings"},
      {ObjectiveMetric::kCoreMeetingShare, "core_meeting_share"},
      {ObjectiveMetric::kCoreActivityShare, "core_activity_share"},
  }};
};

enum class MetricUnit { kMoney, kPercent, kCount };

inline MetricUnit UnitOf(ObjectiveMetric metric) {
  switch (metric) {
    case ObjectiveMetric::kWonAmount:
    case ObjectiveMetric::kGrossMargin:
      return MetricUnit::kMoney;
    case ObjectiveMetric::kNewCustomers:
    case ObjectiveMetric::kMeetings:
      return MetricUnit::kCount;
    default:
      return MetricUnit::kPercent;
  }
}

// Whether the metric names a currency: the money metrics and the margin percentage (margins in
// different currencies are not added up).
inline bool NeedsCurrency(ObjectiveMetric metric) {
  return UnitOf(metric) == MetricUnit::kMoney || metric == ObjectiveMetric::kMarginPct;
}

inline bool IsCumulative(ObjectiveMetric metric) { return UnitOf(metric) != MetricUnit::kPercent; }

struct Objective {
  ObjectiveId id;
  std::string name;  // unique
  ObjectiveMetric metric = ObjectiveMetric::kWonAmount;
  // The target of a money metric, in integer minor units of its currency; the currency alone
  // (amount 0) for margin_pct; empty for the other metrics.
  std::optional<Money> target_amount;
  double target = 0;  // the target of percent (0-100) and count metrics; 0 for money metrics
  Date period_start{};
  Date period_end{};
  Timestamp created_at{};
  Timestamp updated_at{};
  int64_t version = 1;

  friend bool operator==(const Objective&, const Objective&) = default;
};

struct ValueProposition {
  ValuePropositionId id;
  SegmentId segment_id;  // one per segment
  std::string statement;
  std::string key_issues;           // newline-separated
  std::string discovery_questions;  // newline-separated
  std::string proof_points;         // newline-separated
  Timestamp created_at{};
  Timestamp updated_at{};
  int64_t version = 1;

  friend bool operator==(const ValueProposition&, const ValueProposition&) = default;
};

}  // namespace salesbox

// SPDX-License-Identifier: MIT
// The strategy cascade's editable parts: objectives and value propositions per segment.
#pragma once

#include <optional>
#include <string>

#include "common/ids.h"
#include "common/time.h"

namespace salesbox {

struct Objective {
  ObjectiveId id;
  std::string name;    // unique
  std::string metric;  // e.g. "new_sales_dkk", "margin_pct", "core_share"
  double target = 0;   // in the metric's unit (money metrics in minor units)
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

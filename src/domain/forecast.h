// SPDX-License-Identifier: MIT
// A forecast snapshot: every open deal's state and both probabilities as they were when it was
// taken (weekly), so "what moved" between two snapshots can be shown. Never updated.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/ids.h"
#include "common/time.h"

namespace salesbox {

struct ForecastSnapshot {
  ForecastSnapshotId id;
  std::string event_id;  // unique: a retried request stores one snapshot
  Date as_of{};
  std::string period;  // "2026-Q4", "2026-11"
  std::string method;  // "model", "stage_rates"
  int64_t deals = 0;   // open deals in `items`
  std::optional<UserId> taken_by;
  Timestamp taken_at{};
  // JSON: [[opportunity id, owner id, stage, amount minor, currency, close date or null,
  //         forecast category, p_model, p_stated or null, p_slip, in period], ...]
  std::string items;

  friend bool operator==(const ForecastSnapshot&, const ForecastSnapshot&) = default;
};

}  // namespace salesbox

// SPDX-License-Identifier: MIT
// Weekly forecast snapshots and "what moved" between two of them (DESIGN.md section 3): a
// snapshot stores every open deal's stage, amount, close date, category and both probabilities
// as the forecast saw them; comparing two tells a manager which deals are new, won, lost,
// pushed out of the period, pulled into it, or changed amount, and whose they are.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/result.h"
#include "common/time.h"
#include "domain/forecast.h"
#include "service/auth.h"
#include "service/forecast/forecast.h"
#include "storage/store.h"

namespace salesbox::service {

// Runs the company's forecast (every deal) as of `as_of` for `period` (empty: its quarter) and
// stores it. Errors of RunForecast and of the store.
Result<ForecastSnapshot> TakeForecastSnapshot(storage::Store& store, const ForecastData& data,
                                              Date as_of, const std::string& period,
                                              std::optional<UserId> taken_by, Timestamp now);

// One deal in a snapshot.
struct SnapshotItem {
  int64_t id = 0, owner_id = 0;
  Stage stage = Stage::kQualify;
  Money amount;
  std::optional<Date> close_on;
  ForecastCategory category = ForecastCategory::kPipeline;
  double p_model = 0;
  std::optional<double> p_stated;
  double p_slip = 0;
  bool in_period = false;
};
// kInternal when the stored items do not parse.
Result<std::vector<SnapshotItem>> SnapshotItems(const ForecastSnapshot& snapshot);

// Newest first, each with the totals of the deals `viewer` may see:
// {"items":[{"id","taken_at","as_of","period","method","deals","totals":[{"currency","deals",
// "pipeline","stated","commit","best_case","expected"}]}]}.
Result<nlohmann::json> ForecastSnapshotsJson(storage::Store& store, const ForecastData& data,
                                             const Principal* viewer);
Result<nlohmann::json> ForecastSnapshotJson(const ForecastSnapshot& snapshot,
                                            const ForecastData& data, const Principal* viewer);

struct Move {
  std::string kind;  // new, won, lost, pushed_out, pulled_in, amount_up, amount_down
  int64_t opportunity_id = 0, owner_id = 0;
  std::optional<SnapshotItem> before, after;
};

// What moved from snapshot `from` to `to` (deals `viewer` may see). A deal open in `from` and
// not in `to` is won or lost when it closed by `to`'s day; pushed out / pulled in are judged
// against `from`'s period. kNotFound for a missing snapshot.
Result<std::vector<Move>> MovedBetween(storage::Store& store, const ForecastData& data,
                                       ForecastSnapshotId from, ForecastSnapshotId to,
                                       const Principal* viewer);
// {"from","to","summary":[{"kind","count","amounts":[MONEY]}],"moves":[...]} (docs/api.md).
Result<nlohmann::json> MovedJson(storage::Store& store, const ForecastData& data,
                                 ForecastSnapshotId from, ForecastSnapshotId to,
                                 const Principal* viewer);

}  // namespace salesbox::service

// SPDX-License-Identifier: MIT
// The strategy cascade as one view (DESIGN.md section 4, issue 6): the objectives with their
// progress, the segments (core first) with their value propositions, and the company's
// alignment with the core segments over the last four quarters. Every role reads it: it shows
// no single customer.
#pragma once

#include <optional>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "analytics/strategy/objectives.h"
#include "common/result.h"
#include "common/time.h"
#include "domain/strategy.h"
#include "service/strategy_service.h"
#include "storage/store.h"

namespace salesbox::service {

struct CascadeObjective {
  Objective objective;
  analytics::strategy::ObjectiveProgress progress;
};

struct CascadeSegment {
  int64_t segment_id = 0;
  std::string name;
  bool core = false;
  bool suggested_core = false;
  int64_t customers = 0;
  std::optional<double> win_rate;
  std::optional<ValueProposition> value_proposition;
};

struct Cascade {
  Date as_of{};
  std::vector<CascadeObjective> objectives;                  // by period end, then name
  std::vector<CascadeSegment> segments;                      // core first, then by name
  std::vector<analytics::strategy::AlignmentRow> alignment;  // the company's, last 4 quarters
};

// Objectives measured against the stored core segments as of the end of `as_of`. Storage
// errors as they come.
Result<Cascade> BuildCascade(storage::Store& store, Date as_of);
// The same from strategy data already loaded for data.as_of (the server shares one load between
// the strategy routes and their users while the data is unchanged).
Result<Cascade> BuildCascade(storage::Store& store, const StrategyData& data);

// The JSON of GET /api/v1/strategy/cascade (docs/api.md).
nlohmann::json CascadeJson(const Cascade& cascade);

// "a\nb\n\n c " -> ["a", "b", "c"]: the items of a one-per-line field.
std::vector<std::string> SplitLines(std::string_view text);

}  // namespace salesbox::service

// SPDX-License-Identifier: MIT
// The backtest (part of service/forecast.h): the model trained on the past against the reps'
// stated probabilities and the stage defaults, on the deals that closed since.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "analytics/forecast/metrics.h"
#include "common/result.h"
#include "common/time.h"
#include "service/forecast/facts.h"
#include "service/forecast/model.h"

namespace salesbox::service {

struct ScoreSet {
  double brier = 0, log_loss = 0;
  std::optional<double> auc;
  std::vector<analytics::forecast::ReliabilityBin> reliability;
};

struct Backtest {
  Date cutoff{};
  Date as_of{};
  ForecastModel model_info;     // the model trained on the past
  int64_t test_examples = 0;    // the snapshots scored
  int64_t without_history = 0;  // snapshots left out: their stage then is unknown (no history)
  ScoreSet model;
  // Absent when no tested snapshot is known from stage history: the reps' stated probability and
  // the stage at the time are then unknown (a closed deal's record says 1 or 0 and its final
  // stage, which would make a perfect "rep").
  std::optional<ScoreSet> stated, stage_default;
};

// Trains on deals closed before `cutoff` (default as_of − 365 days) and tests on the month-start
// snapshots after it of deals closed by as_of: the model against the reps and the stage defaults
// on the snapshots known from stage history; the model alone on all of them when none is.
// kFailedPrecondition when either side is empty.
Result<Backtest> RunBacktest(const ForecastData& data, Date as_of, std::optional<Date> cutoff);

// {"cutoff","as_of","train","test","method","model","stated","stage_default"}.
nlohmann::json BacktestJson(const Backtest& backtest);

}  // namespace salesbox::service

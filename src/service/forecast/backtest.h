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
  ForecastModel model_info;  // the model trained on the past
  int64_t test_examples = 0;
  ScoreSet model, stated, stage_default;
};

// Trains on deals closed before `cutoff` (default as_of − 365 days) and tests on the month-start
// snapshots after it of deals closed by as_of. kFailedPrecondition when either side is empty.
Result<Backtest> RunBacktest(const ForecastData& data, Date as_of, std::optional<Date> cutoff);

// {"cutoff","as_of","train","test","method","model","stated","stage_default"}.
nlohmann::json BacktestJson(const Backtest& backtest);

}  // namespace salesbox::service

// SPDX-License-Identifier: MIT
// A deal as it was on a day and the forecast's features of it (part of service/forecast.h); the
// factors in words are in factors.cc.
//
// Design notes
// (2) A deal as it was on day D (DealFeatures): its stage, amount, close date, next-step date
//     and stated probability from the last history row on or before D (the current record when
//     it has no history); activities completed, answers given and contacts created on or
//     before D; the owner's win rate over deals closed before D. Nothing dated after D reaches
//     a feature (the leakage test changes everything after D and compares).
// (3) Typical values (median days in each stage, median amount per currency) belong to the
//     model: they are measured on the training deals only and stored with it.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "service/forecast/facts.h"

namespace salesbox::service {

inline constexpr int kForecastFeatures = 22;
// Stable keys: "stage_discover", ..., "owner_win_rate".
const std::array<std::string_view, kForecastFeatures>& ForecastFeatureNames();

// The values typical of the training deals (design note 3).
struct ForecastTypical {
  std::array<double, 5> median_days_in_stage{30, 30, 30, 30, 30};  // qualify .. commit
  std::unordered_map<std::string, double> median_amount;           // currency -> minor units
  double owner_prior = 0.25;  // the company's win rate, the owners' prior mean
};

// The deal's state on day D (from its history; note 2).
struct DealOnDay {
  bool open = false;  // created by D and not closed by D
  Stage stage = Stage::kQualify;
  int64_t amount_minor = 0;
  float probability = -1;
  Day close_on = kNoDay;
  Day next_step_on = kNoDay;
  Day stage_since = kNoDay;
  int close_changes = 0;
  // From a stage-history row dated by D. False for a deal without history (its current record
  // stands in: a closed one's final stage and a probability of 1 or 0 from its outcome) or one
  // whose history starts after D: then the stage and the stated probability on D are unknown.
  bool known = true;
};
DealOnDay StateOn(const ForecastData& data, const ForecastDealFacts& deal, Day d);

// Writes the kForecastFeatures features of `deal` as it was on `d` into `out`.
void DealFeatures(const ForecastData& data, const ForecastTypical& typical,
                  const ForecastDealFacts& deal, const DealOnDay& state, Day d, double* out);

}  // namespace salesbox::service

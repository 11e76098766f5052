// SPDX-License-Identifier: MIT
// Progress of the strategy's objectives (DESIGN.md section 4, the top of the cascade): each
// objective's metric measured over its period as of a day, against its target, with a status a
// manager can read at a glance.
//
// Measured over [period_start, min(period_end, as_of)], for the whole company:
//   won_amount           amounts of deals won in the window, in the objective's currency
//   gross_margin         margins of orders in the window, in the objective's currency
//   margin_pct           100 × margin ÷ revenue of those orders (empty when revenue is 0)
//   win_rate             100 × won ÷ (won + lost) of deals closed in the window (empty: none)
//   new_customers        accounts whose first order (ever, up to as_of) lies in the window
//   meetings             completed meetings in the window
//   core_meeting_share   100 × meetings with an account in a core segment ÷ all meetings
//   core_activity_share  the same for every completed activity
// Activities without an account count in the totals and never as core, as in alignment.
//
// Status: before the period kNotStarted (nothing is measured). During the period a cumulative
// metric is kAchieved once actual >= target, else kOnTrack while progress >= the elapsed share of
// the period, else kBehind; a level metric is kOnTrack when actual >= target, kBehind below it,
// kNotStarted while nothing is measurable. After the period: kAchieved or kMissed.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "analytics/strategy/strategy_input.h"
#include "domain/strategy.h"

namespace salesbox::analytics::strategy {

enum class ObjectiveStatus { kNotStarted, kOnTrack, kBehind, kAchieved, kMissed };
// "not_started", "on_track", "behind", "achieved", "missed".
std::string_view ObjectiveStatusName(ObjectiveStatus status);

struct ObjectiveProgress {
  // In the target's unit: minor units of the currency for money metrics, 0-100 for percent
  // metrics, a count otherwise. Empty when nothing is measurable (before the period, no closed
  // deal for a win rate, no revenue for a margin percentage, no activity for a share).
  std::optional<double> actual;
  double target = 0;               // in the same unit
  std::optional<double> progress;  // actual ÷ target; empty when target is 0 or actual empty
  double elapsed = 0;              // share of the period's days passed by the end of as_of
  ObjectiveStatus status = ObjectiveStatus::kNotStarted;
};

// `core_segments`: the segment ids counted as core (e.g. those stored as core).
ObjectiveProgress MeasureObjective(const StrategyInput& input, const Objective& objective,
                                   std::span<const int64_t> core_segments);

}  // namespace salesbox::analytics::strategy

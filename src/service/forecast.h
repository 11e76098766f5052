// SPDX-License-Identifier: MIT
// The evidence-based forecast (DESIGN.md section 3, issue 5): a win probability learned from the
// company's own closed deals, each seen as it was at month starts before it closed, next to the
// reps' stated probabilities; the optimism of each rep; a roll-up per rep, team and company with
// Monte Carlo ranges; and a backtest against the reps and the stage defaults.
//
// This is the public header. The parts are in service/forecast/, each header opening with the
// design notes (numbered across the folder) on what it declares:
//   facts.h     the facts, read once per table (note 1)              facts.cc
//   features.h  a deal as it was on a day, its features (notes 2, 3)  features.cc, factors.cc
//   model.h     training, calibration and slip (notes 4, 5)          model.cc
//   forecast.h  scoring, the roll-up with Monte Carlo ranges          forecast.cc
//   backtest.h  the model against the reps and the stage defaults     backtest.cc
// Both results' JSON is in forecast_json.cc; weekly snapshots are in snapshots.h.
#pragma once

#include "service/forecast/backtest.h"  // IWYU pragma: export
#include "service/forecast/facts.h"     // IWYU pragma: export
#include "service/forecast/features.h"  // IWYU pragma: export
#include "service/forecast/forecast.h"  // IWYU pragma: export
#include "service/forecast/model.h"     // IWYU pragma: export

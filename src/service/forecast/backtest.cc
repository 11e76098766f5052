// SPDX-License-Identifier: MIT
// The backtest: the model trained on deals closed before a cutoff, scored against the reps'
// stated probabilities and the stage defaults on the month-start snapshots after it.
#include "service/forecast/backtest.h"

#include <array>
#include <chrono>
#include <vector>

#include "analytics/forecast/metrics.h"
#include "common/status_macros.h"
#include "service/forecast/internal.h"

namespace salesbox::service {
namespace {

namespace fc = analytics::forecast;
using internal::ToDay;
using internal::forecast::ForEachSnapshot;

}  // namespace

Result<Backtest> RunBacktest(const ForecastData& data, Date as_of, std::optional<Date> cutoff) {
  Backtest bt;
  bt.as_of = as_of;
  bt.cutoff = cutoff.value_or(as_of - std::chrono::days(365));
  if (bt.cutoff >= as_of) {
    return Status::InvalidArgument("backtest: the cutoff " + FormatDate(bt.cutoff) +
                                   " must be before " + FormatDate(as_of))
        .WithField("cutoff");
  }
  TrainOptions train;
  train.cutoff = ToDay(bt.cutoff) - 1;
  SB_ASSIGN_OR_RETURN(bt.model_info, TrainForecast(data, train));
  // Test: month starts from the cutoff on, deals closed by as_of (their outcome is known).
  // Every snapshot, and apart those known from stage history (the baselines need them).
  std::vector<double> model, outcome, known_model, stated, stage, known_outcome;
  std::array<double, kForecastFeatures> x{};
  const Day from = ToDay(bt.cutoff), to = ToDay(as_of);
  for (const ForecastDealFacts& deal : data.deals) {
    if (deal.closed_on == kNoDay || deal.closed_on > to) continue;
    ForEachSnapshot(deal, to, [&](Day d) {
      if (d < from) return;
      const DealOnDay state = StateOn(data, deal, d);
      if (!state.open) return;
      DealFeatures(data, bt.model_info.typical, deal, state, d, x.data());
      const double p = bt.model_info.Probability(x.data(), state.stage);
      const double won = deal.stage == Stage::kClosedWon ? 1.0 : 0.0;
      model.push_back(p);
      outcome.push_back(won);
      if (!state.known) return;
      known_model.push_back(p);
      stage.push_back(DefaultProbability(state.stage));
      stated.push_back(state.probability >= 0 ? state.probability
                                              : DefaultProbability(state.stage));
      known_outcome.push_back(won);
    });
  }
  if (outcome.empty()) {
    return Status::FailedPrecondition("backtest: no deal closed between " + FormatDate(bt.cutoff) +
                                      " and " + FormatDate(as_of) + " was open on a month start");
  }
  auto score = [](const std::vector<double>& p, const std::vector<double>& y,
                  ScoreSet& s) -> Status {
    SB_ASSIGN_OR_RETURN(s.brier, fc::BrierScore(p, y));
    SB_ASSIGN_OR_RETURN(s.log_loss, fc::LogLoss(p, y));
    Result<double> auc = fc::Auc(p, y);
    if (auc.ok()) s.auc = *auc;
    SB_ASSIGN_OR_RETURN(s.reliability, fc::ReliabilityTable(p, y));
    return Status::Ok();
  };
  if (known_outcome.empty()) {  // no stage history at all: the model alone, on every snapshot
    bt.test_examples = static_cast<int64_t>(outcome.size());
    SB_RETURN_IF_ERROR(score(model, outcome, bt.model));
    return bt;
  }
  // The three on the same snapshots: those known from history.
  bt.test_examples = static_cast<int64_t>(known_outcome.size());
  bt.without_history = static_cast<int64_t>(outcome.size() - known_outcome.size());
  SB_RETURN_IF_ERROR(score(known_model, known_outcome, bt.model));
  SB_RETURN_IF_ERROR(score(stated, known_outcome, bt.stated.emplace()));
  SB_RETURN_IF_ERROR(score(stage, known_outcome, bt.stage_default.emplace()));
  return bt;
}

}  // namespace salesbox::service

// SPDX-License-Identifier: MIT
// Strategy alignment (DESIGN.md section 4): the share of the sales effort that goes where the
// strategy says value is created — completed meetings, all completed activities and the open
// pipeline in core segments and in high-fit accounts — per rep, team and the company, per month
// or quarter. The measure of whether the strategy is executed.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "analytics/strategy/icp.h"
#include "analytics/strategy/strategy_input.h"
#include "common/money.h"
#include "common/result.h"

namespace salesbox::analytics::strategy {

struct AlignmentOptions {
  Granularity granularity = Granularity::kQuarter;  // kMonth or kQuarter (any works)
  // Periods overlapping [from, to]; defaults: to = as_of, from = the start of the period that
  // contains as_of − 364 days (the last year, in whole periods).
  std::optional<Date> from;
  std::optional<Date> to;
  double fit_threshold = 60;  // an account or lead is high-fit when its fit score is >= this
  // The core segments; unset: the segments stored as core.
  std::optional<std::vector<int64_t>> core_segments;
};

// total, and how many of them are in core segments and in high-fit accounts/leads.
struct ShareCount {
  int64_t total = 0;
  int64_t core = 0;
  int64_t high_fit = 0;
  std::optional<double> core_share() const;      // core / total; empty when total is 0
  std::optional<double> high_fit_share() const;  // high_fit / total
};

// Open pipeline in one currency.
struct PipelineShare {
  Currency currency;
  int64_t deals = 0;
  Money total;
  Money core;
  Money high_fit;
  std::optional<double> core_share() const;  // by amount; empty when the total is 0
  std::optional<double> high_fit_share() const;
};

enum class AlignmentLevel { kCompany, kTeam, kRep };
std::string_view AlignmentLevelName(AlignmentLevel level);  // "company", "team", "rep"

struct AlignmentRow {
  AlignmentLevel level = AlignmentLevel::kCompany;
  int64_t id = 0;  // team or user id; 0 for the company
  Period period;
  ShareCount meetings;    // completed meetings done in the period
  ShareCount activities;  // all completed activities done in the period
  // Activities about no account and no lead (in activities.total, never core or high-fit).
  int64_t unlinked_activities = 0;
  // Opportunities open at the end of the period (or at as_of, for the current period), by
  // their current amount, sorted by currency.
  std::vector<PipelineShare> pipeline;
};

// Rows for the company, each team and each rep with activities or open pipeline, per period;
// sorted by level, id and period. The company row of a period exists even when it is empty.
// A rep's activities are the ones they own; a team's are its members' (by
// StrategyInput::team_of). An activity counts as core when its account is in a core segment,
// as high-fit when its account's fit (or, for an activity about a lead without an account, the
// lead's fit) is at least the threshold. An opportunity is open at day E when
// created_on <= E and it was not closed by E.
// `account_fits` and `lead_fits` are looked up by id (e.g. ScoreAccounts / ScoreLeads); accounts
// and leads without a fit are not high-fit.
// kInvalidArgument when from > to.
Result<std::vector<AlignmentRow>> MeasureAlignment(const StrategyInput& input,
                                                   std::span<const FitScore> account_fits,
                                                   std::span<const FitScore> lead_fits,
                                                   const AlignmentOptions& options = {});

}  // namespace salesbox::analytics::strategy

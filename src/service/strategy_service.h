// SPDX-License-Identifier: MIT
// The strategy cascade's analytics as a service (DESIGN.md section 4, issue 6: segments, ICP,
// alignment): the facts read from the store as of a day, handed to analytics/strategy, and the
// results as plain structs and JSON.
//
// Design notes
// (1) One pass per table. Segments, users, teams, accounts, contacts, leads, opportunities,
//     completed activities and orders are each read once with ScanFields into compact facts;
//     nothing is loaded as full records.
// (2) As of D: accounts created by the end of D, orders on or before D, opportunities created on
//     or before D (won or lost only when closed on or before D; later closes were open on D),
//     activities completed by the end of D, leads that arrived on or before D (or undated).
//     Current values are used otherwise (an opportunity's amount and owner, an account's
//     attributes and owner, a user's team): the change log is not read.
// (3) Segments. Each account is grouped by its stored segment; an account without one (or with
//     one that no longer exists) by the segment its attributes derive (the first rule in id
//     order that matches). Segments whose rule does not parse are reported in `rule_errors`
//     and skipped when deriving. The derived segment of every account is reported next to the
//     stored one; nothing is written.
// (4) An activity's account is its own account, else its opportunity's, its contact's or its
//     lead's account.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "analytics/strategy/alignment.h"
#include "analytics/strategy/icp.h"
#include "analytics/strategy/profitability.h"
#include "analytics/strategy/segment_rule.h"
#include "analytics/strategy/segment_table.h"
#include "analytics/strategy/strategy_input.h"
#include "common/result.h"
#include "common/time.h"
#include "storage/store.h"

namespace salesbox::service {

// Names to show next to ids.
struct StrategyLabels {
  std::unordered_map<int64_t, std::string> segments;
  std::unordered_map<int64_t, std::string> teams;
  std::unordered_map<int64_t, std::string> users;
  std::unordered_map<int64_t, std::string> account_names;
  std::unordered_map<int64_t, std::string> account_external_ids;
  std::unordered_map<int64_t, std::string> lead_names;  // "Person (Company)"
};

struct StrategyData {
  analytics::strategy::StrategyInput input;  // accounts carry the segment analyses use (note 3)
  StrategyLabels labels;
  // Parallel to input.accounts: the stored and the derived segment (note 3).
  std::vector<analytics::strategy::SegmentAssignment> assignments;
  std::vector<std::string> rule_errors;  // one message per segment whose rule does not parse
};

// Reads the facts as of the end of `as_of` (design notes 1-4). Storage errors are returned as
// they come (kUnavailable, kInternal).
// Without `with_effort` the deals and activities are not read (the ideal customer profile needs
// only accounts, leads and orders).
Result<StrategyData> LoadStrategyData(storage::Store& store, Date as_of, bool with_effort = true);

// Every account's ICP fit score (0-100) as of `as_of`, with the strategy's defaults: the top 20 %
// of customers by three years' margin against all, shrinkage m = 10. Empty when there is nothing
// to profile or fewer than kMinIcpCustomers customers. Storage errors as they come.
inline constexpr int64_t kMinIcpCustomers = 20;
Result<std::unordered_map<int64_t, double>> AccountFitScores(storage::Store& store, Date as_of);

struct StrategyRequest {
  Date as_of{};
  // Orders (profitability, segment table, ICP values) and closed deals count within
  // [from, as_of]; default from: as_of − 1095 days (three years).
  std::optional<Date> from;
  analytics::strategy::Granularity profit_granularity = analytics::strategy::Granularity::kQuarter;
  bool account_profitability = true;  // also per account (one row per account, period, currency)
  int64_t min_customers = 10;         // segment table: support needed to be suggested as core
  double top_share = 0.20;            // ICP: the top-value customers
  double prior_strength = 10;         // ICP: shrinkage weight m
  analytics::strategy::Granularity alignment_granularity =
      analytics::strategy::Granularity::kQuarter;
  std::optional<Date> alignment_from;  // default: the last year in whole periods
  double fit_threshold = 60;           // alignment: high-fit accounts and leads
  bool align_with_suggested = false;   // alignment against the suggested core set, not the stored
  // Optional account values (e.g. CLV, in each account's currency): reported per segment and
  // ranking the ICP's customers instead of margin. Read by RunStrategy, which moves them into
  // the data's StrategyInput::account_values; AnalyzeStrategy reads only the data's.
  std::unordered_map<int64_t, Money> account_values;
};

struct StrategyReport {
  Date as_of{};
  analytics::strategy::Window window;  // of orders and closed deals
  StrategyRequest request;
  StrategyLabels labels;
  std::vector<analytics::strategy::SegmentAssignment> assignments;
  std::vector<std::string> rule_errors;
  std::vector<analytics::strategy::ProfitRow> segment_profitability;
  std::vector<analytics::strategy::ProfitRow> account_profitability;  // empty unless requested
  analytics::strategy::SegmentTable segment_table;
  // Empty, with the reason in icp_error, when there is nothing to profile (no customer with a
  // positive value); then no fit scores exist and nothing is high-fit.
  std::optional<analytics::strategy::IcpProfile> icp;
  std::string icp_error;
  std::vector<analytics::strategy::FitScore> account_fits;  // parallel to the accounts
  std::vector<analytics::strategy::FitScore> lead_fits;
  std::vector<int64_t> core_segments;  // the set alignment was measured against
  std::vector<analytics::strategy::AlignmentRow> alignment;
};

// Runs every strategy analysis over `data` (pure: no store access). Account values are
// data.input.account_values (request.account_values is not read here).
// kInvalidArgument: bad options (a window that starts after as_of, a top share outside (0, 1],
// a negative prior strength), or an order whose margin and revenue currencies differ.
Result<StrategyReport> AnalyzeStrategy(const StrategyData& data, const StrategyRequest& request);

// LoadStrategyData(store, request.as_of), request.account_values moved into the data, then
// AnalyzeStrategy. Errors of both.
Result<StrategyReport> RunStrategy(storage::Store& store, StrategyRequest request);

// --- JSON (snake_case keys; money as {"currency", "amount", "amount_minor"}) --------------------

// {"currency", "amount" (major units), "amount_minor"}.
nlohmann::json MoneyJson(const Money& money);

// The segment table: {"rule", "company": row, "segments": [row ...]} where a row has segment_id,
// name, core, suggested_core, reason, accounts, customers, won, lost, win_rate,
// median_cycle_days, margin_per_customer_index, value_index and "currencies": [...].
nlohmann::json SegmentTableJson(const StrategyReport& report);
// {"granularity", "segments": [rows], "accounts": [rows]}; a row has period {start, end, label},
// key (segment_id / account_id), name, revenue, margin, margin_pct, orders, customers.
nlohmann::json ProfitabilityJson(const StrategyReport& report);
// {"value_basis", "top_share", "prior_strength", "customers", "top_customers",
//  "attributes": {"industry": [{value, label, customers, top_customers, share_all, share_top,
//  raw_lift, lift, in_fit}], ...}, "error"}.
nlohmann::json IcpJson(const StrategyReport& report);
// {"threshold", "accounts": [{account_id, external_id, name, segment_id, fit, explanation,
//  factors: [{attribute, value, label, lift}]}], "leads": [...]}, highest fit first; at most
// `limit` of each (negative: all).
nlohmann::json FitJson(const StrategyReport& report, int64_t limit = -1);
// {"granularity", "threshold", "core_segments", "rows": [{level, id, name, period, meetings,
//  activities (each {total, core, high_fit, core_share, high_fit_share}), unlinked_activities,
//  pipeline: [{currency, deals, total, core, high_fit, core_share, high_fit_share}]}]}.
nlohmann::json AlignmentJson(const StrategyReport& report);
// {"as_of", "window", "rule_errors", "segment_changes" (accounts whose derived segment differs
// from the stored one), "segment_table", "profitability", "icp", "fit" (top 100), "alignment"}.
nlohmann::json StrategyReportJson(const StrategyReport& report);

}  // namespace salesbox::service

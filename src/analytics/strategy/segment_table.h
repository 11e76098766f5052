// SPDX-License-Identifier: MIT
// The segment table (DESIGN.md section 4): per segment its win rate, sales cycle, deal sizes,
// margin, revenue, customers and CLV, against the company as a whole, and a suggested set of
// core segments next to the stored `core` flags.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analytics/strategy/strategy_input.h"
#include "common/money.h"

namespace salesbox::analytics::strategy {

struct SegmentTableOptions {
  // Orders by ordered_on and closed deals by closed_on; open ends: everything up to as_of.
  Window window;
  // A segment needs at least this many customers in the window to be suggested as core.
  int64_t min_customers = 10;
};

// A segment's money figures in one currency.
struct SegmentCurrencyFigures {
  Currency currency;
  int64_t customers = 0;  // accounts with orders in this currency in the window
  Money revenue;
  Money margin;
  std::optional<double> margin_pct;  // margin / revenue; empty when revenue is 0
  Money margin_per_customer;         // margin / customers, rounded to the minor unit
  int64_t won_deals = 0;             // won in the window, in this currency
  Money won_amount;
  std::optional<Money> average_deal;  // won_amount / won_deals, rounded
  std::optional<Money> median_deal;   // of the won deals' amounts (mean of the middle two)
  int64_t valued_accounts = 0;        // accounts with a value in StrategyInput::account_values
  std::optional<Money> value_total;   // Σ of those values (e.g. CLV)
  std::optional<Money> value_per_account;
};

struct SegmentRow {
  int64_t segment_id = 0;  // 0: accounts without a segment; in SegmentTable::company: 0 too
  std::string name;
  bool core = false;            // as stored
  bool suggested_core = false;  // by the rule in SegmentTable::rule
  std::string reason;           // why it is or is not suggested, in words
  int64_t accounts = 0;
  int64_t customers = 0;  // accounts with orders in the window
  int64_t won = 0;        // closed in the window
  int64_t lost = 0;
  std::optional<double> win_rate;           // won / (won + lost)
  std::optional<double> median_cycle_days;  // created_on -> closed_on of the won deals
  // Σ_c customers_c · (margin per customer_c / the company's in c) / Σ_c customers_c over the
  // currencies c the segment sold in: how many times the company's margin per customer the
  // segment makes, without adding currencies. Empty without customers.
  std::optional<double> margin_per_customer_index;
  // The same for account values, when given.
  std::optional<double> value_index;
  std::vector<SegmentCurrencyFigures> currencies;  // sorted by currency code
};

struct SegmentTable {
  std::vector<SegmentRow> segments;  // in input order, then "(no segment)" when any
  SegmentRow company;                // all accounts
  std::string rule;                  // the suggestion rule, in words
};

// Builds the table. Rows follow input.segments, then a "(no segment)" row (segment_id 0) when
// any account has no known segment; `company` covers every account. A segment is suggested as
// core when it has at least min_customers customers, a margin per customer index above 1, a
// gross margin % above the company's in every currency where it has min_customers customers,
// and a win rate no more than two standard errors (√(p(1−p)/n), the company's p, the segment's
// n closed deals) below the company's; `reason` says which condition decided (details in the
// design notes of segment_table.cc). Thread-safe (pure function).
SegmentTable BuildSegmentTable(const StrategyInput& input, const SegmentTableOptions& options = {});

}  // namespace salesbox::analytics::strategy

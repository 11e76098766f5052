// SPDX-License-Identifier: MIT
// Profitability from orders: revenue, gross margin and margin % per account or per segment and
// calendar period, one row per currency (amounts in different currencies are never added).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "analytics/strategy/strategy_input.h"
#include "common/money.h"
#include "common/result.h"

namespace salesbox::analytics::strategy {

struct ProfitabilityOptions {
  Granularity granularity = Granularity::kQuarter;
  Window window;  // orders outside it are left out; open ends: the orders' first/last day
};

// One group (an account or a segment) in one period and currency.
struct ProfitRow {
  Period period;    // the calendar period, clipped to the window
  int64_t key = 0;  // account id, or segment id (0: accounts without a segment)
  Money revenue;
  Money margin;
  int64_t orders = 0;
  int64_t customers = 0;  // distinct accounts with orders in the group (1 for account rows)
  // margin / revenue; empty when revenue is 0.
  std::optional<double> margin_pct;
};

// Rows for every (period, account, currency) with orders, sorted by period, key and currency.
// kInvalidArgument when an order's margin is in another currency than its revenue (naming the
// order), or the window's from is after its to.
Result<std::vector<ProfitRow>> ProfitabilityByAccount(std::span<const OrderFacts> orders,
                                                      const ProfitabilityOptions& options);

// The same per segment, by the accounts' `segment_id` (orders of unknown accounts count
// under segment 0).
Result<std::vector<ProfitRow>> ProfitabilityBySegment(std::span<const OrderFacts> orders,
                                                      std::span<const AccountFacts> accounts,
                                                      const ProfitabilityOptions& options);

}  // namespace salesbox::analytics::strategy

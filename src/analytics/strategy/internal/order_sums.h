// SPDX-License-Identifier: MIT
// Orders summed per account and currency over a window: what the segment table and the ICP
// both start from.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "analytics/strategy/strategy_input.h"
#include "common/money.h"

namespace salesbox::analytics::strategy::internal {

struct AccountCurrencySum {
  int64_t account_id = 0;
  Currency currency;
  int64_t revenue = 0;  // minor units of `currency`
  int64_t margin = 0;
  int64_t orders = 0;
};

// One entry per (account, currency) with orders in `window`, sorted by account and currency.
std::vector<AccountCurrencySum> SumOrdersByAccount(std::span<const OrderFacts> orders,
                                                   const Window& window);

// The median of `values` (sorted in place); 0 when empty.
double Median(std::vector<double>& values);

}  // namespace salesbox::analytics::strategy::internal

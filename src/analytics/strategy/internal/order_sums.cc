// SPDX-License-Identifier: MIT
#include "analytics/strategy/internal/order_sums.h"

#include <algorithm>
#include <tuple>

namespace salesbox::analytics::strategy::internal {

std::vector<AccountCurrencySum> SumOrdersByAccount(std::span<const OrderFacts> orders,
                                                   const Window& window) {
  std::vector<const OrderFacts*> in;
  for (const OrderFacts& order : orders) {
    if (window.Contains(order.ordered_on)) in.push_back(&order);
  }
  std::sort(in.begin(), in.end(), [](const OrderFacts* x, const OrderFacts* y) {
    return std::tie(x->account_id, x->revenue.currency) <
           std::tie(y->account_id, y->revenue.currency);
  });
  std::vector<AccountCurrencySum> sums;
  for (const OrderFacts* order : in) {
    if (sums.empty() || sums.back().account_id != order->account_id ||
        sums.back().currency != order->revenue.currency) {
      sums.push_back(AccountCurrencySum{order->account_id, order->revenue.currency, 0, 0, 0});
    }
    AccountCurrencySum& sum = sums.back();
    sum.revenue += order->revenue.minor_units;
    sum.margin += order->margin.minor_units;
    ++sum.orders;
  }
  return sums;
}

double Median(std::vector<double>& values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

}  // namespace salesbox::analytics::strategy::internal

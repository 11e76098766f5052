// SPDX-License-Identifier: MIT
// Design notes
// (1) A row is the sum of the orders of one group (account or segment), calendar period and
//     currency: revenue = Σ revenue, margin = Σ margin, margin % = margin / revenue.
// (2) Currencies are never added or converted: a group that sold in two currencies has two rows.
// (3) Periods are calendar months, quarters or years (or one "total" period), clipped to the
//     window, so the first and last rows of a window that starts or ends mid-period cover only
//     the days inside it.
#include "analytics/strategy/profitability.h"

#include <algorithm>
#include <functional>
#include <string>
#include <tuple>
#include <unordered_map>

namespace salesbox::analytics::strategy {
namespace {

Result<std::vector<ProfitRow>> Group(std::span<const OrderFacts> orders,
                                     const ProfitabilityOptions& options,
                                     const std::function<int64_t(const OrderFacts&)>& key_of) {
  const Window& w = options.window;
  if (w.from && w.to && *w.from > *w.to) {
    return Status::InvalidArgument("profitability: the window starts " + FormatDate(*w.from) +
                                   ", after it ends " + FormatDate(*w.to));
  }
  std::optional<Date> first, last;
  for (const OrderFacts& order : orders) {
    if (order.margin.currency != order.revenue.currency) {
      return Status::InvalidArgument("order " + std::to_string(order.id) + " of account " +
                                     std::to_string(order.account_id) + " on " +
                                     FormatDate(order.ordered_on) + ": margin in " +
                                     order.margin.currency.ToString() + " but revenue in " +
                                     order.revenue.currency.ToString());
    }
    if (!w.Contains(order.ordered_on)) continue;
    first = first ? std::min(*first, order.ordered_on) : order.ordered_on;
    last = last ? std::max(*last, order.ordered_on) : order.ordered_on;
  }
  std::vector<ProfitRow> rows;
  if (!first) return rows;
  const std::vector<Period> periods =
      PeriodsBetween(w.from.value_or(*first), w.to.value_or(*last), options.granularity);
  // One entry per order in the window, sorted by (period, key, currency, account) and summed
  // in one pass: distinct accounts are counted where the account changes.
  struct Entry {
    uint32_t period;
    int64_t key;
    Currency currency;
    int64_t account;
    int64_t revenue;
    int64_t margin;
  };
  std::vector<Entry> entries;
  for (const OrderFacts& order : orders) {
    if (!w.Contains(order.ordered_on)) continue;
    const auto p = std::partition_point(periods.begin(), periods.end(), [&](const Period& period) {
      return period.end < order.ordered_on;
    });
    if (p == periods.end() || !p->Contains(order.ordered_on)) continue;
    entries.push_back(Entry{static_cast<uint32_t>(p - periods.begin()), key_of(order),
                            order.revenue.currency, order.account_id, order.revenue.minor_units,
                            order.margin.minor_units});
  }
  auto group_key = [](const Entry& e) { return std::tie(e.period, e.key, e.currency); };
  std::sort(entries.begin(), entries.end(), [&](const Entry& x, const Entry& y) {
    return std::tie(x.period, x.key, x.currency, x.account) <
           std::tie(y.period, y.key, y.currency, y.account);
  });
  for (size_t i = 0; i < entries.size(); ++i) {
    const Entry& e = entries[i];
    if (i == 0 || group_key(entries[i - 1]) != group_key(e)) {
      ProfitRow row;
      row.period = periods[e.period];
      row.key = e.key;
      row.revenue = Money{0, e.currency};
      row.margin = Money{0, e.currency};
      rows.push_back(row);
    }
    ProfitRow& row = rows.back();
    row.revenue.minor_units += e.revenue;
    row.margin.minor_units += e.margin;
    ++row.orders;
    if (i == 0 || group_key(entries[i - 1]) != group_key(e) ||
        entries[i - 1].account != e.account) {
      ++row.customers;
    }
  }
  for (ProfitRow& row : rows) {
    if (row.revenue.minor_units != 0) {
      row.margin_pct = static_cast<double>(row.margin.minor_units) /
                       static_cast<double>(row.revenue.minor_units);
    }
  }
  return rows;
}

}  // namespace

Result<std::vector<ProfitRow>> ProfitabilityByAccount(std::span<const OrderFacts> orders,
                                                      const ProfitabilityOptions& options) {
  return Group(orders, options, [](const OrderFacts& order) { return order.account_id; });
}

Result<std::vector<ProfitRow>> ProfitabilityBySegment(std::span<const OrderFacts> orders,
                                                      std::span<const AccountFacts> accounts,
                                                      const ProfitabilityOptions& options) {
  std::unordered_map<int64_t, int64_t> segment_of;
  segment_of.reserve(accounts.size());
  for (const AccountFacts& a : accounts) segment_of[a.id] = a.segment_id;
  return Group(orders, options, [&segment_of](const OrderFacts& order) {
    auto it = segment_of.find(order.account_id);
    return it == segment_of.end() ? int64_t{0} : it->second;
  });
}

}  // namespace salesbox::analytics::strategy

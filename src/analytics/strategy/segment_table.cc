// SPDX-License-Identifier: MIT
// Design notes
// (1) Window. Orders count by ordered_on, closed deals by closed_on, both within the window
//     (its open end defaults to as_of). Customers are accounts with at least one order in the
//     window; accounts counts every account in the segment.
// (2) Win rate = won / (won + lost) over the deals closed in the window. Sales cycle = the
//     median of closed_on − created_on in days over the won ones. Deal size: the mean and the
//     median amount of the won deals, per currency.
// (3) Money is per currency (never added across currencies). To compare segments across
//     currencies the table uses ratios to the company within each currency: the margin per
//     customer index is Σ_c n_c · (m_c / M_c) / Σ_c n_c, where n_c is the segment's customers
//     in currency c, m_c its margin per customer there and M_c the company's; currencies where
//     the company's margin is not positive are skipped. 1.0 means "as the company".
// (4) Suggested core segments. A segment is suggested when
//       (a) it has at least min_customers customers in the window,
//       (b) its margin per customer index is above 1 (it makes more margin per customer than
//           the company does), and
//       (c) its gross margin % is above the company's in every currency it sold in
//           with at least min_customers customers there (it creates value in each order, not
//           only through larger customers);
//     and, when the company has closed deals in the window,
//       (d) its win rate is not markedly below the company's: at least the company's win rate
//           minus two standard errors of the segment's own rate, √(p(1−p)/n) with the company's
//           p and the segment's n closed deals (a segment's rate on a few hundred deals moves by
//           a few points by chance; a segment where the company loses clearly more is not core).
//     The reason text says which condition decided.
#include "analytics/strategy/segment_table.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <unordered_map>

#include "analytics/strategy/internal/order_sums.h"

namespace salesbox::analytics::strategy {
namespace {

struct CurrencyAcc {
  int64_t customers = 0;
  int64_t revenue = 0;
  int64_t margin = 0;
  int64_t won_deals = 0;
  int64_t won_amount = 0;
  std::vector<double> won_amounts;
  int64_t valued = 0;
  int64_t value_total = 0;
};

struct RowAcc {
  std::map<Currency, CurrencyAcc> currencies;
  std::vector<double> cycles;
  int64_t last_customer = 0;
};

int64_t RoundDiv(int64_t total, int64_t n) {
  return static_cast<int64_t>(std::llround(static_cast<double>(total) / static_cast<double>(n)));
}

std::string Percent(double share) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", 100 * share);
  return buffer;
}

std::string Times(double ratio) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f×", ratio);
  return buffer;
}

void Finish(RowAcc& acc, SegmentRow& row) {
  if (row.won + row.lost > 0) {
    row.win_rate = static_cast<double>(row.won) / static_cast<double>(row.won + row.lost);
  }
  if (!acc.cycles.empty()) row.median_cycle_days = internal::Median(acc.cycles);
  for (auto& [currency, c] : acc.currencies) {
    SegmentCurrencyFigures f;
    f.currency = currency;
    f.customers = c.customers;
    f.revenue = Money{c.revenue, currency};
    f.margin = Money{c.margin, currency};
    if (c.revenue != 0) {
      f.margin_pct = static_cast<double>(c.margin) / static_cast<double>(c.revenue);
    }
    f.margin_per_customer = Money{c.customers > 0 ? RoundDiv(c.margin, c.customers) : 0, currency};
    f.won_deals = c.won_deals;
    f.won_amount = Money{c.won_amount, currency};
    if (c.won_deals > 0) {
      f.average_deal = Money{RoundDiv(c.won_amount, c.won_deals), currency};
      f.median_deal =
          Money{static_cast<int64_t>(std::llround(internal::Median(c.won_amounts))), currency};
    }
    f.valued_accounts = c.valued;
    if (c.valued > 0) {
      f.value_total = Money{c.value_total, currency};
      f.value_per_account = Money{RoundDiv(c.value_total, c.valued), currency};
    }
    row.currencies.push_back(f);
  }
}

// Σ_c n_c · (x_c / X_c) / Σ_c n_c (design note 3).
std::optional<double> Index(const RowAcc& row, const RowAcc& company, bool values) {
  double weighted = 0;
  double weight = 0;
  for (const auto& [currency, c] : row.currencies) {
    const int64_t n = values ? c.valued : c.customers;
    if (n == 0) continue;
    auto it = company.currencies.find(currency);
    if (it == company.currencies.end()) continue;
    const CurrencyAcc& all = it->second;
    const int64_t all_n = values ? all.valued : all.customers;
    const int64_t all_total = values ? all.value_total : all.margin;
    if (all_n == 0 || all_total <= 0) continue;
    const double own =
        static_cast<double>(values ? c.value_total : c.margin) / static_cast<double>(n);
    const double base = static_cast<double>(all_total) / static_cast<double>(all_n);
    weighted += static_cast<double>(n) * own / base;
    weight += static_cast<double>(n);
  }
  if (weight == 0) return std::nullopt;
  return weighted / weight;
}

}  // namespace

SegmentTable BuildSegmentTable(const StrategyInput& input, const SegmentTableOptions& options) {
  Window window = options.window;
  if (!window.to) window.to = input.as_of;

  SegmentTable table;
  std::unordered_map<int64_t, size_t> row_of;
  for (const SegmentDefinition& s : input.segments) {
    row_of[s.id] = table.segments.size();
    SegmentRow row;
    row.segment_id = s.id;
    row.name = s.name;
    row.core = s.core;
    table.segments.push_back(row);
  }
  bool unsegmented = false;
  for (const AccountFacts& a : input.accounts) {
    unsegmented = unsegmented || !row_of.contains(a.segment_id);
  }
  if (unsegmented) {
    SegmentRow row;
    row.name = "(no segment)";
    row_of[0] = table.segments.size();
    table.segments.push_back(row);
  }
  table.company.name = "(company)";

  std::vector<RowAcc> acc(table.segments.size());
  RowAcc company;
  std::unordered_map<int64_t, size_t> account_row;
  account_row.reserve(input.accounts.size());
  for (const AccountFacts& a : input.accounts) {
    auto it = row_of.find(a.segment_id);
    const size_t r = it != row_of.end() ? it->second : row_of.at(0);
    account_row[a.id] = r;
    ++table.segments[r].accounts;
    ++table.company.accounts;
  }
  auto row_for = [&](int64_t account_id) -> std::pair<SegmentRow*, RowAcc*> {
    auto it = account_row.find(account_id);
    if (it == account_row.end()) return {nullptr, nullptr};
    return {&table.segments[it->second], &acc[it->second]};
  };

  // Orders.
  for (const internal::AccountCurrencySum& sum :
       internal::SumOrdersByAccount(input.orders, window)) {
    auto [row, row_acc] = row_for(sum.account_id);
    for (auto [r, ra] : {std::pair<SegmentRow*, RowAcc*>{row, row_acc},
                         std::pair<SegmentRow*, RowAcc*>{&table.company, &company}}) {
      if (r == nullptr) continue;
      CurrencyAcc& c = ra->currencies[sum.currency];
      ++c.customers;
      c.revenue += sum.revenue;
      c.margin += sum.margin;
      if (ra->last_customer != sum.account_id) ++r->customers;
      ra->last_customer = sum.account_id;
    }
  }
  // Closed deals.
  for (const DealFacts& deal : input.deals) {
    if (deal.outcome == Outcome::kOpen || !deal.closed_on || !window.Contains(*deal.closed_on)) {
      continue;
    }
    auto [row, row_acc] = row_for(deal.account_id);
    for (auto [r, ra] : {std::pair<SegmentRow*, RowAcc*>{row, row_acc},
                         std::pair<SegmentRow*, RowAcc*>{&table.company, &company}}) {
      if (r == nullptr) continue;
      if (deal.outcome == Outcome::kLost) {
        ++r->lost;
        continue;
      }
      ++r->won;
      ra->cycles.push_back(static_cast<double>((*deal.closed_on - deal.created_on).count()));
      CurrencyAcc& c = ra->currencies[deal.amount.currency];
      ++c.won_deals;
      c.won_amount += deal.amount.minor_units;
      c.won_amounts.push_back(static_cast<double>(deal.amount.minor_units));
    }
  }
  // Account values (e.g. CLV).
  for (const auto& [account_id, value] : input.account_values) {
    auto [row, row_acc] = row_for(account_id);
    for (RowAcc* ra : {row_acc, &company}) {
      if (ra == nullptr) continue;
      CurrencyAcc& c = ra->currencies[value.currency];
      ++c.valued;
      c.value_total += value.minor_units;
    }
  }

  for (size_t r = 0; r < table.segments.size(); ++r) {
    SegmentRow& row = table.segments[r];
    row.margin_per_customer_index = Index(acc[r], company, false);
    row.value_index = Index(acc[r], company, true);
    Finish(acc[r], row);
  }
  Finish(company, table.company);
  table.company.margin_per_customer_index = Index(company, company, false);
  table.company.value_index = Index(company, company, true);

  // The suggestion (design note 4).
  const int64_t min_customers = options.min_customers;
  table.rule = "customers >= " + std::to_string(min_customers) +
               ", margin per customer above the company's, gross margin % above the company's "
               "in each currency with >= " +
               std::to_string(min_customers) +
               " customers, and a win rate no more than two standard errors below the "
               "company's";
  const std::optional<double> company_rate = table.company.win_rate;
  for (SegmentRow& row : table.segments) {
    if (row.segment_id == 0) {
      row.reason = "accounts without a segment";
      continue;
    }
    if (row.customers < min_customers) {
      row.reason =
          std::to_string(row.customers) + " customers, fewer than " + std::to_string(min_customers);
      continue;
    }
    const double index = row.margin_per_customer_index.value_or(0);
    if (index <= 1) {
      row.reason = "margin per customer " + Times(index) + " the company's";
      continue;
    }
    std::string margin_problem;
    std::string margin_text;
    for (const SegmentCurrencyFigures& f : row.currencies) {
      if (f.customers < min_customers || !f.margin_pct) continue;
      const SegmentCurrencyFigures* all = nullptr;
      for (const SegmentCurrencyFigures& g : table.company.currencies) {
        if (g.currency == f.currency) all = &g;
      }
      if (all == nullptr || !all->margin_pct) continue;
      const std::string pair = Percent(*f.margin_pct) + " against " + Percent(*all->margin_pct) +
                               " in " + f.currency.ToString();
      if (*f.margin_pct <= *all->margin_pct && margin_problem.empty()) {
        margin_problem = "gross margin " + pair;
      }
      if (margin_text.empty()) margin_text = "gross margin " + pair;
    }
    if (!margin_problem.empty()) {
      row.reason = margin_problem;
      continue;
    }
    std::string win_text;
    if (company_rate) {
      const int64_t n = row.won + row.lost;
      const double p = *company_rate;
      const double floor = n > 0 ? p - 2 * std::sqrt(p * (1 - p) / static_cast<double>(n)) : p;
      const double rate = row.win_rate.value_or(0);
      win_text = "win rate " + Percent(rate) + " against " + Percent(p);
      if (n == 0 || rate < floor) {
        row.reason = win_text + " (below " + Percent(floor) + ")";
        continue;
      }
    }
    row.suggested_core = true;
    row.reason = "margin per customer " + Times(index) + " the company's";
    if (!margin_text.empty()) row.reason += ", " + margin_text;
    if (!win_text.empty()) row.reason += ", " + win_text;
  }
  return table;
}

}  // namespace salesbox::analytics::strategy

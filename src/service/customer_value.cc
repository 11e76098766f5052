// SPDX-License-Identifier: MIT
// Customer lifetime value from the stored orders; design notes in customer_value.h.
#include "service/customer_value.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>

#include <nlohmann/json.hpp>

#include "common/status_macros.h"
#include "service/change_log.h"

namespace salesbox::service {
namespace {

namespace clv = analytics::clv;
using json = nlohmann::json;
using storage::FieldValue;
using storage::FilterOp;
using storage::ListQuery;
using storage::Match;

struct AccountInfo {
  int64_t id = 0;
  std::string external_id;
  std::string name;
};

struct OrderFact {
  int64_t account = 0;
  Date on{};
  int64_t revenue_minor = 0;
  int64_t margin_minor = 0;
  int currency = 0;  // index into the currency table
};

double Pow10(int digits) { return std::pow(10.0, digits); }

// The report's number, or 0 for the (never expected) non-finite value, so JSON stays valid.
double Finite(double v) { return std::isfinite(v) ? v : 0.0; }

json SpendFitJson(const CurrencySpendFit& f) {
  const clv::GammaGammaParams& p = f.fit.params;
  return json{{"currency", f.currency.ToString()},
              {"p", p.p},
              {"q", p.q},
              {"gamma", p.gamma},
              {"log_likelihood", f.fit.log_likelihood},
              {"customers", f.fit.customers}};
}

}  // namespace

Result<CustomerValueReport> ComputeCustomerValue(storage::Store& store,
                                                 const CustomerValueOptions& options) {
  if (options.horizon < 1 || options.horizon > kMaxCustomerValueHorizon) {
    return Status::InvalidArgument("horizon " + std::to_string(options.horizon) +
                                   " must be between 1 and " +
                                   std::to_string(kMaxCustomerValueHorizon) + " periods");
  }
  if (!(options.discount_rate >= 0) || !std::isfinite(options.discount_rate)) {
    return Status::InvalidArgument("discount rate must be a number >= 0");
  }
  // Checked here too, so a bad share is reported before any data is read.
  SB_RETURN_IF_ERROR(clv::ClassifyAbc(std::vector<double>{1.0}, options.abc).status());

  CustomerValueReport report;
  report.options = options;

  // Accounts (design note 1).
  std::unordered_map<int64_t, AccountInfo> accounts;
  SB_RETURN_IF_ERROR(store.accounts().ScanFields(
      ListQuery{}, {"id", "external_id", "name"}, [&](std::span<const FieldValue> r) {
        accounts[r[0].integer] =
            AccountInfo{r[0].integer, std::string(r[1].text), std::string(r[2].text)};
        return Status::Ok();
      }));
  report.accounts = static_cast<int64_t>(accounts.size());

  // Orders up to the calibration end.
  const std::string end_text = FormatDate(options.calibration_end);
  std::vector<Currency> currencies;
  std::map<std::string, int, std::less<>> currency_index;
  std::vector<OrderFact> orders;
  {
    ListQuery query;
    query.filters.push_back(Match("ordered_on", FilterOp::kLe, {end_text}));
    SB_RETURN_IF_ERROR(store.orders().ScanFields(
        query, {"account_id", "ordered_on", "revenue_minor", "revenue_currency", "margin_minor"},
        [&](std::span<const FieldValue> r) -> Status {
          OrderFact order;
          order.account = r[0].integer;
          Result<Date> on = ParseIsoDate(r[1].text.substr(0, 10));
          if (!on.ok()) {
            return Status::Internal("order of account " + std::to_string(order.account) +
                                    ": stored date \"" + std::string(r[1].text) +
                                    "\" is not a date");
          }
          order.on = *on;
          order.revenue_minor = r[2].kind == FieldValue::Kind::kInteger ? r[2].integer : 0;
          order.margin_minor = r[4].kind == FieldValue::Kind::kInteger ? r[4].integer : 0;
          auto it = currency_index.find(r[3].text);
          if (it == currency_index.end()) {
            SB_ASSIGN_OR_RETURN(Currency currency, Currency::Parse(r[3].text));
            it = currency_index.emplace(std::string(r[3].text), static_cast<int>(currencies.size()))
                     .first;
            currencies.push_back(currency);
          }
          order.currency = it->second;
          orders.push_back(order);
          return Status::Ok();
        }));
  }
  if (orders.empty()) {
    return Status::FailedPrecondition(
        "no orders on or before " + end_text +
        ": there is nothing to fit (import orders with `salesbox import --kind orders`, or "
        "choose a later calibration end)");
  }

  // Each account's currency (design note 2): most orders, ties to the smallest code.
  std::unordered_map<int64_t, std::vector<int64_t>> orders_per_currency;
  for (const OrderFact& o : orders) {
    std::vector<int64_t>& counts = orders_per_currency[o.account];
    counts.resize(currencies.size(), 0);
    ++counts[static_cast<size_t>(o.currency)];
  }
  std::unordered_map<int64_t, int> account_currency;
  for (const auto& [account, counts] : orders_per_currency) {
    int best = -1;
    for (size_t c = 0; c < counts.size(); ++c) {
      if (counts[c] == 0) continue;
      if (best < 0 || counts[c] > counts[static_cast<size_t>(best)] ||
          (counts[c] == counts[static_cast<size_t>(best)] &&
           currencies[c] < currencies[static_cast<size_t>(best)])) {
        best = static_cast<int>(c);
      }
    }
    account_currency[account] = best;
  }

  std::vector<clv::Transaction> transactions;
  transactions.reserve(orders.size());
  std::unordered_map<int64_t, std::pair<int64_t, int64_t>> orders_and_margin;
  for (const OrderFact& o : orders) {
    if (account_currency[o.account] != o.currency) {
      ++report.orders_other_currency;
      continue;
    }
    transactions.push_back(clv::Transaction{o.account, o.on, o.revenue_minor});
    auto& [count, margin] = orders_and_margin[o.account];
    ++count;
    margin += o.margin_minor;
  }
  report.orders_used = static_cast<int64_t>(transactions.size());
  orders.clear();
  orders.shrink_to_fit();

  // Purchases (design note 3).
  const std::vector<clv::CustomerRfm> rfm =
      clv::SummarizeRfm(transactions, clv::RfmOptions{options.calibration_end, options.time_unit});
  transactions.clear();
  transactions.shrink_to_fit();
  {
    Result<clv::BgNbdFit> fit = clv::FitBgNbd(rfm);
    if (!fit.ok()) {
      return fit.status().WithContext("purchase model (" + std::to_string(rfm.size()) +
                                      " customers with orders on or before " + end_text + ")");
    }
    report.bgnbd = *fit;
  }
  // The engine's expectation for a customer without repeat purchases needs a + b > 1
  // (BgNbdConditionalExpectedPurchases); say so once instead of naming the first such account.
  const clv::BgNbdParams& bg = report.bgnbd.params;
  if (bg.a + bg.b <= 1 && std::any_of(rfm.begin(), rfm.end(),
                                      [](const clv::CustomerRfm& c) { return c.frequency == 0; })) {
    char params[96];
    std::snprintf(params, sizeof(params), "a = %.4g, b = %.4g", bg.a, bg.b);
    return Status::FailedPrecondition(
        "purchase model (" + std::to_string(rfm.size()) + " customers with orders on or before " +
        end_text + "): the fitted dropout distribution has a + b <= 1 (" + params +
        "), for which the expected purchases of customers without a repeat purchase cannot be "
        "computed; few customers or a short history leave the dropout rate poorly determined, "
        "so use more customers or a later calibration end");
  }

  // Spend per currency (design note 4), then values and classes within each currency (5).
  report.customers.resize(rfm.size());
  std::vector<std::vector<size_t>> members(currencies.size());
  for (size_t i = 0; i < rfm.size(); ++i) {
    members[static_cast<size_t>(account_currency[rfm[i].customer])].push_back(i);
  }
  std::vector<size_t> currency_order(currencies.size());
  for (size_t c = 0; c < currency_order.size(); ++c) currency_order[c] = c;
  std::sort(currency_order.begin(), currency_order.end(),
            [&currencies](size_t x, size_t y) { return currencies[x] < currencies[y]; });

  const clv::ClvOptions clv_options{.periods = options.horizon,
                                    .period_length = 1.0,
                                    .discount_rate = options.discount_rate,
                                    .abc = options.abc};
  for (size_t c : currency_order) {
    if (members[c].empty()) continue;  // only orders left out (design note 2)
    const Currency currency = currencies[c];
    const std::string code = currency.ToString();
    const double scale = Pow10(currency.minor_digits());
    CurrencySpendFit spend;
    spend.currency = currency;
    spend.customers = static_cast<int64_t>(members[c].size());

    // Rows in major units; repeat customers without positive spend are valued apart.
    std::vector<clv::CustomerRfm> valued;
    std::vector<size_t> valued_index;
    std::vector<size_t> without_spend;
    int64_t repeat_customers = 0;
    for (size_t i : members[c]) {
      clv::CustomerRfm row = rfm[i];
      row.monetary /= scale;
      if (row.frequency > 0) ++repeat_customers;
      if (row.frequency > 0 && !(row.monetary > 0)) {
        without_spend.push_back(i);
        continue;
      }
      valued.push_back(row);
      valued_index.push_back(i);
    }
    spend.repeat_customers_without_spend = static_cast<int64_t>(without_spend.size());
    const std::string context = "spend model for " + code;
    if (repeat_customers == 0) {
      return Status::FailedPrecondition(
          context + ": none of the " + std::to_string(members[c].size()) + " customers in " + code +
          " bought again on or before " + end_text + ", so there is no repeat spend to model");
    }
    if (without_spend.size() == static_cast<size_t>(repeat_customers)) {
      return Status::FailedPrecondition(
          context + ": every repeat purchase in " + code +
          " has zero revenue (or less), so there is no spend to model");
    }
    Result<clv::GammaGammaFit> fit = clv::FitGammaGamma(valued);
    if (!fit.ok()) return fit.status().WithContext(context);
    spend.fit = *fit;
    double spend_sum = 0;
    for (const clv::CustomerRfm& row : valued) {
      if (row.frequency > 0) spend_sum += row.monetary;
    }
    spend.mean_repeat_spend = spend_sum / static_cast<double>(spend.fit.customers);

    Result<std::vector<clv::CustomerValue>> values =
        clv::ComputeCustomerValues(valued, report.bgnbd.params, spend.fit.params, clv_options);
    if (!values.ok()) return values.status().WithContext("customer value in " + code);

    auto fill = [&](size_t i, const clv::CustomerRfm& row) -> CustomerValueRow& {
      CustomerValueRow& out = report.customers[i];
      const AccountInfo& info = accounts[row.customer];
      out.id = AccountId{row.customer};
      out.external_id = info.external_id;
      out.name = info.name;
      out.currency = currency;
      out.orders = orders_and_margin[row.customer].first;
      out.margin_minor = orders_and_margin[row.customer].second;
      out.frequency = row.frequency;
      out.recency = row.recency;
      out.age = row.age;
      out.mean_repeat_spend = row.monetary / scale;
      return out;
    };
    for (size_t k = 0; k < valued.size(); ++k) {
      const clv::CustomerValue& v = (*values)[k];
      CustomerValueRow& out = fill(valued_index[k], rfm[valued_index[k]]);
      out.p_alive = v.p_alive;
      out.expected_purchases = v.expected_purchases;
      out.expected_spend = v.expected_spend;
      out.clv = v.clv;
      out.abc = v.abc;
    }
    for (size_t i : without_spend) {
      const clv::CustomerRfm& row = rfm[i];
      CustomerValueRow& out = fill(i, row);
      out.p_alive =
          clv::BgNbdProbabilityAlive(report.bgnbd.params, row.frequency, row.recency, row.age);
      Result<double> e = clv::BgNbdConditionalExpectedPurchases(
          report.bgnbd.params, options.horizon, row.frequency, row.recency, row.age);
      if (!e.ok()) return e.status().WithContext("account " + std::to_string(row.customer));
      out.expected_purchases = *e;
      out.abc = clv::AbcClass::kC;  // value 0
    }
    for (size_t i : members[c]) {
      CustomerValueRow& out = report.customers[i];
      if (!std::isfinite(out.clv) || !std::isfinite(out.p_alive) ||
          !std::isfinite(out.expected_purchases) || !std::isfinite(out.expected_spend)) {
        return Status::FailedPrecondition("account " + std::to_string(out.id.value) +
                                          ": the customer value is not finite");
      }
      out.clv_minor = std::llround(out.clv * scale);
      ++spend.abc_counts[static_cast<size_t>(out.abc)];
      spend.total_clv += out.clv;
    }
    report.gamma_gamma.push_back(std::move(spend));
  }
  return report;
}

Result<AbcSaveResult> SaveAbcClasses(storage::Store& store, const CustomerValueReport& report,
                                     std::optional<UserId> by, Timestamp now) {
  std::unordered_map<int64_t, std::string> wanted;
  wanted.reserve(report.customers.size());
  for (const CustomerValueRow& row : report.customers) {
    wanted[row.id.value] = clv::AbcClassName(row.abc);
  }
  AbcSaveResult result;
  Status status = store.Transact([&](storage::Store& s) -> Status {
    result = AbcSaveResult{};
    std::vector<std::pair<int64_t, std::string>> changes;  // id, new class
    SB_RETURN_IF_ERROR(s.accounts().ScanFields(
        ListQuery{}, {"id", "abc_class"}, [&](std::span<const FieldValue> r) {
          auto it = wanted.find(r[0].integer);
          std::string target = it == wanted.end() ? std::string() : it->second;
          if (r[1].text == target) {
            ++result.unchanged;
          } else {
            changes.emplace_back(r[0].integer, std::move(target));
          }
          return Status::Ok();
        }));
    for (auto& [id, target] : changes) {
      SB_ASSIGN_OR_RETURN(Account account, s.accounts().Get(AccountId{id}));
      const std::string old = account.abc_class;
      account.abc_class = target;
      account.updated_at = now;
      SB_RETURN_IF_ERROR(s.accounts().Update(account));
      auto value = [](const std::string& v) { return v.empty() ? json(nullptr) : json(v); };
      SB_RETURN_IF_ERROR(
          AppendChange(s, now, by, "update", "accounts", id,
                      json{{"abc_class", json::array({value(old), value(target)})}}.dump()));
      ++result.changed;
    }
    return Status::Ok();
  });
  if (!status.ok()) return status.WithContext("saving ABC classes");
  return result;
}

json CustomerValueJson(const CustomerValueReport& report) {
  const CustomerValueOptions& o = report.options;
  json out = json::object();
  out["calibration_end"] = FormatDate(o.calibration_end);
  out["time_unit"] = std::string(clv::TimeUnitName(o.time_unit));
  out["horizon"] = o.horizon;
  out["discount_rate"] = o.discount_rate;
  out["abc_shares"] = json{{"a", o.abc.a_share}, {"b", o.abc.b_share}};
  out["customers_count"] = report.customers.size();
  out["orders_used"] = report.orders_used;
  out["orders_other_currency"] = report.orders_other_currency;
  const clv::BgNbdParams& b = report.bgnbd.params;
  out["bgnbd"] = json{{"r", b.r},
                      {"alpha", b.alpha},
                      {"a", b.a},
                      {"b", b.b},
                      {"log_likelihood", report.bgnbd.log_likelihood},
                      {"customers", report.bgnbd.customers}};
  out["gamma_gamma"] =
      report.gamma_gamma.size() == 1 ? SpendFitJson(report.gamma_gamma.front()) : json(nullptr);
  json by_currency = json::object();
  json abc = json::object();
  for (const CurrencySpendFit& f : report.gamma_gamma) {
    json fit = SpendFitJson(f);
    const clv::GammaGammaParams& p = f.fit.params;
    fit["mean_spend"] = Finite(f.mean_repeat_spend);
    fit["population_mean_spend"] = p.q > 1 ? json(p.p * p.gamma / (p.q - 1)) : json(nullptr);
    fit["repeat_customers_without_spend"] = f.repeat_customers_without_spend;
    by_currency[f.currency.ToString()] = std::move(fit);
    abc[f.currency.ToString()] = json{{"A", f.abc_counts[0]},
                                      {"B", f.abc_counts[1]},
                                      {"C", f.abc_counts[2]},
                                      {"customers", f.customers},
                                      {"total_clv", Finite(f.total_clv)}};
  }
  out["gamma_gamma_by_currency"] = std::move(by_currency);
  out["abc"] = std::move(abc);
  json customers = json::array();
  for (const CustomerValueRow& row : report.customers) {
    customers.push_back(json{{"id", row.id.value},
                             {"external_id", row.external_id},
                             {"name", row.name},
                             {"currency", row.currency.ToString()},
                             {"frequency", row.frequency},
                             {"recency", Finite(row.recency)},
                             {"T", Finite(row.age)},
                             {"p_alive", Finite(row.p_alive)},
                             {"expected_purchases", Finite(row.expected_purchases)},
                             {"expected_spend", Finite(row.expected_spend)},
                             {"clv", Finite(row.clv)},
                             {"clv_minor", row.clv_minor},
                             {"abc_class", clv::AbcClassName(row.abc)}});
  }
  out["customers"] = std::move(customers);
  return out;
}

}  // namespace salesbox::service

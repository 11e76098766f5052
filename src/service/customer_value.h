// SPDX-License-Identifier: MIT
// Customer lifetime value from the orders in the store (DESIGN.md section 4, issue 6): the RFM
// summary per account, BG/NBD on all accounts, Gamma-Gamma per currency, CLV and ABC classes per
// account (analytics/clv), and storing the ABC classes on the accounts.
//
// Design notes
// (1) One pass per table: accounts (id, external id, name, stored class) and orders
//     (account_id, ordered_on, revenue_minor, revenue_currency, margin_minor) are read with
//     Store::ScanFields, orders only up to the calibration end.
// (2) A customer is an account with an order on or before the calibration end. Its currency is
//     the currency of most of its calibration orders (ties: the smallest code); its orders in
//     any other currency are left out (counted in `orders_other_currency`), so one account's
//     spend is never a sum of two currencies.
// (3) Purchases: SummarizeRfm over the orders with spend = revenue in minor units (same-day
//     orders merged into one purchase); BG/NBD is fitted on every customer, whatever its
//     currency, since purchase counts have no currency.
// (4) Spend: Gamma-Gamma is fitted per currency, on that currency's repeat customers, with the
//     mean repeat spend in the currency's major units (USD, not cents), so γ, the expected spend
//     and the CLV are in major units and comparable to the papers. A repeat customer whose
//     repeat purchases net to zero or less (free deliveries, credit notes) is left out of the
//     fit and valued at 0.
// (5) CLV over `horizon` periods of one time unit, discounted per time unit (clv_model.h); ABC
//     classes by CLV within each currency.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "analytics/clv/bg_nbd.h"
#include "analytics/clv/clv_model.h"
#include "analytics/clv/gamma_gamma.h"
#include "analytics/clv/rfm.h"
#include "common/ids.h"
#include "common/money.h"
#include "common/result.h"
#include "common/time.h"
#include "storage/store.h"

namespace salesbox::service {

struct CustomerValueOptions {
  Date calibration_end{};  // last day of the calibration period (inclusive)
  analytics::clv::TimeUnit time_unit = analytics::clv::TimeUnit::kWeek;
  int horizon = 52;            // periods of one time unit; 1..kMaxCustomerValueHorizon
  double discount_rate = 0.0;  // per time unit, >= 0
  analytics::clv::AbcOptions abc{};
};

inline constexpr int kMaxCustomerValueHorizon = 10000;

// The spend model of one currency.
struct CurrencySpendFit {
  Currency currency;
  analytics::clv::GammaGammaFit fit;           // γ and log_likelihood with spend in major units
  int64_t customers = 0;                       // customers trading in this currency
  int64_t repeat_customers_without_spend = 0;  // design note 4: left out of the fit
  double mean_repeat_spend = 0;         // mean zbar of the fit's repeat customers, major units
  std::array<int64_t, 3> abc_counts{};  // customers in A, B, C
  double total_clv = 0;                 // major units
};

struct CustomerValueRow {
  AccountId id;
  std::string external_id;
  std::string name;
  Currency currency;
  int64_t orders = 0;            // calibration orders used
  int64_t frequency = 0;         // x: repeat purchase days
  double recency = 0;            // t_x, time units
  double age = 0;                // T, time units
  double mean_repeat_spend = 0;  // zbar, major units; 0 when frequency is 0
  int64_t margin_minor = 0;      // gross margin of the calibration orders used
  double p_alive = 0;
  double expected_purchases = 0;  // over the horizon
  double expected_spend = 0;      // Gamma-Gamma conditional expected spend, major units
  double clv = 0;                 // major units
  int64_t clv_minor = 0;          // clv rounded to minor units
  analytics::clv::AbcClass abc = analytics::clv::AbcClass::kC;
};

struct CustomerValueReport {
  CustomerValueOptions options;
  analytics::clv::BgNbdFit bgnbd;
  std::vector<CurrencySpendFit> gamma_gamma;  // by currency code
  std::vector<CustomerValueRow> customers;    // by account id
  int64_t accounts = 0;                       // accounts in the store
  int64_t orders_used = 0;
  int64_t orders_other_currency = 0;  // design note 2
};

// Fits the models on the orders up to options.calibration_end and values every customer
// (design notes 1-5). Errors:
//   kInvalidArgument     horizon outside 1..kMaxCustomerValueHorizon, a negative or non-finite
//                        discount rate, bad ABC shares;
//   kFailedPrecondition  the data do not identify a model, with a message that says why: no
//                        orders up to the calibration end, one customer, no repeat purchase,
//                        every repeat purchase of a currency with zero revenue, one repeat
//                        customer in a currency (named), and the fits' other messages;
//   storage errors as they come.
// Never returns NaN: every number in the report is finite.
Result<CustomerValueReport> ComputeCustomerValue(storage::Store& store,
                                                 const CustomerValueOptions& options);

struct AbcSaveResult {
  int64_t changed = 0;    // accounts whose stored class changed
  int64_t unchanged = 0;  // accounts that already had it
};

// Stores each account's ABC class from `report` (accounts without a row: ""), in one
// transaction, and appends one change-log entry per changed account (action "update", entity
// "accounts", changes {"abc_class":[old,new]} with null for an empty class) by `by` (nullopt:
// the system). Storage errors roll everything back (kAborted when an account changed meanwhile).
Result<AbcSaveResult> SaveAbcClasses(storage::Store& store, const CustomerValueReport& report,
                                     std::optional<UserId> by, Timestamp now);

// The report as JSON (README "Lifetime value" documents the shape):
//   {"calibration_end","time_unit","horizon","discount_rate","abc_shares":{"a","b"},
//    "customers_count","orders_used","orders_other_currency",
//    "bgnbd":{"r","alpha","a","b","log_likelihood","customers"},
//    "gamma_gamma":{"currency","p","q","gamma","log_likelihood","customers"} or null when the
//      customers trade in more than one currency,
//    "gamma_gamma_by_currency":{"USD":{...the same..., "mean_spend","population_mean_spend",
//      "repeat_customers_without_spend"}},
//    "abc":{"USD":{"A","B","C","total_clv"}},
//    "customers":[{"id","external_id","name","currency","frequency","recency","T","p_alive",
//      "expected_purchases","expected_spend","clv","clv_minor","abc_class"}]}
nlohmann::json CustomerValueJson(const CustomerValueReport& report);

}  // namespace salesbox::service

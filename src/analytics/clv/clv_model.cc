// SPDX-License-Identifier: MIT
// Customer lifetime value and ABC classes.
//
// Design notes
//   (1) CLV over N periods of length L (model time units) at discount rate d per period:
//         CLV = Σ_{k=1..N} (E(kL) − E((k−1)L)) · s / (1+d)^k,   E(0) = 0,
//       E(t) = E[Y(t) | x, t_x, T] the BG/NBD conditional expectation and s the Gamma-Gamma
//       conditional expected spend. Spend is independent of the purchase process in the
//       Gamma-Gamma model, so the expected value of period k is the product. This is the
//       discrete-period formula of lifetimes' customer_lifetime_value.
//   (2) Invariants: E(t) is non-decreasing in t, so every period's term is >= 0 and
//       CLV <= E(NL) · s; with d = 0, CLV = E(NL) · s.
//   (3) ABC: ranking by value, cumulative share before each customer decides its class, so A is
//       the shortest prefix reaching a_share of the total (a customer who alone holds 90% is A).
#include "analytics/clv/clv_model.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "analytics/clv/internal/text.h"
#include "common/status_macros.h"

namespace salesbox::analytics::clv {

using internal::FormatNumber;

const char* AbcClassName(AbcClass abc) {
  switch (abc) {
    case AbcClass::kA:
      return "A";
    case AbcClass::kB:
      return "B";
    case AbcClass::kC:
      return "C";
  }
  return "C";
}

Result<std::vector<AbcClass>> ClassifyAbc(std::span<const double> values,
                                          const AbcOptions& options) {
  if (!(options.a_share > 0 && options.a_share <= 1) || !(options.b_share >= 0) ||
      !(options.a_share + options.b_share <= 1 + 1e-12)) {
    return Status::InvalidArgument(
        "ABC shares must satisfy 0 < a_share <= 1, b_share >= 0 and "
        "a_share + b_share <= 1 (got a_share " +
        FormatNumber(options.a_share) + ", b_share " + FormatNumber(options.b_share) + ")");
  }
  if (values.empty()) return Status::FailedPrecondition("ABC classes: no customers to classify");
  double total = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      return Status::InvalidArgument("ABC classes: value " + std::to_string(i) + " is " +
                                     FormatNumber(values[i]));
    }
    if (values[i] > 0) total += values[i];
  }
  if (!(total > 0)) {
    return Status::FailedPrecondition(
        "ABC classes: no customer has a positive value, so there is no total to split");
  }
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&values](size_t l, size_t r) { return values[l] > values[r]; });
  std::vector<AbcClass> out(values.size(), AbcClass::kC);
  const double a_limit = options.a_share * total;
  const double b_limit = (options.a_share + options.b_share) * total;
  double before = 0;
  for (size_t i : order) {
    if (!(values[i] > 0)) break;
    if (before < a_limit) {
      out[i] = AbcClass::kA;
    } else if (before < b_limit) {
      out[i] = AbcClass::kB;
    }
    before += values[i];
  }
  return out;
}

Result<std::vector<CustomerValue>> ComputeCustomerValues(std::span<const CustomerRfm> customers,
                                                         const BgNbdParams& bgnbd,
                                                         const GammaGammaParams& gamma_gamma,
                                                         const ClvOptions& options) {
  if (options.periods < 1) {
    return Status::InvalidArgument("CLV: the horizon must be at least 1 period, got " +
                                   std::to_string(options.periods));
  }
  if (!(options.period_length > 0) || !std::isfinite(options.period_length)) {
    return Status::InvalidArgument("CLV: period length " + FormatNumber(options.period_length) +
                                   " must be positive");
  }
  if (!(options.discount_rate >= 0) || !std::isfinite(options.discount_rate)) {
    return Status::InvalidArgument("CLV: discount rate " + FormatNumber(options.discount_rate) +
                                   " must be >= 0");
  }
  std::vector<CustomerValue> out;
  out.reserve(customers.size());
  std::vector<double> values;
  values.reserve(customers.size());
  for (const CustomerRfm& c : customers) {
    const std::string label = "customer " + std::to_string(c.customer);
    CustomerValue v;
    v.customer = c.customer;
    v.frequency = c.frequency;
    v.recency = c.recency;
    v.age = c.age;
    Result<double> spend = GammaGammaExpectedSpend(gamma_gamma, c.frequency, c.monetary);
    if (!spend.ok()) return spend.status().WithContext(label);
    v.expected_spend = *spend;
    double previous = 0;
    for (int k = 1; k <= options.periods; ++k) {
      Result<double> e = BgNbdConditionalExpectedPurchases(bgnbd, k * options.period_length,
                                                           c.frequency, c.recency, c.age);
      if (!e.ok()) return e.status().WithContext(label);
      v.clv += (*e - previous) * v.expected_spend / std::pow(1.0 + options.discount_rate, k);
      previous = *e;
    }
    v.expected_purchases = previous;
    v.p_alive = BgNbdProbabilityAlive(bgnbd, c.frequency, c.recency, c.age);
    if (!std::isfinite(v.clv) || !std::isfinite(v.p_alive)) {
      return Status::FailedPrecondition(label + ": CLV is not finite");
    }
    values.push_back(v.clv);
    out.push_back(v);
  }
  SB_ASSIGN_OR_RETURN(std::vector<AbcClass> classes, ClassifyAbc(values, options.abc));
  for (size_t i = 0; i < out.size(); ++i) out[i].abc = classes[i];
  return out;
}

Result<ClvReport> AnalyzeCustomerValue(std::span<const CustomerRfm> customers,
                                       const ClvOptions& options) {
  ClvReport report;
  SB_ASSIGN_OR_RETURN(report.bgnbd, FitBgNbd(customers));
  SB_ASSIGN_OR_RETURN(report.gamma_gamma, FitGammaGamma(customers));
  SB_ASSIGN_OR_RETURN(report.customers, ComputeCustomerValues(customers, report.bgnbd.params,
                                                              report.gamma_gamma.params, options));
  return report;
}

}  // namespace salesbox::analytics::clv

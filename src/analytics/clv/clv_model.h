// SPDX-License-Identifier: MIT
// Customer lifetime value: BG/NBD expected purchases × Gamma-Gamma expected spend, discounted
// per period over a horizon, and ABC classes by value. The entry point for the CLI and services.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "analytics/clv/bg_nbd.h"
#include "analytics/clv/gamma_gamma.h"
#include "analytics/clv/rfm.h"
#include "common/result.h"

namespace salesbox::analytics::clv {

enum class AbcClass { kA, kB, kC };

// "A", "B", "C".
const char* AbcClassName(AbcClass abc);

struct AbcOptions {
  double a_share = 0.80;  // A: the top customers making this share of the total value
  double b_share = 0.15;  // B: the next customers making this share; C: the rest
};

// Classes `values` (one per customer; CLV or margin) by their share of the total. Customers are
// ranked by value, descending (ties: input order). A is the shortest prefix of the ranking whose
// value reaches a_share · total; B continues until a_share + b_share is reached; C is the rest.
// A customer whose value is <= 0 is always C. The result is parallel to `values`.
// kInvalidArgument: a_share not in (0, 1], b_share < 0, a_share + b_share > 1, or a non-finite
// value. kFailedPrecondition: no values, or no positive value (nothing to split).
// Thread-safe (pure function).
Result<std::vector<AbcClass>> ClassifyAbc(std::span<const double> values,
                                          const AbcOptions& options = {});

struct ClvOptions {
  int periods = 12;            // N: horizon in periods
  double period_length = 1.0;  // model time units per period (4.345 weeks = 1 month)
  double discount_rate = 0.0;  // per period, d >= 0
  AbcOptions abc{};
};

struct CustomerValue {
  int64_t customer = 0;
  int64_t frequency = 0;
  double recency = 0;
  double age = 0;
  double p_alive = 0;             // P(alive | x, t_x, T)
  double expected_purchases = 0;  // E[Y(N · period_length) | x, t_x, T]
  double expected_spend = 0;      // Gamma-Gamma E[M | x, m], unit of CustomerRfm::monetary
  double clv = 0;                 // see ComputeCustomerValues
  AbcClass abc = AbcClass::kC;
};

// For each customer, with L = period_length and E(t) = E[Y(t) | x, t_x, T]:
//   clv = Σ_{k=1..N} (E(kL) − E((k−1)L)) · expected_spend / (1 + d)^k
// (the purchases expected in period k, valued at the expected spend, discounted to now), and
// the ABC class of clv. The output is parallel to `customers`.
// kInvalidArgument: periods < 1, period_length <= 0, discount_rate < 0 or non-finite, bad
// parameters or RFM rows; kFailedPrecondition: a prediction does not exist (see
// BgNbdConditionalExpectedPurchases, GammaGammaExpectedSpend) or no customer has positive value.
// Thread-safe (pure function).
Result<std::vector<CustomerValue>> ComputeCustomerValues(std::span<const CustomerRfm> customers,
                                                         const BgNbdParams& bgnbd,
                                                         const GammaGammaParams& gamma_gamma,
                                                         const ClvOptions& options = {});

struct ClvReport {
  BgNbdFit bgnbd;
  GammaGammaFit gamma_gamma;
  std::vector<CustomerValue> customers;  // parallel to the input
};

// Fits BG/NBD on all customers and Gamma-Gamma on the repeat customers, then computes every
// customer's value. Errors are those of FitBgNbd, FitGammaGamma and ComputeCustomerValues,
// with the model named in the message. Thread-safe (pure function).
Result<ClvReport> AnalyzeCustomerValue(std::span<const CustomerRfm> customers,
                                       const ClvOptions& options = {});

}  // namespace salesbox::analytics::clv

// SPDX-License-Identifier: MIT
// Special functions for the CLV models: log-gamma and digamma through Boost.Math with a policy
// that never throws, and the Gauss hypergeometric function 2F1 for the BG/NBD expectations.
#pragma once

#include "common/result.h"

namespace salesbox::analytics::clv::internal {

// ln Γ(x) and ψ(x) for x > 0. Non-finite for arguments outside the domain; never throw.
double LogGamma(double x);
double Digamma(double x);

// ln Γ(x) and ψ(x) together for x > 0, for the likelihood kernels: recurrence up to x >= 16,
// then the Stirling series, which share one logarithm. Error below 1e-13 · max(1, |value|) for
// 1e-6 <= x <= 1e12 (tested against Boost.Math); several times cheaper than the Boost calls.
// REQUIRES: x > 0 and finite.
void LogGammaAndDigamma(double x, double* log_gamma, double* digamma);

// ln 2F1(a, b; c; z) by its power series, for a > 0, b > 0, c > 0 and 0 <= z < 1, where every
// term is positive (no cancellation). The sum is rescaled as it grows, so large a, b (a customer
// with many purchases) do not overflow. Stops when a bound on the remaining tail is below
// 1e-16 of the sum. kInvalidArgument outside the domain; kFailedPrecondition if the series has
// not converged after 10^7 terms (z extremely close to 1).
Result<double> LogHypergeometric2F1(double a, double b, double c, double z);

}  // namespace salesbox::analytics::clv::internal

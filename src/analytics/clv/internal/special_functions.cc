// SPDX-License-Identifier: MIT
// Special functions for the CLV models.
//
// Design notes
//   (1) Boost.Math throws by default on domain, pole and overflow errors; the policy below makes
//       it return NaN/inf instead (salesbox code never throws), and callers check finiteness.
//       promote_double<false> keeps the evaluation in double (the long double path is ~3x slower
//       and gains nothing at the likelihood's accuracy).
//   (2) 2F1 series: t_0 = 1, t_{n+1} = t_n (a+n)(b+n) z / ((c+n)(n+1)). For a, b, c > 0 and
//       0 <= z < 1 all terms are positive. The ratio tends to z; for large n it is
//       z (1 + (a+b-c-1)/n + O(1/n^2)), so max(ratio_n, z) bounds every later ratio once the
//       ratio has started to fall, and the tail after t_n is at most t_n ρ / (1 - ρ).
//   (3) Overflow: when the running sum exceeds 2^600 the sum and the term are scaled down and the
//       scale is carried as a logarithm.
#include "analytics/clv/internal/special_functions.h"

#include <algorithm>
#include <cmath>
#include <string>

#include <boost/math/policies/policy.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>

namespace salesbox::analytics::clv::internal {
namespace {

namespace bmp = boost::math::policies;
using NoThrowPolicy =
    bmp::policy<bmp::domain_error<bmp::ignore_error>, bmp::pole_error<bmp::ignore_error>,
                bmp::overflow_error<bmp::ignore_error>, bmp::underflow_error<bmp::ignore_error>,
                bmp::evaluation_error<bmp::ignore_error>, bmp::rounding_error<bmp::ignore_error>,
                bmp::indeterminate_result_error<bmp::ignore_error>, bmp::promote_float<false>,
                bmp::promote_double<false>>;

constexpr long kMaxTerms = 10'000'000;

}  // namespace

double LogGamma(double x) { return boost::math::lgamma(x, NoThrowPolicy()); }

double Digamma(double x) { return boost::math::digamma(x, NoThrowPolicy()); }

void LogGammaAndDigamma(double x, double* log_gamma, double* digamma) {
  // Γ(x) = Γ(x+n) / (x (x+1) ... (x+n−1)), ψ(x) = ψ(x+n) − Σ 1/(x+k).
  double product = 1.0, inverse_sum = 0.0;
  while (x < 16.0) {
    product *= x;
    inverse_sum += 1.0 / x;
    x += 1.0;
  }
  const double log_x = std::log(x);
  const double inv = 1.0 / x;
  const double inv2 = inv * inv;
  // Stirling: ln Γ(x) = (x−½) ln x − x + ½ ln 2π + Σ B_2k / (2k (2k−1) x^(2k−1)); the first
  // omitted term is below 2e-18 at x = 16, and so is the digamma series'.
  const double lgamma_series =
      inv * (1.0 / 12 -
             inv2 * (1.0 / 360 -
                     inv2 * (1.0 / 1260 -
                             inv2 * (1.0 / 1680 - inv2 * (1.0 / 1188 - inv2 * (691.0 / 360360))))));
  const double digamma_series =
      inv2 * (1.0 / 12 -
              inv2 * (1.0 / 120 -
                      inv2 * (1.0 / 252 -
                              inv2 * (1.0 / 240 - inv2 * (1.0 / 132 - inv2 * (691.0 / 32760))))));
  *log_gamma = (x - 0.5) * log_x - x + 0.91893853320467274178 + lgamma_series -
               (product == 1.0 ? 0.0 : std::log(product));
  *digamma = log_x - 0.5 * inv - digamma_series - inverse_sum;
}

Result<double> LogHypergeometric2F1(double a, double b, double c, double z) {
  if (!(a > 0 && b > 0 && c > 0 && z >= 0 && z < 1) || !std::isfinite(a) || !std::isfinite(b) ||
      !std::isfinite(c)) {
    return Status::InvalidArgument("2F1(" + std::to_string(a) + ", " + std::to_string(b) + "; " +
                                   std::to_string(c) + "; " + std::to_string(z) +
                                   ") is outside the series' domain a, b, c > 0, 0 <= z < 1");
  }
  if (z == 0) return 0.0;
  // g(n) = (a+n)(b+n)/((c+n)(n+1)) = 1 + (αn + β)/((n+c)(n+1)) with α = a+b-c-1, β = ab-c; the
  // sign of g'(n) is that of the quadratic -αn² - 2βn + αc - β(c+1), so g is monotone beyond its
  // largest root `monotone_from` (note 2).
  const double alpha = a + b - c - 1.0;
  const double beta = a * b - c;
  double monotone_from = 0.0;
  if (alpha != 0.0) {
    const double disc = beta * beta + alpha * (alpha * c - beta * (c + 1.0));
    if (disc >= 0.0) {
      const double root = std::sqrt(disc);
      monotone_from = std::max({0.0, (-beta + root) / alpha, (-beta - root) / alpha});
    }
  }
  constexpr double kRescaleAbove = 0x1p600;
  double term = 1.0;
  double sum = 1.0;
  double log_scale = 0.0;
  for (long n = 0; n < kMaxTerms; ++n) {
    const double dn = static_cast<double>(n);
    const double ratio = (a + dn) * (b + dn) / ((c + dn) * (dn + 1.0)) * z;
    term *= ratio;
    sum += term;
    if (sum > kRescaleAbove) {
      sum *= 0x1p-600;
      term *= 0x1p-600;
      log_scale += 600.0 * std::log(2.0);
    }
    if (dn >= monotone_from) {
      const double rho = std::max(ratio, z);
      if (rho < 1.0 && term * rho / (1.0 - rho) <= 1e-16 * sum) return std::log(sum) + log_scale;
    }
  }
  return Status::FailedPrecondition("2F1(" + std::to_string(a) + ", " + std::to_string(b) + "; " +
                                    std::to_string(c) + "; " + std::to_string(z) +
                                    ") did not converge in 10^7 terms");
}

}  // namespace salesbox::analytics::clv::internal

// SPDX-License-Identifier: MIT
// 2F1 series against closed forms, including parameters large enough to need rescaling.
#include "analytics/clv/internal/special_functions.h"

#include <cmath>
#include <numbers>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace salesbox::analytics::clv::internal {
namespace {

using ::salesbox::test::StatusIs;

TEST(Hypergeometric2F1Test, MatchesClosedForms) {
  for (double z : {0.0, 1e-6, 0.1, 0.5, 0.9, 0.99}) {
    SCOPED_TRACE(z);
    // 2F1(1, 1; 2; z) = −ln(1−z)/z
    SB_ASSERT_OK_AND_ASSIGN(double log_f, LogHypergeometric2F1(1, 1, 2, z));
    const double expected = z == 0 ? 1.0 : -std::log1p(-z) / z;
    EXPECT_NEAR(std::exp(log_f), expected, 1e-13 * expected);
    // 2F1(a, b; b; z) = (1−z)^−a
    SB_ASSERT_OK_AND_ASSIGN(log_f, LogHypergeometric2F1(0.7, 3.2, 3.2, z));
    EXPECT_NEAR(log_f, -0.7 * std::log1p(-z), 1e-13 * (1 + std::fabs(log_f)));
    // 2F1(1/2, 1; 3/2; z²) = atanh(z)/z
    SB_ASSERT_OK_AND_ASSIGN(log_f, LogHypergeometric2F1(0.5, 1, 1.5, z * z));
    const double atanh_over_z = z == 0 ? 1.0 : std::atanh(z) / z;
    EXPECT_NEAR(std::exp(log_f), atanh_over_z, 1e-13 * atanh_over_z);
  }
}

TEST(Hypergeometric2F1Test, RescalesInsteadOfOverflowing) {
  // (1 − 0.9)^−2000 = 10^2000 overflows a double; its logarithm does not.
  SB_ASSERT_OK_AND_ASSIGN(double log_f, LogHypergeometric2F1(2000, 5, 5, 0.9));
  EXPECT_NEAR(log_f, 2000 * std::log(10.0), 1e-9 * log_f);
}

TEST(Hypergeometric2F1Test, RejectsArgumentsOutsideTheSeriesDomain) {
  EXPECT_THAT(LogHypergeometric2F1(1, 1, 2, 1.0), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(LogHypergeometric2F1(1, 1, -0.5, 0.5), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(LogHypergeometric2F1(1, 1, 2, -0.1), StatusIs(StatusCode::kInvalidArgument));
}

TEST(SpecialFunctionsTest, LogGammaAndDigammaAtKnownPoints) {
  EXPECT_NEAR(LogGamma(0.5), 0.5 * std::log(std::numbers::pi), 1e-15);
  EXPECT_NEAR(LogGamma(10), std::log(362880.0), 1e-13);
  EXPECT_NEAR(Digamma(1), -std::numbers::egamma, 1e-15);
  EXPECT_TRUE(std::isnan(LogGamma(-1)) || std::isinf(LogGamma(-1)));  // pole: no throw
}

TEST(SpecialFunctionsTest, FastLogGammaAndDigammaAgreeWithBoost) {
  for (double x = 1e-6; x < 1e12; x *= 1.37) {
    double log_gamma, digamma;
    LogGammaAndDigamma(x, &log_gamma, &digamma);
    EXPECT_NEAR(log_gamma, LogGamma(x), 1e-13 * std::max(1.0, std::fabs(LogGamma(x)))) << x;
    EXPECT_NEAR(digamma, Digamma(x), 1e-13 * std::max(1.0, std::fabs(Digamma(x)))) << x;
  }
}

}  // namespace
}  // namespace salesbox::analytics::clv::internal

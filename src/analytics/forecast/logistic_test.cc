// SPDX-License-Identifier: MIT
// Logistic regression against closed forms (group rates), an independent 1-D root, the
// stationarity condition of the penalised optimum, separable data, constant columns and weights.
#include "analytics/forecast/logistic.h"

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace salesbox::analytics::forecast {
namespace {

using ::salesbox::test::StatusIs;
using ::salesbox::test::StatusIsWithMessage;

FeatureMatrix Matrix(const std::vector<double>& values, int64_t cols) {
  return FeatureMatrix{values, static_cast<int64_t>(values.size()) / cols, cols};
}

// One binary feature; x = 0 wins 1 of 4, x = 1 wins 3 of 4.
const std::vector<double> kBinaryX = {0, 0, 0, 0, 1, 1, 1, 1};
const std::vector<double> kBinaryY = {1, 0, 0, 0, 1, 1, 1, 0};

TEST(LogisticTest, UnpenalisedBinaryFeatureGivesTheLogitsOfTheGroupRates) {
  LogisticOptions options;
  options.lambda = 0;
  SB_ASSERT_OK_AND_ASSIGN(LogisticModel model,
                          FitLogistic(Matrix(kBinaryX, 1), kBinaryY, {}, options));
  // logit(1/4) = −ln 3; logit(3/4) − logit(1/4) = 2 ln 3.
  EXPECT_NEAR(model.intercept, -std::log(3.0), 1e-10);
  ASSERT_EQ(model.coefficients.size(), 1u);
  EXPECT_NEAR(model.coefficients[0], 2 * std::log(3.0), 1e-10);
  // Standardised: mean 0.5, sd 0.5, so θ₁ = ln 3 and the log-odds at the mean is 0.
  EXPECT_DOUBLE_EQ(model.means[0], 0.5);
  EXPECT_DOUBLE_EQ(model.sds[0], 0.5);
  EXPECT_NEAR(model.standardized_coefficients[0], std::log(3.0), 1e-10);
  EXPECT_NEAR(model.standardized_intercept, 0, 1e-10);
  // ℓ = 2 (ln 1/4 + 3 ln 3/4), the same penalised (λ = 0).
  const double ll = 2 * (std::log(0.25) + 3 * std::log(0.75));
  EXPECT_NEAR(model.log_likelihood, ll, 1e-10);
  EXPECT_NEAR(model.penalized_log_likelihood, ll, 1e-10);
  EXPECT_GE(model.iterations, 2);

  const double one[] = {1.0};
  const double zero[] = {0.0};
  SB_ASSERT_OK_AND_ASSIGN(double p1, PredictProbability(model, one));
  SB_ASSERT_OK_AND_ASSIGN(double p0, PredictProbability(model, zero));
  EXPECT_NEAR(p1, 0.75, 1e-10);
  EXPECT_NEAR(p0, 0.25, 1e-10);
}

TEST(LogisticTest, ContributionsAreCoefficientTimesDistanceFromTheMean) {
  LogisticOptions options;
  options.lambda = 0;
  SB_ASSERT_OK_AND_ASSIGN(LogisticModel model,
                          FitLogistic(Matrix(kBinaryX, 1), kBinaryY, {}, options));
  const double one[] = {1.0};
  SB_ASSERT_OK_AND_ASSIGN(PredictionBreakdown b, ExplainPrediction(model, one));
  EXPECT_NEAR(b.base_log_odds, 0, 1e-10);
  ASSERT_EQ(b.contributions.size(), 1u);
  EXPECT_NEAR(b.contributions[0], 2 * std::log(3.0) * 0.5, 1e-10);  // ln 3
  EXPECT_NEAR(b.log_odds, std::log(3.0), 1e-10);
  EXPECT_NEAR(b.probability, 0.75, 1e-10);
}

// Symmetric design: z = ±1 with 4 rows each, so the intercept is 0 and the penalised optimum
// solves 6 − 8 σ(θ) = λ θ, found here by bisection.
TEST(LogisticTest, PenalisedBinaryFeatureMatchesTheOneDimensionalRoot) {
  for (double lambda : {0.5, 1.0, 4.0}) {
    double lo = 0, hi = 10;
    for (int i = 0; i < 200; ++i) {
      const double mid = 0.5 * (lo + hi);
      (6 - 8 * Sigmoid(mid) - lambda * mid > 0 ? lo : hi) = mid;
    }
    LogisticOptions options;
    options.lambda = lambda;
    SB_ASSERT_OK_AND_ASSIGN(LogisticModel model,
                            FitLogistic(Matrix(kBinaryX, 1), kBinaryY, {}, options));
    EXPECT_NEAR(model.standardized_coefficients[0], lo, 1e-10) << "lambda " << lambda;
    EXPECT_NEAR(model.standardized_intercept, 0, 1e-10);
    EXPECT_NEAR(model.coefficients[0], lo / 0.5, 1e-9);
    EXPECT_NEAR(model.penalized_log_likelihood, model.log_likelihood - 0.5 * lambda * lo * lo,
                1e-10);
  }
}

struct Synthetic {
  std::vector<double> x;
  std::vector<double> y;
  std::vector<double> w;
  int64_t cols;
};

Synthetic MakeSynthetic(int64_t rows, int64_t cols, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform;
  Synthetic s{{}, {}, {}, cols};
  for (int64_t i = 0; i < rows; ++i) {
    double eta = -0.3;
    for (int64_t j = 0; j < cols; ++j) {
      // Different scales and offsets, as amounts and day counts have.
      const double v = 10.0 * j + (1.0 + j * 100.0) * normal(rng);
      s.x.push_back(v);
      eta += 0.8 * (v - 10.0 * j) / (1.0 + j * 100.0) * (j % 2 == 0 ? 1 : -1);
    }
    s.y.push_back(uniform(rng) < Sigmoid(eta) ? 1 : 0);
    s.w.push_back(0.5 + uniform(rng));
  }
  return s;
}

// At the optimum Zᵀ w∘(y − p) = λ θ (θ standardised, intercept row = 0), checked from the
// returned model alone.
void ExpectStationary(const Synthetic& s, const LogisticModel& model, double lambda,
                      bool weighted) {
  const int64_t k = s.cols;
  const int64_t n = static_cast<int64_t>(s.y.size());
  std::vector<double> score(k + 1, 0.0);
  for (int64_t i = 0; i < n; ++i) {
    const std::span<const double> row(s.x.data() + i * k, k);
    Result<double> p = PredictProbability(model, row);
    ASSERT_TRUE(p.ok());
    const double r = (weighted ? s.w[i] : 1.0) * (s.y[i] - *p);
    score[0] += r;
    for (int64_t j = 0; j < k; ++j) score[j + 1] += r * (row[j] - model.means[j]) / model.sds[j];
  }
  EXPECT_NEAR(score[0], 0, 1e-8);
  for (int64_t j = 0; j < k; ++j) {
    EXPECT_NEAR(score[j + 1], lambda * model.standardized_coefficients[j], 1e-8) << "feature " << j;
  }
}

TEST(LogisticTest, OptimumIsStationary) {
  const Synthetic s = MakeSynthetic(300, 4, 7);
  for (double lambda : {0.0, 0.1, 3.0, 50.0}) {
    LogisticOptions options;
    options.lambda = lambda;
    SB_ASSERT_OK_AND_ASSIGN(LogisticModel model,
                            FitLogistic(FeatureMatrix{s.x, 300, 4}, s.y, {}, options));
    ExpectStationary(s, model, lambda, /*weighted=*/false);
    SB_ASSERT_OK_AND_ASSIGN(LogisticModel weighted,
                            FitLogistic(FeatureMatrix{s.x, 300, 4}, s.y, s.w, options));
    ExpectStationary(s, weighted, lambda, /*weighted=*/true);
  }
}

TEST(LogisticTest, LargerPenaltyShrinksCoefficients) {
  const Synthetic s = MakeSynthetic(300, 4, 11);
  double previous = std::numeric_limits<double>::infinity();
  for (double lambda : {0.0, 1.0, 10.0, 100.0}) {
    LogisticOptions options;
    options.lambda = lambda;
    SB_ASSERT_OK_AND_ASSIGN(LogisticModel model,
                            FitLogistic(FeatureMatrix{s.x, 300, 4}, s.y, {}, options));
    double norm = 0;
    for (double t : model.standardized_coefficients) norm += t * t;
    EXPECT_LT(norm, previous);
    previous = norm;
  }
}

TEST(LogisticTest, OriginalAndStandardisedScalesGiveTheSameLogOdds) {
  const Synthetic s = MakeSynthetic(200, 3, 5);
  SB_ASSERT_OK_AND_ASSIGN(LogisticModel model, FitLogistic(FeatureMatrix{s.x, 200, 3}, s.y));
  for (int64_t i = 0; i < 5; ++i) {
    double eta = model.intercept;
    for (int64_t j = 0; j < 3; ++j) eta += model.coefficients[j] * s.x[i * 3 + j];
    SB_ASSERT_OK_AND_ASSIGN(PredictionBreakdown b,
                            ExplainPrediction(model, std::span<const double>(&s.x[i * 3], 3)));
    EXPECT_NEAR(b.log_odds, eta, 1e-9);
  }
}

// Decision: with lambda = 0 separable data is an error (no finite MLE); with lambda > 0 the
// penalised optimum is finite and stationary.
TEST(LogisticTest, SeparableDataFailsUnpenalisedAndStaysFinitePenalised) {
  const std::vector<double> x = {-2, -1, 1, 2};
  const std::vector<double> y = {0, 0, 1, 1};
  LogisticOptions unpenalised;
  unpenalised.lambda = 0;
  EXPECT_THAT(FitLogistic(Matrix(x, 1), y, {}, unpenalised),
              StatusIsWithMessage(StatusCode::kFailedPrecondition, "separable"));

  LogisticOptions penalised;
  penalised.lambda = 1;
  SB_ASSERT_OK_AND_ASSIGN(LogisticModel model, FitLogistic(Matrix(x, 1), y, {}, penalised));
  EXPECT_TRUE(std::isfinite(model.coefficients[0]));
  EXPECT_GT(model.coefficients[0], 0);
  // Symmetric around 0: intercept 0; z = x / sd, sd = √2.5; Σ (y − p) z = θ.
  EXPECT_NEAR(model.intercept, 0, 1e-10);
  const double sd = std::sqrt(2.5);
  const double t = model.standardized_coefficients[0];
  double score = 0;
  for (int i = 0; i < 4; ++i) score += (y[i] - Sigmoid(t * x[i] / sd)) * x[i] / sd;
  EXPECT_NEAR(score, t, 1e-10);
}

TEST(LogisticTest, QuasiSeparableDataFailsUnpenalised) {
  // x = 0 has both outcomes, x = 1 only wins: the MLE of the coefficient is +∞.
  const std::vector<double> x = {0, 0, 0, 1, 1};
  const std::vector<double> y = {0, 1, 0, 1, 1};
  LogisticOptions options;
  options.lambda = 0;
  EXPECT_THAT(FitLogistic(Matrix(x, 1), y, {}, options), StatusIs(StatusCode::kFailedPrecondition));
}

// A strong effect on a heavy-tailed feature (x = v³, v normal; slope 10, so the standardised
// coefficient is about 40) has a finite MLE, which must not be mistaken for separation.
TEST(LogisticTest, StrongHeavyTailedEffectIsNotMistakenForSeparation) {
  std::mt19937_64 rng(1);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform;
  std::vector<double> x, y;
  for (int i = 0; i < 200; ++i) {
    const double v = normal(rng);
    x.push_back(v * v * v);
    y.push_back(uniform(rng) < Sigmoid(10 * x.back() - 3) ? 1 : 0);
  }
  LogisticOptions options;
  options.lambda = 0;
  SB_ASSERT_OK_AND_ASSIGN(LogisticModel model, FitLogistic(Matrix(x, 1), y, {}, options));
  EXPECT_GT(std::abs(model.standardized_coefficients[0]), 30);
  double score = 0, intercept_score = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double r = y[i] - Sigmoid(model.intercept + model.coefficients[0] * x[i]);
    intercept_score += r;
    score += r * x[i];
  }
  EXPECT_NEAR(intercept_score, 0, 1e-8);
  EXPECT_NEAR(score, 0, 1e-7);
}

// Heavy-tailed (Cauchy) features with one win in 11 rows, found by a search: the full Newton step
// from the start lowers ℓ_λ, so it must be halved; the fit still reaches the stationary point.
TEST(LogisticTest, StepHalvingRecoversFromAnOvershoot) {
  const std::vector<double> x = {-12.3743,  0.312792, 2.14299,  1.07069,   0.844084, 1.00209,
                                 -0.478318, 0.548894, -2.81432, -0.100105, -17.3238, -1.02241,
                                 -0.201623, 9.04386,  2.0116,   1.54316,   0.297614, 0.565597,
                                 0.163866,  5.5805,   -4.8699,  1.7715};
  const std::vector<double> y = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0};
  LogisticOptions options;
  options.lambda = 0.01;
  SB_ASSERT_OK_AND_ASSIGN(LogisticModel model, FitLogistic(Matrix(x, 2), y, {}, options));
  ASSERT_GE(model.step_halvings, 1) << "premise: this data needs a halved step";
  double intercept_score = 0;
  std::vector<double> score(2, 0.0);
  for (size_t i = 0; i < y.size(); ++i) {
    SB_ASSERT_OK_AND_ASSIGN(double p,
                            PredictProbability(model, std::span<const double>(&x[2 * i], 2)));
    intercept_score += y[i] - p;
    for (int j = 0; j < 2; ++j) {
      score[j] += (y[i] - p) * (x[2 * i + j] - model.means[j]) / model.sds[j];
    }
  }
  EXPECT_NEAR(intercept_score, 0, 1e-8);
  for (int j = 0; j < 2; ++j) {
    EXPECT_NEAR(score[j], options.lambda * model.standardized_coefficients[j], 1e-8);
  }
}

TEST(LogisticTest, ConstantColumnGetsZeroAndLeavesTheRestUnchanged) {
  std::vector<double> x;
  for (double v : kBinaryX) {
    x.push_back(5.0);  // constant
    x.push_back(v);
  }
  LogisticOptions options;
  options.lambda = 0;  // without special handling the Hessian would be singular
  SB_ASSERT_OK_AND_ASSIGN(LogisticModel model, FitLogistic(Matrix(x, 2), kBinaryY, {}, options));
  EXPECT_EQ(model.coefficients[0], 0);
  EXPECT_EQ(model.standardized_coefficients[0], 0);
  EXPECT_EQ(model.sds[0], 0);
  EXPECT_EQ(model.means[0], 5.0);
  EXPECT_NEAR(model.coefficients[1], 2 * std::log(3.0), 1e-10);
  EXPECT_NEAR(model.intercept, -std::log(3.0), 1e-10);
  const double row[] = {123.0, 1.0};  // any value in the constant column contributes 0
  SB_ASSERT_OK_AND_ASSIGN(PredictionBreakdown b, ExplainPrediction(model, row));
  EXPECT_EQ(b.contributions[0], 0);
  EXPECT_NEAR(b.probability, 0.75, 1e-10);
}

TEST(LogisticTest, WeightsEqualDuplicatedRows) {
  const Synthetic s = MakeSynthetic(60, 3, 3);
  std::vector<double> weights, dup_x, dup_y;
  for (int64_t i = 0; i < 60; ++i) {
    const int copies = 1 + static_cast<int>(i % 3);
    weights.push_back(copies);
    for (int c = 0; c < copies; ++c) {
      dup_x.insert(dup_x.end(), s.x.begin() + i * 3, s.x.begin() + i * 3 + 3);
      dup_y.push_back(s.y[i]);
    }
  }
  LogisticOptions options;
  options.lambda = 2;
  SB_ASSERT_OK_AND_ASSIGN(LogisticModel weighted,
                          FitLogistic(FeatureMatrix{s.x, 60, 3}, s.y, weights, options));
  SB_ASSERT_OK_AND_ASSIGN(
      LogisticModel duplicated,
      FitLogistic(FeatureMatrix{dup_x, static_cast<int64_t>(dup_y.size()), 3}, dup_y, {}, options));
  EXPECT_NEAR(weighted.intercept, duplicated.intercept, 1e-9);
  for (int j = 0; j < 3; ++j) {
    EXPECT_NEAR(weighted.coefficients[j], duplicated.coefficients[j], 1e-9);
    EXPECT_NEAR(weighted.means[j], duplicated.means[j], 1e-9);
    EXPECT_NEAR(weighted.sds[j], duplicated.sds[j], 1e-9);
  }
  EXPECT_NEAR(weighted.log_likelihood, duplicated.log_likelihood, 1e-8);
  // A zero weight is the same as leaving the row out.
  std::vector<double> zeroed(60, 1.0);
  zeroed[0] = 0;
  SB_ASSERT_OK_AND_ASSIGN(LogisticModel with_zero,
                          FitLogistic(FeatureMatrix{s.x, 60, 3}, s.y, zeroed, options));
  SB_ASSERT_OK_AND_ASSIGN(LogisticModel without,
                          FitLogistic(FeatureMatrix{std::span<const double>(s.x).subspan(3), 59, 3},
                                      std::span<const double>(s.y).subspan(1), {}, options));
  EXPECT_NEAR(with_zero.coefficients[1], without.coefficients[1], 1e-9);
}

TEST(LogisticTest, PredictProbabilitiesMatchesOneAtATime) {
  const Synthetic s = MakeSynthetic(50, 3, 9);
  SB_ASSERT_OK_AND_ASSIGN(LogisticModel model, FitLogistic(FeatureMatrix{s.x, 50, 3}, s.y));
  std::vector<double> out(50);
  SB_ASSERT_OK(PredictProbabilities(model, FeatureMatrix{s.x, 50, 3}, out));
  for (int64_t i = 0; i < 50; ++i) {
    SB_ASSERT_OK_AND_ASSIGN(double p,
                            PredictProbability(model, std::span<const double>(&s.x[i * 3], 3)));
    EXPECT_DOUBLE_EQ(out[i], p);
  }
}

TEST(LogisticTest, BadInputIsInvalidArgument) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> x = {0, 1, 0, 1};
  const std::vector<double> y = {0, 1, 1, 0};
  EXPECT_THAT(FitLogistic(FeatureMatrix{{}, 0, 1}, {}), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(FitLogistic(Matrix(x, 1), std::vector<double>{0, 1, 1}),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "3 labels for 4 rows"));
  EXPECT_THAT(FitLogistic(FeatureMatrix{x, 3, 1}, std::vector<double>{0, 1, 1}),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "rows × cols"));
  EXPECT_THAT(FitLogistic(Matrix({0, nan, 0, 1}, 1), y),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "row 1, feature 0"));
  EXPECT_THAT(FitLogistic(Matrix(x, 1), std::vector<double>{0, 0.5, 1, 0}),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "not 0 or 1"));
  EXPECT_THAT(FitLogistic(Matrix(x, 1), y, std::vector<double>{1, -1, 1, 1}),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "weight of row 1"));
  EXPECT_THAT(FitLogistic(Matrix(x, 1), y, std::vector<double>{1, 1}),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(FitLogistic(Matrix(x, 1), y, std::vector<double>{0, 0, 0, 0}),
              StatusIs(StatusCode::kInvalidArgument));
  LogisticOptions negative;
  negative.lambda = -1;
  EXPECT_THAT(FitLogistic(Matrix(x, 1), y, {}, negative), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(FitLogistic(Matrix(x, 1), std::vector<double>{1, 1, 1, 1}),
              StatusIsWithMessage(StatusCode::kFailedPrecondition, "one class"));

  SB_ASSERT_OK_AND_ASSIGN(LogisticModel model, FitLogistic(Matrix(x, 1), y));
  const double two[] = {1.0, 2.0};
  const double bad[] = {nan};
  EXPECT_THAT(PredictProbability(model, two), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(PredictProbability(model, bad), StatusIs(StatusCode::kInvalidArgument));
  std::vector<double> out(1);
  EXPECT_THAT(
      PredictProbabilities(model, FeatureMatrix{std::span<const double>(bad, 1), 1, 1}, out),
      StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace salesbox::analytics::forecast

// SPDX-License-Identifier: MIT
// Isotonic regression on hand-worked PAV examples (ties, weights, interpolation, clamping), its
// monotonicity on random data, and Platt scaling recovering a known logistic transform exactly.
#include "analytics/forecast/calibration.h"

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "analytics/forecast/logistic.h"
#include "testing/status_matchers.h"

namespace salesbox::analytics::forecast {
namespace {

using ::salesbox::test::StatusIs;
using ::salesbox::test::StatusIsWithMessage;

// Outcomes 0 1 0 1 1 0 at scores 1..6. PAV: [0] [1 0]→0.5 [1] [1] [0]→ [1 0]→0.5 → [1 1 0]→2/3.
// Fitted 0, 0.5, 0.5, 2/3, 2/3, 2/3.
const std::vector<double> kScores = {1, 2, 3, 4, 5, 6};
const std::vector<double> kOutcomes = {0, 1, 0, 1, 1, 0};

TEST(IsotonicTest, PoolAdjacentViolatorsByHand) {
  SB_ASSERT_OK_AND_ASSIGN(IsotonicCalibration fit, FitIsotonic(kScores, kOutcomes));
  EXPECT_THAT(fit.knots, ::testing::ElementsAre(1, 2, 3, 4, 6));
  ASSERT_EQ(fit.rates.size(), 5u);
  EXPECT_DOUBLE_EQ(fit.rates[0], 0);
  EXPECT_DOUBLE_EQ(fit.rates[1], 0.5);
  EXPECT_DOUBLE_EQ(fit.rates[2], 0.5);
  EXPECT_DOUBLE_EQ(fit.rates[3], 2.0 / 3);
  EXPECT_DOUBLE_EQ(fit.rates[4], 2.0 / 3);
}

TEST(IsotonicTest, LinearAndStepInterpolationWithClamping) {
  IsotonicOptions linear;
  linear.epsilon = 1e-3;
  SB_ASSERT_OK_AND_ASSIGN(IsotonicCalibration fit, FitIsotonic(kScores, kOutcomes, {}, linear));
  auto at = [](const IsotonicCalibration& c, double s) {
    Result<double> p = Calibrate(c, s);
    EXPECT_TRUE(p.ok());
    return p.ok() ? *p : -1;
  };
  EXPECT_DOUBLE_EQ(at(fit, 1.5), 0.25);
  EXPECT_DOUBLE_EQ(at(fit, 2.5), 0.5);  // flat inside the block [2, 3]
  EXPECT_NEAR(at(fit, 3.5), 0.5 + 0.5 * (2.0 / 3 - 0.5), 1e-15);
  EXPECT_DOUBLE_EQ(at(fit, 5), 2.0 / 3);
  EXPECT_DOUBLE_EQ(at(fit, 100), 2.0 / 3);
  EXPECT_DOUBLE_EQ(at(fit, -100), 1e-3);  // rate 0 clamped to epsilon
  EXPECT_DOUBLE_EQ(at(fit, 1), 1e-3);

  IsotonicOptions step = linear;
  step.interpolation = Interpolation::kStep;
  SB_ASSERT_OK_AND_ASSIGN(IsotonicCalibration steps, FitIsotonic(kScores, kOutcomes, {}, step));
  EXPECT_DOUBLE_EQ(at(steps, 1.5), 1e-3);
  EXPECT_DOUBLE_EQ(at(steps, 2), 0.5);
  EXPECT_DOUBLE_EQ(at(steps, 3.99), 0.5);
  EXPECT_DOUBLE_EQ(at(steps, 4), 2.0 / 3);
}

TEST(IsotonicTest, TiesArePooledBeforeTheSweep) {
  // Scores 1, 1, 2 with outcomes 1, 0, 0: the tie is the point (1, 0.5, weight 2), which violates
  // against (2, 0), so everything pools to 1/3, whatever order the tied rows come in.
  for (const auto& outcomes : {std::vector<double>{1, 0, 0}, std::vector<double>{0, 1, 0}}) {
    SB_ASSERT_OK_AND_ASSIGN(IsotonicCalibration fit,
                            FitIsotonic(std::vector<double>{1, 1, 2}, outcomes));
    EXPECT_THAT(fit.knots, ::testing::ElementsAre(1, 2));
    EXPECT_DOUBLE_EQ(fit.rates[0], 1.0 / 3);
    EXPECT_DOUBLE_EQ(fit.rates[1], 1.0 / 3);
  }
}

TEST(IsotonicTest, WeightsCountAsRepeatedRows) {
  // (1, y=1, w=2), (2, y=0, w=1): pooled rate (2·1 + 0) / 3.
  SB_ASSERT_OK_AND_ASSIGN(
      IsotonicCalibration fit,
      FitIsotonic(std::vector<double>{1, 2}, std::vector<double>{1, 0}, std::vector<double>{2, 1}));
  EXPECT_DOUBLE_EQ(fit.rates[0], 2.0 / 3);
  // A zero-weight row is ignored: no violation left, so two flat knots.
  SB_ASSERT_OK_AND_ASSIGN(IsotonicCalibration zero,
                          FitIsotonic(std::vector<double>{1, 2, 3}, std::vector<double>{0, 0, 1},
                                      std::vector<double>{1, 0, 1}));
  EXPECT_THAT(zero.knots, ::testing::ElementsAre(1, 3));
  EXPECT_THAT(zero.rates, ::testing::ElementsAre(0, 1));
}

TEST(IsotonicTest, MonotoneOnRandomData) {
  std::mt19937_64 rng(2024);
  std::uniform_int_distribution<int> level(0, 50);
  std::uniform_real_distribution<double> uniform;
  for (int round = 0; round < 20; ++round) {
    std::vector<double> scores, outcomes, weights;
    for (int i = 0; i < 300; ++i) {
      const double s = level(rng) / 50.0;  // many ties
      scores.push_back(s);
      outcomes.push_back(uniform(rng) < s ? 1 : 0);
      weights.push_back(uniform(rng));
    }
    SB_ASSERT_OK_AND_ASSIGN(IsotonicCalibration fit, FitIsotonic(scores, outcomes, weights));
    for (size_t k = 1; k < fit.knots.size(); ++k) {
      EXPECT_LT(fit.knots[k - 1], fit.knots[k]);
      EXPECT_LE(fit.rates[k - 1], fit.rates[k]);
    }
    double previous = 0;
    for (double s = -0.1; s <= 1.1; s += 0.001) {
      SB_ASSERT_OK_AND_ASSIGN(double p, Calibrate(fit, s));
      EXPECT_GE(p, previous);
      EXPECT_GE(p, 1e-6);
      EXPECT_LE(p, 1 - 1e-6);
      previous = p;
    }
    // Weighted means are preserved: Σ w·fitted = Σ w·y (each block's rate is its mean).
    double fitted_sum = 0, outcome_sum = 0;
    IsotonicCalibration raw = fit;
    raw.epsilon = 0;
    raw.interpolation = Interpolation::kStep;
    for (size_t i = 0; i < scores.size(); ++i) {
      SB_ASSERT_OK_AND_ASSIGN(double p, Calibrate(raw, scores[i]));
      fitted_sum += weights[i] * p;
      outcome_sum += weights[i] * outcomes[i];
    }
    EXPECT_NEAR(fitted_sum, outcome_sum, 1e-9);
  }
}

TEST(IsotonicTest, BadInputIsInvalidArgument) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THAT(FitIsotonic({}, {}), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(FitIsotonic(std::vector<double>{nan}, std::vector<double>{1}),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "score 0"));
  EXPECT_THAT(FitIsotonic(std::vector<double>{0.1, 0.2}, std::vector<double>{1}),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(FitIsotonic(std::vector<double>{0.1}, std::vector<double>{2}),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(FitIsotonic(std::vector<double>{0.1}, std::vector<double>{1}, std::vector<double>{0}),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "sum to 0"));
  SB_ASSERT_OK_AND_ASSIGN(IsotonicCalibration fit, FitIsotonic(kScores, kOutcomes));
  EXPECT_THAT(Calibrate(fit, nan), StatusIs(StatusCode::kInvalidArgument));
}

// Scores on a grid, each as a won row weighted q and a lost row weighted 1 − q, with
// q = σ(2 logit(s) − 0.5): the weighted likelihood's score equations hold exactly at slope 2,
// intercept −0.5, so the fit must recover them.
TEST(PlattTest, RecoversAKnownLogisticTransform) {
  std::vector<double> scores, outcomes, weights;
  for (int i = 1; i < 20; ++i) {
    const double s = i / 20.0;
    const double q = Sigmoid(2 * std::log(s / (1 - s)) - 0.5);
    scores.insert(scores.end(), {s, s});
    outcomes.insert(outcomes.end(), {1, 0});
    weights.insert(weights.end(), {q, 1 - q});
  }
  SB_ASSERT_OK_AND_ASSIGN(PlattCalibration platt, FitPlatt(scores, outcomes, weights));
  EXPECT_NEAR(platt.slope, 2, 1e-8);
  EXPECT_NEAR(platt.intercept, -0.5, 1e-8);
  SB_ASSERT_OK_AND_ASSIGN(double p, Calibrate(platt, 0.5));
  EXPECT_NEAR(p, Sigmoid(-0.5), 1e-8);
}

TEST(PlattTest, IdentityIsCalibratedAlready) {
  PlattCalibration identity;
  for (double s : {0.01, 0.3, 0.5, 0.77}) {
    SB_ASSERT_OK_AND_ASSIGN(double p, Calibrate(identity, s));
    EXPECT_NEAR(p, s, 1e-14);
  }
  SB_ASSERT_OK_AND_ASSIGN(double zero, Calibrate(identity, 0.0));
  EXPECT_NEAR(zero, 1e-6, 1e-15);  // clamped before logit, never 0
}

TEST(PlattTest, ErrorsAreReported) {
  EXPECT_THAT(FitPlatt(std::vector<double>{0.2, 1.2}, std::vector<double>{0, 1}),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "score 1"));
  // Perfectly separating scores without a penalty: no finite slope.
  EXPECT_THAT(FitPlatt(std::vector<double>{0.1, 0.2, 0.8, 0.9}, std::vector<double>{0, 0, 1, 1}),
              StatusIsWithMessage(StatusCode::kFailedPrecondition, "platt calibration"));
  PlattOptions penalised;
  penalised.lambda = 1;
  SB_EXPECT_OK(FitPlatt(std::vector<double>{0.1, 0.2, 0.8, 0.9}, std::vector<double>{0, 0, 1, 1},
                        {}, penalised));
  EXPECT_THAT(Calibrate(PlattCalibration{}, std::numeric_limits<double>::quiet_NaN()),
              StatusIs(StatusCode::kInvalidArgument));
}

// Outcomes drawn from a known curve of the score, in time order.
struct Drawn {
  std::vector<double> scores, outcomes;
};
template <typename Curve>
Drawn DrawFrom(int n, uint64_t seed, Curve curve) {
  std::mt19937_64 random(seed);
  std::uniform_real_distribution<double> score(0.02, 0.98), coin(0.0, 1.0);
  Drawn d;
  for (int i = 0; i < n; ++i) {
    const double s = score(random);
    d.scores.push_back(s);
    d.outcomes.push_back(coin(random) < curve(s) ? 1.0 : 0.0);
  }
  return d;
}

TEST(SelectCalibrationTest, FewExamplesGetPlattWithoutATest) {
  const Drawn d = DrawFrom(300, 1, [](double s) { return s; });
  SB_ASSERT_OK_AND_ASSIGN(CalibrationSelection chosen, SelectCalibration(d.scores, d.outcomes));
  EXPECT_FALSE(chosen.cross_validated);
  EXPECT_FALSE(chosen.isotonic);
  EXPECT_EQ(chosen.brier_platt, -1);
  // The fitted curve is the one FitPlatt gives on all of them.
  PlattOptions options;
  options.lambda = 0.01;
  SB_ASSERT_OK_AND_ASSIGN(PlattCalibration direct, FitPlatt(d.scores, d.outcomes, {}, options));
  EXPECT_DOUBLE_EQ(chosen.platt.slope, direct.slope);
  EXPECT_DOUBLE_EQ(chosen.platt.intercept, direct.intercept);
}

// When the truth is a logistic curve of the score's log-odds (Platt's own shape), Platt wins on
// held-out folds; when it is a step, which no such curve can follow, isotonic wins.
TEST(SelectCalibrationTest, HeldOutFoldsPickTheShapeThatFits) {
  const Drawn smooth = DrawFrom(4000, 2, [](double s) {
    const double z = 1.6 * std::log(s / (1 - s)) - 0.4;
    return 1 / (1 + std::exp(-z));
  });
  SB_ASSERT_OK_AND_ASSIGN(CalibrationSelection a,
                          SelectCalibration(smooth.scores, smooth.outcomes));
  EXPECT_TRUE(a.cross_validated);
  EXPECT_FALSE(a.isotonic);
  EXPECT_LT(a.brier_platt, a.brier_isotonic);
  EXPECT_NEAR(a.platt.slope, 1.6, 0.25);

  const Drawn step = DrawFrom(4000, 3, [](double s) { return s < 0.6 ? 0.1 : 0.9; });
  SB_ASSERT_OK_AND_ASSIGN(CalibrationSelection b, SelectCalibration(step.scores, step.outcomes));
  EXPECT_TRUE(b.cross_validated);
  EXPECT_TRUE(b.isotonic);
  EXPECT_LT(b.brier_isotonic, b.brier_platt - 0.005);
  SB_ASSERT_OK_AND_ASSIGN(double low, Calibrate(b.isotonic_map, 0.3));
  SB_ASSERT_OK_AND_ASSIGN(double high, Calibrate(b.isotonic_map, 0.8));
  EXPECT_NEAR(low, 0.1, 0.04);
  EXPECT_NEAR(high, 0.9, 0.04);
}

TEST(SelectCalibrationTest, BadInputIsInvalidArgument) {
  const std::vector<double> scores = {0.2, 0.4}, outcomes = {0};
  EXPECT_THAT(SelectCalibration(scores, outcomes), StatusIs(StatusCode::kInvalidArgument));
  CalibrationChoiceOptions one_fold;
  one_fold.folds = 1;
  EXPECT_THAT(SelectCalibration(scores, std::vector<double>{0, 1}, one_fold),
              StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace salesbox::analytics::forecast

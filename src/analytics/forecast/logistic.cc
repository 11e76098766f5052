// SPDX-License-Identifier: MIT
// Design notes: L2-regularised logistic regression by Newton's method (IRLS).
//
// Model: P(y = 1 | x) = σ(θ₀ + Σ_j θ_j z_j), z_j = (x_j − m_j) / s_j with the weighted training
// mean m_j and population sd s_j. Maximised objective (penalised log-likelihood):
//   ℓ_λ(θ) = Σ_i w_i [y_i η_i − softplus(η_i)] − (λ/2) Σ_{j≥1} θ_j²,   η_i = θ·z_i.
// Gradient g = Zᵀ w∘(y − p) − λ D θ and negative Hessian H = Zᵀ diag(w p (1 − p)) Z + λ D, where
// D = diag(0, 1, …, 1) leaves the intercept unpenalised. Each iteration solves H δ = g with
// Eigen's LDLT and takes the largest step t δ, t = 1, 1/2, 1/4, … that does not lower ℓ_λ.
//
// Invariants:
//  (1) at convergence the Newton decrement gᵀH⁻¹g / 2 is <= tolerance, and the final full step
//      is taken, so the returned θ satisfies the stationarity condition to rounding error:
//      Zᵀ w∘(y − p) = λ D θ;
//  (2) ℓ_λ never decreases from one iterate to the next (step halving);
//  (3) with λ = 0, (quasi-)separation is reported, never a huge θ: it shows as a decrement that
//      shrank only geometrically before reaching tolerance, a singular Newton system, or a
//      standardised |θ_j| > 10⁴;
//  (4) constant columns are left out of the system and get θ_j = 0, so H stays positive
//      definite when λ = 0 and the other columns are not collinear;
//  (5) original-scale coefficients are β_j = θ_j / s_j and the intercept θ₀ − Σ β_j m_j, so both
//      scales give the same η for every row.
// The matrix is read in blocks of kBlockRows rows, standardised into a small column-major Eigen
// block, so memory stays O(k²) however many rows there are.
#include "analytics/forecast/logistic.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include <Eigen/Dense>

#include "common/status_macros.h"

namespace salesbox::analytics::forecast {
namespace {

constexpr int64_t kBlockRows = 4096;
constexpr int kMaxHalvings = 50;
// A safety stop: |standardised θ| beyond this with λ = 0 is taken as separation without waiting
// for the rate test below. Real strong effects on heavy-tailed features reach θ ≈ 200 (a cubed
// normal with slope 20), so the stop must be far out.
constexpr double kSeparationBound = 1e4;
// Near a finite optimum Newton's decrement falls quadratically (each one about the square of the
// last); when θ runs off to infinity along a separating direction it falls only geometrically,
// by a roughly constant factor e⁻¹…e⁻². A last ratio above this means the latter (measured:
// <= 2e-8 for finite optima, including heavy-tailed strong effects; about 0.37 when separated).
constexpr double kLinearRate = 1e-2;

double WeightAt(std::span<const double> weights, int64_t i) {
  return weights.empty() ? 1.0 : weights[static_cast<size_t>(i)];
}

Status ValidateInput(const FeatureMatrix& x, std::span<const double> labels,
                     std::span<const double> weights, const LogisticOptions& options) {
  if (x.rows <= 0 || x.cols < 0) {
    return Status::InvalidArgument("logistic fit: no training rows");
  }
  if (static_cast<int64_t>(x.values.size()) != x.rows * x.cols) {
    return Status::InvalidArgument("logistic fit: the feature matrix has " +
                                   std::to_string(x.values.size()) +
                                   " values, not rows × cols = " + std::to_string(x.rows * x.cols));
  }
  if (static_cast<int64_t>(labels.size()) != x.rows) {
    return Status::InvalidArgument("logistic fit: " + std::to_string(labels.size()) +
                                   " labels for " + std::to_string(x.rows) + " rows");
  }
  if (!weights.empty() && static_cast<int64_t>(weights.size()) != x.rows) {
    return Status::InvalidArgument("logistic fit: " + std::to_string(weights.size()) +
                                   " weights for " + std::to_string(x.rows) + " rows");
  }
  if (!std::isfinite(options.lambda) || options.lambda < 0) {
    return Status::InvalidArgument("logistic fit: lambda must be finite and >= 0");
  }
  if (options.max_iterations < 1) {
    return Status::InvalidArgument("logistic fit: max_iterations must be >= 1");
  }
  for (size_t i = 0; i < x.values.size(); ++i) {
    if (!std::isfinite(x.values[i])) {
      return Status::InvalidArgument("logistic fit: row " + std::to_string(i / x.cols) +
                                     ", feature " + std::to_string(i % x.cols) +
                                     " is not a finite number");
    }
  }
  for (size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] != 0.0 && labels[i] != 1.0) {
      return Status::InvalidArgument("logistic fit: label of row " + std::to_string(i) +
                                     " is not 0 or 1");
    }
  }
  for (size_t i = 0; i < weights.size(); ++i) {
    if (!std::isfinite(weights[i]) || weights[i] < 0) {
      return Status::InvalidArgument("logistic fit: weight of row " + std::to_string(i) +
                                     " is negative or not finite");
    }
  }
  return Status::Ok();
}

// Weighted column means and sds, and which columns vary (the others are left out).
struct Standardizer {
  std::vector<double> means;
  std::vector<double> sds;
  std::vector<int64_t> active;  // columns with sd > 0
};

Standardizer Standardize(const FeatureMatrix& x, std::span<const double> weights,
                         double total_weight) {
  const int64_t k = x.cols;
  Standardizer s{std::vector<double>(k, 0.0), std::vector<double>(k, 0.0), {}};
  std::vector<double> first(k, 0.0);
  std::vector<bool> varies(k, false);
  bool seen = false;
  for (int64_t i = 0; i < x.rows; ++i) {
    const double w = WeightAt(weights, i);
    if (w == 0) continue;
    const double* row = x.values.data() + i * k;
    for (int64_t j = 0; j < k; ++j) {
      s.means[j] += w * row[j];
      if (!seen) first[j] = row[j];
      if (row[j] != first[j]) varies[j] = true;
    }
    seen = true;
  }
  for (int64_t j = 0; j < k; ++j) s.means[j] /= total_weight;
  // Second pass for the variance: Σ w (x − m)² does not cancel like Σ w x² − W m².
  for (int64_t i = 0; i < x.rows; ++i) {
    const double w = WeightAt(weights, i);
    if (w == 0) continue;
    const double* row = x.values.data() + i * k;
    for (int64_t j = 0; j < k; ++j) s.sds[j] += w * (row[j] - s.means[j]) * (row[j] - s.means[j]);
  }
  for (int64_t j = 0; j < k; ++j) {
    s.sds[j] = varies[j] ? std::sqrt(s.sds[j] / total_weight) : 0.0;
    if (s.sds[j] > 0) s.active.push_back(j);
  }
  return s;
}

// The design block of rows [begin, begin + z.rows()): column 0 is the intercept, column 1 + a
// the standardised active column a.
void FillBlock(const FeatureMatrix& x, const Standardizer& s, int64_t begin, Eigen::MatrixXd& z) {
  for (Eigen::Index r = 0; r < z.rows(); ++r) {
    const double* row = x.values.data() + (begin + r) * x.cols;
    z(r, 0) = 1.0;
    for (size_t a = 0; a < s.active.size(); ++a) {
      const int64_t j = s.active[a];
      z(r, static_cast<Eigen::Index>(a) + 1) = (row[j] - s.means[j]) / s.sds[j];
    }
  }
}

struct Problem {
  const FeatureMatrix& x;
  std::span<const double> labels;
  std::span<const double> weights;
  const Standardizer& s;
  double lambda;
};

struct Evaluation {
  double log_likelihood = 0;
  double penalized = 0;
};

// ℓ and ℓ_λ at θ; with `gradient` and `hessian` also g and H (the negative Hessian).
Evaluation Evaluate(const Problem& problem, const Eigen::VectorXd& theta, Eigen::VectorXd* gradient,
                    Eigen::MatrixXd* hessian) {
  const Eigen::Index d = theta.size();
  if (gradient != nullptr) {
    gradient->setZero(d);
    hessian->setZero(d, d);
  }
  Evaluation e;
  Eigen::MatrixXd z;
  Eigen::VectorXd eta, residual, curvature;
  for (int64_t begin = 0; begin < problem.x.rows; begin += kBlockRows) {
    const int64_t m = std::min(kBlockRows, problem.x.rows - begin);
    z.resize(m, d);
    FillBlock(problem.x, problem.s, begin, z);
    eta.noalias() = z * theta;
    residual.resize(m);
    curvature.resize(m);
    for (int64_t r = 0; r < m; ++r) {
      const double w = WeightAt(problem.weights, begin + r);
      const double y = problem.labels[static_cast<size_t>(begin + r)];
      const double t = eta[r];
      // One exp per row: with e = exp(−|t|), softplus(±t) = max(±t, 0) + log1p(e) and
      // σ(t) = 1/(1 + e) for t >= 0, e/(1 + e) otherwise.
      const double e_abs = std::exp(-std::abs(t));
      const double log1p_e = std::log1p(e_abs);
      e.log_likelihood -= w * ((y == 1.0 ? std::max(-t, 0.0) : std::max(t, 0.0)) + log1p_e);
      const double p = t >= 0 ? 1 / (1 + e_abs) : e_abs / (1 + e_abs);
      residual[r] = w * (y - p);
      curvature[r] = std::sqrt(w * p * (1 - p));
    }
    if (gradient != nullptr) {
      gradient->noalias() += z.transpose() * residual;
      z = curvature.asDiagonal() * z;
      hessian->selfadjointView<Eigen::Lower>().rankUpdate(z.transpose());
    }
  }
  const double penalty = 0.5 * problem.lambda * theta.tail(d - 1).squaredNorm();
  e.penalized = e.log_likelihood - penalty;
  if (gradient != nullptr) {
    gradient->tail(d - 1) -= problem.lambda * theta.tail(d - 1);
    hessian->diagonal().tail(d - 1).array() += problem.lambda;
    *hessian = hessian->selfadjointView<Eigen::Lower>();
  }
  return e;
}

bool Separated(const Eigen::VectorXd& theta) {
  return theta.cwiseAbs().maxCoeff() > kSeparationBound;
}

Status SeparationError() {
  return Status::FailedPrecondition(
      "logistic fit: the classes are (quasi-)separable, so with lambda = 0 there is no finite "
      "maximum-likelihood estimate; fit with lambda > 0");
}

LogisticModel MakeModel(const Standardizer& s, const Eigen::VectorXd& theta, int64_t k,
                        const Evaluation& e, double lambda, int iterations) {
  LogisticModel model;
  model.means = s.means;
  model.sds = s.sds;
  model.coefficients.assign(k, 0.0);
  model.standardized_coefficients.assign(k, 0.0);
  model.standardized_intercept = theta[0];
  model.intercept = theta[0];
  for (size_t a = 0; a < s.active.size(); ++a) {
    const int64_t j = s.active[a];
    const double t = theta[static_cast<Eigen::Index>(a) + 1];
    model.standardized_coefficients[j] = t;
    model.coefficients[j] = t / s.sds[j];
    model.intercept -= model.coefficients[j] * s.means[j];
  }
  model.lambda = lambda;
  model.iterations = iterations;
  model.log_likelihood = e.log_likelihood;
  model.penalized_log_likelihood = e.penalized;
  return model;
}

// η for one row: the log-odds at the mean plus Σ β_j (x_j − m_j) (invariant (4)).
double LogOdds(const LogisticModel& model, const double* row) {
  double eta = model.standardized_intercept;
  for (size_t j = 0; j < model.coefficients.size(); ++j) {
    eta += model.coefficients[j] * (row[j] - model.means[j]);
  }
  return eta;
}

}  // namespace

double Sigmoid(double t) {
  if (t >= 0) return 1.0 / (1.0 + std::exp(-t));
  const double e = std::exp(t);
  return e / (1.0 + e);
}

Result<LogisticModel> FitLogistic(const FeatureMatrix& x, std::span<const double> labels,
                                  std::span<const double> weights, const LogisticOptions& options) {
  SB_RETURN_IF_ERROR(ValidateInput(x, labels, weights, options));
  double total_weight = 0, positive_weight = 0;
  for (int64_t i = 0; i < x.rows; ++i) {
    const double w = WeightAt(weights, i);
    total_weight += w;
    positive_weight += w * labels[static_cast<size_t>(i)];
  }
  if (!(total_weight > 0)) return Status::InvalidArgument("logistic fit: the weights sum to 0");
  if (positive_weight == 0 || positive_weight == total_weight) {
    return Status::FailedPrecondition(
        "logistic fit: all weighted labels are in one class; a win model needs wins and losses");
  }

  const Standardizer s = Standardize(x, weights, total_weight);
  const Problem problem{x, labels, weights, s, options.lambda};
  const Eigen::Index d = static_cast<Eigen::Index>(s.active.size()) + 1;
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(d);
  const double rate = positive_weight / total_weight;
  theta[0] = std::log(rate / (1 - rate));  // the optimum when every θ_j is 0

  // The full step is taken almost always, so the candidate at t = 1 is evaluated with its
  // gradient and Hessian, which become the next iteration's: one pass over the rows per Newton
  // step. Only after step halving are they recomputed.
  Eigen::VectorXd gradient, next_gradient;
  Eigen::MatrixXd hessian, next_hessian;
  Evaluation current = Evaluate(problem, theta, &gradient, &hessian);
  bool have_derivatives = true;
  double previous_decrement = std::numeric_limits<double>::infinity();
  int halvings = 0;
  for (int iteration = 0; iteration < options.max_iterations; ++iteration) {
    if (!have_derivatives) current = Evaluate(problem, theta, &gradient, &hessian);
    const Eigen::LDLT<Eigen::MatrixXd> ldlt(hessian);
    const Eigen::VectorXd step = ldlt.solve(gradient);
    if (ldlt.info() != Eigen::Success || !step.allFinite()) {
      if (options.lambda == 0) return SeparationError();
      return Status::FailedPrecondition("logistic fit: the Newton system is singular");
    }
    const double decrement = 0.5 * gradient.dot(step);
    double t = 1;
    Eigen::VectorXd candidate;
    Evaluation next;
    int halving = 0;
    bool improved = false;
    for (; halving < kMaxHalvings; ++halving, t *= 0.5) {
      candidate = theta + t * step;
      next = halving == 0 ? Evaluate(problem, candidate, &next_gradient, &next_hessian)
                          : Evaluate(problem, candidate, nullptr, nullptr);
      // Rounding in a sum of n terms: allow a loss far below anything a real step gains.
      improved = next.penalized >= current.penalized - 1e-13 * (1 + std::abs(current.penalized));
      if (improved) break;
    }
    if (!improved) {
      return Status::FailedPrecondition("logistic fit: no ascent step found (decrement " +
                                        std::to_string(decrement) + ")");
    }
    theta = candidate;
    current = next;
    halvings += halving;
    have_derivatives = halving == 0;
    if (have_derivatives) {
      gradient.swap(next_gradient);
      hessian.swap(next_hessian);
    }
    if (options.lambda == 0 && Separated(theta)) return SeparationError();
    if (decrement <= options.tolerance) {
      if (options.lambda == 0 && decrement > kLinearRate * previous_decrement) {
        return SeparationError();
      }
      LogisticModel model = MakeModel(s, theta, x.cols, current, options.lambda, iteration + 1);
      model.step_halvings = halvings;
      return model;
    }
    previous_decrement = decrement;
  }
  if (options.lambda == 0) return SeparationError();
  return Status::FailedPrecondition("logistic fit: did not converge in " +
                                    std::to_string(options.max_iterations) + " iterations");
}

Result<double> PredictProbability(const LogisticModel& model, std::span<const double> features) {
  SB_ASSIGN_OR_RETURN(PredictionBreakdown breakdown, ExplainPrediction(model, features));
  return breakdown.probability;
}

Status PredictProbabilities(const LogisticModel& model, const FeatureMatrix& x,
                            std::span<double> out) {
  const int64_t k = static_cast<int64_t>(model.coefficients.size());
  if (x.cols != k || x.rows < 0 || static_cast<int64_t>(x.values.size()) != x.rows * k ||
      static_cast<int64_t>(out.size()) != x.rows) {
    return Status::InvalidArgument("logistic predict: expected " + std::to_string(k) +
                                   " features per row and one output per row");
  }
  for (int64_t i = 0; i < x.rows; ++i) {
    const double eta = LogOdds(model, x.values.data() + i * k);
    // A NaN or infinite feature makes η non-finite (also times a zero coefficient).
    if (!std::isfinite(eta)) {
      return Status::InvalidArgument("logistic predict: row " + std::to_string(i) +
                                     " has a feature that is not a finite number");
    }
    out[static_cast<size_t>(i)] = Sigmoid(eta);
  }
  return Status::Ok();
}

Result<PredictionBreakdown> ExplainPrediction(const LogisticModel& model,
                                              std::span<const double> features) {
  const size_t k = model.coefficients.size();
  if (features.size() != k) {
    return Status::InvalidArgument("logistic predict: " + std::to_string(features.size()) +
                                   " features for a model with " + std::to_string(k));
  }
  PredictionBreakdown out;
  out.base_log_odds = model.standardized_intercept;
  out.contributions.resize(k);
  out.log_odds = out.base_log_odds;
  for (size_t j = 0; j < k; ++j) {
    if (!std::isfinite(features[j])) {
      return Status::InvalidArgument("logistic predict: feature " + std::to_string(j) +
                                     " is not a finite number");
    }
    out.contributions[j] = model.coefficients[j] * (features[j] - model.means[j]);
    out.log_odds += out.contributions[j];
  }
  out.probability = Sigmoid(out.log_odds);
  return out;
}

}  // namespace salesbox::analytics::forecast

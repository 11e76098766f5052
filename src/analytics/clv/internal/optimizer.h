// SPDX-License-Identifier: MIT
// Bound-constrained L-BFGS minimisation through NLopt's C API, for the CLV likelihoods.
#pragma once

#include <functional>
#include <span>
#include <vector>

#include "common/result.h"

namespace salesbox::analytics::clv::internal {

// f(x, gradient) returns f at x and, when `gradient` is not empty, writes ∇f into it. It must not
// throw; a non-finite value stops the run.
using Objective = std::function<double(std::span<const double> x, std::span<double> gradient)>;

struct LbfgsOptions {
  double lower = -20;  // box bound for every coordinate
  double upper = 20;
  double relative_tolerance = 1e-12;  // on f
  int max_evaluations = 2000;
};

struct LbfgsOutcome {
  std::vector<double> x;  // the best point found
  double value = 0;       // f(x)
  int evaluations = 0;
  int nlopt_code = 0;  // nlopt_result; NLOPT_ROUNDOFF_LIMITED (-4) still returns the best point
};

// Minimises `f` from `start` with L-BFGS (NLOPT_LD_LBFGS). kInternal when NLopt fails outright
// (out of memory, invalid arguments) or f is not finite at the start; otherwise the best point,
// converged or not (callers check the gradient). Thread-safe: no shared state.
Result<LbfgsOutcome> MinimizeLbfgs(const Objective& f, std::span<const double> start,
                                   const LbfgsOptions& options);

struct MultiStartOutcome {
  std::vector<double> x;  // best point (log-parameters)
  double value = 0;       // objective at x
  int starts = 0;
  int evaluations = 0;
  double gradient_norm = 0;  // |∇f(x)|
};

// Runs MinimizeLbfgs from every start (log-parameters) within the box |x_i| <= options.upper
// (options.lower must be −options.upper) and keeps the lowest value. With several starts, each
// is first run to `screening_tolerance` (relative change of f) and only the best is then run on
// to options.relative_tolerance, which saves about 40% of the evaluations. `model` ("BG/NBD") and
// `names` (one per coordinate, natural-scale names) label the messages. kFailedPrecondition when
// every start fails, when the best point lies on the box (the parameter names[i] runs to 0 or
// ∞: the data do not identify the model), when f or its gradient is not finite there, or when
// |∇f| > converged_gradient.
Result<MultiStartOutcome> MinimizeMultiStart(const Objective& f,
                                             const std::vector<std::vector<double>>& starts,
                                             const LbfgsOptions& options,
                                             std::span<const char* const> names, const char* model,
                                             double converged_gradient,
                                             double screening_tolerance = 1e-4);

}  // namespace salesbox::analytics::clv::internal

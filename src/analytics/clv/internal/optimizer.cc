// SPDX-License-Identifier: MIT
// L-BFGS through NLopt. NLopt's C API does not throw; the objective is wrapped in a C callback
// that counts evaluations and forces a stop on a non-finite value (the Luksan line search cannot
// recover from one).
#include "analytics/clv/internal/optimizer.h"

#include <nlopt.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

#include "analytics/clv/internal/text.h"

namespace salesbox::analytics::clv::internal {
namespace {

struct Callback {
  const Objective* f;
  nlopt_opt opt;
  int evaluations = 0;
  bool non_finite = false;
};

double Trampoline(unsigned n, const double* x, double* gradient, void* data) {
  auto* cb = static_cast<Callback*>(data);
  ++cb->evaluations;
  const double value = (*cb->f)(std::span<const double>(x, n),
                                gradient ? std::span<double>(gradient, n) : std::span<double>());
  bool finite = std::isfinite(value);
  for (unsigned i = 0; gradient && i < n; ++i) finite = finite && std::isfinite(gradient[i]);
  if (!finite) {
    cb->non_finite = true;
    nlopt_force_stop(cb->opt);
    return HUGE_VAL;
  }
  return value;
}

struct OptDeleter {
  void operator()(nlopt_opt opt) const { nlopt_destroy(opt); }
};

}  // namespace

Result<LbfgsOutcome> MinimizeLbfgs(const Objective& f, std::span<const double> start,
                                   const LbfgsOptions& options) {
  const unsigned n = static_cast<unsigned>(start.size());
  std::unique_ptr<nlopt_opt_s, OptDeleter> opt(nlopt_create(NLOPT_LD_LBFGS, n));
  if (!opt) return Status::Internal("nlopt_create failed");
  std::vector<double> lower(n, options.lower), upper(n, options.upper);
  Callback cb{&f, opt.get()};
  if (nlopt_set_lower_bounds(opt.get(), lower.data()) < 0 ||
      nlopt_set_upper_bounds(opt.get(), upper.data()) < 0 ||
      nlopt_set_min_objective(opt.get(), Trampoline, &cb) < 0 ||
      nlopt_set_ftol_rel(opt.get(), options.relative_tolerance) < 0 ||
      nlopt_set_maxeval(opt.get(), options.max_evaluations) < 0) {
    return Status::Internal("nlopt: setting up L-BFGS failed");
  }
  LbfgsOutcome out;
  out.x.assign(start.begin(), start.end());
  for (double& v : out.x) v = std::fmin(std::fmax(v, options.lower), options.upper);
  double value = HUGE_VAL;
  const nlopt_result code = nlopt_optimize(opt.get(), out.x.data(), &value);
  out.value = value;
  out.evaluations = cb.evaluations;
  out.nlopt_code = static_cast<int>(code);
  if (code == NLOPT_INVALID_ARGS || code == NLOPT_OUT_OF_MEMORY) {
    return Status::Internal("nlopt L-BFGS failed with code " + std::to_string(code));
  }
  if (!std::isfinite(value)) {
    return Status::FailedPrecondition("the likelihood is not finite near the starting point");
  }
  return out;
}

Result<MultiStartOutcome> MinimizeMultiStart(const Objective& f,
                                             const std::vector<std::vector<double>>& starts,
                                             const LbfgsOptions& options,
                                             std::span<const char* const> names, const char* model,
                                             double converged_gradient,
                                             double screening_tolerance) {
  MultiStartOutcome out;
  bool have_best = false;
  Status last_error = Status::FailedPrecondition("no starting point");
  LbfgsOptions screening = options;
  if (starts.size() > 1) {
    screening.relative_tolerance = std::max(screening_tolerance, options.relative_tolerance);
  }
  for (const std::vector<double>& start : starts) {
    ++out.starts;
    Result<LbfgsOutcome> run = MinimizeLbfgs(f, start, screening);
    if (!run.ok()) {
      last_error = run.status();
      continue;
    }
    out.evaluations += run->evaluations;
    if (!have_best || run->value < out.value) {
      have_best = true;
      out.value = run->value;
      out.x = run->x;
    }
  }
  if (have_best && starts.size() > 1) {
    Result<LbfgsOutcome> polish = MinimizeLbfgs(f, out.x, options);
    if (polish.ok()) {
      out.evaluations += polish->evaluations;
      if (polish->value <= out.value) {
        out.value = polish->value;
        out.x = polish->x;
      }
    }
  }
  const std::string label = model;
  if (!have_best) return last_error.WithContext(label + " fit");

  for (size_t i = 0; i < out.x.size(); ++i) {
    if (std::fabs(out.x[i]) >= options.upper - 1e-3) {
      return Status::FailedPrecondition(
          label + ": the likelihood has no interior maximum for these data (" + names[i] +
          " runs to " + FormatNumber(std::exp(out.x[i])) +
          "); too few customers or too little variation to identify the model");
    }
  }
  std::vector<double> gradient(out.x.size());
  const double value = f(out.x, gradient);
  double norm2 = 0;
  for (double g : gradient) norm2 += g * g;
  out.gradient_norm = std::sqrt(norm2);
  if (!std::isfinite(value) || !std::isfinite(out.gradient_norm)) {
    return Status::FailedPrecondition(label + ": the likelihood is not finite at the optimum");
  }
  if (out.gradient_norm > converged_gradient) {
    return Status::FailedPrecondition(label + ": the fit did not converge (gradient norm " +
                                      FormatNumber(out.gradient_norm) + " after " +
                                      std::to_string(out.evaluations) + " evaluations)");
  }
  out.value = value;
  return out;
}

}  // namespace salesbox::analytics::clv::internal

// SPDX-License-Identifier: MIT
// BG/NBD model of repeat purchasing (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy
// Way"): maximum-likelihood fit, P(alive) and expected purchases.
//
// Model: while alive a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after each
// repeat purchase they drop out with probability p ~ Beta(a, b). Times are in the unit of the RFM
// summary (TimeUnit); α is in that unit, r, a, b are unitless.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "analytics/clv/rfm.h"
#include "common/result.h"

namespace salesbox::analytics::clv {

struct BgNbdParams {
  double r = 0;
  double alpha = 0;
  double a = 0;
  double b = 0;
};

// The BG/NBD log-likelihood of one cohort, compressed once for repeated evaluation: customers
// with equal (x, t_x, T) share one term, and ln Γ(r+x) − ln Γ(r) etc. are summed once per
// distinct x. Immutable after Create; thread-safe to evaluate concurrently (an evaluation uses
// per-thread scratch buffers of O(groups) doubles, kept for the next evaluation).
class BgNbdLikelihood {
 public:
  // kInvalidArgument (naming the customer) for a negative or non-finite frequency, recency or
  // age, recency > age, or recency != 0 with frequency 0. Accepts any cohort size, including 0.
  static Result<BgNbdLikelihood> Create(std::span<const CustomerRfm> customers);

  // Mean negative log-likelihood, −LL/n, at log_params = (ln r, ln α, ln a, ln b). When
  // `gradient` is not empty (size 4) it receives the analytic gradient with respect to
  // log_params. One pass over the compressed data. REQUIRES: customers() > 0.
  double MeanNegLogLikelihood(std::span<const double> log_params,
                              std::span<double> gradient = {}) const;

  // Σ ln L_i at natural parameters (all > 0).
  double LogLikelihood(const BgNbdParams& params) const;

  int64_t customers() const { return customers_; }
  int64_t repeat_customers() const { return repeat_customers_; }
  int64_t groups() const { return static_cast<int64_t>(groups_.size()); }  // distinct (x,t_x,T)
  double mean_age() const { return mean_age_; }
  double max_age() const { return max_age_; }

 private:
  struct Group {
    int64_t x;
    int32_t recency_index;  // into times_
    int32_t age_index;
    double count;
  };
  struct Block {  // groups_[begin, end) share frequency x
    int64_t x;
    size_t begin, end;
    double count;
  };

  std::vector<double> times_;  // distinct recency and age values, ascending
  std::vector<Group> groups_;  // sorted by x
  std::vector<Block> blocks_;  // ascending x
  int64_t customers_ = 0;
  int64_t repeat_customers_ = 0;
  double mean_age_ = 0;
  double max_age_ = 0;
};

struct BgNbdFitOptions {
  // Starting points (natural scale). Empty: four points scaled to the data (see bg_nbd.cc).
  std::vector<BgNbdParams> starts;
  double relative_tolerance = 1e-12;  // L-BFGS stop on the relative change of the mean NLL
  int max_evaluations_per_start = 2000;
};

struct BgNbdFit {
  BgNbdParams params;
  double log_likelihood = 0;  // Σ ln L_i (not the mean), in the summary's time unit
  int64_t customers = 0;
  int starts = 0;            // starting points tried
  int evaluations = 0;       // likelihood evaluations over all starts
  double gradient_norm = 0;  // |∇ mean NLL| in log-parameters at the optimum
};

// Maximum-likelihood fit: L-BFGS (NLopt) on the mean NLL in log-parameters (box |ln θ| <= 20)
// from every start, each run to a relative change of 1e-4; the best is then run on to
// options.relative_tolerance and kept. Errors:
//   kInvalidArgument     as BgNbdLikelihood::Create;
//   kFailedPrecondition  no customers, one customer, no repeat buyer, every age T = 0, or the
//                        best optimum on the parameter box or not converged (the data do not
//                        identify the model), or a non-finite likelihood; the message says which.
// Thread-safe (pure function).
Result<BgNbdFit> FitBgNbd(std::span<const CustomerRfm> customers,
                          const BgNbdFitOptions& options = {});
// The same on an already compressed likelihood (the benchmark times the fit alone).
Result<BgNbdFit> FitBgNbd(const BgNbdLikelihood& likelihood, const BgNbdFitOptions& options = {});

// P(alive | x, t_x, T) = 1 / (1 + [x > 0] · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)); 1 when x = 0.
// REQUIRES: valid params, 0 <= recency <= age, frequency >= 0.
double BgNbdProbabilityAlive(const BgNbdParams& params, int64_t frequency, double recency,
                             double age);

// E[Y(t) | x, t_x, T]: expected purchases in the next `t` time units (FHL 2005 eq. 10), using
// 2F1(r+x, b+x; a+b+x−1; t/(α+T+t)). kInvalidArgument for t < 0 or non-finite input;
// kFailedPrecondition if a+b+x−1 <= 0 (x = 0 with a+b <= 1, where the series does not apply)
// or 2F1 does not converge. Near a = 1 (a removable singularity) the mean of a = 1 ± 1e-4 is
// used.
Result<double> BgNbdConditionalExpectedPurchases(const BgNbdParams& params, double t,
                                                 int64_t frequency, double recency, double age);

// E[X(t)]: expected purchases of a new customer in (0, t] (FHL 2005 eq. 7). Errors as above
// (a+b <= 1 is kFailedPrecondition).
Result<double> BgNbdExpectedPurchases(const BgNbdParams& params, double t);

// P(X(t) = n) for a new customer (FHL 2005 eq. 8). kInvalidArgument for t < 0 or n < 0.
Result<double> BgNbdProbabilityOfPurchases(const BgNbdParams& params, double t, int64_t n);

}  // namespace salesbox::analytics::clv

// SPDX-License-Identifier: MIT
// Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005, "RFM and CLV: Using
// Iso-Value Curves"; Fader & Hardie 2013 note 025): maximum-likelihood fit and the conditional
// expected average spend.
//
// Model: a customer's transaction values are Gamma(p, ν) with ν ~ Gamma(q, γ) across customers,
// independent of the purchase process. It is fitted on customers with x > 0 repeat transactions
// and mean repeat value m = zbar. γ and all spend are in the unit of `CustomerRfm::monetary`.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "analytics/clv/rfm.h"
#include "common/result.h"

namespace salesbox::analytics::clv {

struct GammaGammaParams {
  double p = 0;
  double q = 0;
  double gamma = 0;
};

// The Gamma-Gamma log-likelihood (the density of the mean m of x values, as in CLVTools and
// lifetimes) of the repeat customers of one cohort; customers with equal (x, m) share one term.
// Immutable after Create; thread-safe to evaluate concurrently.
class GammaGammaLikelihood {
 public:
  // Keeps customers with frequency > 0. kInvalidArgument (naming the customer) for a negative
  // frequency or a repeat customer whose monetary value is not positive and finite.
  static Result<GammaGammaLikelihood> Create(std::span<const CustomerRfm> customers);

  // Mean negative log-likelihood at log_params = (ln p, ln q, ln γ); when `gradient` is not
  // empty (size 3) it receives the analytic gradient in log_params. REQUIRES: customers() > 0.
  double MeanNegLogLikelihood(std::span<const double> log_params,
                              std::span<double> gradient = {}) const;
  // Σ ln L_i at natural parameters.
  double LogLikelihood(const GammaGammaParams& params) const;

  int64_t customers() const { return customers_; }  // repeat customers used
  int64_t groups() const { return static_cast<int64_t>(groups_.size()); }
  double mean_spend() const { return mean_spend_; }  // mean of m over the customers used
  bool all_spend_equal() const { return all_spend_equal_; }

 private:
  struct Group {
    int64_t x;
    double m;
    double count;
    double log_m;
    double log_x;
  };
  struct Block {  // groups_[begin, end) share x
    int64_t x;
    size_t begin, end;
    double count;
  };
  std::vector<Group> groups_;
  std::vector<Block> blocks_;
  int64_t customers_ = 0;
  double mean_spend_ = 0;
  bool all_spend_equal_ = true;
};

struct GammaGammaFitOptions {
  // Starting points (natural scale). Empty: four points scaled to the mean spend.
  std::vector<GammaGammaParams> starts;
  double relative_tolerance = 1e-12;
  int max_evaluations_per_start = 2000;
};

struct GammaGammaFit {
  GammaGammaParams params;
  double log_likelihood = 0;  // Σ ln L_i over the repeat customers
  int64_t customers = 0;      // repeat customers used
  int starts = 0;
  int evaluations = 0;
  double gradient_norm = 0;
};

// Maximum-likelihood fit: L-BFGS (NLopt) on the mean NLL in log-parameters (box |ln θ| <= 20)
// from every start, each run to a relative change of 1e-4; the best is then run on to
// options.relative_tolerance and kept. Errors:
//   kInvalidArgument     as GammaGammaLikelihood::Create;
//   kFailedPrecondition  no repeat customer, one repeat customer, every repeat customer with
//                        the same mean spend, an optimum on the parameter box (the degenerate
//                        ridge p → ∞, γ → 0) or not converged; the message says which.
// Thread-safe (pure function).
Result<GammaGammaFit> FitGammaGamma(std::span<const CustomerRfm> customers,
                                    const GammaGammaFitOptions& options = {});
Result<GammaGammaFit> FitGammaGamma(const GammaGammaLikelihood& likelihood,
                                    const GammaGammaFitOptions& options = {});

// E[M | x, m] = (p (γ + x m)) / (p x + q − 1): the conditional expected mean transaction value,
// a weighted average of the population mean p γ / (q − 1) and the customer's own mean m.
// x = 0 gives the population mean. kFailedPrecondition when p x + q <= 1 (the mean does not
// exist, e.g. q <= 1 for a customer without repeat purchases); kInvalidArgument for x < 0, or
// m not positive and finite when x > 0.
Result<double> GammaGammaExpectedSpend(const GammaGammaParams& params, int64_t frequency,
                                       double monetary);

}  // namespace salesbox::analytics::clv

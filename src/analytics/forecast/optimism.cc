// SPDX-License-Identifier: MIT
// Design notes: the optimism index is the mean of the paired differences d_i = stated_i −
// outcome_i, which equals mean stated − win rate. Its interval is the one-sample t interval for
// the mean of d (deals taken as independent): exact under normal d and a good approximation for
// bounded d; the t quantile (Boost.Math) keeps small samples honest.
// Invariants: (1) optimism = mean_stated − win_rate; (2) lower <= optimism <= upper;
// (3) reps are grouped by id, so example order does not matter.
#include "analytics/forecast/optimism.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include <boost/math/distributions/students_t.hpp>

namespace salesbox::analytics::forecast {
namespace {

// Report errors through errno instead of throwing (salesbox code never throws); with n >= 2 the
// degrees of freedom are valid, so none are expected.
using NoThrowPolicy = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::errno_on_error>,
    boost::math::policies::overflow_error<boost::math::policies::errno_on_error>,
    boost::math::policies::evaluation_error<boost::math::policies::errno_on_error>>;

double TQuantile975(int64_t degrees_of_freedom) {
  const boost::math::students_t_distribution<double, NoThrowPolicy> t(
      static_cast<double>(degrees_of_freedom));
  return boost::math::quantile(t, 0.975);
}

struct Sums {
  int64_t n = 0;
  double stated = 0;
  double won = 0;
};

}  // namespace

Result<std::vector<RepOptimism>> OptimismByRep(std::span<const StatedOutcome> examples) {
  if (examples.empty()) return Status::InvalidArgument("optimism: no examples");
  std::map<int64_t, Sums> by_rep;
  for (size_t i = 0; i < examples.size(); ++i) {
    const StatedOutcome& e = examples[i];
    if (!(e.stated_probability >= 0 && e.stated_probability <= 1)) {
      return Status::InvalidArgument("optimism: example " + std::to_string(i) +
                                     ": stated probability is not a number in [0, 1]");
    }
    if (e.outcome != 0.0 && e.outcome != 1.0) {
      return Status::InvalidArgument("optimism: example " + std::to_string(i) +
                                     ": outcome is not 0 or 1");
    }
    Sums& sums = by_rep[e.rep];
    sums.n += 1;
    sums.stated += e.stated_probability;
    sums.won += e.outcome;
  }
  // Second pass for the spread of d around its mean (no cancellation as with Σd² − n·mean²).
  std::map<int64_t, double> squares;
  for (const StatedOutcome& e : examples) {
    const Sums& sums = by_rep[e.rep];
    const double mean = (sums.stated - sums.won) / static_cast<double>(sums.n);
    const double d = e.stated_probability - e.outcome - mean;
    squares[e.rep] += d * d;
  }
  std::vector<RepOptimism> out;
  out.reserve(by_rep.size());
  for (const auto& [rep, sums] : by_rep) {
    RepOptimism r;
    r.rep = rep;
    r.examples = sums.n;
    const double n = static_cast<double>(sums.n);
    r.mean_stated = sums.stated / n;
    r.win_rate = sums.won / n;
    r.optimism = (sums.stated - sums.won) / n;
    if (sums.n >= 2) {
      const double sd = std::sqrt(squares[rep] / (n - 1));
      const double half_width = TQuantile975(sums.n - 1) * sd / std::sqrt(n);
      r.interval = ConfidenceInterval{r.optimism - half_width, r.optimism + half_width};
    }
    out.push_back(r);
  }
  return out;
}

}  // namespace salesbox::analytics::forecast

// SPDX-License-Identifier: MIT
// BG/NBD: likelihood, maximum-likelihood fit and predictions.
//
// Design notes
//   Likelihood of one customer with x repeat purchases, last at t_x, observed for T (FHL 2005
//   eq. 6, with B(a+1, b+x−1)/B(a, b+x) = a/(b+x−1)):
//     ln L = A1 + A2 + ln(e^A3 + [x > 0] e^A4)
//     A1 = ln Γ(r+x) − ln Γ(r) + r ln α          A3 = −(r+x) ln(α+T)
//     A2 = ln B(a, b+x) − ln B(a, b)             A4 = ln a − ln(b+x−1) − (r+x) ln(α+t_x)
//   (1) With d = A4 − A3 the last term is A3 + softplus(d), and its derivatives are weighted by
//       w4 = sigmoid(d), w3 = 1 − w4: stable for any d. softplus(d) = max(d, 0) + ln(1 + e) with
//       e = e^−|d| <= 1; the ln(1 + e) of single-customer groups are summed as the log of their
//       product (internal::LogProduct), so a term costs one exp and no log.
//   (2) x is an integer, so ln Γ(r+x) − ln Γ(r) = Σ_{j<x} ln(r+j) and ψ(r+x) − ψ(r) =
//       Σ_{j<x} 1/(r+j); the same for b and a+b. These are accumulated once per evaluation along
//       the ascending distinct x (lgamma/digamma only across gaps wider than 64).
//   (3) Compression: t_x and T come from whole days, so many customers share (x, t_x, T); each
//       distinct triple is one weighted term, and ln(α+t), 1/(α+t) are computed once per distinct
//       time value. One pass computes the value and the gradient.
//   (4) Optimisation is on θ = ln(r, α, a, b), so the parameters stay positive, and on the MEAN
//       negative log-likelihood, so the scale of the objective and of its gradient does not grow
//       with the cohort (on the sum, quasi-Newton steps can overshoot into degenerate ridges).
//       ∂/∂θ_i = param_i · ∂/∂param_i.
//   (5) Several starts, scaled to the data's mean age, each screened to a relative change of
//       1e-4 (about half the evaluations of a full run); the best is polished and kept. An optimum
//       on the box |θ| = 20 means the data do not identify the model (e.g. b → ∞), which is
//       reported instead of returned.
//   (6) Predictions follow FHL 2005 eqs. 7, 8, 10; E[Y(t)|·] = P(alive) · (a+b+x−1)/(a−1) ·
//       [1 − ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x; a+b+x−1; t/(α+T+t))].
#include "analytics/clv/bg_nbd.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <string>

#include "analytics/clv/internal/compress.h"
#include "analytics/clv/internal/optimizer.h"
#include "analytics/clv/internal/special_functions.h"
#include "analytics/clv/internal/text.h"
#include "common/status_macros.h"

namespace salesbox::analytics::clv {
namespace {

using internal::Digamma;
using internal::LogGamma;

constexpr double kLogBound = 20.0;
constexpr double kConvergedGradient = 1e-4;

std::string Num(double v) { return internal::FormatNumber(v); }

std::string CustomerLabel(const CustomerRfm& c) { return "customer " + std::to_string(c.customer); }

Status CheckParams(const BgNbdParams& p) {
  for (double v : {p.r, p.alpha, p.a, p.b}) {
    if (!(v > 0) || !std::isfinite(v)) {
      return Status::InvalidArgument(
          "BG/NBD parameters must be positive and finite (r=" + Num(p.r) +
          ", alpha=" + Num(p.alpha) + ", a=" + Num(p.a) + ", b=" + Num(p.b) + ")");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<BgNbdLikelihood> BgNbdLikelihood::Create(std::span<const CustomerRfm> customers) {
  BgNbdLikelihood out;
  double age_sum = 0;
  for (const CustomerRfm& c : customers) {
    if (c.frequency < 0) {
      return Status::InvalidArgument(CustomerLabel(c) + ": frequency " +
                                     std::to_string(c.frequency) + " is negative");
    }
    if (!std::isfinite(c.recency) || !std::isfinite(c.age) || c.recency < 0 || c.age < 0) {
      return Status::InvalidArgument(CustomerLabel(c) + ": recency " + Num(c.recency) +
                                     " and age " + Num(c.age) + " must be finite and >= 0");
    }
    if (c.recency > c.age) {
      return Status::InvalidArgument(CustomerLabel(c) + ": recency " + Num(c.recency) +
                                     " is after the age " + Num(c.age));
    }
    if (c.frequency == 0 && c.recency != 0) {
      return Status::InvalidArgument(CustomerLabel(c) + ": recency " + Num(c.recency) +
                                     " with frequency 0 (must be 0)");
    }
    age_sum += c.age;
    out.max_age_ = std::max(out.max_age_, c.age);
    if (c.frequency > 0) ++out.repeat_customers_;
  }
  out.customers_ = static_cast<int64_t>(customers.size());
  out.mean_age_ = customers.empty() ? 0 : age_sum / static_cast<double>(customers.size());

  // Note (3): dense ids for distinct times and for distinct (x, t_x, T); then the groups are
  // laid out by ascending x.
  struct TimeHash {
    size_t operator()(uint64_t bits) const { return internal::Mix64(bits); }
  };
  struct Triple {
    int64_t x;
    int32_t recency_index, age_index;
    bool operator==(const Triple&) const = default;
  };
  struct TripleHash {
    size_t operator()(const Triple& t) const {
      return internal::Mix64(static_cast<uint64_t>(t.x) * 0x9E3779B97F4A7C15ULL ^
                             (static_cast<uint64_t>(t.recency_index) << 32) ^
                             static_cast<uint64_t>(t.age_index));
    }
  };
  internal::DenseIds<uint64_t, TimeHash> time_ids(customers.size());
  internal::DenseIds<Triple, TripleHash> triple_ids(customers.size());
  std::vector<double> counts;
  for (const CustomerRfm& c : customers) {
    // + 0.0 turns −0 into +0, so both get one id.
    const int32_t age_index = time_ids.IdOf(std::bit_cast<uint64_t>(c.age + 0.0));
    const int32_t recency_index =
        c.frequency > 0 ? time_ids.IdOf(std::bit_cast<uint64_t>(c.recency + 0.0)) : age_index;
    const size_t id = static_cast<size_t>(triple_ids.IdOf({c.frequency, recency_index, age_index}));
    if (id == counts.size()) counts.push_back(0);
    counts[id] += 1;
  }
  for (uint64_t bits : time_ids.keys()) out.times_.push_back(std::bit_cast<double>(bits));

  const std::vector<Triple>& triples = triple_ids.keys();
  std::vector<int64_t> x_of(triples.size());
  for (size_t i = 0; i < triples.size(); ++i) x_of[i] = triples[i].x;
  const internal::FrequencyLayout layout = internal::LayOutByFrequency(x_of);
  out.groups_.resize(triples.size());
  for (size_t i = 0; i < triples.size(); ++i) {
    out.groups_[layout.position[i]] = {triples[i].x, triples[i].recency_index, triples[i].age_index,
                                       counts[i]};
  }
  for (const internal::FrequencyLayout::Range& range : layout.ranges) {
    Block block{range.x, range.begin, range.end, 0};
    for (size_t i = range.begin; i < range.end; ++i) block.count += out.groups_[i].count;
    out.blocks_.push_back(block);
  }
  // Renumber the times in the order the groups use them, so an evaluation reads ln(α+t) and
  // 1/(α+t) nearly sequentially even when every customer has times of their own.
  std::vector<int32_t> renumbered(out.times_.size(), -1);
  std::vector<double> times;
  times.reserve(out.times_.size());
  auto renumber = [&](int32_t& index) {
    int32_t& to = renumbered[static_cast<size_t>(index)];
    if (to < 0) {
      to = static_cast<int32_t>(times.size());
      times.push_back(out.times_[static_cast<size_t>(index)]);
    }
    index = to;
  };
  for (Group& g : out.groups_) {
    renumber(g.age_index);
    renumber(g.recency_index);
  }
  out.times_ = std::move(times);
  return out;
}

double BgNbdLikelihood::MeanNegLogLikelihood(std::span<const double> log_params,
                                             std::span<double> gradient) const {
  const double r = std::exp(log_params[0]);
  const double alpha = std::exp(log_params[1]);
  const double a = std::exp(log_params[2]);
  const double b = std::exp(log_params[3]);
  const double log_alpha = log_params[1];
  const double log_a = log_params[2];

  // Note (3): ln(α+t) and 1/(α+t) per distinct time.
  thread_local std::vector<double> log_times, inv_times, d_of, e_of;
  log_times.resize(times_.size());
  inv_times.resize(times_.size());
  for (size_t u = 0; u < times_.size(); ++u) {
    const double s = alpha + times_[u];
    log_times[u] = std::log(s);
    inv_times[u] = 1.0 / s;
  }

  // Pass 1, the only libm calls per group: d = A4 − A3 and e = exp(−|d|) for groups with
  // x > 0, and ln(1 + e) for the few groups of several customers. Keeping the calls out of
  // pass 2 lets its accumulators live in registers (every xmm register is caller-saved).
  d_of.resize(groups_.size());
  e_of.resize(groups_.size());
  double log_shared = 0;  // Σ count · ln(1 + e) over groups with count != 1
  for (const Block& block : blocks_) {
    if (block.x == 0) continue;
    const double rx = r + static_cast<double>(block.x);
    const double c4 = log_a - std::log(b + static_cast<double>(block.x) - 1.0);
    for (size_t i = block.begin; i < block.end; ++i) {
      const Group& g = groups_[i];
      const double d = c4 - rx * (log_times[g.recency_index] - log_times[g.age_index]);
      const double e = std::exp(-std::fabs(d));
      d_of[i] = d;
      e_of[i] = e;
      if (g.count != 1.0) log_shared += g.count * std::log(1.0 + e);
    }
  }

  // Pass 2. Note (2): running Σ_{j<x} ln(·+j) and Σ 1/(·+j) for · = r, b, a+b.
  double lr = 0, dr = 0, lb = 0, db = 0, lab = 0, dab = 0;
  int64_t at_x = 0;
  double ll = log_shared, g_r = 0, g_alpha = 0, g_a = 0, g_b = 0;
  internal::LogProduct log_one_plus_e;  // Π (1 + e) over single-customer groups
  for (const Block& block : blocks_) {
    const int64_t x = block.x;
    if (x - at_x > 64) {
      const double dx = static_cast<double>(x);
      lr = LogGamma(r + dx) - LogGamma(r);
      dr = Digamma(r + dx) - Digamma(r);
      lb = LogGamma(b + dx) - LogGamma(b);
      db = Digamma(b + dx) - Digamma(b);
      lab = LogGamma(a + b + dx) - LogGamma(a + b);
      dab = Digamma(a + b + dx) - Digamma(a + b);
    } else {
      for (int64_t j = at_x; j < x; ++j) {
        const double dj = static_cast<double>(j);
        lr += std::log(r + dj);
        dr += 1.0 / (r + dj);
        lb += std::log(b + dj);
        db += 1.0 / (b + dj);
        lab += std::log(a + b + dj);
        dab += 1.0 / (a + b + dj);
      }
    }
    at_x = x;
    const double n = block.count;
    const double rx = r + static_cast<double>(x);
    ll += n * (lr + r * log_alpha + lb - lab);
    if (x == 0) {
      double sum_log = 0, sum_inv = 0;
      for (size_t i = block.begin; i < block.end; ++i) {
        const Group& g = groups_[i];
        sum_log += g.count * log_times[g.age_index];
        sum_inv += g.count * inv_times[g.age_index];
      }
      ll -= r * sum_log;
      g_r += n * log_alpha - sum_log;
      g_alpha += n * r / alpha - r * sum_inv;
      continue;
    }
    const double bx1 = b + static_cast<double>(x) - 1.0;
    double sum_term = 0, sum_log = 0, sum_inv = 0, sum_w4 = 0;
    for (size_t i = block.begin; i < block.end; ++i) {
      const Group& g = groups_[i];
      const double l_age = log_times[g.age_index];
      const double l_rec = log_times[g.recency_index];
      // Note (1): softplus(d) = max(d, 0) + ln(1 + e), w4 = sigmoid(d).
      const double d = d_of[i];
      const double e = e_of[i];
      const double one_plus_e = 1.0 + e;
      const double w4 = (d >= 0 ? 1.0 : e) / one_plus_e;
      const double w3 = 1.0 - w4;
      if (g.count == 1.0) log_one_plus_e.Multiply(one_plus_e);
      sum_term += g.count * ((d > 0 ? d : 0.0) - rx * l_age);
      sum_log += g.count * (w3 * l_age + w4 * l_rec);
      sum_inv += g.count * (w3 * inv_times[g.age_index] + w4 * inv_times[g.recency_index]);
      sum_w4 += g.count * w4;
    }
    ll += sum_term;
    g_r += n * (dr + log_alpha) - sum_log;
    g_alpha += n * r / alpha - rx * sum_inv;
    g_a += -n * dab + sum_w4 / a;
    g_b += n * (db - dab) - sum_w4 / bx1;
  }
  ll += log_one_plus_e.Log();
  const double inv_n = 1.0 / static_cast<double>(customers_);
  if (!gradient.empty()) {
    gradient[0] = -r * g_r * inv_n;
    gradient[1] = -alpha * g_alpha * inv_n;
    gradient[2] = -a * g_a * inv_n;
    gradient[3] = -b * g_b * inv_n;
  }
  return -ll * inv_n;
}

double BgNbdLikelihood::LogLikelihood(const BgNbdParams& p) const {
  if (customers_ == 0) return 0;
  const std::array<double, 4> theta = {std::log(p.r), std::log(p.alpha), std::log(p.a),
                                       std::log(p.b)};
  return -MeanNegLogLikelihood(theta) * static_cast<double>(customers_);
}

Result<BgNbdFit> FitBgNbd(std::span<const CustomerRfm> customers, const BgNbdFitOptions& options) {
  SB_ASSIGN_OR_RETURN(BgNbdLikelihood likelihood, BgNbdLikelihood::Create(customers));
  return FitBgNbd(likelihood, options);
}

Result<BgNbdFit> FitBgNbd(const BgNbdLikelihood& likelihood, const BgNbdFitOptions& options) {
  if (likelihood.customers() == 0) {
    return Status::FailedPrecondition("BG/NBD: no customers to fit");
  }
  if (likelihood.customers() == 1) {
    return Status::FailedPrecondition(
        "BG/NBD: one customer cannot identify the model's four parameters; need at least 2");
  }
  if (likelihood.max_age() == 0) {
    return Status::FailedPrecondition(
        "BG/NBD: every customer's age T is 0 (first purchase on the calibration end), so there "
        "is no observation time to fit");
  }
  if (likelihood.repeat_customers() == 0) {
    return Status::FailedPrecondition(
        "BG/NBD: no customer made a repeat purchase (all frequencies are 0), so the purchase "
        "and dropout rates cannot be estimated");
  }

  std::vector<BgNbdParams> starts = options.starts;
  if (starts.empty()) {
    const double m = likelihood.mean_age();
    starts = {{1.0, m, 1.0, 1.0},
              {0.1, 0.1 * m, 0.5, 5.0},
              {5.0, 5.0 * m, 5.0, 0.5},
              {0.5, 0.5 * m, 2.0, 2.0}};
  }
  std::vector<std::vector<double>> log_starts;
  for (const BgNbdParams& start : starts) {
    SB_RETURN_IF_ERROR(CheckParams(start));
    log_starts.push_back(
        {std::log(start.r), std::log(start.alpha), std::log(start.a), std::log(start.b)});
  }
  internal::Objective objective = [&likelihood](std::span<const double> x, std::span<double> g) {
    return likelihood.MeanNegLogLikelihood(x, g);
  };
  internal::LbfgsOptions lbfgs;
  lbfgs.lower = -kLogBound;
  lbfgs.upper = kLogBound;
  lbfgs.relative_tolerance = options.relative_tolerance;
  lbfgs.max_evaluations = options.max_evaluations_per_start;
  static constexpr const char* kNames[] = {"r", "alpha", "a", "b"};
  SB_ASSIGN_OR_RETURN(internal::MultiStartOutcome best,
                      internal::MinimizeMultiStart(objective, log_starts, lbfgs, kNames, "BG/NBD",
                                                   kConvergedGradient));
  BgNbdFit fit;
  fit.customers = likelihood.customers();
  fit.starts = best.starts;
  fit.evaluations = best.evaluations;
  fit.gradient_norm = best.gradient_norm;
  const std::vector<double>& best_x = best.x;
  const double value = best.value;
  fit.params = {std::exp(best_x[0]), std::exp(best_x[1]), std::exp(best_x[2]), std::exp(best_x[3])};
  fit.log_likelihood = -value * static_cast<double>(likelihood.customers());
  return fit;
}

double BgNbdProbabilityAlive(const BgNbdParams& p, int64_t frequency, double recency, double age) {
  if (frequency == 0) return 1.0;
  const double rx = p.r + static_cast<double>(frequency);
  const double d = std::log(p.a / (p.b + static_cast<double>(frequency) - 1.0)) +
                   rx * (std::log(p.alpha + age) - std::log(p.alpha + recency));
  // 1 / (1 + e^d)
  return d >= 0 ? std::exp(-d) / (1.0 + std::exp(-d)) : 1.0 / (1.0 + std::exp(d));
}

namespace {

Status CheckPredictionInput(const BgNbdParams& p, double t, int64_t frequency, double recency,
                            double age) {
  SB_RETURN_IF_ERROR(CheckParams(p));
  if (!(t >= 0) || !std::isfinite(t)) {
    return Status::InvalidArgument("BG/NBD: horizon " + Num(t) + " must be finite and >= 0");
  }
  if (frequency < 0 || !(recency >= 0) || !(age >= recency) || !std::isfinite(age)) {
    return Status::InvalidArgument("BG/NBD: need frequency >= 0 and 0 <= recency <= age, got " +
                                   std::to_string(frequency) + ", " + Num(recency) + ", " +
                                   Num(age));
  }
  return Status::Ok();
}

// (a+b+x−1)/(a−1) · [1 − (s/(s+t))^(r+x) 2F1(r+x, b+x; a+b+x−1; t/(s+t))], s = α+T (α for a
// new customer): the expectation before weighting by P(alive). REQUIRES: a != 1.
Result<double> ExpectationCore(const BgNbdParams& p, double t, int64_t frequency, double age) {
  const double x = static_cast<double>(frequency);
  const double c = p.a + p.b + x - 1.0;
  if (!(c > 0)) {
    return Status::FailedPrecondition("BG/NBD: expectation needs a + b + x > 1 (a=" + Num(p.a) +
                                      ", b=" + Num(p.b) + ", x=" + std::to_string(frequency) + ")");
  }
  if (t == 0) return 0.0;
  const double s = p.alpha + age;
  const double z = t / (s + t);
  SB_ASSIGN_OR_RETURN(double log_f, internal::LogHypergeometric2F1(p.r + x, p.b + x, c, z));
  const double bracket = -std::expm1((p.r + x) * std::log(s / (s + t)) + log_f);
  return c / (p.a - 1.0) * bracket;
}

// Removable singularity at a = 1: the mean of the two sides (error O(h²)).
Result<double> ExpectationNearA1(const BgNbdParams& p, double t, int64_t frequency, double age) {
  constexpr double kH = 1e-4;
  if (std::fabs(p.a - 1.0) >= kH) return ExpectationCore(p, t, frequency, age);
  BgNbdParams lo = p, hi = p;
  lo.a = 1.0 - kH;
  hi.a = 1.0 + kH;
  SB_ASSIGN_OR_RETURN(double e_lo, ExpectationCore(lo, t, frequency, age));
  SB_ASSIGN_OR_RETURN(double e_hi, ExpectationCore(hi, t, frequency, age));
  const double w = (p.a - lo.a) / (2 * kH);
  return (1 - w) * e_lo + w * e_hi;
}

}  // namespace

Result<double> BgNbdConditionalExpectedPurchases(const BgNbdParams& params, double t,
                                                 int64_t frequency, double recency, double age) {
  SB_RETURN_IF_ERROR(CheckPredictionInput(params, t, frequency, recency, age));
  SB_ASSIGN_OR_RETURN(double core, ExpectationNearA1(params, t, frequency, age));
  const double value = core * BgNbdProbabilityAlive(params, frequency, recency, age);
  if (!std::isfinite(value)) {
    return Status::FailedPrecondition("BG/NBD: conditional expectation is not finite");
  }
  return value;
}

Result<double> BgNbdExpectedPurchases(const BgNbdParams& params, double t) {
  SB_RETURN_IF_ERROR(CheckPredictionInput(params, t, 0, 0, 0));
  SB_ASSIGN_OR_RETURN(double value, ExpectationNearA1(params, t, 0, 0));
  if (!std::isfinite(value)) {
    return Status::FailedPrecondition("BG/NBD: expectation is not finite");
  }
  return value;
}

Result<double> BgNbdProbabilityOfPurchases(const BgNbdParams& p, double t, int64_t n) {
  SB_RETURN_IF_ERROR(CheckPredictionInput(p, t, 0, 0, 0));
  if (n < 0) return Status::InvalidArgument("BG/NBD: purchase count must be >= 0");
  if (t == 0) return n == 0 ? 1.0 : 0.0;
  const double dn = static_cast<double>(n);
  const double log_beta_ab = LogGamma(p.a) + LogGamma(p.b) - LogGamma(p.a + p.b);
  const double log_q = std::log(p.alpha / (p.alpha + t));  // ln of NBD "no purchase" odds
  const double log_z = std::log(t / (p.alpha + t));
  // NBD(r, α) pmf at j over (0, t]: Γ(r+j)/(Γ(r) j!) q^r z^j.
  auto log_nbd = [&](double j) {
    return LogGamma(p.r + j) - LogGamma(p.r) - LogGamma(j + 1) + p.r * log_q + j * log_z;
  };
  const double log_b1 = LogGamma(p.a) + LogGamma(p.b + dn) - LogGamma(p.a + p.b + dn) - log_beta_ab;
  double value = std::exp(log_b1 + log_nbd(dn));
  if (n > 0) {
    // P(NBD >= n): 1 − head when the head is small, else the tail summed directly.
    double head = 0;
    for (int64_t j = 0; j < n; ++j) head += std::exp(log_nbd(static_cast<double>(j)));
    double tail;
    if (head < 0.5) {
      tail = 1.0 - head;
    } else {
      const double z = t / (p.alpha + t);
      double term = std::exp(log_nbd(dn));
      tail = 0;
      for (int64_t j = n; j < n + 10'000'000; ++j) {
        tail += term;
        const double ratio = (p.r + static_cast<double>(j)) / static_cast<double>(j + 1) * z;
        term *= ratio;
        if (ratio < 1.0 && term / (1.0 - std::max(ratio, z)) <= 1e-17 * tail) break;
      }
    }
    const double log_b2 =
        LogGamma(p.a + 1) + LogGamma(p.b + dn - 1) - LogGamma(p.a + p.b + dn) - log_beta_ab;
    value += std::exp(log_b2) * tail;
  }
  if (!std::isfinite(value)) {
    return Status::FailedPrecondition("BG/NBD: P(X(t) = n) is not finite");
  }
  return value;
}

}  // namespace salesbox::analytics::clv

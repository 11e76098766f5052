// SPDX-License-Identifier: MIT
// CLV model fits (BG/NBD + Gamma-Gamma) on CDNOW and on synthetic cohorts, against a plain pass
// that sums the same log-likelihood terms once per customer, measured in the same run.
//
//   clv_bench [--customers=N] [--data=DIR] [benchmark flags]
//
// DIR holds CDNOW_sample.txt and cdnow_customers_summary_with_transactions.csv (default: the
// source tree's tests/data/cdnow). --customers sizes the synthetic cohort (default 1,000,000).
// The synthetic cohort is drawn (fixed seed) from the CDNOW estimates: a Q1 cohort with first
// purchases uniform over 90 days, purchases as Poisson(λ), λ ~ Gamma(0.243, 4.414/week), dropout
// after each repeat purchase with p ~ Beta(0.793, 2.426), values Gamma(6.25, ν) with
// ν ~ Gamma(3.74, 15.44), recorded as dated transactions in cents and summarised with
// SummarizeRfm (calibration end day 272, weeks) like real data. The "Continuous" cohort draws the
// same processes without dates or cents, the worst case for the likelihoods' compression.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "analytics/clv/bg_nbd.h"
#include "analytics/clv/clv_model.h"
#include "analytics/clv/gamma_gamma.h"
#include "analytics/clv/rfm.h"
#include "common/time.h"

namespace salesbox::analytics::clv {
namespace {

std::string g_data_dir = SALESBOX_SOURCE_DIR "/tests/data/cdnow";
int64_t g_customers = 1'000'000;

const std::vector<CustomerRfm>& Cdnow() {
  static const std::vector<CustomerRfm> rows = [] {
    std::vector<CustomerRfm> out;
    std::ifstream in(g_data_dir + "/cdnow_customers_summary_with_transactions.csv");
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      CustomerRfm c;
      char comma;
      std::istringstream fields(line);
      fields >> c.customer >> comma >> c.frequency >> comma >> c.recency >> comma >> c.age >>
          comma >> c.monetary;
      if (fields) out.push_back(c);
    }
    if (out.size() != 2357) {
      std::fprintf(stderr, "clv_bench: cannot read the CDNOW summary in %s\n", g_data_dir.c_str());
      std::exit(1);
    }
    return out;
  }();
  return rows;
}

std::vector<Transaction> SyntheticTransactions(int64_t customers) {
  std::mt19937_64 rng(20051001);
  std::gamma_distribution<double> rate(0.243, 1.0 / 4.414);  // per week
  std::gamma_distribution<double> beta_a(0.793, 1.0), beta_b(2.426, 1.0);
  std::gamma_distribution<double> nu(3.74, 1.0 / 15.44);
  std::uniform_int_distribution<int> first_day(0, 89);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const Date start = MakeDate(1997, 1, 1);
  constexpr int kEndDay = 272;  // 1997-09-30
  std::vector<Transaction> out;
  out.reserve(static_cast<size_t>(customers) * 3);
  for (int64_t id = 0; id < customers; ++id) {
    const double lambda = rate(rng);
    const double ga = beta_a(rng), gb = beta_b(rng);
    const double dropout = ga / (ga + gb);
    std::gamma_distribution<double> value(6.25, 1.0 / nu(rng));
    auto cents = [&] { return static_cast<int64_t>(std::llround(100 * value(rng))); };
    const int d0 = first_day(rng);
    out.push_back({id, start + std::chrono::days(d0), cents()});
    const double age_weeks = (kEndDay - d0) / 7.0;
    double t = 0;
    while (lambda > 0) {
      t += -std::log1p(-unit(rng)) / lambda;
      if (t > age_weeks) break;
      out.push_back({id, start + std::chrono::days(d0 + static_cast<int>(t * 7)), cents()});
      if (unit(rng) < dropout) break;
    }
  }
  return out;
}

const std::vector<Transaction>& SyntheticLog() {
  static const std::vector<Transaction> log = SyntheticTransactions(g_customers);
  return log;
}

// The worst case for compression: the same processes in continuous time and continuous spend
// (no dates, no cents), so no two customers share a term.
std::vector<CustomerRfm> SyntheticContinuous(int64_t customers) {
  std::mt19937_64 rng(19970101);
  std::gamma_distribution<double> rate(0.243, 1.0 / 4.414);
  std::gamma_distribution<double> beta_a(0.793, 1.0), beta_b(2.426, 1.0);
  std::gamma_distribution<double> nu(3.74, 1.0 / 15.44);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<CustomerRfm> out;
  out.reserve(static_cast<size_t>(customers));
  for (int64_t id = 0; id < customers; ++id) {
    const double lambda = rate(rng);
    const double ga = beta_a(rng), gb = beta_b(rng);
    const double dropout = ga / (ga + gb);
    std::gamma_distribution<double> value(6.25, 1.0 / nu(rng));
    CustomerRfm c;
    c.customer = id;
    c.age = (272.0 - 90.0 * unit(rng)) / 7.0;
    double t = 0, total = 0;
    while (lambda > 0) {
      t += -std::log1p(-unit(rng)) / lambda;
      if (t > c.age) break;
      ++c.frequency;
      c.recency = t;
      total += value(rng);
      if (unit(rng) < dropout) break;
    }
    c.monetary = c.frequency > 0 ? total / static_cast<double>(c.frequency) : 0.0;
    out.push_back(c);
  }
  return out;
}

const RfmOptions kSyntheticRfm{.calibration_end = MakeDate(1997, 9, 30),
                               .time_unit = TimeUnit::kWeek};

const std::vector<CustomerRfm>& Synthetic() {
  static const std::vector<CustomerRfm> rows = SummarizeRfm(SyntheticLog(), kSyntheticRfm);
  return rows;
}

// The baseline: one plain pass over every customer summing the BG/NBD and Gamma-Gamma
// log-likelihood terms with std::lgamma, no grouping, no gradient.
double PlainLogLikelihood(const std::vector<CustomerRfm>& customers, const BgNbdParams& bg,
                          const GammaGammaParams& gg) {
  const double r = bg.r, alpha = bg.alpha, a = bg.a, b = bg.b;
  const double p = gg.p, q = gg.q, gamma = gg.gamma;
  double ll = 0;
  for (const CustomerRfm& c : customers) {
    const double x = static_cast<double>(c.frequency);
    const double a1 = std::lgamma(r + x) - std::lgamma(r) + r * std::log(alpha);
    const double a2 =
        std::lgamma(a + b) + std::lgamma(b + x) - std::lgamma(b) - std::lgamma(a + b + x);
    const double a3 = -(r + x) * std::log(alpha + c.age);
    double term = std::exp(a3);
    if (c.frequency > 0) {
      term += a / (b + x - 1) * std::exp(-(r + x) * std::log(alpha + c.recency));
      const double m = c.monetary;
      ll += std::lgamma(p * x + q) - std::lgamma(p * x) - std::lgamma(q) + q * std::log(gamma) +
            (p * x - 1) * std::log(m) + p * x * std::log(x) - (p * x + q) * std::log(gamma + m * x);
    }
    ll += a1 + a2 + std::log(term);
  }
  return ll;
}

void ReportFits(benchmark::State& state, const BgNbdFit& bg, const GammaGammaFit& gg) {
  state.counters["r"] = bg.params.r;
  state.counters["alpha"] = bg.params.alpha;
  state.counters["a"] = bg.params.a;
  state.counters["b"] = bg.params.b;
  state.counters["bg_ll"] = bg.log_likelihood;
  state.counters["bg_evals"] = bg.evaluations;
  state.counters["p"] = gg.params.p;
  state.counters["q"] = gg.params.q;
  state.counters["gamma"] = gg.params.gamma;
  state.counters["gg_ll"] = gg.log_likelihood;
  state.counters["gg_evals"] = gg.evaluations;
  state.counters["gg_customers"] = static_cast<double>(gg.customers);
}

// Both fits from the RFM rows, as the CLI does: compression included.
void FitBoth(benchmark::State& state, const std::vector<CustomerRfm>& customers) {
  BgNbdFit bg;
  GammaGammaFit gg;
  for (auto _ : state) {
    Result<BgNbdFit> bg_fit = FitBgNbd(customers);
    Result<GammaGammaFit> gg_fit = FitGammaGamma(customers);
    if (!bg_fit.ok() || !gg_fit.ok()) {
      state.SkipWithError("fit failed");
      return;
    }
    bg = *bg_fit;
    gg = *gg_fit;
  }
  ReportFits(state, bg, gg);
}

void OnePass(benchmark::State& state, const std::vector<CustomerRfm>& customers) {
  // At the CDNOW estimates; the cost of a pass does not depend on where it is evaluated.
  const BgNbdParams bg{0.243, 4.414, 0.793, 2.426};
  const GammaGammaParams gg{6.25, 3.74, 15.44};
  double ll = 0;
  for (auto _ : state) {
    ll = PlainLogLikelihood(customers, bg, gg);
    benchmark::DoNotOptimize(ll);
  }
  state.counters["ll"] = ll;
}

void BM_CdnowFitBgNbdAndGammaGamma(benchmark::State& state) { FitBoth(state, Cdnow()); }
void BM_CdnowPlainLikelihoodPass(benchmark::State& state) { OnePass(state, Cdnow()); }

void BM_CdnowFitBgNbd(benchmark::State& state) {
  for (auto _ : state) {
    Result<BgNbdFit> fit = FitBgNbd(Cdnow());
    if (!fit.ok()) state.SkipWithError("fit failed");
    benchmark::DoNotOptimize(fit);
  }
}

void BM_CdnowFitGammaGamma(benchmark::State& state) {
  for (auto _ : state) {
    Result<GammaGammaFit> fit = FitGammaGamma(Cdnow());
    if (!fit.ok()) state.SkipWithError("fit failed");
    benchmark::DoNotOptimize(fit);
  }
}

// The pieces of a fit: compressing the rows, and one evaluation of value and gradient.
void BM_CdnowCompress(benchmark::State& state) {
  for (auto _ : state) {
    Result<BgNbdLikelihood> bg = BgNbdLikelihood::Create(Cdnow());
    Result<GammaGammaLikelihood> gg = GammaGammaLikelihood::Create(Cdnow());
    benchmark::DoNotOptimize(bg);
    benchmark::DoNotOptimize(gg);
  }
}

void BM_CdnowBgNbdEvaluation(benchmark::State& state) {
  const BgNbdLikelihood likelihood = *BgNbdLikelihood::Create(Cdnow());
  const double theta[4] = {std::log(0.243), std::log(4.414), std::log(0.793), std::log(2.426)};
  double gradient[4];
  for (auto _ : state) benchmark::DoNotOptimize(likelihood.MeanNegLogLikelihood(theta, gradient));
  state.counters["groups"] = static_cast<double>(likelihood.groups());
}

void BM_CdnowGammaGammaEvaluation(benchmark::State& state) {
  const GammaGammaLikelihood likelihood = *GammaGammaLikelihood::Create(Cdnow());
  const double theta[3] = {std::log(6.25), std::log(3.74), std::log(15.44)};
  double gradient[3];
  for (auto _ : state) benchmark::DoNotOptimize(likelihood.MeanNegLogLikelihood(theta, gradient));
  state.counters["groups"] = static_cast<double>(likelihood.groups());
}

// CLV of every CDNOW customer from fitted parameters: 12 monthly periods (52/12 weeks), 1% a
// month; 12 conditional expectations (a 2F1 series each) per customer.
void BM_CdnowCustomerValues(benchmark::State& state) {
  const BgNbdParams bg{0.243, 4.414, 0.793, 2.426};
  const GammaGammaParams gg{6.25, 3.74, 15.44};
  const ClvOptions options{.periods = 12, .period_length = 52.0 / 12, .discount_rate = 0.01};
  for (auto _ : state) {
    Result<std::vector<CustomerValue>> values = ComputeCustomerValues(Cdnow(), bg, gg, options);
    if (!values.ok()) state.SkipWithError("ComputeCustomerValues failed");
    benchmark::DoNotOptimize(values);
  }
}

void BM_SyntheticSummarizeRfm(benchmark::State& state) {
  const std::vector<Transaction>& log = SyntheticLog();
  for (auto _ : state) {
    std::vector<CustomerRfm> rows = SummarizeRfm(log, kSyntheticRfm);
    benchmark::DoNotOptimize(rows.data());
  }
  state.counters["transactions"] = static_cast<double>(log.size());
}

void BM_SyntheticFitBgNbdAndGammaGamma(benchmark::State& state) {
  const std::vector<CustomerRfm>& rows = Synthetic();
  FitBoth(state, rows);
  Result<BgNbdLikelihood> bg = BgNbdLikelihood::Create(rows);
  Result<GammaGammaLikelihood> gg = GammaGammaLikelihood::Create(rows);
  state.counters["customers"] = static_cast<double>(rows.size());
  state.counters["bg_groups"] = bg.ok() ? static_cast<double>(bg->groups()) : 0;
  state.counters["gg_groups"] = gg.ok() ? static_cast<double>(gg->groups()) : 0;
}

void BM_SyntheticPlainLikelihoodPass(benchmark::State& state) { OnePass(state, Synthetic()); }

const std::vector<CustomerRfm>& Continuous() {
  static const std::vector<CustomerRfm> rows = SyntheticContinuous(g_customers);
  return rows;
}

void BM_ContinuousFitBgNbdAndGammaGamma(benchmark::State& state) {
  const std::vector<CustomerRfm>& rows = Continuous();
  FitBoth(state, rows);
  Result<BgNbdLikelihood> bg = BgNbdLikelihood::Create(rows);
  state.counters["bg_groups"] = bg.ok() ? static_cast<double>(bg->groups()) : 0;
}

void BM_ContinuousPlainLikelihoodPass(benchmark::State& state) { OnePass(state, Continuous()); }

BENCHMARK(BM_CdnowFitBgNbdAndGammaGamma)->Unit(benchmark::kMicrosecond)->MinTime(2.0);
BENCHMARK(BM_CdnowPlainLikelihoodPass)->Unit(benchmark::kMicrosecond)->MinTime(2.0);
BENCHMARK(BM_CdnowFitBgNbd)->Unit(benchmark::kMicrosecond)->MinTime(1.0);
BENCHMARK(BM_CdnowFitGammaGamma)->Unit(benchmark::kMicrosecond)->MinTime(1.0);
BENCHMARK(BM_CdnowCompress)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_CdnowBgNbdEvaluation)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_CdnowGammaGammaEvaluation)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_CdnowCustomerValues)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SyntheticSummarizeRfm)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_SyntheticFitBgNbdAndGammaGamma)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_SyntheticPlainLikelihoodPass)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_ContinuousFitBgNbdAndGammaGamma)->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK(BM_ContinuousPlainLikelihoodPass)->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace
}  // namespace salesbox::analytics::clv

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--customers=", 0) == 0) {
      salesbox::analytics::clv::g_customers = std::atoll(arg.c_str() + 12);
    } else if (arg.rfind("--data=", 0) == 0) {
      salesbox::analytics::clv::g_data_dir = arg.substr(7);
    }
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

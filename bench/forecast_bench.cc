// SPDX-License-Identifier: MIT
// The evidence-based forecast's analytics core (src/analytics/forecast): the logistic win model
// fitted on 500,000 synthetic examples × 20 features, scoring 1,000,000 examples, and the Monte
// Carlo roll-up of 10,000 deals over 100,000 trials, each next to a baseline measured in the same
// run: one pass of plain summation over the same data (the feature matrix, the amounts). Ratios
// are printed at the end.
//
//   forecast_bench [benchmark flags]
//
// Synthetic data (fixed seeds): features are standard normals with per-column scale and offset
// (as amounts and day counts have), the label is Bernoulli(σ(η)) with η linear in half of the
// features; deals have amounts uniform in [1,000, 1,000,000] minor units, p_win uniform in
// [0.1, 0.9], p_slip uniform in [0, 0.3].
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "analytics/forecast/logistic.h"
#include "analytics/forecast/monte_carlo.h"

namespace salesbox::analytics::forecast {
namespace {

constexpr int64_t kFeatures = 20;
constexpr int64_t kTrainRows = 500'000;
constexpr int64_t kScoreRows = 1'000'000;
constexpr int64_t kDeals = 10'000;
constexpr int64_t kTrials = 100'000;

struct Examples {
  std::vector<double> x;
  std::vector<double> y;
};

Examples MakeExamples(int64_t rows, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform;
  Examples e;
  e.x.resize(rows * kFeatures);
  e.y.resize(rows);
  for (int64_t i = 0; i < rows; ++i) {
    double eta = -0.5;
    for (int64_t j = 0; j < kFeatures; ++j) {
      const double z = normal(rng);
      e.x[i * kFeatures + j] = 3.0 * j + (1.0 + 10.0 * j) * z;
      if (j % 2 == 0) eta += (j % 4 == 0 ? 0.4 : -0.3) * z;
    }
    e.y[i] = uniform(rng) < Sigmoid(eta) ? 1 : 0;
  }
  return e;
}

const Examples& Training() {
  static const Examples e = MakeExamples(kTrainRows, 1);
  return e;
}
const Examples& Scoring() {
  static const Examples e = MakeExamples(kScoreRows, 2);
  return e;
}
const LogisticModel& Model() {
  static const LogisticModel model = [] {
    const Examples& e = Training();
    Result<LogisticModel> fit = FitLogistic(FeatureMatrix{e.x, kTrainRows, kFeatures}, e.y);
    if (!fit.ok()) {
      std::fprintf(stderr, "forecast_bench: %s\n", fit.status().ToString().c_str());
      std::exit(1);
    }
    return *fit;
  }();
  return model;
}
const std::vector<Deal>& Deals() {
  static const std::vector<Deal> deals = [] {
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> uniform;
    std::vector<Deal> out;
    for (int64_t i = 0; i < kDeals; ++i) {
      out.push_back({static_cast<int64_t>(1000 + uniform(rng) * 999'000), 0.1 + 0.8 * uniform(rng),
                     0.3 * uniform(rng), static_cast<uint64_t>(i + 1)});
    }
    return out;
  }();
  return deals;
}

double Sum(const std::vector<double>& values) {
  double sum = 0;
  for (double v : values) sum += v;
  return sum;
}

void BM_TrainingMatrixSum(benchmark::State& state) {
  const Examples& e = Training();
  for (auto _ : state) benchmark::DoNotOptimize(Sum(e.x));
  state.counters["values"] = static_cast<double>(e.x.size());
}

void BM_FitLogistic(benchmark::State& state) {
  const Examples& e = Training();
  int iterations = 0;
  for (auto _ : state) {
    Result<LogisticModel> fit = FitLogistic(FeatureMatrix{e.x, kTrainRows, kFeatures}, e.y);
    if (!fit.ok()) state.SkipWithError(fit.status().ToString().c_str());
    iterations = fit.ok() ? fit->iterations : 0;
    benchmark::DoNotOptimize(fit);
  }
  state.counters["newton_iterations"] = iterations;
}

void BM_ScoringMatrixSum(benchmark::State& state) {
  const Examples& e = Scoring();
  for (auto _ : state) benchmark::DoNotOptimize(Sum(e.x));
  state.counters["values"] = static_cast<double>(e.x.size());
}

void BM_PredictProbabilities(benchmark::State& state) {
  const Examples& e = Scoring();
  const LogisticModel& model = Model();
  std::vector<double> out(kScoreRows);
  for (auto _ : state) {
    Status status = PredictProbabilities(model, FeatureMatrix{e.x, kScoreRows, kFeatures}, out);
    if (!status.ok()) state.SkipWithError(status.ToString().c_str());
    benchmark::DoNotOptimize(out.data());
  }
}

void BM_AmountSum(benchmark::State& state) {
  const std::vector<Deal>& deals = Deals();
  for (auto _ : state) {
    int64_t sum = 0;
    for (const Deal& d : deals) sum += d.amount_minor;
    benchmark::DoNotOptimize(sum);
  }
}

// A second, stricter baseline: the same plain sum repeated once per trial (10⁹ additions),
// the floor for any simulation that touches every deal in every trial.
void BM_AmountSumPerTrial(benchmark::State& state) {
  const std::vector<Deal>& deals = Deals();
  std::vector<int64_t> amounts;
  for (const Deal& d : deals) amounts.push_back(d.amount_minor);
  for (auto _ : state) {
    int64_t total = 0;
    for (int64_t t = 0; t < kTrials; ++t) {
      int64_t sum = 0;
      for (int64_t a : amounts) sum += a;
      benchmark::DoNotOptimize(sum);
      total += sum;
    }
    benchmark::DoNotOptimize(total);
  }
}

void BM_MonteCarlo(benchmark::State& state) {
  const std::vector<Deal>& deals = Deals();
  MonteCarloOptions options;
  options.trials = kTrials;
  for (auto _ : state) {
    Result<MonteCarloForecast> mc = SimulateForecast(deals, options);
    if (!mc.ok()) state.SkipWithError(mc.status().ToString().c_str());
    benchmark::DoNotOptimize(mc);
  }
}

// The same with per-rep totals (50 reps) from the same trials.
void BM_MonteCarloWith50Reps(benchmark::State& state) {
  const std::vector<Deal>& deals = Deals();
  std::vector<int32_t> reps(deals.size());
  for (size_t i = 0; i < reps.size(); ++i) reps[i] = static_cast<int32_t>(i % 50);
  const DealGrouping grouping{reps, 50};
  MonteCarloOptions options;
  options.trials = kTrials;
  for (auto _ : state) {
    Result<MonteCarloForecast> mc = SimulateForecast(deals, options, {&grouping, 1});
    if (!mc.ok()) state.SkipWithError(mc.status().ToString().c_str());
    benchmark::DoNotOptimize(mc);
  }
}

// A page made again after a write: the kept simulation of the same deals with one deal's
// probability changed per iteration (the server's path; compare with BM_MonteCarlo).
void BM_KeptSimulationOneDealChanged(benchmark::State& state) {
  std::vector<Deal> deals = Deals();
  Result<KeptSimulation> kept = KeptSimulation::Create(kTrials, 1, 1);
  if (!kept.ok() || !kept->Assign(deals).ok()) state.SkipWithError("kept simulation");
  size_t i = 0;
  for (auto _ : state) {
    Deal& d = deals[(i++ * 7919) % deals.size()];
    d.p_win = d.p_win > 0.5 ? d.p_win - 0.3 : d.p_win + 0.3;
    Status status = kept->Assign(deals);
    if (!status.ok()) state.SkipWithError(status.ToString().c_str());
    benchmark::DoNotOptimize(kept->CumulativeSummaries());
  }
}

BENCHMARK(BM_TrainingMatrixSum)->Unit(benchmark::kMillisecond)->Iterations(20);
BENCHMARK(BM_FitLogistic)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_ScoringMatrixSum)->Unit(benchmark::kMillisecond)->Iterations(20);
BENCHMARK(BM_PredictProbabilities)->Unit(benchmark::kMillisecond)->Iterations(10);
BENCHMARK(BM_AmountSum)->Unit(benchmark::kMicrosecond)->MinTime(0.5);
BENCHMARK(BM_AmountSumPerTrial)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_MonteCarlo)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_MonteCarloWith50Reps)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_KeptSimulationOneDealChanged)->Unit(benchmark::kMillisecond)->Iterations(20);

// Collects real times per benchmark so the ratios to the baselines can be printed at the end.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      // Seconds per iteration (GetAdjustedRealTime is in each benchmark's display unit).
      const double n = static_cast<double>(run.iterations);
      times_[run.benchmark_name()] = {run.real_accumulated_time / n, run.cpu_accumulated_time / n};
    }
    ConsoleReporter::ReportRuns(runs);
  }
  void PrintRatios() const {
    std::printf("\nRatios per iteration (real time; CPU time, steadier on a busy machine):\n");
    Ratio("BM_FitLogistic", "BM_TrainingMatrixSum");
    Ratio("BM_PredictProbabilities", "BM_ScoringMatrixSum");
    Ratio("BM_MonteCarlo", "BM_AmountSum");
    Ratio("BM_MonteCarlo", "BM_AmountSumPerTrial");
    Ratio("BM_MonteCarloWith50Reps", "BM_AmountSumPerTrial");
    Ratio("BM_KeptSimulationOneDealChanged", "BM_MonteCarlo");
  }

 private:
  struct Times {
    double real = 0;
    double cpu = 0;
  };
  Times Find(const std::string& prefix) const {
    for (const auto& [name, times] : times_) {
      if (name.rfind(prefix + "/", 0) == 0 || name == prefix) return times;
    }
    return {};
  }
  void Ratio(const std::string& a, const std::string& b) const {
    const Times ta = Find(a), tb = Find(b);
    if (ta.real > 0 && tb.real > 0 && tb.cpu > 0) {
      std::printf("  %-26s / %-22s = %10.3g real, %10.3g cpu\n", a.c_str(), b.c_str(),
                  ta.real / tb.real, ta.cpu / tb.cpu);
    }
  }
  std::map<std::string, Times> times_;
};

}  // namespace
}  // namespace salesbox::analytics::forecast

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  salesbox::analytics::forecast::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintRatios();
  benchmark::Shutdown();
  return 0;
}

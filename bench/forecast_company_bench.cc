// SPDX-License-Identifier: MIT
// The forecast over a whole company (issue 5's bar: the --scale 100 demo, ~1M opportunities),
// against one pass of plain summation over the same facts in the same run:
//
//   SALESBOX_BENCH_DB=/path/demo100.db SALESBOX_BENCH_AS_OF=2025-06-02 forecast_company_bench
//
//   BM_ForecastLoad        read the facts (one pass per table; the answers on a second
//                          connection beside the activities), file in the page cache
//   BM_ForecastTrain       build every month-start snapshot of the closed deals, fit the
//                          logistic model and the calibration (facts in memory)
//   BM_ForecastWarm        the full forecast with the facts in memory: train, score every open
//                          deal with its factors, roll up per currency, team and rep with
//                          100,000 Monte Carlo trials, the weekly fan, the optimism per rep
//   BM_ForecastScoreRollup the same with a trained model: score and roll up only
//   BM_SumBaseline         one pass of plain summation over the same facts: every deal's amount,
//                          every history row's amount, every activity's and answer's day
// Peak RSS is reported as a counter (max_rss_mb).
#include <sys/resource.h>

#include <cstdlib>
#include <memory>
#include <string>

#include <benchmark/benchmark.h>

#include "bench_db.h"
#include "service/forecast.h"
#include "storage/open_store.h"

namespace salesbox {
namespace {

using bench::DbPath;
using bench::MaxRssMb;
Date AsOf() { return bench::AsOf("2025-06-02"); }

// The facts, loaded once for the benchmarks that start from memory.
const service::ForecastData* Facts(benchmark::State& state) {
  static std::unique_ptr<service::ForecastData> facts;
  if (facts) return facts.get();
  if (DbPath().empty()) {
    state.SkipWithError("set SALESBOX_BENCH_DB to a demo database (salesbox demo --scale 100)");
    return nullptr;
  }
  Result<std::unique_ptr<storage::Store>> store = storage::OpenStore(DbPath());
  if (!store.ok()) {
    state.SkipWithError(store.status().ToString().c_str());
    return nullptr;
  }
  Result<service::ForecastData> data = service::LoadForecastData(**store);
  if (!data.ok()) {
    state.SkipWithError(data.status().ToString().c_str());
    return nullptr;
  }
  facts = std::make_unique<service::ForecastData>(*std::move(data));
  return facts.get();
}

void BM_ForecastLoad(benchmark::State& state) {
  if (Facts(state) == nullptr) return;  // also brings the file into the page cache
  Result<std::unique_ptr<storage::Store>> store = storage::OpenStore(DbPath());
  if (!store.ok()) return state.SkipWithError(store.status().ToString().c_str());
  Result<std::unique_ptr<storage::Store>> second = storage::OpenStore(DbPath());
  size_t deals = 0;
  for (auto _ : state) {
    Result<service::ForecastData> data =
        service::LoadForecastData(**store, second.ok() ? second->get() : nullptr);
    if (!data.ok()) return state.SkipWithError(data.status().ToString().c_str());
    deals = data->deals.size();
  }
  state.counters["deals"] = static_cast<double>(deals);
  state.counters["max_rss_mb"] = MaxRssMb();
}
BENCHMARK(BM_ForecastLoad)->Unit(benchmark::kMillisecond)->Iterations(2)->UseRealTime();

void BM_ForecastTrain(benchmark::State& state) {
  const service::ForecastData* data = Facts(state);
  if (data == nullptr) return;
  service::TrainOptions options;
  options.cutoff = service::internal::ToDay(AsOf());
  for (auto _ : state) {
    Result<service::ForecastModel> model = service::TrainForecast(*data, options);
    if (!model.ok()) return state.SkipWithError(model.status().ToString().c_str());
    state.counters["examples"] = static_cast<double>(model->examples);
    state.counters["fitted"] = static_cast<double>(model->sampled_examples);
  }
  state.counters["max_rss_mb"] = MaxRssMb();
}
BENCHMARK(BM_ForecastTrain)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

void BM_ForecastWarm(benchmark::State& state) {
  const service::ForecastData* data = Facts(state);
  if (data == nullptr) return;
  service::ForecastRequest request;
  request.as_of = AsOf();
  for (auto _ : state) {
    Result<service::Forecast> f = service::RunForecast(*data, request);
    if (!f.ok()) return state.SkipWithError(f.status().ToString().c_str());
    state.counters["open_deals"] = static_cast<double>(f->deals.size());
    benchmark::DoNotOptimize(f->totals);
  }
  state.counters["max_rss_mb"] = MaxRssMb();
}
BENCHMARK(BM_ForecastWarm)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

void BM_ForecastScoreRollup(benchmark::State& state) {
  const service::ForecastData* data = Facts(state);
  if (data == nullptr) return;
  service::ForecastRequest request;
  request.as_of = AsOf();
  service::TrainOptions options;
  options.cutoff = service::internal::ToDay(AsOf());
  Result<service::ForecastModel> model = service::TrainForecast(*data, options);
  if (!model.ok()) return state.SkipWithError(model.status().ToString().c_str());
  request.model = &*model;
  for (auto _ : state) {
    Result<service::Forecast> f = service::RunForecast(*data, request);
    if (!f.ok()) return state.SkipWithError(f.status().ToString().c_str());
    benchmark::DoNotOptimize(f->totals);
  }
}
BENCHMARK(BM_ForecastScoreRollup)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

void BM_SumBaseline(benchmark::State& state) {
  const service::ForecastData* data = Facts(state);
  if (data == nullptr) return;
  for (auto _ : state) {
    int64_t sum = 0;
    for (const service::ForecastDealFacts& d : data->deals) sum += d.amount.minor_units;
    for (const service::ForecastChange& c : data->changes) sum += c.amount_minor;
    for (const service::ForecastActivity& a : data->activities) sum += a.day;
    for (const service::ForecastAnswer& a : data->answers) sum += a.day;
    benchmark::DoNotOptimize(sum);
  }
}
BENCHMARK(BM_SumBaseline)->Unit(benchmark::kMillisecond)->Iterations(5)->UseRealTime();

}  // namespace
}  // namespace salesbox

BENCHMARK_MAIN();

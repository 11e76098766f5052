// SPDX-License-Identifier: MIT
// The audit over a whole company (issue 4's bar: the --scale 100 demo, ~1M opportunities and
// ~10M activities), against a plain SQL GROUP BY pass over the same tables in the same run:
//
//   SALESBOX_BENCH_DB=/path/demo100.db SALESBOX_BENCH_AS_OF=2025-06-30 audit_bench
//
//   BM_AuditCold        open the database, gather the facts (one pass per table), audit,
//                       consolidate; the database file's pages are dropped from the OS page
//                       cache first (posix_fadvise DONTNEED), so it reads from disk
//   BM_AuditLoadWarm    the same with the file in the page cache
//   BM_AuditWarm        audit and consolidate facts already in memory (what the server does
//                       while the data is unchanged)
//   BM_GroupByBaseline  plain SQL: activities per deal (count, last completed), contacts per
//                       account and role, orders per account, open pipeline per stage: the
//                       tables the audit reads, once each, grouped by SQLite itself
// Peak RSS is reported as a counter (max_rss_mb) after each benchmark.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include <benchmark/benchmark.h>

#include "analytics/audit/audit.h"
#include "bench_db.h"
#include "service/pipeline_audit.h"
#include "storage/open_store.h"

namespace salesbox {
namespace {

using bench::DbPath;
using bench::MaxRssMb;
Date AsOf() { return bench::AsOf("2025-06-30"); }

void DropFromPageCache(const std::string& path) {
  for (const char* suffix : {"", "-wal"}) {
    int fd = ::open((path + suffix).c_str(), O_RDONLY);
    if (fd < 0) continue;
    ::fdatasync(fd);
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    ::close(fd);
  }
}

bool Skip(benchmark::State& state) {
  if (DbPath().empty()) {
    state.SkipWithError("set SALESBOX_BENCH_DB to a demo database (salesbox demo --scale 100)");
    return true;
  }
  return false;
}

void RunOnce(benchmark::State& state) {
  Result<std::unique_ptr<storage::Store>> store = storage::OpenStore(DbPath());
  if (!store.ok()) {
    state.SkipWithError(store.status().ToString().c_str());
    return;
  }
  Result<std::unique_ptr<storage::Store>> second = storage::OpenStore(DbPath());
  Result<std::shared_ptr<const service::AuditData>> data =
      service::LoadAuditData(**store, AsOf(), second.ok() ? second->get() : nullptr);
  if (!data.ok()) {
    state.SkipWithError(data.status().ToString().c_str());
    return;
  }
  Result<service::AuditOutcome> outcome =
      service::RunAudit(**store, *data, service::AuditScope{}, "company");
  if (!outcome.ok()) {
    state.SkipWithError(outcome.status().ToString().c_str());
    return;
  }
  state.counters["items"] = static_cast<double>(outcome->items.size());
  state.counters["opportunities"] = static_cast<double>((*data)->input.opportunities.size());
}

void BM_AuditCold(benchmark::State& state) {
  if (Skip(state)) return;
  for (auto _ : state) {
    state.PauseTiming();
    DropFromPageCache(DbPath());
    state.ResumeTiming();
    RunOnce(state);
    if (state.error_occurred()) break;
  }
  state.counters["max_rss_mb"] = MaxRssMb();
}
BENCHMARK(BM_AuditCold)->Unit(benchmark::kMillisecond)->Iterations(2)->UseRealTime();

void BM_AuditLoadWarm(benchmark::State& state) {
  if (Skip(state)) return;
  RunOnce(state);  // bring the file into the page cache
  for (auto _ : state) {
    if (state.error_occurred()) break;
    RunOnce(state);
  }
  state.counters["max_rss_mb"] = MaxRssMb();
}
BENCHMARK(BM_AuditLoadWarm)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

void BM_AuditWarm(benchmark::State& state) {
  if (Skip(state)) return;
  Result<std::unique_ptr<storage::Store>> store = storage::OpenStore(DbPath());
  if (!store.ok()) return state.SkipWithError(store.status().ToString().c_str());
  Result<std::shared_ptr<const service::AuditData>> data = service::LoadAuditData(**store, AsOf());
  if (!data.ok()) return state.SkipWithError(data.status().ToString().c_str());
  size_t items = 0;
  for (auto _ : state) {
    Result<service::AuditOutcome> outcome =
        service::RunAudit(**store, *data, service::AuditScope{}, "company");
    if (!outcome.ok()) return state.SkipWithError(outcome.status().ToString().c_str());
    items = outcome->items.size();
    benchmark::DoNotOptimize(outcome->report.summary);
  }
  state.counters["items"] = static_cast<double>(items);
  state.counters["max_rss_mb"] = MaxRssMb();
}
BENCHMARK(BM_AuditWarm)->Unit(benchmark::kMillisecond)->Iterations(5)->UseRealTime();

void BM_GroupByBaseline(benchmark::State& state) {
  if (Skip(state)) return;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(DbPath().c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    state.SkipWithError("cannot open the database");
    return;
  }
  const char* kQueries[] = {
      "SELECT opportunity_id, count(*), max(at) FROM activities WHERE status = 'completed' "
      "GROUP BY opportunity_id",
      "SELECT account_id, buying_role, count(*), max(relationship_strength) FROM contacts "
      "GROUP BY account_id, buying_role",
      "SELECT account_id, count(*), sum(margin_minor), max(ordered_on) FROM orders "
      "GROUP BY account_id",
      "SELECT stage, count(*), sum(amount_minor) FROM opportunities GROUP BY stage",
  };
  int64_t rows = 0;
  for (auto _ : state) {
    rows = 0;
    for (const char* sql : kQueries) {
      sqlite3_stmt* stmt = nullptr;
      sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
      while (sqlite3_step(stmt) == SQLITE_ROW) ++rows;
      sqlite3_finalize(stmt);
    }
  }
  sqlite3_close(db);
  state.counters["groups"] = static_cast<double>(rows);
  state.counters["max_rss_mb"] = MaxRssMb();
}
BENCHMARK(BM_GroupByBaseline)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

}  // namespace
}  // namespace salesbox

BENCHMARK_MAIN();

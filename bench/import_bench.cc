// SPDX-License-Identifier: MIT
// Opportunity CSV import rate (parse, validate, resolve references, upsert by external id, one
// transaction) against a raw SQLite prepared-insert loop writing the same rows, already parsed,
// into the same table of the same kind of database, in the same run; and the import of the same
// rows from an XLSX workbook (written by libxlsxwriter as Excel does: shared strings, dates as
// serial numbers in a date format, amounts and probabilities as numbers).
//
//   import_bench [--rows=N] [benchmark flags]
//
// Both write a file database in WAL mode with synchronous=NORMAL and a 64 MiB page cache, as
// `salesbox` runs it.
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <xlsxwriter.h>

#include "common/time.h"
#include "service/transfer.h"
#include "storage/open_store.h"

namespace salesbox {
namespace {

int64_t g_rows = 200000;
constexpr int kAccounts = 2000;

struct Row {
  std::string external_id, name, stage, currency, created_on, close_on, next_step, category;
  int64_t account_index, amount_minor;
  double probability;
};

const std::vector<Row>& Rows() {
  static std::vector<Row> rows = [] {
    static const char* kStages[] = {"qualify", "discover", "propose", "negotiate", "commit"};
    static const char* kCategories[] = {"pipeline", "best_case", "commit"};
    std::vector<Row> out;
    out.reserve(g_rows);
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    for (int64_t i = 0; i < g_rows; ++i) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      int stage = static_cast<int>(x % 5);
      char date[16], close[16];
      std::snprintf(date, sizeof(date), "2025-%02d-%02d", static_cast<int>(x % 12) + 1,
                    static_cast<int>((x >> 8) % 28) + 1);
      std::snprintf(close, sizeof(close), "2026-%02d-%02d", static_cast<int>((x >> 16) % 12) + 1,
                    static_cast<int>((x >> 24) % 28) + 1);
      out.push_back(Row{"OPP-" + std::to_string(i), "Deal number " + std::to_string(i),
                        kStages[stage], "DKK", date, close, "Call the buyer",
                        kCategories[(x >> 32) % 3], static_cast<int64_t>((x >> 40) % kAccounts),
                        static_cast<int64_t>((x >> 20) % 100000000), 0.1 + 0.2 * stage});
    }
    return out;
  }();
  return rows;
}

const std::string& CsvFile() {
  static std::string path = [] {
    std::string p = (std::filesystem::temp_directory_path() / "salesbox_bench_opps.csv").string();
    std::ofstream out(p, std::ios::binary);
    out << "external_id,account,name,stage,amount,currency,probability,created_date,close_date,"
           "next_step,forecast_category\n";
    for (const Row& r : Rows()) {
      out << r.external_id << ",ACC-" << r.account_index << "," << r.name << "," << r.stage << ","
          << r.amount_minor / 100 << "." << (r.amount_minor % 100) / 10 << r.amount_minor % 10
          << "," << r.currency << "," << r.probability << "," << r.created_on << "," << r.close_on
          << "," << r.next_step << "," << r.category << "\n";
    }
    return p;
  }();
  return path;
}

const std::string& XlsxFile() {
  static std::string path = [] {
    std::string p = (std::filesystem::temp_directory_path() / "salesbox_bench_opps.xlsx").string();
    lxw_workbook* book = workbook_new(p.c_str());
    lxw_worksheet* sheet = workbook_add_worksheet(book, "Opportunities");
    lxw_format* date = workbook_add_format(book);
    format_set_num_format(date, "yyyy-mm-dd");
    const char* header[] = {
        "external_id", "account",      "name",       "stage",     "amount",           "currency",
        "probability", "created_date", "close_date", "next_step", "forecast_category"};
    for (int c = 0; c < 11; ++c) worksheet_write_string(sheet, 0, c, header[c], nullptr);
    auto day = [](const std::string& iso) {
      return lxw_datetime{std::atoi(iso.substr(0, 4).c_str()),
                          std::atoi(iso.substr(5, 2).c_str()),
                          std::atoi(iso.substr(8, 2).c_str()),
                          0,
                          0,
                          0};
    };
    lxw_row_t row = 1;
    for (const Row& r : Rows()) {
      const std::string account = "ACC-" + std::to_string(r.account_index);
      worksheet_write_string(sheet, row, 0, r.external_id.c_str(), nullptr);
      worksheet_write_string(sheet, row, 1, account.c_str(), nullptr);
      worksheet_write_string(sheet, row, 2, r.name.c_str(), nullptr);
      worksheet_write_string(sheet, row, 3, r.stage.c_str(), nullptr);
      worksheet_write_number(sheet, row, 4, static_cast<double>(r.amount_minor) / 100, nullptr);
      worksheet_write_string(sheet, row, 5, r.currency.c_str(), nullptr);
      worksheet_write_number(sheet, row, 6, r.probability, nullptr);
      lxw_datetime created = day(r.created_on), close = day(r.close_on);
      worksheet_write_datetime(sheet, row, 7, &created, date);
      worksheet_write_datetime(sheet, row, 8, &close, date);
      worksheet_write_string(sheet, row, 9, r.next_step.c_str(), nullptr);
      worksheet_write_string(sheet, row, 10, r.category.c_str(), nullptr);
      ++row;
    }
    if (workbook_close(book) != LXW_NO_ERROR) std::abort();
    return p;
  }();
  return path;
}

// A fresh file database with the schema and the accounts the rows refer to.
std::string FreshDatabase() {
  std::string path = (std::filesystem::temp_directory_path() / "salesbox_bench.db").string();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  auto store = storage::OpenStore(path);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    std::abort();
  }
  Status status = (*store)->Transact([](storage::Store& s) {
    for (int i = 0; i < kAccounts; ++i) {
      Account account;
      account.external_id = "ACC-" + std::to_string(i);
      account.name = "Account " + std::to_string(i);
      Result<AccountId> id = s.accounts().Insert(account);
      if (!id.ok()) return id.status();
    }
    return Status::Ok();
  });
  if (!status.ok()) std::abort();
  return path;
}

void BM_RawSqliteInsert(benchmark::State& state) {
  const std::vector<Row>& rows = Rows();
  for (auto _ : state) {
    state.PauseTiming();
    std::string path = FreshDatabase();
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_exec(db,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                 "PRAGMA cache_size=-65536;",
                 nullptr, nullptr, nullptr);
    state.ResumeTiming();
    sqlite3_stmt* insert = nullptr;
    sqlite3_prepare_v2(db,
                       "INSERT INTO opportunities (external_id, account_id, name, stage, "
                       "amount_minor, amount_currency, probability, created_on, close_on, "
                       "next_step, forecast_category, product_lines, competitors, reason, "
                       "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
                       "?11, '', '', '', ?12, ?12)",
                       -1, &insert, nullptr);
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    for (const Row& r : rows) {
      sqlite3_bind_text(insert, 1, r.external_id.data(), static_cast<int>(r.external_id.size()),
                        SQLITE_STATIC);
      sqlite3_bind_int64(insert, 2, r.account_index + 1);
      sqlite3_bind_text(insert, 3, r.name.data(), static_cast<int>(r.name.size()), SQLITE_STATIC);
      sqlite3_bind_text(insert, 4, r.stage.data(), static_cast<int>(r.stage.size()), SQLITE_STATIC);
      sqlite3_bind_int64(insert, 5, r.amount_minor);
      sqlite3_bind_text(insert, 6, r.currency.data(), 3, SQLITE_STATIC);
      sqlite3_bind_double(insert, 7, r.probability);
      sqlite3_bind_text(insert, 8, r.created_on.data(), 10, SQLITE_STATIC);
      sqlite3_bind_text(insert, 9, r.close_on.data(), 10, SQLITE_STATIC);
      sqlite3_bind_text(insert, 10, r.next_step.data(), static_cast<int>(r.next_step.size()),
                        SQLITE_STATIC);
      sqlite3_bind_text(insert, 11, r.category.data(), static_cast<int>(r.category.size()),
                        SQLITE_STATIC);
      sqlite3_bind_text(insert, 12, "2025-03-03T09:00:00Z", 20, SQLITE_STATIC);
      if (sqlite3_step(insert) != SQLITE_DONE) {
        state.SkipWithError(sqlite3_errmsg(db));
        break;
      }
      sqlite3_reset(insert);
    }
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_finalize(insert);
    sqlite3_close(db);
  }
  state.counters["rows_per_s"] = benchmark::Counter(
      static_cast<double>(rows.size()) * state.iterations(), benchmark::Counter::kIsRate);
}

void ImportOpportunities(benchmark::State& state, const std::string& file) {
  SystemClock clock;
  for (auto _ : state) {
    state.PauseTiming();
    std::string path = FreshDatabase();
    auto store = storage::OpenStore(path);
    state.ResumeTiming();
    service::TransferService transfer(**store, clock);
    service::ImportOptions options;
    auto report = transfer.ImportFile(service::Kind::kOpportunities, file, options);
    if (!report.ok() || !report->errors.empty() || report->inserted != g_rows) {
      state.SkipWithError(report.ok() && !report->errors.empty()
                              ? report->errors[0].ToString().c_str()
                              : "import failed");
      break;
    }
  }
  state.counters["rows_per_s"] = benchmark::Counter(
      static_cast<double>(g_rows) * state.iterations(), benchmark::Counter::kIsRate);
}

void BM_ImportOpportunitiesCsv(benchmark::State& state) { ImportOpportunities(state, CsvFile()); }
void BM_ImportOpportunitiesXlsx(benchmark::State& state) { ImportOpportunities(state, XlsxFile()); }

BENCHMARK(BM_RawSqliteInsert)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(5.0);
BENCHMARK(BM_ImportOpportunitiesCsv)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(5.0);
BENCHMARK(BM_ImportOpportunitiesXlsx)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(5.0);

}  // namespace
}  // namespace salesbox

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--rows=", 0) == 0) salesbox::g_rows = std::atoll(arg.c_str() + 7);
  }
  salesbox::Rows();
  salesbox::CsvFile();
  salesbox::XlsxFile();
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

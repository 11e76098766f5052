// SPDX-License-Identifier: MIT
// `salesbox stats`: what is in the database, at a glance.
#include <cstdio>
#include <map>
#include <string>

#include "cli/args.h"
#include "cli/command.h"
#include "service/stats_service.h"
#include "storage/open_store.h"

namespace salesbox::cli {
namespace {

constexpr FlagSpec kFlags[] = {
    {"db", "PATH", "the database (required)"},
    {"today", "DATE", "count 'last year' and 'overdue' as of DATE (default: today, UTC)"},
};

// "12 345 678 DKK" in whole units, for reading, not for re-import.
std::string Amounts(const std::map<std::string, int64_t>& by_currency) {
  if (by_currency.empty()) return "-";
  std::string out;
  for (const auto& [currency, minor] : by_currency) {
    Result<Currency> c = Currency::Parse(currency);
    int digits = c.ok() ? c->minor_digits() : 2;
    int64_t whole = minor;
    for (int i = 0; i < digits; ++i) whole /= 10;
    std::string digits_text = std::to_string(whole < 0 ? -whole : whole);
    std::string grouped;
    for (size_t i = 0; i < digits_text.size(); ++i) {
      if (i > 0 && (digits_text.size() - i) % 3 == 0) grouped += ' ';
      grouped += digits_text[i];
    }
    if (!out.empty()) out += ", ";
    out += (whole < 0 ? "-" : "") + grouped + " " + currency;
  }
  return out;
}

}  // namespace

int RunStats(std::span<const std::string> words) {
  Result<Args> args = Args::Parse(words, kFlags);
  if (!args.ok()) return Fail("stats", args.status(), /*usage=*/true);
  if (args->help()) {
    std::printf("usage: salesbox stats --db PATH [--today YYYY-MM-DD]\n\n%s",
                FormatFlags(kFlags).c_str());
    return kExitOk;
  }
  Result<std::string> db = args->Require("db");
  if (!db.ok()) return Fail("stats", db.status(), /*usage=*/true);
  Date today = ToDate(SystemClock().Now());
  if (auto t = args->Get("today")) {
    Result<Date> parsed = ParseIsoDate(*t);
    if (!parsed.ok()) return Fail("stats", Status::InvalidArgument("--today: " + parsed.status().message()), true);
    today = *parsed;
  }
  Result<std::unique_ptr<storage::Store>> store = storage::OpenStore(*db);
  if (!store.ok()) return Fail("stats", store.status());
  Result<service::Stats> stats = service::StatsService(**store).Compute(today);
  if (!stats.ok()) return Fail("stats", stats.status());

  std::printf("%s as of %s\n\nrecords\n", db->c_str(), FormatDate(today).c_str());
  for (const auto& [table, count] : stats->counts) {
    std::printf("  %-22s %10lld\n", table.c_str(), static_cast<long long>(count));
  }
  std::printf("\nopen pipeline\n");
  for (const service::StageTotal& stage : stats->open_pipeline) {
    std::printf("  %-10s %6lld deals  %s\n", stage.stage.c_str(),
                static_cast<long long>(stage.count), Amounts(stage.amount_minor).c_str());
  }
  std::printf("  past their close date: %lld\n", static_cast<long long>(stats->open_overdue));
  int64_t closed = stats->won_last_year + stats->lost_last_year;
  std::printf("\nlast 365 days\n  won %lld, lost %lld", static_cast<long long>(stats->won_last_year),
              static_cast<long long>(stats->lost_last_year));
  if (closed > 0) {
    std::printf(" (win rate %.1f%%)", 100.0 * static_cast<double>(stats->won_last_year) /
                                          static_cast<double>(closed));
  }
  std::printf("\n  won value      %s\n", Amounts(stats->won_amount_last_year).c_str());
  std::printf("  order revenue  %s\n", Amounts(stats->order_revenue_last_year).c_str());
  std::printf("  order margin   %s\n", Amounts(stats->order_margin_last_year).c_str());
  if (!stats->first_order_on.empty()) {
    std::printf("\norders from %s to %s\n", stats->first_order_on.c_str(),
                stats->last_order_on.c_str());
  }
  return kExitOk;
}

}  // namespace salesbox::cli

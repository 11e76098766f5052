// SPDX-License-Identifier: MIT
// `salesbox doctor`: the data-quality report of a database (service/data_quality.h).
#include <cstdio>
#include <string>

#include "analytics/audit/playbook.h"
#include "cli/args.h"
#include "cli/command.h"
#include "service/data_quality.h"

namespace salesbox::cli {
namespace {

constexpr FlagSpec kFlags[] = {
    {"db", "PATH", "the database (required)"},
    {"locale", "LANG", "the report's language: en (default), da, sv or nb"},
};

}  // namespace

Result<int> ParseReportLocale(const Args& args) {
  const std::string text = args.Get("locale").value_or("en");
  if (text != "en" && text != "da" && text != "sv" && text != "nb") {
    return Status::InvalidArgument("--locale: \"" + text + "\" is not one of en, da, sv, nb");
  }
  return analytics::audit::LocaleIndex(text);
}

Status PrintDataQuality(storage::Store& store, int locale) {
  Result<service::DataQualityReport> report = service::CheckDataQuality(store);
  if (!report.ok()) return report.status();
  std::fputs(service::FormatDataQuality(*report, locale).c_str(), stdout);
  return Status::Ok();
}

int RunDoctor(std::span<const std::string> words) {
  Result<Args> args = Args::Parse(words, kFlags);
  if (!args.ok()) return Fail("doctor", args.status(), /*usage=*/true);
  if (args->help()) {
    std::printf(
        "usage: salesbox doctor --db PATH [--locale LANG]\n\n"
        "Checks what in the data makes the audit's and the forecast's results less than they\n"
        "seem: closed deals without stage history, lost deals without amounts or a field that\n"
        "gives the outcome away, open deals without close date or amount, no activities or\n"
        "scorecard answers, owners in no team, accounts that are one company twice. Each\n"
        "finding has its count and what it means. `salesbox import` prints the same report.\n\n"
        "%s\n",
        FormatFlags(kFlags).c_str());
    return kExitOk;
  }
  Result<std::string> db = args->Require("db");
  if (!db.ok()) return Fail("doctor", db.status(), /*usage=*/true);
  Result<int> locale = ParseReportLocale(*args);
  if (!locale.ok()) return Fail("doctor", locale.status(), /*usage=*/true);
  if (!args->positional().empty()) {
    return Fail("doctor", Status::InvalidArgument("doctor takes no FILE"), /*usage=*/true);
  }
  Result<std::unique_ptr<storage::Store>> store = OpenExistingStore(*db);
  if (!store.ok()) return Fail("doctor", store.status());
  if (Status s = PrintDataQuality(**store, *locale); !s.ok()) return Fail("doctor", s);
  return kExitOk;
}

}  // namespace salesbox::cli

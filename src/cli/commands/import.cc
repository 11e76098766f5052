// SPDX-License-Identifier: MIT
// `salesbox import`: one CSV file into the database, all or nothing.
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/args.h"
#include "cli/command.h"
#include "common/time.h"
#include "service/transfer.h"
#include "storage/open_store.h"

namespace salesbox::cli {
namespace {

constexpr FlagSpec kFlags[] = {
    {"db", "PATH", "the database (required)"},
    {"kind", "KIND", "what the file holds (required but with --sheets): one of the kinds below"},
    {"sheet", "NAME", "XLSX: the sheet to read (default: the first)"},
    {"sheets", "SPEC",
     "XLSX: several sheets at once, all or nothing: \"Companies=accounts,Deals=opportunities\""},
    {"map", "SPEC", "extra column names: \"our_field=Their Column,...\""},
    {"values", "SPEC", "value maps: \"stage:Engaging=discover,Prospecting=qualify;source:...\""},
    {"set", "SPEC", "constant columns: \"role=rep,currency=USD\"; {Their Column} copies a cell"},
    {"name", "TEMPLATE", "the name column from others: \"{Product} - {Account}\""},
    {"preset", "CRM",
     "the standard export files of salesforce, hubspot, pipedrive or dynamics: their headers "
     "and stage names"},
    {"mapping", "FILE",
     "a saved mapping (JSON: columns, values, set, date_order); the options "
     "above add to it"},
    {"dry-run", "", "check every row against the database, then write nothing"},
    {"delimiter", "C", "field delimiter: , ; tab | (default: detected)"},
    {"encoding", "ENC", "utf-8 or windows-1252 (default: detected)"},
    {"decimal", "SEP",
     "decimal separator: comma or point (default: comma for ;-files, "
     "else detected per value)"},
    {"date-order", "ORDER",
     "dmy (default), mdy or ymd for dates like 03/04/25 or 03/04/2025 "
     "(two-digit years: 00-68 are 20xx, 69-99 19xx)"},
    {"currency", "CODE", "currency of amounts when the file has no currency column"},
    {"max-errors", "N", "stop after reporting N errors (default 50)"},
    {"locale", "LANG", "language of the data-quality report: en (default), da, sv or nb"},
};

void PrintHelp() {
  std::printf(
      "usage: salesbox import --db PATH --kind KIND FILE [options]\n"
      "       salesbox import --db PATH --sheets \"SHEET=KIND,...\" WORKBOOK.xlsx [options]\n\n"
      "Imports FILE, a CSV export from Excel, Outlook, Salesforce, HubSpot or salesbox itself,\n"
      "or a sheet of an XLSX workbook (--sheet; dates stored as numbers are read as dates).\n"
      "Headers are matched by name and common aliases, case-insensitively. Records whose\n"
      "external_id (users: email, teams: name) already exists are updated: only the columns in\n"
      "the file change; a key may occur once per file. Accounts without external_id are found\n"
      "by org_number, else by a name only one account has. Owners given by name are matched to\n"
      "users by name; a name no user has becomes a user who cannot sign in yet. Fields hold at\n"
      "most 64 KiB and no NUL byte. Any error writes nothing; every error is reported as\n"
      "FILE:LINE:COLUMN (a sheet: FILE, sheet \"NAME\", row N, column C). After an import\n"
      "the data-quality report of the whole database is\n"
      "printed (as `salesbox doctor` does).\n\n"
      "%s\n",
      FormatFlags(kFlags).c_str());
  std::string kinds = "kinds:";
  for (service::Kind kind : service::AllKinds()) {
    kinds += " " + std::string(service::KindName(kind));
  }
  std::printf("%s\n\ncolumns by kind (* required to create a record):\n", kinds.c_str());
  for (service::Kind kind : service::AllKinds()) {
    std::string line = "  " + std::string(service::KindName(kind)) + ":";
    for (const service::ColumnInfo& column : service::Columns(kind)) {
      line += " " + std::string(column.name) + (column.required ? "*" : "");
    }
    std::printf("%s\n", line.c_str());
  }
}

Status ApplyOptions(const Args& args, service::ImportOptions& options) {
  if (auto file = args.Get("mapping")) {
    Result<service::ImportMapping> mapping = service::LoadImportMapping(*file);
    if (!mapping.ok()) return mapping.status();
    options.mapping = *std::move(mapping);
    if (options.mapping.date_order) options.date_order = *options.mapping.date_order;
  }
  if (auto preset = args.Get("preset")) {
    Result<service::Preset> parsed = service::ParsePreset(*preset);
    if (!parsed.ok()) return Status::InvalidArgument("--preset: " + parsed.status().message());
    options.preset = *parsed;
  }
  if (auto map = args.Get("map")) options.column_map = *map;
  if (auto values = args.Get("values")) options.value_map = *values;
  if (auto constants = args.Get("set")) options.constants = *constants;
  if (auto name = args.Get("name")) options.mapping.constants.emplace_back("name", *name);
  if (auto sheet = args.Get("sheet")) options.sheet = *sheet;
  options.dry_run = args.Has("dry-run");
  if (auto d = args.Get("delimiter")) {
    if (*d == "," || *d == "comma") {
      options.csv.delimiter = ',';
    } else if (*d == ";" || *d == "semicolon") {
      options.csv.delimiter = ';';
    } else if (*d == "tab" || *d == "\\t" || *d == "\t") {
      options.csv.delimiter = '\t';
    } else if (*d == "|" || *d == "pipe") {
      options.csv.delimiter = '|';
    } else {
      return Status::InvalidArgument("--delimiter must be , ; tab or |");
    }
  }
  if (auto e = args.Get("encoding")) {
    if (*e == "utf-8" || *e == "utf8") {
      options.csv.encoding = csv::Encoding::kUtf8;
    } else if (*e == "windows-1252" || *e == "cp1252" || *e == "latin-1" || *e == "latin1" ||
               *e == "iso-8859-1") {
      options.csv.encoding = csv::Encoding::kWindows1252;
    } else {
      return Status::InvalidArgument("--encoding must be utf-8 or windows-1252");
    }
  }
  if (auto d = args.Get("decimal")) {
    if (*d == "comma" || *d == ",") {
      options.decimal = DecimalSeparator::kComma;
    } else if (*d == "point" || *d == "dot" || *d == ".") {
      options.decimal = DecimalSeparator::kPoint;
    } else {
      return Status::InvalidArgument("--decimal must be comma or point");
    }
  }
  if (auto o = args.Get("date-order")) {
    Result<DateOrder> order = service::ParseDateOrder(*o);
    if (!order.ok()) return Status::InvalidArgument("--date-order: " + order.status().message());
    options.date_order = *order;
  }
  if (auto c = args.Get("currency")) {
    Result<Currency> currency = Currency::Parse(*c);
    if (!currency.ok()) return Status::InvalidArgument("--currency: " + currency.status().message());
    options.default_currency = *currency;
  }
  if (auto m = args.Get("max-errors")) {
    char* end = nullptr;
    long n = std::strtol(m->c_str(), &end, 10);
    if (end == m->c_str() || *end != '\0' || n < 1 || n > 100000) {
      return Status::InvalidArgument("--max-errors must be a number from 1 to 100000");
    }
    options.max_errors = static_cast<int>(n);
  }
  return Status::Ok();
}

// "Companies=accounts,Deals=opportunities" -> (sheet, kind) pairs.
Result<std::vector<std::pair<std::string, service::Kind>>> ParseSheets(const std::string& spec) {
  std::vector<std::pair<std::string, service::Kind>> sheets;
  size_t start = 0;
  while (start <= spec.size()) {
    size_t end = spec.find(',', start);
    if (end == std::string::npos) end = spec.size();
    const std::string item = spec.substr(start, end - start);
    const size_t eq = item.rfind('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == item.size()) {
      return Status::InvalidArgument("--sheets: \"" + item +
                                     "\" is not SHEET=KIND (\"Deals=opportunities\")");
    }
    Result<service::Kind> kind = service::ParseKind(item.substr(eq + 1));
    if (!kind.ok()) return Status::InvalidArgument("--sheets: " + kind.status().message());
    sheets.emplace_back(item.substr(0, eq), *kind);
    start = end + 1;
  }
  return sheets;
}

// Prints one report's notes, errors and summary; false when it had errors.
bool PrintReport(const std::string& path, const service::ImportReport& report,
                 const service::ImportOptions& options, bool committed) {
  const std::string where = report.sheet.empty() ? path : path + ", sheet \"" + report.sheet + "\"";
  for (const std::string& column : report.ignored_columns) {
    std::fprintf(stderr, "%s: note: column \"%s\" is not used (see --help, or --map)\n",
                 where.c_str(), column.c_str());
  }
  if (!report.errors.empty()) {
    for (const service::ImportError& error : report.errors) {
      std::fprintf(stderr, "%s\n", error.ToString().c_str());
    }
    return false;
  }
  std::string format = report.encoding;
  if (report.sheet.empty()) {
    format += std::string(", delimiter ") + (report.delimiter == '\t'  ? "tab"
                                             : report.delimiter == ';' ? ";"
                                             : report.delimiter == '|' ? "|"
                                                                       : ",");
  }
  std::printf("%s: %lld %s rows (%s): %lld new, %lld updated, %lld unchanged%s\n", where.c_str(),
              static_cast<long long>(report.rows),
              std::string(service::KindName(report.kind)).c_str(), format.c_str(),
              static_cast<long long>(report.inserted), static_cast<long long>(report.updated),
              static_cast<long long>(report.unchanged),
              options.dry_run ? " - dry run, nothing written"
              : committed     ? ""
                              : " - not written");
  if (!report.created_users.empty()) {
    std::printf(
        "%s %zu user%s the file names as owners, who cannot sign in until an admin gives "
        "them an e-mail address and a password (or imports users with these names):\n",
        options.dry_run || !committed ? "would create" : "created", report.created_users.size(),
        report.created_users.size() == 1 ? "" : "s");
    for (const std::string& user : report.created_users) std::printf("  %s\n", user.c_str());
  }
  return true;
}

void PrintErrorCount(const service::ImportReport& report) {
  std::fprintf(stderr, "%zu error%s%s; nothing was imported\n", report.errors.size(),
               report.errors.size() == 1 ? "" : "s",
               report.more_errors ? " (stopped looking; there may be more)" : "");
}

}  // namespace

int RunImport(std::span<const std::string> words) {
  Result<Args> args = Args::Parse(words, kFlags);
  if (!args.ok()) return Fail("import", args.status(), /*usage=*/true);
  if (args->help()) {
    PrintHelp();
    return kExitOk;
  }
  Result<std::string> db = args->Require("db");
  if (!db.ok()) return Fail("import", db.status(), /*usage=*/true);
  std::optional<std::vector<std::pair<std::string, service::Kind>>> sheets;
  std::optional<service::Kind> kind;
  if (auto spec = args->Get("sheets")) {
    if (args->Has("kind") || args->Has("sheet")) {
      return Fail("import",
                  Status::InvalidArgument("--sheets names each sheet's kind; leave out --kind "
                                          "and --sheet"),
                  /*usage=*/true);
    }
    Result<std::vector<std::pair<std::string, service::Kind>>> parsed = ParseSheets(*spec);
    if (!parsed.ok()) return Fail("import", parsed.status(), /*usage=*/true);
    sheets = *std::move(parsed);
  } else {
    Result<std::string> kind_name = args->Require("kind");
    if (!kind_name.ok()) return Fail("import", kind_name.status(), /*usage=*/true);
    Result<service::Kind> parsed = service::ParseKind(*kind_name);
    if (!parsed.ok()) return Fail("import", parsed.status(), /*usage=*/true);
    kind = *parsed;
  }
  if (args->positional().size() != 1) {
    return Fail("import", Status::InvalidArgument("give exactly one FILE to import"),
                /*usage=*/true);
  }
  service::ImportOptions options;
  if (Status s = ApplyOptions(*args, options); !s.ok()) return Fail("import", s, /*usage=*/true);
  Result<int> locale = ParseReportLocale(*args);
  if (!locale.ok()) return Fail("import", locale.status(), /*usage=*/true);

  const std::string& path = args->positional()[0];
  Result<std::unique_ptr<storage::Store>> store = storage::OpenStore(*db);
  if (!store.ok()) return Fail("import", store.status());
  SystemClock clock;
  service::TransferService transfer(**store, clock);
  std::vector<service::ImportReport> reports;
  if (sheets) {
    Result<std::vector<service::ImportReport>> done =
        transfer.ImportWorkbook(path, *sheets, options);
    if (!done.ok()) return Fail("import", done.status());
    reports = *std::move(done);
  } else {
    Result<service::ImportReport> done = transfer.ImportFile(*kind, path, options);
    if (!done.ok()) return Fail("import", done.status());
    reports.push_back(*std::move(done));
  }
  bool ok = true;
  for (const service::ImportReport& report : reports) {
    if (!PrintReport(path, report, options, report.committed)) {
      PrintErrorCount(report);
      ok = false;
    }
  }
  if (!ok) {
    if (reports.size() > 1 || (sheets && reports.size() < sheets->size())) {
      std::fprintf(
          stderr, "no sheet was imported%s\n",
          reports.size() < sheets->size() ? " (the sheets after it were not checked)" : "");
    }
    return kExitError;
  }
  if (!options.dry_run) {
    std::printf("\n");
    if (Status s = PrintDataQuality(**store, *locale); !s.ok()) return Fail("import", s);
  }
  return kExitOk;
}

}  // namespace salesbox::cli

// SPDX-License-Identifier: MIT
// `salesbox audit`: the five-area audit of every open opportunity and customer, and
// `salesbox playbook`: load, list and show the playbooks it scores with.
#include <cstdio>
#include <fstream>
#include <functional>
#include <iterator>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "analytics/audit/playbook.h"
#include "analytics/audit/report.h"
#include "cli/args.h"
#include "cli/command.h"
#include "report/audit_report.h"
#include "service/pipeline_audit.h"
#include "storage/open_store.h"

namespace salesbox::cli {
namespace {

namespace audit = analytics::audit;

constexpr FlagSpec kAuditFlags[] = {
    {"db", "PATH", "the database (required)"},
    {"as-of", "DATE", "audit the data as it stood at the end of DATE (default: today, UTC)"},
    {"team", "NAME", "only items owned by members of this team"},
    {"rep", "EMAIL", "only items owned by this user"},
    {"format", "FORMAT", "table (default), json, csv, html or pdf"},
    {"out", "FILE", "write to FILE instead of standard output (required for pdf)"},
    {"locale", "LOCALE", "language of reasons and actions: en (default), da, sv, nb"},
    {"company", "NAME", "company name on the management report (html, pdf)"},
    {"save", "", "store the run (immutable, dated) for later comparison"},
};

int AuditUsage() {
  std::printf(
      "usage: salesbox audit --db PATH [--as-of DATE] [--team NAME] [--rep EMAIL]\n"
      "                      [--format table|json|csv|html|pdf] [--out FILE] [--locale L] [--save]\n\n"
      "Scores every open opportunity and every customer on the five areas of the active\n"
      "playbooks (`salesbox playbook list`), colours them green, yellow or red, and prints the\n"
      "reasons with a next action each. --save stores the run; the next run shows the trend.\n\n%s",
      FormatFlags(kAuditFlags).c_str());
  return kExitOk;
}

}  // namespace

int RunAudit(std::span<const std::string> words) {
  Result<Args> args = Args::Parse(words, kAuditFlags);
  if (!args.ok()) return Fail("audit", args.status(), /*usage=*/true);
  if (args->help()) return AuditUsage();
  Result<std::string> db = args->Require("db");
  if (!db.ok()) return Fail("audit", db.status(), true);
  const std::string format = args->Get("format").value_or("table");
  if (format != "table" && format != "json" && format != "csv" && format != "html" &&
      format != "pdf") {
    return Fail("audit",
                Status::InvalidArgument("--format: \"" + format +
                                        "\" is not one of table, json, csv, html, pdf"),
                true);
  }
  const std::optional<std::string> out = args->Get("out");
  if (format == "pdf" && !out) {
    return Fail("audit", Status::InvalidArgument("--format pdf needs --out FILE"), true);
  }
  const std::string locale_text = args->Get("locale").value_or("en");
  if (locale_text != "en" && locale_text != "da" && locale_text != "sv" && locale_text != "nb") {
    return Fail("audit",
                Status::InvalidArgument("--locale: \"" + locale_text + "\" is not one of en, da, sv, nb"),
                true);
  }
  const int locale = audit::LocaleIndex(locale_text);
  const Timestamp now = SystemClock().Now();
  Date as_of = ToDate(now);
  if (auto text = args->Get("as-of")) {
    Result<Date> parsed = ParseIsoDate(*text);
    if (!parsed.ok()) {
      return Fail("audit", Status::InvalidArgument("--as-of: " + parsed.status().message()), true);
    }
    if (*parsed > ToDate(now)) {
      return Fail("audit", Status::InvalidArgument("--as-of: " + *text + " is in the future"), true);
    }
    as_of = *parsed;
  }
  Result<std::unique_ptr<storage::Store>> opened = OpenExistingStore(*db);
  if (!opened.ok()) return Fail("audit", opened.status());
  storage::Store& store = **opened;

  service::AuditScope scope;
  if (auto team = args->Get("team")) {
    storage::ListQuery query;
    query.filters.push_back(storage::Match("name", storage::FilterOp::kEq, {*team}));
    Result<std::vector<Team>> teams = store.teams().List(query);
    if (!teams.ok()) return Fail("audit", teams.status());
    if (teams->empty()) return Fail("audit", Status::NotFound("--team: no team \"" + *team + "\""));
    scope.team_id = teams->front().id.value;
  }
  if (auto rep = args->Get("rep")) {
    storage::ListQuery query;
    query.filters.push_back(storage::Match("email", storage::FilterOp::kEq, {*rep}));
    Result<std::vector<User>> users = store.users().List(query);
    if (!users.ok()) return Fail("audit", users.status());
    if (users->empty()) return Fail("audit", Status::NotFound("--rep: no user \"" + *rep + "\""));
    scope.rep_id = users->front().id.value;
  }
  Result<std::string> label = service::ScopeLabel(store, scope);
  if (!label.ok()) return Fail("audit", label.status());
  // A second connection reads the scorecard answers while the first reads the activities (a
  // file database only: every sqlite::memory: connection is a database of its own).
  std::unique_ptr<storage::Store> second;
  if (db->find(":memory:") == std::string::npos) {
    Result<std::unique_ptr<storage::Store>> reader = OpenExistingStore(*db);
    if (reader.ok()) second = std::move(*reader);
  }
  // Today's facts as the server keeps them, when it keeps them; else gathered now.
  std::shared_ptr<const service::facts::FactSnapshot> kept;
  if (as_of == ToDate(now)) kept = KeptFacts(store, *db, /*with_model=*/false);
  Result<std::shared_ptr<const service::AuditData>> data =
      kept != nullptr ? Result<std::shared_ptr<const service::AuditData>>(kept->audit)
                      : service::LoadAuditData(store, as_of, second.get());
  if (!data.ok()) return Fail("audit", data.status());
  Result<service::AuditOutcome> outcome = service::RunAudit(store, *data, scope, *label);
  if (!outcome.ok()) return Fail("audit", outcome.status());
  const service::AuditData& d = **data;

  std::string bytes;
  if (format == "json") {
    // Streamed at the end, straight to the output.
  } else if (format == "csv") {
    bytes = audit::ReportCsv(d.input, outcome->items, d.labels, locale);
  } else if (format == "table") {
    bytes = audit::ReportTable(d.input, outcome->items, d.labels, outcome->report, locale);
  } else {
    report::ReportMeta meta;
    meta.company = args->Get("company").value_or("");
    meta.generated_at = FormatTimestamp(now).substr(0, 16) + " UTC";
    meta.generated_at[10] = ' ';
    storage::ListQuery runs;
    runs.filters.push_back(storage::Match("scope", storage::FilterOp::kEq, {*label}));
    runs.order_by = "as_of";
    Result<std::vector<AuditRun>> saved = store.audit_runs().List(runs);
    if (!saved.ok()) return Fail("audit", saved.status());
    for (const AuditRun& run : *saved) {
      meta.history.push_back(report::RunPoint{
          static_cast<audit::Day>(run.as_of.time_since_epoch().count()), run.green, run.yellow,
          run.red});
    }
    if (format == "html") {
      bytes = report::AuditHtml(d.input, outcome->items, d.labels, outcome->report, locale, meta);
    } else {
      Result<std::string> pdf =
          report::AuditPdf(d.input, outcome->items, d.labels, outcome->report, locale, meta);
      if (!pdf.ok()) return Fail("audit", pdf.status());
      bytes = std::move(*pdf);
    }
  }
  if (args->Has("save")) {
    Result<AuditRun> run = service::SaveRun(store, *outcome, std::nullopt, now);
    if (!run.ok()) return Fail("audit", run.status());
    std::fprintf(stderr, "saved audit run %lld (as of %s, %s): %lld items\n",
                 static_cast<long long>(run->id.value), FormatDate(run->as_of).c_str(),
                 run->scope.c_str(), static_cast<long long>(run->items));
  }
  Status written = WriteOutput(out, [&](const std::function<void(std::string_view)>& write) {
    if (format == "json") {
      audit::WriteReportJson(d.input, outcome->items, d.labels, outcome->report, locale, write);
    } else {
      write(bytes);
    }
  });
  if (!written.ok()) return Fail("audit", written);
  return kExitOk;
}

int RunPlaybook(std::span<const std::string> words) {
  static constexpr FlagSpec kFlags[] = {
      {"db", "PATH", "the database (required)"},
      {"no-activate", "", "load: store the playbook without making it the active one"},
  };
  Result<Args> args = Args::Parse(words, kFlags);
  if (!args.ok()) return Fail("playbook", args.status(), true);
  const auto& positional = args->positional();
  if (args->help() || positional.empty()) {
    std::printf(
        "usage: salesbox playbook load --db PATH FILE [--no-activate]\n"
        "       salesbox playbook list --db PATH\n"
        "       salesbox playbook show NAME   (a shipped playbook: default-opportunity,\n"
        "                                      default-account, meddicc)\n\n"
        "A playbook is a JSON file: five areas, criteria (text and action in en/da/sv/nb,\n"
        "optionally an auto rule) and the minimum score per area by stage or ABC class.\n"
        "Loading a playbook stores it as the next revision of its name and makes it active.\n\n%s",
        FormatFlags(kFlags).c_str());
    return args->help() ? kExitOk : kExitUsage;
  }
  const std::string& verb = positional[0];
  if (verb == "show") {
    if (positional.size() != 2) {
      return Fail("playbook", Status::InvalidArgument("show takes one NAME"), true);
    }
    for (const audit::ShippedPlaybook& shipped : audit::ShippedPlaybooks()) {
      if (shipped.name == positional[1]) {
        std::fwrite(shipped.json.data(), 1, shipped.json.size(), stdout);
        return kExitOk;
      }
    }
    return Fail("playbook", Status::NotFound("no shipped playbook \"" + positional[1] +
                                             "\" (default-opportunity, default-account, meddicc)"));
  }
  if (verb != "load" && verb != "list") {
    return Fail("playbook", Status::InvalidArgument("unknown action \"" + verb + "\" (load, list, show)"),
                true);
  }
  Result<std::string> db = args->Require("db");
  if (!db.ok()) return Fail("playbook", db.status(), true);
  Result<std::unique_ptr<storage::Store>> opened = OpenExistingStore(*db);
  if (!opened.ok()) return Fail("playbook", opened.status());
  storage::Store& store = **opened;
  if (verb == "list") {
    Result<service::ActivePlaybooks> active = service::LoadActivePlaybooks(store);
    if (!active.ok()) return Fail("playbook", active.status());
    Result<std::vector<PlaybookVersion>> all = store.playbooks().List(storage::ListQuery{});
    if (!all.ok()) return Fail("playbook", all.status());
    std::printf("active: %s (opportunities), %s (customers)\n",
                active->opportunity.label().c_str(), active->account.label().c_str());
    for (const PlaybookVersion& v : *all) {
      std::printf("  %-24s rev %-3lld %-11s %s %s\n", v.name.c_str(),
                  static_cast<long long>(v.revision), std::string(ToString(v.subject_type)).c_str(),
                  FormatTimestamp(v.loaded_at).c_str(), v.active ? "active" : "");
    }
    return kExitOk;
  }
  if (positional.size() != 2) {
    return Fail("playbook", Status::InvalidArgument("load takes one FILE"), true);
  }
  std::ifstream in(positional[1], std::ios::binary);
  if (!in) return Fail("playbook", Status::NotFound("cannot read " + positional[1]));
  std::string json((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Result<service::PlaybookLoad> loaded = service::LoadPlaybook(
      store, json, std::nullopt, SystemClock().Now(), !args->Has("no-activate"));
  if (!loaded.ok()) {
    return Fail("playbook", Status::InvalidArgument(positional[1] + ": " + loaded.status().message()));
  }
  std::printf("%s %s revision %lld (%s)%s\n", loaded->unchanged ? "unchanged:" : "loaded",
              loaded->version.name.c_str(), static_cast<long long>(loaded->version.revision),
              std::string(ToString(loaded->version.subject_type)).c_str(),
              loaded->version.active ? ", active" : "");
  return kExitOk;
}

}  // namespace salesbox::cli

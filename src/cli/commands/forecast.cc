// SPDX-License-Identifier: MIT
// `salesbox forecast`: the evidence-based forecast of a period (table, JSON or CSV), and
// `salesbox forecast backtest`: how the model, the reps and the stage defaults would have done.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/command.h"
#include "common/json_text.h"
#include "service/forecast.h"
#include "service/forecast_snapshots.h"

namespace salesbox::cli {
namespace {

constexpr FlagSpec kFlags[] = {
    {"db", "PATH", "the database (required)"},
    {"period", "PERIOD", "a quarter (2026-Q4) or a month (2026-11); default: this quarter"},
    {"as-of", "DATE", "forecast as of the end of DATE (default: today, UTC)"},
    {"team", "TEAM", "only this team's deals (by name)"},
    {"cutoff", "DATE", "backtest: train on deals closed before DATE (default: a year before)"},
    {"from", "ID", "moved: the earlier snapshot"},
    {"to", "ID", "moved: the later snapshot"},
    {"locale", "LOCALE", "the factors' language: en (default), da, sv, nb"},
    {"format", "FORMAT", "table (default), json or csv"},
    {"out", "FILE", "write to FILE instead of standard output"},
};

int Usage() {
  std::printf(
      "usage: salesbox forecast --db PATH [--period 2026-Q4] [--as-of DATE] [--team TEAM]\n"
      "                         [--format table|json|csv] [--out FILE]\n"
      "       salesbox forecast backtest --db PATH [--as-of DATE] [--cutoff DATE]\n"
      "                         [--format table|json] [--out FILE]\n"
      "       salesbox forecast snapshot --db PATH [--as-of DATE] [--period PERIOD]\n"
      "       salesbox forecast moved --db PATH --from ID --to ID [--format table|json]\n\n"
      "Learns what predicts winning from the closed deals, each seen as it was at the month\n"
      "starts before it closed (stage, time in stage, age, amount, scorecard answers, activity,\n"
      "buying roles, next step, close-date moves, core segment, the owner's record), calibrates\n"
      "on the latest quarter of that history, and scores every open deal next to the rep's own\n"
      "probability. The period's roll-up per currency, team and rep gives the expected value and\n"
      "P10/P50/P90 of 100,000 seeded Monte Carlo trials next to the reps' commit and best case.\n"
      "With fewer than 200 closed deals the win rate per stage (with a prior) is used instead.\n\n"
      "backtest trains on the deals closed before the cutoff and scores the month-start\n"
      "snapshots after it: Brier score, log loss, AUC and a reliability table for the model, the\n"
      "reps' stated probabilities and the stage defaults.\n\n"
      "snapshot stores every open deal's stage, amount, close date, category and both\n"
      "probabilities (take one weekly, e.g. from cron); moved lists what changed between two\n"
      "snapshots: new, won, lost, pushed out of or pulled into the period, amount up or "
      "down.\n\n%s",
      FormatFlags(kFlags).c_str());
  return kExitOk;
}

std::string Major(int64_t minor, const Currency& currency) {
  return FormatWholeGrouped(minor, currency.minor_digits());
}

std::string Table(const service::ForecastData& data, const service::Forecast& f) {
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line, "Forecast %s (%s..%s) as of %s\nmethod: %s — %s\n",
                f.period_label.c_str(), FormatDate(f.period_start).c_str(),
                FormatDate(f.period_end).c_str(), FormatDate(f.as_of).c_str(),
                f.model.method == service::ForecastMethod::kModel ? "model" : "stage rates",
                f.model.method_reason.c_str());
  out += line;
  out += "calibration: " + service::DescribeCalibration(f.model) + "\n\n";
  auto rollup_line = [&](const std::string& name, const service::Rollup& r) {
    const Currency& c = r.currency;
    std::snprintf(line, sizeof line, "%-24s %-4s %6lld %14s %14s %14s %14s %14s %14s %14s\n",
                  name.c_str(), c.ToString().c_str(), static_cast<long long>(r.deals),
                  Major(r.closed_won, c).c_str(), Major(r.commit, c).c_str(),
                  Major(r.best_case, c).c_str(), Major(r.stated, c).c_str(),
                  Major(r.expected, c).c_str(), Major(r.p10, c).c_str(), Major(r.p90, c).c_str());
    out += line;
  };
  std::snprintf(line, sizeof line, "%-24s %-4s %6s %14s %14s %14s %14s %14s %14s %14s\n", "", "cur",
                "deals", "closed won", "commit", "best case", "stated", "expected", "P10", "P90");
  out += line;
  for (const service::Rollup& r : f.totals) rollup_line("company", r);
  for (const service::GroupRollup& g : f.groups) {
    if (g.level != "team") continue;
    auto it = data.team_names.find(g.id);
    rollup_line(it == data.team_names.end() ? "team " + std::to_string(g.id) : it->second,
                g.rollup);
  }
  out += "\nLargest gaps between the rep's probability and the evidence:\n";
  std::snprintf(line, sizeof line, "%-36s %-22s %-9s %14s %6s %6s  %s\n", "deal", "owner", "stage",
                "amount", "rep", "model", "why");
  out += line;
  int shown = 0;
  for (const service::ScoredDeal& s : f.deals) {
    if (!s.in_period || !s.p_stated) continue;
    if (++shown > 15) break;
    const service::ForecastDealFacts* facts = data.Deal(s.id);
    std::string name = facts != nullptr ? facts->name : std::string();
    if (name.size() > 36) name = name.substr(0, 35) + "…";
    auto owner = data.user_names.find(s.owner_id);
    std::string why;
    for (const service::Factor& factor : s.down) {
      if (why.size() < 60) why += (why.empty() ? "− " : "; − ") + factor.label;
    }
    std::snprintf(line, sizeof line, "%-36s %-22s %-9s %10s %-3s %5.0f%% %5.0f%%  %s\n",
                  name.c_str(), owner == data.user_names.end() ? "" : owner->second.c_str(),
                  std::string(ToString(s.stage)).c_str(),
                  Major(s.amount.minor_units, s.amount.currency).c_str(),
                  s.amount.currency.ToString().c_str(), *s.p_stated * 100, s.p_model * 100,
                  why.c_str());
    out += line;
  }
  out += "\nOptimism per rep (stated − won, over their closed deals' history; 95% interval):\n";
  std::vector<analytics::forecast::RepOptimism> reps = f.optimism;
  std::sort(reps.begin(), reps.end(),
            [](const auto& a, const auto& b) { return a.optimism > b.optimism; });
  for (const auto& o : reps) {
    auto owner = data.user_names.find(o.rep);
    std::snprintf(line, sizeof line, "%-24s %+6.3f  [%+6.3f, %+6.3f]  n=%lld\n",
                  owner == data.user_names.end() ? "?" : owner->second.c_str(), o.optimism,
                  o.interval ? o.interval->lower : NAN, o.interval ? o.interval->upper : NAN,
                  static_cast<long long>(o.examples));
    out += line;
  }
  return out;
}

std::string Csv(const service::ForecastData& data, const service::Forecast& f) {
  std::string out =
      "opportunity_id,name,owner,stage,amount,currency,close_date,forecast_category,in_period,"
      "p_stated,p_model,p_slip\n";
  auto cell = [](const std::string& text) {
    if (text.find_first_of(",\"\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
  };
  char number[64];
  for (const service::ScoredDeal& s : f.deals) {
    auto owner = data.user_names.find(s.owner_id);
    out +=
        std::to_string(s.id) + "," +
        cell(data.Deal(s.id) != nullptr ? data.Deal(s.id)->name : std::string()) + "," +
        cell(owner == data.user_names.end() ? "" : owner->second) + "," +
        std::string(ToString(s.stage)) + "," +
        FormatMinorUnits(s.amount.minor_units, s.amount.currency.minor_digits()) + "," +
        s.amount.currency.ToString() + "," +
        (s.close_on == service::kNoDay ? "" : FormatDate(service::internal::FromDay(s.close_on))) +
        "," + std::string(ToString(s.category)) + "," + (s.in_period ? "true" : "false") + ",";
    if (s.p_stated) {
      std::snprintf(number, sizeof number, "%.4f", *s.p_stated);
      out += number;
    }
    std::snprintf(number, sizeof number, ",%.4f,%.4f\n", s.p_model, s.p_slip);
    out += number;
  }
  return out;
}

std::string BacktestTable(const service::Backtest& b) {
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line,
                "Backtest: trained on %lld deals closed before %s (%lld snapshots), tested on %lld "
                "month-start snapshots up to %s\nmethod: %s\n\n",
                static_cast<long long>(b.model_info.closed_deals), FormatDate(b.cutoff).c_str(),
                static_cast<long long>(b.model_info.examples),
                static_cast<long long>(b.test_examples), FormatDate(b.as_of).c_str(),
                b.model_info.method_reason.c_str());
  out += line;
  std::snprintf(line, sizeof line, "%-16s %8s %8s %8s\n", "", "Brier", "log loss", "AUC");
  out += line;
  auto row = [&](const char* name, const std::optional<service::ScoreSet>& s) {
    if (!s) {
      std::snprintf(line, sizeof line, "%-16s %8s %8s %8s\n", name, "-", "-", "-");
    } else {
      std::snprintf(line, sizeof line, "%-16s %8.4f %8.4f %8.4f\n", name, s->brier, s->log_loss,
                    s->auc.value_or(NAN));
    }
    out += line;
  };
  row("model", b.model);
  row("rep stated", b.stated);
  row("stage default", b.stage_default);
  if (!b.stated) {
    out +=
        "No tested deal has a stage history, so the reps' stated probabilities and the stages "
        "at the time are unknown: only the model is scored.\n";
  } else if (b.without_history > 0) {
    out += std::to_string(b.without_history) +
           " snapshots of deals without a stage history are left out: their stated probability "
           "and stage at the time are unknown.\n";
  }
  out += "\nReliability (predicted → observed, count):\n";
  std::snprintf(line, sizeof line, "%-9s %-22s %-22s %-22s\n", "bin", "model", "rep stated",
                "stage default");
  out += line;
  for (size_t i = 0; i < b.model.reliability.size(); ++i) {
    auto cellf = [&](const std::optional<service::ScoreSet>& s) {
      if (!s || i >= s->reliability.size()) return std::string("-");
      const auto& bin = s->reliability[i];
      char text[64];
      if (bin.count == 0) return std::string("-");
      std::snprintf(text, sizeof text, "%.2f→%.2f (%lld)", bin.mean_predicted, bin.observed_rate,
                    static_cast<long long>(bin.count));
      return std::string(text);
    };
    std::snprintf(line, sizeof line, "%.1f–%.1f   %-22s %-22s %-22s\n",
                  b.model.reliability[i].lower, b.model.reliability[i].upper,
                  cellf(b.model).c_str(), cellf(b.stated).c_str(), cellf(b.stage_default).c_str());
    out += line;
  }
  return out;
}

Result<Date> DateFlag(const Args& args, const char* flag, Date fallback, Date latest) {
  auto text = args.Get(flag);
  if (!text) return fallback;
  Result<Date> parsed = ParseIsoDate(*text);
  if (!parsed.ok())
    return Status::InvalidArgument("--" + std::string(flag) + ": " + parsed.status().message());
  if (*parsed > latest)
    return Status::InvalidArgument("--" + std::string(flag) + ": " + *text + " is in the future");
  return *parsed;
}

}  // namespace

int RunForecast(std::span<const std::string> words) {
  std::string sub;
  if (!words.empty() && (words[0] == "backtest" || words[0] == "snapshot" || words[0] == "moved")) {
    sub = words[0];
    words = words.subspan(1);
  }
  const bool backtest = sub == "backtest";
  auto usage = [](const Status& status) { return Fail("forecast", status, /*usage=*/true); };
  Result<Args> args = Args::Parse(words, kFlags);
  if (!args.ok()) return usage(args.status());
  if (args->help()) return Usage();
  if (!args->positional().empty()) {
    return usage(Status::InvalidArgument("unexpected argument " + args->positional()[0] +
                                         " (the subcommands are backtest, snapshot, moved)"));
  }
  Result<std::string> db = args->Require("db");
  if (!db.ok()) return usage(db.status());
  const Date today = ToDate(SystemClock().Now());
  Result<Date> as_of = DateFlag(*args, "as-of", today, today);
  if (!as_of.ok()) return usage(as_of.status());
  const std::string format = args->Get("format").value_or("table");
  const bool csv_allowed = sub.empty();
  if (format != "table" && format != "json" && (format != "csv" || !csv_allowed)) {
    return usage(Status::InvalidArgument("--format: \"" + format + "\" is not one of " +
                                         (csv_allowed ? "table, json, csv" : "table, json")));
  }
  if ((args->Get("from") || args->Get("to")) && sub != "moved") {
    return usage(Status::InvalidArgument("--from and --to are for forecast moved"));
  }
  int64_t from_id = 0, to_id = 0;
  if (sub == "moved") {
    for (auto [flag, target] : {std::pair{"from", &from_id}, std::pair{"to", &to_id}}) {
      Result<std::string> text = args->Require(flag);
      if (!text.ok()) return usage(text.status());
      char* end = nullptr;
      *target = std::strtoll(text->c_str(), &end, 10);
      if (*end != '\0' || *target <= 0) {
        return usage(Status::InvalidArgument("--" + std::string(flag) + ": \"" + *text +
                                             "\" is not a snapshot id"));
      }
    }
  }
  std::optional<Date> cutoff;
  if (args->Get("cutoff")) {
    if (!backtest) return usage(Status::InvalidArgument("--cutoff is for forecast backtest"));
    Result<Date> parsed = DateFlag(*args, "cutoff", *as_of, *as_of);
    if (!parsed.ok()) return usage(parsed.status());
    cutoff = *parsed;
  }
  service::ForecastRequest request;
  request.as_of = *as_of;
  if (auto locale = args->Get("locale")) {
    if (*locale != "en" && *locale != "da" && *locale != "sv" && *locale != "nb") {
      return usage(
          Status::InvalidArgument("--locale: \"" + *locale + "\" is not one of en, da, sv, nb"));
    }
    request.locale = *locale;
  }
  if (auto period = args->Get("period")) {
    if (backtest) return usage(Status::InvalidArgument("--period is for forecast, not backtest"));
    Result<std::pair<Date, Date>> parsed = service::ParsePeriod(*period);
    if (!parsed.ok()) return usage(parsed.status());
    request.period = *period;
  }

  Result<std::unique_ptr<storage::Store>> opened = OpenExistingStore(*db);
  if (!opened.ok()) return Fail("forecast", opened.status());
  // A second connection reads the scorecard answers while the first reads the activities (a
  // file database only: every sqlite::memory: connection is a database of its own).
  std::unique_ptr<storage::Store> second;
  if (db->find(":memory:") == std::string::npos) {
    Result<std::unique_ptr<storage::Store>> reader = OpenExistingStore(*db);
    if (reader.ok()) second = std::move(*reader);
  }
  // The facts (and today's model and scores) as the server keeps them, when it keeps them.
  std::shared_ptr<const service::facts::FactSnapshot> kept =
      KeptFacts(**opened, *db, /*with_model=*/true);
  std::shared_ptr<const service::ForecastData> data;
  if (kept != nullptr) {
    data = kept->forecast;
    if (kept->day == *as_of) {
      request.model = kept->model.get();
      request.scores = kept->scores.get();
    }
  } else {
    Result<service::ForecastData> loaded = service::LoadForecastData(**opened, second.get());
    if (!loaded.ok()) return Fail("forecast", loaded.status());
    data = std::make_shared<const service::ForecastData>(std::move(*loaded));
  }

  std::string bytes;
  if (sub == "snapshot") {
    Result<ForecastSnapshot> snapshot = service::TakeForecastSnapshot(
        **opened, *data, *as_of, request.period, std::nullopt, SystemClock().Now());
    if (!snapshot.ok()) return Fail("forecast", snapshot.status());
    Result<nlohmann::json> shown = service::ForecastSnapshotJson(*snapshot, *data, nullptr);
    if (!shown.ok()) return Fail("forecast", shown.status());
    if (format == "json") {
      bytes = shown->dump(2) + "\n";
    } else {
      bytes = "snapshot " + std::to_string(snapshot->id.value) + ": " +
              std::to_string(snapshot->deals) + " open deals as of " + FormatDate(*as_of) +
              ", period " + snapshot->period + " (" + snapshot->method + ")\n";
      for (const auto& total : (*shown)["totals"]) {
        bytes += "  " + total["currency"].get<std::string>() + ": " +
                 std::to_string(total["deals"].get<int64_t>()) + " deals in the period, expected " +
                 Major(total["expected"]["amount_minor"].get<int64_t>(),
                       *Currency::Parse(total["currency"].get<std::string>())) +
                 "\n";
      }
    }
  } else if (sub == "moved") {
    Result<nlohmann::json> moved = service::MovedJson(**opened, *data, ForecastSnapshotId{from_id},
                                                      ForecastSnapshotId{to_id}, nullptr);
    if (!moved.ok()) return Fail("forecast", moved.status());
    if (format == "json") {
      bytes = moved->dump(2) + "\n";
    } else {
      bytes = "What moved from snapshot " + std::to_string(from_id) + " to " +
              std::to_string(to_id) + ":\n";
      for (const auto& kind : (*moved)["summary"]) {
        std::string amounts;
        for (const auto& m : kind["amounts"]) {
          amounts += " " +
                     Major(m["amount_minor"].get<int64_t>(),
                           *Currency::Parse(m["currency"].get<std::string>())) +
                     " " + m["currency"].get<std::string>();
        }
        char line[160];
        std::snprintf(line, sizeof line, "  %-12s %5lld%s\n",
                      kind["kind"].get<std::string>().c_str(),
                      static_cast<long long>(kind["count"].get<int64_t>()), amounts.c_str());
        bytes += line;
      }
      for (const auto& m : (*moved)["moves"]) {
        bytes += "  " + m["kind"].get<std::string>() + ": " + m["name"].get<std::string>() + " (" +
                 (m["owner"].is_string() ? m["owner"].get<std::string>() : std::string("-")) +
                 ")\n";
      }
    }
  } else if (backtest) {
    Result<service::Backtest> result = service::RunBacktest(*data, *as_of, cutoff);
    if (!result.ok()) {
      return Fail("forecast", result.status(),
                  result.status().code() == StatusCode::kInvalidArgument);
    }
    bytes =
        format == "json" ? service::BacktestJson(*result).dump(2) + "\n" : BacktestTable(*result);
  } else {
    if (auto team = args->Get("team")) {
      for (const auto& [id, name] : data->team_names) {
        if (name == *team) request.team_id = id;
      }
      if (!request.team_id) {
        std::string known;
        for (const auto& [id, name] : data->team_names) known += (known.empty() ? "" : ", ") + name;
        return usage(
            Status::InvalidArgument("--team: no team \"" + *team + "\" (teams: " + known + ")"));
      }
    }
    Result<service::Forecast> result = service::RunForecast(*data, request);
    if (!result.ok()) {
      return Fail("forecast", result.status(),
                  result.status().code() == StatusCode::kInvalidArgument);
    }
    if (format == "json") {
      bytes = service::ForecastJson(*data, *result, static_cast<int64_t>(result->deals.size()), 0)
                  .dump(2) +
              "\n";
    } else if (format == "csv") {
      bytes = Csv(*data, *result);
    } else {
      bytes = Table(*data, *result);
    }
  }
  Status written = WriteOutput(args->Get("out"), bytes);
  if (!written.ok()) return Fail("forecast", written);
  return kExitOk;
}

}  // namespace salesbox::cli

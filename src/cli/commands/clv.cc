// SPDX-License-Identifier: MIT
// `salesbox clv`: customer lifetime value (BG/NBD + Gamma-Gamma per currency) and ABC classes
// from the orders, as a table, JSON or CSV; --save-abc stores the classes on the accounts.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analytics/clv/clv_model.h"
#include "analytics/clv/rfm.h"
#include "cli/args.h"
#include "cli/command.h"
#include "csv/csv_reader.h"
#include "service/customer_value.h"

namespace salesbox::cli {
namespace {

namespace clv = analytics::clv;
using service::CurrencySpendFit;
using service::CustomerValueReport;
using service::CustomerValueRow;

constexpr FlagSpec kFlags[] = {
    {"db", "PATH", "the database (required)"},
    {"calibration-end", "DATE", "fit on orders up to the end of DATE (default: today, UTC)"},
    {"time-unit", "UNIT", "day, week (default) or month (365.25/12 days)"},
    {"horizon", "N", "value the next N time units (default 52)"},
    {"discount-rate", "R", "discount rate per time unit, >= 0 (default 0)"},
    {"a-share", "S", "A: the customers making this share of the CLV (default 0.8)"},
    {"b-share", "S", "B: the next customers making this share (default 0.15); C: the rest"},
    {"format", "FORMAT", "table (default), json or csv"},
    {"out", "FILE", "write to FILE instead of standard output"},
    {"save-abc", "", "store each account's ABC class (accounts without orders: none)"},
};

int Usage() {
  std::printf(
      "usage: salesbox clv --db PATH [--calibration-end DATE] [--time-unit day|week|month]\n"
      "                    [--horizon N] [--discount-rate R] [--a-share S] [--b-share S]\n"
      "                    [--format table|json|csv] [--out FILE] [--save-abc]\n\n"
      "Fits the BG/NBD purchase model on every account with orders up to the calibration end\n"
      "and the Gamma-Gamma spend model per currency, then values each customer: P(alive), the\n"
      "purchases expected over the horizon, the expected spend per purchase and the discounted\n"
      "lifetime value (CLV) in the account's currency. ABC classes split the CLV within each\n"
      "currency: A = the customers making the top 80%%, B the next 15%%, C the rest.\n\n%s",
      FormatFlags(kFlags).c_str());
  return kExitOk;
}

// A number that must be a whole string (strtod/strtol leave the rest unparsed).
bool ParseNumber(const std::string& text, double* out) {
  char* end = nullptr;
  *out = std::strtod(text.c_str(), &end);
  return !text.empty() && end != text.c_str() && *end == '\0' && std::isfinite(*out);
}

std::string Fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", decimals, v);
  return buf;
}

// 1234567.891 -> "1,234,567.89"
std::string Amount(double v) {
  std::string digits = Fixed(std::fabs(v), 2);
  const size_t point = digits.find('.');
  std::string whole = digits.substr(0, point);
  std::string grouped;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
    grouped += whole[i];
  }
  return (v < 0 ? "-" : "") + grouped + digits.substr(point);
}

std::string Number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.10g", v);
  return buf;
}

std::string Percent(int64_t part, int64_t whole) {
  return whole > 0 ? Fixed(100.0 * static_cast<double>(part) / static_cast<double>(whole), 1) + "%"
                   : "-";
}

// Cuts `text` to `width` characters (UTF-8 aware) and pads it.
std::string Cell(const std::string& text, size_t width) {
  std::string out;
  size_t chars = 0;
  for (size_t i = 0; i < text.size();) {
    size_t len = 1;
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0xF0) {
      len = 4;
    } else if (c >= 0xE0) {
      len = 3;
    } else if (c >= 0xC0) {
      len = 2;
    }
    if (chars + 1 > width) break;
    out.append(text, i, len);
    i += len;
    ++chars;
  }
  if (chars < width) out.append(width - chars, ' ');
  return out;
}

std::string Table(const CustomerValueReport& report) {
  const service::CustomerValueOptions& o = report.options;
  const std::string unit(clv::TimeUnitName(o.time_unit));
  std::string out;
  out += "Customer lifetime value, calibration to " + FormatDate(o.calibration_end) + ", in " +
         unit + "s; horizon " + std::to_string(o.horizon) + " " + unit + "s, discount rate " +
         Number(o.discount_rate) + " per " + unit + "\n";
  out += std::to_string(report.customers.size()) + " customers (accounts with orders), " +
         std::to_string(report.orders_used) + " orders";
  if (report.orders_other_currency > 0) {
    out += " (" + std::to_string(report.orders_other_currency) +
           " more left out: not in their account's main currency)";
  }
  out += "\n\n";
  const clv::BgNbdParams& b = report.bgnbd.params;
  out += "Purchases (BG/NBD, all " + std::to_string(report.bgnbd.customers) + " customers): r " +
         Fixed(b.r, 4) + "  alpha " + Fixed(b.alpha, 4) + "  a " + Fixed(b.a, 4) + "  b " +
         Fixed(b.b, 4) + "  log-likelihood " + Fixed(report.bgnbd.log_likelihood, 2) + "\n";
  out += "Spend per purchase (Gamma-Gamma per currency; gamma and spend in currency units):\n";
  for (const CurrencySpendFit& f : report.gamma_gamma) {
    const clv::GammaGammaParams& p = f.fit.params;
    out += "  " + f.currency.ToString() + "  " + std::to_string(f.fit.customers) +
           " repeat customers: p " + Fixed(p.p, 4) + "  q " + Fixed(p.q, 4) + "  gamma " +
           Fixed(p.gamma, 4) + "  log-likelihood " + Fixed(f.fit.log_likelihood, 2) +
           "  mean spend " + Amount(f.mean_repeat_spend);
    if (p.q > 1) out += "  population mean " + Amount(p.p * p.gamma / (p.q - 1));
    if (f.repeat_customers_without_spend > 0) {
      out += "  (" + std::to_string(f.repeat_customers_without_spend) +
             " without positive repeat spend: valued 0)";
    }
    out += "\n";
  }
  out += "\nABC classes by CLV within each currency (A: top " + Fixed(100 * o.abc.a_share, 0) +
         "%, B: next " + Fixed(100 * o.abc.b_share, 0) + "%, C: the rest)\n";
  for (const CurrencySpendFit& f : report.gamma_gamma) {
    out += "  " + f.currency.ToString() + "  A " + std::to_string(f.abc_counts[0]) + " (" +
           Percent(f.abc_counts[0], f.customers) + ")  B " + std::to_string(f.abc_counts[1]) +
           " (" + Percent(f.abc_counts[1], f.customers) + ")  C " +
           std::to_string(f.abc_counts[2]) + " (" + Percent(f.abc_counts[2], f.customers) +
           ")  total CLV " + Amount(f.total_clv) + " " + f.currency.ToString() + "\n";
  }
  for (const CurrencySpendFit& f : report.gamma_gamma) {
    std::vector<const CustomerValueRow*> rows;
    for (const CustomerValueRow& row : report.customers) {
      if (row.currency == f.currency) rows.push_back(&row);
    }
    std::stable_sort(
        rows.begin(), rows.end(),
        [](const CustomerValueRow* x, const CustomerValueRow* y) { return x->clv > y->clv; });
    if (rows.size() > 20) rows.resize(20);
    out += "\nTop " + std::to_string(rows.size()) + " accounts by CLV in " + f.currency.ToString() +
           "\n";
    out +=
        "  account     name                              x     t_x       T  P(alive)  purchases"
        "         spend              CLV  ABC\n";
    for (const CustomerValueRow* row : rows) {
      char line[512];
      std::snprintf(line, sizeof(line), "%7.1f %7.1f  %8.3f  %9.2f %13s %16s  %s\n", row->recency,
                    row->age, row->p_alive, row->expected_purchases,
                    Amount(row->expected_spend).c_str(), Amount(row->clv).c_str(),
                    clv::AbcClassName(row->abc));
      char x[32];
      std::snprintf(x, sizeof(x), "%4lld ", static_cast<long long>(row->frequency));
      out += "  " +
             Cell(row->external_id.empty() ? "#" + std::to_string(row->id.value) : row->external_id,
                  10) +
             "  " + Cell(row->name, 30) + " " + x + line;
    }
  }
  return out;
}

std::string Csv(const CustomerValueReport& report) {
  std::string out =
      "id,external_id,name,currency,frequency,recency,T,p_alive,expected_purchases,"
      "expected_spend,clv,clv_minor,abc_class\n";
  for (const CustomerValueRow& row : report.customers) {
    out += std::to_string(row.id.value) + ",";
    csv::AppendCsvField(row.external_id, ',', &out);
    out += ",";
    csv::AppendCsvField(row.name, ',', &out);
    out += "," + row.currency.ToString() + "," + std::to_string(row.frequency) + "," +
           Number(row.recency) + "," + Number(row.age) + "," + Number(row.p_alive) + "," +
           Number(row.expected_purchases) + "," + Number(row.expected_spend) + "," +
           Number(row.clv) + "," + std::to_string(row.clv_minor) + "," +
           clv::AbcClassName(row.abc) + "\n";
  }
  return out;
}

}  // namespace

int RunClv(std::span<const std::string> words) {
  auto usage = [](const std::string& message) {
    return Fail("clv", Status::InvalidArgument(message), /*usage=*/true);
  };
  Result<Args> args = Args::Parse(words, kFlags);
  if (!args.ok()) return Fail("clv", args.status(), /*usage=*/true);
  if (args->help()) return Usage();
  if (!args->positional().empty()) return usage("unexpected argument " + args->positional()[0]);
  Result<std::string> db = args->Require("db");
  if (!db.ok()) return Fail("clv", db.status(), /*usage=*/true);

  service::CustomerValueOptions options;
  const Date today = ToDate(SystemClock().Now());
  options.calibration_end = today;
  if (auto text = args->Get("calibration-end")) {
    Result<Date> parsed = ParseIsoDate(*text);
    if (!parsed.ok()) return usage("--calibration-end: " + parsed.status().message());
    if (*parsed > today) return usage("--calibration-end: " + *text + " is in the future");
    options.calibration_end = *parsed;
  }
  if (auto text = args->Get("time-unit")) {
    Result<clv::TimeUnit> unit = clv::ParseTimeUnit(*text);
    if (!unit.ok()) return usage("--time-unit: \"" + *text + "\" is not one of day, week, month");
    options.time_unit = *unit;
  }
  if (auto text = args->Get("horizon")) {
    double horizon = 0;
    if (!ParseNumber(*text, &horizon) || horizon != std::floor(horizon) || horizon < 1 ||
        horizon > service::kMaxCustomerValueHorizon) {
      return usage("--horizon: \"" + *text + "\" is not a whole number of time units from 1 to " +
                   std::to_string(service::kMaxCustomerValueHorizon));
    }
    options.horizon = static_cast<int>(horizon);
  }
  if (auto text = args->Get("discount-rate")) {
    if (!ParseNumber(*text, &options.discount_rate) || options.discount_rate < 0) {
      return usage("--discount-rate: \"" + *text + "\" is not a number >= 0 (0.01 is 1% per " +
                   std::string(clv::TimeUnitName(options.time_unit)) + ")");
    }
  }
  for (const char* flag : {"a-share", "b-share"}) {
    if (auto text = args->Get(flag)) {
      double share = 0;
      if (!ParseNumber(*text, &share) || share < 0 || share > 1) {
        return usage("--" + std::string(flag) + ": \"" + *text + "\" is not a share in [0, 1]");
      }
      (flag[0] == 'a' ? options.abc.a_share : options.abc.b_share) = share;
    }
  }
  if (!(options.abc.a_share > 0) || options.abc.a_share + options.abc.b_share > 1 + 1e-12) {
    return usage("--a-share must be above 0 and --a-share + --b-share at most 1");
  }
  const std::string format = args->Get("format").value_or("table");
  if (format != "table" && format != "json" && format != "csv") {
    return usage("--format: \"" + format + "\" is not one of table, json, csv");
  }

  Result<std::unique_ptr<storage::Store>> opened = OpenExistingStore(*db);
  if (!opened.ok()) return Fail("clv", opened.status());
  storage::Store& store = **opened;
  Result<CustomerValueReport> report = service::ComputeCustomerValue(store, options);
  if (!report.ok()) {
    return Fail("clv", report.status(), report.status().code() == StatusCode::kInvalidArgument);
  }
  if (args->Has("save-abc")) {
    Result<service::AbcSaveResult> saved =
        service::SaveAbcClasses(store, *report, std::nullopt, SystemClock().Now());
    if (!saved.ok()) return Fail("clv", saved.status());
    std::fprintf(stderr, "saved ABC classes: %lld accounts changed, %lld unchanged\n",
                 static_cast<long long>(saved->changed), static_cast<long long>(saved->unchanged));
  }
  std::string bytes;
  if (format == "json") {
    bytes = service::CustomerValueJson(*report).dump(2) + "\n";
  } else if (format == "csv") {
    bytes = Csv(*report);
  } else {
    bytes = Table(*report);
  }
  Status written = WriteOutput(args->Get("out"), bytes);
  if (!written.ok()) return Fail("clv", written);
  return kExitOk;
}

}  // namespace salesbox::cli

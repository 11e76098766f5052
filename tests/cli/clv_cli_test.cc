// SPDX-License-Identifier: MIT
// `salesbox clv` end to end through the real binary: the CDNOW sample (tests/data/cdnow,
// SOURCE.md) written as accounts and orders CSV files, imported with `salesbox import`, and
// fitted with `salesbox clv`, must give the published BG/NBD and Gamma-Gamma estimates and the
// conditional expectations SOURCE.md lists, within the tolerances of the engine's own CDNOW
// tests (src/analytics/clv/*_test.cc). Also: --save-abc, the table and CSV forms, and the
// refusals (exit 2 for usage errors, 1 for the rest).
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "testing/cli_run.h"

namespace salesbox {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

using test::CliRun;

CliRun Salesbox(const std::string& args) { return test::RunCli(SALESBOX_BINARY, args); }

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// One CDNOW database for the whole suite: building it imports 6,919 orders.
class ClvCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                     ("salesbox_clv_cli_" + std::to_string(::getpid())));
    std::filesystem::remove_all(*dir_);
    std::filesystem::create_directories(*dir_);
    db_ = new std::string((*dir_ / "cdnow.db").string());

    // CDNOW_sample.txt: master_id sample_id YYYYMMDD cds dollars (CRLF, no header). One account
    // per sample customer ("C0001"), one USD order per transaction with its own order number
    // (same-day transactions are separate orders; the RFM summary merges them).
    std::ifstream sample(std::string(SALESBOX_TEST_DATA_DIR) + "/cdnow/CDNOW_sample.txt");
    std::string master, id, date, cds, dollars;
    std::set<int> customers;
    std::ostringstream orders;
    orders << "external_id,account,date,revenue,currency\n";
    int n = 0;
    while (sample >> master >> id >> date >> cds >> dollars) {
      char account[16];
      std::snprintf(account, sizeof(account), "C%04d", std::stoi(id));
      customers.insert(std::stoi(id));
      char revenue[32];
      std::snprintf(revenue, sizeof(revenue), "%.2f", std::stod(dollars));
      orders << "T" << ++n << "," << account << "," << date.substr(0, 4) << "-" << date.substr(4, 2)
             << "-" << date.substr(6, 2) << "," << revenue << ",USD\n";
    }
    ASSERT_EQ(n, 6919);
    ASSERT_EQ(customers.size(), 2357u);
    std::ostringstream accounts;
    accounts << "external_id,name\n";
    for (int c : customers) {
      char account[16];
      std::snprintf(account, sizeof(account), "C%04d", c);
      accounts << account << ",CDNOW customer " << c << "\n";
    }
    std::ofstream(*dir_ / "accounts.csv", std::ios::binary) << accounts.str();
    std::ofstream(*dir_ / "orders.csv", std::ios::binary) << orders.str();

    CliRun init = Salesbox("init --db " + *db_);
    ASSERT_EQ(init.exit_code, 0) << init.output;
    CliRun a =
        Salesbox("import --db " + *db_ + " --kind accounts " + (*dir_ / "accounts.csv").string());
    ASSERT_EQ(a.exit_code, 0) << a.output;
    ASSERT_THAT(a.output, HasSubstr("2357 new"));
    CliRun o =
        Salesbox("import --db " + *db_ + " --kind orders " + (*dir_ / "orders.csv").string());
    ASSERT_EQ(o.exit_code, 0) << o.output;
    ASSERT_THAT(o.output, HasSubstr("6919 new"));
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete db_;
  }

  static json Json(const std::string& flags) {
    const std::string out = (*dir_ / "clv.json").string();
    CliRun run = Salesbox("clv --db " + *db_ + " " + flags + " --format json --out " + out);
    EXPECT_EQ(run.exit_code, 0) << run.output;
    return json::parse(ReadFile(out), nullptr, /*allow_exceptions=*/false);
  }

  static const json* Customer(const json& report, const std::string& external_id) {
    for (const json& row : report["customers"]) {
      if (row["external_id"] == external_id) return &row;
    }
    ADD_FAILURE() << "no customer " << external_id;
    return nullptr;
  }

  static std::filesystem::path* dir_;
  static std::string* db_;
};

std::filesystem::path* ClvCliTest::dir_ = nullptr;
std::string* ClvCliTest::db_ = nullptr;

constexpr const char* kCdnowFlags = "--time-unit week --calibration-end 1997-09-30";

TEST_F(ClvCliTest, ReproducesThePublishedCdnowEstimates) {
  const json report = Json(kCdnowFlags);
  ASSERT_FALSE(report.is_discarded());
  EXPECT_EQ(report["calibration_end"], "1997-09-30");
  EXPECT_EQ(report["time_unit"], "week");
  EXPECT_EQ(report["horizon"], 52);
  EXPECT_EQ(report["customers_count"], 2357);

  // BG/NBD: Fader, Hardie & Lee (2005), r 0.243, α 4.414, a 0.793, b 2.426, LL −9582.4
  // (bg_nbd_test.cc: 0.0005 on the parameters, 0.05 on the LL from the rebuilt summary).
  const json& bg = report["bgnbd"];
  EXPECT_NEAR(bg["r"].get<double>(), 0.243, 0.0005);
  EXPECT_NEAR(bg["alpha"].get<double>(), 4.414, 0.0005);
  EXPECT_NEAR(bg["a"].get<double>(), 0.793, 0.0005);
  EXPECT_NEAR(bg["b"].get<double>(), 2.426, 0.0005);
  EXPECT_NEAR(bg["log_likelihood"].get<double>(), -9582.4, 0.05);
  EXPECT_EQ(bg["customers"], 2357);

  // Gamma-Gamma: Fader & Hardie (2013), p 6.25, q 3.74, γ 15.44 (gamma_gamma_test.cc: 0.015
  // from the transactions); one currency, so also the top-level object. In dollars, not cents.
  const json& gg = report["gamma_gamma"];
  ASSERT_TRUE(gg.is_object());
  EXPECT_EQ(gg["currency"], "USD");
  EXPECT_EQ(gg["customers"], 946);
  EXPECT_NEAR(gg["p"].get<double>(), 6.25, 0.015);
  EXPECT_NEAR(gg["q"].get<double>(), 3.74, 0.015);
  EXPECT_NEAR(gg["gamma"].get<double>(), 15.44, 0.015);
  EXPECT_NEAR(gg["log_likelihood"].get<double>(), -4055.9232, 0.05);
  for (const auto& [key, value] : gg.items()) {  // the per-currency entry holds the same fit
    EXPECT_EQ(report["gamma_gamma_by_currency"]["USD"][key], value) << key;
  }
  EXPECT_NEAR(report["gamma_gamma_by_currency"]["USD"]["population_mean_spend"].get<double>(),
              35.171, 0.01);

  // BTYD vignette, customer 1516 (x = 26, t_x = 30.85714, T = 31): 25.75659 purchases in the
  // next 52 weeks, P(alive) 0.9688523 (bg_nbd_test.cc: 1e-4 relative and 1e-5 for our fits).
  const json* c1516 = Customer(report, "C1516");
  ASSERT_NE(c1516, nullptr);
  EXPECT_EQ((*c1516)["frequency"], 26);
  EXPECT_NEAR((*c1516)["recency"].get<double>(), 30.85714, 1e-5);
  EXPECT_NEAR((*c1516)["T"].get<double>(), 31, 1e-12);
  EXPECT_NEAR((*c1516)["expected_purchases"].get<double>(), 25.75659, 1e-4 * 25.75659);
  EXPECT_NEAR((*c1516)["p_alive"].get<double>(), 0.9688523, 1e-5);

  // Hardie's spreadsheet via lifetimes: the conditional expected average spend of customers
  // 1..10 (atol 0.1), and lifetimes' mean over all 2,357 customers, 35.2529588.
  const std::array<double, 10> kHardie = {24.65, 18.91, 35.17, 35.17, 35.17,
                                          71.46, 18.91, 35.17, 27.28, 35.17};
  for (int i = 0; i < 10; ++i) {
    char id[16];
    std::snprintf(id, sizeof(id), "C%04d", i + 1);
    const json* row = Customer(report, id);
    ASSERT_NE(row, nullptr);
    EXPECT_NEAR((*row)["expected_spend"].get<double>(), kHardie[static_cast<size_t>(i)], 0.1) << id;
  }
  double spend = 0;
  for (const json& row : report["customers"]) spend += row["expected_spend"].get<double>();
  EXPECT_NEAR(spend / 2357, 35.2529588, 0.005);

  // Every row: the documented fields, finite numbers, CLV in dollars and in cents; no discount,
  // so CLV = expected purchases × expected spend.
  std::map<std::string, int> classes;
  double total = 0;
  for (const json& row : report["customers"]) {
    for (const char* key :
         {"id", "external_id", "name", "currency", "frequency", "recency", "T", "p_alive",
          "expected_purchases", "expected_spend", "clv", "clv_minor", "abc_class"}) {
      ASSERT_TRUE(row.contains(key)) << key;
    }
    const double clv = row["clv"].get<double>();
    EXPECT_NEAR(clv, row["expected_purchases"].get<double>() * row["expected_spend"].get<double>(),
                1e-9 * clv);
    EXPECT_EQ(row["clv_minor"].get<int64_t>(), std::llround(clv * 100));
    EXPECT_GE(row["p_alive"].get<double>(), 0);
    EXPECT_LE(row["p_alive"].get<double>(), 1);
    ++classes[row["abc_class"].get<std::string>()];
    total += clv;
  }
  const json& abc = report["abc"]["USD"];
  EXPECT_EQ(abc["A"], classes["A"]);
  EXPECT_EQ(abc["B"], classes["B"]);
  EXPECT_EQ(abc["C"], classes["C"]);
  EXPECT_EQ(classes["A"] + classes["B"] + classes["C"], 2357);
  EXPECT_NEAR(abc["total_clv"].get<double>(), total, 1e-9 * total);
}

TEST_F(ClvCliTest, DiscountingAndTheHorizonChangeTheValues) {
  const json plain = Json(kCdnowFlags);
  const json discounted = Json(std::string(kCdnowFlags) + " --discount-rate 0.01");
  const json shorter = Json(std::string(kCdnowFlags) + " --horizon 39");
  const json* c = Customer(plain, "C1516");
  const json* d = Customer(discounted, "C1516");
  const json* s = Customer(shorter, "C1516");
  ASSERT_TRUE(c && d && s);
  EXPECT_LT((*d)["clv"].get<double>(), (*c)["clv"].get<double>());
  EXPECT_GT((*d)["clv"].get<double>(), (*c)["clv"].get<double>() / std::pow(1.01, 52));
  EXPECT_EQ((*d)["expected_purchases"], (*c)["expected_purchases"]);
  EXPECT_LT((*s)["expected_purchases"].get<double>(), (*c)["expected_purchases"].get<double>());
  // The fits do not depend on the horizon or the discount rate.
  EXPECT_EQ(discounted["bgnbd"], plain["bgnbd"]);
  EXPECT_EQ(shorter["gamma_gamma"], plain["gamma_gamma"]);
}

TEST_F(ClvCliTest, TableAndCsvForms) {
  CliRun table = Salesbox("clv --db " + *db_ + " " + kCdnowFlags);
  ASSERT_EQ(table.exit_code, 0) << table.output;
  EXPECT_THAT(table.output, HasSubstr("Purchases (BG/NBD, all 2357 customers): r 0.2426"));
  EXPECT_THAT(table.output, HasSubstr("USD  946 repeat customers: p 6.2"));
  EXPECT_THAT(table.output, HasSubstr("Top 20 accounts by CLV in USD"));
  EXPECT_THAT(table.output, HasSubstr("C1516"));
  EXPECT_THAT(table.output, HasSubstr("USD  A "));

  CliRun csv = Salesbox("clv --db " + *db_ + " " + kCdnowFlags + " --format csv");
  ASSERT_EQ(csv.exit_code, 0) << csv.output;
  EXPECT_THAT(csv.output,
              HasSubstr("id,external_id,name,currency,frequency,recency,T,p_alive,"
                        "expected_purchases,expected_spend,clv,clv_minor,abc_class\n1,C0001,"
                        "CDNOW customer 1,USD,2,30.42857143,38.85714286,"));
  EXPECT_EQ(std::count(csv.output.begin(), csv.output.end(), '\n'), 2358);
}

// --save-abc stores the classes: a second save finds every account already classed. The
// accounts export does not show them: abc_class is not one of the accounts CSV columns.
TEST_F(ClvCliTest, SaveAbcStoresTheClasses) {
  CliRun first = Salesbox("clv --db " + *db_ + " " + kCdnowFlags + " --save-abc --format csv");
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_THAT(first.output, HasSubstr("saved ABC classes: 2357 accounts changed, 0 unchanged"));
  CliRun again = Salesbox("clv --db " + *db_ + " " + kCdnowFlags + " --save-abc --format csv");
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_THAT(again.output, HasSubstr("saved ABC classes: 0 accounts changed, 2357 unchanged"));
  CliRun exported = Salesbox("export --db " + *db_ + " --kind accounts");
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  EXPECT_THAT(exported.output,
              HasSubstr("external_id,name,industry,employees,region,country,org_number,"
                        "owner_email,status\n"));
}

TEST_F(ClvCliTest, RefusesBadFlagsWithExitTwo) {
  const std::string db = "clv --db " + *db_ + " ";
  struct Case {
    std::string flags, message;
  };
  for (const Case& c : std::vector<Case>{
           {"--calibration-end 1997-02-30", "--calibration-end"},
           {"--calibration-end 30.09.1997", "--calibration-end"},
           {"--calibration-end 2999-01-01", "is in the future"},
           {"--time-unit fortnight", "\"fortnight\" is not one of day, week, month"},
           {"--horizon -5", "--horizon: \"-5\""},
           {"--horizon 0", "--horizon: \"0\""},
           {"--horizon 2.5", "--horizon: \"2.5\""},
           {"--horizon many", "--horizon: \"many\""},
           {"--discount-rate -0.1", "--discount-rate"},
           {"--discount-rate nan", "--discount-rate"},
           {"--a-share 0.9 --b-share 0.2", "at most 1"},
           {"--format xml", "\"xml\" is not one of table, json, csv"},
           {"--verbose", "unknown option --verbose"},
           {"extra", "unexpected argument extra"},
       }) {
    CliRun run = Salesbox(db + c.flags);
    EXPECT_EQ(run.exit_code, 2) << c.flags << ": " << run.output;
    EXPECT_THAT(run.output, HasSubstr("salesbox clv: ")) << c.flags;
    EXPECT_THAT(run.output, HasSubstr(c.message)) << c.flags;
  }
  CliRun no_db = Salesbox("clv");
  EXPECT_EQ(no_db.exit_code, 2);
  EXPECT_THAT(no_db.output, HasSubstr("--db is required"));
  CliRun help = Salesbox("clv --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.output, HasSubstr("usage: salesbox clv"));
}

TEST_F(ClvCliTest, DataProblemsExitOneWithAMessage) {
  CliRun missing = Salesbox("clv --db " + (*dir_ / "missing.db").string());
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.output, HasSubstr("does not exist"));

  // Before the first order there is nothing to fit.
  CliRun early = Salesbox("clv --db " + *db_ + " --calibration-end 1996-12-31");
  EXPECT_EQ(early.exit_code, 1);
  EXPECT_THAT(early.output, HasSubstr("salesbox clv: no orders on or before 1996-12-31"));
  // On the first day, every customer's first purchase is the only one.
  CliRun first_day = Salesbox("clv --db " + *db_ + " --calibration-end 1997-01-01");
  EXPECT_EQ(first_day.exit_code, 1);
  EXPECT_THAT(first_day.output, HasSubstr("BG/NBD"));
  EXPECT_THAT(first_day.output, ::testing::Not(HasSubstr("nan")));

  const std::string empty = (*dir_ / "empty.db").string();
  ASSERT_EQ(Salesbox("init --db " + empty).exit_code, 0);
  CliRun none = Salesbox("clv --db " + empty);
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_THAT(none.output, HasSubstr("no orders on or before"));
}

}  // namespace
}  // namespace salesbox

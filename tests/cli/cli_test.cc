// SPDX-License-Identifier: MIT
// The salesbox binary as a user runs it: exit codes (0 ok, 2 usage, 1 error), messages, and
// that a failed import leaves the database as it was.
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "testing/cli_run.h"

namespace salesbox {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using test::CliRun;

CliRun Salesbox(const std::string& args) { return test::RunCli(SALESBOX_BINARY, args); }

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("salesbox_cli_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "t.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    std::filesystem::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }

  std::filesystem::path dir_;
  std::string db_;
};

TEST_F(CliTest, UsageAndHelp) {
  EXPECT_EQ(Salesbox("").exit_code, 2);
  CliRun help = Salesbox("--help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.output, HasSubstr("import"));
  for (const char* command : {"init", "import", "export", "demo", "stats", "serve", "user"}) {
    CliRun run = Salesbox(std::string(command) + " --help");
    EXPECT_EQ(run.exit_code, 0) << command;
    EXPECT_THAT(run.output, HasSubstr("usage: salesbox " + std::string(command))) << command;
  }
  CliRun unknown = Salesbox("frobnicate");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.output, HasSubstr("unknown command \"frobnicate\""));
}

TEST_F(CliTest, UsageErrorsExitTwoWithAMessage) {
  CliRun no_db = Salesbox("import --kind accounts x.csv");
  EXPECT_EQ(no_db.exit_code, 2);
  EXPECT_THAT(no_db.output, HasSubstr("salesbox import: option --db is required"));
  CliRun bad_kind = Salesbox("import --db " + db_ + " --kind deals x.csv");
  EXPECT_EQ(bad_kind.exit_code, 2);
  EXPECT_THAT(bad_kind.output, HasSubstr("unknown kind \"deals\""));
  CliRun bad_flag = Salesbox("stats --db " + db_ + " --verbose");
  EXPECT_EQ(bad_flag.exit_code, 2);
  EXPECT_THAT(bad_flag.output, HasSubstr("unknown option --verbose"));
  EXPECT_EQ(Salesbox("export --db " + db_ + " --kind accounts --format xml").exit_code, 2);
  EXPECT_EQ(Salesbox("demo --db " + db_ + " --scale -1").exit_code, 2);
}

// Issue 16: a team with two managers, from a file with "Manager" and "Manager 2" columns.
TEST_F(CliTest, ImportsATeamWithTwoManagers) {
  std::string users = Write("users.csv",
                            "email,name,role,team\n"
                            "kim@example.com,Kim Holm,manager,Vest\n"
                            "eva@example.com,Eva Berg,manager,Øst\n"
                            "ole@example.com,Ole Dam,rep,Vest\n");
  ASSERT_EQ(Salesbox("import --db " + db_ + " --kind users " + users).exit_code, 0);
  std::string teams = Write("teams.csv", "Team,Manager,Manager 2\nVest,Kim Holm,Eva Berg\n");
  CliRun import = Salesbox("import --db " + db_ + " --kind teams " + teams);
  ASSERT_EQ(import.exit_code, 0) << import.output;
  EXPECT_THAT(import.output, HasSubstr("0 new, 1 updated, 0 unchanged"));
  CliRun exported = Salesbox("export --db " + db_ + " --kind teams");
  EXPECT_EQ(exported.output,
            "name,manager_email,managers\n"
            "Vest,kim@example.com,kim@example.com; eva@example.com\n"
            "Øst,,\n");

  // A manager no user has: exit 1, the place named, nothing changed.
  std::string bad = Write("bad.csv", "name,managers\nØst,eva@example.com\nVest,Kim; Nobody\n");
  CliRun failed = Salesbox("import --db " + db_ + " --kind teams " + bad);
  EXPECT_EQ(failed.exit_code, 1);
  EXPECT_THAT(failed.output, HasSubstr("bad.csv:3:2: managers: no user \"Kim\" exists"));
  EXPECT_THAT(failed.output, HasSubstr("nothing was imported"));
  EXPECT_EQ(Salesbox("export --db " + db_ + " --kind teams").output, exported.output);
}

// Issue 16: an XLSX made by LibreOffice from a CSV file (scripts/install-deps installs
// libreoffice-calc-nogui; CSV:44,34,76,1 reads the CSV as UTF-8) imports as the CSV does: its
// ISO dates become date serials in the workbook and come back as the same dates. Errors name file,
// sheet, row and column.
TEST_F(CliTest, ImportsAnXlsxMadeByLibreOfficeLikeTheCsvItCameFrom) {
  const std::string accounts = Write("accounts.csv",
                                     "Account ID,Account Name,Employees,Billing Country\n"
                                     "A1,Ærø Maskinfabrik A/S,120,Danmark\n"
                                     "A2,\"Bergen Bygg, avd. Nord\",40,Norway\n");
  const std::string deals = Write("deals.csv",
                                  "Opportunity ID,Account ID,Opportunity Name,Stage,Amount,"
                                  "Close Date\n"
                                  "O1,A1,Hal 3,negotiate,1234567.89,2025-04-30\n"
                                  "O2,A2,Lager,closed_won,250000,2024-12-31\n");
  const std::string convert =
      "HOME=" + dir_.string() + " libreoffice -env:UserInstallation=file://" + dir_.string() +
      "/lo --headless --infilter=CSV:44,34,76,1 --convert-to xlsx --outdir " + dir_.string() + " " +
      accounts + " " + deals + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(convert.c_str()), 0) << "libreoffice failed (scripts/install-deps)";
  const std::string accounts_xlsx = (dir_ / "accounts.xlsx").string();
  const std::string deals_xlsx = (dir_ / "deals.xlsx").string();
  ASSERT_TRUE(std::filesystem::exists(deals_xlsx));

  const std::string csv_db = (dir_ / "csv.db").string();
  ASSERT_EQ(Salesbox("import --db " + csv_db + " --kind accounts " + accounts).exit_code, 0);
  ASSERT_EQ(
      Salesbox("import --db " + csv_db + " --kind opportunities --currency DKK " + deals).exit_code,
      0);
  CliRun a = Salesbox("import --db " + db_ + " --kind accounts " + accounts_xlsx);
  ASSERT_EQ(a.exit_code, 0) << a.output;
  EXPECT_THAT(a.output,
              HasSubstr("accounts.xlsx, sheet \"accounts\": 2 accounts rows (xlsx): 2 new"));
  CliRun d = Salesbox("import --db " + db_ + " --sheets accounts=opportunities --currency DKK " +
                      deals_xlsx + " --sheet x");
  EXPECT_EQ(d.exit_code, 2) << d.output;  // --sheets names the kinds itself
  d = Salesbox("import --db " + db_ + " --sheets deals=opportunities --currency DKK " + deals_xlsx);
  ASSERT_EQ(d.exit_code, 0) << d.output;
  for (const char* kind : {"accounts", "opportunities"}) {
    EXPECT_EQ(Salesbox("export --db " + db_ + " --kind " + kind).output,
              Salesbox("export --db " + csv_db + " --kind " + kind).output)
        << kind;
  }
  EXPECT_THAT(Salesbox("export --db " + db_ + " --kind opportunities").output,
              HasSubstr("O2,A2,Lager,,closed_won,250000.00,DKK,1,2024-12-31,2024-12-31"));

  // A stage nobody knows: exit 1, the cell named, nothing written.
  const std::string bad = Write("bad.csv",
                                "Opportunity ID,Account ID,Opportunity Name,Stage\n"
                                "O3,A1,Ny hal,negotiate\nO4,A2,Kran,Engaging\n");
  const std::string convert_bad = "HOME=" + dir_.string() +
                                  " libreoffice -env:UserInstallation=file://" + dir_.string() +
                                  "/lo --headless --infilter=CSV:44,34,76,1 --convert-to xlsx " +
                                  "--outdir " + dir_.string() + " " + bad + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(convert_bad.c_str()), 0);
  CliRun failed =
      Salesbox("import --db " + db_ + " --kind opportunities " + (dir_ / "bad.xlsx").string());
  EXPECT_EQ(failed.exit_code, 1);
  EXPECT_THAT(failed.output, HasSubstr("bad.xlsx, sheet \"bad\", row 3, column D: stage:"));
  EXPECT_THAT(failed.output, HasSubstr("nothing was imported"));
  EXPECT_THAT(Salesbox("export --db " + db_ + " --kind opportunities").output,
              Not(HasSubstr("O3")));
  CliRun no_sheet = Salesbox("import --db " + db_ + " --kind opportunities --sheet Deals " +
                             (dir_ / "bad.xlsx").string());
  EXPECT_EQ(no_sheet.exit_code, 1);
  EXPECT_THAT(no_sheet.output, HasSubstr("has no sheet \"Deals\"; its sheets are \"bad\""));
}

// Issue 16: XLSX export of a list, read back by import as unchanged.
TEST_F(CliTest, ExportsAListAsXlsxThatImportsBackUnchanged) {
  const std::string accounts = Write("accounts.csv",
                                     "external_id,name,employees,country,industry\n"
                                     "A1,Ærø Maskinfabrik,120,DK,=HYPERLINK(\"x\")\n"
                                     "A2,Bergen Bygg,40,NO,\n");
  ASSERT_EQ(Salesbox("import --db " + db_ + " --kind accounts " + accounts).exit_code, 0);
  CliRun no_output = Salesbox("export --db " + db_ + " --kind accounts --format xlsx");
  EXPECT_EQ(no_output.exit_code, 2);
  EXPECT_THAT(no_output.output, HasSubstr("--format xlsx needs --output"));
  const std::string xlsx = (dir_ / "accounts.xlsx").string();
  CliRun exported =
      Salesbox("export --db " + db_ + " --kind accounts --format xlsx --output " + xlsx);
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  EXPECT_FALSE(std::filesystem::exists(xlsx + ".partial"));
  CliRun again = Salesbox("import --db " + db_ + " --kind accounts " + xlsx);
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_THAT(again.output, HasSubstr("2 accounts rows (xlsx): 0 new, 0 updated, 2 unchanged"));
}

TEST_F(CliTest, InitImportExportAndStats) {
  CliRun init = Salesbox("init --db " + db_);
  ASSERT_EQ(init.exit_code, 0) << init.output;
  EXPECT_THAT(init.output, HasSubstr("schema version 14"));

  std::string accounts = Write("accounts.csv",
                               "external_id;name;employees;country\n"
                               "A1;Ærø Maskinfabrik;1.200;Danmark\nA2;Bergen Bygg;40;NO\n");
  CliRun import = Salesbox("import --db " + db_ + " --kind accounts " + accounts);
  ASSERT_EQ(import.exit_code, 0) << import.output;
  EXPECT_THAT(import.output, HasSubstr("2 accounts rows"));
  EXPECT_THAT(import.output, HasSubstr("2 new, 0 updated, 0 unchanged"));

  CliRun exported = Salesbox("export --db " + db_ + " --kind accounts");
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  EXPECT_THAT(exported.output,
              HasSubstr("external_id,name,industry,employees,region,country,org_number,"
                        "owner_email,status\nA1,Ærø Maskinfabrik,,1200,,DK,,,prospect\n"));

  std::string out = (dir_ / "accounts.json").string();
  ASSERT_EQ(Salesbox("export --db " + db_ + " --kind accounts --format json --output " + out)
                .exit_code,
            0);
  std::ifstream json(out);
  std::string text((std::istreambuf_iterator<char>(json)), std::istreambuf_iterator<char>());
  EXPECT_THAT(text, HasSubstr("\"employees\": 1200"));

  CliRun stats = Salesbox("stats --db " + db_);
  ASSERT_EQ(stats.exit_code, 0) << stats.output;
  EXPECT_THAT(stats.output, HasSubstr("accounts"));
}

TEST_F(CliTest, FailedImportExitsOneNamesTheCellAndWritesNothing) {
  ASSERT_EQ(Salesbox("init --db " + db_).exit_code, 0);
  std::string file = Write("bad.csv",
                           "external_id,name,employees\nA1,Good,10\nA2,Also good,20\n"
                           "A3,Bad,lots\n");
  CliRun run = Salesbox("import --db " + db_ + " --kind accounts " + file);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.output, HasSubstr(file + ":4:3: employees: \"lots\" is not a whole number"));
  EXPECT_THAT(run.output, HasSubstr("1 error; nothing was imported"));
  CliRun exported = Salesbox("export --db " + db_ + " --kind accounts");
  EXPECT_THAT(exported.output, Not(HasSubstr("A1")));

  CliRun dry = Salesbox("import --db " + db_ + " --kind accounts --dry-run " +
                     Write("ok.csv", "name\nX\n"));
  EXPECT_EQ(dry.exit_code, 0) << dry.output;
  EXPECT_THAT(dry.output, HasSubstr("dry run, nothing written"));
  EXPECT_THAT(Salesbox("export --db " + db_ + " --kind accounts").output, Not(HasSubstr("X")));
}

// Issue 16: the help names every kind, --max-errors is a hard limit, export defuses formulas.
TEST_F(CliTest, ImportHelpListsEveryKind) {
  CliRun help = Salesbox("import --help");
  ASSERT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.output,
              HasSubstr("kinds: users teams segments accounts contacts campaigns leads "
                        "opportunities opportunity-history activities orders scorecard-answers "
                        "objectives value-propositions\n"));
  for (const char* flag : {"--values", "--set", "--name", "--mapping", "--date-order"}) {
    EXPECT_THAT(help.output, HasSubstr(flag));
  }
}

TEST_F(CliTest, ImportMaxErrorsReportsAtMostThatMany) {
  ASSERT_EQ(Salesbox("init --db " + db_).exit_code, 0);
  std::string file = "name,employees,country\n";
  for (int i = 0; i < 8; ++i) {
    file += 'X';
    file += std::to_string(i);
    file += ",many,Atlantis\n";
  }
  CliRun run = Salesbox("import --db " + db_ + " --kind accounts --max-errors 5 " +
                        Write("bad.csv", file));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.output, HasSubstr("5 errors (stopped looking; there may be more)"));
  int lines = 0;
  for (size_t at = run.output.find("bad.csv:"); at != std::string::npos;
       at = run.output.find("bad.csv:", at + 1)) {
    ++lines;
  }
  EXPECT_EQ(lines, 5) << run.output;
}

TEST_F(CliTest, ExportNeutralisesFormulaCells) {
  ASSERT_EQ(Salesbox("init --db " + db_).exit_code, 0);
  CliRun import = Salesbox("import --db " + db_ + " --kind accounts " +
                           Write("a.csv", "external_id,name\nA1,=HYPERLINK(\"x\")\n"));
  ASSERT_EQ(import.exit_code, 0) << import.output;
  CliRun exported = Salesbox("export --db " + db_ + " --kind accounts");
  EXPECT_THAT(exported.output, HasSubstr("A1,\"'=HYPERLINK(\"\"x\"\")\""));
  EXPECT_THAT(exported.output, Not(HasSubstr(",=HYPERLINK")));
}

// A CRM export with owners by name, its own stage names and US dates, through a saved mapping.
TEST_F(CliTest, ImportWithASavedMappingValueMapsAndOwnersByName) {
  ASSERT_EQ(Salesbox("init --db " + db_).exit_code, 0);
  ASSERT_EQ(Salesbox("import --db " + db_ + " --kind accounts " +
                     Write("a.csv", "Company ID,Company name,Country\n1,Acme Inc,United States\n"))
                .exit_code,
            0);
  std::string mapping = Write("deals.json", R"({
    "columns": {"external_id": "Deal ID", "account": "Company ID"},
    "values": {"stage": {"Engaging": "discover", "Closed Won - Paid": "closed_won"}},
    "set": {"currency": "USD"},
    "date_order": "mdy"})");
  std::string deals = Write("deals.csv",
                            "Deal ID,Company ID,Product,Stage,Amount,Close Date,Owner\n"
                            "D1,1,Widgets,Engaging,\"$1,200.00\",5/26/17,Kim Larsen\n"
                            "D2,1,Gadgets,Closed Won - Paid,$-,6/30/17,Kim Larsen\n");
  CliRun dry = Salesbox("import --db " + db_ + " --kind opportunities --mapping " + mapping +
                        " --name \"{Product} for {Company ID}\" --dry-run " + deals);
  ASSERT_EQ(dry.exit_code, 0) << dry.output;
  EXPECT_THAT(dry.output, HasSubstr("would create 1 user"));
  CliRun run = Salesbox("import --db " + db_ + " --kind opportunities --mapping " + mapping +
                        " --name \"{Product} for {Company ID}\" " + deals);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_THAT(run.output, HasSubstr("2 new, 0 updated"));
  EXPECT_THAT(run.output, HasSubstr("created 1 user"));
  EXPECT_THAT(run.output, HasSubstr("  Kim Larsen <kim.larsen@no-email.invalid>\n"));
  CliRun exported = Salesbox("export --db " + db_ + " --kind opportunities");
  EXPECT_THAT(exported.output,
              HasSubstr("D1,1,Widgets for 1,kim.larsen@no-email.invalid,discover,1200.00,USD,"));
  EXPECT_THAT(exported.output, HasSubstr("2017-05-26"));
  // "$-" is no amount: unknown, not 0.
  EXPECT_THAT(exported.output, HasSubstr("D2,1,Gadgets for 1,kim.larsen@no-email.invalid,"
                                         "closed_won,,USD,"));

  CliRun bad = Salesbox("import --db " + db_ + " --kind opportunities --mapping " +
                        Write("bad.json", "{\"colums\": {}}") + " " + deals);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.output, HasSubstr("bad.json: unknown key \"colums\""));
  CliRun order = Salesbox("import --db " + db_ + " --kind opportunities --date-order iso " + deals);
  EXPECT_EQ(order.exit_code, 2);
  EXPECT_THAT(order.output, HasSubstr("is not one of dmy (31/12/25), mdy (12/31/25) or ymd"));
}

// Every import ends with the data-quality report; `salesbox doctor` prints it on its own, in
// the language asked for.
TEST_F(CliTest, ImportAndDoctorPrintTheDataQualityReport) {
  ASSERT_EQ(Salesbox("init --db " + db_).exit_code, 0);
  CliRun accounts = Salesbox("import --db " + db_ + " --kind accounts " +
                             Write("a.csv", "external_id,name\nA1,Acme A/S\nA2,ACME ApS\n"));
  ASSERT_EQ(accounts.exit_code, 0) << accounts.output;
  EXPECT_THAT(accounts.output,
              HasSubstr("\nData quality: 0 deals (0 open), 2 accounts, 0 activities\n"
                        "  ! 2 of 2 accounts share their name with another but for case, "
                        "punctuation or legal form\n"));
  EXPECT_THAT(accounts.output, HasSubstr("    for example:\n      ACME ApS ~ Acme A/S\n"));
  CliRun deals = Salesbox("import --db " + db_ + " --kind opportunities --currency DKK " +
                          Write("o.csv", "external_id,account,name,stage,amount\n"
                                         "O1,A1,Deal,propose,\n") +
                          " --locale da");
  ASSERT_EQ(deals.exit_code, 0) << deals.output;
  EXPECT_THAT(deals.output, HasSubstr("  ! 1 af 1 åbne handler har ingen forventet lukkedato\n"));
  EXPECT_THAT(deals.output, HasSubstr("  ! 1 af 1 åbne handler har intet beløb\n"));
  EXPECT_THAT(deals.output, HasSubstr("  ! Der er ingen aktiviteter registreret\n"));
  CliRun dry = Salesbox("import --db " + db_ + " --kind accounts --dry-run " +
                        Write("b.csv", "external_id,name\nA3,Other\n"));
  ASSERT_EQ(dry.exit_code, 0) << dry.output;
  EXPECT_THAT(dry.output, Not(HasSubstr("Data quality")));

  CliRun doctor = Salesbox("doctor --db " + db_ + " --locale sv");
  ASSERT_EQ(doctor.exit_code, 0) << doctor.output;
  EXPECT_THAT(doctor.output, HasSubstr("Datakvalitet: 1 affärer (1 öppna), 2 kunder, 0 aktiviteter\n"
                                       "  ! 1 av 1 öppna affärer saknar förväntat stängningsdatum\n"
                                       "    Prognosen kan inte placera dem i en period"));
  CliRun bad_locale = Salesbox("doctor --db " + db_ + " --locale fi");
  EXPECT_EQ(bad_locale.exit_code, 2);
  EXPECT_THAT(bad_locale.output, HasSubstr("--locale: \"fi\" is not one of en, da, sv, nb"));
  CliRun missing = Salesbox("doctor --db " + (dir_ / "nope.db").string());
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "nope.db"));
}

TEST_F(CliTest, MissingFileAndGarbageDatabaseAreErrors) {
  CliRun missing = Salesbox("import --db " + db_ + " --kind accounts " + (dir_ / "nope.csv").string());
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.output, HasSubstr("nope.csv"));
  std::string garbage = Write("garbage.db", std::string(4096, 'x'));
  CliRun opened = Salesbox("stats --db " + garbage);
  EXPECT_EQ(opened.exit_code, 1);
  EXPECT_THAT(opened.output, HasSubstr("salesbox stats:"));
}

TEST_F(CliTest, UserAddPasswdAndList) {
  ASSERT_EQ(Salesbox("init --db " + db_).exit_code, 0);
  const std::string password = Write("pw", "correct horse battery\n");
  const std::string add = "user add --db " + db_ +
                          " --email Anna@Example.dk --name 'Anna Holm' --role manager"
                          " --team 'Danmark Øst' --locale da --password-stdin < " + password;
  CliRun added = Salesbox(add);
  ASSERT_EQ(added.exit_code, 0) << added.output;
  EXPECT_THAT(added.output, HasSubstr("added anna@example.dk (manager"));
  CliRun list = Salesbox("user list --db " + db_);
  ASSERT_EQ(list.exit_code, 0) << list.output;
  EXPECT_THAT(list.output, HasSubstr("anna@example.dk"));
  EXPECT_THAT(list.output, HasSubstr("Danmark Øst"));
  EXPECT_THAT(list.output, HasSubstr("yes"));
  // The hash is argon2id, never the password.
  CliRun exported = Salesbox("export --db " + db_ + " --kind users");
  EXPECT_THAT(exported.output, Not(HasSubstr("correct horse")));

  CliRun twice = Salesbox(add);
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_THAT(twice.output, HasSubstr("exists already"));
  CliRun passwd = Salesbox("user passwd --db " + db_ + " --email anna@example.dk --password-stdin < " +
                           Write("pw2", "another good one\n"));
  EXPECT_EQ(passwd.exit_code, 0) << passwd.output;
  CliRun nobody = Salesbox("user passwd --db " + db_ + " --email nobody@example.dk --password-stdin < " +
                           password);
  EXPECT_EQ(nobody.exit_code, 1);
  EXPECT_THAT(nobody.output, HasSubstr("no user has e-mail nobody@example.dk"));
  CliRun short_password = Salesbox("user add --db " + db_ +
                                   " --email b@example.dk --name B --password-stdin < " +
                                   Write("short", "abc\n"));
  EXPECT_EQ(short_password.exit_code, 1);
  EXPECT_THAT(short_password.output, HasSubstr("at least 8 characters"));
  CliRun no_stdin = Salesbox("user add --db " + db_ + " --email c@example.dk --name C");
  EXPECT_EQ(no_stdin.exit_code, 2);
  EXPECT_THAT(no_stdin.output, HasSubstr("--password-stdin is required"));
  CliRun bad_role = Salesbox("user add --db " + db_ +
                             " --email d@example.dk --name D --role boss --password-stdin < " +
                             password);
  EXPECT_EQ(bad_role.exit_code, 2);
  EXPECT_THAT(bad_role.output, HasSubstr("--role"));
  EXPECT_EQ(Salesbox("user frobnicate --db " + db_).exit_code, 2);
}

TEST_F(CliTest, ServeRefusesAMissingDatabaseAndBadFlags) {
  CliRun missing = Salesbox("serve --db " + (dir_ / "nope.db").string() + " --port 0");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.output, HasSubstr("does not exist"));
  ASSERT_EQ(Salesbox("init --db " + db_).exit_code, 0);
  CliRun bad_port = Salesbox("serve --db " + db_ + " --port 70000");
  EXPECT_EQ(bad_port.exit_code, 2);
  EXPECT_THAT(bad_port.output, HasSubstr("--port"));
  CliRun bad_web = Salesbox("serve --db " + db_ + " --port 0 --web " + (dir_ / "no-web").string());
  EXPECT_EQ(bad_web.exit_code, 1);
  EXPECT_THAT(bad_web.output, HasSubstr("no-web"));
}

TEST_F(CliTest, DemoGeneratesAndPrintsLogins) {
  CliRun demo = Salesbox("demo --db " + db_ + " --scale 0.05 --today 2025-06-30 --no-serve --quiet");
  ASSERT_EQ(demo.exit_code, 0) << demo.output;
  EXPECT_THAT(demo.output, HasSubstr("Generated the demo company"));
  for (const char* role : {"rep", "manager", "executive", "marketing", "admin"}) {
    EXPECT_THAT(demo.output, HasSubstr(std::string("  ") + role)) << role;
  }
  EXPECT_THAT(demo.output, HasSubstr("password is salesbox-demo"));
  CliRun again = Salesbox("demo --db " + db_ + " --scale 0.05 --no-serve --quiet");
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.output, HasSubstr("--replace"));
  EXPECT_EQ(Salesbox("demo --db " + db_ + " --scale 0.05 --no-serve --quiet --replace").exit_code,
            0);
}

TEST_F(CliTest, DemoCompanyExportImportsBackByteForByte) {
  ASSERT_EQ(Salesbox("demo --db " + db_ + " --scale 0.05 --today 2025-06-30 --no-serve --quiet")
                .exit_code,
            0);
  const std::string copy = (dir_ / "copy.db").string();
  const char* kinds[] = {"users",         "teams",         "segments",
                         "accounts",      "contacts",      "campaigns",
                         "leads",         "opportunities", "opportunity-history",
                         "activities",    "orders",        "scorecard-answers",
                         "objectives",    "value-propositions"};
  std::vector<std::string> exported;
  for (const char* kind : kinds) {
    CliRun run = Salesbox("export --db " + db_ + " --kind " + kind);
    ASSERT_EQ(run.exit_code, 0) << run.output;
    exported.push_back(run.output);
    std::string file = Write(std::string(kind) + ".csv", run.output);
    CliRun imported = Salesbox("import --db " + copy + " --kind " + kind + " " + file);
    ASSERT_EQ(imported.exit_code, 0) << kind << ": " << imported.output;
  }
  EXPECT_GT(exported[7].size(), 10000u);  // opportunities: a real amount of data
  for (size_t i = 0; i < std::size(kinds); ++i) {
    EXPECT_EQ(Salesbox("export --db " + copy + " --kind " + kinds[i]).output, exported[i])
        << kinds[i];
  }
}

TEST_F(CliTest, ForecastBacktestSnapshotsAndBadFlags) {
  ASSERT_EQ(Salesbox("demo --db " + db_ + " --scale 0.25 --today 2025-06-30 --no-serve --quiet")
                .exit_code,
            0);
  const std::string base = "forecast --db " + db_ + " --as-of 2025-06-30";
  CliRun table = Salesbox(base + " --period 2025-Q3");
  ASSERT_EQ(table.exit_code, 0) << table.output;
  EXPECT_THAT(table.output, HasSubstr("Forecast 2025-Q3 (2025-07-01..2025-09-30) as of 2025-06-30"));
  EXPECT_THAT(table.output, HasSubstr("method: model"));
  EXPECT_THAT(table.output, HasSubstr("Optimism per rep"));

  CliRun json = Salesbox(base + " --format json");
  ASSERT_EQ(json.exit_code, 0) << json.output;
  nlohmann::json forecast = nlohmann::json::parse(json.output);
  EXPECT_EQ(forecast["period"]["label"], "2025-Q2");
  EXPECT_EQ(forecast["deals"].size(), forecast["deals_total"].get<size_t>());
  for (const auto& total : forecast["totals"]) {
    EXPECT_LE(total["p10"]["amount_minor"].get<int64_t>(), total["p90"]["amount_minor"].get<int64_t>());
  }
  CliRun csv = Salesbox(base + " --format csv --team \"Danmark Øst\"");
  ASSERT_EQ(csv.exit_code, 0) << csv.output;
  EXPECT_THAT(csv.output, HasSubstr("opportunity_id,name,owner,stage,amount,currency,close_date"));

  CliRun backtest = Salesbox("forecast backtest --db " + db_ + " --as-of 2025-06-30 --format json");
  ASSERT_EQ(backtest.exit_code, 0) << backtest.output;
  nlohmann::json bt = nlohmann::json::parse(backtest.output);
  for (const char* key : {"model", "stated", "stage_default"}) {
    for (const char* metric : {"brier", "log_loss", "auc"}) {
      EXPECT_TRUE(bt[key][metric].is_number()) << key << " " << metric;
    }
    EXPECT_EQ(bt[key]["reliability"].size(), 10u) << key;
  }
  EXPECT_LT(bt["model"]["brier"].get<double>(), bt["stated"]["brier"].get<double>());

  CliRun first = Salesbox("forecast snapshot --db " + db_ + " --as-of 2025-06-23");
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_THAT(first.output, HasSubstr("snapshot 1:"));
  ASSERT_EQ(Salesbox("forecast snapshot --db " + db_ + " --as-of 2025-06-30").exit_code, 0);
  CliRun moved = Salesbox("forecast moved --db " + db_ + " --from 1 --to 2 --format json");
  ASSERT_EQ(moved.exit_code, 0) << moved.output;
  EXPECT_EQ(nlohmann::json::parse(moved.output)["summary"].size(), 7u);
  EXPECT_EQ(Salesbox("forecast moved --db " + db_ + " --from 1 --to 9").exit_code, 1);

  for (const std::string& bad :
       {base + " --period 2025-Q5", base + " --team Nowhere", base + " --format xml",
        "forecast --db " + db_ + " --as-of 2999-01-01", "forecast backtest --db " + db_ + " --period 2025-Q1",
        "forecast moved --db " + db_ + " --from 1", "forecast moved --db " + db_ + " --from x --to 2",
        "forecast frobnicate --db " + db_, std::string("forecast")}) {
    CliRun run = Salesbox(bad);
    EXPECT_EQ(run.exit_code, 2) << bad << ": " << run.output;
    EXPECT_THAT(run.output, HasSubstr("salesbox forecast:")) << bad;
  }
  CliRun missing = Salesbox("forecast --db " + (dir_ / "nope.db").string());
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "nope.db"));
}

TEST_F(CliTest, AuditPrintsEveryFormatSavesRunsAndRefusesBadFlags) {
  ASSERT_EQ(Salesbox("demo --db " + db_ + " --scale 0.05 --today 2025-06-30 --no-serve --quiet")
                .exit_code,
            0);
  const std::string base = "audit --db " + db_ + " --as-of 2025-06-30";
  CliRun table = Salesbox(base);
  ASSERT_EQ(table.exit_code, 0) << table.output;
  EXPECT_THAT(table.output, HasSubstr("Audit as of 2025-06-30 (company)"));
  EXPECT_THAT(table.output, HasSubstr("weakest area"));

  CliRun json = Salesbox(base + " --format json --locale da");
  ASSERT_EQ(json.exit_code, 0) << json.output;
  nlohmann::json report = nlohmann::json::parse(json.output);
  EXPECT_EQ(report["as_of"], "2025-06-30");
  EXPECT_EQ(report["locale"], "da");
  const int64_t items = report["summary"]["items"];
  EXPECT_GT(items, 0);
  EXPECT_EQ(report["items"].size(), static_cast<size_t>(items));

  CliRun csv = Salesbox(base + " --format csv");
  ASSERT_EQ(csv.exit_code, 0);
  EXPECT_EQ(std::count(csv.output.begin(), csv.output.end(), '\n') - 1 >= items, true);
  EXPECT_THAT(csv.output, HasSubstr("subject_type,id,external_id,name,owner,team,stage,colour"));

  const std::string html = (dir_ / "audit.html").string();
  ASSERT_EQ(Salesbox(base + " --format html --locale sv --out " + html).exit_code, 0);
  std::ifstream html_in(html);
  std::string page((std::istreambuf_iterator<char>(html_in)), std::istreambuf_iterator<char>());
  EXPECT_THAT(page, HasSubstr("<svg"));

  const std::string pdf = (dir_ / "audit.pdf").string();
  CliRun pdf_run = Salesbox(base + " --format pdf --out " + pdf);
  ASSERT_EQ(pdf_run.exit_code, 0) << pdf_run.output;
  std::ifstream pdf_in(pdf, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(pdf_in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes.substr(0, 5), "%PDF-");
  EXPECT_THAT(bytes.substr(bytes.size() - 8), HasSubstr("%%EOF"));

  // Saved runs: the second shows the trend against the first.
  CliRun first = Salesbox(base + " --save --format json");
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_THAT(first.output, HasSubstr("saved audit run 1"));
  CliRun second = Salesbox(base + " --save");
  ASSERT_EQ(second.exit_code, 0) << second.output;
  EXPECT_THAT(second.output, HasSubstr("trend against run 1 (as of 2025-06-30): 0 to green, 0 to "
                                       "yellow, 0 to red, " + std::to_string(items) +
                                       " unchanged, 0 new, 0 gone"));

  CliRun team = Salesbox(base + " --team Norge --format json");
  ASSERT_EQ(team.exit_code, 0) << team.output;
  EXPECT_EQ(nlohmann::json::parse(team.output)["scope"], "team:Norge");

  EXPECT_EQ(Salesbox(base + " --format xml").exit_code, 2);
  EXPECT_EQ(Salesbox(base + " --format pdf").exit_code, 2);  // needs --out
  EXPECT_EQ(Salesbox("audit --db " + db_ + " --as-of 2025-13-01").exit_code, 2);
  EXPECT_EQ(Salesbox("audit --db " + db_ + " --as-of 2999-01-01").exit_code, 2);
  EXPECT_EQ(Salesbox("audit --db " + db_ + " --locale fi").exit_code, 2);
  CliRun no_team = Salesbox(base + " --team Atlantis");
  EXPECT_EQ(no_team.exit_code, 1);
  EXPECT_THAT(no_team.output, HasSubstr("no team \"Atlantis\""));
  CliRun missing = Salesbox("audit --db " + (dir_ / "nope.db").string());
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.output, HasSubstr("does not exist"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "nope.db"));
}

TEST_F(CliTest, PlaybookLoadListShowAndBadFiles) {
  ASSERT_EQ(Salesbox("init --db " + db_).exit_code, 0);
  CliRun shown = Salesbox("playbook show meddicc");
  ASSERT_EQ(shown.exit_code, 0);
  const std::string file = Write("meddicc.json", shown.output);
  CliRun loaded = Salesbox("playbook load --db " + db_ + " " + file);
  ASSERT_EQ(loaded.exit_code, 0) << loaded.output;
  EXPECT_THAT(loaded.output, HasSubstr("loaded meddicc revision 1 (opportunity), active"));
  EXPECT_THAT(Salesbox("playbook load --db " + db_ + " " + file).output,
              HasSubstr("unchanged: meddicc revision 1"));
  CliRun list = Salesbox("playbook list --db " + db_);
  EXPECT_THAT(list.output, HasSubstr("active: meddicc@1 (opportunities), default-account@builtin"));

  nlohmann::json bad = nlohmann::json::parse(shown.output);
  bad["criteria"][2]["area"] = "pain";
  const std::string bad_file = Write("bad.json", bad.dump());
  CliRun refused = Salesbox("playbook load --db " + db_ + " " + bad_file);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.output, HasSubstr("bad.json: playbook: criteria[2].area: unknown area \"pain\""));
  const std::string broken = Write("broken.json", "{\"name\": \"x\",");
  EXPECT_THAT(Salesbox("playbook load --db " + db_ + " " + broken).output,
              HasSubstr("not valid JSON"));
  EXPECT_EQ(Salesbox("playbook show nothing").exit_code, 1);
  EXPECT_EQ(Salesbox("playbook frobnicate --db " + db_).exit_code, 2);
}

}  // namespace
}  // namespace salesbox

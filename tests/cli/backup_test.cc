// SPDX-License-Identifier: MIT
// `salesbox backup` and `salesbox restore` as a user runs them, and what the CLI and the server
// answer when the database cannot be written: a full disk (a file size limit, RLIMIT_FSIZE, fails
// writes the way a full disk does) and a read-only database file.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "testing/cli_run.h"
#include "testing/http_client.h"
#include "testing/serve_process.h"

namespace salesbox {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

constexpr char kPassword[] = "backup-test-password";

test::CliRun Salesbox(const std::string& args) { return test::RunCli(SALESBOX_BINARY, args); }

// Every kind `salesbox export` writes, in an order that can be compared.
const std::vector<std::string>& Kinds() {
  static const std::vector<std::string> kinds = {
      "users",         "teams",      "segments",          "accounts",   "contacts",
      "campaigns",     "leads",      "opportunities",     "opportunity-history",
      "activities",    "orders",     "scorecard-answers", "objectives", "value-propositions"};
  return kinds;
}

class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("salesbox_backup_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "t.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  // Every kind's CSV export of `db`, concatenated with a header per kind.
  std::string ExportAll(const std::string& db) {
    std::string all;
    for (const std::string& kind : Kinds()) {
      test::CliRun run = Salesbox("export --db " + db + " --kind " + kind);
      EXPECT_EQ(run.exit_code, 0) << kind << ": " << run.output;
      all += "== " + kind + "\n" + run.output;
    }
    return all;
  }

  // A database with one admin, admin@example.com, who signs in with kPassword.
  void MakeDatabaseWithAdmin() {
    ASSERT_EQ(Salesbox("init --db " + db_).exit_code, 0);
    std::ofstream(Path("password")) << kPassword << "\n";
    test::CliRun added = Salesbox("user add --db " + db_ +
                                  " --email admin@example.com --name Admin --role admin "
                                  "--password-stdin < " + Path("password"));
    ASSERT_EQ(added.exit_code, 0) << added.output;
  }

  std::filesystem::path dir_;
  std::string db_;
};

// The session cookie and CSRF token of admin@example.com on the server at `port`.
struct Signed {
  std::string cookie;
  std::string csrf;
};
Signed SignIn(uint16_t port) {
  test::HttpAnswer answer =
      test::HttpRequest(port, "POST", "/api/v1/session",
                        json{{"email", "admin@example.com"}, {"password", kPassword}}.dump());
  Signed out;
  if (answer.status != 200) return out;
  const std::string set = answer.Header("Set-Cookie");
  out.cookie = set.substr(0, set.find(';'));
  out.csrf = json::parse(answer.body, nullptr, false).value("csrf_token", "");
  return out;
}

TEST_F(BackupTest, TheDemoCompanyRoundTripsThroughBackupAndRestoreByteForByte) {
  ASSERT_EQ(Salesbox("demo --db " + db_ + " --scale 0.05 --today 2025-06-30 --no-serve --quiet")
                .exit_code,
            0);
  const std::string before = ExportAll(db_);
  ASSERT_GT(before.size(), 100000u);

  test::CliRun backup = Salesbox("backup --db " + db_ + " --out " + Path("company.backup"));
  ASSERT_EQ(backup.exit_code, 0) << backup.output;
  EXPECT_THAT(backup.output, HasSubstr("company.backup"));
  std::vector<std::string> left;
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    left.push_back(entry.path().filename().string());
  }
  EXPECT_THAT(left, ::testing::Not(::testing::Contains(HasSubstr("partial"))));

  const std::string restored = Path("restored.db");
  test::CliRun restore =
      Salesbox("restore --from " + Path("company.backup") + " --db " + restored);
  ASSERT_EQ(restore.exit_code, 0) << restore.output;
  EXPECT_EQ(ExportAll(restored), before);

  // Over an existing database only with --replace; the result is the backup, not a mix.
  ASSERT_EQ(Salesbox("init --db " + Path("other.db")).exit_code, 0);
  test::CliRun refused =
      Salesbox("restore --from " + Path("company.backup") + " --db " + Path("other.db"));
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.output, HasSubstr("--replace"));
  test::CliRun replaced = Salesbox("restore --from " + Path("company.backup") + " --db " +
                                   Path("other.db") + " --replace");
  ASSERT_EQ(replaced.exit_code, 0) << replaced.output;
  EXPECT_EQ(ExportAll(Path("other.db")), before);
}

TEST_F(BackupTest, ABackupWhileTheServerWritesHoldsEveryAcknowledgedWrite) {
  MakeDatabaseWithAdmin();
  test::Child server(SALESBOX_BINARY, {"serve", "--db", db_, "--port", "0", "--web", ""});
  const uint16_t port = server.WaitForPort();
  ASSERT_NE(port, 0);
  const Signed admin = SignIn(port);
  ASSERT_FALSE(admin.cookie.empty());
  for (int i = 0; i < 20; ++i) {
    test::HttpAnswer created = test::HttpRequest(
        port, "POST", "/api/v1/accounts", json{{"name", "Before " + std::to_string(i)}}.dump(),
        {{"Cookie", admin.cookie}, {"X-CSRF-Token", admin.csrf}});
    ASSERT_EQ(created.status, 201) << created.body;
  }
  test::CliRun backup = Salesbox("backup --db " + db_ + " --out " + Path("live.backup"));
  ASSERT_EQ(backup.exit_code, 0) << backup.output;

  // Restoring over the database the server has open is refused.
  test::CliRun in_use =
      Salesbox("restore --from " + Path("live.backup") + " --db " + db_ + " --replace");
  EXPECT_EQ(in_use.exit_code, 1);
  EXPECT_THAT(in_use.output, HasSubstr("in use"));
  server.Kill(SIGTERM);

  ASSERT_EQ(Salesbox("restore --from " + Path("live.backup") + " --db " + Path("r.db")).exit_code,
            0);
  test::CliRun accounts = Salesbox("export --db " + Path("r.db") + " --kind accounts");
  for (int i = 0; i < 20; ++i) {
    EXPECT_THAT(accounts.output, HasSubstr("Before " + std::to_string(i) + ","));
  }
}

TEST_F(BackupTest, BadBackupsAndTargetsAreErrorsThatChangeNothing) {
  EXPECT_EQ(Salesbox("backup --db " + db_).exit_code, 2);
  EXPECT_EQ(Salesbox("restore --db " + db_).exit_code, 2);
  test::CliRun missing = Salesbox("backup --db " + Path("nope.db") + " --out " + Path("b"));
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.output, HasSubstr("does not exist"));

  ASSERT_EQ(Salesbox("init --db " + db_).exit_code, 0);
  std::ofstream(Path("taken")) << "mine";
  test::CliRun taken = Salesbox("backup --db " + db_ + " --out " + Path("taken"));
  EXPECT_EQ(taken.exit_code, 1);
  EXPECT_THAT(taken.output, HasSubstr("exists already"));
  std::ifstream in(Path("taken"));
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "mine");

  std::ofstream(Path("garbage.backup")) << std::string(8192, 'x');
  test::CliRun garbage = Salesbox("restore --from " + Path("garbage.backup") + " --db " +
                                  Path("new.db"));
  EXPECT_EQ(garbage.exit_code, 1);
  EXPECT_THAT(garbage.output, HasSubstr("garbage.backup"));
  EXPECT_FALSE(std::filesystem::exists(Path("new.db")) &&
               std::filesystem::file_size(Path("new.db")) > 0);

  // A SQLite database that is not salesbox's, and a backup cut short.
  ASSERT_EQ(Salesbox("backup --db " + db_ + " --out " + Path("good.backup")).exit_code, 0);
  std::filesystem::copy_file(Path("good.backup"), Path("cut.backup"));
  std::filesystem::resize_file(Path("cut.backup"),
                               std::filesystem::file_size(Path("good.backup")) / 2);
  test::CliRun cut =
      Salesbox("restore --from " + Path("cut.backup") + " --db " + Path("new2.db"));
  EXPECT_EQ(cut.exit_code, 1) << cut.output;
}

// --- the database cannot be written ------------------------------------------------------------

// Runs `args` as a user who may not write the database file: chmod 0444 does that for a normal
// user; root writes anyway, so as root the command runs as nobody (setpriv).
std::vector<std::string> AsUnprivileged(std::vector<std::string> args) {
  if (::geteuid() != 0) return args;
  args.insert(args.begin(), {"--reuid=65534", "--regid=65534", "--clear-groups", SALESBOX_BINARY});
  return args;
}
std::string UnprivilegedBinary() { return ::geteuid() == 0 ? "/usr/bin/setpriv" : SALESBOX_BINARY; }

// Waits for `child` to end and returns its exit code (-1 if it did not exit normally).
int ExitCode(test::Child& child) {
  const int status = child.Wait();
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST_F(BackupTest, AReadOnlyDatabaseIsACleanErrorInTheCliAndA503InTheApi) {
  MakeDatabaseWithAdmin();
  std::filesystem::permissions(dir_, std::filesystem::perms::all);  // -wal and -shm may be made
  ::chmod(db_.c_str(), 0444);
  std::ofstream(Path("accounts.csv")) << "external_id,name\nA-1,Acme\n";
  ::chmod(Path("accounts.csv").c_str(), 0644);

  test::ChildOptions options;
  options.output_file = Path("import.out");
  test::Child import(UnprivilegedBinary(),
                     AsUnprivileged({"import", "--db", db_, "--kind", "accounts",
                                     Path("accounts.csv")}),
                     options);
  EXPECT_EQ(ExitCode(import), 1);
  EXPECT_THAT(ReadFile(Path("import.out")), HasSubstr("read-only"));

  test::Child server(UnprivilegedBinary(),
                     AsUnprivileged({"serve", "--db", db_, "--port", "0", "--web", ""}));
  const uint16_t port = server.WaitForPort();
  ASSERT_NE(port, 0) << "serve reads a read-only database";
  EXPECT_EQ(test::HttpRequest(port, "GET", "/healthz").status, 200);
  test::HttpAnswer sign_in =
      test::HttpRequest(port, "POST", "/api/v1/session",
                        json{{"email", "admin@example.com"}, {"password", kPassword}}.dump());
  EXPECT_EQ(sign_in.status, 503) << sign_in.body;
  const json error = json::parse(sign_in.body, nullptr, false);
  EXPECT_EQ(error["error"]["code"], "read_only") << sign_in.body;
  EXPECT_THAT(error["error"]["message"].get<std::string>(), HasSubstr("read-only"));
  server.Kill(SIGTERM);
  ::chmod(db_.c_str(), 0644);
}

TEST_F(BackupTest, AFullDiskIsACleanErrorInTheCliAndA503InTheApiAndCorruptsNothing) {
  MakeDatabaseWithAdmin();
  const uint64_t limit = std::filesystem::file_size(db_) + 256 * 1024;
  // An import bigger than the room left.
  {
    std::ofstream csv(Path("accounts.csv"));
    csv << "external_id,name,industry\n";
    for (int i = 0; i < 5000; ++i) {
      csv << "A-" << i << ",Company number " << i << " with a long enough name,Manufacturing\n";
    }
  }
  test::ChildOptions options;
  options.file_size_limit = limit;
  options.output_file = Path("import.out");
  test::Child import(SALESBOX_BINARY, {"import", "--db", db_, "--kind", "accounts",
                                       Path("accounts.csv")},
                     options);
  EXPECT_EQ(ExitCode(import), 1);
  EXPECT_THAT(ReadFile(Path("import.out")), HasSubstr("the disk is full"));

  options.output_file = Path("serve.out");
  test::Child server(SALESBOX_BINARY, {"serve", "--db", db_, "--port", "0", "--web", ""},
                     options);
  const uint16_t port = server.WaitForPort();
  ASSERT_NE(port, 0) << ReadFile(Path("serve.out"));
  const Signed admin = SignIn(port);
  ASSERT_FALSE(admin.cookie.empty());
  int created = 0;
  test::HttpAnswer full;
  for (int i = 0; i < 2000; ++i) {
    test::HttpAnswer answer = test::HttpRequest(
        port, "POST", "/api/v1/accounts",
        json{{"name", std::to_string(i) + std::string(2000, 'n')}}.dump(),
        {{"Cookie", admin.cookie}, {"X-CSRF-Token", admin.csrf}});
    if (answer.status == 201) {
      ++created;
      continue;
    }
    full = answer;
    break;
  }
  EXPECT_GT(created, 0);
  ASSERT_EQ(full.status, 503) << full.body;
  const json error = json::parse(full.body, nullptr, false);
  EXPECT_EQ(error["error"]["code"], "disk_full");
  EXPECT_THAT(error["error"]["message"].get<std::string>(), HasSubstr("the disk is full"));
  // Reading goes on.
  EXPECT_EQ(test::HttpRequest(port, "GET", "/api/v1/accounts?limit=1", "",
                              {{"Cookie", admin.cookie}})
                .status,
            200);
  server.Kill(SIGTERM);

  // With room again the database is whole and holds every acknowledged account.
  test::CliRun exported = Salesbox("export --db " + db_ + " --kind accounts");
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  EXPECT_EQ(std::count(exported.output.begin(), exported.output.end(), '\n'), created + 1);
  test::CliRun backup = Salesbox("backup --db " + db_ + " --out " + Path("after.backup"));
  EXPECT_EQ(backup.exit_code, 0) << backup.output;  // the backup runs PRAGMA quick_check
}

}  // namespace
}  // namespace salesbox

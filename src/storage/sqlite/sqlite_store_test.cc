// SPDX-License-Identifier: MIT
// What only the SQLite backend has: its pragmas, migrations applied to a file another program
// can inspect, the write lock, and rows salesbox did not write. The behaviour every backend
// shares is tested in tests/storage/store_conformance_test.cc.
#include "storage/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "storage/sqlite/migrations.h"
#include "storage/sqlite/statement.h"
#include "testing/status_matchers.h"

namespace salesbox::storage::sqlite {
namespace {

using ::salesbox::test::StatusIs;
using ::salesbox::test::StatusIsWithMessage;

// A raw connection to the same file, as another program would have.
class RawDatabase {
 public:
  explicit RawDatabase(const std::string& path) {
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
    sqlite3_busy_timeout(db_, 5000);
  }
  ~RawDatabase() { sqlite3_close(db_); }

  int Exec(const std::string& sql) {
    return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  }
  // The first column of the first row of `sql`, as text ("" if none).
  std::string Query(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = ::testing::TempDir() + "salesbox_sqlite_" + info->name() + "_" +
            std::to_string(getpid()) + ".db";
    RemoveFiles();
  }
  void TearDown() override { RemoveFiles(); }
  void RemoveFiles() {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::remove((path_ + suffix).c_str());
    }
  }

  std::string path_;
};

TEST_F(SqliteStoreTest, FileDatabaseUsesWriteAheadLog) {
  SB_ASSERT_OK_AND_ASSIGN(auto store, SqliteStore::Open(path_));
  EXPECT_EQ(RawDatabase(path_).Query("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(store->backend(), "sqlite");
}

TEST_F(SqliteStoreTest, AppliesOnlyPendingMigrationsOnReopen) {
  std::string first_applied_at;
  {
    SB_ASSERT_OK_AND_ASSIGN(auto store, SqliteStore::Open(path_));
    SB_ASSERT_OK_AND_ASSIGN(std::vector<AppliedMigration> applied, store->AppliedMigrations());
    ASSERT_EQ(applied.size(), Migrations().size());
    first_applied_at = applied[0].applied_at;
  }
  std::vector<Migration> newer(Migrations().begin(), Migrations().end());
  const int next = newer.back().version + 1;
  newer.push_back(Migration{next, "9999_extra", "CREATE TABLE extra (x INTEGER NOT NULL);"});
  SB_ASSERT_OK_AND_ASSIGN(auto store, SqliteStore::Open(path_, newer));
  SB_ASSERT_OK_AND_ASSIGN(std::vector<AppliedMigration> applied, store->AppliedMigrations());
  ASSERT_EQ(applied.size(), newer.size());
  EXPECT_EQ(applied[0].applied_at, first_applied_at);
  EXPECT_EQ(applied.back().version, next);
  EXPECT_EQ(applied.back().name, "9999_extra");
  EXPECT_EQ(RawDatabase(path_).Query("SELECT count(*) FROM extra"), "0");
}

TEST_F(SqliteStoreTest, FailedMigrationLeavesNothingOfItBehind) {
  std::vector<Migration> migrations(Migrations().begin(), Migrations().end());
  const int next = migrations.back().version + 1;
  migrations.push_back(Migration{next, "9999_broken",
                                 "CREATE TABLE half (x INTEGER); INSERT INTO no_such_table "
                                 "VALUES (1);"});
  EXPECT_THAT(SqliteStore::Open(path_, migrations),
              StatusIsWithMessage(StatusCode::kInternal, "9999_broken"));
  RawDatabase raw(path_);
  EXPECT_EQ(raw.Query("SELECT max(version) FROM schema_migrations"), std::to_string(next - 1));
  EXPECT_EQ(raw.Query("SELECT count(*) FROM sqlite_schema WHERE name = 'half'"), "0");
}

constexpr const char* kCountSecondaryIndexes =
    "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL AND "
    "sql NOT LIKE 'CREATE UNIQUE%'";

Account NewAccount(const std::string& external_id) {
  Account account;
  account.external_id = external_id;
  account.name = "Account " + external_id;
  return account;
}

TEST_F(SqliteStoreTest, BulkLoadSuspendsSecondaryIndexesAndRebuildsThem) {
  SB_ASSERT_OK_AND_ASSIGN(auto store, SqliteStore::Open(path_));
  const std::string before = RawDatabase(path_).Query(kCountSecondaryIndexes);
  ASSERT_NE(before, "0");
  SB_ASSERT_OK(store->BulkLoad([&](Store& s) -> Status {
    EXPECT_EQ(RawDatabase(path_).Query(kCountSecondaryIndexes), "0");
    SB_EXPECT_OK(s.accounts().Insert(NewAccount("A1")).status());
    // Unique keys stay enforced during the load.
    EXPECT_THAT(s.accounts().Insert(NewAccount("A1")), StatusIs(StatusCode::kAlreadyExists));
    return Status::Ok();
  }));
  RawDatabase raw(path_);
  EXPECT_EQ(raw.Query(kCountSecondaryIndexes), before);
  EXPECT_EQ(raw.Query("SELECT count(*) FROM sqlite_schema WHERE name = 'suspended_indexes'"), "0");
  EXPECT_EQ(raw.Query("PRAGMA journal_mode"), "wal");  // back to WAL after the load
  EXPECT_EQ(raw.Query("SELECT count(*) FROM accounts"), "1");
}

TEST_F(SqliteStoreTest, BulkLoadRebuildsIndexesWhenTheBodyFails) {
  SB_ASSERT_OK_AND_ASSIGN(auto store, SqliteStore::Open(path_));
  const std::string before = RawDatabase(path_).Query(kCountSecondaryIndexes);
  EXPECT_THAT(store->BulkLoad([](Store&) { return Status::Internal("generator broke"); }),
              StatusIsWithMessage(StatusCode::kInternal, "generator broke"));
  EXPECT_EQ(RawDatabase(path_).Query(kCountSecondaryIndexes), before);
}

TEST_F(SqliteStoreTest, OpenFinishesABulkLoadThatACrashInterrupted) {
  std::string before;
  {
    SB_ASSERT_OK_AND_ASSIGN(auto store, SqliteStore::Open(path_));
    before = RawDatabase(path_).Query(kCountSecondaryIndexes);
  }
  {
    // What SuspendIndexes leaves behind when the process dies during the load.
    RawDatabase raw(path_);
    ASSERT_EQ(raw.Exec("CREATE TABLE suspended_indexes (name TEXT PRIMARY KEY, sql TEXT NOT NULL);"
                       "INSERT INTO suspended_indexes SELECT name, sql FROM sqlite_schema WHERE "
                       "name = 'opportunities_account_id_idx';"
                       "DROP INDEX opportunities_account_id_idx;"),
              SQLITE_OK);
  }
  SB_ASSERT_OK_AND_ASSIGN(auto store, SqliteStore::Open(path_));
  RawDatabase raw(path_);
  EXPECT_EQ(raw.Query(kCountSecondaryIndexes), before);
  EXPECT_EQ(raw.Query("SELECT count(*) FROM sqlite_schema WHERE name = "
                      "'opportunities_account_id_idx'"),
            "1");
}

TEST_F(SqliteStoreTest, StoredValueSalesboxDidNotWriteIsInternal) {
  SB_ASSERT_OK_AND_ASSIGN(auto store, SqliteStore::Open(path_));
  {
    RawDatabase raw(path_);
    ASSERT_EQ(raw.Exec("INSERT INTO accounts (external_id, name, org_number, industry, region,"
                       " country, status, abc_class, created_at, updated_at) VALUES"
                       " ('', 'Acme', '', '', '', 'DK', 'prospect', '', "
                       " '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z');"
                       "INSERT INTO opportunities (external_id, account_id, name, stage,"
                       " amount_minor, amount_currency, created_on, next_step,"
                       " forecast_category, product_lines, competitors, reason, created_at,"
                       " updated_at) VALUES ('', 1, 'Deal', 'won', 100, 'DKK', '2025-01-01',"
                       " '', 'pipeline', '', '', '', '2025-01-01T00:00:00Z',"
                       " '2025-01-01T00:00:00Z');"),
              SQLITE_OK);
  }
  EXPECT_THAT(store->opportunities().Get(OpportunityId{1}),
              StatusIsWithMessage(StatusCode::kInternal, "stage"));
  EXPECT_THAT(store->opportunities().List({}), StatusIs(StatusCode::kInternal));
}

TEST_F(SqliteStoreTest, WriteLockHeldElsewhereIsUnavailable) {
  SB_ASSERT_OK_AND_ASSIGN(auto store, SqliteStore::Open(path_));
  RawDatabase raw(path_);
  ASSERT_EQ(raw.Exec("BEGIN IMMEDIATE"), SQLITE_OK);
  Segment segment;
  segment.name = "Locked out";
  // Waits for busy_timeout (5 s), then gives up.
  EXPECT_THAT(store->segments().Insert(segment), StatusIs(StatusCode::kUnavailable));
  ASSERT_EQ(raw.Exec("COMMIT"), SQLITE_OK);
  SB_EXPECT_OK(store->segments().Insert(segment));
}

TEST(StatementTest, RejectsBadSqlAndSeveralStatements) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  Connection connection(db);
  EXPECT_THAT(Statement::Prepare(db, "SELEC 1", false),
              StatusIsWithMessage(StatusCode::kInternal, "SELEC 1"));
  EXPECT_THAT(Statement::Prepare(db, "SELECT 1; SELECT 2", false), StatusIs(StatusCode::kInternal));
  SB_ASSERT_OK_AND_ASSIGN(Statement statement, Statement::Prepare(db, "SELECT 1;\n", true));
  EXPECT_TRUE(statement);
  EXPECT_EQ(sqlite3_step(statement.get()), SQLITE_ROW);
}

}  // namespace
}  // namespace salesbox::storage::sqlite

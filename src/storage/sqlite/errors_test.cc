// SPDX-License-Identifier: MIT
// FromSqlite: each SQLite failure gets the code that tells the caller what to do.
#include "storage/sqlite/errors.h"

#include <cerrno>

#include <gtest/gtest.h>

#include <string>

#include "testing/status_matchers.h"

namespace salesbox::storage::sqlite {
namespace {

using ::salesbox::test::StatusIs;
using ::salesbox::test::StatusIsWithMessage;

class ErrorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(sqlite3_open(":memory:", &db_), SQLITE_OK);
    sqlite3_extended_result_codes(db_, 1);
    ASSERT_EQ(Exec("PRAGMA foreign_keys = ON;"
                   "CREATE TABLE parents (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
                   "  score INTEGER CONSTRAINT score_small CHECK (score < 10));"
                   "CREATE TABLE children (id INTEGER PRIMARY KEY,"
                   "  parent_id INTEGER NOT NULL REFERENCES parents (id) ON DELETE RESTRICT);"
                   "INSERT INTO parents (id, name) VALUES (1, 'a');"
                   "INSERT INTO children (parent_id) VALUES (1);"),
              SQLITE_OK);
  }
  void TearDown() override { sqlite3_close(db_); }

  int Exec(const char* sql) { return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr); }

  sqlite3* db_ = nullptr;
};

TEST_F(ErrorsTest, UniqueViolationIsAlreadyExists) {
  const int rc = Exec("INSERT INTO parents (name) VALUES ('a')");
  ASSERT_EQ(rc, SQLITE_CONSTRAINT_UNIQUE);
  EXPECT_THAT(FromSqlite(db_, rc, Operation::kWrite, "parent"),
              StatusIsWithMessage(StatusCode::kAlreadyExists, "parents.name"));
}

TEST_F(ErrorsTest, PrimaryKeyViolationIsAlreadyExists) {
  const int rc = Exec("INSERT INTO parents (id, name) VALUES (1, 'b')");
  ASSERT_EQ(rc, SQLITE_CONSTRAINT_PRIMARYKEY);
  EXPECT_THAT(FromSqlite(db_, rc, Operation::kWrite, "parent"),
              StatusIs(StatusCode::kAlreadyExists));
}

TEST_F(ErrorsTest, ForeignKeyViolationIsNotFoundWhenWriting) {
  const int rc = Exec("INSERT INTO children (parent_id) VALUES (99)");
  ASSERT_EQ(rc, SQLITE_CONSTRAINT_FOREIGNKEY);
  EXPECT_TRUE(IsForeignKeyViolation(db_, rc));
  EXPECT_THAT(FromSqlite(db_, rc, Operation::kWrite, "child"),
              StatusIsWithMessage(StatusCode::kNotFound, "child: "));
}

TEST_F(ErrorsTest, ForeignKeyViolationIsFailedPreconditionWhenDeleting) {
  const int rc = Exec("DELETE FROM parents WHERE id = 1");
  ASSERT_EQ(rc, SQLITE_CONSTRAINT_TRIGGER);  // how SQLite reports ON DELETE RESTRICT
  EXPECT_TRUE(IsForeignKeyViolation(db_, rc));
  EXPECT_THAT(FromSqlite(db_, rc, Operation::kDelete, "parent 1"),
              StatusIs(StatusCode::kFailedPrecondition));
}

TEST_F(ErrorsTest, CheckAndNotNullViolationsAreInvalidArgument) {
  int rc = Exec("INSERT INTO parents (name, score) VALUES ('c', 50)");
  ASSERT_EQ(rc, SQLITE_CONSTRAINT_CHECK);
  EXPECT_THAT(FromSqlite(db_, rc, Operation::kWrite, "parent"),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "score_small"));
  rc = Exec("INSERT INTO parents (name) VALUES (NULL)");
  ASSERT_EQ(rc, SQLITE_CONSTRAINT_NOTNULL);
  EXPECT_THAT(FromSqlite(db_, rc, Operation::kWrite, "parent"),
              StatusIs(StatusCode::kInvalidArgument));
}

TEST_F(ErrorsTest, CodesWithoutAConnection) {
  const struct {
    int rc;
    StatusCode code;
  } kCases[] = {
      {SQLITE_BUSY, StatusCode::kUnavailable},
      {SQLITE_BUSY_SNAPSHOT, StatusCode::kUnavailable},
      {SQLITE_LOCKED, StatusCode::kUnavailable},
      {SQLITE_LOCKED_SHAREDCACHE, StatusCode::kUnavailable},
      {SQLITE_CANTOPEN, StatusCode::kUnavailable},
      {SQLITE_NOTADB, StatusCode::kInvalidArgument},
      {SQLITE_CORRUPT, StatusCode::kInternal},
      {SQLITE_IOERR_WRITE, StatusCode::kInternal},
      {SQLITE_FULL, StatusCode::kUnavailable},
      {SQLITE_READONLY, StatusCode::kUnavailable},
      {SQLITE_READONLY_DBMOVED, StatusCode::kUnavailable},
      {SQLITE_MISUSE, StatusCode::kInternal},
  };
  for (const auto& c : kCases) {
    errno = 0;  // an I/O error is a full disk only when the failed call said so
    const Status status = FromSqlite(nullptr, c.rc, Operation::kOther, "thing");
    EXPECT_EQ(status.code(), c.code) << c.rc << ": " << status.ToString();
    EXPECT_EQ(status.message().rfind("thing: ", 0), 0u) << status.message();
  }
}

// A full disk, a file size limit and a read-only file say so: the CLI prints it and the API
// answers 503 disk_full / read_only (api/internal/reply.cc looks for these words).
TEST_F(ErrorsTest, AFullDiskAndAReadOnlyFileSaySo) {
  for (const int error : {ENOSPC, EDQUOT, EFBIG}) {
    errno = error;  // what the failed write left, as SQLite returns SQLITE_IOERR_WRITE for it
    const Status status = FromSqlite(nullptr, SQLITE_IOERR_WRITE, Operation::kWrite, "accounts");
    EXPECT_EQ(status.code(), StatusCode::kUnavailable) << error;
    EXPECT_NE(status.message().find("the disk is full"), std::string::npos) << status.message();
  }
  EXPECT_NE(FromSqlite(nullptr, SQLITE_FULL, Operation::kWrite, "accounts")
                .message()
                .find("the disk is full"),
            std::string::npos);
  EXPECT_NE(FromSqlite(nullptr, SQLITE_READONLY, Operation::kWrite, "accounts")
                .message()
                .find("is read-only"),
            std::string::npos);
}

}  // namespace
}  // namespace salesbox::storage::sqlite

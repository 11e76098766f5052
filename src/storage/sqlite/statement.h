// SPDX-License-Identifier: MIT
// Owning wrappers for SQLite's connection and statement handles. Private to storage/sqlite/: the
// raw handles never leave the backend.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/status.h"

namespace salesbox::storage::sqlite {

struct ConnectionCloser {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
// An open connection. sqlite3_close_v2 lets it outlive statements still being finalized.
using Connection = std::unique_ptr<sqlite3, ConnectionCloser>;

struct StatementFinalizer {
  void operator()(sqlite3_stmt* stmt) const noexcept { sqlite3_finalize(stmt); }
};

// One compiled SQL statement. Movable, not copyable; finalized when destroyed.
// Thread-safety: none; the owner serializes use (SqliteStore's mutex).
class Statement {
 public:
  Statement() = default;

  // Compiles the single statement `sql` for `db`. `persistent` hints SQLite that the statement
  // is kept for the connection's life. kInternal (with SQLite's text) if `sql` does not
  // compile or holds more than one statement; the codes of FromSqlite for a busy/corrupt file.
  static Result<Statement> Prepare(sqlite3* db, std::string_view sql, bool persistent);

  sqlite3_stmt* get() const { return stmt_.get(); }
  explicit operator bool() const { return stmt_ != nullptr; }

 private:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}

  std::unique_ptr<sqlite3_stmt, StatementFinalizer> stmt_;
};

// Resets a statement when the scope ends, whichever way it ends, so a cached statement is ready
// for its next use and releases its read/write locks at once (a pending statement would keep a
// transaction from committing). Bindings are left in place; every use rebinds all parameters.
class ResetOnExit {
 public:
  explicit ResetOnExit(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~ResetOnExit() { sqlite3_reset(stmt_); }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  sqlite3_stmt* stmt_;
};

// Runs `sql` (one or more statements, no results expected) on `db`. `context` starts the error
// message. Codes as FromSqlite.
Status ExecScript(sqlite3* db, const std::string& sql, std::string_view context);

}  // namespace salesbox::storage::sqlite

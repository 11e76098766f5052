// SPDX-License-Identifier: MIT
#include "storage/sqlite/statement.h"

#include <climits>

#include "storage/sqlite/errors.h"

namespace salesbox::storage::sqlite {

Result<Statement> Statement::Prepare(sqlite3* db, std::string_view sql, bool persistent) {
  if (sql.size() > static_cast<size_t>(INT_MAX)) {
    return Status::InvalidArgument("SQL text is too long");
  }
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                    persistent ? SQLITE_PREPARE_PERSISTENT : 0, &raw, &tail);
  Statement statement(raw);
  if (rc != SQLITE_OK) {
    std::string what = "preparing \"";
    what += sql.substr(0, 80);
    what += sql.size() > 80 ? "...\"" : "\"";
    return FromSqlite(db, rc, Operation::kOther, what);
  }
  if (raw == nullptr) return Status::Internal("preparing an empty SQL statement");
  for (const char* p = tail; p != nullptr && p < sql.data() + sql.size(); ++p) {
    if (*p != ' ' && *p != '\n' && *p != '\t' && *p != '\r' && *p != ';') {
      return Status::Internal("preparing SQL that holds more than one statement");
    }
  }
  return statement;
}

Status ExecScript(sqlite3* db, const std::string& sql, std::string_view context) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  sqlite3_free(error);  // the same text is in sqlite3_errmsg(db)
  if (rc != SQLITE_OK) return FromSqlite(db, rc, Operation::kOther, context);
  return Status::Ok();
}

}  // namespace salesbox::storage::sqlite

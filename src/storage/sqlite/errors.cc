// SPDX-License-Identifier: MIT
// SQLite result code -> Status. The code is chosen by what the caller should do (STYLE.md B4).
#include "storage/sqlite/errors.h"

#include <cerrno>
#include <string>

namespace salesbox::storage::sqlite {
namespace {

std::string Message(sqlite3* db, int rc, std::string_view what, std::string_view problem) {
  // Built with reserve + append: g++ 12 warns falsely (-Wrestrict) on operator+= after a copy.
  std::string message;
  message.reserve(what.size() + problem.size() + 64);
  message.append(what.data(), what.size());
  message.append(": ", 2);
  message.append(problem.data(), problem.size());
  // sqlite3_errmsg describes the most recent failure on `db`; it is only trustworthy when it
  // belongs to `rc`, which holds as long as the caller passes the code it just got from `db`.
  const char* detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (detail != nullptr && *detail != '\0' && problem != detail) {
    message += " (";
    message += detail;
    message += ")";
  }
  return message;
}

constexpr std::string_view kDiskFull =
    "the disk is full (or the file size limit is reached); free some space and retry";

// errno values of a write that found no room: SQLite reports some of them as SQLITE_IOERR.
bool IsOutOfSpace(int error) { return error == ENOSPC || error == EDQUOT || error == EFBIG; }

}  // namespace

bool IsForeignKeyViolation(sqlite3* db, int rc) {
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) return true;
  if (rc != SQLITE_CONSTRAINT_TRIGGER || db == nullptr) return false;
  const char* message = sqlite3_errmsg(db);
  return message != nullptr &&
         std::string_view(message).find("FOREIGN KEY") != std::string_view::npos;
}

Status FromSqlite(sqlite3* db, int rc, Operation operation, std::string_view what) {
  const int error = errno;
  if (IsForeignKeyViolation(db, rc)) {
    if (operation == Operation::kWrite) {
      return Status::NotFound(Message(db, rc, what, "a referenced record does not exist"));
    }
    return Status::FailedPrecondition(Message(db, rc, what, "still referenced by other records"));
  }
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      switch (rc) {
        case SQLITE_CONSTRAINT_UNIQUE:
        case SQLITE_CONSTRAINT_PRIMARYKEY:
          return Status::AlreadyExists(Message(db, rc, what, "already exists"));
        default:
          return Status::InvalidArgument(Message(db, rc, what, "violates a constraint"));
      }
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Unavailable(Message(db, rc, what, "the database is busy; retry"));
    case SQLITE_CANTOPEN:
      return Status::Unavailable(Message(db, rc, what, "cannot open the database file"));
    case SQLITE_FULL:
      return Status::Unavailable(Message(db, rc, what, kDiskFull));
    case SQLITE_READONLY:
      return Status::Unavailable(Message(
          db, rc, what,
          "the database is read-only (check the permissions of the file and its directory)"));
    case SQLITE_IOERR:
      // SQLite keeps the errno of the failed system call, but a rollback after a failed commit
      // may replace it; errno itself is read first thing on entry.
      if (IsOutOfSpace(error) || (db != nullptr && IsOutOfSpace(sqlite3_system_errno(db)))) {
        return Status::Unavailable(Message(db, rc, what, kDiskFull));
      }
      return Status::Internal(Message(db, rc, what, sqlite3_errstr(rc)) + " [extended code " +
                              std::to_string(rc) + ", errno " +
                              std::to_string(db != nullptr ? sqlite3_system_errno(db) : 0) + "]");
    case SQLITE_NOTADB:
      return Status::InvalidArgument(Message(db, rc, what, "is not a SQLite database"));
    default:
      return Status::Internal(Message(db, rc, what, sqlite3_errstr(rc)));
  }
}

}  // namespace salesbox::storage::sqlite

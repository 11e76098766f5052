// SPDX-License-Identifier: MIT
// Backup and restore with SQLite's online backup API.
//
// Design notes.
// (1) A backup copies every page in one sqlite3_backup_step(-1) call, which reads the source
//     inside one read transaction: in WAL mode writers go on meanwhile, and the copy is exactly
//     what was committed when the step began. (Stepping a few pages at a time would restart
//     whenever another process writes, without bound under a steady write load.)
// (2) The copy is written to "<out>.partial-<pid>", switched to rollback-journal mode so that
//     the backup is one self-contained file, checked (PRAGMA quick_check), and then linked to
//     <out> (link(2) fails rather than replace a file that appeared meanwhile) and the partial
//     name removed. A failure at any step removes the partial file; <out> is either absent or a
//     complete, checked backup.
// (3) A restore takes the destination with locking_mode=EXCLUSIVE before touching it: while
//     any other connection (a running `salesbox serve`) has it open that fails, and the restore
//     is refused instead of changing the data under a server's caches. The destination is put
//     back in WAL mode afterwards, as SqliteStore expects.
#include "storage/sqlite/backup.h"

#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string_view>

#include "common/status_macros.h"
#include "storage/sqlite/errors.h"

namespace salesbox::storage::sqlite {
namespace {

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Db = std::unique_ptr<sqlite3, CloseDb>;

Status Open(const std::string& path, int flags, std::string_view what, Db* out) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_EXRESCODE, nullptr);
  out->reset(raw);
  if (rc != SQLITE_OK) return FromSqlite(raw, rc, Operation::kOther, what);
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, 5000);
  return Status::Ok();
}

// Runs `sql` and returns the first column of its first row ("" when there is none).
Status QueryText(sqlite3* db, const char* sql, std::string_view what, std::string* out) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db, sql, -1, &raw, nullptr);
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> statement(raw, sqlite3_finalize);
  if (rc != SQLITE_OK) return FromSqlite(db, rc, Operation::kRead, what);
  out->clear();
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
    if (out->empty()) {
      const unsigned char* text = sqlite3_column_text(raw, 0);
      if (text != nullptr) *out = reinterpret_cast<const char*>(text);
    }
  }
  if (rc != SQLITE_DONE) return FromSqlite(db, rc, Operation::kRead, what);
  return Status::Ok();
}

// A sound salesbox database: PRAGMA quick_check says ok and it has its migrations table.
Status CheckSalesboxDatabase(sqlite3* db, const std::string& path) {
  std::string result;
  Status checked = QueryText(db, "PRAGMA quick_check", path, &result);
  if (!checked.ok()) {
    if (checked.code() == StatusCode::kInternal) {
      return Status::InvalidArgument(path + " is damaged: " + checked.message());
    }
    return checked;
  }
  if (result != "ok") return Status::InvalidArgument(path + " is damaged: " + result);
  std::string count;
  if (!QueryText(db, "SELECT count(*) FROM schema_migrations", path, &count).ok() ||
      count.empty() || count == "0") {
    return Status::InvalidArgument(path + " is not a salesbox database");
  }
  return Status::Ok();
}

// Copies every page of `from` into `to` in one step (design note 1).
Status Copy(sqlite3* from, sqlite3* to, std::string_view what) {
  sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
  if (backup == nullptr) return FromSqlite(to, sqlite3_extended_errcode(to), Operation::kWrite, what);
  int rc = SQLITE_OK;
  for (int attempt = 0; attempt < 250; ++attempt) {  // busy for up to ~5 s: give up
    rc = sqlite3_backup_step(backup, -1);
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    sqlite3_sleep(20);
  }
  const int finished = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    return FromSqlite(to, rc == SQLITE_OK ? SQLITE_INTERNAL : rc, Operation::kWrite, what);
  }
  if (finished != SQLITE_OK) return FromSqlite(to, finished, Operation::kWrite, what);
  return Status::Ok();
}

Status Exec(sqlite3* db, const char* sql, std::string_view what) {
  std::string ignored;
  return QueryText(db, sql, what, &ignored);
}

}  // namespace

Status BackupDatabase(const std::string& db_path, const std::string& out_path) {
  std::error_code ec;
  if (!std::filesystem::exists(db_path, ec)) return Status::NotFound(db_path + " does not exist");
  if (std::filesystem::exists(out_path, ec)) {
    return Status::AlreadyExists(out_path + " exists already; choose a new name for the backup");
  }
  Db from;
  SB_RETURN_IF_ERROR(Open(db_path, SQLITE_OPEN_READONLY, "opening " + db_path, &from));
  {
    std::string count;
    if (!QueryText(from.get(), "SELECT count(*) FROM schema_migrations", db_path, &count).ok()) {
      return Status::InvalidArgument(db_path + " is not a salesbox database");
    }
  }
  const std::string partial = out_path + ".partial-" + std::to_string(::getpid());
  std::filesystem::remove(partial, ec);
  Status status = [&]() -> Status {
    Db to;
    const std::string what = "writing the backup " + out_path;
    SB_RETURN_IF_ERROR(Open(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, what, &to));
    SB_RETURN_IF_ERROR(Copy(from.get(), to.get(), what));
    SB_RETURN_IF_ERROR(Exec(to.get(), "PRAGMA journal_mode = DELETE", what));
    SB_RETURN_IF_ERROR(CheckSalesboxDatabase(to.get(), out_path));
    to.reset();
    if (::link(partial.c_str(), out_path.c_str()) != 0) {
      const int error = errno;
      if (error == EEXIST) {
        return Status::AlreadyExists(out_path + " appeared while the backup was written");
      }
      return Status::Unavailable(what + ": " + std::strerror(error));
    }
    return Status::Ok();
  }();
  std::filesystem::remove(partial, ec);
  std::filesystem::remove(partial + "-journal", ec);
  return status;
}

Status RestoreDatabase(const std::string& backup_path, const std::string& db_path, bool replace) {
  std::error_code ec;
  if (!std::filesystem::exists(backup_path, ec)) {
    return Status::NotFound(backup_path + " does not exist");
  }
  if (std::filesystem::exists(db_path, ec) && !replace) {
    return Status::AlreadyExists(db_path + " exists; add --replace to overwrite it with the backup");
  }
  Db from;
  SB_RETURN_IF_ERROR(Open(backup_path, SQLITE_OPEN_READONLY, "opening " + backup_path, &from));
  SB_RETURN_IF_ERROR(CheckSalesboxDatabase(from.get(), backup_path));

  Db to;
  const std::string what = "restoring " + db_path;
  SB_RETURN_IF_ERROR(Open(db_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, what, &to));
  sqlite3_busy_timeout(to.get(), 1000);
  // Design note (3): alone with the database, or refuse.
  SB_RETURN_IF_ERROR(Exec(to.get(), "PRAGMA locking_mode = EXCLUSIVE", what));
  Status alone = Exec(to.get(), "BEGIN EXCLUSIVE", what);
  if (!alone.ok()) {
    if (alone.code() == StatusCode::kUnavailable) {
      return Status::Unavailable(db_path +
                                 " is in use (is salesbox serve running on it?); stop it first");
    }
    return alone;
  }
  SB_RETURN_IF_ERROR(Exec(to.get(), "COMMIT", what));
  SB_RETURN_IF_ERROR(Copy(from.get(), to.get(), what));
  SB_RETURN_IF_ERROR(Exec(to.get(), "PRAGMA journal_mode = WAL", what));
  return CheckSalesboxDatabase(to.get(), db_path);
}

}  // namespace salesbox::storage::sqlite

// SPDX-License-Identifier: MIT
// URL -> backend. The only file outside storage/sqlite/ (and storage/postgres/) that names one.
#include "storage/open_store.h"

#include <string>
#include <utility>

#include "common/status_macros.h"
#include "storage/sqlite/backup.h"
#include "storage/sqlite/sqlite_store.h"

namespace salesbox::storage {
namespace {

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// The scheme of `url` ("sqlite", "postgres"), or empty when `url` is a bare path. A scheme is a
// letter followed by letters, digits, '+', '-' or '.', then ':'; one letter is a drive ("C:").
std::string_view SchemeOf(std::string_view url) {
  const size_t colon = url.find(':');
  if (colon == std::string_view::npos || colon < 2) return {};
  const auto is_alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!is_alpha(url[0])) return {};
  for (size_t i = 1; i < colon; ++i) {
    const char c = url[i];
    if (!is_alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') return {};
  }
  return url.substr(0, colon);
}

Result<std::unique_ptr<Store>> OpenSqlite(std::string_view url, std::string_view path) {
  if (path.empty()) {
    return Status::InvalidArgument("database URL \"" + std::string(url) + "\" names no file");
  }
  Result<std::unique_ptr<sqlite::SqliteStore>> store = sqlite::SqliteStore::Open(std::string(path));
  if (!store.ok()) return std::move(store).status();
  return std::unique_ptr<Store>(std::move(store).value());
}

// The file of a SQLite URL or bare path; kInvalidArgument for in-memory and non-SQLite URLs.
Result<std::string> SqliteFile(std::string_view url) {
  const std::string_view scheme = SchemeOf(url);
  std::string_view path = url;
  if (scheme == "sqlite") {
    path = url.substr(scheme.size() + 1);
    if (StartsWith(path, "//")) path.remove_prefix(2);
  } else if (scheme == "postgres" || scheme == "postgresql") {
    return Status::Unimplemented("backup and restore of PostgreSQL: use pg_dump and pg_restore");
  } else if (!scheme.empty()) {
    return Status::InvalidArgument("database URL has unknown scheme \"" + std::string(scheme) +
                                   "\"");
  }
  if (path.empty() || path == ":memory:") {
    return Status::InvalidArgument("an in-memory database has no file to back up or restore");
  }
  return std::string(path);
}

}  // namespace

Status BackupStore(std::string_view url, const std::string& out_path) {
  SB_ASSIGN_OR_RETURN(std::string path, SqliteFile(url));
  return sqlite::BackupDatabase(path, out_path);
}

Status RestoreStore(const std::string& backup_path, std::string_view url, bool replace) {
  SB_ASSIGN_OR_RETURN(std::string path, SqliteFile(url));
  return sqlite::RestoreDatabase(backup_path, path, replace);
}

Result<std::unique_ptr<Store>> OpenStore(std::string_view url) {
  const std::string_view scheme = SchemeOf(url);
  if (scheme.empty()) return OpenSqlite(url, url);
  if (scheme == "sqlite") {
    std::string_view path = url.substr(scheme.size() + 1);
    if (StartsWith(path, "//")) path.remove_prefix(2);  // "sqlite:///abs/path.db"
    return OpenSqlite(url, path);                       // "sqlite::memory:" leaves ":memory:"
  }
  if (scheme == "postgres" || scheme == "postgresql") {
#ifdef SALESBOX_WITH_POSTGRES
    return Status::Unimplemented("the PostgreSQL backend is not written yet");
#else
    return Status::Unimplemented("built without PostgreSQL");
#endif
  }
  // The URL itself is not repeated: it may hold a password.
  return Status::InvalidArgument("database URL has unknown scheme \"" + std::string(scheme) +
                                 "\"; use sqlite:<path>, sqlite::memory: or postgres://...");
}

}  // namespace salesbox::storage

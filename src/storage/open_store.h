// SPDX-License-Identifier: MIT
// OpenStore: turns a database URL into a Store; the only file that names a backend.
#pragma once

#include <memory>
#include <string_view>

#include "common/result.h"
#include "storage/store.h"

namespace salesbox::storage {

// Opens (creating if needed) the database at `url` and applies pending migrations.
//   "sqlite:/var/lib/salesbox/salesbox.db", "sqlite:relative/path.db", a bare path
//   ("salesbox.db", treated as sqlite), "sqlite::memory:" (a private in-memory database),
//   "postgres://user@host/db" (kUnimplemented unless built with SALESBOX_WITH_POSTGRES).
// kInvalidArgument for an unknown scheme; kUnavailable if the database is locked or
// unreachable; kFailedPrecondition if it was written by a newer salesbox (unknown migration).
Result<std::unique_ptr<Store>> OpenStore(std::string_view url);

// `salesbox backup`: a consistent copy of the database at `url` in the new file `out_path`,
// taken while other processes may be using the database (storage/sqlite/backup.h).
// kAlreadyExists when `out_path` exists, kNotFound when the database does not, kUnavailable when
// the disk is full; kInvalidArgument for an in-memory database; kUnimplemented for PostgreSQL.
Status BackupStore(std::string_view url, const std::string& out_path);

// `salesbox restore`: replaces the database at `url` with the backup `backup_path` once it is
// checked to be a sound salesbox database. kAlreadyExists when the database exists and `replace`
// is false; kUnavailable while another process has it open; as BackupStore otherwise.
Status RestoreStore(const std::string& backup_path, std::string_view url, bool replace);

}  // namespace salesbox::storage

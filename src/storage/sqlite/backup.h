// SPDX-License-Identifier: MIT
// Copies of a SQLite database through SQLite's online backup API: `salesbox backup` and
// `salesbox restore`. Private to storage/ (open_store.h is the way in).
#pragma once

#include <string>

#include "common/status.h"

namespace salesbox::storage::sqlite {

// Writes a consistent copy of the salesbox database at `db_path` to the new file `out_path`
// while other connections (a running server) go on reading and writing: the copy is what was
// committed when it finished. The copy is written beside `out_path` and renamed into place once
// complete and checked, so `out_path` never holds half a backup.
// kAlreadyExists when `out_path` exists; kNotFound when `db_path` does not; kInvalidArgument when
// it is not a salesbox database; kUnavailable when the disk is full or a file cannot be written.
Status BackupDatabase(const std::string& db_path, const std::string& out_path);

// Replaces the database at `db_path` (created when missing) with the backup `backup_path`,
// after checking that the backup is a sound salesbox database (PRAGMA quick_check, its
// migrations table). kAlreadyExists when `db_path` exists and `replace` is false; kNotFound when
// the backup does not exist; kInvalidArgument when it is damaged or not a salesbox database;
// kUnavailable when the database is in use or the disk is full.
Status RestoreDatabase(const std::string& backup_path, const std::string& db_path, bool replace);

}  // namespace salesbox::storage::sqlite

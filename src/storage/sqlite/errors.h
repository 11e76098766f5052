// SPDX-License-Identifier: MIT
// Maps SQLite result codes to Status codes (STYLE.md B4/B5). Private to storage/sqlite/.
#pragma once

#include <sqlite3.h>

#include <string_view>

#include "common/status.h"

namespace salesbox::storage::sqlite {

// What the failing statement was doing; a foreign-key failure means different things to the
// caller when writing (a referenced record is missing) and when deleting (it is still used).
enum class Operation { kRead, kWrite, kDelete, kOther };

// Returns the Status for SQLite result `rc` (an extended code; REQUIRES: rc is not SQLITE_OK,
// SQLITE_ROW or SQLITE_DONE) from a call on `db`, whose message starts with `what` ("opportunity
// 42", "accounts") and ends with SQLite's own text:
//   SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY         kAlreadyExists
//   foreign-key violation (IsForeignKeyViolation)  kNotFound on kWrite, kFailedPrecondition else
//   SQLITE_CONSTRAINT_CHECK / _NOTNULL / other     kInvalidArgument
//   SQLITE_BUSY / SQLITE_LOCKED (all variants)     kUnavailable
//   SQLITE_CANTOPEN                                kUnavailable
//   SQLITE_FULL, SQLITE_IOERR from ENOSPC/EDQUOT/EFBIG  kUnavailable ("the disk is full ...")
//   SQLITE_READONLY (all variants)                 kUnavailable ("the database is read-only ...")
//   SQLITE_NOTADB                                  kInvalidArgument ("not a SQLite database")
//   anything else                                  kInternal
// `db` may be null (then only the code's generic text is used).
Status FromSqlite(sqlite3* db, int rc, Operation operation, std::string_view what);

// Whether `rc` from a statement on `db` is a foreign-key violation: SQLITE_CONSTRAINT_FOREIGNKEY
// (a missing parent, checked when the statement ends), or SQLITE_CONSTRAINT_TRIGGER with
// SQLite's foreign-key text, which is how an ON DELETE RESTRICT action fails.
bool IsForeignKeyViolation(sqlite3* db, int rc);

}  // namespace salesbox::storage::sqlite

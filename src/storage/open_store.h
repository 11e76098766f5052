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

}  // namespace salesbox::storage

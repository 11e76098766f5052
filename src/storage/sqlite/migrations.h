// SPDX-License-Identifier: MIT
// The SQLite schema migrations, compiled in from migrations/*.sql by salesbox_embed_sql.
#pragma once

#include <span>

#include "storage/migration.h"

namespace salesbox::storage::sqlite {

// Every migration in migrations/, in increasing version order. Static storage.
std::span<const Migration> Migrations();

}  // namespace salesbox::storage::sqlite

// SPDX-License-Identifier: MIT
// Case folding for FilterOp::kContains. SQLite's LIKE and lower() fold ASCII only, which would
// make "århus" miss "Århus"; this folds the letters Nordic and other European users type.
#pragma once

#include <sqlite3.h>

#include <string>
#include <string_view>

namespace salesbox::storage::sqlite {

// Appends `text` (UTF-8) to `out` with upper-case letters made lower-case: ASCII, Latin-1
// (Æ Ø Å Ä Ö Ü ...), Latin Extended-A (Ł Ő Š Ž ...), basic Greek and Cyrillic. Other code points
// and invalid UTF-8 bytes are copied unchanged.
void AppendCaseFolded(std::string_view text, std::string* out);

// The name of the SQL function RegisterCaseFold installs: salesbox_fold(text) -> folded text
// (NULL stays NULL).
inline constexpr std::string_view kCaseFoldFunction = "salesbox_fold";

// Installs kCaseFoldFunction on `db`. Returns an SQLite result code.
int RegisterCaseFold(sqlite3* db);

}  // namespace salesbox::storage::sqlite

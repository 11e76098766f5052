// SPDX-License-Identifier: MIT
// AppendCaseFolded and the salesbox_fold SQL function: table-driven cases.
#include "storage/sqlite/case_fold.h"

#include <gtest/gtest.h>

#include <string>

namespace salesbox::storage::sqlite {
namespace {

std::string Fold(std::string_view text) {
  std::string out;
  AppendCaseFolded(text, &out);
  return out;
}

TEST(CaseFoldTest, FoldsTheLettersEuropeanUsersType) {
  const struct {
    std::string_view in;
    std::string_view out;
  } kCases[] = {
      {"", ""},
      {"Acme GmbH", "acme gmbh"},
      {"ÆRØ SØ Å", "ærø sø å"},
      {"ÄÖÜ ÉÈ Ñ Ç", "äöü éè ñ ç"},
      {"ærø", "ærø"},
      {"ŁÓDŹ ŠKODA ŐRSÉG", "łódź škoda őrség"},
      {"ĹĽŇ", "ĺľň"},
      {"Ÿ", "ÿ"},
      {"ΑΘΗΝΑ", "αθηνα"},
      {"МОСКВА Ёж", "москва ёж"},
      {"× stays", "× stays"},
      {"100% _x_", "100% _x_"},
      {"日本 €", "日本 €"},
  };
  for (const auto& c : kCases) EXPECT_EQ(Fold(c.in), c.out) << c.in;
}

TEST(CaseFoldTest, CopiesInvalidUtf8Unchanged) {
  const std::string bytes = "A\xC3\x28Z\xFF";
  EXPECT_EQ(Fold(bytes), "a\xC3\x28z\xFF");
}

TEST(CaseFoldTest, SqlFunctionFoldsTextAndKeepsNull) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  ASSERT_EQ(RegisterCaseFold(db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT salesbox_fold('ÆRØ Sø'), salesbox_fold(NULL)", -1, &stmt,
                               nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))), "ærø sø");
  EXPECT_EQ(sqlite3_column_type(stmt, 1), SQLITE_NULL);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

}  // namespace
}  // namespace salesbox::storage::sqlite

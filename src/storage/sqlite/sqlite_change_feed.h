// SPDX-License-Identifier: MIT
// The change feed of a SQLite database: the table change_feed that migration 0007's triggers fill.
// Private to storage/sqlite.
#pragma once

#include <memory>

#include "storage/store.h"

namespace salesbox::storage::sqlite {

struct SharedConnection;

// Thread-safety: every call takes the connection's mutex, like the repositories. Statements are
// prepared on first use, so a database migrated without 0007 fails only when the feed is read
// (kInternal naming the missing table).
class SqliteChangeFeed final : public ChangeFeed {
 public:
  explicit SqliteChangeFeed(SharedConnection* connection);
  ~SqliteChangeFeed() override;

  Result<int64_t> Head() override;
  Result<FeedPage> Since(int64_t after, int64_t limit) override;
  Status Prune(int64_t through) override;

 private:
  struct Statements;
  Status Prepare();
  SharedConnection* connection_;
  std::unique_ptr<Statements> statements_;
};

}  // namespace salesbox::storage::sqlite

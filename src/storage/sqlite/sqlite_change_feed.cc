// SPDX-License-Identifier: MIT
// SqliteChangeFeed: reads and prunes the change_feed table (migration 0007).
#include "storage/sqlite/sqlite_change_feed.h"

#include <sqlite3.h>

#include <mutex>
#include <string>
#include <string_view>

#include "common/status_macros.h"
#include "storage/sqlite/errors.h"
#include "storage/sqlite/sqlite_repository.h"
#include "storage/sqlite/statement.h"

namespace salesbox::storage::sqlite {
namespace {

constexpr std::string_view kSelectHead = R"sql(
  SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'change_feed'), 0))sql";
constexpr std::string_view kSelectSince = R"sql(
  SELECT seq, entity, entity_id FROM change_feed WHERE seq > ?1 ORDER BY seq LIMIT ?2)sql";
constexpr std::string_view kSelectPruned = R"sql(
  SELECT pruned_through FROM change_feed_state WHERE id = 1)sql";
constexpr std::string_view kDeleteThrough = R"sql(
  DELETE FROM change_feed WHERE seq <= ?1)sql";
constexpr std::string_view kUpdatePruned = R"sql(
  UPDATE change_feed_state SET pruned_through = max(pruned_through, ?1) WHERE id = 1)sql";

}  // namespace

struct SqliteChangeFeed::Statements {
  Statement head, since, pruned, erase, mark;
};

SqliteChangeFeed::SqliteChangeFeed(SharedConnection* connection) : connection_(connection) {}

SqliteChangeFeed::~SqliteChangeFeed() = default;

Status SqliteChangeFeed::Prepare() {
  if (statements_) return Status::Ok();
  auto statements = std::make_unique<Statements>();
  sqlite3* db = connection_->db;
  SB_ASSIGN_OR_RETURN(statements->head, Statement::Prepare(db, kSelectHead, true));
  SB_ASSIGN_OR_RETURN(statements->since, Statement::Prepare(db, kSelectSince, true));
  SB_ASSIGN_OR_RETURN(statements->pruned, Statement::Prepare(db, kSelectPruned, true));
  SB_ASSIGN_OR_RETURN(statements->erase, Statement::Prepare(db, kDeleteThrough, true));
  SB_ASSIGN_OR_RETURN(statements->mark, Statement::Prepare(db, kUpdatePruned, true));
  statements_ = std::move(statements);
  return Status::Ok();
}

Result<int64_t> SqliteChangeFeed::Head() {
  std::lock_guard<std::recursive_mutex> lock(connection_->mutex);
  SB_RETURN_IF_ERROR(Prepare());
  sqlite3_stmt* stmt = statements_->head.get();
  ResetOnExit reset(stmt);
  const int rc = sqlite3_step(stmt);
  if (rc != SQLITE_ROW) {
    return FromSqlite(connection_->db, rc, Operation::kRead, "reading the change feed's head");
  }
  return sqlite3_column_int64(stmt, 0);
}

Result<FeedPage> SqliteChangeFeed::Since(int64_t after, int64_t limit) {
  std::lock_guard<std::recursive_mutex> lock(connection_->mutex);
  SB_RETURN_IF_ERROR(Prepare());
  FeedPage page;
  {
    sqlite3_stmt* stmt = statements_->pruned.get();
    ResetOnExit reset(stmt);
    const int rc = sqlite3_step(stmt);
    if (rc != SQLITE_ROW) {
      return FromSqlite(connection_->db, rc, Operation::kRead, "reading the change feed");
    }
    page.gap = sqlite3_column_int64(stmt, 0) > after;
  }
  sqlite3_stmt* stmt = statements_->since.get();
  ResetOnExit reset(stmt);
  sqlite3_bind_int64(stmt, 1, after);
  sqlite3_bind_int64(stmt, 2, limit);
  while (true) {
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) {
      return FromSqlite(connection_->db, rc, Operation::kRead, "reading the change feed");
    }
    FeedEntry entry;
    entry.seq = sqlite3_column_int64(stmt, 0);
    const unsigned char* text = sqlite3_column_text(stmt, 1);
    if (text != nullptr) {
      entry.entity.assign(reinterpret_cast<const char*>(text),
                          static_cast<size_t>(sqlite3_column_bytes(stmt, 1)));
    }
    entry.entity_id = sqlite3_column_int64(stmt, 2);
    page.entries.push_back(std::move(entry));
  }
  return page;
}

Status SqliteChangeFeed::Prune(int64_t through) {
  std::lock_guard<std::recursive_mutex> lock(connection_->mutex);
  SB_RETURN_IF_ERROR(Prepare());
  // Marked first: if the delete then fails, readers reload for nothing rather than miss entries.
  for (sqlite3_stmt* stmt : {statements_->mark.get(), statements_->erase.get()}) {
    ResetOnExit reset(stmt);
    sqlite3_bind_int64(stmt, 1, through);
    const int rc = sqlite3_step(stmt);
    if (rc != SQLITE_DONE) {
      return FromSqlite(connection_->db, rc, Operation::kDelete, "pruning the change feed");
    }
  }
  return Status::Ok();
}

}  // namespace salesbox::storage::sqlite

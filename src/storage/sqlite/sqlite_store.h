// SPDX-License-Identifier: MIT
// SqliteStore: the Store backed by one SQLite database (a file, or a private in-memory one).
// Private to storage/: only open_store.cc and the storage tests include it.
#pragma once

#include <memory>
#include <span>
#include <string>

#include "common/result.h"
#include "common/status.h"
#include "storage/migration.h"
#include "storage/store.h"

namespace salesbox::storage::sqlite {

struct SharedConnection;
template <typename T, typename IdT>
class SqliteRepository;

// Thread-safety and transactions. The store owns one connection and one recursive mutex; every
// repository call, AppliedMigrations and Transact hold the mutex, so calls from many threads are
// serialized (SQLite allows one writer at a time anyway, and readers in the same process gain
// little from a second connection on a 2-core server). Transact holds the mutex for its whole
// body, so the body has the store to itself; the body must call the store only from the thread
// that called Transact (another thread would wait for the body to finish: a deadlock).
//
// Nested Transact joins the outer transaction (no savepoints): a depth counter tracks nesting
// and the first failing inner body marks the transaction as doomed. The outer Transact then
// rolls everything back and returns that inner status (with context) even when its own body
// returns OK, and later nested Transact calls in a doomed transaction return the same status
// without running their body. So a nested body behaves like a separate transaction to the code
// that wrote it: when it fails, none of its writes (or the outer ones) survive.
//
// Reads outside the calling thread's transaction run on a pool of read-only connections to the
// same file (files only: sqlite_repository.h design note 8, read_pool.h), so they do not wait
// for a write in progress.
//
// Other processes may open the same file: BEGIN IMMEDIATE takes the write lock up front, and a
// lock held longer than busy_timeout (5 s) surfaces as kUnavailable.
class SqliteStore final : public Store {
 public:
  // Opens (creating if needed) the SQLite database at `path`, or a private in-memory database
  // for ":memory:"; sets foreign_keys=ON, journal_mode=WAL (files only), synchronous=NORMAL and
  // busy_timeout=5000; then applies each pending migration of `migrations` (default: the
  // compiled-in ones) in its own transaction and records it in schema_migrations.
  // kInvalidArgument if the file is not a SQLite database; kUnavailable if it cannot be opened
  // or stays locked; kFailedPrecondition if it records a migration `migrations` does not know
  // (written by a newer salesbox); kInternal if a migration fails (nothing of it is applied).
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path);
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                   std::span<const Migration> migrations);

  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  UserRepository& users() override;
  TeamRepository& teams() override;
  TeamManagerRepository& team_managers() override;
  SegmentRepository& segments() override;
  AccountRepository& accounts() override;
  ContactRepository& contacts() override;
  LeadRepository& leads() override;
  CampaignRepository& campaigns() override;
  OpportunityRepository& opportunities() override;
  OpportunityChangeRepository& opportunity_changes() override;
  ActivityRepository& activities() override;
  OrderRepository& orders() override;
  ObjectiveRepository& objectives() override;
  ValuePropositionRepository& value_propositions() override;
  SessionRepository& sessions() override;
  AccountShareRepository& account_shares() override;
  ChangeLogRepository& change_log() override;
  PlaybookRepository& playbooks() override;
  ScorecardAnswerRepository& scorecard_answers() override;
  AuditRunRepository& audit_runs() override;
  ForecastSnapshotRepository& forecast_snapshots() override;
  ActionItemRepository& action_items() override;
  ChangeFeed& change_feed() override;

  // See the class comment for nesting. Besides the body's status: kUnavailable if the write
  // lock cannot be had (BEGIN or COMMIT), other FromSqlite codes if COMMIT fails.
  Status Transact(const std::function<Status(Store&)>& body) override;

  // Drops the secondary indexes and the change feed's triggers, remembering their SQL in the
  // table suspended_indexes (in the same transaction), and recreates them from there afterwards,
  // adding a "*" entry to the feed; Open finishes a rebuild that a crash interrupted.
  Status BulkLoad(const std::function<Status(Store&)>& body) override;

  // On a file: PRAGMA data_version of a connection kept for it alone, which moves with every
  // commit of the writer or another process, so a check never waits for a write in progress.
  // Inside a transaction (the thread that holds it), and in memory: the writer's PRAGMA
  // data_version (moves when another connection commits) combined with its
  // sqlite3_total_changes64 (moves with our own writes, rolled back ones too).
  Result<uint64_t> DataVersion() override;

  Result<std::string> DatabaseId() override;

  Result<std::vector<AppliedMigration>> AppliedMigrations() override;

  std::string_view backend() const override { return "sqlite"; }

 private:
  struct State;
  Status SuspendIndexes();
  Status RestoreIndexes();

  SqliteStore();

  // A reader (ReadPool) is read-only, keeps a smaller page cache and leaves the journal mode.
  Status Configure(const std::string& path, bool reader = false);
  Status Migrate(std::span<const Migration> migrations);
  Status CreateRepositories();
  Status Run(std::string_view sql, std::string_view what);
  // PRAGMA data_version on this store's connection; the caller serializes.
  Result<uint64_t> PragmaDataVersion();

  std::unique_ptr<State> state_;
};

}  // namespace salesbox::storage::sqlite

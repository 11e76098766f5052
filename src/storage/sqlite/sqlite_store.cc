// SPDX-License-Identifier: MIT
// SqliteStore: opening and configuring the connection, migrations, and transactions. The
// per-record work is in sqlite_repository.h; the locking and nesting rules are in sqlite_store.h.
#include "storage/sqlite/sqlite_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "common/status_macros.h"
#include "common/time.h"
#include "storage/sqlite/case_fold.h"
#include "storage/sqlite/errors.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/read_pool.h"
#include "storage/sqlite/sqlite_change_feed.h"
#include "storage/sqlite/sqlite_repository.h"
#include "storage/sqlite/statement.h"

namespace salesbox::storage::sqlite {
namespace {

constexpr std::string_view kInMemory = ":memory:";
// Read connections per store: as many as `serve --threads 2` has request handlers (8), so that
// a read rarely finds none free and reads on the writer, behind a write (read_pool.h).
constexpr int kReaders = 8;

constexpr std::string_view kCreateSchemaMigrations = R"sql(
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ))sql";
constexpr std::string_view kSelectDatabaseId = R"sql(
  SELECT token FROM database_identity WHERE id = 1)sql";
constexpr std::string_view kSelectAppliedMigrations = R"sql(
  SELECT version, name, applied_at FROM schema_migrations ORDER BY version)sql";
constexpr std::string_view kSelectMigrationApplied = R"sql(
  SELECT 1 FROM schema_migrations WHERE version = ?1)sql";
constexpr std::string_view kInsertAppliedMigration = R"sql(
  INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3))sql";

// Steps `stmt` once and resets it; for statements whose only result is success.
Status StepOnce(sqlite3* db, const Statement& stmt, std::string_view what) {
  ResetOnExit reset(stmt.get());
  const int rc = sqlite3_step(stmt.get());
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) return FromSqlite(db, rc, Operation::kOther, what);
  return Status::Ok();
}

std::string_view ColumnText(sqlite3_stmt* stmt, int column) {
  const unsigned char* text = sqlite3_column_text(stmt, column);
  if (text == nullptr) return {};
  return std::string_view(reinterpret_cast<const char*>(text),
                          static_cast<size_t>(sqlite3_column_bytes(stmt, column)));
}

}  // namespace

struct SqliteStore::State {
  // Declared first so it is destroyed last, after every statement that uses it.
  Connection connection;
  SharedConnection shared;
  std::unique_ptr<ReadPool> readers;  // files only
  // A connection of its own for DataVersion (files only): PRAGMA data_version there moves with
  // every commit of any other connection, ours included, so checking it never waits for a
  // write in progress on the writer.
  std::unique_ptr<SqliteStore> version_reader;
  std::mutex version_mu;
  Statement begin;
  Statement commit;
  Statement rollback;
  Statement data_version;  // PRAGMA data_version, prepared on first use
  int depth = 0;  // nesting depth of Transact on this connection; 0: no transaction
  Status doomed;  // the first failure of a nested body; the transaction will roll back

  std::unique_ptr<SqliteRepository<User, UserId>> users;
  std::unique_ptr<SqliteRepository<Team, TeamId>> teams;
  std::unique_ptr<SqliteRepository<Segment, SegmentId>> segments;
  std::unique_ptr<SqliteRepository<Account, AccountId>> accounts;
  std::unique_ptr<SqliteRepository<Contact, ContactId>> contacts;
  std::unique_ptr<SqliteRepository<Lead, LeadId>> leads;
  std::unique_ptr<SqliteRepository<Campaign, CampaignId>> campaigns;
  std::unique_ptr<SqliteRepository<Opportunity, OpportunityId>> opportunities;
  std::unique_ptr<SqliteRepository<OpportunityChange, OpportunityChangeId>> opportunity_changes;
  std::unique_ptr<SqliteRepository<Activity, ActivityId>> activities;
  std::unique_ptr<SqliteRepository<Order, OrderId>> orders;
  std::unique_ptr<SqliteRepository<Objective, ObjectiveId>> objectives;
  std::unique_ptr<SqliteRepository<ValueProposition, ValuePropositionId>> value_propositions;
  std::unique_ptr<SqliteRepository<Session, SessionId>> sessions;
  std::unique_ptr<SqliteRepository<AccountShare, AccountShareId>> account_shares;
  std::unique_ptr<SqliteRepository<TeamManager, TeamManagerId>> team_managers;
  std::unique_ptr<SqliteRepository<ChangeLogEntry, ChangeLogEntryId>> audit_log;
  std::unique_ptr<SqliteRepository<PlaybookVersion, PlaybookId>> playbooks;
  std::unique_ptr<SqliteRepository<ScorecardAnswer, ScorecardAnswerId>> scorecard_answers;
  std::unique_ptr<SqliteRepository<AuditRun, AuditRunId>> audit_runs;
  std::unique_ptr<SqliteRepository<ForecastSnapshot, ForecastSnapshotId>> forecast_snapshots;
  std::unique_ptr<SqliteRepository<ActionItem, ActionItemId>> action_items;
  std::unique_ptr<SqliteChangeFeed> change_feed;
};

SqliteStore::SqliteStore() : state_(std::make_unique<State>()) {}

SqliteStore::~SqliteStore() = default;

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path) {
  return Open(path, Migrations());
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                       std::span<const Migration> migrations) {
  std::unique_ptr<SqliteStore> store(new SqliteStore());
  SB_RETURN_IF_ERROR(store->Configure(path));
  SB_RETURN_IF_ERROR(store->Migrate(migrations).WithContext("migrating " + path));
  SB_RETURN_IF_ERROR(store->RestoreIndexes().WithContext(
      "finishing an interrupted bulk load of " + path));
  SB_RETURN_IF_ERROR(store->CreateRepositories());
  if (path != kInMemory) {
    std::vector<std::unique_ptr<Store>> readers;
    for (int i = 0; i < kReaders; ++i) {
      std::unique_ptr<SqliteStore> reader(new SqliteStore());
      SB_RETURN_IF_ERROR(reader->Configure(path, /*reader=*/true));
      SB_RETURN_IF_ERROR(reader->CreateRepositories());
      readers.push_back(std::move(reader));
    }
    store->state_->readers = std::make_unique<ReadPool>(std::move(readers));
    store->state_->shared.readers = store->state_->readers.get();
    std::unique_ptr<SqliteStore> version(new SqliteStore());
    SB_RETURN_IF_ERROR(version->Configure(path, /*reader=*/true));
    store->state_->version_reader = std::move(version);
  }
  return store;
}

Status SqliteStore::Configure(const std::string& path, bool reader) {
  State& s = *state_;
  // The store serializes all use of the connection itself (see the header), so SQLite's own
  // connection mutex would only add cost.
  constexpr int kFlags =
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, kFlags, nullptr);
  s.connection.reset(raw);  // sqlite3_open_v2 may allocate a handle even when it fails
  if (rc != SQLITE_OK) return FromSqlite(raw, rc, Operation::kOther, "opening " + path);
  s.shared.db = raw;
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, 5000);
  if (const int fold_rc = RegisterCaseFold(raw); fold_rc != SQLITE_OK) {
    return FromSqlite(raw, fold_rc, Operation::kOther, "opening " + path);
  }

  // The first pragma that reads the file is where a file that is not a database fails.
  const std::string what = "opening " + path;
  SB_RETURN_IF_ERROR(Run("PRAGMA foreign_keys = ON", what));
  if (path != kInMemory && !reader) SB_RETURN_IF_ERROR(Run("PRAGMA journal_mode = WAL", what));
  if (reader) SB_RETURN_IF_ERROR(Run("PRAGMA query_only = ON", what));
  SB_RETURN_IF_ERROR(Run("PRAGMA synchronous = NORMAL", what));
  // 64 MiB of page cache (the default is 2 MiB): an import or the demo writes rows whose index
  // keys (stage, dates, external ids) land all over their B-trees; with a small cache every
  // insert evicts and re-reads index pages.
  SB_RETURN_IF_ERROR(Run(reader ? "PRAGMA cache_size = -16384" : "PRAGMA cache_size = -65536", what));
  SB_ASSIGN_OR_RETURN(Statement check, Statement::Prepare(raw, "PRAGMA foreign_keys", false));
  if (sqlite3_step(check.get()) != SQLITE_ROW || sqlite3_column_int(check.get(), 0) != 1) {
    return Status::Internal(what + ": this SQLite cannot enforce foreign keys");
  }

  SB_ASSIGN_OR_RETURN(s.begin, Statement::Prepare(raw, "BEGIN IMMEDIATE", true));
  SB_ASSIGN_OR_RETURN(s.commit, Statement::Prepare(raw, "COMMIT", true));
  SB_ASSIGN_OR_RETURN(s.rollback, Statement::Prepare(raw, "ROLLBACK", true));
  return Status::Ok();
}

Status SqliteStore::Run(std::string_view sql, std::string_view what) {
  SB_ASSIGN_OR_RETURN(Statement statement, Statement::Prepare(state_->shared.db, sql, false));
  while (true) {
    const int rc = sqlite3_step(statement.get());
    if (rc == SQLITE_DONE) return Status::Ok();
    if (rc != SQLITE_ROW) return FromSqlite(state_->shared.db, rc, Operation::kOther, what);
  }
}

Status SqliteStore::Migrate(std::span<const Migration> migrations) {
  State& s = *state_;
  sqlite3* db = s.shared.db;
  std::lock_guard<std::recursive_mutex> lock(s.shared.mutex);
  SB_RETURN_IF_ERROR(Run(kCreateSchemaMigrations, "creating schema_migrations"));

  int newest_known = 0;
  for (const Migration& migration : migrations) {
    newest_known = std::max(newest_known, migration.version);
  }
  std::vector<int> applied;
  {
    SB_ASSIGN_OR_RETURN(Statement select, Statement::Prepare(db, kSelectAppliedMigrations, false));
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(select.get())) == SQLITE_ROW) {
      applied.push_back(sqlite3_column_int(select.get(), 0));
    }
    if (rc != SQLITE_DONE) return FromSqlite(db, rc, Operation::kRead, "reading schema_migrations");
  }
  for (int version : applied) {
    const bool known = std::any_of(migrations.begin(), migrations.end(),
                                   [version](const Migration& m) { return m.version == version; });
    if (!known) {
      return Status::FailedPrecondition(
          "the database was written by a newer salesbox: it has schema migration " +
          std::to_string(version) + ", and this salesbox knows migrations up to " +
          std::to_string(newest_known));
    }
  }

  SB_ASSIGN_OR_RETURN(Statement is_applied, Statement::Prepare(db, kSelectMigrationApplied, false));
  SB_ASSIGN_OR_RETURN(Statement record, Statement::Prepare(db, kInsertAppliedMigration, false));
  for (const Migration& migration : migrations) {
    if (std::find(applied.begin(), applied.end(), migration.version) != applied.end()) continue;
    const std::string what = "migration " + std::string(migration.name);
    // Each migration in its own transaction, so a failure leaves no half-made schema. Another
    // process may have applied it since we looked: check again under the write lock.
    SB_RETURN_IF_ERROR(StepOnce(db, s.begin, what));
    Status status = [&]() -> Status {
      ResetOnExit reset_check(is_applied.get());
      sqlite3_bind_int(is_applied.get(), 1, migration.version);
      const int rc = sqlite3_step(is_applied.get());
      if (rc == SQLITE_ROW) return Status::Ok();
      if (rc != SQLITE_DONE) return FromSqlite(db, rc, Operation::kRead, what);
      SB_RETURN_IF_ERROR(ExecScript(db, std::string(migration.sql), what));
      ResetOnExit reset_record(record.get());
      const std::string applied_at = FormatTimestamp(SystemClock().Now());
      sqlite3_bind_int(record.get(), 1, migration.version);
      sqlite3_bind_text64(record.get(), 2, migration.name.data(), migration.name.size(),
                          SQLITE_STATIC, SQLITE_UTF8);
      sqlite3_bind_text64(record.get(), 3, applied_at.data(), applied_at.size(), SQLITE_STATIC,
                          SQLITE_UTF8);
      const int record_rc = sqlite3_step(record.get());
      if (record_rc != SQLITE_DONE) return FromSqlite(db, record_rc, Operation::kWrite, what);
      return StepOnce(db, s.commit, what);
    }();
    if (!status.ok()) {
      if (sqlite3_get_autocommit(db) == 0) {
        (void)StepOnce(db, s.rollback, what);  // the original failure is what matters
      }
      return status;
    }
  }
  return Status::Ok();
}

Status SqliteStore::CreateRepositories() {
  State& s = *state_;
  SharedConnection* shared = &s.shared;
  SB_ASSIGN_OR_RETURN(s.users, (SqliteRepository<User, UserId>::Create(shared)));
  SB_ASSIGN_OR_RETURN(s.teams, (SqliteRepository<Team, TeamId>::Create(shared)));
  SB_ASSIGN_OR_RETURN(s.segments, (SqliteRepository<Segment, SegmentId>::Create(shared)));
  SB_ASSIGN_OR_RETURN(s.accounts, (SqliteRepository<Account, AccountId>::Create(shared)));
  SB_ASSIGN_OR_RETURN(s.contacts, (SqliteRepository<Contact, ContactId>::Create(shared)));
  SB_ASSIGN_OR_RETURN(s.leads, (SqliteRepository<Lead, LeadId>::Create(shared)));
  SB_ASSIGN_OR_RETURN(s.campaigns, (SqliteRepository<Campaign, CampaignId>::Create(shared)));
  SB_ASSIGN_OR_RETURN(s.opportunities,
                      (SqliteRepository<Opportunity, OpportunityId>::Create(shared)));
  SB_ASSIGN_OR_RETURN(s.opportunity_changes,
                      (SqliteRepository<OpportunityChange, OpportunityChangeId>::Create(shared)));
  SB_ASSIGN_OR_RETURN(s.activities, (SqliteRepository<Activity, ActivityId>::Create(shared)));
  SB_ASSIGN_OR_RETURN(s.orders, (SqliteRepository<Order, OrderId>::Create(shared)));
  SB_ASSIGN_OR_RETURN(s.objectives, (SqliteRepository<Objective, ObjectiveId>::Create(shared)));
  SB_ASSIGN_OR_RETURN(s.value_propositions,
                      (SqliteRepository<ValueProposition, ValuePropositionId>::Create(shared)));
  SB_ASSIGN_OR_RETURN(s.sessions, (SqliteRepository<Session, SessionId>::Create(shared)));
  SB_ASSIGN_OR_RETURN(s.account_shares,
                      (SqliteRepository<AccountShare, AccountShareId>::Create(shared)));
  SB_ASSIGN_OR_RETURN(s.team_managers,
                      (SqliteRepository<TeamManager, TeamManagerId>::Create(shared)));
  SB_ASSIGN_OR_RETURN(s.audit_log, (SqliteRepository<ChangeLogEntry, ChangeLogEntryId>::Create(shared)));
  SB_ASSIGN_OR_RETURN(s.playbooks,
                      (SqliteRepository<PlaybookVersion, PlaybookId>::Create(shared)));
  SB_ASSIGN_OR_RETURN(s.scorecard_answers,
                      (SqliteRepository<ScorecardAnswer, ScorecardAnswerId>::Create(shared)));
  SB_ASSIGN_OR_RETURN(s.audit_runs, (SqliteRepository<AuditRun, AuditRunId>::Create(shared)));
  SB_ASSIGN_OR_RETURN(s.forecast_snapshots,
                      (SqliteRepository<ForecastSnapshot, ForecastSnapshotId>::Create(shared)));
  SB_ASSIGN_OR_RETURN(s.action_items,
                      (SqliteRepository<ActionItem, ActionItemId>::Create(shared)));
  s.change_feed = std::make_unique<SqliteChangeFeed>(shared);
  return Status::Ok();
}

UserRepository& SqliteStore::users() { return *state_->users; }
TeamRepository& SqliteStore::teams() { return *state_->teams; }
TeamManagerRepository& SqliteStore::team_managers() { return *state_->team_managers; }
SegmentRepository& SqliteStore::segments() { return *state_->segments; }
AccountRepository& SqliteStore::accounts() { return *state_->accounts; }
ContactRepository& SqliteStore::contacts() { return *state_->contacts; }
LeadRepository& SqliteStore::leads() { return *state_->leads; }
CampaignRepository& SqliteStore::campaigns() { return *state_->campaigns; }
OpportunityRepository& SqliteStore::opportunities() { return *state_->opportunities; }
OpportunityChangeRepository& SqliteStore::opportunity_changes() {
  return *state_->opportunity_changes;
}
ActivityRepository& SqliteStore::activities() { return *state_->activities; }
OrderRepository& SqliteStore::orders() { return *state_->orders; }
ObjectiveRepository& SqliteStore::objectives() { return *state_->objectives; }
ValuePropositionRepository& SqliteStore::value_propositions() {
  return *state_->value_propositions;
}
SessionRepository& SqliteStore::sessions() { return *state_->sessions; }
AccountShareRepository& SqliteStore::account_shares() { return *state_->account_shares; }
ChangeLogRepository& SqliteStore::change_log() { return *state_->audit_log; }
PlaybookRepository& SqliteStore::playbooks() { return *state_->playbooks; }
ScorecardAnswerRepository& SqliteStore::scorecard_answers() {
  return *state_->scorecard_answers;
}
AuditRunRepository& SqliteStore::audit_runs() { return *state_->audit_runs; }
ForecastSnapshotRepository& SqliteStore::forecast_snapshots() {
  return *state_->forecast_snapshots;
}
ActionItemRepository& SqliteStore::action_items() { return *state_->action_items; }
ChangeFeed& SqliteStore::change_feed() { return *state_->change_feed; }

Status SqliteStore::Transact(const std::function<Status(Store&)>& body) {
  State& s = *state_;
  sqlite3* db = s.shared.db;
  std::lock_guard<std::recursive_mutex> lock(s.shared.mutex);

  if (s.depth > 0) {  // nested: join the outer transaction
    if (!s.doomed.ok()) return s.doomed;
    struct Depth {
      int* depth;
      ~Depth() { --*depth; }
    } depth{&s.depth};
    ++s.depth;
    Status status = body(*this);
    if (!status.ok() && s.doomed.ok()) s.doomed = status;
    return status;
  }

  SB_RETURN_IF_ERROR(StepOnce(db, s.begin, "beginning a transaction"));
  s.depth = 1;
  s.shared.transaction_owner.store(std::this_thread::get_id(), std::memory_order_release);
  s.doomed = Status::Ok();
  // Ends the transaction on every way out, including an exception thrown by `body` (salesbox
  // code does not throw, but std::function may hold anything): rolls back unless committed.
  struct Outer {
    State* s;
    bool committed = false;
    ~Outer() {
      if (!committed && sqlite3_get_autocommit(s->shared.db) == 0) {
        (void)StepOnce(s->shared.db, s->rollback, "rolling back");  // the cause is reported
      }
      s->depth = 0;
      s->doomed = Status::Ok();
      s->shared.transaction_owner.store(std::thread::id(), std::memory_order_release);
    }
  } outer{&s};

  Status status = body(*this);
  if (status.ok() && !s.doomed.ok()) {
    status = s.doomed.WithContext("a nested transaction failed, so all of it was rolled back");
  }
  if (!status.ok()) return status;
  SB_RETURN_IF_ERROR(StepOnce(db, s.commit, "committing a transaction"));
  outer.committed = true;
  return Status::Ok();
}

namespace {

constexpr std::string_view kCreateSuspendedIndexes = R"sql(
  CREATE TABLE IF NOT EXISTS suspended_indexes (name TEXT PRIMARY KEY, sql TEXT NOT NULL))sql";
// Secondary indexes: not unique (those enforce keys), not automatic (sql IS NULL); and the change
// feed's triggers (migration 0007), which would double the cost of every row loaded.
constexpr std::string_view kSelectSecondaryIndexes = R"sql(
  SELECT name, sql FROM sqlite_master
  WHERE (type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%')
     OR (type = 'trigger' AND name LIKE 'feed\_%' ESCAPE '\')
  ORDER BY name)sql";
constexpr std::string_view kHasChangeFeed = R"sql(
  SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'change_feed')sql";
constexpr std::string_view kInsertReloadEntry = R"sql(
  INSERT INTO change_feed (entity, entity_id) VALUES ('*', 0))sql";
constexpr std::string_view kSelectSuspendedIndexes = R"sql(
  SELECT name, sql FROM suspended_indexes ORDER BY name)sql";
constexpr std::string_view kHasSuspendedIndexes = R"sql(
  SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'suspended_indexes')sql";

// The (name, sql) rows `select` returns.
Result<std::vector<std::pair<std::string, std::string>>> ReadPairs(sqlite3* db,
                                                                   std::string_view select) {
  SB_ASSIGN_OR_RETURN(Statement statement, Statement::Prepare(db, select, false));
  std::vector<std::pair<std::string, std::string>> rows;
  while (true) {
    const int rc = sqlite3_step(statement.get());
    if (rc == SQLITE_DONE) return rows;
    if (rc != SQLITE_ROW) return FromSqlite(db, rc, Operation::kRead, "reading the schema");
    rows.emplace_back(std::string(ColumnText(statement.get(), 0)),
                      std::string(ColumnText(statement.get(), 1)));
  }
}

std::string QuoteIdentifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace

Status SqliteStore::SuspendIndexes() {
  return Transact([this](Store&) -> Status {
    sqlite3* db = state_->shared.db;
    SB_RETURN_IF_ERROR(Run(kCreateSuspendedIndexes, "suspending indexes"));
    SB_ASSIGN_OR_RETURN(auto indexes, ReadPairs(db, kSelectSecondaryIndexes));
    SB_ASSIGN_OR_RETURN(Statement remember,
                        Statement::Prepare(db, "INSERT INTO suspended_indexes VALUES (?1, ?2)",
                                           false));
    for (const auto& [name, sql] : indexes) {
      sqlite3_reset(remember.get());
      sqlite3_bind_text(remember.get(), 1, name.data(), static_cast<int>(name.size()),
                        SQLITE_STATIC);
      sqlite3_bind_text(remember.get(), 2, sql.data(), static_cast<int>(sql.size()),
                        SQLITE_STATIC);
      const int rc = sqlite3_step(remember.get());
      if (rc != SQLITE_DONE) return FromSqlite(db, rc, Operation::kWrite, "suspending " + name);
      const bool trigger = sql.rfind("CREATE TRIGGER", 0) == 0;
      SB_RETURN_IF_ERROR(Run((trigger ? "DROP TRIGGER " : "DROP INDEX ") + QuoteIdentifier(name),
                             "suspending " + name));
    }
    return Status::Ok();
  });
}

Status SqliteStore::RestoreIndexes() {
  sqlite3* db = state_->shared.db;
  {
    // Finished before the rebuild: an open read of the schema would lock DROP TABLE out.
    SB_ASSIGN_OR_RETURN(Statement has, Statement::Prepare(db, kHasSuspendedIndexes, false));
    if (sqlite3_step(has.get()) != SQLITE_ROW || sqlite3_column_int(has.get(), 0) == 0) {
      return Status::Ok();
    }
  }
  // CREATE INDEX sorts the table's keys with SQLite's external sorter, which keeps keys in
  // memory up to the page cache's size and then writes a sorted run to a temporary file. One
  // huge in-memory run (the 256 MiB cache this used to set) sorts slowly, by pointer-chasing
  // through main memory; runs of a few MiB sort within the CPU caches and are merged cheaply,
  // and with a worker thread (PRAGMA threads) one run is sorted while the table is read for the
  // next. Measured with `salesbox demo --scale 100` (17.8M rows) on the 2-core machine: the
  // rebuild took 69 s with 256 MiB and no worker, 41-52 s with 8 MiB and one worker (53 s with
  // 2 MiB, 63 s with 32 MiB), and the demo's peak RSS fell from 556 MB to 149 MB. Both settings
  // go back to the connection's normal ones afterwards.
  SB_RETURN_IF_ERROR(Run("PRAGMA cache_size = -8192", "rebuilding indexes"));
  SB_RETURN_IF_ERROR(Run("PRAGMA threads = 2", "rebuilding indexes"));
  Status status = Transact([this, db](Store&) -> Status {
    SB_ASSIGN_OR_RETURN(auto indexes, ReadPairs(db, kSelectSuspendedIndexes));
    for (const auto& [name, sql] : indexes) {
      SB_RETURN_IF_ERROR(Run(sql, "rebuilding index " + name));
    }
    // The feed's readers missed the load: one entry tells them to reload everything.
    bool has_feed = false;
    {
      // Finished before DROP TABLE below, which an open statement would lock out.
      SB_ASSIGN_OR_RETURN(Statement has, Statement::Prepare(db, kHasChangeFeed, false));
      has_feed = sqlite3_step(has.get()) == SQLITE_ROW && sqlite3_column_int(has.get(), 0) > 0;
    }
    if (has_feed) SB_RETURN_IF_ERROR(Run(kInsertReloadEntry, "marking the change feed"));
    return Run("DROP TABLE suspended_indexes", "rebuilding indexes");
  });
  Status reset = Run("PRAGMA cache_size = -65536", "rebuilding indexes");
  Status threads = Run("PRAGMA threads = 0", "rebuilding indexes");
  if (!status.ok()) return status;
  return reset.ok() ? threads : reset;
}

Status SqliteStore::BulkLoad(const std::function<Status(Store&)>& body) {
  std::lock_guard<std::recursive_mutex> lock(state_->shared.mutex);
  if (state_->depth > 0) {
    return Status::FailedPrecondition("BulkLoad cannot run inside a transaction");
  }
  SB_RETURN_IF_ERROR(SuspendIndexes());
  Status status = body(*this);
  Status restored = RestoreIndexes();
  return status.ok() ? restored : status;
}

Result<uint64_t> SqliteStore::PragmaDataVersion() {
  State& s = *state_;
  if (s.data_version.get() == nullptr) {
    SB_ASSIGN_OR_RETURN(s.data_version,
                        Statement::Prepare(s.shared.db, "PRAGMA data_version", true));
  }
  sqlite3_stmt* stmt = s.data_version.get();
  const int rc = sqlite3_step(stmt);
  if (rc != SQLITE_ROW) {
    sqlite3_reset(stmt);
    return FromSqlite(s.shared.db, rc, Operation::kRead, "reading the data version");
  }
  const uint64_t value = static_cast<uint64_t>(sqlite3_column_int64(stmt, 0));
  sqlite3_reset(stmt);
  return value;
}

Result<uint64_t> SqliteStore::DataVersion() {
  State& s = *state_;
  // The thread inside a transaction asks the writer (its own writes are not committed yet).
  if (s.version_reader != nullptr &&
      s.shared.transaction_owner.load(std::memory_order_acquire) != std::this_thread::get_id()) {
    std::lock_guard lock(s.version_mu);
    SB_ASSIGN_OR_RETURN(uint64_t commits, s.version_reader->PragmaDataVersion());
    // Marked apart from the writer's values below, which a thread inside a transaction gets.
    return commits | (uint64_t{1} << 63);
  }
  std::lock_guard<std::recursive_mutex> lock(s.shared.mutex);
  SB_ASSIGN_OR_RETURN(const uint64_t theirs, PragmaDataVersion());
  const uint64_t ours = static_cast<uint64_t>(sqlite3_total_changes64(s.shared.db));
  // Both only grow; ours stays far below 2^40 in practice, so the sum never repeats a value.
  return (theirs << 40) + ours;
}

Result<std::string> SqliteStore::DatabaseId() {
  State& s = *state_;
  std::lock_guard<std::recursive_mutex> lock(s.shared.mutex);
  SB_ASSIGN_OR_RETURN(Statement select,
                      Statement::Prepare(s.shared.db, kSelectDatabaseId, false));
  const int rc = sqlite3_step(select.get());
  if (rc != SQLITE_ROW) {
    return FromSqlite(s.shared.db, rc, Operation::kRead, "reading the database's identity");
  }
  return std::string(ColumnText(select.get(), 0));
}

Result<std::vector<AppliedMigration>> SqliteStore::AppliedMigrations() {
  State& s = *state_;
  std::lock_guard<std::recursive_mutex> lock(s.shared.mutex);
  SB_ASSIGN_OR_RETURN(Statement select,
                      Statement::Prepare(s.shared.db, kSelectAppliedMigrations, false));
  std::vector<AppliedMigration> migrations;
  while (true) {
    const int rc = sqlite3_step(select.get());
    if (rc == SQLITE_DONE) return migrations;
    if (rc != SQLITE_ROW) {
      return FromSqlite(s.shared.db, rc, Operation::kRead, "reading schema_migrations");
    }
    AppliedMigration migration;
    migration.version = sqlite3_column_int(select.get(), 0);
    migration.name = std::string(ColumnText(select.get(), 1));
    migration.applied_at = std::string(ColumnText(select.get(), 2));
    migrations.push_back(std::move(migration));
  }
}

}  // namespace salesbox::storage::sqlite

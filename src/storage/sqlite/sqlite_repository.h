// SPDX-License-Identifier: MIT
// SqliteRepository<T, IdT>: Repository<T, IdT> for every T that has a storage::internal::Table<T>.
// Private to storage/sqlite/.
//
// Design notes
// (1) No per-entity SQL. The constructor walks Table<T>::Fields once to learn the columns,
//     writes the SQL for insert, update, upsert, get, delete and "version of", and prepares
//     those statements for the connection's life. A call only binds, steps and resets.
// (2) The hot path (Insert/Update/Upsert) allocates nothing except the text of timestamps:
//     strings, enum names and currency codes are bound SQLITE_STATIC straight from the record
//     (or the static enum tables), dates and timestamps are formatted into per-repository
//     scratch slots that outlive the step.
// (3) List/Count/Scan build SQL per call from a ListQuery. Every field name is checked against
//     the table's columns (which makes it safe to splice into the SQL text); every value is
//     checked against the column's kind and bound as a parameter, never spliced. They are not
//     cached: a statement stays open while a Scan callback runs, and the callback may start
//     another Scan with the same SQL.
// (4) Upsert first runs INSERT ... ON CONFLICT (<natural key>) DO NOTHING, which is as fast as
//     a plain INSERT and sets sqlite3_last_insert_rowid() (cleared to 0 first) only if it
//     inserted. If the key was taken it runs UPDATE ... WHERE <key> and looks the id up by key.
//     Both avoid what made a bulk import ~3x slower in SQLite 3.40: RETURNING, and an
//     ON CONFLICT DO UPDATE that sets foreign-key columns (both cost on every insert).
// (5) Update is `... SET ..., version = version + 1 WHERE id = ? AND version = ?`. When no row
//     changes, a second look at the stored version tells kNotFound from kAborted.
// (6) Constraint failures are mapped by FromSqlite (errors.h); a foreign-key failure is then
//     explained by looking up each id the record refers to ("account 17 does not exist") or,
//     on delete, each table that refers to the record ("... referenced by contacts").
// (7) Every call takes the store's recursive mutex: calls are atomic, Store::Transact can hold
//     it for a whole body, and a Scan callback may read the store from the same thread.
// (8) Reads (Get, List, Count, Scan, ScanFields, Aggregate) outside the calling thread's own
//     transaction go to a free connection of the store's ReadPool when it has one (files only),
//     so they do not queue behind a write (read_pool.h).
#pragma once

#include <sqlite3.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <map>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "common/result.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "storage/schema.h"
#include "storage/sqlite/case_fold.h"
#include "storage/sqlite/errors.h"
#include "storage/sqlite/field_visitors.h"
#include "storage/sqlite/read_pool.h"
#include "storage/sqlite/statement.h"
#include "storage/store.h"

namespace salesbox::storage::sqlite {

// The connection shared by a SqliteStore and its repositories, and the mutex that serializes
// every use of it.
struct SharedConnection {
  sqlite3* db = nullptr;
  std::recursive_mutex mutex;
  // Read-only connections for reads outside a transaction (design note 8); null: none.
  ReadPool* readers = nullptr;
  // The thread inside Store::Transact, if any: its reads stay on this connection.
  std::atomic<std::thread::id> transaction_owner{};
  // Every repository's columns by table name, for filters that select from another table.
  std::map<std::string, const std::vector<detail::ColumnInfo>*, std::less<>> tables;
};

namespace detail {

// Builds WHERE/ORDER BY/LIMIT clauses from ListQuery for a table with `columns`, binding nothing
// itself: values go to `params` in placeholder order. Defined in sqlite_repository.cc.
//
// Semantics, as the conformance suite checks them:
//   kEq/kLt/kLe/kGt/kGe  compare; a null field never matches.
//   kNe                  null-safe: a record whose field is null matches "owner_id != 5".
//   kIn                  any of the values; no values matches nothing.
//   kIsNull/kNotNull     take no values.
//   kContains            text columns only: case-insensitive substring (case_fold.h), with %
//                        and _ taken literally.
//   kAnyOf               (sub1 OR sub2 ...); no alternatives matches nothing.
//   kInSelect            field IN (SELECT select FROM table WHERE sub1 AND ...), `table` one of
//                        `tables`.
//   order_by             any column; nulls sort last in both directions; ties by id in the
//                        same direction.
// kInvalidArgument (naming `what`, the field and the valid fields) for an unknown field, a
// wrong number or kind of values, an enum name, date or timestamp that does not parse, a limit
// below -1 or a negative offset.
struct QueryParts {
  std::string where;  // "" or " WHERE ..."
  std::string order;  // " ORDER BY ..."
  std::string limit;  // "" or " LIMIT ?n OFFSET ?n+1", bound after `params`
  std::vector<Value> params;
  bool paged = false;  // `limit` is set
  int64_t limit_rows = -1;
  int64_t offset_rows = 0;
};
using TableColumns = std::map<std::string, const std::vector<ColumnInfo>*, std::less<>>;
Status BuildQuery(std::string_view what, const std::vector<ColumnInfo>& columns,
                  const TableColumns& tables, const ListQuery& query, bool with_order,
                  QueryParts* parts);

// Binds `parts.params` (then limit and offset if paged) to ?1..?n of `stmt`. Text is bound
// SQLITE_STATIC: `parts` must outlive the step. Returns an SQLite result code.
int BindParams(sqlite3_stmt* stmt, const QueryParts& parts);

// Explains a foreign-key failure while writing a `what` record that makes `references`:
// kNotFound "<what>: account 17 does not exist" for the first reference that has no row, or
// `fallback` when every referenced row exists (another writer raced us).
Status ExplainMissingReference(sqlite3* db, std::string_view what,
                               const std::vector<Reference>& references, Status fallback);

// Explains a foreign-key failure while deleting row `id` of `table`: kFailedPrecondition
// "<what> 17 is still referenced by contacts.account_id", or `fallback`.
Status ExplainStillReferenced(sqlite3* db, std::string_view table, std::string_view what,
                              int64_t id, Status fallback);

}  // namespace detail

// Beyond the codes of the Repository contract (store.h):
//   Insert/Update/Upsert  kInvalidArgument for a value the table cannot hold: a CHECK in
//                         0001_init.sql (probability outside [0, 1], ...), a NaN, an enum value
//                         without a name, a date outside 0000..9999 or a timestamp outside
//                         1900..2200 (what ParseTimestamp reads back).
//   Upsert                kAborted if, outside Store::Transact, another connection deletes or
//                         re-keys the record between its statements: retry.
//   reads                 kInternal for a stored value salesbox could not have written.
//   all                   kUnavailable while another connection holds the database locked
//                         beyond busy_timeout.
// Thread-safety: every call takes SharedConnection::mutex.
template <typename T, typename IdT>
class SqliteRepository final : public Repository<T, IdT> {
 public:
  using Schema = ::salesbox::storage::internal::Table<T>;

  // Prepares the repository's statements on `connection`, which must outlive it. Errors are
  // those of Statement::Prepare (the schema does not match the code: kInternal).
  static Result<std::unique_ptr<SqliteRepository>> Create(SharedConnection* connection) {
    std::unique_ptr<SqliteRepository> repository(new SqliteRepository(connection));
    SB_RETURN_IF_ERROR(repository->Prepare());
    connection->tables[std::string(Schema::kName)] = &repository->columns_;
    return repository;
  }

  Result<T> Get(IdT id) override {
    if (ReadPool::Lease reader = Reader()) return RepositoryOf<T>(reader.store()).Get(id);
    std::lock_guard<std::recursive_mutex> lock(connection_->mutex);
    sqlite3_stmt* stmt = get_.get();
    ResetOnExit reset(stmt);
    sqlite3_bind_int64(stmt, 1, id.value);
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) return Status::NotFound(Describe(id.value) + " does not exist");
    if (rc != SQLITE_ROW) return Error(rc, Operation::kRead, Describe(id.value));
    return ReadRow(stmt);
  }

  Result<std::vector<T>> List(const ListQuery& query) override {
    if (ReadPool::Lease reader = Reader()) return RepositoryOf<T>(reader.store()).List(query);
    std::vector<T> records;
    SB_RETURN_IF_ERROR(ForEach(query, [&records](T&& record) {
      records.push_back(std::move(record));
      return Status::Ok();
    }));
    return records;
  }

  Result<int64_t> Count(const ListQuery& query) override {
    if (ReadPool::Lease reader = Reader()) return RepositoryOf<T>(reader.store()).Count(query);
    std::lock_guard<std::recursive_mutex> lock(connection_->mutex);
    detail::QueryParts parts;
    SB_RETURN_IF_ERROR(detail::BuildQuery(Schema::kName, columns_, connection_->tables, query, false, &parts));
    std::string sql = "SELECT count(*) FROM ";
    sql += Schema::kName;
    sql += parts.where;
    SB_ASSIGN_OR_RETURN(Statement statement, Statement::Prepare(db(), sql, false));
    const int bind_rc = detail::BindParams(statement.get(), parts);
    if (bind_rc != SQLITE_OK) return Error(bind_rc, Operation::kRead, Counting());
    const int rc = sqlite3_step(statement.get());
    if (rc != SQLITE_ROW) return Error(rc, Operation::kRead, Counting());
    return static_cast<int64_t>(sqlite3_column_int64(statement.get(), 0));
  }

  Status ScanFields(const ListQuery& query, const std::vector<std::string>& fields,
                    const std::function<Status(std::span<const FieldValue>)>& fn) override {
    if (ReadPool::Lease reader = Reader()) return RepositoryOf<T>(reader.store()).ScanFields(query, fields, fn);
    std::lock_guard<std::recursive_mutex> lock(connection_->mutex);
    if (fields.empty()) {
      return Status::InvalidArgument("scanning " + std::string(Schema::kName) + ": no fields");
    }
    detail::QueryParts parts;
    SB_RETURN_IF_ERROR(
        detail::BuildQuery(Schema::kName, columns_, connection_->tables, query, true, &parts));
    std::string sql = "SELECT ";
    for (size_t i = 0; i < fields.size(); ++i) {
      SB_RETURN_IF_ERROR(CheckAggregateField(fields[i]));
      if (i > 0) sql += ", ";
      sql += fields[i];
    }
    sql += " FROM ";
    sql += Schema::kName;
    sql += parts.where;
    sql += parts.order;
    sql += parts.limit;
    SB_ASSIGN_OR_RETURN(Statement statement, Statement::Prepare(db(), sql, false));
    const std::string what = "scanning " + std::string(Schema::kName);
    const int bind_rc = detail::BindParams(statement.get(), parts);
    if (bind_rc != SQLITE_OK) return Error(bind_rc, Operation::kRead, what);
    std::vector<FieldValue> row(fields.size());
    sqlite3_stmt* stmt = statement.get();
    while (true) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) return Status::Ok();
      if (rc != SQLITE_ROW) return Error(rc, Operation::kRead, what);
      for (int i = 0; i < static_cast<int>(row.size()); ++i) {
        FieldValue& v = row[static_cast<size_t>(i)];
        switch (sqlite3_column_type(stmt, i)) {
          case SQLITE_INTEGER:
            v.kind = FieldValue::Kind::kInteger;
            v.integer = sqlite3_column_int64(stmt, i);
            break;
          case SQLITE_FLOAT:
            v.kind = FieldValue::Kind::kReal;
            v.real = sqlite3_column_double(stmt, i);
            break;
          case SQLITE_NULL:
            v.kind = FieldValue::Kind::kNull;
            break;
          default: {
            v.kind = FieldValue::Kind::kText;
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
            v.text = std::string_view(text ? text : "",
                                      static_cast<size_t>(sqlite3_column_bytes(stmt, i)));
          }
        }
      }
      SB_RETURN_IF_ERROR(fn(std::span<const FieldValue>(row)));
    }
  }

  Status Aggregate(const AggregateQuery& query,
                   const std::function<Status(const AggregateRow&)>& fn) override {
    if (ReadPool::Lease reader = Reader()) return RepositoryOf<T>(reader.store()).Aggregate(query, fn);
    std::lock_guard<std::recursive_mutex> lock(connection_->mutex);
    ListQuery where;
    where.filters = query.filters;
    detail::QueryParts parts;
    SB_RETURN_IF_ERROR(
        detail::BuildQuery(Schema::kName, columns_, connection_->tables, where, false, &parts));
    std::string sql = "SELECT ";
    std::string group;
    bool first = true;
    auto add = [&sql, &first](std::string_view text) {
      if (!first) sql += ", ";
      first = false;
      sql += text;
    };
    for (const std::string& field : query.group_by) {
      SB_RETURN_IF_ERROR(CheckAggregateField(field));
      add(field);
      group += group.empty() ? " GROUP BY " : ", ";
      group += field;
    }
    for (const storage::Aggregate& aggregate : query.aggregates) {
      if (aggregate.fn == AggregateFn::kCount) {
        add("count(*)");
        continue;
      }
      SB_RETURN_IF_ERROR(CheckAggregateField(aggregate.field));
      const char* fn_name = aggregate.fn == AggregateFn::kMin   ? "min("
                            : aggregate.fn == AggregateFn::kMax ? "max("
                                                                : "sum(";
      add(std::string(fn_name) + aggregate.field + ")");
    }
    if (first) return Status::InvalidArgument("aggregating " + std::string(Schema::kName) +
                                              ": nothing to group or compute");
    sql += " FROM ";
    sql += Schema::kName;
    sql += parts.where;
    sql += group;
    SB_ASSIGN_OR_RETURN(Statement statement, Statement::Prepare(db(), sql, false));
    const std::string what = "aggregating " + std::string(Schema::kName);
    const int bind_rc = detail::BindParams(statement.get(), parts);
    if (bind_rc != SQLITE_OK) return Error(bind_rc, Operation::kRead, what);
    AggregateRow row;
    row.keys.resize(query.group_by.size());
    row.values.resize(query.aggregates.size());
    while (true) {
      const int rc = sqlite3_step(statement.get());
      if (rc == SQLITE_DONE) return Status::Ok();
      if (rc != SQLITE_ROW) return Error(rc, Operation::kRead, what);
      int column = 0;
      for (Value& key : row.keys) key = ColumnValue(statement.get(), column++);
      for (Value& value : row.values) value = ColumnValue(statement.get(), column++);
      SB_RETURN_IF_ERROR(fn(row));
    }
  }

  Status Scan(const ListQuery& query, const std::function<Status(const T&)>& fn) override {
    if (ReadPool::Lease reader = Reader()) return RepositoryOf<T>(reader.store()).Scan(query, fn);
    return ForEach(query, [&fn](T&& record) { return fn(record); });
  }

  Result<IdT> Insert(const T& record) override {
    std::lock_guard<std::recursive_mutex> lock(connection_->mutex);
    sqlite3_stmt* stmt = insert_.get();
    ResetOnExit reset(stmt);
    SB_RETURN_IF_ERROR(BindRecord(stmt, record));
    const int rc = sqlite3_step(stmt);
    if (rc != SQLITE_DONE) return WriteError(rc, record, std::string(Schema::kWhat));
    IdT id;
    id.value = sqlite3_last_insert_rowid(db());
    return id;
  }

  Status Update(const T& record) override {
    std::lock_guard<std::recursive_mutex> lock(connection_->mutex);
    sqlite3_stmt* stmt = update_.get();
    {
      ResetOnExit reset(stmt);
      detail::Binder binder(stmt, 1, scratch_.data());
      SB_RETURN_IF_ERROR(BindRecord(binder, record));
      binder.BindInt64(record.id.value);
      if constexpr (Schema::kVersioned) binder.BindInt64(record.version);
      if (binder.rc() != SQLITE_OK) return Error(binder.rc(), Operation::kWrite, Describe(record));
      const int rc = sqlite3_step(stmt);
      if (rc != SQLITE_DONE) return WriteError(rc, record, Describe(record));
      if (sqlite3_changes(db()) == 1) return Status::Ok();
    }
    // Nothing changed: either the record is gone or someone else updated it first.
    sqlite3_stmt* version = version_.get();
    ResetOnExit reset(version);
    sqlite3_bind_int64(version, 1, record.id.value);
    const int rc = sqlite3_step(version);
    if (rc == SQLITE_DONE) return Status::NotFound(Describe(record) + " does not exist");
    if (rc != SQLITE_ROW) return Error(rc, Operation::kRead, Describe(record));
    if constexpr (Schema::kVersioned) {
      return Status::Aborted(Describe(record) + " was changed by someone else (version " +
                             std::to_string(record.version) + " is stale; stored version is " +
                             std::to_string(sqlite3_column_int64(version, 0)) + ")");
    } else {
      return Status::Internal(Describe(record) + " exists but was not updated");
    }
  }

  Result<UpsertResult<IdT>> Upsert(const T& record) override {
    if constexpr (kKeyedByExternalId) {
      if (record.external_id.empty()) {
        return Status::InvalidArgument(std::string(Schema::kWhat) +
                                       ": Upsert needs a non-empty external_id");
      }
    }
    std::lock_guard<std::recursive_mutex> lock(connection_->mutex);
    UpsertResult<IdT> result;
    {
      sqlite3_stmt* stmt = insert_if_new_.get();
      ResetOnExit reset(stmt);
      SB_RETURN_IF_ERROR(BindRecord(stmt, record));
      sqlite3_set_last_insert_rowid(db(), 0);
      const int rc = sqlite3_step(stmt);
      if (rc != SQLITE_DONE) return WriteError(rc, record, std::string(Schema::kWhat));
      result.id.value = sqlite3_last_insert_rowid(db());
    }
    if (result.id.value != 0) {  // set only when a row was inserted (ids start at 1)
      result.inserted = true;
      return result;
    }
    // The key is taken: update that record, then find its id.
    {
      sqlite3_stmt* stmt = update_by_key_.get();
      ResetOnExit reset(stmt);
      SB_RETURN_IF_ERROR(BindRecord(stmt, record));
      const int rc = sqlite3_step(stmt);
      if (rc != SQLITE_DONE) return WriteError(rc, record, std::string(Schema::kWhat));
      if (sqlite3_changes(db()) != 1) return ChangedDuringUpsert();
    }
    sqlite3_stmt* lookup = by_key_.get();
    ResetOnExit reset(lookup);
    detail::KeyBinder binder(lookup, key_fields_, key_scratch_.data());
    Schema::Fields(record, binder);
    if (binder.binder().rc() != SQLITE_OK) {
      return Error(binder.binder().rc(), Operation::kRead, Schema::kWhat);
    }
    const int rc = sqlite3_step(lookup);
    if (rc == SQLITE_DONE) return ChangedDuringUpsert();
    if (rc != SQLITE_ROW) return Error(rc, Operation::kRead, Schema::kWhat);
    result.id.value = sqlite3_column_int64(lookup, 0);
    return result;
  }

  Status Delete(IdT id) override {
    std::lock_guard<std::recursive_mutex> lock(connection_->mutex);
    sqlite3_stmt* stmt = delete_.get();
    ResetOnExit reset(stmt);
    sqlite3_bind_int64(stmt, 1, id.value);
    const int rc = sqlite3_step(stmt);
    if (rc != SQLITE_DONE) {
      Status status = Error(rc, Operation::kDelete, Describe(id.value));
      if (!IsForeignKeyViolation(db(), rc)) return status;
      sqlite3_reset(stmt);
      return detail::ExplainStillReferenced(db(), Schema::kName, Schema::kWhat, id.value,
                                            std::move(status));
    }
    if (sqlite3_changes(db()) == 0) {
      return Status::NotFound(Describe(id.value) + " does not exist");
    }
    return Status::Ok();
  }

 private:
  // A reader connection for this call (design note 8), or none: read on this connection.
  ReadPool::Lease Reader() const {
    if (connection_->readers == nullptr ||
        connection_->transaction_owner.load(std::memory_order_acquire) ==
            std::this_thread::get_id()) {
      return ReadPool::Lease();
    }
    return connection_->readers->TryAcquire();
  }
  static constexpr bool kKeyedByExternalId =
      Schema::kKey.size() == 1 && Schema::kKey[0] == std::string_view("external_id");

  explicit SqliteRepository(SharedConnection* connection) : connection_(connection) {
    const T probe{};
    detail::ColumnCollector collector(&fields_);
    Schema::Fields(probe, collector);
    detail::ScratchCounter counter;
    Schema::Fields(probe, counter);
    scratch_.resize(static_cast<size_t>(counter.count) + 1);
    detail::FieldNames names;
    Schema::Fields(probe, names);
    for (size_t i = 0; i < names.names.size(); ++i) {
      for (std::string_view key : Schema::kKey) {
        if (names.names[i] == key) {
          key_fields_.push_back(static_cast<int>(i));
          key_names_.push_back(key);
        }
      }
    }
    key_scratch_.resize(key_fields_.size());
    columns_.push_back(detail::ColumnInfo{"id", detail::ColumnKind::kInteger, false, nullptr});
    if constexpr (Schema::kVersioned) {
      columns_.push_back(
          detail::ColumnInfo{"version", detail::ColumnKind::kInteger, false, nullptr});
    }
    columns_.insert(columns_.end(), fields_.begin(), fields_.end());
  }

  sqlite3* db() const { return connection_->db; }

  // "opportunity 42".
  static std::string Describe(int64_t id) {
    return std::string(Schema::kWhat) + " " + std::to_string(id);
  }
  static std::string Describe(const T& record) { return Describe(record.id.value); }
  Status CheckAggregateField(std::string_view field) const {
    if (field == "id" || (Schema::kVersioned && field == "version")) return Status::Ok();
    for (const detail::ColumnInfo& column : columns_) {
      if (column.name == field) return Status::Ok();
    }
    return Status::InvalidArgument("aggregating " + std::string(Schema::kName) +
                                   ": unknown field \"" + std::string(field) + "\"");
  }

  static Value ColumnValue(sqlite3_stmt* stmt, int column) {
    switch (sqlite3_column_type(stmt, column)) {
      case SQLITE_INTEGER:
        return static_cast<int64_t>(sqlite3_column_int64(stmt, column));
      case SQLITE_FLOAT:
        return sqlite3_column_double(stmt, column);
      case SQLITE_NULL:
        return std::monostate();
      default: {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
        return std::string(text ? text : "", static_cast<size_t>(sqlite3_column_bytes(stmt, column)));
      }
    }
  }

  static std::string Counting() { return "counting " + std::string(Schema::kName); }
  // Outside a transaction another connection may delete the record between the statements of
  // an upsert.
  static Status ChangedDuringUpsert() {
    return Status::Aborted(std::string(Schema::kWhat) +
                           ": the record changed while it was upserted; retry");
  }

  Status Error(int rc, Operation operation, std::string_view what) const {
    return FromSqlite(db(), rc, operation, what);
  }

  // The Status for a failed insert/update/upsert step; explains foreign-key failures.
  Status WriteError(int rc, const T& record, const std::string& what) const {
    Status status = Error(rc, Operation::kWrite, what);
    if (!IsForeignKeyViolation(db(), rc)) return status;
    std::vector<detail::Reference> references;
    detail::ReferenceCollector collector(&references);
    Schema::Fields(record, collector);
    return detail::ExplainMissingReference(db(), what, references, std::move(status));
  }

  // Binds every field of `record` through `binder`; kInvalidArgument for a value that cannot be
  // stored (see the class comment).
  Status BindRecord(detail::Binder& binder, const T& record) {
    Schema::Fields(record, binder);
    if (!binder.invalid().empty()) {
      return Status::InvalidArgument(std::string(Schema::kWhat) + ": " + binder.invalid());
    }
    if (binder.rc() != SQLITE_OK) return Error(binder.rc(), Operation::kWrite, Schema::kWhat);
    return Status::Ok();
  }
  Status BindRecord(sqlite3_stmt* stmt, const T& record) {
    detail::Binder binder(stmt, 1, scratch_.data());
    return BindRecord(binder, record);
  }

  // Reads the current row of a statement that selects `select_columns_`.
  Result<T> ReadRow(sqlite3_stmt* stmt) const {
    T record{};
    record.id.value = sqlite3_column_int64(stmt, 0);
    int first = 1;
    if constexpr (Schema::kVersioned) {
      record.version = sqlite3_column_int64(stmt, 1);
      first = 2;
    }
    detail::Reader reader(stmt, first);
    Schema::Fields(record, reader);
    if (!reader.status().ok()) return reader.status().WithContext(Describe(record));
    return record;
  }

  // Runs the SELECT for `query` and hands each record to `fn` until it returns non-OK.
  template <typename Fn>
  Status ForEach(const ListQuery& query, Fn&& fn) {
    std::lock_guard<std::recursive_mutex> lock(connection_->mutex);
    detail::QueryParts parts;
    SB_RETURN_IF_ERROR(detail::BuildQuery(Schema::kName, columns_, connection_->tables, query, true, &parts));
    std::string sql = select_prefix_;
    sql += parts.where;
    sql += parts.order;
    sql += parts.limit;
    SB_ASSIGN_OR_RETURN(Statement statement, Statement::Prepare(db(), sql, false));
    const std::string what = "listing " + std::string(Schema::kName);
    const int bind_rc = detail::BindParams(statement.get(), parts);
    if (bind_rc != SQLITE_OK) return Error(bind_rc, Operation::kRead, what);
    while (true) {
      const int rc = sqlite3_step(statement.get());
      if (rc == SQLITE_DONE) return Status::Ok();
      if (rc != SQLITE_ROW) return Error(rc, Operation::kRead, what);
      SB_ASSIGN_OR_RETURN(T record, ReadRow(statement.get()));
      SB_RETURN_IF_ERROR(fn(std::move(record)));
    }
  }

  Status Prepare() {
    const std::string table(Schema::kName);
    std::string names;          // "a, b, c"
    std::string placeholders;   // "?1, ?2, ?3"
    std::string assignments;    // "a = ?1, b = ?2, c = ?3"
    std::string upserts;        // assignments but the key and created_at
    std::string key_at_column;  // "k = ?2": the key, numbered like the columns
    for (size_t i = 0; i < fields_.size(); ++i) {
      const std::string& name = fields_[i].name;
      const std::string assignment = name + " = ?" + std::to_string(i + 1);
      const std::string separator = i == 0 ? "" : ", ";
      names += separator + name;
      placeholders += separator + "?" + std::to_string(i + 1);
      assignments += separator + assignment;
      bool is_key = false;
      for (std::string_view key : Schema::kKey) is_key = is_key || name == key;
      if (is_key) key_at_column += (key_at_column.empty() ? "" : " AND ") + assignment;
      if (!is_key && name != "created_at") {
        upserts += (upserts.empty() ? "" : ", ") + assignment;
      }
    }
    const std::string version_bump =
        Schema::kVersioned ? "version = " + table + ".version + 1" : std::string();
    std::string key;        // "a, b"
    std::string key_match;  // "a = ?1 AND b = ?2", in Fields order as KeyBinder binds
    for (std::string_view column : Schema::kKey) {
      key += (key.empty() ? "" : ", ") + std::string(column);
    }
    for (size_t i = 0; i < key_names_.size(); ++i) {
      key_match +=
          (i == 0 ? "" : " AND ") + std::string(key_names_[i]) + " = ?" + std::to_string(i + 1);
    }

    select_prefix_ = "SELECT id, ";
    if (Schema::kVersioned) select_prefix_ += "version, ";
    select_prefix_ += names + " FROM " + table;

    // The next id above both the largest in the table and the largest ever deleted (migration
    // 0009): a deleted record's id is never given to another.
    const std::string next_id = "max(coalesce((SELECT max(id) FROM " + table +
                                "), 0), coalesce((SELECT high FROM retired_ids WHERE tbl = '" +
                                table + "'), 0)) + 1";
    const std::string insert = "INSERT INTO " + table + " (id, " + names + ") VALUES (" +
                               next_id + ", " + placeholders + ")";
    const int n = static_cast<int>(fields_.size());
    std::string update = "UPDATE " + table + " SET " + assignments;
    if (Schema::kVersioned) update += ", " + version_bump;
    update += " WHERE id = ?" + std::to_string(n + 1);
    if (Schema::kVersioned) update += " AND version = ?" + std::to_string(n + 2);

    std::string insert_if_new = insert + " ON CONFLICT (" + key + ")";
    if (kKeyedByExternalId) insert_if_new += " WHERE external_id <> ''";
    insert_if_new += " DO NOTHING";
    // Numbered like `insert`, so BindRecord serves both; created_at's parameter is bound but
    // unused. (Not one INSERT ... ON CONFLICT DO UPDATE: in SQLite 3.40 a DO UPDATE that sets
    // foreign-key columns makes every insert ~3x slower, even when nothing conflicts.)
    std::string update_by_key = "UPDATE " + table + " SET " + upserts;
    if (Schema::kVersioned) update_by_key += ", " + version_bump;
    update_by_key += " WHERE " + key_at_column;
    if (kKeyedByExternalId) {
      // Repeats the partial index's condition so the planner may use the index (it cannot
      // prove that a bound parameter is not '').
      update_by_key += " AND external_id <> ''";
      key_match += " AND external_id <> ''";
    }

    SB_ASSIGN_OR_RETURN(insert_, Statement::Prepare(db(), insert, true));
    SB_ASSIGN_OR_RETURN(update_, Statement::Prepare(db(), update, true));
    SB_ASSIGN_OR_RETURN(insert_if_new_, Statement::Prepare(db(), insert_if_new, true));
    SB_ASSIGN_OR_RETURN(update_by_key_, Statement::Prepare(db(), update_by_key, true));
    if (sqlite3_bind_parameter_count(update_by_key_.get()) != n) {
      // BindRecord binds ?1..?n; SQLite refuses an index above the highest one used.
      return Status::Internal(table + ": the upsert's UPDATE does not use the last column");
    }
    SB_ASSIGN_OR_RETURN(get_, Statement::Prepare(db(), select_prefix_ + " WHERE id = ?1", true));
    SB_ASSIGN_OR_RETURN(
        by_key_, Statement::Prepare(db(), "SELECT id FROM " + table + " WHERE " + key_match, true));
    SB_ASSIGN_OR_RETURN(delete_,
                        Statement::Prepare(db(), "DELETE FROM " + table + " WHERE id = ?1", true));
    SB_ASSIGN_OR_RETURN(
        version_,
        Statement::Prepare(db(),
                           std::string(Schema::kVersioned ? "SELECT version" : "SELECT 1") +
                               " FROM " + table + " WHERE id = ?1",
                           true));
    return Status::Ok();
  }

  SharedConnection* connection_;
  std::vector<detail::ColumnInfo> fields_;   // Table<T> columns, in Fields order
  std::vector<detail::ColumnInfo> columns_;  // id, version (if any), then fields_
  std::vector<std::string> scratch_;         // Binder's date/timestamp text
  std::vector<int> key_fields_;              // Fields ordinals of the natural key
  std::vector<std::string_view> key_names_;  // their names, in the same order
  std::vector<std::string> key_scratch_;     // KeyBinder's date/timestamp text
  std::string select_prefix_;                // "SELECT id, version, ... FROM table"
  Statement insert_;
  Statement update_;
  Statement insert_if_new_;
  Statement update_by_key_;
  Statement get_;
  Statement delete_;
  Statement version_;
  Statement by_key_;
};

}  // namespace salesbox::storage::sqlite

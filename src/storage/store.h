// SPDX-License-Identifier: MIT
// The storage interface: the only way salesbox reads or writes persistent state, and the only
// storage header other layers include. Interfaces speak domain types, never rows or SQL, so a
// PostgreSQL backend can stand behind the same interface and pass the same conformance suite.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.h"
#include "common/status.h"
#include "domain/access.h"
#include "domain/account.h"
#include "domain/activity.h"
#include "domain/forecast.h"
#include "domain/lead.h"
#include "domain/opportunity.h"
#include "domain/scorecard.h"
#include "domain/strategy.h"
#include "domain/user.h"

namespace salesbox::storage {

// A value in a filter. Enums are given by their snake_case name, dates as "YYYY-MM-DD",
// timestamps as "YYYY-MM-DDTHH:MM:SSZ", ids and booleans as integers.
using Value = std::variant<std::monostate, int64_t, double, std::string>;

enum class FilterOp {
  kEq, kNe, kLt, kLe, kGt, kGe, kIn, kIsNull, kNotNull, kContains,
  kAnyOf,     // at least one of `sub` holds
  kInSelect,  // `field` IN (SELECT `select` FROM `table` WHERE all of `sub`)
};

struct Filter {
  std::string field;  // a stored field name: "owner_id", "stage", "close_on", "amount_minor" ...
  FilterOp op = FilterOp::kEq;
  std::vector<Value> values;  // one value; several for kIn; none for kIsNull/kNotNull/kAnyOf
  // kAnyOf (then `field` is unused): the alternatives; none: never holds.
  // kInSelect: the conditions on `table`'s records; none: every record of `table`.
  std::vector<Filter> sub;
  std::string table;          // kInSelect: a table name ("accounts", "account_shares")
  std::string select = "id";  // kInSelect: the field of `table` that `field` must equal
};

// Shorthands: Match("stage", FilterOp::kEq, {"propose"}), AnyOf({...}),
// InSelect("account_id", "accounts", "id", {...}).
inline Filter Match(std::string field, FilterOp op, std::vector<Value> values = {}) {
  Filter f;
  f.field = std::move(field);
  f.op = op;
  f.values = std::move(values);
  return f;
}
inline Filter AnyOf(std::vector<Filter> alternatives) {
  Filter f;
  f.op = FilterOp::kAnyOf;
  f.sub = std::move(alternatives);
  return f;
}
inline Filter InSelect(std::string field, std::string table, std::string select,
                       std::vector<Filter> conditions) {
  Filter f;
  f.field = std::move(field);
  f.op = FilterOp::kInSelect;
  f.table = std::move(table);
  f.select = std::move(select);
  f.sub = std::move(conditions);
  return f;
}

struct ListQuery {
  std::vector<Filter> filters;  // all must hold
  std::string order_by = "id";  // a stored field name; ties are broken by id
  bool descending = false;
  int64_t limit = -1;  // -1: all
  int64_t offset = 0;
};

// A grouped summary: for the records matching `filters`, one row per distinct combination of
// the `group_by` fields, with each of `aggregates` computed over the group's records. The
// analytics read large tables this way instead of loading every record.
enum class AggregateFn {
  kCount,  // records in the group (field unused)
  kMin,    // smallest non-null value of field; null when none
  kMax,    // largest non-null value of field; null when none
  kSum,    // sum of an integer or real field; null when no non-null value
};

struct Aggregate {
  AggregateFn fn = AggregateFn::kCount;
  std::string field;
};

struct AggregateQuery {
  std::vector<Filter> filters;        // all must hold
  std::vector<std::string> group_by;  // stored field names ("id" allowed); none: one row
  std::vector<Aggregate> aggregates;
};

// Values are as a filter takes them: int64_t for integers and ids, double for reals, text for
// everything else (dates, timestamps and enum names compare as their text), monostate for null.
struct AggregateRow {
  std::vector<Value> keys;    // one per group_by field
  std::vector<Value> values;  // one per aggregate
};

// One field of a ScanFields row, without copying: text points into the backend's row buffer and
// is valid only during the callback.
struct FieldValue {
  enum class Kind { kNull, kInteger, kReal, kText };
  Kind kind = Kind::kNull;
  int64_t integer = 0;
  double real = 0;
  std::string_view text;
  bool is_null() const { return kind == Kind::kNull; }
};

template <typename IdT>
struct UpsertResult {
  IdT id;
  bool inserted = false;  // false: an existing record was updated
};

// Create, read, update and delete for one kind of record. Every call is atomic; inside
// Store::Transact all calls belong to that one transaction.
//
// Stored field names are the domain struct's field names, except that a Money field `x` is
// stored as `x_minor` and `x_currency` (Opportunity::amount -> amount_minor, amount_currency).
template <typename T, typename IdT>
class Repository {
 public:
  virtual ~Repository() = default;

  // kNotFound if there is no record with `id`.
  virtual Result<T> Get(IdT id) = 0;

  // Records matching `query`, in its order. kInvalidArgument for an unknown field or a value of
  // the wrong kind.
  virtual Result<std::vector<T>> List(const ListQuery& query) = 0;

  // The number of records matching `query.filters` (order, limit and offset are ignored).
  virtual Result<int64_t> Count(const ListQuery& query) = 0;

  // Calls `fn` for each record matching `query`, in order, without holding them all in memory.
  // Stops at and returns the first non-OK status `fn` returns. `fn` must not write to the store.
  virtual Status Scan(const ListQuery& query, const std::function<Status(const T&)>& fn) = 0;

  // Calls `fn` once per group of `query` (in no particular order). kInvalidArgument for an
  // unknown field or filter, as List. `fn` must not write to the store.
  virtual Status Aggregate(const AggregateQuery& query,
                           const std::function<Status(const AggregateRow&)>& fn) = 0;

  // Calls `fn` with the `fields` ("id" allowed; a Money field as its *_minor/*_currency
  // columns) of each record matching `query`, in its order: a narrow, allocation-free read for
  // analytics over millions of records. kInvalidArgument for an unknown field, as List.
  virtual Status ScanFields(const ListQuery& query, const std::vector<std::string>& fields,
                            const std::function<Status(std::span<const FieldValue>)>& fn) = 0;

  // Stores a new record; `record.id` and `record.version` are ignored (the new version is 1).
  // kAlreadyExists if its natural key (see Upsert) is taken; kNotFound if a referenced record
  // (account_id, owner_id ...) does not exist.
  virtual Result<IdT> Insert(const T& record) = 0;

  // Replaces the record with id `record.id` if its stored version equals `record.version`, and
  // increments the version. kNotFound if absent, kAborted if the version is stale.
  virtual Status Update(const T& record) = 0;

  // Inserts `record`, or updates the record with the same natural key (users: email; teams and
  // segments: name; opportunity changes: opportunity_id + changed_at; everything else:
  // external_id, which must not be empty) whatever its version; `created_at` of an existing
  // record is kept.
  virtual Result<UpsertResult<IdT>> Upsert(const T& record) = 0;

  // kNotFound if absent; kFailedPrecondition if other records still refer to it.
  virtual Status Delete(IdT id) = 0;
};

using UserRepository = Repository<User, UserId>;
using TeamRepository = Repository<Team, TeamId>;
using TeamManagerRepository = Repository<TeamManager, TeamManagerId>;
using SegmentRepository = Repository<Segment, SegmentId>;
using AccountRepository = Repository<Account, AccountId>;
using ContactRepository = Repository<Contact, ContactId>;
using LeadRepository = Repository<Lead, LeadId>;
using CampaignRepository = Repository<Campaign, CampaignId>;
using OpportunityRepository = Repository<Opportunity, OpportunityId>;
using OpportunityChangeRepository = Repository<OpportunityChange, OpportunityChangeId>;
using ActivityRepository = Repository<Activity, ActivityId>;
using OrderRepository = Repository<Order, OrderId>;
using ObjectiveRepository = Repository<Objective, ObjectiveId>;
using ValuePropositionRepository = Repository<ValueProposition, ValuePropositionId>;
using SessionRepository = Repository<Session, SessionId>;
using AccountShareRepository = Repository<AccountShare, AccountShareId>;
using ChangeLogRepository = Repository<ChangeLogEntry, ChangeLogEntryId>;
using PlaybookRepository = Repository<PlaybookVersion, PlaybookId>;
using ScorecardAnswerRepository = Repository<ScorecardAnswer, ScorecardAnswerId>;
using AuditRunRepository = Repository<AuditRun, AuditRunId>;
using ForecastSnapshotRepository = Repository<ForecastSnapshot, ForecastSnapshotId>;
using ActionItemRepository = Repository<ActionItem, ActionItemId>;

// One entry of the change feed: a subject the analytics read was created, changed or deleted by
// a committed transaction (of this process or any other writing the same database).
struct FeedEntry {
  int64_t seq = 0;      // increasing; entries are read in this order
  std::string entity;   // "accounts", "opportunities", "contacts", "users", "teams", "segments",
                        // "playbooks", or "*": anything may have changed (a bulk load)
  int64_t entity_id = 0;
};

struct FeedPage {
  std::vector<FeedEntry> entries;  // seq > `after`, oldest first
  bool gap = false;  // entries after `after` were pruned: the reader must reload everything
};

// The change feed: how a fact model kept in memory learns what to re-read after writes, without
// reloading the world. SQLite: a table filled by triggers (migration 0007), so writes by other
// processes are seen alike; PostgreSQL (later): the same table plus LISTEN/NOTIFY.
// Thread-safety: as the Store's calls.
class ChangeFeed {
 public:
  virtual ~ChangeFeed() = default;
  // The seq of the last entry written; 0 when none ever was.
  virtual Result<int64_t> Head() = 0;
  // At most `limit` entries after `after`, oldest first.
  virtual Result<FeedPage> Since(int64_t after, int64_t limit) = 0;
  // Deletes the entries with seq <= `through` (readers that have not read them reload).
  virtual Status Prune(int64_t through) = 0;
};

struct AppliedMigration {
  int version = 0;
  std::string name;
  std::string applied_at;  // "YYYY-MM-DDTHH:MM:SSZ"
};

// The facade. Thread-safety: one Store may be shared by many threads; each call is atomic, and
// Transact runs its body with the store to itself.
class Store {
 public:
  virtual ~Store() = default;

  virtual UserRepository& users() = 0;
  virtual TeamRepository& teams() = 0;
  // Every manager of every team; teams().manager_id is kept among them (domain/user.h).
  virtual TeamManagerRepository& team_managers() = 0;
  virtual SegmentRepository& segments() = 0;
  virtual AccountRepository& accounts() = 0;
  virtual ContactRepository& contacts() = 0;
  virtual LeadRepository& leads() = 0;
  virtual CampaignRepository& campaigns() = 0;
  virtual OpportunityRepository& opportunities() = 0;
  virtual OpportunityChangeRepository& opportunity_changes() = 0;
  virtual ActivityRepository& activities() = 0;
  virtual OrderRepository& orders() = 0;
  virtual ObjectiveRepository& objectives() = 0;
  virtual ValuePropositionRepository& value_propositions() = 0;
  virtual SessionRepository& sessions() = 0;
  virtual AccountShareRepository& account_shares() = 0;
  // Append-only by convention: salesbox never updates or deletes entries.
  virtual ChangeLogRepository& change_log() = 0;
  virtual PlaybookRepository& playbooks() = 0;
  virtual ScorecardAnswerRepository& scorecard_answers() = 0;
  // Append-only by convention, like the audit log.
  virtual AuditRunRepository& audit_runs() = 0;
  virtual ForecastSnapshotRepository& forecast_snapshots() = 0;
  virtual ActionItemRepository& action_items() = 0;

  virtual ChangeFeed& change_feed() = 0;

  // Runs `body` in one transaction; commits iff it returns OK, otherwise rolls back everything
  // it wrote and returns its status. Nested calls join the outer transaction.
  virtual Status Transact(const std::function<Status(Store&)>& body) = 0;

  // Runs `body`, which writes a large amount of data through the ordinary calls (and its own
  // Transacts), with the store set up for bulk writing: secondary (non-unique) indexes are
  // dropped before and rebuilt after `body`, whatever it returns, and the change feed's triggers
  // are off meanwhile: one "*" entry at the end tells its readers to reload. Unique keys, foreign keys and
  // checks stay enforced throughout; reads during the load may be slow. If the process dies in
  // between, the next open rebuilds the indexes. Returns `body`'s status, else the rebuild's.
  virtual Status BulkLoad(const std::function<Status(Store&)>& body) = 0;

  // A number that changes whenever committed data may have changed, through this store or any
  // other connection to the same database (another process's import included). Equal numbers
  // mean nothing was written in between, so answers computed from the data are still right.
  virtual Result<uint64_t> DataVersion() = 0;

  // A token that names this database and no other (random, set when it was created).
  virtual Result<std::string> DatabaseId() = 0;

  // The schema migrations applied to this database, oldest first.
  virtual Result<std::vector<AppliedMigration>> AppliedMigrations() = 0;

  // "sqlite" or "postgres".
  virtual std::string_view backend() const = 0;
};

}  // namespace salesbox::storage

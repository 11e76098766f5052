// SPDX-License-Identifier: MIT
// ReadPool: read-only connections to a SQLite file beside the store's one writing connection, so
// that reads (lists, sign-in's session lookups, the analytics' loads) run while a write holds the
// writer, instead of queueing behind it. Private to storage/sqlite.
//
// Design notes
// (1) WAL lets readers and one writer work at once; each read statement sees the database as
//     of its start, committed transactions only. A read made after a write committed (by any
//     thread) sees it: the writer's own next read sees its write.
// (2) A thread inside Store::Transact reads on the writer (its uncommitted writes must be seen);
//     SharedConnection::transaction_owner tells which thread that is.
// (3) Never waits for a reader: when all are leased (a Scan callback that reads again, or more
//     threads than readers) the call takes the writer as before, so no lease can deadlock.
#pragma once

#include <memory>
#include <mutex>
#include <type_traits>
#include <vector>

#include "storage/store.h"

namespace salesbox::storage::sqlite {

class ReadPool {
 public:
  explicit ReadPool(std::vector<std::unique_ptr<Store>> readers);

  // A reader for the length of one call, or an empty lease when none is free.
  class Lease {
   public:
    Lease() = default;
    Lease(ReadPool* pool, Store* store) : pool_(pool), store_(store) {}
    Lease(Lease&& other) noexcept : pool_(other.pool_), store_(other.store_) {
      other.store_ = nullptr;
    }
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    explicit operator bool() const { return store_ != nullptr; }
    Store& store() const { return *store_; }

   private:
    ReadPool* pool_ = nullptr;
    Store* store_ = nullptr;
  };

  Lease TryAcquire();

 private:
  std::mutex mu_;
  std::vector<std::unique_ptr<Store>> readers_;
  std::vector<Store*> free_;
};

// The repository of records of type T in `store`.
template <typename T>
auto& RepositoryOf(Store& store) {
  if constexpr (std::is_same_v<T, User>) return store.users();
  else if constexpr (std::is_same_v<T, Team>) return store.teams();
  else if constexpr (std::is_same_v<T, TeamManager>)
    return store.team_managers();
  else if constexpr (std::is_same_v<T, Segment>) return store.segments();
  else if constexpr (std::is_same_v<T, Account>) return store.accounts();
  else if constexpr (std::is_same_v<T, Contact>) return store.contacts();
  else if constexpr (std::is_same_v<T, Lead>) return store.leads();
  else if constexpr (std::is_same_v<T, Campaign>) return store.campaigns();
  else if constexpr (std::is_same_v<T, Opportunity>) return store.opportunities();
  else if constexpr (std::is_same_v<T, OpportunityChange>) return store.opportunity_changes();
  else if constexpr (std::is_same_v<T, Activity>) return store.activities();
  else if constexpr (std::is_same_v<T, Order>) return store.orders();
  else if constexpr (std::is_same_v<T, Objective>) return store.objectives();
  else if constexpr (std::is_same_v<T, ValueProposition>) return store.value_propositions();
  else if constexpr (std::is_same_v<T, Session>) return store.sessions();
  else if constexpr (std::is_same_v<T, AccountShare>) return store.account_shares();
  else if constexpr (std::is_same_v<T, ChangeLogEntry>) return store.change_log();
  else if constexpr (std::is_same_v<T, PlaybookVersion>) return store.playbooks();
  else if constexpr (std::is_same_v<T, ScorecardAnswer>) return store.scorecard_answers();
  else if constexpr (std::is_same_v<T, AuditRun>) return store.audit_runs();
  else if constexpr (std::is_same_v<T, ForecastSnapshot>) return store.forecast_snapshots();
  else {
    static_assert(std::is_same_v<T, ActionItem>, "a record type without a repository");
    return store.action_items();
  }
}

}  // namespace salesbox::storage::sqlite

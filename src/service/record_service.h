// SPDX-License-Identifier: MIT
// Create, read, update and delete of every record kind for one signed-in user, as JSON objects
// in the canonical CSV columns (docs/api.md). The same column tables as import parse and check
// the values, so the API and CSV files accept and reject the same things; the access rules
// (access.h) decide what the user sees and changes; every change lands in the audit log, and
// opportunity changes in the opportunity's history.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/result.h"
#include "common/time.h"
#include "service/auth.h"
#include "service/transfer.h"
#include "storage/store.h"

namespace salesbox::service {

struct FieldInfo {
  enum class Type { kString, kNumber, kInteger, kBoolean, kObject, kIntegerArray };
  std::string name;
  Type type = Type::kString;
  bool required = false;    // must be given on create (this field or its `*_id` twin)
  bool read_only = false;   // output only (id, *_minor, derived columns)
  bool write_only = false;  // input only (a user's password)
};

// What the API offers for a kind: its fields, list filters and sort fields.
struct KindInfo {
  Kind kind = Kind::kAccounts;
  std::string_view path;  // "accounts": /api/v1/accounts
  std::string_view what;  // "account"
  std::vector<FieldInfo> fields;
  std::vector<std::string> filters;  // query parameters besides limit/offset/sort/q/from/to
  std::vector<std::string> sorts;
  std::string date_field;  // the field `from`/`to` bound; empty: none
  bool searchable = false;  // takes `q`
};

// Amounts per currency as the API gives money, in currency-code order:
// [{"currency","amount" (major units, for display),"amount_minor"}].
nlohmann::json MoneyListJson(const std::map<std::string, int64_t>& minor_by_currency);

// The kinds under /api/v1, in documentation order.
std::span<const Kind> ApiKinds();
// REQUIRES: `kind` is one of ApiKinds().
const KindInfo& DescribeKind(Kind kind);
// The kind whose path is `path` ("accounts"), or kInvalidArgument.
Result<Kind> KindForPath(std::string_view path);

struct ListRequest {
  int64_t limit = 50;  // 1..500
  int64_t offset = 0;
  std::string sort;  // a KindInfo::sorts entry; empty: by id
  bool descending = false;
  std::vector<std::pair<std::string, std::vector<std::string>>> filters;  // name -> any of
  std::string q;
  // YYYY-MM-DD, inclusive; a kind whose date field is a timestamp (activities) also takes an
  // instant (2026-12-07T23:00:00Z), so a client can bound by its own local day.
  std::string from, to;
  // Also sum the kind's money fields over every record matching the filters (not only this
  // page), per currency: "totals":{"amount":[{"currency","amount","amount_minor"}]}, in
  // currency-code order. Only kinds with money (opportunities, orders, campaigns).
  bool totals = false;
};

// Thread-safe (each call is one store transaction).
class RecordService {
 public:
  RecordService(storage::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // {"items":[...],"total":n,"limit":l,"offset":o}. kInvalidArgument for a bad filter or sort.
  Result<nlohmann::json> List(const Principal& principal, Kind kind, const ListRequest& request);
  // kNotFound also for records the principal may not see.
  Result<nlohmann::json> Get(const Principal& principal, Kind kind, int64_t id);
  // kPermissionDenied when the role may not write the kind or the result would be outside
  // what the principal may change; kInvalidArgument (with field) for a value that breaks a
  // rule; kAlreadyExists for a taken key.
  Result<nlohmann::json> Create(const Principal& principal, Kind kind, const nlohmann::json& body);
  // `body` must hold the record's current `version` (kAborted when stale) and the fields to
  // change.
  Result<nlohmann::json> Update(const Principal& principal, Kind kind, int64_t id,
                                const nlohmann::json& body);
  // kFailedPrecondition when other records still refer to it.
  Status Delete(const Principal& principal, Kind kind, int64_t id);
  // Updates and deletes several records of one kind in one transaction, all or none:
  // `body` is {"update":[{"id":1,"version":3,<fields>}...],"delete":[7,8]}, each update
  // checked as Update checks it (a stale version is kAborted) and each delete as Delete.
  // {"updated":[record...],"deleted":[id...]}. The first failure is returned with
  // "<what> <id>: " before its message; kInvalidArgument for a malformed body, more than 500
  // records, or a record named twice.
  Result<nlohmann::json> Batch(const Principal& principal, Kind kind, const nlohmann::json& body);
  // The opportunity's history, newest first: {"items":[...]}.
  Result<nlohmann::json> History(const Principal& principal, int64_t opportunity_id);
  // Who else works on an account: {"items":[{"user_id","user","note"}]}.
  Result<nlohmann::json> Shares(const Principal& principal, int64_t account_id);
  // Replaces the account's shares. The owner, a manager of the owner's team and admins may.
  Result<nlohmann::json> SetShares(const Principal& principal, int64_t account_id,
                                   const std::vector<int64_t>& user_ids);
  // The audit log for managers (their team's changes), executives and admins:
  // {"items":[...],"total":n}. `entity` is a kind path or empty; `entity_id` 0 for all.
  Result<nlohmann::json> ChangeLog(const Principal& principal, std::string_view entity,
                                  int64_t entity_id, int64_t limit, int64_t offset);

 private:
  storage::Store& store_;
  const Clock& clock_;
};

}  // namespace salesbox::service

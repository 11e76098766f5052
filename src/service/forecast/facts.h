// SPDX-License-Identifier: MIT
// The forecast's facts: every deal with its history, completed activities and scorecard answers,
// the accounts' and users' names, and each owner's closed deals (part of service/forecast.h).
//
// Design note
// (1) One pass per table. Opportunities, their history, completed activities, opportunity
//     scorecard answers, contacts, accounts, segments and users are each read once with
//     ScanFields into compact arrays (ForecastData); every snapshot of every deal is then built
//     in memory.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/money.h"
#include "common/result.h"
#include "domain/opportunity.h"
#include "service/internal/scan.h"
#include "service/pipeline_audit.h"
#include "storage/store.h"

namespace salesbox::service {

using internal::Day;
using internal::kNoDay;
// One history row: the state after a change.
struct ForecastChange {
  int64_t seconds = 0;  // changed_at, seconds since the epoch
  Stage stage = Stage::kQualify;
  int64_t amount_minor = 0;
  float probability = -1;  // -1: none stated
  Day close_on = kNoDay;
  Day next_step_on = kNoDay;
};

struct ForecastActivity {
  Day day = kNoDay;
  bool meeting = false;
  bool with_economic_buyer = false;  // its contact's role is economic buyer
};

struct ForecastAnswer {
  Day day = kNoDay;
  int64_t seconds = 0;
  uint16_t criterion = 0;  // index into the opportunity playbook's criteria
  bool yes = false;
};

struct ForecastDealFacts {
  int64_t id = 0;
  int64_t account_id = 0;
  int64_t owner_id = 0;
  std::string name;
  Stage stage = Stage::kQualify;  // current
  Money amount;                   // current
  bool amount_known = true;       // false: no amount was given (stored as 0)
  float probability = -1;         // current stated probability; -1: none
  Day created_on = kNoDay;
  Day close_on = kNoDay;
  Day closed_on = kNoDay;
  Day next_step_on = kNoDay;
  ForecastCategory category = ForecastCategory::kPipeline;
  // Ranges into ForecastData's arrays, each in time order.
  uint32_t changes_begin = 0, changes_end = 0;
  uint32_t activities_begin = 0, activities_end = 0;
  uint32_t answers_begin = 0, answers_end = 0;
};

struct ForecastData {
  // The large tables are in chunks that copies share (common/cow_vector.h): a delta copies the
  // chunks it changes.
  CowVector<ForecastDealFacts> deals;  // by id
  internal::IdIndex index_of;          // opportunity id -> index into deals
  // The deal with `id`, or null.
  const ForecastDealFacts* Deal(int64_t id) const {
    const int32_t index = index_of.Find(id);
    return index < 0 ? nullptr : &deals[static_cast<size_t>(index)];
  }
  // Each deal's rows are a contiguous range. A delta appends the rows of the deals it gathers
  // again, so rows no deal points to may sit between ranges (`unused_rows` counts them).
  CowVector<ForecastChange> changes;
  CowVector<ForecastActivity> activities;
  CowVector<ForecastAnswer> answers;
  size_t unused_rows = 0;
  // Per account: whether its segment is core, and the days its contacts with the key buying
  // roles (economic buyer, decision maker, champion) were created.
  CowMap<int64_t, bool> core_account;
  CowMap<int64_t, std::array<Day, 3>> first_role_day;
  CowMap<int64_t, std::string> account_names;
  std::unordered_map<int64_t, std::string> user_names;
  std::unordered_map<int64_t, int64_t> team_of;  // user -> team
  std::unordered_map<int64_t, std::string> team_names;
  std::vector<int> criterion_area;               // per playbook criterion, -1 for auto criteria
  std::array<int, 5> manual_criteria_in_area{};  // answered by people, per area
  std::vector<std::string> area_ids;
  std::vector<std::array<std::string, 4>> area_names;  // per area, in en, da, sv, nb
  // Per owner, the days their deals closed (sorted) and how many of the first k were won
  // (wins[k]): the owner's win rate before D by binary search.
  struct OwnerRecord {
    std::vector<Day> closed_on;
    std::vector<int32_t> wins;  // wins[k]: won among closed_on[0..k); size closed_on.size() + 1
  };
  std::unordered_map<int64_t, OwnerRecord> closed_by_owner;
};

// With `parallel_reader` (a second connection to the same database) the scorecard answers are
// read on it in a second thread, beside the activities. Storage errors as they come.
Result<ForecastData> LoadForecastData(storage::Store& store,
                                      storage::Store* parallel_reader = nullptr);

struct ForecastLoadOptions {
  storage::Store* parallel_reader = nullptr;
  // Only these subjects (pipeline_audit.h): their deals, and the accounts' names, core flags and
  // key roles; closed_by_owner then covers only the subset's deals (ComputeOwnerRecords redoes
  // it over all deals after a merge).
  const FactSubset* subset = nullptr;
};
Result<ForecastData> LoadForecastData(storage::Store& store, const ForecastLoadOptions& options);

// Fills closed_by_owner from `deals`.
// With `owners`, only their records are made again (the others are kept as they are).
void ComputeOwnerRecords(ForecastData& data,
                         const std::unordered_set<int64_t>* owners = nullptr);

}  // namespace salesbox::service

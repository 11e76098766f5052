// SPDX-License-Identifier: MIT
// What the audit pages show, as JSON for the API: the scorecard of one item with its answers
// and their history, pages of items by colour, saved runs, and the comparison of two runs.
// Built on pipeline_audit.h; the wire format is documented in docs/api.md.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/result.h"
#include "service/auth.h"
#include "service/pipeline_audit.h"
#include "storage/store.h"

namespace salesbox::service {

// The items of `outcome`, filtered and paged, the largest value first:
// {"items": [item as in ReportJson], "total": n, "limit": l, "offset": o}.
struct ItemPage {
  std::optional<std::string> colour;        // "green", "yellow", "red"
  std::optional<SubjectType> subject_type;  // only opportunities or only customers
  std::optional<std::string> area;          // only items with a gap in this area id
  int64_t limit = 50;
  int64_t offset = 0;
};
nlohmann::json AuditItemsJson(const AuditOutcome& outcome, const ItemPage& page, int locale);

// One item's scorecard as of the audit's date: the playbook's areas and criteria (text, action,
// auto or manual), each criterion's answer with the latest answer's note, who and when, the
// answer history, the scores, minimums, colour, reasons and actions, and the item's action
// items. kNotFound when the subject is not an audited item visible in `outcome`.
Result<nlohmann::json> ScorecardJson(storage::Store& store, const AuditOutcome& outcome,
                                     SubjectType type, int64_t id, int locale);

// Saved runs, newest first: [{id, as_of, scope, playbooks, items, green, yellow, red,
// created_at, created_by}], only those whose scope is in `scopes` (null: every run).
Result<nlohmann::json> AuditRunsJson(storage::Store& store, const std::vector<std::string>* scopes);

// The scopes of saved runs `principal` may read: executives and admins every run (null); a
// manager the team's and its members'; a rep their own.
std::optional<std::vector<std::string>> ReadableRunScopes(storage::Store& store,
                                                          const Principal& principal);

// How items moved between saved runs `from` and `to`: per pair of colours the count, and the
// items that moved to red and to green (id, subject type, name when still known).
Result<nlohmann::json> CompareRunsJson(storage::Store& store, int64_t from, int64_t to,
                                       const AuditData* names);

}  // namespace salesbox::service

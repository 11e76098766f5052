// SPDX-License-Identifier: MIT
// Running the audit (part of service/pipeline_audit.h): every item audited, a scope's report with
// its trend and action items, and saved runs.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "analytics/audit/audit.h"
#include "analytics/audit/report.h"
#include "common/result.h"
#include "common/time.h"
#include "domain/scorecard.h"
#include "service/audit/facts.h"
#include "service/auth.h"
#include "storage/store.h"

namespace salesbox::service {

// Audits every item into opportunity_results and account_results.
void ScoreAuditData(AuditData& data);

struct AuditScope {
  std::optional<int64_t> team_id;     // only items owned by members of this team
  std::optional<int64_t> rep_id;      // only items owned by this user
  const Principal* viewer = nullptr;  // only what this user may see (null: everything)
};

// The scope's owners, or kNotFound for an unknown team or rep.
Result<std::string> ScopeLabel(storage::Store& store, const AuditScope& scope);

struct AuditOutcome {
  std::shared_ptr<const AuditData> data;
  std::vector<analytics::audit::ItemResult> items;  // in scope
  analytics::audit::Report report;
};

// Audits `data` within `scope`, with the trend against the latest saved run of the same scope
// before `data->as_of` and the open action items of the items in scope.
Result<AuditOutcome> RunAudit(storage::Store& store, std::shared_ptr<const AuditData> data,
                              const AuditScope& scope, std::string scope_label);

// The report as stored in a saved run: ReportJson without the full items, plus "items": one
// compact row per item [subject_type, id, colour, s1..s5, stale].
nlohmann::json SavedReportJson(const AuditOutcome& outcome, int locale);

// Stores `outcome` as an immutable run.
Result<AuditRun> SaveRun(storage::Store& store, const AuditOutcome& outcome,
                         std::optional<UserId> by, Timestamp now);

}  // namespace salesbox::service

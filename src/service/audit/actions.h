// SPDX-License-Identifier: MIT
// Action items (part of service/pipeline_audit.h): a planned task for the owner of an audited
// item, tied to the criterion it should close.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.h"
#include "common/time.h"
#include "domain/scorecard.h"
#include "service/auth.h"
#include "storage/store.h"

namespace salesbox::service {

struct ActionRequest {
  SubjectType subject_type = SubjectType::kOpportunity;
  int64_t subject_id = 0;
  std::string criterion_id;         // empty: a staleness finding
  std::optional<int64_t> owner_id;  // default: the subject's owner
  Date due{};
  std::string note;
  std::optional<int64_t> run_id;
};
// Creates a planned task for the owner, due on `due`, linked to the subject, and the action item
// that ties it to the criterion. Same access checks as RecordAnswer.
Result<ActionItem> CreateAction(storage::Store& store, const Principal& principal,
                                const ActionRequest& request, Timestamp now);

}  // namespace salesbox::service

// SPDX-License-Identifier: MIT
// Scorecard answers (part of service/pipeline_audit.h): a person's answer to a manual criterion
// of the active playbook, recorded with its date.
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"
#include "common/time.h"
#include "domain/scorecard.h"
#include "service/auth.h"
#include "storage/store.h"

namespace salesbox::service {

struct AnswerRequest {
  SubjectType subject_type = SubjectType::kOpportunity;
  int64_t subject_id = 0;
  std::string criterion_id;
  Answer answer = Answer::kUnknown;
  std::string note;
};
// Records an answer by `principal` now. kNotFound when the subject does not exist or is not
// visible; kPermissionDenied when the principal may not change it; kInvalidArgument (with
// field) for a criterion the active playbook does not have or computes from the data.
Result<ScorecardAnswer> RecordAnswer(storage::Store& store, const Principal& principal,
                                     const AnswerRequest& request, Timestamp now);

}  // namespace salesbox::service

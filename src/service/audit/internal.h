// SPDX-License-Identifier: MIT
// Helpers shared by the audit service's .cc files.
#pragma once

#include <cstdint>

#include "common/status.h"
#include "domain/scorecard.h"
#include "service/auth.h"
#include "storage/store.h"

namespace salesbox::service::internal {

// OK when `principal` sees the subject and may change it: kNotFound when it does not exist or is
// not visible, kPermissionDenied when the role or the subject's owner forbids the change
// (answers.cc; used by RecordAnswer and CreateAction).
Status SubjectAccess(storage::Store& store, const Principal& principal, SubjectType type,
                     int64_t id);

}  // namespace salesbox::service::internal

// SPDX-License-Identifier: MIT
// The change log: every change by anyone (or by the system) is appended here, with its old and
// new values. (The audit of customers and deals is service/pipeline_audit.h.)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "common/time.h"
#include "storage/store.h"

namespace salesbox::service {

// Appends one entry with a fresh random event id. `who` empty: the system (CLI tooling).
// `changes` is a JSON object {"field":[old,new]}.
Status AppendChange(storage::Store& store, Timestamp at, std::optional<UserId> who,
                   std::string_view action, std::string_view entity, int64_t entity_id,
                   std::string changes);

}  // namespace salesbox::service

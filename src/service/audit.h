// SPDX-License-Identifier: MIT
// The append-only audit log: every change by anyone (or by the system) goes through here.
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
Status AppendAudit(storage::Store& store, Timestamp at, std::optional<UserId> who,
                   std::string_view action, std::string_view entity, int64_t entity_id,
                   std::string changes);

}  // namespace salesbox::service

// SPDX-License-Identifier: MIT
// The signed-in user's start page in numbers: open pipeline by stage, won this quarter,
// activities due, leads, and the deals closing soonest — over what the user may see only.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "common/result.h"
#include "common/time.h"
#include "service/auth.h"
#include "storage/store.h"

namespace salesbox::service {

// The shape is documented in docs/api.md (GET /api/v1/home). Money is summed per currency,
// never converted.
Result<nlohmann::json> Home(storage::Store& store, const Clock& clock, const Principal& principal);

// The stages in board order with their default probabilities:
// [{"name":"qualify","probability":0.1,"open":true}, ...].
nlohmann::json Stages();

}  // namespace salesbox::service

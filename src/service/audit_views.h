// SPDX-License-Identifier: MIT
// What the audit pages show, as JSON for the API: moved to service/audit/views.h; this header
// forwards to it for the code that includes it by this name.
#pragma once

#include "service/audit/views.h"  // IWYU pragma: export

// SPDX-License-Identifier: MIT
// Weekly forecast snapshots and what moved: moved to service/forecast/snapshots.h; this header
// forwards to it for the code that still includes it by the old name.
#pragma once

#include "service/forecast/snapshots.h"  // IWYU pragma: export

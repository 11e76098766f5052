// SPDX-License-Identifier: MIT
// SB_CHECK: an invariant that only a bug can break. Aborts with the location in every build type.
#pragma once

#include <cstdio>
#include <cstdlib>

#define SB_CHECK(cond)                                                               \
  do {                                                                               \
    if (!(cond)) {                                                                   \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                  \
    }                                                                                \
  } while (false)

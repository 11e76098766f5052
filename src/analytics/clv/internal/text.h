// SPDX-License-Identifier: MIT
// Number formatting for the CLV engine's error messages.
#pragma once

#include <cstdio>
#include <string>

namespace salesbox::analytics::clv::internal {

// `v` with 6 significant digits ("4.41353", "1e+08", "nan").
inline std::string FormatNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.6g", v);
  return buf;
}

}  // namespace salesbox::analytics::clv::internal

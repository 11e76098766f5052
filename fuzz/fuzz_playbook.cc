// SPDX-License-Identifier: MIT
// Fuzz target: the audit's playbook loader (JSON written by people, loaded with `salesbox
// playbook load` and at start). Any bytes: a Playbook or an error, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "analytics/audit/playbook.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)salesbox::analytics::audit::ParsePlaybook(text);
  return 0;
}

// SPDX-License-Identifier: MIT
// The default demo company (seed 42, scale 1, today 2025-06-02: the figures of
// docs/demo-data.md) in a fresh in-memory store, for tests that check what analytics find in it.
// Link salesbox_demo.
#pragma once

#include <memory>

#include "common/result.h"
#include "common/status_macros.h"
#include "demo/demo_company.h"
#include "storage/open_store.h"

namespace salesbox::test {

inline Date DemoToday() { return MakeDate(2025, 6, 2); }

inline Result<std::unique_ptr<storage::Store>> DefaultDemoStore() {
  SB_ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store, storage::OpenStore("sqlite::memory:"));
  demo::DemoOptions options;
  options.seed = 42;
  options.scale = 1;
  options.today = DemoToday();
  SB_RETURN_IF_ERROR(demo::GenerateDemoCompany(*store, options).status());
  return store;
}

}  // namespace salesbox::test

// SPDX-License-Identifier: MIT
// The demo company: a realistic, deterministic Nordic B2B company generated into a Store, with
// known truths planted in it that the analytics must recover (docs/demo-data.md lists them).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/time.h"
#include "storage/store.h"

namespace salesbox::demo {

struct DemoOptions {
  uint64_t seed = 42;
  // Multiplies the number of accounts (and so of everything hanging off them); teams and reps
  // grow with the square root so that a rep's book stays plausible. 1 = ~2,000 accounts,
  // ~6,000 opportunities, ~150,000 activities, ~57,000 scorecard answers; 100 = ~1M
  // opportunities, ~10M activities.
  double scale = 1.0;
  // The demo's "today": history runs three years back from it, open deals close after it.
  // The same seed, scale and today give the same data, row for row.
  Date today{};
  // Called now and then with a short progress line ("accounts 1200/2000"); may be empty.
  std::function<void(const std::string&)> progress;
};

struct DemoLogin {
  std::string email;
  std::string name;
  std::string role;
  std::string team;
};

struct DemoSummary {
  int64_t teams = 0;
  int64_t users = 0;
  int64_t segments = 0;
  int64_t accounts = 0;
  int64_t contacts = 0;
  int64_t campaigns = 0;
  int64_t leads = 0;
  int64_t opportunities = 0;
  int64_t opportunity_changes = 0;
  int64_t activities = 0;
  int64_t orders = 0;
  int64_t scorecard_answers = 0;  // opportunities' and accounts' answers to manual criteria
  std::vector<DemoLogin> logins;  // one per role: rep, manager, executive, marketing, admin
};

// Generates the demo company into `store`, which must be empty (kFailedPrecondition otherwise).
// Writes in batches of transactions and keeps memory bounded whatever the scale. REQUIRES:
// options.scale > 0 and options.today is set.
Result<DemoSummary> GenerateDemoCompany(storage::Store& store, const DemoOptions& options);

}  // namespace salesbox::demo

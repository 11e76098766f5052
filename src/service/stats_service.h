// SPDX-License-Identifier: MIT
// StatsService: what is in the database, at a glance (`salesbox stats`).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/time.h"
#include "storage/store.h"

namespace salesbox::service {

struct StageTotal {
  std::string stage;
  int64_t count = 0;
  std::map<std::string, int64_t> amount_minor;  // currency -> sum of amounts in minor units
};

struct Stats {
  std::vector<std::pair<std::string, int64_t>> counts;  // table -> rows, in import order
  std::vector<StageTotal> open_pipeline;                // one per open stage, pipeline order
  int64_t won_last_year = 0;                            // closed in the 365 days before today
  int64_t lost_last_year = 0;
  std::map<std::string, int64_t> won_amount_last_year;  // currency -> minor units
  std::map<std::string, int64_t> order_revenue_last_year;
  std::map<std::string, int64_t> order_margin_last_year;
  int64_t open_overdue = 0;  // open opportunities whose close date has passed
  std::string first_order_on, last_order_on;  // "" when there are no orders
};

class StatsService {
 public:
  explicit StatsService(storage::Store& store) : store_(store) {}

  // Counts and totals as of `today`. Streams the tables; memory does not grow with them.
  Result<Stats> Compute(Date today);

 private:
  storage::Store& store_;
};

}  // namespace salesbox::service

// SPDX-License-Identifier: MIT
// Simulations kept between forecast pages (part of service/forecast.h). The Monte Carlo draws are
// counter-based (analytics/forecast/draws.h), so a deal set's trials do not depend on what else
// is simulated: the server keeps each large page's simulation and corrects it deal by deal after
// a write, and remembers each team's and rep's range by the deals it was drawn from. Results are
// the same as simulating afresh (tested); only the time differs.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "analytics/forecast/monte_carlo.h"
#include "common/result.h"

namespace salesbox::service {

class ForecastSimulations {
 public:
  // Keeps up to `kept` page simulations (least recently used go first) and `ranges` group ranges
  // (all forgotten when full).
  explicit ForecastSimulations(size_t kept = 64, size_t ranges = 200'000);
  ForecastSimulations(const ForecastSimulations&) = delete;
  ForecastSimulations& operator=(const ForecastSimulations&) = delete;

  // The cumulative ranges of `deals` in `rows` rows (KeptSimulation::CumulativeSummaries), from
  // the simulation kept under `key` when the deals are many enough to be worth keeping, else
  // drawn afresh. One caller per key at a time; callers with other keys run beside it.
  Result<std::vector<analytics::forecast::TotalSummary>> Cumulative(
      const std::string& key, std::span<const analytics::forecast::Deal> deals,
      std::span<const int32_t> row_of, int32_t rows,
      const analytics::forecast::MonteCarloOptions& options);

  // The range of `deals` (SimulateForecast(deals, options).total), remembered by a fingerprint of
  // the deals (stream, amount, probabilities), the trials and the seed.
  Result<analytics::forecast::TotalSummary> Range(
      std::span<const analytics::forecast::Deal> deals,
      const analytics::forecast::MonteCarloOptions& options);

  // Deals drawn since this object was made (a changed deal counts twice), for tests and traces.
  int64_t drawn() const;

  // Fewer deals than this are drawn afresh instead of kept (a rep's page).
  static constexpr size_t kKeepFrom = 256;

 private:
  struct Kept {
    std::mutex mutex;
    std::unique_ptr<analytics::forecast::KeptSimulation> simulation;
    int64_t trials = 0;
    uint64_t seed = 0;
    int32_t rows = 0;
  };
  std::shared_ptr<Kept> KeptFor(const std::string& key);

  const size_t kept_capacity_, ranges_capacity_;
  mutable std::mutex mutex_;       // guards the members below (not the Kept objects)
  std::list<std::string> recent_;  // most recently used first
  std::unordered_map<std::string,
                     std::pair<std::shared_ptr<Kept>, std::list<std::string>::iterator>>
      kept_;
  std::unordered_map<uint64_t, analytics::forecast::TotalSummary> ranges_;
  int64_t drawn_ = 0;
};

}  // namespace salesbox::service

// SPDX-License-Identifier: MIT
#include "service/forecast/simulations.h"

#include <bit>
#include <utility>

#include "common/status_macros.h"

namespace salesbox::service {
namespace {

namespace fc = analytics::forecast;

uint64_t Mix64(uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Order-independent (a sum of per-deal hashes), as the range is.
uint64_t Fingerprint(std::span<const fc::Deal> deals, const fc::MonteCarloOptions& options) {
  uint64_t sum =
      Mix64(static_cast<uint64_t>(options.trials) ^ Mix64(options.seed)) + Mix64(deals.size());
  for (const fc::Deal& d : deals) {
    sum += Mix64(d.stream ^ Mix64(static_cast<uint64_t>(d.amount_minor) ^
                                  Mix64(std::bit_cast<uint64_t>(d.p_win) ^
                                        Mix64(std::bit_cast<uint64_t>(d.p_slip)))));
  }
  return sum;
}

}  // namespace

ForecastSimulations::ForecastSimulations(size_t kept, size_t ranges)
    : kept_capacity_(kept), ranges_capacity_(ranges) {}

std::shared_ptr<ForecastSimulations::Kept> ForecastSimulations::KeptFor(const std::string& key) {
  std::lock_guard lock(mutex_);
  if (auto it = kept_.find(key); it != kept_.end()) {
    recent_.splice(recent_.begin(), recent_, it->second.second);
    return it->second.first;
  }
  while (!recent_.empty() && kept_.size() >= kept_capacity_) {
    kept_.erase(recent_.back());  // a caller still using it keeps its shared_ptr
    recent_.pop_back();
  }
  recent_.push_front(key);
  auto kept = std::make_shared<Kept>();
  kept_.emplace(key, std::make_pair(kept, recent_.begin()));
  return kept;
}

Result<std::vector<fc::TotalSummary>> ForecastSimulations::Cumulative(
    const std::string& key, std::span<const fc::Deal> deals, std::span<const int32_t> row_of,
    int32_t rows, const fc::MonteCarloOptions& options) {
  if (deals.size() < kKeepFrom || kept_capacity_ == 0) {
    SB_ASSIGN_OR_RETURN(fc::KeptSimulation fresh,
                        fc::KeptSimulation::Create(options.trials, options.seed, rows));
    SB_RETURN_IF_ERROR(fresh.Assign(deals, row_of));
    std::lock_guard lock(mutex_);
    drawn_ += fresh.redrawn();
    return fresh.CumulativeSummaries();
  }
  std::shared_ptr<Kept> kept = KeptFor(key);
  std::lock_guard use(kept->mutex);
  if (kept->simulation == nullptr || kept->trials != options.trials || kept->seed != options.seed ||
      kept->rows != rows) {
    SB_ASSIGN_OR_RETURN(fc::KeptSimulation created,
                        fc::KeptSimulation::Create(options.trials, options.seed, rows));
    kept->simulation = std::make_unique<fc::KeptSimulation>(std::move(created));
    kept->trials = options.trials;
    kept->seed = options.seed;
    kept->rows = rows;
  }
  SB_RETURN_IF_ERROR(kept->simulation->Assign(deals, row_of));
  {
    std::lock_guard lock(mutex_);
    drawn_ += kept->simulation->redrawn();
  }
  return kept->simulation->CumulativeSummaries();
}

Result<fc::TotalSummary> ForecastSimulations::Range(std::span<const fc::Deal> deals,
                                                    const fc::MonteCarloOptions& options) {
  const uint64_t fingerprint = Fingerprint(deals, options);
  {
    std::lock_guard lock(mutex_);
    if (auto it = ranges_.find(fingerprint); it != ranges_.end()) return it->second;
  }
  SB_ASSIGN_OR_RETURN(fc::MonteCarloForecast simulated, fc::SimulateForecast(deals, options));
  std::lock_guard lock(mutex_);
  drawn_ += static_cast<int64_t>(deals.size());
  if (ranges_.size() >= ranges_capacity_) ranges_.clear();
  if (ranges_capacity_ > 0) ranges_.emplace(fingerprint, simulated.total);
  return simulated.total;
}

int64_t ForecastSimulations::drawn() const {
  std::lock_guard lock(mutex_);
  return drawn_;
}

}  // namespace salesbox::service

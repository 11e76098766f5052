// SPDX-License-Identifier: MIT
// ReadPool (read_pool.h).
#include "storage/sqlite/read_pool.h"

#include <utility>

namespace salesbox::storage::sqlite {

ReadPool::ReadPool(std::vector<std::unique_ptr<Store>> readers) : readers_(std::move(readers)) {
  for (const auto& reader : readers_) free_.push_back(reader.get());
}

ReadPool::Lease ReadPool::TryAcquire() {
  std::lock_guard lock(mu_);
  if (free_.empty()) return Lease();
  Store* store = free_.back();
  free_.pop_back();
  return Lease(this, store);
}

ReadPool::Lease::~Lease() {
  if (store_ == nullptr) return;
  std::lock_guard lock(pool_->mu_);
  pool_->free_.push_back(store_);
}

}  // namespace salesbox::storage::sqlite

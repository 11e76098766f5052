// SPDX-License-Identifier: MIT
#include "api/response_cache.h"

#include <mutex>

namespace salesbox::api {

std::optional<http::Response> ResponseCache::Find(const std::string& key,
                                                  uint64_t version) const {
  std::shared_lock lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.version != version) return std::nullopt;
  return it->second.response;
}

void ResponseCache::Put(const std::string& key, uint64_t version,
                        const http::Response& response) {
  const size_t size = key.size() + response.body.size() + 256;
  if (size > max_bytes_ / 8) return;  // one answer must not push out everything else
  std::unique_lock lock(mutex_);
  if (version != version_) {
    // Versions only move forward, but threads finish out of order: an answer computed before
    // the newest write must not evict the answers computed after it.
    if (version < version_) return;
    entries_.clear();
    bytes_ = 0;
    version_ = version;
  }
  if (bytes_ + size > max_bytes_) {
    entries_.clear();
    bytes_ = 0;
  }
  auto [it, inserted] = entries_.insert_or_assign(key, Entry{version, response});
  (void)it;
  if (inserted) bytes_ += size;
}

size_t ResponseCache::entries() const {
  std::shared_lock lock(mutex_);
  return entries_.size();
}

}  // namespace salesbox::api

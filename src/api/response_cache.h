// SPDX-License-Identifier: MIT
// Answers to GET requests, kept while the data they were computed from is unchanged.
//
// Each entry is stored under the store's DataVersion (storage/store.h) at the time the answer
// was computed; a lookup under any other version misses, and the first Put of a newer version
// drops everything older. So an answer is never served after a write, by this server or by any
// other process on the same database. Keys must include whatever else the answer depends on:
// the user (what they may see) and the time bucket (overdue, today).
#pragma once

#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "http/message.h"

namespace salesbox::api {

class ResponseCache {
 public:
  explicit ResponseCache(size_t max_bytes = size_t{64} << 20) : max_bytes_(max_bytes) {}

  // The answer stored under `key` for `version`, if any. Thread-safe.
  std::optional<http::Response> Find(const std::string& key, uint64_t version) const;
  // Stores `response` (computed from data at `version`). Thread-safe.
  void Put(const std::string& key, uint64_t version, const http::Response& response);

  size_t entries() const;

 private:
  struct Entry {
    uint64_t version;
    http::Response response;
  };
  const size_t max_bytes_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  uint64_t version_ = 0;
  size_t bytes_ = 0;
};

}  // namespace salesbox::api

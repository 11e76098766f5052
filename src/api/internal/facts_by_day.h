// SPDX-License-Identifier: MIT
// Facts gathered from the store for a day, kept while the data is unchanged (the store's
// DataVersion) and shared by every request and user that asks for that day: the audit's and the
// strategy's loads read whole tables. At most two days are kept. Thread-safe; a request for facts
// being loaded waits for that load.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "common/result.h"
#include "common/status_macros.h"
#include "common/time.h"
#include "storage/store.h"

namespace salesbox::api::internal {

template <typename T>
class FactsByDay {
 public:
  using Load = std::function<Result<std::shared_ptr<const T>>(storage::Store&, Date)>;
  FactsByDay(storage::Store& store, Load load) : store_(store), load_(std::move(load)) {}

  // The facts as of `as_of` at the store's current DataVersion.
  Result<std::shared_ptr<const T>> For(Date as_of) {
    SB_ASSIGN_OR_RETURN(uint64_t version, store_.DataVersion());
    std::lock_guard lock(mutex_);
    for (const Entry& e : entries_) {
      if (e.as_of == as_of && e.version == version) return e.data;
    }
    SB_ASSIGN_OR_RETURN(std::shared_ptr<const T> data, load_(store_, as_of));
    std::erase_if(entries_, [version](const Entry& e) { return e.version != version; });
    if (entries_.size() >= 2) entries_.erase(entries_.begin());  // ~300 MB each at --scale 100
    entries_.push_back(Entry{as_of, version, data});
    return data;
  }

 private:
  struct Entry {
    Date as_of{};
    uint64_t version = 0;
    std::shared_ptr<const T> data;
  };
  storage::Store& store_;
  Load load_;
  std::mutex mutex_;
  std::vector<Entry> entries_;
};

}  // namespace salesbox::api::internal

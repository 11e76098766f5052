// SPDX-License-Identifier: MIT
// Private to service/: reading the compact rows of Repository::ScanFields without allocating.
// Shared by the analyses that read whole tables (the audit, the forecast).
#pragma once

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <functional>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "common/cow_vector.h"
#include "common/status.h"
#include "domain/enum_names.h"
#include "storage/store.h"

namespace salesbox::service::internal {

// Days since 1970-01-01; kNoDay when there is none.
using Day = int32_t;
inline constexpr Day kNoDay = INT32_MIN;

inline Day ToDay(Date date) { return static_cast<Day>(date.time_since_epoch().count()); }
inline Date FromDay(Day day) { return Date(std::chrono::days(day)); }

// Days since the epoch of "YYYY-MM-DD..." (a date or the date part of a timestamp); kNoDay for
// null or malformed text. Hot: called for every activity.
inline Day ParseDay(const storage::FieldValue& value) {
  if (value.kind != storage::FieldValue::Kind::kText || value.text.size() < 10) return kNoDay;
  const char* s = value.text.data();
  auto digit = [s](int i) { return static_cast<int>(s[i] - '0'); };
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return kNoDay;
  }
  int y = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3);
  const unsigned m = static_cast<unsigned>(digit(5) * 10 + digit(6));
  const unsigned d = static_cast<unsigned>(digit(8) * 10 + digit(9));
  // days_from_civil (H. Hinnant).
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

// Seconds since the epoch of "YYYY-MM-DDTHH:MM:SSZ"; the day's start for a bare date.
inline int64_t ParseSeconds(const storage::FieldValue& value) {
  const Day day = ParseDay(value);
  if (day == kNoDay) return 0;
  int64_t seconds = static_cast<int64_t>(day) * 86400;
  const std::string_view t = value.text;
  auto two = [&t](size_t i) {
    return i + 1 < t.size() && t[i] >= '0' && t[i] <= '9' && t[i + 1] >= '0' && t[i + 1] <= '9'
               ? (t[i] - '0') * 10 + (t[i + 1] - '0')
               : 0;
  };
  if (t.size() >= 19) seconds += two(11) * 3600 + two(14) * 60 + two(17);
  return seconds;
}

inline int64_t IntOr(const storage::FieldValue& value, int64_t fallback = 0) {
  return value.kind == storage::FieldValue::Kind::kInteger ? value.integer : fallback;
}

inline double RealOr(const storage::FieldValue& value, double fallback) {
  if (value.kind == storage::FieldValue::Kind::kReal) return value.real;
  if (value.kind == storage::FieldValue::Kind::kInteger) return static_cast<double>(value.integer);
  return fallback;
}

inline std::string Text(const storage::FieldValue& value) { return std::string(value.text); }

// The enum value's index by its stored name; `fallback` for null or unknown text.
template <typename E>
int EnumIndex(const storage::FieldValue& value, int fallback = -1) {
  if (value.kind != storage::FieldValue::Kind::kText) return fallback;
  for (const auto& [v, name] : EnumNames<E>::kNames) {
    if (name == value.text) return static_cast<int>(v);
  }
  return fallback;
}

// With the environment variable `env` set, prints how long each phase took to stderr, each line
// starting with `prefix` (SALESBOX_AUDIT_TRACE, SALESBOX_FORECAST_TRACE).
class PhaseTimer {
 public:
  PhaseTimer(const char* env, const char* prefix)
      : on_(std::getenv(env) != nullptr), prefix_(prefix), last_(Now()) {}
  void Mark(const char* phase) {
    if (!on_) return;
    const auto now = Now();
    std::fprintf(stderr, "%s: %-20s %8.1f ms\n", prefix_, phase,
                 std::chrono::duration<double, std::milli>(now - last_).count());
    last_ = now;
  }

 private:
  static std::chrono::steady_clock::time_point Now() { return std::chrono::steady_clock::now(); }
  bool on_;
  const char* prefix_;
  std::chrono::steady_clock::time_point last_;
};

// Grows `v` so that index `id` exists.
template <typename V, typename T>
typename V::value_type& At(V& v, int64_t id, const T& fill) {
  if (id < 0) id = 0;
  if (static_cast<size_t>(id) >= v.size()) v.resize(static_cast<size_t>(id) + 1, fill);
  return v[static_cast<size_t>(id)];
}

// Record id -> index into an array of facts, -1 for none; shared between snapshots as
// CowVector is (a delta that keeps every id where it was copies nothing).
class IdIndex {
 public:
  int32_t Find(int64_t id) const {
    if (id <= 0 || static_cast<size_t>(id) >= slots_.size()) return -1;
    return slots_[static_cast<size_t>(id)];
  }
  void Set(int64_t id, int32_t index) { At(slots_, id, int32_t{-1}) = index; }
  void Clear() { slots_.clear(); }
  // The same id -> index pairs (however far each was grown).
  friend bool operator==(const IdIndex& a, const IdIndex& b) {
    const size_t n = std::max(a.slots_.size(), b.slots_.size());
    for (size_t id = 1; id < n; ++id) {
      if (a.Find(static_cast<int64_t>(id)) != b.Find(static_cast<int64_t>(id))) return false;
    }
    return true;
  }

 private:
  CowVector<int32_t> slots_;
};

// A pass that reads on a second connection beside the caller's own passes: Start runs `read`
// on `reader` in a thread (with no reader, nothing happens until Finish); Finish waits for it
// and returns its status, or runs `read` on `fallback` there and then. The destructor joins a
// thread still running (an early return on another error). Used by the audit's and the
// forecast's loads for the scorecard answers, beside the activities.
class SecondPass {
 public:
  using Read = std::function<Status(storage::Store&)>;
  SecondPass(storage::Store* reader, Read read) : reader_(reader), read_(std::move(read)) {}
  ~SecondPass() {
    if (thread_.joinable()) thread_.join();
  }
  SecondPass(const SecondPass&) = delete;
  SecondPass& operator=(const SecondPass&) = delete;

  void Start() {
    if (reader_ != nullptr) thread_ = std::thread([this] { status_ = read_(*reader_); });
  }
  Status Finish(storage::Store& fallback) {
    if (!thread_.joinable()) return read_(fallback);
    thread_.join();
    return status_;
  }

 private:
  storage::Store* reader_;
  Read read_;
  std::thread thread_;
  Status status_;
};

}  // namespace salesbox::service::internal

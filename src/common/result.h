// SPDX-License-Identifier: MIT
// Result<T>: a T, or the non-OK Status that explains why there is none (g++ 12 has no
// std::expected). Accessing the value of an error Result is a bug and aborts.
#pragma once

#include <optional>
#include <type_traits>
#include <utility>

#include "common/check.h"
#include "common/status.h"

namespace salesbox {

template <typename T>
class [[nodiscard]] Result {
 public:
  // REQUIRES: !status.ok()
  Result(Status status) : status_(std::move(status)) { SB_CHECK(!status_.ok()); }  // NOLINT
  Result(const T& value) : value_(value) {}                                      // NOLINT
  Result(T&& value) : value_(std::move(value)) {}                                 // NOLINT
  template <typename U,
            typename = std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                        !std::is_same_v<std::decay_t<U>, T> &&
                                        !std::is_same_v<std::decay_t<U>, Status> &&
                                        !std::is_same_v<std::decay_t<U>, Result<T>>>>
  Result(U&& value) : value_(std::forward<U>(value)) {}  // NOLINT

  bool ok() const { return status_.ok(); }
  const Status& status() const& { return status_; }
  Status status() && { return std::move(status_); }

  const T& value() const& {
    SB_CHECK(ok());
    return *value_;
  }
  T& value() & {
    SB_CHECK(ok());
    return *value_;
  }
  T&& value() && {
    SB_CHECK(ok());
    return std::move(*value_);
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace salesbox

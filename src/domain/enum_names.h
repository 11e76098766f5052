// SPDX-License-Identifier: MIT
// One table per domain enum maps values to their snake_case names, the form used in the
// database, in JSON and in exported CSV. ToString and ParseEnum work for every enum that has one.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "common/result.h"

namespace salesbox {

// Specialised next to each enum: `static constexpr std::array<std::pair<E, std::string_view>, N>
// kNames` and `static constexpr std::string_view kWhat` ("stage").
template <typename E>
struct EnumNames;

template <typename E>
std::string_view ToString(E value) {
  for (const auto& [v, name] : EnumNames<E>::kNames) {
    if (v == value) return name;
  }
  return "?";
}

// Exact snake_case name; kInvalidArgument listing the allowed names otherwise.
template <typename E>
Result<E> ParseEnum(std::string_view text) {
  for (const auto& [v, name] : EnumNames<E>::kNames) {
    if (name == text) return v;
  }
  std::string message = std::string(EnumNames<E>::kWhat) + " \"" + std::string(text) +
                        "\" is not one of ";
  bool first = true;
  for (const auto& entry : EnumNames<E>::kNames) {
    if (!first) message += ", ";
    message += entry.second;
    first = false;
  }
  return Status::InvalidArgument(std::move(message));
}

}  // namespace salesbox

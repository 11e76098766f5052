// SPDX-License-Identifier: MIT
// JSON string literals for code that writes JSON by hand (streamed exports, error bodies) rather
// than through a JSON library.
#pragma once

#include <string>
#include <string_view>

namespace salesbox {

// Appends `text` as a JSON string literal with its quotes (RFC 8259 section 7): '"', '\' and
// control characters are escaped; bytes >= 0x80 pass through (the text is UTF-8 already).
void AppendJsonString(std::string_view text, std::string* out);

// The same, returned.
inline std::string JsonString(std::string_view text) {
  std::string out;
  AppendJsonString(text, &out);
  return out;
}

}  // namespace salesbox

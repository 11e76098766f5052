// SPDX-License-Identifier: MIT
#include "storage/sqlite/case_fold.h"

#include <cstdint>

namespace salesbox::storage::sqlite {
namespace {

char32_t FoldCodePoint(char32_t c) {
  if (c >= U'A' && c <= U'Z') return c + 0x20;
  if (c < 0xC0) return c;
  if (c <= 0xDE) return c == 0xD7 ? c : c + 0x20;  // Latin-1 capitals; U+00D7 is '×'
  if (c >= 0x100 && c <= 0x17F) {                  // Latin Extended-A: alternating pairs
    if (c == 0x130) return U'i';                   // 'İ'
    if (c == 0x178) return 0xFF;                   // 'Ÿ'
    const bool odd_is_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
    const bool is_upper = odd_is_upper ? (c % 2 == 1) : (c % 2 == 0);
    if (c == 0x138 || c == 0x149 || c == 0x17F) return c;  // no case pair
    return is_upper ? c + 1 : c;
  }
  if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 0x20;  // Greek capitals
  if (c >= 0x410 && c <= 0x42F) return c + 0x20;                // Cyrillic А..Я
  if (c >= 0x400 && c <= 0x40F) return c + 0x50;                // Cyrillic Ѐ..Џ
  return c;
}

void AppendUtf8(char32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

void FoldFunction(sqlite3_context* context, int /*argc*/, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sqlite3_result_null(context);
    return;
  }
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  const int size = sqlite3_value_bytes(argv[0]);
  std::string folded;
  AppendCaseFolded(std::string_view(text == nullptr ? "" : text, static_cast<size_t>(size)),
                   &folded);
  sqlite3_result_text64(context, folded.data(), folded.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

}  // namespace

void AppendCaseFolded(std::string_view text, std::string* out) {
  out->reserve(out->size() + text.size());
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<uint8_t>(text[i]);
    if (lead < 0x80) {
      out->push_back(lead >= 'A' && lead <= 'Z' ? static_cast<char>(lead + 0x20) : text[i]);
      ++i;
      continue;
    }
    // Every letter FoldCodePoint changes is below U+0800, a two-byte sequence; anything else
    // (longer sequences, malformed input) is copied byte for byte.
    if ((lead & 0xE0) == 0xC0 && i + 1 < text.size() &&
        (static_cast<uint8_t>(text[i + 1]) & 0xC0) == 0x80) {
      const char32_t c =
          (static_cast<char32_t>(lead & 0x1F) << 6) | (static_cast<uint8_t>(text[i + 1]) & 0x3F);
      if (c >= 0x80) {
        AppendUtf8(FoldCodePoint(c), out);
        i += 2;
        continue;
      }
    }
    out->push_back(text[i]);
    ++i;
  }
}

int RegisterCaseFold(sqlite3* db) {
  return sqlite3_create_function_v2(db, std::string(kCaseFoldFunction).c_str(), 1,
                                    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
                                    FoldFunction, nullptr, nullptr, nullptr);
}

}  // namespace salesbox::storage::sqlite

// SPDX-License-Identifier: MIT
// Whole numbers and shares as the product's four languages write them (en, da, sv, nb, in the
// order of analytics::audit::kLocales), for texts meant for reading.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

namespace salesbox {

// U+00A0: a number and its unit never break across lines.
inline constexpr std::string_view kNoBreakSpace = "\xC2\xA0";

// The thousands separator of `locale`: "," (en), "." (da, nb), a no-break space (sv).
inline std::string_view ThousandsSeparator(int locale) {
  switch (locale) {
    case 1:  // da
    case 3:  // nb
      return ".";
    case 2:  // sv
      return kNoBreakSpace;
    default:
      return ",";
  }
}

// 1234567 as "1,234,567" (en), "1.234.567" (da, nb), "1 234 567" (sv, no-break space).
inline std::string FormatCount(int64_t value, int locale) {
  const uint64_t magnitude =
      value < 0 ? static_cast<uint64_t>(-(value + 1)) + 1 : static_cast<uint64_t>(value);
  const std::string digits = std::to_string(magnitude);
  std::string out = value < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ThousandsSeparator(locale);
    out += digits[i];
  }
  return out;
}

// A share in [0, 1] as a whole percentage: "38%" (en), "38 %" (da, sv, nb; no-break space).
inline std::string FormatPercent(double share, int locale) {
  if (!(share >= 0)) share = 0;  // also NaN
  if (share > 1) share = 1;
  const std::string number = std::to_string(std::lround(share * 100.0));
  return locale == 0 ? number + "%" : number + std::string(kNoBreakSpace) + "%";
}

}  // namespace salesbox

// SPDX-License-Identifier: MIT
// Money is an integer count of minor units (øre, cents) plus an ISO-4217 currency; never a double.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace salesbox {

// An ISO-4217 alphabetic code, three upper-case ASCII letters ("DKK").
class Currency {
 public:
  constexpr Currency() : code_{'X', 'X', 'X'} {}  // XXX: "no currency"

  // Accepts three ASCII letters in any case; kInvalidArgument otherwise.
  static Result<Currency> Parse(std::string_view text);

  std::string_view code() const { return std::string_view(code_.data(), 3); }
  std::string ToString() const { return std::string(code()); }

  // Digits after the decimal point for this currency: 0 for ISK, JPY, KRW, CLP; 3 for
  // BHD, KWD, OMR, JOD, TND; 2 otherwise.
  int minor_digits() const;

  friend auto operator<=>(const Currency&, const Currency&) = default;

 private:
  std::array<char, 3> code_;
};

struct Money {
  int64_t minor_units = 0;
  Currency currency;

  friend auto operator<=>(const Money&, const Money&) = default;
};

// Decimal separator convention of a text number. kAuto decides per value (see ParseDecimal).
enum class DecimalSeparator { kAuto, kPoint, kComma };

// Parses a human-written decimal number into an integer scaled by 10^`scale`, rounding half away
// from zero beyond `scale` digits. Accepts a sign, thousands separators ("1.234,50",
// "1,234.50", "1 234,50" with a space or no-break space, "1'234.50"), surrounding blanks, and a
// trailing or leading currency code or symbol ("kr", "DKK", "€", "$"). With kAuto: when both '.'
// and ',' occur, the last is the decimal separator; a separator that occurs more than once is a
// thousands separator; a single separator followed by exactly three digits ("1.234") is a
// thousands separator when `separator` is kAuto, otherwise the given convention decides.
// Returns kInvalidArgument (message names the problem) for empty or malformed text or overflow.
Result<int64_t> ParseDecimal(std::string_view text, int scale,
                             DecimalSeparator separator = DecimalSeparator::kAuto);

// ParseDecimal with the currency's minor digits: "1.234,50" DKK -> 123450.
Result<int64_t> ParseMinorUnits(std::string_view text, Currency currency,
                                DecimalSeparator separator = DecimalSeparator::kAuto);

// Formats `minor_units` as a plain decimal with '.' ("1234.50", "-0.05", "1200" for 0 digits);
// the format import reads back losslessly.
std::string FormatMinorUnits(int64_t minor_units, int minor_digits);

// Whole major units (the fraction dropped) grouped by ',' in thousands: "-1,234,567". For tables
// meant for reading; files and JSON keep minor units.
std::string FormatWholeGrouped(int64_t minor_units, int minor_digits);

}  // namespace salesbox

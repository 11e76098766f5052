// SPDX-License-Identifier: MIT
// Currency codes and the text <-> minor-unit conversions used by import and export.
//
// Design notes
// ParseDecimal runs once per CSV cell during import, so the success path allocates nothing and
// uses no locale, iostream or regex: it trims the text, strips one sign and one currency marker,
// classifies the separators in one pass and accumulates the digits in a second pass into an
// unsigned 64-bit magnitude with explicit overflow checks. Messages are built only on failure.
//
// Separator rules, in order (see money.h for the contract):
//  (1) Blanks (space, tab at the ends only, U+00A0, U+2009, U+202F) and apostrophes (' and
//      U+2019) inside the number are always thousands separators.
//  (2) kPoint / kComma: the named character is the decimal separator, the other one groups.
//  (3) kAuto: if both '.' and ',' occur, the last one is the decimal separator; if only one
//      occurs and it occurs more than once it groups; a single one followed by exactly three
//      digits groups, unless what precedes it cannot be a first group of thousands (empty,
//      more than three digits, or a leading 0: ".125", "1234.500", "0.125") or the number
//      already groups with a blank or apostrophe ("1 234,567"); then it is decimal. So a
//      3-digit currency written as "1.234" reads as 1234 units: use kPoint/kComma for those.
//  (4) Every group after a thousands separator has exactly three digits and the first group has
//      one to three, so "1,5" read with kPoint is an error rather than 15.
//  (5) "12,-" and "12.-" (Nordic price notation) mean 12 with no fraction.
#include "common/money.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace salesbox {
namespace {

constexpr bool IsDigit(char c) { return static_cast<unsigned char>(c - '0') < 10; }

constexpr bool IsAsciiLetter(char c) { return static_cast<unsigned char>((c | 0x20) - 'a') < 26; }

constexpr char ToUpper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; }

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Multi-byte UTF-8 blanks that people (and Excel in Nordic and French locales) use to group
// digits: U+00A0 no-break space, U+2009 thin space, U+202F narrow no-break space.
constexpr std::string_view kNoBreakSpace = "\xC2\xA0";
constexpr std::string_view kThinSpace = "\xE2\x80\x89";
constexpr std::string_view kNarrowNoBreakSpace = "\xE2\x80\xAF";
constexpr std::string_view kRightSingleQuote = "\xE2\x80\x99";  // Swiss grouping
constexpr std::string_view kMinusSign = "\xE2\x88\x92";

// Length of the grouping blank or apostrophe that starts at s[i], 0 if there is none.
size_t GroupingAt(std::string_view s, size_t i) {
  const char c = s[i];
  if (c == ' ' || c == '\'') return 1;
  if (static_cast<unsigned char>(c) < 0x80) return 0;
  const std::string_view rest = s.substr(i);
  if (StartsWith(rest, kNoBreakSpace)) return 2;
  if (StartsWith(rest, kThinSpace) || StartsWith(rest, kNarrowNoBreakSpace) ||
      StartsWith(rest, kRightSingleQuote)) {
    return 3;
  }
  return 0;
}

// Length of the blank that starts / ends `s`, 0 if none. ASCII bytes are decided without
// comparing strings: this runs on every cell.
size_t LeadingBlank(std::string_view s) {
  if (s.empty()) return 0;
  const char c = s.front();
  if (c == ' ' || c == '\t') return 1;
  if (static_cast<unsigned char>(c) < 0x80) return 0;
  if (StartsWith(s, kNoBreakSpace)) return 2;
  if (StartsWith(s, kThinSpace) || StartsWith(s, kNarrowNoBreakSpace)) return 3;
  return 0;
}
size_t TrailingBlank(std::string_view s) {
  if (s.empty()) return 0;
  const char c = s.back();
  if (c == ' ' || c == '\t') return 1;
  if (static_cast<unsigned char>(c) < 0x80) return 0;
  if (EndsWith(s, kNoBreakSpace)) return 2;
  if (EndsWith(s, kThinSpace) || EndsWith(s, kNarrowNoBreakSpace)) return 3;
  return 0;
}

void TrimBlanks(std::string_view* s) {
  while (size_t n = LeadingBlank(*s)) s->remove_prefix(n);
  while (size_t n = TrailingBlank(*s)) s->remove_suffix(n);
}

constexpr std::string_view kCurrencySymbols[] = {"\xE2\x82\xAC" /* € */, "$", "\xC2\xA3" /* £ */,
                                                 "\xC2\xA5" /* ¥ */};

// A currency word next to an amount: "kr"/"kr." in any case, three upper-case letters (an ISO
// code such as "DKK"), or a known code in lower case ("dkk"). Anything else ("12x") is not one.
bool IsCurrencyWord(std::string_view word) {
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
  if (word.size() == 2) return lower(word[0]) == 'k' && lower(word[1]) == 'r';
  if (word.size() != 3) return false;
  if (word[0] >= 'A' && word[0] <= 'Z' && word[1] >= 'A' && word[1] <= 'Z' && word[2] >= 'A' &&
      word[2] <= 'Z') {
    return true;
  }
  static constexpr std::string_view kKnown[] = {"dkk", "sek", "nok", "eur", "usd",
                                                "gbp", "chf", "isk", "pln"};
  std::string_view::value_type buffer[3] = {lower(word[0]), lower(word[1]), lower(word[2])};
  std::string_view folded(buffer, 3);
  for (std::string_view code : kKnown) {
    if (folded == code) return true;
  }
  return false;
}

// Removes a leading currency symbol or code of one to three ASCII letters ("kr", "kr.", "DKK").
bool TakeCurrencyPrefix(std::string_view* s) {
  if (s->empty() || IsDigit(s->front())) return false;
  if (s->front() == '$' || static_cast<unsigned char>(s->front()) >= 0x80) {
    for (std::string_view symbol : kCurrencySymbols) {
      if (StartsWith(*s, symbol)) {
        s->remove_prefix(symbol.size());
        return true;
      }
    }
  }
  size_t letters = 0;
  while (letters < s->size() && IsAsciiLetter((*s)[letters])) ++letters;
  if (!IsCurrencyWord(s->substr(0, letters))) return false;
  if (letters < s->size() && (*s)[letters] == '.') ++letters;  // "kr."
  s->remove_prefix(letters);
  return true;
}

// Removes a trailing currency symbol or code ("DKK", "kr", "kr.", "€").
bool TakeCurrencySuffix(std::string_view* s) {
  if (s->empty()) return false;
  if (s->back() == '$' || static_cast<unsigned char>(s->back()) >= 0x80) {
    for (std::string_view symbol : kCurrencySymbols) {
      if (EndsWith(*s, symbol)) {
        s->remove_suffix(symbol.size());
        return true;
      }
    }
  }
  size_t end = s->size();
  if (end > 0 && (*s)[end - 1] == '.') --end;
  size_t letters = 0;
  while (letters < end && IsAsciiLetter((*s)[end - 1 - letters])) ++letters;
  if (!IsCurrencyWord(s->substr(end - letters, letters))) return false;
  s->remove_suffix(s->size() - (end - letters));
  return true;
}

bool TakeSign(std::string_view* s, bool* negative) {
  if (s->empty()) return false;
  if ((*s)[0] == '-' || (*s)[0] == '+') {
    *negative = (*s)[0] == '-';
    s->remove_prefix(1);
    return true;
  }
  if ((*s)[0] == kMinusSign[0] && StartsWith(*s, kMinusSign)) {
    *negative = true;
    s->remove_prefix(kMinusSign.size());
    return true;
  }
  return false;
}

Status NotANumber(std::string_view text, std::string_view problem) {
  std::string message = "\"";
  message += text.size() <= 40 ? text : text.substr(0, 40);
  if (text.size() > 40) message += "...";
  message += "\" is not a number: ";
  message += problem;
  return Status::InvalidArgument(std::move(message));
}

Status TooLarge(std::string_view text) { return NotANumber(text, "too large"); }

// Adds digit `d` to the magnitude `*v`; false on overflow past `limit`.
inline bool Accumulate(uint64_t* v, unsigned d, uint64_t limit) {
  if (*v > (limit - d) / 10) return false;
  *v = *v * 10 + d;
  return true;
}

}  // namespace

Result<Currency> Currency::Parse(std::string_view text) {
  if (text.size() != 3 || !IsAsciiLetter(text[0]) || !IsAsciiLetter(text[1]) ||
      !IsAsciiLetter(text[2])) {
    std::string message = "currency \"";
    message += text.size() <= 20 ? text : text.substr(0, 20);
    message += "\" is not a three-letter ISO-4217 code";
    return Status::InvalidArgument(std::move(message));
  }
  Currency currency;
  currency.code_ = {ToUpper(text[0]), ToUpper(text[1]), ToUpper(text[2])};
  return currency;
}

int Currency::minor_digits() const {
  const std::string_view c = code();
  // Short lists; a linear scan over 3-byte codes beats any map.
  static constexpr std::string_view kZero[] = {"ISK", "JPY", "KRW", "CLP"};
  static constexpr std::string_view kThree[] = {"BHD", "KWD", "OMR", "JOD", "TND"};
  for (std::string_view z : kZero) {
    if (c == z) return 0;
  }
  for (std::string_view t : kThree) {
    if (c == t) return 3;
  }
  return 2;
}

Result<int64_t> ParseDecimal(std::string_view text, int scale, DecimalSeparator separator) {
  if (scale < 0 || scale > 18) {
    return Status::InvalidArgument("decimal scale " + std::to_string(scale) + " is outside 0..18");
  }
  std::string_view s = text;
  TrimBlanks(&s);
  if (s.empty()) return NotANumber(text, "empty");

  bool negative = false;
  bool has_sign = TakeSign(&s, &negative);
  bool has_currency = false;
  if (TakeCurrencyPrefix(&s)) {
    has_currency = true;
    while (size_t n = LeadingBlank(s)) s.remove_prefix(n);
    if (!has_sign) has_sign = TakeSign(&s, &negative);
  }
  if (!s.empty() && !IsDigit(s.back()) && TakeCurrencySuffix(&s)) {
    if (has_currency) return NotANumber(text, "more than one currency");
    while (size_t n = TrailingBlank(s)) s.remove_suffix(n);
  }
  if (s.empty()) return NotANumber(text, "no digits");

  // (5) "12,-": the separator before the dash is the decimal separator, with no fraction.
  size_t forced_decimal = std::string_view::npos;
  if (s.size() >= 2 && s.back() == '-' && (s[s.size() - 2] == ',' || s[s.size() - 2] == '.')) {
    s.remove_suffix(1);
    forced_decimal = s.size() - 1;
  }

  // Pass 1: classify. Only digits, '.', ',' and grouping characters may remain.
  int points = 0;
  int commas = 0;
  size_t last_point = 0;
  size_t last_comma = 0;
  bool has_grouping = false;
  for (size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (IsDigit(c)) {
      ++i;
    } else if (c == '.') {
      ++points;
      last_point = i++;
    } else if (c == ',') {
      ++commas;
      last_comma = i++;
    } else if (size_t n = GroupingAt(s, i)) {
      has_grouping = true;
      i += n;
    } else {
      std::string problem = "unexpected '";
      problem += c;
      problem += '\'';
      if (static_cast<unsigned char>(c) >= 0x80) problem = "unexpected character";
      return NotANumber(text, problem);
    }
  }

  // Decide which character, if any, is the decimal separator; its position is `decimal`.
  size_t decimal = std::string_view::npos;
  char group_char = '\0';  // '.' or ',' when it is a thousands separator
  if (forced_decimal != std::string_view::npos) {
    decimal = forced_decimal;
    group_char = s[decimal] == '.' ? ',' : '.';
    if ((s[decimal] == '.' ? points : commas) > 1) {
      return NotANumber(text, "more than one decimal separator");
    }
  } else if (separator == DecimalSeparator::kPoint || separator == DecimalSeparator::kComma) {
    const bool point = separator == DecimalSeparator::kPoint;
    const int count = point ? points : commas;
    if (count > 1) return NotANumber(text, "more than one decimal separator");
    if (count == 1) decimal = point ? last_point : last_comma;
    group_char = point ? ',' : '.';
  } else if (points > 0 && commas > 0) {
    const bool point = last_point > last_comma;
    if ((point ? points : commas) > 1) {
      return NotANumber(text, "more than one decimal separator");
    }
    decimal = point ? last_point : last_comma;
    group_char = point ? ',' : '.';
  } else if (points + commas > 1) {
    group_char = points > 0 ? '.' : ',';
  } else if (points + commas == 1) {
    const size_t at = points > 0 ? last_point : last_comma;
    // Thousands only if the digits before it can be a first group: 1..3 digits, no leading 0.
    const bool grouping = !has_grouping && s.size() - at - 1 == 3 && at >= 1 && at <= 3 &&
                          s[0] != '0' && IsDigit(s[at + 1]) && IsDigit(s[at + 2]) &&
                          IsDigit(s[at + 3]);
    if (grouping) {
      group_char = s[at];
    } else {
      decimal = at;
    }
  }

  // Pass 2: accumulate. `limit` allows -9223372036854775808.
  const uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  uint64_t value = 0;
  const size_t int_end = decimal == std::string_view::npos ? s.size() : decimal;
  int group_digits = 0;  // digits in the current group
  bool grouped = false;  // a thousands separator has been seen
  int int_digits = 0;
  for (size_t i = 0; i < int_end;) {
    const char c = s[i];
    if (IsDigit(c)) {
      if (!Accumulate(&value, static_cast<unsigned>(c - '0'), limit)) return TooLarge(text);
      ++group_digits;
      ++int_digits;
      ++i;
      continue;
    }
    size_t n = 1;
    if (c == '.' || c == ',') {
      if (c != group_char) return NotANumber(text, "misplaced separator");
    } else {
      n = GroupingAt(s, i);
    }
    // (4) The group before this separator: the first has 1..3 digits, the others exactly 3.
    if (group_digits == 0 || group_digits > 3 || (grouped && group_digits != 3)) {
      return NotANumber(text, "misplaced thousands separator");
    }
    grouped = true;
    group_digits = 0;
    i += n;
  }
  if (grouped && group_digits != 3) return NotANumber(text, "misplaced thousands separator");

  int fraction_digits = 0;  // fraction digits kept, at most `scale`
  bool has_fraction_digit = false;
  bool seen_dropped_digit = false;
  bool round_up = false;
  if (decimal != std::string_view::npos) {
    for (size_t i = decimal + 1; i < s.size(); ++i) {
      const char c = s[i];
      if (!IsDigit(c)) return NotANumber(text, "misplaced separator after the decimal separator");
      has_fraction_digit = true;
      if (fraction_digits < scale) {
        if (!Accumulate(&value, static_cast<unsigned>(c - '0'), limit)) return TooLarge(text);
        ++fraction_digits;
      } else if (!seen_dropped_digit) {
        // Half away from zero: the first dropped digit alone decides.
        seen_dropped_digit = true;
        round_up = c >= '5';
      }
    }
  }
  if (int_digits == 0 && !has_fraction_digit) return NotANumber(text, "no digits");
  for (int i = fraction_digits; i < scale; ++i) {
    if (!Accumulate(&value, 0, limit)) return TooLarge(text);
  }
  if (round_up) {
    if (value == limit) return TooLarge(text);
    ++value;
  }
  return negative ? static_cast<int64_t>(uint64_t{0} - value) : static_cast<int64_t>(value);
}

Result<int64_t> ParseMinorUnits(std::string_view text, Currency currency,
                                DecimalSeparator separator) {
  return ParseDecimal(text, currency.minor_digits(), separator);
}

std::string FormatMinorUnits(int64_t minor_units, int minor_digits) {
  SB_CHECK(minor_digits >= 0 && minor_digits <= 18);
  const bool negative = minor_units < 0;
  uint64_t magnitude = negative ? uint64_t{0} - static_cast<uint64_t>(minor_units)
                                : static_cast<uint64_t>(minor_units);
  // Written backwards: at most 20 digits, a point, a sign and the zero padding of 0.000...
  char buffer[48];
  char* p = buffer + sizeof(buffer);
  int written = 0;
  do {
    *--p = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
    ++written;
    if (written == minor_digits) *--p = '.';
  } while (magnitude != 0);
  if (written < minor_digits) {
    while (written < minor_digits) {
      *--p = '0';
      ++written;
    }
    *--p = '.';
  }
  if (*p == '.') *--p = '0';
  if (negative) *--p = '-';
  return std::string(p, static_cast<size_t>(buffer + sizeof(buffer) - p));
}

std::string FormatWholeGrouped(int64_t minor_units, int minor_digits) {
  int64_t major = minor_units;
  for (int i = 0; i < minor_digits; ++i) major /= 10;
  const std::string digits = std::to_string(major < 0 ? -major : major);
  std::string grouped = major < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return grouped;
}

}  // namespace salesbox

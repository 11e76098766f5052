// SPDX-License-Identifier: MIT
// Text conversion of dates and UTC instants: the only place salesbox turns time into text and back.
//
// Design notes
// Import parses a date or timestamp per CSV cell, so parsing is a hand-written scanner over the
// bytes: no chrono::parse (absent in g++ 12), no iostreams, no strftime/strptime (locale, and
// thread-unsafe TZ handling), and no allocation unless the text is rejected. Validity of a
// calendar date is decided by std::chrono::year_month_day::ok().
//
// Grammar accepted by ParseDate and ParseTimestamp (blanks around the whole text are ignored):
//   date      = YYYY S M S D                 (year first, S one of '-' '.' '/')
//             | D S M S YYYY | M S D S YYYY  (by DateOrder; the same S twice)
//             | YY S M S D                   (DateOrder::kYearFirst, two-digit years allowed)
// With two-digit years allowed, YYYY may also be YY: 00-68 are 2000-2068, 69-99 are 1969-1999,
// as POSIX strptime's %y reads them.
//   timestamp = date [ ('T' | ' ') H ':' MM [ ':' SS [ ('.' | ',') digits ] ] [ zone ] ]
//   zone      = 'Z' | ('+' | '-') HH [ ':' ] MM
// M, D and H have one or two digits, the others exactly as many as shown. ParseDate accepts the
// same text and returns the date as written, before any offset is applied, so a value and its
// date column agree with what the user sees in the file.
#include "common/time.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/check.h"

namespace salesbox {
namespace {

using std::chrono::day;
using std::chrono::days;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

constexpr bool IsDigit(char c) { return static_cast<unsigned char>(c - '0') < 10; }

// Reads between `min` and `max` digits at `*p`; returns the count read, or 0 if there are fewer
// than `min` or (unless `more_may_follow`) more than `max`.
int ReadDigits(const char** p, const char* end, int min, int max, int* value,
               bool more_may_follow = false) {
  const char* q = *p;
  int v = 0;
  int n = 0;
  while (q != end && n < max && IsDigit(*q)) {
    v = v * 10 + (*q - '0');
    ++q;
    ++n;
  }
  if (n < min) return 0;
  // A longer run of digits than allowed is not this field.
  if (!more_may_follow && q != end && IsDigit(*q)) return 0;
  *p = q;
  *value = v;
  return n;
}

// Writes `value` as exactly `width` digits, zero-padded, at `out`.
inline void PutDigits(char* out, unsigned value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

// Appends "YYYY-MM-DD" for `date` to `out`; returns the end. `out` must have room for 16 chars.
char* PutDate(char* out, Date date) {
  const year_month_day ymd{date};
  const int y = static_cast<int>(ymd.year());
  if (y >= 0 && y <= 9999) {
    PutDigits(out, static_cast<unsigned>(y), 4);
    out += 4;
  } else {
    // Outside what ISO-8601 writes with four digits; keep the sign and all digits.
    unsigned magnitude = y < 0 ? static_cast<unsigned>(-y) : static_cast<unsigned>(y);
    if (y < 0) *out++ = '-';
    char digits[8];
    int n = 0;
    do {
      digits[n++] = static_cast<char>('0' + magnitude % 10);
      magnitude /= 10;
    } while (magnitude != 0);
    while (n > 0) *out++ = digits[--n];
  }
  *out++ = '-';
  PutDigits(out, static_cast<unsigned>(ymd.month()), 2);
  out += 2;
  *out++ = '-';
  PutDigits(out, static_cast<unsigned>(ymd.day()), 2);
  return out + 2;
}

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Status Invalid(std::string_view what, std::string_view text, std::string_view problem) {
  std::string message(what);
  message += " \"";
  message += text.size() <= 40 ? text : text.substr(0, 40);
  if (text.size() > 40) message += "...";
  message += "\": ";
  message += problem;
  return Status::InvalidArgument(std::move(message));
}

// Checks year/month/day and stores the date; names the problem otherwise.
Status MakeCheckedDate(std::string_view what, std::string_view text, int y, int m, int d,
                       Date* out) {
  if (y < 1900 || y > 2200) {
    return Invalid(what, text, "year " + std::to_string(y) + " is outside 1900..2200");
  }
  if (m < 1 || m > 12) {
    return Invalid(what, text, "month " + std::to_string(m) + " is outside 1..12");
  }
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) {
    return Invalid(what, text,
                   "day " + std::to_string(d) + " does not exist in month " + std::to_string(m) +
                       " of " + std::to_string(y));
  }
  *out = Date{ymd};
  return Status::Ok();
}

// A two-digit year as POSIX strptime's %y reads it.
int FullYear(int two_digits) { return two_digits < 69 ? 2000 + two_digits : 1900 + two_digits; }

struct DateTimeParts {
  Date date;                            // as written
  std::chrono::seconds time_of_day{0};  // as written
  std::chrono::seconds utc_offset{0};   // local = UTC + offset
};

// Parses the grammar in the design notes. `what` ("date" or "timestamp") starts messages.
Status ParseDateTime(std::string_view what, std::string_view text, DateReading reading,
                     DateTimeParts* out) {
  const DateOrder order = reading.order;
  const std::string_view s = TrimBlanks(text);
  const char* p = s.data();
  const char* const end = p + s.size();
  if (p == end) return Invalid(what, text, "empty");

  int a = 0;
  const int a_digits = ReadDigits(&p, end, 1, 4, &a);
  if (a_digits == 0 || a_digits == 3) {
    return Invalid(what, text, "expected a date such as 2025-03-07 or 07.03.2025");
  }
  if (p == end || (*p != '-' && *p != '.' && *p != '/')) {
    return Invalid(what, text, "expected '-', '.' or '/' after the first number");
  }
  const char separator = *p++;
  int b = 0;
  if (ReadDigits(&p, end, 1, 2, &b) == 0) {
    return Invalid(what, text, "expected a one- or two-digit month or day");
  }
  if (p == end || *p != separator) {
    return Invalid(what, text, "expected the same separator twice");
  }
  ++p;
  int c = 0;
  int y = 0;
  int m = 0;
  int d = 0;
  if (a_digits == 4) {
    if (ReadDigits(&p, end, 1, 2, &c) == 0) {
      return Invalid(what, text, "expected a one- or two-digit day");
    }
    y = a;
    m = b;
    d = c;
  } else {
    const int c_digits = ReadDigits(&p, end, 1, 4, &c);
    if (a_digits == 2 && order == DateOrder::kYearFirst && reading.two_digit_years &&
        (c_digits == 1 || c_digits == 2)) {
      y = FullYear(a);
      m = b;
      d = c;
    } else if (c_digits == 4 || (c_digits == 2 && reading.two_digit_years)) {
      y = c_digits == 4 ? c : FullYear(c);
      m = order == DateOrder::kMonthFirst ? a : b;
      d = order == DateOrder::kMonthFirst ? b : a;
    } else {
      return Invalid(what, text,
                     reading.two_digit_years ? "expected a two- or four-digit year"
                                             : "expected a four-digit year");
    }
  }
  if (Status status = MakeCheckedDate(what, text, y, m, d, &out->date); !status.ok()) {
    return status;
  }
  out->time_of_day = std::chrono::seconds(0);
  out->utc_offset = std::chrono::seconds(0);
  if (p == end) return Status::Ok();

  if (*p != 'T' && *p != 't' && *p != ' ') {
    return Invalid(what, text, "unexpected text after the date");
  }
  ++p;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (ReadDigits(&p, end, 1, 2, &hour) == 0 || p == end || *p != ':') {
    return Invalid(what, text, "expected a time HH:MM after the date");
  }
  ++p;
  if (ReadDigits(&p, end, 2, 2, &minute) == 0) {
    return Invalid(what, text, "expected two-digit minutes");
  }
  if (p != end && *p == ':') {
    ++p;
    if (ReadDigits(&p, end, 2, 2, &second) == 0) {
      return Invalid(what, text, "expected two-digit seconds");
    }
    if (p != end && (*p == '.' || *p == ',')) {
      ++p;
      if (p == end || !IsDigit(*p)) return Invalid(what, text, "expected fractional seconds");
      while (p != end && IsDigit(*p)) ++p;  // dropped: second resolution
    }
  }
  if (hour > 23 || minute > 59 || second > 59) {
    return Invalid(what, text, "time of day out of range");
  }
  out->time_of_day = std::chrono::seconds(hour * 3600 + minute * 60 + second);
  if (p == end) return Status::Ok();

  if (*p == 'Z' || *p == 'z') {
    ++p;
  } else if (*p == '+' || *p == '-') {
    const bool negative = *p == '-';
    ++p;
    int offset_hours = 0;
    int offset_minutes = 0;
    if (ReadDigits(&p, end, 2, 2, &offset_hours, /*more_may_follow=*/true) == 0) {
      return Invalid(what, text, "expected a UTC offset +HH:MM");
    }
    if (p != end && *p == ':') ++p;
    if (ReadDigits(&p, end, 2, 2, &offset_minutes) == 0) {
      return Invalid(what, text, "expected a UTC offset +HH:MM");
    }
    if (offset_hours > 23 || offset_minutes > 59) {
      return Invalid(what, text, "UTC offset out of range");
    }
    const int offset = offset_hours * 3600 + offset_minutes * 60;
    out->utc_offset = std::chrono::seconds(negative ? -offset : offset);
  }
  if (p != end) return Invalid(what, text, "unexpected text after the time");
  return Status::Ok();
}

}  // namespace

std::string FormatDate(Date date) {
  char buffer[24];
  const char* end = PutDate(buffer, date);
  return std::string(buffer, static_cast<size_t>(end - buffer));
}

std::string FormatTimestamp(Timestamp timestamp) {
  const Date date = std::chrono::floor<days>(timestamp);
  const auto seconds = static_cast<unsigned>((timestamp - date).count());  // 0..86399
  char buffer[40];
  char* p = PutDate(buffer, date);
  *p++ = 'T';
  PutDigits(p, seconds / 3600, 2);
  p += 2;
  *p++ = ':';
  PutDigits(p, seconds / 60 % 60, 2);
  p += 2;
  *p++ = ':';
  PutDigits(p, seconds % 60, 2);
  p += 2;
  *p++ = 'Z';
  return std::string(buffer, static_cast<size_t>(p - buffer));
}

Result<Date> ParseIsoDate(std::string_view text) {
  const bool shaped = text.size() == 10 && text[4] == '-' && text[7] == '-' && IsDigit(text[0]) &&
                      IsDigit(text[1]) && IsDigit(text[2]) && IsDigit(text[3]) &&
                      IsDigit(text[5]) && IsDigit(text[6]) && IsDigit(text[8]) && IsDigit(text[9]);
  if (!shaped) return Invalid("date", text, "expected YYYY-MM-DD");
  const int y =
      (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
  const unsigned m = static_cast<unsigned>((text[5] - '0') * 10 + (text[6] - '0'));
  const unsigned d = static_cast<unsigned>((text[8] - '0') * 10 + (text[9] - '0'));
  const year_month_day ymd{year{y}, month{m}, day{d}};
  if (!ymd.ok()) return Invalid("date", text, "no such day");
  return Date{ymd};
}

Result<Date> ParseDate(std::string_view text, DateOrder order) {
  return ParseDate(text, DateReading{order, false});
}

Result<Timestamp> ParseTimestamp(std::string_view text, DateOrder order) {
  return ParseTimestamp(text, DateReading{order, false});
}

Result<Date> ParseDate(std::string_view text, DateReading reading) {
  DateTimeParts parts;
  if (Status status = ParseDateTime("date", text, reading, &parts); !status.ok()) return status;
  return parts.date;
}

Result<Timestamp> ParseTimestamp(std::string_view text, DateReading reading) {
  DateTimeParts parts;
  if (Status status = ParseDateTime("timestamp", text, reading, &parts); !status.ok()) {
    return status;
  }
  return Timestamp(parts.date) + parts.time_of_day - parts.utc_offset;
}

Date MakeDate(int year_number, unsigned month_number, unsigned day_number) {
  const year_month_day ymd{year{year_number}, month{month_number}, day{day_number}};
  SB_CHECK(ymd.ok());
  return Date{ymd};
}

Timestamp SystemClock::Now() const {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace salesbox

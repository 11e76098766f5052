// SPDX-License-Identifier: MIT
// Dates and UTC instants, and all of their text conversion (g++ 12 has no chrono::parse,
// <format> or tz database, so this is the only file that turns time into text and back).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/result.h"

namespace salesbox {

using Date = std::chrono::sys_days;         // a calendar date
using Timestamp = std::chrono::sys_seconds;  // a UTC instant, second resolution

// Order of day, month and year in a slash/dot/dash date that is not ISO: 07/03/2025 (day first),
// 03/07/2025 (month first), 25/03/07 (year first; only with a two-digit year, since a four-digit
// year first is always read as ISO order).
enum class DateOrder { kDayFirst, kMonthFirst, kYearFirst };

// How ParseDate and ParseTimestamp read dates that are not ISO.
struct DateReading {
  DateOrder order = DateOrder::kDayFirst;
  // Accept two-digit years ("5/26/17"): 00-68 are 2000-2068, 69-99 are 1969-1999 (POSIX %y).
  bool two_digit_years = false;
};

// "2025-03-07".
std::string FormatDate(Date date);
// "2025-03-07T09:30:00Z".
std::string FormatTimestamp(Timestamp timestamp);

// Strict ISO "YYYY-MM-DD"; kInvalidArgument otherwise (including 2025-02-30).
Result<Date> ParseIsoDate(std::string_view text);

// A date as people type it: ISO "2025-03-07", "07-03-2025", "07.03.2025", "07/03/2025",
// one-digit day/month ("7.3.2025"), and the date part of a timestamp ("2025-03-07 09:30",
// "2025-03-07T09:30:00Z"). Non-ISO forms are read day first unless `order` says month first.
// Surrounding blanks are ignored. kInvalidArgument names the problem for anything else,
// including impossible dates and years outside 1900..2200.
Result<Date> ParseDate(std::string_view text, DateOrder order = DateOrder::kDayFirst);

// An instant: anything ParseDate accepts (midnight UTC), optionally followed by 'T' or ' ' and
// "HH:MM" or "HH:MM:SS" (fractional seconds are dropped), optionally followed by 'Z' or an
// offset "+HH:MM"/"-HH:MM"/"+HHMM" that is converted to UTC. No offset means UTC.
Result<Timestamp> ParseTimestamp(std::string_view text, DateOrder order = DateOrder::kDayFirst);

// The same, with two-digit years when `reading` allows them. With kYearFirst a date whose first
// number has two digits is year/month/day; one whose last number is the year is read day first.
Result<Date> ParseDate(std::string_view text, DateReading reading);
Result<Timestamp> ParseTimestamp(std::string_view text, DateReading reading);

// Calendar helpers.
inline Date ToDate(Timestamp t) { return std::chrono::floor<std::chrono::days>(t); }
inline Timestamp StartOf(Date d) { return Timestamp(d); }
Date MakeDate(int year, unsigned month, unsigned day);  // REQUIRES: a valid date

// A source of the current time, so that services and tests agree on "now".
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
};

// The system clock, truncated to seconds.
class SystemClock : public Clock {
 public:
  Timestamp Now() const override;
};

}  // namespace salesbox

// SPDX-License-Identifier: MIT
// Tests for date and timestamp text conversion: every accepted form, impossible dates, day/month
// order, UTC offsets and leap years.
#include "common/time.h"

#include <chrono>
#include <string>
#include <string_view>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace salesbox {
namespace {

using ::salesbox::test::StatusIs;
using ::salesbox::test::StatusIsWithMessage;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr DateOrder kDayFirst = DateOrder::kDayFirst;
constexpr DateOrder kMonthFirst = DateOrder::kMonthFirst;

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

TEST(FormatDateTest, WritesIso) {
  EXPECT_EQ(FormatDate(MakeDate(2025, 3, 7)), "2025-03-07");
  EXPECT_EQ(FormatDate(MakeDate(1900, 1, 1)), "1900-01-01");
  EXPECT_EQ(FormatDate(MakeDate(2200, 12, 31)), "2200-12-31");
  EXPECT_EQ(FormatDate(MakeDate(2024, 2, 29)), "2024-02-29");
  EXPECT_EQ(FormatDate(Date{}), "1970-01-01");
}

TEST(FormatTimestampTest, WritesIsoUtc) {
  EXPECT_EQ(FormatTimestamp(StartOf(MakeDate(2025, 3, 7)) + hours(9) + minutes(30)),
            "2025-03-07T09:30:00Z");
  EXPECT_EQ(FormatTimestamp(Timestamp{}), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(Timestamp{seconds(-1)}), "1969-12-31T23:59:59Z");
  EXPECT_EQ(FormatTimestamp(StartOf(MakeDate(2024, 12, 31)) + seconds(86399)),
            "2024-12-31T23:59:59Z");
}

TEST(ParseIsoDateTest, AcceptsStrictIso) {
  SB_ASSERT_OK_AND_ASSIGN(Date date, ParseIsoDate("2025-03-07"));
  EXPECT_EQ(date, MakeDate(2025, 3, 7));
  SB_ASSERT_OK_AND_ASSIGN(Date leap, ParseIsoDate("2024-02-29"));
  EXPECT_EQ(leap, MakeDate(2024, 2, 29));
}

TEST(ParseIsoDateTest, RejectsEverythingElse) {
  for (std::string_view text :
       {"", "2025-02-29", "2025-02-30", "2025-04-31", "2025-13-01", "2025-00-10", "2025-01-00",
        "2025-3-7", " 2025-03-07", "2025-03-07 ", "2025-03-07T00:00", "07.03.2025", "2025/03/07",
        "2025-03-0x", "20250307"}) {
    EXPECT_THAT(ParseIsoDate(text), StatusIs(StatusCode::kInvalidArgument)) << text;
  }
}

TEST(ParseDateTest, AcceptsEveryDocumentedForm) {
  const struct {
    std::string_view text;
    DateOrder order;
    int year;
    unsigned month;
    unsigned day;
  } kCases[] = {
      {"2025-03-07", kDayFirst, 2025, 3, 7},
      {"07-03-2025", kDayFirst, 2025, 3, 7},
      {"07.03.2025", kDayFirst, 2025, 3, 7},
      {"07/03/2025", kDayFirst, 2025, 3, 7},
      {"7.3.2025", kDayFirst, 2025, 3, 7},
      {"7/3/2025", kDayFirst, 2025, 3, 7},
      {"31.12.2025", kDayFirst, 2025, 12, 31},
      {"  7.3.2025\t", kDayFirst, 2025, 3, 7},
      {"2025/3/7", kDayFirst, 2025, 3, 7},
      {"2025.03.07", kDayFirst, 2025, 3, 7},
      {"2025-03-07 09:30", kDayFirst, 2025, 3, 7},
      {"2025-03-07T09:30:00Z", kDayFirst, 2025, 3, 7},
      {"2025-03-07T09:30:00.123+01:00", kDayFirst, 2025, 3, 7},
      {"2025-03-07T23:30:00-05:00", kDayFirst, 2025, 3, 7},  // the date as written
      {"07.03.2025 09:30", kDayFirst, 2025, 3, 7},
      // Month first.
      {"03/07/2025", kMonthFirst, 2025, 3, 7},
      {"3/7/2025", kMonthFirst, 2025, 3, 7},
      {"12/31/2025", kMonthFirst, 2025, 12, 31},
      {"12-31-2025 17:45", kMonthFirst, 2025, 12, 31},
      {"2025-03-07", kMonthFirst, 2025, 3, 7},  // ISO is always year-month-day
      // Leap days and range ends.
      {"29.02.2024", kDayFirst, 2024, 2, 29},
      {"29.02.2000", kDayFirst, 2000, 2, 29},
      {"02/29/2024", kMonthFirst, 2024, 2, 29},
      {"1900-01-01", kDayFirst, 1900, 1, 1},
      {"31.12.2200", kDayFirst, 2200, 12, 31},
  };
  for (const auto& c : kCases) {
    Result<Date> result = ParseDate(c.text, c.order);
    ASSERT_TRUE(result.ok()) << c.text << ": " << result.status().ToString();
    EXPECT_EQ(FormatDate(*result), FormatDate(MakeDate(c.year, c.month, c.day))) << c.text;
  }
}

TEST(ParseDateTest, RejectsImpossibleAndMalformedDates) {
  const struct {
    std::string_view text;
    DateOrder order;
    std::string_view problem;
  } kCases[] = {
      {"2025-02-29", kDayFirst, "day 29 does not exist in month 2 of 2025"},
      {"31.04.2025", kDayFirst, "day 31 does not exist in month 4 of 2025"},
      {"29.02.1900", kDayFirst, "day 29 does not exist"},  // 1900 is not a leap year
      {"29.02.2100", kDayFirst, "day 29 does not exist"},
      {"32.01.2025", kDayFirst, "day 32 does not exist"},
      {"0.1.2025", kDayFirst, "day 0 does not exist"},
      {"13/01/2025", kMonthFirst, "month 13 is outside 1..12"},
      {"31/12/2025", kMonthFirst, "month 31 is outside 1..12"},
      {"12/31/2025", kDayFirst, "month 31 is outside 1..12"},
      {"2025-00-10", kDayFirst, "month 0 is outside 1..12"},
      {"1899-12-31", kDayFirst, "year 1899 is outside 1900..2200"},
      {"01.01.2201", kDayFirst, "year 2201 is outside 1900..2200"},
      {"07.03.25", kDayFirst, "four-digit year"},
      {"07.03-2025", kDayFirst, "same separator twice"},
      {"2025-03/07", kDayFirst, "same separator twice"},
      {"2025-03-07x", kDayFirst, "unexpected text after the date"},
      {"2025-03-07T", kDayFirst, "expected a time"},
      {"2025-03-07 25:00", kDayFirst, "time of day out of range"},
      {"", kDayFirst, "empty"},
      {"   ", kDayFirst, "empty"},
      {"abc", kDayFirst, "expected a date"},
      {"20250307", kDayFirst, "expected a date"},
      {"207.03.2025", kDayFirst, "expected a date"},
      {"2025 03 07", kDayFirst, "expected '-', '.' or '/'"},
      {"7.3.2025.", kDayFirst, "unexpected text after the date"},
      {"007.03.2025", kDayFirst, "expected a date"},
  };
  for (const auto& c : kCases) {
    EXPECT_THAT(ParseDate(c.text, c.order),
                StatusIsWithMessage(StatusCode::kInvalidArgument, std::string(c.problem)))
        << c.text;
  }
}

TEST(ParseDateTest, TwoDigitYearsInEveryOrderWhenAllowed) {
  const DateReading mdy{DateOrder::kMonthFirst, true};
  const DateReading dmy{DateOrder::kDayFirst, true};
  const DateReading ymd{DateOrder::kYearFirst, true};
  const struct {
    std::string_view text;
    DateReading reading;
    std::string_view expected;
  } kCases[] = {
      {"5/26/17", mdy, "2017-05-26"},    {"26/5/17", dmy, "2017-05-26"},
      {"17/5/26", ymd, "2017-05-26"},    {"17-05-26 10:30", ymd, "2017-05-26"},
      {"07.03.25", dmy, "2025-03-07"},   {"1/2/68", mdy, "2068-01-02"},
      {"1/2/69", mdy, "1969-01-02"},     {"31.12.99", dmy, "1999-12-31"},
      {"5/26/2017", mdy, "2017-05-26"},  {"26.05.2017", ymd, "2017-05-26"},  // year last
      {"2017-05-26", ymd, "2017-05-26"}, {"2017-05-26", mdy, "2017-05-26"},
  };
  for (const auto& c : kCases) {
    Result<Date> date = ParseDate(c.text, c.reading);
    ASSERT_TRUE(date.ok()) << c.text << ": " << date.status().ToString();
    EXPECT_EQ(FormatDate(*date), c.expected) << c.text;
  }
  // Not without asking, and never three digits or a month out of range.
  EXPECT_THAT(ParseDate("5/26/17", DateOrder::kMonthFirst),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "four-digit year"));
  EXPECT_THAT(ParseDate("5/26/170", mdy),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "two- or four-digit year"));
  EXPECT_THAT(ParseDate("5/26/17", dmy),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "month 26 is outside 1..12"));
  SB_ASSERT_OK_AND_ASSIGN(Timestamp at, ParseTimestamp("5/26/17 14:05", mdy));
  EXPECT_EQ(FormatTimestamp(at), "2017-05-26T14:05:00Z");
}

TEST(ParseDateTest, MessageQuotesTheText) {
  EXPECT_EQ(ParseDate("31.04.2025").status().message(),
            "date \"31.04.2025\": day 31 does not exist in month 4 of 2025");
}

TEST(ParseDateTest, FebruaryTwentyNinthExistsExactlyInLeapYears) {
  for (int y = 1900; y <= 2200; ++y) {
    const std::string text = "29.02." + std::to_string(y);
    EXPECT_EQ(ParseDate(text).ok(), IsLeap(y)) << text;
  }
}

TEST(ParseDateTest, RoundTripsEveryDateInRange) {
  const Date first = MakeDate(1900, 1, 1);
  const Date last = MakeDate(2200, 12, 31);
  for (Date d = first; d <= last; d += std::chrono::days(1)) {
    const std::string text = FormatDate(d);
    Result<Date> iso = ParseIsoDate(text);
    Result<Date> loose = ParseDate(text);
    ASSERT_TRUE(iso.ok() && loose.ok()) << text;
    ASSERT_EQ(*iso, d) << text;
    ASSERT_EQ(*loose, d) << text;
  }
}

TEST(ParseTimestampTest, AcceptsDatesTimesAndOffsets) {
  const struct {
    std::string_view text;
    DateOrder order;
    std::string_view utc;
  } kCases[] = {
      {"2025-03-07", kDayFirst, "2025-03-07T00:00:00Z"},
      {"07.03.2025", kDayFirst, "2025-03-07T00:00:00Z"},
      {"2025-03-07T09:30", kDayFirst, "2025-03-07T09:30:00Z"},
      {"2025-03-07 09:30:15", kDayFirst, "2025-03-07T09:30:15Z"},
      {"2025-03-07t09:30:15z", kDayFirst, "2025-03-07T09:30:15Z"},
      {"2025-03-07T09:30:15.999Z", kDayFirst, "2025-03-07T09:30:15Z"},  // fraction dropped
      {"2025-03-07T09:30:15,5", kDayFirst, "2025-03-07T09:30:15Z"},
      {"2025-03-07T09:30:00Z", kDayFirst, "2025-03-07T09:30:00Z"},
      {"2025-03-07T09:30:00+01:00", kDayFirst, "2025-03-07T08:30:00Z"},
      {"2025-03-07T09:30:00+0100", kDayFirst, "2025-03-07T08:30:00Z"},
      {"2025-03-07T09:30+02:00", kDayFirst, "2025-03-07T07:30:00Z"},
      {"2025-03-07T09:30:00.5+05:30", kDayFirst, "2025-03-07T04:00:00Z"},
      {"2025-03-07T00:30:00+01:00", kDayFirst, "2025-03-06T23:30:00Z"},  // previous day
      {"2025-03-07T23:30:00-05:00", kDayFirst, "2025-03-08T04:30:00Z"},  // next day
      {"2025-12-31T23:00:00-02:00", kDayFirst, "2026-01-01T01:00:00Z"},  // next year
      {"2024-03-01T00:30:00+01:00", kDayFirst, "2024-02-29T23:30:00Z"},  // leap day
      {"2025-03-01T00:30:00+01:00", kDayFirst, "2025-02-28T23:30:00Z"},
      {"07.03.2025 09:30", kDayFirst, "2025-03-07T09:30:00Z"},
      {"7.3.2025 9:05", kDayFirst, "2025-03-07T09:05:00Z"},
      {"03/07/2025 9:05", kMonthFirst, "2025-03-07T09:05:00Z"},
      {"03/07/2025 9:05", kDayFirst, "2025-07-03T09:05:00Z"},
      {" 2025-03-07T23:59:59Z ", kDayFirst, "2025-03-07T23:59:59Z"},
  };
  for (const auto& c : kCases) {
    Result<Timestamp> result = ParseTimestamp(c.text, c.order);
    ASSERT_TRUE(result.ok()) << c.text << ": " << result.status().ToString();
    EXPECT_EQ(FormatTimestamp(*result), c.utc) << c.text;
  }
}

TEST(ParseTimestampTest, RejectsMalformedTimes) {
  for (std::string_view text :
       {"2025-03-07T24:00", "2025-03-07T09:60", "2025-03-07T09:30:60", "2025-03-07T9",
        "2025-03-07T09:3", "2025-03-07T09:30:1", "2025-03-07T09:30+1",
        "2025-03-07T09:30+01:", "2025-03-07T09:30+24:00", "2025-03-07T09:30+01:60",
        "2025-03-07T09:30:00+01:00x", "2025-03-07T09:30 Z", "2025-03-07T09:30:00.Z",
        "2025-03-07T09:30Zx", "2025-03-07  09:30", "2025-02-29T09:30:00Z", "09:30", ""}) {
    EXPECT_THAT(ParseTimestamp(text), StatusIs(StatusCode::kInvalidArgument)) << text;
  }
  EXPECT_THAT(ParseTimestamp("2025-03-07T24:00"),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "timestamp \"2025-03-07T24:00\""));
}

TEST(ParseTimestampTest, RoundTripsFormatTimestamp) {
  const Timestamp start = StartOf(MakeDate(2024, 2, 28));
  for (seconds s{0}; s < hours(72); s += seconds(3607)) {
    const Timestamp t = start + s;
    SB_ASSERT_OK_AND_ASSIGN(Timestamp back, ParseTimestamp(FormatTimestamp(t)));
    EXPECT_EQ(back, t);
  }
}

TEST(CalendarTest, ToDateAndStartOf) {
  const Timestamp t = StartOf(MakeDate(2025, 3, 7)) + hours(23) + minutes(59);
  EXPECT_EQ(ToDate(t), MakeDate(2025, 3, 7));
  EXPECT_EQ(ToDate(Timestamp{seconds(-1)}), MakeDate(1969, 12, 31));
  EXPECT_EQ(FormatTimestamp(StartOf(MakeDate(2025, 3, 7))), "2025-03-07T00:00:00Z");
}

TEST(CalendarDeathTest, MakeDateRejectsImpossibleDate) {
  EXPECT_DEATH(MakeDate(2025, 2, 29), "check failed");
}

TEST(SystemClockTest, NowIsTheCurrentSecond) {
  const auto before = std::chrono::floor<seconds>(std::chrono::system_clock::now());
  const Timestamp now = SystemClock().Now();
  const auto after = std::chrono::system_clock::now();
  EXPECT_GE(now, before);
  EXPECT_LE(now, after);
}

}  // namespace
}  // namespace salesbox

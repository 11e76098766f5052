// SPDX-License-Identifier: MIT
// Tests for Currency, ParseDecimal, ParseMinorUnits and FormatMinorUnits: the number formats
// people and spreadsheets write, and the exact values they must become.
#include "common/money.h"

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace salesbox {
namespace {

using ::salesbox::test::StatusIs;
using ::salesbox::test::StatusIsWithMessage;

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

Currency C(std::string_view code) {
  Result<Currency> currency = Currency::Parse(code);
  SB_CHECK(currency.ok());
  return *currency;
}

TEST(CurrencyTest, ParseUpperCasesThreeLetters) {
  SB_ASSERT_OK_AND_ASSIGN(Currency dkk, Currency::Parse("dkk"));
  EXPECT_EQ(dkk.code(), "DKK");
  EXPECT_EQ(dkk.ToString(), "DKK");
  SB_ASSERT_OK_AND_ASSIGN(Currency eur, Currency::Parse("EuR"));
  EXPECT_EQ(eur.code(), "EUR");
  EXPECT_EQ(dkk, C("DKK"));
  EXPECT_NE(dkk, eur);
}

TEST(CurrencyTest, DefaultIsXxx) { EXPECT_EQ(Currency().code(), "XXX"); }

TEST(CurrencyTest, ParseRejectsAnythingButThreeLetters) {
  for (std::string_view text : {"", "DK", "DKKK", "D1K", " DKK", "DK ", "ÆØÅ", "kr.", "€"}) {
    EXPECT_THAT(Currency::Parse(text), StatusIs(StatusCode::kInvalidArgument)) << text;
  }
}

TEST(CurrencyTest, MinorDigits) {
  const struct {
    std::string_view code;
    int digits;
  } kCases[] = {
      {"ISK", 0}, {"JPY", 0}, {"KRW", 0}, {"CLP", 0}, {"BHD", 3},
      {"KWD", 3}, {"OMR", 3}, {"JOD", 3}, {"TND", 3}, {"DKK", 2},
      {"SEK", 2}, {"NOK", 2}, {"EUR", 2}, {"USD", 2}, {"XXX", 2},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(C(c.code).minor_digits(), c.digits) << c.code;
  }
}

struct DecimalCase {
  std::string_view text;
  int scale;
  DecimalSeparator separator;
  int64_t expected;
};

constexpr DecimalSeparator kAuto = DecimalSeparator::kAuto;
constexpr DecimalSeparator kPoint = DecimalSeparator::kPoint;
constexpr DecimalSeparator kComma = DecimalSeparator::kComma;

TEST(ParseDecimalTest, AcceptsHumanWrittenNumbers) {
  const DecimalCase kCases[] = {
      // Separator conventions, detected.
      {"1.234,50", 2, kAuto, 123450},
      {"1,234.50", 2, kAuto, 123450},
      {"1 234,50", 2, kAuto, 123450},
      {"1\u00A0234,50", 2, kAuto, 123450},  // no-break space
      {"1\u202F234,50", 2, kAuto, 123450},  // narrow no-break space
      {"1'234.50", 2, kAuto, 123450},
      {"1234", 2, kAuto, 123400},
      {"-12,5", 2, kAuto, -1250},
      {"12.345.678,9", 2, kAuto, 1234567890},
      {"12,345,678.9", 2, kAuto, 1234567890},
      {"1.234.567", 2, kAuto, 123456700},
      {"1,234", 2, kAuto, 123400},  // one separator + three digits: thousands
      {"1.234", 2, kAuto, 123400},
      {"12,34", 2, kAuto, 1234},  // one separator + two digits: decimal
      {"1.5", 2, kAuto, 150},
      {"0.125", 3, kAuto, 125},  // integer part 0: decimal, not thousands
      {"-0,125", 3, kAuto, -125},
      {"012.345", 3, kAuto, 12345},     // leading zero: not a thousands group
      {"1234.500", 3, kAuto, 1234500},  // four digits before: not a thousands group
      {"1234,50", 2, kAuto, 123450},
      {"999.999", 3, kAuto, 999999000},  // ambiguous: thousands, as documented
      {".5", 2, kAuto, 50},
      {",75", 2, kAuto, 75},
      {"1 234,567", 3, kAuto, 1234567},  // grouped by blanks: ',' is decimal
      {"1.", 2, kAuto, 100},
      {"007", 0, kAuto, 7},
      {"0", 2, kAuto, 0},
      {"-0", 2, kAuto, 0},
      {"-0,00", 2, kAuto, 0},
      // Signs, blanks and currency markers.
      {"+7", 2, kAuto, 700},
      {"  42\t", 2, kAuto, 4200},
      {"\u22123,00", 2, kAuto, -300},  // U+2212 minus sign
      {"kr 1.234,50", 2, kAuto, 123450},
      {"kr. 1.234,50", 2, kAuto, 123450},
      {"kr1.234,50", 2, kAuto, 123450},
      {"1.234,50 DKK", 2, kAuto, 123450},
      {"1.234,50 kr.", 2, kAuto, 123450},
      {"1.234,50kr", 2, kAuto, 123450},
      {"DKK -1.234,50", 2, kAuto, -123450},
      {"-1.234,50 DKK", 2, kAuto, -123450},
      {"\u20AC1,234.50", 2, kAuto, 123450},  // €1,234.50
      {"-\u20AC1,234.50", 2, kAuto, -123450},
      {"\u20AC-5", 2, kAuto, -500},
      {"1.234,50 \u20AC", 2, kAuto, 123450},
      {"$12", 2, kAuto, 1200},
      {"\u00A33.20", 2, kAuto, 320},
      {"\u00A012,50\u00A0", 2, kAuto, 1250},
      {"12,-", 2, kAuto, 1200},  // Nordic "no øre"
      {"1.234,-", 2, kAuto, 123400},
      // Explicit conventions.
      {"1.234", 3, kPoint, 1234},
      {"1.234", 2, kComma, 123400},
      {"1,234", 3, kComma, 1234},
      {"1,5", 2, kComma, 150},
      {"1,234.5", 2, kPoint, 123450},
      {"1.234,5", 2, kComma, 123450},
      {"1 234.5", 2, kPoint, 123450},
      // Scales 0 and 3.
      {"1234", 0, kAuto, 1234},
      {"1.234,567", 3, kAuto, 1234567},
      {"1,5", 3, kAuto, 1500},
      // Limits.
      {"9223372036854775807", 0, kAuto, kMax},
      {"-9223372036854775808", 0, kAuto, kMin},
      {"92233720368547758,07", 2, kAuto, kMax},
      {"-92233720368547758.08", 2, kAuto, kMin},
      {"9.223.372.036.854.775.807", 0, kAuto, kMax},
      {"0,000000000000000001", 18, kAuto, 1},
  };
  for (const DecimalCase& c : kCases) {
    Result<int64_t> result = ParseDecimal(c.text, c.scale, c.separator);
    ASSERT_TRUE(result.ok()) << "\"" << c.text << "\": " << result.status().ToString();
    EXPECT_EQ(*result, c.expected) << "\"" << c.text << "\" scale " << c.scale;
  }
}

TEST(ParseDecimalTest, RoundsHalfAwayFromZeroBeyondScale) {
  const DecimalCase kCases[] = {
      {"1.234", 2, kPoint, 123},     {"1.235", 2, kPoint, 124},    {"1.2349999", 2, kPoint, 123},
      {"1.2350000", 2, kPoint, 124}, {"-1.235", 2, kPoint, -124},  {"-1.234", 2, kPoint, -123},
      {"2.5", 0, kAuto, 3},          {"-2.5", 0, kAuto, -3},       {"2.49", 0, kAuto, 2},
      {"-0.4", 0, kAuto, 0},         {"1.234,50", 0, kAuto, 1235}, {"0,005", 2, kComma, 1},
      {"0,0049", 2, kComma, 0},      {"9,999", 2, kComma, 1000},   {"0.125", 2, kAuto, 13},
      {"1.99999", 3, kAuto, 2000},
  };
  for (const DecimalCase& c : kCases) {
    Result<int64_t> result = ParseDecimal(c.text, c.scale, c.separator);
    ASSERT_TRUE(result.ok()) << "\"" << c.text << "\": " << result.status().ToString();
    EXPECT_EQ(*result, c.expected) << "\"" << c.text << "\" scale " << c.scale;
  }
}

TEST(ParseDecimalTest, RejectsMalformedText) {
  const struct {
    std::string_view text;
    DecimalSeparator separator;
    std::string_view problem;
  } kCases[] = {
      {"", kAuto, "empty"},
      {"   ", kAuto, "empty"},
      {"abc", kAuto, "unexpected 'a'"},
      {"12x", kAuto, "unexpected 'x'"},
      {"x12", kAuto, "unexpected 'x'"},
      {"kr", kAuto, "no digits"},
      {"-", kAuto, "no digits"},
      {".", kAuto, "no digits"},
      {",-", kAuto, "no digits"},
      {"abcd", kAuto, "unexpected 'a'"},
      {"1,2,3.4.5", kAuto, "more than one decimal separator"},
      {"1.2.3,4,5", kAuto, "more than one decimal separator"},
      {"12-3", kAuto, "unexpected '-'"},
      {"--1", kAuto, "unexpected '-'"},
      {"1-", kAuto, "unexpected '-'"},
      {"1e5", kAuto, "unexpected 'e'"},
      {"1,23,456.00", kAuto, "misplaced thousands separator"},  // not three-digit groups
      {"1234,567.00", kAuto, "misplaced thousands separator"},
      {"12 345 67", kAuto, "misplaced thousands separator"},
      {"1..2", kAuto, "misplaced thousands separator"},
      {",123,456", kAuto, "misplaced thousands separator"},
      {"1,5", kPoint, "misplaced thousands separator"},
      {"1.5", kComma, "misplaced thousands separator"},
      {"1.5.0", kPoint, "more than one decimal separator"},
      {"1.234,5", kPoint, "after the decimal separator"},
      {"1,234.5,6", kAuto, "more than one decimal separator"},
      {"1.234,5 6", kAuto, "after the decimal separator"},
      {"DKK 12 kr", kAuto, "more than one currency"},
      {"12 DKKK", kAuto, "unexpected 'D'"},
      {"(12)", kAuto, "unexpected '('"},
      {"1 2", kAuto, "misplaced thousands separator"},
  };
  for (const auto& c : kCases) {
    EXPECT_THAT(ParseDecimal(c.text, 2, c.separator),
                StatusIsWithMessage(StatusCode::kInvalidArgument, std::string(c.problem)))
        << "\"" << c.text << "\"";
  }
}

TEST(ParseDecimalTest, MessageQuotesTheText) {
  Result<int64_t> result = ParseDecimal("12-3", 2);
  EXPECT_EQ(result.status().message(), "\"12-3\" is not a number: unexpected '-'");
}

TEST(ParseDecimalTest, RejectsOverflow) {
  const struct {
    std::string_view text;
    int scale;
  } kCases[] = {
      {"9223372036854775808", 0},
      {"-9223372036854775809", 0},
      {"92233720368547758,08", 2},
      {"92233720368547758", 3},
      {"99999999999999999999999", 0},
      {"92233720368547758.075", 2},  // overflows only by rounding
      {"1", 19},                     // scale out of range
      {"1", -1},
  };
  for (const auto& c : kCases) {
    EXPECT_THAT(ParseDecimal(c.text, c.scale, kPoint), StatusIs(StatusCode::kInvalidArgument))
        << c.text << " scale " << c.scale;
  }
  EXPECT_THAT(ParseDecimal("9223372036854775808", 0),
              StatusIsWithMessage(StatusCode::kInvalidArgument, "too large"));
}

TEST(ParseMinorUnitsTest, UsesTheCurrencyDigits) {
  const struct {
    std::string_view text;
    std::string_view currency;
    DecimalSeparator separator;
    int64_t expected;
  } kCases[] = {
      {"1.234,50", "DKK", kAuto, 123450},   {"1,234.50", "USD", kAuto, 123450},
      {"1.234", "JPY", kAuto, 1234},        {"12.5", "JPY", kAuto, 13},
      {"1.234,567", "KWD", kAuto, 1234567}, {"1,234", "KWD", kComma, 1234},
      {"1,234", "KWD", kAuto, 1234000},     {"kr 99,95", "SEK", kAuto, 9995},
      {"1500 ISK", "ISK", kAuto, 1500},     {"0.001", "BHD", kPoint, 1},
  };
  for (const auto& c : kCases) {
    Result<int64_t> result = ParseMinorUnits(c.text, C(c.currency), c.separator);
    ASSERT_TRUE(result.ok()) << c.text << ": " << result.status().ToString();
    EXPECT_EQ(*result, c.expected) << c.text << " " << c.currency;
  }
  EXPECT_THAT(ParseMinorUnits("abc", C("DKK")), StatusIs(StatusCode::kInvalidArgument));
}

TEST(FormatMinorUnitsTest, WritesPlainDecimal) {
  const struct {
    int64_t minor_units;
    int digits;
    std::string_view expected;
  } kCases[] = {
      {123450, 2, "1234.50"},
      {-123450, 2, "-1234.50"},
      {-5, 2, "-0.05"},
      {5, 2, "0.05"},
      {50, 2, "0.50"},
      {100, 2, "1.00"},
      {0, 2, "0.00"},
      {1200, 0, "1200"},
      {-1200, 0, "-1200"},
      {0, 0, "0"},
      {5, 3, "0.005"},
      {-1234567, 3, "-1234.567"},
      {7, 1, "0.7"},
      {-10, 1, "-1.0"},
      {1, 18, "0.000000000000000001"},
      {kMax, 0, "9223372036854775807"},
      {kMax, 2, "92233720368547758.07"},
      {kMin, 2, "-92233720368547758.08"},
      {kMin, 0, "-9223372036854775808"},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(FormatMinorUnits(c.minor_units, c.digits), c.expected)
        << c.minor_units << " with " << c.digits << " digits";
  }
}

TEST(FormatMinorUnitsTest, RoundTripsThroughParseDecimal) {
  const int64_t kValues[] = {0,         1,        -1,   5,      -5,       99,
                             -99,       100,      -100, 123450, -123450,  1000000,
                             999999999, -1000001, kMax, kMin,   kMax - 1, kMin + 1};
  for (int digits = 0; digits <= 3; ++digits) {
    for (int64_t value : kValues) {
      const std::string text = FormatMinorUnits(value, digits);
      Result<int64_t> point = ParseDecimal(text, digits, kPoint);
      ASSERT_TRUE(point.ok()) << text << ": " << point.status().ToString();
      EXPECT_EQ(*point, value) << text;
      // kAuto reads "1.234" as a thousands group (see ParseDecimal), so amounts in a 3-digit
      // currency with 1..999 whole units need an explicit convention.
      const bool ambiguous =
          digits == 3 && value > -1000000 && value < 1000000 && (value <= -1000 || value >= 1000);
      if (!ambiguous) {
        Result<int64_t> automatic = ParseDecimal(text, digits);
        ASSERT_TRUE(automatic.ok()) << text << ": " << automatic.status().ToString();
        EXPECT_EQ(*automatic, value) << text;
      }
    }
  }
  for (int64_t value = -20000; value <= 20000; value += 7) {
    EXPECT_EQ(*ParseDecimal(FormatMinorUnits(value, 2), 2), value);
  }
}

}  // namespace
}  // namespace salesbox

namespace salesbox {
namespace {

TEST(FormatWholeGroupedTest, DropsTheFractionAndGroupsThousands) {
  EXPECT_EQ(FormatWholeGrouped(0, 2), "0");
  EXPECT_EQ(FormatWholeGrouped(99, 2), "0");
  EXPECT_EQ(FormatWholeGrouped(123456789, 2), "1,234,567");
  EXPECT_EQ(FormatWholeGrouped(-123456789, 2), "-1,234,567");
  EXPECT_EQ(FormatWholeGrouped(100000, 0), "100,000");
  EXPECT_EQ(FormatWholeGrouped(99999, 2), "999");
}

}  // namespace
}  // namespace salesbox

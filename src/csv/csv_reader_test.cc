// SPDX-License-Identifier: MIT
// Tests for CsvReader and AppendCsvField: delimiters, quoting, line endings, line numbers,
// encodings, error recovery and write/read round trips.
#include "csv/csv_reader.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace salesbox::csv {
namespace {

using ::salesbox::test::StatusIs;
using ::testing::ElementsAre;

using Row = std::vector<std::string>;
using Rows = std::vector<Row>;

// Reads every record of `data`; stops at the first error.
Result<Rows> ReadAll(std::string data, const CsvOptions& options = {}) {
  Result<CsvReader> reader = CsvReader::FromString(std::move(data), "test.csv", options);
  if (!reader.ok()) return reader.status();
  Rows rows;
  CsvRecord record;
  for (;;) {
    Result<bool> more = reader->Next(&record);
    if (!more.ok()) return more.status();
    if (!*more) break;
    rows.emplace_back(record.fields.begin(), record.fields.end());
  }
  return rows;
}

// Encodes `text` as UTF-16 bytes with a BOM.
std::string Utf16(std::u16string_view text, bool big_endian) {
  std::string out = big_endian ? "\xFE\xFF" : "\xFF\xFE";
  for (char16_t unit : text) {
    const char hi = static_cast<char>(unit >> 8);
    const char lo = static_cast<char>(unit & 0xFF);
    out += big_endian ? hi : lo;
    out += big_endian ? lo : hi;
  }
  return out;
}

TEST(EncodingNameTest, NamesEveryEncoding) {
  EXPECT_EQ(EncodingName(Encoding::kUtf8), "utf-8");
  EXPECT_EQ(EncodingName(Encoding::kUtf8Bom), "utf-8-bom");
  EXPECT_EQ(EncodingName(Encoding::kUtf16Le), "utf-16le");
  EXPECT_EQ(EncodingName(Encoding::kUtf16Be), "utf-16be");
  EXPECT_EQ(EncodingName(Encoding::kWindows1252), "windows-1252");
}

TEST(CsvReaderTest, DetectsDelimiterFromFirstRecord) {
  const struct {
    std::string_view data;
    char expected;
  } kCases[] = {
      {"a,b,c\n1,2,3\n", ','},
      {"a;b;c\n1;2;3\n", ';'},
      {"a\tb\tc\n", '\t'},
      {"a|b|c\n", '|'},
      {"name\n", ','},  // none: ','
      {"", ','},
      {"\"x;y;z\",b,c\n", ','},  // quoted delimiters do not count
      {"\"say \"\"a;b;c\"\"\",d\n", ','},
      {"a;b,c\n", ';'},                   // tie: ';' over ','
      {"a,b\tc\n", ','},                  // tie: ',' over tab
      {"a\tb|c\n", '\t'},                 // tie: tab over '|'
      {"a;b;c,d,e,f\n", ','},             // most frequent wins
      {"\r\n\na;b\n", ';'},               // leading blank lines
      {"a;b\n1,2,3,4,5\n", ';'},          // only the first record counts
      {"\"multi\nline,,,\";x;y\n", ';'},  // first record spans lines
  };
  for (const auto& c : kCases) {
    SB_ASSERT_OK_AND_ASSIGN(CsvReader reader, CsvReader::FromString(std::string(c.data), "t"));
    EXPECT_EQ(reader.delimiter(), c.expected) << c.data;
  }
}

TEST(CsvReaderTest, ExcelSepLineSetsDelimiterAndIsSkipped) {
  SB_ASSERT_OK_AND_ASSIGN(CsvReader reader,
                          CsvReader::FromString("sep=;\r\na,b;c\r\n1;2\r\n", "t.csv"));
  EXPECT_EQ(reader.delimiter(), ';');
  CsvRecord record;
  SB_ASSERT_OK_AND_ASSIGN(bool more, reader.Next(&record));
  ASSERT_TRUE(more);
  EXPECT_THAT(record.fields, ElementsAre("a,b", "c"));
  EXPECT_EQ(record.line, 2);
  SB_ASSERT_OK_AND_ASSIGN(more, reader.Next(&record));
  ASSERT_TRUE(more);
  EXPECT_THAT(record.fields, ElementsAre("1", "2"));
  EXPECT_EQ(record.line, 3);
  SB_ASSERT_OK_AND_ASSIGN(more, reader.Next(&record));
  EXPECT_FALSE(more);
}

TEST(CsvReaderTest, SepLineAloneAndWithTab) {
  SB_ASSERT_OK_AND_ASSIGN(Rows rows, ReadAll("sep=|"));
  EXPECT_TRUE(rows.empty());
  SB_ASSERT_OK_AND_ASSIGN(CsvReader reader, CsvReader::FromString("sep=\t\na\tb\n", "t"));
  EXPECT_EQ(reader.delimiter(), '\t');
}

TEST(CsvReaderTest, ExplicitDelimiterWins) {
  CsvOptions options;
  options.delimiter = '|';
  SB_ASSERT_OK_AND_ASSIGN(Rows rows, ReadAll("a|b,c;d\n", options));
  EXPECT_THAT(rows, ElementsAre(Row{"a", "b,c;d"}));
  SB_ASSERT_OK_AND_ASSIGN(rows, ReadAll("sep=;\na|b;c\n", options));  // sep line still skipped
  EXPECT_THAT(rows, ElementsAre(Row{"a", "b;c"}));
}

TEST(CsvReaderTest, RejectsQuoteOrLineEndAsDelimiter) {
  for (char delimiter : {'"', '\n', '\r'}) {
    CsvOptions options;
    options.delimiter = delimiter;
    EXPECT_THAT(CsvReader::FromString("a", "t", options), StatusIs(StatusCode::kInvalidArgument));
  }
}

TEST(CsvReaderTest, ReadsQuotedFields) {
  SB_ASSERT_OK_AND_ASSIGN(
      Rows rows,
      ReadAll("\"a,b\",\"say \"\"hi\"\"\",\"line1\nline2\",\"crlf1\r\ncrlf2\",\"cr1\rcr2\",\"\","
              "\"\"\"\",plain\n"));
  EXPECT_THAT(rows, ElementsAre(Row{"a,b", "say \"hi\"", "line1\nline2", "crlf1\ncrlf2", "cr1\ncr2",
                                    "", "\"", "plain"}));
}

TEST(CsvReaderTest, QuoteInsideUnquotedFieldIsData) {
  SB_ASSERT_OK_AND_ASSIGN(Rows rows, ReadAll("5\" screen,10\n a \"b\",c\n"));
  EXPECT_THAT(rows, ElementsAre(Row{"5\" screen", "10"}, Row{" a \"b\"", "c"}));
}

TEST(CsvReaderTest, ManyEscapedFieldsInOneRecordSurviveScratchGrowth) {
  // Each field needs unescaping; together they force record.scratch to reallocate many times.
  std::string data;
  Row expected;
  for (int i = 0; i < 300; ++i) {
    if (i > 0) data += ';';
    if (i % 3 == 2) {
      data += "plain" + std::to_string(i);
      expected.push_back("plain" + std::to_string(i));
    } else {
      const std::string body(static_cast<size_t>(i % 17), static_cast<char>('a' + i % 26));
      data += "\"" + body + "\"\"" + std::to_string(i) + "\"\"\r\nx\"";
      expected.push_back(body + "\"" + std::to_string(i) + "\"\nx");
    }
  }
  data += "\nlast;row\n";
  SB_ASSERT_OK_AND_ASSIGN(Rows rows, ReadAll(data));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], expected);
  EXPECT_THAT(rows[1], ElementsAre("last", "row"));
}

TEST(CsvReaderTest, AcceptsEveryLineEnding) {
  const struct {
    std::string_view data;
    std::vector<int64_t> lines;
  } kCases[] = {
      {"a,b\nc,d\n", {1, 2}},           {"a,b\r\nc,d\r\n", {1, 2}},
      {"a,b\rc,d\r", {1, 2}},                                    // classic Mac: CR only
      {"a,b\rc,d\ne,f\r\n", {1, 2, 3}}, {"a,b\r\rc,d", {1, 3}},  // CR CR is two lines
      {"a,b\n\rc,d", {1, 3}},                                    // LF CR is two lines
  };
  for (const auto& c : kCases) {
    SB_ASSERT_OK_AND_ASSIGN(CsvReader reader, CsvReader::FromString(std::string(c.data), "t"));
    CsvRecord record;
    std::vector<int64_t> lines;
    Rows rows;
    for (;;) {
      SB_ASSERT_OK_AND_ASSIGN(bool more, reader.Next(&record));
      if (!more) break;
      lines.push_back(record.line);
      rows.emplace_back(record.fields.begin(), record.fields.end());
    }
    EXPECT_EQ(lines, c.lines) << c.data;
    ASSERT_GE(rows.size(), 2u) << c.data;
    EXPECT_THAT(rows[0], ElementsAre("a", "b")) << c.data;
    EXPECT_THAT(rows[1], ElementsAre("c", "d")) << c.data;
  }
}

TEST(CsvReaderTest, KeepsEmptyFieldsAndTrailingDelimiter) {
  SB_ASSERT_OK_AND_ASSIGN(Rows rows, ReadAll("a,,c\n,b\na,b,\nx,\"\",\"\"\nlast,"));
  EXPECT_THAT(rows, ElementsAre(Row{"a", "", "c"}, Row{"", "b"}, Row{"a", "b", ""},
                                Row{"x", "", ""}, Row{"last", ""}));
}

TEST(CsvReaderTest, SkipsBlankAndAllEmptyRecords) {
  SB_ASSERT_OK_AND_ASSIGN(CsvReader reader,
                          CsvReader::FromString("a;b\n\n;;;;\n\"\";\"\"\r\n\r\nc;d\n\n", "t"));
  CsvRecord record;
  SB_ASSERT_OK_AND_ASSIGN(bool more, reader.Next(&record));
  ASSERT_TRUE(more);
  EXPECT_THAT(record.fields, ElementsAre("a", "b"));
  SB_ASSERT_OK_AND_ASSIGN(more, reader.Next(&record));
  ASSERT_TRUE(more);
  EXPECT_THAT(record.fields, ElementsAre("c", "d"));
  EXPECT_EQ(record.line, 6);
  SB_ASSERT_OK_AND_ASSIGN(more, reader.Next(&record));
  EXPECT_FALSE(more);
  SB_ASSERT_OK_AND_ASSIGN(more, reader.Next(&record));  // stays at the end
  EXPECT_FALSE(more);
}

TEST(CsvReaderTest, WhitespaceIsData) {
  SB_ASSERT_OK_AND_ASSIGN(Rows rows, ReadAll("a, b ,c\n  \n"));
  EXPECT_THAT(rows, ElementsAre(Row{"a", " b ", "c"}, Row{"  "}));
}

TEST(CsvReaderTest, EmptyInputHasNoRecords) {
  SB_ASSERT_OK_AND_ASSIGN(Rows rows, ReadAll(""));
  EXPECT_TRUE(rows.empty());
  SB_ASSERT_OK_AND_ASSIGN(rows, ReadAll("\n\r\n\r"));
  EXPECT_TRUE(rows.empty());
}

TEST(CsvReaderTest, FieldLinesAreCorrectAfterMultiLineFields) {
  for (std::string_view eol : {"\n", "\r\n", "\r"}) {
    std::string data = "id,note,x\n1,\"first\nsecond\r\nthird\",x\n2,y,\"a\rb\"\n3,z,w\n";
    // Replace the record separators (not the line ends inside quotes) with `eol`.
    std::string converted;
    bool quoted = false;
    for (char c : data) {
      if (c == '"') quoted = !quoted;
      if (c == '\n' && !quoted) {
        converted += eol;
      } else {
        converted += c;
      }
    }
    SB_ASSERT_OK_AND_ASSIGN(CsvReader reader, CsvReader::FromString(converted, "t"));
    CsvRecord record;
    const struct {
      int64_t line;
      std::vector<int64_t> field_lines;
    } kExpected[] = {{1, {1, 1, 1}}, {2, {2, 2, 4}}, {5, {5, 5, 5}}, {7, {7, 7, 7}}};
    for (const auto& expected : kExpected) {
      SB_ASSERT_OK_AND_ASSIGN(bool more, reader.Next(&record));
      ASSERT_TRUE(more);
      EXPECT_EQ(record.line, expected.line) << "eol " << eol.size();
      EXPECT_EQ(record.field_lines, expected.field_lines) << "eol " << eol.size();
    }
    SB_ASSERT_OK_AND_ASSIGN(bool more, reader.Next(&record));
    EXPECT_FALSE(more);
  }
}

TEST(CsvReaderTest, FieldLinesWithinRecordStartingOnLaterLine) {
  SB_ASSERT_OK_AND_ASSIGN(CsvReader reader,
                          CsvReader::FromString("h1,h2,h3\n\"a\nb\",\"c\n\nd\",e\n", "t"));
  CsvRecord record;
  SB_ASSERT_OK_AND_ASSIGN(bool more, reader.Next(&record));
  SB_ASSERT_OK_AND_ASSIGN(more, reader.Next(&record));
  ASSERT_TRUE(more);
  EXPECT_THAT(record.fields, ElementsAre("a\nb", "c\n\nd", "e"));
  EXPECT_THAT(record.field_lines, ElementsAre(2, 3, 5));
  EXPECT_EQ(record.line, 2);
}

TEST(CsvReaderTest, StripsUtf8Bom) {
  SB_ASSERT_OK_AND_ASSIGN(
      CsvReader reader,
      CsvReader::FromString("\xEF\xBB\xBFname;city\n\xC3\x85se;\xC3\x85rhus\n", "t"));
  EXPECT_EQ(reader.encoding(), Encoding::kUtf8Bom);
  EXPECT_EQ(reader.delimiter(), ';');
  CsvRecord record;
  SB_ASSERT_OK_AND_ASSIGN(bool more, reader.Next(&record));
  ASSERT_TRUE(more);
  EXPECT_THAT(record.fields, ElementsAre("name", "city"));
  SB_ASSERT_OK_AND_ASSIGN(more, reader.Next(&record));
  EXPECT_THAT(record.fields, ElementsAre("Åse", "Århus"));
}

TEST(CsvReaderTest, ValidUtf8IsKeptAsIs) {
  SB_ASSERT_OK_AND_ASSIGN(CsvReader reader, CsvReader::FromString("æøå;€;😀\n", "t"));
  EXPECT_EQ(reader.encoding(), Encoding::kUtf8);
  CsvRecord record;
  SB_ASSERT_OK_AND_ASSIGN(bool more, reader.Next(&record));
  ASSERT_TRUE(more);
  EXPECT_THAT(record.fields, ElementsAre("æøå", "€", "😀"));
}

TEST(CsvReaderTest, DecodesWindows1252) {
  const std::string data =
      "navn;by\n\xC6\xD8\xC5;\xE6\xF8\xE5\n\x80 5;\x9A\xE4\xF6\xFC\xC4\xD6\xDC\xDF\n";
  SB_ASSERT_OK_AND_ASSIGN(CsvReader reader, CsvReader::FromString(data, "t"));
  EXPECT_EQ(reader.encoding(), Encoding::kWindows1252);
  SB_ASSERT_OK_AND_ASSIGN(Rows rows, ReadAll(data));
  EXPECT_THAT(rows, ElementsAre(Row{"navn", "by"}, Row{"ÆØÅ", "æøå"}, Row{"€ 5", "šäöüÄÖÜß"}));
}

TEST(CsvReaderTest, Windows1252TableIsExact) {
  // Independent of the implementation: the code page as published by Microsoft (and Python's
  // cp1252), with the five undefined bytes as same-numbered C1 controls.
  const char* const kHigh[32] = {
      "€", "\u0081", "‚",      "ƒ", "„",      "…",      "†", "‡",      "ˆ", "‰", "Š",
      "‹", "Œ",      "\u008D", "Ž", "\u008F", "\u0090", "‘", "’",      "“", "”", "•",
      "–", "—",      "˜",      "™", "š",      "›",      "œ", "\u009D", "ž", "Ÿ",
  };
  CsvOptions options;
  options.encoding = Encoding::kWindows1252;
  for (int b = 0x80; b <= 0xFF; ++b) {
    std::string data(1, static_cast<char>(b));
    SB_ASSERT_OK_AND_ASSIGN(Rows rows, ReadAll(data, options));
    ASSERT_EQ(rows.size(), 1u) << b;
    std::string expected;
    if (b < 0xA0) {
      expected = kHigh[b - 0x80];
    } else {  // Latin-1: code point == byte, two UTF-8 bytes
      expected += static_cast<char>(0xC0 | (b >> 6));
      expected += static_cast<char>(0x80 | (b & 0x3F));
    }
    EXPECT_EQ(rows[0], Row{expected}) << std::hex << b;
  }
  SB_ASSERT_OK_AND_ASSIGN(Rows rows, ReadAll("\xE6\xF8\xE5\xC6\xD8\xC5", options));
  EXPECT_THAT(rows, ElementsAre(Row{"æøåÆØÅ"}));
}

TEST(CsvReaderTest, InvalidUtf8IsReadAsWindows1252) {
  const struct {
    std::string_view data;
    std::string_view field;
  } kCases[] = {
      {"a;\xC3(\n", "Ã("},               // truncated sequence
      {"a;\xC0\xAF\n", "À¯"},            // overlong '/'
      {"a;\xED\xA0\x80\n", "í\u00A0€"},  // UTF-16 surrogate in UTF-8
      {"a;caf\xE9\n", "café"},           // Latin-1 é
      {"a;\xF8\n", "ø"},
  };
  for (const auto& c : kCases) {
    SB_ASSERT_OK_AND_ASSIGN(CsvReader reader, CsvReader::FromString(std::string(c.data), "t"));
    EXPECT_EQ(reader.encoding(), Encoding::kWindows1252) << c.field;
    CsvRecord record;
    SB_ASSERT_OK_AND_ASSIGN(bool more, reader.Next(&record));
    ASSERT_TRUE(more);
    EXPECT_THAT(record.fields, ElementsAre("a", c.field));
  }
}

TEST(CsvReaderTest, ExplicitEncodingIsUsed) {
  CsvOptions options;
  options.encoding = Encoding::kWindows1252;
  SB_ASSERT_OK_AND_ASSIGN(CsvReader reader, CsvReader::FromString("\xC3\xA6", "t", options));
  EXPECT_EQ(reader.encoding(), Encoding::kWindows1252);
  CsvRecord record;
  SB_ASSERT_OK_AND_ASSIGN(bool more, reader.Next(&record));
  ASSERT_TRUE(more);
  EXPECT_THAT(record.fields, ElementsAre("Ã¦"));
}

TEST(CsvReaderTest, DecodesUtf16LittleEndianWithBom) {
  SB_ASSERT_OK_AND_ASSIGN(
      CsvReader reader,
      CsvReader::FromString(Utf16(u"name\tcity\r\n\u00C5se\t\u00C5rhus \U0001F600\r\n", false),
                            "t"));
  EXPECT_EQ(reader.encoding(), Encoding::kUtf16Le);
  EXPECT_EQ(reader.delimiter(), '\t');
  CsvRecord record;
  SB_ASSERT_OK_AND_ASSIGN(bool more, reader.Next(&record));
  ASSERT_TRUE(more);
  EXPECT_THAT(record.fields, ElementsAre("name", "city"));
  SB_ASSERT_OK_AND_ASSIGN(more, reader.Next(&record));
  ASSERT_TRUE(more);
  EXPECT_THAT(record.fields, ElementsAre("Åse", "Århus 😀"));
  EXPECT_EQ(record.line, 2);
}

TEST(CsvReaderTest, DecodesUtf16BigEndianWithBom) {
  SB_ASSERT_OK_AND_ASSIGN(Rows rows, ReadAll(Utf16(u"a;\u20AC\n\U0001F600;\u00F8\n", true)));
  EXPECT_THAT(rows, ElementsAre(Row{"a", "€"}, Row{"😀", "ø"}));
}

TEST(CsvReaderTest, RejectsInvalidUtf16) {
  const std::string kCases[] = {
      Utf16(u"a,b", false) + "x",                                // odd byte count
      Utf16(u"a,", false) + std::string("\x00\xD8", 2),          // high surrogate at end
      Utf16(u"a,", false) + std::string("\x00\xD8\x41\x00", 4),  // high + non-low
      Utf16(u"a,", false) + std::string("\x00\xDC\x41\x00", 4),  // lone low
      Utf16(u"a,", true) + std::string("\xDC\x00", 2),           // lone low, BE
  };
  for (const std::string& data : kCases) {
    EXPECT_THAT(CsvReader::FromString(data, "bad.csv"),
                test::StatusIsWithMessage(StatusCode::kInvalidArgument, "bad.csv: invalid UTF-16"));
  }
}

TEST(CsvReaderTest, UnterminatedQuoteIsReportedAndReadingContinues) {
  SB_ASSERT_OK_AND_ASSIGN(CsvReader reader,
                          CsvReader::FromString("a,b\n1,\"oops\n2,3\n4,5\n", "people.csv"));
  CsvRecord record;
  SB_ASSERT_OK_AND_ASSIGN(bool more, reader.Next(&record));
  ASSERT_TRUE(more);
  Result<bool> error = reader.Next(&record);
  EXPECT_THAT(error, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(error.status().message(), "people.csv:2:2: unterminated quoted field");
  SB_ASSERT_OK_AND_ASSIGN(more, reader.Next(&record));
  ASSERT_TRUE(more);
  EXPECT_THAT(record.fields, ElementsAre("2", "3"));
  EXPECT_EQ(record.line, 3);
  SB_ASSERT_OK_AND_ASSIGN(more, reader.Next(&record));
  ASSERT_TRUE(more);
  EXPECT_THAT(record.fields, ElementsAre("4", "5"));
  SB_ASSERT_OK_AND_ASSIGN(more, reader.Next(&record));
  EXPECT_FALSE(more);
}

TEST(CsvReaderTest, UnterminatedQuoteOnLastLine) {
  SB_ASSERT_OK_AND_ASSIGN(CsvReader reader, CsvReader::FromString("a;b\r\nx;y;\"z", "f.csv"));
  CsvRecord record;
  SB_ASSERT_OK_AND_ASSIGN(bool more, reader.Next(&record));
  EXPECT_THAT(reader.Next(&record),
              test::StatusIsWithMessage(StatusCode::kInvalidArgument,
                                        "f.csv:2:3: unterminated quoted field"));
  SB_ASSERT_OK_AND_ASSIGN(more, reader.Next(&record));
  EXPECT_FALSE(more);
}

TEST(CsvReaderTest, TextAfterClosingQuoteIsReportedAndReadingContinues) {
  SB_ASSERT_OK_AND_ASSIGN(
      CsvReader reader,
      CsvReader::FromString("a,b\n\"x\"y,2\n3,\"multi\nline\" ,4\n5,6\n", "deals.csv"));
  CsvRecord record;
  SB_ASSERT_OK_AND_ASSIGN(bool more, reader.Next(&record));
  Result<bool> error = reader.Next(&record);
  EXPECT_EQ(error.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(error.status().message(), "deals.csv:2:1: unexpected text after the closing quote");
  // The second bad field starts on line 3; the stray blank after its quote is on line 4.
  error = reader.Next(&record);
  EXPECT_EQ(error.status().message(), "deals.csv:4:2: unexpected text after the closing quote");
  SB_ASSERT_OK_AND_ASSIGN(more, reader.Next(&record));
  ASSERT_TRUE(more);
  EXPECT_THAT(record.fields, ElementsAre("5", "6"));
  EXPECT_EQ(record.line, 5);
}

TEST(CsvReaderTest, NulByteIsRefusedWithLineAndColumnAndReadingContinues) {
  SB_ASSERT_OK_AND_ASSIGN(CsvReader reader,
                          CsvReader::FromString(std::string("a,b\n1,x") + '\0' +
                                                    "y\n\"q\",\"multi\nline" + '\0' + "\"\n3,4\n",
                                                "nul.csv"));
  CsvRecord record;
  SB_ASSERT_OK_AND_ASSIGN(bool more, reader.Next(&record));
  EXPECT_THAT(reader.Next(&record),
              test::StatusIsWithMessage(StatusCode::kInvalidArgument,
                                        "nul.csv:2:2: the field holds a NUL byte (character 0), "
                                        "which text never does; is this a binary file?"));
  // A quoted field that starts on line 3 and holds the NUL on line 4 is reported where it starts.
  EXPECT_THAT(reader.Next(&record),
              test::StatusIsWithMessage(StatusCode::kInvalidArgument,
                                        "nul.csv:3:2: the field holds a NUL byte (character 0), "
                                        "which text never does; is this a binary file?"));
  SB_ASSERT_OK_AND_ASSIGN(more, reader.Next(&record));
  ASSERT_TRUE(more);
  EXPECT_THAT(record.fields, ElementsAre("3", "4"));
  EXPECT_EQ(record.line, 5);
}

TEST(CsvReaderTest, FieldsLongerThanTheLimitAreRefused) {
  EXPECT_EQ(kDefaultMaxFieldBytes, 64 * 1024);
  std::string long_field(kDefaultMaxFieldBytes + 1, 'x');
  SB_ASSERT_OK_AND_ASSIGN(
      CsvReader reader, CsvReader::FromString("a,b\n1,\"" + long_field + "\"\n" +
                                                  std::string(kDefaultMaxFieldBytes, 'y') + ",2\n",
                                              "big.csv"));
  CsvRecord record;
  SB_ASSERT_OK_AND_ASSIGN(bool more, reader.Next(&record));
  EXPECT_THAT(reader.Next(&record),
              test::StatusIsWithMessage(StatusCode::kInvalidArgument,
                                        "big.csv:2:2: the field is 65537 bytes long; the limit "
                                        "is 65536 bytes (64 KiB) per field"));
  SB_ASSERT_OK_AND_ASSIGN(more, reader.Next(&record));  // exactly at the limit: accepted
  ASSERT_TRUE(more);
  EXPECT_EQ(record.fields[0].size(), kDefaultMaxFieldBytes);

  CsvOptions small;
  small.max_field_bytes = 3;
  SB_ASSERT_OK_AND_ASSIGN(Rows rows, ReadAll("abc,de\n", small));
  EXPECT_THAT(ReadAll("abcd\n", small), StatusIs(StatusCode::kInvalidArgument));
}

TEST(CsvReaderTest, OpenReadsFileAndNamesIt) {
  const std::string path = ::testing::TempDir() + "/csv_reader_test_open.csv";
  std::FILE* file = std::fopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  // Windows-1252 "Navn;Beløb\r\nÆble A/S;€ 1.234,50\r\n" ('\x62' is 'b', not a hex digit).
  const std::string_view content = "Navn;Bel\xF8\x62\r\n\xC6\x62le A/S;\x80 1.234,50\r\n";
  ASSERT_EQ(std::fwrite(content.data(), 1, content.size(), file), content.size());
  std::fclose(file);

  SB_ASSERT_OK_AND_ASSIGN(CsvReader reader, CsvReader::Open(path));
  EXPECT_EQ(reader.name(), path);
  EXPECT_EQ(reader.encoding(), Encoding::kWindows1252);
  EXPECT_EQ(reader.delimiter(), ';');
  CsvRecord record;
  SB_ASSERT_OK_AND_ASSIGN(bool more, reader.Next(&record));
  ASSERT_TRUE(more);
  EXPECT_THAT(record.fields, ElementsAre("Navn", "Beløb"));
  SB_ASSERT_OK_AND_ASSIGN(more, reader.Next(&record));
  ASSERT_TRUE(more);
  EXPECT_THAT(record.fields, ElementsAre("Æble A/S", "€ 1.234,50"));
  std::remove(path.c_str());
}

TEST(CsvReaderTest, OpenOfMissingFileIsNotFound) {
  EXPECT_THAT(CsvReader::Open(::testing::TempDir() + "/no/such/file.csv"),
              test::StatusIsWithMessage(StatusCode::kNotFound, "no/such/file.csv"));
  EXPECT_THAT(CsvReader::Open(::testing::TempDir() + "/no_such_file.csv"),
              StatusIs(StatusCode::kNotFound));
}

TEST(CsvReaderTest, OpenOfDirectoryIsInternal) {
  EXPECT_THAT(CsvReader::Open(::testing::TempDir()), StatusIs(StatusCode::kInternal));
}

TEST(AppendCsvFieldTest, QuotesOnlyWhenNeeded) {
  const struct {
    std::string_view field;
    char delimiter;
    std::string_view expected;
  } kCases[] = {
      {"plain", ',', "plain"},
      {"", ',', ""},
      {"a,b", ',', "\"a,b\""},
      {"a;b", ',', "a;b"},
      {"a;b", ';', "\"a;b\""},
      {"say \"hi\"", ',', "\"say \"\"hi\"\"\""},
      {"\"", ',', "\"\"\"\""},
      {"two\nlines", ',', "\"two\nlines\""},
      {"cr\rhere", ',', "\"cr\rhere\""},
      {" lead", ',', "\" lead\""},
      {"trail\t", ',', "\"trail\t\""},
      {"in side", ',', "in side"},
      {"5\" screen", '\t', "\"5\"\" screen\""},
      {"æøå", ';', "æøå"},
  };
  for (const auto& c : kCases) {
    std::string out = "prefix|";
    AppendCsvField(c.field, c.delimiter, &out);
    EXPECT_EQ(out, "prefix|" + std::string(c.expected)) << c.field;
  }
}

TEST(AppendCsvFieldTest, RoundTripsThroughCsvReader) {
  const Rows kRows = {
      {"plain", "with,comma", "with;semicolon", "with \"quotes\"", "\"", "\"\""},
      {"multi\nline", " leading space", "trailing space ", "", "\ttab", "pipe|"},
      {"sep=;", "æøå ÆØÅ €", "😀", "a\n\nb", "\"start", "end\""},
      {"", "only second", "", "", "", ""},
  };
  for (char delimiter : {',', ';', '\t', '|'}) {
    std::string data;
    for (const Row& row : kRows) {
      for (size_t i = 0; i < row.size(); ++i) {
        if (i > 0) data += delimiter;
        AppendCsvField(row[i], delimiter, &data);
      }
      data += "\r\n";
    }
    CsvOptions options;
    options.delimiter = delimiter;
    SB_ASSERT_OK_AND_ASSIGN(Rows explicit_rows, ReadAll(data, options));
    EXPECT_EQ(explicit_rows, kRows) << "delimiter " << delimiter;
    SB_ASSERT_OK_AND_ASSIGN(Rows detected_rows, ReadAll(data));
    EXPECT_EQ(detected_rows, kRows) << "detected delimiter " << delimiter;
  }
}

TEST(AppendCsvFieldTest, CarriageReturnsReadBackAsLineFeeds) {
  std::string data;
  AppendCsvField("a\r\nb\rc", ',', &data);
  SB_ASSERT_OK_AND_ASSIGN(Rows rows, ReadAll(data));
  EXPECT_THAT(rows, ElementsAre(Row{"a\nb\nc"}));
}

}  // namespace
}  // namespace salesbox::csv

// SPDX-License-Identifier: MIT
// XlsxWorkbook and XlsxSheetReader on workbooks made in the test: by libxlsxwriter (shared
// strings, and inline strings in its constant-memory mode; dates as serial numbers with a date
// format) and, for what libxlsxwriter does not write (the 1904 date system, prefixed element
// names, rich text, error cells, broken XML), by zipping hand-written parts with libzip.
#include "csv/xlsx_reader.h"

#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace salesbox::csv {
namespace {

using ::salesbox::test::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class XlsxReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("salesbox_xlsx_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& name) { return (dir_ / name).string(); }

  // Every row of `reader` as its row number and cells; errors as "!message".
  static std::vector<std::string> Rows(RecordSource& reader) {
    std::vector<std::string> rows;
    CsvRecord record;
    for (int guard = 0; guard < 1000; ++guard) {
      Result<bool> more = reader.Next(&record);
      if (!more.ok()) {
        rows.push_back("!" + more.status().message());
        continue;
      }
      if (!*more) break;
      std::string row = std::to_string(record.line) + ":";
      for (size_t i = 0; i < record.fields.size(); ++i) {
        row += (i == 0 ? "" : "|") + std::string(record.fields[i]);
      }
      rows.push_back(row);
    }
    return rows;
  }

  // A workbook of hand-written parts; `sheets` are (name, sheet XML) in order.
  std::string Zip(const std::string& name,
                  const std::vector<std::pair<std::string, std::string>>& sheets,
                  const std::string& shared_strings = "", const std::string& styles = "",
                  bool date1904 = false) {
    std::map<std::string, std::string> parts;
    parts["_rels/.rels"] =
        R"(<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>)";
    std::string workbook =
        R"(<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)";
    if (date1904) workbook += R"(<workbookPr date1904="1"/>)";
    workbook += "<sheets>";
    std::string rels =
        R"(<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)";
    for (size_t i = 0; i < sheets.size(); ++i) {
      const std::string id = "rId" + std::to_string(i + 1);
      const std::string part = "worksheets/sheet" + std::to_string(i + 1) + ".xml";
      workbook += "<sheet name=\"" + sheets[i].first + "\" sheetId=\"" + std::to_string(i + 1) +
                  "\" r:id=\"" + id + "\"/>";
      rels += "<Relationship Id=\"" + id + "\" Target=\"" + part + "\"/>";
      parts["xl/" + part] = sheets[i].second;
    }
    parts["xl/workbook.xml"] = workbook + "</sheets></workbook>";
    parts["xl/_rels/workbook.xml.rels"] = rels + "</Relationships>";
    if (!shared_strings.empty()) parts["xl/sharedStrings.xml"] = shared_strings;
    if (!styles.empty()) parts["xl/styles.xml"] = styles;
    const std::string path = Path(name);
    int error = 0;
    zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    EXPECT_NE(zip, nullptr);
    for (const auto& [part, text] : parts) {
      zip_source_t* source = zip_source_buffer(zip, text.data(), text.size(), 0);
      EXPECT_GE(zip_file_add(zip, part.c_str(), source, ZIP_FL_ENC_UTF_8), 0) << part;
    }
    EXPECT_EQ(zip_close(zip), 0);
    return path;
  }

  static std::string Sheet(const std::string& rows, const std::string& prefix = "") {
    return "<?xml version=\"1.0\"?><" + prefix + "worksheet xmlns" +
           (prefix.empty() ? "" : ":" + prefix.substr(0, prefix.size() - 1)) +
           "=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><" + prefix +
           "sheetData>" + rows + "</" + prefix + "sheetData></" + prefix + "worksheet>";
  }

  std::filesystem::path dir_;
};

// A CRM export as Excel writes it: a header, text in shared strings, numbers, dates.
std::string WriteDeals(const std::string& path, bool constant_memory) {
  lxw_workbook_options options = {};
  options.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE;
  lxw_workbook* workbook = workbook_new_opt(path.c_str(), &options);
  lxw_worksheet* deals = workbook_add_worksheet(workbook, "Deals");
  lxw_worksheet* notes = workbook_add_worksheet(workbook, "Notes");
  lxw_format* date = workbook_add_format(workbook);
  format_set_num_format(date, "dd/mm/yyyy");
  lxw_format* stamp = workbook_add_format(workbook);
  format_set_num_format(stamp, "yyyy-mm-dd hh:mm");
  lxw_format* money = workbook_add_format(workbook);
  format_set_num_format(money, "#,##0.00 [$kr.-406]");
  const char* header[] = {"Opportunity Name", "Amount", "Close Date", "Created", "Won", "Note"};
  for (int c = 0; c < 6; ++c) worksheet_write_string(deals, 0, c, header[c], nullptr);
  worksheet_write_string(deals, 1, 0, "Hal 3 – Ærø", nullptr);
  worksheet_write_number(deals, 1, 1, 1234567.89, money);
  lxw_datetime close = {2025, 4, 30, 0, 0, 0};
  worksheet_write_datetime(deals, 1, 2, &close, date);
  lxw_datetime created = {2025, 1, 2, 9, 30, 0};
  worksheet_write_datetime(deals, 1, 3, &created, stamp);
  worksheet_write_boolean(deals, 1, 4, 1, nullptr);
  worksheet_write_string(deals, 1, 5, "=HYPERLINK(\"x\")", nullptr);
  // Row 3 left empty; row 4 has a gap in column B and a number that is not a date.
  worksheet_write_string(deals, 3, 0, "Lager, \"Nord\"", nullptr);
  worksheet_write_number(deals, 3, 2, 0.1 + 0.2, nullptr);
  worksheet_write_string(notes, 0, 0, "only", nullptr);
  EXPECT_EQ(workbook_close(workbook), LXW_NO_ERROR);
  return path;
}

TEST_F(XlsxReaderTest, ReadsAnExcelExportWithSharedStringsNumbersAndDates) {
  const std::string path = WriteDeals(Path("deals.xlsx"), /*constant_memory=*/false);
  EXPECT_TRUE(LooksLikeXlsx(path));
  SB_ASSERT_OK_AND_ASSIGN(XlsxWorkbook book, XlsxWorkbook::Open(path, "deals.xlsx"));
  EXPECT_THAT(book.sheet_names(), ElementsAre("Deals", "Notes"));
  SB_ASSERT_OK_AND_ASSIGN(std::unique_ptr<XlsxSheetReader> sheet, book.Sheet(""));
  EXPECT_EQ(sheet->sheet(), "Deals");
  EXPECT_EQ(sheet->name(), "deals.xlsx");
  EXPECT_THAT(Rows(*sheet),
              ElementsAre("1:Opportunity Name|Amount|Close Date|Created|Won|Note",
                          "2:Hal 3 – Ærø|1234567.89|2025-04-30|2025-01-02T09:30:00Z|true|"
                          "=HYPERLINK(\"x\")",
                          "4:Lager, \"Nord\"||0.3"));
}

TEST_F(XlsxReaderTest, ReadsInlineStringsAsConstantMemoryModeWritesThem) {
  const std::string path = WriteDeals(Path("deals.xlsx"), /*constant_memory=*/true);
  SB_ASSERT_OK_AND_ASSIGN(XlsxWorkbook book, XlsxWorkbook::Open(path));
  SB_ASSERT_OK_AND_ASSIGN(std::unique_ptr<XlsxSheetReader> sheet, book.Sheet("deals"));
  std::vector<std::string> rows = Rows(*sheet);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1],
            "2:Hal 3 – Ærø|1234567.89|2025-04-30|2025-01-02T09:30:00Z|true|=HYPERLINK(\"x\")");
  SB_ASSERT_OK_AND_ASSIGN(std::unique_ptr<XlsxSheetReader> notes, book.Sheet("Notes"));
  EXPECT_THAT(Rows(*notes), ElementsAre("1:only"));
}

TEST_F(XlsxReaderTest, AMissingSheetListsTheSheetsThereAre) {
  const std::string path = WriteDeals(Path("deals.xlsx"), false);
  SB_ASSERT_OK_AND_ASSIGN(XlsxWorkbook book, XlsxWorkbook::Open(path, "deals.xlsx"));
  Result<std::unique_ptr<XlsxSheetReader>> missing = book.Sheet("Accounts");
  EXPECT_THAT(missing, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(missing.status().message(),
            "deals.xlsx has no sheet \"Accounts\"; its sheets are \"Deals\", \"Notes\"");
}

TEST_F(XlsxReaderTest, The1904DateSystemRichTextEscapesAndPrefixedNames) {
  const std::string styles =
      R"(<styleSheet xmlns="x"><numFmts><numFmt numFmtId="164" formatCode="&quot;day&quot; 0"/>)"
      R"(<numFmt numFmtId="165" formatCode="[$-414]d\.\ mmmm\ yyyy;@"/></numFmts>)"
      R"(<cellStyleXfs><xf numFmtId="14"/></cellStyleXfs>)"
      R"(<cellXfs><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="14"/></cellXfs></styleSheet>)";
  const std::string strings =
      R"(<sst xmlns="x"><si><r><t>Sø</t></r><r><t xml:space="preserve">ren </t></r><rPh><t>x</t></rPh></si>)"
      R"(<si><t>line 1_x000D_
line 2</t></si></sst>)";
  const std::string rows =
      R"(<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="C1" t="s"><x:v>1</x:v></x:c></x:row>)"
      R"(<x:row r="2"><x:c r="A2" s="1"><x:v>7</x:v></x:c><x:c r="B2" s="2"><x:v>44000</x:v></x:c>)"
      R"(<x:c r="C2" s="3"><x:v>0</x:v></x:c><x:c r="D2" t="inlineStr"><x:is><x:t>in&amp;line</x:t></x:is></x:c>)"
      R"(<x:c r="E2" t="str"><x:f>A1&amp;"!"</x:f><x:v>Søren !</x:v></x:c></x:row>)";
  const std::string path =
      Zip("old-mac.xlsx", {{"Ark1", Sheet(rows, "x:")}}, strings, styles, /*date1904=*/true);
  SB_ASSERT_OK_AND_ASSIGN(XlsxWorkbook book, XlsxWorkbook::Open(path, "old-mac.xlsx"));
  SB_ASSERT_OK_AND_ASSIGN(std::unique_ptr<XlsxSheetReader> sheet, book.Sheet(""));
  // 44000 days after 1904-01-01 is 2024-06-19 (in the 1900 system it would be 2020-06-18);
  // the quoted "day" makes format 164 no date; 0 is the 1904 system's first day.
  EXPECT_THAT(Rows(*sheet), ElementsAre("1:Søren ||line 1\r\nline 2",
                                        "2:7|2024-06-19|1904-01-01|in&line|Søren !"));
}

TEST_F(XlsxReaderTest, ErrorCellsAndBadSharedStringsNameFileSheetRowAndColumnAndReadingGoesOn) {
  const std::string rows =
      R"(<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>)"
      R"(<row r="2"><c r="A2" t="inlineStr"><is><t>ok</t></is></c><c r="AB2" t="e"><v>#N/A</v></c></row>)"
      R"(<row r="3"><c r="B3" t="s"><v>9</v></c></row>)"
      R"(<row r="5"><c r="A5" t="inlineStr"><is><t>nul_x0000_here</t></is></c></row>)"
      R"(<row r="6"><c r="A6" t="inlineStr"><is><t>last</t></is></c></row>)";
  const std::string path = Zip("bad.xlsx", {{"Deals", Sheet(rows)}});
  SB_ASSERT_OK_AND_ASSIGN(XlsxWorkbook book, XlsxWorkbook::Open(path, "bad.xlsx"));
  SB_ASSERT_OK_AND_ASSIGN(std::unique_ptr<XlsxSheetReader> sheet, book.Sheet("Deals"));
  EXPECT_THAT(
      Rows(*sheet),
      ElementsAre("1:name",
                  "!bad.xlsx, sheet \"Deals\", row 2, column AB: the cell holds the spreadsheet "
                  "error #N/A",
                  "!bad.xlsx, sheet \"Deals\", row 3, column B: the cell refers to shared string "
                  "9, which the workbook does not have",
                  "!bad.xlsx, sheet \"Deals\", row 5, column A: the cell holds a NUL character",
                  "6:last"));
}

TEST_F(XlsxReaderTest, AnOverlongCellIsRefused) {
  const std::string rows = "<row r=\"1\"><c r=\"C1\" t=\"inlineStr\"><is><t>" +
                           std::string(70 * 1024, 'x') + "</t></is></c></row>";
  const std::string path = Zip("long.xlsx", {{"S", Sheet(rows)}});
  SB_ASSERT_OK_AND_ASSIGN(XlsxWorkbook book, XlsxWorkbook::Open(path, "long.xlsx"));
  SB_ASSERT_OK_AND_ASSIGN(std::unique_ptr<XlsxSheetReader> sheet, book.Sheet(""));
  std::vector<std::string> rows_read = Rows(*sheet);
  ASSERT_EQ(rows_read.size(), 1u);
  EXPECT_THAT(rows_read[0],
              HasSubstr("long.xlsx, sheet \"S\", row 1, column C: the cell is longer than 64 KiB"));
}

TEST_F(XlsxReaderTest, BrokenXmlStopsTheSheetWithAnError) {
  const std::string path =
      Zip("broken.xlsx",
          {{"S", Sheet(R"(<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row><row>)")
                     .substr(0, 150)}});
  SB_ASSERT_OK_AND_ASSIGN(XlsxWorkbook book, XlsxWorkbook::Open(path, "broken.xlsx"));
  SB_ASSERT_OK_AND_ASSIGN(std::unique_ptr<XlsxSheetReader> sheet, book.Sheet(""));
  std::vector<std::string> rows = Rows(*sheet);
  ASSERT_FALSE(rows.empty());
  EXPECT_THAT(rows.back(), HasSubstr("broken.xlsx, sheet \"S\": not valid XML at line 1"));
}

TEST_F(XlsxReaderTest, FilesThatAreNotWorkbooksAreRefusedByName) {
  std::ofstream(Path("a.csv")) << "name\nx\n";
  EXPECT_FALSE(LooksLikeXlsx(Path("a.csv")));
  EXPECT_THAT(XlsxWorkbook::Open(Path("missing.xlsx")), StatusIs(StatusCode::kNotFound));
  Result<XlsxWorkbook> csv = XlsxWorkbook::Open(Path("a.csv"), "a.csv");
  EXPECT_THAT(csv, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(csv.status().message(), "a.csv: not an XLSX workbook (not a zip archive)");
  // A zip without a workbook (a .docx, say).
  const std::string path = Path("other.zip");
  int error = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  static const char kText[] = "hello";
  zip_file_add(zip, "word/document.xml", zip_source_buffer(zip, kText, 5, 0), 0);
  ASSERT_EQ(zip_close(zip), 0);
  Result<XlsxWorkbook> other = XlsxWorkbook::Open(path, "other.zip");
  EXPECT_THAT(other, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(other.status().message(),
            "other.zip: not an XLSX workbook (it has no xl/workbook.xml)");
}

TEST(ColumnLettersTest, CountsLikeASpreadsheet) {
  EXPECT_EQ(ColumnLetters(1), "A");
  EXPECT_EQ(ColumnLetters(26), "Z");
  EXPECT_EQ(ColumnLetters(27), "AA");
  EXPECT_EQ(ColumnLetters(28), "AB");
  EXPECT_EQ(ColumnLetters(16384), "XFD");
}

}  // namespace
}  // namespace salesbox::csv

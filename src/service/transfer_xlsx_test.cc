// SPDX-License-Identifier: MIT
// XLSX import through TransferService (issue 16): a workbook made here with libxlsxwriter goes
// through the same columns, value rules and all-or-nothing as CSV; several sheets of one
// workbook are imported at once, and an error in any of them writes nothing of any. XLSX export
// (libxlsxwriter) reads back to the same records.
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "csv/xlsx_reader.h"
#include "service/transfer.h"
#include "storage/open_store.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"

namespace salesbox::service {
namespace {

using ::salesbox::test::StatusIs;
using ::testing::HasSubstr;

class TransferXlsxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SB_ASSERT_OK_AND_ASSIGN(store_, storage::OpenStore("sqlite::memory:"));
    dir_ = std::filesystem::temp_directory_path() /
           ("salesbox_txlsx_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    options_.default_currency = Currency::Parse("DKK").value();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // A workbook with the sheets Companies (accounts) and Deals (opportunities) as a CRM exports
  // them: their own headers, dates as serial numbers in a date format. `stage` is row 3's.
  std::string Workbook(const std::string& stage) {
    const std::string path = (dir_ / "crm.xlsx").string();
    lxw_workbook* book = workbook_new(path.c_str());
    lxw_format* date = workbook_add_format(book);
    format_set_num_format(date, "m/d/yyyy");
    lxw_worksheet* deals = workbook_add_worksheet(book, "Deals");  // first: imported second
    lxw_worksheet* companies = workbook_add_worksheet(book, "Companies");
    const char* company_header[] = {"Account ID", "Account Name", "Employees", "Billing Country"};
    for (int c = 0; c < 4; ++c) worksheet_write_string(companies, 0, c, company_header[c], nullptr);
    worksheet_write_string(companies, 1, 0, "A1", nullptr);
    worksheet_write_string(companies, 1, 1, "Ærø Maskinfabrik A/S", nullptr);
    worksheet_write_number(companies, 1, 2, 120, nullptr);
    worksheet_write_string(companies, 1, 3, "Danmark", nullptr);
    worksheet_write_string(companies, 2, 0, "A2", nullptr);
    worksheet_write_string(companies, 2, 1, "Bergen Bygg AS", nullptr);
    worksheet_write_number(companies, 2, 2, 40, nullptr);
    worksheet_write_string(companies, 2, 3, "Norway", nullptr);
    const char* deal_header[] = {"Opportunity ID", "Account ID", "Opportunity Name",
                                 "Stage",          "Amount",     "Close Date"};
    for (int c = 0; c < 6; ++c) worksheet_write_string(deals, 0, c, deal_header[c], nullptr);
    lxw_datetime close1 = {2025, 4, 30, 0, 0, 0};
    lxw_datetime close2 = {2025, 6, 15, 0, 0, 0};
    worksheet_write_string(deals, 1, 0, "O1", nullptr);
    worksheet_write_string(deals, 1, 1, "A1", nullptr);
    worksheet_write_string(deals, 1, 2, "Hal 3", nullptr);
    worksheet_write_string(deals, 1, 3, "negotiate", nullptr);
    worksheet_write_number(deals, 1, 4, 1234567.89, nullptr);
    worksheet_write_datetime(deals, 1, 5, &close1, date);
    worksheet_write_string(deals, 2, 0, "O2", nullptr);
    worksheet_write_string(deals, 2, 1, "A2", nullptr);
    worksheet_write_string(deals, 2, 2, "Lager", nullptr);
    worksheet_write_string(deals, 2, 3, stage.c_str(), nullptr);
    worksheet_write_number(deals, 2, 4, 250000, nullptr);
    worksheet_write_datetime(deals, 2, 5, &close2, date);
    EXPECT_EQ(workbook_close(book), LXW_NO_ERROR);
    return path;
  }

  int64_t Count(bool deals) {
    Result<int64_t> n = deals ? store_->opportunities().Count({}) : store_->accounts().Count({});
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  }

  std::string Export(Kind kind) {
    std::string out;
    std::unique_ptr<RowSink> sink = MakeCsvSink([&out](std::string_view text) { out += text; });
    TransferService transfer(*store_, clock_);
    EXPECT_TRUE(transfer.Export(kind, *sink).ok());
    return out;
  }

  test::FakeClock clock_{"2025-03-03T09:00:00Z"};
  std::unique_ptr<storage::Store> store_;
  std::filesystem::path dir_;
  ImportOptions options_;
};

TEST_F(TransferXlsxTest, SeveralSheetsOfOneWorkbookAtOnceReferencesFirst) {
  const std::string path = Workbook("propose");
  TransferService transfer(*store_, clock_);
  SB_ASSERT_OK_AND_ASSIGN(
      std::vector<ImportReport> reports,
      transfer.ImportWorkbook(
          path, {{"Deals", Kind::kOpportunities}, {"companies", Kind::kAccounts}}, options_));
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].sheet, "Companies");  // accounts before the deals that name them
  EXPECT_EQ(reports[0].encoding, "xlsx");
  EXPECT_EQ(reports[0].inserted, 2);
  EXPECT_EQ(reports[1].sheet, "Deals");
  EXPECT_EQ(reports[1].inserted, 2);
  EXPECT_TRUE(reports[0].committed && reports[1].committed);
  EXPECT_THAT(Export(Kind::kAccounts), HasSubstr("A1,Ærø Maskinfabrik A/S,,120,,DK,"));
  EXPECT_THAT(Export(Kind::kAccounts), HasSubstr("A2,Bergen Bygg AS,,40,,NO,"));
  // The close dates were serial numbers; the amount a number.
  EXPECT_THAT(Export(Kind::kOpportunities), HasSubstr("O1,A1,Hal 3,,negotiate,1234567.89,DKK,"));
  EXPECT_THAT(Export(Kind::kOpportunities), HasSubstr(",2025-04-30,"));
  EXPECT_THAT(Export(Kind::kOpportunities), HasSubstr(",2025-06-15,"));
}

TEST_F(TransferXlsxTest, AnErrorInOneSheetWritesNothingOfAnyAndNamesSheetRowAndColumn) {
  const std::string path = Workbook("Engaging");
  TransferService transfer(*store_, clock_);
  SB_ASSERT_OK_AND_ASSIGN(
      std::vector<ImportReport> reports,
      transfer.ImportWorkbook(
          path, {{"Companies", Kind::kAccounts}, {"Deals", Kind::kOpportunities}}, options_));
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_TRUE(reports[0].errors.empty());
  ASSERT_EQ(reports[1].errors.size(), 1u);
  EXPECT_THAT(reports[1].errors[0].ToString(),
              HasSubstr("crm.xlsx, sheet \"Deals\", row 3, column D: stage:"));
  EXPECT_FALSE(reports[0].committed);
  EXPECT_EQ(Count(false), 0);  // the Companies sheet was fine, and is not kept either
  EXPECT_EQ(Count(true), 0);

  // A value map fixes it; a dry run checks both and writes nothing.
  options_.value_map = "stage:Engaging=discover";
  options_.dry_run = true;
  SB_ASSERT_OK_AND_ASSIGN(
      reports,
      transfer.ImportWorkbook(
          path, {{"Companies", Kind::kAccounts}, {"Deals", Kind::kOpportunities}}, options_));
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_TRUE(reports[1].errors.empty()) << reports[1].errors[0].ToString();
  EXPECT_EQ(reports[1].inserted, 2);
  EXPECT_FALSE(reports[1].committed);
  EXPECT_EQ(Count(false), 0);
  EXPECT_EQ(Count(true), 0);
}

TEST_F(TransferXlsxTest, OneSheetByNameOrTheFirstThroughImportFile) {
  const std::string path = Workbook("propose");
  TransferService transfer(*store_, clock_);
  options_.sheet = "Companies";
  SB_ASSERT_OK_AND_ASSIGN(ImportReport accounts,
                          transfer.ImportFile(Kind::kAccounts, path, options_));
  EXPECT_EQ(accounts.inserted, 2);
  options_.sheet.clear();  // the first sheet: Deals
  SB_ASSERT_OK_AND_ASSIGN(ImportReport deals,
                          transfer.ImportFile(Kind::kOpportunities, path, options_));
  EXPECT_EQ(deals.sheet, "Deals");
  EXPECT_EQ(deals.inserted, 2);

  options_.sheet = "Kontakter";
  Result<ImportReport> missing = transfer.ImportFile(Kind::kContacts, path, options_);
  EXPECT_THAT(missing, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(missing.status().message(), HasSubstr("its sheets are \"Deals\", \"Companies\""));
  const std::string csv = (dir_ / "a.csv").string();
  std::ofstream(csv) << "name\nx\n";
  EXPECT_THAT(transfer.ImportFile(Kind::kAccounts, csv, options_),
              StatusIs(StatusCode::kInvalidArgument));
}

TEST_F(TransferXlsxTest, ASheetNamedTwiceOrMissingIsRefusedBeforeAnythingIsRead) {
  const std::string path = Workbook("propose");
  TransferService transfer(*store_, clock_);
  EXPECT_THAT(
      transfer.ImportWorkbook(
          path, {{"Deals", Kind::kOpportunities}, {"deals", Kind::kOpportunities}}, options_),
      StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(transfer.ImportWorkbook(path, {{"Companies", Kind::kAccounts}, {"X", Kind::kUsers}},
                                      options_),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(Count(false), 0);
}

// The XML of the part `part` of the zip at `path`.
std::string Part(const std::string& path, const std::string& part) {
  int error = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_RDONLY, &error);
  if (zip == nullptr) return "";
  zip_stat_t stat;
  std::string text;
  if (zip_stat(zip, part.c_str(), 0, &stat) == 0) {
    zip_file_t* file = zip_fopen(zip, part.c_str(), 0);
    text.resize(stat.size);
    zip_fread(file, text.data(), text.size());
    zip_fclose(file);
  }
  zip_discard(zip);
  return text;
}

TEST_F(TransferXlsxTest, ExportWritesNumbersDatesAFrozenFilteredHeaderAndNoFormulas) {
  const std::string path = Workbook("propose");
  TransferService transfer(*store_, clock_);
  SB_ASSERT_OK(
      transfer
          .ImportWorkbook(path, {{"Companies", Kind::kAccounts}, {"Deals", Kind::kOpportunities}},
                          options_)
          .status());
  Result<Opportunity> o1 = store_->opportunities().Get(OpportunityId{1});
  ASSERT_TRUE(o1.ok());
  o1->next_step = "=HYPERLINK(\"http://evil.example\",\"click\")";
  SB_ASSERT_OK(store_->opportunities().Update(*o1));
  const std::string csv_before = Export(Kind::kOpportunities);

  const std::string out = (dir_ / "opportunities.xlsx").string();
  std::unique_ptr<RowSink> sink = MakeXlsxSink(out, "opportunities");
  SB_ASSERT_OK(transfer.Export(Kind::kOpportunities, *sink));

  const std::string sheet = Part(out, "xl/worksheets/sheet1.xml");
  EXPECT_THAT(sheet, HasSubstr("state=\"frozen\""));
  EXPECT_THAT(sheet, HasSubstr("<autoFilter ref=\"A1:"));
  EXPECT_THAT(sheet, ::testing::Not(HasSubstr("<f>")));  // no cell is a formula
  EXPECT_THAT(Part(out, "xl/styles.xml"), HasSubstr("formatCode=\"yyyy-mm-dd\""));
  EXPECT_THAT(Part(out, "xl/styles.xml"), HasSubstr("formatCode=\"#,##0.00\""));
  EXPECT_THAT(sheet, HasSubstr("<t>'=HYPERLINK(\"http://evil.example\",\"click\")</t>"));

  // Read back by the importer: the same records, byte for byte in the CSV export.
  SB_ASSERT_OK_AND_ASSIGN(csv::XlsxWorkbook book, csv::XlsxWorkbook::Open(out));
  SB_ASSERT_OK_AND_ASSIGN(std::unique_ptr<csv::XlsxSheetReader> rows, book.Sheet(""));
  csv::CsvRecord header, first;
  ASSERT_TRUE(rows->Next(&header).value());
  ASSERT_TRUE(rows->Next(&first).value());
  EXPECT_EQ(header.fields[9], "close_date");
  EXPECT_EQ(first.fields[9], "2025-04-30");  // a date cell, read as a date
  EXPECT_EQ(first.fields[5], "1234567.89");
  options_.dry_run = false;
  SB_ASSERT_OK_AND_ASSIGN(ImportReport again,
                          transfer.ImportFile(Kind::kOpportunities, out, options_));
  EXPECT_TRUE(again.errors.empty()) << again.errors[0].ToString();
  EXPECT_EQ(again.unchanged, 2);
  EXPECT_EQ(Export(Kind::kOpportunities), csv_before);
}

TEST_F(TransferXlsxTest, ExportRefusesTextLongerThanACellHoldsNamingRowAndColumn) {
  Account account;
  account.external_id = "A1";
  account.name = std::string(40000, 'x');
  SB_ASSERT_OK(store_->accounts().Insert(account).status());
  const std::string out = (dir_ / "accounts.xlsx").string();
  TransferService transfer(*store_, clock_);
  Status status;
  {
    std::unique_ptr<RowSink> sink = MakeXlsxSink(out, "accounts");
    status = transfer.Export(Kind::kAccounts, *sink);
  }
  EXPECT_THAT(status, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(status.message(), HasSubstr("row 2, column B: the text is longer than the 32,767"));
}

}  // namespace
}  // namespace salesbox::service

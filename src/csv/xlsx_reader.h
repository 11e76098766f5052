// SPDX-License-Identifier: MIT
// XlsxWorkbook: the sheets of an Excel workbook (.xlsx, as Excel, LibreOffice, Google Sheets and
// other CRMs' exports write it) read as rows of text cells, the same records CsvReader gives, so
// a sheet goes through the same import rules as a CSV file.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "csv/csv_reader.h"
#include "csv/record_source.h"

namespace salesbox::csv {

struct XlsxOptions {
  // Cells longer than this (UTF-8 bytes) are refused, as CsvOptions::max_field_bytes.
  size_t max_field_bytes = kDefaultMaxFieldBytes;
};

// True if `path` names a file that starts like a zip archive (an .xlsx is one), whatever its
// name ends with; false when it cannot be read.
bool LooksLikeXlsx(const std::string& path);

class XlsxSheetReader;

// An opened workbook: its sheet names, shared strings and which cell styles are dates. The
// sheets are read one row at a time (memory does not grow with the sheet). Not thread-safe;
// each XlsxSheetReader keeps what it needs of the workbook alive.
class XlsxWorkbook {
 public:
  // Opens the workbook at `path`; `display_name` (default: `path`) is what messages call it.
  // kNotFound when there is no such file; kInvalidArgument naming the file when it is not an
  // XLSX workbook (not a zip archive, no workbook part, no sheet, broken XML in the workbook,
  // its styles or its shared strings, or a part over 256 MiB uncompressed).
  static Result<XlsxWorkbook> Open(const std::string& path, std::string display_name = "");

  const std::string& name() const;
  // In the workbook's order.
  const std::vector<std::string>& sheet_names() const;

  // A reader of the sheet called `sheet` (exact name, else ignoring case); kInvalidArgument
  // lists the sheets when there is none. An empty `sheet` means the first sheet.
  Result<std::unique_ptr<XlsxSheetReader>> Sheet(std::string_view sheet,
                                                 const XlsxOptions& options = {}) const;

  XlsxWorkbook(XlsxWorkbook&&) noexcept;
  XlsxWorkbook& operator=(XlsxWorkbook&&) noexcept;
  ~XlsxWorkbook();

  struct Data;  // private to xlsx_reader.cc

 private:
  explicit XlsxWorkbook(std::shared_ptr<Data> data);
  std::shared_ptr<Data> data_;
};

// The rows of one sheet. A row is a record whose `line` is the row number (1 = the first row;
// empty rows are skipped, as blank CSV lines are) and whose fields are the cells from column A
// to the last one with a value; missing cells are empty. Cell values as text:
//   shared and inline strings as they are (rich text runs joined, _xHHHH_ escapes decoded);
//   numbers without binary noise (0.1 + 0.2 is "0.3", whole numbers without ".0");
//   numbers in a date or time format as "YYYY-MM-DD", or "YYYY-MM-DDTHH:MM:SSZ" when they have a
//   time of day (the 1900 and 1904 date systems);
//   booleans as "true"/"false"; formulas as their cached result.
// A cell holding an error value (#N/A), a NUL character or more than max_field_bytes is refused
// with kInvalidArgument naming file, sheet, row and column; Next then goes on with the next row.
class XlsxSheetReader : public RecordSource {
 public:
  ~XlsxSheetReader() override;

  Result<bool> Next(CsvRecord* record) override;
  const std::string& name() const override;
  std::string_view sheet() const override { return sheet_; }
  std::string format() const override { return "xlsx"; }

  struct State;  // private to xlsx_reader.cc

 private:
  friend class XlsxWorkbook;
  XlsxSheetReader() = default;

  std::string sheet_;
  std::unique_ptr<State> state_;
};

}  // namespace salesbox::csv

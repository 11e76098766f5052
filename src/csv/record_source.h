// SPDX-License-Identifier: MIT
// RecordSource: rows of text cells from a file people bring, whatever its format (a CSV file, a
// sheet of an XLSX workbook), as the importer reads them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace salesbox::csv {

// One record. Fields are UTF-8; the views stay valid until the next call to Next.
struct CsvRecord {
  std::vector<std::string_view> fields;
  std::vector<int64_t> field_lines;  // 1-based line (CSV) or row (sheet) each field starts on
  int64_t line = 0;                  // 1-based physical line (CSV) or row number (sheet)

  // Internal storage for fields that needed unescaping or converting.
  std::string scratch;
};

class RecordSource {
 public:
  virtual ~RecordSource() = default;

  // Reads the next record into `*record`: true if one was read, false at the end. A malformed
  // record is kInvalidArgument with a message that names the file and the place; reading may
  // go on with the next record after it.
  virtual Result<bool> Next(CsvRecord* record) = 0;

  // What messages call the file.
  virtual const std::string& name() const = 0;
  // The sheet's name for a sheet of a workbook; empty for a CSV file.
  virtual std::string_view sheet() const { return {}; }
  // The field delimiter of a CSV file (a sheet: ',').
  virtual char delimiter() const { return ','; }
  // "utf-8", "windows-1252" ... for CSV; "xlsx" for a sheet.
  virtual std::string format() const = 0;
};

// "A", "B", ... "Z", "AA" ...: the spreadsheet name of 1-based column `column`.
std::string ColumnLetters(int64_t column);

}  // namespace salesbox::csv

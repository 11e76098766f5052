// SPDX-License-Identifier: MIT
// CsvReader: reads the CSV files people actually have (Excel in Nordic locales, Outlook, Salesforce
// and HubSpot exports) as a sequence of records of UTF-8 fields, with the line each field began on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "csv/record_source.h"

namespace salesbox::csv {

enum class Encoding { kUtf8, kUtf8Bom, kUtf16Le, kUtf16Be, kWindows1252 };

// "utf-8", "utf-8-bom", "utf-16le", "utf-16be", "windows-1252".
std::string_view EncodingName(Encoding encoding);

// The longest field CsvReader accepts by default: 64 KiB. A note or description is far shorter; a
// longer field is almost always a broken quote or a file that is not CSV.
inline constexpr size_t kDefaultMaxFieldBytes = 64 * 1024;

struct CsvOptions {
  // '\0' detects the delimiter from the first record: the most frequent of ',', ';', '\t' and
  // '|' outside quotes (ties: ';' over ',' over '\t' over '|'); ',' when none occurs. An Excel
  // "sep=X" first line sets it and is skipped.
  char delimiter = '\0';
  // Unset detects: a UTF-8 BOM; a UTF-16 BOM (converted); else UTF-8 if the whole input is valid
  // UTF-8; else Windows-1252 (a superset of Latin-1 for printable text), converted to UTF-8.
  std::optional<Encoding> encoding;
  // Fields longer than this (in UTF-8 bytes, after unquoting) are refused by Next.
  size_t max_field_bytes = kDefaultMaxFieldBytes;
};

// A CsvReader's records (CsvRecord, record_source.h) hold fields with quotes removed and ""
// unescaped; line endings inside quoted fields are kept as '\n'.

// Reads a whole CSV input into memory, decodes it to UTF-8 and splits it into records.
// Quoting follows RFC 4180 as Excel writes it: a field that starts with '"' is quoted and ends at
// the next lone '"'; "" inside is a quote; delimiters and CR/LF inside are data. A '"' inside an
// unquoted field is data. Records end at LF, CRLF or CR. Records whose fields are all empty
// (blank lines, ";;;;") are skipped. Not thread-safe; movable.
class CsvReader : public RecordSource {
 public:
  // Reads the file at `path`. kNotFound if it does not exist, kInvalidArgument if it cannot be
  // decoded (invalid UTF-16), kInternal on other I/O errors. `display_name` (default: `path`)
  // is what error messages call the file.
  static Result<CsvReader> Open(const std::string& path, const CsvOptions& options = {});
  // Reads `data` as if it were a file called `name`.
  static Result<CsvReader> FromString(std::string data, std::string name,
                                      const CsvOptions& options = {});

  const std::string& name() const override { return name_; }
  char delimiter() const override { return delimiter_; }
  Encoding encoding() const { return encoding_; }
  std::string format() const override { return std::string(EncodingName(encoding_)); }

  // Reads the next record into `*record`. Returns true if a record was read, false at the end.
  // A malformed record returns kInvalidArgument with "NAME:LINE:COLUMN: problem", where COLUMN
  // is the 1-based field number: an unterminated quoted field (reported at the line where it
  // started), a character other than a delimiter or line end after a closing quote, a field
  // holding a NUL byte, or a field longer than CsvOptions::max_field_bytes (both reported at the
  // line where the field starts). After an error the reader continues with the next line (after
  // a NUL or an over-long field: the next record), so callers can collect several errors.
  Result<bool> Next(CsvRecord* record) override;

  CsvReader(CsvReader&&) = default;
  CsvReader& operator=(CsvReader&&) = default;

 private:
  CsvReader() = default;

  std::string name_;
  std::string data_;  // the whole input, decoded to UTF-8, BOM removed
  size_t pos_ = 0;
  int64_t line_ = 1;
  char delimiter_ = ',';
  Encoding encoding_ = Encoding::kUtf8;
  size_t max_field_bytes_ = kDefaultMaxFieldBytes;
};

// Appends `field` to `*out` quoted as needed for `delimiter` (quotes when it holds the delimiter,
// '"', CR, LF, or leading/trailing blanks), so that CsvReader reads back exactly `field`.
void AppendCsvField(std::string_view field, char delimiter, std::string* out);

}  // namespace salesbox::csv

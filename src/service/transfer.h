// SPDX-License-Identifier: MIT
// Import and export of every record kind as CSV (and JSON on export): the formats users bring
// from Excel, Outlook and other CRMs, and the format salesbox writes back. Import and export use
// the same column table per kind, so what export writes, import reads back unchanged.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/money.h"
#include "common/result.h"
#include "common/time.h"
#include "csv/csv_reader.h"
#include "storage/store.h"

namespace salesbox::service {

enum class Kind {
  kUsers,
  kTeams,
  kSegments,
  kAccounts,
  kContacts,
  kCampaigns,
  kLeads,
  kOpportunities,
  kOpportunityHistory,
  kActivities,
  kOrders,
  kScorecardAnswers,
  kObjectives,
  kValuePropositions,
};

// Every kind, in an order in which each one's references are imported before it.
std::span<const Kind> AllKinds();
// "accounts", "opportunity-history" ...
std::string_view KindName(Kind kind);
// Accepts KindName and its singular/underscore forms; kInvalidArgument lists the kinds.
Result<Kind> ParseKind(std::string_view text);

// Describes one column of a kind's canonical CSV format (for --help and the README).
struct ColumnInfo {
  std::string_view name;
  std::string_view aliases;  // '|'-separated, normalised (lower-case letters and digits only)
  bool required;             // must have a value when a record is created
};
std::vector<ColumnInfo> Columns(Kind kind);

struct ImportOptions {
  // "our_field=Their Column,our_field2=Other Column": the file's header `Their Column` feeds the
  // canonical column `our_field`, in addition to the built-in aliases.
  std::string column_map;
  // Validate every row against the database and roll back, writing nothing.
  bool dry_run = false;
  csv::CsvOptions csv;
  // Unset: decimal comma when the file is ';'-delimited (Nordic Excel), otherwise decided per
  // value (see ParseDecimal).
  std::optional<DecimalSeparator> decimal;
  DateOrder date_order = DateOrder::kDayFirst;
  // For amounts in files without a currency column.
  Currency default_currency;  // XXX means "required in the file"
  // Errors reported before the import gives up looking for more.
  int max_errors = 50;
};

struct ImportError {
  std::string file;
  int64_t line = 0;    // 1-based
  int64_t column = 0;  // 1-based field number; 0 when the problem is the whole row or file
  std::string message;

  // "FILE:LINE:COLUMN: message" (":COLUMN" omitted when 0).
  std::string ToString() const;
};

struct ImportReport {
  Kind kind = Kind::kAccounts;
  int64_t rows = 0;  // data rows read
  int64_t inserted = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;  // rows whose record already held exactly these values
  std::vector<ImportError> errors;  // non-empty: nothing was written
  bool more_errors = false;         // stopped looking after ImportOptions::max_errors
  std::vector<std::string> ignored_columns;  // header names matching no column
  char delimiter = ',';
  std::string encoding;
  bool committed = false;  // true iff the rows are now in the database
};

// Writes rows of one kind; implemented for CSV and JSON below.
class RowSink {
 public:
  virtual ~RowSink() = default;
  virtual Status Begin(std::span<const std::string_view> columns,
                       std::span<const bool> numeric) = 0;
  virtual Status Row(std::span<const std::string> values) = 0;
  virtual Status End() = 0;
};

// CSV with ',' delimiter, header line, LF line ends, UTF-8 without BOM, fields quoted as needed.
std::unique_ptr<RowSink> MakeCsvSink(std::function<void(std::string_view)> write);
// A JSON array of objects; numeric columns as numbers, empty values as null, others as strings.
std::unique_ptr<RowSink> MakeJsonSink(std::function<void(std::string_view)> write);

class TransferService {
 public:
  // `store` and `clock` must outlive the service.
  TransferService(storage::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Imports `reader`'s records as `kind`, all or nothing: the report's errors name file, line
  // and column of every problem found (up to max_errors) and then nothing is written. Records
  // whose key (external_id; users: email; teams: name) exists are updated, and only the columns
  // present in the file change. Returns a non-OK status only when the database fails.
  Result<ImportReport> Import(Kind kind, csv::CsvReader& reader, const ImportOptions& options);

  // Opens `path` (kNotFound, kInvalidArgument for undecodable files) and imports it.
  Result<ImportReport> ImportFile(Kind kind, const std::string& path,
                                  const ImportOptions& options);

  // Writes every record of `kind`, ordered by id, in the canonical columns.
  Status Export(Kind kind, RowSink& sink);

 private:
  storage::Store& store_;
  const Clock& clock_;
};

}  // namespace salesbox::service

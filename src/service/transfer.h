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
#include "csv/record_source.h"
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

// How a file's columns and values become salesbox's: what --map, --values, --set and --name
// say, and what a saved mapping file holds (ParseImportMapping). Column names on our side are
// canonical column names; names and values on the file's side are compared after NormalizeName
// (case, blanks and punctuation do not matter).
struct ImportMapping {
  // (our column, the file's header): the file's column feeds ours instead of the built-in
  // aliases. Mapping one file column to two of ours, a column the file does not have, or taking
  // away the column that would have been the key are errors.
  std::vector<std::pair<std::string, std::string>> columns;
  // Value maps: in `column`, the file's value `theirs` means `ours` ("Engaging" -> "discover").
  // Values not listed are read as they are.
  struct ValueMap {
    std::string column, theirs, ours;
  };
  std::vector<ValueMap> values;
  // (our column, template): the column gets this value on every row, instead of any file column
  // that would have fed it. "{Their Column}" in the template is that column's cell on the row
  // ("{product} - {account}"); "{{" and "}}" are literal braces.
  std::vector<std::pair<std::string, std::string>> constants;
  // A mapping file's "date_order" ("dmy", "mdy" or "ymd"); the caller decides whether it
  // replaces ImportOptions::date_order (the CLI: unless --date-order is given).
  std::optional<DateOrder> date_order;
};

// Reads a saved mapping (a JSON object; `name` names it in messages):
//   {"columns": {"name": "Opportunity Name"},
//    "values": {"stage": {"Engaging": "discover", "Prospecting": "qualify"}},
//    "set": {"currency": "USD", "name": "{product} - {account}"},
//    "date_order": "mdy"}
// Every key is optional. kInvalidArgument names the file and the problem (unknown keys too, so a
// typo is not silently ignored).
Result<ImportMapping> ParseImportMapping(std::string_view json, std::string_view name);
// Reads the mapping file at `path`: kNotFound, or ParseImportMapping's errors.
Result<ImportMapping> LoadImportMapping(const std::string& path);

// Parses a --date-order value: "dmy", "mdy" or "ymd" (kInvalidArgument says which are accepted).
Result<DateOrder> ParseDateOrder(std::string_view text);

// The standard export files of other CRMs that --preset knows (transfer_presets.cc).
enum class Preset { kSalesforce, kHubSpot, kPipedrive, kDynamics };
// "salesforce", "hubspot", "pipedrive" or "dynamics"; kInvalidArgument lists them.
Result<Preset> ParsePreset(std::string_view name);
// Which of the preset's headers feed which of `kind`'s columns, and its value maps (stage,
// status and type names); empty for a kind it has no export of.
ImportMapping PresetMapping(Preset preset, Kind kind);

struct ImportOptions {
  // "our_field=Their Column,our_field2=Other Column": the file's header `Their Column` feeds the
  // canonical column `our_field`, in addition to the built-in aliases.
  std::string column_map;
  // "stage:Engaging=discover,Prospecting=qualify;source:Olark Chat=web": value maps per column
  // (';' between columns, ',' between values; see ImportMapping::values).
  std::string value_map;
  // "role=rep,currency=USD": constant columns (see ImportMapping::constants).
  std::string constants;
  // From a mapping file; the three options above add to it.
  ImportMapping mapping;
  // A CRM's export format: its headers feed their columns when the file has them (the mapping
  // and --map win; a preset header the file lacks is no error) and its value maps apply after
  // the mapping's.
  std::optional<Preset> preset;
  // Validate every row against the database and roll back, writing nothing.
  bool dry_run = false;
  csv::CsvOptions csv;
  // Unset: decimal comma when the file is ';'-delimited (Nordic Excel), otherwise decided per
  // value (see ParseDecimal).
  std::optional<DecimalSeparator> decimal;
  // Dates that are not ISO: the order of day, month and year. Two-digit years are accepted:
  // 00-68 are 2000-2068, 69-99 are 1969-1999.
  DateOrder date_order = DateOrder::kDayFirst;
  // For amounts in files without a currency column.
  Currency default_currency;  // XXX means "required in the file"
  // At most this many errors are reported; then the import stops looking for more.
  int max_errors = 50;
  // An XLSX workbook's sheet to read (exact name, else ignoring case); empty: the first.
  std::string sheet;
  // Several sheets at once (ImportWorkbook sets it): --map, --set and --values naming a column
  // of another kind are for that kind's sheet, not an error in this one.
  bool other_kinds_columns = false;
};

// Owners known only by name (an owner column holding "Kim Larsen" rather than an e-mail) are
// matched to users by name; an owner no user has is created as a user with role rep, no
// password and the address "<name>@no-email.invalid" (users.email is unique and required, and
// the .invalid domain can never receive mail), so the user cannot sign in until an admin gives
// them their e-mail address and a password. Importing users later with that name and a real
// e-mail updates this user instead of adding a second one. An unknown e-mail address is an
// error, as before: a typo must not become a user.
inline constexpr std::string_view kNoEmailDomain = "no-email.invalid";

struct ImportError {
  std::string file;
  int64_t line = 0;    // 1-based line (CSV) or row (a sheet of a workbook)
  int64_t column = 0;  // 1-based field number; 0 when the problem is the whole row or file
  std::string message;
  std::string sheet;  // a workbook's sheet; empty for CSV

  // CSV: "FILE:LINE:COLUMN: message" (":COLUMN" omitted when 0). A sheet:
  // "FILE, sheet "NAME", row LINE, column LETTERS: message" (", column" omitted when 0).
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
  // Owners the file names but no user has: "Name <placeholder e-mail>" of each user the import
  // created, or would create in a dry run (see kNoEmailDomain), in the order first met. Empty
  // when there are errors.
  std::vector<std::string> created_users;
  char delimiter = ',';
  std::string encoding;    // "utf-8", "windows-1252" ...; "xlsx" for a sheet of a workbook
  std::string sheet;       // the sheet read, for a workbook
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
// A text cell starting with = + - @ (or a tab or CR) gets an apostrophe in front, so that a
// spreadsheet shows it as text instead of running it as a formula; import takes the apostrophe
// off again (it removes one apostrophe before those characters), so export -> import stays
// lossless. Numeric columns are written as they are.
std::unique_ptr<RowSink> MakeCsvSink(std::function<void(std::string_view)> write);
// A JSON array of objects; numeric columns as numbers, empty values as null, others as strings.
std::unique_ptr<RowSink> MakeJsonSink(std::function<void(std::string_view)> write);
// An XLSX workbook at `path` (written by End) with one sheet `sheet`: a bold, frozen header row
// with an autofilter; numeric columns as numbers (with a decimal point: format #,##0.00); dates
// and timestamps as dates (yyyy-mm-dd, yyyy-mm-dd hh:mm); other cells as text, never as
// formulas: a text starting with = + - @ gets an apostrophe in front, as in CSV, which import
// takes off again. kInvalidArgument for a
// text over Excel's 32,767 characters or more rows than a sheet holds; kUnavailable when the
// file cannot be written. Import reads the file back to the same values.
std::unique_ptr<RowSink> MakeXlsxSink(std::string path, std::string sheet);

class TransferService {
 public:
  // `store` and `clock` must outlive the service.
  TransferService(storage::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Imports `reader`'s records as `kind`, all or nothing: the report's errors name file, line
  // and column of every problem found (up to max_errors) and then nothing is written. Records
  // whose key (external_id; users: email; teams: name) exists are updated, and only the columns
  // present in the file change; a key given twice in the file is an error. Accounts without an
  // external_id are matched by org_number, else by a name only one account has (several: an
  // error). Returns a non-OK status only when the database fails.
  Result<ImportReport> Import(Kind kind, csv::RecordSource& reader, const ImportOptions& options);

  // Opens `path` (kNotFound, kInvalidArgument for undecodable files) and imports it: an XLSX
  // workbook (a zip archive, whatever its name) by its sheet `options.sheet` (default: the
  // first), anything else as CSV.
  Result<ImportReport> ImportFile(Kind kind, const std::string& path,
                                  const ImportOptions& options);

  // Imports several sheets of the workbook at `path` at once, all or nothing: each (sheet, kind)
  // in the order of AllKinds (references first), in one transaction; if any sheet has errors
  // (or options.dry_run), nothing of any sheet is written. Checking stops after the first sheet
  // with errors (the later ones would be checked against a rolled-back database). One report
  // per sheet checked, in the order imported; `committed` is true on all of them or none.
  // kInvalidArgument for a sheet the workbook lacks or a sheet given twice.
  Result<std::vector<ImportReport>> ImportWorkbook(
      const std::string& path, const std::vector<std::pair<std::string, Kind>>& sheets,
      const ImportOptions& options);

  // Writes every record of `kind`, ordered by id, in the canonical columns.
  Status Export(Kind kind, RowSink& sink);

 private:
  storage::Store& store_;
  const Clock& clock_;
};

}  // namespace salesbox::service

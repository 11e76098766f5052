// SPDX-License-Identifier: MIT
// TransferService: the import and export engines over the per-kind column tables
// (transfer_kinds.cc), the reference lookups, and the CSV and JSON row sinks.
//
// Design notes (import):
// (1) All or nothing. The whole file is read inside one Store::Transact. Rows are written as they
//     are read, so memory stays bounded; after the first error nothing more is written but rows are
//     still checked (up to max_errors) so the user sees every problem at once, and the
//     transaction is rolled back. --dry-run is the same run, always rolled back, so it also finds
//     what only the database can tell (a duplicate e-mail, a missing reference).
// (2) Updates touch only the columns present in the file: an existing record (found by its
//     natural key) is loaded and the row's cells are applied to it, so a file with just
//     external_id and stage moves stages and changes nothing else. A record the row leaves as it
//     was is not written at all (counted as unchanged), so re-importing a file is cheap.
// (3) A row is parsed into a fresh record first, because the key may depend on several cells
//     (opportunity history: opportunity + changed_at); only then is the stored record looked up
//     and the cells applied again on top of it.
// (4) Database errors caused by the data (duplicate key, missing reference, check constraint)
//     are reported against the row; others (busy, I/O) end the import with their status.
// (5) A key may occur once per file: a second row with it is an error naming the first row's
//     line, never a silent overwrite. Rows without a key (accounts without external_id) find
//     their stored record by a strong identifier (org number), else by a name exactly one
//     record has; a name several records share is refused with advice rather than guessed, so
//     re-importing a file without ids updates instead of doubling.
// (6) The error list stops at max_errors exactly, even within a row.
#include "service/transfer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>

#include <xlsxwriter.h>
#include <nlohmann/json.hpp>

#include "common/check.h"
#include "common/json_text.h"
#include "common/status_macros.h"
#include "csv/csv_reader.h"
#include "csv/xlsx_reader.h"
#include "service/transfer_internal.h"

namespace salesbox::service {

using internal::ColumnSpec;
using internal::KindSpec;
using internal::Lookups;
using internal::ParseContext;

namespace {

// Users come before teams: a user's team is created when it does not exist yet, and a team's
// manager must be a user.
constexpr Kind kAllKinds[] = {
    Kind::kUsers,         Kind::kTeams,
    Kind::kSegments,      Kind::kAccounts,      Kind::kContacts,
    Kind::kCampaigns,     Kind::kLeads,
    Kind::kOpportunities, Kind::kOpportunityHistory,
    Kind::kActivities,    Kind::kOrders,
    Kind::kScorecardAnswers, Kind::kObjectives,
    Kind::kValuePropositions,
};

// Calls `f(spec)` with the column table of `kind`.
template <typename F>
auto WithSpec(Kind kind, F&& f) {
  switch (kind) {
    case Kind::kTeams:
      return f(internal::TeamSpec());
    case Kind::kSegments:
      return f(internal::SegmentSpec());
    case Kind::kUsers:
      return f(internal::UserSpec());
    case Kind::kAccounts:
      return f(internal::AccountSpec());
    case Kind::kContacts:
      return f(internal::ContactSpec());
    case Kind::kCampaigns:
      return f(internal::CampaignSpec());
    case Kind::kLeads:
      return f(internal::LeadSpec());
    case Kind::kOpportunities:
      return f(internal::OpportunitySpec());
    case Kind::kOpportunityHistory:
      return f(internal::OpportunityChangeSpec());
    case Kind::kActivities:
      return f(internal::ActivitySpec());
    case Kind::kOrders:
      return f(internal::OrderSpec());
    case Kind::kScorecardAnswers:
      return f(internal::ScorecardAnswerSpec());
    case Kind::kObjectives:
      return f(internal::ObjectiveSpec());
    case Kind::kValuePropositions:
      return f(internal::ValuePropositionSpec());
  }
  return f(internal::AccountSpec());
}

// A text cell that a spreadsheet would run as a formula (= + - @, or a tab or CR before one):
// CSV export puts an apostrophe in front, which Excel and LibreOffice show as "text" and hide
// (OWASP's advice against CSV injection). A cell that already starts with an apostrophe before
// such a character gets a second one, so that import, which takes one apostrophe off such
// cells, reads back exactly what was stored.
bool StartsLikeFormula(std::string_view cell) {
  return !cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos;
}
bool NeedsNeutralising(std::string_view cell) {
  return StartsLikeFormula(cell) ||
         (cell.size() > 1 && cell.front() == '\'' && StartsLikeFormula(cell.substr(1)));
}
bool IsNeutralisedFormula(std::string_view cell) {
  return cell.size() > 1 && cell.front() == '\'' && StartsLikeFormula(cell.substr(1));
}

// The status Transact returns when the importer itself chose to roll back.
constexpr std::string_view kRolledBack = "import rolled back";

bool IsDataError(StatusCode code) {
  return code == StatusCode::kInvalidArgument || code == StatusCode::kAlreadyExists ||
         code == StatusCode::kNotFound || code == StatusCode::kFailedPrecondition;
}

// A --set value: literal text and the file columns it copies.
struct Template {
  struct Part {
    std::string literal;
    int64_t column = -1;  // >= 0: the row's cell in this file column instead
  };
  std::vector<Part> parts;
  std::string text;           // as given, for messages
  int64_t first_column = -1;  // the first file column it copies; -1: a plain constant
};

// One column the importer applies to each row.
struct PlanItem {
  size_t index;       // spec column
  int64_t column;     // file column; -1 for a constant
  int constant = -1;  // index into Importer::constants_
};

template <typename T, typename IdT>
class Importer {
 public:
  Importer(const KindSpec<T, IdT>& spec, storage::Store& store, const Clock& clock,
           const ImportOptions& options, csv::RecordSource& reader, ImportReport& report)
      : spec_(spec),
        store_(store),
        options_(options),
        reader_(reader),
        report_(report),
        lookups_(store),
        now_(clock.Now()) {
    context_.lookups = &lookups_;
    context_.date_order = options.date_order;
    context_.default_currency = options.default_currency;
    context_.occurrences = &occurrences_;
    context_.store = &store;
    context_.now = now_;
    context_.create_owners = true;
    context_.decimal = options.decimal.value_or(
        reader.delimiter() == ';' ? DecimalSeparator::kComma : DecimalSeparator::kAuto);
  }

  Status Run() {
    csv::CsvRecord header;
    Result<bool> has_header = reader_.Next(&header);
    if (!has_header.ok()) {
      AddRawError(has_header.status().message());
      return Status::Ok();
    }
    if (!*has_header) {
      AddError(1, 0, "the file is empty; expected a header line naming the columns");
      return Status::Ok();
    }
    MapColumns(header);
    if (!report_.errors.empty()) return Status::Ok();

    Status status = store_.Transact([this](storage::Store& store) { return ImportRows(store); });
    if (report_.errors.empty()) report_.created_users = lookups_.created_users();
    if (status.ok()) {
      report_.committed = true;
      return Status::Ok();
    }
    if (status.code() == StatusCode::kAborted && status.message() == kRolledBack) {
      return Status::Ok();
    }
    return status;
  }

 private:
  // Errors beyond max_errors are dropped (and more_errors says so): a row can hold several.
  void AddError(int64_t line, int64_t column, std::string message) {
    if (TooManyErrors()) return;
    report_.errors.push_back(ImportError{reader_.name(), line, column, std::move(message),
                                         std::string(reader_.sheet())});
  }
  void AddRawError(std::string message) {
    if (TooManyErrors()) return;
    report_.errors.push_back(ImportError{"", 0, 0, std::move(message), {}});
  }
  bool TooManyErrors() {
    if (static_cast<int>(report_.errors.size()) < options_.max_errors) return false;
    report_.more_errors = true;
    return true;
  }

  // The spec column called `ours` (compared after NormalizeName); columns.size() with an error
  // naming `option` when there is none.
  size_t SpecColumn(std::string_view ours, std::string_view option) {
    const auto& columns = spec_.columns;
    const std::string n = internal::NormalizeName(ours);
    for (size_t i = 0; i < columns.size(); ++i) {
      if (internal::NormalizeName(columns[i].name) == n) return i;
    }
    if (options_.other_kinds_columns) {
      // Several sheets at once: an option for another sheet's kind is not for this one.
      for (Kind kind : AllKinds()) {
        for (const ColumnInfo& column : Columns(kind)) {
          if (internal::NormalizeName(column.name) == n) return columns.size();
        }
      }
    }
    std::string message = std::string(option) + ": \"" + std::string(internal::Trim(ours)) +
                          "\" is not a column of " + std::string(KindName(spec_.kind)) +
                          "; the columns are";
    for (const auto& c : columns) {
      message += ' ';
      message += c.name;
    }
    AddRawError(std::move(message));
    return columns.size();
  }

  // The spec column a header name feeds by itself (canonical name, then aliases).
  size_t AutoColumn(const std::string& normalized) const {
    const auto& columns = spec_.columns;
    if (normalized.empty()) return columns.size();
    for (size_t i = 0; i < columns.size(); ++i) {
      if (internal::NormalizeName(columns[i].name) == normalized) return i;
    }
    for (size_t i = 0; i < columns.size(); ++i) {
      if (internal::MatchesAlias(normalized, columns[i].aliases)) return i;
    }
    return columns.size();
  }

  // The file column whose header is `theirs` (after NormalizeName); -1 when none is.
  int64_t HeaderColumn(std::string_view theirs) const {
    const std::string n = internal::NormalizeName(theirs);
    for (size_t j = 0; j < header_names_.size(); ++j) {
      if (!n.empty() && header_names_[j] == n) return static_cast<int64_t>(j);
    }
    return -1;
  }

  std::string HeaderList() const {
    std::string list;
    for (const std::string& name : header_) list += (list.empty() ? "" : ", ") + name;
    return list;
  }

  // Parses a --set template ("{product} - {account}") against the header; false (error added)
  // when it names a column the file does not have or its braces do not pair.
  bool ParseTemplate(std::string_view column, std::string_view text, Template& out) {
    const std::string where = "--set " + std::string(column) + ": ";
    std::string literal;
    for (size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
        literal += c;
        ++i;
        continue;
      }
      if (c == '}') {
        AddRawError(where + "a '}' without its '{' in \"" + std::string(text) +
                    "\" (write }} for a brace)");
        return false;
      }
      if (c != '{') {
        literal += c;
        continue;
      }
      const size_t close = text.find('}', i + 1);
      if (close == std::string_view::npos) {
        AddRawError(where + "a '{' without its '}' in \"" + std::string(text) +
                    "\" (write {{ for a brace)");
        return false;
      }
      const std::string_view name = text.substr(i + 1, close - i - 1);
      const int64_t file_column = HeaderColumn(name);
      if (file_column < 0) {
        AddError(header_line_, 0,
                 where + "the file has no column \"" + std::string(name) + "\" (in {" +
                     std::string(name) + "}); its columns are " + HeaderList());
        return false;
      }
      if (!literal.empty()) out.parts.push_back({std::move(literal), -1});
      literal.clear();
      out.parts.push_back({std::string(), file_column});
      if (out.first_column < 0) out.first_column = file_column;
      i = close;
    }
    if (!literal.empty()) out.parts.push_back({std::move(literal), -1});
    return true;
  }

  // Maps each header cell to a column of the spec (explicit --map first, then names and
  // aliases), adds constant columns and value maps, and plans the order in which cells are
  // applied. Mapping mistakes are errors: a column mapped to two fields, a mapped column the
  // file does not have, a mapping that takes the key column away.
  void MapColumns(const csv::CsvRecord& header) {
    const auto& columns = spec_.columns;
    const size_t none = columns.size();
    header_size_ = header.fields.size();
    header_.assign(header.fields.begin(), header.fields.end());
    header_line_ = header.line;
    header_names_.clear();
    for (std::string_view name : header.fields)
      header_names_.push_back(internal::NormalizeName(name));

    ImportMapping mapping = options_.mapping;
    ParsePairs(options_.column_map, "--map", "our_field=Their Column", mapping.columns);
    ParseValueMapText(options_.value_map, mapping);
    ParsePairs(options_.constants, "--set", "field=value", mapping.constants);

    // --map: spec column <-> file column.
    std::vector<int64_t> mapped_column(columns.size(), -1);        // per spec column
    std::vector<size_t> mapped_field(header_names_.size(), none);  // per file column
    for (const auto& [ours, theirs] : mapping.columns) {
      const size_t i = SpecColumn(ours, "--map");
      if (i == none) continue;
      const int64_t j = HeaderColumn(theirs);
      const std::string name(columns[i].name);
      if (j < 0) {
        AddError(header_line_, 0,
                 "--map: the file has no column \"" + std::string(internal::Trim(theirs)) +
                     "\" (for " + name + "); its columns are " + HeaderList());
        continue;
      }
      const int64_t line = header.field_lines[j];
      if (mapped_field[j] != none && mapped_field[j] != i) {
        AddError(line, j + 1,
                 "--map: column \"" + header_[j] + "\" is mapped to both " +
                     std::string(columns[mapped_field[j]].name) + " and " + name +
                     "; a column feeds one field (use --set with {" + header_[j] + "} to copy it)");
        continue;
      }
      if (mapped_column[i] >= 0 && mapped_column[i] != j) {
        AddError(line, j + 1,
                 "--map: " + name + " is mapped to both \"" + header_[mapped_column[i]] +
                     "\" and \"" + header_[j] + "\"");
        continue;
      }
      mapped_field[j] = i;
      mapped_column[i] = j;
    }

    // --preset: the CRM's headers, where the file has them and nothing above maps them.
    if (options_.preset) {
      const ImportMapping preset = PresetMapping(*options_.preset, spec_.kind);
      for (const auto& [ours, theirs] : preset.columns) {
        size_t i = 0;
        while (i < columns.size() && columns[i].name != ours) ++i;
        SB_CHECK(i < columns.size());  // the preset tables name canonical columns
        const int64_t j = HeaderColumn(theirs);
        if (j < 0 || mapped_field[j] != none || mapped_column[i] >= 0) continue;
        mapped_field[j] = i;
        mapped_column[i] = j;
      }
      mapping.values.insert(mapping.values.end(), preset.values.begin(), preset.values.end());
    }

    // --set: constant columns and templates.
    constants_.clear();
    std::vector<int> constant_of(columns.size(), -1);
    for (const auto& [ours, text] : mapping.constants) {
      const size_t i = SpecColumn(ours, "--set");
      if (i == none) continue;
      const std::string name(columns[i].name);
      if (constant_of[i] >= 0) {
        AddRawError("--set: " + name + " is set twice");
        continue;
      }
      if (mapped_column[i] >= 0) {
        AddRawError("--set " + name + ": --map also gives " + name + " the column \"" +
                    header_[mapped_column[i]] + "\"; use one of them");
        continue;
      }
      Template constant;
      constant.text = text;
      if (!ParseTemplate(name, text, constant)) continue;
      constant_of[i] = static_cast<int>(constants_.size());
      constants_.push_back(std::move(constant));
    }

    // --values.
    value_maps_.assign(columns.size(), {});
    for (const ImportMapping::ValueMap& value : mapping.values) {
      const size_t i = SpecColumn(value.column, "--values");
      if (i == none) continue;
      value_maps_[i].emplace_back(internal::NormalizeName(value.theirs), value.ours);
    }

    std::vector<int64_t> file_column(columns.size(), -1);
    for (size_t j = 0; j < header_names_.size(); ++j) {
      if (header_names_[j].empty()) continue;
      size_t found = mapped_field[j];
      if (found == none) {
        found = AutoColumn(header_names_[j]);
        // A field given by --map or --set ignores the column that would have fed it.
        if (found != none && (mapped_column[found] >= 0 || constant_of[found] >= 0)) found = none;
      }
      if (found == none) {
        report_.ignored_columns.emplace_back(header.fields[j]);
        continue;
      }
      if (file_column[found] >= 0) {
        AddError(header.field_lines[j], static_cast<int64_t>(j) + 1,
                 "column \"" + std::string(header.fields[j]) + "\" and column \"" +
                     std::string(header.fields[file_column[found]]) + "\" both give " +
                     std::string(columns[found].name) + "; remove one or use --map");
        continue;
      }
      file_column[found] = static_cast<int64_t>(j);
    }

    // A mapping must not take the key away: re-importing the file would double every record.
    for (size_t k = 0; k < columns.size(); ++k) {
      if (columns[k].name != spec_.key_columns || file_column[k] >= 0 || constant_of[k] >= 0) {
        continue;
      }
      for (size_t j = 0; j < header_names_.size(); ++j) {
        if (mapped_field[j] == none || mapped_field[j] == k) continue;
        if (AutoColumn(header_names_[j]) != k) continue;
        AddError(header.field_lines[j], static_cast<int64_t>(j) + 1,
                 "--map: column \"" + header_[j] + "\" is the key " + std::string(columns[k].name) +
                     ", but --map makes it " + std::string(columns[mapped_field[j]].name) +
                     "; without a key, importing the file again doubles every " +
                     std::string(spec_.what) + " (map another column to " +
                     std::string(columns[k].name) + ", or use --set with {" + header_[j] +
                     "} to copy it)");
      }
    }

    present_.assign(columns.size(), false);
    for (int pass = 0; pass < 2; ++pass) {
      for (size_t i = 0; i < columns.size(); ++i) {
        if ((file_column[i] >= 0 || constant_of[i] >= 0) && columns[i].early == (pass == 0)) {
          plan_.push_back(PlanItem{i, file_column[i], constant_of[i]});
          present_[i] = true;
        }
      }
    }
    constant_failed_.assign(constants_.size(), false);
    file_column_ = std::move(file_column);
  }

  // "a=b,c=d" (--map, --set): the (a, b) pairs, appended to `out`; an item without '=' is an
  // error saying `option` takes the `form`.
  void ParsePairs(std::string_view text, std::string_view option, std::string_view form,
                  std::vector<std::pair<std::string, std::string>>& out) {
    for (std::string_view item : Split(text, ',')) {
      const size_t eq = item.find('=');
      if (eq == std::string_view::npos) {
        AddRawError(std::string(option) + ": \"" + std::string(item) + "\" is not of the form " +
                    std::string(form));
        continue;
      }
      out.emplace_back(internal::Trim(item.substr(0, eq)), internal::Trim(item.substr(eq + 1)));
    }
  }

  // "field:Their value=our_value,...;field2:...": --values.
  void ParseValueMapText(std::string_view text, ImportMapping& mapping) {
    for (std::string_view group : Split(text, ';')) {
      const size_t colon = group.find(':');
      if (colon == std::string_view::npos) {
        AddRawError("--values: \"" + std::string(group) +
                    "\" is not of the form field:Their value=our_value,...");
        continue;
      }
      const std::string column(internal::Trim(group.substr(0, colon)));
      std::vector<std::pair<std::string, std::string>> pairs;
      ParsePairs(group.substr(colon + 1), "--values " + column, "Their value=our_value", pairs);
      for (auto& [theirs, ours] : pairs) {
        mapping.values.push_back(ImportMapping::ValueMap{column, std::move(theirs), std::move(ours)});
      }
    }
  }

  // The trimmed, non-empty items of `text` between `separator`s.
  static std::vector<std::string_view> Split(std::string_view text, char separator) {
    std::vector<std::string_view> items;
    while (!text.empty()) {
      const size_t at = text.find(separator);
      std::string_view item = internal::Trim(text.substr(0, at));
      text = at == std::string_view::npos ? std::string_view() : text.substr(at + 1);
      if (!item.empty()) items.push_back(item);
    }
    return items;
  }

  // The cell a plan item gives on `row`: the file's cell, or the constant expanded (into
  // `scratch`), with an apostrophe export added taken off.
  std::string_view CellOf(const PlanItem& item, const csv::CsvRecord& row, std::string& scratch) {
    auto field = [&row](int64_t column) {
      return static_cast<size_t>(column) < row.fields.size() ? internal::Trim(row.fields[column])
                                                             : std::string_view();
    };
    std::string_view cell;
    if (item.constant >= 0) {
      scratch.clear();
      for (const Template::Part& part : constants_[item.constant].parts) {
        scratch += part.column >= 0 ? field(part.column) : std::string_view(part.literal);
      }
      cell = internal::Trim(scratch);
    } else {
      cell = field(item.column);
    }
    if (IsNeutralisedFormula(cell)) cell.remove_prefix(1);  // see MakeCsvSink
    return cell;
  }

  // Applies the row's cells to `record`; returns false if any cell was wrong (errors added).
  bool ApplyCells(const csv::CsvRecord& row, T& record, bool report) {
    bool ok = true;
    context_.BeginRow();
    for (const PlanItem& item : plan_) {
      const ColumnSpec<T>& spec = spec_.columns[item.index];
      std::string_view cell = CellOf(item, row, constant_cell_);
      std::string_view mapped_from;
      const auto& value_map = value_maps_[item.index];
      const std::string normalized =
          value_map.empty() ? std::string() : internal::NormalizeName(cell);
      for (const auto& [theirs, ours] : value_map) {
        if (theirs == normalized) {
          mapped_from = cell;
          cell = ours;
          break;
        }
      }
      // Where a problem is reported: the file's cell, or a constant's first column.
      const int64_t column =
          item.constant >= 0 ? constants_[item.constant].first_column : item.column;
      auto fail = [&](std::string problem) {
        ok = false;
        if (!report) return;
        if (item.constant >= 0) {
          // A constant without columns fails alike on every row: once is enough.
          if (constants_[item.constant].first_column < 0) {
            if (constant_failed_[item.constant]) return;
            constant_failed_[item.constant] = true;
          }
          problem +=
              " (from --set " + std::string(spec.name) + "=" + constants_[item.constant].text + ")";
        }
        if (!mapped_from.empty()) {
          problem += " (--values maps \"" + std::string(mapped_from) + "\" to it)";
        }
        AddError(RowLine(row, column), column + 1, std::string(spec.name) + ": " + problem);
      };
      if (cell.empty() && spec.required) {
        fail("a value is required");
        continue;
      }
      Status status = spec.parse(cell, record, context_);
      if (!status.ok()) fail(status.message());
    }
    return ok;
  }

  // Completes `record` with the kind's cross-field rules; false (error added) if they fail.
  bool Finish(const csv::CsvRecord& row, T& record) {
    if (spec_.finish == nullptr) return true;
    Status finished = spec_.finish(record, context_, ToDate(now_));
    if (finished.ok()) return true;
    // A rule about one column (the status names it as its field) points at that column.
    for (const PlanItem& item : plan_) {
      const int64_t column =
          item.constant >= 0 ? constants_[item.constant].first_column : item.column;
      if (!finished.field().empty() && spec_.columns[item.index].name == finished.field()) {
        AddError(RowLine(row, column), column + 1, finished.message());
        return false;
      }
    }
    AddError(row.line, 0, finished.message());
    return false;
  }

  // The trimmed cell in file column `column` (0-based) of `row`; "" when the row is shorter.
  static std::string Cell(const csv::CsvRecord& row, int64_t column) {
    if (column < 0 || static_cast<size_t>(column) >= row.fields.size()) return std::string();
    return std::string(internal::Trim(row.fields[column]));
  }

  static int64_t RowLine(const csv::CsvRecord& row, int64_t column) {
    return static_cast<size_t>(column) < row.field_lines.size() ? row.field_lines[column]
                                                                : row.line;
  }

  Status LoadKeys(storage::Repository<T, IdT>& repository) {
    storage::ListQuery all;
    return repository.Scan(all, [this](const T& record) {
      std::string key = spec_.key(record);
      if (!key.empty()) keys_.emplace(std::move(key), record.id);
      IndexWithoutKey(record, record.id);
      if (spec_.adoptable_name != nullptr) {
        std::string name = spec_.adoptable_name(record);
        if (!name.empty()) {
          auto [it, fresh] = adoptable_.try_emplace(std::move(name), record.id);
          if (!fresh) it->second = IdT{-1};  // several placeholders of one name: adopt none
        }
      }
      return Status::Ok();
    });
  }

  // Remembers how a row without a key can find `record` (spec_.strong_key and name_key).
  void IndexWithoutKey(const T& record, IdT id) {
    if (spec_.name_key == nullptr) return;
    std::string strong = spec_.strong_key != nullptr ? spec_.strong_key(record) : std::string();
    if (!strong.empty()) {
      auto [it, fresh] = strong_index_.try_emplace(strong, id, 0);
      ++it->second.second;
    }
    std::string name = spec_.name_key(record);
    if (!name.empty()) name_index_[std::move(name)].push_back({id, std::move(strong)});
  }

  // The 1-based file column of the spec column called `name`; 0 when the file has none.
  int64_t FileColumnOf(std::string_view name) const {
    for (size_t i = 0; i < spec_.columns.size(); ++i) {
      if (spec_.columns[i].name == name && file_column_[i] >= 0) return file_column_[i] + 1;
    }
    return 0;
  }

  // False (error added) when the row repeats a key given earlier in the file.
  bool FirstInFile(const csv::CsvRecord& row, const std::string& key) {
    auto [seen, fresh] = seen_keys_.try_emplace(key, row.line);
    if (fresh) return true;
    const std::string once = "; a file may hold each " + std::string(spec_.what) + " once";
    const int64_t column = FileColumnOf(spec_.key_columns);
    if (column > 0) {
      AddError(RowLine(row, column - 1), column,
               std::string(spec_.key_columns) + " \"" + Cell(row, column - 1) +
                   "\" is also on line " + std::to_string(seen->second) + once);
    } else {
      AddError(row.line, 0,
               "the same " + std::string(spec_.key_columns) + " are also on line " +
                   std::to_string(seen->second) + once);
    }
    return false;
  }

  // For a row without a key: finds the stored record it means by spec_.strong_key, else by
  // spec_.name_key when exactly one record has that name (and no other strong key). False (error
  // added) when the row repeats one given earlier in the file or the name is ambiguous.
  bool MatchWithoutKey(const csv::CsvRecord& row, const T& record, std::optional<IdT>& match) {
    std::string strong = spec_.strong_key != nullptr ? spec_.strong_key(record) : std::string();
    std::string name = spec_.name_key(record);
    const std::string once = "; a file may hold each " + std::string(spec_.what) + " once";
    const int64_t strong_column = FileColumnOf(spec_.strong_column);
    const int64_t name_column = FileColumnOf(spec_.name_column);
    auto cell = [&row](int64_t column) { return Cell(row, column - 1); };
    if (!strong.empty()) {
      auto [seen, fresh] = seen_strong_.try_emplace(strong, row.line);
      if (!fresh) {
        AddError(row.line, strong_column,
                 std::string(spec_.strong_column) + " \"" + cell(strong_column) +
                     "\" is also on line " + std::to_string(seen->second) + once);
        return false;
      }
      auto stored = strong_index_.find(strong);
      if (stored != strong_index_.end()) {
        if (stored->second.second > 1) {
          AddError(row.line, strong_column,
                   std::string(spec_.strong_column) + ": " + std::to_string(stored->second.second) +
                       " " + std::string(spec_.what) + "s have " +
                       std::string(spec_.strong_column) + " \"" + cell(strong_column) +
                       "\"; add an external_id column to say which");
          return false;
        }
        match = stored->second.first;
        return true;
      }
    } else if (!name.empty()) {
      auto [seen, fresh] = seen_names_.try_emplace(name, row.line);
      if (!fresh) {
        AddError(row.line, name_column,
                 std::string(spec_.name_column) + " \"" + name + "\" is also on line " +
                     std::to_string(seen->second) + once + " (give an external_id column to " +
                     "import two " + std::string(spec_.what) + "s of the same " +
                     std::string(spec_.name_column) + ")");
        return false;
      }
    }
    if (name.empty()) return true;
    auto named = name_index_.find(name);
    if (named == name_index_.end()) return true;
    int candidates = 0;
    for (const NamedRecord& candidate : named->second) {
      // A stored record with another strong key is another record of the same name.
      if (!strong.empty() && !candidate.strong.empty() && candidate.strong != strong) continue;
      ++candidates;
      match = candidate.id;
    }
    if (candidates > 1) {
      match.reset();
      AddError(
          row.line, name_column,
          std::string(spec_.name_column) + ": " + std::to_string(candidates) + " " +
              std::string(spec_.what) + "s are named \"" + name + "\"; add an external_id " +
              (spec_.strong_key != nullptr ? "or " + std::string(spec_.strong_column) + " column"
                                           : std::string("column")) +
              " to say which");
      return false;
    }
    return true;
  }

  // Records a failed write: the row's fault, or (returned) the database's.
  Status WriteFailed(const csv::CsvRecord& row, const Status& status) {
    if (!IsDataError(status.code())) return status;
    AddError(row.line, 0, status.message());
    return Status::Ok();
  }

  Status ImportRows(storage::Store& store) {
    storage::Repository<T, IdT>& repository = spec_.repository(store);
    SB_RETURN_IF_ERROR(LoadKeys(repository));
    csv::CsvRecord row;
    while (!TooManyErrors()) {
      Result<bool> more = reader_.Next(&row);
      if (!more.ok()) {
        AddRawError(more.status().message());
        continue;
      }
      if (!*more) break;
      ++report_.rows;
      SB_RETURN_IF_ERROR(ImportRow(row, repository));
    }
    if (!report_.errors.empty() || options_.dry_run) {
      return Status::Aborted(std::string(kRolledBack));
    }
    return Status::Ok();
  }

  Status ImportRow(const csv::CsvRecord& row, storage::Repository<T, IdT>& repository) {
    for (size_t j = header_size_; j < row.fields.size(); ++j) {
      if (!internal::Trim(row.fields[j]).empty()) {
        AddError(row.field_lines[j], static_cast<int64_t>(j) + 1,
                 "the row has " + std::to_string(row.fields.size()) +
                     " fields but the header names " + std::to_string(header_size_));
        return Status::Ok();
      }
    }
    T record{};
    if (spec_.blank != nullptr) spec_.blank(record);
    if (!ApplyCells(row, record, /*report=*/true) || !Finish(row, record)) return Status::Ok();
    const bool writing = report_.errors.empty();
    std::string key = spec_.key(record);
    std::optional<IdT> existing;
    if (!key.empty()) {
      if (!FirstInFile(row, key)) return Status::Ok();
      auto found = keys_.find(key);
      if (found != keys_.end()) {
        existing = found->second;
      } else if (spec_.adoptable_name != nullptr) {
        existing = Adopt(record);
      }
    } else if (spec_.name_key != nullptr) {
      if (!MatchWithoutKey(row, record, existing)) return Status::Ok();
    }
    if (existing) {
      Result<T> stored = repository.Get(*existing);
      if (!stored.ok()) return WriteFailed(row, stored.status());
      T updated = *stored;
      ApplyCells(row, updated, /*report=*/false);
      if (!Finish(row, updated)) return Status::Ok();
      // updated_at is only set when a record is written, so equality means "nothing changed".
      if (updated == *stored) {
        bool side = false;
        if (spec_.side_changed != nullptr) {
          Result<bool> changed = spec_.side_changed(updated, context_);
          if (!changed.ok()) return WriteFailed(row, changed.status());
          side = *changed;
        }
        if (!side) {
          ++report_.unchanged;
          return Status::Ok();
        }
        ++report_.updated;
        if (!writing) return Status::Ok();
        return AfterWrite(row, updated);
      }
      ++report_.updated;
      if (!writing) return Status::Ok();
      SetUpdatedAt(updated);
      Status status = repository.Update(updated);
      if (!status.ok()) return WriteFailed(row, status);
      return AfterWrite(row, updated);
    }
    for (size_t i = 0; i < spec_.columns.size(); ++i) {
      if (spec_.columns[i].required && !present_[i]) {
        AddError(row.line, 0,
                 "column " + std::string(spec_.columns[i].name) + " is required to create a new " +
                     std::string(spec_.what) +
                     (key.empty() ? std::string() : " (no " + std::string(spec_.what) +
                                                        " has key \"" + key + "\")"));
        return Status::Ok();
      }
    }
    ++report_.inserted;
    if (!writing) return Status::Ok();
    SetCreatedAt(record);
    Result<IdT> id = repository.Insert(record);
    if (!id.ok()) return WriteFailed(row, id.status());
    if (!key.empty()) keys_.emplace(std::move(key), *id);
    IndexWithoutKey(record, *id);
    return AfterWrite(row, record);
  }

  // A placeholder record (spec_.adoptable_name) with the name of `record`, a new row; taken
  // once.
  std::optional<IdT> Adopt(const T& record) {
    if constexpr (requires { record.name; }) {
      auto it = adoptable_.find(record.name);
      if (it == adoptable_.end() || it->second.value < 0) return std::nullopt;
      const IdT id = it->second;
      adoptable_.erase(it);
      return id;
    }
    return std::nullopt;
  }

  Status AfterWrite(const csv::CsvRecord& row, const T& record) {
    if (spec_.after_write == nullptr) return Status::Ok();
    Status status = spec_.after_write(record, context_);
    if (!status.ok()) return WriteFailed(row, status);
    return Status::Ok();
  }

  void SetCreatedAt(T& record) {
    if constexpr (requires { record.created_at; }) {
      record.created_at = now_;
      record.updated_at = now_;
    }
  }
  void SetUpdatedAt(T& record) {
    if constexpr (requires { record.updated_at; }) record.updated_at = now_;
  }

  const KindSpec<T, IdT>& spec_;
  storage::Store& store_;
  const ImportOptions& options_;
  csv::RecordSource& reader_;
  ImportReport& report_;
  Lookups lookups_;
  ParseContext context_;
  Timestamp now_;
  std::unordered_map<std::string, int> occurrences_;
  std::unordered_map<std::string, IdT> keys_;
  std::unordered_map<std::string, int64_t> seen_keys_;  // key -> line of its first row
  // Rows without a key (MatchWithoutKey): stored records by strong key (id, how many share it)
  // and by name; what this file gave so far, with its line.
  struct NamedRecord {
    IdT id;
    std::string strong;
  };
  std::unordered_map<std::string, std::pair<IdT, int>> strong_index_;
  std::unordered_map<std::string, std::vector<NamedRecord>> name_index_;
  std::unordered_map<std::string, int64_t> seen_strong_, seen_names_;
  std::unordered_map<std::string, IdT> adoptable_;  // placeholder records by name
  std::vector<PlanItem> plan_;        // in apply order
  std::vector<int64_t> file_column_;  // per spec column; -1 when absent
  std::vector<bool> present_;         // per spec column: in the file or set by --set
  std::vector<Template> constants_;
  std::vector<bool> constant_failed_;
  // Per spec column: (their value after NormalizeName, ours).
  std::vector<std::vector<std::pair<std::string, std::string>>> value_maps_;
  std::vector<std::string> header_, header_names_;  // as written / after NormalizeName
  int64_t header_line_ = 1;
  std::string constant_cell_;
  size_t header_size_ = 0;
};

template <typename T, typename IdT>
Status RunImport(const KindSpec<T, IdT>& spec, storage::Store& store, const Clock& clock,
                 const ImportOptions& options, csv::RecordSource& reader, ImportReport& report) {
  Importer<T, IdT> importer(spec, store, clock, options, reader, report);
  return importer.Run();
}

template <typename T, typename IdT>
Status ExportKind(const KindSpec<T, IdT>& spec, storage::Store& store, RowSink& sink) {
  std::vector<std::string_view> names;
  std::vector<bool> numeric_flags;
  std::vector<const ColumnSpec<T>*> columns;
  for (const ColumnSpec<T>& column : spec.columns) {
    if (!column.exported) continue;
    names.push_back(column.name);
    numeric_flags.push_back(column.numeric);
    columns.push_back(&column);
  }
  std::unique_ptr<bool[]> numeric(new bool[numeric_flags.size()]);
  std::copy(numeric_flags.begin(), numeric_flags.end(), numeric.get());
  SB_RETURN_IF_ERROR(sink.Begin(names, std::span<const bool>(numeric.get(), numeric_flags.size())));

  // Resolve every reference before streaming, so no query runs while the scan is open.
  Lookups lookups(store);
  SB_RETURN_IF_ERROR(store.Transact([&](storage::Store& s) {
    std::vector<T> batch;
    storage::ListQuery query;
    query.limit = 5000;
    std::vector<std::string> values(columns.size());
    for (int64_t last_id = 0;;) {
      query.filters = {storage::Match("id", storage::FilterOp::kGt, {last_id})};
      SB_ASSIGN_OR_RETURN(batch, spec.repository(s).List(query));
      if (batch.empty()) break;
      for (const T& record : batch) {
        for (size_t i = 0; i < columns.size(); ++i) {
          values[i].clear();
          SB_RETURN_IF_ERROR(columns[i]->format(record, lookups, values[i]));
        }
        SB_RETURN_IF_ERROR(sink.Row(values));
      }
      last_id = batch.back().id.value;
    }
    return Status::Ok();
  }));
  return sink.End();
}

class CsvSink : public RowSink {
 public:
  explicit CsvSink(std::function<void(std::string_view)> write) : write_(std::move(write)) {}
  Status Begin(std::span<const std::string_view> columns, std::span<const bool> numeric) override {
    numeric_.assign(numeric.begin(), numeric.end());
    line_.clear();
    for (size_t i = 0; i < columns.size(); ++i) {
      if (i > 0) line_ += ',';
      csv::AppendCsvField(columns[i], ',', &line_);
    }
    line_ += '\n';
    write_(line_);
    return Status::Ok();
  }
  Status Row(std::span<const std::string> values) override {
    line_.clear();
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) line_ += ',';
      const bool numeric = i < numeric_.size() && numeric_[i];
      if (!numeric && NeedsNeutralising(values[i])) {
        cell_.assign(1, '\'');
        cell_ += values[i];
        csv::AppendCsvField(cell_, ',', &line_);
      } else {
        csv::AppendCsvField(values[i], ',', &line_);
      }
    }
    line_ += '\n';
    write_(line_);
    return Status::Ok();
  }
  Status End() override { return Status::Ok(); }

 private:
  std::function<void(std::string_view)> write_;
  std::vector<bool> numeric_;
  std::string line_;
  std::string cell_;
};

// One sheet: a frozen header row with an autofilter, numeric columns as numbers (amounts with
// two decimals), ISO dates and timestamps as dates in a date format, everything else as text
// cells. Text is never a formula: libxlsxwriter writes strings as strings, and a text that starts
// like a formula (= + - @) gets an apostrophe in front as in the CSV export, so that it stays
// text when someone edits the cell (Excel reads a typed leading apostrophe as "text"); import
// takes it off again. (Debian's libxlsxwriter 1.1.4 has no quote-prefix format.)
class XlsxSink : public RowSink {
 public:
  XlsxSink(std::string path, std::string sheet)
      : path_(std::move(path)), sheet_(std::move(sheet)) {}
  ~XlsxSink() override {
    if (book_ != nullptr) workbook_close(book_);  // an export that failed half-way
  }

  Status Begin(std::span<const std::string_view> columns, std::span<const bool> numeric) override {
    // Rows are written in order, so libxlsxwriter may write each one out as it comes (inline
    // strings; memory stays flat however many rows).
    lxw_workbook_options options = {};
    options.constant_memory = LXW_TRUE;
    book_ = workbook_new_opt(path_.c_str(), &options);
    if (book_ == nullptr) return Status::Internal("cannot create the workbook " + path_);
    sheet_ptr_ = workbook_add_worksheet(book_, sheet_.c_str());
    if (sheet_ptr_ == nullptr) return Status::Internal("cannot add the sheet " + sheet_);
    header_ = workbook_add_format(book_);
    format_set_bold(header_);
    date_ = workbook_add_format(book_);
    format_set_num_format(date_, "yyyy-mm-dd");
    stamp_ = workbook_add_format(book_);
    format_set_num_format(stamp_, "yyyy-mm-dd hh:mm");
    decimal_ = workbook_add_format(book_);
    format_set_num_format(decimal_, "#,##0.00");
    numeric_.assign(numeric.begin(), numeric.end());
    columns_ = columns.size();
    for (size_t i = 0; i < columns.size(); ++i) {
      const std::string name(columns[i]);
      SB_RETURN_IF_ERROR(Check(worksheet_write_string(sheet_ptr_, 0, i, name.c_str(), header_)));
      worksheet_set_column(sheet_ptr_, i, i, std::max<double>(10, name.size() + 2), nullptr);
    }
    worksheet_freeze_panes(sheet_ptr_, 1, 0);
    return Status::Ok();
  }

  Status Row(std::span<const std::string> values) override {
    if (row_ >= 1048575) {
      return Status::InvalidArgument(
          "more than 1,048,575 rows do not fit in an XLSX sheet; "
          "export as CSV");
    }
    ++row_;
    for (size_t i = 0; i < values.size(); ++i) {
      const std::string& value = values[i];
      if (value.empty()) continue;
      const lxw_col_t col = static_cast<lxw_col_t>(i);
      const bool numeric = i < numeric_.size() && numeric_[i];
      lxw_error error = LXW_NO_ERROR;
      double number = 0;
      if (numeric && ParseNumber(value, &number)) {
        const bool whole = value.find('.') == std::string::npos;
        error = worksheet_write_number(sheet_ptr_, row_, col, number, whole ? nullptr : decimal_);
      } else if (lxw_datetime when; !numeric && ParseWhen(value, &when)) {
        error = worksheet_write_datetime(sheet_ptr_, row_, col, &when,
                                         value.size() == 10 ? date_ : stamp_);
      } else if (NeedsNeutralising(value)) {
        const std::string text = "'" + value;
        error = worksheet_write_string(sheet_ptr_, row_, col, text.c_str(), nullptr);
      } else {
        error = worksheet_write_string(sheet_ptr_, row_, col, value.c_str(), nullptr);
      }
      if (error == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED) {
        return Status::InvalidArgument("row " + std::to_string(row_ + 1) + ", column " +
                                       csv::ColumnLetters(static_cast<int64_t>(i) + 1) +
                                       ": the text is longer than the 32,767 characters an "
                                       "XLSX cell holds; export as CSV");
      }
      SB_RETURN_IF_ERROR(Check(error));
    }
    return Status::Ok();
  }

  Status End() override {
    if (columns_ > 0) {
      worksheet_autofilter(sheet_ptr_, 0, 0, row_, static_cast<lxw_col_t>(columns_ - 1));
    }
    lxw_error error = workbook_close(book_);
    book_ = nullptr;
    if (error != LXW_NO_ERROR) {
      return Status::Unavailable("writing " + path_ + " failed: " + lxw_strerror(error));
    }
    return Status::Ok();
  }

 private:
  Status Check(lxw_error error) {
    if (error == LXW_NO_ERROR) return Status::Ok();
    return Status::Internal(std::string("writing the XLSX sheet: ") + lxw_strerror(error));
  }
  static bool ParseNumber(const std::string& text, double* out) {
    char* end = nullptr;
    *out = std::strtod(text.c_str(), &end);
    return end != text.c_str() && *end == '\0';
  }
  // "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ", as export writes dates and timestamps.
  static bool ParseWhen(const std::string& text, lxw_datetime* out) {
    if (text.size() == 10) {
      Result<Date> date = ParseIsoDate(text);
      if (!date.ok()) return false;
      const std::chrono::year_month_day ymd(*date);
      *out = {static_cast<int>(ymd.year()),
              static_cast<int>(unsigned(ymd.month())),
              static_cast<int>(unsigned(ymd.day())),
              0,
              0,
              0};
      return true;
    }
    if (text.size() != 20 || text[10] != 'T' || text[19] != 'Z') return false;
    Result<Date> date = ParseIsoDate(std::string_view(text).substr(0, 10));
    if (!date.ok()) return false;
    int hour = 0, minute = 0, second = 0;
    if (std::sscanf(text.c_str() + 11, "%2d:%2d:%2d", &hour, &minute, &second) != 3) return false;
    const std::chrono::year_month_day ymd(*date);
    *out = {static_cast<int>(ymd.year()),
            static_cast<int>(unsigned(ymd.month())),
            static_cast<int>(unsigned(ymd.day())),
            hour,
            minute,
            static_cast<double>(second)};
    return true;
  }

  std::string path_, sheet_;
  lxw_workbook* book_ = nullptr;
  lxw_worksheet* sheet_ptr_ = nullptr;
  lxw_format *header_ = nullptr, *date_ = nullptr, *stamp_ = nullptr, *decimal_ = nullptr;
  std::vector<bool> numeric_;
  size_t columns_ = 0;
  lxw_row_t row_ = 0;
};

class JsonSink : public RowSink {
 public:
  explicit JsonSink(std::function<void(std::string_view)> write) : write_(std::move(write)) {}
  Status Begin(std::span<const std::string_view> columns, std::span<const bool> numeric) override {
    columns_.assign(columns.begin(), columns.end());
    numeric_.assign(numeric.begin(), numeric.end());
    rows_ = 0;
    write_("[");
    return Status::Ok();
  }
  Status Row(std::span<const std::string> values) override {
    line_ = rows_++ == 0 ? "\n  {" : ",\n  {";
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) line_ += ", ";
      AppendJsonString(columns_[i], &line_);
      line_ += ": ";
      if (values[i].empty()) {
        line_ += "null";
      } else if (numeric_[i]) {
        line_ += values[i];
      } else {
        AppendJsonString(values[i], &line_);
      }
    }
    line_ += '}';
    write_(line_);
    return Status::Ok();
  }
  Status End() override {
    write_(rows_ == 0 ? "]\n" : "\n]\n");
    return Status::Ok();
  }

 private:
  std::function<void(std::string_view)> write_;
  std::vector<std::string_view> columns_;
  std::vector<bool> numeric_;
  std::string line_;
  int64_t rows_ = 0;
};

}  // namespace

std::span<const Kind> AllKinds() { return kAllKinds; }

std::string_view KindName(Kind kind) {
  switch (kind) {
    case Kind::kTeams:
      return "teams";
    case Kind::kSegments:
      return "segments";
    case Kind::kUsers:
      return "users";
    case Kind::kAccounts:
      return "accounts";
    case Kind::kContacts:
      return "contacts";
    case Kind::kCampaigns:
      return "campaigns";
    case Kind::kLeads:
      return "leads";
    case Kind::kOpportunities:
      return "opportunities";
    case Kind::kOpportunityHistory:
      return "opportunity-history";
    case Kind::kActivities:
      return "activities";
    case Kind::kOrders:
      return "orders";
    case Kind::kScorecardAnswers:
      return "scorecard-answers";
    case Kind::kObjectives:
      return "objectives";
    case Kind::kValuePropositions:
      return "value-propositions";
  }
  return "?";
}

Result<Kind> ParseKind(std::string_view text) {
  std::string n = internal::NormalizeName(text);
  for (Kind kind : kAllKinds) {
    std::string name = internal::NormalizeName(KindName(kind));
    std::string singular = name;
    if (singular.ends_with("ies")) {
      singular = singular.substr(0, singular.size() - 3) + "y";
    } else if (singular.ends_with("s")) {
      singular.pop_back();
    }
    if (n == name || n == singular) return kind;
  }
  std::string message = "unknown kind \"" + std::string(text) + "\"; the kinds are";
  for (Kind kind : kAllKinds) message += " " + std::string(KindName(kind));
  return Status::InvalidArgument(std::move(message));
}

std::vector<ColumnInfo> Columns(Kind kind) {
  return WithSpec(kind, [](const auto& spec) {
    std::vector<ColumnInfo> out;
    for (const auto& column : spec.columns) {
      out.push_back(ColumnInfo{column.name, column.aliases, column.required});
    }
    return out;
  });
}

Result<DateOrder> ParseDateOrder(std::string_view text) {
  const std::string n = internal::NormalizeName(text);
  if (n == "dmy") return DateOrder::kDayFirst;
  if (n == "mdy") return DateOrder::kMonthFirst;
  if (n == "ymd") return DateOrder::kYearFirst;
  return Status::InvalidArgument("date order \"" + std::string(text) +
                                 "\" is not one of dmy (31/12/25), mdy (12/31/25) or ymd "
                                 "(25/12/31)");
}

Result<ImportMapping> ParseImportMapping(std::string_view json, std::string_view name) {
  const std::string where(name);
  auto bad = [&where](const std::string& problem) {
    return Status::InvalidArgument(where + ": " + problem);
  };
  const nlohmann::json doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return bad("not valid JSON");
  if (!doc.is_object()) return bad("expected a JSON object with columns, values and set");
  ImportMapping mapping;
  // Reads an object of strings at `key` into (name, text) pairs.
  auto strings = [&](const nlohmann::json& object, const std::string& key,
                     std::vector<std::pair<std::string, std::string>>& out) -> Status {
    if (!object.is_object()) return bad("\"" + key + "\" must be an object of strings");
    for (const auto& [field, value] : object.items()) {
      if (!value.is_string()) return bad("\"" + key + "\"." + field + " must be a string");
      out.emplace_back(field, value.get_ref<const std::string&>());
    }
    return Status::Ok();
  };
  for (const auto& [key, value] : doc.items()) {
    if (key == "columns") {
      SB_RETURN_IF_ERROR(strings(value, key, mapping.columns));
    } else if (key == "set") {
      SB_RETURN_IF_ERROR(strings(value, key, mapping.constants));
    } else if (key == "values") {
      if (!value.is_object()) return bad("\"values\" must map columns to objects of values");
      for (const auto& [column, values] : value.items()) {
        std::vector<std::pair<std::string, std::string>> pairs;
        SB_RETURN_IF_ERROR(strings(values, "values\"." + column, pairs));
        for (auto& [theirs, ours] : pairs) {
          mapping.values.push_back(ImportMapping::ValueMap{column, theirs, ours});
        }
      }
    } else if (key == "date_order") {
      if (!value.is_string()) return bad("\"date_order\" must be \"dmy\", \"mdy\" or \"ymd\"");
      Result<DateOrder> order = ParseDateOrder(value.get_ref<const std::string&>());
      if (!order.ok()) return bad(order.status().message());
      mapping.date_order = *order;
    } else {
      return bad("unknown key \"" + key + "\"; the keys are columns, values, set and date_order");
    }
  }
  return mapping;
}

Result<ImportMapping> LoadImportMapping(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": no such mapping file");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return ParseImportMapping(text, path);
}

std::string ImportError::ToString() const {
  if (file.empty()) return message;
  if (!sheet.empty()) {
    std::string out = file + ", sheet \"" + sheet + "\", row " + std::to_string(line);
    if (column > 0) out += ", column " + csv::ColumnLetters(column);
    return out + ": " + message;
  }
  std::string out = file + ":" + std::to_string(line);
  if (column > 0) out += ":" + std::to_string(column);
  out += ": ";
  out += message;
  return out;
}

std::unique_ptr<RowSink> MakeCsvSink(std::function<void(std::string_view)> write) {
  return std::make_unique<CsvSink>(std::move(write));
}

std::unique_ptr<RowSink> MakeJsonSink(std::function<void(std::string_view)> write) {
  return std::make_unique<JsonSink>(std::move(write));
}

std::unique_ptr<RowSink> MakeXlsxSink(std::string path, std::string sheet) {
  return std::make_unique<XlsxSink>(std::move(path), std::move(sheet));
}

Result<ImportReport> TransferService::Import(Kind kind, csv::RecordSource& reader,
                                             const ImportOptions& options) {
  ImportReport report;
  report.kind = kind;
  report.delimiter = reader.delimiter();
  report.encoding = reader.format();
  report.sheet = std::string(reader.sheet());
  Status status = WithSpec(kind, [&](const auto& spec) {
    return RunImport(spec, store_, clock_, options, reader, report);
  });
  SB_RETURN_IF_ERROR(status);
  return report;
}

Result<ImportReport> TransferService::ImportFile(Kind kind, const std::string& path,
                                                 const ImportOptions& options) {
  if (csv::LooksLikeXlsx(path)) {
    SB_ASSIGN_OR_RETURN(csv::XlsxWorkbook workbook, csv::XlsxWorkbook::Open(path));
    csv::XlsxOptions xlsx;
    xlsx.max_field_bytes = options.csv.max_field_bytes;
    SB_ASSIGN_OR_RETURN(std::unique_ptr<csv::XlsxSheetReader> sheet,
                        workbook.Sheet(options.sheet, xlsx));
    return Import(kind, *sheet, options);
  }
  if (!options.sheet.empty()) {
    return Status::InvalidArgument(path + ": --sheet is for XLSX workbooks; this is not one");
  }
  SB_ASSIGN_OR_RETURN(csv::CsvReader reader, csv::CsvReader::Open(path, options.csv));
  return Import(kind, reader, options);
}

Result<std::vector<ImportReport>> TransferService::ImportWorkbook(
    const std::string& path, const std::vector<std::pair<std::string, Kind>>& sheets,
    const ImportOptions& options) {
  SB_ASSIGN_OR_RETURN(csv::XlsxWorkbook workbook, csv::XlsxWorkbook::Open(path));
  csv::XlsxOptions xlsx;
  xlsx.max_field_bytes = options.csv.max_field_bytes;
  // Every sheet is opened first, so a wrong name is reported before anything is read.
  std::vector<std::pair<std::unique_ptr<csv::XlsxSheetReader>, Kind>> readers;
  for (const auto& [name, kind] : sheets) {
    SB_ASSIGN_OR_RETURN(std::unique_ptr<csv::XlsxSheetReader> reader, workbook.Sheet(name, xlsx));
    for (const auto& [other, unused] : readers) {
      if (other->sheet() == reader->sheet()) {
        return Status::InvalidArgument(path + ": the sheet \"" + std::string(reader->sheet()) +
                                       "\" is named twice");
      }
    }
    readers.emplace_back(std::move(reader), kind);
  }
  std::stable_sort(readers.begin(), readers.end(), [](const auto& a, const auto& b) {
    const auto order = AllKinds();
    return std::find(order.begin(), order.end(), a.second) <
           std::find(order.begin(), order.end(), b.second);
  });
  // Each sheet's import joins this transaction; it writes, and this one decides.
  ImportOptions each = options;
  each.dry_run = false;
  each.other_kinds_columns = true;
  std::vector<ImportReport> reports;
  bool failed = false;
  Status status = store_.Transact([&](storage::Store&) -> Status {
    for (auto& [reader, kind] : readers) {
      SB_ASSIGN_OR_RETURN(ImportReport report, Import(kind, *reader, each));
      report.committed = false;
      const bool errors = !report.errors.empty();
      reports.push_back(std::move(report));
      if (errors) {
        failed = true;
        break;
      }
    }
    if (failed || options.dry_run) return Status::Aborted(std::string(kRolledBack));
    return Status::Ok();
  });
  if (status.ok()) {
    for (ImportReport& report : reports) report.committed = true;
  } else if (!(status.code() == StatusCode::kAborted && (failed || options.dry_run))) {
    return status;
  }
  return reports;
}

Status TransferService::Export(Kind kind, RowSink& sink) {
  return WithSpec(kind, [&](const auto& spec) { return ExportKind(spec, store_, sink); });
}

}  // namespace salesbox::service

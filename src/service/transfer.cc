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
#include "service/transfer.h"

#include <algorithm>
#include <cstdio>
#include <unordered_map>
#include <utility>

#include "common/json_text.h"
#include "common/status_macros.h"
#include "csv/csv_reader.h"
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

// The status Transact returns when the importer itself chose to roll back.
constexpr std::string_view kRolledBack = "import rolled back";

bool IsDataError(StatusCode code) {
  return code == StatusCode::kInvalidArgument || code == StatusCode::kAlreadyExists ||
         code == StatusCode::kNotFound || code == StatusCode::kFailedPrecondition;
}

template <typename T, typename IdT>
class Importer {
 public:
  Importer(const KindSpec<T, IdT>& spec, storage::Store& store, const Clock& clock,
           const ImportOptions& options, csv::CsvReader& reader, ImportReport& report)
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
  void AddError(int64_t line, int64_t column, std::string message) {
    report_.errors.push_back(ImportError{reader_.name(), line, column, std::move(message)});
  }
  void AddRawError(std::string message) {
    report_.errors.push_back(ImportError{"", 0, 0, std::move(message)});
  }
  bool TooManyErrors() {
    if (static_cast<int>(report_.errors.size()) < options_.max_errors) return false;
    report_.more_errors = true;
    return true;
  }

  // Maps each header cell to a column of the spec (explicit --map first, then names and
  // aliases) and plans the order in which cells are applied.
  void MapColumns(const csv::CsvRecord& header) {
    const auto& columns = spec_.columns;
    header_size_ = header.fields.size();
    std::vector<std::pair<std::string, size_t>> explicit_map;  // their normalised -> spec index
    std::string_view map = options_.column_map;
    while (!map.empty()) {
      size_t comma = map.find(',');
      std::string_view item = internal::Trim(map.substr(0, comma));
      map = comma == std::string_view::npos ? std::string_view() : map.substr(comma + 1);
      if (item.empty()) continue;
      size_t eq = item.find('=');
      if (eq == std::string_view::npos) {
        AddRawError("--map: \"" + std::string(item) + "\" is not of the form our_field=Their Column");
        continue;
      }
      std::string ours = internal::NormalizeName(item.substr(0, eq));
      std::string theirs = internal::NormalizeName(item.substr(eq + 1));
      size_t found = columns.size();
      for (size_t i = 0; i < columns.size(); ++i) {
        if (internal::NormalizeName(columns[i].name) == ours) found = i;
      }
      if (found == columns.size()) {
        std::string message = "--map: \"" + std::string(internal::Trim(item.substr(0, eq))) +
                              "\" is not a column of " + std::string(KindName(spec_.kind)) +
                              "; the columns are";
        for (const auto& c : columns) message += " " + std::string(c.name);
        AddRawError(std::move(message));
        continue;
      }
      explicit_map.emplace_back(std::move(theirs), found);
    }

    std::vector<int64_t> file_column(columns.size(), -1);
    for (size_t j = 0; j < header.fields.size(); ++j) {
      std::string n = internal::NormalizeName(header.fields[j]);
      if (n.empty()) continue;
      size_t found = columns.size();
      for (const auto& [theirs, index] : explicit_map) {
        if (theirs == n) found = index;
      }
      for (size_t i = 0; found == columns.size() && i < columns.size(); ++i) {
        if (internal::NormalizeName(columns[i].name) == n) found = i;
      }
      for (size_t i = 0; found == columns.size() && i < columns.size(); ++i) {
        if (internal::MatchesAlias(n, columns[i].aliases)) found = i;
      }
      if (found == columns.size()) {
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
    for (int pass = 0; pass < 2; ++pass) {
      for (size_t i = 0; i < columns.size(); ++i) {
        if (file_column[i] >= 0 && columns[i].early == (pass == 0)) {
          plan_.emplace_back(i, file_column[i]);
        }
      }
    }
    file_column_ = std::move(file_column);
  }

  // Applies the row's cells to `record`; returns false if any cell was wrong (errors added).
  bool ApplyCells(const csv::CsvRecord& row, T& record, bool report) {
    bool ok = true;
    context_.given_name.clear();
    context_.family_name.clear();
    for (const auto& [index, column] : plan_) {
      const ColumnSpec<T>& spec = spec_.columns[index];
      std::string_view cell = static_cast<size_t>(column) < row.fields.size()
                                  ? internal::Trim(row.fields[column])
                                  : std::string_view();
      if (cell.empty() && spec.required) {
        if (report) {
          AddError(RowLine(row, column), column + 1,
                   std::string(spec.name) + ": a value is required");
        }
        ok = false;
        continue;
      }
      Status status = spec.parse(cell, record, context_);
      if (!status.ok()) {
        if (report) {
          AddError(RowLine(row, column), column + 1,
                   std::string(spec.name) + ": " + status.message());
        }
        ok = false;
      }
    }
    return ok;
  }

  // Completes `record` with the kind's cross-field rules; false (error added) if they fail.
  bool Finish(const csv::CsvRecord& row, T& record) {
    if (spec_.finish == nullptr) return true;
    Status finished = spec_.finish(record, context_, ToDate(now_));
    if (finished.ok()) return true;
    // A rule about one column (the status names it as its field) points at that column.
    for (const auto& [index, column] : plan_) {
      if (!finished.field().empty() && spec_.columns[index].name == finished.field()) {
        AddError(RowLine(row, column), column + 1, finished.message());
        return false;
      }
    }
    AddError(row.line, 0, finished.message());
    return false;
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
      return Status::Ok();
    });
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
    if (!ApplyCells(row, record, /*report=*/true) || !Finish(row, record)) return Status::Ok();
    const bool writing = report_.errors.empty();
    std::string key = spec_.key(record);
    auto existing = key.empty() ? keys_.end() : keys_.find(key);
    if (existing != keys_.end()) {
      Result<T> stored = repository.Get(existing->second);
      if (!stored.ok()) return WriteFailed(row, stored.status());
      T updated = *stored;
      ApplyCells(row, updated, /*report=*/false);
      if (!Finish(row, updated)) return Status::Ok();
      // updated_at is only set when a record is written, so equality means "nothing changed".
      if (updated == *stored) {
        ++report_.unchanged;
        return Status::Ok();
      }
      ++report_.updated;
      if (!writing) return Status::Ok();
      SetUpdatedAt(updated);
      Status status = repository.Update(updated);
      if (!status.ok()) return WriteFailed(row, status);
      return Status::Ok();
    }
    for (size_t i = 0; i < spec_.columns.size(); ++i) {
      if (spec_.columns[i].required && file_column_[i] < 0) {
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
  csv::CsvReader& reader_;
  ImportReport& report_;
  Lookups lookups_;
  ParseContext context_;
  Timestamp now_;
  std::unordered_map<std::string, int> occurrences_;
  std::unordered_map<std::string, IdT> keys_;
  std::vector<std::pair<size_t, int64_t>> plan_;  // (spec column, file column), in apply order
  std::vector<int64_t> file_column_;              // per spec column; -1 when absent
  size_t header_size_ = 0;
};

template <typename T, typename IdT>
Status RunImport(const KindSpec<T, IdT>& spec, storage::Store& store, const Clock& clock,
                 const ImportOptions& options, csv::CsvReader& reader, ImportReport& report) {
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
  Status Begin(std::span<const std::string_view> columns, std::span<const bool>) override {
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
      csv::AppendCsvField(values[i], ',', &line_);
    }
    line_ += '\n';
    write_(line_);
    return Status::Ok();
  }
  Status End() override { return Status::Ok(); }

 private:
  std::function<void(std::string_view)> write_;
  std::string line_;
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

std::string ImportError::ToString() const {
  if (file.empty()) return message;
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

Result<ImportReport> TransferService::Import(Kind kind, csv::CsvReader& reader,
                                             const ImportOptions& options) {
  ImportReport report;
  report.kind = kind;
  report.delimiter = reader.delimiter();
  report.encoding = std::string(csv::EncodingName(reader.encoding()));
  Status status = WithSpec(kind, [&](const auto& spec) {
    return RunImport(spec, store_, clock_, options, reader, report);
  });
  SB_RETURN_IF_ERROR(status);
  return report;
}

Result<ImportReport> TransferService::ImportFile(Kind kind, const std::string& path,
                                                 const ImportOptions& options) {
  SB_ASSIGN_OR_RETURN(csv::CsvReader reader, csv::CsvReader::Open(path, options.csv));
  return Import(kind, reader, options);
}

Status TransferService::Export(Kind kind, RowSink& sink) {
  return WithSpec(kind, [&](const auto& spec) { return ExportKind(spec, store_, sink); });
}

}  // namespace salesbox::service

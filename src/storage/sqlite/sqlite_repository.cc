// SPDX-License-Identifier: MIT
// The parts of SqliteRepository that do not depend on the record type: turning a ListQuery into
// checked SQL clauses plus bound values, and explaining foreign-key failures.
#include "storage/sqlite/sqlite_repository.h"

#include <string>
#include <variant>

#include "common/time.h"

namespace salesbox::storage::sqlite::detail {
namespace {

std::string_view OpName(FilterOp op) {
  switch (op) {
    case FilterOp::kEq:
      return "eq";
    case FilterOp::kNe:
      return "ne";
    case FilterOp::kLt:
      return "lt";
    case FilterOp::kLe:
      return "le";
    case FilterOp::kGt:
      return "gt";
    case FilterOp::kGe:
      return "ge";
    case FilterOp::kIn:
      return "in";
    case FilterOp::kIsNull:
      return "is_null";
    case FilterOp::kNotNull:
      return "not_null";
    case FilterOp::kContains:
      return "contains";
    case FilterOp::kAnyOf:
      return "any_of";
    case FilterOp::kInSelect:
      return "in_select";
  }
  return "?";
}

std::string_view KindName(ColumnKind kind) {
  switch (kind) {
    case ColumnKind::kText:
      return "text";
    case ColumnKind::kInteger:
      return "an integer";
    case ColumnKind::kBool:
      return "0 or 1";
    case ColumnKind::kReal:
      return "a number";
    case ColumnKind::kEnum:
      return "a name";
    case ColumnKind::kDate:
      return "a date \"YYYY-MM-DD\"";
    case ColumnKind::kTimestamp:
      return "a timestamp \"YYYY-MM-DDTHH:MM:SSZ\"";
  }
  return "?";
}

std::string ValidFields(const std::vector<ColumnInfo>& columns) {
  std::string out;
  for (const ColumnInfo& column : columns) {
    if (!out.empty()) out += ", ";
    out += column.name;
  }
  return out;
}

const ColumnInfo* FindColumn(const std::vector<ColumnInfo>& columns, std::string_view name) {
  for (const ColumnInfo& column : columns) {
    if (column.name == name) return &column;
  }
  return nullptr;
}

Status UnknownField(std::string_view what, std::string_view role, std::string_view name,
                    const std::vector<ColumnInfo>& columns) {
  return Status::InvalidArgument(std::string(what) + ": unknown " + std::string(role) + " \"" +
                                 std::string(name) + "\"; valid fields are " +
                                 ValidFields(columns));
}

// Checks `value` against `column` and returns the value to bind (timestamps in canonical form).
Result<Value> CheckValue(std::string_view what, const ColumnInfo& column, const Value& value) {
  const auto wrong_kind = [&] {
    return Status::InvalidArgument(std::string(what) + ": a filter on " + column.name + " needs " +
                                   std::string(KindName(column.kind)));
  };
  switch (column.kind) {
    case ColumnKind::kInteger:
      if (!std::holds_alternative<int64_t>(value)) return wrong_kind();
      return value;
    case ColumnKind::kBool: {
      const int64_t* flag = std::get_if<int64_t>(&value);
      if (flag == nullptr || (*flag != 0 && *flag != 1)) return wrong_kind();
      return value;
    }
    case ColumnKind::kReal:
      if (const int64_t* number = std::get_if<int64_t>(&value)) {
        return Value(static_cast<double>(*number));
      }
      if (!std::holds_alternative<double>(value)) return wrong_kind();
      return value;
    case ColumnKind::kText:
      if (!std::holds_alternative<std::string>(value)) return wrong_kind();
      return value;
    case ColumnKind::kEnum: {
      const std::string* name = std::get_if<std::string>(&value);
      if (name == nullptr) return wrong_kind();
      Status valid = column.check_enum(*name);
      if (!valid.ok()) return valid.WithContext(std::string(what) + ": filter on " + column.name);
      return value;
    }
    case ColumnKind::kDate: {
      const std::string* text = std::get_if<std::string>(&value);
      if (text == nullptr) return wrong_kind();
      Result<Date> date = ParseIsoDate(*text);
      if (!date.ok()) {
        return date.status().WithContext(std::string(what) + ": filter on " + column.name);
      }
      return Value(FormatDate(*date));
    }
    case ColumnKind::kTimestamp: {
      const std::string* text = std::get_if<std::string>(&value);
      if (text == nullptr) return wrong_kind();
      Result<Timestamp> timestamp = ParseTimestamp(*text);
      if (!timestamp.ok()) {
        return timestamp.status().WithContext(std::string(what) + ": filter on " + column.name);
      }
      return Value(FormatTimestamp(*timestamp));
    }
  }
  return wrong_kind();
}

// "%<needle with % _ \ escaped>%", case-folded like the column will be.
std::string ContainsPattern(std::string_view needle) {
  std::string folded;
  AppendCaseFolded(needle, &folded);
  std::string pattern = "%";
  for (char c : folded) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  pattern += '%';
  return pattern;
}

// external_id is indexed only where it is not '' (see 0001_init.sql). SQLite uses such a
// partial index only when the query repeats its condition, which is implied when every value
// compared for equality is non-empty.
void AddPartialIndexHint(const ColumnInfo& column, const std::vector<Value>& values,
                         std::string* where) {
  if (column.name != "external_id") return;
  for (const Value& value : values) {
    const std::string* text = std::get_if<std::string>(&value);
    if (text == nullptr || text->empty()) return;
  }
  *where += " AND external_id <> ''";
}

}  // namespace

namespace {

// Appends `filter` as one SQL condition to `sql`, its parameters to `parts->params`.
Status AppendCondition(std::string_view what, const std::vector<ColumnInfo>& columns,
                       const TableColumns& tables, const Filter& filter, std::string* sql,
                       QueryParts* parts) {
  const auto placeholder = [parts] { return "?" + std::to_string(parts->params.size()); };
  if (filter.op == FilterOp::kAnyOf) {
    if (!filter.values.empty()) {
      return Status::InvalidArgument(std::string(what) + ": filter any-of takes no values");
    }
    if (filter.sub.empty()) {
      *sql += "0 = 1";
      return Status::Ok();
    }
    *sql += "(";
    for (size_t i = 0; i < filter.sub.size(); ++i) {
      if (i > 0) *sql += " OR ";
      SB_RETURN_IF_ERROR(AppendCondition(what, columns, tables, filter.sub[i], sql, parts));
    }
    *sql += ")";
    return Status::Ok();
  }
  if (filter.op == FilterOp::kInSelect) {
    const ColumnInfo* column = FindColumn(columns, filter.field);
    if (column == nullptr) return UnknownField(what, "filter field", filter.field, columns);
    auto table = tables.find(filter.table);
    if (table == tables.end()) {
      return Status::InvalidArgument(std::string(what) + ": filter " + column->name +
                                     " in-select names no table \"" + filter.table + "\"");
    }
    const std::vector<ColumnInfo>& inner = *table->second;
    const ColumnInfo* selected = FindColumn(inner, filter.select);
    if (selected == nullptr) return UnknownField(filter.table, "selected field", filter.select, inner);
    if (!filter.values.empty()) {
      return Status::InvalidArgument(std::string(what) + ": filter in-select takes no values");
    }
    *sql += column->name + " IN (SELECT " + selected->name + " FROM " + table->first;
    for (size_t i = 0; i < filter.sub.size(); ++i) {
      *sql += i == 0 ? " WHERE " : " AND ";
      SB_RETURN_IF_ERROR(AppendCondition(table->first, inner, tables, filter.sub[i], sql, parts));
    }
    *sql += ")";
    return Status::Ok();
  }
  const ColumnInfo* column = FindColumn(columns, filter.field);
  if (column == nullptr) return UnknownField(what, "filter field", filter.field, columns);
  const auto count_error = [&](std::string_view expected) {
    return Status::InvalidArgument(std::string(what) + ": filter " + column->name + " " +
                                   std::string(OpName(filter.op)) + " needs " +
                                   std::string(expected));
  };
  switch (filter.op) {
    case FilterOp::kIsNull:
    case FilterOp::kNotNull:
      if (!filter.values.empty()) return count_error("no values");
      *sql += column->name;
      *sql += filter.op == FilterOp::kIsNull ? " IS NULL" : " IS NOT NULL";
      return Status::Ok();
    case FilterOp::kIn: {
      if (filter.values.empty()) {
        *sql += "0 = 1";
        return Status::Ok();
      }
      *sql += "(" + column->name + " IN (";
      for (size_t i = 0; i < filter.values.size(); ++i) {
        SB_ASSIGN_OR_RETURN(Value value, CheckValue(what, *column, filter.values[i]));
        parts->params.push_back(std::move(value));
        *sql += (i == 0 ? "" : ", ") + placeholder();
      }
      *sql += ")";
      AddPartialIndexHint(*column, filter.values, sql);
      *sql += ")";
      return Status::Ok();
    }
    case FilterOp::kContains: {
      if (filter.values.size() != 1) return count_error("one value");
      const std::string* needle = std::get_if<std::string>(&filter.values[0]);
      if (column->kind != ColumnKind::kText || needle == nullptr) {
        return Status::InvalidArgument(std::string(what) + ": filter " + column->name +
                                       " contains needs a text field and a text value");
      }
      parts->params.push_back(Value(ContainsPattern(*needle)));
      *sql += std::string(kCaseFoldFunction) + "(" + column->name + ") LIKE " + placeholder() +
              " ESCAPE '\\'";
      return Status::Ok();
    }
    case FilterOp::kEq:
    case FilterOp::kNe:
    case FilterOp::kLt:
    case FilterOp::kLe:
    case FilterOp::kGt:
    case FilterOp::kGe:
    case FilterOp::kAnyOf:
    case FilterOp::kInSelect:
      break;
  }
  if (filter.values.size() != 1) return count_error("one value");
  SB_ASSIGN_OR_RETURN(Value value, CheckValue(what, *column, filter.values[0]));
  parts->params.push_back(std::move(value));
  std::string_view op = " = ";
  switch (filter.op) {
    case FilterOp::kNe:
      op = " IS NOT ";  // null-safe: a null field is "not equal"
      break;
    case FilterOp::kLt:
      op = " < ";
      break;
    case FilterOp::kLe:
      op = " <= ";
      break;
    case FilterOp::kGt:
      op = " > ";
      break;
    case FilterOp::kGe:
      op = " >= ";
      break;
    default:
      break;
  }
  const bool hint = filter.op == FilterOp::kEq && column->name == "external_id";
  if (hint) *sql += "(";
  *sql += column->name;
  *sql += op;
  *sql += placeholder();
  if (hint) {
    AddPartialIndexHint(*column, filter.values, sql);
    *sql += ")";
  }
  return Status::Ok();
}

}  // namespace

Status BuildQuery(std::string_view what, const std::vector<ColumnInfo>& columns,
                  const TableColumns& tables, const ListQuery& query, bool with_order,
                  QueryParts* parts) {
  for (const Filter& filter : query.filters) {
    parts->where += parts->where.empty() ? " WHERE " : " AND ";
    SB_RETURN_IF_ERROR(AppendCondition(what, columns, tables, filter, &parts->where, parts));
  }

  if (query.limit < -1) {
    return Status::InvalidArgument(std::string(what) + ": limit must be -1 (all) or more");
  }
  if (query.offset < 0) {
    return Status::InvalidArgument(std::string(what) + ": offset must not be negative");
  }
  if (!with_order) return Status::Ok();

  const std::string& order_by = query.order_by.empty() ? std::string("id") : query.order_by;
  const ColumnInfo* order = FindColumn(columns, order_by);
  if (order == nullptr) return UnknownField(what, "order_by field", order_by, columns);
  const std::string_view direction = query.descending ? " DESC" : "";
  parts->order = " ORDER BY " + order->name;
  parts->order += direction;
  if (order->name != "id") {
    if (order->nullable) parts->order += " NULLS LAST";
    parts->order += ", id";
    parts->order += direction;
  }
  if (query.limit >= 0 || query.offset > 0) {
    parts->paged = true;
    parts->limit_rows = query.limit;  // SQLite reads a negative limit as "no limit"
    parts->offset_rows = query.offset;
    const size_t n = parts->params.size();
    parts->limit = " LIMIT ?" + std::to_string(n + 1) + " OFFSET ?" + std::to_string(n + 2);
  }
  return Status::Ok();
}

int BindParams(sqlite3_stmt* stmt, const QueryParts& parts) {
  const std::vector<Value>& params = parts.params;
  for (size_t i = 0; i < params.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    const Value& value = params[i];
    int rc = SQLITE_OK;
    if (const int64_t* integer = std::get_if<int64_t>(&value)) {
      rc = sqlite3_bind_int64(stmt, index, *integer);
    } else if (const double* real = std::get_if<double>(&value)) {
      rc = sqlite3_bind_double(stmt, index, *real);
    } else if (const std::string* text = std::get_if<std::string>(&value)) {
      rc = sqlite3_bind_text64(stmt, index, text->data(), text->size(), SQLITE_STATIC, SQLITE_UTF8);
    } else {
      rc = sqlite3_bind_null(stmt, index);
    }
    if (rc != SQLITE_OK) return rc;
  }
  if (!parts.paged) return SQLITE_OK;
  const int next = static_cast<int>(params.size()) + 1;
  const int rc = sqlite3_bind_int64(stmt, next, parts.limit_rows);
  if (rc != SQLITE_OK) return rc;
  return sqlite3_bind_int64(stmt, next + 1, parts.offset_rows);
}

Status ExplainMissingReference(sqlite3* db, std::string_view what,
                               const std::vector<Reference>& references, Status fallback) {
  for (const Reference& reference : references) {
    Result<Statement> exists = Statement::Prepare(
        db, "SELECT 1 FROM " + std::string(reference.table) + " WHERE id = ?1", false);
    if (!exists.ok()) return fallback;
    sqlite3_bind_int64(exists->get(), 1, reference.id);
    const int rc = sqlite3_step(exists->get());
    if (rc == SQLITE_DONE) {
      return Status::NotFound(std::string(what) + ": " + std::string(reference.what) + " " +
                              std::to_string(reference.id) + " does not exist (" +
                              std::string(reference.column) + ")");
    }
    if (rc != SQLITE_ROW) return fallback;
  }
  return fallback;
}

Status ExplainStillReferenced(sqlite3* db, std::string_view table, std::string_view what,
                              int64_t id, Status fallback) {
  // Which (table, column) pairs refer to `table`, from SQLite's own schema.
  Result<Statement> referrers = Statement::Prepare(
      db,
      "SELECT m.name, f.\"from\" FROM sqlite_schema AS m, pragma_foreign_key_list(m.name) AS f "
      "WHERE m.type = 'table' AND f.\"table\" = ?1 ORDER BY m.name, f.\"from\"",
      false);
  if (!referrers.ok()) return fallback;
  sqlite3_bind_text64(referrers->get(), 1, table.data(), table.size(), SQLITE_STATIC, SQLITE_UTF8);
  std::vector<std::pair<std::string, std::string>> pairs;
  while (sqlite3_step(referrers->get()) == SQLITE_ROW) {
    const auto* name = reinterpret_cast<const char*>(sqlite3_column_text(referrers->get(), 0));
    const auto* column = reinterpret_cast<const char*>(sqlite3_column_text(referrers->get(), 1));
    if (name != nullptr && column != nullptr) pairs.emplace_back(name, column);
  }
  for (const auto& [name, column] : pairs) {
    // Both names come from sqlite_schema, not from a caller.
    Result<Statement> used = Statement::Prepare(
        db, "SELECT 1 FROM \"" + name + "\" WHERE \"" + column + "\" = ?1 LIMIT 1", false);
    if (!used.ok()) continue;
    sqlite3_bind_int64(used->get(), 1, id);
    if (sqlite3_step(used->get()) == SQLITE_ROW) {
      return Status::FailedPrecondition(std::string(what) + " " + std::to_string(id) +
                                        " is still referenced by " + name + "." + column);
    }
  }
  return fallback;
}

}  // namespace salesbox::storage::sqlite::detail

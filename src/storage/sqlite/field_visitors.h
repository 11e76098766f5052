// SPDX-License-Identifier: MIT
// The visitors that turn a storage::internal::Table<T> field list into SQLite columns: which
// columns a type has, binding a record's fields to statement parameters, reading them back from
// a row, and finding the records a record refers to. Private to storage/sqlite/.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "common/ids.h"
#include "common/money.h"
#include "common/status.h"
#include "common/time.h"
#include "domain/enum_names.h"
#include "storage/schema.h"

namespace salesbox::storage::sqlite::detail {

using ::salesbox::storage::internal::Table;

template <typename X>
struct OptionalTraits {
  static constexpr bool kIsOptional = false;
  using Inner = X;
};
template <typename X>
struct OptionalTraits<std::optional<X>> {
  static constexpr bool kIsOptional = true;
  using Inner = X;
};

template <typename X>
inline constexpr bool kIsId = false;
template <typename Tag>
inline constexpr bool kIsId<Id<Tag>> = true;

template <typename E>
concept NamedEnum = std::is_enum_v<E> && requires {
  EnumNames<E>::kNames;
};

template <typename>
inline constexpr bool kUnsupportedField = false;

// The record type an id names, so a foreign key can be reported as "account 17".
template <typename IdT>
struct EntityOf;
template <>
struct EntityOf<UserId> {
  using type = User;
};
template <>
struct EntityOf<TeamId> {
  using type = Team;
};
template <>
struct EntityOf<SegmentId> {
  using type = Segment;
};
template <>
struct EntityOf<AccountId> {
  using type = Account;
};
template <>
struct EntityOf<ContactId> {
  using type = Contact;
};
template <>
struct EntityOf<LeadId> {
  using type = Lead;
};
template <>
struct EntityOf<CampaignId> {
  using type = Campaign;
};
template <>
struct EntityOf<OpportunityId> {
  using type = Opportunity;
};
template <>
struct EntityOf<OpportunityChangeId> {
  using type = OpportunityChange;
};
template <>
struct EntityOf<ActivityId> {
  using type = Activity;
};
template <>
struct EntityOf<OrderId> {
  using type = Order;
};
template <>
struct EntityOf<ObjectiveId> {
  using type = Objective;
};
template <>
struct EntityOf<ValuePropositionId> {
  using type = ValueProposition;
};
template <>
struct EntityOf<AuditRunId> {
  using type = AuditRun;
};
template <>
struct EntityOf<ForecastSnapshotId> {
  using type = ForecastSnapshot;
};

// How a column is stored and which filter values it accepts.
enum class ColumnKind { kText, kInteger, kBool, kReal, kEnum, kDate, kTimestamp };

struct ColumnInfo {
  std::string name;
  ColumnKind kind = ColumnKind::kText;
  bool nullable = false;
  Status (*check_enum)(std::string_view) = nullptr;  // kEnum: OK iff a valid name
};

template <NamedEnum E>
Status CheckEnumName(std::string_view text) {
  Result<E> parsed = ParseEnum<E>(text);
  return parsed.ok() ? Status::Ok() : parsed.status();
}

// Lists the columns of a Table<T> in Fields order (Money x -> x_minor, x_currency).
class ColumnCollector {
 public:
  explicit ColumnCollector(std::vector<ColumnInfo>* columns) : columns_(columns) {}

  template <typename X>
  void operator()(std::string_view name, const X& /*field*/) {
    Add<X>(name, false);
  }

 private:
  template <typename X>
  void Add(std::string_view name, bool nullable) {
    if constexpr (OptionalTraits<X>::kIsOptional) {
      Add<typename OptionalTraits<X>::Inner>(name, true);
    } else if constexpr (std::is_same_v<X, std::string>) {
      Push(std::string(name), ColumnKind::kText, nullable);
    } else if constexpr (std::is_same_v<X, bool>) {
      Push(std::string(name), ColumnKind::kBool, nullable);
    } else if constexpr (std::is_same_v<X, int64_t> || kIsId<X>) {
      Push(std::string(name), ColumnKind::kInteger, nullable);
    } else if constexpr (std::is_same_v<X, double>) {
      Push(std::string(name), ColumnKind::kReal, nullable);
    } else if constexpr (NamedEnum<X>) {
      Push(std::string(name), ColumnKind::kEnum, nullable, &CheckEnumName<X>);
    } else if constexpr (std::is_same_v<X, Date>) {
      Push(std::string(name), ColumnKind::kDate, nullable);
    } else if constexpr (std::is_same_v<X, Timestamp>) {
      Push(std::string(name), ColumnKind::kTimestamp, nullable);
    } else if constexpr (std::is_same_v<X, Money>) {
      Push(std::string(name) + "_minor", ColumnKind::kInteger, nullable);
      Push(std::string(name) + "_currency", ColumnKind::kText, nullable);
    } else {
      static_assert(kUnsupportedField<X>, "schema.h names a field type SQLite cannot store");
    }
  }

  void Push(std::string name, ColumnKind kind, bool nullable,
            Status (*check_enum)(std::string_view) = nullptr) {
    columns_->push_back(ColumnInfo{std::move(name), kind, nullable, check_enum});
  }

  std::vector<ColumnInfo>* columns_;
};

// Binds a record's fields to consecutive parameters starting at `first`. Text is bound with
// SQLITE_STATIC: the record must outlive the statement's execution. Dates and timestamps are
// formatted into `scratch` (one slot per date/timestamp column), which must outlive it too.
class Binder {
 public:
  Binder(sqlite3_stmt* stmt, int first, std::string* scratch)
      : stmt_(stmt), index_(first), scratch_(scratch) {}

  template <typename X>
  void operator()(std::string_view name, const X& value) {
    field_ = name;
    Bind(value);
  }

  void BindInt64(int64_t value) { Check(sqlite3_bind_int64(stmt_, index_++, value)); }

  // SQLITE_OK, or the first failing bind's code.
  int rc() const { return rc_; }
  // Why a field's value cannot be stored ("probability is not a number"), or empty.
  const std::string& invalid() const { return invalid_; }

 private:
  void Check(int rc) {
    if (rc != SQLITE_OK && rc_ == SQLITE_OK) rc_ = rc;
  }
  void Invalid(std::string_view problem) {
    if (invalid_.empty()) invalid_ = std::string(field_) + " " + std::string(problem);
  }
  void BindText(std::string_view text) {
    Check(
        sqlite3_bind_text64(stmt_, index_++, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8));
  }

  void Bind(const std::string& value) { BindText(value); }
  void Bind(bool value) { Check(sqlite3_bind_int(stmt_, index_++, value ? 1 : 0)); }
  void Bind(int64_t value) { Check(sqlite3_bind_int64(stmt_, index_++, value)); }
  void Bind(double value) {
    if (std::isnan(value)) Invalid("is not a number");  // SQLite would store NaN as NULL
    Check(sqlite3_bind_double(stmt_, index_++, value));
  }
  template <typename Tag>
  void Bind(Id<Tag> id) {
    Check(sqlite3_bind_int64(stmt_, index_++, id.value));
  }
  template <NamedEnum E>
  void Bind(E value) {
    const std::string_view name = ToString(value);
    if (name == "?") Invalid("is not a named enum value");
    BindText(name);
  }
  // Only years the stored text can hold and ParseIsoDate/ParseTimestamp read back are accepted,
  // so that every row written can be read.
  void Bind(Date value) {
    const int year = static_cast<int>(std::chrono::year_month_day(value).year());
    if (year < 0 || year > 9999) Invalid("is outside the years 0000..9999");
    std::string& slot = *scratch_++;
    slot = FormatDate(value);
    BindText(slot);
  }
  void Bind(Timestamp value) {
    const auto day = std::chrono::floor<std::chrono::days>(value);
    const int year = static_cast<int>(std::chrono::year_month_day(day).year());
    if (year < 1900 || year > 2200) Invalid("is outside the years 1900..2200");
    std::string& slot = *scratch_++;
    slot = FormatTimestamp(value);
    BindText(slot);
  }
  void Bind(const Money& value) {
    Check(sqlite3_bind_int64(stmt_, index_++, value.minor_units));
    BindText(value.currency.code());
  }
  template <typename X>
  void Bind(const std::optional<X>& value) {
    if (value.has_value()) {
      Bind(*value);
      return;
    }
    Check(sqlite3_bind_null(stmt_, index_++));
    if constexpr (std::is_same_v<X, Money>) Check(sqlite3_bind_null(stmt_, index_++));
  }

  sqlite3_stmt* stmt_;
  int index_;
  std::string* scratch_;
  int rc_ = SQLITE_OK;
  std::string_view field_;
  std::string invalid_;
};

// Binds only the fields at ordinals `fields` (positions in Fields order, ascending) of a record,
// to consecutive parameters from 1: the natural key for a lookup by key.
class KeyBinder {
 public:
  KeyBinder(sqlite3_stmt* stmt, const std::vector<int>& fields, std::string* scratch)
      : fields_(fields), binder_(stmt, 1, scratch) {}

  template <typename X>
  void operator()(std::string_view name, const X& value) {
    if (next_ < fields_.size() && fields_[next_] == ordinal_) {
      binder_(name, value);
      ++next_;
    }
    ++ordinal_;
  }

  const Binder& binder() const { return binder_; }

 private:
  const std::vector<int>& fields_;
  Binder binder_;
  size_t next_ = 0;
  int ordinal_ = 0;
};

// Reads a record's fields from consecutive result columns starting at `first`. A stored value
// that does not parse (an unknown enum name, a malformed date) makes status() kInternal: the
// database holds something salesbox did not write.
class Reader {
 public:
  Reader(sqlite3_stmt* stmt, int first) : stmt_(stmt), column_(first) {}

  template <typename X>
  void operator()(std::string_view name, X& value) {
    Read(name, value);
  }

  const Status& status() const { return status_; }

 private:
  std::string_view Text() {
    const unsigned char* text = sqlite3_column_text(stmt_, column_);
    const int size = sqlite3_column_bytes(stmt_, column_);
    ++column_;
    if (text == nullptr) return {};
    return std::string_view(reinterpret_cast<const char*>(text), static_cast<size_t>(size));
  }
  int64_t Int64() { return sqlite3_column_int64(stmt_, column_++); }
  void Fail(std::string_view name, const Status& problem) {
    if (!status_.ok()) return;
    status_ = Status::Internal("stored " + std::string(name) + " is invalid: " + problem.message());
  }

  void Read(std::string_view, std::string& value) { value.assign(Text()); }
  void Read(std::string_view, bool& value) { value = Int64() != 0; }
  void Read(std::string_view, int64_t& value) { value = Int64(); }
  void Read(std::string_view, double& value) { value = sqlite3_column_double(stmt_, column_++); }
  template <typename Tag>
  void Read(std::string_view, Id<Tag>& value) {
    value.value = Int64();
  }
  template <NamedEnum E>
  void Read(std::string_view name, E& value) {
    Result<E> parsed = ParseEnum<E>(Text());
    if (parsed.ok()) {
      value = *parsed;
    } else {
      Fail(name, parsed.status());
    }
  }
  void Read(std::string_view name, Date& value) {
    Result<Date> parsed = ParseIsoDate(Text());
    if (parsed.ok()) {
      value = *parsed;
    } else {
      Fail(name, parsed.status());
    }
  }
  void Read(std::string_view name, Timestamp& value) {
    Result<Timestamp> parsed = ParseTimestamp(Text());
    if (parsed.ok()) {
      value = *parsed;
    } else {
      Fail(name, parsed.status());
    }
  }
  void Read(std::string_view name, Money& value) {
    value.minor_units = Int64();
    Result<Currency> currency = Currency::Parse(Text());
    if (currency.ok()) {
      value.currency = *currency;
    } else {
      Fail(name, currency.status());
    }
  }
  template <typename X>
  void Read(std::string_view name, std::optional<X>& value) {
    if (sqlite3_column_type(stmt_, column_) == SQLITE_NULL) {
      value.reset();
      column_ += std::is_same_v<X, Money> ? 2 : 1;
      return;
    }
    X inner{};
    Read(name, inner);
    value = std::move(inner);
  }

  sqlite3_stmt* stmt_;
  int column_;
  Status status_;
};

// A record's reference to another record: `column` holds `id` of a row in `table`.
struct Reference {
  std::string_view column;
  std::string_view table;  // "accounts"
  std::string_view what;   // "account"
  int64_t id = 0;
};

// Lists the references a record makes (non-null id fields).
class ReferenceCollector {
 public:
  explicit ReferenceCollector(std::vector<Reference>* references) : references_(references) {}

  template <typename X>
  void operator()(std::string_view name, const X& value) {
    if constexpr (OptionalTraits<X>::kIsOptional) {
      if (value.has_value()) (*this)(name, *value);
    } else if constexpr (kIsId<X>) {
      using Target = Table<typename EntityOf<X>::type>;
      references_->push_back(Reference{name, Target::kName, Target::kWhat, value.value});
    }
  }

 private:
  std::vector<Reference>* references_;
};

// Lists the field names of a Table<T> in Fields order (a Money field is one name).
struct FieldNames {
  template <typename X>
  void operator()(std::string_view name, const X& /*field*/) {
    names.push_back(name);
  }
  std::vector<std::string_view> names;
};

// Counts the fields of a Table<T> that Binder formats into scratch text.
class ScratchCounter {
 public:
  template <typename X>
  void operator()(std::string_view /*name*/, const X& /*field*/) {
    using Inner = typename OptionalTraits<X>::Inner;
    if constexpr (std::is_same_v<Inner, Date> || std::is_same_v<Inner, Timestamp>) ++count;
  }
  int count = 0;
};

}  // namespace salesbox::storage::sqlite::detail

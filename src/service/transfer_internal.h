// SPDX-License-Identifier: MIT
// Private to service/: the column tables behind TransferService and the parsing helpers they
// share. One ColumnSpec per canonical CSV column says how to read a cell into a record and how to
// write it back, so import and export cannot drift apart.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/money.h"
#include "common/result.h"
#include "common/time.h"
#include "domain/enum_names.h"
#include "service/transfer.h"
#include "storage/store.h"

namespace salesbox::service::internal {

// Lower-case ASCII letters and digits only; other ASCII is dropped and non-ASCII bytes are kept,
// so "Close Date", "close_date" and "CloseDate" all become "closedate".
std::string NormalizeName(std::string_view text);

// Removes blanks (space, tab, no-break space) at both ends.
std::string_view Trim(std::string_view text);

// True if `normalized` equals one of the '|'-separated `aliases`.
bool MatchesAlias(std::string_view normalized, std::string_view aliases);

// An enum value with the other names people and CRMs use for it.
template <typename E>
struct EnumAlias {
  E value;
  std::string_view aliases;  // normalised, '|'-separated
};

// Parses `text` as E: its snake_case name or one of `aliases`, compared after NormalizeName.
// kInvalidArgument lists the canonical names.
template <typename E>
Result<E> ParseEnumAlias(std::string_view text, std::span<const EnumAlias<E>> aliases) {
  for (const auto& [value, name] : EnumNames<E>::kNames) {
    if (name == text) return value;  // the canonical name, as export writes it: no allocation
  }
  std::string normalized = NormalizeName(text);
  for (const auto& [value, name] : EnumNames<E>::kNames) {
    if (NormalizeName(name) == normalized) return value;
  }
  for (const EnumAlias<E>& alias : aliases) {
    if (MatchesAlias(normalized, alias.aliases)) return alias.value;
  }
  return ParseEnum<E>(Trim(text));  // fails with the list of allowed names
}

// Reads and writes references between records by their human keys (external ids, names,
// e-mails). Not thread-safe.
//
// Two modes: kIndex loads each kind's whole index from the store on first use (imports and
// exports touch most records, and one scan beats a query per row); kPoint looks up each
// reference with one indexed query and remembers it (a request that shows 50 records must not
// read 200,000 accounts).
class Lookups {
 public:
  enum class Mode { kIndex, kPoint };
  explicit Lookups(storage::Store& store, Mode mode = Mode::kIndex) : store_(store), mode_(mode) {}

  // The store references are looked up in (the caller's transaction).
  storage::Store& store() { return store_; }

  // An account by external id, else by exact name (kInvalidArgument when no account or several
  // share the name).
  Result<AccountId> Account(std::string_view ref);
  // A user by e-mail (case-insensitive), else by exact name.
  Result<UserId> User(std::string_view ref);
  Result<TeamId> Team(std::string_view name);
  // A team by name, created (inside the caller's transaction) when there is none yet.
  Result<TeamId> TeamOrNew(std::string_view name);
  // A user by e-mail or name (as User); a name no user has creates a user who cannot sign in
  // (kNoEmailDomain in transfer.h), inside the caller's transaction. An unknown e-mail or a
  // name several users share is kInvalidArgument, as in User. REQUIRES: Mode::kIndex.
  Result<UserId> OwnerOrNew(std::string_view ref, Timestamp now);
  // "Name <e-mail>" of each user OwnerOrNew created, in order.
  const std::vector<std::string>& created_users() const { return created_users_; }
  // Every manager of the team, the team's manager_id first, then the others in the order they
  // were made managers. kIndex loads every team's managers at once.
  Result<std::vector<UserId>> TeamManagers(const salesbox::Team& team);
  Result<SegmentId> Segment(std::string_view name);
  Result<CampaignId> Campaign(std::string_view ref);  // external id, else exact name
  Result<ContactId> Contact(std::string_view external_id);
  Result<LeadId> Lead(std::string_view external_id);
  Result<OpportunityId> Opportunity(std::string_view external_id);

  // The reference export writes: the external id, or the name when there is none.
  Result<std::string> AccountRef(AccountId id);
  Result<std::string> UserRef(UserId id);  // e-mail
  Result<std::string> TeamRef(TeamId id);
  Result<std::string> SegmentRef(SegmentId id);
  Result<std::string> CampaignRef(CampaignId id);
  Result<std::string> ContactRef(ContactId id);
  Result<std::string> LeadRef(LeadId id);
  Result<std::string> OpportunityRef(OpportunityId id);

  // Hashes std::string and std::string_view alike, so lookups by a cell need no copy.
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>()(text); }
  };
  using TextMap = std::unordered_map<std::string, int64_t, TextHash, std::equal_to<>>;

  struct Index {
    bool loaded = false;
    TextMap by_key;                                  // external id / e-mail / name
    TextMap by_name;                                 // -1: several records share the name
    std::unordered_map<int64_t, std::string> label;  // id -> what export writes
  };

  // How one kind is indexed (transfer_lookups.cc).
  template <typename T, typename IdT>
  struct IndexKind;

 private:
  template <typename T, typename IdT>
  Result<int64_t> Find(Index& index, const IndexKind<T, IdT>& kind, std::string_view ref);
  template <typename T, typename IdT>
  Result<std::string> Label(Index& index, const IndexKind<T, IdT>& kind, int64_t id);
  template <typename T, typename IdT>
  Status Load(Index& index, const IndexKind<T, IdT>& kind);

  storage::Store& store_;
  Mode mode_;
  Index accounts_, users_, teams_, segments_, campaigns_, contacts_, leads_, opportunities_;
  std::vector<std::string> created_users_;
  bool team_managers_loaded_ = false;
  std::unordered_map<int64_t, std::vector<UserId>> team_managers_;  // team -> managers by id
};

// What a cell parser needs besides the cell.
struct ParseContext {
  Lookups* lookups = nullptr;
  DecimalSeparator decimal = DecimalSeparator::kAuto;
  DateOrder date_order = DateOrder::kDayFirst;
  Currency default_currency;
  // Per-import state for keys derived from row content (orders without an external id).
  std::unordered_map<std::string, int>* occurrences = nullptr;
  // The store being imported into, for checks against stored configuration (playbooks).
  storage::Store* store = nullptr;
  // Scorecard answers: the criterion ids people answer, per subject type (0 opportunity,
  // 1 account), loaded from the active playbooks on first use.
  bool criteria_loaded = false;
  std::vector<std::string> manual_criteria[2];
  std::string playbook_labels[2];
  // Cells that only complete another field (contacts' first_name + last_name -> name); cleared
  // before each row (BeginRow).
  std::string given_name, family_name;
  // Teams: whether the row has a manager_email cell, and the managers its managers cell names
  // (`managers_given`), in order; Finish puts manager_id first. Cleared before each row.
  bool manager_given = false;
  bool managers_given = false;
  std::vector<UserId> managers;
  std::string manager_note = "import";  // TeamManager::note of managers a row adds
  // When the import runs (updated_at of records a row changes besides its own).
  Timestamp now{};
  // Owner columns create the users they name when no user has the name (Lookups::OwnerOrNew):
  // the importer's choice; a single record edited through the API gets an error instead.
  bool create_owners = false;
  // Opportunities: the currency of a new deal without amount or currency, decided once from the
  // stored deals (the most common currency; XXX when there are none).
  std::optional<Currency> house_currency;
  // Opportunity history: each opportunity's created_on as last seen, so a change dated before
  // it moves it back without reading the opportunity for every change.
  std::unordered_map<int64_t, Date> created_on;

  // Clears what one row's cells leave behind for the next.
  void BeginRow() {
    given_name.clear();
    family_name.clear();
    manager_given = false;
    managers_given = false;
    managers.clear();
  }
};

template <typename T>
struct ColumnSpec {
  std::string_view name;
  std::string_view aliases;  // normalised, '|'-separated
  bool required = false;     // needs a value to create a record
  bool numeric = false;      // a number in JSON export
  bool early = false;        // parsed before the other columns (currency before amounts)
  bool exported = true;      // false for import-only helpers (first_name, last_name)
  // Sets the field(s) from a trimmed cell; an empty cell clears optional fields.
  Status (*parse)(std::string_view cell, T& record, ParseContext& context) = nullptr;
  // Appends the field's text; empty for "no value".
  Status (*format)(const T& record, Lookups& lookups, std::string& out) = nullptr;
};

template <typename T, typename IdT>
struct KindSpec {
  Kind kind;
  std::string_view what;  // "account"
  std::span<const ColumnSpec<T>> columns;
  storage::Repository<T, IdT>& (*repository)(storage::Store& store);
  // Checks and completes a parsed record (defaults, cross-field rules). May be null.
  Status (*finish)(T& record, ParseContext& context, Date today);
  // The record's natural key as text; empty: cannot match an existing record.
  std::string (*key)(const T& record);
  // The column(s) the key is made of, for messages: "external_id", "opportunity and changed_at".
  std::string_view key_columns = {};
  // For a row without a key (`key` empty): how to recognise the stored record it means. Each
  // returns "" when the record has no such value. `strong_key` identifies one record (an
  // account's org number); `name_key` may be shared by several (its name), and then the row is
  // refused rather than guessed. Null when the kind has none.
  std::string (*strong_key)(const T& record) = nullptr;
  std::string_view strong_column = {};
  std::string (*name_key)(const T& record) = nullptr;
  std::string_view name_column = {};
  // For a row whose key is new: a stored record may be adopted instead of a new one inserted,
  // when it is a placeholder with the row's name (users created by OwnerOrNew, which an import
  // of users with real e-mails completes). Returns the name a record is adopted by; "" for
  // records that are not placeholders. May be null.
  std::string (*adoptable_name)(const T& record) = nullptr;
  // Prepares the record a row is read into before its cells are applied: fields that are
  // unknown unless the file says otherwise (an opportunity's amount). May be null.
  void (*blank)(T& record) = nullptr;
  // Called after the row's record was inserted or updated (only while writing); may change other
  // records, inside the import's transaction. May be null.
  Status (*after_write)(const T& record, ParseContext& context) = nullptr;
  // For a row whose own record is unchanged: whether after_write would still change something
  // (a team's managers besides the first). May be null: nothing to change then.
  Result<bool> (*side_changed)(const T& record, ParseContext& context) = nullptr;
};

// The spec of each kind (transfer_kinds.cc).
const KindSpec<Team, TeamId>& TeamSpec();
const KindSpec<Segment, SegmentId>& SegmentSpec();
const KindSpec<User, UserId>& UserSpec();
const KindSpec<Account, AccountId>& AccountSpec();
const KindSpec<Contact, ContactId>& ContactSpec();
const KindSpec<Campaign, CampaignId>& CampaignSpec();
const KindSpec<Lead, LeadId>& LeadSpec();
const KindSpec<Opportunity, OpportunityId>& OpportunitySpec();
const KindSpec<OpportunityChange, OpportunityChangeId>& OpportunityChangeSpec();
const KindSpec<Activity, ActivityId>& ActivitySpec();
const KindSpec<Order, OrderId>& OrderSpec();
const KindSpec<ScorecardAnswer, ScorecardAnswerId>& ScorecardAnswerSpec();
const KindSpec<Objective, ObjectiveId>& ObjectiveSpec();
const KindSpec<ValueProposition, ValuePropositionId>& ValuePropositionSpec();

}  // namespace salesbox::service::internal

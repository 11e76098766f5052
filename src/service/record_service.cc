// SPDX-License-Identifier: MIT
// RecordService: one generic implementation over a per-kind table (ApiDef) that adds to the
// import/export column table (KindSpec) what the API needs besides: the numeric ids of
// references, money in minor units, list filters and sort fields.
#include "service/record_service.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "common/status_macros.h"
#include "service/access.h"
#include "service/change_log.h"
#include "service/transfer_internal.h"

namespace salesbox::service {
namespace {

using internal::ColumnSpec;
using internal::KindSpec;
using internal::Lookups;
using internal::ParseContext;
using nlohmann::json;
using storage::Filter;
using storage::FilterOp;
using storage::Match;
using storage::Value;

// --- per-kind tables ------------------------------------------------------------------------

template <typename T>
struct IdField {
  const char* name;    // "account_id"
  const char* column;  // the canonical column it stands for: "account"
  Kind target;         // what it refers to
  std::optional<int64_t> (*get)(const T&);
  void (*set)(T&, std::optional<int64_t>);
};

template <typename M>
struct MemberTraits;
template <typename C, typename F>
struct MemberTraits<F C::*> {
  using Class = C;
  using Field = F;
};

template <auto M>
struct IdAccess {
  using T = typename MemberTraits<decltype(M)>::Class;
  using F = typename MemberTraits<decltype(M)>::Field;
  static std::optional<int64_t> Get(const T& r) {
    if constexpr (requires { (r.*M).has_value(); }) {
      if (!(r.*M)) return std::nullopt;
      return (r.*M)->value;
    } else {
      if (!(r.*M).valid()) return std::nullopt;
      return (r.*M).value;
    }
  }
  static void Set(T& r, std::optional<int64_t> v) {
    if constexpr (requires { (r.*M).has_value(); }) {
      if (v) {
        r.*M = typename F::value_type{*v};
      } else {
        (r.*M).reset();
      }
    } else {
      r.*M = F{v.value_or(0)};
    }
  }
};

template <auto M>
constexpr auto Ref(const char* name, const char* column, Kind target) {
  using T = typename IdAccess<M>::T;
  return IdField<T>{name, column, target, &IdAccess<M>::Get, &IdAccess<M>::Set};
}

template <typename T>
struct MoneyField {
  const char* name;  // "amount_minor"
  Money T::*member;
};

struct FilterDef {
  const char* name;    // query parameter
  const char* stored;  // stored field
  bool is_id;          // values are integers
};

struct SortDef {
  const char* name;
  const char* stored;
};

template <typename T, typename IdT>
struct ApiDef {
  Kind kind;
  const char* path;
  const KindSpec<T, IdT>& (*spec)();
  std::span<const IdField<T>> ids;
  std::span<const MoneyField<T>> money;
  std::span<const FilterDef> filters;
  std::span<const SortDef> sorts;
  const char* date_name;    // API name of the date field; nullptr: none
  const char* date_stored;  // its stored field
  const char* search;       // stored field `q` searches; nullptr: none
};

// Accounts.
const IdField<Account> kAccountIds[] = {
    Ref<&Account::owner_id>("owner_id", "owner_email", Kind::kUsers),
};
const FilterDef kAccountFilters[] = {
    {"owner_id", "owner_id", true},     {"status", "status", false},
    {"country", "country", false},      {"industry", "industry", false},
    {"segment_id", "segment_id", true}, {"abc_class", "abc_class", false},
};
const SortDef kAccountSorts[] = {{"name", "name"},
                                 {"employees", "employees"},
                                 {"country", "country"},
                                 {"created_at", "created_at"}};
const ApiDef<Account, AccountId> kAccounts{Kind::kAccounts, "accounts", internal::AccountSpec,
                                           kAccountIds,     {},         kAccountFilters,
                                           kAccountSorts,   nullptr,    nullptr,
                                           "name"};

// Contacts.
const IdField<Contact> kContactIds[] = {
    Ref<&Contact::account_id>("account_id", "account", Kind::kAccounts),
};
const FilterDef kContactFilters[] = {{"account_id", "account_id", true},
                                     {"buying_role", "buying_role", false}};
const SortDef kContactSorts[] = {{"name", "name"},
                                 {"relationship_strength", "relationship_strength"}};
const ApiDef<Contact, ContactId> kContacts{Kind::kContacts, "contacts", internal::ContactSpec,
                                           kContactIds,     {},         kContactFilters,
                                           kContactSorts,   nullptr,    nullptr,
                                           "name"};

// Leads.
const IdField<Lead> kLeadIds[] = {
    Ref<&Lead::campaign_id>("campaign_id", "campaign", Kind::kCampaigns),
    Ref<&Lead::owner_id>("owner_id", "owner_email", Kind::kUsers),
    Ref<&Lead::account_id>("account_id", "account", Kind::kAccounts),
};
const FilterDef kLeadFilters[] = {{"status", "status", false},
                                  {"source", "source", false},
                                  {"campaign_id", "campaign_id", true},
                                  {"owner_id", "owner_id", true},
                                  {"account_id", "account_id", true}};
const SortDef kLeadSorts[] = {{"name", "name"}, {"created_date", "created_on"}};
const ApiDef<Lead, LeadId> kLeads{Kind::kLeads, "leads",      internal::LeadSpec, kLeadIds,
                                  {},           kLeadFilters, kLeadSorts,         "created_date",
                                  "created_on", "name"};

// Campaigns.
const IdField<Campaign> kCampaignIds[] = {
    Ref<&Campaign::segment_id>("segment_id", "segment", Kind::kSegments),
};
const MoneyField<Campaign> kCampaignMoney[] = {{"cost_minor", &Campaign::cost}};
const FilterDef kCampaignFilters[] = {{"channel", "channel", false},
                                      {"segment_id", "segment_id", true}};
const SortDef kCampaignSorts[] = {
    {"name", "name"}, {"start_date", "start_on"}, {"cost", "cost_minor"}};
const ApiDef<Campaign, CampaignId> kCampaigns{
    Kind::kCampaigns, "campaigns",    internal::CampaignSpec, kCampaignIds, kCampaignMoney,
    kCampaignFilters, kCampaignSorts, "start_date",           "start_on",   "name"};

// Opportunities.
const IdField<Opportunity> kOpportunityIds[] = {
    Ref<&Opportunity::account_id>("account_id", "account", Kind::kAccounts),
    Ref<&Opportunity::owner_id>("owner_id", "owner_email", Kind::kUsers),
};
const MoneyField<Opportunity> kOpportunityMoney[] = {{"amount_minor", &Opportunity::amount}};
const FilterDef kOpportunityFilters[] = {{"account_id", "account_id", true},
                                         {"owner_id", "owner_id", true},
                                         {"stage", "stage", false},
                                         {"outcome", "stage", false},
                                         {"forecast_category", "forecast_category", false}};
const SortDef kOpportunitySorts[] = {{"name", "name"},
                                     {"amount", "amount_minor"},
                                     {"close_date", "close_on"},
                                     {"created_date", "created_on"},
                                     {"stage", "stage"}};
const ApiDef<Opportunity, OpportunityId> kOpportunities{Kind::kOpportunities,
                                                        "opportunities",
                                                        internal::OpportunitySpec,
                                                        kOpportunityIds,
                                                        kOpportunityMoney,
                                                        kOpportunityFilters,
                                                        kOpportunitySorts,
                                                        "close_date",
                                                        "close_on",
                                                        "name"};

// Activities.
const IdField<Activity> kActivityIds[] = {
    Ref<&Activity::owner_id>("owner_id", "owner_email", Kind::kUsers),
    Ref<&Activity::account_id>("account_id", "account", Kind::kAccounts),
    Ref<&Activity::contact_id>("contact_id", "contact", Kind::kContacts),
    Ref<&Activity::opportunity_id>("opportunity_id", "opportunity", Kind::kOpportunities),
    Ref<&Activity::lead_id>("lead_id", "lead", Kind::kLeads),
};
const FilterDef kActivityFilters[] = {
    {"owner_id", "owner_id", true},     {"account_id", "account_id", true},
    {"contact_id", "contact_id", true}, {"opportunity_id", "opportunity_id", true},
    {"lead_id", "lead_id", true},       {"type", "type", false},
    {"status", "status", false},        {"overdue", "at", false},
    {"action_plan", "id", false}};
const SortDef kActivitySorts[] = {{"date", "at"}};
const ApiDef<Activity, ActivityId> kActivities{Kind::kActivities,
                                               "activities",
                                               internal::ActivitySpec,
                                               kActivityIds,
                                               {},
                                               kActivityFilters,
                                               kActivitySorts,
                                               "date",
                                               "at",
                                               nullptr};

// Orders.
const IdField<Order> kOrderIds[] = {
    Ref<&Order::account_id>("account_id", "account", Kind::kAccounts),
};
const MoneyField<Order> kOrderMoney[] = {{"revenue_minor", &Order::revenue},
                                         {"margin_minor", &Order::margin}};
const FilterDef kOrderFilters[] = {{"account_id", "account_id", true}};
const SortDef kOrderSorts[] = {{"date", "ordered_on"}, {"revenue", "revenue_minor"}};
const ApiDef<Order, OrderId> kOrders{Kind::kOrders, "orders",      internal::OrderSpec, kOrderIds,
                                     kOrderMoney,   kOrderFilters, kOrderSorts,         "date",
                                     "ordered_on",  nullptr};

// Teams.
const IdField<Team> kTeamIds[] = {
    Ref<&Team::manager_id>("manager_id", "manager_email", Kind::kUsers),
};
const SortDef kTeamSorts[] = {{"name", "name"}};
const ApiDef<Team, TeamId> kTeams{Kind::kTeams, "teams", internal::TeamSpec, kTeamIds,
                                  {},           {},      kTeamSorts,         nullptr,
                                  nullptr,      "name"};

// Users.
const IdField<User> kUserIds[] = {
    Ref<&User::team_id>("team_id", "team", Kind::kTeams),
};
const FilterDef kUserFilters[] = {
    {"team_id", "team_id", true}, {"role", "role", false}, {"active", "active", false}};
const SortDef kUserSorts[] = {{"name", "name"}, {"email", "email"}};
const ApiDef<User, UserId> kUsers{Kind::kUsers, "users",      internal::UserSpec, kUserIds,
                                  {},           kUserFilters, kUserSorts,         nullptr,
                                  nullptr,      "name"};

// Segments, objectives and value propositions (the strategy cascade).
const FilterDef kSegmentFilters[] = {{"core", "core", false}};
const SortDef kSegmentSorts[] = {{"name", "name"}};
const ApiDef<Segment, SegmentId> kSegments{Kind::kSegments,
                                           "segments",
                                           internal::SegmentSpec,
                                           {},
                                           {},
                                           kSegmentFilters,
                                           kSegmentSorts,
                                           nullptr,
                                           nullptr,
                                           "name"};

const FilterDef kObjectiveFilters[] = {{"metric", "metric", false}};
const SortDef kObjectiveSorts[] = {{"name", "name"}, {"period_start", "period_start"}};
const ApiDef<Objective, ObjectiveId> kObjectives{
    Kind::kObjectives, "objectives",   internal::ObjectiveSpec, {},    {}, kObjectiveFilters,
    kObjectiveSorts,   "period_start", "period_start",          "name"};

const IdField<ValueProposition> kValuePropositionIds[] = {
    Ref<&ValueProposition::segment_id>("segment_id", "segment", Kind::kSegments),
};
const FilterDef kValuePropositionFilters[] = {{"segment_id", "segment_id", true}};
const SortDef kValuePropositionSorts[] = {{"segment_id", "segment_id"}};
const ApiDef<ValueProposition, ValuePropositionId> kValuePropositions{
    Kind::kValuePropositions,
    "value-propositions",
    internal::ValuePropositionSpec,
    kValuePropositionIds,
    {},
    kValuePropositionFilters,
    kValuePropositionSorts,
    nullptr,
    nullptr,
    nullptr};

constexpr Kind kApiKinds[] = {Kind::kAccounts,  Kind::kContacts,      Kind::kLeads,
                              Kind::kCampaigns, Kind::kOpportunities, Kind::kActivities,
                              Kind::kOrders,    Kind::kTeams,         Kind::kUsers,
                              Kind::kSegments,  Kind::kObjectives,    Kind::kValuePropositions};

// Calls fn(def) with the ApiDef of `kind`.
template <typename Fn>
auto WithDef(Kind kind, Fn&& fn) {
  switch (kind) {
    case Kind::kAccounts:
      return fn(kAccounts);
    case Kind::kContacts:
      return fn(kContacts);
    case Kind::kLeads:
      return fn(kLeads);
    case Kind::kCampaigns:
      return fn(kCampaigns);
    case Kind::kOpportunities:
      return fn(kOpportunities);
    case Kind::kActivities:
      return fn(kActivities);
    case Kind::kOrders:
      return fn(kOrders);
    case Kind::kTeams:
      return fn(kTeams);
    case Kind::kSegments:
      return fn(kSegments);
    case Kind::kObjectives:
      return fn(kObjectives);
    case Kind::kValuePropositions:
      return fn(kValuePropositions);
    case Kind::kUsers:
    default:
      return fn(kUsers);
  }
}

bool IsApiKind(Kind kind) {
  return std::find(std::begin(kApiKinds), std::end(kApiKinds), kind) != std::end(kApiKinds);
}

// --- JSON <-> cells ---------------------------------------------------------------------------

// Boolean columns: JSON true/false, stored text "true"/"false".
bool IsBooleanColumn(std::string_view name) { return name == "active" || name == "core"; }

// The cell text a JSON value stands for; nullopt for arrays and objects.
std::optional<std::string> CellOf(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return std::string();
    case json::value_t::string:
      return value.get<std::string>();
    case json::value_t::boolean:
      return std::string(value.get<bool>() ? "true" : "false");
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return value.dump();
    default:
      return std::nullopt;
  }
}

// A numeric column's text as a JSON number (integer when it has no fraction).
json NumberOf(const std::string& text) {
  int64_t whole = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), whole);
  if (ec == std::errc() && end == text.data() + text.size()) return whole;
  double real = 0;
  auto [end2, ec2] = std::from_chars(text.data(), text.data() + text.size(), real);
  if (ec2 == std::errc() && end2 == text.data() + text.size()) return real;
  return text;
}

// The names of accounts, for records that refer to one (a list shows names, not keys).
class AccountNames {
 public:
  explicit AccountNames(storage::Store& store) : store_(store) {}
  Result<std::string> Name(int64_t id) {
    if (auto it = names_.find(id); it != names_.end()) return it->second;
    SB_ASSIGN_OR_RETURN(Account account, store_.accounts().Get(AccountId{id}));
    return names_.emplace(id, account.name).first->second;
  }

 private:
  storage::Store& store_;
  std::map<int64_t, std::string> names_;
};

template <typename T, typename IdT>
Result<json> ToJson(const ApiDef<T, IdT>& def, const T& record, Lookups& lookups,
                    AccountNames& accounts) {
  json out = json::object();
  out["id"] = record.id.value;
  if constexpr (requires { record.version; }) out["version"] = record.version;
  std::string text;
  for (const ColumnSpec<T>& column : def.spec().columns) {
    if (!column.exported) continue;
    text.clear();
    SB_RETURN_IF_ERROR(column.format(record, lookups, text));
    if (text.empty()) {
      out[std::string(column.name)] = nullptr;
    } else if (column.numeric) {
      out[std::string(column.name)] = NumberOf(text);
    } else if (IsBooleanColumn(column.name)) {
      out[std::string(column.name)] = text == "true";
    } else {
      out[std::string(column.name)] = text;
    }
  }
  for (const IdField<T>& id : def.ids) {
    std::optional<int64_t> value = id.get(record);
    out[id.name] = value ? json(*value) : json(nullptr);
    if (std::string_view(id.name) == "account_id") {
      out["account_name"] = nullptr;
      if (value) {
        SB_ASSIGN_OR_RETURN(out["account_name"], accounts.Name(*value));
      }
    }
  }
  for (const MoneyField<T>& money : def.money) out[money.name] = (record.*money.member).minor_units;
  if constexpr (std::is_same_v<T, Opportunity>) {
    if (!record.amount_known) out["amount_minor"] = nullptr;  // unknown, not 0
  }
  if constexpr (std::is_same_v<T, Team>) {
    // Every manager (a team may have several); manager_id is the first of them.
    SB_ASSIGN_OR_RETURN(std::vector<UserId> managers, lookups.TeamManagers(record));
    json ids = json::array();
    for (UserId id : managers) ids.push_back(id.value);
    out["manager_ids"] = std::move(ids);
  }
  if constexpr (std::is_same_v<T, Account>) {
    // Derived (segment rules, ABC classification), shown so a client can follow them.
    out["segment_id"] = record.segment_id ? json(record.segment_id->value) : json(nullptr);
    out["abc_class"] = record.abc_class.empty() ? json(nullptr) : json(record.abc_class);
  }
  return out;
}

// The formatted exported columns, for the audit log's old -> new.
template <typename T, typename IdT>
Result<std::map<std::string, std::string>> Cells(const ApiDef<T, IdT>& def, const T& record,
                                                 Lookups& lookups) {
  std::map<std::string, std::string> cells;
  for (const ColumnSpec<T>& column : def.spec().columns) {
    if (!column.exported) continue;
    std::string text;
    SB_RETURN_IF_ERROR(column.format(record, lookups, text));
    cells.emplace(std::string(column.name), std::move(text));
  }
  return cells;
}

std::string Changes(const std::map<std::string, std::string>* before,
                    const std::map<std::string, std::string>* after) {
  json changes = json::object();
  const auto value = [](const std::map<std::string, std::string>* cells, const std::string& key) {
    if (cells == nullptr) return json(nullptr);
    auto it = cells->find(key);
    if (it == cells->end() || it->second.empty()) return json(nullptr);
    return json(it->second);
  };
  const auto* keys = after != nullptr ? after : before;
  for (const auto& [key, unused] : *keys) {
    json old_value = value(before, key);
    json new_value = value(after, key);
    if (old_value != new_value) changes[key] = json::array({old_value, new_value});
  }
  return changes.dump();
}

Status WriteAudit(storage::Store& store, const Principal& principal, Timestamp at,
                  std::string_view action, Kind kind, int64_t id, std::string changes) {
  return AppendChange(store, at, principal.user_id, action, KindName(kind), id, std::move(changes));
}

// Reference errors from the store ("account 17 does not exist") are the input's fault.
Status AsInputError(const Status& status) {
  if (status.code() == StatusCode::kNotFound) return Status::InvalidArgument(status.message());
  return status;
}

// --- the generic operations -------------------------------------------------------------------

template <typename T, typename IdT>
class Operations {
 public:
  Operations(const ApiDef<T, IdT>& def, storage::Store& store, const Principal& principal,
             Timestamp now)
      : def_(def),
        spec_(def.spec()),
        store_(store),
        principal_(principal),
        now_(now),
        lookups_(store, Lookups::Mode::kPoint),
        accounts_(store) {
    context_.lookups = &lookups_;
    context_.now = now;
    context_.manager_note = "set by " + principal.name;
    context_.decimal = DecimalSeparator::kPoint;
    context_.date_order = DateOrder::kDayFirst;
  }

  storage::Repository<T, IdT>& repository() { return spec_.repository(store_); }

  // True if the record `id` satisfies `filters`.
  Result<bool> Satisfies(int64_t id, std::vector<Filter> filters) {
    if (filters.empty()) return true;
    storage::ListQuery query;
    query.filters = std::move(filters);
    query.filters.push_back(Match("id", FilterOp::kEq, {id}));
    SB_ASSIGN_OR_RETURN(int64_t count, repository().Count(query));
    return count == 1;
  }

  // The record if the principal may see it; kNotFound otherwise.
  Result<T> Visible(int64_t id) {
    SB_ASSIGN_OR_RETURN(bool visible, Satisfies(id, VisibleFilters(principal_, def_.kind)));
    if (!visible) return NotFound(id);
    Result<T> record = repository().Get(IdT{id});
    if (!record.ok() && record.status().code() == StatusCode::kNotFound) return NotFound(id);
    return record;
  }

  Status NotFound(int64_t id) const {
    return Status::NotFound("no " + std::string(spec_.what) + " " + std::to_string(id));
  }

  Status CheckMayWrite() const {
    if (MayWrite(principal_, def_.kind)) return Status::Ok();
    return Status::PermissionDenied("your role (" + std::string(ToString(principal_.role)) +
                                    ") may not change " + std::string(def_.path));
  }

  Status CheckWritable(int64_t id, std::string_view when) {
    SB_ASSIGN_OR_RETURN(bool writable, Satisfies(id, WritableFilters(principal_, def_.kind)));
    if (writable) return Status::Ok();
    return Status::PermissionDenied("you may not " + std::string(when) + " this " +
                                    std::string(spec_.what) +
                                    ": it belongs to someone outside your scope");
  }

  // Applies `body` to `record`; `given` collects the canonical columns given.
  Status Apply(const json& body, T& record, std::vector<std::string>* given) {
    if (!body.is_object()) return Status::InvalidArgument("the body must be a JSON object");
    context_.BeginRow();
    // Ids first, so a canonical reference given as well wins (both mean the same field).
    for (const IdField<T>& id : def_.ids) {
      auto it = body.find(id.name);
      if (it == body.end()) continue;
      if (it->is_null()) {
        id.set(record, std::nullopt);
      } else if (it->is_number_integer() && it->template get<int64_t>() > 0) {
        SB_RETURN_IF_ERROR(CheckReference(id, it->template get<int64_t>()));
        id.set(record, it->template get<int64_t>());
      } else {
        return Status::InvalidArgument(std::string(id.name) + ": must be a positive integer id")
            .WithField(id.name);
      }
      given->push_back(id.column);
    }
    for (int pass = 0; pass < 2; ++pass) {
      for (const ColumnSpec<T>& column : spec_.columns) {
        if (column.early != (pass == 0)) continue;
        auto it = body.find(std::string(column.name));
        if (it == body.end()) continue;
        std::optional<std::string> cell = CellOf(*it);
        if (!cell) {
          return Status::InvalidArgument(std::string(column.name) + ": must be a single value")
              .WithField(std::string(column.name));
        }
        std::string_view trimmed = internal::Trim(*cell);
        if (trimmed.empty() && column.required) {
          return Status::InvalidArgument(std::string(column.name) + ": a value is required")
              .WithField(std::string(column.name));
        }
        Status parsed = column.parse(trimmed, record, context_);
        if (!parsed.ok()) {
          return Status::InvalidArgument(std::string(column.name) + ": " + parsed.message())
              .WithField(std::string(column.name));
        }
        for (const IdField<T>& id : def_.ids) {
          if (column.name == id.column && id.get(record)) {
            SB_RETURN_IF_ERROR(CheckReference(id, *id.get(record)));
          }
        }
        given->emplace_back(column.name);
      }
    }
    return Status::Ok();
  }

  // A reference must name a record the principal may see (else it reads as missing).
  Status CheckReference(const IdField<T>& id, int64_t value) {
    if (id.target == Kind::kUsers || id.target == Kind::kTeams || id.target == Kind::kSegments ||
        id.target == Kind::kCampaigns) {
      return Status::Ok();  // visible to every role that may write the kind
    }
    bool visible = false;
    Status status = WithDef(id.target, [&](const auto& target) -> Status {
      using U = typename std::decay_t<decltype(target)>;
      (void)sizeof(U);
      storage::ListQuery query;
      query.filters = VisibleFilters(principal_, id.target);
      query.filters.push_back(Match("id", FilterOp::kEq, {value}));
      SB_ASSIGN_OR_RETURN(int64_t count, target.spec().repository(store_).Count(query));
      visible = count == 1;
      return Status::Ok();
    });
    SB_RETURN_IF_ERROR(status);
    if (visible) return Status::Ok();
    return Status::InvalidArgument(std::string(id.column) + ": no such " +
                                   std::string(DescribeKind(id.target).what) + " (" +
                                   std::to_string(value) + ")")
        .WithField(id.name);
  }

  Status Finish(T& record) {
    if (spec_.finish == nullptr) return Status::Ok();
    Status finished = spec_.finish(record, context_, ToDate(now_));
    if (finished.ok()) return finished;
    return Status::InvalidArgument(finished.message()).WithField(finished.field());
  }

  Result<json> Render(const T& record) { return ToJson(def_, record, lookups_, accounts_); }

  // What the body changes besides the record itself (a team's managers), after it was written.
  Status WriteBesides(const T& record) {
    if (spec_.after_write == nullptr) return Status::Ok();
    return AsInputError(spec_.after_write(record, context_));
  }

  Result<std::map<std::string, std::string>> CellsOf(const T& record) {
    return Cells(def_, record, lookups_);
  }

  const ApiDef<T, IdT>& def_;
  const KindSpec<T, IdT>& spec_;
  storage::Store& store_;
  const Principal& principal_;
  Timestamp now_;
  Lookups lookups_;
  AccountNames accounts_;
  ParseContext context_;
};

bool Given(const std::vector<std::string>& given, std::string_view column) {
  return std::find(given.begin(), given.end(), column) != given.end();
}

// Kind-specific steps around a write.
template <typename T>
Status BeforeWrite(const json& body, const T* before, T& record, const Principal& principal,
                   const std::vector<std::string>& given, Timestamp now) {
  if constexpr (requires { record.owner_id; }) {
    if (before == nullptr && !Given(given, "owner_email")) record.owner_id = principal.user_id;
    // Reps and managers assign work only within their own people: a deal handed to another
    // team would leave their hands (and their manager's view) unnoticed.
    const bool assigns =
        before == nullptr ? record.owner_id.has_value() : record.owner_id != before->owner_id;
    if (assigns && (principal.role == Role::kRep || principal.role == Role::kManager)) {
      const bool ours =
          record.owner_id && std::find(principal.owners.begin(), principal.owners.end(),
                                       record.owner_id->value) != principal.owners.end();
      if (!ours) {
        return Status::PermissionDenied(
                   principal.role == Role::kRep
                       ? "a rep may assign records only to themselves"
                       : "a manager may assign records only to members of their team")
            .WithField("owner_id");
      }
    }
  }
  if constexpr (std::is_same_v<T, Opportunity>) {
    const bool stage_changed = before != nullptr && before->stage != record.stage;
    if (stage_changed && IsClosed(record.stage) && !Given(given, "closed_date")) {
      record.closed_on = ToDate(now);
    }
    if (stage_changed && !IsClosed(record.stage) && IsClosed(before->stage)) {
      if (!Given(given, "closed_date")) record.closed_on.reset();
      if (!Given(given, "forecast_category"))
        record.forecast_category = ForecastCategory::kPipeline;
      if (!Given(given, "probability")) record.probability.reset();
    }
  }
  if constexpr (std::is_same_v<T, User>) {
    auto it = body.find("password");
    if (it != body.end()) {
      if (!it->is_string()) {
        return Status::InvalidArgument("password: must be a string").WithField("password");
      }
      SB_ASSIGN_OR_RETURN(record.password_hash, HashPassword(it->template get<std::string>()));
    }
  }
  if constexpr (requires { record.created_at; }) {
    if (before == nullptr) record.created_at = now;
    record.updated_at = now;
  }
  return Status::Ok();
}

// Appends a row to an opportunity's history when something the forecast follows changed.
template <typename T>
Status AfterWrite(storage::Store& store, const T* before, const T& after,
                  const Principal& principal, Timestamp now) {
  if constexpr (std::is_same_v<T, Opportunity>) {
    if (before != nullptr && before->stage == after.stage && before->amount == after.amount &&
        before->probability == after.probability && before->close_on == after.close_on &&
        before->next_step_on == after.next_step_on) {
      return Status::Ok();
    }
    OpportunityChange change;
    change.opportunity_id = after.id;
    change.changed_at = now;
    change.stage = after.stage;
    change.amount = after.amount;
    change.probability = after.probability;
    change.close_on = after.close_on;
    change.changed_by = principal.user_id;
    change.next_step_on = after.next_step_on;
    // Two changes within one second keep the later state (the key is opportunity + second).
    return store.opportunity_changes().Upsert(change).status();
  } else if constexpr (std::is_same_v<T, User>) {
    // A new password, role or deactivation ends the user's sessions in every server process
    // (Authenticate reads the session row on each request).
    if (before != nullptr &&
        (before->password_hash != after.password_hash || before->role != after.role ||
         before->active != after.active)) {
      return EndSessions(store, after.id);
    }
    (void)principal, (void)now;
    return Status::Ok();
  } else {
    (void)store, (void)before, (void)after, (void)principal, (void)now;
    return Status::Ok();
  }
}

std::vector<Value> IdValues(const std::vector<std::string>& texts, const std::string& name,
                            Status* status) {
  std::vector<Value> values;
  for (const std::string& text : texts) {
    int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size()) {
      *status = Status::InvalidArgument(name + ": \"" + text + "\" is not an id").WithField(name);
      return {};
    }
    values.emplace_back(id);
  }
  return values;
}

template <typename T, typename IdT>
Result<storage::ListQuery> BuildList(const ApiDef<T, IdT>& def, const Principal& principal,
                                     const ListRequest& request, Timestamp now) {
  storage::ListQuery query;
  if (request.limit < 1 || request.limit > 500) {
    return Status::InvalidArgument("limit must be between 1 and 500").WithField("limit");
  }
  if (request.offset < 0) {
    return Status::InvalidArgument("offset must not be negative").WithField("offset");
  }
  query.limit = request.limit;
  query.offset = request.offset;
  query.filters = VisibleFilters(principal, def.kind);
  for (const auto& [name, texts] : request.filters) {
    if (name == "id") {  // every kind: fetch several known records in one call
      Status status;
      std::vector<Value> ids = IdValues(texts, name, &status);
      SB_RETURN_IF_ERROR(status);
      if (ids.size() > 500) {
        return Status::InvalidArgument("id: at most 500 ids per request").WithField("id");
      }
      query.filters.push_back(Match("id", FilterOp::kIn, std::move(ids)));
      continue;
    }
    const FilterDef* filter = nullptr;
    for (const FilterDef& f : def.filters) {
      if (name == f.name) filter = &f;
    }
    if (filter == nullptr) {
      std::string message = "unknown filter \"" + name + "\" for " + def.path + "; filters are";
      message += " id";
      for (const FilterDef& f : def.filters) message += std::string(" ") + f.name;
      return Status::InvalidArgument(std::move(message)).WithField(name);
    }
    if (texts.empty()) continue;
    const std::string_view fname = filter->name;
    if (def.kind == Kind::kOpportunities && fname == "outcome") {
      std::vector<Value> stages;
      for (const std::string& t : texts) {
        if (t == "open") {
          for (const char* s : {"qualify", "discover", "propose", "negotiate", "commit"}) {
            stages.emplace_back(std::string(s));
          }
        } else if (t == "won") {
          stages.emplace_back(std::string("closed_won"));
        } else if (t == "lost") {
          stages.emplace_back(std::string("closed_lost"));
        } else {
          return Status::InvalidArgument("outcome must be open, won or lost, not \"" + t + "\"")
              .WithField("outcome");
        }
      }
      query.filters.push_back(Match("stage", FilterOp::kIn, std::move(stages)));
      continue;
    }
    if (def.kind == Kind::kActivities && fname == "action_plan") {
      // The tasks of audit action plans (POST /api/v1/audit/actions).
      if (texts.size() != 1 || texts[0] != "true") {
        return Status::InvalidArgument("action_plan takes only true").WithField("action_plan");
      }
      query.filters.push_back(storage::InSelect("id", "action_items", "activity_id", {}));
      continue;
    }
    if (def.kind == Kind::kActivities && fname == "overdue") {
      if (texts.size() != 1 || (texts[0] != "true" && texts[0] != "false")) {
        return Status::InvalidArgument("overdue must be true or false").WithField("overdue");
      }
      if (texts[0] == "true") {
        query.filters.push_back(Match("status", FilterOp::kEq, {std::string("planned")}));
        query.filters.push_back(Match("at", FilterOp::kLt, {FormatTimestamp(now)}));
      }
      continue;
    }
    if (filter->is_id) {
      Status status;
      std::vector<Value> ids = IdValues(texts, name, &status);
      SB_RETURN_IF_ERROR(status);
      query.filters.push_back(Match(filter->stored, FilterOp::kIn, std::move(ids)));
    } else if (IsBooleanColumn(fname)) {
      std::vector<Value> flags;
      for (const std::string& t : texts) {
        if (t != "true" && t != "false") {
          return Status::InvalidArgument(std::string(fname) + " must be true or false")
              .WithField(std::string(fname));
        }
        flags.emplace_back(int64_t{t == "true" ? 1 : 0});
      }
      query.filters.push_back(Match(filter->stored, FilterOp::kIn, std::move(flags)));
    } else {
      query.filters.push_back(
          Match(filter->stored, FilterOp::kIn, std::vector<Value>(texts.begin(), texts.end())));
    }
  }
  if (!request.q.empty()) {
    if (def.search == nullptr) {
      return Status::InvalidArgument(std::string(def.path) + " cannot be searched with q")
          .WithField("q");
    }
    query.filters.push_back(Match(def.search, FilterOp::kContains, {request.q}));
  }
  for (const auto& [bound, op, field] : {std::tuple{&request.from, FilterOp::kGe, "from"},
                                         std::tuple{&request.to, FilterOp::kLe, "to"}}) {
    if (bound->empty()) continue;
    if (def.date_stored == nullptr) {
      return Status::InvalidArgument(std::string(def.path) + " has no date to bound with " + field)
          .WithField(field);
    }
    const bool timestamp = std::string_view(def.date_stored) == "at";
    if (timestamp && bound->find('T') != std::string::npos) {
      // An instant: the client's own day boundary (inclusive, as a date is).
      Result<Timestamp> at = ParseTimestamp(*bound, DateOrder::kDayFirst);
      if (!at.ok()) {
        return Status::InvalidArgument(std::string(field) + ": \"" + *bound +
                                       "\" is not a date (YYYY-MM-DD) or an instant "
                                       "(YYYY-MM-DDTHH:MM:SSZ)")
            .WithField(field);
      }
      query.filters.push_back(Match(def.date_stored, op, {FormatTimestamp(*at)}));
      continue;
    }
    Result<Date> date = ParseDate(*bound, DateOrder::kDayFirst);
    if (!date.ok()) {
      return Status::InvalidArgument(std::string(field) + ": \"" + *bound +
                                     "\" is not a date (YYYY-MM-DD)")
          .WithField(field);
    }
    // Timestamps: the whole day counts, so `to` is before the next midnight.
    std::string text = FormatDate(*date);
    if (timestamp) {
      text = op == FilterOp::kGe ? text + "T00:00:00Z" : text + "T23:59:59Z";
    }
    query.filters.push_back(Match(def.date_stored, op, {text}));
  }
  if (!request.sort.empty()) {
    const SortDef* sort = nullptr;
    for (const SortDef& s : def.sorts) {
      if (request.sort == s.name) sort = &s;
    }
    if (sort == nullptr) {
      std::string message =
          "cannot sort " + std::string(def.path) + " by \"" + request.sort + "\"; sort fields are";
      for (const SortDef& s : def.sorts) message += std::string(" ") + s.name;
      return Status::InvalidArgument(std::move(message)).WithField("sort");
    }
    query.order_by = sort->stored;
    query.descending = request.descending;
  } else {
    query.descending = request.descending;
  }
  return query;
}

KindInfo MakeInfo(Kind kind) {
  return WithDef(kind, [&](const auto& def) {
    KindInfo info;
    info.kind = def.kind;
    info.path = def.path;
    info.what = def.spec().what;
    info.fields.push_back({"id", FieldInfo::Type::kInteger, false, true, false});
    using T = typename std::decay_t<decltype(def.spec().columns)>::value_type;
    using Record = std::decay_t<decltype(std::declval<const T&>())>;
    (void)sizeof(Record);
    if (def.kind != Kind::kOpportunityHistory) {
      info.fields.push_back({"version", FieldInfo::Type::kInteger, false, false, false});
    }
    for (const auto& column : def.spec().columns) {
      FieldInfo f;
      f.name = std::string(column.name);
      f.type = column.numeric            ? FieldInfo::Type::kNumber
               : IsBooleanColumn(f.name) ? FieldInfo::Type::kBoolean
                                         : FieldInfo::Type::kString;
      f.required = column.required;
      f.write_only = !column.exported;
      // Derived columns: the opportunity's outcome follows its stage.
      f.read_only = def.kind == Kind::kOpportunities && f.name == "outcome";
      info.fields.push_back(std::move(f));
    }
    for (const auto& id : def.ids) {
      info.fields.push_back({id.name, FieldInfo::Type::kInteger, false, false, false});
      if (std::string_view(id.name) == "account_id") {
        info.fields.push_back({"account_name", FieldInfo::Type::kString, false, true, false});
      }
    }
    for (const auto& money : def.money) {
      info.fields.push_back({money.name, FieldInfo::Type::kInteger, false, true, false});
    }
    if (def.kind == Kind::kUsers) {
      info.fields.push_back({"password", FieldInfo::Type::kString, false, false, true});
    }
    if (def.kind == Kind::kActivities) {
      info.fields.push_back({"action_plan", FieldInfo::Type::kObject, false, true, false});
    }
    if (def.kind == Kind::kTeams) {
      info.fields.push_back({"manager_ids", FieldInfo::Type::kIntegerArray, false, true, false});
    }
    if (def.kind == Kind::kAccounts) {
      info.fields.push_back({"segment_id", FieldInfo::Type::kInteger, false, true, false});
      info.fields.push_back({"abc_class", FieldInfo::Type::kString, false, true, false});
    }
    info.filters.emplace_back("id");
    for (const FilterDef& f : def.filters) info.filters.emplace_back(f.name);
    for (const SortDef& s : def.sorts) info.sorts.emplace_back(s.name);
    if (def.date_name != nullptr) info.date_field = def.date_name;
    info.searchable = def.search != nullptr;
    return info;
  });
}

// The sums of `def`'s money fields over every record matching `filters`, summed in the
// database: {"amount":[{"currency","amount","amount_minor"}]} in currency-code order, the same
// order in every answer, so that columns and pages read alike. A record without a currency
// (an opportunity whose amount is unknown) adds nothing.
template <typename T, typename IdT>
Result<json> MoneyTotals(const ApiDef<T, IdT>& def, storage::Repository<T, IdT>& repository,
                         const std::vector<Filter>& filters) {
  json out = json::object();
  for (const MoneyField<T>& money : def.money) {
    const std::string minor_field = money.name;  // "amount_minor"
    const std::string base =
        minor_field.substr(0, minor_field.size() - std::string_view("_minor").size());
    storage::AggregateQuery query;
    query.filters = filters;
    query.group_by = {base + "_currency"};
    query.aggregates = {{storage::AggregateFn::kSum, minor_field}};
    std::map<std::string, int64_t> sums;
    SB_RETURN_IF_ERROR(repository.Aggregate(query, [&](const storage::AggregateRow& row) {
      const auto* currency = std::get_if<std::string>(&row.keys[0]);
      if (currency == nullptr || currency->empty()) return Status::Ok();
      const auto* sum = std::get_if<int64_t>(&row.values[0]);
      sums[*currency] += sum != nullptr ? *sum : 0;
      return Status::Ok();
    }));
    out[base] = MoneyListJson(sums);
  }
  return out;
}

// Adds "action_plan": {"id","subject_type","subject_id","criterion_id"} (null when the
// activity is no action plan's task) to rendered activities, with one read for all of them.
Status AttachActionPlans(storage::Store& store, json& items) {
  std::vector<Value> ids;
  for (json& item : items) {
    item["action_plan"] = nullptr;
    ids.emplace_back(item["id"].get<int64_t>());
  }
  if (ids.empty()) return Status::Ok();
  storage::ListQuery query;
  query.filters.push_back(Match("activity_id", FilterOp::kIn, std::move(ids)));
  SB_ASSIGN_OR_RETURN(std::vector<ActionItem> actions, store.action_items().List(query));
  std::map<int64_t, const ActionItem*> by_activity;
  for (const ActionItem& a : actions) by_activity[a.activity_id.value] = &a;
  for (json& item : items) {
    auto it = by_activity.find(item["id"].get<int64_t>());
    if (it == by_activity.end()) continue;
    const ActionItem& a = *it->second;
    item["action_plan"] = {{"id", a.id.value},
                           {"subject_type", std::string(ToString(a.subject_type))},
                           {"subject_id", a.subject_id},
                           {"criterion_id", a.criterion_id}};
  }
  return Status::Ok();
}

}  // namespace

json MoneyListJson(const std::map<std::string, int64_t>& minor_by_currency) {
  json out = json::array();
  for (const auto& [code, minor] : minor_by_currency) {
    Result<Currency> currency = Currency::Parse(code);
    const int digits = currency.ok() ? currency->minor_digits() : 2;
    double major = static_cast<double>(minor);
    for (int i = 0; i < digits; ++i) major /= 10;
    out.push_back({{"currency", code}, {"amount", major}, {"amount_minor", minor}});
  }
  return out;
}

std::span<const Kind> ApiKinds() { return kApiKinds; }

const KindInfo& DescribeKind(Kind kind) {
  static const std::map<Kind, KindInfo> kInfos = [] {
    std::map<Kind, KindInfo> infos;
    for (Kind k : kApiKinds) infos.emplace(k, MakeInfo(k));
    return infos;
  }();
  return kInfos.at(kind);
}

Result<Kind> KindForPath(std::string_view path) {
  for (Kind k : kApiKinds) {
    if (DescribeKind(k).path == path) return k;
  }
  return Status::InvalidArgument("no such kind \"" + std::string(path) + "\"");
}

Result<json> RecordService::List(const Principal& principal, Kind kind,
                                 const ListRequest& request) {
  if (!IsApiKind(kind)) return Status::InvalidArgument("not an API kind");
  const Timestamp now = clock_.Now();
  return WithDef(kind, [&](const auto& def) -> Result<json> {
    SB_ASSIGN_OR_RETURN(storage::ListQuery query, BuildList(def, principal, request, now));
    if (request.totals && def.money.empty()) {
      return Status::InvalidArgument(std::string(def.path) + " have no money to total")
          .WithField("totals");
    }
    json out = json::object();
    Status status = store_.Transact([&](storage::Store& store) -> Status {
      Operations ops(def, store, principal, now);
      SB_ASSIGN_OR_RETURN(int64_t total, ops.repository().Count(query));
      SB_ASSIGN_OR_RETURN(auto records, ops.repository().List(query));
      json items = json::array();
      for (const auto& record : records) {
        SB_ASSIGN_OR_RETURN(json item, ops.Render(record));
        items.push_back(std::move(item));
      }
      if (kind == Kind::kActivities) SB_RETURN_IF_ERROR(AttachActionPlans(store, items));
      out["items"] = std::move(items);
      out["total"] = total;
      out["limit"] = request.limit;
      out["offset"] = request.offset;
      if (request.totals) {
        SB_ASSIGN_OR_RETURN(out["totals"], MoneyTotals(def, ops.repository(), query.filters));
      }
      return Status::Ok();
    });
    SB_RETURN_IF_ERROR(status);
    return out;
  });
}

Result<json> RecordService::Get(const Principal& principal, Kind kind, int64_t id) {
  if (!IsApiKind(kind)) return Status::InvalidArgument("not an API kind");
  const Timestamp now = clock_.Now();
  return WithDef(kind, [&](const auto& def) -> Result<json> {
    json out;
    SB_RETURN_IF_ERROR(store_.Transact([&](storage::Store& store) -> Status {
      Operations ops(def, store, principal, now);
      SB_ASSIGN_OR_RETURN(auto record, ops.Visible(id));
      SB_ASSIGN_OR_RETURN(out, ops.Render(record));
      if (kind == Kind::kActivities) {
        json items = json::array({std::move(out)});
        SB_RETURN_IF_ERROR(AttachActionPlans(store, items));
        out = std::move(items[0]);
      }
      return Status::Ok();
    }));
    return out;
  });
}

Result<json> RecordService::Create(const Principal& principal, Kind kind, const json& body) {
  if (!IsApiKind(kind)) return Status::InvalidArgument("not an API kind");
  const Timestamp now = clock_.Now();
  return WithDef(kind, [&](const auto& def) -> Result<json> {
    using T = std::decay_t<decltype(def.spec().repository(store_).Get({}).value())>;
    json out;
    SB_RETURN_IF_ERROR(store_.Transact([&](storage::Store& store) -> Status {
      Operations ops(def, store, principal, now);
      SB_RETURN_IF_ERROR(ops.CheckMayWrite());
      T record{};
      if (def.spec().blank != nullptr) def.spec().blank(record);
      std::vector<std::string> given;
      SB_RETURN_IF_ERROR(ops.Apply(body, record, &given));
      for (const auto& column : def.spec().columns) {
        if (column.required && !Given(given, column.name)) {
          return Status::InvalidArgument(std::string(column.name) + ": a value is required")
              .WithField(std::string(column.name));
        }
      }
      SB_RETURN_IF_ERROR(
          BeforeWrite(body, static_cast<const T*>(nullptr), record, principal, given, now));
      SB_RETURN_IF_ERROR(ops.Finish(record));
      Result<decltype(record.id)> id = ops.repository().Insert(record);
      if (!id.ok()) return AsInputError(id.status());
      record.id = *id;
      SB_RETURN_IF_ERROR(ops.CheckWritable(id->value, "create"));
      SB_RETURN_IF_ERROR(AfterWrite(store, static_cast<const T*>(nullptr), record, principal, now));
      SB_RETURN_IF_ERROR(ops.WriteBesides(record));
      SB_ASSIGN_OR_RETURN(T stored, ops.repository().Get(*id));
      SB_ASSIGN_OR_RETURN(auto cells, ops.CellsOf(stored));
      SB_RETURN_IF_ERROR(
          WriteAudit(store, principal, now, "create", kind, id->value, Changes(nullptr, &cells)));
      SB_ASSIGN_OR_RETURN(out, ops.Render(stored));
      return Status::Ok();
    }));
    return out;
  });
}

Result<json> RecordService::Update(const Principal& principal, Kind kind, int64_t id,
                                   const json& body) {
  if (!IsApiKind(kind)) return Status::InvalidArgument("not an API kind");
  const Timestamp now = clock_.Now();
  return WithDef(kind, [&](const auto& def) -> Result<json> {
    using T = std::decay_t<decltype(def.spec().repository(store_).Get({}).value())>;
    json out;
    SB_RETURN_IF_ERROR(store_.Transact([&](storage::Store& store) -> Status {
      Operations ops(def, store, principal, now);
      SB_ASSIGN_OR_RETURN(T before, ops.Visible(id));
      SB_RETURN_IF_ERROR(ops.CheckMayWrite());
      SB_RETURN_IF_ERROR(ops.CheckWritable(id, "change"));
      if (!body.is_object()) return Status::InvalidArgument("the body must be a JSON object");
      auto version = body.find("version");
      if (version == body.end() || !version->is_number_integer()) {
        return Status::InvalidArgument(
                   "version: required; send the version you read, so a change made meanwhile "
                   "is not overwritten")
            .WithField("version");
      }
      if (version->template get<int64_t>() != before.version) {
        return Status::Aborted(
            "this " + std::string(def.spec().what) + " was changed by someone else (version " +
            std::to_string(before.version) + ", you sent " +
            std::to_string(version->template get<int64_t>()) + "); reload and retry");
      }
      T record = before;
      std::vector<std::string> given;
      SB_RETURN_IF_ERROR(ops.Apply(body, record, &given));
      SB_RETURN_IF_ERROR(BeforeWrite(body, &before, record, principal, given, now));
      SB_RETURN_IF_ERROR(ops.Finish(record));
      // Before the write: a team's managers are read from the store, not from `before`.
      SB_ASSIGN_OR_RETURN(auto old_cells, ops.CellsOf(before));
      Status updated = ops.repository().Update(record);
      if (!updated.ok()) return AsInputError(updated);
      SB_RETURN_IF_ERROR(ops.CheckWritable(id, "move"));
      SB_RETURN_IF_ERROR(AfterWrite(store, &before, record, principal, now));
      SB_RETURN_IF_ERROR(ops.WriteBesides(record));
      SB_ASSIGN_OR_RETURN(T stored, ops.repository().Get(record.id));
      SB_ASSIGN_OR_RETURN(auto new_cells, ops.CellsOf(stored));
      std::string changes = Changes(&old_cells, &new_cells);
      if (body.contains("password")) {
        // Never the hash itself, only that it changed.
        json parsed = json::parse(changes);
        parsed["password"] = json::array({"(set)", "(changed)"});
        changes = parsed.dump();
      }
      SB_RETURN_IF_ERROR(WriteAudit(store, principal, now, "update", kind, id, changes));
      SB_ASSIGN_OR_RETURN(out, ops.Render(stored));
      return Status::Ok();
    }));
    return out;
  });
}

Status RecordService::Delete(const Principal& principal, Kind kind, int64_t id) {
  if (!IsApiKind(kind)) return Status::InvalidArgument("not an API kind");
  const Timestamp now = clock_.Now();
  return WithDef(kind, [&](const auto& def) -> Status {
    using T = std::decay_t<decltype(def.spec().repository(store_).Get({}).value())>;
    return store_.Transact([&](storage::Store& store) -> Status {
      Operations ops(def, store, principal, now);
      SB_ASSIGN_OR_RETURN(T before, ops.Visible(id));
      SB_RETURN_IF_ERROR(ops.CheckMayWrite());
      SB_RETURN_IF_ERROR(ops.CheckWritable(id, "delete"));
      SB_ASSIGN_OR_RETURN(auto old_cells, ops.CellsOf(before));
      if constexpr (std::is_same_v<T, Opportunity>) {
        // The history belongs to the opportunity and goes with it.
        storage::ListQuery of;
        of.filters.push_back(Match("opportunity_id", FilterOp::kEq, {id}));
        SB_ASSIGN_OR_RETURN(auto changes, store.opportunity_changes().List(of));
        for (const auto& c : changes) SB_RETURN_IF_ERROR(store.opportunity_changes().Delete(c.id));
      }
      Status deleted = ops.repository().Delete(before.id);
      if (deleted.code() == StatusCode::kFailedPrecondition) {
        return Status::FailedPrecondition("this " + std::string(def.spec().what) +
                                          " is still referred to by other records; " +
                                          deleted.message());
      }
      SB_RETURN_IF_ERROR(deleted);
      return WriteAudit(store, principal, now, "delete", kind, id, Changes(&old_cells, nullptr));
    });
  });
}

Result<json> RecordService::Batch(const Principal& principal, Kind kind, const json& body) {
  if (!IsApiKind(kind)) return Status::InvalidArgument("not an API kind");
  const std::string what(DescribeKind(kind).what);
  if (!body.is_object()) return Status::InvalidArgument("the body must be a JSON object");
  for (const auto& [key, value] : body.items()) {
    if (key != "update" && key != "delete") {
      return Status::InvalidArgument("unknown field \"" + key +
                                     "\"; a batch takes update and delete")
          .WithField(key);
    }
    if (!value.is_array())
      return Status::InvalidArgument(key + ": must be an array").WithField(key);
  }
  const json empty = json::array();
  const json& updates = body.contains("update") ? body["update"] : empty;
  const json& deletes = body.contains("delete") ? body["delete"] : empty;
  if (updates.size() + deletes.size() > 500) {
    return Status::InvalidArgument("at most 500 records per batch");
  }
  std::vector<int64_t> seen;
  const auto id_of = [&](const json& v, const char* list) -> Result<int64_t> {
    if (!v.is_number_integer() || v.get<int64_t>() <= 0) {
      return Status::InvalidArgument(std::string(list) + ": ids must be positive integers")
          .WithField(list);
    }
    const int64_t id = v.get<int64_t>();
    if (std::find(seen.begin(), seen.end(), id) != seen.end()) {
      return Status::InvalidArgument(what + " " + std::to_string(id) + " is named twice")
          .WithField(list);
    }
    seen.push_back(id);
    return id;
  };
  json out = {{"updated", json::array()}, {"deleted", json::array()}};
  // Update and Delete join this transaction (a nested Transact), so all commit or none.
  SB_RETURN_IF_ERROR(store_.Transact([&](storage::Store&) -> Status {
    for (const json& change : updates) {
      if (!change.is_object() || !change.contains("id")) {
        return Status::InvalidArgument("update: each item is an object with id and version")
            .WithField("update");
      }
      SB_ASSIGN_OR_RETURN(int64_t id, id_of(change["id"], "update"));
      json fields = change;
      fields.erase("id");
      Result<json> updated = Update(principal, kind, id, fields);
      if (!updated.ok()) return updated.status().WithContext(what + " " + std::to_string(id));
      out["updated"].push_back(std::move(*updated));
    }
    for (const json& value : deletes) {
      SB_ASSIGN_OR_RETURN(int64_t id, id_of(value, "delete"));
      Status deleted = Delete(principal, kind, id);
      if (!deleted.ok()) return deleted.WithContext(what + " " + std::to_string(id));
      out["deleted"].push_back(id);
    }
    return Status::Ok();
  }));
  return out;
}

Result<json> RecordService::History(const Principal& principal, int64_t opportunity_id) {
  const Timestamp now = clock_.Now();
  json out = json::object();
  SB_RETURN_IF_ERROR(store_.Transact([&](storage::Store& store) -> Status {
    Operations ops(kOpportunities, store, principal, now);
    SB_RETURN_IF_ERROR(ops.Visible(opportunity_id).status());
    storage::ListQuery query;
    query.filters.push_back(Match("opportunity_id", FilterOp::kEq, {opportunity_id}));
    query.order_by = "changed_at";
    query.descending = true;
    SB_ASSIGN_OR_RETURN(std::vector<OpportunityChange> changes,
                        store.opportunity_changes().List(query));
    const KindSpec<OpportunityChange, OpportunityChangeId>& spec =
        internal::OpportunityChangeSpec();
    json items = json::array();
    std::string text;
    for (const OpportunityChange& change : changes) {
      json item = json::object();
      item["id"] = change.id.value;
      for (const auto& column : spec.columns) {
        if (!column.exported) continue;
        text.clear();
        SB_RETURN_IF_ERROR(column.format(change, ops.lookups_, text));
        item[std::string(column.name)] = text.empty()     ? json(nullptr)
                                         : column.numeric ? NumberOf(text)
                                                          : json(text);
      }
      item["amount_minor"] = change.amount.minor_units;
      item["changed_by_id"] = change.changed_by ? json(change.changed_by->value) : json(nullptr);
      items.push_back(std::move(item));
    }
    out["items"] = std::move(items);
    return Status::Ok();
  }));
  return out;
}

Result<json> RecordService::ChangeLog(const Principal& principal, std::string_view entity,
                                     int64_t entity_id, int64_t limit, int64_t offset) {
  if (principal.role != Role::kManager && principal.role != Role::kAdmin &&
      principal.role != Role::kExecutive) {
    return Status::PermissionDenied("the audit log is for managers, executives and admins");
  }
  if (limit < 1 || limit > 500) {
    return Status::InvalidArgument("limit must be between 1 and 500").WithField("limit");
  }
  if (offset < 0) return Status::InvalidArgument("offset must not be negative").WithField("offset");
  storage::ListQuery query;
  if (principal.role == Role::kManager) {
    query.filters.push_back(
        Match("user_id", FilterOp::kIn,
              std::vector<Value>(principal.owners.begin(), principal.owners.end())));
  }
  if (!entity.empty()) {
    SB_ASSIGN_OR_RETURN(Kind kind, KindForPath(entity));
    query.filters.push_back(Match("entity", FilterOp::kEq, {std::string(KindName(kind))}));
  }
  if (entity_id > 0) query.filters.push_back(Match("entity_id", FilterOp::kEq, {entity_id}));
  query.order_by = "id";
  query.descending = true;
  query.limit = limit;
  query.offset = offset;
  json out = json::object();
  SB_RETURN_IF_ERROR(store_.Transact([&](storage::Store& store) -> Status {
    SB_ASSIGN_OR_RETURN(int64_t total, store.change_log().Count(query));
    SB_ASSIGN_OR_RETURN(std::vector<ChangeLogEntry> entries, store.change_log().List(query));
    Lookups lookups(store, Lookups::Mode::kPoint);
    json items = json::array();
    for (const ChangeLogEntry& e : entries) {
      json item = json::object();
      item["id"] = e.id.value;
      item["at"] = FormatTimestamp(e.at);
      item["user_id"] = e.user_id ? json(e.user_id->value) : json(nullptr);
      item["user"] = nullptr;
      if (e.user_id) {
        Result<std::string> who = lookups.UserRef(*e.user_id);
        if (who.ok()) item["user"] = *who;
      }
      item["action"] = e.action;
      item["entity"] = e.entity;
      item["entity_id"] = e.entity_id;
      item["changes"] = json::parse(e.changes, nullptr, /*allow_exceptions=*/false);
      items.push_back(std::move(item));
    }
    out["items"] = std::move(items);
    out["total"] = total;
    return Status::Ok();
  }));
  return out;
}

Result<json> RecordService::Shares(const Principal& principal, int64_t account_id) {
  const Timestamp now = clock_.Now();
  json out = json::object();
  SB_RETURN_IF_ERROR(store_.Transact([&](storage::Store& store) -> Status {
    Operations ops(kAccounts, store, principal, now);
    SB_RETURN_IF_ERROR(ops.Visible(account_id).status());
    storage::ListQuery query;
    query.filters.push_back(Match("account_id", FilterOp::kEq, {account_id}));
    SB_ASSIGN_OR_RETURN(std::vector<AccountShare> shares, store.account_shares().List(query));
    // Only e-mails of users the caller may see (docs/api.md, "Who sees what"): an account may be
    // shared with someone of another team, whose e-mail a rep must not learn from it.
    const std::vector<Filter> visible_users = VisibleFilters(principal, Kind::kUsers);
    json items = json::array();
    for (const AccountShare& share : shares) {
      json who = nullptr;
      bool visible = true;
      if (!visible_users.empty()) {
        storage::ListQuery user_query;
        user_query.filters = visible_users;
        user_query.filters.push_back(Match("id", FilterOp::kEq, {share.user_id.value}));
        SB_ASSIGN_OR_RETURN(int64_t count, store.users().Count(user_query));
        visible = count == 1;
      }
      if (visible) {
        SB_ASSIGN_OR_RETURN(std::string email, ops.lookups_.UserRef(share.user_id));
        who = email;
      }
      items.push_back({{"user_id", share.user_id.value}, {"user", who}, {"note", share.note}});
    }
    out["items"] = std::move(items);
    return Status::Ok();
  }));
  return out;
}

Result<json> RecordService::SetShares(const Principal& principal, int64_t account_id,
                                      const std::vector<int64_t>& user_ids) {
  const Timestamp now = clock_.Now();
  SB_RETURN_IF_ERROR(store_.Transact([&](storage::Store& store) -> Status {
    Operations ops(kAccounts, store, principal, now);
    SB_ASSIGN_OR_RETURN(Account account, ops.Visible(account_id));
    const bool owner_is_mine =
        account.owner_id && std::find(principal.owners.begin(), principal.owners.end(),
                                      account.owner_id->value) != principal.owners.end();
    const bool may =
        principal.role == Role::kAdmin ||
        ((principal.role == Role::kRep || principal.role == Role::kManager) && owner_is_mine);
    if (!may) {
      return Status::PermissionDenied(
          "only the account's owner, their manager or an admin may share it");
    }
    storage::ListQuery query;
    query.filters.push_back(Match("account_id", FilterOp::kEq, {account_id}));
    SB_ASSIGN_OR_RETURN(std::vector<AccountShare> old, store.account_shares().List(query));
    json before = json::array(), after = json::array();
    for (const AccountShare& share : old) {
      before.push_back(share.user_id.value);
      SB_RETURN_IF_ERROR(store.account_shares().Delete(share.id));
    }
    std::vector<int64_t> wanted = user_ids;
    std::sort(wanted.begin(), wanted.end());
    wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
    for (int64_t user : wanted) {
      AccountShare share;
      share.account_id = AccountId{account_id};
      share.user_id = UserId{user};
      share.created_at = now;
      share.note = "shared by " + principal.name;
      Result<AccountShareId> id = store.account_shares().Insert(share);
      if (!id.ok()) {
        return AsInputError(id.status()).WithField("user_ids");
      }
      after.push_back(user);
    }
    json changes = json::object();
    changes["shared_with"] = json::array({before, after});
    return WriteAudit(store, principal, now, "update", Kind::kAccounts, account_id, changes.dump());
  }));
  return Shares(principal, account_id);
}

}  // namespace salesbox::service

// SPDX-License-Identifier: MIT
// Lookups: references between records by the keys people use in files (external ids, names,
// e-mails), and the name helpers the column tables share.
#include <algorithm>
#include <cctype>

#include "common/country.h"
#include "common/status_macros.h"
#include "service/transfer_internal.h"

namespace salesbox::service::internal {

std::string NormalizeName(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x80) {
      out += c;
    } else if (std::isalnum(u)) {
      out += static_cast<char>(std::tolower(u));
    }
  }
  return out;
}

std::string_view Trim(std::string_view text) {
  auto blank_at_front = [&]() -> size_t {
    if (text.empty()) return 0;
    if (text.front() == ' ' || text.front() == '\t') return 1;
    if (text.size() >= 2 && static_cast<unsigned char>(text[0]) == 0xC2 &&
        static_cast<unsigned char>(text[1]) == 0xA0) {
      return 2;
    }
    return 0;
  };
  auto blank_at_back = [&]() -> size_t {
    if (text.empty()) return 0;
    if (text.back() == ' ' || text.back() == '\t') return 1;
    size_t n = text.size();
    if (n >= 2 && static_cast<unsigned char>(text[n - 2]) == 0xC2 &&
        static_cast<unsigned char>(text[n - 1]) == 0xA0) {
      return 2;
    }
    return 0;
  };
  for (size_t k; (k = blank_at_front()) > 0;) text.remove_prefix(k);
  for (size_t k; (k = blank_at_back()) > 0;) text.remove_suffix(k);
  return text;
}

bool MatchesAlias(std::string_view normalized, std::string_view aliases) {
  if (normalized.empty()) return false;
  while (!aliases.empty()) {
    size_t bar = aliases.find('|');
    std::string_view alias = aliases.substr(0, bar);
    if (alias == normalized) return true;
    if (bar == std::string_view::npos) break;
    aliases.remove_prefix(bar + 1);
  }
  return false;
}

namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

auto NoName = [](const auto&) { return std::string(); };

}  // namespace

template <typename T, typename IdT>
struct Lookups::IndexKind {
  std::string_view what;  // "account"
  std::string_view kinds;  // "accounts": what to import first
  storage::Repository<T, IdT>& (storage::Store::*repository)();
  std::string_view key_field;   // the stored field `key` reads
  std::string_view name_field;  // the stored field `name` reads; empty: none
  bool lower_case_key;          // keys compare case-insensitively (e-mails)
  std::string (*key)(const T&);
  std::string (*name)(const T&);
  std::string (*label)(const T&);
};

namespace {

using salesbox::storage::Store;

const Lookups::IndexKind<salesbox::Account, AccountId> kAccounts{
    "account", "accounts", &Store::accounts, "external_id", "name", false,
    [](const salesbox::Account& a) { return a.external_id; },
    [](const salesbox::Account& a) { return a.name; },
    [](const salesbox::Account& a) { return a.external_id.empty() ? a.name : a.external_id; }};
const Lookups::IndexKind<salesbox::User, UserId> kUsers{
    "user", "users", &Store::users, "email", "name", true,
    [](const salesbox::User& u) { return Lower(u.email); },
    [](const salesbox::User& u) { return u.name; },
    [](const salesbox::User& u) { return u.email; }};
const Lookups::IndexKind<salesbox::Team, TeamId> kTeams{
    "team", "teams", &Store::teams, "name", "", false,
    [](const salesbox::Team& t) { return t.name; }, NoName,
    [](const salesbox::Team& t) { return t.name; }};
const Lookups::IndexKind<salesbox::Segment, SegmentId> kSegments{
    "segment", "segments", &Store::segments, "name", "", false,
    [](const salesbox::Segment& s) { return s.name; }, NoName,
    [](const salesbox::Segment& s) { return s.name; }};
const Lookups::IndexKind<salesbox::Campaign, CampaignId> kCampaigns{
    "campaign", "campaigns", &Store::campaigns, "external_id", "name", false,
    [](const salesbox::Campaign& c) { return c.external_id; },
    [](const salesbox::Campaign& c) { return c.name; },
    [](const salesbox::Campaign& c) { return c.external_id.empty() ? c.name : c.external_id; }};
const Lookups::IndexKind<salesbox::Contact, ContactId> kContacts{
    "contact", "contacts", &Store::contacts, "external_id", "", false,
    [](const salesbox::Contact& c) { return c.external_id; }, NoName,
    [](const salesbox::Contact& c) { return c.external_id; }};
const Lookups::IndexKind<salesbox::Lead, LeadId> kLeads{
    "lead", "leads", &Store::leads, "external_id", "", false,
    [](const salesbox::Lead& l) { return l.external_id; }, NoName,
    [](const salesbox::Lead& l) { return l.external_id; }};
const Lookups::IndexKind<salesbox::Opportunity, OpportunityId> kOpportunities{
    "opportunity", "opportunities", &Store::opportunities, "external_id", "", false,
    [](const salesbox::Opportunity& o) { return o.external_id; }, NoName,
    [](const salesbox::Opportunity& o) { return o.external_id; }};

}  // namespace

template <typename T, typename IdT>
Status Lookups::Load(Index& index, const IndexKind<T, IdT>& kind) {
  index = Index{};
  SB_RETURN_IF_ERROR((store_.*kind.repository)().Scan(storage::ListQuery{}, [&](const T& record) {
    std::string k = kind.key(record);
    if (!k.empty()) index.by_key.emplace(std::move(k), record.id.value);
    std::string n = kind.name(record);
    if (!n.empty()) {
      auto [it, inserted] = index.by_name.emplace(std::move(n), record.id.value);
      if (!inserted && it->second != record.id.value) it->second = -1;
    }
    index.label.emplace(record.id.value, kind.label(record));
    return Status::Ok();
  }));
  index.loaded = true;
  return Status::Ok();
}

template <typename T, typename IdT>
Result<int64_t> Lookups::Find(Index& index, const IndexKind<T, IdT>& kind, std::string_view ref) {
  if (mode_ == Mode::kIndex && !index.loaded) SB_RETURN_IF_ERROR(Load(index, kind));
  const bool fold = kind.lower_case_key && std::any_of(ref.begin(), ref.end(), [](char c) {
                      return c >= 'A' && c <= 'Z';
                    });
  std::string folded = fold ? Lower(ref) : std::string();
  std::string_view key = fold ? std::string_view(folded) : ref;
  if (auto it = index.by_key.find(key); it != index.by_key.end()) return it->second;
  if (auto it = index.by_name.find(ref); it != index.by_name.end()) {
    if (it->second < 0) {
      return Status::InvalidArgument("several " + std::string(kind.what) + "s are called \"" +
                                     std::string(ref) + "\"; refer to one by its external id");
    }
    return it->second;
  }
  if (mode_ == Mode::kPoint && !key.empty()) {
    auto& repository = (store_.*kind.repository)();
    const auto query = [](std::string_view field, std::string_view value) {
      storage::ListQuery q;
      q.filters.push_back(
          storage::Match(std::string(field), storage::FilterOp::kEq, {std::string(value)}));
      q.limit = 2;
      return q;
    };
    SB_ASSIGN_OR_RETURN(std::vector<T> by_key, repository.List(query(kind.key_field, key)));
    if (!by_key.empty()) {
      index.by_key.emplace(std::string(key), by_key.front().id.value);
      return by_key.front().id.value;
    }
    if (!kind.name_field.empty()) {
      SB_ASSIGN_OR_RETURN(std::vector<T> by_name, repository.List(query(kind.name_field, ref)));
      if (!by_name.empty()) {
        const int64_t id = by_name.size() == 1 ? by_name.front().id.value : -1;
        index.by_name.emplace(std::string(ref), id);
        return Find(index, kind, ref);  // answers from the entry just made
      }
    }
  }
  return Status::InvalidArgument("no " + std::string(kind.what) + " \"" + std::string(ref) +
                                 "\" exists; import " + std::string(kind.kinds) + " first");
}

template <typename T, typename IdT>
Result<std::string> Lookups::Label(Index& index, const IndexKind<T, IdT>& kind, int64_t id) {
  if (mode_ == Mode::kIndex && !index.loaded) SB_RETURN_IF_ERROR(Load(index, kind));
  if (auto it = index.label.find(id); it != index.label.end()) return it->second;
  if (mode_ == Mode::kPoint) {
    Result<T> record = (store_.*kind.repository)().Get(IdT{id});
    if (record.ok()) return index.label.emplace(id, kind.label(*record)).first->second;
    if (record.status().code() != StatusCode::kNotFound) return record.status();
  }
  return Status::Internal(std::string(kind.what) + " " + std::to_string(id) +
                          " is referenced but missing");
}

Result<AccountId> Lookups::Account(std::string_view ref) {
  SB_ASSIGN_OR_RETURN(int64_t id, Find(accounts_, kAccounts, ref));
  return AccountId{id};
}
Result<UserId> Lookups::User(std::string_view ref) {
  SB_ASSIGN_OR_RETURN(int64_t id, Find(users_, kUsers, ref));
  return UserId{id};
}
Result<TeamId> Lookups::Team(std::string_view name) {
  SB_ASSIGN_OR_RETURN(int64_t id, Find(teams_, kTeams, name));
  return TeamId{id};
}
Result<TeamId> Lookups::TeamOrNew(std::string_view name) {
  Result<TeamId> found = Team(name);
  if (found.ok() || found.status().code() != StatusCode::kInvalidArgument) return found;
  salesbox::Team team;
  team.name = std::string(name);
  SB_ASSIGN_OR_RETURN(TeamId id, store_.teams().Insert(team));
  teams_.by_key.emplace(team.name, id.value);
  teams_.label.emplace(id.value, team.name);
  return id;
}
Result<UserId> Lookups::OwnerOrNew(std::string_view ref, Timestamp now) {
  Result<UserId> found = User(ref);
  if (found.ok() || found.status().code() != StatusCode::kInvalidArgument) return found;
  if (ref.find('@') != std::string_view::npos) return found;  // an unknown e-mail: a typo?
  if (users_.by_name.count(ref) > 0) return found;            // several users have the name
  // "Kim Ågård Larsen" -> "kim.agard.larsen@no-email.invalid", numbered when taken.
  std::string local;
  for (std::string_view rest = ref; !rest.empty();) {
    const size_t blank = rest.find_first_of(" -_.,'");
    std::string word = FoldLatin(rest.substr(0, blank));
    if (!word.empty()) local += (local.empty() ? "" : ".") + word;
    rest = blank == std::string_view::npos ? std::string_view() : rest.substr(blank + 1);
  }
  if (local.empty()) local = "owner";
  std::string email = local + "@" + std::string(kNoEmailDomain);
  for (int n = 2; users_.by_key.count(email) > 0; ++n) {
    email = local + "." + std::to_string(n) + "@" + std::string(kNoEmailDomain);
  }
  salesbox::User user;
  user.email = email;
  user.name = std::string(ref);
  user.role = Role::kRep;
  user.created_at = now;
  user.updated_at = now;
  SB_ASSIGN_OR_RETURN(UserId id, store_.users().Insert(user));
  users_.by_key.emplace(email, id.value);
  users_.by_name.emplace(user.name, id.value);
  users_.label.emplace(id.value, email);
  created_users_.push_back(user.name + " <" + email + ">");
  return id;
}

Result<SegmentId> Lookups::Segment(std::string_view name) {
  SB_ASSIGN_OR_RETURN(int64_t id, Find(segments_, kSegments, name));
  return SegmentId{id};
}
Result<CampaignId> Lookups::Campaign(std::string_view ref) {
  SB_ASSIGN_OR_RETURN(int64_t id, Find(campaigns_, kCampaigns, ref));
  return CampaignId{id};
}
Result<ContactId> Lookups::Contact(std::string_view ref) {
  SB_ASSIGN_OR_RETURN(int64_t id, Find(contacts_, kContacts, ref));
  return ContactId{id};
}
Result<LeadId> Lookups::Lead(std::string_view ref) {
  SB_ASSIGN_OR_RETURN(int64_t id, Find(leads_, kLeads, ref));
  return LeadId{id};
}
Result<OpportunityId> Lookups::Opportunity(std::string_view ref) {
  SB_ASSIGN_OR_RETURN(int64_t id, Find(opportunities_, kOpportunities, ref));
  return OpportunityId{id};
}

Result<std::string> Lookups::AccountRef(AccountId id) { return Label(accounts_, kAccounts, id.value); }
Result<std::string> Lookups::UserRef(UserId id) { return Label(users_, kUsers, id.value); }
Result<std::string> Lookups::TeamRef(TeamId id) { return Label(teams_, kTeams, id.value); }
Result<std::string> Lookups::SegmentRef(SegmentId id) {
  return Label(segments_, kSegments, id.value);
}
Result<std::string> Lookups::CampaignRef(CampaignId id) {
  return Label(campaigns_, kCampaigns, id.value);
}
Result<std::string> Lookups::ContactRef(ContactId id) {
  return Label(contacts_, kContacts, id.value);
}
Result<std::string> Lookups::LeadRef(LeadId id) { return Label(leads_, kLeads, id.value); }
Result<std::string> Lookups::OpportunityRef(OpportunityId id) {
  return Label(opportunities_, kOpportunities, id.value);
}

Result<std::vector<UserId>> Lookups::TeamManagers(const salesbox::Team& team) {
  std::vector<UserId> managers;
  if (team.manager_id) managers.push_back(*team.manager_id);
  auto add = [&managers](UserId user) {
    if (std::find(managers.begin(), managers.end(), user) == managers.end()) {
      managers.push_back(user);
    }
  };
  if (mode_ == Mode::kIndex) {
    if (!team_managers_loaded_) {
      SB_RETURN_IF_ERROR(store_.team_managers().Scan({}, [this](const TeamManager& m) {
        team_managers_[m.team_id.value].push_back(m.user_id);  // by id: the order they came
        return Status::Ok();
      }));
      team_managers_loaded_ = true;
    }
    if (auto it = team_managers_.find(team.id.value); it != team_managers_.end()) {
      for (UserId user : it->second) add(user);
    }
    return managers;
  }
  // Not remembered: a request may change the managers and then show them.
  storage::ListQuery query;
  query.filters.push_back(storage::Match("team_id", storage::FilterOp::kEq, {team.id.value}));
  SB_RETURN_IF_ERROR(store_.team_managers().Scan(query, [&](const TeamManager& m) {
    add(m.user_id);
    return Status::Ok();
  }));
  return managers;
}

}  // namespace salesbox::service::internal

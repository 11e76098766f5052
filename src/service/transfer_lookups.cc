// SPDX-License-Identifier: MIT
// Lookups: references between records by the keys people use in files (external ids, names,
// e-mails), and the name helpers the column tables share.
#include <algorithm>
#include <cctype>

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

// Indexes one kind of record: `key` is what files call it first, `name` the fallback.
template <typename T, typename IdT, typename KeyFn, typename NameFn, typename LabelFn>
Status LoadIndex(storage::Repository<T, IdT>& repository, Lookups::Index& index, KeyFn key,
                 NameFn name, LabelFn label) {
  index = Lookups::Index{};
  SB_RETURN_IF_ERROR(repository.Scan(storage::ListQuery{}, [&](const T& record) {
    std::string k = key(record);
    if (!k.empty()) index.by_key.emplace(std::move(k), record.id.value);
    std::string n = name(record);
    if (!n.empty()) {
      auto [it, inserted] = index.by_name.emplace(std::move(n), record.id.value);
      if (!inserted && it->second != record.id.value) it->second = -1;
    }
    index.label.emplace(record.id.value, label(record));
    return Status::Ok();
  }));
  index.loaded = true;
  return Status::Ok();
}

auto NoName = [](const auto&) { return std::string(); };

}  // namespace

Status Lookups::LoadAccounts(Index& index) {
  return LoadIndex(
      store_.accounts(), index, [](const salesbox::Account& a) { return a.external_id; },
      [](const salesbox::Account& a) { return a.name; },
      [](const salesbox::Account& a) { return a.external_id.empty() ? a.name : a.external_id; });
}
Status Lookups::LoadUsers(Index& index) {
  return LoadIndex(
      store_.users(), index, [](const salesbox::User& u) { return Lower(u.email); },
      [](const salesbox::User& u) { return u.name; },
      [](const salesbox::User& u) { return u.email; });
}
Status Lookups::LoadTeams(Index& index) {
  return LoadIndex(
      store_.teams(), index, [](const salesbox::Team& t) { return t.name; }, NoName,
      [](const salesbox::Team& t) { return t.name; });
}
Status Lookups::LoadSegments(Index& index) {
  return LoadIndex(
      store_.segments(), index, [](const salesbox::Segment& s) { return s.name; }, NoName,
      [](const salesbox::Segment& s) { return s.name; });
}
Status Lookups::LoadCampaigns(Index& index) {
  return LoadIndex(
      store_.campaigns(), index, [](const salesbox::Campaign& c) { return c.external_id; },
      [](const salesbox::Campaign& c) { return c.name; },
      [](const salesbox::Campaign& c) { return c.external_id.empty() ? c.name : c.external_id; });
}
Status Lookups::LoadContacts(Index& index) {
  return LoadIndex(
      store_.contacts(), index, [](const salesbox::Contact& c) { return c.external_id; }, NoName,
      [](const salesbox::Contact& c) { return c.external_id; });
}
Status Lookups::LoadLeads(Index& index) {
  return LoadIndex(
      store_.leads(), index, [](const salesbox::Lead& l) { return l.external_id; }, NoName,
      [](const salesbox::Lead& l) { return l.external_id; });
}
Status Lookups::LoadOpportunities(Index& index) {
  return LoadIndex(
      store_.opportunities(), index,
      [](const salesbox::Opportunity& o) { return o.external_id; }, NoName,
      [](const salesbox::Opportunity& o) { return o.external_id; });
}

Result<int64_t> Lookups::Find(Index& index, Status (Lookups::*load)(Index&),
                              std::string_view what, std::string_view kind, std::string_view ref,
                              bool lower_case_key) {
  if (!index.loaded) SB_RETURN_IF_ERROR((this->*load)(index));
  const bool fold = lower_case_key && std::any_of(ref.begin(), ref.end(), [](char c) {
                      return c >= 'A' && c <= 'Z';
                    });
  std::string folded = fold ? Lower(ref) : std::string();
  std::string_view key = fold ? std::string_view(folded) : ref;
  if (auto it = index.by_key.find(key); it != index.by_key.end()) return it->second;
  if (auto it = index.by_name.find(ref); it != index.by_name.end()) {
    if (it->second < 0) {
      return Status::InvalidArgument("several " + std::string(what) + "s are called \"" +
                                     std::string(ref) + "\"; refer to one by its external id");
    }
    return it->second;
  }
  return Status::InvalidArgument("no " + std::string(what) + " \"" + std::string(ref) +
                                 "\" exists; import " + std::string(kind) + " first");
}

Result<std::string> Lookups::Label(Index& index, Status (Lookups::*load)(Index&),
                                   std::string_view what, int64_t id) {
  if (!index.loaded) SB_RETURN_IF_ERROR((this->*load)(index));
  if (auto it = index.label.find(id); it != index.label.end()) return it->second;
  return Status::Internal(std::string(what) + " " + std::to_string(id) + " is referenced but missing");
}

Result<AccountId> Lookups::Account(std::string_view ref) {
  SB_ASSIGN_OR_RETURN(int64_t id, Find(accounts_, &Lookups::LoadAccounts, "account", "accounts", ref, false));
  return AccountId{id};
}
Result<UserId> Lookups::User(std::string_view ref) {
  SB_ASSIGN_OR_RETURN(int64_t id, Find(users_, &Lookups::LoadUsers, "user", "users", ref, true));
  return UserId{id};
}
Result<TeamId> Lookups::Team(std::string_view name) {
  SB_ASSIGN_OR_RETURN(int64_t id, Find(teams_, &Lookups::LoadTeams, "team", "teams", name, false));
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

Result<SegmentId> Lookups::Segment(std::string_view name) {
  SB_ASSIGN_OR_RETURN(int64_t id, Find(segments_, &Lookups::LoadSegments, "segment", "segments", name, false));
  return SegmentId{id};
}
Result<CampaignId> Lookups::Campaign(std::string_view ref) {
  SB_ASSIGN_OR_RETURN(int64_t id,
                      Find(campaigns_, &Lookups::LoadCampaigns, "campaign", "campaigns", ref, false));
  return CampaignId{id};
}
Result<ContactId> Lookups::Contact(std::string_view ref) {
  SB_ASSIGN_OR_RETURN(int64_t id, Find(contacts_, &Lookups::LoadContacts, "contact", "contacts", ref, false));
  return ContactId{id};
}
Result<LeadId> Lookups::Lead(std::string_view ref) {
  SB_ASSIGN_OR_RETURN(int64_t id, Find(leads_, &Lookups::LoadLeads, "lead", "leads", ref, false));
  return LeadId{id};
}
Result<OpportunityId> Lookups::Opportunity(std::string_view ref) {
  SB_ASSIGN_OR_RETURN(int64_t id, Find(opportunities_, &Lookups::LoadOpportunities,
                                       "opportunity", "opportunities", ref, false));
  return OpportunityId{id};
}

Result<std::string> Lookups::AccountRef(AccountId id) {
  return Label(accounts_, &Lookups::LoadAccounts, "account", id.value);
}
Result<std::string> Lookups::UserRef(UserId id) {
  return Label(users_, &Lookups::LoadUsers, "user", id.value);
}
Result<std::string> Lookups::TeamRef(TeamId id) {
  return Label(teams_, &Lookups::LoadTeams, "team", id.value);
}
Result<std::string> Lookups::SegmentRef(SegmentId id) {
  return Label(segments_, &Lookups::LoadSegments, "segment", id.value);
}
Result<std::string> Lookups::CampaignRef(CampaignId id) {
  return Label(campaigns_, &Lookups::LoadCampaigns, "campaign", id.value);
}
Result<std::string> Lookups::ContactRef(ContactId id) {
  return Label(contacts_, &Lookups::LoadContacts, "contact", id.value);
}
Result<std::string> Lookups::LeadRef(LeadId id) {
  return Label(leads_, &Lookups::LoadLeads, "lead", id.value);
}
Result<std::string> Lookups::OpportunityRef(OpportunityId id) {
  return Label(opportunities_, &Lookups::LoadOpportunities, "opportunity", id.value);
}

}  // namespace salesbox::service::internal

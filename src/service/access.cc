// SPDX-License-Identifier: MIT
#include "service/access.h"

#include "common/status_macros.h"

namespace salesbox::service {
namespace {

using storage::AnyOf;
using storage::Filter;
using storage::FilterOp;
using storage::InSelect;
using storage::Match;
using storage::Value;

std::vector<Value> Owners(const Principal& p) {
  return std::vector<Value>(p.owners.begin(), p.owners.end());
}

bool SeesEverything(const Principal& p) {
  return p.role == Role::kAdmin || p.role == Role::kExecutive;
}

// Accounts the principal's owners own or that are shared with one of them.
Filter AccountScope(const Principal& p) {
  return AnyOf({Match("owner_id", FilterOp::kIn, Owners(p)),
                InSelect("id", "account_shares", "account_id",
                         {Match("user_id", FilterOp::kIn, Owners(p))})});
}

Filter OnVisibleAccount(const Principal& p, const char* field) {
  return InSelect(field, "accounts", "id", {AccountScope(p)});
}

// Owned by one of the owners, or on one of their accounts.
Filter OwnedOrOnVisibleAccount(const Principal& p) {
  return AnyOf({Match("owner_id", FilterOp::kIn, Owners(p)), OnVisibleAccount(p, "account_id")});
}

}  // namespace

std::vector<Filter> VisibleFilters(const Principal& p, Kind kind) {
  if (SeesEverything(p)) return {};
  const bool marketing = p.role == Role::kMarketing;
  switch (kind) {
    case Kind::kSegments:
    case Kind::kCampaigns:
    case Kind::kObjectives:
    case Kind::kValuePropositions:
      return {};
    case Kind::kTeams: {
      if (marketing) return {};  // they assign leads to anyone
      std::vector<Filter> own = {Match("manager_id", FilterOp::kEq, {p.user_id.value})};
      if (p.team_id) own.push_back(Match("id", FilterOp::kEq, {p.team_id->value}));
      if (p.role == Role::kManager) {
        own.push_back(InSelect("id", "team_managers", "team_id",
                               {Match("user_id", FilterOp::kEq, {p.user_id.value})}));
      }
      return {AnyOf(std::move(own))};
    }
    case Kind::kUsers: {
      if (marketing) return {};
      std::vector<Filter> own = {Match("id", FilterOp::kEq, {p.user_id.value})};
      if (p.team_id) own.push_back(Match("team_id", FilterOp::kEq, {p.team_id->value}));
      if (p.role == Role::kManager && !p.managed_teams.empty()) {
        // The members and the other managers of every team they manage.
        const std::vector<Value> teams(p.managed_teams.begin(), p.managed_teams.end());
        own.push_back(Match("team_id", FilterOp::kIn, teams));
        own.push_back(
            InSelect("id", "team_managers", "user_id", {Match("team_id", FilterOp::kIn, teams)}));
      }
      return {AnyOf(std::move(own))};
    }
    case Kind::kAccounts:
      if (marketing) return {};
      return {AccountScope(p)};
    case Kind::kContacts:
    case Kind::kOrders:
      if (marketing) return {};
      return {OnVisibleAccount(p, "account_id")};
    case Kind::kLeads:
      if (marketing) return {};
      return {Match("owner_id", FilterOp::kIn, Owners(p))};
    case Kind::kOpportunities:
    case Kind::kActivities:
      if (marketing) return {Match("owner_id", FilterOp::kIn, Owners(p))};
      return {OwnedOrOnVisibleAccount(p)};
    case Kind::kScorecardAnswers:
      break;  // read through the audit service, not as records
    case Kind::kOpportunityHistory: {
      std::vector<Filter> of = VisibleFilters(p, Kind::kOpportunities);
      if (of.empty()) return {};
      return {InSelect("opportunity_id", "opportunities", "id", std::move(of))};
    }
  }
  return {Match("id", FilterOp::kIn, {})};  // an unknown kind shows nothing
}

bool MayWrite(const Principal& p, Kind kind) {
  switch (p.role) {
    case Role::kAdmin:
      return true;
    case Role::kExecutive:
      return kind == Kind::kActivities || kind == Kind::kSegments || kind == Kind::kObjectives ||
             kind == Kind::kValuePropositions;
    case Role::kMarketing:
      return kind == Kind::kLeads || kind == Kind::kCampaigns || kind == Kind::kActivities ||
             kind == Kind::kValuePropositions;
    case Role::kRep:
    case Role::kManager:
      return kind == Kind::kAccounts || kind == Kind::kContacts || kind == Kind::kOrders ||
             kind == Kind::kOpportunities || kind == Kind::kActivities || kind == Kind::kLeads;
  }
  return false;
}

std::vector<Filter> WritableFilters(const Principal& p, Kind kind) {
  switch (p.role) {
    case Role::kAdmin:
      return {};
    case Role::kExecutive:
    case Role::kMarketing:
      if (kind == Kind::kActivities) return {Match("owner_id", FilterOp::kEq, {p.user_id.value})};
      return {};
    case Role::kRep:
    case Role::kManager:
      return VisibleFilters(p, kind);
  }
  return {Match("id", FilterOp::kIn, {})};
}

}  // namespace salesbox::service

// SPDX-License-Identifier: MIT
// Who may see and change what. The rules live here once and are applied by every service call,
// lists and aggregates included, as storage filters, so a list, a count and a single get can
// never disagree about what a user may see.
//
//   rep        their own accounts (owner) and accounts shared with them, with those accounts'
//              contacts, orders, opportunities and activities; their own opportunities,
//              activities and leads wherever they are; campaigns; their team's users.
//   manager    the same for every member of their team.
//   executive  everything; changes only their own activities, and the strategy cascade
//              (segments, objectives, value propositions).
//   marketing  leads and campaigns (and changes them); accounts, contacts and orders to read;
//              only their own opportunities and activities; changes value propositions.
//   everyone   reads segments, objectives and value propositions.
//   admin      everything, and changes everything.
#pragma once

#include <vector>

#include "service/auth.h"
#include "service/transfer.h"
#include "storage/store.h"

namespace salesbox::service {

// The filters that restrict `kind` to what `principal` may see (empty: everything).
// Kind::kOpportunityHistory is visible with its opportunity.
std::vector<storage::Filter> VisibleFilters(const Principal& principal, Kind kind);

// Whether `principal`'s role may create, change or delete records of `kind` at all.
bool MayWrite(const Principal& principal, Kind kind);

// The filters a record must satisfy, before and after a change, for `principal` to change it
// (only meaningful when MayWrite): a rep cannot hand a deal to another team, an executive
// changes only their own activities.
std::vector<storage::Filter> WritableFilters(const Principal& principal, Kind kind);

}  // namespace salesbox::service

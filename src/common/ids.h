// SPDX-License-Identifier: MIT
// Typed ids: an AccountId cannot be passed where an OpportunityId is expected.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace salesbox {

// A row id assigned by the store. value 0 means "not assigned yet".
template <typename Tag>
struct Id {
  int64_t value = 0;

  bool valid() const { return value > 0; }
  friend auto operator<=>(const Id&, const Id&) = default;
};

using UserId = Id<struct UserTag>;
using TeamId = Id<struct TeamTag>;
using TeamManagerId = Id<struct TeamManagerTag>;
using SegmentId = Id<struct SegmentTag>;
using AccountId = Id<struct AccountTag>;
using ContactId = Id<struct ContactTag>;
using LeadId = Id<struct LeadTag>;
using OpportunityId = Id<struct OpportunityTag>;
using OpportunityChangeId = Id<struct OpportunityChangeTag>;
using ActivityId = Id<struct ActivityTag>;
using OrderId = Id<struct OrderTag>;
using CampaignId = Id<struct CampaignTag>;
using ObjectiveId = Id<struct ObjectiveTag>;
using ValuePropositionId = Id<struct ValuePropositionTag>;
using SessionId = Id<struct SessionTag>;
using AccountShareId = Id<struct AccountShareTag>;
using ChangeLogEntryId = Id<struct ChangeLogEntryTag>;
using PlaybookId = Id<struct PlaybookTag>;
using ScorecardAnswerId = Id<struct ScorecardAnswerTag>;
using AuditRunId = Id<struct AuditRunTag>;
using ActionItemId = Id<struct ActionItemTag>;
using ForecastSnapshotId = Id<struct ForecastSnapshotTag>;

}  // namespace salesbox

template <typename Tag>
struct std::hash<salesbox::Id<Tag>> {
  size_t operator()(const salesbox::Id<Tag>& id) const noexcept {
    return std::hash<int64_t>()(id.value);
  }
};

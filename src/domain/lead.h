// SPDX-License-Identifier: MIT
// Leads (people or companies not yet worked as opportunities) and the campaigns that bring them.
#pragma once

#include <optional>
#include <string>

#include "common/ids.h"
#include "common/money.h"
#include "common/time.h"
#include "domain/enum_names.h"

namespace salesbox {

enum class LeadSource { kCampaign, kTradeShow, kWeb, kReferral, kOutbound, kOther };

template <>
struct EnumNames<LeadSource> {
  static constexpr std::string_view kWhat = "lead source";
  static constexpr std::array<std::pair<LeadSource, std::string_view>, 6> kNames{{
      {LeadSource::kCampaign, "campaign"},
      {LeadSource::kTradeShow, "trade_show"},
      {LeadSource::kWeb, "web"},
      {LeadSource::kReferral, "referral"},
      {LeadSource::kOutbound, "outbound"},
      {LeadSource::kOther, "other"},
  }};
};

enum class LeadStatus { kNew, kWorking, kWarm, kQualified, kDisqualified };

template <>
struct EnumNames<LeadStatus> {
  static constexpr std::string_view kWhat = "lead status";
  static constexpr std::array<std::pair<LeadStatus, std::string_view>, 5> kNames{{
      {LeadStatus::kNew, "new"},
      {LeadStatus::kWorking, "working"},
      {LeadStatus::kWarm, "warm"},
      {LeadStatus::kQualified, "qualified"},
      {LeadStatus::kDisqualified, "disqualified"},
  }};
};

enum class CampaignChannel { kEmail, kEvent, kTradeShow, kWebinar, kPhone, kAds, kOther };

template <>
struct EnumNames<CampaignChannel> {
  static constexpr std::string_view kWhat = "campaign channel";
  static constexpr std::array<std::pair<CampaignChannel, std::string_view>, 7> kNames{{
      {CampaignChannel::kEmail, "email"},
      {CampaignChannel::kEvent, "event"},
      {CampaignChannel::kTradeShow, "trade_show"},
      {CampaignChannel::kWebinar, "webinar"},
      {CampaignChannel::kPhone, "phone"},
      {CampaignChannel::kAds, "ads"},
      {CampaignChannel::kOther, "other"},
  }};
};

struct Campaign {
  CampaignId id;
  std::string external_id;
  std::string name;
  std::optional<SegmentId> segment_id;  // the target segment, if any
  CampaignChannel channel = CampaignChannel::kEmail;
  std::optional<Date> start_on;
  std::optional<Date> end_on;
  Money cost;
  Timestamp created_at{};
  Timestamp updated_at{};
  int64_t version = 1;

  friend bool operator==(const Campaign&, const Campaign&) = default;
};

struct Lead {
  LeadId id;
  std::string external_id;
  std::string name;     // the person
  std::string company;  // the company, when the lead is not yet an account
  std::string title;
  std::string email;
  std::string phone;
  LeadSource source = LeadSource::kOther;
  std::optional<CampaignId> campaign_id;
  LeadStatus status = LeadStatus::kNew;
  std::optional<UserId> owner_id;
  std::optional<AccountId> account_id;  // set when the company is a known account
  std::optional<Date> created_on;       // when the lead arrived
  Timestamp created_at{};
  Timestamp updated_at{};
  int64_t version = 1;

  friend bool operator==(const Lead&, const Lead&) = default;
};

}  // namespace salesbox

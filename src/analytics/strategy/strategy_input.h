// SPDX-License-Identifier: MIT
// The facts the strategy engine reads (DESIGN.md section 4): accounts with their segment, orders,
// deals, completed activities and leads, as compact plain structs gathered by
// service/strategy_service, and the calendar periods the results are grouped by.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/money.h"
#include "common/result.h"
#include "common/time.h"
#include "domain/activity.h"
#include "domain/lead.h"
#include "domain/opportunity.h"

namespace salesbox::analytics::strategy {

// A segment as stored: its rule is evaluated in the order segments are given (the first match
// wins); `core` is the stored, editable flag.
struct SegmentDefinition {
  int64_t id = 0;
  std::string name;
  std::string rule;
  bool core = false;
};

// An account as of the analysis day. `segment_id` is the segment every analysis groups it by
// (0: none); the service fills it with the stored segment, or the derived one when none is
// stored.
struct AccountFacts {
  int64_t id = 0;
  std::string industry;
  std::optional<int64_t> employees;
  std::string region;
  std::string country;  // ISO 3166-1 alpha-2
  int64_t owner_id = 0;
  int64_t segment_id = 0;
};

// An order: revenue and gross margin in one currency.
struct OrderFacts {
  int64_t id = 0;
  int64_t account_id = 0;
  Date ordered_on{};
  Money revenue;
  Money margin;
};

// An opportunity as of the analysis day: `outcome` is kWon/kLost only when it closed by then
// (`closed_on` is then set); an opportunity closed later was open then.
struct DealFacts {
  int64_t id = 0;
  int64_t account_id = 0;
  int64_t owner_id = 0;  // 0: none
  Outcome outcome = Outcome::kOpen;
  Money amount;
  Date created_on{};
  std::optional<Date> closed_on;
};

// A completed activity. `account_id` is resolved by the gatherer: the activity's account, else
// its opportunity's, its contact's or its lead's account (0: none of these).
struct ActivityFacts {
  int64_t owner_id = 0;
  int64_t account_id = 0;
  int64_t lead_id = 0;  // 0: not about a lead
  ActivityType type = ActivityType::kCall;
  Date on{};
};

struct LeadFacts {
  int64_t id = 0;
  int64_t account_id = 0;  // 0: the company is not a known account
  int64_t owner_id = 0;
  LeadSource source = LeadSource::kOther;
  std::optional<Date> created_on;
};

// Everything the engine reads, for the whole company, as of `as_of`.
struct StrategyInput {
  Date as_of{};
  std::vector<SegmentDefinition> segments;  // in rule evaluation order
  std::vector<AccountFacts> accounts;
  std::vector<OrderFacts> orders;         // ordered on or before as_of
  std::vector<DealFacts> deals;           // created on or before as_of
  std::vector<ActivityFacts> activities;  // completed on or before as_of
  std::vector<LeadFacts> leads;
  std::unordered_map<int64_t, int64_t>
      team_of;  // user id -> team id (users without a team: absent)
  // Optional value per account (e.g. CLV from analytics/clv), in the account's currency. When
  // not empty, the segment table reports it and the ICP ranks customers by it instead of margin.
  std::unordered_map<int64_t, Money> account_values;
};

// --- periods ---------------------------------------------------------------------------------

// kTotal: one period spanning the whole window.
enum class Granularity { kMonth, kQuarter, kYear, kTotal };

// "month", "quarter", "year", "total".
std::string_view GranularityName(Granularity granularity);
// The inverse; kInvalidArgument for anything else.
Result<Granularity> ParseGranularity(std::string_view text);

// A closed range of days [start, end].
struct Period {
  Date start{};
  Date end{};
  bool Contains(Date day) const { return start <= day && day <= end; }
  friend bool operator==(const Period&, const Period&) = default;
};

// The first day of the calendar period containing `day` (kTotal: `day` itself).
Date PeriodStart(Date day, Granularity granularity);

// The calendar periods overlapping [from, to], each clipped to it, in order; kTotal gives the
// single period [from, to]. Empty when from > to.
std::vector<Period> PeriodsBetween(Date from, Date to, Granularity granularity);

// "2025-06", "2025-Q2", "2025", or "2022-06-03..2025-06-02" for kTotal; labels the calendar
// period that contains `period.start`.
std::string PeriodLabel(const Period& period, Granularity granularity);

// A window of days; either end may be open.
struct Window {
  std::optional<Date> from;
  std::optional<Date> to;
  bool Contains(Date day) const { return (!from || *from <= day) && (!to || day <= *to); }
};

}  // namespace salesbox::analytics::strategy

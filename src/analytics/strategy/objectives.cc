// SPDX-License-Identifier: MIT
#include "analytics/strategy/objectives.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace salesbox::analytics::strategy {
namespace {

// Numerator and denominator of a share; the count metrics use `part` alone.
struct Tally {
  double part = 0;
  double whole = 0;
};

std::optional<double> Percent(const Tally& t) {
  if (t.whole == 0) return std::nullopt;
  return 100.0 * t.part / t.whole;
}

std::optional<double> Actual(const StrategyInput& input, const Objective& o, const Window& window,
                             std::span<const int64_t> core_segments) {
  const Currency currency = o.target_amount ? o.target_amount->currency : Currency();
  Tally t;
  switch (o.metric) {
    case ObjectiveMetric::kWonAmount:
      for (const DealFacts& d : input.deals) {
        if (d.outcome == Outcome::kWon && d.closed_on && window.Contains(*d.closed_on) &&
            d.amount.currency == currency) {
          t.part += static_cast<double>(d.amount.minor_units);
        }
      }
      return t.part;
    case ObjectiveMetric::kGrossMargin:
    case ObjectiveMetric::kMarginPct:
      for (const OrderFacts& order : input.orders) {
        if (!window.Contains(order.ordered_on) || order.margin.currency != currency) continue;
        t.part += static_cast<double>(order.margin.minor_units);
        t.whole += static_cast<double>(order.revenue.minor_units);
      }
      if (o.metric == ObjectiveMetric::kGrossMargin) return t.part;
      return Percent(t);
    case ObjectiveMetric::kWinRate:
      for (const DealFacts& d : input.deals) {
        if (d.outcome == Outcome::kOpen || !d.closed_on || !window.Contains(*d.closed_on)) continue;
        t.whole += 1;
        if (d.outcome == Outcome::kWon) t.part += 1;
      }
      return Percent(t);
    case ObjectiveMetric::kNewCustomers: {
      std::unordered_map<int64_t, Date> first;
      for (const OrderFacts& order : input.orders) {
        auto [it, inserted] = first.try_emplace(order.account_id, order.ordered_on);
        if (!inserted) it->second = std::min(it->second, order.ordered_on);
      }
      for (const auto& [account, day] : first) {
        if (window.Contains(day)) t.part += 1;
      }
      return t.part;
    }
    case ObjectiveMetric::kMeetings:
      for (const ActivityFacts& a : input.activities) {
        if (a.type == ActivityType::kMeeting && window.Contains(a.on)) t.part += 1;
      }
      return t.part;
    case ObjectiveMetric::kCoreMeetingShare:
    case ObjectiveMetric::kCoreActivityShare: {
      const std::unordered_set<int64_t> core(core_segments.begin(), core_segments.end());
      std::unordered_map<int64_t, int64_t> segment_of;
      segment_of.reserve(input.accounts.size());
      for (const AccountFacts& a : input.accounts) segment_of.emplace(a.id, a.segment_id);
      const bool meetings_only = o.metric == ObjectiveMetric::kCoreMeetingShare;
      for (const ActivityFacts& a : input.activities) {
        if (!window.Contains(a.on)) continue;
        if (meetings_only && a.type != ActivityType::kMeeting) continue;
        t.whole += 1;
        auto it = segment_of.find(a.account_id);
        if (it != segment_of.end() && core.contains(it->second)) t.part += 1;
      }
      return Percent(t);
    }
  }
  return std::nullopt;
}

}  // namespace

std::string_view ObjectiveStatusName(ObjectiveStatus status) {
  switch (status) {
    case ObjectiveStatus::kNotStarted:
      return "not_started";
    case ObjectiveStatus::kOnTrack:
      return "on_track";
    case ObjectiveStatus::kBehind:
      return "behind";
    case ObjectiveStatus::kAchieved:
      return "achieved";
    case ObjectiveStatus::kMissed:
      return "missed";
  }
  return "?";
}

ObjectiveProgress MeasureObjective(const StrategyInput& input, const Objective& o,
                                   std::span<const int64_t> core_segments) {
  ObjectiveProgress p;
  p.target = UnitOf(o.metric) == MetricUnit::kMoney && o.target_amount
                 ? static_cast<double>(o.target_amount->minor_units)
                 : o.target;
  const Date as_of = input.as_of;
  if (as_of < o.period_start) return p;  // not started: nothing measured, nothing elapsed

  const double days = static_cast<double>((o.period_end - o.period_start).count() + 1);
  const double passed =
      static_cast<double>((std::min(as_of, o.period_end) - o.period_start).count() + 1);
  p.elapsed = std::clamp(passed / days, 0.0, 1.0);

  Window window{o.period_start, std::min(as_of, o.period_end)};
  p.actual = Actual(input, o, window, core_segments);
  if (p.actual && p.target > 0) p.progress = *p.actual / p.target;

  const bool over = as_of > o.period_end;
  const bool reached = p.actual && *p.actual >= p.target;
  if (over) {
    p.status = reached ? ObjectiveStatus::kAchieved : ObjectiveStatus::kMissed;
  } else if (IsCumulative(o.metric)) {
    if (reached) {
      p.status = ObjectiveStatus::kAchieved;
    } else {
      p.status = p.progress.value_or(0) >= p.elapsed ? ObjectiveStatus::kOnTrack
                                                     : ObjectiveStatus::kBehind;
    }
  } else if (!p.actual) {
    p.status = ObjectiveStatus::kNotStarted;
  } else {
    p.status = reached ? ObjectiveStatus::kOnTrack : ObjectiveStatus::kBehind;
  }
  return p;
}

}  // namespace salesbox::analytics::strategy

// SPDX-License-Identifier: MIT
// Design notes
// (1) Effort. For each period and scope (company, team, rep) the completed activities done in
//     the period are counted: all of them, the meetings among them, and of each how many were
//     about an account in a core segment and about a high-fit account (or high-fit lead, when
//     the activity is about a lead without an account). Shares are core / total and
//     high-fit / total, so an activity about nothing known (no account, no lead) counts against
//     both shares: time spent outside the strategy's scope as far as anyone can tell.
// (2) Pipeline. Opportunities open at the period's last day (as_of for the period that contains
//     it) are summed per currency by their current amount (the amount as it stood at the time is
//     not read: an approximation for past periods); core / high-fit shares are by amount.
// (3) Scopes. A rep is the owner of the activity or the opportunity; a team is the rep's team
//     now (StrategyInput::team_of); unowned items count for the company only. Core is the
//     stored flag unless a set of core segments is given; high-fit is fit >= threshold, with the
//     fit as computed now (not as it was in the period).
#include "analytics/strategy/alignment.h"

#include <algorithm>
#include <functional>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

namespace salesbox::analytics::strategy {
namespace {

std::optional<double> Share(int64_t part, int64_t total) {
  if (total == 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(total);
}

}  // namespace

std::optional<double> ShareCount::core_share() const { return Share(core, total); }
std::optional<double> ShareCount::high_fit_share() const { return Share(high_fit, total); }
std::optional<double> PipelineShare::core_share() const {
  return Share(core.minor_units, total.minor_units);
}
std::optional<double> PipelineShare::high_fit_share() const {
  return Share(high_fit.minor_units, total.minor_units);
}

std::string_view AlignmentLevelName(AlignmentLevel level) {
  switch (level) {
    case AlignmentLevel::kCompany:
      return "company";
    case AlignmentLevel::kTeam:
      return "team";
    case AlignmentLevel::kRep:
      return "rep";
  }
  return "company";
}

Result<std::vector<AlignmentRow>> MeasureAlignment(const StrategyInput& input,
                                                   std::span<const FitScore> account_fits,
                                                   std::span<const FitScore> lead_fits,
                                                   const AlignmentOptions& options) {
  const Date to = options.to.value_or(input.as_of);
  const Date from =
      options.from.value_or(PeriodStart(input.as_of - std::chrono::days(364), options.granularity));
  if (from > to) {
    return Status::InvalidArgument("alignment: the window starts " + FormatDate(from) +
                                   ", after it ends " + FormatDate(to));
  }
  const std::vector<Period> periods = PeriodsBetween(from, to, options.granularity);

  // Which segments are core; which accounts are core and high-fit; which leads are high-fit.
  std::unordered_set<int64_t> core_segments;
  if (options.core_segments) {
    core_segments.insert(options.core_segments->begin(), options.core_segments->end());
  } else {
    for (const SegmentDefinition& s : input.segments) {
      if (s.core) core_segments.insert(s.id);
    }
  }
  struct Flags {
    bool core = false;
    bool high_fit = false;
  };
  std::unordered_map<int64_t, Flags> account_flags;
  account_flags.reserve(input.accounts.size());
  for (const AccountFacts& a : input.accounts) {
    account_flags[a.id].core = core_segments.contains(a.segment_id);
  }
  for (const FitScore& fit : account_fits) {
    auto it = account_flags.find(fit.id);
    if (it != account_flags.end()) it->second.high_fit = fit.score >= options.fit_threshold;
  }
  std::unordered_set<int64_t> high_fit_leads;
  for (const FitScore& fit : lead_fits) {
    if (fit.score >= options.fit_threshold) high_fit_leads.insert(fit.id);
  }

  // (level, id, period) -> row, sorted at the end. Hashed: every activity touches three rows.
  struct Key {
    AlignmentLevel level;
    int64_t id;
    size_t period;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const {
      return std::hash<int64_t>()(k.id) * 31 + k.period * 4 + static_cast<size_t>(k.level);
    }
  };
  std::unordered_map<Key, AlignmentRow, KeyHash> rows;
  auto row = [&](AlignmentLevel level, int64_t id, size_t p) -> AlignmentRow& {
    auto [it, inserted] = rows.try_emplace(Key{level, id, p});
    if (inserted) {
      it->second.level = level;
      it->second.id = id;
      it->second.period = periods[p];
    }
    return it->second;
  };
  // The rows an item owned by `owner` counts in.
  auto scopes = [&](int64_t owner, size_t p, auto&& fn) {
    fn(row(AlignmentLevel::kCompany, 0, p));
    if (owner == 0) return;
    auto team = input.team_of.find(owner);
    if (team != input.team_of.end()) fn(row(AlignmentLevel::kTeam, team->second, p));
    fn(row(AlignmentLevel::kRep, owner, p));
  };
  for (size_t p = 0; p < periods.size(); ++p) row(AlignmentLevel::kCompany, 0, p);

  // Activities (design note 1).
  for (const ActivityFacts& activity : input.activities) {
    const auto it = std::partition_point(periods.begin(), periods.end(), [&](const Period& period) {
      return period.end < activity.on;
    });
    if (it == periods.end() || !it->Contains(activity.on)) continue;
    const size_t p = static_cast<size_t>(it - periods.begin());
    Flags flags;
    bool linked = false;
    if (activity.account_id != 0) {
      auto a = account_flags.find(activity.account_id);
      if (a != account_flags.end()) flags = a->second;
      linked = true;
    } else if (activity.lead_id != 0) {
      flags.high_fit = high_fit_leads.contains(activity.lead_id);
      linked = true;
    }
    const bool meeting = activity.type == ActivityType::kMeeting;
    scopes(activity.owner_id, p, [&](AlignmentRow& r) {
      for (ShareCount* count : {&r.activities, meeting ? &r.meetings : nullptr}) {
        if (count == nullptr) continue;
        ++count->total;
        if (flags.core) ++count->core;
        if (flags.high_fit) ++count->high_fit;
      }
      if (!linked) ++r.unlinked_activities;
    });
  }

  // Open pipeline at each period's end (design note 2).
  for (size_t p = 0; p < periods.size(); ++p) {
    const Date end = std::min(periods[p].end, input.as_of);
    for (const DealFacts& deal : input.deals) {
      if (deal.created_on > end) continue;
      const bool closed_by_end =
          deal.closed_on ? *deal.closed_on <= end : deal.outcome != Outcome::kOpen;
      if (closed_by_end) continue;
      Flags flags;
      auto a = account_flags.find(deal.account_id);
      if (a != account_flags.end()) flags = a->second;
      scopes(deal.owner_id, p, [&](AlignmentRow& r) {
        auto share = std::find_if(
            r.pipeline.begin(), r.pipeline.end(),
            [&](const PipelineShare& s) { return s.currency == deal.amount.currency; });
        if (share == r.pipeline.end()) {
          PipelineShare fresh;
          fresh.currency = deal.amount.currency;
          fresh.total = fresh.core = fresh.high_fit = Money{0, deal.amount.currency};
          r.pipeline.push_back(fresh);
          share = r.pipeline.end() - 1;
        }
        ++share->deals;
        share->total.minor_units += deal.amount.minor_units;
        if (flags.core) share->core.minor_units += deal.amount.minor_units;
        if (flags.high_fit) share->high_fit.minor_units += deal.amount.minor_units;
      });
    }
  }

  std::vector<AlignmentRow> out;
  out.reserve(rows.size());
  for (auto& [key, r] : rows) {
    std::sort(
        r.pipeline.begin(), r.pipeline.end(),
        [](const PipelineShare& x, const PipelineShare& y) { return x.currency < y.currency; });
    out.push_back(std::move(r));
  }
  std::sort(out.begin(), out.end(), [](const AlignmentRow& x, const AlignmentRow& y) {
    return std::tie(x.level, x.id, x.period.start) < std::tie(y.level, y.id, y.period.start);
  });
  return out;
}

}  // namespace salesbox::analytics::strategy

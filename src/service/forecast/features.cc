// SPDX-License-Identifier: MIT
// A deal as it was on a day (StateOn) and its features (DealFeatures), design notes 2 and 3 in
// features.h; the feature names. Their words are in factors.cc.
#include "service/forecast/features.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

#include "service/forecast/internal.h"

namespace salesbox::service {
namespace {

using internal::forecast::StageIndex;

constexpr std::array<std::string_view, kForecastFeatures> kFeatureNames = {"stage_discover",
                                                                           "stage_propose",
                                                                           "stage_negotiate",
                                                                           "stage_commit",
                                                                           "days_in_stage",
                                                                           "age",
                                                                           "amount",
                                                                           "area_1",
                                                                           "area_2",
                                                                           "area_3",
                                                                           "area_4",
                                                                           "area_5",
                                                                           "days_since_activity",
                                                                           "activities_30d",
                                                                           "activities_90d",
                                                                           "buying_roles",
                                                                           "economic_buyer_met",
                                                                           "next_step_ahead",
                                                                           "close_date_pushes",
                                                                           "close_date_passed",
                                                                           "core_segment",
                                                                           "owner_win_rate"};

}  // namespace

const std::array<std::string_view, kForecastFeatures>& ForecastFeatureNames() {
  return kFeatureNames;
}

DealOnDay StateOn(const ForecastData& data, const ForecastDealFacts& deal, Day d) {
  DealOnDay s;
  if (deal.created_on == kNoDay || deal.created_on > d) return s;
  if (deal.closed_on != kNoDay && deal.closed_on <= d) return s;
  s.open = true;
  const int64_t end_of_day = (static_cast<int64_t>(d) + 1) * 86400;
  if (deal.changes_begin == deal.changes_end) {
    // No history: the current record is all there is.
    s.stage = IsClosed(deal.stage) ? Stage::kCommit : deal.stage;
    s.amount_minor = deal.amount.minor_units;
    s.probability = deal.probability;
    s.close_on = deal.close_on;
    s.next_step_on = deal.next_step_on;
    s.stage_since = deal.created_on;
    s.known = false;
    return s;
  }
  bool any = false;
  Day last_close = kNoDay;
  for (uint32_t i = deal.changes_begin; i < deal.changes_end; ++i) {
    const ForecastChange& c = data.changes[i];
    if (c.seconds >= end_of_day) break;
    const Day day = static_cast<Day>(c.seconds / 86400);
    if (!any || c.stage != s.stage) s.stage_since = day;
    if (any && c.close_on != last_close) ++s.close_changes;
    last_close = c.close_on;
    s.stage = c.stage;
    s.amount_minor = c.amount_minor;
    s.probability = c.probability;
    s.close_on = c.close_on;
    s.next_step_on = c.next_step_on;
    any = true;
  }
  if (!any) {  // history starts after D (imported later): the first row is the best guess
    const ForecastChange& c = data.changes[deal.changes_begin];
    s.stage = c.stage;
    s.amount_minor = c.amount_minor;
    s.probability = c.probability;
    s.close_on = c.close_on;
    s.next_step_on = kNoDay;
    s.stage_since = deal.created_on;
    s.known = false;
  }
  if (IsClosed(s.stage)) s.stage = Stage::kCommit;  // a close row dated before closed_on
  return s;
}

void DealFeatures(const ForecastData& data, const ForecastTypical& typical,
                  const ForecastDealFacts& deal, const DealOnDay& state, Day d, double* out) {
  std::fill(out, out + kForecastFeatures, 0.0);
  const int stage = StageIndex(state.stage);
  if (stage >= 1 && stage <= 4) out[stage - 1] = 1;
  const double in_stage = std::max(0, d - std::max(state.stage_since, deal.created_on));
  out[4] =
      std::log((1 + in_stage) /
               (1 + typical.median_days_in_stage[static_cast<size_t>(std::clamp(stage, 0, 4))]));
  out[5] = std::log1p(std::max(0, d - deal.created_on));
  auto median = typical.median_amount.find(deal.amount.currency.ToString());
  const double typical_amount = median == typical.median_amount.end() ? 0 : median->second;
  // A deal without an amount (none was given) is taken to be of the typical size, not the
  // smallest: the feature is 0, log(typical / typical).
  out[6] = !deal.amount_known ? 0.0
           : state.amount_minor > 0 && typical_amount > 0
               ? std::clamp(std::log(static_cast<double>(state.amount_minor) / typical_amount),
                            -3.0, 3.0)
               : -3.0;

  // Answers: the latest per criterion by the end of D.
  const int64_t end_of_day = (static_cast<int64_t>(d) + 1) * 86400;
  std::array<int, 5> yes{};
  if (deal.answers_begin != deal.answers_end) {
    // Playbooks have at most 50 criteria (5 areas of up to 10).
    std::array<int8_t, 64> latest;
    latest.fill(-1);
    const size_t criteria = std::min<size_t>(data.criterion_area.size(), latest.size());
    for (uint32_t i = deal.answers_begin; i < deal.answers_end; ++i) {
      const ForecastAnswer& a = data.answers[i];
      if (a.seconds >= end_of_day) break;
      if (a.criterion < criteria) latest[a.criterion] = a.yes ? 1 : 0;
    }
    for (size_t c = 0; c < criteria; ++c) {
      const int area = data.criterion_area[c];
      if (area >= 0 && latest[c] == 1) ++yes[static_cast<size_t>(area)];
    }
  }
  for (size_t area = 0; area < 5; ++area) {
    const int n = data.manual_criteria_in_area[area];
    out[7 + area] = n > 0 ? static_cast<double>(yes[area]) / n : 0;
  }

  // Activities completed by D.
  Day last = kNoDay;
  int in30 = 0, in90 = 0;
  bool eb = false;
  for (uint32_t i = deal.activities_begin; i < deal.activities_end; ++i) {
    const ForecastActivity& a = data.activities[i];
    if (a.day > d) break;
    last = a.day;
    if (a.day > d - 30) ++in30;
    if (a.day > d - 90) ++in90;
    eb = eb || a.with_economic_buyer;
  }
  out[12] = std::log1p(std::max(0, d - (last == kNoDay ? deal.created_on : last)));
  out[13] = std::log1p(in30);
  out[14] = std::log1p(in90);
  if (auto roles = data.first_role_day.find(deal.account_id); roles != data.first_role_day.end()) {
    int covered = 0;
    for (Day first : roles->second) covered += first <= d ? 1 : 0;
    out[15] = covered / 3.0;
  }
  out[16] = eb ? 1 : 0;
  out[17] = state.next_step_on != kNoDay && state.next_step_on > d ? 1 : 0;
  out[18] = std::min(state.close_changes, 5);
  out[19] = state.close_on != kNoDay && state.close_on < d ? 1 : 0;
  out[20] = data.core_account.contains(deal.account_id) ? 1 : 0;

  // The owner's win rate over deals closed before D, shrunk toward the company's (10 deals).
  double won = 0, closed = 0;
  if (auto it = data.closed_by_owner.find(deal.owner_id); it != data.closed_by_owner.end()) {
    const auto& days = it->second.closed_on;
    const size_t before =
        static_cast<size_t>(std::lower_bound(days.begin(), days.end(), d) - days.begin());
    closed = static_cast<double>(before);
    won = it->second.wins[before];
  }
  out[21] = (won + 10 * typical.owner_prior) / (closed + 10);
}

}  // namespace salesbox::service

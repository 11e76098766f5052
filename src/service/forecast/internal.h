// SPDX-License-Identifier: MIT
// Helpers shared by the forecast's .cc files: stage indexes, month starts, the month-start
// snapshots of a deal, and a scored deal's factors in words.
#pragma once

#include <algorithm>
#include <chrono>

#include "domain/opportunity.h"
#include "service/forecast/facts.h"
#include "service/forecast/forecast.h"
#include "service/forecast/model.h"
#include "service/internal/scan.h"

namespace salesbox::service::internal::forecast {

inline int StageIndex(Stage stage) { return static_cast<int>(stage); }

// The first day of the month after `day`'s, or `day` itself when it is a first.
inline Day NextMonthStart(Day day) {
  const std::chrono::year_month_day ymd(FromDay(day));
  if (ymd.day() == std::chrono::day(1)) return day;
  const auto next =
      std::chrono::year_month_day(ymd.year() / ymd.month() / 1) + std::chrono::months(1);
  return ToDay(Date(next));
}

inline Day AddMonth(Day first) {
  const std::chrono::year_month_day ymd(FromDay(first));
  return ToDay(Date(ymd + std::chrono::months(1)));
}

// Every month start on which the deal was open: created before it, not closed by it, and not
// after `limit`.
template <typename F>
void ForEachSnapshot(const ForecastDealFacts& deal, Day limit, F&& f) {
  if (deal.created_on == kNoDay) return;
  const Day end = deal.closed_on == kNoDay ? limit : std::min<Day>(limit, deal.closed_on - 1);
  for (Day d = NextMonthStart(deal.created_on + 1); d <= end; d = AddMonth(d)) f(d);
}

// Adds to `s` the (up to three) factors that raise and lower its probability most, with their
// keys and labels in the language `locale` (analytics::audit::kLocales order), from the features
// `x`. Only for ForecastMethod::kModel (factors.cc).
void Explain(const ForecastData& data, const ForecastModel& model, const double* x, int locale,
             ScoredDeal& s);

}  // namespace salesbox::service::internal::forecast

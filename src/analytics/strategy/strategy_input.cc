// SPDX-License-Identifier: MIT
#include "analytics/strategy/strategy_input.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace salesbox::analytics::strategy {

using std::chrono::month;
using std::chrono::months;
using std::chrono::year_month_day;
using std::chrono::years;

std::string_view GranularityName(Granularity granularity) {
  switch (granularity) {
    case Granularity::kMonth:
      return "month";
    case Granularity::kQuarter:
      return "quarter";
    case Granularity::kYear:
      return "year";
    case Granularity::kTotal:
      return "total";
  }
  return "total";
}

Result<Granularity> ParseGranularity(std::string_view text) {
  for (Granularity g :
       {Granularity::kMonth, Granularity::kQuarter, Granularity::kYear, Granularity::kTotal}) {
    if (GranularityName(g) == text) return g;
  }
  return Status::InvalidArgument("period \"" + std::string(text) +
                                 "\": expected month, quarter, year or total");
}

Date PeriodStart(Date day, Granularity granularity) {
  const year_month_day ymd{day};
  switch (granularity) {
    case Granularity::kMonth:
      return Date(ymd.year() / ymd.month() / 1);
    case Granularity::kQuarter: {
      const unsigned m = static_cast<unsigned>(ymd.month());
      return Date(ymd.year() / month((m - 1) / 3 * 3 + 1) / 1);
    }
    case Granularity::kYear:
      return Date(ymd.year() / 1 / 1);
    case Granularity::kTotal:
      return day;
  }
  return day;
}

namespace {

Date NextStart(Date start, Granularity granularity) {
  const year_month_day ymd{start};
  switch (granularity) {
    case Granularity::kMonth:
      return Date(ymd + months(1));
    case Granularity::kQuarter:
      return Date(ymd + months(3));
    case Granularity::kYear:
      return Date(ymd + years(1));
    case Granularity::kTotal:
      break;
  }
  return Date::max();
}

}  // namespace

std::vector<Period> PeriodsBetween(Date from, Date to, Granularity granularity) {
  std::vector<Period> periods;
  if (from > to) return periods;
  if (granularity == Granularity::kTotal) return {Period{from, to}};
  for (Date start = PeriodStart(from, granularity); start <= to;
       start = NextStart(start, granularity)) {
    const Date end = NextStart(start, granularity) - std::chrono::days(1);
    periods.push_back(Period{std::max(start, from), std::min(end, to)});
  }
  return periods;
}

std::string PeriodLabel(const Period& period, Granularity granularity) {
  const year_month_day ymd{period.start};
  const int y = static_cast<int>(ymd.year());
  const unsigned m = static_cast<unsigned>(ymd.month());
  char buffer[32];
  switch (granularity) {
    case Granularity::kMonth:
      std::snprintf(buffer, sizeof buffer, "%04d-%02u", y, m);
      return buffer;
    case Granularity::kQuarter:
      std::snprintf(buffer, sizeof buffer, "%04d-Q%u", y, (m - 1) / 3 + 1);
      return buffer;
    case Granularity::kYear:
      std::snprintf(buffer, sizeof buffer, "%04d", y);
      return buffer;
    case Granularity::kTotal:
      break;
  }
  return FormatDate(period.start) + ".." + FormatDate(period.end);
}

}  // namespace salesbox::analytics::strategy

// SPDX-License-Identifier: MIT
// RFM summary of a transaction log.
//
// Design notes
//   (1) Transactions after the calibration end are dropped first, so a customer's first purchase
//       is their first purchase in calibration; a customer with none is not in the summary.
//   (2) Same-day transactions of one customer are one transaction (amounts summed): x counts
//       distinct purchase days after the first, so t_x and T are whole days / DaysPerUnit.
//   (3) zbar is the mean of the merged repeat transactions (the first one is excluded, as the
//       Gamma-Gamma model of repeat spend and lifetimes' summary_data_from_transaction_data do).
//   (4) One O(n log n) sort by (customer, date); the output is in customer order.
#include "analytics/clv/rfm.h"

#include <algorithm>
#include <string>

namespace salesbox::analytics::clv {

double DaysPerUnit(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kDay:
      return 1.0;
    case TimeUnit::kWeek:
      return 7.0;
    case TimeUnit::kMonth:
      return 365.25 / 12.0;
  }
  return 1.0;
}

std::string_view TimeUnitName(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kDay:
      return "day";
    case TimeUnit::kWeek:
      return "week";
    case TimeUnit::kMonth:
      return "month";
  }
  return "day";
}

Result<TimeUnit> ParseTimeUnit(std::string_view text) {
  for (TimeUnit unit : {TimeUnit::kDay, TimeUnit::kWeek, TimeUnit::kMonth}) {
    if (text == TimeUnitName(unit)) return unit;
  }
  return Status::InvalidArgument("time unit \"" + std::string(text) +
                                 "\" is not one of day, week, month");
}

std::vector<CustomerRfm> SummarizeRfm(std::span<const Transaction> transactions,
                                      const RfmOptions& options) {
  struct Row {
    int64_t customer;
    int64_t day;
    int64_t amount;
  };
  const int64_t end_day = options.calibration_end.time_since_epoch().count();
  std::vector<Row> rows;
  rows.reserve(transactions.size());
  for (const Transaction& t : transactions) {
    const int64_t day = t.date.time_since_epoch().count();
    if (day <= end_day) rows.push_back({t.customer, day, t.amount_minor});
  }
  std::sort(rows.begin(), rows.end(), [](const Row& l, const Row& r) {
    return l.customer != r.customer ? l.customer < r.customer : l.day < r.day;
  });

  const double days_per_unit = DaysPerUnit(options.time_unit);
  std::vector<CustomerRfm> out;
  size_t i = 0;
  while (i < rows.size()) {
    const int64_t customer = rows[i].customer;
    const int64_t first_day = rows[i].day;
    // Skip the first purchase day (all of its transactions).
    while (i < rows.size() && rows[i].customer == customer && rows[i].day == first_day) ++i;
    int64_t repeats = 0;
    int64_t last_day = first_day;
    double repeat_total = 0;
    while (i < rows.size() && rows[i].customer == customer) {
      const int64_t day = rows[i].day;
      int64_t amount = 0;
      while (i < rows.size() && rows[i].customer == customer && rows[i].day == day) {
        amount += rows[i].amount;
        ++i;
      }
      ++repeats;
      last_day = day;
      repeat_total += static_cast<double>(amount);
    }
    CustomerRfm rfm;
    rfm.customer = customer;
    rfm.frequency = repeats;
    rfm.recency = static_cast<double>(last_day - first_day) / days_per_unit;
    rfm.age = static_cast<double>(end_day - first_day) / days_per_unit;
    rfm.monetary = repeats > 0 ? repeat_total / static_cast<double>(repeats) : 0.0;
    out.push_back(rfm);
  }
  return out;
}

}  // namespace salesbox::analytics::clv

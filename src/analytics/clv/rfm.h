// SPDX-License-Identifier: MIT
// RFM summary: turns a transaction log into the per-customer (frequency, recency, age, mean
// repeat spend) that the BG/NBD and Gamma-Gamma models are fitted on.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/time.h"

namespace salesbox::analytics::clv {

// The unit in which recency, age and every model horizon are measured.
enum class TimeUnit {
  kDay,
  kWeek,   // 7 days
  kMonth,  // 365.25 / 12 = 30.4375 days
};

// Days in one `unit`.
double DaysPerUnit(TimeUnit unit);
// "day", "week", "month".
std::string_view TimeUnitName(TimeUnit unit);
// Parses "day" | "week" | "month"; kInvalidArgument otherwise.
Result<TimeUnit> ParseTimeUnit(std::string_view text);

// One purchase. `amount_minor` is in integer minor units of one currency (cents, øre).
struct Transaction {
  int64_t customer = 0;
  Date date;
  int64_t amount_minor = 0;
};

// The RFM summary of one customer over the calibration period, in the lifetimes/BTYD convention.
struct CustomerRfm {
  int64_t customer = 0;
  // x: repeat transactions, i.e. distinct purchase days after the first one.
  int64_t frequency = 0;
  // t_x: time from the first purchase to the last repeat purchase; 0 when frequency == 0.
  double recency = 0;
  // T: time from the first purchase to the end of calibration.
  double age = 0;
  // zbar: mean value of the repeat transactions (same-day purchases summed), in the unit of the
  // amounts (minor units from SummarizeRfm); 0 when frequency == 0.
  double monetary = 0;
};

struct RfmOptions {
  // Last day of the calibration period (inclusive). Later transactions are the holdout and are
  // ignored, and so are customers whose first purchase is after it.
  Date calibration_end;
  TimeUnit time_unit = TimeUnit::kWeek;
};

// Summarises `transactions` (any order) into one row per customer with a purchase on or before
// options.calibration_end, sorted by customer key. Transactions of one customer on the same day
// are merged into one transaction whose amount is their sum (as the CDNOW papers, BTYD and
// lifetimes do). Recency and age are day differences divided by DaysPerUnit(time_unit).
// No transactions (or none in calibration) give an empty vector; the model fits report that.
// Amounts may be zero or negative (refunds); the Gamma-Gamma fit rejects non-positive spend.
// Thread-safe (pure function).
std::vector<CustomerRfm> SummarizeRfm(std::span<const Transaction> transactions,
                                      const RfmOptions& options);

}  // namespace salesbox::analytics::clv

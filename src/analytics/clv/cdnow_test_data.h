// SPDX-License-Identifier: MIT
// Test-only loaders for the CDNOW files in tests/data/cdnow (see SOURCE.md there).
#pragma once

#include <vector>

#include "analytics/clv/rfm.h"
#include "common/result.h"

namespace salesbox::test {

// CDNOW_sample.txt: 6,919 transactions of 2,357 customers; customer = the sample id (1..2357),
// amount in US cents.
Result<std::vector<analytics::clv::Transaction>> LoadCdnowSampleTransactions();

// cdnow_customers_summary_with_transactions.csv (ID,x,t_x,T,zbar): weeks, zbar in US dollars.
Result<std::vector<analytics::clv::CustomerRfm>> LoadCdnowSummaryWithSpend();

// cdnow_customers_summary.csv (ID,frequency,recency,T): weeks; monetary is 0.
Result<std::vector<analytics::clv::CustomerRfm>> LoadCdnowSummary();

}  // namespace salesbox::test

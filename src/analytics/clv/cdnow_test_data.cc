// SPDX-License-Identifier: MIT
// Test-only loaders for the CDNOW files.
#include "analytics/clv/cdnow_test_data.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "common/money.h"
#include "common/status_macros.h"
#include "common/time.h"

namespace salesbox::test {
namespace {

using analytics::clv::CustomerRfm;
using analytics::clv::Transaction;

std::string DataPath(const std::string& name) {
  return std::string(SALESBOX_TEST_DATA_DIR) + "/cdnow/" + name;
}

Result<std::vector<CustomerRfm>> LoadSummaryCsv(const std::string& name, bool with_spend) {
  std::ifstream in(DataPath(name));
  if (!in) return Status::NotFound("cannot open " + DataPath(name));
  std::string line;
  std::getline(in, line);  // header
  std::vector<CustomerRfm> out;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::stringstream fields(line);
    std::string id, x, t_x, age, zbar;
    std::getline(fields, id, ',');
    std::getline(fields, x, ',');
    std::getline(fields, t_x, ',');
    std::getline(fields, age, ',');
    if (with_spend) std::getline(fields, zbar, ',');
    CustomerRfm c;
    c.customer = std::stoll(id);
    c.frequency = std::stoll(x);
    c.recency = std::strtod(t_x.c_str(), nullptr);
    c.age = std::strtod(age.c_str(), nullptr);
    c.monetary = with_spend ? std::strtod(zbar.c_str(), nullptr) : 0.0;
    out.push_back(c);
  }
  return out;
}

}  // namespace

Result<std::vector<Transaction>> LoadCdnowSampleTransactions() {
  std::ifstream in(DataPath("CDNOW_sample.txt"));
  if (!in) return Status::NotFound("cannot open " + DataPath("CDNOW_sample.txt"));
  std::vector<Transaction> out;
  std::string master_id, sample_id, date, cds, sales;
  while (in >> master_id >> sample_id >> date >> cds >> sales) {
    if (date.size() != 8) return Status::InvalidArgument("CDNOW_sample.txt: bad date " + date);
    const int year = std::stoi(date.substr(0, 4));
    const unsigned month = static_cast<unsigned>(std::stoi(date.substr(4, 2)));
    const unsigned day = static_cast<unsigned>(std::stoi(date.substr(6, 2)));
    SB_ASSIGN_OR_RETURN(int64_t cents, ParseDecimal(sales, 2, DecimalSeparator::kPoint));
    out.push_back({std::stoll(sample_id), MakeDate(year, month, day), cents});
  }
  return out;
}

Result<std::vector<CustomerRfm>> LoadCdnowSummaryWithSpend() {
  return LoadSummaryCsv("cdnow_customers_summary_with_transactions.csv", true);
}

Result<std::vector<CustomerRfm>> LoadCdnowSummary() {
  return LoadSummaryCsv("cdnow_customers_summary.csv", false);
}

}  // namespace salesbox::test

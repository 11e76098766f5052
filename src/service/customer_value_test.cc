// SPDX-License-Identifier: MIT
// service/customer_value against a real in-memory SQLite store. The hand-made accounts below
// have their RFM figures worked out by hand (calibration end 2025-06-30, time in days); they
// sit among a cohort of CDNOW customers (tests/data/cdnow) so that the models can be fitted, and
// the per-currency fits are checked against fits of the published CDNOW summary file.
#include "service/customer_value.h"

#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "analytics/clv/bg_nbd.h"
#include "analytics/clv/gamma_gamma.h"
#include "storage/open_store.h"
#include "testing/status_matchers.h"

namespace salesbox::service {
namespace {

namespace clv = analytics::clv;
using ::salesbox::test::StatusIs;
using ::salesbox::test::StatusIsWithMessage;
using json = nlohmann::json;

constexpr const char* kCdnowDir = SALESBOX_TEST_DATA_DIR "/cdnow/";

struct CdnowRow {
  int64_t customer = 0;
  Date on{};
  int64_t cents = 0;
};

std::vector<CdnowRow> ReadCdnowSample() {
  std::ifstream in(std::string(kCdnowDir) + "CDNOW_sample.txt");
  std::vector<CdnowRow> rows;
  std::string master, date;
  int64_t sample = 0;
  int cds = 0;
  double sales = 0;
  while (in >> master >> sample >> date >> cds >> sales) {
    const int y = std::stoi(date.substr(0, 4));
    const unsigned m = static_cast<unsigned>(std::stoi(date.substr(4, 2)));
    const unsigned d = static_cast<unsigned>(std::stoi(date.substr(6, 2)));
    rows.push_back({sample, MakeDate(y, m, d), std::llround(sales * 100)});
  }
  return rows;
}

// cdnow_customers_summary_with_transactions.csv: ID,x,t_x,T,zbar (weeks, dollars).
std::vector<clv::CustomerRfm> ReadCdnowSummary() {
  std::ifstream in(std::string(kCdnowDir) + "cdnow_customers_summary_with_transactions.csv");
  std::string line;
  std::getline(in, line);
  std::vector<clv::CustomerRfm> rows;
  while (std::getline(in, line)) {
    std::stringstream s(line);
    std::string cell[5];
    for (auto& c : cell) std::getline(s, c, ',');
    rows.push_back({std::stoll(cell[0]), std::stoll(cell[1]), std::stod(cell[2]),
                    std::stod(cell[3]), std::stod(cell[4])});
  }
  return rows;
}

class CustomerValueTest : public ::testing::Test {
 protected:
  void SetUp() override { SB_ASSERT_OK_AND_ASSIGN(store_, storage::OpenStore("sqlite::memory:")); }

  static Date D() { return MakeDate(2025, 6, 30); }
  static Timestamp Now() { return StartOf(MakeDate(2025, 7, 1)) + std::chrono::hours(9); }

  int64_t AddAccount(const std::string& external_id, const std::string& abc = "") {
    Account account;
    account.external_id = external_id;
    account.name = "Account " + external_id;
    account.abc_class = abc;
    account.created_at = account.updated_at = StartOf(MakeDate(2020, 1, 1));
    Result<AccountId> id = store_->accounts().Insert(account);
    EXPECT_TRUE(id.ok()) << id.status().message();
    ids_[external_id] = id.ok() ? id->value : -1;
    return ids_[external_id];
  }

  void AddOrder(const std::string& account, Date on, int64_t revenue_minor,
                const std::string& currency = "DKK", int64_t margin_minor = -1) {
    Order order;
    order.external_id = "O" + std::to_string(++orders_);
    order.account_id = AccountId{ids_.at(account)};
    order.ordered_on = on;
    order.revenue = Money{revenue_minor, *Currency::Parse(currency)};
    order.margin =
        Money{margin_minor < 0 ? revenue_minor / 4 : margin_minor, order.revenue.currency};
    order.created_at = order.updated_at = StartOf(on);
    Result<OrderId> id = store_->orders().Insert(order);
    EXPECT_TRUE(id.ok()) << id.status().message();
  }

  // The CDNOW sample customers with sample id <= `limit` as accounts "C<id>", their purchases as
  // orders; `currency_of` picks each customer's currency and `scale` its amounts' factor.
  void AddCdnow(
      int64_t limit, const std::function<std::string(int64_t)>& currency_of,
      const std::function<int64_t(int64_t)>& scale = [](int64_t) { return 1; }) {
    SB_ASSERT_OK(store_->Transact([&](storage::Store&) {
      for (const CdnowRow& row : ReadCdnowSample()) {
        if (row.customer > limit) continue;
        const std::string id = "C" + std::to_string(row.customer);
        if (!ids_.count(id)) AddAccount(id);
        AddOrder(id, row.on, row.cents * scale(row.customer), currency_of(row.customer));
      }
      return Status::Ok();
    }));
  }

  CustomerValueOptions Options(Date end, clv::TimeUnit unit = clv::TimeUnit::kDay) {
    CustomerValueOptions options;
    options.calibration_end = end;
    options.time_unit = unit;
    options.horizon = 52;
    return options;
  }

  static const CustomerValueRow* Row(const CustomerValueReport& report, int64_t id) {
    for (const CustomerValueRow& row : report.customers) {
      if (row.id.value == id) return &row;
    }
    return nullptr;
  }

  std::unique_ptr<storage::Store> store_;
  std::map<std::string, int64_t> ids_;
  int orders_ = 0;
};

// The hand-made accounts (calibration end 1997-09-30, days):
//   alfa   DKK: 100.00 + 50.00 on 04-01 (one purchase), 200.00 on 06-01, 300.00 on 09-01,
//               999.00 on 10-15 (after the end: ignored)
//          -> x = 2, t_x = 153, T = 182, zbar = 250.00, 4 orders, margin 162.50
//   beta   DKK: 80.00 on 05-01, 120.00 on 05-15, and 5,000 SEK on 05-20 (not its currency)
//          -> x = 1, t_x = 14, T = 152, zbar = 120.00, margin 50.00
//   gamma  DKK: 500.00 on 07-01 -> x = 0, t_x = 0, T = 91, zbar 0, margin 125.00
//   delta  no orders -> no row
TEST_F(CustomerValueTest, SummarizesOrdersPerAccountMergingSameDayOrders) {
  AddCdnow(2357, [](int64_t) { return "DKK"; });  // so that the models can be fitted
  SB_ASSERT_OK(store_->Transact([&](storage::Store&) {
    AddAccount("alfa");
    AddAccount("beta");
    AddAccount("gamma");
    AddAccount("delta");
    AddOrder("alfa", MakeDate(1997, 4, 1), 10000, "DKK", 2500);
    AddOrder("alfa", MakeDate(1997, 4, 1), 5000, "DKK", 1250);
    AddOrder("alfa", MakeDate(1997, 6, 1), 20000, "DKK", 5000);
    AddOrder("alfa", MakeDate(1997, 9, 1), 30000, "DKK", 7500);
    AddOrder("alfa", MakeDate(1997, 10, 15), 99900, "DKK", 0);
    AddOrder("beta", MakeDate(1997, 5, 1), 8000);
    AddOrder("beta", MakeDate(1997, 5, 15), 12000);
    AddOrder("beta", MakeDate(1997, 5, 20), 500000, "SEK");
    AddOrder("gamma", MakeDate(1997, 7, 1), 50000);
    return Status::Ok();
  }));
  SB_ASSERT_OK_AND_ASSIGN(CustomerValueReport report,
                          ComputeCustomerValue(*store_, Options(MakeDate(1997, 9, 30))));
  ASSERT_EQ(report.customers.size(), 2360u);
  EXPECT_EQ(report.accounts, 2361);
  EXPECT_EQ(report.orders_other_currency, 1);  // beta's SEK order
  ASSERT_EQ(report.gamma_gamma.size(), 1u);
  EXPECT_EQ(report.gamma_gamma[0].currency.ToString(), "DKK");
  EXPECT_EQ(Row(report, ids_["delta"]), nullptr);

  const clv::BgNbdParams& bg = report.bgnbd.params;
  const clv::GammaGammaParams& gg = report.gamma_gamma[0].fit.params;
  struct Expected {
    std::string name;
    int64_t orders, x;
    double t_x, T, zbar;
    int64_t margin_minor;
  };
  for (const Expected& e :
       {Expected{"alfa", 4, 2, 153, 182, 250.0, 16250},
        Expected{"beta", 2, 1, 14, 152, 120.0, 5000}, Expected{"gamma", 1, 0, 0, 91, 0.0, 12500}}) {
    SCOPED_TRACE(e.name);
    const CustomerValueRow* row = Row(report, ids_[e.name]);
    ASSERT_NE(row, nullptr);
    EXPECT_EQ(row->external_id, e.name);
    EXPECT_EQ(row->name, "Account " + e.name);
    EXPECT_EQ(row->currency.ToString(), "DKK");
    EXPECT_EQ(row->orders, e.orders);
    EXPECT_EQ(row->frequency, e.x);
    EXPECT_DOUBLE_EQ(row->recency, e.t_x);
    EXPECT_DOUBLE_EQ(row->age, e.T);
    EXPECT_DOUBLE_EQ(row->mean_repeat_spend, e.zbar);
    EXPECT_EQ(row->margin_minor, e.margin_minor);
    EXPECT_DOUBLE_EQ(row->p_alive, clv::BgNbdProbabilityAlive(bg, e.x, e.t_x, e.T));
    SB_ASSERT_OK_AND_ASSIGN(double purchases,
                            clv::BgNbdConditionalExpectedPurchases(bg, 52, e.x, e.t_x, e.T));
    EXPECT_NEAR(row->expected_purchases, purchases, 1e-12 * purchases);
    SB_ASSERT_OK_AND_ASSIGN(double spend, clv::GammaGammaExpectedSpend(gg, e.x, e.zbar));
    EXPECT_NEAR(row->expected_spend, spend, 1e-12 * spend);
    // No discount: CLV = expected purchases x expected spend, in kroner, and in øre.
    EXPECT_NEAR(row->clv, purchases * spend, 1e-9 * purchases * spend);
    EXPECT_EQ(row->clv_minor, std::llround(row->clv * 100));
  }
}

// Half the CDNOW customers trade in DKK (odd ids), half in SEK with ten times the amounts (even
// ids). BG/NBD is one fit over everyone, so it is the published CDNOW fit; each currency's
// Gamma-Gamma is the fit of its half of the published summary (SEK: zbar × 10).
TEST_F(CustomerValueTest, FitsGammaGammaPerCurrencyAndBgNbdOnEveryone) {
  AddCdnow(
      2357, [](int64_t id) { return id % 2 == 1 ? "DKK" : "SEK"; },
      [](int64_t id) { return id % 2 == 1 ? 1 : 10; });
  SB_ASSERT_OK_AND_ASSIGN(
      CustomerValueReport report,
      ComputeCustomerValue(*store_, Options(MakeDate(1997, 9, 30), clv::TimeUnit::kWeek)));
  ASSERT_EQ(report.customers.size(), 2357u);
  EXPECT_NEAR(report.bgnbd.params.r, 0.243, 0.0005);
  EXPECT_NEAR(report.bgnbd.params.alpha, 4.414, 0.0005);
  EXPECT_NEAR(report.bgnbd.params.a, 0.793, 0.0005);
  EXPECT_NEAR(report.bgnbd.params.b, 2.426, 0.0005);
  EXPECT_NEAR(report.bgnbd.log_likelihood, -9582.4, 0.05);

  ASSERT_EQ(report.gamma_gamma.size(), 2u);
  for (int half = 0; half < 2; ++half) {
    const CurrencySpendFit& fit = report.gamma_gamma[static_cast<size_t>(half)];
    const bool sek = half == 1;
    SCOPED_TRACE(fit.currency.ToString());
    EXPECT_EQ(fit.currency.ToString(), sek ? "SEK" : "DKK");
    std::vector<clv::CustomerRfm> rows;
    for (clv::CustomerRfm row : ReadCdnowSummary()) {
      if ((row.customer % 2 == 0) != sek) continue;
      row.monetary *= sek ? 10 : 1;
      rows.push_back(row);
    }
    SB_ASSERT_OK_AND_ASSIGN(clv::GammaGammaFit expected, clv::FitGammaGamma(rows));
    EXPECT_EQ(fit.customers, static_cast<int64_t>(rows.size()));
    EXPECT_EQ(fit.fit.customers, expected.customers);
    // The summary file rounds zbar to the cent, hence the 1e-3 relative tolerance.
    EXPECT_NEAR(fit.fit.params.p, expected.params.p, 1e-3 * expected.params.p);
    EXPECT_NEAR(fit.fit.params.q, expected.params.q, 1e-3 * expected.params.q);
    EXPECT_NEAR(fit.fit.params.gamma, expected.params.gamma, 1e-3 * expected.params.gamma);
    EXPECT_EQ(fit.abc_counts[0] + fit.abc_counts[1] + fit.abc_counts[2], fit.customers);
  }
  // The SEK half's spend is ten times larger, so its γ is roughly ten times the DKK half's.
  EXPECT_GT(report.gamma_gamma[1].fit.params.gamma, 5 * report.gamma_gamma[0].fit.params.gamma);
  for (const CustomerValueRow& row : report.customers) {
    const int64_t sample = std::stoll(row.external_id.substr(1));
    EXPECT_EQ(row.currency.ToString(), sample % 2 == 1 ? "DKK" : "SEK") << row.external_id;
  }

  const json j = CustomerValueJson(report);
  EXPECT_TRUE(j["gamma_gamma"].is_null());  // two currencies: no single spend model
  EXPECT_EQ(j["gamma_gamma_by_currency"].size(), 2u);
  EXPECT_EQ(j["gamma_gamma_by_currency"]["SEK"]["currency"], "SEK");
  EXPECT_EQ(j["customers"].size(), 2357u);
  EXPECT_EQ(j["time_unit"], "week");
}

// A "whale" buying 50,000 kroner every week holds far more than 80% of the DKK value: it is the
// only A customer in DKK. The SEK customers are classed among themselves.
TEST_F(CustomerValueTest, AbcClassesAreWithinEachCurrencyAndConfigurable) {
  AddCdnow(600, [](int64_t id) { return id % 2 == 1 ? "DKK" : "SEK"; });
  SB_ASSERT_OK(store_->Transact([&](storage::Store&) {
    AddAccount("whale");
    for (int week = 0; week < 30; ++week) {
      AddOrder("whale", MakeDate(1997, 3, 1) + std::chrono::days(7 * week),
               5'000'000 + 1000 * (week % 7));
    }
    return Status::Ok();
  }));
  CustomerValueOptions options = Options(MakeDate(1997, 9, 30), clv::TimeUnit::kWeek);
  SB_ASSERT_OK_AND_ASSIGN(CustomerValueReport report, ComputeCustomerValue(*store_, options));
  ASSERT_EQ(report.gamma_gamma.size(), 2u);
  const CurrencySpendFit& dkk = report.gamma_gamma[0];
  const CurrencySpendFit& sek = report.gamma_gamma[1];
  EXPECT_EQ(dkk.abc_counts[0], 1);
  const CustomerValueRow* whale = Row(report, ids_["whale"]);
  ASSERT_NE(whale, nullptr);
  EXPECT_EQ(whale->abc, clv::AbcClass::kA);
  EXPECT_GT(whale->clv, 0.8 * dkk.total_clv);
  EXPECT_GT(sek.abc_counts[0], 1);  // the whale does not push the SEK customers down

  // By hand, per currency: rank by CLV; a customer is A while the customers before it hold
  // less than 80% of the total, B while they hold less than 95%.
  auto check = [&](const CustomerValueReport& r, double a_share, double b_share) {
    for (const CurrencySpendFit& fit : r.gamma_gamma) {
      std::vector<const CustomerValueRow*> rows;
      for (const CustomerValueRow& row : r.customers) {
        if (row.currency == fit.currency) rows.push_back(&row);
      }
      std::stable_sort(rows.begin(), rows.end(), [](auto* x, auto* y) { return x->clv > y->clv; });
      double before = 0;
      for (const CustomerValueRow* row : rows) {
        const clv::AbcClass expected = before < a_share * fit.total_clv ? clv::AbcClass::kA
                                       : before < (a_share + b_share) * fit.total_clv
                                           ? clv::AbcClass::kB
                                           : clv::AbcClass::kC;
        EXPECT_EQ(row->abc, expected) << row->external_id;
        before += row->clv;
      }
    }
  };
  check(report, 0.80, 0.15);

  options.abc = {.a_share = 0.5, .b_share = 0.3};
  SB_ASSERT_OK_AND_ASSIGN(CustomerValueReport half, ComputeCustomerValue(*store_, options));
  check(half, 0.5, 0.3);
  EXPECT_LT(half.gamma_gamma[1].abc_counts[0], sek.abc_counts[0]);

  options.abc = {.a_share = 0.9, .b_share = 0.2};
  EXPECT_THAT(ComputeCustomerValue(*store_, options), StatusIs(StatusCode::kInvalidArgument));
}

TEST_F(CustomerValueTest, SaveAbcClassesStoresTheClassesAndLogsEachChange) {
  AddCdnow(2357, [](int64_t) { return "USD"; });
  AddAccount("prospect", "B");  // no orders: its stored B is cleared
  AddAccount("empty");          // no orders and no class: unchanged
  SB_ASSERT_OK_AND_ASSIGN(
      CustomerValueReport report,
      ComputeCustomerValue(*store_, Options(MakeDate(1997, 9, 30), clv::TimeUnit::kWeek)));
  SB_ASSERT_OK_AND_ASSIGN(AbcSaveResult saved,
                          SaveAbcClasses(*store_, report, std::nullopt, Now()));
  EXPECT_EQ(saved.changed, 2358);  // 2,357 customers classed, the prospect cleared
  EXPECT_EQ(saved.unchanged, 1);

  for (const CustomerValueRow& row : report.customers) {
    SB_ASSERT_OK_AND_ASSIGN(Account account, store_->accounts().Get(row.id));
    EXPECT_EQ(account.abc_class, clv::AbcClassName(row.abc)) << row.external_id;
    EXPECT_EQ(account.updated_at, Now());
  }
  SB_ASSERT_OK_AND_ASSIGN(Account prospect, store_->accounts().Get(AccountId{ids_["prospect"]}));
  EXPECT_EQ(prospect.abc_class, "");

  SB_ASSERT_OK_AND_ASSIGN(std::vector<ChangeLogEntry> log, store_->change_log().List({}));
  ASSERT_EQ(log.size(), 2358u);
  std::map<int64_t, json> changes;
  for (const ChangeLogEntry& entry : log) {
    EXPECT_EQ(entry.action, "update");
    EXPECT_EQ(entry.entity, "accounts");
    EXPECT_EQ(entry.at, Now());
    changes[entry.entity_id] = json::parse(entry.changes);
  }
  EXPECT_EQ(changes[ids_["prospect"]], json::parse(R"({"abc_class":["B",null]})"));
  const CustomerValueRow& first = report.customers.front();
  EXPECT_EQ(changes[first.id.value],
            json({{"abc_class", json::array({nullptr, clv::AbcClassName(first.abc)})}}));

  // Saving the same classes again changes nothing and logs nothing.
  SB_ASSERT_OK_AND_ASSIGN(AbcSaveResult again,
                          SaveAbcClasses(*store_, report, std::nullopt, Now()));
  EXPECT_EQ(again.changed, 0);
  EXPECT_EQ(again.unchanged, 2359);
  SB_ASSERT_OK_AND_ASSIGN(int64_t entries, store_->change_log().Count({}));
  EXPECT_EQ(entries, 2358);
}

TEST_F(CustomerValueTest, DegenerateInputsGiveClearMessages) {
  const CustomerValueOptions options = Options(D());
  EXPECT_THAT(
      ComputeCustomerValue(*store_, options),
      StatusIsWithMessage(StatusCode::kFailedPrecondition, "no orders on or before 2025-06-30"));

  AddAccount("one");
  AddOrder("one", MakeDate(2025, 1, 1), 1000);
  AddOrder("one", MakeDate(2025, 2, 1), 2000);
  AddOrder("one", MakeDate(2025, 7, 1), 2000);  // after the calibration end
  EXPECT_THAT(ComputeCustomerValue(*store_, options),
              StatusIsWithMessage(StatusCode::kFailedPrecondition, "BG/NBD: one customer"));
  // Orders only after the calibration end count as none.
  EXPECT_THAT(ComputeCustomerValue(*store_, Options(MakeDate(2024, 12, 31))),
              StatusIsWithMessage(StatusCode::kFailedPrecondition, "no orders on or before"));
}

TEST_F(CustomerValueTest, NoRepeatBuyerIsAClearMessage) {
  for (const char* name : {"a", "b", "c"}) {
    AddAccount(name);
    AddOrder(name, MakeDate(2025, 3, 1), 1000);
  }
  EXPECT_THAT(
      ComputeCustomerValue(*store_, Options(D())),
      StatusIsWithMessage(StatusCode::kFailedPrecondition, "no customer made a repeat purchase"));
}

TEST_F(CustomerValueTest, ZeroSpendAndATooSmallCurrencyAreClearMessages) {
  AddCdnow(2357, [](int64_t) { return "DKK"; });
  // NOK: two repeat customers whose repeat orders have no revenue.
  AddAccount("n1");
  AddAccount("n2");
  for (const char* name : {"n1", "n2"}) {
    AddOrder(name, MakeDate(1997, 2, 1), 1000, "NOK");
    AddOrder(name, MakeDate(1997, 3, 1), 0, "NOK", 0);
  }
  const CustomerValueOptions options = Options(MakeDate(1997, 9, 30), clv::TimeUnit::kWeek);
  EXPECT_THAT(ComputeCustomerValue(*store_, options),
              StatusIsWithMessage(StatusCode::kFailedPrecondition,
                                  "spend model for NOK: every repeat purchase in NOK has zero "
                                  "revenue"));
  // One NOK customer with real repeat spend: still one repeat customer, which cannot be fitted.
  AddOrder("n1", MakeDate(1997, 4, 1), 5000, "NOK");
  EXPECT_THAT(ComputeCustomerValue(*store_, options),
              StatusIsWithMessage(StatusCode::kFailedPrecondition,
                                  "spend model for NOK: Gamma-Gamma: one repeat customer"));
}

// The first 200 CDNOW customers fit a = 0.19, b = 0.48: the engine cannot compute the expected
// purchases of a customer without repeat purchases when a + b <= 1, and the message says so.
TEST_F(CustomerValueTest, DropoutFitWithAPlusBAtMostOneIsAClearMessage) {
  AddCdnow(200, [](int64_t) { return "USD"; });
  EXPECT_THAT(ComputeCustomerValue(*store_, Options(MakeDate(1997, 9, 30), clv::TimeUnit::kWeek)),
              StatusIsWithMessage(StatusCode::kFailedPrecondition,
                                  "purchase model (200 customers with orders on or before "
                                  "1997-09-30): the fitted dropout distribution has a + b <= 1"));
}

TEST_F(CustomerValueTest, RefusesBadOptions) {
  CustomerValueOptions options = Options(D());
  options.horizon = 0;
  EXPECT_THAT(ComputeCustomerValue(*store_, options), StatusIs(StatusCode::kInvalidArgument));
  options.horizon = -5;
  EXPECT_THAT(ComputeCustomerValue(*store_, options), StatusIs(StatusCode::kInvalidArgument));
  options.horizon = 52;
  options.discount_rate = -0.1;
  EXPECT_THAT(ComputeCustomerValue(*store_, options), StatusIs(StatusCode::kInvalidArgument));
  options.discount_rate = NAN;
  EXPECT_THAT(ComputeCustomerValue(*store_, options), StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace salesbox::service

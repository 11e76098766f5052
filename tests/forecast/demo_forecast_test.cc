// SPDX-License-Identifier: MIT
// The evidence-based forecast on the default demo company (seed 42, scale 1, today 2025-06-02):
// the backtest's model beats the reps' stated probabilities and the stage defaults on Brier
// score, log loss and AUC; the optimism index recovers the planted optimist and pessimist
// (docs/demo-data.md, truth 2); the roll-up adds up across teams and stays inside its range.
#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "service/forecast.h"
#include "testing/demo_store.h"

namespace salesbox {
namespace {

class DemoForecastTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Result<std::unique_ptr<storage::Store>> store = test::DefaultDemoStore();
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    Result<service::ForecastData> data = service::LoadForecastData(**store);
    ASSERT_TRUE(data.ok()) << data.status().ToString();
    data_ = new service::ForecastData(*std::move(data));
  }
  static void TearDownTestSuite() {
    delete data_;
    data_ = nullptr;
  }
  static service::ForecastData* data_;
};

service::ForecastData* DemoForecastTest::data_ = nullptr;

const Date kToday = MakeDate(2025, 6, 2);

TEST_F(DemoForecastTest, TheModelBeatsTheRepsAndTheStageDefaults) {
  Result<service::Backtest> bt = service::RunBacktest(*data_, kToday, std::nullopt);
  ASSERT_TRUE(bt.ok()) << bt.status().ToString();
  EXPECT_EQ(bt->model_info.method, service::ForecastMethod::kModel);
  EXPECT_GT(bt->model_info.closed_deals, 2000);
  EXPECT_GT(bt->test_examples, 3000);
  EXPECT_EQ(bt->without_history, 0);  // the demo's deals all have a stage history
  ASSERT_TRUE(bt->stated.has_value());
  ASSERT_TRUE(bt->stage_default.has_value());
  EXPECT_LT(bt->model.brier, bt->stated->brier - 0.03);
  EXPECT_LT(bt->model.brier, bt->stage_default->brier - 0.03);
  EXPECT_LT(bt->model.log_loss, bt->stated->log_loss);
  EXPECT_LT(bt->model.log_loss, bt->stage_default->log_loss);
  EXPECT_GT(*bt->model.auc, *bt->stated->auc + 0.05);
  EXPECT_GT(*bt->model.auc, *bt->stage_default->auc + 0.05);
  // Calibrated: in every well-filled bin the observed rate is near the predicted one.
  for (const auto& bin : bt->model.reliability) {
    if (bin.count < 200) continue;
    EXPECT_NEAR(bin.observed_rate, bin.mean_predicted, 0.08) << bin.lower;
  }
  // The reps overstate their late-stage deals: commit-range stated probabilities win far less.
  const auto& high = bt->stated->reliability[8];
  EXPECT_GT(high.count, 100);
  EXPECT_LT(high.observed_rate, high.mean_predicted - 0.1);
}

TEST_F(DemoForecastTest, TheOptimismIndexFindsThePlantedOptimists) {
  service::ForecastRequest request;
  request.as_of = kToday;
  request.trials = 1000;
  request.fan = false;
  Result<service::Forecast> f = service::RunForecast(*data_, request);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_EQ(f->optimism.size(), 25u);
  auto by_optimism = f->optimism;
  std::sort(by_optimism.begin(), by_optimism.end(),
            [](const auto& a, const auto& b) { return a.optimism > b.optimism; });
  EXPECT_EQ(data_->user_names.at(by_optimism.front().rep), "Fredrik Persson");
  EXPECT_EQ(data_->user_names.at(by_optimism.back().rep), "Louise Pedersen");
  // docs/demo-data.md measures the same index: +0.228 and −0.237.
  EXPECT_NEAR(by_optimism.front().optimism, 0.228, 0.0005);
  EXPECT_NEAR(by_optimism.back().optimism, -0.237, 0.0005);
  // Their intervals separate them from every other rep.
  EXPECT_GT(by_optimism.front().interval->lower, by_optimism[1].optimism);
  EXPECT_LT(by_optimism.back().interval->upper, by_optimism[by_optimism.size() - 2].optimism);
}

TEST_F(DemoForecastTest, TheRollUpAddsUpAndStaysInItsRange) {
  service::ForecastRequest request;
  request.as_of = kToday;
  request.period = "2025-Q2";
  request.trials = 20000;
  Result<service::Forecast> f = service::RunForecast(*data_, request);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_EQ(f->totals.size(), 3u);  // DKK, NOK, SEK
  std::map<std::string, int64_t> team_expected, team_closed, team_pipeline;
  for (const auto& g : f->groups) {
    if (g.level != "team") continue;
    const std::string c = g.rollup.currency.ToString();
    team_expected[c] += g.rollup.expected;
    team_closed[c] += g.rollup.closed_won;
    team_pipeline[c] += g.rollup.pipeline;
  }
  for (const service::Rollup& r : f->totals) {
    const std::string c = r.currency.ToString();
    SCOPED_TRACE(c);
    EXPECT_GT(r.deals, 20);
    EXPECT_LE(r.p10, r.p50);
    EXPECT_LE(r.p50, r.p90);
    EXPECT_LE(r.closed_won, r.p10);
    EXPECT_LE(r.p90, r.closed_won + r.pipeline);
    EXPECT_GT(r.expected, r.p10);
    EXPECT_LT(r.expected, r.p90);
    EXPECT_EQ(team_closed[c], r.closed_won);
    EXPECT_EQ(team_pipeline[c], r.pipeline);
    EXPECT_LE(std::llabs(team_expected[c] - r.expected), 5);  // rounding per team
    // The expected value is the exact sum over the deals in the period.
    double exact = static_cast<double>(r.closed_won);
    for (const service::ScoredDeal& s : f->deals) {
      if (s.in_period && s.amount.currency == r.currency) {
        exact += static_cast<double>(s.amount.minor_units) * s.p_model * (1 - s.p_slip);
      }
    }
    EXPECT_NEAR(static_cast<double>(r.expected), exact, 1.0);
  }
  // The fan ends at the period's end with the same expectation.
  for (const auto& [currency, points] : f->fan) {
    ASSERT_FALSE(points.empty());
    EXPECT_EQ(service::internal::FromDay(points.back().day), MakeDate(2025, 6, 30));
    for (const service::Rollup& r : f->totals) {
      if (r.currency == currency) {
        EXPECT_NEAR(points.back().expected, r.expected, 2);
      }
    }
    for (size_t i = 1; i < points.size(); ++i) {
      EXPECT_GE(points[i].expected, points[i - 1].expected);
      EXPECT_GE(points[i].closed_won, points[i - 1].closed_won);
    }
  }
  // Every factor is in words.
  int explained = 0;
  for (const service::ScoredDeal& s : f->deals) {
    if (!s.up.empty() || !s.down.empty()) ++explained;
    for (const auto& factor : s.down) EXPECT_LT(factor.effect, 0);
    for (const auto& factor : s.up) EXPECT_GT(factor.effect, 0);
  }
  EXPECT_EQ(explained, static_cast<int>(f->deals.size()));

  // The factors in the reader's language: the same deals, the same effects, Danish words.
  request.locale = "da";
  request.fan = false;
  request.trials = 100;
  Result<service::Forecast> da = service::RunForecast(*data_, request);
  ASSERT_TRUE(da.ok());
  std::map<std::string, int> english, danish;
  for (size_t i = 0; i < f->deals.size(); ++i) {
    ASSERT_EQ(f->deals[i].down.size(), da->deals[i].down.size());
    for (size_t k = 0; k < f->deals[i].down.size(); ++k) {
      EXPECT_EQ(f->deals[i].down[k].feature, da->deals[i].down[k].feature);
      EXPECT_DOUBLE_EQ(f->deals[i].down[k].effect, da->deals[i].down[k].effect);
      ++english[f->deals[i].down[k].label];
      ++danish[da->deals[i].down[k].label];
    }
  }
  EXPECT_GT(english["no dated next step ahead"], 0);
  EXPECT_EQ(danish["intet dateret næste skridt"], english["no dated next step ahead"]);
  EXPECT_EQ(danish.count("no dated next step ahead"), 0u);
}

}  // namespace
}  // namespace salesbox

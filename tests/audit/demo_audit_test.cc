// SPDX-License-Identifier: MIT
// The audit run on the default demo company (seed 42, scale 1, today 2025-06-02) finds the
// truths docs/demo-data.md plants: each rep's neglected scorecard area (truth 3) comes out as the
// rep's weakest area, and the under-served A-customers (truth 5) are red for missed touchpoints.
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "analytics/audit/playbook.h"
#include "analytics/audit/report.h"
#include "demo/demo_company.h"
#include "service/pipeline_audit.h"
#include "service/strategy_service.h"
#include "storage/open_store.h"
#include "testing/demo_store.h"
#include "testing/status_matchers.h"

namespace salesbox {
namespace {

namespace audit = analytics::audit;

class DemoAuditTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Result<std::unique_ptr<storage::Store>> store = test::DefaultDemoStore();
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = store->release();
  }
  static void TearDownTestSuite() {
    delete store_;
    store_ = nullptr;
  }

  static service::AuditOutcome Run(Date as_of) {
    Result<std::shared_ptr<const service::AuditData>> data = service::LoadAuditData(*store_, as_of);
    EXPECT_TRUE(data.ok()) << data.status().ToString();
    Result<service::AuditOutcome> outcome =
        service::RunAudit(*store_, *data, service::AuditScope{}, "company");
    EXPECT_TRUE(outcome.ok()) << outcome.status().ToString();
    return *std::move(outcome);
  }

  static storage::Store* store_;
};

storage::Store* DemoAuditTest::store_ = nullptr;

// docs/demo-data.md, truth 3: the area each rep neglects.
const std::map<std::string, std::string>& kNeglected = test::Neglects();

TEST_F(DemoAuditTest, EachRepsWeakestAreaIsTheOneThePlantedDataNeglects) {
  service::AuditOutcome outcome = Run(MakeDate(2025, 6, 2));
  ASSERT_FALSE(outcome.report.sections.empty());
  const audit::Section& deals = outcome.report.sections[0];
  ASSERT_EQ(deals.subject_type, SubjectType::kOpportunity);
  int checked = 0;
  for (const audit::GroupRow& rep : deals.by_rep) {
    const std::string login = rep.key.substr(0, rep.key.find('@'));
    auto it = kNeglected.find(login);
    if (it == kNeglected.end()) continue;
    ASSERT_GE(rep.weakest_area, 0) << login;
    EXPECT_EQ(deals.playbook->areas[rep.weakest_area].id, it->second) << login;
    ++checked;
  }
  EXPECT_EQ(checked, 25);
}

TEST_F(DemoAuditTest, UnderServedACustomersAreRedForMissedTouchpoints) {
  service::AuditOutcome outcome = Run(MakeDate(2025, 6, 2));
  // docs/demo-data.md, truth 5 (a sample of the 43 listed accounts).
  const std::set<std::string> under_served = {
      "ACC-000050", "ACC-000088", "ACC-000259", "ACC-000314", "ACC-000317", "ACC-000368",
      "ACC-000401", "ACC-000454", "ACC-000475", "ACC-000479", "ACC-000482", "ACC-000483",
      "ACC-000512", "ACC-000523", "ACC-000548", "ACC-000597", "ACC-000669", "ACC-000714",
      "ACC-000746", "ACC-000815", "ACC-000867", "ACC-000929", "ACC-000989", "ACC-001055",
      "ACC-001094", "ACC-001163", "ACC-001184", "ACC-001282", "ACC-001352", "ACC-001363",
      "ACC-001457", "ACC-001523", "ACC-001526", "ACC-001574", "ACC-001587", "ACC-001696",
      "ACC-001735", "ACC-001785", "ACC-001809", "ACC-001818", "ACC-001856", "ACC-001962",
      "ACC-001987"};
  const service::AuditData& data = *outcome.data;
  int flagged = 0, other_a = 0, other_a_touch_red = 0;
  for (const audit::ItemResult& item : outcome.items) {
    if (item.subject_type != SubjectType::kAccount) continue;
    const std::string& external = data.labels.account_external_ids[static_cast<size_t>(item.index)];
    bool touchpoints = false;
    for (const audit::Finding& f : item.findings) {
      touchpoints = touchpoints || f.kind == audit::FindingKind::kTouchpointsMissed;
    }
    if (under_served.count(external)) {
      EXPECT_EQ(item.colour, audit::Colour::kRed) << external;
      if (touchpoints) ++flagged;
    } else if (item.abc_class == 'A') {
      ++other_a;
      if (touchpoints) ++other_a_touch_red;
    }
  }
  // Every under-served customer the audit classes A misses its touchpoints; B and C classes
  // need fewer touches, so a few of the 43 (classed per currency here) may meet theirs.
  EXPECT_GE(flagged, 38);
  EXPECT_GT(other_a, 150);
  // Nearly every other A-customer gets its touches. (Three do not: ACC-000353, ACC-000814 and
  // ACC-001157 have 0-3 completed activities on the account in the year; the audit classes
  // customers per currency, the document ranks them across currencies in DKK.)
  EXPECT_LE(other_a_touch_red, 3);
}

// The ICP fit criterion reads the strategy's fit scores (not the core-segment flag): every account
// carries its score, and core-segment accounts fit far better than the others (truth 1).
TEST_F(DemoAuditTest, TheIcpFitCriterionReadsTheFitScores) {
  const Date as_of = MakeDate(2025, 6, 2);
  Result<std::unordered_map<int64_t, double>> fits = service::AccountFitScores(*store_, as_of);
  ASSERT_TRUE(fits.ok()) << fits.status().ToString();
  ASSERT_GT(fits->size(), 1000u);
  Result<std::shared_ptr<const service::AuditData>> data = service::LoadAuditData(*store_, as_of);
  ASSERT_TRUE(data.ok());
  int core = 0, core_fit = 0, other = 0, other_fit = 0, differs = 0;
  for (const audit::AccountFacts& a : (*data)->input.accounts) {
    ASSERT_TRUE(a.icp_fit.has_value()) << a.id;
    EXPECT_EQ(*a.icp_fit, fits->at(a.id));
    const bool fit = *a.icp_fit >= 60;
    (a.core_segment ? core : other) += 1;
    (a.core_segment ? core_fit : other_fit) += fit ? 1 : 0;
    differs += fit != a.core_segment ? 1 : 0;
  }
  EXPECT_GT(core_fit, core * 3 / 4);  // most core accounts fit
  EXPECT_LT(other_fit, other / 4);    // few of the others do
  EXPECT_GT(differs, 0);              // and it is not the flag itself
}

TEST_F(DemoAuditTest, JsonHasTheRequiredFieldsAndCountsAddUp) {
  service::AuditOutcome outcome = Run(MakeDate(2025, 6, 2));
  const service::AuditData& data = *outcome.data;
  nlohmann::json json =
      audit::ReportJson(data.input, outcome.items, data.labels, outcome.report, 0);
  const auto& summary = json["summary"];
  EXPECT_EQ(summary["green"].get<int64_t>() + summary["yellow"].get<int64_t>() +
                summary["red"].get<int64_t>(),
            summary["items"].get<int64_t>());
  EXPECT_EQ(summary["items"].get<size_t>(), json["items"].size());
  for (const auto& item : json["items"]) {
    for (const char* key : {"subject_type", "id", "name", "owner", "stage", "colour", "area_scores",
                            "reasons", "actions"}) {
      ASSERT_TRUE(item.contains(key)) << key;
    }
    ASSERT_EQ(item["area_scores"].size(), 5u);
    EXPECT_EQ(item["reasons"].size(), item["actions"].size());
    EXPECT_EQ(item["reasons"].empty(), item["colour"] == "green");
  }
  // Both kinds are audited: the open deals and the customers of the last 12 months.
  EXPECT_EQ(outcome.report.sections.size(), 2u);
  EXPECT_EQ(outcome.report.sections[0].total.items(), 591);  // the demo's open deals
}

TEST_F(DemoAuditTest, AMeddiccPlaybookScoresTheSameCompany) {
  std::string json;
  for (const audit::ShippedPlaybook& p : audit::ShippedPlaybooks()) {
    if (p.name == "meddicc") json = std::string(p.json);
  }
  SB_ASSERT_OK_AND_ASSIGN(
      service::PlaybookLoad loaded,
      service::LoadPlaybook(*store_, json, std::nullopt, StartOf(MakeDate(2025, 6, 2))));
  service::AuditOutcome outcome = Run(MakeDate(2025, 6, 2));
  EXPECT_EQ(outcome.data->playbooks.opportunity.label(), "meddicc@1");
  EXPECT_EQ(outcome.report.sections[0].total.items(), 591);
  // Put the default back for the other tests.
  std::string fallback;
  for (const audit::ShippedPlaybook& p : audit::ShippedPlaybooks()) {
    if (p.name == "default-opportunity") fallback = std::string(p.json);
  }
  SB_ASSERT_OK_AND_ASSIGN(
      service::PlaybookLoad restored,
      service::LoadPlaybook(*store_, fallback, std::nullopt, StartOf(MakeDate(2025, 6, 2))));
  EXPECT_EQ(restored.version.name, "default-opportunity");
}

TEST(DemoAuditFileTest, ReadingAnswersOnASecondConnectionGivesTheSameAudit) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("salesbox_audit_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "demo.db").string();
  {
    SB_ASSERT_OK_AND_ASSIGN(std::unique_ptr<storage::Store> store, storage::OpenStore(path));
    demo::DemoOptions options;
    options.scale = 0.1;
    options.today = MakeDate(2025, 6, 2);
    SB_ASSERT_OK(demo::GenerateDemoCompany(*store, options).status());
  }
  SB_ASSERT_OK_AND_ASSIGN(std::unique_ptr<storage::Store> store, storage::OpenStore(path));
  SB_ASSERT_OK_AND_ASSIGN(std::unique_ptr<storage::Store> second, storage::OpenStore(path));
  nlohmann::json reports[2];
  for (int parallel = 0; parallel < 2; ++parallel) {
    SB_ASSERT_OK_AND_ASSIGN(
        std::shared_ptr<const service::AuditData> data,
        service::LoadAuditData(*store, MakeDate(2025, 6, 2), parallel ? second.get() : nullptr));
    SB_ASSERT_OK_AND_ASSIGN(service::AuditOutcome outcome,
                            service::RunAudit(*store, data, service::AuditScope{}, "company"));
    reports[parallel] = service::SavedReportJson(outcome, 0);
  }
  EXPECT_GT(reports[0]["items"].size(), 50u);
  EXPECT_EQ(reports[0]["items"], reports[1]["items"]);
  EXPECT_EQ(reports[0]["sections"], reports[1]["sections"]);
  store.reset();
  second.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace salesbox

// SPDX-License-Identifier: MIT
// --preset against export files with the header rows Salesforce, HubSpot, Pipedrive and Dynamics
// 365 write (tests/data/presets/), imported in order into one store each.
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/status_macros.h"
#include "service/transfer.h"
#include "storage/open_store.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"

namespace salesbox::service {
namespace {

using ::testing::HasSubstr;

class PresetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SB_ASSERT_OK_AND_ASSIGN(store_, storage::OpenStore("sqlite::memory:"));
  }
  // Imports tests/data/presets/<crm>/<file> as `kind` with the preset; the report.
  ImportReport Import(Preset preset, Kind kind, const std::string& crm, const std::string& file,
                      std::string constants = {}) {
    ImportOptions options;
    options.preset = preset;
    options.constants = std::move(constants);
    // Single-currency exports carry no currency column: the user says it, as with --currency.
    if (preset == Preset::kHubSpot) options.default_currency = Currency::Parse("NOK").value();
    if (preset == Preset::kSalesforce) options.default_currency = Currency::Parse("USD").value();
    TransferService transfer(*store_, clock_);
    Result<ImportReport> report = transfer.ImportFile(
        kind, std::string(SALESBOX_TEST_DATA_DIR) + "/presets/" + crm + "/" + file, options);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    if (!report.ok()) return {};
    for (const ImportError& e : report->errors) ADD_FAILURE() << e.ToString();
    EXPECT_TRUE(report->committed) << file;
    return *report;
  }
  Opportunity Deal(const std::string& external_id) {
    storage::ListQuery query;
    query.filters.push_back(storage::Match("external_id", storage::FilterOp::kEq, {external_id}));
    Result<std::vector<Opportunity>> found = store_->opportunities().List(query);
    EXPECT_TRUE(found.ok() && found->size() == 1) << external_id;
    return found.ok() && found->size() == 1 ? (*found)[0] : Opportunity{};
  }
  Account AccountOf(const Opportunity& deal) {
    Result<Account> account = store_->accounts().Get(deal.account_id);
    EXPECT_TRUE(account.ok());
    return account.ok() ? *account : Account{};
  }
  std::vector<Activity> Activities() {
    Result<std::vector<Activity>> all = store_->activities().List({});
    EXPECT_TRUE(all.ok());
    return all.ok() ? *all : std::vector<Activity>{};
  }

  test::FakeClock clock_{"2024-03-01T09:00:00Z"};
  std::unique_ptr<storage::Store> store_;
};

TEST_F(PresetTest, SalesforceDataExport) {
  const Preset sf = Preset::kSalesforce;
  EXPECT_EQ(Import(sf, Kind::kAccounts, "salesforce", "Account.csv").inserted, 2);
  EXPECT_EQ(Import(sf, Kind::kContacts, "salesforce", "Contact.csv").inserted, 2);
  EXPECT_EQ(Import(sf, Kind::kOpportunities, "salesforce", "Opportunity.csv").inserted, 3);
  EXPECT_EQ(Import(sf, Kind::kOpportunityHistory, "salesforce", "OpportunityHistory.csv").inserted,
            3);
  EXPECT_EQ(Import(sf, Kind::kActivities, "salesforce", "Task.csv").inserted, 2);

  const Opportunity open = Deal("0065g00000Opp01AAA");
  EXPECT_EQ(open.stage, Stage::kDiscover);  // "Id. Decision Makers"
  EXPECT_EQ(open.amount.minor_units, 7500000);
  EXPECT_EQ(open.amount.currency.code(), "USD");
  EXPECT_EQ(open.probability, 0.6);
  EXPECT_EQ(FormatDate(open.close_on.value_or(Date{})), "2024-04-30");
  EXPECT_EQ(FormatDate(open.created_on), "2024-01-05");
  EXPECT_EQ(open.next_step, "Send proposal");
  EXPECT_EQ(AccountOf(open).name, "Edge Communications");
  EXPECT_EQ(AccountOf(open).country, "US");
  const Opportunity won = Deal("0065g00000Opp02AAA");
  EXPECT_EQ(won.stage, Stage::kClosedWon);
  EXPECT_EQ(won.forecast_category, ForecastCategory::kClosed);
  const Opportunity lost = Deal("0065g00000Opp03AAA");
  EXPECT_EQ(lost.stage, Stage::kClosedLost);
  EXPECT_FALSE(lost.amount_known);

  Result<std::vector<OpportunityChange>> history = store_->opportunity_changes().List({});
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[0].stage, Stage::kQualify);  // Prospecting
  EXPECT_EQ((*history)[1].stage, Stage::kNegotiate);
  EXPECT_EQ(FormatTimestamp((*history)[1].changed_at), "2023-12-12T15:30:00Z");

  const std::vector<Activity> tasks = Activities();
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(tasks[0].type, ActivityType::kCall);
  EXPECT_EQ(tasks[0].status, ActivityStatus::kCompleted);
  EXPECT_EQ(tasks[1].type, ActivityType::kEmail);
  EXPECT_EQ(tasks[1].status, ActivityStatus::kPlanned);
}

TEST_F(PresetTest, HubSpotViewExports) {
  const Preset hs = Preset::kHubSpot;
  ImportReport companies = Import(hs, Kind::kAccounts, "hubspot", "companies.csv");
  EXPECT_EQ(companies.inserted, 2);
  EXPECT_EQ(companies.created_users.size(), 1u);  // "Ingrid Berg", known by name only
  EXPECT_EQ(Import(hs, Kind::kContacts, "hubspot", "contacts.csv").inserted, 2);
  EXPECT_EQ(Import(hs, Kind::kOpportunities, "hubspot", "deals.csv").inserted, 3);
  // HubSpot exports each activity type on its own: the file's type is given with --set.
  EXPECT_EQ(Import(hs, Kind::kActivities, "hubspot", "meetings.csv", "type=meeting").inserted, 2);

  const Opportunity open = Deal("17324001");
  EXPECT_EQ(open.stage, Stage::kNegotiate);  // Contract Sent
  EXPECT_EQ(open.amount.minor_units, 12000000);
  EXPECT_EQ(open.forecast_category, ForecastCategory::kCommit);
  EXPECT_EQ(FormatDate(open.next_step_on.value_or(Date{})), "2024-03-05");
  EXPECT_EQ(AccountOf(open).name, "Fjordline Logistics AS");
  EXPECT_EQ(AccountOf(open).country, "NO");
  const Opportunity lost = Deal("17324002");
  EXPECT_EQ(lost.stage, Stage::kClosedLost);
  EXPECT_FALSE(lost.amount_known);
  EXPECT_EQ(lost.reason, "No budget");
  const std::vector<Activity> meetings = Activities();
  ASSERT_EQ(meetings.size(), 2u);
  EXPECT_EQ(meetings[0].status, ActivityStatus::kCompleted);
  EXPECT_EQ(meetings[1].status, ActivityStatus::kPlanned);
  EXPECT_EQ(meetings[0].opportunity_id, open.id);
}

TEST_F(PresetTest, PipedriveExportsWithStatusAsOutcome) {
  const Preset pd = Preset::kPipedrive;
  {
    // Without the preset its headers mean nothing to salesbox.
    TransferService transfer(*store_, clock_);
    Result<ImportReport> bare = transfer.ImportFile(
        Kind::kAccounts, std::string(SALESBOX_TEST_DATA_DIR) + "/presets/pipedrive/organizations.csv",
        ImportOptions{});
    ASSERT_TRUE(bare.ok());
    ASSERT_FALSE(bare->errors.empty());
    EXPECT_THAT(bare->errors[0].message, HasSubstr("column name is required"));
  }
  EXPECT_EQ(Import(pd, Kind::kAccounts, "pipedrive", "organizations.csv").inserted, 2);
  EXPECT_EQ(Import(pd, Kind::kContacts, "pipedrive", "persons.csv").inserted, 1);
  EXPECT_EQ(Import(pd, Kind::kOpportunities, "pipedrive", "deals.csv").inserted, 3);
  EXPECT_EQ(Import(pd, Kind::kActivities, "pipedrive", "activities.csv").inserted, 2);

  const Opportunity open = Deal("301");
  EXPECT_EQ(open.stage, Stage::kPropose);  // Proposal Made, open
  EXPECT_EQ(open.amount.minor_units, 45000000);
  EXPECT_EQ(open.amount.currency.code(), "DKK");
  EXPECT_EQ(AccountOf(open).name, "Jylland Beton A/S");
  EXPECT_EQ(AccountOf(open).country, "DK");
  EXPECT_EQ(Deal("302").stage, Stage::kClosedWon);  // stage Negotiations Started, status won
  const Opportunity lost = Deal("303");
  EXPECT_EQ(lost.stage, Stage::kClosedLost);
  EXPECT_EQ(lost.reason, "Price too high");
  EXPECT_FALSE(lost.amount_known);
  const std::vector<Activity> activities = Activities();
  ASSERT_EQ(activities.size(), 2u);
  EXPECT_EQ(activities[0].type, ActivityType::kMeeting);
  EXPECT_EQ(activities[0].status, ActivityStatus::kCompleted);
  EXPECT_EQ(activities[1].type, ActivityType::kCall);
  EXPECT_EQ(activities[1].status, ActivityStatus::kPlanned);
  EXPECT_EQ(activities[1].opportunity_id, open.id);
}

TEST_F(PresetTest, DynamicsExportToExcel) {
  const Preset dy = Preset::kDynamics;
  EXPECT_EQ(Import(dy, Kind::kAccounts, "dynamics", "accounts.csv").inserted, 2);
  EXPECT_EQ(Import(dy, Kind::kContacts, "dynamics", "contacts.csv").inserted, 1);
  EXPECT_EQ(Import(dy, Kind::kOpportunities, "dynamics", "opportunities.csv").inserted, 3);

  const Opportunity open = Deal("9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb01");
  EXPECT_EQ(open.stage, Stage::kPropose);
  EXPECT_EQ(open.amount.minor_units, 125000000);
  EXPECT_EQ(open.amount.currency.code(), "SEK");
  EXPECT_EQ(AccountOf(open).name, "Göta Kraft AB");
  EXPECT_EQ(AccountOf(open).country, "SE");
  const Opportunity unknown = Deal("9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb02");
  EXPECT_FALSE(unknown.amount_known);
  EXPECT_EQ(unknown.amount.currency.code(), "NOK");
  const Opportunity won = Deal("9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb03");
  EXPECT_EQ(won.stage, Stage::kClosedWon);
  EXPECT_EQ(FormatDate(won.closed_on.value_or(Date{})), "2023-12-14");
}

TEST_F(PresetTest, UnknownPresetNamesTheKnownOnes) {
  EXPECT_THAT(ParsePreset("zoho").status().message(),
              HasSubstr("is not one of salesforce, hubspot, pipedrive, dynamics"));
}

}  // namespace
}  // namespace salesbox::service

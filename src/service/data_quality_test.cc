// SPDX-License-Identifier: MIT
// The data-quality report against a real in-memory store filled through the import, with the
// counts worked out by hand from the files below.
#include "service/data_quality.h"

#include <memory>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "service/transfer.h"
#include "storage/open_store.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"

namespace salesbox::service {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class DataQualityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SB_ASSERT_OK_AND_ASSIGN(store_, storage::OpenStore("sqlite::memory:"));
  }
  void Import(Kind kind, std::string text) {
    Result<csv::CsvReader> reader = csv::CsvReader::FromString(std::move(text), "in.csv");
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    ImportOptions options;
    options.default_currency = Currency::Parse("DKK").value();
    TransferService transfer(*store_, clock_);
    Result<ImportReport> report = transfer.Import(kind, *reader, options);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    for (const ImportError& error : report->errors) ADD_FAILURE() << error.ToString();
  }
  const DataQualityFinding* Find(const DataQualityReport& report, DataQualityCheck check) {
    for (const DataQualityFinding& finding : report.findings) {
      if (finding.check == check) return &finding;
    }
    return nullptr;
  }

  test::FakeClock clock_{"2025-03-03T09:00:00Z"};
  std::unique_ptr<storage::Store> store_;
};

TEST_F(DataQualityTest, AnEmptyDatabaseHasNothingToReport) {
  SB_ASSERT_OK_AND_ASSIGN(DataQualityReport report, CheckDataQuality(*store_));
  EXPECT_TRUE(report.findings.empty());
  EXPECT_EQ(FormatDataQuality(report, 0),
            "Data quality: 0 deals (0 open), 0 accounts, 0 activities\n  No problems found.\n");
  EXPECT_EQ(FormatDataQuality(report, 2),
            "Datakvalitet: 0 affärer (0 öppna), 0 kunder, 0 aktiviteter\n"
            "  Inga problem hittades.\n");
}

// A company as another CRM's export leaves it: deals without history, lost deals without
// amounts, a next-step date only the won deals have, open deals without close dates, few
// activities, no answers, an owner outside every team and one customer entered twice.
TEST_F(DataQualityTest, FindsWhatAnExportLeavesOutWithCounts) {
  Import(Kind::kTeams, "name\nNorth\n");
  Import(Kind::kUsers,
         "email,name,role,team\n"
         "anna@example.com,Anna Ærø,rep,North\n"
         "bo@example.com,Bo Sørensen,manager,North\n"
         "carl@example.com,Carl Holm,rep,\n"
         "dora@example.com,Dora Dahl,rep,\n");  // owns nothing: not counted
  Import(Kind::kAccounts,
         "external_id,name,owner_email\n"
         "A1,Ærø Maskinfabrik A/S,anna@example.com\n"
         "A2,ÆRØ MASKINFABRIK ApS,anna@example.com\n"
         "A3,Nordic Steel AB,bo@example.com\n"
         "A4,Nordic Steel,carl@example.com\n"
         "A5,Other Company,bo@example.com\n");
  std::string deals =
      "external_id,account,name,owner_email,stage,amount,close_date,closed_date,next_step_date\n";
  for (int i = 1; i <= 6; ++i) {
    deals += "W" + std::to_string(i) + ",A1,Won " + std::to_string(i) +
             ",anna@example.com,closed_won,1000,2025-01-10,2025-01-10,2025-01-05\n";
    deals += "L" + std::to_string(i) + ",A3,Lost " + std::to_string(i) +
             ",bo@example.com,closed_lost,,2025-01-10,2025-01-10,\n";
  }
  deals +=
      "O1,A5,Open 1,carl@example.com,propose,500,2025-04-01,,\n"
      "O2,A5,Open 2,carl@example.com,qualify,,,,\n"
      "O3,A5,Open 3,bo@example.com,negotiate,700,,,\n"
      "O4,A5,Open 4,bo@example.com,commit,900,2025-03-30,,\n";
  Import(Kind::kOpportunities, deals);
  // History for two closed deals; W3's only row is its closing, which shows nothing open.
  Import(Kind::kOpportunityHistory,
         "opportunity,changed_at,stage,amount\n"
         "W1,2024-11-01T10:00:00Z,propose,1000\n"
         "W1,2025-01-10T10:00:00Z,closed_won,1000\n"
         "L1,2024-12-01T10:00:00Z,qualify,\n"
         "W3,2025-01-10T10:00:00Z,closed_won,1000\n");
  Import(Kind::kActivities,
         "type,status,date,owner_email,account,opportunity\n"
         "meeting,completed,2025-02-01,bo@example.com,A5,O4\n");

  SB_ASSERT_OK_AND_ASSIGN(DataQualityReport report, CheckDataQuality(*store_));
  EXPECT_EQ(report.opportunities, 16);
  EXPECT_EQ(report.open, 4);
  EXPECT_EQ(report.won, 6);
  EXPECT_EQ(report.lost, 6);
  EXPECT_EQ(report.accounts, 5);
  EXPECT_EQ(report.activities, 1);
  EXPECT_EQ(report.answers, 0);
  std::vector<std::string> seen;
  for (const DataQualityFinding& f : report.findings) {
    seen.push_back(std::string(DataQualityCheckName(f.check)) + " " + std::to_string(f.count) +
                   "/" + std::to_string(f.of) + (f.field.empty() ? "" : " " + f.field));
  }
  EXPECT_THAT(seen, ElementsAre("closed_without_history 10/12", "lost_without_amount 6/12",
                                "outcome_in_field 6/12 next_step_date",
                                "open_without_close_date 2/4", "open_without_amount 1/4",
                                "open_without_activities 3/4", "no_answers 0/0",
                                "owners_without_team 1/3", "near_duplicate_accounts 4/5"));
  EXPECT_THAT(Find(report, DataQualityCheck::kOwnersWithoutTeam)->examples,
              ElementsAre("Carl Holm"));
  EXPECT_THAT(Find(report, DataQualityCheck::kNearDuplicateAccounts)->examples,
              ElementsAre("Nordic Steel ~ Nordic Steel AB",
                          "ÆRØ MASKINFABRIK ApS ~ Ærø Maskinfabrik A/S"));

  const std::string english = FormatDataQuality(report, 0);
  EXPECT_THAT(english, HasSubstr("Data quality: 16 deals (4 open), 5 accounts, 1 activities\n"));
  EXPECT_THAT(english, HasSubstr("  ! 10 of 12 closed deals have no stage history\n"
                                 "    The forecast learns from deals as they were while open;"));
  EXPECT_THAT(english, HasSubstr("  ! The field next_step_date gives the outcome away (6 of 12 "
                                 "closed deals have it, all with the same outcome)\n"));
  EXPECT_THAT(english, HasSubstr("    for example:\n      Carl Holm\n"));
  const std::string danish = FormatDataQuality(report, 1);
  EXPECT_THAT(danish, HasSubstr("  ! 10 af 12 lukkede handler har ingen fasehistorik\n"));
  EXPECT_THAT(danish, HasSubstr("  ! Alle 6 tabte handler har beløb 0 eller intet beløb\n"));
  EXPECT_THAT(FormatDataQuality(report, 3), HasSubstr("  ! 1 av 3 eiere er ikke med i noe team\n"));

  // Once the lost deals have amounts, the next-step date is set on some lost deals too, and
  // every open deal has a close date, those findings go away.
  Import(Kind::kOpportunities,
         "external_id,amount,next_step_date,close_date\n"
         "L1,800,2025-01-02,\nL2,900,,\nO2,,,2025-05-01\nO3,,,2025-06-01\n");
  SB_ASSERT_OK_AND_ASSIGN(report, CheckDataQuality(*store_));
  EXPECT_EQ(Find(report, DataQualityCheck::kLostWithoutAmount), nullptr);
  EXPECT_EQ(Find(report, DataQualityCheck::kOutcomeInField), nullptr);
  EXPECT_EQ(Find(report, DataQualityCheck::kOpenWithoutCloseDate), nullptr);
  ASSERT_NE(Find(report, DataQualityCheck::kOpenWithoutAmount), nullptr);
  EXPECT_EQ(Find(report, DataQualityCheck::kOpenWithoutAmount)->count, 2);  // O2, O3 cleared
}

TEST_F(DataQualityTest, NoActivitiesAtAllIsOneFinding) {
  Import(Kind::kAccounts, "external_id,name\nA1,Acme\n");
  Import(Kind::kOpportunities,
         "external_id,account,name,stage,amount,close_date\nO1,A1,Deal,propose,100,2025-04-01\n");
  SB_ASSERT_OK_AND_ASSIGN(DataQualityReport report, CheckDataQuality(*store_));
  std::vector<DataQualityCheck> checks;
  for (const DataQualityFinding& f : report.findings) checks.push_back(f.check);
  EXPECT_THAT(checks, ElementsAre(DataQualityCheck::kNoActivities, DataQualityCheck::kNoAnswers));
  EXPECT_THAT(FormatDataQuality(report, 2),
              HasSubstr("  ! Inga aktiviteter är registrerade\n    Revisionens kriterier"));
}

TEST_F(DataQualityTest, NumbersAreGroupedAsTheLanguageWritesThem) {
  DataQualityFinding finding{DataQualityCheck::kClosedWithoutHistory, 1234, 56789, {}, {}};
  EXPECT_EQ(DataQualityTitle(finding, 0), "1,234 of 56,789 closed deals have no stage history");
  EXPECT_EQ(DataQualityTitle(finding, 1), "1.234 af 56.789 lukkede handler har ingen fasehistorik");
  EXPECT_EQ(DataQualityTitle(finding, 2),
            "1\u00a0234 av 56\u00a0789 stängda affärer saknar steghistorik");
  EXPECT_EQ(DataQualityTitle(finding, 3), "1.234 av 56.789 lukkede salg har ingen fasehistorikk");
}

TEST_F(DataQualityTest, AccountNameKeysIgnoreCasePunctuationAndLegalForm) {
  EXPECT_EQ(AccountNameKey("Ærø Maskinfabrik A/S"), AccountNameKey("ÆRØ MASKINFABRIK ApS"));
  EXPECT_EQ(AccountNameKey("Acme, Inc."), "acme");
  EXPECT_EQ(AccountNameKey("ACME Ltd"), "acme");
  EXPECT_EQ(AccountNameKey("Göteborg Logistik AB"), AccountNameKey("göteborg logistik"));
  EXPECT_NE(AccountNameKey("Acme North"), AccountNameKey("Acme South"));
  EXPECT_EQ(AccountNameKey("AB"), "ab");  // a legal form alone is the name
}

}  // namespace
}  // namespace salesbox::service

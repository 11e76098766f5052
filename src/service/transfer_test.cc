// SPDX-License-Identifier: MIT
// TransferService against a real in-memory SQLite store: the import rules for real-world CSV,
// all-or-nothing, updates by key, and the export -> import round trip.
#include "service/transfer.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/status_macros.h"
#include "service/auth.h"
#include "storage/open_store.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"

namespace salesbox::service {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class TransferTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SB_ASSERT_OK_AND_ASSIGN(store_, storage::OpenStore("sqlite::memory:"));
    options_.default_currency = Currency::Parse("DKK").value();
  }

  // Imports `text` as a file called `name`; the report, whatever it says.
  ImportReport Import(Kind kind, std::string text, std::string name = "in.csv") {
    Result<csv::CsvReader> reader = csv::CsvReader::FromString(std::move(text), name);
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    TransferService transfer(*store_, clock_);
    Result<ImportReport> report = transfer.Import(kind, *reader, options_);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : ImportReport{};
  }

  // Imports and expects success.
  ImportReport ImportOk(Kind kind, std::string text) {
    ImportReport report = Import(kind, std::move(text));
    EXPECT_TRUE(report.errors.empty()) << Errors(report);
    EXPECT_TRUE(report.committed);
    return report;
  }

  static std::string Errors(const ImportReport& report) {
    std::string out;
    for (const ImportError& e : report.errors) out += e.ToString() + "\n";
    return out;
  }

  std::string Export(Kind kind, bool json = false) {
    std::string out;
    auto write = [&out](std::string_view text) { out += text; };
    std::unique_ptr<RowSink> sink = json ? MakeJsonSink(write) : MakeCsvSink(write);
    TransferService transfer(*store_, clock_);
    Status status = transfer.Export(kind, *sink);
    EXPECT_TRUE(status.ok()) << status.ToString();
    return out;
  }

  void ImportUsersAndAccounts() {
    ImportOk(Kind::kTeams, "name\nNorth\n");
    ImportOk(Kind::kUsers,
             "email,name,role,team\n"
             "anna@example.com,Anna Ærø,rep,North\n"
             "bo@example.com,Bo Sørensen,manager,North\n");
    ImportOk(Kind::kAccounts,
             "external_id,name,industry,employees,region,country,org_number,owner_email\n"
             "A1,Ærø Maskinfabrik A/S,Manufacturing,120,Syddanmark,DK,12345678,"
             "anna@example.com\n"
             "A2,Göteborg Logistik AB,Logistics,45,Västra Götaland,Sverige,556677-8899,"
             "bo@example.com\n");
  }

  Result<Account> AccountByExternalId(const std::string& id) {
    storage::ListQuery query;
    query.filters.push_back(storage::Match("external_id", storage::FilterOp::kEq, {id}));
    SB_ASSIGN_OR_RETURN(std::vector<Account> found, store_->accounts().List(query));
    if (found.size() != 1) return Status::NotFound(id);
    return found[0];
  }

  Result<Opportunity> OpportunityByExternalId(const std::string& id) {
    storage::ListQuery query;
    query.filters.push_back(storage::Match("external_id", storage::FilterOp::kEq, {id}));
    SB_ASSIGN_OR_RETURN(std::vector<Opportunity> found, store_->opportunities().List(query));
    if (found.size() != 1) return Status::NotFound(id);
    return found[0];
  }

  int64_t Count(Kind kind) {
    storage::ListQuery all;
    Result<int64_t> n = Status::Internal("kind");
    switch (kind) {
      case Kind::kAccounts:
        n = store_->accounts().Count(all);
        break;
      case Kind::kOpportunities:
        n = store_->opportunities().Count(all);
        break;
      case Kind::kOrders:
        n = store_->orders().Count(all);
        break;
      case Kind::kActivities:
        n = store_->activities().Count(all);
        break;
      case Kind::kScorecardAnswers:
        n = store_->scorecard_answers().Count(all);
        break;
      case Kind::kObjectives:
        n = store_->objectives().Count(all);
        break;
      default:
        break;
    }
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  }

  test::FakeClock clock_{"2025-03-03T09:00:00Z"};
  std::unique_ptr<storage::Store> store_;
  ImportOptions options_;
};

TEST_F(TransferTest, ImportsAccountsWithCanonicalColumns) {
  ImportUsersAndAccounts();
  SB_ASSERT_OK_AND_ASSIGN(Account a1, AccountByExternalId("A1"));
  EXPECT_EQ(a1.name, "Ærø Maskinfabrik A/S");
  EXPECT_EQ(a1.industry, "Manufacturing");
  EXPECT_EQ(a1.employees, 120);
  EXPECT_EQ(a1.country, "DK");
  EXPECT_EQ(a1.org_number, "12345678");
  EXPECT_TRUE(a1.owner_id.has_value());
  EXPECT_EQ(a1.created_at, clock_.Now());
  SB_ASSERT_OK_AND_ASSIGN(Account a2, AccountByExternalId("A2"));
  EXPECT_EQ(a2.country, "SE");  // "Sverige"
  EXPECT_EQ(a2.region, "Västra Götaland");
}

TEST_F(TransferTest, ReadsNordicExcelSemicolonWindows1252AndDecimalComma) {
  ImportUsersAndAccounts();
  // "Tilbud på ÆØÅ-anlæg" in Windows-1252, decimal comma with thousands dots, Danish dates.
  std::string text =
      "external_id;account;name;stage;amount;currency;probability;close_date;created_date\n"
      "O1;A1;Tilbud p\xE5 \xC6\xD8\xC5-anl\xE6g;Propose;1.234.567,50;DKK;40%;31-12-2025;"
      "01.02.2025\n"
      "O2;G\xF6teborg Logistik AB;Ramavtal;negotiate;99,95;SEK;0,6;15/06/2025;2025-01-15\n";
  std::filesystem::path path = std::filesystem::temp_directory_path() / "sb_nordic_excel.csv";
  std::ofstream(path, std::ios::binary) << text;
  TransferService transfer(*store_, clock_);
  SB_ASSERT_OK_AND_ASSIGN(ImportReport report,
                          transfer.ImportFile(Kind::kOpportunities, path.string(), options_));
  std::filesystem::remove(path);
  ASSERT_TRUE(report.errors.empty()) << Errors(report);
  EXPECT_EQ(report.encoding, "windows-1252");
  EXPECT_EQ(report.delimiter, ';');
  EXPECT_EQ(report.inserted, 2);

  SB_ASSERT_OK_AND_ASSIGN(Opportunity o1, OpportunityByExternalId("O1"));
  EXPECT_EQ(o1.name, "Tilbud på ÆØÅ-anlæg");
  EXPECT_EQ(o1.amount.minor_units, 123456750);
  EXPECT_EQ(o1.amount.currency.code(), "DKK");
  EXPECT_EQ(o1.stage, Stage::kPropose);
  EXPECT_DOUBLE_EQ(*o1.probability, 0.4);
  EXPECT_EQ(o1.close_on, MakeDate(2025, 12, 31));
  EXPECT_EQ(o1.created_on, MakeDate(2025, 2, 1));

  SB_ASSERT_OK_AND_ASSIGN(Opportunity o2, OpportunityByExternalId("O2"));
  EXPECT_EQ(o2.amount.minor_units, 9995);
  EXPECT_EQ(o2.amount.currency.code(), "SEK");
  EXPECT_DOUBLE_EQ(*o2.probability, 0.6);
  EXPECT_EQ(o2.close_on, MakeDate(2025, 6, 15));
  SB_ASSERT_OK_AND_ASSIGN(Account a2, AccountByExternalId("A2"));
  EXPECT_EQ(o2.account_id, a2.id);  // found by exact name
}

TEST_F(TransferTest, ReadsSalesforceExportHeadersAndStages) {
  ImportUsersAndAccounts();
  ImportOk(Kind::kOpportunities,
           "\xEF\xBB\xBF\"Opportunity ID\",\"Opportunity Name\",\"Account Name\",\"Stage\","
           "\"Amount\",\"Probability (%)\",\"Close Date\",\"Created Date\",\"Opportunity Owner "
           "Email\",\"Next Step\",\"Forecast Category\"\n"
           "\"006A\",\"Big deal\",\"A1\",\"Closed Won\",\"1,250,000.00\",\"100\",\"2025-02-20\","
           "\"2024-11-01\",\"anna@example.com\",\"\",\"Closed\"\n"
           "\"006B\",\"Lost one\",\"A2\",\"Closed Lost\",\"80,000.00\",\"0\",\"2025-01-10\","
           "\"2024-10-01\",\"bo@example.com\",\"\",\"Omitted\"\n"
           "\"006C\",\"Open one\",\"A1\",\"Needs Analysis\",\"5000\",\"20\",\"2025-06-30\","
           "\"2025-01-05\",\"ANNA@example.com\",\"Call CFO\",\"Pipeline\"\n");
  SB_ASSERT_OK_AND_ASSIGN(Opportunity won, OpportunityByExternalId("006A"));
  EXPECT_EQ(won.stage, Stage::kClosedWon);
  EXPECT_EQ(won.outcome(), Outcome::kWon);
  EXPECT_EQ(won.amount.minor_units, 125000000);
  EXPECT_EQ(won.closed_on, MakeDate(2025, 2, 20));  // closed date defaults to the close date
  SB_ASSERT_OK_AND_ASSIGN(Opportunity lost, OpportunityByExternalId("006B"));
  EXPECT_EQ(lost.stage, Stage::kClosedLost);
  SB_ASSERT_OK_AND_ASSIGN(Opportunity open, OpportunityByExternalId("006C"));
  EXPECT_EQ(open.stage, Stage::kDiscover);
  EXPECT_DOUBLE_EQ(*open.probability, 0.2);
  EXPECT_EQ(open.next_step, "Call CFO");
  EXPECT_FALSE(open.closed_on.has_value());
  EXPECT_EQ(open.owner_id, won.owner_id);  // e-mail matched case-insensitively
}

TEST_F(TransferTest, ReadsHubSpotDealExport) {
  ImportUsersAndAccounts();
  options_.default_currency = Currency::Parse("NOK").value();
  ImportOk(Kind::kOpportunities,
           "Record ID,Deal Name,Deal Stage,Amount,Close Date,Associated Company,Deal owner\n"
           "9001,Fjord pilot,appointmentscheduled,12000,2025-05-01,A1,Anna Ærø\n"
           "9002,Fjord rollout,contractsent,340000,2025-07-01,A2,bo@example.com\n"
           "9003,Fjord extra,closedwon,1000,2025-01-01,A2,bo@example.com\n");
  SB_ASSERT_OK_AND_ASSIGN(Opportunity pilot, OpportunityByExternalId("9001"));
  EXPECT_EQ(pilot.stage, Stage::kQualify);
  EXPECT_EQ(pilot.amount.currency.code(), "NOK");
  EXPECT_EQ(pilot.amount.minor_units, 1200000);
  EXPECT_TRUE(pilot.owner_id.has_value());  // by the user's name
  SB_ASSERT_OK_AND_ASSIGN(Opportunity rollout, OpportunityByExternalId("9002"));
  EXPECT_EQ(rollout.stage, Stage::kNegotiate);
  SB_ASSERT_OK_AND_ASSIGN(Opportunity extra, OpportunityByExternalId("9003"));
  EXPECT_EQ(extra.stage, Stage::kClosedWon);
}

TEST_F(TransferTest, AcceptsEveryDateForm) {
  ImportUsersAndAccounts();
  ImportOk(Kind::kOrders,
           "account,date,revenue,margin,currency\n"
           "A1,2024-03-07,100,30,DKK\n"
           "A1,07-03-2024,200,60,DKK\n"
           "A1,07.03.2024,300,90,DKK\n"
           "A1,07/03/2024,400,120,DKK\n"
           "A1,7.3.2024,500,150,DKK\n");
  std::vector<Order> orders = *store_->orders().List(storage::ListQuery{});
  ASSERT_EQ(orders.size(), 5u);
  for (const Order& order : orders) EXPECT_EQ(order.ordered_on, MakeDate(2024, 3, 7));
}

TEST_F(TransferTest, MonthFirstDatesWhenAsked) {
  ImportUsersAndAccounts();
  options_.date_order = DateOrder::kMonthFirst;
  ImportOk(Kind::kOrders, "account,date,revenue,currency\nA1,03/07/2024,100,DKK\n");
  std::vector<Order> orders = *store_->orders().List(storage::ListQuery{});
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0].ordered_on, MakeDate(2024, 3, 7));
}

TEST_F(TransferTest, QuotedFieldsKeepNewlinesAndQuotes) {
  ImportUsersAndAccounts();
  ImportOk(Kind::kActivities,
           "external_id,type,status,date,owner_email,account,notes\n"
           "X1,Meeting,Completed,2025-02-03 10:30,anna@example.com,A1,\"Met the CFO.\n"
           "She said \"\"yes, if\"\" the price holds; next: demo\"\n"
           "X2,Call,Not Started,2025-03-10T08:00:00+01:00,anna@example.com,A1,\n");
  std::vector<Activity> activities = *store_->activities().List(storage::ListQuery{});
  ASSERT_EQ(activities.size(), 2u);
  EXPECT_EQ(activities[0].notes, "Met the CFO.\nShe said \"yes, if\" the price holds; next: demo");
  EXPECT_EQ(activities[0].type, ActivityType::kMeeting);
  EXPECT_EQ(activities[0].status, ActivityStatus::kCompleted);
  EXPECT_EQ(FormatTimestamp(activities[0].at), "2025-02-03T10:30:00Z");
  EXPECT_EQ(activities[1].status, ActivityStatus::kPlanned);
  EXPECT_EQ(FormatTimestamp(activities[1].at), "2025-03-10T07:00:00Z");  // converted to UTC
}

TEST_F(TransferTest, ReimportUpdatesByExternalIdAndTouchesOnlyPresentColumns) {
  ImportUsersAndAccounts();
  std::string file =
      "external_id,account,name,stage,amount,close_date\n"
      "O1,A1,First,qualify,1000,2025-06-01\n"
      "O2,A2,Second,discover,2000,2025-07-01\n";
  ImportReport first = ImportOk(Kind::kOpportunities, file);
  EXPECT_EQ(first.inserted, 2);
  clock_.Advance(std::chrono::hours(1));
  ImportReport second = ImportOk(Kind::kOpportunities, file);
  EXPECT_EQ(second.inserted, 0);
  EXPECT_EQ(second.updated, 0);
  EXPECT_EQ(second.unchanged, 2);  // the same file again writes nothing
  EXPECT_EQ(Count(Kind::kOpportunities), 2);
  SB_ASSERT_OK_AND_ASSIGN(Opportunity same, OpportunityByExternalId("O1"));
  EXPECT_EQ(same.version, 1);
  EXPECT_EQ(FormatTimestamp(same.updated_at), "2025-03-03T09:00:00Z");

  // A file with only the key and the stage moves the stage and keeps everything else.
  ImportReport moved = ImportOk(Kind::kOpportunities, "external_id,stage\nO1,propose\n");
  EXPECT_EQ(moved.updated, 1);
  SB_ASSERT_OK_AND_ASSIGN(Opportunity o1, OpportunityByExternalId("O1"));
  EXPECT_EQ(o1.version, 2);
  EXPECT_EQ(o1.stage, Stage::kPropose);
  EXPECT_EQ(o1.name, "First");
  EXPECT_EQ(o1.amount.minor_units, 100000);
  EXPECT_EQ(o1.close_on, MakeDate(2025, 6, 1));
  EXPECT_EQ(FormatTimestamp(o1.created_at), "2025-03-03T09:00:00Z");
  EXPECT_EQ(FormatTimestamp(o1.updated_at), "2025-03-03T10:00:00Z");
}

TEST_F(TransferTest, ImportsScorecardAnswersCheckedAgainstThePlaybook) {
  ImportUsersAndAccounts();
  ImportOk(Kind::kOpportunities,
           "external_id,account,name,stage,amount\nO1,A1,First,propose,1000\n");
  const std::string file =
      "Subject Type;Subject External ID;Criterion ID;Answer;Answered At;Note;Answered By\n"
      "opportunity;O1;budget_confirmed;ja;2025-02-01 10:00;CFO bekræftede "
      "budgettet;anna@example.com\n"
      "deal;O1;budget_confirmed;nej;01.03.2025;Budget cut;\n"
      "kunde;A1;plan_exists;yes;2025-01-15;;\n";
  ImportReport report = ImportOk(Kind::kScorecardAnswers, file);
  EXPECT_EQ(report.inserted, 3);
  // Dated answers are history: the same file again changes nothing.
  EXPECT_EQ(ImportOk(Kind::kScorecardAnswers, file).unchanged, 3);
  SB_ASSERT_OK_AND_ASSIGN(std::vector<ScorecardAnswer> answers,
                          store_->scorecard_answers().List(storage::ListQuery{}));
  ASSERT_EQ(answers.size(), 3u);
  EXPECT_EQ(answers[0].subject_type, SubjectType::kOpportunity);
  EXPECT_EQ(answers[0].answer, Answer::kYes);
  EXPECT_EQ(answers[0].note, "CFO bekræftede budgettet");
  EXPECT_EQ(FormatTimestamp(answers[0].answered_at), "2025-02-01T10:00:00Z");
  EXPECT_TRUE(answers[0].answered_by.has_value());
  EXPECT_EQ(answers[1].answer, Answer::kNo);
  EXPECT_EQ(answers[2].subject_type, SubjectType::kAccount);
  EXPECT_EQ(Export(Kind::kScorecardAnswers),
            "subject_type,subject_external_id,criterion_id,answer,answered_at,note,answered_by\n"
            "opportunity,O1,budget_confirmed,yes,2025-02-01T10:00:00Z,CFO bekræftede budgettet,"
            "anna@example.com\n"
            "opportunity,O1,budget_confirmed,no,2025-03-01T00:00:00Z,Budget cut,\n"
            "account,A1,plan_exists,yes,2025-01-15T00:00:00Z,,\n");
}

TEST_F(TransferTest, BadScorecardAnswersNameFileLineColumnAndWriteNothing) {
  ImportUsersAndAccounts();
  ImportOk(Kind::kOpportunities,
           "external_id,account,name,stage,amount\nO1,A1,First,propose,1000\n");
  ImportReport report = Import(Kind::kScorecardAnswers,
                               "subject_type,subject_external_id,criterion_id,answer,answered_at\n"
                               "opportunity,O9,budget_confirmed,yes,2025-02-01\n"
                               "opportunity,O1,eb_met,yes,2025-02-01\n"
                               "account,O1,plan_exists,yes,2025-02-01\n"
                               "lead,O1,budget_confirmed,maybe,2025-02-01\n"
                               "opportunity,O1,budget_confirmed,yes,2025-04-01\n"
                               "opportunity,O1,,yes,2025-02-01\n"
                               "opportunity,O1,budget_confirmed,yes,2025-02-01\n",
                               "answers.csv");
  EXPECT_FALSE(report.committed);
  const std::string errors = Errors(report);
  EXPECT_THAT(errors, HasSubstr("answers.csv:2:2: subject_external_id: no opportunity \"O9\""));
  EXPECT_THAT(errors, HasSubstr("answers.csv:3:3: criterion_id \"eb_met\" is not a criterion "
                                "people answer in the playbook default-opportunity@builtin"));
  EXPECT_THAT(errors, HasSubstr("answers.csv:4:2: subject_external_id: no account \"O1\""));
  EXPECT_THAT(errors, HasSubstr("answers.csv:5:1: subject_type: subject type \"lead\" is not one "
                                "of opportunity, account"));
  EXPECT_THAT(errors, HasSubstr("answers.csv:5:4: answer: answer \"maybe\" is not one of"));
  EXPECT_THAT(errors,
              HasSubstr("answers.csv:6:5: answered_at 2025-04-01T00:00:00Z is in the future"));
  EXPECT_THAT(errors, HasSubstr("answers.csv:7:3: criterion_id: a value is required"));
  EXPECT_EQ(Count(Kind::kScorecardAnswers), 0);  // the good last row was not written either
}

TEST_F(TransferTest, ObjectivesAndValuePropositionsRoundTrip) {
  ImportOk(Kind::kSegments, "name,rule,core\nIndustry mid,industry=Manufacturing,yes\n");
  const std::string objectives =
      "name,metric,target,currency,period_start,period_end\n"
      "New sales,won_amount,2500000.50,SEK,2025-01-01,2025-12-31\n"
      "Margin,margin_pct,32.5,NOK,2025-01-01,2025-12-31\n"
      "Meetings,meetings,400,,2025-01-01,2025-03-31\n";
  EXPECT_EQ(ImportOk(Kind::kObjectives, objectives).inserted, 3);
  EXPECT_EQ(Export(Kind::kObjectives), objectives);
  EXPECT_EQ(ImportOk(Kind::kObjectives, objectives).unchanged, 3);
  SB_ASSERT_OK_AND_ASSIGN(std::vector<Objective> stored, store_->objectives().List({}));
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(stored[0].target_amount, (Money{250000050, *Currency::Parse("SEK")}));
  EXPECT_EQ(stored[0].target, 0);
  EXPECT_EQ(stored[1].target, 32.5);
  EXPECT_EQ(stored[1].target_amount->currency.ToString(), "NOK");
  EXPECT_FALSE(stored[2].target_amount);

  // Quoted multi-line cells keep one item per line.
  const std::string propositions =
      "segment,statement,key_issues,discovery_questions,proof_points\n"
      "Industry mid,Fewer stops,\"Downtime\nSpare parts\",What does an hour cost?,\n";
  EXPECT_EQ(ImportOk(Kind::kValuePropositions, propositions).inserted, 1);
  EXPECT_EQ(Export(Kind::kValuePropositions), propositions);
}

TEST_F(TransferTest, BadObjectivesNameLineAndColumnAndWriteNothing) {
  options_.default_currency = Currency();
  ImportReport report = Import(Kind::kObjectives,
                               "name,metric,target,currency,period_start,period_end\n"
                               "A,happiness,1,,2025-01-01,2025-12-31\n"
                               "B,won_amount,1000,,2025-01-01,2025-12-31\n"
                               "C,meetings,10,DKK,2025-01-01,2025-12-31\n"
                               "D,win_rate,140,,2025-01-01,2025-12-31\n"
                               "E,meetings,10,,2025-12-31,2025-01-01\n"
                               "F,meetings,ten,,2025-01-01,2025-12-31\n"
                               "G,meetings,10,,2025-01-01,2025-12-31\n",
                               "objectives.csv");
  EXPECT_FALSE(report.committed);
  const std::string errors = Errors(report);
  EXPECT_THAT(errors, HasSubstr("objectives.csv:2:2: metric:"));
  EXPECT_THAT(errors, HasSubstr("objectives.csv:3:4: the metric won_amount needs a currency"));
  EXPECT_THAT(errors, HasSubstr("objectives.csv:4:4: the metric meetings is not about money"));
  EXPECT_THAT(errors, HasSubstr("objectives.csv:5:3: the target of win_rate is a percentage"));
  EXPECT_THAT(errors, HasSubstr("objectives.csv:6:6: period_end is before period_start"));
  EXPECT_THAT(errors, HasSubstr("objectives.csv:7:3: target: \"ten\" is not a number"));
  EXPECT_EQ(Count(Kind::kObjectives), 0);  // the good last row was not written either
}

TEST_F(TransferTest, OrdersWithoutOrderNumberAreNotDuplicatedOnReimport) {
  ImportUsersAndAccounts();
  std::string file =
      "account,date,revenue,margin,currency\n"
      "A1,2024-01-05,1000,300,DKK\n"
      "A1,2024-01-05,1000,300,DKK\n"  // a second, identical order the same day is kept
      "A2,2024-02-01,500,100,SEK\n";
  EXPECT_EQ(ImportOk(Kind::kOrders, file).inserted, 3);
  ImportReport again = ImportOk(Kind::kOrders, file);
  EXPECT_EQ(again.inserted, 0);
  EXPECT_EQ(again.unchanged, 3);
  EXPECT_EQ(Count(Kind::kOrders), 3);
}

TEST_F(TransferTest, AnErrorOnTheLastLineWritesNothing) {
  ImportUsersAndAccounts();
  std::string file = "external_id,account,name,stage,amount\n";
  for (int i = 0; i < 500; ++i) {
    file += "N" + std::to_string(i) + ",A1,Deal " + std::to_string(i) + ",qualify,100\n";
  }
  file += "N500,A1,Deal 500,qualify,12x\n";
  ImportReport report = Import(Kind::kOpportunities, file, "deals.csv");
  ASSERT_EQ(report.errors.size(), 1u);
  EXPECT_EQ(report.errors[0].ToString(), "deals.csv:502:5: amount: \"12x\" is not an amount");
  EXPECT_FALSE(report.committed);
  EXPECT_EQ(Count(Kind::kOpportunities), 0);
}

TEST_F(TransferTest, DryRunChecksEverythingAndWritesNothing) {
  ImportUsersAndAccounts();
  options_.dry_run = true;
  ImportReport report = Import(Kind::kOpportunities,
                               "external_id,account,name,stage,amount\nD1,A1,Deal,qualify,100\n");
  EXPECT_TRUE(report.errors.empty()) << Errors(report);
  EXPECT_EQ(report.inserted, 1);
  EXPECT_FALSE(report.committed);
  EXPECT_EQ(Count(Kind::kOpportunities), 0);

  // A key given twice in one file is found in a dry run too.
  ImportReport users = Import(Kind::kUsers,
                              "email,name,role\nnew@example.com,New,rep\n"
                              "new@example.com,Again,rep\n");
  ASSERT_EQ(users.errors.size(), 1u) << Errors(users);
  EXPECT_THAT(users.errors[0].message, HasSubstr("is also on line 2"));
}

TEST_F(TransferTest, MapOptionNamesTheirColumns) {
  ImportUsersAndAccounts();
  options_.column_map = "name=Projekt, amount = Værdi i kr";
  ImportOk(Kind::kOpportunities,
           "external_id;kunde;Projekt;stage;Værdi i kr\nM1;A1;Ny hal;qualify;1.500,00\n");
  SB_ASSERT_OK_AND_ASSIGN(Opportunity m1, OpportunityByExternalId("M1"));
  EXPECT_EQ(m1.name, "Ny hal");
  EXPECT_EQ(m1.amount.minor_units, 150000);
}

TEST_F(TransferTest, UnknownMapFieldIsAnError) {
  options_.column_map = "nmae=Projekt";
  ImportReport report = Import(Kind::kAccounts, "Projekt\nX\n");
  ASSERT_EQ(report.errors.size(), 1u);
  EXPECT_THAT(report.errors[0].ToString(),
              HasSubstr("--map: \"nmae\" is not a column of accounts"));
}

TEST_F(TransferTest, IgnoredColumnsAreReported) {
  ImportReport report = ImportOk(Kind::kAccounts, "name,Favourite colour\nAcme,blue\n");
  EXPECT_THAT(report.ignored_columns, ElementsAre("Favourite colour"));
}

struct BadFileCase {
  std::string name;
  Kind kind;
  std::string text;
  std::string error;  // the first error, exactly
  std::string map;    // ImportOptions::column_map
};

class BadFileTest : public TransferTest, public ::testing::WithParamInterface<BadFileCase> {};

TEST_P(BadFileTest, ReportsFileLineColumnAndWritesNothing) {
  ImportUsersAndAccounts();
  const BadFileCase& c = GetParam();
  options_.column_map = c.map;
  ImportReport report = Import(c.kind, c.text, "f.csv");
  ASSERT_FALSE(report.errors.empty()) << "no error for " << c.name;
  EXPECT_EQ(report.errors[0].ToString(), c.error);
  EXPECT_FALSE(report.committed);
  EXPECT_EQ(Count(Kind::kOpportunities), 0);
  EXPECT_EQ(Count(Kind::kAccounts), 2);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadFileTest,
    ::testing::Values(
        BadFileCase{"empty_file", Kind::kAccounts, "",
                    "f.csv:1: the file is empty; expected a header line naming the columns"},
        BadFileCase{"bad_employees", Kind::kAccounts, "name,employees\nX,12x\n",
                    "f.csv:2:2: employees: \"12x\" is not a whole number"},
        BadFileCase{"fractional_employees", Kind::kAccounts, "name,employees\nX,12.5\n",
                    "f.csv:2:2: employees: \"12.5\" is not a whole number"},
        BadFileCase{"missing_name", Kind::kAccounts, "external_id,name\nZ,\n",
                    "f.csv:2:2: name: a value is required"},
        BadFileCase{"missing_required_column", Kind::kAccounts, "external_id,industry\nZ,IT\n",
                    "f.csv:2: column name is required to create a new account (no account has key "
                    "\"Z\")"},
        BadFileCase{"bad_country", Kind::kAccounts, "name,country\nX,Atlantis\n",
                    "f.csv:2:2: country: \"Atlantis\" is not a country (use an ISO code such as "
                    "DK, SE, NO, or the name in English, Danish, Swedish or Norwegian)"},
        BadFileCase{"bad_stage", Kind::kOpportunities,
                    "account,name,stage,amount\nA1,D,Wishful thinking,1\n",
                    "f.csv:2:3: stage: stage \"Wishful thinking\" is not one of qualify, "
                    "discover, propose, negotiate, commit, closed_won, closed_lost"},
        BadFileCase{"unknown_account", Kind::kOpportunities,
                    "account,name,stage,amount\nNope,D,qualify,1\n",
                    "f.csv:2:1: account: no account \"Nope\" exists; import accounts first"},
        BadFileCase{"bad_date", Kind::kOpportunities,
                    "account,name,stage,amount,close_date\nA1,D,qualify,1,31.02.2025\n",
                    "f.csv:2:5: close_date: \"31.02.2025\" is not a date in the order dmy: "
                    "day 31 does not exist in month 2 of 2025 (--date-order is dmy, mdy or "
                    "ymd; YYYY-MM-DD always works)"},
        BadFileCase{"probability_over_100", Kind::kOpportunities,
                    "account,name,stage,amount,probability\nA1,D,qualify,1,140%\n",
                    "f.csv:2:5: probability: \"140%\" is not a probability between 0 and 100%"},
        BadFileCase{"bad_currency", Kind::kOpportunities,
                    "account,name,stage,amount,currency\nA1,D,qualify,1,kroner\n",
                    "f.csv:2:5: currency: \"kroner\" is not an ISO 4217 currency code (DKK, SEK, "
                    "NOK, EUR)"},
        BadFileCase{"negative_amount", Kind::kOpportunities,
                    "account,name,stage,amount\nA1,D,qualify,-5\n",
                    "f.csv:2:4: amount is negative"},
        BadFileCase{"closed_date_on_open_deal", Kind::kOpportunities,
                    "account,name,stage,amount,closed_date\nA1,D,qualify,5,2025-01-01\n",
                    "f.csv:2: closed_date is set but the opportunity is open (stage qualify)"},
        BadFileCase{"too_many_fields", Kind::kOpportunities,
                    "account,name,stage,amount\nA1,D,qualify,5,surprise\n",
                    "f.csv:2:5: the row has 5 fields but the header names 4"},
        BadFileCase{"unterminated_quote", Kind::kOpportunities,
                    "account,name,stage,amount\nA1,\"D,qualify,5\n",
                    "f.csv:2:2: unterminated quoted field"},
        BadFileCase{"duplicate_columns", Kind::kOpportunities,
                    "account,Deal Name,Opportunity Name,stage,amount\nA1,x,y,qualify,1\n",
                    "f.csv:1:3: column \"Opportunity Name\" and column \"Deal Name\" both give "
                    "name; remove one or use --map"},
        BadFileCase{"error_after_multiline_field", Kind::kOpportunities,
                    "account,name,stage,amount\nA1,\"two\nlines\",qualify,1\nA1,D,qualify,x\n",
                    "f.csv:4:4: amount: \"x\" is not an amount"},
        BadFileCase{"margin_above_revenue", Kind::kOrders,
                    "account,date,revenue,margin,currency\nA1,2024-01-01,100,150,DKK\n",
                    "f.csv:2: margin 150.00 is larger than revenue 100.00"},
        BadFileCase{"bad_email", Kind::kUsers, "email,name,role\nanna(at)example.com,A,rep\n",
                    "f.csv:2:1: email: \"anna(at)example.com\" is not an e-mail address"},
        BadFileCase{"bad_role", Kind::kUsers, "email,name,role\nx@example.com,A,boss\n",
                    "f.csv:2:3: role: role \"boss\" is not one of rep, manager, executive, "
                    "marketing, admin"},
        BadFileCase{"unlinked_activity", Kind::kActivities, "type,date\ncall,2025-01-01\n",
                    "f.csv:2: the activity is linked to nothing: give an account, contact, "
                    "opportunity or lead"},
        BadFileCase{"relationship_out_of_range", Kind::kContacts,
                    "account,name,relationship_strength\nA1,Kim,7\n",
                    "f.csv:2:3: relationship_strength: \"7\" is out of range 0..4"},
        // --map mistakes are errors, not silence (issue 16).
        BadFileCase{"map_column_to_two_fields", Kind::kOpportunities,
                    "Id,Account,Deal,Stage,Amount\nX1,A1,Deal,qualify,1\n",
                    "f.csv:1:3: --map: column \"Deal\" is mapped to both name and next_step; a "
                    "column feeds one field (use --set with {Deal} to copy it)",
                    "name=Deal,next_step=Deal"},
        BadFileCase{"map_field_to_two_columns", Kind::kOpportunities,
                    "Id,Account,Deal,Stage,Amount\nX1,A1,Deal,qualify,1\n",
                    "f.csv:1:2: --map: name is mapped to both \"Deal\" and \"Account\"",
                    "name=Deal,name=Account"},
        BadFileCase{"map_column_not_in_file", Kind::kOpportunities,
                    "Id,Account,Deal,Stage,Amount\nX1,A1,Deal,qualify,1\n",
                    "f.csv:1: --map: the file has no column \"Opportunity Name\" (for name); its "
                    "columns are Id, Account, Deal, Stage, Amount",
                    "name=Opportunity Name"},
        BadFileCase{"map_takes_the_key_away", Kind::kOpportunities,
                    "Id,Account,Deal,Stage,Amount\nX1,A1,Deal,qualify,1\n",
                    "f.csv:1:1: --map: column \"Id\" is the key external_id, but --map makes it "
                    "name; without a key, importing the file again doubles every opportunity "
                    "(map another column to external_id, or use --set with {Id} to copy it)",
                    "name=Id"}),
    [](const ::testing::TestParamInfo<BadFileCase>& param) { return param.param.name; });

TEST_F(TransferTest, ReportsEveryErrorUpToTheLimit) {
  ImportUsersAndAccounts();
  options_.max_errors = 3;
  ImportReport report = Import(Kind::kOpportunities,
                               "account,name,stage,amount\nA1,a,qualify,x\nA1,b,qualify,y\n"
                               "A1,c,qualify,z\nA1,d,qualify,w\n");
  EXPECT_EQ(report.errors.size(), 3u);
  EXPECT_TRUE(report.more_errors);
}

TEST_F(TransferTest, ExportImportRoundTripIsLossless) {
  ImportUsersAndAccounts();
  ImportOk(Kind::kContacts,
           "external_id,account,first_name,last_name,title,email,phone,buying_role,"
           "relationship_strength\n"
           "C1,A1,Søren,Ørsted,CFO,soren@aero.dk,+45 12 34 56 78,Economic Buyer,3\n"
           "C2,A2,Åsa,Öberg,\"IT-chef, \"\"Nord\"\"\",asa@gl.se,,champion,\n");
  ImportOk(Kind::kTeams, "name,manager_email\nNorth,bo@example.com\n");
  ImportOk(Kind::kSegments, "name,rule,core\nIndustry mid,industry=Manufacturing,yes\n");
  ImportOk(Kind::kCampaigns,
           "external_id,name,segment,channel,start_date,end_date,cost,currency\n"
           "K1,Elmia 2025,Industry mid,trade show,2025-01-10,2025-01-12,\"45.000,00\",SEK\n");
  ImportOk(Kind::kLeads,
           "external_id,name,company,email,source,campaign,status,owner_email,created_date\n"
           "L1,Per Hansen,Fjordkraft,per@fk.no,trade show,K1,new,anna@example.com,2025-01-11\n");
  ImportOk(Kind::kOpportunities,
           "external_id,account,name,owner_email,stage,amount,currency,probability,created_date,"
           "close_date,closed_date,outcome,next_step,next_step_date,forecast_category,"
           "product_lines,competitors,reason\n"
           "O1,A1,Hal 3,anna@example.com,negotiate,1234567.89,DKK,0.65,2025-01-02,2025-04-30,,"
           "open,\"Send contract, then call\",2025-03-10,commit,Steel;Service,Rival A/S,\n"
           "O2,A2,Lager,bo@example.com,closed_lost,250000,SEK,0,2024-09-01,2025-01-31,2025-02-02,"
           "lost,,,closed,,,Price\n");
  ImportOk(Kind::kOpportunityHistory,
           "opportunity,changed_at,stage,amount,currency,probability,close_date,changed_by\n"
           "O1,2025-01-02T08:00:00Z,qualify,1000000,DKK,0.1,2025-05-31,anna@example.com\n"
           "O1,2025-02-01T08:00:00Z,negotiate,1234567.89,DKK,0.65,2025-04-30,anna@example.com\n");
  ImportOk(Kind::kActivities,
           "external_id,type,status,date,owner_email,account,contact,opportunity,lead,outcome,"
           "notes\n"
           "X1,meeting,completed,2025-02-01T09:30:00Z,anna@example.com,A1,C1,O1,,positive,"
           "\"Line 1\nLine 2\"\n"
           "X2,call,planned,2025-03-05T10:00:00Z,anna@example.com,,,,L1,,\n");
  ImportOk(Kind::kOrders,
           "external_id,account,date,revenue,margin,currency\n"
           "R1,A1,2024-05-01,99999.99,25000.5,DKK\n");

  std::vector<std::pair<Kind, std::string>> exported;
  for (Kind kind : AllKinds()) exported.emplace_back(kind, Export(kind));

  // Into a fresh database, kind by kind, then out again: the same text.
  std::unique_ptr<storage::Store> original = std::move(store_);
  SB_ASSERT_OK_AND_ASSIGN(store_, storage::OpenStore("sqlite::memory:"));
  for (const auto& [kind, text] : exported) ImportOk(kind, text);
  for (const auto& [kind, text] : exported) {
    EXPECT_EQ(Export(kind), text) << KindName(kind);
  }
  EXPECT_THAT(exported[7].second,
              HasSubstr("O1,A1,Hal 3,anna@example.com,negotiate,1234567.89,DKK,0.65,2025-01-02,"
                        "2025-04-30,,open,\"Send contract, then call\",2025-03-10,commit,"
                        "Steel;Service,Rival A/S,\n"));
}

TEST_F(TransferTest, JsonExportIsValidJsonWithNumbersAndNulls) {
  ImportUsersAndAccounts();
  std::string json = Export(Kind::kAccounts, /*json=*/true);
  nlohmann::json parsed = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(parsed.is_discarded()) << json;
  ASSERT_EQ(parsed.size(), 2u);
  EXPECT_EQ(parsed[0]["name"], "Ærø Maskinfabrik A/S");
  EXPECT_EQ(parsed[0]["employees"], 120);
  EXPECT_EQ(parsed[0]["owner_email"], "anna@example.com");
  EXPECT_EQ(Export(Kind::kLeads, /*json=*/true), "[]\n");
}

TEST_F(TransferTest, UsersCreateTheirTeamAndTeamsThenNameTheirManager) {
  ImportOk(Kind::kUsers,
           "email,name,role,team\nkim@example.com,Kim,manager,Vest\n"
           "ole@example.com,Ole,rep,Vest\n");
  ImportOk(Kind::kTeams, "name,manager_email\nVest,kim@example.com\n");
  std::vector<Team> teams = *store_->teams().List(storage::ListQuery{});
  ASSERT_EQ(teams.size(), 1u);
  EXPECT_EQ(teams[0].name, "Vest");
  std::vector<User> users = *store_->users().List(storage::ListQuery{});
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(teams[0].manager_id, users[0].id);
  EXPECT_EQ(users[1].team_id, teams[0].id);
  EXPECT_EQ(Export(Kind::kTeams),
            "name,manager_email,managers\nVest,kim@example.com,kim@example.com\n");
}

// Issue 16: a team may have several managers. Each is a manager in team_managers; manager_email
// stays the first.
class TeamManagersImportTest : public TransferTest {
 protected:
  void SetUp() override {
    TransferTest::SetUp();
    ImportOk(Kind::kUsers,
             "email,name,role,team\n"
             "kim@example.com,Kim Holm,manager,Vest\n"
             "eva@example.com,Eva Berg,manager,Øst\n"
             "ole@example.com,Ole Dam,rep,Vest\n"
             "liv@example.com,\"Lund, Liv\",manager,\n");
  }

  // (user e-mail) of each manager of `team`, in the order export writes them.
  std::string Managers(const std::string& team) {
    storage::ListQuery query;
    query.filters.push_back(storage::Match("name", storage::FilterOp::kEq, {team}));
    std::vector<Team> teams = *store_->teams().List(query);
    if (teams.size() != 1) return "no team " + team;
    storage::ListQuery of;
    of.filters.push_back(storage::Match("team_id", storage::FilterOp::kEq, {teams[0].id.value}));
    std::vector<std::string> emails;
    for (const TeamManager& m : *store_->team_managers().List(of)) {
      emails.push_back(store_->users().Get(m.user_id)->email);
    }
    std::sort(emails.begin(), emails.end());
    std::string out = teams[0].manager_id ? store_->users().Get(*teams[0].manager_id)->email : "-";
    out += " |";
    for (const std::string& e : emails) out += " " + e;
    return out;
  }
};

TEST_F(TeamManagersImportTest, ATeamWithTwoManagersInOneCellOrInTwoColumns) {
  ImportReport report = ImportOk(Kind::kTeams,
                                 "Team,Managers\n"
                                 "Vest,kim@example.com; eva@example.com\n"
                                 "Øst,\"Eva Berg | Lund, Liv\"\n");
  EXPECT_EQ(report.inserted, 0);  // users made both teams
  EXPECT_EQ(report.updated, 2);
  EXPECT_EQ(Managers("Vest"), "kim@example.com | eva@example.com kim@example.com");
  EXPECT_EQ(Managers("Øst"), "eva@example.com | eva@example.com liv@example.com");
  EXPECT_EQ(Export(Kind::kTeams),
            "name,manager_email,managers\n"
            "Vest,kim@example.com,kim@example.com; eva@example.com\n"
            "Øst,eva@example.com,eva@example.com; liv@example.com\n");

  // Another CRM's layout: "Manager" and "Manager 2"; the second replaces Øst's others.
  ImportOk(Kind::kTeams, "Team,Manager,Manager 2\nØst,liv@example.com,Kim Holm\n");
  EXPECT_EQ(Managers("Øst"), "liv@example.com | kim@example.com liv@example.com");

  // E-mails separated by commas; then the same file again changes nothing.
  const std::string file = "name,managers\nVest,\"eva@example.com, kim@example.com\"\n";
  ImportOk(Kind::kTeams, file);
  EXPECT_EQ(Managers("Vest"), "eva@example.com | eva@example.com kim@example.com");
  ImportReport again = ImportOk(Kind::kTeams, file);
  EXPECT_EQ(again.unchanged, 1);
  EXPECT_EQ(again.updated, 0);

  // Only the second manager changes: the team row is the same, the import still updates.
  ImportReport second =
      ImportOk(Kind::kTeams, "name,managers\nVest,\"eva@example.com; Lund, Liv\"\n");
  EXPECT_EQ(second.updated, 1);
  EXPECT_EQ(Managers("Vest"), "eva@example.com | eva@example.com liv@example.com");
}

TEST_F(TeamManagersImportTest, AnUnknownManagerNamesFileLineAndColumnAndWritesNothing) {
  ImportOk(Kind::kTeams, "name,managers\nVest,kim@example.com\n");
  ImportReport report = Import(Kind::kTeams,
                               "name,managers\n"
                               "Øst,eva@example.com; liv@example.com\n"
                               "Vest,kim@example.com; kmi@example.com\n",
                               "teams.csv");
  ASSERT_EQ(report.errors.size(), 1u) << Errors(report);
  EXPECT_EQ(report.errors[0].ToString(),
            "teams.csv:3:2: managers: no user \"kmi@example.com\" exists; import users first");
  EXPECT_FALSE(report.committed);
  EXPECT_EQ(Managers("Øst"), "- |");  // the first row was not kept either
  EXPECT_EQ(Managers("Vest"), "kim@example.com | kim@example.com");
}

TEST_F(TeamManagersImportTest, ImportedManagersSeeTheirTeam) {
  ImportOk(Kind::kTeams, "name,managers\nVest,eva@example.com; kim@example.com\n");
  std::vector<User> users = *store_->users().List(storage::ListQuery{});
  auto id_of = [&](const std::string& email) {
    for (const User& u : users) {
      if (u.email == email) return u.id;
    }
    return UserId{};
  };
  SB_ASSERT_OK_AND_ASSIGN(Principal eva, LoadPrincipal(*store_, id_of("eva@example.com")));
  // Eva belongs to Øst and manages Vest too: Ole (Vest) is one of hers.
  EXPECT_THAT(eva.owners, ::testing::Contains(id_of("ole@example.com").value));
  SB_ASSERT_OK_AND_ASSIGN(Principal kim, LoadPrincipal(*store_, id_of("kim@example.com")));
  EXPECT_THAT(kim.owners, ::testing::Contains(id_of("ole@example.com").value));
}

// --- issue 16: bugs found importing other CRMs' exports ------------------------------------

TEST_F(TransferTest, TwoRowsWithTheSameKeyAreAnErrorNamingBothLines) {
  ImportUsersAndAccounts();
  ImportReport report = Import(Kind::kOpportunities,
                               "external_id,account,name,stage,amount\n"
                               "O1,A1,First,qualify,100\n"
                               "O2,A1,Second,qualify,200\n"
                               "O1,A1,First again,propose,300\n",
                               "deals.csv");
  ASSERT_EQ(report.errors.size(), 1u) << Errors(report);
  EXPECT_EQ(report.errors[0].ToString(),
            "deals.csv:4:1: external_id \"O1\" is also on line 2; a file may hold each "
            "opportunity once");
  EXPECT_EQ(Count(Kind::kOpportunities), 0);

  // Keys of several columns name them instead.
  ImportOk(Kind::kOpportunities, "external_id,account,name,stage,amount\nO1,A1,First,qualify,1\n");
  ImportReport history = Import(Kind::kOpportunityHistory,
                                "opportunity,changed_at,stage\n"
                                "O1,2025-01-02 08:00,qualify\n"
                                "O1,2025-01-02T08:00:00Z,discover\n",
                                "history.csv");
  ASSERT_EQ(history.errors.size(), 1u) << Errors(history);
  EXPECT_EQ(history.errors[0].ToString(),
            "history.csv:3: the same opportunity and changed_at are also on line 2; a file may "
            "hold each opportunity change once");
}

TEST_F(TransferTest, NulBytesAndOverlongFieldsAreRefusedWithLineAndColumn) {
  std::string text = std::string("name,industry\nAcme,Ma") + '\0' + "chines\nBeta," +
                     std::string(70000, 'x') + "\nGamma,IT\n";
  ImportReport report = Import(Kind::kAccounts, text, "a.csv");
  ASSERT_EQ(report.errors.size(), 2u) << Errors(report);
  EXPECT_THAT(report.errors[0].ToString(), HasSubstr("a.csv:2:2: the field holds a NUL byte"));
  EXPECT_EQ(report.errors[1].ToString(),
            "a.csv:3:2: the field is 70000 bytes long; the limit is 65536 bytes (64 KiB) per "
            "field");
  EXPECT_EQ(Count(Kind::kAccounts), 0);
}

TEST_F(TransferTest, CsvExportNeutralisesFormulasAndImportReadsThemBack) {
  ImportOk(Kind::kAccounts,
           "external_id,name,industry,region,org_number\n"
           "F1,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",+cmd|' /C calc'!A0,"
           "@SUM(1+1),-2+3\n"
           "F2,Plain,=tab,'already quoted,'=kept\n");
  std::string csv = Export(Kind::kAccounts);
  EXPECT_THAT(csv, HasSubstr("F1,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\","
                             "'+cmd|' /C calc'!A0,,'@SUM(1+1),,'-2+3,,prospect\n"));
  EXPECT_THAT(csv, HasSubstr("F2,Plain,'=tab,,'already quoted,,'=kept,,prospect\n"));
  // JSON is not a spreadsheet: unchanged.
  EXPECT_THAT(Export(Kind::kAccounts, /*json=*/true), HasSubstr("\"=HYPERLINK("));

  // The apostrophe export adds is taken off again, so export -> import is still lossless.
  std::unique_ptr<storage::Store> original = std::move(store_);
  SB_ASSERT_OK_AND_ASSIGN(store_, storage::OpenStore("sqlite::memory:"));
  ImportOk(Kind::kAccounts, csv);
  EXPECT_EQ(Export(Kind::kAccounts), csv);
  SB_ASSERT_OK_AND_ASSIGN(Account f1, AccountByExternalId("F1"));
  EXPECT_EQ(f1.name, "=HYPERLINK(\"http://evil.example\",\"click\")");
  EXPECT_EQ(f1.org_number, "-2+3");
  SB_ASSERT_OK_AND_ASSIGN(Account f2, AccountByExternalId("F2"));
  EXPECT_EQ(f2.region, "'already quoted");
  EXPECT_EQ(f2.org_number, "=kept");  // an apostrophe before a formula is taken off on import
}

TEST_F(TransferTest, AFileWithoutMoneyColumnsNeedsNoCurrency) {
  ImportUsersAndAccounts();
  options_.default_currency = Currency();
  // No opportunity yet: the amount is 0 in "no currency" (XXX).
  ImportOk(Kind::kOpportunities, "external_id,account,name,stage\nO1,A1,First,qualify\n");
  SB_ASSERT_OK_AND_ASSIGN(Opportunity o1, OpportunityByExternalId("O1"));
  EXPECT_EQ(o1.amount.currency, Currency());
  ImportOk(Kind::kOpportunities,
           "external_id,account,name,stage,amount,currency\nO2,A1,Second,qualify,100,SEK\n");
  // An update keeps the stored currency.
  ImportOk(Kind::kOpportunities, "external_id,stage\nO2,propose\n");
  SB_ASSERT_OK_AND_ASSIGN(Opportunity o2, OpportunityByExternalId("O2"));
  EXPECT_EQ(o2.stage, Stage::kPropose);
  EXPECT_EQ(o2.amount.currency.code(), "SEK");
  EXPECT_EQ(o2.amount.minor_units, 10000);
  // A new deal without an amount takes the currency the stored deals use.
  ImportOk(Kind::kOpportunities, "external_id,account,name,stage\nO3,A1,Third,qualify\n");
  SB_ASSERT_OK_AND_ASSIGN(Opportunity o3, OpportunityByExternalId("O3"));
  EXPECT_EQ(o3.amount.currency.code(), "SEK");
  // History without amounts takes its opportunity's currency.
  ImportOk(Kind::kOpportunityHistory, "opportunity,changed_at,stage\nO2,2025-01-02,qualify\n");
  std::vector<OpportunityChange> changes =
      *store_->opportunity_changes().List(storage::ListQuery{});
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].amount.currency.code(), "SEK");

  // An amount without a currency is an error about the amount's cell.
  ImportReport report =
      Import(Kind::kOpportunities, "external_id,account,name,stage,amount\nO4,A1,X,qualify,100\n",
             "f.csv");
  ASSERT_EQ(report.errors.size(), 1u) << Errors(report);
  EXPECT_EQ(report.errors[0].ToString(),
            "f.csv:2:5: amount: \"100\" has no currency: add a currency column or pass "
            "--currency");
}

TEST_F(TransferTest, MaxErrorsIsAHardLimit) {
  ImportUsersAndAccounts();
  options_.max_errors = 5;
  // Two bad cells per row: the limit falls in the middle of a row.
  ImportReport report = Import(Kind::kOpportunities,
                               "account,name,stage,amount\nA1,a,nope,x\nA1,b,nope,y\n"
                               "A1,c,nope,z\nA1,d,nope,w\n");
  EXPECT_EQ(report.errors.size(), 5u) << Errors(report);
  EXPECT_TRUE(report.more_errors);
}

TEST_F(TransferTest, MissingCreatedDateIsTheEarliestDateTheRowOrItsHistoryKnows) {
  ImportUsersAndAccounts();
  ImportOk(Kind::kOpportunities,
           "external_id,account,name,stage,amount,close_date,closed_date\n"
           "W1,A1,Won last year,closed_won,100,2024-05-20,2024-06-01\n"
           "Q1,A1,Open,qualify,100,2025-09-01,\n");
  SB_ASSERT_OK_AND_ASSIGN(Opportunity won, OpportunityByExternalId("W1"));
  EXPECT_EQ(won.created_on, MakeDate(2024, 5, 20));  // not the import day, after it closed
  SB_ASSERT_OK_AND_ASSIGN(Opportunity open, OpportunityByExternalId("Q1"));
  EXPECT_EQ(open.created_on, MakeDate(2025, 3, 3));  // nothing earlier known: the import day

  // Its history knows more: a deal cannot change before it exists.
  ImportOk(Kind::kOpportunityHistory,
           "opportunity,changed_at,stage\n"
           "W1,2024-01-15T10:00:00Z,qualify\n"
           "W1,2024-03-01T10:00:00Z,propose\n"
           "Q1,2025-04-01T10:00:00Z,qualify\n");
  SB_ASSERT_OK_AND_ASSIGN(won, OpportunityByExternalId("W1"));
  EXPECT_EQ(won.created_on, MakeDate(2024, 1, 15));
  SB_ASSERT_OK_AND_ASSIGN(open, OpportunityByExternalId("Q1"));
  EXPECT_EQ(open.created_on, MakeDate(2025, 3, 3));
}

TEST_F(TransferTest, AccountsWithoutExternalIdAreMatchedByOrgNumberThenName) {
  std::string file =
      "name,org_number,industry\n"
      "Acme A/S,11223344,IT\n"
      "Beta ApS,,Retail\n";
  EXPECT_EQ(ImportOk(Kind::kAccounts, file).inserted, 2);
  ImportReport again = ImportOk(Kind::kAccounts, file);
  EXPECT_EQ(again.inserted, 0);
  EXPECT_EQ(again.unchanged, 2);
  EXPECT_EQ(Count(Kind::kAccounts), 2);

  // By org number even when renamed; by name when the file has no org number.
  ImportReport renamed =
      ImportOk(Kind::kAccounts, "name,org_number,industry\nAcme Holding A/S,11223344,IT\n");
  EXPECT_EQ(renamed.updated, 1);
  ImportReport by_name = ImportOk(Kind::kAccounts, "name,industry\nBeta ApS,Wholesale\n");
  EXPECT_EQ(by_name.updated, 1);
  EXPECT_EQ(Count(Kind::kAccounts), 2);

  // A different org number under a known name is another company.
  EXPECT_EQ(ImportOk(Kind::kAccounts, "name,org_number\nAcme Holding A/S,99887766\n").inserted, 1);
  // Now the name alone cannot say which: refused, with advice.
  ImportReport ambiguous = Import(Kind::kAccounts, "name,industry\nAcme Holding A/S,IT\n", "a.csv");
  ASSERT_EQ(ambiguous.errors.size(), 1u) << Errors(ambiguous);
  EXPECT_EQ(ambiguous.errors[0].ToString(),
            "a.csv:2:1: name: 2 accounts are named \"Acme Holding A/S\"; add an external_id or "
            "org_number column to say which");

  // The same account twice in one file without a key.
  ImportReport twice = Import(Kind::kAccounts, "name,industry\nGamma,IT\nGamma,Retail\n", "b.csv");
  ASSERT_EQ(twice.errors.size(), 1u) << Errors(twice);
  EXPECT_EQ(twice.errors[0].ToString(),
            "b.csv:3:1: name \"Gamma\" is also on line 2; a file may hold each account once "
            "(give an external_id column to import two accounts of the same name)");
  EXPECT_EQ(Count(Kind::kAccounts), 3);
}

// --- issue 16: value maps, constant columns, name templates, mapping files -----------------

TEST_F(TransferTest, ValueMapsTranslateTheirValues) {
  ImportUsersAndAccounts();
  options_.value_map =
      "stage: Engaging=discover, Prospecting=qualify, Closed Won - Paid=closed_won;"
      "forecast_category:0=pipeline,1=commit";
  ImportOk(Kind::kOpportunities,
           "external_id,account,name,stage,amount,forecast_category\n"
           "V1,A1,One,Engaging,100,0\n"
           "V2,A1,Two,PROSPECTING,100,1\n"
           "V3,A1,Three,closed won-paid,100,\n"
           "V4,A1,Four,propose,100,\n");  // values without a map are read as they are
  SB_ASSERT_OK_AND_ASSIGN(Opportunity v1, OpportunityByExternalId("V1"));
  EXPECT_EQ(v1.stage, Stage::kDiscover);
  EXPECT_EQ(v1.forecast_category, ForecastCategory::kPipeline);
  SB_ASSERT_OK_AND_ASSIGN(Opportunity v2, OpportunityByExternalId("V2"));
  EXPECT_EQ(v2.stage, Stage::kQualify);
  EXPECT_EQ(v2.forecast_category, ForecastCategory::kCommit);
  SB_ASSERT_OK_AND_ASSIGN(Opportunity v3, OpportunityByExternalId("V3"));
  EXPECT_EQ(v3.stage, Stage::kClosedWon);
  SB_ASSERT_OK_AND_ASSIGN(Opportunity v4, OpportunityByExternalId("V4"));
  EXPECT_EQ(v4.stage, Stage::kPropose);

  // A value mapped to something that is not a stage names both.
  options_.value_map = "stage:Engaging=dicsover";
  ImportReport bad =
      Import(Kind::kOpportunities, "external_id,account,name,stage,amount\nV5,A1,Five,Engaging,1\n",
             "f.csv");
  ASSERT_EQ(bad.errors.size(), 1u) << Errors(bad);
  EXPECT_THAT(bad.errors[0].ToString(),
              HasSubstr("f.csv:2:4: stage: stage \"dicsover\" is not one"));
  EXPECT_THAT(bad.errors[0].ToString(), HasSubstr("(--values maps \"Engaging\" to it)"));

  options_.value_map = "stgae:Engaging=discover";
  ImportReport unknown = Import(Kind::kOpportunities, "external_id,stage\nV1,Engaging\n");
  ASSERT_FALSE(unknown.errors.empty());
  EXPECT_THAT(unknown.errors[0].ToString(),
              HasSubstr("--values: \"stgae\" is not a column of opportunities"));
}

TEST_F(TransferTest, ConstantColumnsAndNameTemplates) {
  options_.default_currency = Currency();
  options_.constants = "role=rep, team=Imported";
  ImportOk(Kind::kUsers, "email,name\nkim@example.com,Kim\nole@example.com,Ole\n");
  std::vector<User> users = *store_->users().List(storage::ListQuery{});
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0].role, Role::kRep);
  EXPECT_TRUE(users[1].team_id.has_value());

  options_.constants = "";
  ImportOk(Kind::kAccounts, "external_id,name\nA1,Acme\n");
  options_.constants = "currency=USD";
  options_.mapping.constants = {{"name", "{Product} – {Company} ({{pilot}})"}};
  ImportOk(Kind::kOpportunities,
           "Deal ID,Company,Product,Stage,Amount\nD1,A1,Widgets,qualify,\"1,234.50\"\n");
  SB_ASSERT_OK_AND_ASSIGN(Opportunity d1, OpportunityByExternalId("D1"));
  EXPECT_EQ(d1.name, "Widgets – A1 ({pilot})");
  EXPECT_EQ(d1.amount.currency.code(), "USD");
  EXPECT_EQ(d1.amount.minor_units, 123450);

  // A constant replaces the file's column of that name; a wrong constant is reported once.
  options_.mapping.constants.clear();
  options_.constants = "stage=boss";
  ImportReport bad =
      Import(Kind::kOpportunities,
             "external_id,account,name,stage\nD2,A1,x,qualify\nD3,A1,y,qualify\n", "f.csv");
  ASSERT_EQ(bad.errors.size(), 1u) << Errors(bad);
  EXPECT_THAT(bad.errors[0].ToString(), HasSubstr("f.csv:2: stage: stage \"boss\" is not one of"));
  EXPECT_THAT(bad.errors[0].ToString(), HasSubstr("(from --set stage=boss)"));

  options_.constants = "";
  options_.mapping.constants = {{"name", "{Product} {Colour}"}};
  ImportReport missing = Import(Kind::kOpportunities, "external_id,Product\nD1,x\n");
  ASSERT_FALSE(missing.errors.empty());
  EXPECT_EQ(missing.errors[0].ToString(),
            "in.csv:1: --set name: the file has no column \"Colour\" (in {Colour}); its columns "
            "are external_id, Product");
}

TEST_F(TransferTest, MappingFilesHoldColumnsValuesConstantsAndDateOrder) {
  SB_ASSERT_OK_AND_ASSIGN(
      ImportMapping mapping,
      ParseImportMapping(R"({"columns": {"external_id": "Opportunity ID", "account": "Acct"},
                            "values": {"stage": {"Engaging": "discover", "Closed Won, Paid":
                                                 "closed_won"}},
                            "set": {"name": "{Product}, {Acct}"},
                            "date_order": "mdy"})",
                         "m.json"));
  EXPECT_EQ(mapping.columns.size(), 2u);
  EXPECT_EQ(mapping.values.size(), 2u);
  ASSERT_EQ(mapping.constants.size(), 1u);
  EXPECT_EQ(mapping.constants[0].second, "{Product}, {Acct}");
  EXPECT_EQ(mapping.date_order, DateOrder::kMonthFirst);

  ImportOk(Kind::kAccounts, "external_id,name\nA1,Acme\n");
  options_.mapping = mapping;
  options_.date_order = *mapping.date_order;
  ImportOk(Kind::kOpportunities,
           "Opportunity ID,Acct,Product,Stage,Amount,Close Date\n"
           "M1,A1,Widgets,\"Closed Won, Paid\",10,5/26/17\n"
           "M2,A1,Gadgets,Engaging,20,12/1/2025\n");
  SB_ASSERT_OK_AND_ASSIGN(Opportunity m1, OpportunityByExternalId("M1"));
  EXPECT_EQ(m1.name, "Widgets, A1");
  EXPECT_EQ(m1.stage, Stage::kClosedWon);
  EXPECT_EQ(m1.close_on, MakeDate(2017, 5, 26));
  SB_ASSERT_OK_AND_ASSIGN(Opportunity m2, OpportunityByExternalId("M2"));
  EXPECT_EQ(m2.stage, Stage::kDiscover);
  EXPECT_EQ(m2.close_on, MakeDate(2025, 12, 1));

  EXPECT_THAT(
      ParseImportMapping("{\"colums\": {}}", "m.json"),
      test::StatusIsWithMessage(StatusCode::kInvalidArgument, "m.json: unknown key \"colums\""));
  EXPECT_THAT(ParseImportMapping("{\"values\": {\"stage\": {\"a\": 1}}}", "m.json"),
              test::StatusIsWithMessage(StatusCode::kInvalidArgument, "must be a string"));
  EXPECT_THAT(ParseImportMapping("[1,", "m.json"),
              test::StatusIsWithMessage(StatusCode::kInvalidArgument, "m.json: not valid JSON"));
  EXPECT_THAT(ParseImportMapping("{\"date_order\": \"myd\"}", "m.json"),
              test::StatusIsWithMessage(StatusCode::kInvalidArgument, "dmy (31/12/25)"));
}

TEST_F(TransferTest, DatesInEveryOrderAndTheMessageSaysWhichOrdersThereAre) {
  ImportUsersAndAccounts();
  options_.date_order = DateOrder::kMonthFirst;
  ImportOk(Kind::kOrders, "account,date,revenue,currency\nA1,5/26/17,100,DKK\n");
  options_.date_order = DateOrder::kYearFirst;
  ImportOk(Kind::kOrders, "account,date,revenue,currency\nA1,17/05/27,100,DKK\n");
  options_.date_order = DateOrder::kDayFirst;
  ImportOk(Kind::kOrders, "account,date,revenue,currency\nA1,28.5.17,100,DKK\n");
  std::vector<Order> orders = *store_->orders().List(storage::ListQuery{});
  ASSERT_EQ(orders.size(), 3u);
  EXPECT_EQ(orders[0].ordered_on, MakeDate(2017, 5, 26));
  EXPECT_EQ(orders[1].ordered_on, MakeDate(2017, 5, 27));
  EXPECT_EQ(orders[2].ordered_on, MakeDate(2017, 5, 28));

  ImportReport report =
      Import(Kind::kOrders, "account,date,revenue,currency\nA1,5/26/17,100,DKK\n", "o.csv");
  ASSERT_EQ(report.errors.size(), 1u);
  EXPECT_EQ(report.errors[0].ToString(),
            "o.csv:2:2: date: \"5/26/17\" is not a date in the order dmy: month 26 is outside "
            "1..12; --date-order mdy reads it as 2017-05-26 (--date-order is dmy, mdy or ymd; "
            "YYYY-MM-DD always works)");
  SB_ASSERT_OK_AND_ASSIGN(DateOrder ymd, ParseDateOrder("YMD"));
  EXPECT_EQ(ymd, DateOrder::kYearFirst);
  EXPECT_THAT(ParseDateOrder("iso"),
              test::StatusIsWithMessage(StatusCode::kInvalidArgument, "is not one of dmy"));
}

TEST_F(TransferTest, AmountsWithDashesAndCurrencyCodes) {
  ImportUsersAndAccounts();
  options_.default_currency = Currency();
  ImportOk(Kind::kOpportunities,
           "external_id,account,name,stage,amount\n"
           "U1,A1,Dollars,qualify,\"1,234.50 USD\"\n"
           "U2,A1,Nothing,qualify,$-\n"
           "U3,A1,Nothing either,qualify,$ -   \n"
           "U4,A1,Euros,qualify,EUR 99\n");
  SB_ASSERT_OK_AND_ASSIGN(Opportunity u1, OpportunityByExternalId("U1"));
  EXPECT_EQ(u1.amount.currency.code(), "USD");
  EXPECT_EQ(u1.amount.minor_units, 123450);
  EXPECT_TRUE(u1.amount_known);
  SB_ASSERT_OK_AND_ASSIGN(Opportunity u2, OpportunityByExternalId("U2"));
  EXPECT_EQ(u2.amount.minor_units, 0);
  EXPECT_FALSE(u2.amount_known);
  SB_ASSERT_OK_AND_ASSIGN(Opportunity u3, OpportunityByExternalId("U3"));
  EXPECT_EQ(u3.amount.minor_units, 0);
  EXPECT_FALSE(u3.amount_known);
  SB_ASSERT_OK_AND_ASSIGN(Opportunity u4, OpportunityByExternalId("U4"));
  EXPECT_EQ(u4.amount.currency.code(), "EUR");
  EXPECT_EQ(u4.amount.minor_units, 9900);

  ImportReport report = Import(Kind::kOpportunities,
                               "external_id,account,name,stage,amount,currency\n"
                               "U5,A1,Mixed,qualify,100 USD,DKK\n",
                               "f.csv");
  ASSERT_EQ(report.errors.size(), 1u) << Errors(report);
  EXPECT_EQ(report.errors[0].ToString(),
            "f.csv:2:5: amount: \"100 USD\" is in USD but the record's currency is DKK");
}

// Issue 16: an empty amount is unknown, not 0; export writes it empty and a later file that
// gives the amount makes it known.
TEST_F(TransferTest, AnEmptyAmountIsUnknownNotZero) {
  ImportUsersAndAccounts();
  ImportOk(Kind::kOpportunities,
           "external_id,account,name,stage,amount\n"
           "E1,A1,Empty,qualify,\n"
           "E2,A1,Zero,qualify,0\n"
           "E3,A1,Some,qualify,\"1.500,00\"\n");
  ImportOk(Kind::kOpportunities, "external_id,account,name,stage\nE4,A1,No column,qualify\n");
  SB_ASSERT_OK_AND_ASSIGN(Opportunity e1, OpportunityByExternalId("E1"));
  EXPECT_FALSE(e1.amount_known);
  EXPECT_EQ(e1.amount.currency.code(), "DKK");
  SB_ASSERT_OK_AND_ASSIGN(Opportunity e2, OpportunityByExternalId("E2"));
  EXPECT_TRUE(e2.amount_known);
  EXPECT_EQ(e2.amount.minor_units, 0);
  SB_ASSERT_OK_AND_ASSIGN(Opportunity e3, OpportunityByExternalId("E3"));
  EXPECT_TRUE(e3.amount_known);
  EXPECT_EQ(e3.amount.minor_units, 150000);
  SB_ASSERT_OK_AND_ASSIGN(Opportunity e4, OpportunityByExternalId("E4"));
  EXPECT_FALSE(e4.amount_known);

  const std::string csv = Export(Kind::kOpportunities);
  EXPECT_THAT(csv, HasSubstr("E1,A1,Empty,,qualify,,DKK,"));
  EXPECT_THAT(csv, HasSubstr("E2,A1,Zero,,qualify,0.00,DKK,"));
  EXPECT_THAT(Export(Kind::kOpportunities, /*json=*/true),
              HasSubstr("\"name\": \"Empty\", \"owner_email\": null, \"stage\": \"qualify\", "
                        "\"amount\": null, \"currency\": \"DKK\""));

  // A file without the amount column leaves it unknown; one with it makes it known.
  ImportOk(Kind::kOpportunities, "external_id,stage\nE1,propose\n");
  SB_ASSERT_OK_AND_ASSIGN(e1, OpportunityByExternalId("E1"));
  EXPECT_FALSE(e1.amount_known);
  ImportOk(Kind::kOpportunities, "external_id,amount\nE1,250\nE2,\n");
  SB_ASSERT_OK_AND_ASSIGN(e1, OpportunityByExternalId("E1"));
  EXPECT_TRUE(e1.amount_known);
  EXPECT_EQ(e1.amount.minor_units, 25000);
  SB_ASSERT_OK_AND_ASSIGN(e2, OpportunityByExternalId("E2"));
  EXPECT_FALSE(e2.amount_known);
}

TEST_F(TransferTest, CountryNamesInEnglishAndTheNordicLanguages) {
  ImportOk(Kind::kAccounts,
           "external_id,name,country\n"
           "C1,a,Germany\nC2,b,Tyskland\nC3,c,Østrig\nC4,d,Österrike\nC5,e,Færøerne\n"
           "C6,f,United States of America\nC7,g,Brazil\nC8,h,Brasilien\nC9,i,SYDAFRIKA\n"
           "C10,j,Sør-Korea\nC11,k,japan\nC12,l,Viet Nam\nC13,m,Nederländerna\nC14,n,Island\n"
           "C15,o,Storbritannien\nC16,p,Czechia\nC17,q,Tjekkiet\nC18,r,Polen\nC19,s,FIN\n"
           "C20,t,Kina\n");
  const char* expected[] = {"DE", "DE", "AT", "AT", "FO", "US", "BR", "BR", "ZA", "KR",
                            "JP", "VN", "NL", "IS", "GB", "CZ", "CZ", "PL", "FI", "CN"};
  for (int i = 0; i < 20; ++i) {
    SB_ASSERT_OK_AND_ASSIGN(Account a, AccountByExternalId("C" + std::to_string(i + 1)));
    EXPECT_EQ(a.country, expected[i]) << i + 1;
  }
}

TEST_F(TransferTest, OwnersKnownOnlyByNameAreMatchedOrCreatedWithoutSignIn) {
  ImportUsersAndAccounts();
  ImportReport report = ImportOk(Kind::kOpportunities,
                                 "external_id,account,name,stage,amount,owner\n"
                                 "N1,A1,Known,qualify,1,Anna Ærø\n"
                                 "N2,A1,New,qualify,1,Kim Ågård Larsen\n"
                                 "N3,A1,New again,qualify,1,Kim Ågård Larsen\n"
                                 "N4,A2,Other,qualify,1,Ole\n");
  EXPECT_THAT(report.created_users,
              ElementsAre("Kim Ågård Larsen <kim.agard.larsen@no-email.invalid>",
                          "Ole <ole@no-email.invalid>"));
  std::vector<User> users = *store_->users().List(storage::ListQuery{});
  ASSERT_EQ(users.size(), 4u);
  const User& kim = users[2];
  EXPECT_EQ(kim.name, "Kim Ågård Larsen");
  EXPECT_EQ(kim.email, "kim.agard.larsen@no-email.invalid");
  EXPECT_EQ(kim.password_hash, "");  // cannot sign in
  EXPECT_EQ(kim.role, Role::kRep);
  SB_ASSERT_OK_AND_ASSIGN(Opportunity n1, OpportunityByExternalId("N1"));
  EXPECT_EQ(n1.owner_id, users[0].id);  // matched by name
  SB_ASSERT_OK_AND_ASSIGN(Opportunity n3, OpportunityByExternalId("N3"));
  EXPECT_EQ(n3.owner_id, kim.id);

  // An unknown e-mail is still an error: a typo must not become a user.
  ImportReport typo = Import(Kind::kOpportunities,
                             "external_id,account,name,stage,amount,owner\n"
                             "N5,A1,Typo,qualify,1,anna@exampel.com\n",
                             "f.csv");
  ASSERT_EQ(typo.errors.size(), 1u) << Errors(typo);
  EXPECT_THAT(typo.errors[0].ToString(), HasSubstr("f.csv:2:6: owner_email: no user"));
  EXPECT_TRUE(typo.created_users.empty());

  // Importing users later gives the placeholder its e-mail: the same user, not a second one.
  ImportReport given =
      ImportOk(Kind::kUsers, "email,name,role\nkim@example.com,Kim Ågård Larsen,manager\n");
  EXPECT_EQ(given.inserted, 0);
  EXPECT_EQ(given.updated, 1);
  users = *store_->users().List(storage::ListQuery{});
  ASSERT_EQ(users.size(), 4u);
  EXPECT_EQ(users[2].email, "kim@example.com");
  EXPECT_EQ(users[2].role, Role::kManager);
}

TEST_F(TransferTest, KindNamesParse) {
  SB_ASSERT_OK_AND_ASSIGN(Kind k, ParseKind("opportunity-history"));
  EXPECT_EQ(k, Kind::kOpportunityHistory);
  SB_ASSERT_OK_AND_ASSIGN(k, ParseKind("Opportunity"));
  EXPECT_EQ(k, Kind::kOpportunities);
  SB_ASSERT_OK_AND_ASSIGN(k, ParseKind("activity"));
  EXPECT_EQ(k, Kind::kActivities);
  EXPECT_THAT(ParseKind("deals"), test::StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace salesbox::service

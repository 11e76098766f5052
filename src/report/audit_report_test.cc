// SPDX-License-Identifier: MIT
// The management report: HTML content, escaping and self-containedness; the PDF's validity,
// page count, footers and text (through poppler's pdfinfo/pdftotext when installed); a large
// audit; an empty audit; locale number formatting.
#include "report/audit_report.h"

#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "analytics/audit/playbook.h"
#include "report/internal/words.h"
#include "testing/status_matchers.h"

namespace salesbox::report {
namespace {

using analytics::audit::AccountFacts;
using analytics::audit::ActionStatus;
using analytics::audit::AnswerFact;
using analytics::audit::AuditInput;
using analytics::audit::Colour;
using analytics::audit::Day;
using analytics::audit::ItemResult;
using analytics::audit::Labels;
using analytics::audit::OpportunityFacts;
using analytics::audit::Person;
using analytics::audit::Playbook;
using analytics::audit::PreviousRun;
using analytics::audit::Report;

constexpr Day kToday = 20241;  // 2025-06-02

Playbook Shipped(std::string_view name) {
  for (const auto& shipped : analytics::audit::ShippedPlaybooks()) {
    if (shipped.name == name) {
      Result<Playbook> playbook = analytics::audit::ParsePlaybook(shipped.json);
      SB_CHECK(playbook.ok());
      return *playbook;
    }
  }
  SB_CHECK(false);
  return {};
}

struct Rep {
  std::string name;
  int team;  // index into the team names
};

struct Shape {
  std::vector<std::string> teams;
  std::vector<Rep> reps;
  int deals_per_rep = 0;
  int customers_per_rep = 0;
  std::vector<std::string> currencies;
  std::vector<std::string> deal_names;  // overrides for the first deals, in order
};

// An audit built by hand on the shipped default playbooks. Every relationship fact is
// favourable, so colours follow the manual answers: deal quality 0 answers nothing (red),
// 1 half of each area, 2 all but one per area, 3 everything (green); every ninth deal is stale.
class AuditCase {
 public:
  explicit AuditCase(const Shape& shape)
      : opportunity_playbook_(Shipped("default-opportunity")),
        account_playbook_(Shipped("default-account")) {
    input.as_of = kToday;
    input.opportunity_playbook = &opportunity_playbook_;
    input.account_playbook = &account_playbook_;
    for (size_t t = 0; t < shape.teams.size(); ++t) {
      labels.teams[static_cast<int64_t>(t + 1)] = shape.teams[t];
    }
    size_t deal_number = 0;
    for (size_t r = 0; r < shape.reps.size(); ++r) {
      const int64_t owner = static_cast<int64_t>(100 + r);
      std::string email = "rep" + std::to_string(r) + "@example.com";
      labels.people[owner] = Person{shape.reps[r].name, email, shape.reps[r].team + 1};
      const int accounts = std::max(1, shape.customers_per_rep);
      const int32_t first_account = static_cast<int32_t>(input.accounts.size());
      for (int a = 0; a < accounts; ++a) {
        const int quality = static_cast<int>((r * 5 + static_cast<size_t>(a) * 3) % 4);
        AccountFacts account = FavourableAccount();
        account.id = static_cast<int64_t>(input.accounts.size() + 1);
        account.owner_id = owner;
        account.customer = a < shape.customers_per_rep;
        account.abc_class = "ABC"[(r + static_cast<size_t>(a)) % 3];
        const std::string& currency =
            shape.currencies[(r + static_cast<size_t>(a)) % shape.currencies.size()];
        account.currency = *Currency::Parse(currency);
        account.margin_last_365 = static_cast<int64_t>(250000 + 170000 * ((r * 7 + a) % 11)) * 100;
        account.margin_prev_365 = account.margin_last_365 * 9 / 10;
        input.accounts.push_back(account);
        input.account_answers.push_back(Answers(account_playbook_, quality));
        labels.account_external_ids.push_back("ACC-" + std::to_string(account.id));
        labels.account_names.push_back(AccountName(input.accounts.size()));
      }
      for (int d = 0; d < shape.deals_per_rep; ++d, ++deal_number) {
        const int quality = static_cast<int>((r * 7 + static_cast<size_t>(d) * 3) % 4);
        OpportunityFacts deal;
        deal.id = static_cast<int64_t>(1000 + deal_number);
        deal.owner_id = owner;
        deal.account = first_account;
        deal.stage = static_cast<Stage>((r + static_cast<size_t>(d)) % 5);
        const std::string& currency = shape.currencies[(deal_number / 2) % shape.currencies.size()];
        deal.amount = Money{static_cast<int64_t>(40000 + 37500 * ((deal_number * 13) % 17)) * 100,
                            *Currency::Parse(currency)};
        deal.created_on = kToday - 60;
        deal.close_on = kToday + 45;
        deal.next_step_on = kToday + 7;
        deal.last_activity = deal_number % 9 == 4 ? kToday - 45 : kToday - 2;
        deal.competitors = true;
        deal.role_types[static_cast<int>(BuyingRole::kEconomicBuyer)] =
            1u << static_cast<int>(ActivityType::kMeeting);
        input.opportunities.push_back(deal);
        input.opportunity_answers.push_back(Answers(opportunity_playbook_, quality));
        labels.opportunity_external_ids.push_back("OPP-" + std::to_string(deal.id));
        labels.opportunity_names.push_back(
            deal_number < shape.deal_names.size()
                ? shape.deal_names[deal_number]
                : labels.account_names[static_cast<size_t>(first_account)] + " deal " +
                      std::to_string(d + 1));
      }
    }
    items = analytics::audit::Audit(input);
    PreviousRun previous;
    previous.id = 7;
    previous.as_of = kToday - 28;
    for (size_t i = 0; i < items.size(); i += 2) {
      const Colour then = static_cast<Colour>((i / 2) % 3);
      previous.colours[{items[i].subject_type, analytics::audit::ItemId(input, items[i])}] = then;
    }
    std::vector<ActionStatus> actions;
    for (size_t i = 0; i < std::min<size_t>(items.size(), 6); ++i) {
      ActionStatus action;
      action.activity_id = static_cast<int64_t>(500 + i);
      action.subject_type = items[i].subject_type;
      action.subject_id = analytics::audit::ItemId(input, items[i]);
      action.subject_name = items[i].subject_type == SubjectType::kOpportunity
                                ? labels.opportunity_names[static_cast<size_t>(items[i].index)]
                                : labels.account_names[static_cast<size_t>(items[i].index)];
      action.criterion_id = i == 5 ? "" : "issue_written";
      action.criterion_text = "The business issue is written down in the customer's words";
      action.owner_id = 100;
      action.due = kToday + static_cast<Day>(i) * 4 - 8;
      action.done = i % 3 == 0;
      actions.push_back(action);
    }
    report = analytics::audit::Consolidate(input, items, labels, previous, actions,
                                           analytics::audit::ReportOptions{});
    meta.company = "Nordlys Handel A/S";
    meta.generated_at = "2025-06-02 10:31 UTC";
    const int64_t n = static_cast<int64_t>(items.size());
    meta.history = {{kToday - 84, n * 3 / 10, n * 3 / 10, n * 4 / 10},
                    {kToday - 56, n * 4 / 10, n * 3 / 10, n * 3 / 10},
                    {kToday - 28, n * 4 / 10, n * 2 / 10, n * 4 / 10}};
  }

  std::string Html(int locale) const {
    return AuditHtml(input, items, labels, report, locale, meta);
  }
  Result<std::string> Pdf(int locale) const {
    return AuditPdf(input, items, labels, report, locale, meta);
  }

  AuditInput input;
  std::vector<ItemResult> items;
  Labels labels;
  Report report;
  ReportMeta meta;

 private:
  static AccountFacts FavourableAccount() {
    AccountFacts account;
    account.segment_id = 1;
    account.core_segment = true;
    for (BuyingRole role :
         {BuyingRole::kEconomicBuyer, BuyingRole::kDecisionMaker, BuyingRole::kChampion}) {
      account.roles_present |= static_cast<uint16_t>(1u << static_cast<int>(role));
      account.role_strength[static_cast<int>(role)] = 4;
    }
    account.role_last_active.fill(analytics::audit::kNoDay);
    account.role_last_active[static_cast<int>(BuyingRole::kChampion)] = kToday - 5;
    account.weakest_role_strength = 3;
    account.last_contact_touch = kToday - 10;
    account.last_meeting = kToday - 30;
    account.touches_365 = 8;
    account.planned_ahead = true;
    account.product_lines = 2;
    account.open_opportunity = true;
    account.last_order = kToday - 20;
    return account;
  }

  // Yes to manual criteria by quality (see the class comment).
  static std::vector<AnswerFact> Answers(const Playbook& playbook, int quality) {
    std::vector<AnswerFact> answers;
    std::array<int, analytics::audit::kAreaCount> seen{};
    for (size_t c = 0; c < playbook.criteria.size(); ++c) {
      const auto& criterion = playbook.criteria[c];
      if (criterion.auto_rule) continue;
      const int n = seen[criterion.area]++;
      const bool yes = quality == 3 || (quality == 2 && n > 0) || (quality == 1 && n % 2 == 0);
      if (yes) answers.push_back({static_cast<uint16_t>(c), Answer::kYes});
    }
    return answers;
  }

  static std::string AccountName(size_t n) {
    static const char* kNames[] = {"Ærøskøbing Fisk", "Östra Hamnen AB", "Bølgen Bygg AS",
                                   "Fjordkraft Øst",  "Malmö Möbler",    "Aalborg Ål & Co"};
    return std::string(kNames[n % std::size(kNames)]) + " " + std::to_string(n);
  }

  Playbook opportunity_playbook_;
  Playbook account_playbook_;
};

Shape SmallShape() {
  Shape shape;
  shape.teams = {"Nord", "Syd & Øst"};
  shape.reps = {{"Søren Ærø", 0},
                {"Åsa Öberg", 0},
                {"Bjørn Løvås", 0},
                {"Mette Kjærgaard", 1},
                {"Lars Ek", 1}};
  shape.deals_per_rep = 5;
  shape.customers_per_rep = 2;
  shape.currencies = {"DKK", "SEK", "EUR"};
  shape.deal_names = {"Fjord <b>& \"Hav\" 'Nord'"};
  return shape;
}

Shape LargeShape() {
  Shape shape;
  for (int t = 0; t < 10; ++t) shape.teams.push_back("Region " + std::to_string(t + 1));
  // Long texts must be shortened or wrapped, never run off the page.
  shape.teams[9] += " — Enterprise accounts in Northern Jutland, Funen and the islands";
  static const char* kFirst[] = {"Søren",  "Åsa", "Bjørn", "Mette",  "Lars",
                                 "Ingrid", "Pål", "Märta", "Jørgen", "Eva"};
  static const char* kLast[] = {"Ærø", "Öberg", "Løvås", "Kjærgaard", "Ek", "Hågensen"};
  for (int r = 0; r < 60; ++r) {
    shape.reps.push_back(
        {std::string(kFirst[r % 10]) + " " + kLast[r % 6] + " " + std::to_string(r), r % 10});
  }
  shape.reps[59].name = "Bartholomæus-Kristoffersen-Øvergaard-Lindqvist-Hågensen-Sørensen";
  shape.deals_per_rep = 8;
  shape.customers_per_rep = 3;
  shape.currencies = {"DKK", "SEK", "NOK", "EUR"};
  for (int d = 0; d < 40; ++d) {
    shape.deal_names.push_back(d % 2 == 0 ? "Short " + std::to_string(d)
                                          : "Framework agreement for the renewal of the entire "
                                            "Scandinavian warehouse automation fleet, phase " +
                                                std::to_string(d));
  }
  return shape;
}

// Whether `text` contains `part`; on failure names the part, not the whole document.
::testing::AssertionResult Has(const std::string& text, std::string_view part) {
  if (text.find(part) != std::string::npos) {
    return ::testing::AssertionSuccess() << "contains \"" << part << "\"";
  }
  return ::testing::AssertionFailure() << "does not contain \"" << part << "\"";
}

// With SALESBOX_REPORT_SAMPLES=DIR set, tests keep what they render there, to look at.
void KeepSample(const std::string& name, const std::string& bytes) {
  const char* dir = std::getenv("SALESBOX_REPORT_SAMPLES");
  if (dir != nullptr) std::ofstream(std::string(dir) + "/" + name, std::ios::binary) << bytes;
}

// --- poppler helpers ----------------------------------------------------------------------

bool HaveTool(const std::string& name) {
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

std::string WriteTemp(const std::string& name, const std::string& bytes) {
  const std::string path = ::testing::TempDir() + "/" + std::to_string(::getpid()) + "_" + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

std::string Run(const std::string& command) {
  std::string out;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) return out;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe.get())) > 0) out.append(buffer, n);
  return out;
}

// Page objects in the file ("/Type /Page" but not "/Type /Pages").
int CountPageObjects(const std::string& pdf) {
  int pages = 0;
  for (size_t at = pdf.find("/Type /Page"); at != std::string::npos;
       at = pdf.find("/Type /Page", at + 1)) {
    if (pdf.compare(at, 12, "/Type /Pages") != 0) ++pages;
  }
  return pages;
}

// The page count from pdfinfo when installed (which also proves the file parses), else the
// page objects.
int PageCount(const std::string& pdf) {
  if (!HaveTool("pdfinfo")) return CountPageObjects(pdf);
  const std::string info = Run("pdfinfo '" + WriteTemp("info.pdf", pdf) + "' 2>&1");
  const size_t at = info.find("Pages:");
  if (at == std::string::npos) return -1;  // not a PDF poppler can read
  return std::atoi(info.c_str() + at + 6);
}

std::string PdfText(const std::string& pdf) {
  return Run("pdftotext -enc UTF-8 '" + WriteTemp("text.pdf", pdf) + "' - 2>&1");
}

void ExpectValidPdf(const std::string& pdf) {
  ASSERT_GT(pdf.size(), 100u);
  EXPECT_EQ(pdf.substr(0, 5), "%PDF-");
  std::string tail = pdf.substr(pdf.size() - 7);
  while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r')) tail.pop_back();
  EXPECT_EQ(tail.substr(tail.size() - 5), "%%EOF");
  EXPECT_TRUE(Has(pdf, "/MediaBox [ 0 0 595.28 841.89 ]"));
}

// --- HTML ---------------------------------------------------------------------------------

TEST(AuditHtmlTest, EnglishHasTheHeadingsCountsAndCharts) {
  const AuditCase audit(SmallShape());
  const std::string html = audit.Html(0);
  KeepSample("small_en.html", html);
  EXPECT_TRUE(Has(html, "<html lang=\"en\">"));
  EXPECT_TRUE(Has(html, "<h1>Customer and pipeline audit</h1>"));
  EXPECT_TRUE(Has(html, "Nordlys Handel A/S"));
  EXPECT_TRUE(Has(html, "2025-06-02"));
  EXPECT_TRUE(Has(html, "2025-06-02 10:31 UTC"));
  EXPECT_TRUE(Has(html, "Whole company"));
  for (const char* heading :
       {"Key figures", "Opportunities", "Customers", "Colour distribution per team",
        "Value at risk per team", "Areas meeting the minimum, per team",
        "Largest values at risk, DKK", "Weakest area per rep (coaching input)",
        "Trend over saved audit runs", "Action plans"}) {
    EXPECT_TRUE(Has(html, heading));
  }
  // The counts per colour, and the total.
  const auto& s = audit.report.summary;
  ASSERT_GT(s[0], 0);
  ASSERT_GT(s[1], 0);
  ASSERT_GT(s[2], 0);
  EXPECT_EQ(s[0] + s[1] + s[2], 25 + 10);  // 5 reps x 5 deals, 5 reps x 2 customers
  EXPECT_TRUE(Has(html, "<div class=\"value\">35</div>"));
  for (int c = 0; c < 3; ++c) {
    EXPECT_TRUE(Has(html, "<div class=\"value\">" + std::to_string(s[c]) + "</div>"));
  }
  EXPECT_TRUE(Has(html, "<svg"));
  EXPECT_TRUE(Has(html, "#2e7d32"));
  EXPECT_TRUE(Has(html, "#f9a825"));
  EXPECT_TRUE(Has(html, "#c62828"));
  EXPECT_TRUE(Has(html, "Relationships to key stakeholders"));  // the playbook's area
  EXPECT_TRUE(Has(html, "moved to green"));
  EXPECT_TRUE(Has(html, "Søren Ærø"));
}

TEST(AuditHtmlTest, DanishUsesDanishWordsAreaNamesAndNumbers) {
  const AuditCase audit(SmallShape());
  const std::string html = audit.Html(1);
  KeepSample("small_da.html", html);
  EXPECT_TRUE(Has(html, "<html lang=\"da\">"));
  for (const char* heading :
       {"<h1>Audit af kunder og pipeline</h1>", "Nøgletal", "Salgsmuligheder",
        "Farvefordeling pr. team", "Værdi i risiko pr. team", "Største værdier i risiko",
        "Svageste område pr. sælger (input til coaching)", "Handlingsplaner",
        "Relationer til nøglepersoner", "Hele virksomheden"}) {
    EXPECT_TRUE(Has(html, heading));
  }
  EXPECT_FALSE(Has(html, "Colour distribution per team"));
  // Money in whole kroner with Danish thousands separators (no-break space before the code).
  EXPECT_TRUE(Has(html, ".000\u00a0DKK"));
}

TEST(AuditHtmlTest, EscapesEveryText) {
  const AuditCase audit(SmallShape());
  for (int locale = 0; locale < 4; ++locale) {
    const std::string html = audit.Html(locale);
    EXPECT_TRUE(Has(html, "Fjord &lt;b&gt;&amp; &quot;Hav&quot; &#39;Nord&#39;"));
    EXPECT_FALSE(Has(html, "<b>"));
    EXPECT_FALSE(Has(html, "Fjord <"));
    EXPECT_TRUE(Has(html, "Syd &amp; Øst"));
    EXPECT_FALSE(Has(html, "Syd & Øst"));
  }
}

TEST(AuditHtmlTest, IsSelfContainedAndPrintable) {
  const AuditCase audit(SmallShape());
  const std::string html = audit.Html(2);
  EXPECT_FALSE(Has(html, "<script"));
  EXPECT_FALSE(Has(html, "<link"));
  EXPECT_FALSE(Has(html, "<img"));
  EXPECT_FALSE(Has(html, "src="));
  EXPECT_FALSE(Has(html, "url("));
  EXPECT_TRUE(Has(html, "@page { size: A4"));
  EXPECT_TRUE(Has(html, "<meta charset=\"utf-8\">"));
  EXPECT_TRUE(Has(html, "Revision av kunder och pipeline"));          // Swedish
  EXPECT_TRUE(Has(audit.Html(3), "Revisjon av kunder og pipeline"));  // Norwegian
}

TEST(AuditHtmlTest, WithoutSavedRunsTheTrendSaysSo) {
  AuditCase audit(SmallShape());
  audit.meta.history.clear();
  EXPECT_TRUE(Has(audit.Html(0), "Compared with the saved run of 2025-05-05"));
  audit.report.trend.reset();
  const std::string html = audit.Html(0);
  EXPECT_TRUE(Has(html, "No saved audit runs yet"));
  EXPECT_FALSE(Has(html, "Compared with"));
  SB_ASSERT_OK_AND_ASSIGN(std::string pdf, audit.Pdf(0));
  ExpectValidPdf(pdf);
}

// --- PDF ----------------------------------------------------------------------------------

TEST(AuditPdfTest, IsAValidA4PdfWithTheExpectedPagesAndFooters) {
  const AuditCase audit(SmallShape());
  SB_ASSERT_OK_AND_ASSIGN(std::string pdf, audit.Pdf(0));
  KeepSample("small_en.pdf", pdf);
  ExpectValidPdf(pdf);
  // Five pages for this fixture: the layout is deterministic for a given font (DejaVu Sans from
  // fonts-dejavu-core), so a change here means the layout changed; look at the pages.
  EXPECT_EQ(PageCount(pdf), 5);
  EXPECT_EQ(CountPageObjects(pdf), 5);
  ASSERT_TRUE(HaveTool("pdftotext")) << "pdftotext missing: scripts/install-deps installs poppler-utils";
  const std::string text = PdfText(pdf);
  EXPECT_TRUE(Has(text, "Customer and pipeline audit"));
  EXPECT_TRUE(Has(text, "page 1 of 5"));
  EXPECT_TRUE(Has(text, "page 5 of 5"));
  EXPECT_TRUE(Has(text, "Fjord <b>& \"Hav\""));  // drawn as written
}

TEST(AuditPdfTest, DanishTextHasTheHeadingsAndNames) {
  ASSERT_TRUE(HaveTool("pdftotext")) << "pdftotext missing: scripts/install-deps installs poppler-utils";
  const AuditCase audit(SmallShape());
  SB_ASSERT_OK_AND_ASSIGN(std::string pdf, audit.Pdf(1));
  KeepSample("small_da.pdf", pdf);
  ExpectValidPdf(pdf);
  const std::string text = PdfText(pdf);
  EXPECT_TRUE(Has(text, "Audit af kunder og pipeline"));
  EXPECT_TRUE(Has(text, "Farvefordeling pr. team"));
  EXPECT_TRUE(Has(text, "Svageste område pr. sælger"));
  EXPECT_TRUE(Has(text, "Søren Ærø"));
  EXPECT_TRUE(Has(text, "Bjørn Løvås"));
  EXPECT_TRUE(Has(text, "side 1 af "));
}

TEST(AuditPdfTest, LargeAuditTakesMorePagesAndContinuesTables) {
  const AuditCase small(SmallShape());
  AuditCase large(LargeShape());
  ASSERT_EQ(large.items.size(), 60u * 8 + 60 * 3);
  large.meta.history.clear();
  for (int run = 0; run < 14; ++run) {  // more runs than the chart draws
    large.meta.history.push_back({kToday - 7 * (14 - run), 200 + run * 5, 180, 280 - run * 5});
  }
  SB_ASSERT_OK_AND_ASSIGN(std::string pdf, large.Pdf(0));
  KeepSample("large_en.pdf", pdf);
  KeepSample("large_sv.html", large.Html(2));
  ExpectValidPdf(pdf);
  SB_ASSERT_OK_AND_ASSIGN(std::string small_pdf, small.Pdf(0));
  const int pages = PageCount(pdf);
  EXPECT_GT(pages, PageCount(small_pdf));
  ASSERT_TRUE(HaveTool("pdftotext")) << "pdftotext missing: scripts/install-deps installs poppler-utils";
  const std::string text = PdfText(pdf);
  EXPECT_TRUE(Has(text, "(continued)"));  // the 60-rep coaching table
  EXPECT_TRUE(Has(text, "page " + std::to_string(pages) + " of " + std::to_string(pages)));
  EXPECT_TRUE(Has(text, "Region 10"));
  for (int locale = 1; locale < 4; ++locale) {
    SB_ASSERT_OK_AND_ASSIGN(std::string localized, large.Pdf(locale));
    ExpectValidPdf(localized);
  }
}

TEST(AuditPdfTest, EmptyAuditIsOnePageSayingThereIsNothingToAudit) {
  Shape shape;
  shape.currencies = {"DKK"};
  const AuditCase audit(shape);
  ASSERT_TRUE(audit.items.empty());
  SB_ASSERT_OK_AND_ASSIGN(std::string pdf, audit.Pdf(0));
  KeepSample("empty_en.pdf", pdf);
  ExpectValidPdf(pdf);
  EXPECT_EQ(PageCount(pdf), 1);
  EXPECT_TRUE(Has(audit.Html(0), "Nothing to audit"));
  EXPECT_FALSE(Has(audit.Html(0), "<svg"));
  ASSERT_TRUE(HaveTool("pdftotext")) << "pdftotext missing: scripts/install-deps installs poppler-utils";
  const std::string text = PdfText(pdf);
  EXPECT_TRUE(Has(text, "Nothing to audit"));
  EXPECT_TRUE(Has(text, "page 1 of 1"));
}

// --- words and numbers --------------------------------------------------------------------

TEST(ReportWordsTest, NumbersFollowTheLanguage) {
  using internal::FormatCount;
  using internal::FormatMoney;
  using internal::FormatPercent;
  EXPECT_EQ(FormatCount(1234567, 0), "1,234,567");
  EXPECT_EQ(FormatCount(1234567, 1), "1.234.567");
  EXPECT_EQ(FormatCount(1234567, 2), "1\u00a0234\u00a0567");
  EXPECT_EQ(FormatCount(1234567, 3), "1.234.567");
  EXPECT_EQ(FormatCount(-1000, 0), "-1,000");
  EXPECT_EQ(FormatCount(999, 1), "999");
  EXPECT_EQ(FormatCount(0, 2), "0");
  EXPECT_EQ(FormatMoney(123456750, "DKK", 1), "1.234.568\u00a0DKK");  // rounds half up
  EXPECT_EQ(FormatMoney(123456749, "DKK", 0), "1,234,567\u00a0DKK");
  EXPECT_EQ(FormatMoney(-150, "EUR", 0), "-2\u00a0EUR");
  EXPECT_EQ(FormatMoney(1234567, "ISK", 2), "1\u00a0234\u00a0567\u00a0ISK");  // no minor digits
  EXPECT_EQ(FormatPercent(0.384, 0), "38%");
  EXPECT_EQ(FormatPercent(0.385, 1), "39\u00a0%");
  EXPECT_EQ(FormatPercent(1.0, 2), "100\u00a0%");
}

TEST(ReportWordsTest, EveryWordExistsInEveryLanguage) {
  for (int w = 0; w < static_cast<int>(internal::Word::kCount); ++w) {
    for (int locale = 0; locale < 4; ++locale) {
      EXPECT_FALSE(internal::Say(static_cast<internal::Word>(w), locale).empty())
          << "word " << w << " locale " << locale;
    }
  }
  EXPECT_EQ(internal::Fill("side {1} af {2}", {"2", "4"}), "side 2 af 4");
}

// Releases cairo's and fontconfig's caches at exit, so leak checkers see only real leaks.
class CairoCleanup : public ::testing::Environment {
 public:
  void TearDown() override {
    cairo_debug_reset_static_data();
    FcFini();
  }
};
[[maybe_unused]] ::testing::Environment* const kCairoCleanup =
    ::testing::AddGlobalTestEnvironment(new CairoCleanup);

}  // namespace
}  // namespace salesbox::report

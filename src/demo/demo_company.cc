// SPDX-License-Identifier: MIT
// The demo company generator: a Nordic B2B seller ("Nordlys Systems", operations software and
// services) with three years of history, and the truths docs/demo-data.md documents planted in it.
//
// Design notes
//
// Shape. Five sales territories (Danmark Øst, Danmark Vest, Sverige Öst, Sverige Väst & Syd,
// Norge) with round(sqrt(scale)) teams each (at least one) of one manager and five reps; a sales
// director, a CEO, one marketer and one admin. 2,000 x scale accounts; everything else hangs off
// an account (contacts, opportunities with their history, activities, orders), except campaigns
// and leads, which come last.
//
// Determinism. Every random choice comes from internal::Random streams keyed by (seed, stream,
// item): one stream per account for its attributes, one for its contacts, one for its own
// activities, one for its orders, one for its account-plan answers, and one per opportunity for
// its plan, one for its activities, one for the next steps in its history and one for its
// scorecard answers. Nothing depends on the order in which streams are consumed, on hash-map
// iteration or on std:: distributions, so the same seed, scale and today give the same rows. The
// model works in "relative days" since the start of the window (today - 1095 days); calendar
// facts (weekends, July, quarter ends) are applied when a relative time becomes a date, and only
// through values already drawn, so the draws - and therefore which accounts are under-served,
// which rep neglects what, which deal is won - do not depend on the calendar.
//
// Streaming. Accounts are generated one at a time: the account, its contacts and its
// opportunities are inserted at once (their ids are needed by what follows), in transactions of
// about kRowsPerTransaction rows; opportunity changes, orders and activities are buffered in
// compact form (~70 bytes a row) and, every kBufferedRows rows, written sorted by time in
// transactions of the same size. Those tables have indexes on time (activities at, owner+at;
// changes changed_at; orders ordered_on) and on the account's records (account+at, contact,
// opportunity); rows in generation order append to the second kind and scatter over the first,
// rows in time order the reverse. Sorting buffers of 100,000 rows was the fastest compromise
// measured with SQLite's default 2 MB page cache (buffers of 30k, 300k and 1.5M rows were
// slower). Scorecard answers are buffered too (~32 bytes a row) but written in generation
// order, subject by subject, the order of their table's only index, and they do not count
// towards the flush threshold, so that they cannot move any other row. Memory is one buffer plus
// 16 bytes per account (for the lead phase), whatever the scale.
//
// The planted truths (numbered as in docs/demo-data.md):
//  (1) core segments: orders carry ~35% gross margin against ~20% elsewhere, and core customers
//      order more often and more per order;
//  (2) each rep states probability = stage default + a personal bias (kBaseRepBias);
//  (3) each rep neglects one scorecard area (slot + territory, mod 5), visible in the data: few
//      economic-buyer meetings, few discovery meetings before proposing, next steps missing or
//      past (in the opportunity and in every history row), competitors unknown and deep
//      discounts, or close dates pushed again and again;
//  (4) P(win) is 0.55 with both a completed economic-buyer meeting and a dated next step, 0.22
//      with one of them and 0.08 with neither;
//  (5) 24% of the long-standing customers with the highest expected margin get fewer than four
//      completed activities in the last 365 days and no new deals, other customers at least five;
//  (6) completed activities dip in July and late December; won deals bunch at quarter ends;
//      the production-planning webinar qualifies ~40% of its leads, the broad offer e-mail ~2%;
//  (7) reps answer the manual criteria of the default playbooks as deals move through the
//      stages, "yes" mostly but seldom in their neglected area, a little more often on deals
//      they will win; customers' account plans are answered in reviews, richer for the valuable
//      ones, and few and stale for the under-served of (5).
#include "demo/demo_company.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "common/check.h"
#include "common/money.h"
#include "common/status_macros.h"
#include "demo/internal/nordic_data.h"
#include "demo/internal/random.h"
#include "demo/internal/scorecard_notes.h"
#include "demo/internal/text.h"

namespace salesbox::demo {
namespace {

using internal::Random;
using internal::StreamKey;
using std::chrono::days;
using std::chrono::seconds;

// ---- Volumes ----------------------------------------------------------------------------------

constexpr double kMinScale = 0.001;
constexpr double kMaxScale = 250;  // org numbers are unique by construction up to 900,000 accounts
constexpr double kAccountsPerScale = 2000;
constexpr int kRepsPerTeam = 5;
constexpr double kHistoryDays = 3 * 365;
constexpr int64_t kRowsPerTransaction = 50000;
// History, order and activity rows held before they are written (about 70 bytes each).
constexpr int64_t kBufferedRows = 100000;
constexpr int kMaxDealsPerAccount = 60;

// ---- Random streams ---------------------------------------------------------------------------

enum Stream : uint64_t {
  kStreamAccount = 1,
  kStreamContacts = 2,
  kStreamDeal = 3,
  kStreamDealActivity = 4,
  kStreamAccountActivity = 5,
  kStreamOrders = 6,
  kStreamLead = 7,
  kStreamOrgNumbers = 8,
  kStreamDealCount = 9,
  kStreamWinOrders = 10,
  // Added after the rest: new streams leave every draw of the older ones as it was.
  kStreamDealNextSteps = 11,
  kStreamDealAnswers = 12,
  kStreamAccountAnswers = 13,
};

// ---- Scorecard areas and reps -----------------------------------------------------------------

enum Area { kRelationships, kUnderstanding, kJointProcess, kValue, kCommitment, kAreaCount };

// Optimism bias of the 25 named reps, in BaseReps() order (docs/demo-data.md, truth 2). The
// extremes are Fredrik Persson (+0.30) and Louise Pedersen (-0.15). Reps who neglect
// relationships or the joint process win less, which reads as optimism of its own (about
// +0.07), so they get biases near zero and the extremes stay the extremes when measured.
constexpr double kBaseRepBias[25] = {
    -0.02, 0.06, 0.00,  -0.15, 0.08,  // Anders, Sofie, Mikkel, Louise, Rasmus
    0.04,  0.01, 0.05,  0.07,  0.00,  // Camilla, Jesper, Line, Thomas, Signe
    -0.01, 0.02, 0.05,  0.01,  0.08,  // Erik, Anna, Johan, Emma, Oskar
    0.07,  0.30, -0.01, 0.03,  0.02,  // Elin, Fredrik, Sara, Viktor, Maja
    0.03,  0.02, 0.06,  -0.02, 0.04,  // Kari, Håkon, Silje, Eirik, Marte
};

// The area a rep neglects: each team has one rep per area, rotated between territories.
Area NeglectedArea(int group, int slot) { return static_cast<Area>((slot + group) % kAreaCount); }

struct HeadOfficeMember {
  std::string_view name;
  Role role;
  std::string_view locale;
};
constexpr HeadOfficeMember kHeadOffice[] = {
    {"Peter Lund", Role::kExecutive, "da"},
    {"Charlotte Bech", Role::kExecutive, "da"},
    {"Nanna Østergaard", Role::kMarketing, "da"},
    {"Kasper Holm", Role::kAdmin, "en"},
};
constexpr std::string_view kEmailDomain = "@demo.salesbox.example";

// ---- Accounts ---------------------------------------------------------------------------------

enum SizeBand { kSmall, kMid, kLarge, kEnterprise };
constexpr int kSizeWeights[] = {40, 35, 18, 7};
constexpr double kEmployeesLo[] = {10, 50, 250, 1000};
constexpr double kEmployeesHi[] = {49, 249, 999, 12000};
constexpr double kDealMedianDkk[] = {90e3, 220e3, 500e3, 1.1e6};
constexpr double kOrderMedianDkk[] = {12e3, 35e3, 80e3, 160e3};
constexpr double kOrdersPerYearFactor[] = {0.6, 1.0, 1.3, 1.6};
constexpr double kCycleFactor[] = {0.7, 1.0, 1.3, 1.7};
constexpr double kDealCountFactor[] = {0.7, 1.0, 1.25, 1.5};
constexpr double kPriorCustomerShare[] = {0.30, 0.40, 0.48, 0.52};
constexpr int kContactsLo[] = {2, 3, 4, 5};
constexpr int kContactsHi[] = {3, 4, 5, 6};

struct SegmentDef {
  std::string_view name;
  std::string_view rule;  // evaluated in this order; the first match wins
  bool core;
};
constexpr SegmentDef kSegments[] = {
    {"Small business", "employees<50", false},
    {"Industrial mid-market", "industry=Manufacturing;employees>=50", true},
    {"Logistics & distribution", "industry=Logistics;employees>=50", true},
    {"Energy & utilities", "industry=Energy;employees>=50", true},
    {"Public sector", "industry=Public sector", false},
    {"Retail & consumer", "industry=Retail", false},
    {"Other mid-market", "*", false},
};
constexpr int kSegmentCount = static_cast<int>(std::size(kSegments));
constexpr int kSegmentIndustrial = 1;
constexpr int kSegmentPublic = 4;

int SegmentOf(int industry, int64_t employees) {
  if (employees < 50) return 0;
  if (industry == internal::kIndustryManufacturing) return 1;
  if (industry == internal::kIndustryLogistics) return 2;
  if (industry == internal::kIndustryEnergy) return 3;
  if (industry == internal::kIndustryPublicSector) return 4;
  if (industry == internal::kIndustryRetail) return 5;
  return 6;
}

constexpr double kCoreMargin = 0.35;
constexpr double kOtherMargin = 0.20;
constexpr double kCoreOrdersPerYear = 10;
constexpr double kOtherOrdersPerYear = 6;
constexpr double kCoreOrderSize = 1.3;
constexpr double kValueSigma = 0.8;
constexpr double kOrderSigma = 0.5;
// Customers expected to earn more margin a year (DKK) than this are candidates for the planted
// under-service (truth 5); they are most of the A-customers.
constexpr double kUnderServedMarginDkk = 110e3;
constexpr double kUnderServedShare = 0.24;

// ---- Opportunities ----------------------------------------------------------------------------

constexpr double kStageDefault[5] = {0.1, 0.2, 0.4, 0.6, 0.8};
constexpr double kStageMedianDays[5] = {14, 24, 18, 15, 10};
constexpr int kLostStageWeights[5] = {35, 25, 20, 12, 8};

struct DealType {
  std::string_view name;
  std::string_view product_lines;
};
constexpr DealType kDealTypes[] = {
    {"Platform licence", "Platform"},   {"Platform + integrations", "Platform;Integrations"},
    {"Analytics add-on", "Analytics"},  {"Warehouse module", "Platform;Services"},
    {"Service agreement", "Support"},   {"Implementation project", "Services;Integrations"},
    {"Training programme", "Training"}, {"Expansion to more sites", "Platform;Support"},
    {"Pilot", "Platform;Services"},
};
constexpr std::string_view kCompetitors[] = {
    "Visma",
    "Microsoft Dynamics",
    "SAP",
    "IFS",
    "Microsoft Dynamics;Visma",
    "SAP;IFS",
    "Local partner",
    "Infor",
    "Visma;Local partner",
    "Oracle NetSuite",
};
constexpr std::string_view kWinReasons[] = {
    "Best functional fit",   "Local support and references", "Total cost of ownership",
    "Trust from management", "Fastest implementation plan",
};
constexpr std::string_view kLossReasons[] = {
    "Price",      "Chose a competitor",     "No decision / status quo",
    "Budget cut", "Postponed indefinitely", "Missing functionality",
};
constexpr std::string_view kNextSteps[5][3] = {
    {"Qualification call with the operations manager", "Send introduction material",
     "Book discovery meeting"},
    {"Discovery workshop on site", "Demo for the planning team", "Map current process with IT"},
    {"Present the proposal", "Reference visit", "Align the business case with finance"},
    {"Contract review with legal", "Final price negotiation", "Agree the implementation plan"},
    {"Signing meeting", "Board approval", "Purchase order from procurement"},
};

// ---- Scorecard answers ------------------------------------------------------------------------

// How many of an area's manual criteria (internal::kOpportunityCriteria, in that order) a deal's
// owner has answered by the end of each stage: the stage minimums of the default opportunity
// playbook (playbooks/default-opportunity.json), at most the area's manual criteria; the rest of
// a minimum is met by the auto criteria (economic buyer, next step dated, competitors, ICP fit).
constexpr int kManualCount[kAreaCount] = {0, 4, 3, 3, 3};
constexpr int kManualTarget[kAreaCount][5] = {
    {0, 0, 0, 0, 0},  // relationships: all four are auto
    {1, 2, 3, 3, 3},  // understanding
    {0, 1, 2, 3, 3},  // joint process
    {0, 1, 2, 3, 3},  // value
    {1, 1, 2, 3, 3},  // commitment
};
// P(yes) for an area's criterion on a deal where the area is done well (the plan's flag) and
// where it is not; a rep's neglected area halves it; deals that will be won get a little more.
constexpr double kYesDone = 0.85;
constexpr double kYesNotDone = 0.3;
constexpr double kYesNeglectFactor = 0.5;
constexpr double kYesWonBonus = 0.07;
// Account reviews in the last two years by expected margin: high (>= kUnderServedMarginDkk),
// mid (>= 40k DKK), low: review slots, P(a slot has a review), P(a criterion is answered in
// it) and P(yes).
constexpr int kReviewSlots[3] = {4, 2, 1};
constexpr double kReviewHeld[3] = {0.85, 0.7, 0.45};
constexpr double kReviewAnswered[3] = {0.85, 0.6, 0.45};
constexpr double kReviewYes[3] = {0.78, 0.68, 0.6};
constexpr double kAnswerWindowDays = 730;

// ---- Activities -------------------------------------------------------------------------------

constexpr std::string_view kOutcomes[7][4] = {
    {"Connected", "Left voicemail", "No answer", "Follow-up agreed"},    // call
    {"Held", "Next meeting booked", "Positive", "Objections raised"},    // meeting
    {"Sent", "Replied", "No reply", "Sent"},                             // email
    {"Sent", "Presented", "Sent", "Presented"},                          // proposal
    {"Held", "Positive", "Needs follow-up", "Held"},                     // demo
    {"Attended", "Attended", "Registered, did not attend", "Attended"},  // event
    {"Done", "Done", "Done", "Done"},                                    // task
};
constexpr std::string_view kNotes[7][4] = {
    {"Checked status", "Discussed timeline", "Qualified need and budget", "Followed up"},
    {"Walked through their planning process", "Discussed priorities for next year",
     "Reviewed open issues", "Introduced our specialist"},
    {"Sent material", "Sent summary of the meeting", "Sent case study", "Sent agenda"},
    {"Proposal with two options", "Revised proposal", "Proposal incl. services", "Proposal"},
    {"Demo of planning module", "Demo for IT", "Demo of analytics", "Hands-on demo"},
    {"Customer day", "Trade show stand visit", "Webinar", "Seminar"},
    {"Update account plan", "Prepare business review", "Check references", "Internal handover"},
};

// ---- Campaigns --------------------------------------------------------------------------------

enum CampaignQuality { kOrdinary, kWorks, kFails };

struct CampaignDef {
  std::string_view title;
  CampaignChannel channel;
  int offset_days;  // start, in days before the same date 0, 1 or 2 years before today
  int length_days;
  int64_t cost_dkk;
  int leads;  // at scale 1
  CampaignQuality quality;
  int segment;  // target segment index, -1 for none
  int country;  // -1: all countries
  bool with_month;
};
constexpr CampaignDef kCampaignDefs[] = {
    {"Newsletter", CampaignChannel::kEmail, 300, 7, 15000, 110, kOrdinary, -1, -1, true},
    {"Newsletter", CampaignChannel::kEmail, 120, 7, 15000, 110, kOrdinary, -1, -1, true},
    {"Broad offer e-mail", CampaignChannel::kEmail, 200, 10, 25000, 160, kFails, -1, -1, true},
    {"Webinar: Smarter production planning", CampaignChannel::kWebinar, 230, 1, 40000, 60, kWorks,
     kSegmentIndustrial, -1, true},
    {"Webinar: Digital public services", CampaignChannel::kWebinar, 260, 1, 40000, 40, kOrdinary,
     kSegmentPublic, -1, true},
    {"Customer day", CampaignChannel::kEvent, 150, 1, 120000, 35, kOrdinary, -1, -1, false},
    {"Industri & Logistik-messen, Herning", CampaignChannel::kTradeShow, 180, 3, 250000, 100,
     kOrdinary, -1, 0, false},
    {"Tillverkningsmässan, Göteborg", CampaignChannel::kTradeShow, 90, 3, 250000, 100, kOrdinary,
     -1, 1, false},
    {"Industrimessen, Lillestrøm", CampaignChannel::kTradeShow, 24, 3, 220000, 100, kOrdinary, -1,
     2, false},
};
constexpr int kCampaignYears = 3;
constexpr int kWebLeadsPerYear = 200;
constexpr int kReferralLeadsPerYear = 60;
constexpr std::string_view kMonthNames[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// ---- Generator state --------------------------------------------------------------------------

struct Rep {
  UserId id;
  int group = 0;
  double bias = 0;
  Area neglect = kRelationships;
};

// What the lead phase needs to know about an account.
struct AccountBrief {
  int64_t id = 0;
  int32_t rep = 0;
  uint8_t segment = 0;
  uint8_t flags = 0;
};
constexpr uint8_t kBriefUnderServed = 1;
constexpr uint8_t kBriefCustomer = 2;

struct AccountAttributes {
  int region = 0;
  int country = 0;
  int group = 0;
  int industry = 0;
  int size = 0;
  int segment = 0;
  int64_t employees = 0;
  int rep = 0;  // index into reps_
  std::string name;
  std::string domain;
  bool prior_customer = false;
  bool churn = false;
  double churn_rel = 0;
  double start_rel = 0;  // enters the CRM; 0 for accounts older than the window
  double created_days_before = 0;
  double value_level = 1;
  double margin_offset = 0;
  double orders_per_year = 0;
  double order_median_dkk = 0;
  double expected_margin_dkk = 0;  // a year, as a customer
  bool has_economic_buyer = true;
  bool under_served = false;
};

enum class EventKind : uint8_t { kCreate, kStage, kAmount, kCloseDate, kWon, kLost };

struct DealEvent {
  double t = 0;
  EventKind kind = EventKind::kCreate;
  int stage = 0;     // the new stage (kStage); for kAmount -1 marks a discount
  double value = 0;  // kStage: probability; kAmount: new amount in DKK, or the discount as a
                     // fraction when stage is -1; kCloseDate: the new close (relative day)
};

struct DealPlan {
  double t0 = 0;
  double stage_start[5] = {};
  double tc = 0;            // when it closes (may be after today: then it is open)
  double active_until = 0;  // the last day anyone works on it (before tc for lingering deals)
  int last_stage = 0;
  bool won = false;
  bool relationship = false;   // met the economic buyer
  bool joint_process = false;  // dated next steps
  bool understanding = false;  // discovery before proposing
  bool value = false;          // competitors known, little discounting
  bool commitment = false;     // realistic close dates
  double amount0_dkk = 0;
  double probability[5] = {};
  double close0 = 0;
  double eb_meeting = -1;
  int deal_type = 0;
  int competitors = -1;
  int reason = 0;
  int next_step = 0;
  double next_step_u = 0;
  double next_step_days = 0;
  double omitted_u = 0;
  std::vector<DealEvent> events;
};

constexpr int32_t kNoDay = std::numeric_limits<int32_t>::min();

struct PendingChange {
  int64_t at = 0;  // seconds since the epoch
  int64_t seq = 0;
  int64_t opportunity = 0;
  int64_t amount_minor = 0;
  int64_t owner = 0;
  double probability = 0;
  int32_t close_day = 0;           // days since the epoch
  int32_t next_step_day = kNoDay;  // days since the epoch, or kNoDay
  uint8_t stage = 0;
  uint8_t currency = 0;
};

// A scorecard answer; the note is written from (criterion, answer, language, day) when stored.
struct PendingAnswer {
  int64_t at = 0;  // seconds since the epoch
  int64_t subject = 0;
  int64_t owner = 0;
  uint8_t account = 0;    // subject type: 0 opportunity, 1 account
  uint8_t criterion = 0;  // index into internal::kOpportunityCriteria or kAccountCriteria
  uint8_t answer = 0;     // Answer
  uint8_t language = 0;   // 0..2 the country's language, internal::kEnglish
};

struct PendingOrder {
  int64_t seq = 0;
  int64_t account = 0;
  int64_t revenue_minor = 0;
  int64_t margin_minor = 0;
  int32_t day = 0;
  uint8_t currency = 0;
};

struct PendingActivity {
  int64_t at = 0;
  int64_t seq = 0;
  int64_t created_at = 0;
  int64_t account = 0;
  int64_t contact = 0;
  int64_t opportunity = 0;
  int64_t lead = 0;
  int64_t owner = 0;
  uint8_t type = 0;
  uint8_t completed = 0;
  uint8_t outcome = 0;
  uint8_t note = 0;
};

struct ContactRef {
  int64_t id = 0;
  BuyingRole role = BuyingRole::kUnknown;
};

double Clamp(double x, double lo, double hi) { return std::min(hi, std::max(lo, x)); }

// A probability as reps type it: a multiple of 0.05 in [0.05, 0.95].
double StatedProbability(double p) { return Clamp(std::round(p * 20) / 20, 0.05, 0.95); }

int64_t Seconds(Timestamp t) { return t.time_since_epoch().count(); }
Timestamp FromSeconds(int64_t s) { return Timestamp(seconds(s)); }
int32_t DayNumber(Date d) { return static_cast<int32_t>(d.time_since_epoch().count()); }
Date FromDayNumber(int32_t d) { return Date(days(d)); }

class Generator {
 public:
  Generator(storage::Store& store, const DemoOptions& options)
      : store_(store),
        options_(options),
        seed_(options.seed),
        window_start_(options.today - days(static_cast<int>(kHistoryDays))),
        now_(StartOf(options.today)),
        today_rel_(kHistoryDays) {
    const double scale = options.scale;
    account_count_ = std::max<int64_t>(1, std::llround(kAccountsPerScale * scale));
    teams_per_group_ = std::max(1, static_cast<int>(std::lround(std::sqrt(scale))));
    // Above scale 1 the mix shifts towards the benchmark shape the issue asks for (scale 100:
    // ~1M opportunities, ~10M activities): more deals per account, fewer logged touches each.
    const double mix = Clamp(std::log10(std::max(scale, 1.0)) / 2, 0, 1);
    deal_count_factor_ = 1 + 0.7 * mix;
    activity_factor_ = 1 - 0.85 * mix;
    // ... and the larger company took up scorecards later: at scale 100 deals worked to an end
    // more than 18 months before today have none (scale 1: every deal has its answers).
    answers_from_rel_ = mix > 0 ? 545.0 * mix : -1.0;
    for (const internal::RegionData& region : internal::Regions()) {
      region_weights_.push_back(region.weight);
    }
    for (int c = 0; c < internal::kCountries; ++c) {
      currencies_[c] = *Currency::Parse(internal::Country(c).currency);
    }
    dkk_ = currencies_[0];
    org_salt_ = StreamKey(seed_, kStreamOrgNumbers, 0);
    for (int i = 0; i < static_cast<int>(internal::Regions().size()); ++i) {
      regions_by_country_[static_cast<size_t>(internal::Regions()[static_cast<size_t>(i)].country)]
          .push_back(i);
    }
  }

  Result<DemoSummary> Run();

 private:
  Status CheckEmpty();
  Status CreateOrganisation(storage::Store& s);
  Status CreateCampaigns(storage::Store& s);
  Status CreateCascade(storage::Store& s);
  Status GenerateAccounts();
  Status GenerateAccount(storage::Store& s, int64_t index);
  Status GenerateLeads();
  Status GenerateLead(storage::Store& s, int64_t index, int campaign, LeadSource source, double lo,
                      double hi);
  // Writes the buffered history, orders and activities, sorted by time, in transactions of
  // kRowsPerTransaction rows.
  Status FlushBuffers();
  // Writes the buffered scorecard answers in generation order (subject by subject, the order of
  // the table's only index). They are not counted in Buffered(): when the other buffers are
  // flushed, and so the ids of their rows, does not depend on them.
  Status FlushAnswers();
  int64_t Buffered() const {
    return static_cast<int64_t>(changes_.size() + orders_.size() + activities_.size());
  }

  void MakeAccountAttributes(int64_t index, AccountAttributes* a);
  void MakeCompanyName(Random& r, int country, int region, int industry, int size,
                       std::string* name, std::string* domain);
  void PlanDeal(int64_t index, int d, const AccountAttributes& a, double lo, double hi,
                DealPlan* plan);
  Status EmitDeal(storage::Store& s, int64_t index, int d, const AccountAttributes& a,
                  AccountId account, const DealPlan& plan);
  // The next-step date after each history row in change_rows_ (truth 3); the last row gets
  // `current`, the opportunity's own.
  void HistoryNextSteps(int64_t index, int d, const DealPlan& plan, std::optional<Date> current);
  // The owner's dated answers to the deal's manual scorecard criteria, stage by stage, strictly
  // after `created` and before `end` (the close, or today).
  void DealAnswers(int64_t index, int d, const AccountAttributes& a, const DealPlan& plan,
                   int64_t opportunity, Timestamp created, Timestamp end);
  // A customer's account-plan answers from its reviews in the last two years (truth 5).
  void AccountAnswers(int64_t index, const AccountAttributes& a, AccountId account,
                      double customer_from);
  // Moves the scratch answers, sorted by time, to the write buffer.
  void TakeAnswers();
  void AccountActivities(int64_t index, const AccountAttributes& a, AccountId account,
                         bool customer, double customer_from, double customer_until);
  void Orders(int64_t index, const AccountAttributes& a, AccountId account, bool customer,
              double order_from, double order_until, double last_win);

  // Relative days to calendar: weekends fold onto the nearest working day on the same side of
  // today, working hours are 07:00-16:00 UTC; monotone in `rel`.
  Timestamp At(double rel) const;
  Date DayOf(double rel) const {
    return window_start_ + days(static_cast<int64_t>(std::floor(rel)));
  }
  // True when an optional touch at `rel` is dropped for the summer or Christmas holidays; `u` is
  // a uniform drawn whether or not it is used.
  bool Holiday(double rel, double u) const;

  // Consumes the draws AddActivity would have made, for an activity that is dropped.
  static void SkipActivityDraws(Random& r) {
    for (int i = 0; i < 4; ++i) (void)r.Uniform();
  }
  void AddActivity(Random& r, double rel, ActivityType type, int64_t account, int64_t contact,
                   int64_t opportunity, int64_t lead, int64_t owner, double left_planned);
  int64_t PickContact(Random& r, bool economic_buyer_allowed) const;
  int64_t EconomicBuyer() const;
  void Progress(const std::string& line) const {
    if (options_.progress) options_.progress(line);
  }

  storage::Store& store_;
  const DemoOptions& options_;
  const uint64_t seed_;
  const Date window_start_;
  const Timestamp now_;
  const double today_rel_;
  int64_t account_count_ = 0;
  int teams_per_group_ = 1;
  double deal_count_factor_ = 1;
  double activity_factor_ = 1;
  double answers_from_rel_ = -1;  // deals active only before this relative day get no answers
  std::vector<int> region_weights_;
  std::array<Currency, internal::kCountries> currencies_;
  Currency dkk_;
  uint64_t org_salt_ = 0;
  std::array<std::vector<int>, internal::kCountries> regions_by_country_;

  std::vector<Rep> reps_;  // group-major: group, team, slot
  std::vector<SegmentId> segment_ids_;
  struct CampaignInfo {
    CampaignId id;
    int def = 0;
    double start_rel = 0;
    double end_rel = 0;
  };
  std::vector<CampaignInfo> campaigns_;
  std::vector<AccountBrief> briefs_;

  // Per-account scratch, reused.
  AccountAttributes attributes_;
  AccountAttributes other_attributes_;
  std::vector<ContactRef> contacts_;
  std::vector<DealPlan> deals_;
  struct ChangeRow {
    Timestamp at;
    Stage stage;
    double amount_dkk;
    double probability;
    double close_rel;
    double t;               // the event's relative day
    int32_t next_step_day;  // kNoDay: none
  };
  std::vector<ChangeRow> change_rows_;
  std::vector<PendingAnswer> subject_answers_;
  Account account_;
  Contact contact_;
  Opportunity opportunity_;
  Lead lead_;

  // Rows written in the current transaction, and rows buffered for FlushBuffers.
  std::vector<PendingChange> changes_;
  std::vector<PendingOrder> orders_;
  std::vector<PendingActivity> activities_;
  std::vector<PendingAnswer> answers_;
  int64_t rows_in_transaction_ = 0;
  int64_t seq_ = 0;

  // Record numbers for external ids.
  int64_t contact_number_ = 0;
  int64_t opportunity_number_ = 0;
  int64_t activity_number_ = 0;
  int64_t order_number_ = 0;
  int64_t lead_number_ = 0;

  DemoSummary summary_;
};

// ---- Time -------------------------------------------------------------------------------------

Timestamp Generator::At(double rel) const {
  const double day_floor = std::floor(rel);
  const double frac = rel - day_floor;
  Date date = window_start_ + days(static_cast<int64_t>(day_floor));
  const unsigned weekday = std::chrono::weekday(date).c_encoding();  // 0 Sunday .. 6 Saturday
  double hour = 7 + 9 * frac;
  if (weekday == 6 || weekday == 0) {
    const bool past = rel < today_rel_;
    const double half = weekday == 6 ? 0.0 : 0.5;
    if (past) {
      date -= days(weekday == 6 ? 1 : 2);  // Friday, after hours
      hour = 16 + half + 0.5 * frac;
    } else {
      date += days(weekday == 6 ? 2 : 1);  // Monday, before hours
      hour = 6 + half + 0.5 * frac;
    }
  }
  const int64_t minute = static_cast<int64_t>(hour * 60);
  return StartOf(date) + seconds(minute * 60);
}

bool Generator::Holiday(double rel, double u) const {
  const std::chrono::year_month_day ymd{DayOf(rel)};
  const unsigned month = static_cast<unsigned>(ymd.month());
  if (month == 7) return u < 0.65;
  if (month == 12 && static_cast<unsigned>(ymd.day()) >= 20) return u < 0.6;
  return false;
}

// ---- Organisation -----------------------------------------------------------------------------

void SetEmail(std::string_view name, std::string* out) {
  out->clear();
  const size_t space = name.find(' ');
  internal::AppendAsciiLower(name.substr(0, space), out);
  if (space != std::string_view::npos) {
    out->push_back('.');
    internal::AppendAsciiLower(name.substr(space + 1), out, '\0', true);
  }
  out->append(kEmailDomain);
}

Status Generator::CheckEmpty() {
  const storage::ListQuery all;
  SB_ASSIGN_OR_RETURN(const int64_t users, store_.users().Count(all));
  SB_ASSIGN_OR_RETURN(const int64_t teams, store_.teams().Count(all));
  SB_ASSIGN_OR_RETURN(const int64_t segments, store_.segments().Count(all));
  SB_ASSIGN_OR_RETURN(const int64_t accounts, store_.accounts().Count(all));
  SB_ASSIGN_OR_RETURN(const int64_t campaigns, store_.campaigns().Count(all));
  SB_ASSIGN_OR_RETURN(const int64_t leads, store_.leads().Count(all));
  if (users + teams + segments + accounts + campaigns + leads > 0) {
    return Status::FailedPrecondition("demo: the database is not empty (" + std::to_string(users) +
                                      " users, " + std::to_string(accounts) +
                                      " accounts); generate the demo into a new database");
  }
  return Status::Ok();
}

Status Generator::CreateOrganisation(storage::Store& s) {
  const Timestamp hired = StartOf(window_start_ - days(400));
  std::unordered_set<std::string> emails;
  User user;
  user.created_at = hired;
  user.updated_at = hired;
  std::string email;

  // Generated staff for the teams beyond the first of each territory: the country's first names
  // and surnames, paired by a fixed permutation of all pairs, so that they do not depend on the
  // seed and do not repeat.
  std::array<int64_t, internal::kCountries> name_counter{};
  auto next_generated_name = [&](int country) {
    const internal::CountryData& c = internal::Country(country);
    const int64_t firsts = static_cast<int64_t>(c.first_names.size());
    const int64_t pairs = firsts * static_cast<int64_t>(c.surnames.size());
    std::string name;
    for (;;) {
      const int64_t k = name_counter[static_cast<size_t>(country)]++;
      const int64_t pair = (k * 1009 + 17) % pairs;  // 1009 is a prime no list size divides
      name.assign(c.first_names[static_cast<size_t>(pair % firsts)]);
      name.push_back(' ');
      name.append(c.surnames[static_cast<size_t>(pair / firsts)]);
      if (k >= pairs) name += " " + std::to_string(k / pairs + 1);
      SetEmail(name, &email);
      if (!emails.contains(email)) return name;
    }
  };

  auto add_user = [&](std::string_view name, Role role, std::optional<TeamId> team,
                      std::string_view locale) -> Result<UserId> {
    SetEmail(name, &email);
    SB_CHECK(emails.insert(email).second);
    user.email = email;
    user.name.assign(name);
    user.role = role;
    user.team_id = team;
    user.locale.assign(locale);
    user.password_hash.clear();
    user.active = true;
    Result<UserId> id = s.users().Insert(user);
    if (id.ok()) ++summary_.users;
    return id;
  };

  for (int g = 0; g < internal::kTeamGroups; ++g) {
    const internal::TeamGroupData& group = internal::TeamGroup(g);
    const internal::CountryData& country = internal::Country(group.country);
    for (int t = 0; t < teams_per_group_; ++t) {
      Team team;
      team.name.assign(group.name);
      if (teams_per_group_ > 1) team.name += " " + std::to_string(t + 1);
      team.created_at = hired;
      team.updated_at = hired;
      SB_ASSIGN_OR_RETURN(team.id, s.teams().Insert(team));
      ++summary_.teams;

      const std::string manager_name =
          t == 0 ? std::string(internal::BaseManagers()[static_cast<size_t>(g)])
                 : next_generated_name(group.country);
      SB_ASSIGN_OR_RETURN(const UserId manager,
                          add_user(manager_name, Role::kManager, team.id, country.locale));
      team.manager_id = manager;
      team.version = 1;
      SB_RETURN_IF_ERROR(s.teams().Update(team));
      if (g == 0 && t == 0) {
        summary_.logins.push_back({email, manager_name, "manager", team.name});
      }
      for (int slot = 0; slot < kRepsPerTeam; ++slot) {
        const std::string rep_name =
            t == 0 ? std::string(internal::BaseReps()[static_cast<size_t>(g * kRepsPerTeam + slot)])
                   : next_generated_name(group.country);
        SB_ASSIGN_OR_RETURN(const UserId id,
                            add_user(rep_name, Role::kRep, team.id, country.locale));
        Rep rep;
        rep.id = id;
        rep.group = g;
        rep.neglect = NeglectedArea(g, slot);
        if (t == 0) {
          rep.bias = kBaseRepBias[g * kRepsPerTeam + slot];
        } else {
          // Generated reps: a bias in [0, 0.12] fixed by their position.
          const uint64_t key = StreamKey(0, 99, static_cast<uint64_t>(reps_.size()));
          rep.bias = 0.12 * static_cast<double>(key >> 11) * 0x1.0p-53;
        }
        reps_.push_back(rep);
        if (g == 0 && t == 0 && slot == 0) {
          summary_.logins.insert(summary_.logins.begin(), {email, rep_name, "rep", team.name});
        }
      }
    }
  }
  bool executive_listed = false;
  for (const HeadOfficeMember& member : kHeadOffice) {
    SB_RETURN_IF_ERROR(add_user(member.name, member.role, std::nullopt, member.locale).status());
    const std::string_view role = ToString(member.role);
    if (member.role != Role::kExecutive || !executive_listed) {
      summary_.logins.push_back({email, std::string(member.name), std::string(role), ""});
      executive_listed = executive_listed || member.role == Role::kExecutive;
    }
  }

  Segment segment;
  segment.created_at = hired;
  segment.updated_at = hired;
  for (const SegmentDef& def : kSegments) {
    segment.name.assign(def.name);
    segment.rule.assign(def.rule);
    segment.core = def.core;
    SB_ASSIGN_OR_RETURN(const SegmentId id, s.segments().Insert(segment));
    segment_ids_.push_back(id);
    ++summary_.segments;
  }
  return CreateCampaigns(s);
}

Status Generator::CreateCampaigns(storage::Store& s) {
  Campaign campaign;
  int64_t number = 0;
  for (int y = kCampaignYears - 1; y >= 0; --y) {
    for (int def_index = 0; def_index < static_cast<int>(std::size(kCampaignDefs)); ++def_index) {
      const CampaignDef& def = kCampaignDefs[def_index];
      const double start_rel = today_rel_ - 365.0 * y - def.offset_days;
      if (start_rel < 0) continue;
      const Date start = DayOf(start_rel);
      const Date end = start + days(def.length_days - 1);
      const std::chrono::year_month_day ymd{start};
      campaign.name.assign(def.title);
      campaign.name.push_back(' ');
      if (def.with_month) {
        campaign.name.append(kMonthNames[static_cast<unsigned>(ymd.month()) - 1]);
        campaign.name.push_back(' ');
      }
      campaign.name += std::to_string(static_cast<int>(ymd.year()));
      internal::SetRecordNumber("CMP-", ++number, 3, &campaign.external_id);
      campaign.segment_id =
          def.segment >= 0
              ? std::optional<SegmentId>(segment_ids_[static_cast<size_t>(def.segment)])
              : std::nullopt;
      campaign.channel = def.channel;
      campaign.start_on = start;
      campaign.end_on = end;
      campaign.cost = Money{def.cost_dkk * 100, dkk_};
      campaign.created_at = At(start_rel - 30);
      campaign.updated_at = At(start_rel + def.length_days);
      if (campaign.updated_at > now_) campaign.updated_at = now_;
      SB_ASSIGN_OR_RETURN(const CampaignId id, s.campaigns().Insert(campaign));
      campaigns_.push_back({id, def_index, start_rel, start_rel + def.length_days});
      ++summary_.campaigns;
    }
  }
  return Status::Ok();
}

// ---- Accounts ---------------------------------------------------------------------------------

void Generator::MakeCompanyName(Random& r, int country, int region, int industry, int size,
                                std::string* name, std::string* domain) {
  const internal::CountryData& c = internal::Country(country);
  const internal::RegionData& reg = internal::Regions()[static_cast<size_t>(region)];
  const std::string_view city = r.Pick(reg.cities);
  const double pattern = r.Uniform();
  name->clear();
  domain->clear();
  if (industry == internal::kIndustryPublicSector) {
    const std::string_view body = r.Pick(c.public_bodies);
    name->append(city);
    name->push_back(' ');
    name->append(c.municipality);
    name->append(", ");
    name->append(body);
    internal::AppendAsciiLower(city, domain);
    if (country == 2) domain->append(".kommune");
  } else {
    std::string_view first;
    if (pattern < 0.35) {
      first = r.Pick(c.surnames);
    } else if (pattern < 0.65) {
      first = city;
    } else {
      first = r.Pick(c.name_prefixes);
    }
    const std::string_view noun = r.Pick(internal::IndustryNouns(country, industry));
    name->append(first);
    name->push_back(' ');
    name->append(noun);
    name->push_back(' ');
    name->append(size >= kLarge ? c.large_legal_form : c.small_legal_form);
    internal::AppendAsciiLower(first, domain);
    internal::AppendAsciiLower(noun, domain);
  }
  domain->push_back('.');
  domain->append(c.tld);
}

void Generator::MakeAccountAttributes(int64_t index, AccountAttributes* a) {
  Random r(StreamKey(seed_, kStreamAccount, static_cast<uint64_t>(index)));
  a->region = r.Weighted(std::span<const int>(region_weights_));
  const internal::RegionData& region = internal::Regions()[static_cast<size_t>(a->region)];
  a->country = region.country;
  a->group = region.team_group;
  a->industry = r.Weighted(internal::IndustryWeights());
  a->size = r.Weighted(std::span<const int>(kSizeWeights));
  const double upsize = r.Uniform();
  if (a->industry == internal::kIndustryPublicSector && a->size == kSmall && upsize < 0.6) {
    a->size = kMid;
  }
  a->employees = std::llround(
      std::exp(r.Uniform(std::log(kEmployeesLo[a->size]), std::log(kEmployeesHi[a->size]))));
  a->segment = SegmentOf(a->industry, a->employees);
  const int team = static_cast<int>(r.Below(teams_per_group_));
  const int slot = static_cast<int>(r.Below(kRepsPerTeam));
  a->rep = (a->group * teams_per_group_ + team) * kRepsPerTeam + slot;
  MakeCompanyName(r, a->country, a->region, a->industry, a->size, &a->name, &a->domain);

  const double prior = r.Uniform();
  const double churn = r.Uniform();
  const double churn_at = r.Uniform();
  const double late_start = r.Uniform();
  const double start_at = r.Uniform();
  a->prior_customer = prior < kPriorCustomerShare[a->size];
  a->churn = a->prior_customer && churn < 0.12;
  a->churn_rel = 120 + churn_at * (today_rel_ - 420 - 120);
  a->start_rel = !a->prior_customer && late_start < 0.3 ? start_at * 1000 : 0;
  a->created_days_before = r.Uniform(30, 2500);
  a->value_level = r.LogNormal(-kValueSigma * kValueSigma / 2, kValueSigma);
  a->margin_offset = r.Normal(0, 0.03);
  a->has_economic_buyer = r.Chance(0.92);
  const double under_served = r.Uniform();

  const bool core = kSegments[a->segment].core;
  a->orders_per_year =
      (core ? kCoreOrdersPerYear : kOtherOrdersPerYear) * kOrdersPerYearFactor[a->size];
  a->order_median_dkk = kOrderMedianDkk[a->size] * a->value_level * (core ? kCoreOrderSize : 1.0);
  a->expected_margin_dkk = a->orders_per_year * a->order_median_dkk *
                           std::exp(kOrderSigma * kOrderSigma / 2) *
                           (core ? kCoreMargin : kOtherMargin);
  a->under_served = a->prior_customer && !a->churn &&
                    a->expected_margin_dkk >= kUnderServedMarginDkk &&
                    under_served < kUnderServedShare;
}

int64_t Generator::EconomicBuyer() const {
  for (const ContactRef& c : contacts_) {
    if (c.role == BuyingRole::kEconomicBuyer) return c.id;
  }
  return 0;
}

int64_t Generator::PickContact(Random& r, bool economic_buyer_allowed) const {
  // Draws once whatever the contacts are.
  const double u = r.Uniform();
  int eligible = 0;
  for (const ContactRef& c : contacts_) {
    if (economic_buyer_allowed || c.role != BuyingRole::kEconomicBuyer) ++eligible;
  }
  if (eligible == 0) return 0;
  int k = static_cast<int>(u * eligible);
  for (const ContactRef& c : contacts_) {
    if (!economic_buyer_allowed && c.role == BuyingRole::kEconomicBuyer) continue;
    if (k-- == 0) return c.id;
  }
  return 0;
}

void Generator::AddActivity(Random& r, double rel, ActivityType type, int64_t account,
                            int64_t contact, int64_t opportunity, int64_t lead, int64_t owner,
                            double left_planned) {
  const double u_left = r.Uniform();
  const double u_booked = r.Uniform();
  const int outcome = static_cast<int>(r.Below(4));
  const int note = static_cast<int>(r.Below(4));
  PendingActivity& a = activities_.emplace_back();
  const Timestamp at = At(rel);
  a.at = Seconds(at);
  a.seq = seq_++;
  a.account = account;
  a.contact = contact;
  a.opportunity = opportunity;
  a.lead = lead;
  a.owner = owner;
  a.type = static_cast<uint8_t>(type);
  a.completed = rel < today_rel_ && u_left >= left_planned;
  a.outcome = static_cast<uint8_t>(outcome);
  a.note = static_cast<uint8_t>(note);
  const bool booked = type == ActivityType::kMeeting || type == ActivityType::kDemo ||
                      type == ActivityType::kEvent || !a.completed;
  int64_t created = a.at;
  if (booked) created -= static_cast<int64_t>((1 + 13 * u_booked) * 86400);
  if (created > Seconds(now_) - 3600)
    created = Seconds(now_) - 3600 - static_cast<int64_t>(u_booked * 86400);
  a.created_at = created;
}

void Generator::PlanDeal(int64_t index, int d, const AccountAttributes& a, double lo, double hi,
                         DealPlan* p) {
  Random r(
      StreamKey(seed_, kStreamDeal, static_cast<uint64_t>(index) * 256 + static_cast<uint64_t>(d)));
  const Rep& rep = reps_[static_cast<size_t>(a.rep)];
  // Every fixed-count draw comes first; the close-date pushes, whose number depends on the
  // calendar-shaped close, come last, so that the calendar cannot shift any other draw.
  // The company grows: more deals are opened lately than three years ago.
  p->t0 = lo + (hi - lo) * std::pow(r.Uniform(), 0.75);
  p->relationship = r.Chance(rep.neglect == kRelationships ? 0.12 : 0.6) && a.has_economic_buyer;
  p->joint_process = r.Chance(rep.neglect == kJointProcess ? 0.2 : 0.65);
  p->understanding = r.Chance(rep.neglect == kUnderstanding ? 0.15 : 0.8);
  p->value = r.Chance(rep.neglect == kValue ? 0.15 : 0.8);
  p->commitment = r.Chance(rep.neglect == kCommitment ? 0.1 : 0.85);
  const double p_win = p->relationship && p->joint_process   ? 0.55
                       : p->relationship || p->joint_process ? 0.22
                                                             : 0.08;
  p->won = r.Chance(p_win);
  const int lost_stage = r.Weighted(std::span<const int>(kLostStageWeights));
  p->last_stage = p->won ? 4 : lost_stage;
  double duration[5];
  for (int s = 0; s < 5; ++s) {
    double median = kStageMedianDays[s] * kCycleFactor[a.size];
    if (s == 1 && !p->understanding) median *= 0.35;
    duration[s] = r.LogNormalMedian(median, 0.5);
  }
  const double lost_part = r.Uniform(0.3, 1.2);
  const double quarter_u = r.Uniform();
  p->amount0_dkk = Clamp(r.LogNormalMedian(kDealMedianDkk[a.size], 0.55), 50e3, 2e6);
  for (int s = 0; s < 5; ++s) {
    p->probability[s] = StatedProbability(kStageDefault[s] + rep.bias + r.Normal(0, 0.03));
  }
  const double close_factor = p->commitment ? r.Uniform(0.9, 1.4) : r.Uniform(0.25, 0.5);
  const double eb_u = r.Uniform(0.05, 0.9);
  p->deal_type = static_cast<int>(r.Below(static_cast<int64_t>(std::size(kDealTypes))));
  const double competitors_u = r.Uniform();
  const int competitors = static_cast<int>(r.Below(static_cast<int64_t>(std::size(kCompetitors))));
  p->competitors = competitors_u < (p->value ? 0.85 : 0.12) ? competitors : -1;
  p->reason = static_cast<int>(r.Below(30));
  p->next_step = static_cast<int>(r.Below(3));
  p->next_step_u = r.Uniform();
  p->next_step_days = r.Uniform();
  p->omitted_u = r.Uniform();
  const double scope_u = r.Uniform();
  const double scope_t = r.Uniform(0.1, 0.5);
  const double scope_f = r.Uniform(0.85, 1.3);
  const double discount_u = r.Uniform();
  const double discount_t = r.Uniform(0.2, 0.8);
  const double discount = p->value ? r.Uniform(0.05, 0.1) : r.Uniform(0.12, 0.25);
  const double linger_u = r.Uniform();
  const double linger_days = r.Uniform(45, 180);

  p->stage_start[0] = p->t0;
  for (int s = 1; s <= p->last_stage; ++s) {
    p->stage_start[s] = p->stage_start[s - 1] + duration[s - 1];
  }
  p->tc =
      p->stage_start[p->last_stage] + (p->won ? duration[4] : duration[p->last_stage] * lost_part);
  // Some lost deals linger in the pipeline, untouched, long before anyone closes them - more so
  // for reps without a joint process.
  p->active_until = p->tc;
  if (!p->won && linger_u < (p->joint_process ? 0.2 : 0.4)) p->tc += linger_days;
  // Won deals bunch at quarter ends: one that would close within five weeks before a quarter
  // ends is signed in its last days instead.
  if (p->won) {
    const std::chrono::year_month_day ymd{DayOf(p->tc)};
    const unsigned quarter_end_month = (static_cast<unsigned>(ymd.month()) - 1) / 3 * 3 + 3;
    const Date quarter_end = Date(std::chrono::year_month_day_last(
        ymd.year(), std::chrono::month_day_last(std::chrono::month(quarter_end_month))));
    const int64_t left = (quarter_end - DayOf(p->tc)).count();
    const int64_t pull = left - static_cast<int64_t>(quarter_u * 4);
    if (left <= 35 && pull > 0) p->tc += static_cast<double>(pull);
  }
  double planned = 0;
  for (int s = 0; s < 5; ++s) planned += kStageMedianDays[s] * kCycleFactor[a.size];
  p->close0 = p->t0 + planned * close_factor;
  if (p->relationship) {
    // Met once the deal is serious: in propose or later when it gets that far.
    const double from = p->last_stage >= 2   ? p->stage_start[2]
                        : p->last_stage >= 1 ? p->stage_start[1]
                                             : p->t0;
    p->eb_meeting = from + (std::max(p->active_until, from + 0.1) - from) * eb_u;
  } else {
    p->eb_meeting = -1;
  }

  // The history, in the order things happen.
  std::vector<DealEvent>& ev = p->events;
  ev.clear();
  ev.push_back({p->t0, EventKind::kCreate, 0, 0});
  for (int s = 1; s <= p->last_stage; ++s) {
    ev.push_back({p->stage_start[s], EventKind::kStage, s, p->probability[s]});
  }
  if (p->last_stage >= 2 && scope_u < 0.4) {
    const double t = p->stage_start[2] + duration[2] * scope_t;
    if (t < p->tc) ev.push_back({t, EventKind::kAmount, 0, p->amount0_dkk * scope_f});
  }
  if (p->last_stage >= 3 && discount_u < (p->value ? 0.15 : 0.7)) {
    const double t = p->stage_start[3] + duration[3] * discount_t;
    if (t < p->tc) ev.push_back({t, EventKind::kAmount, -1, discount});
  }
  // Close-date pushes: a committed deal is moved once, to a date it will meet; without a
  // compelling event the date slips a few weeks at a time, often only after it has passed.
  double close = p->close0;
  for (int i = 0; i < 12 && close < p->tc; ++i) {
    const double before = r.Uniform(0, 5);
    const double after = r.Uniform(0, 25);
    const double slip = r.Uniform(7, 21);
    const double margin = r.Uniform(0, 15);
    double t = p->commitment ? close - before : close + after;
    t = std::max(t, p->t0 + 0.5);
    if (t >= p->tc) break;
    close = p->commitment ? p->tc + margin : std::max(close, t) + slip;
    ev.push_back({t, EventKind::kCloseDate, 0, close});
  }
  ev.push_back({p->tc, p->won ? EventKind::kWon : EventKind::kLost, p->won ? 5 : 6, 0});
  // Insertion sort: a handful of events, already nearly in order; ties keep their order.
  for (size_t i = 1; i < ev.size(); ++i) {
    for (size_t j = i; j > 0 && ev[j - 1].t > ev[j].t; --j) std::swap(ev[j - 1], ev[j]);
  }
}

Status Generator::EmitDeal(storage::Store& s, int64_t index, int d, const AccountAttributes& a,
                           AccountId account, const DealPlan& p) {
  const Rep& rep = reps_[static_cast<size_t>(a.rep)];
  const double per_dkk = internal::Country(a.country).per_dkk;
  auto minor = [per_dkk](double dkk) {
    return std::llround(dkk * per_dkk / 1000) * 1000 * 100;  // whole thousands
  };

  // Replay the history up to today.
  change_rows_.clear();
  Stage stage = Stage::kQualify;
  double amount = p.amount0_dkk;
  double probability = p.probability[0];
  double close = p.close0;
  Timestamp last{};
  for (const DealEvent& e : p.events) {
    if (e.t >= today_rel_) break;
    switch (e.kind) {
      case EventKind::kCreate:
        break;
      case EventKind::kStage:
        stage = static_cast<Stage>(e.stage);
        probability = e.value;
        break;
      case EventKind::kAmount:
        amount = e.stage < 0 ? amount * (1 - e.value) : e.value;
        break;
      case EventKind::kCloseDate:
        close = e.value;
        break;
      case EventKind::kWon:
      case EventKind::kLost:
        stage = e.kind == EventKind::kWon ? Stage::kClosedWon : Stage::kClosedLost;
        probability = e.kind == EventKind::kWon ? 1.0 : 0.0;
        close = e.t;
        break;
    }
    Timestamp at = At(e.t);
    if (!change_rows_.empty() && at <= last) at = last + seconds(60);
    last = at;
    change_rows_.push_back({at, stage, amount, probability, close, e.t, kNoDay});
  }
  const bool closed = IsClosed(stage);
  const Date closed_on = ToDate(last);

  Opportunity& o = opportunity_;
  internal::SetRecordNumber("OPP-", ++opportunity_number_, 7, &o.external_id);
  o.account_id = account;
  o.name.assign(a.name);
  o.name.append(" - ");
  o.name.append(kDealTypes[p.deal_type].name);
  o.owner_id = rep.id;
  o.stage = stage;
  o.amount = Money{minor(amount), currencies_[static_cast<size_t>(a.country)]};
  o.probability = probability;
  o.created_on = ToDate(change_rows_.front().at);
  o.close_on = closed ? closed_on : DayOf(close);
  o.closed_on = closed ? std::optional<Date>(closed_on) : std::nullopt;
  o.product_lines.assign(kDealTypes[p.deal_type].product_lines);
  o.competitors.clear();
  if (p.competitors >= 0) o.competitors.assign(kCompetitors[p.competitors]);
  o.reason.clear();
  if (stage == Stage::kClosedWon) o.reason.assign(kWinReasons[p.reason % 5]);
  if (stage == Stage::kClosedLost) o.reason.assign(kLossReasons[p.reason % 6]);
  o.created_at = change_rows_.front().at;
  o.updated_at = last;

  // Next step: dated (in the future while open) when the rep runs a joint process; otherwise
  // missing or left in the past.
  const int open_stage = closed ? std::min(p.last_stage, 4) : static_cast<int>(stage);
  o.next_step.clear();
  o.next_step_on.reset();
  double next_step_rel = -1;
  if (p.joint_process) {
    o.next_step.assign(kNextSteps[open_stage][p.next_step]);
    if (closed) {
      const Date on = closed_on - days(static_cast<int>(p.next_step_days * 10));
      o.next_step_on = std::max(on, o.created_on);
    } else {
      next_step_rel = today_rel_ + 1 + std::floor(p.next_step_days * 20);
      o.next_step_on = ToDate(At(next_step_rel));
    }
  } else if (closed) {
    if (p.next_step_u < 0.3) o.next_step.assign(kNextSteps[open_stage][p.next_step]);
  } else if (p.next_step_u >= 0.55) {
    o.next_step.assign(kNextSteps[open_stage][p.next_step]);
    next_step_rel = today_rel_ - 3 - std::floor(p.next_step_days * 57);
    next_step_rel = std::max(next_step_rel, p.t0);
    o.next_step_on = ToDate(At(next_step_rel));
  }
  if (closed) {
    o.forecast_category = ForecastCategory::kClosed;
  } else if (p.omitted_u < 0.05) {
    o.forecast_category = ForecastCategory::kOmitted;
  } else if (stage == Stage::kCommit) {
    o.forecast_category = ForecastCategory::kCommit;
  } else if (stage == Stage::kPropose || stage == Stage::kNegotiate) {
    o.forecast_category = ForecastCategory::kBestCase;
  } else {
    o.forecast_category = ForecastCategory::kPipeline;
  }
  SB_ASSIGN_OR_RETURN(const OpportunityId id, s.opportunities().Insert(o));
  ++summary_.opportunities;
  ++rows_in_transaction_;

  HistoryNextSteps(index, d, p, o.next_step_on);
  DealAnswers(index, d, a, p, id.value, change_rows_.front().at, closed ? last : now_);

  const uint8_t currency = static_cast<uint8_t>(a.country);
  for (const ChangeRow& row : change_rows_) {
    PendingChange& c = changes_.emplace_back();
    c.at = Seconds(row.at);
    c.seq = seq_++;
    c.opportunity = id.value;
    c.amount_minor = minor(row.amount_dkk);
    c.owner = rep.id.value;
    c.close_day = DayNumber(IsClosed(row.stage) ? ToDate(row.at) : DayOf(row.close_rel));
    c.probability = row.probability;
    c.next_step_day = row.next_step_day;
    c.stage = static_cast<uint8_t>(row.stage);
    c.currency = currency;
  }

  // Won deals become an order on the day they close.
  if (stage == Stage::kClosedWon) {
    Random r(StreamKey(seed_, kStreamWinOrders,
                       static_cast<uint64_t>(index) * 256 + static_cast<uint64_t>(d)));
    const bool core = kSegments[a.segment].core;
    const double rate =
        Clamp((core ? kCoreMargin : kOtherMargin) + a.margin_offset + r.Normal(0, 0.04), 0.03, 0.6);
    PendingOrder& order = orders_.emplace_back();
    order.seq = seq_++;
    order.account = account.value;
    order.revenue_minor = o.amount.minor_units;
    order.margin_minor = std::llround(static_cast<double>(o.amount.minor_units) * rate / 100) * 100;
    order.day = DayNumber(closed_on);
    order.currency = currency;
  }

  // Activities along the deal, up to today (or up to the close).
  Random r(StreamKey(seed_, kStreamDealActivity,
                     static_cast<uint64_t>(index) * 256 + static_cast<uint64_t>(d)));
  const int64_t owner = rep.id.value;
  const double left_planned = p.joint_process ? 0.01 : 0.05;
  const double end = std::min(p.active_until, today_rel_);
  // Under-served accounts get nothing in the last year (truth 5).
  const double cutoff = a.under_served ? today_rel_ - 366 : today_rel_ + 1000;
  auto add = [&](double t, ActivityType type, int64_t contact) {
    if (t < cutoff && t < end) {
      AddActivity(r, t, type, account.value, contact, id.value, 0, owner, left_planned);
    }
  };
  // Draws the contact after the time: the caller computes `t` in its own expression, so the
  // order of draws never depends on the compiler's order of evaluating arguments.
  auto add_at = [&](double t, ActivityType type) {
    const int64_t contact = PickContact(r, false);
    add(t, type, contact);
  };
  auto stage_end = [&](int st) {
    return st < p.last_stage ? p.stage_start[st + 1] : p.active_until;
  };
  for (int st = 0; st <= p.last_stage; ++st) {
    const double from = p.stage_start[st];
    const double len = std::max(0.2, stage_end(st) - from);
    switch (st) {
      case 0: {
        add_at(from + 0.3 * len * r.Uniform(), ActivityType::kCall);
        const int64_t emails = r.Poisson(0.8);
        for (int64_t i = 0; i < emails; ++i) add_at(from + len * r.Uniform(), ActivityType::kEmail);
        break;
      }
      case 1: {
        // Discovery meetings and demos (the understanding area).
        const bool third = r.Chance(0.5);
        const bool one = r.Chance(0.45);
        const int64_t meetings = p.understanding ? 2 + (third ? 1 : 0) : (one ? 1 : 0);
        for (int64_t i = 0; i < meetings; ++i) {
          const ActivityType type = r.Chance(0.35) ? ActivityType::kDemo : ActivityType::kMeeting;
          add_at(from + len * (static_cast<double>(i) + r.Uniform()) /
                            static_cast<double>(meetings + 1),
                 type);
        }
        const int64_t calls = r.Poisson(1);
        for (int64_t i = 0; i < calls; ++i) add_at(from + len * r.Uniform(), ActivityType::kCall);
        break;
      }
      case 2:
        add_at(from + std::min(2.0, 0.3 * len) * r.Uniform(), ActivityType::kProposal);
        add_at(from + len * r.Uniform(), ActivityType::kEmail);
        add_at(from + len * r.Uniform(), ActivityType::kCall);
        break;
      case 3: {
        add_at(from + len * r.Uniform(), ActivityType::kMeeting);
        const int64_t calls = r.Poisson(1.5);
        for (int64_t i = 0; i < calls; ++i) {
          const ActivityType type = r.Chance(0.5) ? ActivityType::kCall : ActivityType::kEmail;
          add_at(from + len * r.Uniform(), type);
        }
        break;
      }
      default:
        add_at(from + len * r.Uniform(), ActivityType::kCall);
        add_at(from + len * r.Uniform(), ActivityType::kEmail);
        break;
    }
  }
  // Routine e-mails and calls through the deal's life; some fall in the holidays and are dropped.
  const double life = std::max(1.0, p.active_until - p.t0);
  const int64_t routine = r.Poisson(life / 4.5 * activity_factor_);
  for (int64_t i = 0; i < routine; ++i) {
    const double t = p.t0 + life * r.Uniform();
    const ActivityType type = r.Chance(0.55) ? ActivityType::kEmail : ActivityType::kCall;
    const int64_t contact = PickContact(r, false);
    const double holiday = r.Uniform();
    if (Holiday(t, holiday)) {
      SkipActivityDraws(r);
    } else {
      add(t, type, contact);
    }
  }
  // The economic-buyer meeting (truth 4): completed when it lies in the past, planned otherwise.
  if (p.eb_meeting >= 0) {
    const int64_t eb = EconomicBuyer();
    if (p.eb_meeting < today_rel_) {
      if (p.eb_meeting < cutoff) {
        AddActivity(r, p.eb_meeting, ActivityType::kMeeting, account.value, eb, id.value, 0, owner,
                    0);
      }
    } else if (p.eb_meeting < today_rel_ + 60) {
      AddActivity(r, p.eb_meeting, ActivityType::kMeeting, account.value, eb, id.value, 0, owner,
                  0);
    }
  }
  // The next step, as a planned activity (overdue when the date has passed).
  if (!closed && next_step_rel >= 0 && (p.joint_process || p.next_step_u >= 0.78)) {
    const double t = next_step_rel + 0.1 + 0.8 * r.Uniform();
    const int64_t contact = PickContact(r, false);
    AddActivity(r, t, p.joint_process ? ActivityType::kMeeting : ActivityType::kCall, account.value,
                contact, id.value, 0, owner, 1.0);
  }
  return Status::Ok();
}

// ---- Next steps in the history and scorecard answers ------------------------------------------

// `d`, or the Monday after when it falls on a weekend.
Date WorkingDayFrom(Date d) {
  const unsigned weekday = std::chrono::weekday(d).c_encoding();
  return weekday == 6 ? d + days(2) : weekday == 0 ? d + days(1) : d;
}

// `d`, or the Friday before when it falls on a weekend.
Date WorkingDayUntil(Date d) {
  const unsigned weekday = std::chrono::weekday(d).c_encoding();
  return weekday == 6 ? d - days(1) : weekday == 0 ? d - days(2) : d;
}

void Generator::HistoryNextSteps(int64_t index, int d, const DealPlan& p,
                                 std::optional<Date> current) {
  Random r(StreamKey(seed_, kStreamDealNextSteps,
                     static_cast<uint64_t>(index) * 256 + static_cast<uint64_t>(d)));
  const double quiet_u = r.Uniform();
  // A lost deal that lingers has gone quiet after active_until: its last next step, a few days
  // after the last work on it, is left to pass.
  const bool lingers = !p.won && p.tc > p.active_until;
  const int32_t quiet_day = DayNumber(WorkingDayFrom(
      ToDate(At(p.active_until)) + days(1 + static_cast<int>(std::floor(quiet_u * 6)))));
  const size_t n = change_rows_.size();
  const bool closed = IsClosed(change_rows_.back().stage);
  int32_t previous = kNoDay;
  for (size_t i = 0; i < n; ++i) {
    ChangeRow& row = change_rows_[i];
    // The same draws for every row, used or not.
    const double u = r.Uniform();
    const double v = r.Uniform();
    const double w = r.Uniform();
    if (i + 1 == n) {
      // The last row is the opportunity as it stands.
      row.next_step_day = current ? DayNumber(*current) : kNoDay;
      break;
    }
    const Date day = ToDate(row.at);
    int32_t next = kNoDay;
    if (p.joint_process) {
      // A dated step ahead: the date of the deal's next change, or, before the close, the last
      // step agreed; never the same day.
      const ChangeRow& following = change_rows_[i + 1];
      if (lingers && row.t >= p.active_until) {
        next = previous;
      } else if (lingers && following.t > p.active_until) {
        next = quiet_day;
      } else {
        Date on = ToDate(following.at);
        if (closed && i + 2 == n && current && *current > day) on = *current;
        next = DayNumber(WorkingDayFrom(std::max(on, day + days(1))));
      }
    } else if (i > 0 && u < 0.25) {
      // A step set after the previous change and left to pass.
      const Date before = ToDate(change_rows_[i - 1].at);
      const int64_t gap = (day - before).count();
      if (gap >= 2) {
        const Date on = before + days(1 + static_cast<int64_t>(v * static_cast<double>(gap - 1)));
        next = DayNumber(std::max(WorkingDayUntil(on), before));
      }
    } else if (u < 0.32) {
      // Now and then a step a few days ahead, not followed up.
      next = DayNumber(WorkingDayFrom(day + days(1 + static_cast<int>(std::floor(w * 5)))));
    }
    row.next_step_day = next;
    previous = next;
  }
}

void Generator::DealAnswers(int64_t index, int d, const AccountAttributes& a, const DealPlan& p,
                            int64_t opportunity, Timestamp created, Timestamp end) {
  using internal::kOpportunityCriteria;
  constexpr int kCriteria = internal::kOpportunityCriterionCount;
  Random r(StreamKey(seed_, kStreamDealAnswers,
                     static_cast<uint64_t>(index) * 256 + static_cast<uint64_t>(d)));
  if (p.active_until < answers_from_rel_) {
    subject_answers_.clear();
    return;
  }
  const Rep& rep = reps_[static_cast<size_t>(a.rep)];
  const uint8_t language = static_cast<uint8_t>(r.Chance(0.65) ? a.country : internal::kEnglish);
  // Areas the rep works well on this deal are answered "yes" mostly; the neglected one seldom.
  const bool done[kAreaCount] = {p.relationship, p.understanding, p.joint_process, p.value,
                                 p.commitment};
  double yes[kAreaCount];
  for (int area = 0; area < kAreaCount; ++area) {
    yes[area] =
        (done[area] ? kYesDone : kYesNotDone) * (rep.neglect == area ? kYesNeglectFactor : 1.0) +
        (p.won ? kYesWonBonus : 0.0);
  }
  // Answers are given while the deal is worked, and not after today.
  const double limit = std::min(p.active_until, today_rel_);
  subject_answers_.clear();
  Answer state[kCriteria];
  bool answered[kCriteria] = {};
  Timestamp last_at[kCriteria] = {};
  for (int s = 0; s < 5; ++s) {
    // The same draws for every stage, reached or not.
    const double ahead_u = r.Uniform();
    const int ahead_area = 1 + static_cast<int>(r.Below(kAreaCount - 1));
    const double from = p.stage_start[s];
    const double to = s < p.last_stage ? p.stage_start[s + 1] : p.active_until;
    int rank[kAreaCount] = {};
    for (int c = 0; c < kCriteria; ++c) {
      const double u_answer = r.Uniform();
      const double u_yes = r.Uniform();
      const double u_unknown = r.Uniform();
      const double u_time = r.Uniform();
      const int area = kOpportunityCriteria[c].area;
      const int k = rank[area]++;
      if (s > p.last_stage) continue;
      // What the stage minimum asks for; now and then a criterion more, ahead of the stage.
      int target = kManualTarget[area][s];
      if (area == ahead_area && ahead_u < 0.3) {
        target = std::min(kManualCount[area],
                          std::max(kManualTarget[area][std::min(s + 1, 4)], target + 1));
      }
      if (k >= target) continue;
      const double t = from + std::max(0.0, to - from) * (0.05 + 0.75 * u_time);
      if (t >= limit) continue;
      Answer answer;
      if (!answered[c]) {
        // A neglected area is also left unanswered more often.
        if (u_answer >= (rep.neglect == area ? 0.8 : 0.95)) continue;
        answer = u_yes < yes[area] ? Answer::kYes
                 : u_unknown < 0.2 ? Answer::kUnknown
                                   : Answer::kNo;
      } else if (state[c] != Answer::kYes && u_answer < 0.5 && u_yes < yes[area]) {
        answer = Answer::kYes;  // a gap closed later in the deal
      } else {
        continue;
      }
      Timestamp at = At(t);
      if (at <= created) at = created + seconds(60);
      if (answered[c] && at <= last_at[c]) at = last_at[c] + seconds(60);
      if (at >= end) continue;
      answered[c] = true;
      state[c] = answer;
      last_at[c] = at;
      PendingAnswer& pa = subject_answers_.emplace_back();
      pa.at = Seconds(at);
      pa.subject = opportunity;
      pa.owner = rep.id.value;
      pa.account = 0;
      pa.criterion = static_cast<uint8_t>(c);
      pa.answer = static_cast<uint8_t>(answer);
      pa.language = language;
    }
  }
  TakeAnswers();
}

void Generator::AccountAnswers(int64_t index, const AccountAttributes& a, AccountId account,
                               double customer_from) {
  constexpr int kCriteria = internal::kAccountCriterionCount;
  Random r(StreamKey(seed_, kStreamAccountAnswers, static_cast<uint64_t>(index)));
  const uint8_t language = static_cast<uint8_t>(r.Chance(0.65) ? a.country : internal::kEnglish);
  const int tier = a.expected_margin_dkk >= kUnderServedMarginDkk ? 0
                   : a.expected_margin_dkk >= 40e3                ? 1
                                                                  : 2;
  const double escalation_u = r.Uniform();
  const double escalation_t = r.Uniform();
  const double escalation_days = r.Uniform(20, 120);
  const double stale_u = r.Uniform();
  const double stale_t = r.Uniform();
  const double from = std::max(today_rel_ - kAnswerWindowDays, customer_from + 7);
  const int64_t owner = reps_[static_cast<size_t>(a.rep)].id.value;
  // One customer in ten raised an escalation in the window (resolved 20-120 days later); the
  // under-served are not even asked.
  const bool escalation = !a.under_served && escalation_u < 0.1;
  subject_answers_.clear();
  auto add = [&](double t, int criterion, Answer answer) {
    if (t < from || t >= today_rel_) return;
    const Timestamp at = At(t);
    if (at >= now_) return;
    PendingAnswer& pa = subject_answers_.emplace_back();
    pa.at = Seconds(at);
    pa.subject = account.value;
    pa.owner = owner;
    pa.account = 1;
    pa.criterion = static_cast<uint8_t>(criterion);
    pa.answer = static_cast<uint8_t>(answer);
    pa.language = language;
  };
  constexpr int kSlots = 4;
  for (int k = 0; k < kSlots; ++k) {
    // The same draws for every slot, used or not.
    const double held_u = r.Uniform();
    const double when_u = r.Uniform();
    double u_ask[kCriteria];
    double u_yes[kCriteria];
    double u_unknown[kCriteria];
    double u_hour[kCriteria];
    for (int c = 0; c < kCriteria; ++c) {
      u_ask[c] = r.Uniform();
      u_yes[c] = r.Uniform();
      u_unknown[c] = r.Uniform();
      u_hour[c] = r.Uniform();
    }
    double t = 0;
    double ask = 0;
    double p_yes = 0;
    if (a.under_served) {
      // Truth 5: at most one review, 13 to 24 months ago, with few answers.
      if (k != 0 || stale_u < 0.4) continue;
      t = today_rel_ - 400 - 330 * stale_t;
      ask = 0.3;
      p_yes = 0.55;
    } else {
      // Reviews by value: every ~6 months for the top customers, yearly or less for the rest.
      if (k >= kReviewSlots[tier] || held_u >= kReviewHeld[tier]) continue;
      const double len = kAnswerWindowDays / kReviewSlots[tier];
      t = today_rel_ - kAnswerWindowDays + len * (k + when_u);
      ask = kReviewAnswered[tier];
      p_yes = kReviewYes[tier];
    }
    t = std::floor(t);
    int asked = 0;
    for (int c = 0; c < kCriteria; ++c) {
      if (u_ask[c] >= ask) continue;
      if (a.under_served && asked == 4) break;
      ++asked;
      if (c == internal::kAccountNoOpenEscalation && escalation) continue;
      const double y = c == internal::kAccountNoOpenEscalation ? 0.95 : p_yes;
      const Answer answer = u_yes[c] < y          ? Answer::kYes
                            : u_unknown[c] < 0.15 ? Answer::kUnknown
                                                  : Answer::kNo;
      add(t + 0.05 + 0.9 * u_hour[c], c, answer);
    }
  }
  if (escalation) {
    const double raised = from + (today_rel_ - 5 - from) * escalation_t;
    add(raised, internal::kAccountNoOpenEscalation, Answer::kNo);
    add(raised + escalation_days, internal::kAccountNoOpenEscalation, Answer::kYes);
  }
  TakeAnswers();
}

void Generator::TakeAnswers() {
  std::sort(subject_answers_.begin(), subject_answers_.end(),
            [](const PendingAnswer& x, const PendingAnswer& y) {
              return x.at != y.at ? x.at < y.at : x.criterion < y.criterion;
            });
  for (size_t i = 0; i < subject_answers_.size(); ++i) {
    const PendingAnswer& pa = subject_answers_[i];
    // The natural key is (subject, criterion, answered_at): a repeat in the same minute is one.
    if (i > 0 && pa.at == subject_answers_[i - 1].at &&
        pa.criterion == subject_answers_[i - 1].criterion) {
      continue;
    }
    answers_.push_back(pa);
  }
  subject_answers_.clear();
}

void Generator::AccountActivities(int64_t index, const AccountAttributes& a, AccountId account,
                                  bool customer, double customer_from, double customer_until) {
  Random r(StreamKey(seed_, kStreamAccountActivity, static_cast<uint64_t>(index)));
  const int64_t owner = reps_[static_cast<size_t>(a.rep)].id.value;
  static constexpr ActivityType kTouchTypes[] = {ActivityType::kCall, ActivityType::kMeeting,
                                                 ActivityType::kEmail, ActivityType::kEvent,
                                                 ActivityType::kTask};
  static constexpr int kTouchWeights[] = {35, 25, 30, 5, 5};
  // A touch at `t`; `optional` touches are dropped in the holidays, the others are always kept
  // and, when in the past, always completed.
  auto touch = [&](double t, bool optional) {
    const ActivityType type = kTouchTypes[r.Weighted(std::span<const int>(kTouchWeights))];
    const int64_t contact = PickContact(r, true);
    const double holiday = r.Uniform();
    if (optional && Holiday(t, holiday)) {
      SkipActivityDraws(r);
      return;
    }
    AddActivity(r, t, type, account.value, contact, 0, 0, owner, optional ? 0.01 : 0.0);
  };

  if (customer_until > customer_from) {
    // Account management: touches a year by expected value.
    const double per_year = (a.expected_margin_dkk >= kUnderServedMarginDkk ? 18
                             : a.expected_margin_dkk >= 40e3                ? 10
                                                                            : 6) *
                            activity_factor_;
    const double last_year = today_rel_ - 365;
    const double early_until = std::min(customer_until, last_year);
    if (early_until > customer_from) {
      const int64_t n = r.Poisson(per_year * (early_until - customer_from) / 365);
      for (int64_t i = 0; i < n; ++i) {
        touch(customer_from + (early_until - customer_from) * r.Uniform(), true);
      }
    }
    if (customer && customer_until >= today_rel_) {
      // The last 365 days: at least five touches, except on the under-served (truth 5).
      const double from = std::max(customer_from, last_year);
      const int64_t drawn = r.Poisson(per_year * (today_rel_ - from) / 365);
      const int64_t few = r.Below(4);
      const int64_t n = a.under_served ? few : std::max<int64_t>(5, drawn);
      for (int64_t i = 0; i < n; ++i) {
        touch(from + (today_rel_ - from) * r.Uniform(), i >= 5);
      }
      // Planned touches in the coming month.
      const int64_t planned = r.Below(3);
      for (int64_t i = 0; i < (a.under_served ? 0 : planned); ++i) {
        touch(today_rel_ + 1 + 29 * r.Uniform(), false);
      }
    }
  } else {
    // Prospecting calls and e-mails.
    const double from = a.start_rel;
    const int64_t n = r.Poisson(3.0 * (today_rel_ - from) / 365 * activity_factor_);
    for (int64_t i = 0; i < n; ++i) {
      const double t = from + (today_rel_ - from) * r.Uniform();
      const ActivityType type = r.Chance(0.6) ? ActivityType::kCall : ActivityType::kEmail;
      const int64_t contact = PickContact(r, true);
      const double holiday = r.Uniform();
      if (Holiday(t, holiday)) {
        SkipActivityDraws(r);
      } else {
        AddActivity(r, t, type, account.value, contact, 0, 0, owner, 0.01);
      }
    }
  }
}

void Generator::Orders(int64_t index, const AccountAttributes& a, AccountId account, bool customer,
                       double order_from, double order_until, double last_win) {
  Random r(StreamKey(seed_, kStreamOrders, static_cast<uint64_t>(index)));
  const bool core = kSegments[a.segment].core;
  const double per_dkk = internal::Country(a.country).per_dkk;
  const uint8_t currency = static_cast<uint8_t>(a.country);
  const double slot_days = 365.0 / 12;
  const double per_slot = a.orders_per_year / 12;
  double last_order = last_win;
  auto add = [&](double t, double revenue_dkk, double rate) {
    PendingOrder& o = orders_.emplace_back();
    o.seq = seq_++;
    o.account = account.value;
    o.revenue_minor = std::max<int64_t>(100, std::llround(revenue_dkk * per_dkk) * 100);
    o.margin_minor = std::llround(static_cast<double>(o.revenue_minor) * rate / 100) * 100;
    o.day = DayNumber(ToDate(At(t)));
    o.currency = currency;
    last_order = std::max(last_order, t);
  };
  const int slots = static_cast<int>(today_rel_ / slot_days);
  for (int k = 0; k < slots; ++k) {
    // The same draws for every slot, used or not.
    double u[2];
    double when[2];
    double size[2];
    double rate[2];
    for (int j = 0; j < 2; ++j) {
      u[j] = r.Uniform();
      when[j] = r.Uniform();
      size[j] = r.LogNormalMedian(a.order_median_dkk, kOrderSigma);
      rate[j] = Clamp((core ? kCoreMargin : kOtherMargin) + a.margin_offset + r.Normal(0, 0.04),
                      0.03, 0.6);
    }
    for (int j = 0; j < 2; ++j) {
      const double t = slot_days * (k + when[j]);
      if (t < order_from || t >= order_until) continue;
      if (u[j] < per_slot - j) add(t, size[j], rate[j]);
    }
  }
  // A customer has ordered within the last year.
  const double late = r.Uniform();
  const double late_size = r.LogNormalMedian(a.order_median_dkk, kOrderSigma);
  if (customer && last_order < today_rel_ - 360) {
    add(std::min(today_rel_ - 1, std::max(order_from, today_rel_ - 20 - 300 * late)), late_size,
        core ? kCoreMargin : kOtherMargin);
  }
}

Status Generator::GenerateAccount(storage::Store& s, int64_t index) {
  AccountAttributes& a = attributes_;
  MakeAccountAttributes(index, &a);
  const Rep& rep = reps_[static_cast<size_t>(a.rep)];

  // Plan the deals first: whether the account is a customer depends on what it has won.
  Random r(StreamKey(seed_, kStreamDealCount, static_cast<uint64_t>(index)));
  double lo = a.start_rel;
  double hi = today_rel_;
  if (a.churn) hi = std::min(hi, a.churn_rel - 200);
  if (a.under_served) hi = std::min(hi, today_rel_ - 600);
  int deal_count = 0;
  const double lambda = (a.prior_customer ? 5.5 : 2.2) * kDealCountFactor[a.size] *
                        deal_count_factor_ * std::max(0.0, hi - lo) / today_rel_;
  deal_count = static_cast<int>(std::min<int64_t>(kMaxDealsPerAccount, r.Poisson(lambda)));
  if (hi <= lo) deal_count = 0;
  if (static_cast<int>(deals_.size()) < deal_count) deals_.resize(static_cast<size_t>(deal_count));
  double first_win = -1;
  double last_win = -1;
  double last_close = -1;
  for (int d = 0; d < deal_count; ++d) {
    DealPlan& plan = deals_[static_cast<size_t>(d)];
    PlanDeal(index, d, a, lo, hi, &plan);
    if (plan.won && plan.tc < today_rel_ && (first_win < 0 || plan.tc < first_win)) {
      first_win = plan.tc;
    }
    if (plan.won && plan.tc < today_rel_) last_win = std::max(last_win, plan.tc);
    last_close = std::max(last_close, plan.tc);
  }
  bool churned = a.churn;
  double churn_at = a.churn_rel;
  if (churned) {
    churn_at = std::max(churn_at, last_close + 14);
    if (churn_at > today_rel_ - 380) churned = false;
  }
  AccountStatus status = AccountStatus::kProspect;
  if (a.prior_customer) {
    status = churned ? AccountStatus::kFormer : AccountStatus::kCustomer;
  } else if (first_win >= 0) {
    status = AccountStatus::kCustomer;
  }
  const bool customer = status == AccountStatus::kCustomer;
  const double customer_from = a.prior_customer ? 0 : (first_win >= 0 ? first_win : today_rel_);
  const double customer_until =
      churned ? churn_at : (status == AccountStatus::kProspect ? 0 : today_rel_);

  Account& acc = account_;
  internal::SetRecordNumber("ACC-", index + 1, 6, &acc.external_id);
  acc.name = a.name;
  internal::SetOrgNumber(a.country, index, org_salt_, &acc.org_number);
  acc.industry.assign(internal::IndustryName(a.industry));
  acc.employees = a.employees;
  acc.region.assign(internal::Regions()[static_cast<size_t>(a.region)].name);
  acc.country.assign(internal::Country(a.country).code);
  acc.status = status;
  acc.owner_id = rep.id;
  acc.segment_id = segment_ids_[static_cast<size_t>(a.segment)];
  acc.abc_class.clear();
  acc.created_at = a.start_rel > 0 ? At(a.start_rel) : At(-a.created_days_before);
  acc.updated_at = acc.created_at;
  SB_ASSIGN_OR_RETURN(const AccountId account, s.accounts().Insert(acc));
  ++summary_.accounts;
  ++rows_in_transaction_;

  // Contacts: an economic buyer first (at most accounts), then the rest of the buying group.
  {
    Random c(StreamKey(seed_, kStreamContacts, static_cast<uint64_t>(index)));
    const internal::CountryData& country = internal::Country(a.country);
    const int n = static_cast<int>(c.Between(kContactsLo[a.size], kContactsHi[a.size]));
    static constexpr BuyingRole kOtherRoles[] = {BuyingRole::kDecisionMaker, BuyingRole::kChampion,
                                                 BuyingRole::kInfluencer,    BuyingRole::kTechnical,
                                                 BuyingRole::kUser,          BuyingRole::kCoach,
                                                 BuyingRole::kBlocker,       BuyingRole::kUnknown};
    static constexpr double kOtherWeights[] = {2, 1, 3, 2, 2, 1, 0.5, 0.5};
    contacts_.clear();
    Contact& ct = contact_;
    ct.account_id = account;
    ct.created_at = acc.created_at + days(1 + c.Below(60));
    if (ct.created_at > now_) ct.created_at = now_ - days(1);
    ct.updated_at = ct.created_at;
    for (int i = 0; i < n; ++i) {
      BuyingRole role;
      const double second = c.Uniform();
      const BuyingRole other = kOtherRoles[c.Weighted(std::span<const double>(kOtherWeights))];
      if (i == 0 && a.has_economic_buyer) {
        role = BuyingRole::kEconomicBuyer;
      } else if (i <= 1) {
        role = second < 0.75 ? BuyingRole::kChampion : BuyingRole::kDecisionMaker;
      } else {
        role = other;
      }
      const std::string_view first = c.Pick(country.first_names);
      const std::string_view last_name = c.Pick(country.surnames);
      ct.name.assign(first);
      ct.name.push_back(' ');
      ct.name.append(last_name);
      ct.title.assign(c.Pick(internal::Titles(a.country, role)));
      ct.email.clear();
      internal::AppendAsciiLower(first, &ct.email);
      ct.email.push_back('.');
      internal::AppendAsciiLower(last_name, &ct.email, '\0', true);
      ct.email.push_back('@');
      ct.email.append(a.domain);
      internal::SetPhone(a.country, c, &ct.phone);
      ct.buying_role = role;
      int strength = role == BuyingRole::kChampion || role == BuyingRole::kCoach    ? 3
                     : role == BuyingRole::kBlocker || role == BuyingRole::kUnknown ? 1
                                                                                    : 2;
      if (rep.neglect == kRelationships) strength -= 1;
      strength += static_cast<int>(c.Between(-1, 1));
      const double unknown = c.Uniform();
      ct.relationship_strength =
          unknown < 0.06 ? std::nullopt : std::optional<int64_t>(std::clamp(strength, 0, 4));
      internal::SetRecordNumber("CON-", ++contact_number_, 7, &ct.external_id);
      SB_ASSIGN_OR_RETURN(const ContactId id, s.contacts().Insert(ct));
      contacts_.push_back({id.value, role});
      ++summary_.contacts;
      ++rows_in_transaction_;
    }
  }

  for (int d = 0; d < deal_count; ++d) {
    SB_RETURN_IF_ERROR(EmitDeal(s, index, d, a, account, deals_[static_cast<size_t>(d)]));
  }
  AccountActivities(index, a, account, customer, customer_from, customer_until);
  if (status != AccountStatus::kProspect) {
    Orders(index, a, account, customer, a.prior_customer ? 0 : customer_from + 30, customer_until,
           last_win);
  }
  if (customer) AccountAnswers(index, a, account, customer_from);

  AccountBrief& brief = briefs_[static_cast<size_t>(index)];
  brief.id = account.value;
  brief.rep = a.rep;
  brief.segment = static_cast<uint8_t>(a.segment);
  brief.flags = static_cast<uint8_t>((a.under_served ? kBriefUnderServed : 0) |
                                     (customer ? kBriefCustomer : 0));
  return Status::Ok();
}

Status Generator::FlushBuffers() {
  // Time order, so that the time indexes of these tables are swept once per flush instead of
  // being written all over (see the design notes).
  std::sort(changes_.begin(), changes_.end(), [](const PendingChange& x, const PendingChange& y) {
    return x.at != y.at ? x.at < y.at : x.seq < y.seq;
  });
  std::sort(orders_.begin(), orders_.end(), [](const PendingOrder& x, const PendingOrder& y) {
    return x.day != y.day ? x.day < y.day : x.seq < y.seq;
  });
  std::sort(activities_.begin(), activities_.end(),
            [](const PendingActivity& x, const PendingActivity& y) {
              return x.at != y.at ? x.at < y.at : x.seq < y.seq;
            });
  size_t next_change = 0;
  size_t next_order = 0;
  size_t next_activity = 0;
  OpportunityChange change;
  Order order;
  Activity activity;
  auto write_some = [&](storage::Store& s) -> Status {
    int64_t rows = 0;
    for (; next_change < changes_.size() && rows < kRowsPerTransaction; ++next_change, ++rows) {
      const PendingChange& c = changes_[next_change];
      change.opportunity_id = OpportunityId{c.opportunity};
      change.changed_at = FromSeconds(c.at);
      change.stage = static_cast<Stage>(c.stage);
      change.amount = Money{c.amount_minor, currencies_[c.currency]};
      change.probability = c.probability;
      change.close_on = FromDayNumber(c.close_day);
      change.changed_by = UserId{c.owner};
      change.next_step_on = c.next_step_day == kNoDay
                                ? std::nullopt
                                : std::optional<Date>(FromDayNumber(c.next_step_day));
      SB_RETURN_IF_ERROR(s.opportunity_changes().Insert(change).status());
      ++summary_.opportunity_changes;
    }
    for (; next_order < orders_.size() && rows < kRowsPerTransaction; ++next_order, ++rows) {
      const PendingOrder& o = orders_[next_order];
      internal::SetRecordNumber("ORD-", ++order_number_, 8, &order.external_id);
      order.account_id = AccountId{o.account};
      order.ordered_on = FromDayNumber(o.day);
      order.revenue = Money{o.revenue_minor, currencies_[o.currency]};
      order.margin = Money{o.margin_minor, currencies_[o.currency]};
      order.created_at = StartOf(order.ordered_on) + std::chrono::hours(18);
      if (order.created_at > now_) order.created_at = now_;
      order.updated_at = order.created_at;
      SB_RETURN_IF_ERROR(s.orders().Insert(order).status());
      ++summary_.orders;
    }
    for (; next_activity < activities_.size() && rows < kRowsPerTransaction;
         ++next_activity, ++rows) {
      const PendingActivity& p = activities_[next_activity];
      internal::SetRecordNumber("ACT-", ++activity_number_, 8, &activity.external_id);
      activity.type = static_cast<ActivityType>(p.type);
      activity.status = p.completed ? ActivityStatus::kCompleted : ActivityStatus::kPlanned;
      activity.at = FromSeconds(p.at);
      activity.owner_id = p.owner ? std::optional<UserId>(UserId{p.owner}) : std::nullopt;
      activity.account_id =
          p.account ? std::optional<AccountId>(AccountId{p.account}) : std::nullopt;
      activity.contact_id =
          p.contact ? std::optional<ContactId>(ContactId{p.contact}) : std::nullopt;
      activity.opportunity_id =
          p.opportunity ? std::optional<OpportunityId>(OpportunityId{p.opportunity}) : std::nullopt;
      activity.lead_id = p.lead ? std::optional<LeadId>(LeadId{p.lead}) : std::nullopt;
      activity.outcome.clear();
      activity.notes.clear();
      if (p.completed) {
        activity.outcome.assign(kOutcomes[p.type][p.outcome]);
        activity.notes.assign(kNotes[p.type][p.note]);
      }
      activity.created_at = FromSeconds(p.created_at);
      activity.updated_at =
          p.completed ? std::max(activity.at, activity.created_at) : activity.created_at;
      if (activity.updated_at > now_) activity.updated_at = activity.created_at;
      SB_RETURN_IF_ERROR(s.activities().Insert(activity).status());
      ++summary_.activities;
    }
    return Status::Ok();
  };
  while (next_change < changes_.size() || next_order < orders_.size() ||
         next_activity < activities_.size()) {
    SB_RETURN_IF_ERROR(store_.Transact(write_some).WithContext("demo: writing history"));
  }
  changes_.clear();
  orders_.clear();
  activities_.clear();
  return FlushAnswers();
}

Status Generator::FlushAnswers() {
  size_t next = 0;
  ScorecardAnswer answer;
  auto write_some = [&](storage::Store& s) -> Status {
    for (int64_t rows = 0; next < answers_.size() && rows < kRowsPerTransaction; ++next, ++rows) {
      const PendingAnswer& p = answers_[next];
      const bool account = p.account != 0;
      answer.subject_type = account ? SubjectType::kAccount : SubjectType::kOpportunity;
      answer.subject_id = p.subject;
      answer.criterion_id.assign(account ? internal::kAccountCriteria[p.criterion].id
                                         : internal::kOpportunityCriteria[p.criterion].id);
      answer.answer = static_cast<Answer>(p.answer);
      answer.answered_by = UserId{p.owner};
      answer.answered_at = FromSeconds(p.at);
      internal::SetAnswerNote(account, p.criterion, answer.answer, p.language,
                              ToDate(answer.answered_at), &answer.note);
      SB_RETURN_IF_ERROR(s.scorecard_answers().Insert(answer).status());
      ++summary_.scorecard_answers;
    }
    return Status::Ok();
  };
  while (next < answers_.size()) {
    SB_RETURN_IF_ERROR(store_.Transact(write_some).WithContext("demo: writing scorecard answers"));
  }
  answers_.clear();
  return Status::Ok();
}

Status Generator::GenerateAccounts() {
  briefs_.assign(static_cast<size_t>(account_count_), AccountBrief{});
  int64_t next = 0;
  int64_t reported = 0;
  while (next < account_count_) {
    SB_RETURN_IF_ERROR(store_.Transact([&](storage::Store& s) -> Status {
      rows_in_transaction_ = 0;
      while (next < account_count_ && rows_in_transaction_ < kRowsPerTransaction &&
             Buffered() < kBufferedRows) {
        if (Status status = GenerateAccount(s, next); !status.ok()) {
          return status.WithContext("demo: account ACC-" + std::to_string(next + 1));
        }
        ++next;
      }
      return Status::Ok();
    }));
    if (Buffered() >= kBufferedRows) SB_RETURN_IF_ERROR(FlushBuffers());
    if (static_cast<int64_t>(answers_.size()) >= kBufferedRows) {
      SB_RETURN_IF_ERROR(FlushAnswers());
    }
    if (next * 10 / account_count_ > reported) {
      reported = next * 10 / account_count_;
      Progress("accounts " + std::to_string(next) + "/" + std::to_string(account_count_) +
               ", opportunities " + std::to_string(summary_.opportunities) + ", activities " +
               std::to_string(summary_.activities + static_cast<int64_t>(activities_.size())));
    }
  }
  return FlushBuffers();
}

// ---- Leads ------------------------------------------------------------------------------------

Status Generator::GenerateLead(storage::Store& s, int64_t index, int campaign, LeadSource source,
                               double lo, double hi) {
  Random r(StreamKey(seed_, kStreamLead, static_cast<uint64_t>(index)));
  const CampaignDef* def =
      campaign >= 0 ? &kCampaignDefs[campaigns_[static_cast<size_t>(campaign)].def] : nullptr;
  const double created = lo + (hi - lo) * r.Uniform();

  // The company: often a known account (customers for the customer day, the target segment for
  // a targeted campaign), otherwise a new one.
  const double link_u = r.Uniform();
  const double link_p = def && def->channel == CampaignChannel::kEvent ? 0.9
                        : def && def->segment >= 0                     ? 0.5
                                                                       : 0.25;
  int64_t account_index = -1;
  for (int attempt = 0; attempt < 30; ++attempt) {
    const int64_t k = r.Below(account_count_);
    const AccountBrief& brief = briefs_[static_cast<size_t>(k)];
    if (account_index >= 0 || link_u >= link_p) continue;
    if (brief.flags & kBriefUnderServed) continue;
    if (def && def->channel == CampaignChannel::kEvent && !(brief.flags & kBriefCustomer)) continue;
    if (def && def->segment >= 0 && brief.segment != def->segment) continue;
    account_index = k;
  }
  AccountAttributes& company = other_attributes_;
  int country = 0;
  int region = 0;
  int rep = 0;
  if (account_index >= 0) {
    MakeAccountAttributes(account_index, &company);
    country = company.country;
    region = company.region;
    rep = briefs_[static_cast<size_t>(account_index)].rep;
  } else {
    region = r.Weighted(std::span<const int>(region_weights_));
    if (def && def->country >= 0) {
      // Trade shows draw visitors from their own country.
      const std::vector<int>& in_country = regions_by_country_[static_cast<size_t>(def->country)];
      region = in_country[static_cast<size_t>(r.Below(static_cast<int64_t>(in_country.size())))];
    }
    country = internal::Regions()[static_cast<size_t>(region)].country;
    const int industry = r.Weighted(internal::IndustryWeights());
    const int size = r.Weighted(std::span<const int>(kSizeWeights));
    MakeCompanyName(r, country, region, industry, size, &company.name, &company.domain);
    const int group = internal::Regions()[static_cast<size_t>(region)].team_group;
    const int team = static_cast<int>(r.Below(teams_per_group_));
    const int slot = static_cast<int>(r.Below(kRepsPerTeam));
    rep = (group * teams_per_group_ + team) * kRepsPerTeam + slot;
  }
  const internal::CountryData& c = internal::Country(country);

  Lead& lead = lead_;
  internal::SetRecordNumber("LEAD-", ++lead_number_, 7, &lead.external_id);
  const std::string_view first = r.Pick(c.first_names);
  const std::string_view last_name = r.Pick(c.surnames);
  lead.name.assign(first);
  lead.name.push_back(' ');
  lead.name.append(last_name);
  lead.company = company.name;
  static constexpr BuyingRole kLeadRoles[] = {BuyingRole::kDecisionMaker, BuyingRole::kInfluencer,
                                              BuyingRole::kTechnical, BuyingRole::kUser,
                                              BuyingRole::kEconomicBuyer};
  lead.title.assign(
      r.Pick(internal::Titles(country, r.Pick(std::span<const BuyingRole>(kLeadRoles)))));
  lead.email.clear();
  internal::AppendAsciiLower(first, &lead.email);
  lead.email.push_back('.');
  internal::AppendAsciiLower(last_name, &lead.email, '\0', true);
  lead.email.push_back('@');
  lead.email.append(company.domain);
  internal::SetPhone(country, r, &lead.phone);
  lead.source = source;
  lead.campaign_id = campaign >= 0
                         ? std::optional<CampaignId>(campaigns_[static_cast<size_t>(campaign)].id)
                         : std::nullopt;
  lead.owner_id = reps_[static_cast<size_t>(rep)].id;
  lead.account_id =
      account_index >= 0
          ? std::optional<AccountId>(AccountId{briefs_[static_cast<size_t>(account_index)].id})
          : std::nullopt;
  lead.created_on = ToDate(At(created));
  lead.created_at = At(created);
  lead.updated_at = lead.created_at;

  // Status: fresh leads are mostly untouched; older ones by how well the campaign works.
  // Weights of new, working, warm, qualified, disqualified.
  static constexpr int kMixFresh[] = {45, 30, 15, 5, 5};
  static constexpr int kMixWorks[] = {5, 10, 15, 40, 30};
  static constexpr int kMixFails[] = {40, 10, 3, 2, 45};
  static constexpr int kMixOrdinary[] = {20, 15, 10, 15, 40};
  static constexpr int kMixReferral[] = {10, 15, 15, 35, 25};
  const bool fresh = today_rel_ - created < 45;
  const int* mix = fresh                             ? kMixFresh
                   : source == LeadSource::kReferral ? kMixReferral
                   : def && def->quality == kWorks   ? kMixWorks
                   : def && def->quality == kFails   ? kMixFails
                                                     : kMixOrdinary;
  const int status_index = r.Weighted(std::span<const int>(mix, 5));
  lead.status = static_cast<LeadStatus>(status_index);
  SB_ASSIGN_OR_RETURN(const LeadId id, s.leads().Insert(lead));
  ++summary_.leads;
  ++rows_in_transaction_;

  // Follow-up: none for new leads; a call for the others, a meeting for the qualified, and a
  // planned next activity on most warm leads.
  const int64_t owner = lead.owner_id->value;
  const int64_t account = lead.account_id ? lead.account_id->value : 0;
  const double room = std::max(0.05, std::min(10.0, today_rel_ - created - 0.05));
  const double t1 = created + room * r.Uniform(0.1, 0.6);
  const double t2 = created + room * r.Uniform(0.6, 1.0);
  const double planned_u = r.Uniform();
  const double planned_t = today_rel_ + 1 + 13 * r.Uniform();
  switch (lead.status) {
    case LeadStatus::kNew:
      break;
    case LeadStatus::kWorking:
    case LeadStatus::kDisqualified:
      AddActivity(r, t1, ActivityType::kCall, account, 0, 0, id.value, owner, 0);
      break;
    case LeadStatus::kWarm:
      AddActivity(r, t1, ActivityType::kCall, account, 0, 0, id.value, owner, 0);
      AddActivity(r, t2, ActivityType::kEmail, account, 0, 0, id.value, owner, 0);
      if (planned_u < 0.8) {
        AddActivity(r, planned_t, ActivityType::kCall, account, 0, 0, id.value, owner, 1.0);
      }
      break;
    case LeadStatus::kQualified:
      AddActivity(r, t1, ActivityType::kCall, account, 0, 0, id.value, owner, 0);
      AddActivity(r, t2, ActivityType::kMeeting, account, 0, 0, id.value, owner, 0);
      break;
  }
  return Status::Ok();
}

Status Generator::GenerateLeads() {
  // The work list: (campaign or -1, source, from, to, count), generated in this order.
  struct Batch {
    int campaign;
    LeadSource source;
    double lo;
    double hi;
    int64_t count;
  };
  std::vector<Batch> batches;
  const double scale = options_.scale;
  for (int i = 0; i < static_cast<int>(campaigns_.size()); ++i) {
    const CampaignInfo& info = campaigns_[static_cast<size_t>(i)];
    const CampaignDef& def = kCampaignDefs[info.def];
    const LeadSource source =
        def.channel == CampaignChannel::kTradeShow ? LeadSource::kTradeShow : LeadSource::kCampaign;
    const double hi = std::min(today_rel_ - 0.5,
                               info.end_rel + (def.channel == CampaignChannel::kEmail ? 14 : 2));
    batches.push_back({i, source, info.start_rel, hi, std::llround(def.leads * scale)});
  }
  batches.push_back(
      {-1, LeadSource::kWeb, 0, today_rel_ - 0.5, std::llround(kWebLeadsPerYear * 3 * scale)});
  batches.push_back({-1, LeadSource::kReferral, 0, today_rel_ - 0.5,
                     std::llround(kReferralLeadsPerYear * 3 * scale)});

  size_t batch = 0;
  int64_t in_batch = 0;
  int64_t index = 0;
  while (batch < batches.size()) {
    SB_RETURN_IF_ERROR(store_.Transact([&](storage::Store& s) -> Status {
      rows_in_transaction_ = 0;
      while (batch < batches.size() && rows_in_transaction_ < kRowsPerTransaction &&
             Buffered() < kBufferedRows) {
        const Batch& b = batches[batch];
        if (in_batch >= b.count) {
          ++batch;
          in_batch = 0;
          continue;
        }
        if (Status status = GenerateLead(s, index, b.campaign, b.source, b.lo, b.hi);
            !status.ok()) {
          return status.WithContext("demo: lead LEAD-" + std::to_string(index + 1));
        }
        ++index;
        ++in_batch;
      }
      return Status::Ok();
    }));
    if (Buffered() >= kBufferedRows) SB_RETURN_IF_ERROR(FlushBuffers());
  }
  SB_RETURN_IF_ERROR(FlushBuffers());
  Progress("leads " + std::to_string(summary_.leads));
  return Status::Ok();
}

Result<DemoSummary> Generator::Run() {
  SB_RETURN_IF_ERROR(CheckEmpty());
  SB_RETURN_IF_ERROR(store_.Transact([&](storage::Store& s) { return CreateOrganisation(s); }));
  Progress("organisation: " + std::to_string(summary_.teams) + " teams, " +
           std::to_string(summary_.users) + " users");
  // Everything below is bulk: index maintenance per row would dominate at --scale 100.
  SB_RETURN_IF_ERROR(store_.BulkLoad([this](storage::Store&) -> Status {
    SB_RETURN_IF_ERROR(GenerateAccounts());
    return GenerateLeads();
  }));
  SB_RETURN_IF_ERROR(store_.Transact([&](storage::Store& s) { return CreateCascade(s); }));
  return summary_;
}

// The core segments' value propositions (the company sells industrial services: maintenance,
// spare parts, monitoring) and this year's objectives. Money targets are last year's result in
// each currency plus 10 %, rounded to 100,000, so they fit the company at any scale.
constexpr struct {
  int segment;
  std::string_view statement, key_issues, discovery_questions, proof_points;
} kValuePropositions[] = {
    {kSegmentIndustrial,
     "Fewer unplanned stops: we keep production lines running with predictive maintenance and "
     "spare parts on site within 24 hours.",
     "Unplanned downtime costs more than the maintenance budget\n"
     "Skilled technicians are retiring and hard to replace\n"
     "Spare-parts stock ties up working capital",
     "How many hours of unplanned downtime did you have last year, and what did an hour cost?\n"
     "Who decides between repairing and replacing a machine?\n"
     "How do you plan maintenance today: calendar, condition or breakdown?",
     "Danish food producer: downtime down 38 % in the first year\n"
     "Swedish packaging plant: spare-parts stock down 22 %"},
    {kSegmentIndustrial + 1,
     "Warehouses and fleets that never wait for a part: service level agreements with response "
     "times your customers can rely on.",
     "Peak seasons leave no room for equipment failure\n"
     "Service partners vary from site to site\n"
     "Customers penalise late deliveries",
     "What happens to your deliveries when a sorter or a forklift fleet stops?\n"
     "How many service partners do you manage across your sites?\n"
     "Which delivery promises carry penalties?",
     "Norwegian 3PL: one service agreement for 14 sites\n"
     "Danish wholesaler: 99.2 % uptime through the Christmas peak"},
    {kSegmentIndustrial + 2,
     "Safe, documented operation of critical assets: inspections, monitoring and reporting that "
     "satisfy the regulator.",
     "Regulatory reporting takes engineers away from operations\n"
     "Ageing assets with rising failure risk\n"
     "The green transition adds new asset types",
     "Which inspections are you required to document, and how long does it take?\n"
     "Which assets would you replace first if the budget allowed?\n"
     "How do you monitor remote sites today?",
     "Swedish district heating company: inspection reports in half the time\n"
     "Norwegian hydropower: remote monitoring of 40 stations"},
};

Status Generator::CreateCascade(storage::Store& s) {
  const Timestamp now = StartOf(options_.today);
  for (const auto& def : kValuePropositions) {
    ValueProposition v;
    v.segment_id = segment_ids_[static_cast<size_t>(def.segment)];
    v.statement.assign(def.statement);
    v.key_issues.assign(def.key_issues);
    v.discovery_questions.assign(def.discovery_questions);
    v.proof_points.assign(def.proof_points);
    v.created_at = now;
    v.updated_at = now;
    SB_RETURN_IF_ERROR(s.value_propositions().Insert(v).status());
  }

  const std::chrono::year_month_day today(options_.today);
  const Date year_start = std::chrono::sys_days(today.year() / std::chrono::January / 1);
  const Date year_end = std::chrono::sys_days(today.year() / std::chrono::December / 31);
  const Date last_year_start =
      std::chrono::sys_days((today.year() - std::chrono::years(1)) / std::chrono::January / 1);
  const unsigned quarter_month = (static_cast<unsigned>(today.month()) - 1) / 3 * 3 + 1;
  const Date quarter_start =
      std::chrono::sys_days(today.year() / std::chrono::month(quarter_month) / 1);
  const Date quarter_end = std::chrono::sys_days(std::chrono::year_month_day_last(
      today.year() / std::chrono::month(quarter_month + 2) / std::chrono::last));

  Objective o;
  o.created_at = now;
  o.updated_at = now;
  auto add = [&](std::string name, ObjectiveMetric metric, double target,
                 std::optional<Money> amount, Date start, Date end) {
    o.name = std::move(name);
    o.metric = metric;
    o.target = target;
    o.target_amount = amount;
    o.period_start = start;
    o.period_end = end;
    return s.objectives().Insert(o).status();
  };

  // Last year's won amount per currency.
  storage::AggregateQuery won;
  won.filters = {storage::Match("stage", storage::FilterOp::kEq, {std::string("closed_won")}),
                 storage::Match("closed_on", storage::FilterOp::kGe, {FormatDate(last_year_start)}),
                 storage::Match("closed_on", storage::FilterOp::kLt, {FormatDate(year_start)})};
  won.group_by = {"amount_currency"};
  won.aggregates = {{storage::AggregateFn::kSum, "amount_minor"}};
  std::vector<Money> last_year;
  SB_RETURN_IF_ERROR(s.opportunities().Aggregate(won, [&](const storage::AggregateRow& row) {
    const auto* code = std::get_if<std::string>(&row.keys[0]);
    const auto* sum = std::get_if<int64_t>(&row.values[0]);
    if (code == nullptr || sum == nullptr) return Status::Ok();
    SB_ASSIGN_OR_RETURN(Currency currency, Currency::Parse(*code));
    last_year.push_back(Money{*sum, currency});
    return Status::Ok();
  }));
  for (const Money& m : last_year) {
    const int64_t step = 100000 * static_cast<int64_t>(std::pow(10, m.currency.minor_digits()));
    const int64_t target =
        std::max<int64_t>(step, (m.minor_units * 11 / 10 + step / 2) / step * step);
    SB_RETURN_IF_ERROR(add("New sales " + m.currency.ToString() + " +10 %",
                           ObjectiveMetric::kWonAmount, 0, Money{target, m.currency}, year_start,
                           year_end));
  }
  SB_RETURN_IF_ERROR(add("Gross margin 30 % in Denmark", ObjectiveMetric::kMarginPct, 30,
                         Money{0, *Currency::Parse("DKK")}, year_start, year_end));
  SB_RETURN_IF_ERROR(add("Win rate 30 % this quarter", ObjectiveMetric::kWinRate, 30, std::nullopt,
                         quarter_start, quarter_end));
  SB_RETURN_IF_ERROR(add("A third of our meetings in core segments",
                         ObjectiveMetric::kCoreMeetingShare, 35, std::nullopt, quarter_start,
                         quarter_end));
  return Status::Ok();
}

}  // namespace

Result<DemoSummary> GenerateDemoCompany(storage::Store& store, const DemoOptions& options) {
  if (!(options.scale >= kMinScale && options.scale <= kMaxScale)) {
    char scale[32];
    std::snprintf(scale, sizeof scale, "%g", options.scale);
    return Status::InvalidArgument("demo: scale " + std::string(scale) +
                                   " is outside 0.001..250 (1 is the default company)");
  }
  const int year = static_cast<int>(std::chrono::year_month_day(options.today).year());
  if (options.today == Date{} || year < 2000 || year > 2200) {
    return Status::InvalidArgument("demo: today (" + FormatDate(options.today) +
                                   ") must be set to a date in 2000..2200");
  }
  Generator generator(store, options);
  return generator.Run();
}

}  // namespace salesbox::demo

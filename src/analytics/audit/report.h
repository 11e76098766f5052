// SPDX-License-Identifier: MIT
// The consolidated audit report (DESIGN.md section 2, "Audit run"): counts and value by colour
// per team, rep, segment and stage (classes for customers), customers and opportunities
// separately; the worst items by value at risk; the weakest area per rep and team; the trend
// against a previous run; and the open action plans. Pure: names and the previous run come in
// as data.
//
// Money is summed per currency and never converted (salesbox has no exchange rates): every value
// is a map currency -> minor units, and the worst items are ranked within each currency.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "analytics/audit/audit.h"

namespace salesbox::analytics::audit {

struct Person {
  std::string name;
  std::string email;
  int64_t team_id = 0;
};

// What the report needs to name things, beside the facts.
struct Labels {
  CowVector<std::string> opportunity_external_ids;  // aligned with AuditInput::opportunities
  CowVector<std::string> opportunity_names;
  CowVector<std::string> account_external_ids;  // aligned with AuditInput::accounts
  CowVector<std::string> account_names;
  std::unordered_map<int64_t, Person> people;
  std::unordered_map<int64_t, std::string> teams;
  std::unordered_map<int64_t, std::string> segments;
};

// A previous saved run, for the trend: each item's colour then.
struct PreviousRun {
  int64_t id = 0;
  Day as_of = 0;
  std::map<std::pair<SubjectType, int64_t>, Colour> colours;
};

// An action created from a finding, with where it stands now.
struct ActionStatus {
  int64_t activity_id = 0;
  SubjectType subject_type = SubjectType::kOpportunity;
  int64_t subject_id = 0;
  std::string subject_name;
  std::string criterion_id;  // empty: a staleness finding
  std::string criterion_text;
  int64_t owner_id = 0;
  Day due = kNoDay;
  bool done = false;  // the activity is completed
  // Whether the gap is closed in this audit: the criterion is now met (or, for staleness, the
  // item is no longer stale); empty when the subject was not audited.
  std::optional<bool> closed;
};

using Values = std::map<std::string, std::array<int64_t, 3>>;  // currency -> value per colour

struct Tally {
  std::array<int64_t, 3> count{};  // per Colour
  Values value;                    // amount (opportunities) or 12-month margin (customers)
  int64_t items() const { return count[0] + count[1] + count[2]; }
};

struct GroupRow {
  std::string key;    // team name, rep e-mail, segment name, stage or class
  std::string label;  // what to show: the team's or rep's name ...
  int64_t id = 0;     // by_team: the team's id, by_rep: the user's id (filters take them); else 0
  Tally tally;
  std::array<double, kAreaCount> mean_score{};
  std::array<double, kAreaCount> meets_minimum{};  // share of items meeting the area minimum
  std::array<double, kAreaCount> mean_gap{};
  int weakest_area = -1;  // the area whose mean gap exceeds the whole audit's the most; -1 none
};

// One subject type's part of the report.
struct Section {
  SubjectType subject_type = SubjectType::kOpportunity;
  const Playbook* playbook = nullptr;
  Tally total;
  std::array<double, kAreaCount> mean_gap{};  // over all items of the section
  std::vector<GroupRow> by_team;
  std::vector<GroupRow> by_rep;
  std::vector<GroupRow> by_segment;
  std::vector<GroupRow> by_stage;  // stages for opportunities, ABC classes for customers
  // Indexes into the items vector: red and yellow items, the highest value first, per currency.
  std::map<std::string, std::vector<size_t>> worst;
};

struct Trend {
  int64_t previous_run_id = 0;
  Day previous_as_of = 0;
  int64_t to_green = 0;   // were yellow or red
  int64_t to_red = 0;     // were green or yellow
  int64_t to_yellow = 0;  // were green or red
  int64_t unchanged = 0;
  int64_t added = 0;  // not in the previous run
  int64_t gone = 0;   // in the previous run only
};

struct Report {
  Day as_of = 0;
  std::string scope;
  std::array<int64_t, 3> summary{};  // per Colour, over every item
  std::vector<Section> sections;     // opportunities, then customers (those audited)
  std::optional<Trend> trend;
  std::vector<ActionStatus> actions;
};

struct ReportOptions {
  std::string scope = "company";
  size_t worst_per_currency = 20;
};

Report Consolidate(const AuditInput& input, const std::vector<ItemResult>& items,
                   const Labels& labels, const std::optional<PreviousRun>& previous,
                   std::vector<ActionStatus> actions, const ReportOptions& options);

// The value an item puts at risk (its amount, or a customer's 12-month margin).
Money ItemValue(const AuditInput& input, const ItemResult& item);
int64_t ItemId(const AuditInput& input, const ItemResult& item);

// The machine-readable report: {"as_of", "scope", "locale", "summary", "sections", "trend",
// "actions", "items": [{subject_type, id, external_id, name, owner, owner_name, team, stage,
// colour, area_scores, area_minimums, stale, value, answers, reasons, actions}]}.
// `with_items` false leaves "items" out (for a summary).
nlohmann::json ReportJson(const AuditInput& input, const std::vector<ItemResult>& items,
                          const Labels& labels, const Report& report, int locale,
                          bool with_items = true);

// One item as ReportJson lists it.
nlohmann::json ItemJson(const AuditInput& input, const ItemResult& item, const Labels& labels,
                        int locale);

// ReportJson written piece by piece to `write` (compact, one line), without building the whole
// tree: for audits of hundreds of thousands of items.
void WriteReportJson(const AuditInput& input, const std::vector<ItemResult>& items,
                     const Labels& labels, const Report& report, int locale,
                     const std::function<void(std::string_view)>& write);

// One CSV row per item (header first): subject_type,id,external_id,name,owner,team,stage,colour,
// score_1..score_5,minimum_1..minimum_5,stale,value,currency,reasons,actions (reasons and actions
// joined with " | ").
std::string ReportCsv(const AuditInput& input, const std::vector<ItemResult>& items,
                      const Labels& labels, int locale);

// A terminal summary: totals, per team and per rep, worst items, trend, open actions.
std::string ReportTable(const AuditInput& input, const std::vector<ItemResult>& items,
                        const Labels& labels, const Report& report, int locale);

}  // namespace salesbox::analytics::audit

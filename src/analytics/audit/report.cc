// SPDX-License-Identifier: MIT
#include "analytics/audit/report.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <unordered_map>
#include <utility>

#include <nlohmann/json.hpp>

#include "common/json_text.h"
#include "common/time.h"

namespace salesbox::analytics::audit {
namespace {

using Json = nlohmann::json;

const Playbook& PlaybookOf(const AuditInput& input, SubjectType type) {
  return type == SubjectType::kOpportunity ? *input.opportunity_playbook : *input.account_playbook;
}

int64_t OwnerOf(const AuditInput& input, const ItemResult& item) {
  return item.subject_type == SubjectType::kOpportunity
             ? input.opportunities[static_cast<size_t>(item.index)].owner_id
             : input.accounts[static_cast<size_t>(item.index)].owner_id;
}

int64_t SegmentOf(const AuditInput& input, const ItemResult& item) {
  int32_t account = item.index;
  if (item.subject_type == SubjectType::kOpportunity) {
    account = input.opportunities[static_cast<size_t>(item.index)].account;
  }
  return account >= 0 ? input.accounts[static_cast<size_t>(account)].segment_id : 0;
}

std::string StageOf(const ItemResult& item, const AuditInput& input) {
  if (item.subject_type == SubjectType::kOpportunity) {
    return std::string(ToString(input.opportunities[static_cast<size_t>(item.index)].stage));
  }
  return std::string(1, item.abc_class);
}

// Accumulates one group's tally and area statistics.
struct Accumulator {
  std::string label;
  int64_t id = 0;  // the team's or rep's id; 0 for other groupings
  Tally tally;
  std::array<int64_t, kAreaCount> score_sum{};
  std::array<int64_t, kAreaCount> meets{};
  std::array<int64_t, kAreaCount> gap_sum{};

  void Add(const ItemResult& item, const Money& value) {
    const size_t c = static_cast<size_t>(item.colour);
    ++tally.count[c];
    tally.value[value.currency.ToString()][c] += value.minor_units;
    for (int a = 0; a < kAreaCount; ++a) {
      score_sum[a] += item.scores[a];
      gap_sum[a] += item.Gap(a);
      if (item.Gap(a) == 0) ++meets[a];
    }
  }

  GroupRow Finish(std::string key, const std::array<double, kAreaCount>& overall_gap) const {
    GroupRow row;
    row.key = std::move(key);
    row.label = label.empty() ? row.key : label;
    row.id = id;
    row.tally = tally;
    const double n = static_cast<double>(tally.items());
    double worst = 0;
    for (int a = 0; a < kAreaCount && n > 0; ++a) {
      row.mean_score[a] = static_cast<double>(score_sum[a]) / n;
      row.meets_minimum[a] = static_cast<double>(meets[a]) / n;
      row.mean_gap[a] = static_cast<double>(gap_sum[a]) / n;
      const double excess = row.mean_gap[a] - overall_gap[a];
      if (excess > worst + 1e-12) {
        worst = excess;
        row.weakest_area = a;
      }
    }
    return row;
  }
};

std::vector<GroupRow> Rows(const std::map<std::string, Accumulator>& groups,
                           const std::array<double, kAreaCount>& overall_gap) {
  std::vector<GroupRow> rows;
  rows.reserve(groups.size());
  for (const auto& [key, accumulator] : groups)
    rows.push_back(accumulator.Finish(key, overall_gap));
  return rows;
}

Json TallyJson(const Tally& tally) {
  Json value = Json::object();
  for (const auto& [currency, per_colour] : tally.value) {
    value[currency] = {{"green", per_colour[0]}, {"yellow", per_colour[1]}, {"red", per_colour[2]}};
  }
  return {{"items", tally.items()},
          {"green", tally.count[0]},
          {"yellow", tally.count[1]},
          {"red", tally.count[2]},
          {"value_minor", value}};
}

Json AreasJson(const std::array<double, kAreaCount>& values) {
  Json out = Json::array();
  for (double v : values) out.push_back(std::round(v * 1000.0) / 1000.0);
  return out;
}

Json GroupJson(const GroupRow& row, const Playbook& playbook, int locale) {
  return {{"key", row.key},
          {"id", row.id == 0 ? Json(nullptr) : Json(row.id)},
          {"label", row.label},
          {"tally", TallyJson(row.tally)},
          {"mean_score", AreasJson(row.mean_score)},
          {"meets_minimum", AreasJson(row.meets_minimum)},
          {"mean_gap", AreasJson(row.mean_gap)},
          {"weakest_area",
           row.weakest_area < 0 ? Json(nullptr) : Json(playbook.areas[row.weakest_area].id)},
          {"weakest_area_name", row.weakest_area < 0
                                    ? Json(nullptr)
                                    : Json(playbook.areas[row.weakest_area].name.In(locale))}};
}

std::string DayText(Day day) {
  if (day == kNoDay) return std::string();
  return FormatDate(Date(std::chrono::days(day)));
}

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// `text` cut or padded to `width` characters (UTF-8 code points), for aligned columns.
std::string Column(std::string_view text, size_t width) {
  std::string out;
  size_t chars = 0;
  for (size_t i = 0; i < text.size();) {
    size_t len = 1;
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0xF0) {
      len = 4;
    } else if (c >= 0xE0) {
      len = 3;
    } else if (c >= 0xC0) {
      len = 2;
    }
    if (chars == width) break;
    out.append(text.substr(i, len));
    ++chars;
    i += len;
  }
  out.append(width - chars, ' ');
  return out;
}

// The terminal table's own words, per locale of kLocales (the playbook has the rest).
struct TableWords {
  const char* header;  // as of, scope, items, green, yellow, red
  const char* team;
  const char* rep;
  const char* stage;
  const char* segment;
  const char* items;
  const char* colours[3];
  const char* weakest;
  const char* at_risk;  // currency
  const char* trend;    // run, as of, to green, to yellow, to red, unchanged, new, gone
  const char* actions;  // actions, open, gaps closed
};

constexpr TableWords kTableWords[] = {
    {"Audit as of %s (%s): %lld items: %lld green, %lld yellow, %lld red\n",
     "team",
     "rep",
     "stage",
     "segment",
     "items",
     {"green", "yellow", "red"},
     "weakest area",
     "value at risk (%s), highest first:",
     "trend against run %lld (as of %s): %lld to green, %lld to yellow, %lld to red, %lld "
     "unchanged, %lld new, %lld gone",
     "action plans: %zu actions, %lld open, %lld gaps closed"},
    {"Audit pr. %s (%s): %lld poster: %lld grønne, %lld gule, %lld røde\n",
     "team",
     "sælger",
     "fase",
     "segment",
     "poster",
     {"grøn", "gul", "rød"},
     "svageste område",
     "værdi i risiko (%s), højeste først:",
     "udvikling siden kørsel %lld (pr. %s): %lld til grøn, %lld til gul, %lld til rød, %lld "
     "uændrede, %lld nye, %lld væk",
     "handlingsplaner: %zu handlinger, %lld åbne, %lld huller lukket"},
    {"Revision per %s (%s): %lld poster: %lld gröna, %lld gula, %lld röda\n",
     "team",
     "säljare",
     "fas",
     "segment",
     "poster",
     {"grön", "gul", "röd"},
     "svagaste område",
     "värde i riskzonen (%s), högst först:",
     "utveckling sedan körning %lld (per %s): %lld till grön, %lld till gul, %lld till röd, %lld "
     "oförändrade, %lld nya, %lld borta",
     "handlingsplaner: %zu åtgärder, %lld öppna, %lld luckor stängda"},
    {"Revisjon per %s (%s): %lld poster: %lld grønne, %lld gule, %lld røde\n",
     "team",
     "selger",
     "fase",
     "segment",
     "poster",
     {"grønn", "gul", "rød"},
     "svakeste område",
     "verdi i risiko (%s), høyest først:",
     "utvikling siden kjøring %lld (per %s): %lld til grønn, %lld til gul, %lld til rød, %lld "
     "uendret, %lld nye, %lld borte",
     "handlingsplaner: %zu tiltak, %lld åpne, %lld hull lukket"},
};

// `text` right-aligned in `width` characters.
std::string Right(std::string_view text, size_t width) {
  std::string padded = Column(text, width);
  size_t end = padded.find_last_not_of(' ');
  std::string trimmed = end == std::string::npos ? std::string() : padded.substr(0, end + 1);
  return std::string(padded.size() - trimmed.size(), ' ') + trimmed;
}

std::string MoneyText(int64_t minor, const std::string& currency) {
  // Whole major units with thin grouping; the table is for reading, JSON/CSV keep minor units.
  Result<Currency> parsed = Currency::Parse(currency);
  return FormatWholeGrouped(minor, parsed.ok() ? parsed->minor_digits() : 2) + " " + currency;
}

}  // namespace

Money ItemValue(const AuditInput& input, const ItemResult& item) {
  if (item.subject_type == SubjectType::kOpportunity) {
    return input.opportunities[static_cast<size_t>(item.index)].amount;
  }
  const AccountFacts& account = input.accounts[static_cast<size_t>(item.index)];
  return Money{account.margin_last_365, account.currency};
}

int64_t ItemId(const AuditInput& input, const ItemResult& item) {
  return item.subject_type == SubjectType::kOpportunity
             ? input.opportunities[static_cast<size_t>(item.index)].id
             : input.accounts[static_cast<size_t>(item.index)].id;
}

Report Consolidate(const AuditInput& input, const std::vector<ItemResult>& items,
                   const Labels& labels, const std::optional<PreviousRun>& previous,
                   std::vector<ActionStatus> actions, const ReportOptions& options) {
  Report report;
  report.as_of = input.as_of;
  report.scope = options.scope;
  for (SubjectType type : {SubjectType::kOpportunity, SubjectType::kAccount}) {
    const Playbook* playbook =
        type == SubjectType::kOpportunity ? input.opportunity_playbook : input.account_playbook;
    if (playbook == nullptr) continue;
    Section section;
    section.subject_type = type;
    section.playbook = playbook;
    Accumulator all;
    std::map<std::string, Accumulator> teams, reps, segments, stages;
    for (size_t i = 0; i < items.size(); ++i) {
      const ItemResult& item = items[i];
      if (item.subject_type != type) continue;
      const Money value = ItemValue(input, item);
      all.Add(item, value);
      const int64_t owner = OwnerOf(input, item);
      const auto person = labels.people.find(owner);
      const int64_t team_id = person == labels.people.end() ? 0 : person->second.team_id;
      const auto team = labels.teams.find(team_id);
      const std::string team_name = team == labels.teams.end() ? std::string() : team->second;
      Accumulator& by_team = teams[team_name.empty() ? "(no team)" : team_name];
      by_team.id = team_name.empty() ? 0 : team_id;
      by_team.Add(item, value);
      if (person != labels.people.end()) {
        Accumulator& by_rep = reps[person->second.email];
        by_rep.label = person->second.name;
        by_rep.id = owner;
        by_rep.Add(item, value);
      } else {
        reps["(no owner)"].Add(item, value);
      }
      const auto segment = labels.segments.find(SegmentOf(input, item));
      segments[segment == labels.segments.end() ? "(no segment)" : segment->second].Add(item,
                                                                                        value);
      stages[StageOf(item, input)].Add(item, value);
      if (item.colour != Colour::kGreen && value.minor_units > 0) {
        section.worst[value.currency.ToString()].push_back(i);
      }
    }
    section.total = all.tally;
    const double n = static_cast<double>(all.tally.items());
    for (int a = 0; a < kAreaCount && n > 0; ++a) {
      section.mean_gap[a] = static_cast<double>(all.gap_sum[a]) / n;
    }
    section.by_team = Rows(teams, section.mean_gap);
    section.by_rep = Rows(reps, section.mean_gap);
    section.by_segment = Rows(segments, section.mean_gap);
    section.by_stage = Rows(stages, section.mean_gap);
    if (type == SubjectType::kOpportunity) {
      // Stages in pipeline order rather than by name.
      auto order = [](const GroupRow& row) {
        Result<Stage> stage = ParseEnum<Stage>(row.key);
        return stage.ok() ? static_cast<int>(*stage) : 99;
      };
      std::sort(section.by_stage.begin(), section.by_stage.end(),
                [&order](const GroupRow& x, const GroupRow& y) { return order(x) < order(y); });
    }
    for (auto& [currency, indexes] : section.worst) {
      std::sort(indexes.begin(), indexes.end(), [&](size_t x, size_t y) {
        const int64_t vx = ItemValue(input, items[x]).minor_units;
        const int64_t vy = ItemValue(input, items[y]).minor_units;
        if (vx != vy) return vx > vy;
        if (items[x].colour != items[y].colour) return items[x].colour > items[y].colour;
        return ItemId(input, items[x]) < ItemId(input, items[y]);
      });
      if (indexes.size() > options.worst_per_currency) indexes.resize(options.worst_per_currency);
    }
    for (int c = 0; c < 3; ++c) report.summary[c] += section.total.count[c];
    report.sections.push_back(std::move(section));
  }
  if (previous) {
    Trend trend;
    trend.previous_run_id = previous->id;
    trend.previous_as_of = previous->as_of;
    int64_t matched = 0;
    for (const ItemResult& item : items) {
      auto it = previous->colours.find({item.subject_type, ItemId(input, item)});
      if (it == previous->colours.end()) {
        ++trend.added;
        continue;
      }
      ++matched;
      if (it->second == item.colour) {
        ++trend.unchanged;
      } else if (item.colour == Colour::kGreen) {
        ++trend.to_green;
      } else if (item.colour == Colour::kRed) {
        ++trend.to_red;
      } else {
        ++trend.to_yellow;
      }
    }
    trend.gone = static_cast<int64_t>(previous->colours.size()) - matched;
    report.trend = trend;
  }
  // Whether each action's gap is closed now.
  std::unordered_map<int64_t, size_t> opportunity_item, account_item;
  for (size_t i = 0; i < items.size(); ++i) {
    (items[i].subject_type == SubjectType::kOpportunity ? opportunity_item
                                                        : account_item)[ItemId(input, items[i])] =
        i;
  }
  for (ActionStatus& action : actions) {
    const auto& index =
        action.subject_type == SubjectType::kOpportunity ? opportunity_item : account_item;
    auto it = index.find(action.subject_id);
    if (it == index.end()) continue;
    const ItemResult& item = items[it->second];
    if (action.criterion_id.empty()) {
      action.closed = !item.stale;
      continue;
    }
    const Playbook& playbook = PlaybookOf(input, item.subject_type);
    for (size_t c = 0; c < playbook.criteria.size(); ++c) {
      if (playbook.criteria[c].id == action.criterion_id) {
        action.closed = item.answers[c] == Answer::kYes;
      }
    }
  }
  report.actions = std::move(actions);
  return report;
}

Json ReportJson(const AuditInput& input, const std::vector<ItemResult>& items, const Labels& labels,
                const Report& report, int locale, bool with_items) {
  Json out;
  out["as_of"] = DayText(report.as_of);
  out["scope"] = report.scope;
  out["locale"] = std::string(kLocales[static_cast<size_t>(locale)]);
  out["summary"] = {{"items", report.summary[0] + report.summary[1] + report.summary[2]},
                    {"green", report.summary[0]},
                    {"yellow", report.summary[1]},
                    {"red", report.summary[2]}};
  Json sections = Json::array();
  for (const Section& section : report.sections) {
    const Playbook& playbook = *section.playbook;
    Json areas = Json::array();
    for (const Area& area : playbook.areas) {
      areas.push_back({{"id", area.id}, {"name", area.name.In(locale)}});
    }
    Json s = {{"subject_type", std::string(ToString(section.subject_type))},
              {"playbook", playbook.name},
              {"playbook_title", playbook.title.In(locale)},
              {"areas", areas},
              {"total", TallyJson(section.total)},
              {"mean_gap", AreasJson(section.mean_gap)}};
    for (const auto& [name, rows] :
         {std::pair<const char*, const std::vector<GroupRow>*>{"by_team", &section.by_team},
          {"by_rep", &section.by_rep},
          {"by_segment", &section.by_segment},
          {"by_stage", &section.by_stage}}) {
      Json list = Json::array();
      for (const GroupRow& row : *rows) list.push_back(GroupJson(row, playbook, locale));
      s[name] = list;
    }
    Json worst = Json::object();
    for (const auto& [currency, indexes] : section.worst) {
      Json list = Json::array();
      for (size_t i : indexes) {
        const ItemResult& item = items[i];
        const bool is_deal = item.subject_type == SubjectType::kOpportunity;
        const size_t k = static_cast<size_t>(item.index);
        list.push_back({{"id", ItemId(input, item)},
                        {"name", is_deal ? labels.opportunity_names[k] : labels.account_names[k]},
                        {"colour", std::string(ColourName(item.colour))},
                        {"value_minor", ItemValue(input, item).minor_units}});
      }
      worst[currency] = list;
    }
    s["worst"] = worst;
    sections.push_back(s);
  }
  out["sections"] = sections;
  if (report.trend) {
    const Trend& t = *report.trend;
    out["trend"] = {{"previous_run_id", t.previous_run_id},
                    {"previous_as_of", DayText(t.previous_as_of)},
                    {"to_green", t.to_green},
                    {"to_yellow", t.to_yellow},
                    {"to_red", t.to_red},
                    {"unchanged", t.unchanged},
                    {"added", t.added},
                    {"gone", t.gone}};
  } else {
    out["trend"] = nullptr;
  }
  Json actions = Json::array();
  for (const ActionStatus& a : report.actions) {
    const auto person = labels.people.find(a.owner_id);
    std::string criterion_text = a.criterion_text;
    const Playbook* playbook = a.subject_type == SubjectType::kOpportunity
                                   ? input.opportunity_playbook
                                   : input.account_playbook;
    if (playbook != nullptr) {
      if (const Criterion* c = playbook->Find(a.criterion_id)) criterion_text = c->text.In(locale);
    }
    actions.push_back({{"activity_id", a.activity_id},
                       {"subject_type", std::string(ToString(a.subject_type))},
                       {"subject_id", a.subject_id},
                       {"subject_name", a.subject_name},
                       {"criterion_id", a.criterion_id},
                       {"criterion", criterion_text},
                       {"owner", person == labels.people.end() ? "" : person->second.email},
                       {"due", DayText(a.due)},
                       {"done", a.done},
                       {"gap_closed", a.closed ? Json(*a.closed) : Json(nullptr)}});
  }
  out["actions"] = actions;
  if (!with_items) return out;
  Json list = Json::array();
  for (const ItemResult& item : items) list.push_back(ItemJson(input, item, labels, locale));
  out["items"] = std::move(list);
  return out;
}

Json ItemJson(const AuditInput& input, const ItemResult& item, const Labels& labels, int locale) {
  const Playbook& playbook = PlaybookOf(input, item.subject_type);
  const bool is_deal = item.subject_type == SubjectType::kOpportunity;
  const size_t k = static_cast<size_t>(item.index);
  const auto person = labels.people.find(OwnerOf(input, item));
  std::string team;
  if (person != labels.people.end()) {
    auto t = labels.teams.find(person->second.team_id);
    if (t != labels.teams.end()) team = t->second;
  }
  const Money value = ItemValue(input, item);
  Json answers = Json::object();
  for (size_t c = 0; c < playbook.criteria.size(); ++c) {
    answers[playbook.criteria[c].id] = std::string(ToString(item.answers[c]));
  }
  Json reasons = Json::array();
  Json todo = Json::array();
  for (const Finding& f : item.findings) {
    reasons.push_back(FindingReason(f, playbook, locale));
    todo.push_back(FindingAction(f, playbook, locale));
  }
  return Json{
      {"subject_type", std::string(ToString(item.subject_type))},
      {"id", ItemId(input, item)},
      {"external_id",
       is_deal ? labels.opportunity_external_ids[k] : labels.account_external_ids[k]},
      {"name", is_deal ? labels.opportunity_names[k] : labels.account_names[k]},
      {"owner", person == labels.people.end() ? "" : person->second.email},
      {"owner_name", person == labels.people.end() ? "" : person->second.name},
      {"team", team},
      {"stage", is_deal ? StageOf(item, input) : std::string("customer")},
      {"abc_class", is_deal ? Json(nullptr) : Json(std::string(1, item.abc_class))},
      {"colour", std::string(ColourName(item.colour))},
      {"area_scores", Json(std::vector<int>(item.scores.begin(), item.scores.end()))},
      {"area_minimums", Json(std::vector<int>(item.minimums.begin(), item.minimums.end()))},
      {"stale", item.stale},
      {"value", {{"minor", value.minor_units}, {"currency", value.currency.ToString()}}},
      {"answers", answers},
      {"reasons", reasons},
      {"actions", todo},
      {"findings",
       [&item, &playbook] {
         Json codes = Json::array();
         for (const Finding& f : item.findings) {
           static constexpr const char* kKinds[] = {"criterion", "no_recent_activity",
                                                    "next_step_passed", "close_date_passed",
                                                    "touchpoints_missed"};
           codes.push_back(
               {{"kind", kKinds[static_cast<int>(f.kind)]},
                {"criterion", f.criterion < 0
                                  ? Json(nullptr)
                                  : Json(playbook.criteria[static_cast<size_t>(f.criterion)].id)},
                {"days", f.days},
                {"limit", f.limit}});
         }
         return codes;
       }()},
  };
}

void WriteReportJson(const AuditInput& input, const std::vector<ItemResult>& items,
                     const Labels& labels, const Report& report, int locale,
                     const std::function<void(std::string_view)>& write) {
  // The report without its items, then the items one at a time: a company's audit can hold a
  // million items, and one JSON tree of them all would take gigabytes.
  std::string head = ReportJson(input, items, labels, report, locale, /*with_items=*/false).dump();
  head.pop_back();  // the closing brace
  write(head);
  write(",\"items\":[");
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) write(",");
    write(ItemJson(input, items[i], labels, locale).dump());
  }
  write("]}\n");
}

std::string ReportCsv(const AuditInput& input, const std::vector<ItemResult>& items,
                      const Labels& labels, int locale) {
  std::string out =
      "subject_type,id,external_id,name,owner,team,stage,colour,score_1,score_2,score_3,score_4,"
      "score_5,minimum_1,minimum_2,minimum_3,minimum_4,minimum_5,stale,value,currency,reasons,"
      "actions\n";
  for (const ItemResult& item : items) {
    const Playbook& playbook = PlaybookOf(input, item.subject_type);
    const bool is_deal = item.subject_type == SubjectType::kOpportunity;
    const size_t k = static_cast<size_t>(item.index);
    const auto person = labels.people.find(OwnerOf(input, item));
    std::string team;
    if (person != labels.people.end()) {
      auto t = labels.teams.find(person->second.team_id);
      if (t != labels.teams.end()) team = t->second;
    }
    std::string reasons, todo;
    for (const Finding& f : item.findings) {
      reasons += (reasons.empty() ? "" : " | ") + FindingReason(f, playbook, locale);
      todo += (todo.empty() ? "" : " | ") + FindingAction(f, playbook, locale);
    }
    const Money value = ItemValue(input, item);
    out +=
        std::string(ToString(item.subject_type)) + "," + std::to_string(ItemId(input, item)) + "," +
        CsvField(is_deal ? labels.opportunity_external_ids[k] : labels.account_external_ids[k]) +
        "," + CsvField(is_deal ? labels.opportunity_names[k] : labels.account_names[k]) + "," +
        CsvField(person == labels.people.end() ? "" : person->second.email) + "," + CsvField(team) +
        "," + (is_deal ? StageOf(item, input) : "customer " + std::string(1, item.abc_class)) +
        "," + std::string(ColourName(item.colour));
    for (int8_t s : item.scores) {
      out += ',';
      out += std::to_string(s);
    }
    for (int8_t m : item.minimums) {
      out += ',';
      out += std::to_string(m);
    }
    out += std::string(",") + (item.stale ? "true" : "false") + "," +
           std::to_string(value.minor_units) + "," + value.currency.ToString() + "," +
           CsvField(reasons) + "," + CsvField(todo) + "\n";
  }
  return out;
}

std::string ReportTable(const AuditInput& input, const std::vector<ItemResult>& items,
                        const Labels& labels, const Report& report, int locale) {
  std::string out;
  char line[512];
  const TableWords& w =
      kTableWords[locale >= 0 && locale < static_cast<int>(std::size(kTableWords)) ? locale : 0];
  const int64_t total = report.summary[0] + report.summary[1] + report.summary[2];
  std::snprintf(line, sizeof line, w.header, DayText(report.as_of).c_str(), report.scope.c_str(),
                static_cast<long long>(total), static_cast<long long>(report.summary[0]),
                static_cast<long long>(report.summary[1]),
                static_cast<long long>(report.summary[2]));
  out += line;
  for (const Section& section : report.sections) {
    const Playbook& playbook = *section.playbook;
    out += "\n== " + playbook.title.In(locale) + " ==\n";
    for (const auto& [title, rows] :
         {std::pair<const char*, const std::vector<GroupRow>*>{w.team, &section.by_team},
          {w.rep, &section.by_rep},
          {w.segment, &section.by_segment},
          {w.stage, &section.by_stage}}) {
      std::snprintf(line, sizeof line, "\n%s %s %s %s %s  %s\n", Column(title, 34).c_str(),
                    Right(w.items, 6).c_str(), Right(w.colours[0], 6).c_str(),
                    Right(w.colours[1], 6).c_str(), Right(w.colours[2], 6).c_str(), w.weakest);
      out += line;
      for (const GroupRow& row : *rows) {
        std::snprintf(
            line, sizeof line, "%s %6lld %6lld %6lld %6lld  %s\n", Column(row.label, 34).c_str(),
            static_cast<long long>(row.tally.items()), static_cast<long long>(row.tally.count[0]),
            static_cast<long long>(row.tally.count[1]), static_cast<long long>(row.tally.count[2]),
            row.weakest_area < 0 ? "-" : playbook.areas[row.weakest_area].name.In(locale).c_str());
        out += line;
      }
    }
    for (const auto& [currency, indexes] : section.worst) {
      std::snprintf(line, sizeof line, w.at_risk, currency.c_str());
      out.append("\n").append(line).append("\n");
      size_t shown = 0;
      for (size_t i : indexes) {
        if (++shown > 10) break;
        const ItemResult& item = items[i];
        const size_t k = static_cast<size_t>(item.index);
        const std::string& name = item.subject_type == SubjectType::kOpportunity
                                      ? labels.opportunity_names[k]
                                      : labels.account_names[k];
        std::string reason =
            item.findings.empty() ? "" : FindingReason(item.findings.front(), playbook, locale);
        std::snprintf(line, sizeof line, "  %s %18s  %s %s\n",
                      Column(w.colours[static_cast<int>(item.colour)], 6).c_str(),
                      MoneyText(ItemValue(input, item).minor_units, currency).c_str(),
                      Column(name, 40).c_str(), reason.c_str());
        out += line;
      }
    }
  }
  if (report.trend) {
    const Trend& t = *report.trend;
    std::snprintf(line, sizeof line, w.trend, static_cast<long long>(t.previous_run_id),
                  DayText(t.previous_as_of).c_str(), static_cast<long long>(t.to_green),
                  static_cast<long long>(t.to_yellow), static_cast<long long>(t.to_red),
                  static_cast<long long>(t.unchanged), static_cast<long long>(t.added),
                  static_cast<long long>(t.gone));
    out.append("\n").append(line).append("\n");
  }
  if (!report.actions.empty()) {
    int64_t open = 0, closed = 0;
    for (const ActionStatus& a : report.actions) {
      if (!a.done) ++open;
      if (a.closed.value_or(false)) ++closed;
    }
    std::snprintf(line, sizeof line, w.actions, report.actions.size(), static_cast<long long>(open),
                  static_cast<long long>(closed));
    out.append("\n").append(line).append("\n");
  }
  return out;
}

}  // namespace salesbox::analytics::audit

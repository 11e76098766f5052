// SPDX-License-Identifier: MIT
// Builds the report's document model from a consolidated audit.
//
// Design notes
// (1) Content order: title header; key figures (items, colours with shares, value at risk per
//     currency); per section (opportunities, then customers): colour distribution per team,
//     value at risk per team per currency, the team x area heat map, the largest values at
//     risk (10 per currency), the weakest area per rep; the trend over saved runs; the action
//     plans. An audit without items is the title header and one sentence.
// (2) Money is never converted between currencies (salesbox has no exchange rates), so every
//     value chart and table is per currency.
// (3) Value at risk is the yellow plus red value: opportunities at their amount, customers at
//     their 12-month margin (analytics::audit::ItemValue). The two are shown side by side,
//     never added.
// (4) The trend chart draws at most kTrendColumns runs: the newest saved runs, then this audit
//     unless the newest saved run has the same date (it is then this audit, saved).
#include "report/internal/document.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <unordered_map>

#include "analytics/audit/report.h"
#include "common/time.h"
#include "domain/enum_names.h"
#include "domain/opportunity.h"
#include "report/internal/words.h"

namespace salesbox::report::internal {
namespace {

using analytics::audit::AuditInput;
using analytics::audit::Colour;
using analytics::audit::Day;
using analytics::audit::GroupRow;
using analytics::audit::ItemResult;
using analytics::audit::kNoDay;
using analytics::audit::Labels;
using analytics::audit::Playbook;
using analytics::audit::Report;
using analytics::audit::Section;

constexpr size_t kWorstShown = 10;
constexpr size_t kTrendColumns = 12;
constexpr size_t kActionsShown = 15;

std::string DayText(Day day) {
  if (day == kNoDay) return "—";
  return FormatDate(Date(std::chrono::days(day)));
}

Tone ToneOf(Colour colour) { return static_cast<Tone>(static_cast<int>(colour)); }

std::string S(std::string_view text) { return std::string(text); }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Orders texts with their digit runs compared as numbers: "Region 2" < "Region 10".
bool NaturalLess(const std::string& x, const std::string& y) {
  size_t i = 0, j = 0;
  while (i < x.size() && j < y.size()) {
    if (IsDigit(x[i]) && IsDigit(y[j])) {
      size_t ei = i, ej = j;
      while (ei < x.size() && IsDigit(x[ei])) ++ei;
      while (ej < y.size() && IsDigit(y[ej])) ++ej;
      std::string_view dx(x.data() + i, ei - i), dy(y.data() + j, ej - j);
      while (dx.size() > 1 && dx.front() == '0') dx.remove_prefix(1);
      while (dy.size() > 1 && dy.front() == '0') dy.remove_prefix(1);
      if (dx.size() != dy.size()) return dx.size() < dy.size();
      if (dx != dy) return dx < dy;
      i = ei;
      j = ej;
      continue;
    }
    if (x[i] != y[j]) return static_cast<unsigned char>(x[i]) < static_cast<unsigned char>(y[j]);
    ++i;
    ++j;
  }
  return x.size() - i < y.size() - j;
}

// Builds the blocks for one locale; keeps the lookups the sections share.
class Builder {
 public:
  Builder(const AuditInput& input, const std::vector<ItemResult>& items, const Labels& labels,
          const Report& report, int locale, const ReportMeta& meta)
      : input_(input), items_(items), labels_(labels), report_(report), l_(locale), meta_(meta) {
    for (const auto& [id, person] : labels.people) {
      auto team = labels.teams.find(person.team_id);
      rep_team_[person.email] =
          team == labels.teams.end() ? S(Say(Word::kNoTeam, l_)) : team->second;
    }
  }

  Document Build() {
    Document doc;
    doc.locale = l_;
    doc.lang = S(analytics::audit::kLocales[static_cast<size_t>(l_)]);
    const std::string title = S(Say(Word::kReportTitle, l_));
    doc.title = meta_.company.empty() ? title : title + " — " + meta_.company;
    doc.footer = (meta_.company.empty() ? "" : meta_.company + " · ") + title + " · " +
                 DayText(report_.as_of);
    doc.page_of = S(Say(Word::kPageOf, l_));
    doc.continued = S(Say(Word::kContinued, l_));
    doc.colour_names = {S(Say(Word::kGreen, l_)), S(Say(Word::kYellow, l_)),
                        S(Say(Word::kRed, l_))};
    blocks_ = &doc.blocks;

    TitleBlock head;
    head.company = meta_.company;
    head.title = title;
    head.facts = {{S(Say(Word::kAsOf, l_)), DayText(report_.as_of)},
                  {S(Say(Word::kScope, l_)), ScopeText()},
                  {S(Say(Word::kGeneratedAt, l_)), meta_.generated_at}};
    Add(std::move(head));

    const int64_t total = report_.summary[0] + report_.summary[1] + report_.summary[2];
    if (total == 0) {
      Add(Paragraph{S(Say(Word::kNothingToAudit, l_))});
      return doc;
    }
    KeyFiguresPart(total);
    for (const Section& section : report_.sections) SectionPart(section);
    TrendPart();
    ActionsPart();
    return doc;
  }

 private:
  template <typename T>
  void Add(T block) {
    blocks_->emplace_back(std::move(block));
  }

  std::string Count(int64_t n) const { return FormatCount(n, l_); }
  std::string Percent(int64_t part, int64_t whole) const {
    return FormatPercent(whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole),
                         l_);
  }

  std::string ScopeText() const {
    if (report_.scope.empty() || report_.scope == "company") {
      return S(Say(Word::kWholeCompany, l_));
    }
    return report_.scope;
  }

  std::string TeamLabel(const GroupRow& row) const {
    return row.key == "(no team)" ? S(Say(Word::kNoTeam, l_)) : row.label;
  }

  std::string RepLabel(const GroupRow& row) const {
    return row.key == "(no owner)" ? S(Say(Word::kNoOwner, l_)) : row.label;
  }

  std::string RepTeam(const GroupRow& row) const {
    auto it = rep_team_.find(row.key);
    return it == rep_team_.end() ? S(Say(Word::kNoTeam, l_)) : it->second;
  }

  std::string ItemName(const ItemResult& item) const {
    const size_t k = static_cast<size_t>(item.index);
    const auto& names = item.subject_type == SubjectType::kOpportunity ? labels_.opportunity_names
                                                                       : labels_.account_names;
    return k < names.size() ? names[k] : "#" + std::to_string(ItemId(input_, item));
  }

  std::string OwnerName(const ItemResult& item) const {
    const size_t k = static_cast<size_t>(item.index);
    const int64_t owner = item.subject_type == SubjectType::kOpportunity
                              ? input_.opportunities[k].owner_id
                              : input_.accounts[k].owner_id;
    auto it = labels_.people.find(owner);
    return it == labels_.people.end() ? S(Say(Word::kNoOwner, l_)) : it->second.name;
  }

  std::string StageText(const ItemResult& item) const {
    if (item.subject_type == SubjectType::kAccount) {
      const std::string cls(1, item.abc_class == 0 ? 'C' : item.abc_class);
      return Fill(Say(Word::kClass, l_), {cls});
    }
    switch (input_.opportunities[static_cast<size_t>(item.index)].stage) {
      case Stage::kQualify:
        return S(Say(Word::kQualify, l_));
      case Stage::kDiscover:
        return S(Say(Word::kDiscover, l_));
      case Stage::kPropose:
        return S(Say(Word::kPropose, l_));
      case Stage::kNegotiate:
        return S(Say(Word::kNegotiate, l_));
      case Stage::kCommit:
        return S(Say(Word::kCommit, l_));
      case Stage::kClosedWon:
      case Stage::kClosedLost:
        break;
    }
    return S(ToString(input_.opportunities[static_cast<size_t>(item.index)].stage));
  }

  std::string SectionName(const Section& section) const {
    return S(Say(
        section.subject_type == SubjectType::kOpportunity ? Word::kOpportunities : Word::kCustomers,
        l_));
  }

  // "Items 52 · Green 20 (38 %) · Yellow 12 (23 %) · Red 20 (38 %)"
  std::string TallyLine(const std::array<int64_t, 3>& count) const {
    const int64_t n = count[0] + count[1] + count[2];
    std::string out = S(Say(Word::kItems, l_)) + " " + Count(n);
    const Word names[] = {Word::kGreen, Word::kYellow, Word::kRed};
    for (int c = 0; c < 3; ++c) {
      out +=
          " · " + S(Say(names[c], l_)) + " " + Count(count[c]) + " (" + Percent(count[c], n) + ")";
    }
    return out;
  }

  void KeyFiguresPart(int64_t total) {
    Add(Heading{1, S(Say(Word::kKeyFigures, l_)), ""});
    KeyFigures figures;
    std::string detail;
    for (const Section& section : report_.sections) {
      if (!detail.empty()) detail += " · ";
      detail += SectionName(section) + " " + Count(section.total.items());
    }
    figures.figures.push_back({S(Say(Word::kItemsAudited, l_)), Count(total), detail, Tone::kNone});
    const Word names[] = {Word::kGreen, Word::kYellow, Word::kRed};
    for (int c = 0; c < 3; ++c) {
      figures.figures.push_back({S(Say(names[c], l_)), Count(report_.summary[c]),
                                 Percent(report_.summary[c], total), static_cast<Tone>(c)});
    }
    Add(std::move(figures));

    // Value at risk per currency, opportunities and customers side by side (note 3).
    std::map<std::string, std::array<int64_t, 2>> at_risk;
    std::array<bool, 2> present{};
    for (const Section& section : report_.sections) {
      const size_t s = section.subject_type == SubjectType::kOpportunity ? 0 : 1;
      present[s] = true;
      for (const auto& [currency, value] : section.total.value) {
        at_risk[currency][s] += value[1] + value[2];
      }
    }
    Table table;
    table.title = S(Say(Word::kValueAtRisk, l_));
    table.note = S(Say(Word::kValueAtRiskNote, l_));
    table.columns.push_back({S(Say(Word::kCurrency, l_)), 1, false, 1});
    if (present[0]) table.columns.push_back({S(Say(Word::kOpportunities, l_)), 2, true, 1});
    if (present[1]) table.columns.push_back({S(Say(Word::kCustomers, l_)), 2, true, 1});
    for (const auto& [currency, value] : at_risk) {
      std::vector<Table::Cell> row{{currency, Tone::kNone}};
      for (size_t s = 0; s < 2; ++s) {
        if (present[s]) row.push_back({FormatMoney(value[s], currency, l_), Tone::kNone});
      }
      table.rows.push_back(std::move(row));
    }
    if (table.rows.empty()) {
      Add(Paragraph{table.title + ": " + S(Say(Word::kNoValueAtRisk, l_))});
    } else {
      Add(std::move(table));
    }
  }

  void SectionPart(const Section& section) {
    const Playbook& playbook = *section.playbook;
    Add(Heading{1, SectionName(section),
                playbook.title.In(l_) + " — " + TallyLine(section.total.count)});
    if (section.total.items() == 0) {
      Add(Paragraph{S(Say(Word::kSectionEmpty, l_))});
      return;
    }

    // Teams in natural order ("Region 2" before "Region 10"), "(no team)" last.
    std::vector<const GroupRow*> teams;
    for (const GroupRow& row : section.by_team) teams.push_back(&row);
    std::stable_sort(teams.begin(), teams.end(), [](const GroupRow* x, const GroupRow* y) {
      const bool nx = x->key == "(no team)", ny = y->key == "(no team)";
      if (nx != ny) return ny;
      return NaturalLess(x->label, y->label);
    });

    StackedBars bars;
    bars.title = S(Say(Word::kColourByTeam, l_));
    bars.note = S(Say(Word::kColourNote, l_));
    for (const GroupRow* row : teams) {
      bars.rows.push_back({TeamLabel(*row), row->tally.count, false});
    }
    bars.rows.push_back({S(Say(Word::kAll, l_)), section.total.count, true});
    Add(std::move(bars));

    ValueBars value;
    value.title = S(Say(Word::kValueAtRiskByTeam, l_));
    for (const auto& [currency, total] : section.total.value) {
      if (total[1] + total[2] == 0) continue;
      int64_t longest = 1;
      for (const GroupRow* row : teams) {
        auto it = row->tally.value.find(currency);
        if (it != row->tally.value.end())
          longest = std::max(longest, it->second[1] + it->second[2]);
      }
      value.rows.push_back({currency, {}, FormatMoney(total[1] + total[2], currency, l_), true});
      for (const GroupRow* row : teams) {
        auto it = row->tally.value.find(currency);
        if (it == row->tally.value.end() || it->second[1] + it->second[2] == 0) continue;
        const double scale = static_cast<double>(longest);
        value.rows.push_back({TeamLabel(*row),
                              {static_cast<double>(it->second[1]) / scale,
                               static_cast<double>(it->second[2]) / scale},
                              FormatMoney(it->second[1] + it->second[2], currency, l_),
                              false});
      }
    }
    if (value.rows.empty()) {
      Add(Paragraph{value.title + ": " + S(Say(Word::kNoValueAtRisk, l_))});
    } else {
      Add(std::move(value));
    }

    HeatMap heat;
    heat.title = S(Say(Word::kHeatMap, l_));
    heat.note = S(Say(Word::kHeatMapNote, l_));
    heat.row_header = S(Say(Word::kTeam, l_));
    for (const auto& area : playbook.areas) heat.columns.push_back(area.name.In(l_));
    heat.count_header = S(Say(Word::kItems, l_));
    for (const GroupRow* row : teams) {
      heat.rows.push_back({TeamLabel(*row), row->meets_minimum, Count(row->tally.items())});
    }
    Add(std::move(heat));

    for (const auto& [currency, indexes] : section.worst) {
      if (indexes.empty()) continue;
      Table table;
      table.title = S(Say(Word::kWorstItems, l_)) + ", " + currency;
      table.note = S(Say(Word::kWorstNote, l_));
      table.columns = {{S(Say(Word::kColour, l_)), 0.95, false, 1},
                       {S(Say(Word::kName, l_)), 2.2, false, 2},
                       {S(Say(Word::kOwner, l_)), 1.45, false, 2},
                       {S(Say(Word::kStage, l_)), 1.1, false, 1},
                       {S(Say(Word::kValue, l_)), 1.4, true, 1},
                       {S(Say(Word::kMainReason, l_)), 3.0, false, 3}};
      for (size_t i = 0; i < indexes.size() && i < kWorstShown; ++i) {
        const ItemResult& item = items_[indexes[i]];
        const std::string reason = item.findings.empty() ? std::string()
                                                         : analytics::audit::FindingReason(
                                                               item.findings.front(), playbook, l_);
        const Money item_value = ItemValue(input_, item);
        table.rows.push_back({{ColourText(item.colour), ToneOf(item.colour)},
                              {ItemName(item), Tone::kNone},
                              {OwnerName(item), Tone::kNone},
                              {StageText(item), Tone::kNone},
                              {FormatMoney(item_value.minor_units, currency, l_), Tone::kNone},
                              {reason, Tone::kNone}});
      }
      Add(std::move(table));
    }

    Table coaching;
    coaching.title = S(Say(Word::kCoaching, l_));
    coaching.note = S(Say(Word::kCoachingNote, l_));
    coaching.columns = {{S(Say(Word::kRep, l_)), 2.0, false, 1},
                        {S(Say(Word::kTeam, l_)), 1.4, false, 1},
                        {S(Say(Word::kItems, l_)), 0.75, true, 1},
                        {S(Say(Word::kGreen, l_)), 0.75, true, 1},
                        {S(Say(Word::kYellow, l_)), 0.75, true, 1},
                        {S(Say(Word::kRed, l_)), 0.75, true, 1},
                        {S(Say(Word::kWeakestArea, l_)), 2.6, false, 2},
                        {S(Say(Word::kMeetsMinimum, l_)), 0.95, true, 1}};
    std::vector<const GroupRow*> reps;
    for (const GroupRow& row : section.by_rep) reps.push_back(&row);
    std::stable_sort(reps.begin(), reps.end(), [this](const GroupRow* x, const GroupRow* y) {
      const std::string tx = RepTeam(*x), ty = RepTeam(*y);
      if (tx != ty) return NaturalLess(tx, ty);
      return NaturalLess(RepLabel(*x), RepLabel(*y));
    });
    for (const GroupRow* row : reps) {
      const int a = row->weakest_area;
      coaching.rows.push_back(
          {{RepLabel(*row), Tone::kNone},
           {RepTeam(*row), Tone::kNone},
           {Count(row->tally.items()), Tone::kNone},
           {Count(row->tally.count[0]), Tone::kNone},
           {Count(row->tally.count[1]), Tone::kNone},
           {Count(row->tally.count[2]), Tone::kNone},
           {a < 0 ? S(Say(Word::kNoWeakArea, l_)) : playbook.areas[a].name.In(l_), Tone::kNone},
           {a < 0 ? "—" : FormatPercent(row->meets_minimum[a], l_), Tone::kNone}});
    }
    Add(std::move(coaching));
  }

  std::string ColourText(Colour colour) const {
    const Word names[] = {Word::kGreen, Word::kYellow, Word::kRed};
    return S(Say(names[static_cast<int>(colour)], l_));
  }

  void TrendPart() {
    Add(Heading{1, S(Say(Word::kTrend, l_)), ""});
    TrendChart chart;
    chart.note = S(Say(Word::kTrendNote, l_));
    for (const RunPoint& run : meta_.history) {
      chart.columns.push_back({DayText(run.as_of), {run.green, run.yellow, run.red}});
    }
    const bool saved = !meta_.history.empty() && meta_.history.back().as_of == report_.as_of;
    if (!saved) chart.columns.push_back({DayText(report_.as_of), report_.summary});
    if (chart.columns.size() > kTrendColumns) {
      chart.columns.erase(chart.columns.begin(),
                          chart.columns.end() - static_cast<std::ptrdiff_t>(kTrendColumns));
    }
    if (report_.trend) {
      const auto& t = *report_.trend;
      chart.lines.push_back(Fill(Say(Word::kComparedWith, l_), {DayText(t.previous_as_of)}) + ": " +
                            S(Say(Word::kMovedToGreen, l_)) + " " + Count(t.to_green) + " · " +
                            S(Say(Word::kMovedToRed, l_)) + " " + Count(t.to_red) + " · " +
                            S(Say(Word::kMovedToYellow, l_)) + " " + Count(t.to_yellow) + " · " +
                            S(Say(Word::kUnchanged, l_)) + " " + Count(t.unchanged) + " · " +
                            S(Say(Word::kNew, l_)) + " " + Count(t.added) + " · " +
                            S(Say(Word::kGone, l_)) + " " + Count(t.gone));
    }
    if (meta_.history.empty()) {
      if (!report_.trend) {
        Add(Paragraph{S(Say(Word::kNoHistory, l_))});
        return;
      }
      chart.columns.clear();  // the caller gave no saved runs: only the comparison
      chart.note.clear();
    }
    Add(std::move(chart));
  }

  void ActionsPart() {
    Add(Heading{1, S(Say(Word::kActionPlans, l_)), ""});
    const auto& actions = report_.actions;
    if (actions.empty()) {
      Add(Paragraph{S(Say(Word::kNoActions, l_))});
      return;
    }
    int64_t done = 0, overdue = 0, closed = 0;
    std::vector<const analytics::audit::ActionStatus*> open;
    for (const auto& a : actions) {
      if (a.done) {
        ++done;
      } else {
        open.push_back(&a);
        if (a.due != kNoDay && a.due < report_.as_of) ++overdue;
      }
      if (a.closed.value_or(false)) ++closed;
    }
    const int64_t n = static_cast<int64_t>(actions.size());
    KeyFigures figures;
    figures.figures = {
        {S(Say(Word::kActions, l_)), Count(n), "", Tone::kNone},
        {S(Say(Word::kDone, l_)), Count(done), Percent(done, n), Tone::kNone},
        {S(Say(Word::kOpen, l_)), Count(n - done), Percent(n - done, n), Tone::kNone},
        {S(Say(Word::kOverdue, l_)), Count(overdue), "", overdue > 0 ? Tone::kRed : Tone::kNone},
        {S(Say(Word::kGapsClosed, l_)), Count(closed), Percent(closed, n), Tone::kGreen}};
    Add(std::move(figures));
    if (open.empty()) return;
    std::stable_sort(open.begin(), open.end(), [](const auto* x, const auto* y) {
      const Day dx = x->due == kNoDay ? INT32_MAX : x->due;
      const Day dy = y->due == kNoDay ? INT32_MAX : y->due;
      return dx < dy;
    });
    Table table;
    table.title = S(Say(Word::kOpenActions, l_));
    if (open.size() > kActionsShown) {
      table.note = Fill(Say(Word::kShownOf, l_), {Count(static_cast<int64_t>(kActionsShown)),
                                                  Count(static_cast<int64_t>(open.size()))});
    }
    table.columns = {{S(Say(Word::kItem, l_)), 2.2, false, 2},
                     {S(Say(Word::kGap, l_)), 3.0, false, 2},
                     {S(Say(Word::kOwner, l_)), 1.5, false, 1},
                     {S(Say(Word::kDue, l_)), 1.1, false, 1},
                     {S(Say(Word::kGapClosed, l_)), 0.9, false, 1}};
    for (size_t i = 0; i < open.size() && i < kActionsShown; ++i) {
      const auto& a = *open[i];
      auto person = labels_.people.find(a.owner_id);
      const bool late = a.due != kNoDay && a.due < report_.as_of;
      table.rows.push_back(
          {{a.subject_name, Tone::kNone},
           {a.criterion_id.empty() ? S(Say(Word::kRecentActivity, l_)) : a.criterion_text,
            Tone::kNone},
           {person == labels_.people.end() ? S(Say(Word::kNoOwner, l_)) : person->second.name,
            Tone::kNone},
           {DayText(a.due), late ? Tone::kRed : Tone::kNone},
           {a.closed ? S(Say(*a.closed ? Word::kYes : Word::kNo, l_)) : "—", Tone::kNone}});
    }
    Add(std::move(table));
  }

  const AuditInput& input_;
  const std::vector<ItemResult>& items_;
  const Labels& labels_;
  const Report& report_;
  const int l_;
  const ReportMeta& meta_;
  std::unordered_map<std::string, std::string> rep_team_;  // e-mail -> team name
  std::vector<Block>* blocks_ = nullptr;
};

uint8_t Channel(double v) {
  return static_cast<uint8_t>(std::lround(std::clamp(v, 0.0, 1.0) * 255));
}

Rgb Mix(const Rgb& a, const Rgb& b, double t) {
  return {a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t};
}

Rgb FromHex(uint32_t hex) {
  return {((hex >> 16) & 0xff) / 255.0, ((hex >> 8) & 0xff) / 255.0, (hex & 0xff) / 255.0};
}

}  // namespace

std::string Rgb::Hex() const {
  char text[8];
  std::snprintf(text, sizeof text, "#%02x%02x%02x", Channel(r), Channel(g), Channel(b));
  return text;
}

Rgb ToneFill(Tone tone) {
  switch (tone) {
    case Tone::kGreen:
      return FromHex(0x2e7d32);
    case Tone::kYellow:
      return FromHex(0xf9a825);
    case Tone::kRed:
      return FromHex(0xc62828);
    case Tone::kNone:
      break;
  }
  return FromHex(0xe0e0e0);
}

Rgb ToneInk(Tone tone) {
  return tone == Tone::kGreen || tone == Tone::kRed ? FromHex(0xffffff) : FromHex(0x212121);
}

Rgb HeatFill(double share) {
  share = std::clamp(std::isnan(share) ? 0.0 : share, 0.0, 1.0);
  const Rgb low = FromHex(0xe66101), mid = FromHex(0xf7f7f7), high = FromHex(0x2166ac);
  return share < 0.5 ? Mix(low, mid, share * 2) : Mix(mid, high, (share - 0.5) * 2);
}

Rgb HeatInk(double share) {
  // Relative luminance (sRGB approximated by gamma 2.2) decides between white and near-black.
  const Rgb fill = HeatFill(share);
  const double luminance = 0.2126 * std::pow(fill.r, 2.2) + 0.7152 * std::pow(fill.g, 2.2) +
                           0.0722 * std::pow(fill.b, 2.2);
  return luminance < 0.3 ? FromHex(0xffffff) : FromHex(0x212121);
}

int64_t NiceStep(int64_t max) {
  int64_t step = 1;
  while (true) {
    for (int64_t m : {1, 2, 5}) {
      if (max / (step * m) <= 5) return step * m;
    }
    step *= 10;
  }
}

Document BuildDocument(const AuditInput& input, const std::vector<ItemResult>& items,
                       const Labels& labels, const Report& report, int locale,
                       const ReportMeta& meta) {
  if (locale < 0 || locale >= static_cast<int>(analytics::audit::kLocales.size())) locale = 0;
  return Builder(input, items, labels, report, locale, meta).Build();
}

}  // namespace salesbox::report::internal

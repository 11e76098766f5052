// SPDX-License-Identifier: MIT
#include "service/strategy_cascade.h"

#include <algorithm>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "common/status_macros.h"
#include "domain/enum_names.h"

namespace salesbox::service {
namespace {

namespace strategy = analytics::strategy;
using nlohmann::json;

json OptionalNumber(const std::optional<double>& value) {
  return value ? json(*value) : json(nullptr);
}

// A value in minor units of `currency` as major units.
double Major(double minor, const Currency& currency) {
  for (int i = 0; i < currency.minor_digits(); ++i) minor /= 10;
  return minor;
}

std::string_view UnitName(MetricUnit unit) {
  switch (unit) {
    case MetricUnit::kMoney:
      return "money";
    case MetricUnit::kPercent:
      return "percent";
    case MetricUnit::kCount:
      return "count";
  }
  return "?";
}

json ShareJson(const strategy::ShareCount& count) {
  return {{"total", count.total},
          {"core", count.core},
          {"core_share", OptionalNumber(count.core_share())}};
}

}  // namespace

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t' || line.front() == '\r')) {
      line.remove_prefix(1);
    }
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) {
      line.remove_suffix(1);
    }
    if (!line.empty()) out.emplace_back(line);
    start = end + 1;
  }
  return out;
}

Result<Cascade> BuildCascade(storage::Store& store, Date as_of) {
  SB_ASSIGN_OR_RETURN(StrategyData data, LoadStrategyData(store, as_of));
  return BuildCascade(store, data);
}

Result<Cascade> BuildCascade(storage::Store& store, const StrategyData& data) {
  const Date as_of = data.input.as_of;
  StrategyRequest request;
  request.as_of = as_of;
  request.account_profitability = false;
  SB_ASSIGN_OR_RETURN(StrategyReport report, AnalyzeStrategy(data, request));

  Cascade cascade;
  cascade.as_of = as_of;
  std::vector<int64_t> core;
  for (const strategy::SegmentDefinition& s : data.input.segments) {
    if (s.core) core.push_back(s.id);
  }

  SB_ASSIGN_OR_RETURN(std::vector<Objective> objectives, store.objectives().List({}));
  for (Objective& o : objectives) {
    strategy::ObjectiveProgress progress = strategy::MeasureObjective(data.input, o, core);
    cascade.objectives.push_back({std::move(o), progress});
  }
  std::sort(cascade.objectives.begin(), cascade.objectives.end(),
            [](const CascadeObjective& a, const CascadeObjective& b) {
              if (a.objective.period_end != b.objective.period_end) {
                return a.objective.period_end < b.objective.period_end;
              }
              return a.objective.name < b.objective.name;
            });

  SB_ASSIGN_OR_RETURN(std::vector<ValueProposition> propositions,
                      store.value_propositions().List({}));
  std::unordered_map<int64_t, ValueProposition> proposition_of;
  for (ValueProposition& v : propositions) proposition_of.emplace(v.segment_id.value, std::move(v));

  std::unordered_map<int64_t, const strategy::SegmentRow*> row_of;
  for (const strategy::SegmentRow& row : report.segment_table.segments) {
    row_of.emplace(row.segment_id, &row);
  }
  for (const strategy::SegmentDefinition& s : data.input.segments) {
    CascadeSegment out;
    out.segment_id = s.id;
    out.name = s.name;
    out.core = s.core;
    if (auto it = row_of.find(s.id); it != row_of.end()) {
      out.suggested_core = it->second->suggested_core;
      out.customers = it->second->customers;
      out.win_rate = it->second->win_rate;
    }
    if (auto it = proposition_of.find(s.id); it != proposition_of.end()) {
      out.value_proposition = it->second;
    }
    cascade.segments.push_back(std::move(out));
  }
  std::stable_sort(cascade.segments.begin(), cascade.segments.end(),
                   [](const CascadeSegment& a, const CascadeSegment& b) {
                     if (a.core != b.core) return a.core;
                     return a.name < b.name;
                   });

  for (const strategy::AlignmentRow& row : report.alignment) {
    if (row.level == strategy::AlignmentLevel::kCompany) cascade.alignment.push_back(row);
  }
  std::sort(cascade.alignment.begin(), cascade.alignment.end(),
            [](const strategy::AlignmentRow& a, const strategy::AlignmentRow& b) {
              return a.period.start < b.period.start;
            });
  if (cascade.alignment.size() > 4) {
    cascade.alignment.erase(cascade.alignment.begin(), cascade.alignment.end() - 4);
  }
  return cascade;
}

json CascadeJson(const Cascade& cascade) {
  json objectives = json::array();
  for (const CascadeObjective& c : cascade.objectives) {
    const Objective& o = c.objective;
    const MetricUnit unit = UnitOf(o.metric);
    const strategy::ObjectiveProgress& p = c.progress;
    json target = p.target;
    json actual = OptionalNumber(p.actual);
    json currency = nullptr;
    if (o.target_amount) currency = o.target_amount->currency.ToString();
    if (unit == MetricUnit::kMoney && o.target_amount) {
      target = Major(p.target, o.target_amount->currency);
      if (p.actual) actual = Major(*p.actual, o.target_amount->currency);
    }
    objectives.push_back({{"id", o.id.value},
                          {"version", o.version},
                          {"name", o.name},
                          {"metric", ToString(o.metric)},
                          {"unit", UnitName(unit)},
                          {"currency", currency},
                          {"target", target},
                          {"actual", actual},
                          {"progress", OptionalNumber(p.progress)},
                          {"elapsed", p.elapsed},
                          {"cumulative", IsCumulative(o.metric)},
                          {"status", strategy::ObjectiveStatusName(p.status)},
                          {"period_start", FormatDate(o.period_start)},
                          {"period_end", FormatDate(o.period_end)}});
  }
  json segments = json::array();
  for (const CascadeSegment& s : cascade.segments) {
    json proposition = nullptr;
    if (s.value_proposition) {
      const ValueProposition& v = *s.value_proposition;
      proposition = {{"id", v.id.value},
                     {"version", v.version},
                     {"statement", v.statement},
                     {"key_issues", SplitLines(v.key_issues)},
                     {"discovery_questions", SplitLines(v.discovery_questions)},
                     {"proof_points", SplitLines(v.proof_points)}};
    }
    segments.push_back({{"segment_id", s.segment_id},
                        {"name", s.name},
                        {"core", s.core},
                        {"suggested_core", s.suggested_core},
                        {"customers", s.customers},
                        {"win_rate", OptionalNumber(s.win_rate)},
                        {"value_proposition", proposition}});
  }
  json alignment = json::array();
  for (const strategy::AlignmentRow& row : cascade.alignment) {
    json pipeline = json::array();
    for (const strategy::PipelineShare& share : row.pipeline) {
      pipeline.push_back({{"currency", share.currency.ToString()},
                          {"total", MoneyJson(share.total)},
                          {"core", MoneyJson(share.core)},
                          {"core_share", OptionalNumber(share.core_share())}});
    }
    alignment.push_back(
        {{"period",
          {{"start", FormatDate(row.period.start)},
           {"end", FormatDate(row.period.end)},
           {"label", strategy::PeriodLabel(row.period, strategy::Granularity::kQuarter)}}},
         {"meetings", ShareJson(row.meetings)},
         {"activities", ShareJson(row.activities)},
         {"pipeline", std::move(pipeline)}});
  }
  return {{"as_of", FormatDate(cascade.as_of)},
          {"objectives", std::move(objectives)},
          {"segments", std::move(segments)},
          {"alignment", std::move(alignment)}};
}

}  // namespace salesbox::service

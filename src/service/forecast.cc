// SPDX-License-Identifier: MIT
#include "service/forecast.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <thread>
#include <tuple>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "analytics/audit/playbook.h"
#include "analytics/forecast/monte_carlo.h"
#include "common/status_macros.h"
#include "domain/account.h"
#include "service/access.h"
#include "service/pipeline_audit.h"
#include "service/strategy_service.h"

namespace salesbox::service {
namespace {

namespace fc = analytics::forecast;
using internal::EnumIndex;
using internal::FromDay;
using internal::IntOr;
using internal::ParseDay;
using internal::ParseSeconds;
using internal::RealOr;
using internal::ToDay;
using nlohmann::json;
using storage::FieldValue;
using storage::FilterOp;
using storage::ListQuery;
using storage::Match;

constexpr std::array<std::string_view, kForecastFeatures> kFeatureNames = {"stage_discover",
                                                                           "stage_propose",
                                                                           "stage_negotiate",
                                                                           "stage_commit",
                                                                           "days_in_stage",
                                                                           "age",
                                                                           "amount",
                                                                           "area_1",
                                                                           "area_2",
                                                                           "area_3",
                                                                           "area_4",
                                                                           "area_5",
                                                                           "days_since_activity",
                                                                           "activities_30d",
                                                                           "activities_90d",
                                                                           "buying_roles",
                                                                           "economic_buyer_met",
                                                                           "next_step_ahead",
                                                                           "close_date_pushes",
                                                                           "close_date_passed",
                                                                           "core_segment",
                                                                           "owner_win_rate"};

int StageIndex(Stage stage) { return static_cast<int>(stage); }

double Median(std::vector<double>& values, double fallback) {
  if (values.empty()) return fallback;
  const size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
  return values[mid];
}

// The first day of the month after `day`'s, or `day` itself when it is a first.
Day NextMonthStart(Day day) {
  const std::chrono::year_month_day ymd(FromDay(day));
  if (ymd.day() == std::chrono::day(1)) return day;
  const auto next =
      std::chrono::year_month_day(ymd.year() / ymd.month() / 1) + std::chrono::months(1);
  return ToDay(Date(next));
}

Day AddMonth(Day first) {
  const std::chrono::year_month_day ymd(FromDay(first));
  return ToDay(Date(ymd + std::chrono::months(1)));
}

// The last day of the quarter (or month) containing `day`.
Day PeriodEnd(Day day, bool quarter) {
  const std::chrono::year_month_day ymd(FromDay(day));
  unsigned m = static_cast<unsigned>(ymd.month());
  if (quarter) m = (m - 1) / 3 * 3 + 3;
  const std::chrono::year_month_day_last last(ymd.year() / std::chrono::month(m) /
                                              std::chrono::last);
  return ToDay(Date(last));
}

// Every month start on which the deal was open: created before it, not closed by it, and not
// after `limit`.
template <typename F>
void ForEachSnapshot(const ForecastDealFacts& deal, Day limit, F&& f) {
  if (deal.created_on == kNoDay) return;
  const Day end = deal.closed_on == kNoDay ? limit : std::min<Day>(limit, deal.closed_on - 1);
  for (Day d = NextMonthStart(deal.created_on + 1); d <= end; d = AddMonth(d)) f(d);
}

}  // namespace

const std::array<std::string_view, kForecastFeatures>& ForecastFeatureNames() {
  return kFeatureNames;
}

// --- loading --------------------------------------------------------------------------------

Result<ForecastData> LoadForecastData(storage::Store& store, storage::Store* parallel_reader) {
  return LoadForecastData(store, ForecastLoadOptions{parallel_reader, nullptr});
}

Result<ForecastData> LoadForecastData(storage::Store& store, const ForecastLoadOptions& options) {
  internal::PhaseTimer trace("SALESBOX_FORECAST_TRACE", "forecast");
  storage::Store* parallel_reader = options.parallel_reader;
  const FactSubset* subset = options.subset;
  std::vector<storage::Value> subset_accounts, subset_deals;
  if (subset != nullptr) {
    subset_accounts.assign(subset->accounts.begin(), subset->accounts.end());
    subset_deals.assign(subset->opportunities.begin(), subset->opportunities.end());
  }
  // The subset's filter on `field`, or none.
  auto only = [subset](std::string field, const std::vector<storage::Value>& ids) {
    ListQuery query;
    if (subset != nullptr) query.filters.push_back(Match(std::move(field), FilterOp::kIn, ids));
    return query;
  };
  ForecastData data;
  SB_ASSIGN_OR_RETURN(ActivePlaybooks playbooks, LoadActivePlaybooks(store));
  const analytics::audit::Playbook& playbook = playbooks.opportunity.playbook;
  std::unordered_map<std::string, uint16_t> criterion_index;
  for (size_t c = 0; c < playbook.criteria.size(); ++c) {
    const auto& criterion = playbook.criteria[c];
    criterion_index[criterion.id] = static_cast<uint16_t>(c);
    data.criterion_area.push_back(criterion.auto_rule ? -1 : criterion.area);
    if (!criterion.auto_rule) ++data.manual_criteria_in_area[static_cast<size_t>(criterion.area)];
  }
  for (const auto& area : playbook.areas) {
    data.area_ids.push_back(area.id);
    data.area_names.push_back(area.name.text);
  }

  // Users and teams.
  SB_RETURN_IF_ERROR(
      store.users().ScanFields({}, {"id", "name", "team_id"}, [&](std::span<const FieldValue> r) {
        data.user_names[r[0].integer] = std::string(r[1].text);
        if (const int64_t team = IntOr(r[2]); team > 0) data.team_of[r[0].integer] = team;
        return Status::Ok();
      }));
  SB_RETURN_IF_ERROR(
      store.teams().ScanFields({}, {"id", "name"}, [&](std::span<const FieldValue> r) {
        data.team_names[r[0].integer] = std::string(r[1].text);
        return Status::Ok();
      }));

  trace.Mark("users");
  // Accounts: name and whether their segment is core.
  std::unordered_set<int64_t> core_segments;
  SB_RETURN_IF_ERROR(
      store.segments().ScanFields({}, {"id", "core"}, [&](std::span<const FieldValue> r) {
        if (IntOr(r[1]) != 0 || r[1].text == "true") core_segments.insert(r[0].integer);
        return Status::Ok();
      }));
  SB_RETURN_IF_ERROR(store.accounts().ScanFields(
      only("id", subset_accounts), {"id", "name", "segment_id"}, [&](std::span<const FieldValue> r) {
        data.account_names[r[0].integer] = std::string(r[1].text);
        if (core_segments.contains(IntOr(r[2]))) data.core_account[r[0].integer] = true;
        return Status::Ok();
      }));

  trace.Mark("accounts");
  // Contacts: the first day each account had an economic buyer, decision maker and champion, and
  // which contacts are economic buyers (for meetings with them).
  std::unordered_set<int64_t> economic_buyers;
  ListQuery contacts;
  if (subset != nullptr) {
    // The subset's contacts, and every contact its deals' activities were held with.
    contacts.filters.push_back(storage::AnyOf(
        {Match("account_id", FilterOp::kIn, subset_accounts),
         storage::InSelect("id", "activities", "contact_id",
                           {Match("opportunity_id", FilterOp::kIn, subset_deals)})}));
  }
  SB_RETURN_IF_ERROR(store.contacts().ScanFields(
      contacts, {"id", "account_id", "buying_role", "created_at"}, [&](std::span<const FieldValue> r) {
        const int role = EnumIndex<BuyingRole>(r[2], -1);
        int slot = -1;
        if (role == static_cast<int>(BuyingRole::kEconomicBuyer)) slot = 0;
        if (role == static_cast<int>(BuyingRole::kDecisionMaker)) slot = 1;
        if (role == static_cast<int>(BuyingRole::kChampion)) slot = 2;
        if (slot < 0) return Status::Ok();
        if (slot == 0) economic_buyers.insert(r[0].integer);
        auto [it, inserted] = data.first_role_day.try_emplace(
            IntOr(r[1]), std::array<Day, 3>{INT32_MAX, INT32_MAX, INT32_MAX});
        Day& first = it->second[static_cast<size_t>(slot)];
        first = std::min(first, ParseDay(r[3]));
        return Status::Ok();
      }));

  trace.Mark("contacts");
  // Opportunities.
  std::vector<int32_t>& index_of = data.index_of;
  SB_RETURN_IF_ERROR(store.opportunities().ScanFields(
      only("id", subset_deals),
      {"id", "account_id", "owner_id", "name", "stage", "amount_minor", "amount_currency",
       "probability", "created_on", "close_on", "closed_on", "next_step_on", "forecast_category"},
      [&](std::span<const FieldValue> r) {
        ForecastDealFacts d;
        d.id = r[0].integer;
        d.account_id = IntOr(r[1]);
        d.owner_id = IntOr(r[2]);
        d.name = std::string(r[3].text);
        d.stage = static_cast<Stage>(EnumIndex<Stage>(r[4], 0));
        Result<Currency> currency = Currency::Parse(r[6].text);
        d.amount = Money{IntOr(r[5]), currency.ok() ? *currency : Currency()};
        d.probability = static_cast<float>(RealOr(r[7], -1));
        d.created_on = ParseDay(r[8]);
        d.close_on = ParseDay(r[9]);
        d.closed_on = IsClosed(d.stage) ? ParseDay(r[10]) : kNoDay;
        d.next_step_on = ParseDay(r[11]);
        d.category = static_cast<ForecastCategory>(EnumIndex<ForecastCategory>(r[12], 0));
        internal::At(index_of, d.id, int32_t{-1}) = static_cast<int32_t>(data.deals.size());
        data.deals.push_back(std::move(d));
        return Status::Ok();
      }));
  auto deal_at = [&](int64_t id) -> ForecastDealFacts* {
    if (id <= 0 || static_cast<size_t>(id) >= index_of.size() || index_of[id] < 0) return nullptr;
    return &data.deals[static_cast<size_t>(index_of[id])];
  };

  trace.Mark("opportunities");
  // History, activities and answers are gathered per deal, then laid out contiguously.
  std::vector<std::vector<ForecastChange>> changes(data.deals.size());
  {
    // In storage order (a sequential scan; ordering by changed_at would walk its index and
    // fetch rows at random); each deal's rows are sorted below.
    ListQuery query = only("opportunity_id", subset_deals);
    SB_RETURN_IF_ERROR(store.opportunity_changes().ScanFields(
        query,
        {"opportunity_id", "changed_at", "stage", "amount_minor", "probability", "close_on",
         "next_step_on"},
        [&](std::span<const FieldValue> r) {
          ForecastDealFacts* deal = deal_at(IntOr(r[0]));
          if (deal == nullptr) return Status::Ok();
          ForecastChange c;
          c.seconds = ParseSeconds(r[1]);
          c.stage = static_cast<Stage>(EnumIndex<Stage>(r[2], 0));
          c.amount_minor = IntOr(r[3]);
          c.probability = static_cast<float>(RealOr(r[4], -1));
          c.close_on = ParseDay(r[5]);
          c.next_step_on = ParseDay(r[6]);
          changes[static_cast<size_t>(deal - data.deals.data())].push_back(c);
          return Status::Ok();
        }));
  }
  trace.Mark("history");
  // Answers: read on `parallel_reader` beside the activities when there is one (they share
  // nothing but the deal index, which is complete by now).
  std::vector<std::vector<ForecastAnswer>> answers(data.deals.size());
  auto read_answers = [&](storage::Store& reader) -> Status {
    ListQuery query = only("subject_id", subset_deals);
    query.filters.push_back(Match("subject_type", FilterOp::kEq, {std::string("opportunity")}));
    std::string criterion;
    return reader.scorecard_answers().ScanFields(
        query, {"subject_id", "criterion_id", "answer", "answered_at"},
        [&](std::span<const FieldValue> r) {
          const ForecastDealFacts* deal = data.Deal(IntOr(r[0]));
          if (deal == nullptr) return Status::Ok();
          criterion.assign(r[1].text);
          auto it = criterion_index.find(criterion);
          if (it == criterion_index.end()) return Status::Ok();
          ForecastAnswer a;
          a.seconds = ParseSeconds(r[3]);
          a.day = ParseDay(r[3]);
          a.criterion = it->second;
          a.yes = r[2].text == "yes";
          answers[static_cast<size_t>(deal - data.deals.data())].push_back(a);
          return Status::Ok();
        });
  };
  Status answers_status;
  std::optional<std::thread> answers_thread;
  struct Joiner {
    std::optional<std::thread>& thread;
    ~Joiner() {
      if (thread && thread->joinable()) thread->join();
    }
  } joiner{answers_thread};
  if (parallel_reader != nullptr) {
    answers_thread.emplace([&] { answers_status = read_answers(*parallel_reader); });
  }
  std::vector<std::vector<ForecastActivity>> activities(data.deals.size());
  {
    // Completed ones (a sequential scan: a filter on opportunity_id would walk its index).
    ListQuery query = only("opportunity_id", subset_deals);
    query.filters.push_back(Match("status", FilterOp::kEq, {std::string("completed")}));
    SB_RETURN_IF_ERROR(store.activities().ScanFields(
        query, {"opportunity_id", "at", "type", "contact_id"}, [&](std::span<const FieldValue> r) {
          ForecastDealFacts* deal = deal_at(IntOr(r[0]));
          if (deal == nullptr) return Status::Ok();
          ForecastActivity a;
          a.day = ParseDay(r[1]);
          a.meeting = r[2].text == "meeting";
          a.with_economic_buyer = a.meeting && economic_buyers.contains(IntOr(r[3]));
          activities[static_cast<size_t>(deal - data.deals.data())].push_back(a);
          return Status::Ok();
        }));
  }
  trace.Mark("activities");
  if (answers_thread) {
    answers_thread->join();
    SB_RETURN_IF_ERROR(answers_status);
  } else {
    SB_RETURN_IF_ERROR(read_answers(store));
  }
  trace.Mark("answers");
  for (size_t i = 0; i < data.deals.size(); ++i) {
    ForecastDealFacts& d = data.deals[i];
    std::stable_sort(
        changes[i].begin(), changes[i].end(),
        [](const ForecastChange& a, const ForecastChange& b) { return a.seconds < b.seconds; });
    d.changes_begin = static_cast<uint32_t>(data.changes.size());
    data.changes.insert(data.changes.end(), changes[i].begin(), changes[i].end());
    d.changes_end = static_cast<uint32_t>(data.changes.size());
    // Total orders, so that a deal gathered alone (the live facts' delta) lays out its rows
    // exactly as a full load does, whatever order the storage returned them in.
    std::sort(activities[i].begin(), activities[i].end(),
              [](const ForecastActivity& a, const ForecastActivity& b) {
                return std::tie(a.day, a.meeting, a.with_economic_buyer) <
                       std::tie(b.day, b.meeting, b.with_economic_buyer);
              });
    d.activities_begin = static_cast<uint32_t>(data.activities.size());
    data.activities.insert(data.activities.end(), activities[i].begin(), activities[i].end());
    d.activities_end = static_cast<uint32_t>(data.activities.size());
    std::sort(answers[i].begin(), answers[i].end(),
              [](const ForecastAnswer& a, const ForecastAnswer& b) {
                return std::tie(a.seconds, a.criterion, a.yes) < std::tie(b.seconds, b.criterion, b.yes);
              });
    d.answers_begin = static_cast<uint32_t>(data.answers.size());
    data.answers.insert(data.answers.end(), answers[i].begin(), answers[i].end());
    d.answers_end = static_cast<uint32_t>(data.answers.size());
  }
  ComputeOwnerRecords(data);
  trace.Mark("layout");
  return data;
}

void ComputeOwnerRecords(ForecastData& data) {
  data.closed_by_owner.clear();
  std::unordered_map<int64_t, std::vector<std::pair<Day, bool>>> closed;
  for (const ForecastDealFacts& d : data.deals) {
    if (d.closed_on != kNoDay && d.owner_id != 0) {
      closed[d.owner_id].push_back({d.closed_on, d.stage == Stage::kClosedWon});
    }
  }
  for (auto& [owner, list] : closed) {
    std::sort(list.begin(), list.end());
    ForecastData::OwnerRecord& record = data.closed_by_owner[owner];
    record.wins.push_back(0);
    for (const auto& [day, won] : list) {
      record.closed_on.push_back(day);
      record.wins.push_back(record.wins.back() + (won ? 1 : 0));
    }
  }
}

// --- a deal on a day ------------------------------------------------------------------------

DealOnDay StateOn(const ForecastData& data, const ForecastDealFacts& deal, Day d) {
  DealOnDay s;
  if (deal.created_on == kNoDay || deal.created_on > d) return s;
  if (deal.closed_on != kNoDay && deal.closed_on <= d) return s;
  s.open = true;
  const int64_t end_of_day = (static_cast<int64_t>(d) + 1) * 86400;
  if (deal.changes_begin == deal.changes_end) {
    // No history: the current record is all there is.
    s.stage = IsClosed(deal.stage) ? Stage::kCommit : deal.stage;
    s.amount_minor = deal.amount.minor_units;
    s.probability = deal.probability;
    s.close_on = deal.close_on;
    s.next_step_on = deal.next_step_on;
    s.stage_since = deal.created_on;
    return s;
  }
  bool any = false;
  Day last_close = kNoDay;
  for (uint32_t i = deal.changes_begin; i < deal.changes_end; ++i) {
    const ForecastChange& c = data.changes[i];
    if (c.seconds >= end_of_day) break;
    const Day day = static_cast<Day>(c.seconds / 86400);
    if (!any || c.stage != s.stage) s.stage_since = day;
    if (any && c.close_on != last_close) ++s.close_changes;
    last_close = c.close_on;
    s.stage = c.stage;
    s.amount_minor = c.amount_minor;
    s.probability = c.probability;
    s.close_on = c.close_on;
    s.next_step_on = c.next_step_on;
    any = true;
  }
  if (!any) {  // history starts after D (imported later): the first row is the best guess
    const ForecastChange& c = data.changes[deal.changes_begin];
    s.stage = c.stage;
    s.amount_minor = c.amount_minor;
    s.probability = c.probability;
    s.close_on = c.close_on;
    s.next_step_on = kNoDay;
    s.stage_since = deal.created_on;
  }
  if (IsClosed(s.stage)) s.stage = Stage::kCommit;  // a close row dated before closed_on
  return s;
}

void DealFeatures(const ForecastData& data, const ForecastTypical& typical,
                  const ForecastDealFacts& deal, const DealOnDay& state, Day d, double* out) {
  std::fill(out, out + kForecastFeatures, 0.0);
  const int stage = StageIndex(state.stage);
  if (stage >= 1 && stage <= 4) out[stage - 1] = 1;
  const double in_stage = std::max(0, d - std::max(state.stage_since, deal.created_on));
  out[4] =
      std::log((1 + in_stage) /
               (1 + typical.median_days_in_stage[static_cast<size_t>(std::clamp(stage, 0, 4))]));
  out[5] = std::log1p(std::max(0, d - deal.created_on));
  auto median = typical.median_amount.find(deal.amount.currency.ToString());
  const double typical_amount = median == typical.median_amount.end() ? 0 : median->second;
  out[6] = state.amount_minor > 0 && typical_amount > 0
               ? std::clamp(std::log(static_cast<double>(state.amount_minor) / typical_amount),
                            -3.0, 3.0)
               : -3.0;

  // Answers: the latest per criterion by the end of D.
  const int64_t end_of_day = (static_cast<int64_t>(d) + 1) * 86400;
  std::array<int, 5> yes{};
  if (deal.answers_begin != deal.answers_end) {
    // Playbooks have at most 50 criteria (5 areas of up to 10).
    std::array<int8_t, 64> latest;
    latest.fill(-1);
    const size_t criteria = std::min<size_t>(data.criterion_area.size(), latest.size());
    for (uint32_t i = deal.answers_begin; i < deal.answers_end; ++i) {
      const ForecastAnswer& a = data.answers[i];
      if (a.seconds >= end_of_day) break;
      if (a.criterion < criteria) latest[a.criterion] = a.yes ? 1 : 0;
    }
    for (size_t c = 0; c < criteria; ++c) {
      const int area = data.criterion_area[c];
      if (area >= 0 && latest[c] == 1) ++yes[static_cast<size_t>(area)];
    }
  }
  for (size_t area = 0; area < 5; ++area) {
    const int n = data.manual_criteria_in_area[area];
    out[7 + area] = n > 0 ? static_cast<double>(yes[area]) / n : 0;
  }

  // Activities completed by D.
  Day last = kNoDay;
  int in30 = 0, in90 = 0;
  bool eb = false;
  for (uint32_t i = deal.activities_begin; i < deal.activities_end; ++i) {
    const ForecastActivity& a = data.activities[i];
    if (a.day > d) break;
    last = a.day;
    if (a.day > d - 30) ++in30;
    if (a.day > d - 90) ++in90;
    eb = eb || a.with_economic_buyer;
  }
  out[12] = std::log1p(std::max(0, d - (last == kNoDay ? deal.created_on : last)));
  out[13] = std::log1p(in30);
  out[14] = std::log1p(in90);
  if (auto roles = data.first_role_day.find(deal.account_id); roles != data.first_role_day.end()) {
    int covered = 0;
    for (Day first : roles->second) covered += first <= d ? 1 : 0;
    out[15] = covered / 3.0;
  }
  out[16] = eb ? 1 : 0;
  out[17] = state.next_step_on != kNoDay && state.next_step_on > d ? 1 : 0;
  out[18] = std::min(state.close_changes, 5);
  out[19] = state.close_on != kNoDay && state.close_on < d ? 1 : 0;
  out[20] = data.core_account.contains(deal.account_id) ? 1 : 0;

  // The owner's win rate over deals closed before D, shrunk toward the company's (10 deals).
  double won = 0, closed = 0;
  if (auto it = data.closed_by_owner.find(deal.owner_id); it != data.closed_by_owner.end()) {
    const auto& days = it->second.closed_on;
    const size_t before =
        static_cast<size_t>(std::lower_bound(days.begin(), days.end(), d) - days.begin());
    closed = static_cast<double>(before);
    won = it->second.wins[before];
  }
  out[21] = (won + 10 * typical.owner_prior) / (closed + 10);
}

// --- training -------------------------------------------------------------------------------

double ForecastModel::Probability(const double* features, Stage stage) const {
  if (method == ForecastMethod::kStageRates) {
    return stage_rate[static_cast<size_t>(std::clamp(StageIndex(stage), 0, 4))];
  }
  Result<double> raw =
      fc::PredictProbability(logistic, std::span<const double>(features, kForecastFeatures));
  const double p = raw.ok() ? *raw : 0.5;
  // Never 0 or 1 for an open deal: isotonic steps at the ends rest on a handful of examples,
  // and "cannot be won" is a claim no history supports.
  constexpr double kFloor = 0.01;
  if (!calibration) return std::clamp(p, kFloor, 1 - kFloor);
  Result<double> calibrated = fc::Calibrate(*calibration, p);
  return std::clamp(calibrated.ok() ? *calibrated : p, kFloor, 1 - kFloor);
}

namespace {

struct Example {
  size_t deal = 0;
  Day day = kNoDay;
  DealOnDay state;
  double outcome = 0;
};

// Every snapshot of every deal closed by `cutoff`, taken before the cutoff.
std::vector<Example> TrainingExamples(const ForecastData& data, Day cutoff, Day from = INT32_MIN) {
  std::vector<Example> out;
  for (size_t i = 0; i < data.deals.size(); ++i) {
    const ForecastDealFacts& deal = data.deals[i];
    if (deal.closed_on == kNoDay || deal.closed_on > cutoff) continue;
    ForEachSnapshot(deal, cutoff, [&](Day d) {
      if (d < from) return;
      DealOnDay state = StateOn(data, deal, d);
      if (!state.open) return;
      out.push_back({i, d, state, deal.stage == Stage::kClosedWon ? 1.0 : 0.0});
    });
  }
  std::sort(out.begin(), out.end(), [](const Example& a, const Example& b) {
    return a.day != b.day ? a.day < b.day : a.deal < b.deal;
  });
  return out;
}

ForecastTypical TypicalOf(const ForecastData& data, const std::vector<Example>& examples) {
  ForecastTypical typical;
  std::array<std::vector<double>, 5> days;
  std::map<std::string, std::vector<double>> amounts;
  std::unordered_set<size_t> seen;
  double won = 0, closed = 0;
  for (const Example& e : examples) {
    const int stage = std::clamp(StageIndex(e.state.stage), 0, 4);
    days[static_cast<size_t>(stage)].push_back(
        std::max(0, e.day - std::max(e.state.stage_since, data.deals[e.deal].created_on)));
    if (seen.insert(e.deal).second) {
      const ForecastDealFacts& deal = data.deals[e.deal];
      if (e.state.amount_minor > 0) {
        amounts[deal.amount.currency.ToString()].push_back(
            static_cast<double>(e.state.amount_minor));
      }
      closed += 1;
      won += e.outcome;
    }
  }
  for (size_t s = 0; s < 5; ++s) typical.median_days_in_stage[s] = Median(days[s], 30);
  for (auto& [currency, values] : amounts) typical.median_amount[currency] = Median(values, 1);
  if (closed > 0) typical.owner_prior = won / closed;
  return typical;
}

// Slip: the share of won snapshots whose deal closed after the end of the period its expected
// close date was in (per stage; index 5 for deals already past their close date), with a prior.
void LearnSlip(const ForecastData& data, const std::vector<Example>& examples, ForecastModel& m) {
  std::array<double, 6> slipped_q{}, slipped_m{}, n{};
  for (const Example& e : examples) {
    const ForecastDealFacts& deal = data.deals[e.deal];
    if (deal.stage != Stage::kClosedWon || e.state.close_on == kNoDay) continue;
    const bool overdue = e.state.close_on < e.day;
    const size_t k = overdue ? 5 : static_cast<size_t>(std::clamp(StageIndex(e.state.stage), 0, 4));
    const Day reference = overdue ? e.day : e.state.close_on;
    n[k] += 1;
    slipped_q[k] += deal.closed_on > PeriodEnd(reference, true) ? 1 : 0;
    slipped_m[k] += deal.closed_on > PeriodEnd(reference, false) ? 1 : 0;
  }
  constexpr double kPrior = 10, kPriorQuarter = 0.25, kPriorMonth = 0.4;
  for (size_t k = 0; k < 6; ++k) {
    m.slip_quarter[k] = (slipped_q[k] + kPrior * kPriorQuarter) / (n[k] + kPrior);
    m.slip_month[k] = (slipped_m[k] + kPrior * kPriorMonth) / (n[k] + kPrior);
  }
}

}  // namespace

Result<ForecastModel> TrainForecast(const ForecastData& data, const TrainOptions& options) {
  ForecastModel model;
  std::vector<Example> examples = TrainingExamples(data, options.cutoff);
  std::unordered_set<size_t> deals;
  for (const Example& e : examples) deals.insert(e.deal);
  for (const ForecastDealFacts& deal : data.deals) {
    if (deal.closed_on != kNoDay && deal.closed_on <= options.cutoff) ++model.closed_deals;
  }
  if (model.closed_deals == 0 || examples.empty()) {
    return Status::FailedPrecondition(
        "forecast: no deal closed by " + FormatDate(FromDay(options.cutoff)) +
        " was open on a month start: there is no history to learn from");
  }
  model.examples = static_cast<int64_t>(examples.size());
  model.typical = TypicalOf(data, examples);
  LearnSlip(data, examples, model);

  // Stage rates: the fallback, and the prior of nothing else.
  std::vector<fc::StageHistory> stages(5);
  for (int s = 0; s < 5; ++s)
    stages[static_cast<size_t>(s)].default_rate = DefaultProbability(static_cast<Stage>(s));
  for (const Example& e : examples) {
    fc::StageHistory& h = stages[static_cast<size_t>(std::clamp(StageIndex(e.state.stage), 0, 4))];
    h.closed += 1;
    h.won += static_cast<int64_t>(e.outcome);
  }
  SB_ASSIGN_OR_RETURN(std::vector<fc::StageRate> rates, fc::StageWinRates(stages));
  for (size_t s = 0; s < 5; ++s) model.stage_rate[s] = rates[s].rate;

  int64_t won = 0;
  for (size_t i : deals) won += data.deals[i].stage == Stage::kClosedWon ? 1 : 0;
  const int64_t lost = static_cast<int64_t>(deals.size()) - won;
  if (fc::IsLittleHistory(model.closed_deals) || won < 10 || lost < 10) {
    model.method = ForecastMethod::kStageRates;
    char reason[200];
    std::snprintf(reason, sizeof reason,
                  "%lld closed deals (%lld won, %lld lost) are too few to learn from (at least "
                  "%lld, with 10 of each, are needed): the win rate per stage with a prior is used",
                  static_cast<long long>(model.closed_deals), static_cast<long long>(won),
                  static_cast<long long>(lost),
                  static_cast<long long>(fc::kLittleHistoryClosedDeals));
    model.method_reason = reason;
    return model;
  }

  // At most kMaxTrainingExamples, evenly over time (every k-th by day): a few hundred thousand
  // snapshots pin down 22 coefficients; the millions of a large company only cost time.
  constexpr size_t kMaxTrainingExamples = 400'000;
  if (examples.size() > kMaxTrainingExamples) {
    const double step = static_cast<double>(examples.size()) / kMaxTrainingExamples;
    std::vector<Example> sample;
    sample.reserve(kMaxTrainingExamples);
    for (size_t k = 0; k < kMaxTrainingExamples; ++k) {
      sample.push_back(examples[static_cast<size_t>(static_cast<double>(k) * step)]);
    }
    examples = std::move(sample);
  }
  model.sampled_examples = static_cast<int64_t>(examples.size());

  // Train on the earlier part, calibrate on the latest (note 4).
  const Day first = examples.front().day, last = examples.back().day;
  const Day calibration_from =
      last - static_cast<Day>(std::lround((last - first) * options.calibration_share));
  size_t split = 0;
  while (split < examples.size() && examples[split].day < calibration_from) ++split;
  if (split < examples.size() / 2) split = examples.size();  // too little before: no calibration
  std::vector<double> x(examples.size() * kForecastFeatures);
  std::vector<double> y(examples.size());
  for (size_t i = 0; i < examples.size(); ++i) {
    const Example& e = examples[i];
    DealFeatures(data, model.typical, data.deals[e.deal], e.state, e.day,
                 &x[i * kForecastFeatures]);
    y[i] = e.outcome;
  }
  fc::LogisticOptions logistic;
  logistic.lambda = options.lambda;
  fc::FeatureMatrix train{std::span<const double>(x.data(), split * kForecastFeatures),
                          static_cast<int64_t>(split), kForecastFeatures};
  SB_ASSIGN_OR_RETURN(
      model.logistic,
      fc::FitLogistic(train, std::span<const double>(y.data(), split), {}, logistic));
  const size_t held_out = examples.size() - split;
  if (held_out >= 100) {
    std::vector<double> raw(held_out);
    fc::FeatureMatrix calibrate{
        std::span<const double>(x.data() + split * kForecastFeatures, held_out * kForecastFeatures),
        static_cast<int64_t>(held_out), kForecastFeatures};
    SB_RETURN_IF_ERROR(fc::PredictProbabilities(model.logistic, calibrate, raw));
    SB_ASSIGN_OR_RETURN(model.calibration,
                        fc::FitIsotonic(raw, std::span<const double>(y.data() + split, held_out)));
    model.calibration_examples = static_cast<int64_t>(held_out);
  }
  model.method = ForecastMethod::kModel;
  model.method_reason = "learned from " + std::to_string(model.closed_deals) + " closed deals (" +
                        std::to_string(model.examples) + " month-start snapshots)";
  return model;
}

// --- the forecast ---------------------------------------------------------------------------

Result<std::pair<Date, Date>> ParsePeriod(std::string_view text) {
  auto bad = [&] {
    return Status::InvalidArgument("period: \"" + std::string(text) +
                                   "\" is not a quarter (2026-Q4) or a month (2026-11)")
        .WithField("period");
  };
  if (text.size() != 7 || text[4] != '-') return bad();
  int year = 0;
  for (int i = 0; i < 4; ++i) {
    if (text[i] < '0' || text[i] > '9') return bad();
    year = year * 10 + (text[i] - '0');
  }
  if (year < 1900 || year > 2200) return bad();
  unsigned first = 0, months = 0;
  if (text[5] == 'Q' || text[5] == 'q') {
    if (text[6] < '1' || text[6] > '4') return bad();
    first = static_cast<unsigned>(text[6] - '1') * 3 + 1;
    months = 3;
  } else {
    if (text[5] < '0' || text[5] > '1' || text[6] < '0' || text[6] > '9') return bad();
    first = static_cast<unsigned>((text[5] - '0') * 10 + (text[6] - '0'));
    if (first < 1 || first > 12) return bad();
    months = 1;
  }
  const std::chrono::year y{year};
  const Date start(y / std::chrono::month(first) / 1);
  const Date end(std::chrono::year_month_day_last(y / std::chrono::month(first + months - 1) /
                                                  std::chrono::last));
  return std::pair<Date, Date>{start, end};
}

namespace {

std::string QuarterLabel(Date day) {
  const std::chrono::year_month_day ymd(day);
  return std::to_string(static_cast<int>(ymd.year())) + "-Q" +
         std::to_string((static_cast<unsigned>(ymd.month()) - 1) / 3 + 1);
}

// A factor in words, from the feature's value on the deal.
// The factor texts in en, da, sv, nb (analytics::audit::kLocales order). %d / %.1f take the
// feature's value in its own terms; the area texts take the area's name first.
struct FactorTexts {
  const char* text[4];
};
constexpr FactorTexts kStageWord = {{"stage", "fase", "fas", "fase"}};
constexpr FactorTexts kStageNames[5] = {
    {{"qualify", "kvalificering", "kvalificering", "kvalifisering"}},
    {{"discover", "afdækning", "behovsanalys", "behovsavklaring"}},
    {{"propose", "tilbud", "offert", "tilbud"}},
    {{"negotiate", "forhandling", "förhandling", "forhandling"}},
    {{"commit", "forpligtelse", "åtagande", "forpliktelse"}}};
constexpr FactorTexts kInStage = {
    {"in its stage %.1f× as long as typical", "i fasen %.1f× så længe som normalt",
     "i fasen %.1f× så länge som normalt", "i fasen %.1f× så lenge som normalt"}};
constexpr FactorTexts kAge = {
    {"%d days old", "%d dage gammel", "%d dagar gammal", "%d dager gammel"}};
constexpr FactorTexts kAmount = {{"amount %.1f× the typical deal", "beløb %.1f× den typiske aftale",
                                  "belopp %.1f× den typiska affären",
                                  "beløp %.1f× den typiske avtalen"}};
constexpr FactorTexts kArea = {{"%s: %d of %d answered yes", "%s: %d af %d besvaret ja",
                                "%s: %d av %d besvarade ja", "%s: %d av %d besvart ja"}};
constexpr FactorTexts kLastActivity = {
    {"last activity %d days ago", "seneste aktivitet for %d dage siden",
     "senaste aktivitet för %d dagar sedan", "siste aktivitet for %d dager siden"}};
constexpr FactorTexts kActivities30 = {
    {"%d activities in the last 30 days", "%d aktiviteter de seneste 30 dage",
     "%d aktiviteter de senaste 30 dagarna", "%d aktiviteter de siste 30 dagene"}};
constexpr FactorTexts kActivities90 = {
    {"%d activities in the last 90 days", "%d aktiviteter de seneste 90 dage",
     "%d aktiviteter de senaste 90 dagarna", "%d aktiviteter de siste 90 dagene"}};
constexpr FactorTexts kRoles = {
    {"%d of 3 key buying roles known (economic buyer, decision maker, champion)",
     "%d af 3 nøgleroller kendt (økonomisk beslutningstager, beslutningstager, champion)",
     "%d av 3 nyckelroller kända (ekonomisk beslutsfattare, beslutsfattare, champion)",
     "%d av 3 nøkkelroller kjent (økonomisk beslutningstaker, beslutningstaker, champion)"}};
constexpr FactorTexts kEconomicBuyer[2] = {
    {{"economic buyer not met", "økonomisk beslutningstager ikke mødt",
      "ekonomisk beslutsfattare inte träffad", "økonomisk beslutningstaker ikke møtt"}},
    {{"economic buyer met", "økonomisk beslutningstager mødt", "ekonomisk beslutsfattare träffad",
      "økonomisk beslutningstaker møtt"}}};
constexpr FactorTexts kNextStep[2] = {
    {{"no dated next step ahead", "intet dateret næste skridt", "inget daterat nästa steg",
      "ingen datert neste steg"}},
    {{"dated next step ahead", "dateret næste skridt planlagt", "daterat nästa steg planerat",
      "datert neste steg planlagt"}}};
constexpr FactorTexts kCloseMoved = {{"close date moved %d times", "lukkedato flyttet %d gange",
                                      "avslutsdatum flyttat %d gånger",
                                      "lukkedato flyttet %d ganger"}};
constexpr FactorTexts kClosePassed[2] = {
    {{"close date ahead", "lukkedatoen ligger forude", "avslutsdatumet ligger framåt",
      "lukkedatoen ligger foran"}},
    {{"close date has passed", "lukkedatoen er overskredet", "avslutsdatumet har passerats",
      "lukkedatoen er passert"}}};
constexpr FactorTexts kCore[2] = {
    {{"not in a core segment", "ikke i et kernesegment", "inte i ett kärnsegment",
      "ikke i et kjernesegment"}},
    {{"in a core segment", "i et kernesegment", "i ett kärnsegment", "i et kjernesegment"}}};
constexpr FactorTexts kOwner = {{"owner's win rate %d%%", "ejerens hitrate %d %%",
                                 "ägarens vinstandel %d %%", "eierens vinnrate %d %%"}};

template <typename... Args>
std::string Format(const FactorTexts& texts, int locale, Args... args) {
  char out[256];
  std::snprintf(out, sizeof out, texts.text[locale], args...);
  return out;
}

int Count(double log1p_value) { return static_cast<int>(std::lround(std::expm1(log1p_value))); }

// A factor in words in the reader's language, from the feature's value on the deal.
std::string FactorLabel(const ForecastData& data, int feature, const double* x, int locale) {
  locale = std::clamp(locale, 0, 3);
  const double v = x[feature];
  switch (feature) {
    case 0:
    case 1:
    case 2:
    case 3: {
      int stage = 0;
      for (int s = 0; s < 4; ++s) {
        if (x[s] == 1) stage = s + 1;
      }
      return std::string(kStageWord.text[locale]) + " " + kStageNames[stage].text[locale];
    }
    case 4:
      return Format(kInStage, locale, std::exp(v));
    case 5:
      return Format(kAge, locale, Count(v));
    case 6:
      return Format(kAmount, locale, std::exp(v));
    case 7:
    case 8:
    case 9:
    case 10:
    case 11: {
      const size_t area = static_cast<size_t>(feature - 7);
      const int n = data.manual_criteria_in_area[area];
      const std::string name =
          area < data.area_names.size() ? data.area_names[area][static_cast<size_t>(locale)] : "";
      return Format(kArea, locale, name.c_str(), static_cast<int>(std::lround(v * n)), n);
    }
    case 12:
      return Format(kLastActivity, locale, Count(v));
    case 13:
      return Format(kActivities30, locale, Count(v));
    case 14:
      return Format(kActivities90, locale, Count(v));
    case 15:
      return Format(kRoles, locale, static_cast<int>(std::lround(v * 3)));
    case 16:
      return kEconomicBuyer[v > 0].text[locale];
    case 17:
      return kNextStep[v > 0].text[locale];
    case 18:
      return Format(kCloseMoved, locale, static_cast<int>(v));
    case 19:
      return kClosePassed[v > 0].text[locale];
    case 20:
      return kCore[v > 0].text[locale];
    case 21:
      return Format(kOwner, locale, static_cast<int>(std::lround(v * 100)));
  }
  return std::string(kFeatureNames[static_cast<size_t>(feature)]);
}

// The feature's key: its name, with the scorecard areas named by the playbook's area ids.
std::string FeatureKey(const ForecastData& data, int feature) {
  if (feature == 0) return "stage";
  if (feature >= 7 && feature <= 11 && static_cast<size_t>(feature - 7) < data.area_ids.size()) {
    return "area_" + data.area_ids[static_cast<size_t>(feature - 7)];
  }
  return std::string(kFeatureNames[static_cast<size_t>(feature)]);
}

void Explain(const ForecastData& data, const ForecastModel& model, const double* x, int locale,
             ScoredDeal& s) {
  if (model.method != ForecastMethod::kModel) return;
  Result<fc::PredictionBreakdown> b =
      fc::ExplainPrediction(model.logistic, std::span<const double>(x, kForecastFeatures));
  if (!b.ok()) return;
  // The stage indicators act as one factor.
  std::vector<std::pair<double, int>> effects;
  double stage = 0;
  for (int j = 0; j < 4; ++j) stage += b->contributions[static_cast<size_t>(j)];
  effects.push_back({stage, 0});
  for (int j = 4; j < kForecastFeatures; ++j)
    effects.push_back({b->contributions[static_cast<size_t>(j)], j});
  std::sort(effects.begin(), effects.end());
  for (const auto& [effect, j] : effects) {
    if (effect < -0.05 && s.down.size() < 3) {
      s.down.push_back({FeatureKey(data, j), FactorLabel(data, j, x, locale), effect});
    }
  }
  for (auto it = effects.rbegin(); it != effects.rend(); ++it) {
    if (it->first > 0.05 && s.up.size() < 3) {
      const int j = it->second;
      s.up.push_back({FeatureKey(data, j), FactorLabel(data, j, x, locale), it->first});
    }
  }
}

}  // namespace

bool ForecastVisible(const Principal* viewer, const ForecastData& data, int64_t owner) {
  if (viewer == nullptr) return true;
  switch (viewer->role) {
    case Role::kAdmin:
    case Role::kExecutive:
      return true;
    case Role::kManager: {
      if (owner == viewer->user_id.value) return true;
      auto it = data.team_of.find(owner);
      return viewer->team_id && it != data.team_of.end() && it->second == viewer->team_id->value;
    }
    case Role::kRep:
    case Role::kMarketing:
      return owner == viewer->user_id.value;
  }
  return false;
}

namespace {

int64_t Times(int64_t amount, double p) {
  return static_cast<int64_t>(std::llround(static_cast<double>(amount) * p));
}

}  // namespace

ForecastScores ScoreOpenDeals(const ForecastData& data, const ForecastModel& model, Day day) {
  ForecastScores scores;
  scores.day = day;
  scores.model = &model;
  for (size_t i = 0; i < data.deals.size(); ++i) {
    const DealOnDay state = StateOn(data, data.deals[i], day);
    if (!state.open) continue;
    DealScore score;
    score.deal = static_cast<int32_t>(i);
    score.state = state;
    DealFeatures(data, model.typical, data.deals[i], state, day, score.x.data());
    score.p_model = model.Probability(score.x.data(), state.stage);
    scores.open.push_back(score);
  }
  return scores;
}

ForecastScores UpdateScores(const ForecastScores& old, const ForecastData& old_data,
                            const ForecastData& data, const ForecastModel& model,
                            const std::unordered_set<int64_t>& changed,
                            const std::unordered_set<int64_t>& owners) {
  ForecastScores scores;
  scores.day = old.day;
  scores.model = &model;
  scores.open.reserve(old.open.size() + changed.size());
  // Old scores by deal id, for the deals that keep theirs.
  std::unordered_map<int64_t, const DealScore*> kept;
  kept.reserve(old.open.size());
  for (const DealScore& score : old.open) {
    const ForecastDealFacts& deal = old_data.deals[static_cast<size_t>(score.deal)];
    if (!changed.contains(deal.id) && !owners.contains(deal.owner_id)) kept[deal.id] = &score;
  }
  for (size_t i = 0; i < data.deals.size(); ++i) {
    const ForecastDealFacts& deal = data.deals[i];
    if (auto it = kept.find(deal.id); it != kept.end() && !owners.contains(deal.owner_id)) {
      DealScore score = *it->second;
      score.deal = static_cast<int32_t>(i);
      scores.open.push_back(score);
      continue;
    }
    if (!changed.contains(deal.id) && !owners.contains(deal.owner_id)) continue;  // was closed
    const DealOnDay state = StateOn(data, deal, old.day);
    if (!state.open) continue;
    DealScore score;
    score.deal = static_cast<int32_t>(i);
    score.state = state;
    DealFeatures(data, model.typical, deal, state, old.day, score.x.data());
    score.p_model = model.Probability(score.x.data(), state.stage);
    scores.open.push_back(score);
  }
  return scores;
}

Result<Forecast> RunForecast(const ForecastData& data, const ForecastRequest& request) {
  Forecast out;
  out.as_of = request.as_of;
  const std::string label = request.period.empty() ? QuarterLabel(request.as_of) : request.period;
  SB_ASSIGN_OR_RETURN(auto period, ParsePeriod(label));
  out.period_label = label;
  out.period_start = period.first;
  out.period_end = period.second;
  const bool quarter = label.find('Q') != std::string::npos || label.find('q') != std::string::npos;
  const Day as_of = ToDay(request.as_of);
  const Day start = ToDay(period.first), end = ToDay(period.second);

  if (request.team_id && !data.team_names.contains(*request.team_id)) {
    return Status::NotFound("no team with id " + std::to_string(*request.team_id))
        .WithField("team_id");
  }
  if (request.rep_id && !data.user_names.contains(*request.rep_id)) {
    return Status::NotFound("no user with id " + std::to_string(*request.rep_id))
        .WithField("rep_id");
  }
  if (request.viewer != nullptr) {
    const Principal& v = *request.viewer;
    const bool all = v.role == Role::kAdmin || v.role == Role::kExecutive;
    if (request.team_id && !all &&
        !(v.role == Role::kManager && v.team_id && v.team_id->value == *request.team_id)) {
      return Status::PermissionDenied("the team is outside what you may see").WithField("team_id");
    }
    if (request.rep_id && !ForecastVisible(request.viewer, data, *request.rep_id)) {
      return Status::PermissionDenied("the rep is outside what you may see").WithField("rep_id");
    }
  }
  auto in_scope = [&](int64_t owner) {
    if (!ForecastVisible(request.viewer, data, owner)) return false;
    if (request.rep_id && owner != *request.rep_id) return false;
    if (request.team_id) {
      auto it = data.team_of.find(owner);
      if (it == data.team_of.end() || it->second != *request.team_id) return false;
    }
    return true;
  };

  internal::PhaseTimer trace("SALESBOX_FORECAST_TRACE", "forecast");
  if (request.model != nullptr) {
    out.model = *request.model;
  } else {
    TrainOptions train;
    train.cutoff = as_of;
    SB_ASSIGN_OR_RETURN(out.model, TrainForecast(data, train));
  }
  const ForecastModel& model = out.model;

  // Score every open deal in scope.
  std::map<std::string, Rollup> totals;
  std::map<std::pair<int, int64_t>, std::map<std::string, Rollup>> groups;  // (level, id)
  auto rollups_of = [&](int64_t owner, const std::string& currency) {
    std::vector<Rollup*> r = {&totals[currency]};
    r.push_back(&groups[{1, owner}][currency]);
    if (auto it = data.team_of.find(owner); it != data.team_of.end()) {
      r.push_back(&groups[{0, it->second}][currency]);
    }
    return r;
  };
  const ForecastScores* scores =
      request.scores != nullptr && request.scores->day == as_of && request.scores->model == &model
          ? request.scores
          : nullptr;
  const bool explain_all = request.explain_limit < 0;
  std::vector<std::array<double, kForecastFeatures>> features;  // per out.deals, when needed
  for (const ForecastDealFacts& deal : data.deals) {
    if (!in_scope(deal.owner_id)) continue;
    // Won in the period so far.
    if (deal.stage == Stage::kClosedWon && deal.closed_on != kNoDay && deal.closed_on >= start &&
        deal.closed_on <= std::min(end, as_of)) {
      for (Rollup* r : rollups_of(deal.owner_id, deal.amount.currency.ToString())) {
        r->currency = deal.amount.currency;
        r->closed_won += deal.amount.minor_units;
      }
    }
  }
  // Scores the open deal `deal` in state `state` with features `x` into out.deals.
  auto add_open = [&](const ForecastDealFacts& deal, const DealOnDay& state, const double* x,
                      double p_model) {
    ScoredDeal s;
    s.id = deal.id;
    s.owner_id = deal.owner_id;
    s.account_id = deal.account_id;
    if (auto it = data.team_of.find(deal.owner_id); it != data.team_of.end())
      s.team_id = it->second;
    s.stage = state.stage;
    s.amount = Money{state.amount_minor, deal.amount.currency};
    s.close_on = state.close_on;
    s.category = deal.category;
    s.p_model = p_model;
    if (state.probability >= 0) s.p_stated = state.probability;
    const bool overdue = state.close_on != kNoDay && state.close_on < as_of;
    const size_t k = overdue ? 5 : static_cast<size_t>(std::clamp(StageIndex(state.stage), 0, 4));
    s.p_slip = quarter ? model.slip_quarter[k] : model.slip_month[k];
    s.in_period = state.close_on != kNoDay && ((state.close_on >= start && state.close_on <= end) ||
                                               (overdue && as_of >= start && as_of <= end));
    if (explain_all) {
      Explain(data, model, x, analytics::audit::LocaleIndex(request.locale), s);
    } else {
      features.emplace_back();
      std::copy(x, x + kForecastFeatures, features.back().begin());
    }
    if (s.in_period) {
      const std::string currency = deal.amount.currency.ToString();
      for (Rollup* r : rollups_of(deal.owner_id, currency)) {
        r->currency = deal.amount.currency;
        r->deals += 1;
        r->pipeline += s.amount.minor_units;
        r->stated += Times(s.amount.minor_units, s.p_stated.value_or(DefaultProbability(s.stage)));
        if (s.category == ForecastCategory::kCommit) r->commit += s.amount.minor_units;
        if (s.category == ForecastCategory::kCommit || s.category == ForecastCategory::kBestCase) {
          r->best_case += s.amount.minor_units;
        }
      }
    }
    out.deals.push_back(std::move(s));
  };
  if (scores != nullptr) {
    for (const DealScore& score : scores->open) {
      const ForecastDealFacts& deal = data.deals[static_cast<size_t>(score.deal)];
      if (!in_scope(deal.owner_id)) continue;
      add_open(deal, score.state, score.x.data(), score.p_model);
    }
  } else {
    std::array<double, kForecastFeatures> x{};
    for (const ForecastDealFacts& deal : data.deals) {
      if (!in_scope(deal.owner_id)) continue;
      const DealOnDay state = StateOn(data, deal, as_of);
      if (!state.open) continue;
      DealFeatures(data, model.typical, deal, state, as_of, x.data());
      add_open(deal, state, x.data(), model.Probability(x.data(), state.stage));
    }
  }

  trace.Mark("score");
  // Monte Carlo per currency: the total with every trial, then the reps and the teams, each
  // grouping in one simulation whose trials keep its totals under ~1.6 GB (design note 5).
  auto add = [](Rollup& r, const fc::TotalSummary& t) {
    r.expected = r.closed_won + t.expected_minor;
    r.p10 = r.closed_won + t.p10_minor;
    r.p50 = r.closed_won + t.p50_minor;
    r.p90 = r.closed_won + t.p90_minor;
    r.commit += r.closed_won;
    r.best_case += r.closed_won;
  };
  // One task per currency, on up to two threads: each writes only its currency's roll-ups (the
  // group maps' keys all exist by now) and its own fan.
  std::vector<std::pair<Currency, std::vector<FanPoint>>> fans(totals.size());
  auto simulate_currency = [&](const std::string& currency, Rollup& total,
                               std::pair<Currency, std::vector<FanPoint>>& fan) -> Status {
    std::vector<fc::Deal> deals;
    std::vector<const ScoredDeal*> scored;
    for (const ScoredDeal& s : out.deals) {
      if (!s.in_period || s.amount.currency.ToString() != currency) continue;
      deals.push_back({std::max<int64_t>(0, s.amount.minor_units), s.p_model, s.p_slip});
      scored.push_back(&s);
    }
    fc::MonteCarloOptions mc;
    mc.trials = request.trials;
    mc.seed = request.seed;
    SB_ASSIGN_OR_RETURN(fc::MonteCarloForecast sim, fc::SimulateForecast(deals, mc));
    add(total, sim.total);
    for (int level : {0, 1}) {  // teams, reps
      std::map<int64_t, int32_t> index;
      std::vector<int64_t> ids;
      std::vector<int32_t> group_of(deals.size(), fc::kNoGroup);
      for (size_t i = 0; i < scored.size(); ++i) {
        const int64_t id = level == 0 ? scored[i]->team_id : scored[i]->owner_id;
        if (id == 0) continue;
        auto [it, inserted] = index.try_emplace(id, static_cast<int32_t>(ids.size()));
        if (inserted) ids.push_back(id);
        group_of[i] = it->second;
      }
      // Groups without deals in the period still get closed won as their range.
      for (auto& [key, by_currency] : groups) {
        if (key.first != level || index.contains(key.second)) continue;
        if (auto it = by_currency.find(currency); it != by_currency.end()) {
          add(it->second, fc::TotalSummary{});
        }
      }
      if (ids.empty()) continue;
      const int32_t count = static_cast<int32_t>(ids.size());
      // A team's or rep's range needs far fewer trials than the company's: 10,000 (fewer when
      // the groups' totals would not fit in ~1.6 GB).
      fc::MonteCarloOptions group_mc = mc;
      const int64_t most = std::min<int64_t>(request.trials, 10'000);
      group_mc.trials =
          std::clamp<int64_t>(200'000'000 / (count + 1), std::min<int64_t>(1000, most), most);
      std::vector<fc::DealGrouping> grouping = {{group_of, count}};
      SB_ASSIGN_OR_RETURN(fc::MonteCarloForecast g,
                          fc::SimulateForecast(deals, group_mc, grouping));
      for (int32_t k = 0; k < count; ++k) {
        auto& by_currency = groups.at({level, ids[static_cast<size_t>(k)]});
        if (auto it = by_currency.find(currency); it != by_currency.end()) {
          add(it->second, g.groups[0][static_cast<size_t>(k)]);
        }
      }
    }

    if (request.fan) {
      std::vector<FanPoint> points;
      std::vector<Day> days;
      for (Day d = start + 6; d < end; d += 7) days.push_back(d);
      days.push_back(end);
      for (Day d : days) {
        FanPoint p;
        p.day = d;
        for (const ForecastDealFacts& deal : data.deals) {
          if (deal.stage == Stage::kClosedWon && deal.closed_on >= start &&
              deal.closed_on <= std::min(d, as_of) && deal.amount.currency.ToString() == currency &&
              in_scope(deal.owner_id)) {
            p.closed_won += deal.amount.minor_units;
          }
        }
        if (d < as_of) {
          p.expected = p.p10 = p.p50 = p.p90 = p.closed_won;
        } else {
          std::vector<fc::Deal> by_then;
          for (const ScoredDeal& s : out.deals) {
            if (!s.in_period || s.amount.currency.ToString() != currency) continue;
            if (s.close_on > d) continue;  // expected later in the period
            // Within the period, closing by d instead of by the period end: slip is to d.
            by_then.push_back({std::max<int64_t>(0, s.amount.minor_units), s.p_model, s.p_slip});
          }
          fc::MonteCarloOptions fan_mc;
          fan_mc.trials = std::min<int64_t>(request.trials, 2'000);  // a chart's bands
          fan_mc.seed = request.seed + static_cast<uint64_t>(d - start);
          SB_ASSIGN_OR_RETURN(fc::MonteCarloForecast f, fc::SimulateForecast(by_then, fan_mc));
          p.expected = p.closed_won + f.total.expected_minor;
          p.p10 = p.closed_won + f.total.p10_minor;
          p.p50 = p.closed_won + f.total.p50_minor;
          p.p90 = p.closed_won + f.total.p90_minor;
        }
        points.push_back(p);
      }
      fan = {total.currency, std::move(points)};
    }
    return Status::Ok();
  };
  {
    std::vector<std::pair<const std::string*, Rollup*>> work;
    for (auto& [currency, total] : totals) work.push_back({&currency, &total});
    std::vector<Status> results(work.size());
    std::atomic<size_t> next{0};
    auto worker = [&] {
      for (size_t i = next++; i < work.size(); i = next++) {
        results[i] = simulate_currency(*work[i].first, *work[i].second, fans[i]);
      }
    };
    std::thread helper(worker);
    worker();
    helper.join();
    for (const Status& status : results) SB_RETURN_IF_ERROR(status);
  }
  trace.Mark("simulate");
  if (request.fan) out.fan = std::move(fans);
  for (auto& [currency, total] : totals) out.totals.push_back(total);
  for (const auto& [key, by_currency] : groups) {
    for (const auto& [currency, r] : by_currency) {
      if (r.deals == 0 && r.closed_won == 0) continue;
      out.groups.push_back({key.first == 0 ? "team" : "rep", key.second, r});
    }
  }
  // Largest |stated - model| first; with explain_limit, only that page gets its factors.
  std::vector<size_t> order(out.deals.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&out](size_t a, size_t b) {
    const ScoredDeal& x = out.deals[a];
    const ScoredDeal& y = out.deals[b];
    return std::abs(x.p_stated.value_or(x.p_model) - x.p_model) >
           std::abs(y.p_stated.value_or(y.p_model) - y.p_model);
  });
  {
    std::vector<ScoredDeal> sorted;
    sorted.reserve(order.size());
    for (size_t i : order) sorted.push_back(std::move(out.deals[i]));
    if (!explain_all) {
      const int64_t first = std::max<int64_t>(0, request.explain_offset);
      const int64_t last = std::min<int64_t>(static_cast<int64_t>(sorted.size()),
                                             first + request.explain_limit);
      for (int64_t k = first; k < last; ++k) {
        Explain(data, model, features[order[static_cast<size_t>(k)]].data(),
                analytics::audit::LocaleIndex(request.locale), sorted[static_cast<size_t>(k)]);
      }
    }
    out.deals = std::move(sorted);
  }

  trace.Mark("rollup");
  // Optimism: every open-stage history row of each closed deal (the deal as the rep saw it then).
  std::vector<fc::StatedOutcome> stated;
  for (const ForecastDealFacts& deal : data.deals) {
    if (deal.closed_on == kNoDay || deal.closed_on > as_of || !in_scope(deal.owner_id)) continue;
    for (uint32_t i = deal.changes_begin; i < deal.changes_end; ++i) {
      const ForecastChange& c = data.changes[i];
      if (IsClosed(c.stage) || c.probability < 0) continue;
      stated.push_back({deal.owner_id, c.probability, deal.stage == Stage::kClosedWon ? 1.0 : 0.0});
    }
  }
  if (!stated.empty()) {
    SB_ASSIGN_OR_RETURN(out.optimism, fc::OptimismByRep(stated));
  }
  trace.Mark("optimism");
  return out;
}

// --- JSON -----------------------------------------------------------------------------------

namespace {

json Name(const std::unordered_map<int64_t, std::string>& names, int64_t id) {
  auto it = names.find(id);
  return it == names.end() ? json(nullptr) : json(it->second);
}

json DayJson(Day day) { return day == kNoDay ? json(nullptr) : json(FormatDate(FromDay(day))); }

json RollupJson(const Rollup& r) {
  auto money = [&](int64_t minor) { return MoneyJson(Money{minor, r.currency}); };
  return {{"currency", r.currency.ToString()},
          {"deals", r.deals},
          {"closed_won", money(r.closed_won)},
          {"pipeline", money(r.pipeline)},
          {"stated", money(r.stated)},
          {"commit", money(r.commit)},
          {"best_case", money(r.best_case)},
          {"expected", money(r.expected)},
          {"p10", money(r.p10)},
          {"p50", money(r.p50)},
          {"p90", money(r.p90)}};
}

json FactorsJson(const std::vector<Factor>& factors) {
  json out = json::array();
  for (const Factor& f : factors) {
    out.push_back({{"feature", f.feature}, {"label", f.label}, {"effect", f.effect}});
  }
  return out;
}

json ScoresJson(const ScoreSet& s) {
  json bins = json::array();
  for (const fc::ReliabilityBin& b : s.reliability) {
    bins.push_back({{"lower", b.lower},
                    {"upper", b.upper},
                    {"count", b.count},
                    {"mean_predicted", b.mean_predicted},
                    {"observed_rate", b.observed_rate}});
  }
  return {{"brier", s.brier},
          {"log_loss", s.log_loss},
          {"auc", s.auc ? json(*s.auc) : json(nullptr)},
          {"reliability", std::move(bins)}};
}

std::string_view MethodName(ForecastMethod m) {
  return m == ForecastMethod::kModel ? "model" : "stage_rates";
}

json ModelJson(const ForecastModel& m) {
  json features = json::array();
  for (std::string_view f : kFeatureNames) features.push_back(f);
  return {{"closed_deals", m.closed_deals},
          {"examples", m.examples},
          {"calibration", m.calibration ? "isotonic" : "none"},
          {"calibration_examples", m.calibration_examples},
          {"features", std::move(features)}};
}

}  // namespace

json ForecastJson(const ForecastData& data, const Forecast& f, int64_t limit, int64_t offset) {
  json totals = json::array();
  for (const Rollup& r : f.totals) totals.push_back(RollupJson(r));
  json groups = json::array();
  for (const GroupRollup& g : f.groups) {
    json row = RollupJson(g.rollup);
    row["level"] = g.level;
    row["id"] = g.id;
    row["name"] = Name(g.level == "team" ? data.team_names : data.user_names, g.id);
    groups.push_back(std::move(row));
  }
  json fan = json::array();
  for (const auto& [currency, points] : f.fan) {
    json list = json::array();
    for (const FanPoint& p : points) {
      auto money = [&](int64_t minor) { return MoneyJson(Money{minor, currency}); };
      list.push_back({{"date", DayJson(p.day)},
                      {"closed_won", money(p.closed_won)},
                      {"expected", money(p.expected)},
                      {"p10", money(p.p10)},
                      {"p50", money(p.p50)},
                      {"p90", money(p.p90)}});
    }
    fan.push_back({{"currency", currency.ToString()}, {"points", std::move(list)}});
  }
  json deals = json::array();
  for (int64_t i = offset; i < static_cast<int64_t>(f.deals.size()) && i < offset + limit; ++i) {
    const ScoredDeal& s = f.deals[static_cast<size_t>(i)];
    const ForecastDealFacts* facts = data.Deal(s.id);
    const std::string name = facts != nullptr ? facts->name : std::string();
    deals.push_back({{"id", s.id},
                     {"name", name},
                     {"account_id", s.account_id},
                     {"account", Name(data.account_names, s.account_id)},
                     {"owner_id", s.owner_id},
                     {"owner", Name(data.user_names, s.owner_id)},
                     {"team", s.team_id != 0 ? Name(data.team_names, s.team_id) : json(nullptr)},
                     {"stage", ToString(s.stage)},
                     {"amount", MoneyJson(s.amount)},
                     {"close_date", DayJson(s.close_on)},
                     {"forecast_category", ToString(s.category)},
                     {"in_period", s.in_period},
                     {"p_model", s.p_model},
                     {"p_stated", s.p_stated ? json(*s.p_stated) : json(nullptr)},
                     {"difference", s.p_stated ? json(*s.p_stated - s.p_model) : json(nullptr)},
                     {"p_slip", s.p_slip},
                     {"factors", {{"up", FactorsJson(s.up)}, {"down", FactorsJson(s.down)}}}});
  }
  json optimism = json::array();
  for (const fc::RepOptimism& o : f.optimism) {
    auto team = data.team_of.find(o.rep);
    optimism.push_back(
        {{"rep_id", o.rep},
         {"name", Name(data.user_names, o.rep)},
         {"team", team == data.team_of.end() ? json(nullptr) : Name(data.team_names, team->second)},
         {"examples", o.examples},
         {"mean_stated", o.mean_stated},
         {"win_rate", o.win_rate},
         {"optimism", o.optimism},
         {"lower", o.interval ? json(o.interval->lower) : json(nullptr)},
         {"upper", o.interval ? json(o.interval->upper) : json(nullptr)}});
  }
  return {{"as_of", FormatDate(f.as_of)},
          {"period",
           {{"label", f.period_label},
            {"start", FormatDate(f.period_start)},
            {"end", FormatDate(f.period_end)}}},
          {"method", MethodName(f.model.method)},
          {"method_reason", f.model.method_reason},
          {"model", ModelJson(f.model)},
          {"totals", std::move(totals)},
          {"groups", std::move(groups)},
          {"fan", std::move(fan)},
          {"deals", std::move(deals)},
          {"deals_total", f.deals.size()},
          {"limit", limit},
          {"offset", offset},
          {"optimism", std::move(optimism)}};
}

// --- backtest -------------------------------------------------------------------------------

Result<Backtest> RunBacktest(const ForecastData& data, Date as_of, std::optional<Date> cutoff) {
  Backtest bt;
  bt.as_of = as_of;
  bt.cutoff = cutoff.value_or(as_of - std::chrono::days(365));
  if (bt.cutoff >= as_of) {
    return Status::InvalidArgument("backtest: the cutoff " + FormatDate(bt.cutoff) +
                                   " must be before " + FormatDate(as_of))
        .WithField("cutoff");
  }
  TrainOptions train;
  train.cutoff = ToDay(bt.cutoff) - 1;
  SB_ASSIGN_OR_RETURN(bt.model_info, TrainForecast(data, train));
  // Test: month starts from the cutoff on, deals closed by as_of (their outcome is known).
  std::vector<double> model, stated, stage, outcome;
  std::array<double, kForecastFeatures> x{};
  const Day from = ToDay(bt.cutoff), to = ToDay(as_of);
  for (const ForecastDealFacts& deal : data.deals) {
    if (deal.closed_on == kNoDay || deal.closed_on > to) continue;
    ForEachSnapshot(deal, to, [&](Day d) {
      if (d < from) return;
      const DealOnDay state = StateOn(data, deal, d);
      if (!state.open) return;
      DealFeatures(data, bt.model_info.typical, deal, state, d, x.data());
      model.push_back(bt.model_info.Probability(x.data(), state.stage));
      stage.push_back(DefaultProbability(state.stage));
      stated.push_back(state.probability >= 0 ? state.probability
                                              : DefaultProbability(state.stage));
      outcome.push_back(deal.stage == Stage::kClosedWon ? 1.0 : 0.0);
    });
  }
  if (outcome.empty()) {
    return Status::FailedPrecondition("backtest: no deal closed between " + FormatDate(bt.cutoff) +
                                      " and " + FormatDate(as_of) + " was open on a month start");
  }
  bt.test_examples = static_cast<int64_t>(outcome.size());
  auto score = [&](const std::vector<double>& p, ScoreSet& s) -> Status {
    SB_ASSIGN_OR_RETURN(s.brier, fc::BrierScore(p, outcome));
    SB_ASSIGN_OR_RETURN(s.log_loss, fc::LogLoss(p, outcome));
    Result<double> auc = fc::Auc(p, outcome);
    if (auc.ok()) s.auc = *auc;
    SB_ASSIGN_OR_RETURN(s.reliability, fc::ReliabilityTable(p, outcome));
    return Status::Ok();
  };
  SB_RETURN_IF_ERROR(score(model, bt.model));
  SB_RETURN_IF_ERROR(score(stated, bt.stated));
  SB_RETURN_IF_ERROR(score(stage, bt.stage_default));
  return bt;
}

json BacktestJson(const Backtest& b) {
  return {
      {"cutoff", FormatDate(b.cutoff)},
      {"as_of", FormatDate(b.as_of)},
      {"train", {{"closed_deals", b.model_info.closed_deals}, {"examples", b.model_info.examples}}},
      {"test", {{"examples", b.test_examples}}},
      {"method", MethodName(b.model_info.method)},
      {"method_reason", b.model_info.method_reason},
      {"model", ScoresJson(b.model)},
      {"stated", ScoresJson(b.stated)},
      {"stage_default", ScoresJson(b.stage_default)}};
}

}  // namespace salesbox::service

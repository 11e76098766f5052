// SPDX-License-Identifier: MIT
// The forecast of a period: every open deal scored (and kept scored by the live facts), the
// roll-up per rep, team and company with Monte Carlo ranges and a fan, the reps' optimism.
#include "service/forecast/forecast.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <deque>
#include <map>
#include <numeric>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "analytics/audit/playbook.h"
#include "analytics/forecast/monte_carlo.h"
#include "analytics/forecast/optimism.h"
#include "common/status_macros.h"
#include "service/forecast/internal.h"
#include "service/forecast/simulations.h"

namespace salesbox::service {
namespace {

namespace fc = analytics::forecast;
using internal::ToDay;
using internal::forecast::Explain;
using internal::forecast::StageIndex;

std::string QuarterLabel(Date day) {
  const std::chrono::year_month_day ymd(day);
  return std::to_string(static_cast<int>(ymd.year())) + "-Q" +
         std::to_string((static_cast<unsigned>(ymd.month()) - 1) / 3 + 1);
}

int64_t Times(int64_t amount, double p) {
  return static_cast<int64_t>(std::llround(static_cast<double>(amount) * p));
}

}  // namespace

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

// A manager's own team and every team they are one of the managers of.
bool Manages(const Principal& manager, int64_t team) {
  return (manager.team_id && manager.team_id->value == team) ||
         std::binary_search(manager.managed_teams.begin(), manager.managed_teams.end(), team);
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
      return it != data.team_of.end() && Manages(*viewer, it->second);
    }
    case Role::kRep:
    case Role::kMarketing:
      return owner == viewer->user_id.value;
  }
  return false;
}

namespace {

// Every open-stage history row of each deal closed by `day` (the deal as the rep saw it then),
// of the owners `keep` accepts.
template <typename Keep>
std::vector<fc::StatedOutcome> StatedOutcomes(const ForecastData& data, Day day, Keep keep) {
  std::vector<fc::StatedOutcome> stated;
  for (const ForecastDealFacts& deal : data.deals) {
    if (deal.closed_on == kNoDay || deal.closed_on > day || !keep(deal.owner_id)) continue;
    for (uint32_t i = deal.changes_begin; i < deal.changes_end; ++i) {
      const ForecastChange& c = data.changes[i];
      if (IsClosed(c.stage) || !(c.probability >= 0 && c.probability <= 1)) continue;
      stated.push_back({deal.owner_id, c.probability, deal.stage == Stage::kClosedWon ? 1.0 : 0.0});
    }
  }
  return stated;
}

// OptimismByRep of `stated` into `by_rep` (nothing for no examples; the examples are valid by
// construction).
void AddOptimism(const std::vector<fc::StatedOutcome>& stated,
                 std::map<int64_t, fc::RepOptimism>& by_rep) {
  if (stated.empty()) return;
  Result<std::vector<fc::RepOptimism>> reps = fc::OptimismByRep(stated);
  if (!reps.ok()) return;
  for (fc::RepOptimism& r : *reps) by_rep[r.rep] = std::move(r);
}

}  // namespace

ForecastScores ScoreOpenDeals(const ForecastData& data, const ForecastModel& model, Day day) {
  ForecastScores scores;
  AddOptimism(StatedOutcomes(data, day, [](int64_t) { return true; }), scores.optimism);
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
  // Optimism reads closed deals only: redone for the owners of a changed deal closed by the day
  // before or after the change.
  scores.optimism = old.optimism;
  std::unordered_set<int64_t> stated_owners;
  for (int64_t id : changed) {
    for (const ForecastData* d : {&old_data, &data}) {
      const ForecastDealFacts* deal = d->Deal(id);
      if (deal != nullptr && deal->closed_on != kNoDay && deal->closed_on <= old.day) {
        stated_owners.insert(deal->owner_id);
      }
    }
  }
  if (!stated_owners.empty()) {
    for (int64_t owner : stated_owners) scores.optimism.erase(owner);
    AddOptimism(
        StatedOutcomes(data, old.day, [&](int64_t owner) { return stated_owners.contains(owner); }),
        scores.optimism);
  }
  auto score_of = [&](size_t i) -> std::optional<DealScore> {
    const ForecastDealFacts& deal = data.deals[i];
    const DealOnDay state = StateOn(data, deal, old.day);
    if (!state.open) return std::nullopt;
    DealScore score;
    score.deal = static_cast<int32_t>(i);
    score.state = state;
    DealFeatures(data, model.typical, deal, state, old.day, score.x.data());
    score.p_model = model.Probability(score.x.data(), state.stage);
    return score;
  };
  // Every kept deal where it was (the live facts' merge in place): only the changed deals and
  // the open deals of `owners` are scored, without a pass over every deal.
  bool in_place = data.deals.size() >= old_data.deals.size();
  for (int64_t id : changed) {
    if (!in_place) break;
    const int32_t before = old_data.index_of.Find(id), now = data.index_of.Find(id);
    in_place = before == now || (before < 0 && now >= static_cast<int32_t>(old_data.deals.size()));
  }
  if (in_place) {
    std::vector<size_t> again;  // indexes into data.deals
    for (int64_t id : changed) {
      if (const int32_t now = data.index_of.Find(id); now >= 0)
        again.push_back(static_cast<size_t>(now));
    }
    for (const DealScore& score : old.open) {
      const ForecastDealFacts& deal = old_data.deals[static_cast<size_t>(score.deal)];
      if (owners.contains(deal.owner_id)) again.push_back(static_cast<size_t>(score.deal));
    }
    std::sort(again.begin(), again.end());
    again.erase(std::unique(again.begin(), again.end()), again.end());
    std::vector<DealScore> fresh;
    for (size_t i : again) {
      if (std::optional<DealScore> score = score_of(i)) fresh.push_back(*score);
    }
    // Both in deal order: the old scores not scored again, merged with the new ones.
    auto next = fresh.begin();
    for (const DealScore& score : old.open) {
      const size_t i = static_cast<size_t>(score.deal);
      while (next != fresh.end() && static_cast<size_t>(next->deal) < i)
        scores.open.push_back(*next++);
      if (std::binary_search(again.begin(), again.end(), i)) continue;
      scores.open.push_back(score);
    }
    scores.open.insert(scores.open.end(), next, fresh.end());
    return scores;
  }
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
    if (std::optional<DealScore> score = score_of(i)) scores.open.push_back(*score);
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
    if (request.team_id && !all && !(v.role == Role::kManager && Manages(v, *request.team_id))) {
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
  // The company's, the rep's and the team's roll-up of an owner's deals in a currency, found
  // once per (owner, currency): a page adds up ~100k deals (std::map nodes do not move).
  struct OwnerRollups {
    std::array<Rollup*, 3> r{};
    size_t n = 0;
    Rollup** begin() { return r.data(); }
    Rollup** end() { return r.data() + n; }
  };
  std::unordered_map<uint64_t, OwnerRollups> rollups_by_owner;
  auto rollups_of = [&](int64_t owner, const Currency& code) -> OwnerRollups& {
    const std::string_view c = code.code();
    const uint64_t key = (static_cast<uint64_t>(owner) << 24) ^
                         (static_cast<uint64_t>(static_cast<unsigned char>(c[0])) << 16) ^
                         (static_cast<uint64_t>(static_cast<unsigned char>(c[1])) << 8) ^
                         static_cast<unsigned char>(c[2]);
    auto [it, inserted] = rollups_by_owner.try_emplace(key);
    if (inserted) {
      const std::string currency(c);
      OwnerRollups& r = it->second;
      r.r[r.n++] = &totals[currency];
      r.r[r.n++] = &groups[{1, owner}][currency];
      if (auto team = data.team_of.find(owner); team != data.team_of.end()) {
        r.r[r.n++] = &groups[{0, team->second}][currency];
      }
    }
    return it->second;
  };
  const ForecastScores* scores =
      request.scores != nullptr && request.scores->day == as_of && request.scores->model == &model
          ? request.scores
          : nullptr;
  const bool explain_all = request.explain_limit < 0;
  // Per out.deals, when the factors are explained later: the kept scores' features, or copies.
  std::vector<const double*> features;
  std::deque<std::array<double, kForecastFeatures>> feature_copies;
  for (const ForecastDealFacts& deal : data.deals) {
    if (!in_scope(deal.owner_id)) continue;
    // Won in the period so far.
    if (deal.stage == Stage::kClosedWon && deal.closed_on != kNoDay && deal.closed_on >= start &&
        deal.closed_on <= std::min(end, as_of)) {
      for (Rollup* r : rollups_of(deal.owner_id, deal.amount.currency)) {
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
      if (scores != nullptr) {
        features.push_back(x);  // lives in *scores
      } else {
        feature_copies.emplace_back();
        std::copy(x, x + kForecastFeatures, feature_copies.back().begin());
        features.push_back(feature_copies.back().data());
      }
    }
    if (s.in_period) {
      for (Rollup* r : rollups_of(deal.owner_id, deal.amount.currency)) {
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
  // Monte Carlo per currency (design note in simulations.h): the total, each team's and rep's
  // range and the fan, from simulations kept between pages when the server passes them.
  auto add = [](Rollup& r, const fc::TotalSummary& t) {
    r.expected = r.closed_won + t.expected_minor;
    r.p10 = r.closed_won + t.p10_minor;
    r.p50 = r.closed_won + t.p50_minor;
    r.p90 = r.closed_won + t.p90_minor;
    r.commit += r.closed_won;
    r.best_case += r.closed_won;
  };
  ForecastSimulations local(0, 0);
  ForecastSimulations& simulations = request.simulations != nullptr ? *request.simulations : local;
  // The page's scope, for the kept simulations' keys.
  const std::string scope =
      std::to_string(request.viewer != nullptr ? request.viewer->user_id.value : 0) + "/" +
      std::to_string(request.team_id.value_or(0)) + "/" +
      std::to_string(request.rep_id.value_or(0)) + "/" + std::to_string(start) + "-" +
      std::to_string(end) + "/" + std::to_string(as_of) + "/";
  // One task per currency, on up to two threads: each writes only its currency's roll-ups (the
  // group maps' keys all exist by now) and its own fan.
  std::vector<std::pair<Currency, std::vector<FanPoint>>> fans(totals.size());
  auto simulate_currency = [&](const std::string& currency, Rollup& total,
                               std::pair<Currency, std::vector<FanPoint>>& fan) -> Status {
    const Currency code = total.currency;  // `currency`, parsed
    std::vector<fc::Deal> deals;
    std::vector<const ScoredDeal*> scored;
    for (const ScoredDeal& s : out.deals) {
      if (!s.in_period || s.amount.currency != code) continue;
      deals.push_back({std::max<int64_t>(0, s.amount.minor_units), s.p_model, s.p_slip,
                       static_cast<uint64_t>(s.id)});
      scored.push_back(&s);
    }
    fc::MonteCarloOptions mc;
    mc.trials = request.trials;
    mc.seed = request.seed;
    SB_ASSIGN_OR_RETURN(std::vector<fc::TotalSummary> whole,
                        simulations.Cumulative(scope + currency + "/total", deals, {}, 1, mc));
    add(total, whole[0]);
    // A team's or rep's range needs far fewer trials than the company's (group_trials); each is
    // drawn from its own deals, which gives the same trials as drawing it beside the others.
    fc::MonteCarloOptions group_mc = mc;
    group_mc.trials = std::min<int64_t>(request.trials, request.group_trials);
    for (int level : {0, 1}) {  // teams, reps
      std::map<int64_t, std::vector<fc::Deal>> members;
      for (size_t i = 0; i < scored.size(); ++i) {
        const int64_t id = level == 0 ? scored[i]->team_id : scored[i]->owner_id;
        if (id != 0) members[id].push_back(deals[i]);
      }
      for (auto& [key, by_currency] : groups) {
        if (key.first != level) continue;
        auto it = by_currency.find(currency);
        if (it == by_currency.end()) continue;
        auto group = members.find(key.second);
        if (group == members.end()) {
          add(it->second, fc::TotalSummary{});  // closed won only
          continue;
        }
        SB_ASSIGN_OR_RETURN(fc::TotalSummary range, simulations.Range(group->second, group_mc));
        add(it->second, range);
      }
    }

    if (request.fan) {
      std::vector<Day> days;
      for (Day d = start + 6; d < end; d += 7) days.push_back(d);
      days.push_back(end);
      // Point k counts the deals expected to close by days[k]: row k holds those closing after
      // days[k − 1] (overdue ones in row 0), and the kept simulation adds rows 0..k up.
      std::vector<fc::Deal> fan_deals;
      std::vector<int32_t> row_of;
      for (size_t i = 0; i < scored.size(); ++i) {
        const size_t row = static_cast<size_t>(
            std::lower_bound(days.begin(), days.end(), scored[i]->close_on) - days.begin());
        if (row == days.size()) continue;  // not by the period's end
        fan_deals.push_back(deals[i]);
        row_of.push_back(static_cast<int32_t>(row));
      }
      fc::MonteCarloOptions fan_mc = mc;
      fan_mc.trials = std::min<int64_t>(request.trials, request.fan_trials);  // a chart's bands
      SB_ASSIGN_OR_RETURN(std::vector<fc::TotalSummary> by_day,
                          simulations.Cumulative(scope + currency + "/fan", fan_deals, row_of,
                                                 static_cast<int32_t>(days.size()), fan_mc));
      // Won in the period so far, by day: each week's closed won is a running sum.
      std::vector<std::pair<Day, int64_t>> won;
      for (const ForecastDealFacts& deal : data.deals) {
        if (deal.stage == Stage::kClosedWon && deal.closed_on >= start && deal.closed_on <= as_of &&
            deal.amount.currency == code && in_scope(deal.owner_id)) {
          won.emplace_back(deal.closed_on, deal.amount.minor_units);
        }
      }
      std::sort(won.begin(), won.end());
      size_t won_by = 0;
      int64_t won_sum = 0;
      std::vector<FanPoint> points;
      for (size_t k = 0; k < days.size(); ++k) {
        FanPoint p;
        p.day = days[k];
        for (; won_by < won.size() && won[won_by].first <= std::min(days[k], as_of); ++won_by) {
          won_sum += won[won_by].second;
        }
        p.closed_won = won_sum;
        if (days[k] < as_of) {
          p.expected = p.p10 = p.p50 = p.p90 = p.closed_won;
        } else {
          p.expected = p.closed_won + by_day[k].expected_minor;
          p.p10 = p.closed_won + by_day[k].p10_minor;
          p.p50 = p.closed_won + by_day[k].p50_minor;
          p.p90 = p.closed_won + by_day[k].p90_minor;
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
      const int64_t last =
          std::min<int64_t>(static_cast<int64_t>(sorted.size()), first + request.explain_limit);
      for (int64_t k = first; k < last; ++k) {
        Explain(data, model, features[order[static_cast<size_t>(k)]],
                analytics::audit::LocaleIndex(request.locale), sorted[static_cast<size_t>(k)]);
      }
    }
    out.deals = std::move(sorted);
  }

  trace.Mark("rollup");
  // Optimism of the reps in scope (per rep, so the kept one of every rep serves).
  if (request.scores != nullptr && request.scores->day == as_of) {
    for (const auto& [rep, r] : request.scores->optimism) {
      if (in_scope(rep)) out.optimism.push_back(r);
    }
  } else {
    std::map<int64_t, fc::RepOptimism> by_rep;
    AddOptimism(StatedOutcomes(data, as_of, in_scope), by_rep);
    for (auto& [rep, r] : by_rep) out.optimism.push_back(std::move(r));
  }
  trace.Mark("optimism");
  return out;
}

}  // namespace salesbox::service

// SPDX-License-Identifier: MIT
// Weekly forecast snapshots: taking and storing one, listing them, and what moved between two.
#include "service/forecast/snapshots.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "common/status_macros.h"
#include "service/strategy_service.h"

namespace salesbox::service {
namespace {

using nlohmann::json;

json ItemJson(const ScoredDeal& s) {
  return json::array(
      {s.id, s.owner_id, ToString(s.stage), s.amount.minor_units, s.amount.currency.ToString(),
       s.close_on == kNoDay ? json(nullptr) : json(FormatDate(internal::FromDay(s.close_on))),
       ToString(s.category), s.p_model, s.p_stated ? json(*s.p_stated) : json(nullptr), s.p_slip,
       s.in_period});
}

json OptionalDate(const std::optional<Date>& d) { return d ? json(FormatDate(*d)) : json(nullptr); }

json TotalsJson(const std::vector<SnapshotItem>& items, const ForecastData& data,
                const Principal* viewer) {
  struct Sum {
    Currency currency;
    int64_t deals = 0;
    double pipeline = 0, stated = 0, commit = 0, best_case = 0, expected = 0;
  };
  std::map<std::string, Sum> sums;
  for (const SnapshotItem& item : items) {
    if (!item.in_period || !ForecastVisible(viewer, data, item.owner_id)) continue;
    Sum& s = sums[item.amount.currency.ToString()];
    s.currency = item.amount.currency;
    const double amount = static_cast<double>(item.amount.minor_units);
    s.deals += 1;
    s.pipeline += amount;
    s.stated += amount * item.p_stated.value_or(DefaultProbability(item.stage));
    if (item.category == ForecastCategory::kCommit) s.commit += amount;
    if (item.category == ForecastCategory::kCommit ||
        item.category == ForecastCategory::kBestCase) {
      s.best_case += amount;
    }
    s.expected += amount * item.p_model * (1 - item.p_slip);
  }
  json out = json::array();
  for (const auto& [code, s] : sums) {
    auto money = [&](double minor) { return MoneyJson(Money{std::llround(minor), s.currency}); };
    out.push_back({{"currency", code},
                   {"deals", s.deals},
                   {"pipeline", money(s.pipeline)},
                   {"stated", money(s.stated)},
                   {"commit", money(s.commit)},
                   {"best_case", money(s.best_case)},
                   {"expected", money(s.expected)}});
  }
  return out;
}

json SnapshotHeader(const ForecastSnapshot& s) {
  return {{"id", s.id.value},
          {"taken_at", FormatTimestamp(s.taken_at)},
          {"as_of", FormatDate(s.as_of)},
          {"period", s.period},
          {"method", s.method},
          {"deals", s.deals}};
}

}  // namespace

Result<ForecastSnapshot> TakeForecastSnapshot(storage::Store& store, const ForecastData& data,
                                              Date as_of, const std::string& period,
                                              std::optional<UserId> taken_by, Timestamp now) {
  ForecastRequest request;
  request.as_of = as_of;
  request.period = period;
  request.trials = 1;  // the snapshot keeps deals, not ranges
  request.fan = false;
  SB_ASSIGN_OR_RETURN(Forecast forecast, RunForecast(data, request));
  json items = json::array();
  for (const ScoredDeal& s : forecast.deals) items.push_back(ItemJson(s));
  ForecastSnapshot snapshot;
  snapshot.event_id = RandomHex(16);
  snapshot.as_of = as_of;
  snapshot.period = forecast.period_label;
  snapshot.method = forecast.model.method == ForecastMethod::kModel ? "model" : "stage_rates";
  snapshot.deals = static_cast<int64_t>(forecast.deals.size());
  snapshot.taken_by = taken_by;
  snapshot.taken_at = now;
  snapshot.items = items.dump();
  SB_ASSIGN_OR_RETURN(snapshot.id, store.forecast_snapshots().Insert(snapshot));
  return snapshot;
}

Result<std::vector<SnapshotItem>> SnapshotItems(const ForecastSnapshot& snapshot) {
  json items = json::parse(snapshot.items, nullptr, /*allow_exceptions=*/false);
  auto bad = [&] {
    return Status::Internal("forecast snapshot " + std::to_string(snapshot.id.value) +
                            ": its stored deals do not parse");
  };
  if (!items.is_array()) return bad();
  std::vector<SnapshotItem> out;
  out.reserve(items.size());
  for (const json& row : items) {
    if (!row.is_array() || row.size() != 11) return bad();
    SnapshotItem item;
    item.id = row[0].get<int64_t>();
    item.owner_id = row[1].get<int64_t>();
    Result<Stage> stage = ParseEnum<Stage>(row[2].get<std::string>());
    Result<Currency> currency = Currency::Parse(row[4].get<std::string>());
    Result<ForecastCategory> category = ParseEnum<ForecastCategory>(row[6].get<std::string>());
    if (!stage.ok() || !currency.ok() || !category.ok()) return bad();
    item.stage = *stage;
    item.amount = Money{row[3].get<int64_t>(), *currency};
    if (row[5].is_string()) {
      Result<Date> close = ParseIsoDate(row[5].get<std::string>());
      if (!close.ok()) return bad();
      item.close_on = *close;
    }
    item.category = *category;
    item.p_model = row[7].get<double>();
    if (row[8].is_number()) item.p_stated = row[8].get<double>();
    item.p_slip = row[9].get<double>();
    item.in_period = row[10].get<bool>();
    out.push_back(item);
  }
  return out;
}

Result<json> ForecastSnapshotJson(const ForecastSnapshot& snapshot, const ForecastData& data,
                                  const Principal* viewer) {
  SB_ASSIGN_OR_RETURN(std::vector<SnapshotItem> items, SnapshotItems(snapshot));
  json out = SnapshotHeader(snapshot);
  out["totals"] = TotalsJson(items, data, viewer);
  return out;
}

Result<json> ForecastSnapshotsJson(storage::Store& store, const ForecastData& data,
                                   const Principal* viewer) {
  storage::ListQuery query;
  query.order_by = "taken_at";
  query.descending = true;
  query.limit = 200;
  SB_ASSIGN_OR_RETURN(std::vector<ForecastSnapshot> snapshots,
                      store.forecast_snapshots().List(query));
  json items = json::array();
  for (const ForecastSnapshot& s : snapshots) {
    SB_ASSIGN_OR_RETURN(json one, ForecastSnapshotJson(s, data, viewer));
    items.push_back(std::move(one));
  }
  return json{{"items", std::move(items)}};
}

Result<std::vector<Move>> MovedBetween(storage::Store& store, const ForecastData& data,
                                       ForecastSnapshotId from_id, ForecastSnapshotId to_id,
                                       const Principal* viewer) {
  SB_ASSIGN_OR_RETURN(ForecastSnapshot from, store.forecast_snapshots().Get(from_id));
  SB_ASSIGN_OR_RETURN(ForecastSnapshot to, store.forecast_snapshots().Get(to_id));
  SB_ASSIGN_OR_RETURN(std::vector<SnapshotItem> before, SnapshotItems(from));
  SB_ASSIGN_OR_RETURN(std::vector<SnapshotItem> after, SnapshotItems(to));
  SB_ASSIGN_OR_RETURN(auto period, ParsePeriod(from.period));
  const Date period_end = period.second;
  std::unordered_map<int64_t, const SnapshotItem*> in_to;
  for (const SnapshotItem& item : after) in_to[item.id] = &item;
  const Day to_day = internal::ToDay(to.as_of);

  std::vector<Move> moves;
  std::unordered_map<int64_t, bool> in_from;
  for (const SnapshotItem& a : before) {
    in_from[a.id] = true;
    if (!ForecastVisible(viewer, data, a.owner_id)) continue;
    auto it = in_to.find(a.id);
    if (it == in_to.end()) {
      const ForecastDealFacts* deal = data.Deal(a.id);
      if (deal == nullptr || deal->closed_on == kNoDay || deal->closed_on > to_day) {
        continue;  // deleted, or not open for another reason: nothing to say
      }
      const bool won = deal->stage == Stage::kClosedWon;
      moves.push_back({won ? "won" : "lost", a.id, a.owner_id, a, std::nullopt});
      continue;
    }
    const SnapshotItem& b = *it->second;
    const bool was_in = a.close_on && *a.close_on <= period_end;
    const bool is_in = b.close_on && *b.close_on <= period_end;
    if (was_in && !is_in) moves.push_back({"pushed_out", a.id, b.owner_id, a, b});
    if (!was_in && is_in) moves.push_back({"pulled_in", a.id, b.owner_id, a, b});
    if (b.amount.currency == a.amount.currency && b.amount.minor_units > a.amount.minor_units) {
      moves.push_back({"amount_up", a.id, b.owner_id, a, b});
    }
    if (b.amount.currency == a.amount.currency && b.amount.minor_units < a.amount.minor_units) {
      moves.push_back({"amount_down", a.id, b.owner_id, a, b});
    }
  }
  for (const SnapshotItem& b : after) {
    if (in_from.contains(b.id) || !ForecastVisible(viewer, data, b.owner_id)) continue;
    moves.push_back({"new", b.id, b.owner_id, std::nullopt, b});
  }
  return moves;
}

Result<json> MovedJson(storage::Store& store, const ForecastData& data, ForecastSnapshotId from,
                       ForecastSnapshotId to, const Principal* viewer) {
  SB_ASSIGN_OR_RETURN(std::vector<Move> moves, MovedBetween(store, data, from, to, viewer));
  SB_ASSIGN_OR_RETURN(ForecastSnapshot a, store.forecast_snapshots().Get(from));
  SB_ASSIGN_OR_RETURN(ForecastSnapshot b, store.forecast_snapshots().Get(to));
  // Summary per kind: count and amount per currency (the amount after the move, or before it
  // for won and lost deals).
  std::map<std::string, std::pair<int64_t, std::map<std::string, Money>>> summary;
  json list = json::array();
  for (const Move& m : moves) {
    const SnapshotItem& shown = m.after ? *m.after : *m.before;
    auto& [count, amounts] = summary[m.kind];
    ++count;
    Money& sum = amounts[shown.amount.currency.ToString()];
    sum.currency = shown.amount.currency;
    sum.minor_units += shown.amount.minor_units;
    const ForecastDealFacts* deal = data.Deal(m.opportunity_id);
    auto owner = data.user_names.find(m.owner_id);
    list.push_back({{"kind", m.kind},
                    {"opportunity_id", m.opportunity_id},
                    {"name", deal == nullptr ? json(nullptr) : json(deal->name)},
                    {"owner_id", m.owner_id},
                    {"owner", owner == data.user_names.end() ? json(nullptr) : json(owner->second)},
                    {"stage_before", m.before ? json(ToString(m.before->stage)) : json(nullptr)},
                    {"stage_after", m.after            ? json(ToString(m.after->stage))
                                    : m.kind == "won"  ? json("closed_won")
                                    : m.kind == "lost" ? json("closed_lost")
                                                       : json(nullptr)},
                    {"amount_before", m.before ? MoneyJson(m.before->amount) : json(nullptr)},
                    {"amount_after", m.after ? MoneyJson(m.after->amount) : json(nullptr)},
                    {"close_before", m.before ? OptionalDate(m.before->close_on) : json(nullptr)},
                    {"close_after", m.after ? OptionalDate(m.after->close_on) : json(nullptr)}});
  }
  json kinds = json::array();
  for (const char* kind :
       {"new", "won", "lost", "pushed_out", "pulled_in", "amount_up", "amount_down"}) {
    auto it = summary.find(kind);
    json amounts = json::array();
    int64_t count = 0;
    if (it != summary.end()) {
      count = it->second.first;
      for (const auto& [code, money] : it->second.second) amounts.push_back(MoneyJson(money));
    }
    kinds.push_back({{"kind", kind}, {"count", count}, {"amounts", std::move(amounts)}});
  }
  SB_ASSIGN_OR_RETURN(json from_json, ForecastSnapshotJson(a, data, viewer));
  SB_ASSIGN_OR_RETURN(json to_json, ForecastSnapshotJson(b, data, viewer));
  return json{{"from", std::move(from_json)},
              {"to", std::move(to_json)},
              {"summary", std::move(kinds)},
              {"moves", std::move(list)}};
}

}  // namespace salesbox::service

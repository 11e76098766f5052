// SPDX-License-Identifier: MIT
// The forecast's routes: the forecast of a period, the model's backtest, snapshots and what
// moved between two; and the forecast's facts and trained models, kept while the data is unchanged.
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "analytics/audit/playbook.h"
#include "api/internal/params.h"
#include "api/internal/reply.h"
#include "api/routes/routes.h"
#include "common/status_macros.h"
#include "service/forecast.h"
#include "service/forecast/simulations.h"
#include "service/forecast_snapshots.h"

namespace salesbox::api::internal {
namespace {

using nlohmann::json;
using DataPtr = std::shared_ptr<const service::ForecastData>;
using ModelPtr = std::shared_ptr<const service::ForecastModel>;

constexpr int64_t kPageTrials = 20'000;

// The forecast's facts while the data is unchanged (one gathering for every user's forecast),
// and the models trained on them by as_of (two days). Thread-safe.
class ForecastFacts {
 public:
  explicit ForecastFacts(storage::Store& store) : store_(store) {}

  // The facts at the store's current DataVersion.
  Result<DataPtr> Now() {
    SB_ASSIGN_OR_RETURN(uint64_t version, store_.DataVersion());
    std::lock_guard lock(mutex_);
    if (data_ && version_ == version) return data_;
    SB_ASSIGN_OR_RETURN(service::ForecastData data, service::LoadForecastData(store_));
    data_ = std::make_shared<const service::ForecastData>(std::move(data));
    version_ = version;
    models_.clear();
    return data_;
  }

  // The model trained on `data` as of `as_of`, kept while `data` is the current facts.
  Result<ModelPtr> ModelFor(const DataPtr& data, Date as_of) {
    {
      std::lock_guard lock(mutex_);
      if (data == data_) {
        auto it = models_.find(as_of);
        if (it != models_.end()) return it->second;
      }
    }
    service::TrainOptions options;
    options.cutoff = service::internal::ToDay(as_of);
    SB_ASSIGN_OR_RETURN(service::ForecastModel model, service::TrainForecast(*data, options));
    auto shared = std::make_shared<const service::ForecastModel>(std::move(model));
    std::lock_guard lock(mutex_);
    if (data != data_) {  // newer facts (the live model's) replace the kept ones
      data_ = data;
      models_.clear();
    }
    if (models_.size() >= 2) models_.erase(models_.begin());
    models_[as_of] = shared;
    return shared;
  }

 private:
  storage::Store& store_;
  std::mutex mutex_;
  uint64_t version_ = 0;
  DataPtr data_;
  std::map<Date, ModelPtr> models_;  // by as_of
};

// The 403 for marketing, who see no forecast; nullopt for everyone else.
std::optional<http::Response> SalesOnly(const Context& c) {
  if (c.principal->role == Role::kMarketing) {
    return ErrorResponse(403, "forbidden", "the forecast is for sales reps and their managers");
  }
  return std::nullopt;
}

// The forecast's handlers and the facts they share.
struct Forecast {
  explicit Forecast(const ApiContext& ctx) : store(ctx.store), clock(ctx.clock), facts(ctx.store) {}

  storage::Store& store;
  const Clock& clock;
  ForecastFacts facts;
  // Each large page's simulation, corrected deal by deal after a write (simulations.h).
  service::ForecastSimulations simulations;

  // The facts: the live model's snapshot when there is one (they hold every day's history).
  Result<DataPtr> Data(const Context& c) {
    if (c.facts != nullptr) return c.facts->forecast;
    return facts.Now();
  }

  // The model for `as_of`: the live snapshot's for its day, else trained and kept.
  Result<ModelPtr> Model(const Context& c, const DataPtr& data, Date as_of) {
    if (const service::facts::FactSnapshot* live = LiveFactsFor(c, as_of)) {
      if (live->model != nullptr && live->forecast == data) return live->model;
    }
    return facts.ModelFor(data, as_of);
  }

  // The forecast of a period for what the user may see (docs/api.md).
  http::Response Period(Context& c) {
    if (auto denied = SalesOnly(c)) return *denied;
    service::ForecastRequest request;
    request.viewer = &*c.principal;
    request.locale = analytics::audit::kLocales[static_cast<size_t>(LocaleOf(c))];
    Result<Date> as_of = AsOfParam(c, clock);
    if (!as_of.ok()) return FromStatus(as_of.status(), 400);
    request.as_of = *as_of;
    if (auto period = Param(c, "period")) {
      Result<std::pair<Date, Date>> parsed = service::ParsePeriod(*period);
      if (!parsed.ok()) return FromStatus(parsed.status(), 400);
      request.period = *period;
    }
    for (const char* name : {"team_id", "rep_id"}) {
      if (!Param(c, name)) continue;
      Result<int64_t> id = PositiveParam(c, name);
      if (!id.ok()) return FromStatus(id.status(), 400);
      (std::string_view(name) == "team_id" ? request.team_id : request.rep_id) = *id;
    }
    int64_t limit = 50, offset = 0;
    Status paged = PageParams(c, &limit, &offset);
    if (!paged.ok()) return FromStatus(paged, 400);
    Result<DataPtr> data = Data(c);
    if (!data.ok()) return FromStatus(data.status());
    Result<ModelPtr> model = Model(c, *data, request.as_of);
    if (!model.ok()) return FromStatus(model.status(), 400);
    request.model = model->get();
    // The live snapshot's kept scores (for its day and model), and factors for this page only.
    if (const service::facts::FactSnapshot* live = LiveFactsFor(c, request.as_of)) {
      if (live->model.get() == request.model) request.scores = live->scores.get();
    }
    request.explain_limit = limit;
    request.explain_offset = offset;
    // A page's ranges: 20,000 trials for the totals, 5,000 per team and rep, 1,000 per week of the
    // fan (the CLI's 100,000 and 10,000 move P10/P50/P90 by well under 1%), so that a busy
    // company's forecast page is remade in a fraction of the time.
    request.trials = kPageTrials;
    request.group_trials = kPageTrials / 4;
    request.fan_trials = 1'000;
    request.simulations = &simulations;
    Result<service::Forecast> forecast = service::RunForecast(**data, request);
    if (!forecast.ok()) return FromStatus(forecast.status(), 400);
    return http::Response::Json(200, Dump(service::ForecastJson(**data, *forecast, limit, offset)));
  }

  http::Response Snapshots(Context& c) {
    if (auto denied = SalesOnly(c)) return *denied;
    Result<DataPtr> data = Data(c);
    if (!data.ok()) return FromStatus(data.status());
    return JsonOr(service::ForecastSnapshotsJson(store, **data, &*c.principal));
  }

  http::Response TakeSnapshot(Context& c) {
    if (c.principal->role == Role::kRep || c.principal->role == Role::kMarketing) {
      return ErrorResponse(403, "forbidden", "snapshots are taken by managers and up");
    }
    using V = json::value_t;
    if (auto bad = CheckFields(c.body, {{"as_of", V::string}, {"period", V::string}}, {})) {
      return *bad;
    }
    const Date today = ToDate(clock.Now());
    Date as_of = today;
    if (c.body.contains("as_of")) {
      Result<Date> parsed = ParseIsoDate(c.body["as_of"].get<std::string>());
      if (!parsed.ok() || *parsed > today) {
        return ErrorResponse(422, "invalid", "as_of: not a date up to today", "as_of");
      }
      as_of = *parsed;
    }
    std::string period;
    if (c.body.contains("period")) {
      period = c.body["period"].get<std::string>();
      Result<std::pair<Date, Date>> parsed = service::ParsePeriod(period);
      if (!parsed.ok()) return FromStatus(parsed.status());
    }
    Result<DataPtr> data = Data(c);
    if (!data.ok()) return FromStatus(data.status());
    Result<ForecastSnapshot> snapshot = service::TakeForecastSnapshot(
        store, **data, as_of, period, c.principal->user_id, clock.Now());
    if (!snapshot.ok()) return FromStatus(snapshot.status());
    return JsonOr(service::ForecastSnapshotJson(*snapshot, **data, &*c.principal), 201);
  }

  http::Response Moved(Context& c) {
    if (auto denied = SalesOnly(c)) return *denied;
    Result<int64_t> from = PositiveParam(c, "from");
    if (!from.ok()) return FromStatus(from.status(), 400);
    Result<int64_t> to = PositiveParam(c, "to");
    if (!to.ok()) return FromStatus(to.status(), 400);
    Result<DataPtr> data = Data(c);
    if (!data.ok()) return FromStatus(data.status());
    return JsonOr(service::MovedJson(store, **data, ForecastSnapshotId{*from},
                                     ForecastSnapshotId{*to}, &*c.principal),
                  200, 400);
  }

  http::Response Backtest(Context& c) {
    if (c.principal->role == Role::kRep || c.principal->role == Role::kMarketing) {
      return ErrorResponse(403, "forbidden", "the backtest is for managers and up");
    }
    Result<Date> as_of = AsOfParam(c, clock);
    if (!as_of.ok()) return FromStatus(as_of.status(), 400);
    std::optional<Date> cutoff;
    if (auto text = Param(c, "cutoff")) {
      Result<Date> parsed = ParseIsoDate(*text);
      if (!parsed.ok())
        return ErrorResponse(400, "bad_request", "cutoff: " + parsed.status().message(), "cutoff");
      cutoff = *parsed;
    }
    Result<DataPtr> data = Data(c);
    if (!data.ok()) return FromStatus(data.status());
    Result<service::Backtest> backtest = service::RunBacktest(**data, *as_of, cutoff);
    if (!backtest.ok()) return FromStatus(backtest.status(), 400);
    return http::Response::Json(200, Dump(service::BacktestJson(*backtest)));
  }
};

}  // namespace

void AddForecastRoutes(RouteTable& table, const ApiContext& ctx) {
  const std::string v1(kPrefix);
  // The handlers share `forecast`, and the table owns it.
  auto forecast = std::make_shared<Forecast>(ctx);
  table
      .Add({"GET", v1 + "/forecast", "The evidence-based forecast of a period", "forecast",
            Access::kSignedIn, std::nullopt, "", 200, false,
            [forecast](Context& c) { return forecast->Period(c); }})
      .Live();
  table
      .Add({"GET", v1 + "/forecast/backtest",
            "Brier score, log loss, AUC and reliability of the model, the reps and stage defaults",
            "forecast", Access::kSignedIn, std::nullopt, "", 200, false,
            [forecast](Context& c) { return forecast->Backtest(c); }})
      .facts = true;
  table
      .Add({"GET", v1 + "/forecast/snapshots", "Forecast snapshots, newest first", "forecast",
            Access::kSignedIn, std::nullopt, "", 200, false,
            [forecast](Context& c) { return forecast->Snapshots(c); }})
      .facts = true;
  table
      .Add({"POST", v1 + "/forecast/snapshots", "Take a forecast snapshot", "forecast",
            Access::kSignedIn, std::nullopt, "", 201, false,
            [forecast](Context& c) { return forecast->TakeSnapshot(c); }})
      .facts = true;
  table
      .Add({"GET", v1 + "/forecast/moved", "What moved between two forecast snapshots", "forecast",
            Access::kSignedIn, std::nullopt, "", 200, false,
            [forecast](Context& c) { return forecast->Moved(c); }})
      .facts = true;
}

}  // namespace salesbox::api::internal

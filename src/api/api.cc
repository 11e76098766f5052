// SPDX-License-Identifier: MIT
#include "api/api.h"

#include <sodium.h>

#include <charconv>
#include <cstdlib>
#include <functional>
#include <future>
#include <iostream>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "analytics/audit/playbook.h"
#include "analytics/clv/rfm.h"
#include "api/response_cache.h"
#include "common/status_macros.h"
#include "service/access.h"
#include "service/change_log.h"
#include "service/audit_views.h"
#include "service/customer_value.h"
#include "service/forecast.h"
#include "service/forecast_snapshots.h"
#include "service/home_service.h"
#include "service/pipeline_audit.h"
#include "service/record_service.h"
#include "service/strategy_cascade.h"
#include "service/strategy_service.h"

namespace salesbox::api {
namespace {

using nlohmann::json;
using service::DescribeKind;
using service::FieldInfo;
using service::Kind;
using service::KindInfo;
using service::Principal;

constexpr std::string_view kPrefix = "/api/v1";

// --- errors -----------------------------------------------------------------------------------

// JSON text of `value`. Input that was not UTF-8 (a path or parameter quoted in a message) is
// replaced by U+FFFD rather than failing the answer.
std::string Dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

http::Response ErrorResponse(int status, std::string_view code, std::string_view message,
                             std::string_view field = {}) {
  json error = {{"code", code}, {"message", message}};
  if (!field.empty()) error["field"] = field;
  return http::Response::Json(status, Dump(json{{"error", error}}));
}

// How a failed service call answers. `input_status` is what kInvalidArgument means here: 422
// for a value in a body that breaks a rule, 400 for a malformed query.
http::Response FromStatus(const Status& status, int input_status = 422) {
  switch (status.code()) {
    case StatusCode::kOk:
      return http::Response::Empty(204);
    case StatusCode::kInvalidArgument:
      return ErrorResponse(input_status, input_status == 422 ? "invalid" : "bad_request",
                           status.message(), status.field());
    case StatusCode::kNotFound:
      return ErrorResponse(404, "not_found", status.message(), status.field());
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
    case StatusCode::kAborted:
      return ErrorResponse(409, "conflict", status.message(), status.field());
    case StatusCode::kUnauthenticated:
      return ErrorResponse(401, "unauthenticated", status.message());
    case StatusCode::kPermissionDenied:
      return ErrorResponse(403, "forbidden", status.message(), status.field());
    case StatusCode::kResourceExhausted:
      return ErrorResponse(429, "too_many_attempts", status.message());
    case StatusCode::kUnavailable:
      return ErrorResponse(503, "unavailable", "the database is busy; retry in a moment");
    case StatusCode::kUnimplemented:
    case StatusCode::kInternal:
      break;
  }
  std::cerr << "salesbox serve: internal error: " << status.ToString() << "\n";
  return ErrorResponse(500, "internal", "an internal error occurred; it has been logged");
}

// --- routes -----------------------------------------------------------------------------------

struct Context {
  const http::Request& request;
  std::optional<Principal> principal;
  std::string csrf_token;
  int64_t id = 0;  // the {id} path segment
  json body;       // parsed for POST/PATCH/PUT
};

using HandlerFn = std::function<http::Response(Context&)>;

enum class Access { kPublic, kSignedIn };

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/accounts/{id}"
  std::string summary;
  std::string tag;
  Access access = Access::kSignedIn;
  std::optional<Kind> kind;    // the record kind of body/response, if any
  std::string request_schema;  // components/schemas name of the body; empty: none
  int success = 200;
  bool list = false;  // takes the list query parameters
  HandlerFn handler;
};

// Splits "/a/b/c" into {"a","b","c"}.
std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash);
  }
  return out;
}

// Matches `path` against `pattern`; sets *id for an {id} segment (a positive integer).
bool Matches(std::string_view pattern, std::string_view path, int64_t* id) {
  const auto want = Segments(pattern);
  const auto have = Segments(path);
  if (want.size() != have.size()) return false;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i] == "{id}") {
      int64_t value = 0;
      auto [end, ec] = std::from_chars(have[i].data(), have[i].data() + have[i].size(), value);
      if (ec != std::errc() || end != have[i].data() + have[i].size() || value <= 0) return false;
      *id = value;
    } else if (want[i] != have[i]) {
      return false;
    }
  }
  return true;
}

json UserJson(const Principal& p, storage::Store& store) {
  json team = nullptr;
  if (p.team_id) {
    Result<Team> t = store.teams().Get(*p.team_id);
    if (t.ok()) team = t->name;
  }
  return {{"id", p.user_id.value}, {"email", p.email},
          {"name", p.name},        {"role", ToString(p.role)},
          {"team", team},          {"team_id", p.team_id ? json(p.team_id->value) : json(nullptr)},
          {"locale", p.locale}};
}

std::string SessionCookie(const std::string& token, bool secure, bool clear) {
  std::string cookie = std::string(kSessionCookie) + "=" + (clear ? "" : token);
  cookie += "; Path=/; HttpOnly; SameSite=Strict";
  cookie += clear ? "; Max-Age=0" : "; Max-Age=604800";
  if (secure) cookie += "; Secure";
  return cookie;
}

const char* TypeName(FieldInfo::Type type) {
  switch (type) {
    case FieldInfo::Type::kString:
      return "string";
    case FieldInfo::Type::kNumber:
      return "number";
    case FieldInfo::Type::kInteger:
      return "integer";
    case FieldInfo::Type::kBoolean:
      return "boolean";
  }
  return "string";
}

// Checks a record body against the kind's fields: an object, known fields, right JSON types.
// Read-only fields are accepted and ignored, so a client may send back what it read.
Status CheckBody(const KindInfo& info, const json& body, bool update) {
  if (!body.is_object()) return Status::InvalidArgument("the body must be a JSON object");
  for (const auto& [key, value] : body.items()) {
    const FieldInfo* field = nullptr;
    for (const FieldInfo& f : info.fields) {
      if (f.name == key) field = &f;
    }
    if (field == nullptr) {
      std::string message =
          "unknown field \"" + key + "\" for " + std::string(info.what) + "; fields are";
      for (const FieldInfo& f : info.fields) {
        if (!f.read_only) message += " " + f.name;
      }
      return Status::InvalidArgument(std::move(message)).WithField(key);
    }
    if (field->read_only || value.is_null()) continue;
    bool ok = false;
    switch (field->type) {
      case FieldInfo::Type::kString:
        ok = value.is_string();
        break;
      case FieldInfo::Type::kNumber:
        ok = value.is_number() || value.is_string();
        break;
      case FieldInfo::Type::kInteger:
        ok = value.is_number_integer();
        break;
      case FieldInfo::Type::kBoolean:
        ok = value.is_boolean();
        break;
    }
    if (!ok) {
      return Status::InvalidArgument(key + ": must be " +
                                     (field->type == FieldInfo::Type::kInteger
                                          ? std::string("an integer")
                                          : "a " + std::string(TypeName(field->type))))
          .WithField(key);
    }
  }
  if (update && (!body.contains("version") || body["version"].is_null())) {
    return Status::InvalidArgument(
               "version: required; send the version you read, so a change made meanwhile is "
               "not overwritten")
        .WithField("version");
  }
  return Status::Ok();
}

Result<service::ListRequest> ParseList(const http::Request& request) {
  service::ListRequest list;
  for (auto& [name, value] : request.QueryParams()) {
    const auto number = [&](int64_t* out) -> Status {
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), *out);
      if (ec != std::errc() || end != value.data() + value.size()) {
        return Status::InvalidArgument(name + ": \"" + value + "\" is not a whole number")
            .WithField(name);
      }
      return Status::Ok();
    };
    if (name == "limit") {
      SB_RETURN_IF_ERROR(number(&list.limit));
    } else if (name == "offset") {
      SB_RETURN_IF_ERROR(number(&list.offset));
    } else if (name == "sort") {
      list.descending = !value.empty() && value.front() == '-';
      list.sort = list.descending ? value.substr(1) : value;
    } else if (name == "q") {
      list.q = value;
    } else if (name == "from") {
      list.from = value;
    } else if (name == "to") {
      list.to = value;
    } else {
      std::vector<std::string> values;
      std::string_view rest = value;
      while (true) {
        const size_t comma = rest.find(',');
        std::string_view one = rest.substr(0, comma);
        if (!one.empty()) values.emplace_back(one);
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
      list.filters.emplace_back(name, std::move(values));
    }
  }
  return list;
}

}  // namespace

struct Api::Impl {
  storage::Store& store;
  const Clock& clock;
  service::AuthService& auth;
  service::RecordService records;
  std::vector<Route> routes;
  json openapi;
  ResponseCache cache;
  // Answers being computed, by cache key: when many connections ask the same thing at once
  // (400 dashboards after a write), one computes and the others wait for its answer.
  std::mutex inflight_mutex;
  std::unordered_map<std::string, std::shared_future<http::Response>> inflight;
  // The audit's facts, by day, while the data is unchanged: gathering them reads every activity,
  // so pages, items and scorecards share one gathering (at most two days are kept).
  struct AuditFacts {
    Date as_of{};
    uint64_t version = 0;
    std::shared_ptr<const service::AuditData> data;
  };
  std::mutex audit_mutex;
  std::vector<AuditFacts> audit_facts;
  // The forecast's facts while the data is unchanged (one gathering for every user's forecast).
  std::mutex forecast_mutex;
  uint64_t forecast_version = 0;
  std::shared_ptr<const service::ForecastData> forecast_data;
  std::map<Date, std::shared_ptr<const service::ForecastModel>> forecast_models;  // by as_of

  Impl(storage::Store& s, const Clock& c, service::AuthService& a)
      : store(s), clock(c), auth(a), records(s, c) {
    AddRoutes();
    openapi = BuildOpenApi();
  }

  void Add(Route route) { routes.push_back(std::move(route)); }

  void AddRoutes() {
    const std::string v1(kPrefix);
    Add({"POST", v1 + "/session", "Sign in", "session", Access::kPublic, std::nullopt, "SignIn",
         200, false, [this](Context& c) { return SignIn(c); }});
    Add({"GET", v1 + "/session", "Who is signed in", "session", Access::kSignedIn, std::nullopt, "",
         200, false, [this](Context& c) {
           return http::Response::Json(
               200,
               json{{"user", UserJson(*c.principal, store)}, {"csrf_token", c.csrf_token}}.dump());
         }});
    Add({"PATCH", v1 + "/session", "Change the signed-in user's preferences", "session",
         Access::kSignedIn, std::nullopt, "Preferences", 200, false,
         [this](Context& c) { return Preferences(c); }});
    Add({"DELETE", v1 + "/session", "Sign out", "session", Access::kSignedIn, std::nullopt, "", 204,
         false, [this](Context& c) {
           const auto token = c.request.Cookie(kSessionCookie);
           if (token) {
             Status status = auth.SignOut(*token);
             if (!status.ok()) return FromStatus(status);
           }
           http::Response r = http::Response::Empty(204);
           r.headers.emplace_back("Set-Cookie", SessionCookie("", c.request.secure, true));
           return r;
         }});
    Add({"GET", v1 + "/openapi.json", "This document", "meta", Access::kPublic, std::nullopt, "",
         200, false, [this](Context&) { return http::Response::Json(200, Dump(openapi)); }});
    Add({"GET", v1 + "/stages", "Opportunity stages in board order", "opportunities",
         Access::kSignedIn, std::nullopt, "", 200, false,
         [](Context&) { return http::Response::Json(200, Dump(service::Stages())); }});
    Add({"GET", v1 + "/home", "The signed-in user's dashboard", "home", Access::kSignedIn,
         std::nullopt, "", 200, false, [this](Context& c) {
           Result<json> home = service::Home(store, clock, *c.principal);
           if (!home.ok()) return FromStatus(home.status());
           return http::Response::Json(200, Dump(*home));
         }});
    Add({"GET", v1 + "/audit-log", "Changes: who, when, what, old and new", "audit",
         Access::kSignedIn, std::nullopt, "", 200, false,
         [this](Context& c) { return ChangeLog(c); }});
    Add({"GET", v1 + "/opportunities/{id}/history", "An opportunity's history, newest first",
         "opportunities", Access::kSignedIn, std::nullopt, "", 200, false, [this](Context& c) {
           Result<json> history = records.History(*c.principal, c.id);
           if (!history.ok()) return FromStatus(history.status());
           return http::Response::Json(200, Dump(*history));
         }});
    Add({"GET", v1 + "/accounts/{id}/shares", "Who else works on an account", "accounts",
         Access::kSignedIn, std::nullopt, "", 200, false, [this](Context& c) {
           Result<json> shares = records.Shares(*c.principal, c.id);
           if (!shares.ok()) return FromStatus(shares.status());
           return http::Response::Json(200, Dump(*shares));
         }});
    Add({"PUT", v1 + "/accounts/{id}/shares", "Share an account with other users", "accounts",
         Access::kSignedIn, std::nullopt, "Shares", 200, false,
         [this](Context& c) { return SetShares(c); }});

    AddAuditRoutes();
    Add({"GET", v1 + "/customer-value",
         "Lifetime value per customer (BG/NBD + Gamma-Gamma) with ABC classes", "strategy",
         Access::kSignedIn, std::nullopt, "", 200, false,
         [this](Context& c) { return CustomerValue(c); }});
    Add({"GET", v1 + "/strategy", "Segments, profitability, ideal customer profile and alignment",
         "strategy", Access::kSignedIn, std::nullopt, "", 200, false,
         [this](Context& c) { return Strategy(c); }});
    Add({"GET", v1 + "/forecast", "The evidence-based forecast of a period", "forecast",
         Access::kSignedIn, std::nullopt, "", 200, false,
         [this](Context& c) { return Forecast(c); }});
    Add({"GET", v1 + "/forecast/backtest",
         "Brier score, log loss, AUC and reliability of the model, the reps and stage defaults",
         "forecast", Access::kSignedIn, std::nullopt, "", 200, false,
         [this](Context& c) { return Backtest(c); }});
    Add({"GET", v1 + "/forecast/snapshots", "Forecast snapshots, newest first", "forecast",
         Access::kSignedIn, std::nullopt, "", 200, false,
         [this](Context& c) { return Snapshots(c); }});
    Add({"POST", v1 + "/forecast/snapshots", "Take a forecast snapshot", "forecast",
         Access::kSignedIn, std::nullopt, "", 201, false,
         [this](Context& c) { return TakeSnapshot(c); }});
    Add({"GET", v1 + "/forecast/moved", "What moved between two forecast snapshots", "forecast",
         Access::kSignedIn, std::nullopt, "", 200, false, [this](Context& c) { return Moved(c); }});
    Add({"GET", v1 + "/strategy/cascade",
         "Objectives with progress, segments with value propositions, alignment", "strategy",
         Access::kSignedIn, std::nullopt, "", 200, false,
         [this](Context& c) { return Cascade(c); }});

    for (Kind kind : service::ApiKinds()) {
      const KindInfo& info = DescribeKind(kind);
      const std::string base = v1 + "/" + std::string(info.path);
      const std::string what(info.what);
      Add({"GET", base, "List " + std::string(info.path), std::string(info.path), Access::kSignedIn,
           kind, "", 200, true, [this, kind](Context& c) {
             Result<service::ListRequest> list = ParseList(c.request);
             if (!list.ok()) return FromStatus(list.status(), 400);
             Result<json> out = records.List(*c.principal, kind, *list);
             if (!out.ok()) return FromStatus(out.status(), 400);
             return http::Response::Json(200, Dump(*out));
           }});
      Add({"POST", base, "Create a " + what, std::string(info.path), Access::kSignedIn, kind,
           std::string(info.path), 201, false, [this, kind](Context& c) {
             Status checked = CheckBody(DescribeKind(kind), c.body, false);
             if (!checked.ok()) return FromStatus(checked, 400);
             Result<json> out = records.Create(*c.principal, kind, c.body);
             if (!out.ok()) return FromStatus(out.status());
             return http::Response::Json(201, Dump(*out));
           }});
      Add({"GET", base + "/{id}", "Get a " + what, std::string(info.path), Access::kSignedIn, kind,
           "", 200, false, [this, kind](Context& c) {
             Result<json> out = records.Get(*c.principal, kind, c.id);
             if (!out.ok()) return FromStatus(out.status());
             return http::Response::Json(200, Dump(*out));
           }});
      Add({"PATCH", base + "/{id}", "Change a " + what, std::string(info.path), Access::kSignedIn,
           kind, std::string(info.path), 200, false, [this, kind](Context& c) {
             Status checked = CheckBody(DescribeKind(kind), c.body, true);
             if (!checked.ok()) return FromStatus(checked, 400);
             Result<json> out = records.Update(*c.principal, kind, c.id, c.body);
             if (!out.ok()) return FromStatus(out.status());
             if (kind == Kind::kUsers) auth.Forget(UserId{c.id});
             return http::Response::Json(200, Dump(*out));
           }});
      Add({"DELETE", base + "/{id}", "Delete a " + what, std::string(info.path), Access::kSignedIn,
           kind, "", 204, false, [this, kind](Context& c) {
             Status deleted = records.Delete(*c.principal, kind, c.id);
             if (!deleted.ok()) return FromStatus(deleted);
             if (kind == Kind::kUsers) auth.Forget(UserId{c.id});
             return http::Response::Empty(204);
           }});
    }
  }

  http::Response SignIn(Context& c) {
    if (!c.body.is_object() || !c.body.contains("email") || !c.body["email"].is_string() ||
        !c.body.contains("password") || !c.body["password"].is_string()) {
      return ErrorResponse(400, "bad_request", "send {\"email\": \"...\", \"password\": \"...\"}",
                           !c.body.is_object() || !c.body.contains("email") ? "email" : "password");
    }
    for (const auto& [key, value] : c.body.items()) {
      if (key != "email" && key != "password") {
        return ErrorResponse(400, "bad_request", "unknown field \"" + key + "\"", key);
      }
    }
    int64_t retry_after = 0;
    Result<service::SignedIn> signed_in =
        auth.SignIn(c.body["email"].get<std::string>(), c.body["password"].get<std::string>(),
                    c.request.remote_address, &retry_after);
    if (!signed_in.ok()) {
      http::Response r = FromStatus(signed_in.status());
      if (signed_in.status().code() == StatusCode::kResourceExhausted) {
        r.headers.emplace_back("Retry-After", std::to_string(retry_after));
      }
      return r;
    }
    http::Response r = http::Response::Json(
        200,
        json{{"user", UserJson(signed_in->principal, store)}, {"csrf_token", signed_in->csrf_token}}
            .dump());
    r.headers.emplace_back("Set-Cookie", SessionCookie(signed_in->token, c.request.secure, false));
    return r;
  }

  http::Response Preferences(Context& c) {
    if (!c.body.is_object()) return ErrorResponse(400, "bad_request", "send {\"locale\": \"da\"}");
    for (const auto& [key, value] : c.body.items()) {
      if (key != "locale") {
        return ErrorResponse(400, "bad_request",
                             "unknown field \"" + key + "\"; preferences are: locale", key);
      }
      if (!value.is_string())
        return ErrorResponse(400, "bad_request", "locale: must be a string", key);
      const std::string locale = value.get<std::string>();
      if (locale != "en" && locale != "da" && locale != "sv" && locale != "nb") {
        return ErrorResponse(422, "invalid", "locale must be one of en, da, sv, nb", "locale");
      }
      Status status = store.Transact([&](storage::Store& s) -> Status {
        SB_ASSIGN_OR_RETURN(User user, s.users().Get(c.principal->user_id));
        const std::string old = user.locale;
        if (old == locale) return Status::Ok();
        user.locale = locale;
        user.updated_at = clock.Now();
        SB_RETURN_IF_ERROR(s.users().Update(user));
        return service::AppendChange(s, clock.Now(), user.id, "update", "users", user.id.value,
                                    json{{"locale", json::array({old, locale})}}.dump());
      });
      if (!status.ok()) return FromStatus(status);
      auth.Forget(c.principal->user_id);
      c.principal->locale = locale;
    }
    return http::Response::Json(
        200, json{{"user", UserJson(*c.principal, store)}, {"csrf_token", c.csrf_token}}.dump());
  }

  http::Response ChangeLog(Context& c) {
    std::string entity;
    int64_t entity_id = 0, limit = 50, offset = 0;
    for (auto& [name, value] : c.request.QueryParams()) {
      int64_t* target = name == "entity_id" ? &entity_id
                        : name == "limit"   ? &limit
                        : name == "offset"  ? &offset
                                            : nullptr;
      if (name == "entity") {
        entity = value;
        continue;
      }
      if (target == nullptr) {
        return ErrorResponse(400, "bad_request",
                             "unknown parameter \"" + name +
                                 "\"; the audit log takes entity, entity_id, limit, offset",
                             name);
      }
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), *target);
      if (ec != std::errc() || end != value.data() + value.size()) {
        return ErrorResponse(400, "bad_request", name + ": not a whole number", name);
      }
    }
    Result<json> out = records.ChangeLog(*c.principal, entity, entity_id, limit, offset);
    if (!out.ok()) return FromStatus(out.status(), 400);
    return http::Response::Json(200, Dump(*out));
  }

  http::Response SetShares(Context& c) {
    if (!c.body.is_object() || !c.body.contains("user_ids") || !c.body["user_ids"].is_array() ||
        c.body.size() != 1) {
      return ErrorResponse(400, "bad_request", "send {\"user_ids\": [1, 2]}", "user_ids");
    }
    std::vector<int64_t> ids;
    for (const json& id : c.body["user_ids"]) {
      if (!id.is_number_integer() || id.get<int64_t>() <= 0) {
        return ErrorResponse(400, "bad_request", "user_ids: must be positive integer ids",
                             "user_ids");
      }
      ids.push_back(id.get<int64_t>());
    }
    Result<json> out = records.SetShares(*c.principal, c.id, ids);
    if (!out.ok()) return FromStatus(out.status());
    return http::Response::Json(200, Dump(*out));
  }

  // --- customer value and strategy ------------------------------------------------------

  // Customer value: the model is fitted on every customer; the rows are the accounts the user
  // may see, the most valuable first, paged.
  http::Response CustomerValue(Context& c) {
    if (c.principal->role == Role::kMarketing) {
      return ErrorResponse(403, "forbidden", "customer value is for sales roles");
    }
    service::CustomerValueOptions options;
    options.calibration_end = ToDate(clock.Now());
    if (auto text = Param(c, "calibration_end")) {
      Result<Date> parsed = ParseIsoDate(*text);
      if (!parsed.ok()) {
        return ErrorResponse(400, "bad_request", "calibration_end: " + parsed.status().message(),
                             "calibration_end");
      }
      options.calibration_end = *parsed;
    }
    if (auto unit = Param(c, "time_unit")) {
      Result<analytics::clv::TimeUnit> parsed = analytics::clv::ParseTimeUnit(*unit);
      if (!parsed.ok()) {
        return ErrorResponse(400, "bad_request", "time_unit: " + parsed.status().message(),
                             "time_unit");
      }
      options.time_unit = *parsed;
    }
    int64_t limit = 50, offset = 0, horizon = options.horizon;
    for (auto [name, target, lo, hi] :
         {std::tuple<const char*, int64_t*, int64_t, int64_t>{"limit", &limit, 1, 500},
          {"offset", &offset, 0, INT64_MAX},
          {"horizon", &horizon, 1, service::kMaxCustomerValueHorizon}}) {
      if (auto text = Param(c, name)) {
        int64_t value = 0;
        auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
        if (ec != std::errc() || end != text->data() + text->size() || value < lo || value > hi) {
          return ErrorResponse(400, "bad_request",
                               std::string(name) + ": \"" + *text + "\" is out of range", name);
        }
        *target = value;
      }
    }
    options.horizon = static_cast<int>(horizon);
    if (auto text = Param(c, "discount_rate")) {
      char* end = nullptr;
      const double rate = std::strtod(text->c_str(), &end);
      if (end != text->c_str() + text->size() || !(rate >= 0 && rate < 10)) {
        return ErrorResponse(400, "bad_request", "discount_rate: \"" + *text + "\" is not in 0..10",
                             "discount_rate");
      }
      options.discount_rate = rate;
    }
    Result<service::CustomerValueReport> report = service::ComputeCustomerValue(store, options);
    if (!report.ok()) return FromStatus(report.status());
    // Which accounts the user may see.
    std::optional<std::unordered_set<int64_t>> visible;
    std::vector<storage::Filter> filters = service::VisibleFilters(*c.principal, Kind::kAccounts);
    if (!filters.empty()) {
      visible.emplace();
      storage::ListQuery query;
      query.filters = std::move(filters);
      Status scanned = store.accounts().ScanFields(
          query, {"id"}, [&visible](std::span<const storage::FieldValue> r) {
            visible->insert(r[0].integer);
            return Status::Ok();
          });
      if (!scanned.ok()) return FromStatus(scanned);
    }
    const std::optional<std::string> currency = Param(c, "currency");
    json out = service::CustomerValueJson(*report);
    json rows = json::array();
    for (const json& row : out["customers"]) {
      if (visible && !visible->count(row["id"].get<int64_t>())) continue;
      if (currency && row.value("currency", "") != *currency) continue;
      rows.push_back(row);
    }
    // By currency (values in different currencies do not compare), the most valuable first.
    std::stable_sort(rows.begin(), rows.end(), [](const json& x, const json& y) {
      const std::string cx = x.value("currency", ""), cy = y.value("currency", "");
      if (cx != cy) return cx < cy;
      return x.value("clv", 0.0) > y.value("clv", 0.0);
    });
    json page = json::array();
    for (size_t i = static_cast<size_t>(offset);
         i < rows.size() && page.size() < static_cast<size_t>(limit); ++i) {
      page.push_back(rows[i]);
    }
    out["total"] = rows.size();
    out["limit"] = limit;
    out["offset"] = offset;
    out["customers"] = std::move(page);
    return http::Response::Json(200, Dump(out));
  }

  // Strategy: company-level analysis for managers, executives, admins and marketing.
  http::Response Strategy(Context& c) {
    if (c.principal->role == Role::kRep) {
      return ErrorResponse(403, "forbidden", "the strategy analysis is for managers and up");
    }
    service::StrategyRequest request;
    Result<Date> as_of = AsOfParam(c);
    if (!as_of.ok()) return FromStatus(as_of.status(), 400);
    request.as_of = *as_of;
    if (auto text = Param(c, "from")) {
      Result<Date> parsed = ParseIsoDate(*text);
      if (!parsed.ok() || *parsed > request.as_of) {
        return ErrorResponse(400, "bad_request",
                             "from: \"" + *text + "\" is not a date before as_of", "from");
      }
      request.from = *parsed;
    }
    request.account_profitability = false;
    Result<service::StrategyReport> report = service::RunStrategy(store, request);
    if (!report.ok()) return FromStatus(report.status());
    json out = service::StrategyReportJson(*report);
    if (c.principal->role == Role::kManager) {
      // A manager's alignment: the company's rows for comparison, their own team and its reps.
      const int64_t team = c.principal->team_id ? c.principal->team_id->value : 0;
      std::unordered_set<int64_t> members;
      Status scanned = store.users().ScanFields(
          {}, {"id", "team_id"}, [&](std::span<const storage::FieldValue> r) {
            if (r[1].kind == storage::FieldValue::Kind::kInteger && r[1].integer == team) {
              members.insert(r[0].integer);
            }
            return Status::Ok();
          });
      if (!scanned.ok()) return FromStatus(scanned);
      json& rows = out["alignment"]["rows"];
      json kept = json::array();
      for (json& row : rows) {
        const std::string level = row.value("level", "");
        const int64_t id = row.value("id", int64_t{0});
        if (level == "company" || (level == "team" && id == team) ||
            (level == "rep" && members.contains(id))) {
          kept.push_back(std::move(row));
        }
      }
      rows = std::move(kept);
    }
    return http::Response::Json(200, Dump(out));
  }

  // The strategy cascade: objectives, segments with value propositions, company alignment.
  // Every role: it shows no single customer.
  http::Response Cascade(Context& c) {
    Result<Date> as_of = AsOfParam(c);
    if (!as_of.ok()) return FromStatus(as_of.status(), 400);
    Result<service::Cascade> cascade = service::BuildCascade(store, *as_of);
    if (!cascade.ok()) return FromStatus(cascade.status());
    return http::Response::Json(200, Dump(service::CascadeJson(*cascade)));
  }

  // --- the audit ------------------------------------------------------------------------

  void AddAuditRoutes() {
    const std::string v1(kPrefix);
    Add({"GET", v1 + "/audit", "The audit report: counts, groups, heat map, worst items, trend",
         "audit", Access::kSignedIn, std::nullopt, "", 200, false,
         [this](Context& c) { return AuditReport(c); }});
    Add({"GET", v1 + "/audit/items", "Audited items by colour, the most valuable first", "audit",
         Access::kSignedIn, std::nullopt, "", 200, false,
         [this](Context& c) { return AuditItems(c); }});
    Add({"GET", v1 + "/audit/scorecard", "One item's scorecard: answers, reasons, actions", "audit",
         Access::kSignedIn, std::nullopt, "", 200, false,
         [this](Context& c) { return AuditScorecard(c); }});
    Add({"POST", v1 + "/audit/answers", "Answer a scorecard criterion (dated now)", "audit",
         Access::kSignedIn, std::nullopt, "AuditAnswer", 201, false,
         [this](Context& c) { return AuditAnswer(c); }});
    Add({"POST", v1 + "/audit/actions",
         "Plan an action on a finding: a task for the owner, linked to the criterion", "audit",
         Access::kSignedIn, std::nullopt, "AuditAction", 201, false,
         [this](Context& c) { return AuditAction(c); }});
    Add({"GET", v1 + "/audit/runs", "Saved audit runs, newest first", "audit", Access::kSignedIn,
         std::nullopt, "", 200, false, [this](Context& c) {
           auto scopes = service::ReadableRunScopes(store, *c.principal);
           Result<json> runs = service::AuditRunsJson(store, scopes ? &*scopes : nullptr);
           if (!runs.ok()) return FromStatus(runs.status());
           return http::Response::Json(200, Dump(json{{"items", *runs}}));
         }});
    Add({"POST", v1 + "/audit/runs", "Save the audit of the signed-in user's scope as a run",
         "audit", Access::kSignedIn, std::nullopt, "AuditRunRequest", 201, false,
         [this](Context& c) { return SaveAuditRun(c); }});
    Add({"GET", v1 + "/audit/runs/{id}", "A saved run's report", "audit", Access::kSignedIn,
         std::nullopt, "", 200, false, [this](Context& c) { return AuditRun(c); }});
    Add({"GET", v1 + "/audit/compare", "How items moved between two saved runs", "audit",
         Access::kSignedIn, std::nullopt, "", 200, false,
         [this](Context& c) { return CompareRuns(c); }});
  }

  Result<std::shared_ptr<const service::ForecastData>> ForecastDataNow() {
    SB_ASSIGN_OR_RETURN(uint64_t version, store.DataVersion());
    std::lock_guard lock(forecast_mutex);
    if (forecast_data && forecast_version == version) return forecast_data;
    SB_ASSIGN_OR_RETURN(service::ForecastData data, service::LoadForecastData(store));
    forecast_data = std::make_shared<const service::ForecastData>(std::move(data));
    forecast_version = version;
    forecast_models.clear();
    return forecast_data;
  }

  // The model trained on `data` as of `as_of`, kept while the data is unchanged (two days).
  Result<std::shared_ptr<const service::ForecastModel>> ForecastModelFor(
      const std::shared_ptr<const service::ForecastData>& data, Date as_of) {
    {
      std::lock_guard lock(forecast_mutex);
      if (data == forecast_data) {
        auto it = forecast_models.find(as_of);
        if (it != forecast_models.end()) return it->second;
      }
    }
    service::TrainOptions options;
    options.cutoff = service::internal::ToDay(as_of);
    SB_ASSIGN_OR_RETURN(service::ForecastModel model, service::TrainForecast(*data, options));
    auto shared = std::make_shared<const service::ForecastModel>(std::move(model));
    std::lock_guard lock(forecast_mutex);
    if (data == forecast_data) {
      if (forecast_models.size() >= 2) forecast_models.erase(forecast_models.begin());
      forecast_models[as_of] = shared;
    }
    return shared;
  }

  // The forecast of a period for what the user may see (docs/api.md).
  http::Response Forecast(Context& c) {
    if (c.principal->role == Role::kMarketing) {
      return ErrorResponse(403, "forbidden", "the forecast is for sales reps and their managers");
    }
    service::ForecastRequest request;
    request.viewer = &*c.principal;
    request.locale = analytics::audit::kLocales[static_cast<size_t>(LocaleOf(c))];
    Result<Date> as_of = AsOfParam(c);
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
    for (auto [name, target, hi] :
         {std::tuple<const char*, int64_t*, int64_t>{"limit", &limit, 500},
          {"offset", &offset, INT64_MAX}}) {
      if (auto text = Param(c, name)) {
        int64_t value = 0;
        auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
        if (ec != std::errc() || end != text->data() + text->size() || value < (*name == 'l') ||
            value > hi) {
          return ErrorResponse(400, "bad_request",
                               std::string(name) + ": \"" + *text + "\" is out of range", name);
        }
        *target = value;
      }
    }
    Result<std::shared_ptr<const service::ForecastData>> data = ForecastDataNow();
    if (!data.ok()) return FromStatus(data.status());
    Result<std::shared_ptr<const service::ForecastModel>> model =
        ForecastModelFor(*data, request.as_of);
    if (!model.ok()) return FromStatus(model.status(), 400);
    request.model = model->get();
    Result<service::Forecast> forecast = service::RunForecast(**data, request);
    if (!forecast.ok()) return FromStatus(forecast.status(), 400);
    return http::Response::Json(200, Dump(service::ForecastJson(**data, *forecast, limit, offset)));
  }

  http::Response Snapshots(Context& c) {
    if (c.principal->role == Role::kMarketing) {
      return ErrorResponse(403, "forbidden", "the forecast is for sales reps and their managers");
    }
    Result<std::shared_ptr<const service::ForecastData>> data = ForecastDataNow();
    if (!data.ok()) return FromStatus(data.status());
    Result<json> list = service::ForecastSnapshotsJson(store, **data, &*c.principal);
    if (!list.ok()) return FromStatus(list.status());
    return http::Response::Json(200, Dump(*list));
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
    Result<std::shared_ptr<const service::ForecastData>> data = ForecastDataNow();
    if (!data.ok()) return FromStatus(data.status());
    Result<ForecastSnapshot> snapshot = service::TakeForecastSnapshot(
        store, **data, as_of, period, c.principal->user_id, clock.Now());
    if (!snapshot.ok()) return FromStatus(snapshot.status());
    Result<json> out = service::ForecastSnapshotJson(*snapshot, **data, &*c.principal);
    if (!out.ok()) return FromStatus(out.status());
    return http::Response::Json(201, Dump(*out));
  }

  http::Response Moved(Context& c) {
    if (c.principal->role == Role::kMarketing) {
      return ErrorResponse(403, "forbidden", "the forecast is for sales reps and their managers");
    }
    Result<int64_t> from = PositiveParam(c, "from");
    if (!from.ok()) return FromStatus(from.status(), 400);
    Result<int64_t> to = PositiveParam(c, "to");
    if (!to.ok()) return FromStatus(to.status(), 400);
    Result<std::shared_ptr<const service::ForecastData>> data = ForecastDataNow();
    if (!data.ok()) return FromStatus(data.status());
    Result<json> moved = service::MovedJson(store, **data, ForecastSnapshotId{*from},
                                            ForecastSnapshotId{*to}, &*c.principal);
    if (!moved.ok()) return FromStatus(moved.status(), 400);
    return http::Response::Json(200, Dump(*moved));
  }

  http::Response Backtest(Context& c) {
    if (c.principal->role == Role::kRep || c.principal->role == Role::kMarketing) {
      return ErrorResponse(403, "forbidden", "the backtest is for managers and up");
    }
    Result<Date> as_of = AsOfParam(c);
    if (!as_of.ok()) return FromStatus(as_of.status(), 400);
    std::optional<Date> cutoff;
    if (auto text = Param(c, "cutoff")) {
      Result<Date> parsed = ParseIsoDate(*text);
      if (!parsed.ok())
        return ErrorResponse(400, "bad_request", "cutoff: " + parsed.status().message(), "cutoff");
      cutoff = *parsed;
    }
    Result<std::shared_ptr<const service::ForecastData>> data = ForecastDataNow();
    if (!data.ok()) return FromStatus(data.status());
    Result<service::Backtest> backtest = service::RunBacktest(**data, *as_of, cutoff);
    if (!backtest.ok()) return FromStatus(backtest.status(), 400);
    return http::Response::Json(200, Dump(service::BacktestJson(*backtest)));
  }

  Result<std::shared_ptr<const service::AuditData>> AuditDataFor(Date as_of) {
    SB_ASSIGN_OR_RETURN(uint64_t version, store.DataVersion());
    std::lock_guard lock(audit_mutex);
    for (const AuditFacts& facts : audit_facts) {
      if (facts.as_of == as_of && facts.version == version) return facts.data;
    }
    SB_ASSIGN_OR_RETURN(std::shared_ptr<const service::AuditData> data,
                        service::LoadAuditData(store, as_of));
    std::erase_if(audit_facts, [version](const AuditFacts& f) { return f.version != version; });
    if (audit_facts.size() >= 2)
      audit_facts.erase(audit_facts.begin());  // ~300 MB each at --scale 100
    audit_facts.push_back(AuditFacts{as_of, version, data});
    return data;
  }

  static std::optional<std::string> Param(const Context& c, std::string_view name) {
    for (auto& [key, value] : c.request.QueryParams()) {
      if (key == name) return value;
    }
    return std::nullopt;
  }

  static Result<int64_t> PositiveParam(const Context& c, std::string_view name) {
    std::optional<std::string> text = Param(c, name);
    if (!text)
      return Status::InvalidArgument(std::string(name) + ": missing").WithField(std::string(name));
    int64_t value = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end != text->data() + text->size() || value <= 0) {
      return Status::InvalidArgument(std::string(name) + ": \"" + *text + "\" is not a positive id")
          .WithField(std::string(name));
    }
    return value;
  }

  // The request's as_of: a date up to today; today when absent.
  Result<Date> AsOfParam(const Context& c) {
    const Date today = ToDate(clock.Now());
    auto text = Param(c, "as_of");
    if (!text) return today;
    Result<Date> parsed = ParseIsoDate(*text);
    if (!parsed.ok()) {
      return Status::InvalidArgument("as_of: " + parsed.status().message()).WithField("as_of");
    }
    if (*parsed > today) {
      return Status::InvalidArgument("as_of: " + *text + " is in the future").WithField("as_of");
    }
    return *parsed;
  }

  // The audit for the request's as_of, team_id and rep_id, within what the user may see.
  Result<service::AuditOutcome> AuditFor(const Context& c) {
    SB_ASSIGN_OR_RETURN(const Date as_of, AsOfParam(c));
    service::AuditScope scope;
    scope.viewer = &*c.principal;
    if (Param(c, "team_id")) {
      SB_ASSIGN_OR_RETURN(int64_t team, PositiveParam(c, "team_id"));
      scope.team_id = team;
    }
    if (Param(c, "rep_id")) {
      SB_ASSIGN_OR_RETURN(int64_t rep, PositiveParam(c, "rep_id"));
      scope.rep_id = rep;
    }
    SB_ASSIGN_OR_RETURN(std::string label, service::ScopeLabel(store, scope));
    if (!scope.team_id && !scope.rep_id) label = DefaultScopeLabel(*c.principal);
    SB_ASSIGN_OR_RETURN(std::shared_ptr<const service::AuditData> data, AuditDataFor(as_of));
    return service::RunAudit(store, data, scope, label);
  }

  // What the user's own audit is called when no team or rep is asked for: a rep's own items,
  // a manager's team, everything for executives and admins.
  std::string DefaultScopeLabel(const Principal& p) {
    if (p.role == Role::kRep) return "rep:" + p.email;
    if (p.role == Role::kManager && p.team_id) {
      Result<Team> team = store.teams().Get(*p.team_id);
      if (team.ok()) return "team:" + team->name;
    }
    return "company";
  }

  static int LocaleOf(const Context& c) {
    if (auto locale = Param(c, "locale")) return analytics::audit::LocaleIndex(*locale);
    return analytics::audit::LocaleIndex(c.principal->locale);
  }

  http::Response AuditReport(Context& c) {
    Result<service::AuditOutcome> outcome = AuditFor(c);
    if (!outcome.ok()) return FromStatus(outcome.status(), 400);
    const service::AuditData& d = *outcome->data;
    json out = analytics::audit::ReportJson(d.input, outcome->items, d.labels, outcome->report,
                                            LocaleOf(c), /*with_items=*/false);
    out["playbooks"] = d.playbooks.label();
    return http::Response::Json(200, Dump(out));
  }

  http::Response AuditItems(Context& c) {
    service::ItemPage page;
    if (auto colour = Param(c, "colour")) {
      if (*colour != "green" && *colour != "yellow" && *colour != "red") {
        return ErrorResponse(400, "bad_request", "colour: must be green, yellow or red", "colour");
      }
      page.colour = *colour;
    }
    if (auto type = Param(c, "subject_type")) {
      Result<SubjectType> parsed = ParseEnum<SubjectType>(*type);
      if (!parsed.ok())
        return ErrorResponse(400, "bad_request", parsed.status().message(), "subject_type");
      page.subject_type = *parsed;
    }
    if (auto area = Param(c, "area")) page.area = *area;
    for (auto [name, target, hi] :
         {std::tuple<const char*, int64_t*, int64_t>{"limit", &page.limit, 500},
          {"offset", &page.offset, INT64_MAX}}) {
      if (auto text = Param(c, name)) {
        int64_t value = 0;
        auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
        if (ec != std::errc() || end != text->data() + text->size() || value < 0 || value > hi ||
            (std::string_view(name) == "limit" && value == 0)) {
          return ErrorResponse(400, "bad_request",
                               std::string(name) + ": \"" + *text + "\" is out of range", name);
        }
        *target = value;
      }
    }
    Result<service::AuditOutcome> outcome = AuditFor(c);
    if (!outcome.ok()) return FromStatus(outcome.status(), 400);
    return http::Response::Json(200, Dump(service::AuditItemsJson(*outcome, page, LocaleOf(c))));
  }

  http::Response AuditScorecard(Context& c) {
    const std::optional<std::string> type_text = Param(c, "subject_type");
    Result<SubjectType> type = ParseEnum<SubjectType>(type_text.value_or(""));
    if (!type.ok()) {
      return ErrorResponse(400, "bad_request", "subject_type: must be opportunity or account",
                           "subject_type");
    }
    Result<int64_t> id = PositiveParam(c, "id");
    if (!id.ok()) return FromStatus(id.status(), 400);
    Result<service::AuditOutcome> outcome = AuditFor(c);
    if (!outcome.ok()) return FromStatus(outcome.status(), 400);
    Result<json> card = service::ScorecardJson(store, *outcome, *type, *id, LocaleOf(c));
    if (!card.ok()) return FromStatus(card.status());
    return http::Response::Json(200, Dump(*card));
  }

  // Checks that `body` is an object with only `allowed` keys, each of the given JSON type.
  static std::optional<http::Response> CheckFields(
      const json& body, std::initializer_list<std::pair<const char*, json::value_t>> allowed,
      std::initializer_list<const char*> required) {
    if (!body.is_object())
      return ErrorResponse(400, "bad_request", "the body must be a JSON object");
    for (auto it = body.begin(); it != body.end(); ++it) {
      bool known = false;
      for (const auto& [name, type] : allowed) {
        if (it.key() != name) continue;
        known = true;
        const bool ok = it->is_null() || it->type() == type ||
                        (type == json::value_t::number_integer && it->is_number_unsigned());
        if (!ok) {
          return ErrorResponse(
              400, "bad_request",
              it.key() + ": must be " + (type == json::value_t::string ? "a string" : "an integer"),
              it.key());
        }
      }
      if (!known) return ErrorResponse(400, "bad_request", it.key() + ": unknown field", it.key());
    }
    for (const char* name : required) {
      if (!body.contains(name) || body[name].is_null()) {
        return ErrorResponse(422, "invalid", std::string(name) + ": required", name);
      }
    }
    return std::nullopt;
  }

  http::Response AuditAnswer(Context& c) {
    using V = json::value_t;
    if (auto bad = CheckFields(c.body,
                               {{"subject_type", V::string},
                                {"subject_id", V::number_integer},
                                {"criterion_id", V::string},
                                {"answer", V::string},
                                {"note", V::string}},
                               {"subject_type", "subject_id", "criterion_id", "answer"})) {
      return *bad;
    }
    service::AnswerRequest request;
    Result<SubjectType> type = ParseEnum<SubjectType>(c.body["subject_type"].get<std::string>());
    if (!type.ok()) return ErrorResponse(422, "invalid", type.status().message(), "subject_type");
    request.subject_type = *type;
    request.subject_id = c.body["subject_id"].get<int64_t>();
    request.criterion_id = c.body["criterion_id"].get<std::string>();
    Result<Answer> answer = ParseEnum<Answer>(c.body["answer"].get<std::string>());
    if (!answer.ok()) return ErrorResponse(422, "invalid", answer.status().message(), "answer");
    request.answer = *answer;
    if (c.body.contains("note") && c.body["note"].is_string()) request.note = c.body["note"];
    Result<ScorecardAnswer> stored =
        service::RecordAnswer(store, *c.principal, request, clock.Now());
    if (!stored.ok()) return FromStatus(stored.status());
    return http::Response::Json(
        201, Dump(json{{"id", stored->id.value},
                       {"subject_type", std::string(ToString(stored->subject_type))},
                       {"subject_id", stored->subject_id},
                       {"criterion_id", stored->criterion_id},
                       {"answer", std::string(ToString(stored->answer))},
                       {"note", stored->note},
                       {"answered_by",
                        stored->answered_by ? json(stored->answered_by->value) : json(nullptr)},
                       {"answered_at", FormatTimestamp(stored->answered_at)}}));
  }

  http::Response AuditAction(Context& c) {
    using V = json::value_t;
    if (auto bad = CheckFields(c.body,
                               {{"subject_type", V::string},
                                {"subject_id", V::number_integer},
                                {"criterion_id", V::string},
                                {"owner_id", V::number_integer},
                                {"due", V::string},
                                {"note", V::string},
                                {"run_id", V::number_integer}},
                               {"subject_type", "subject_id", "due"})) {
      return *bad;
    }
    service::ActionRequest request;
    Result<SubjectType> type = ParseEnum<SubjectType>(c.body["subject_type"].get<std::string>());
    if (!type.ok()) return ErrorResponse(422, "invalid", type.status().message(), "subject_type");
    request.subject_type = *type;
    request.subject_id = c.body["subject_id"].get<int64_t>();
    if (c.body.contains("criterion_id") && c.body["criterion_id"].is_string()) {
      request.criterion_id = c.body["criterion_id"];
    }
    if (c.body.contains("owner_id") && c.body["owner_id"].is_number()) {
      request.owner_id = c.body["owner_id"].get<int64_t>();
    }
    Result<Date> due = ParseIsoDate(c.body["due"].get<std::string>());
    if (!due.ok()) return ErrorResponse(422, "invalid", "due: " + due.status().message(), "due");
    request.due = *due;
    if (c.body.contains("note") && c.body["note"].is_string()) request.note = c.body["note"];
    if (c.body.contains("run_id") && c.body["run_id"].is_number()) {
      request.run_id = c.body["run_id"].get<int64_t>();
    }
    Result<ActionItem> item = service::CreateAction(store, *c.principal, request, clock.Now());
    if (!item.ok()) return FromStatus(item.status());
    return http::Response::Json(
        201, Dump(json{{"id", item->id.value},
                       {"activity_id", item->activity_id.value},
                       {"subject_type", std::string(ToString(item->subject_type))},
                       {"subject_id", item->subject_id},
                       {"criterion_id", item->criterion_id},
                       {"created_at", FormatTimestamp(item->created_at)}}));
  }

  http::Response SaveAuditRun(Context& c) {
    using V = json::value_t;
    if (auto bad = CheckFields(c.body, {{"as_of", V::string}}, {})) return *bad;
    if (c.principal->role == Role::kRep || c.principal->role == Role::kMarketing) {
      return ErrorResponse(403, "forbidden", "saving audit runs is for managers and executives");
    }
    // The body's as_of, if any, becomes the query's.
    http::Request copy = c.request;
    if (c.body.contains("as_of") && c.body["as_of"].is_string()) {
      copy.query = "as_of=" + c.body["as_of"].get<std::string>();
    } else {
      copy.query.clear();
    }
    Context run_context{copy, c.principal, c.csrf_token, 0, nullptr};
    Result<service::AuditOutcome> outcome = AuditFor(run_context);
    if (!outcome.ok()) return FromStatus(outcome.status());
    Result<::salesbox::AuditRun> run =
        service::SaveRun(store, *outcome, c.principal->user_id, clock.Now());
    if (!run.ok()) return FromStatus(run.status());
    return http::Response::Json(201, Dump(json{{"id", run->id.value},
                                               {"as_of", FormatDate(run->as_of)},
                                               {"scope", run->scope},
                                               {"items", run->items},
                                               {"green", run->green},
                                               {"yellow", run->yellow},
                                               {"red", run->red}}));
  }

  // kNotFound unless the user may read the run.
  Result<::salesbox::AuditRun> ReadableRun(const Principal& principal, int64_t id) {
    Result<::salesbox::AuditRun> run = store.audit_runs().Get(AuditRunId{id});
    const Status missing = Status::NotFound("audit run " + std::to_string(id) + " does not exist");
    if (!run.ok()) return missing;
    auto scopes = service::ReadableRunScopes(store, principal);
    if (scopes && std::find(scopes->begin(), scopes->end(), run->scope) == scopes->end()) {
      return missing;
    }
    return run;
  }

  http::Response AuditRun(Context& c) {
    Result<::salesbox::AuditRun> run = ReadableRun(*c.principal, c.id);
    if (!run.ok()) return FromStatus(run.status());
    json report = json::parse(run->report, nullptr, false);
    if (report.is_object()) report.erase("items");
    report["id"] = run->id.value;
    report["created_at"] = FormatTimestamp(run->created_at);
    return http::Response::Json(200, Dump(report));
  }

  http::Response CompareRuns(Context& c) {
    Result<int64_t> from = PositiveParam(c, "from");
    if (!from.ok()) return FromStatus(from.status(), 400);
    Result<int64_t> to = PositiveParam(c, "to");
    if (!to.ok()) return FromStatus(to.status(), 400);
    for (int64_t id : {*from, *to}) {
      Result<::salesbox::AuditRun> run = ReadableRun(*c.principal, id);
      if (!run.ok()) return FromStatus(run.status());
    }
    Result<::salesbox::AuditRun> later = store.audit_runs().Get(AuditRunId{*to});
    Result<std::shared_ptr<const service::AuditData>> names =
        AuditDataFor(later.ok() ? later->as_of : ToDate(clock.Now()));
    Result<json> out =
        service::CompareRunsJson(store, *from, *to, names.ok() ? names->get() : nullptr);
    if (!out.ok()) return FromStatus(out.status());
    return http::Response::Json(200, Dump(*out));
  }

  http::Response Handle(const http::Request& request) {
    http::Response response = Dispatch(request);
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
  }

  http::Response Dispatch(const http::Request& request) {
    const Route* route = nullptr;
    int64_t id = 0;
    std::vector<std::string> allowed;
    for (const Route& r : routes) {
      int64_t matched_id = 0;
      if (!Matches(r.pattern, request.path, &matched_id)) continue;
      const bool head_as_get = request.method == "HEAD" && r.method == "GET";
      if (r.method == request.method || head_as_get) {
        route = &r;
        id = matched_id;
        break;
      }
      allowed.push_back(r.method);
    }
    if (route == nullptr) {
      if (!allowed.empty()) {
        std::string allow;
        for (const std::string& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
        http::Response r = ErrorResponse(405, "method_not_allowed",
                                         request.method + " is not allowed here; use " + allow);
        r.headers.emplace_back("Allow", allow);
        r.route = request.method + " (not allowed)";
        return r;
      }
      http::Response r = ErrorResponse(404, "not_found", "no such API route: " + request.path);
      r.route = "not_found";
      return r;
    }
    http::Response response = Run(*route, request, id);
    response.route = route->method + " " + route->pattern;
    return response;
  }

  http::Response Run(const Route& route, const http::Request& request, int64_t id) {
    Context c{request, std::nullopt, "", id, nullptr};
    if (route.access == Access::kSignedIn) {
      const auto token = request.Cookie(kSessionCookie);
      if (!token) return ErrorResponse(401, "unauthenticated", "not signed in");
      Result<service::Authenticated> who = auth.Authenticate(*token);
      if (!who.ok()) return FromStatus(who.status());
      c.principal = who->principal;
      c.csrf_token = who->csrf_token;
      const bool changes = route.method != "GET";
      if (changes) {
        const std::string_view sent = request.Header("x-csrf-token");
        if (sent.size() != c.csrf_token.size() ||
            sodium_memcmp(sent.data(), c.csrf_token.data(), sent.size()) != 0) {
          return ErrorResponse(403, "csrf",
                               sent.empty() ? "the X-CSRF-Token header is missing"
                                            : "the X-CSRF-Token header is wrong");
        }
      }
    }
    if (route.method == "POST" || route.method == "PATCH" || route.method == "PUT") {
      if (request.body.empty()) {
        return ErrorResponse(400, "bad_request", "the request needs a JSON body");
      }
      c.body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
      if (c.body.is_discarded()) {
        // Parse again for the message: where the JSON breaks.
        try {
          json ignored = json::parse(request.body);
          (void)ignored;
        } catch (const json::parse_error& e) {
          return ErrorResponse(400, "bad_request", std::string("malformed JSON: ") + e.what());
        }
        return ErrorResponse(400, "bad_request", "malformed JSON");
      }
    }
    try {
      // The session's answer holds its own CSRF token: never shared between sessions.
      const bool cacheable = route.pattern != std::string(kPrefix) + "/session";
      if (route.method == "GET" && c.principal && cacheable) return CachedGet(route, c);
      return route.handler(c);
    } catch (const json::exception& e) {
      return ErrorResponse(400, "bad_request", e.what());
    }
  }

  // A signed-in GET: answered from the cache while the data is unchanged. The key holds the
  // user (what they may see), the minute (answers that depend on "now": overdue, today) and the
  // request target.
  http::Response CachedGet(const Route& route, Context& c) {
    Result<uint64_t> version = store.DataVersion();
    if (!version.ok()) return route.handler(c);
    const int64_t minute = clock.Now().time_since_epoch().count() / 60;
    std::string key = std::to_string(c.principal->user_id.value) + ' ' + std::to_string(minute) +
                      ' ' + c.request.path + '?' + c.request.query;
    if (std::optional<http::Response> hit = cache.Find(key, *version)) {
      hit->headers.emplace_back("X-Salesbox-Cache", "hit");
      return *std::move(hit);
    }
    std::promise<http::Response> promise;
    {
      std::unique_lock lock(inflight_mutex);
      auto it = inflight.find(key);
      if (it != inflight.end()) {
        std::shared_future<http::Response> pending = it->second;
        lock.unlock();
        return pending.get();
      }
      inflight.emplace(key, promise.get_future().share());
    }
    http::Response response;
    try {
      response = route.handler(c);
    } catch (...) {
      response = ErrorResponse(500, "internal", "an internal error occurred");
    }
    if (response.status == 200) cache.Put(key, *version, response);
    promise.set_value(response);
    {
      std::lock_guard lock(inflight_mutex);
      inflight.erase(key);
    }
    return response;
  }

  json BuildOpenApi() const;
};

json Api::Impl::BuildOpenApi() const {
  json doc = {{"openapi", "3.0.3"},
              {"info",
               {{"title", "salesbox API"},
                {"version", "1"},
                {"description", "The REST API of salesbox (docs/api.md)."}}}};
  json schemas = json::object();
  schemas["Error"] = {{"type", "object"},
                      {"required", {"error"}},
                      {"properties",
                       {{"error",
                         {{"type", "object"},
                          {"required", {"code", "message"}},
                          {"properties",
                           {{"code", {{"type", "string"}}},
                            {"message", {{"type", "string"}}},
                            {"field", {{"type", "string"}}}}}}}}}};
  schemas["SignIn"] = {
      {"type", "object"},
      {"required", {"email", "password"}},
      {"properties", {{"email", {{"type", "string"}}}, {"password", {{"type", "string"}}}}}};
  schemas["Preferences"] = {
      {"type", "object"},
      {"properties", {{"locale", {{"type", "string"}, {"enum", {"en", "da", "sv", "nb"}}}}}}};
  schemas["AuditAnswer"] = {
      {"type", "object"},
      {"required", {"subject_type", "subject_id", "criterion_id", "answer"}},
      {"properties",
       {{"subject_type", {{"type", "string"}, {"enum", {"opportunity", "account"}}}},
        {"subject_id", {{"type", "integer"}}},
        {"criterion_id", {{"type", "string"}}},
        {"answer", {{"type", "string"}, {"enum", {"yes", "no", "unknown"}}}},
        {"note", {{"type", "string"}}}}}};
  schemas["AuditAction"] = {
      {"type", "object"},
      {"required", {"subject_type", "subject_id", "due"}},
      {"properties",
       {{"subject_type", {{"type", "string"}, {"enum", {"opportunity", "account"}}}},
        {"subject_id", {{"type", "integer"}}},
        {"criterion_id", {{"type", "string"}}},
        {"owner_id", {{"type", "integer"}}},
        {"due", {{"type", "string"}, {"format", "date"}}},
        {"note", {{"type", "string"}}},
        {"run_id", {{"type", "integer"}}}}}};
  schemas["AuditRunRequest"] = {
      {"type", "object"}, {"properties", {{"as_of", {{"type", "string"}, {"format", "date"}}}}}};
  schemas["Shares"] = {
      {"type", "object"},
      {"required", {"user_ids"}},
      {"properties", {{"user_ids", {{"type", "array"}, {"items", {{"type", "integer"}}}}}}}};
  for (Kind kind : service::ApiKinds()) {
    const KindInfo& info = DescribeKind(kind);
    json properties = json::object();
    json required = json::array();
    for (const FieldInfo& f : info.fields) {
      json p = {{"type", TypeName(f.type)}, {"nullable", true}};
      if (f.read_only) p["readOnly"] = true;
      if (f.write_only) p["writeOnly"] = true;
      properties[f.name] = p;
      if (f.required) required.push_back(f.name);
    }
    json schema = {{"type", "object"}, {"properties", properties}};
    if (!required.empty()) schema["required"] = required;
    schemas[std::string(info.path)] = schema;
  }
  doc["components"] = {
      {"schemas", schemas},
      {"securitySchemes",
       {{"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", kSessionCookie}}},
        {"csrf", {{"type", "apiKey"}, {"in", "header"}, {"name", "X-CSRF-Token"}}}}}};

  const auto error = [](const char* description) {
    return json{{"description", description},
                {"content",
                 {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
  };
  json paths = json::object();
  for (const Route& r : routes) {
    std::string method = r.method;
    for (char& ch : method) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    json op = {{"summary", r.summary}, {"tags", {r.tag}}};
    json parameters = json::array();
    if (r.pattern.find("{id}") != std::string::npos) {
      parameters.push_back({{"name", "id"},
                            {"in", "path"},
                            {"required", true},
                            {"schema", {{"type", "integer"}, {"minimum", 1}}}});
    }
    if (r.list && r.kind) {
      const KindInfo& info = DescribeKind(*r.kind);
      parameters.push_back({{"name", "limit"},
                            {"in", "query"},
                            {"schema", {{"type", "integer"}, {"minimum", 1}, {"maximum", 500}}}});
      parameters.push_back(
          {{"name", "offset"}, {"in", "query"}, {"schema", {{"type", "integer"}, {"minimum", 0}}}});
      json sorts = json::array();
      for (const std::string& s : info.sorts) {
        sorts.push_back(s);
        sorts.push_back("-" + s);
      }
      parameters.push_back(
          {{"name", "sort"}, {"in", "query"}, {"schema", {{"type", "string"}, {"enum", sorts}}}});
      if (info.searchable) {
        parameters.push_back({{"name", "q"}, {"in", "query"}, {"schema", {{"type", "string"}}}});
      }
      if (!info.date_field.empty()) {
        for (const char* bound : {"from", "to"}) {
          parameters.push_back({{"name", bound},
                                {"in", "query"},
                                {"description", "bounds " + info.date_field + " (inclusive)"},
                                {"schema", {{"type", "string"}, {"format", "date"}}}});
        }
      }
      for (const std::string& f : info.filters) {
        parameters.push_back({{"name", f},
                              {"in", "query"},
                              {"description", "equals; comma-separated values mean any of"},
                              {"schema", {{"type", "string"}}}});
      }
    }
    if (r.pattern == std::string(kPrefix) + "/audit-log") {
      for (const char* name : {"entity", "entity_id", "limit", "offset"}) {
        parameters.push_back(
            {{"name", name},
             {"in", "query"},
             {"schema", {{"type", std::string_view(name) == "entity" ? "string" : "integer"}}}});
      }
    }
    if (!parameters.empty()) op["parameters"] = parameters;
    if (!r.request_schema.empty()) {
      op["requestBody"] = {
          {"required", true},
          {"content",
           {{"application/json",
             {{"schema", {{"$ref", "#/components/schemas/" + r.request_schema}}}}}}}};
    }
    json responses = json::object();
    json ok = {{"description", "success"}};
    if (r.success != 204) {
      json schema = {{"type", "object"}};
      if (r.kind) {
        const json item = {
            {"$ref", "#/components/schemas/" + std::string(DescribeKind(*r.kind).path)}};
        schema = r.list ? json{{"type", "object"},
                               {"properties",
                                {{"items", {{"type", "array"}, {"items", item}}},
                                 {"total", {{"type", "integer"}}},
                                 {"limit", {{"type", "integer"}}},
                                 {"offset", {{"type", "integer"}}}}}}
                        : item;
      }
      ok["content"] = {{"application/json", {{"schema", schema}}}};
    }
    responses[std::to_string(r.success)] = ok;
    responses["400"] = error("malformed request");
    if (r.access == Access::kSignedIn) {
      responses["401"] = error("not signed in");
      responses["403"] = error("not allowed, or CSRF token missing");
      op["security"] = r.method == "GET"
                           ? json::array({{{"session", json::array()}}})
                           : json::array({{{"session", json::array()}, {"csrf", json::array()}}});
    }
    if (r.pattern.find("{id}") != std::string::npos) responses["404"] = error("no such record");
    if (r.method == "PATCH" || r.method == "DELETE" || r.method == "POST") {
      responses["409"] = error("stale version, duplicate key or still referenced");
    }
    if (!r.request_schema.empty()) {
      responses["413"] = error("body too large");
      responses["422"] = error("a value breaks a rule");
    }
    if (r.pattern == std::string(kPrefix) + "/session" && r.method == "POST") {
      responses["401"] = error("wrong e-mail or password");
      responses["429"] = error("too many failed attempts");
    }
    op["responses"] = responses;
    paths[r.pattern][method] = op;
  }
  doc["paths"] = paths;
  return doc;
}

Api::Api(storage::Store& store, const Clock& clock, service::AuthService& auth)
    : impl_(std::make_unique<Impl>(store, clock, auth)) {}

Api::~Api() = default;

http::Response Api::Handle(const http::Request& request) { return impl_->Handle(request); }

const json& Api::OpenApi() const { return impl_->openapi; }

}  // namespace salesbox::api

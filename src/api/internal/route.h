// SPDX-License-Identifier: MIT
// Private to api/: what a route is (method, pattern, what the OpenAPI document says of it, its
// handler), the table every feature adds its routes to, and what a handler is given.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/time.h"
#include "http/message.h"
#include "service/auth.h"
#include "service/facts/live_facts.h"
#include "service/record_service.h"
#include "storage/store.h"

namespace salesbox::api::internal {

// Every route's pattern starts with this.
inline constexpr std::string_view kPrefix = "/api/v1";

// One request as a handler sees it, after the session, CSRF and body checks.
struct Context {
  const http::Request& request;
  std::optional<service::Principal> principal;  // set unless the route is public
  std::string csrf_token;
  int64_t id = 0;       // the {id} path segment
  nlohmann::json body;  // parsed for POST/PATCH/PUT
  // For routes that read the live facts (Route::facts): the snapshot this answer is made from,
  // fresh enough for this user's own writes; null without a live fact model.
  std::shared_ptr<const service::facts::FactSnapshot> facts = nullptr;
};

using HandlerFn = std::function<http::Response(Context&)>;

enum class Access { kPublic, kSignedIn };

// A query parameter the OpenAPI document lists for a route.
struct QueryParam {
  std::string name;
  std::string type;  // "string", "integer"
};

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/accounts/{id}"
  std::string summary;
  std::string tag;
  Access access = Access::kSignedIn;
  std::optional<service::Kind> kind;  // the record kind of body/response, if any
  std::string request_schema;         // components/schemas name of the body; empty: none
  int success = 200;
  bool list = false;  // takes the list query parameters of `kind`
  HandlerFn handler;
  // Set after Add, where a route needs them:
  std::vector<QueryParam> query = {};                    // further documented query parameters
  std::vector<std::pair<int, std::string>> errors = {};  // documented error answers (last word)
  bool cached = true;  // a signed-in GET may be answered from the response cache
  bool facts = false;  // reads the live fact model (Context::facts)
  // A page everyone keeps open (dashboards, the audit, the forecast): an answer made up to this
  // long ago is given again to users who have not written since, instead of making it anew
  // after every write anyone makes. 0: always the newest.
  std::chrono::milliseconds settle{0};

  // Reads the live facts and settles (a page of the audit or the forecast).
  void Live();
};

// How long a page everyone keeps open may give the same answer after a write by someone else
// (Route::settle): the freshness users feel (others' writes within a second) stays, and a busy
// company's writes do not remake every open dashboard several times a second.
inline constexpr std::chrono::milliseconds kSettle{500};
// The home dashboard's counts and sums, read from the store (not the live facts) at some cost:
// others' writes show within a few seconds (the writer's own at once).
inline constexpr std::chrono::milliseconds kDashboardSettle{3000};

inline void Route::Live() {
  facts = true;
  settle = kSettle;
}

// Every route, in the order dispatch tries them, and the request-body schemas they name.
struct RouteTable {
  std::vector<Route> routes;
  nlohmann::json schemas = nlohmann::json::object();  // components/schemas, by name

  // Adds `route`; the reference is for setting its optional fields and is valid until the next Add.
  Route& Add(Route route) { return routes.emplace_back(std::move(route)); }
  void AddSchema(const std::string& name, nlohmann::json schema) {
    schemas[name] = std::move(schema);
  }
};

// What every feature's handlers may use; all of it outlives the routes.
struct ApiContext {
  storage::Store& store;
  const Clock& clock;
  service::AuthService& auth;
};

// The day's live facts in `c` when they answer for `as_of`, else null (the route then gathers
// the facts of that day itself).
inline const service::facts::FactSnapshot* LiveFactsFor(const Context& c, Date as_of) {
  return c.facts != nullptr && c.facts->day == as_of ? c.facts.get() : nullptr;
}

}  // namespace salesbox::api::internal

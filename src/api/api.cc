// SPDX-License-Identifier: MIT
// The API's core: the route table (each feature adds its routes, routes/*.cc), dispatch by
// method and pattern, the session and CSRF checks, JSON bodies, and the cache of GET answers.
#include "api/api.h"

#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <future>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/internal/openapi.h"
#include "api/internal/reply.h"
#include "api/internal/route.h"
#include "api/response_cache.h"
#include "api/routes/routes.h"

namespace salesbox::api {
namespace {

using internal::Access;
using internal::Context;
using internal::ErrorResponse;
using internal::Route;
using nlohmann::json;

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

}  // namespace

struct Api::Impl {
  storage::Store& store;
  const Clock& clock;
  service::AuthService& auth;
  service::facts::LiveFacts* live;  // null: routes gather their facts per request
  // Per user, the change feed position of their last write: what their next read of the facts
  // must reflect.
  std::mutex writes_mutex;
  std::unordered_map<int64_t, int64_t> last_write;
  // Per user and request target, the last answer made from the live facts: while the answer for
  // a newer snapshot is being made, other readers get this one instead of waiting (never the
  // writer, whose own write must show). Bounded by clearing when it grows past kMaxStale.
  struct StaleAnswer {
    int64_t feed_seq = 0;  // the change feed position the answer reflects (at least)
    std::chrono::steady_clock::time_point made;
    std::shared_ptr<const http::Response> response;  // copied outside the lock
  };
  static constexpr size_t kMaxStale = 10'000;
  std::mutex stale_mutex;
  std::unordered_map<std::string, StaleAnswer> stale;
  internal::RouteTable table;
  json openapi;
  ResponseCache cache;
  // Answers being computed, by cache key: when many connections ask the same thing at once
  // (400 dashboards after a write), one computes and the others wait for its answer.
  std::mutex inflight_mutex;
  std::unordered_map<std::string, std::shared_future<http::Response>> inflight;
  std::unordered_set<std::string> computing;  // settling targets being made (guarded as above)

  Impl(storage::Store& s, const Clock& c, service::AuthService& a, service::facts::LiveFacts* l)
      : store(s), clock(c), auth(a), live(l) {
    const internal::ApiContext ctx{store, clock, auth};
    internal::AddSessionRoutes(table, ctx);
    table.Add({"GET", std::string(internal::kPrefix) + "/openapi.json", "This document", "meta",
               Access::kPublic, std::nullopt, "", 200, false,
               [this](Context&) { return http::Response::Json(200, internal::Dump(openapi)); }});
    internal::AddHomeRoutes(table, ctx);
    internal::AddRecordRoutes(table, ctx);
    internal::AddAuditRoutes(table, ctx);
    internal::AddCustomerValueRoutes(table, ctx);
    internal::AddStrategyRoutes(table, ctx);
    internal::AddForecastRoutes(table, ctx);
    internal::AddDataQualityRoutes(table, ctx);
    openapi = internal::BuildOpenApi(table);
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
    for (const Route& r : table.routes) {
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
      if (!who.ok()) return internal::FromStatus(who.status());
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
        } catch (const json::exception& e) {
          // parse_error, and out_of_range for a number beyond a double ("1e400").
          return ErrorResponse(400, "bad_request", std::string("malformed JSON: ") + e.what());
        }
        return ErrorResponse(400, "bad_request", "malformed JSON");
      }
    }
    try {
      if (route.facts && live != nullptr && c.principal) {
        Result<std::shared_ptr<const service::facts::FactSnapshot>> facts =
            FactsFor(c.principal->user_id.value);
        if (!facts.ok()) return internal::FromStatus(facts.status());
        c.facts = std::move(*facts);
      }
      http::Response response = route.method == "GET" && c.principal && route.cached
                                    ? CachedGet(route, c)
                                    : route.handler(c);
      if (route.method != "GET" && response.status < 300 && c.principal) {
        Wrote(c.principal->user_id.value, &response);
      } else if (c.facts != nullptr && !HasHeader(response, "X-Salesbox-Data-Version")) {
        response.headers.emplace_back("X-Salesbox-Data-Version",
                                      std::to_string(c.facts->feed_seq));
      }
      return response;
    } catch (const json::exception& e) {
      return ErrorResponse(400, "bad_request", e.what());
    }
  }

  // After a write by `user`: the feed position their next read of the facts must reach, and a
  // nudge to the applier. The response says which data version the write made.
  void Wrote(int64_t user, http::Response* response) {
    if (live == nullptr) return;
    Result<int64_t> head = store.change_feed().Head();
    if (!head.ok()) return;
    {
      std::lock_guard lock(writes_mutex);
      int64_t& seq = last_write[user];
      seq = std::max(seq, *head);
    }
    live->Wake();
    response->headers.emplace_back("X-Salesbox-Data-Version", std::to_string(*head));
  }

  static bool HasHeader(const http::Response& response, std::string_view name) {
    for (const auto& [key, value] : response.headers) {
      if (key == name) return true;
    }
    return false;
  }

  // The last answer for `target` if it was made within `age` and `user` has not written since
  // (Route::settle).
  std::optional<http::Response> StaleFor(const std::string& target, int64_t user,
                                         std::chrono::steady_clock::duration age) {
    int64_t wrote = 0;
    {
      std::lock_guard lock(writes_mutex);
      if (auto it = last_write.find(user); it != last_write.end()) wrote = it->second;
    }
    std::shared_ptr<const http::Response> kept;
    int64_t reflects = 0;
    {
      std::lock_guard lock(stale_mutex);
      auto it = stale.find(target);
      if (it == stale.end() || it->second.feed_seq < wrote ||
          std::chrono::steady_clock::now() - it->second.made > age) {
        return std::nullopt;
      }
      kept = it->second.response;
      reflects = it->second.feed_seq;
    }
    http::Response response = *kept;
    response.headers.emplace_back("X-Salesbox-Cache", "previous");
    response.headers.emplace_back("X-Salesbox-Data-Version", std::to_string(reflects));
    return response;
  }

  // The newest snapshot, once it holds `user`'s own last write (waiting up to 5 s for it: a
  // delta takes milliseconds, a reload fallback longer).
  Result<std::shared_ptr<const service::facts::FactSnapshot>> FactsFor(int64_t user) {
    int64_t seq = 0;
    {
      std::lock_guard lock(writes_mutex);
      if (auto it = last_write.find(user); it != last_write.end()) seq = it->second;
    }
    return live->AtLeast(seq, std::chrono::seconds(5));
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
    // An answer made from the live facts is kept for the snapshot it was made from.
    if (c.facts != nullptr) key += " facts@" + std::to_string(c.facts->version);
    if (std::optional<http::Response> hit = cache.Find(key, *version)) {
      hit->headers.emplace_back("X-Salesbox-Cache", "hit");
      return *std::move(hit);
    }
    const std::string target = std::to_string(c.principal->user_id.value) + ' ' +
                               c.request.path + '?' + c.request.query;
    const bool settles = route.settle.count() > 0 && live != nullptr;
    if (settles) {
      if (std::optional<http::Response> recent =
              StaleFor(target, c.principal->user_id.value, route.settle)) {
        return *std::move(recent);
      }
    }
    // What the answer will reflect at least: the live snapshot's position, else the feed's now.
    int64_t reflects = c.facts != nullptr ? c.facts->feed_seq : 0;
    if (settles && c.facts == nullptr) {
      Result<int64_t> head = store.change_feed().Head();
      if (head.ok()) reflects = *head;
    }
    std::promise<http::Response> promise;
    bool computing_target = false;
    {
      std::unique_lock lock(inflight_mutex);
      auto it = inflight.find(key);
      // A page that settles is made by one request at a time per user and target, whatever
      // snapshot it is for; the others meanwhile get the previous answer (design: docs/api.md,
      // "Freshness"). Without one (or for the writer) they wait as for any other answer.
      const bool busy = it != inflight.end() || (settles && computing.contains(target));
      if (busy && settles) {
        lock.unlock();
        if (std::optional<http::Response> previous =
                StaleFor(target, c.principal->user_id.value, std::chrono::minutes(10))) {
          return *std::move(previous);
        }
        lock.lock();
        it = inflight.find(key);
      }
      if (it != inflight.end()) {
        std::shared_future<http::Response> pending = it->second;
        lock.unlock();
        return pending.get();
      }
      inflight.emplace(key, promise.get_future().share());
      if (settles) computing_target = computing.insert(target).second;
    }
    http::Response response;
    try {
      response = route.handler(c);
    } catch (...) {
      response = ErrorResponse(500, "internal", "an internal error occurred");
    }
    if (response.status == 200) cache.Put(key, *version, response);
    if (response.status == 200 && settles) {
      std::lock_guard lock(stale_mutex);
      if (stale.size() >= kMaxStale) stale.clear();
      StaleAnswer& kept = stale[target];
      if (reflects >= kept.feed_seq) {
        kept = StaleAnswer{reflects, std::chrono::steady_clock::now(),
                           std::make_shared<const http::Response>(response)};
      }
    }
    promise.set_value(response);
    {
      std::lock_guard lock(inflight_mutex);
      inflight.erase(key);
      if (computing_target) computing.erase(target);
    }
    return response;
  }
};

Api::Api(storage::Store& store, const Clock& clock, service::AuthService& auth,
         service::facts::LiveFacts* live)
    : impl_(std::make_unique<Impl>(store, clock, auth, live)) {}

Api::~Api() = default;

http::Response Api::Handle(const http::Request& request) { return impl_->Handle(request); }

const json& Api::OpenApi() const { return impl_->openapi; }

}  // namespace salesbox::api

// SPDX-License-Identifier: MIT
// Fuzz target: the JSON request decoders of every route. A small demo company (scale 0.02) in an
// in-memory store, the five demo logins signed in once; each input picks a login, a route from
// the OpenAPI document (every route the API answers), a method of it and a record id, and gives
// the rest as the query and the JSON body. The API must answer with its JSON error shape and
// never 500 ("bad input never crashes; API errors are 4xx JSON").
#include <sodium.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/api.h"
#include "common/time.h"
#include "demo/demo_company.h"
#include "service/auth.h"
#include "storage/open_store.h"

namespace {

using nlohmann::json;

class FixedClock : public salesbox::Clock {
 public:
  salesbox::Timestamp Now() const override {
    return salesbox::StartOf(salesbox::MakeDate(2025, 6, 2)) + std::chrono::hours(10);
  }
};

struct Route {
  std::string path;  // "/api/v1/accounts/{id}"
  std::string method;
};

struct Login {
  std::string cookie;
  std::string csrf;
};

struct World {
  std::unique_ptr<salesbox::storage::Store> store;
  FixedClock clock;
  std::unique_ptr<salesbox::service::AuthService> auth;
  std::unique_ptr<salesbox::api::Api> api;
  std::vector<Route> routes;
  std::vector<Login> logins;
};

void Fail(const std::string& what) {
  std::fprintf(stderr, "fuzz_api setup: %s\n", what.c_str());
  std::abort();
}

World& TheWorld() {
  static World* world = [] {
    auto* w = new World;
    auto store = salesbox::storage::OpenStore("sqlite::memory:");
    if (!store.ok()) Fail(store.status().ToString());
    w->store = std::move(*store);
    salesbox::demo::DemoOptions options;
    options.scale = 0.02;
    options.today = salesbox::MakeDate(2025, 6, 2);
    auto summary = salesbox::demo::GenerateDemoCompany(*w->store, options);
    if (!summary.ok()) Fail(summary.status().ToString());
    // One argon2id hash at the minimum cost for every user: sign-in is not what is fuzzed.
    if (sodium_init() < 0) Fail("sodium");
    char hash[crypto_pwhash_STRBYTES];
    const std::string password = "fuzz-password";
    if (crypto_pwhash_str_alg(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_MIN,
                              crypto_pwhash_MEMLIMIT_MIN, crypto_pwhash_ALG_ARGON2ID13) != 0) {
      Fail("hash");
    }
    if (!salesbox::service::SetAllPasswordHashes(*w->store, hash).ok()) Fail("passwords");
    w->auth = std::make_unique<salesbox::service::AuthService>(*w->store, w->clock);
    w->api = std::make_unique<salesbox::api::Api>(*w->store, w->clock, *w->auth);
    for (const auto& [path, item] : w->api->OpenApi().at("paths").items()) {
      for (const auto& [method, operation] : item.items()) {
        std::string upper = method;
        for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        w->routes.push_back({path, upper});
      }
    }
    for (const salesbox::demo::DemoLogin& login : summary->logins) {
      auto in = w->auth->SignIn(login.email, password, "127.0.0.1");
      if (!in.ok()) Fail(in.status().ToString());
      w->logins.push_back({std::string(salesbox::api::kSessionCookie) + "=" + in->token,
                           in->csrf_token});
    }
    return w;
  }();
  return *world;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 4) return 0;
  World& w = TheWorld();
  const Login& login = w.logins[data[0] % w.logins.size()];
  const Route& route = w.routes[data[1] % w.routes.size()];
  const int64_t id = data[2] < 250 ? data[2] % 80 + 1 : int64_t{1} << (data[2] - 190);
  const uint8_t flags = data[3];
  const std::string rest(reinterpret_cast<const char*>(data) + 4, size - 4);
  const size_t newline = rest.find('\n');

  salesbox::http::Request request;
  request.method = route.method;
  request.path = route.path;
  if (const size_t at = request.path.find("{id}"); at != std::string::npos) {
    request.path.replace(at, 4, std::to_string(id));
  }
  request.query = newline == std::string::npos ? "" : rest.substr(0, newline);
  request.body = newline == std::string::npos ? rest : rest.substr(newline + 1);
  request.remote_address = "127.0.0.1";
  request.headers.emplace_back("cookie", login.cookie);
  if (!(flags & 1)) request.headers.emplace_back("x-csrf-token", login.csrf);
  if (!(flags & 2)) request.headers.emplace_back("content-type", "application/json");
  const salesbox::http::Response response = w.api->Handle(request);
  if (response.status >= 500) {
    std::fprintf(stderr, "%s %s?%s -> %d %s\n", request.method.c_str(), request.path.c_str(),
                 request.query.c_str(), response.status, response.body.c_str());
    std::abort();
  }
  if (response.status >= 400) {
    const json body = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    if (!body.is_object() || !body.contains("error") || !body["error"].contains("code")) {
      std::fprintf(stderr, "not the JSON error shape: %d %s\n", response.status,
                   response.body.c_str());
      std::abort();
    }
  }
  return 0;
}

// SPDX-License-Identifier: MIT
// The REST API under /api/v1 (docs/api.md): routes requests to the services, signs users in
// and out, checks CSRF tokens and request bodies, and turns every failure into a JSON error
// with the right status. One route table drives both dispatch and the OpenAPI document, so the
// document cannot drift from what the server answers.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "common/time.h"
#include "http/message.h"
#include "service/auth.h"
#include "storage/store.h"

namespace salesbox::service::facts {
class LiveFacts;
}  // namespace salesbox::service::facts

namespace salesbox::api {

class Api {
 public:
  // `store`, `clock`, `auth` and `live` must outlive the Api. With `live` (started), the audit
  // and forecast routes answer from its snapshots: a user's own writes are in what they read
  // next, everyone else's within the applier's poll and one delta (docs/architecture.md).
  Api(storage::Store& store, const Clock& clock, service::AuthService& auth,
      service::facts::LiveFacts* live = nullptr);
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  // Answers one request whose path starts with /api/. Thread-safe.
  http::Response Handle(const http::Request& request);

  // The OpenAPI 3.0 document of every route.
  const nlohmann::json& OpenApi() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The session cookie's name.
inline constexpr const char* kSessionCookie = "sb_session";

}  // namespace salesbox::api

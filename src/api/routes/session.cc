// SPDX-License-Identifier: MIT
// The session routes: sign in (sets the session cookie), who is signed in with the CSRF token,
// the signed-in user's preferences, sign out.
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "api/api.h"
#include "api/internal/reply.h"
#include "api/routes/routes.h"
#include "common/status_macros.h"
#include "service/change_log.h"

namespace salesbox::api::internal {
namespace {

using nlohmann::json;
using service::Principal;

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

// The signed-in user with the session's CSRF token.
http::Response SessionJson(const Context& c, storage::Store& store) {
  return http::Response::Json(
      200, json{{"user", UserJson(*c.principal, store)}, {"csrf_token", c.csrf_token}}.dump());
}

// The session handlers and what they use.
struct Session {
  storage::Store& store;
  const Clock& clock;
  service::AuthService& auth;

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
    return SessionJson(c, store);
  }

  http::Response SignOut(Context& c) {
    const auto token = c.request.Cookie(kSessionCookie);
    if (token) {
      Status status = auth.SignOut(*token);
      if (!status.ok()) return FromStatus(status);
    }
    http::Response r = http::Response::Empty(204);
    r.headers.emplace_back("Set-Cookie", SessionCookie("", c.request.secure, true));
    return r;
  }
};

}  // namespace

void AddSessionRoutes(RouteTable& table, const ApiContext& ctx) {
  const std::string path = std::string(kPrefix) + "/session";
  auto session = std::make_shared<Session>(Session{ctx.store, ctx.clock, ctx.auth});
  Route& sign_in =
      table.Add({"POST", path, "Sign in", "session", Access::kPublic, std::nullopt, "SignIn", 200,
                 false, [session](Context& c) { return session->SignIn(c); }});
  sign_in.errors = {{401, "wrong e-mail or password"}, {429, "too many failed attempts"}};
  // The answer holds the session's own CSRF token: never shared between sessions.
  table
      .Add({"GET", path, "Who is signed in", "session", Access::kSignedIn, std::nullopt, "", 200,
            false, [session](Context& c) { return SessionJson(c, session->store); }})
      .cached = false;
  table.Add({"PATCH", path, "Change the signed-in user's preferences", "session", Access::kSignedIn,
             std::nullopt, "Preferences", 200, false,
             [session](Context& c) { return session->Preferences(c); }});
  table.Add({"DELETE", path, "Sign out", "session", Access::kSignedIn, std::nullopt, "", 204, false,
             [session](Context& c) { return session->SignOut(c); }});
  table.AddSchema(
      "SignIn",
      {{"type", "object"},
       {"required", {"email", "password"}},
       {"properties", {{"email", {{"type", "string"}}}, {"password", {{"type", "string"}}}}}});
  table.AddSchema(
      "Preferences",
      {{"type", "object"},
       {"properties", {{"locale", {{"type", "string"}, {"enum", {"en", "da", "sv", "nb"}}}}}}});
}

}  // namespace salesbox::api::internal

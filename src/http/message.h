// SPDX-License-Identifier: MIT
// HTTP requests and responses as plain values: what the server hands to the application and
// what the application answers. Nothing here knows about sockets or Boost, so the API layer and
// its tests use these types without the server.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace salesbox::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;  // "GET", "POST" ...
  std::string path;    // percent-decoded, without the query: "/api/v1/accounts/7"
  std::string query;   // raw, after '?', not decoded: "limit=50&sort=-name"
  Headers headers;     // names lower-case
  std::string body;
  std::string remote_address;  // peer IP, for throttling and logs
  bool secure = false;         // came over TLS (X-Forwarded-Proto: https behind a proxy)
  bool local = false;          // from a loopback peer, and no proxy forwarded it

  // The first header named `name` (lower-case), or empty.
  std::string_view Header(std::string_view name) const;
  // The value of cookie `name` from the Cookie header, or nullopt.
  std::optional<std::string> Cookie(std::string_view name) const;
  // Query parameters in order, percent- and '+'-decoded.
  std::vector<std::pair<std::string, std::string>> QueryParams() const;
};

struct Response {
  int status = 200;
  Headers headers;  // Content-Type is set by the helpers below
  std::string body;
  // A low-cardinality name of what answered ("GET /api/v1/accounts/{id}"), for /metrics.
  std::string route;

  // `body` as application/json.
  static Response Json(int status, std::string body);
  // `body` as text/plain; charset=utf-8.
  static Response Text(int status, std::string body);
  // No body and no Content-Type (204, 304 ...).
  static Response Empty(int status);
  // The error body every salesbox error uses (docs/api.md):
  // {"error":{"code":"<code>","message":"<message>"}}, both strings JSON-escaped.
  static Response Error(int status, std::string_view code, std::string_view message);
};

// The application: called on a server thread for every request the server does not answer
// itself (/healthz, /metrics, static files). Must be thread-safe.
using Handler = std::function<Response(const Request&)>;

// Percent-decodes `text` ('+' becomes ' ' when `plus_is_space`); nullopt for a bad escape.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);

}  // namespace salesbox::http

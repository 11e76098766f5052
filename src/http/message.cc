// SPDX-License-Identifier: MIT
// Request accessors (headers, cookies, query parameters), the Response helpers and
// PercentDecode. Parsing here is lenient where a browser is lenient (cookies, query strings) and
// strict only where the server must refuse (PercentDecode reports a bad escape).
#include "http/message.h"

#include "common/json_text.h"

#include <cstdio>

namespace salesbox::http {
namespace {

// ASCII-only: header names and cookie syntax are ASCII, and std::tolower depends on the locale.
char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  }
  return true;
}

std::string_view TrimSpace(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}


}  // namespace

std::string_view Request::Header(std::string_view name) const {
  // Names are stored lower-case; comparing without case anyway keeps a caller that passes
  // "Content-Type" from silently getting nothing.
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return value;
  }
  return {};
}

std::optional<std::string> Request::Cookie(std::string_view name) const {
  // RFC 6265 section 5.4: "a=1; b=2". A proxy may split cookies over several Cookie headers
  // (HTTP/2 does), so every one is searched. Values are opaque: no percent-decoding.
  for (const auto& [key, header] : headers) {
    if (!EqualsIgnoreCase(key, "cookie")) continue;
    std::string_view rest = header;
    while (!rest.empty()) {
      const size_t semicolon = rest.find(';');
      std::string_view pair = TrimSpace(rest.substr(0, semicolon));
      rest = semicolon == std::string_view::npos ? std::string_view() : rest.substr(semicolon + 1);
      const size_t equals = pair.find('=');
      if (equals == std::string_view::npos) continue;
      if (TrimSpace(pair.substr(0, equals)) != name) continue;
      std::string_view value = TrimSpace(pair.substr(equals + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      return std::string(value);
    }
  }
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> Request::QueryParams() const {
  std::vector<std::pair<std::string, std::string>> params;
  std::string_view rest = query;
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string_view piece = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (piece.empty()) continue;  // "a=1&&b=2"
    const size_t equals = piece.find('=');
    const std::string_view raw_key = piece.substr(0, equals);
    const std::string_view raw_value =
        equals == std::string_view::npos ? std::string_view() : piece.substr(equals + 1);
    // A bad escape keeps its raw text rather than dropping the parameter: the API layer then
    // rejects the odd value with a message that names it, instead of silently ignoring a filter.
    std::optional<std::string> key = PercentDecode(raw_key, /*plus_is_space=*/true);
    std::optional<std::string> value = PercentDecode(raw_value, /*plus_is_space=*/true);
    params.emplace_back(key ? std::move(*key) : std::string(raw_key),
                        value ? std::move(*value) : std::string(raw_value));
  }
  return params;
}

Response Response::Json(int status, std::string body) {
  Response response;
  response.status = status;
  response.headers.emplace_back("Content-Type", "application/json");
  response.body = std::move(body);
  return response;
}

Response Response::Text(int status, std::string body) {
  Response response;
  response.status = status;
  response.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
  response.body = std::move(body);
  return response;
}

Response Response::Empty(int status) {
  Response response;
  response.status = status;
  return response;
}

Response Response::Error(int status, std::string_view code, std::string_view message) {
  std::string body = R"({"error":{"code":)";
  AppendJsonString(code, &body);
  body += R"(,"message":)";
  AppendJsonString(message, &body);
  body += "}}";
  return Json(status, std::move(body));
}

std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;  // "%" or "%4" at the end
      const int hi = HexValue(text[i + 1]);
      const int lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace salesbox::http

// SPDX-License-Identifier: MIT
// Tests for the Request accessors, the Response helpers and PercentDecode (table-driven).
#include "http/message.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace salesbox::http {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;
using Params = std::vector<std::pair<std::string, std::string>>;

TEST(PercentDecodeTest, DecodesTheTable) {
  struct Case {
    std::string_view input;
    bool plus_is_space;
    std::optional<std::string> expected;
  };
  const Case kCases[] = {
      {"", false, ""},
      {"/api/v1/accounts/7", false, "/api/v1/accounts/7"},
      {"a%20b", false, "a b"},
      {"%41%42%43", false, "ABC"},
      {"%c3%a6%C3%B8", false, "\xc3\xa6\xc3\xb8"},  // æø, both hex cases
      {"a+b", false, "a+b"},
      {"a+b", true, "a b"},
      {"%2B", true, "+"},  // an escaped plus stays a plus
      {"100%25", false, "100%"},
      {"%2e%2e", false, ".."},
      {"%00", false, std::string(1, '\0')},  // decoded; the server refuses NUL in paths
      {"%", false, std::nullopt},
      {"%4", false, std::nullopt},
      {"abc%", false, std::nullopt},
      {"%zz", false, std::nullopt},
      {"%g0", false, std::nullopt},
      {"%0g", false, std::nullopt},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(PercentDecode(c.input, c.plus_is_space), c.expected)
        << "input \"" << c.input << "\" plus_is_space " << c.plus_is_space;
  }
}

TEST(QueryParamsTest, ParsesTheTable) {
  struct Case {
    std::string query;
    Params expected;
  };
  const Case kCases[] = {
      {"", {}},
      {"limit=50", {{"limit", "50"}}},
      {"limit=50&sort=-name", {{"limit", "50"}, {"sort", "-name"}}},
      {"q=acme+gmbh", {{"q", "acme gmbh"}}},
      {"q=a%26b%3Dc", {{"q", "a&b=c"}}},
      {"flag", {{"flag", ""}}},
      {"empty=", {{"empty", ""}}},
      {"a=1&&b=2&", {{"a", "1"}, {"b", "2"}}},
      {"stage=open&stage=won", {{"stage", "open"}, {"stage", "won"}}},  // order and repeats kept
      {"x=a=b", {{"x", "a=b"}}},                                        // first '=' splits
      {"bad=%zz", {{"bad", "%zz"}}},                                    // raw text kept
      {"na%C3%AFve=%C3%A6", {{"na\xc3\xafve", "\xc3\xa6"}}},
  };
  for (const Case& c : kCases) {
    Request request;
    request.query = c.query;
    EXPECT_EQ(request.QueryParams(), c.expected) << "query \"" << c.query << "\"";
  }
}

TEST(CookieTest, FindsTheTable) {
  struct Case {
    std::vector<std::string> cookie_headers;
    std::string_view name;
    std::optional<std::string> expected;
  };
  const Case kCases[] = {
      {{}, "sb_session", std::nullopt},
      {{"sb_session=abc"}, "sb_session", "abc"},
      {{"theme=dark; sb_session=abc; lang=da"}, "sb_session", "abc"},
      {{"theme=dark;sb_session=abc"}, "sb_session", "abc"},
      {{"  sb_session = abc  "}, "sb_session", "abc"},
      {{"sb_session=\"quoted\""}, "sb_session", "quoted"},
      {{"sb_session="}, "sb_session", ""},
      {{"xsb_session=abc"}, "sb_session", std::nullopt},
      {{"sb_session_old=abc"}, "sb_session", std::nullopt},
      {{"garbage; sb_session=abc"}, "sb_session", "abc"},
      {{"a=1", "sb_session=abc"}, "sb_session", "abc"},  // split over two headers
      {{"sb_session=a%20b"}, "sb_session", "a%20b"},     // opaque: not decoded
      {{"sb_session=first; sb_session=second"}, "sb_session", "first"},
  };
  for (const Case& c : kCases) {
    Request request;
    for (const std::string& header : c.cookie_headers)
      request.headers.emplace_back("cookie", header);
    EXPECT_EQ(request.Cookie(c.name), c.expected)
        << "headers " << ::testing::PrintToString(c.cookie_headers);
  }
}

TEST(RequestTest, HeaderReturnsTheFirstMatchOrEmpty) {
  Request request;
  request.headers = {{"content-type", "application/json"}, {"x-a", "1"}, {"x-a", "2"}};
  EXPECT_EQ(request.Header("content-type"), "application/json");
  EXPECT_EQ(request.Header("Content-Type"), "application/json");
  EXPECT_EQ(request.Header("x-a"), "1");
  EXPECT_EQ(request.Header("x-missing"), "");
}

TEST(ResponseTest, HelpersSetStatusContentTypeAndBody) {
  const Response json = Response::Json(201, R"({"id":7})");
  EXPECT_EQ(json.status, 201);
  EXPECT_THAT(json.headers, ElementsAre(Pair("Content-Type", "application/json")));
  EXPECT_EQ(json.body, R"({"id":7})");

  const Response text = Response::Text(200, "ok");
  EXPECT_THAT(text.headers, ElementsAre(Pair("Content-Type", "text/plain; charset=utf-8")));

  const Response empty = Response::Empty(204);
  EXPECT_EQ(empty.status, 204);
  EXPECT_TRUE(empty.headers.empty());
  EXPECT_TRUE(empty.body.empty());
}

TEST(ResponseTest, ErrorEscapesCodeAndMessage) {
  const Response error =
      Response::Error(400, "bad_request", "field \"name\": a\\b\nline\x01 \xc3\xa6");
  EXPECT_EQ(error.status, 400);
  EXPECT_THAT(error.headers, ElementsAre(Pair("Content-Type", "application/json")));
  EXPECT_EQ(error.body,
            R"({"error":{"code":"bad_request","message":"field \"name\": a\\b\nline\u0001 )"
            "\xc3\xa6\"}}");
}

}  // namespace
}  // namespace salesbox::http

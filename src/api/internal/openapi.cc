// SPDX-License-Identifier: MIT
// The OpenAPI document from the route table (internal/openapi.h).
#include "api/internal/openapi.h"

#include <cctype>
#include <string>

#include "api/api.h"

namespace salesbox::api::internal {
namespace {

using nlohmann::json;
using service::DescribeKind;
using service::KindInfo;

// The query parameters of a record list of `info`'s kind (internal/params.h ParseList).
void AddListParameters(const KindInfo& info, json& parameters) {
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

json Operation(const Route& r) {
  const auto error = [](const std::string& description) {
    return json{{"description", description},
                {"content",
                 {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
  };
  json op = {{"summary", r.summary}, {"tags", {r.tag}}};
  json parameters = json::array();
  if (r.pattern.find("{id}") != std::string::npos) {
    parameters.push_back({{"name", "id"},
                          {"in", "path"},
                          {"required", true},
                          {"schema", {{"type", "integer"}, {"minimum", 1}}}});
  }
  if (r.list && r.kind) AddListParameters(DescribeKind(*r.kind), parameters);
  for (const QueryParam& q : r.query) {
    parameters.push_back({{"name", q.name}, {"in", "query"}, {"schema", {{"type", q.type}}}});
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
  for (const auto& [status, description] : r.errors) {
    responses[std::to_string(status)] = error(description);
  }
  op["responses"] = responses;
  return op;
}

}  // namespace

json BuildOpenApi(const RouteTable& table) {
  json doc = {{"openapi", "3.0.3"},
              {"info",
               {{"title", "salesbox API"},
                {"version", "1"},
                {"description", "The REST API of salesbox (docs/api.md)."}}}};
  json schemas = table.schemas;
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
  doc["components"] = {
      {"schemas", schemas},
      {"securitySchemes",
       {{"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", kSessionCookie}}},
        {"csrf", {{"type", "apiKey"}, {"in", "header"}, {"name", "X-CSRF-Token"}}}}}};
  json paths = json::object();
  for (const Route& r : table.routes) {
    std::string method = r.method;
    for (char& ch : method) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    paths[r.pattern][method] = Operation(r);
  }
  doc["paths"] = paths;
  return doc;
}

}  // namespace salesbox::api::internal

// SPDX-License-Identifier: MIT
// The record routes: create, read, change and delete every record kind (service::ApiKinds) with
// the list query, the change log, an opportunity's history, account shares and the stages.
#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/internal/params.h"
#include "api/internal/reply.h"
#include "api/routes/routes.h"
#include "service/home_service.h"
#include "service/record_service.h"

namespace salesbox::api::internal {
namespace {

using nlohmann::json;
using service::DescribeKind;
using service::FieldInfo;
using service::Kind;
using service::KindInfo;

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
    case FieldInfo::Type::kObject:
      return "object";
    case FieldInfo::Type::kIntegerArray:
      return "array";
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
      case FieldInfo::Type::kObject:
        ok = value.is_object();
        break;
      case FieldInfo::Type::kIntegerArray:
        ok = value.is_array() && std::all_of(value.begin(), value.end(),
                                             [](const json& v) { return v.is_number_integer(); });
        break;
    }
    if (!ok) {
      return Status::InvalidArgument(key + ": must be " +
                                     (field->type == FieldInfo::Type::kInteger
                                          ? std::string("an integer")
                                      : field->type == FieldInfo::Type::kIntegerArray
                                          ? std::string("an array of integers")
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

// The OpenAPI schema of a record of `info`'s kind.
json KindSchema(const KindInfo& info) {
  json properties = json::object();
  json required = json::array();
  for (const FieldInfo& f : info.fields) {
    json p = {{"type", TypeName(f.type)}, {"nullable", true}};
    if (f.type == FieldInfo::Type::kIntegerArray) p["items"] = {{"type", "integer"}};
    if (f.read_only) p["readOnly"] = true;
    if (f.write_only) p["writeOnly"] = true;
    properties[f.name] = p;
    if (f.required) required.push_back(f.name);
  }
  json schema = {{"type", "object"}, {"properties", properties}};
  if (!required.empty()) schema["required"] = required;
  return schema;
}

// The record handlers and the RecordService they share.
struct Records {
  service::AuthService& auth;
  service::RecordService records;

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
      if (!ParseWhole(value, target)) {
        return ErrorResponse(400, "bad_request", name + ": not a whole number", name);
      }
    }
    return JsonOr(records.ChangeLog(*c.principal, entity, entity_id, limit, offset), 200, 400);
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
    return JsonOr(records.SetShares(*c.principal, c.id, ids));
  }

  http::Response List(Kind kind, Context& c) {
    Result<service::ListRequest> list = ParseList(c.request);
    if (!list.ok()) return FromStatus(list.status(), 400);
    // `totals=true` is not a filter: it asks for the sums of the whole list.
    auto& filters = list->filters;
    for (auto it = filters.begin(); it != filters.end();) {
      if (it->first != "totals") {
        ++it;
        continue;
      }
      if (it->second.size() != 1 || (it->second[0] != "true" && it->second[0] != "false")) {
        return ErrorResponse(400, "bad_request", "totals must be true or false", "totals");
      }
      list->totals = it->second[0] == "true";
      it = filters.erase(it);
    }
    return JsonOr(records.List(*c.principal, kind, *list), 200, 400);
  }

  // POST /{kind}/batch: every update body is checked as PATCH checks it, then all are applied
  // in one transaction.
  // A malformed batch is 400; a change that breaks a rule is answered as its PATCH would be.
  http::Response Batch(Kind kind, Context& c) {
    const std::string what(DescribeKind(kind).what);
    if (!c.body.is_object())
      return ErrorResponse(400, "bad_request", "the body must be a JSON object");
    std::set<int64_t> seen;
    size_t count = 0;
    for (const auto& [key, list] : c.body.items()) {
      if (key != "update" && key != "delete") {
        return ErrorResponse(400, "bad_request",
                             "unknown field \"" + key + "\"; a batch takes update and delete", key);
      }
      if (!list.is_array())
        return ErrorResponse(400, "bad_request", key + ": must be an array", key);
      count += list.size();
      for (const json& item : list) {
        const json& id =
            key == "update" && item.is_object() && item.contains("id") ? item["id"] : item;
        if (!id.is_number_integer() || id.get<int64_t>() <= 0) {
          return ErrorResponse(400, "bad_request",
                               key == "update" ? "update: each item is an object with a positive "
                                                 "integer id, its version and the fields to change"
                                               : "delete: ids must be positive integers",
                               key);
        }
        if (!seen.insert(id.get<int64_t>()).second) {
          return ErrorResponse(400, "bad_request", what + " " + id.dump() + " is named twice", key);
        }
        if (key != "update") continue;
        json fields = item;
        fields.erase("id");
        Status checked = CheckBody(DescribeKind(kind), fields, true);
        if (!checked.ok()) return FromStatus(checked.WithContext(what + " " + id.dump()), 400);
      }
    }
    if (count > 500) return ErrorResponse(400, "bad_request", "at most 500 records per batch");
    return JsonOr(records.Batch(*c.principal, kind, c.body));
  }

  http::Response Create(Kind kind, Context& c) {
    Status checked = CheckBody(DescribeKind(kind), c.body, false);
    if (!checked.ok()) return FromStatus(checked, 400);
    return JsonOr(records.Create(*c.principal, kind, c.body), 201);
  }

  http::Response Update(Kind kind, Context& c) {
    Status checked = CheckBody(DescribeKind(kind), c.body, true);
    if (!checked.ok()) return FromStatus(checked, 400);
    Result<json> out = records.Update(*c.principal, kind, c.id, c.body);
    if (!out.ok()) return FromStatus(out.status());
    if (kind == Kind::kUsers) auth.Forget(UserId{c.id});
    return http::Response::Json(200, Dump(*out));
  }

  http::Response Delete(Kind kind, Context& c) {
    Status deleted = records.Delete(*c.principal, kind, c.id);
    if (!deleted.ok()) return FromStatus(deleted);
    if (kind == Kind::kUsers) auth.Forget(UserId{c.id});
    return http::Response::Empty(204);
  }
};

}  // namespace

void AddRecordRoutes(RouteTable& table, const ApiContext& ctx) {
  const std::string v1(kPrefix);
  // The handlers share `r`, and the table owns it.
  auto r =
      std::make_shared<Records>(Records{ctx.auth, service::RecordService(ctx.store, ctx.clock)});
  table.Add({"GET", v1 + "/stages", "Opportunity stages in board order", "opportunities",
             Access::kSignedIn, std::nullopt, "", 200, false,
             [](Context&) { return http::Response::Json(200, Dump(service::Stages())); }});
  table
      .Add({"GET", v1 + "/audit-log", "Changes: who, when, what, old and new", "audit",
            Access::kSignedIn, std::nullopt, "", 200, false,
            [r](Context& c) { return r->ChangeLog(c); }})
      .query = {
      {"entity", "string"}, {"entity_id", "integer"}, {"limit", "integer"}, {"offset", "integer"}};
  table.Add({"GET", v1 + "/opportunities/{id}/history", "An opportunity's history, newest first",
             "opportunities", Access::kSignedIn, std::nullopt, "", 200, false,
             [r](Context& c) { return JsonOr(r->records.History(*c.principal, c.id)); }});
  table.Add({"GET", v1 + "/accounts/{id}/shares", "Who else works on an account", "accounts",
             Access::kSignedIn, std::nullopt, "", 200, false,
             [r](Context& c) { return JsonOr(r->records.Shares(*c.principal, c.id)); }});
  table.Add({"PUT", v1 + "/accounts/{id}/shares", "Share an account with other users", "accounts",
             Access::kSignedIn, std::nullopt, "Shares", 200, false,
             [r](Context& c) { return r->SetShares(c); }});
  table.AddSchema("Batch", {{"type", "object"},
                            {"properties",
                             {{"update", {{"type", "array"}, {"items", {{"type", "object"}}}}},
                              {"delete", {{"type", "array"}, {"items", {{"type", "integer"}}}}}}}});
  table.AddSchema(
      "Shares",
      {{"type", "object"},
       {"required", {"user_ids"}},
       {"properties", {{"user_ids", {{"type", "array"}, {"items", {{"type", "integer"}}}}}}}});

  for (Kind kind : service::ApiKinds()) {
    const KindInfo& info = DescribeKind(kind);
    const std::string path(info.path);
    const std::string base = v1 + "/" + path;
    const std::string what(info.what);
    Route& list = table.Add({"GET", base, "List " + path, path, Access::kSignedIn, kind, "", 200,
                             true, [r, kind](Context& c) { return r->List(kind, c); }});
    for (const FieldInfo& f : info.fields) {
      if (f.name.ends_with("_minor")) {  // a kind with money can total it
        list.query.push_back({"totals", "boolean"});
        break;
      }
    }
    if (kind == Kind::kActivities) {
      table.Add({"POST", base + "/batch",
                 "Change and delete several activities at once: all or none", path,
                 Access::kSignedIn, kind, "Batch", 200, false,
                 [r, kind](Context& c) { return r->Batch(kind, c); }});
    }
    table.Add({"POST", base, "Create a " + what, path, Access::kSignedIn, kind, path, 201, false,
               [r, kind](Context& c) { return r->Create(kind, c); }});
    table.Add({"GET", base + "/{id}", "Get a " + what, path, Access::kSignedIn, kind, "", 200,
               false,
               [r, kind](Context& c) { return JsonOr(r->records.Get(*c.principal, kind, c.id)); }});
    table.Add({"PATCH", base + "/{id}", "Change a " + what, path, Access::kSignedIn, kind, path,
               200, false, [r, kind](Context& c) { return r->Update(kind, c); }});
    table.Add({"DELETE", base + "/{id}", "Delete a " + what, path, Access::kSignedIn, kind, "", 204,
               false, [r, kind](Context& c) { return r->Delete(kind, c); }});
    table.AddSchema(path, KindSchema(info));
  }
}

}  // namespace salesbox::api::internal

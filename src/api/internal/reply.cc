// SPDX-License-Identifier: MIT
// The API's JSON answers and errors (internal/reply.h).
#include "api/internal/reply.h"

#include <iostream>

#include <nlohmann/json.hpp>

namespace salesbox::api::internal {

using nlohmann::json;

std::string Dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

http::Response ErrorResponse(int status, std::string_view code, std::string_view message,
                             std::string_view field) {
  json error = {{"code", code}, {"message", message}};
  if (!field.empty()) error["field"] = field;
  return http::Response::Json(status, Dump(json{{"error", error}}));
}

http::Response FromStatus(const Status& status, int input_status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return http::Response::Empty(204);
    case StatusCode::kInvalidArgument:
      return ErrorResponse(input_status, input_status == 422 ? "invalid" : "bad_request",
                           status.message(), status.field());
    case StatusCode::kNotFound:
      return ErrorResponse(404, "not_found", status.message(), status.field());
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
    case StatusCode::kAborted:
      return ErrorResponse(409, "conflict", status.message(), status.field());
    case StatusCode::kUnauthenticated:
      return ErrorResponse(401, "unauthenticated", status.message());
    case StatusCode::kPermissionDenied:
      return ErrorResponse(403, "forbidden", status.message(), status.field());
    case StatusCode::kResourceExhausted:
      return ErrorResponse(429, "too_many_attempts", status.message());
    case StatusCode::kUnavailable:
      // The store's message names files, which the API does not show; it is logged, and the
      // answer says which of the known conditions holds (storage/sqlite/errors.h).
      std::cerr << "salesbox serve: unavailable: " << status.message() << "\n";
      if (status.message().find("the disk is full") != std::string::npos) {
        return ErrorResponse(503, "disk_full",
                             "the disk is full; nothing was saved. Ask the administrator to free "
                             "some space, then retry");
      }
      if (status.message().find("is read-only") != std::string::npos) {
        return ErrorResponse(503, "read_only",
                             "the database is read-only; nothing was saved. Ask the "
                             "administrator to check its file permissions");
      }
      return ErrorResponse(503, "unavailable", "the database is busy; retry in a moment");
    case StatusCode::kUnimplemented:
    case StatusCode::kInternal:
      break;
  }
  std::cerr << "salesbox serve: internal error: " << status.ToString() << "\n";
  return ErrorResponse(500, "internal", "an internal error occurred; it has been logged");
}

http::Response JsonOr(const Result<json>& out, int status, int input_status) {
  if (!out.ok()) return FromStatus(out.status(), input_status);
  return http::Response::Json(status, Dump(*out));
}

}  // namespace salesbox::api::internal

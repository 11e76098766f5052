// SPDX-License-Identifier: MIT
// Private to api/: how the API answers — JSON text, the JSON error shape (docs/api.md) and the
// HTTP status a failed service call maps to.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "common/result.h"
#include "common/status.h"
#include "http/message.h"

namespace salesbox::api::internal {

// JSON text of `value`. Input that was not UTF-8 (a path or parameter quoted in a message) is
// replaced by U+FFFD rather than failing the answer.
std::string Dump(const nlohmann::json& value);

// {"error": {"code": ..., "message": ..., "field": ...}} with `status`; no field when empty.
http::Response ErrorResponse(int status, std::string_view code, std::string_view message,
                             std::string_view field = {});

// How a failed service call answers. `input_status` is what kInvalidArgument means here: 422
// for a value in a body that breaks a rule, 400 for a malformed query. kInternal and
// kUnimplemented are logged to stderr and answer 500 without details.
http::Response FromStatus(const Status& status, int input_status = 422);

// A service's JSON answer with `status`; its failure as FromStatus(failure, input_status).
http::Response JsonOr(const Result<nlohmann::json>& out, int status = 200, int input_status = 422);

}  // namespace salesbox::api::internal

// SPDX-License-Identifier: MIT
// Private to api/: the OpenAPI 3.0 document, written from the route table, so the document
// cannot drift from what the server answers.
#pragma once

#include <nlohmann/json.hpp>

#include "api/internal/route.h"

namespace salesbox::api::internal {

// The document of every route in `table`: its parameters, body schema, success and error
// answers and security; the record kinds' list parameters and schemas come from
// service::DescribeKind.
nlohmann::json BuildOpenApi(const RouteTable& table);

}  // namespace salesbox::api::internal

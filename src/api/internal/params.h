// SPDX-License-Identifier: MIT
// Private to api/: reading a request's query parameters (ids, dates, ranges, the list query) and
// checking a small JSON body's fields. Failures are kInvalidArgument with the parameter as field.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "api/internal/route.h"
#include "common/result.h"
#include "common/time.h"
#include "http/message.h"
#include "service/record_service.h"

namespace salesbox::api::internal {

// Parses all of `text` as a whole number (optionally signed) into *out; false if it is not one.
bool ParseWhole(std::string_view text, int64_t* out);

// The first query parameter `name`, decoded; nullopt when absent.
std::optional<std::string> Param(const Context& c, std::string_view name);

// Query parameter `name` as a positive id; kInvalidArgument when missing or not one.
Result<int64_t> PositiveParam(const Context& c, std::string_view name);

// Sets *out to query parameter `name` when present; kInvalidArgument ("is out of range") when it
// is not a whole number in lo..hi. *out is unchanged when the parameter is absent.
Status RangeParam(const Context& c, std::string_view name, int64_t lo, int64_t hi, int64_t* out);

// The paging parameters: limit 1..500 and offset 0 or more, each kept when absent.
Status PageParams(const Context& c, int64_t* limit, int64_t* offset);

// The request's as_of: a date up to today (by `clock`); today when absent.
Result<Date> AsOfParam(const Context& c, const Clock& clock);

// The locale asked for (?locale=), else the signed-in user's, as an index of
// analytics::audit::kLocales. REQUIRES: c.principal is set.
int LocaleOf(const Context& c);

// Checks that `body` is an object with only `allowed` keys, each of the given JSON type (or null),
// and that every `required` key is there. nullopt when it is; else the 400/422 answer.
std::optional<http::Response> CheckFields(
    const nlohmann::json& body,
    std::initializer_list<std::pair<const char*, nlohmann::json::value_t>> allowed,
    std::initializer_list<const char*> required);

// The list query of a record list: limit, offset, sort (-name for descending), q, from, to, and
// any other parameter as a filter whose comma-separated values mean any of.
Result<service::ListRequest> ParseList(const http::Request& request);

}  // namespace salesbox::api::internal

// SPDX-License-Identifier: MIT
// Query parameters and small JSON bodies (internal/params.h).
#include "api/internal/params.h"

#include <charconv>
#include <climits>
#include <vector>

#include "analytics/audit/playbook.h"
#include "api/internal/reply.h"
#include "common/status_macros.h"

namespace salesbox::api::internal {

using nlohmann::json;

bool ParseWhole(std::string_view text, int64_t* out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

std::optional<std::string> Param(const Context& c, std::string_view name) {
  for (auto& [key, value] : c.request.QueryParams()) {
    if (key == name) return value;
  }
  return std::nullopt;
}

Result<int64_t> PositiveParam(const Context& c, std::string_view name) {
  std::optional<std::string> text = Param(c, name);
  if (!text)
    return Status::InvalidArgument(std::string(name) + ": missing").WithField(std::string(name));
  int64_t value = 0;
  if (!ParseWhole(*text, &value) || value <= 0) {
    return Status::InvalidArgument(std::string(name) + ": \"" + *text + "\" is not a positive id")
        .WithField(std::string(name));
  }
  return value;
}

Status RangeParam(const Context& c, std::string_view name, int64_t lo, int64_t hi, int64_t* out) {
  std::optional<std::string> text = Param(c, name);
  if (!text) return Status::Ok();
  int64_t value = 0;
  if (!ParseWhole(*text, &value) || value < lo || value > hi) {
    return Status::InvalidArgument(std::string(name) + ": \"" + *text + "\" is out of range")
        .WithField(std::string(name));
  }
  *out = value;
  return Status::Ok();
}

Status PageParams(const Context& c, int64_t* limit, int64_t* offset) {
  SB_RETURN_IF_ERROR(RangeParam(c, "limit", 1, 500, limit));
  return RangeParam(c, "offset", 0, INT64_MAX, offset);
}

Result<Date> AsOfParam(const Context& c, const Clock& clock) {
  const Date today = ToDate(clock.Now());
  auto text = Param(c, "as_of");
  if (!text) return today;
  Result<Date> parsed = ParseIsoDate(*text);
  if (!parsed.ok()) {
    return Status::InvalidArgument("as_of: " + parsed.status().message()).WithField("as_of");
  }
  if (*parsed > today) {
    return Status::InvalidArgument("as_of: " + *text + " is in the future").WithField("as_of");
  }
  return *parsed;
}

int LocaleOf(const Context& c) {
  if (auto locale = Param(c, "locale")) return analytics::audit::LocaleIndex(*locale);
  return analytics::audit::LocaleIndex(c.principal->locale);
}

std::optional<http::Response> CheckFields(
    const json& body, std::initializer_list<std::pair<const char*, json::value_t>> allowed,
    std::initializer_list<const char*> required) {
  if (!body.is_object()) return ErrorResponse(400, "bad_request", "the body must be a JSON object");
  for (auto it = body.begin(); it != body.end(); ++it) {
    bool known = false;
    for (const auto& [name, type] : allowed) {
      if (it.key() != name) continue;
      known = true;
      const bool ok = it->is_null() || it->type() == type ||
                      (type == json::value_t::number_integer && it->is_number_unsigned());
      if (!ok) {
        return ErrorResponse(
            400, "bad_request",
            it.key() + ": must be " + (type == json::value_t::string ? "a string" : "an integer"),
            it.key());
      }
    }
    if (!known) return ErrorResponse(400, "bad_request", it.key() + ": unknown field", it.key());
  }
  for (const char* name : required) {
    if (!body.contains(name) || body[name].is_null()) {
      return ErrorResponse(422, "invalid", std::string(name) + ": required", name);
    }
  }
  return std::nullopt;
}

Result<service::ListRequest> ParseList(const http::Request& request) {
  service::ListRequest list;
  for (auto& [name, value] : request.QueryParams()) {
    const auto number = [&](int64_t* out) -> Status {
      if (!ParseWhole(value, out)) {
        return Status::InvalidArgument(name + ": \"" + value + "\" is not a whole number")
            .WithField(name);
      }
      return Status::Ok();
    };
    if (name == "limit") {
      SB_RETURN_IF_ERROR(number(&list.limit));
    } else if (name == "offset") {
      SB_RETURN_IF_ERROR(number(&list.offset));
    } else if (name == "sort") {
      list.descending = !value.empty() && value.front() == '-';
      list.sort = list.descending ? value.substr(1) : value;
    } else if (name == "q") {
      list.q = value;
    } else if (name == "from") {
      list.from = value;
    } else if (name == "to") {
      list.to = value;
    } else {
      std::vector<std::string> values;
      std::string_view rest = value;
      while (true) {
        const size_t comma = rest.find(',');
        std::string_view one = rest.substr(0, comma);
        if (!one.empty()) values.emplace_back(one);
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
      list.filters.emplace_back(name, std::move(values));
    }
  }
  return list;
}

}  // namespace salesbox::api::internal

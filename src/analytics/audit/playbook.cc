// SPDX-License-Identifier: MIT
#include "analytics/audit/playbook.h"

#include <algorithm>
#include <initializer_list>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "domain/enum_names.h"

namespace salesbox::analytics::audit {
namespace {

using Json = nlohmann::json;

Status Bad(const std::string& path, const std::string& problem) {
  return Status::InvalidArgument("playbook: " + path + ": " + problem);
}

std::string TypeName(const Json& value) { return value.type_name(); }

// Refuses keys outside `allowed`.
Status OnlyKeys(const Json& object, const std::string& path,
                std::initializer_list<std::string_view> allowed) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end()) {
      std::string list;
      for (std::string_view key : allowed) list += (list.empty() ? "" : ", ") + std::string(key);
      return Bad(path.empty() ? it.key() : path + "." + it.key(),
                 "unknown key (expected one of: " + list + ")");
    }
  }
  return Status::Ok();
}

Result<const Json*> Member(const Json& object, const std::string& path, const char* key,
                           Json::value_t type, const char* type_name) {
  const std::string here = path.empty() ? std::string(key) : path + "." + key;
  auto it = object.find(key);
  if (it == object.end()) return Bad(here, "missing");
  const bool ok = it->type() == type ||
                  (type == Json::value_t::number_integer &&
                   it->type() == Json::value_t::number_unsigned) ||
                  (type == Json::value_t::number_float && it->is_number());
  if (!ok) return Bad(here, std::string("must be ") + type_name + ", not " + TypeName(*it));
  return &*it;
}

Result<std::string> Text(const Json& object, const std::string& path, const char* key) {
  SB_ASSIGN_OR_RETURN(const Json* value,
                      Member(object, path, key, Json::value_t::string, "a string"));
  std::string text = value->get<std::string>();
  if (text.empty()) return Bad(path + "." + key, "must not be empty");
  return text;
}

Result<int64_t> Integer(const Json& object, const std::string& path, const char* key, int64_t lo,
                        int64_t hi) {
  SB_ASSIGN_OR_RETURN(const Json* value,
                      Member(object, path, key, Json::value_t::number_integer, "an integer"));
  const int64_t n = value->get<int64_t>();
  if (n < lo || n > hi) {
    return Bad(path + "." + key,
               std::to_string(n) + " is outside " + std::to_string(lo) + ".." + std::to_string(hi));
  }
  return n;
}

Result<LocalText> Local(const Json& object, const std::string& path, const char* key) {
  const std::string here = path.empty() ? std::string(key) : path + "." + key;
  SB_ASSIGN_OR_RETURN(const Json* value,
                      Member(object, path, key, Json::value_t::object, "an object of texts"));
  SB_RETURN_IF_ERROR(OnlyKeys(*value, here, {"en", "da", "sv", "nb"}));
  // Any subset of the languages will do (a company writing only Danish can load its playbook);
  // a language not given reads the fallback: English, else the first given in kLocales order.
  LocalText text;
  std::array<bool, kLocales.size()> given{};
  const std::string* fallback = nullptr;
  for (size_t i = 0; i < kLocales.size(); ++i) {
    const std::string locale(kLocales[i]);
    if (!value->contains(locale)) continue;
    SB_ASSIGN_OR_RETURN(text.text[i], Text(*value, here, locale.c_str()));
    given[i] = true;
    if (fallback == nullptr) fallback = &text.text[i];
  }
  if (fallback == nullptr) return Bad(here, "needs a text in at least one of en, da, sv, nb");
  for (size_t i = 0; i < kLocales.size(); ++i) {
    if (!given[i]) text.text[i] = *fallback;
  }
  return text;
}

bool ValidId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

struct RuleInfo {
  std::string_view name;
  AutoRule rule;
  SubjectType subject;  // kAccount rules also serve opportunities (their account)
  bool account_too;     // usable in an account playbook
  bool opportunity_too;
  std::initializer_list<std::string_view> params;  // besides "rule"
};

const RuleInfo kRules[] = {
    {"contact_with_role", AutoRule::kContactWithRole, SubjectType::kAccount, true, true, {"role"}},
    {"met_role", AutoRule::kMetRole, SubjectType::kOpportunity, false, true, {"role", "types"}},
    {"role_active", AutoRule::kRoleActive, SubjectType::kAccount, true, true,
     {"role", "within_days"}},
    {"roles_strength", AutoRule::kRolesStrength, SubjectType::kAccount, true, true, {"min"}},
    {"role_strength", AutoRule::kRoleStrength, SubjectType::kAccount, true, true, {"role", "min"}},
    {"roles_covered", AutoRule::kRolesCovered, SubjectType::kAccount, true, true, {"min"}},
    {"next_step_dated", AutoRule::kNextStepDated, SubjectType::kOpportunity, false, true, {}},
    {"field_present", AutoRule::kFieldPresent, SubjectType::kOpportunity, false, true, {"field"}},
    {"activities_count", AutoRule::kActivitiesCount, SubjectType::kOpportunity, false, true,
     {"types", "min"}},
    {"icp_fit", AutoRule::kIcpFit, SubjectType::kAccount, true, true, {"min"}},
    {"contact_touched", AutoRule::kContactTouched, SubjectType::kAccount, true, false,
     {"within_days"}},
    {"meeting_held", AutoRule::kMeetingHeld, SubjectType::kAccount, true, false, {"within_days"}},
    {"touchpoints_meet_target", AutoRule::kTouchpointsMeetTarget, SubjectType::kAccount, true,
     false, {}},
    {"next_activity_planned", AutoRule::kNextActivityPlanned, SubjectType::kAccount, true, false,
     {}},
    {"product_lines", AutoRule::kProductLines, SubjectType::kAccount, true, false, {"min"}},
    {"order_trend", AutoRule::kOrderTrend, SubjectType::kAccount, true, false, {"min_ratio"}},
    {"recent_business", AutoRule::kRecentBusiness, SubjectType::kAccount, true, false,
     {"within_days"}},
};

Result<AutoSpec> ParseAuto(const Json& object, const std::string& path, SubjectType subject) {
  if (!object.is_object()) return Bad(path, "must be an object, not " + TypeName(object));
  SB_ASSIGN_OR_RETURN(std::string name, Text(object, path, "rule"));
  const RuleInfo* info = nullptr;
  for (const RuleInfo& candidate : kRules) {
    if (candidate.name == name) info = &candidate;
  }
  if (info == nullptr) {
    std::string list;
    for (const RuleInfo& candidate : kRules) {
      list += (list.empty() ? "" : ", ") + std::string(candidate.name);
    }
    return Bad(path + ".rule", "unknown rule \"" + name + "\" (rules: " + list + ")");
  }
  const bool allowed =
      subject == SubjectType::kAccount ? info->account_too : info->opportunity_too;
  if (!allowed) {
    return Bad(path + ".rule", "rule \"" + name + "\" does not apply to " +
                                   std::string(ToString(subject)) + " playbooks");
  }
  std::vector<std::string_view> keys{"rule"};
  keys.insert(keys.end(), info->params.begin(), info->params.end());
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (std::find(keys.begin(), keys.end(), it.key()) == keys.end()) {
      std::string list;
      for (std::string_view key : info->params) list += (list.empty() ? "" : ", ") + std::string(key);
      return Bad(path + "." + it.key(), "unknown parameter for rule \"" + name + "\" (" +
                                            (list.empty() ? "it takes none" : "it takes " + list) +
                                            ")");
    }
  }
  AutoSpec spec;
  spec.rule = info->rule;
  for (std::string_view param : info->params) {
    if (param == "role") {
      SB_ASSIGN_OR_RETURN(std::string role, Text(object, path, "role"));
      Result<BuyingRole> parsed = ParseEnum<BuyingRole>(role);
      if (!parsed.ok() || *parsed == BuyingRole::kUnknown) {
        return Bad(path + ".role", "unknown buying role \"" + role + "\"");
      }
      spec.role = *parsed;
    } else if (param == "types") {
      SB_ASSIGN_OR_RETURN(const Json* types,
                          Member(object, path, "types", Json::value_t::array, "an array"));
      if (types->empty()) return Bad(path + ".types", "must name at least one activity type");
      for (size_t i = 0; i < types->size(); ++i) {
        const std::string here = path + ".types[" + std::to_string(i) + "]";
        if (!(*types)[i].is_string()) return Bad(here, "must be a string");
        Result<ActivityType> type = ParseEnum<ActivityType>((*types)[i].get<std::string>());
        if (!type.ok()) return Bad(here, type.status().message());
        spec.types |= 1u << static_cast<unsigned>(*type);
      }
    } else if (param == "within_days") {
      SB_ASSIGN_OR_RETURN(spec.within_days, Integer(object, path, "within_days", 1, 3660));
    } else if (param == "min") {
      const int64_t hi = info->rule == AutoRule::kIcpFit ? 100 : 1000;
      SB_ASSIGN_OR_RETURN(spec.min, Integer(object, path, "min", 0, hi));
    } else if (param == "min_ratio") {
      SB_ASSIGN_OR_RETURN(const Json* ratio, Member(object, path, "min_ratio",
                                                    Json::value_t::number_float, "a number"));
      spec.min_ratio = ratio->get<double>();
      if (!(spec.min_ratio >= 0 && spec.min_ratio <= 10)) {
        return Bad(path + ".min_ratio", "must lie in 0..10");
      }
    } else if (param == "field") {
      SB_ASSIGN_OR_RETURN(spec.field, Text(object, path, "field"));
      if (spec.field != "competitors" && spec.field != "next_step" &&
          spec.field != "product_lines") {
        return Bad(path + ".field", "unknown field \"" + spec.field +
                                        "\" (fields: competitors, next_step, product_lines)");
      }
    }
  }
  return spec;
}

}  // namespace

int LocaleIndex(std::string_view locale) {
  std::string_view language = locale.substr(0, locale.find_first_of("-_"));
  if (language == "no" || language == "nn") language = "nb";
  for (size_t i = 0; i < kLocales.size(); ++i) {
    if (kLocales[i] == language) return static_cast<int>(i);
  }
  return 0;
}

const Criterion* Playbook::Find(std::string_view id) const {
  for (const Criterion& criterion : criteria) {
    if (criterion.id == id) return &criterion;
  }
  return nullptr;
}

int Playbook::CriteriaIn(int area) const {
  return static_cast<int>(std::count_if(criteria.begin(), criteria.end(),
                                        [area](const Criterion& c) { return c.area == area; }));
}

Result<Playbook> ParsePlaybook(std::string_view json_text) {
  Json root = Json::parse(json_text.begin(), json_text.end(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) {
    // Parse again with exceptions to learn where the syntax error is.
    try {
      Json ignored = Json::parse(json_text.begin(), json_text.end());
      (void)ignored;
    } catch (const Json::exception& e) {  // a syntax error, or a number out of range
      return Status::InvalidArgument(std::string("playbook: not valid JSON: ") + e.what());
    }
    return Status::InvalidArgument("playbook: not valid JSON");
  }
  if (!root.is_object()) return Bad("(top level)", "must be an object, not " + TypeName(root));
  SB_RETURN_IF_ERROR(
      OnlyKeys(root, "", {"name", "subject_type", "title", "areas", "criteria", "minimums"}));

  Playbook playbook;
  SB_ASSIGN_OR_RETURN(playbook.name, Text(root, "", "name"));
  const bool name_ok =
      playbook.name.size() <= 64 &&
      std::all_of(playbook.name.begin(), playbook.name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
      });
  if (!name_ok) return Bad("name", "\"" + playbook.name + "\" must be 1..64 of a-z, 0-9, _ and -");
  SB_ASSIGN_OR_RETURN(std::string subject, Text(root, "", "subject_type"));
  Result<SubjectType> subject_type = ParseEnum<SubjectType>(subject);
  if (!subject_type.ok()) {
    return Bad("subject_type", "\"" + subject + "\" must be opportunity or account");
  }
  playbook.subject_type = *subject_type;
  SB_ASSIGN_OR_RETURN(playbook.title, Local(root, "", "title"));

  SB_ASSIGN_OR_RETURN(const Json* areas,
                      Member(root, "", "areas", Json::value_t::array, "an array"));
  if (areas->size() != kAreaCount) {
    return Bad("areas", "has " + std::to_string(areas->size()) + " areas; a playbook has exactly " +
                            std::to_string(kAreaCount));
  }
  std::string area_list;
  for (int i = 0; i < kAreaCount; ++i) {
    const std::string here = "areas[" + std::to_string(i) + "]";
    const Json& area = (*areas)[static_cast<size_t>(i)];
    if (!area.is_object()) return Bad(here, "must be an object, not " + TypeName(area));
    SB_RETURN_IF_ERROR(OnlyKeys(area, here, {"id", "name"}));
    SB_ASSIGN_OR_RETURN(playbook.areas[i].id, Text(area, here, "id"));
    if (!ValidId(playbook.areas[i].id)) {
      return Bad(here + ".id", "\"" + playbook.areas[i].id + "\" must be 1..64 of a-z, 0-9 and _");
    }
    for (int j = 0; j < i; ++j) {
      if (playbook.areas[j].id == playbook.areas[i].id) {
        return Bad(here + ".id", "\"" + playbook.areas[i].id + "\" is used twice");
      }
    }
    SB_ASSIGN_OR_RETURN(playbook.areas[i].name, Local(area, here, "name"));
    area_list += (area_list.empty() ? "" : ", ") + playbook.areas[i].id;
  }

  SB_ASSIGN_OR_RETURN(const Json* criteria,
                      Member(root, "", "criteria", Json::value_t::array, "an array"));
  std::set<std::string> seen;
  for (size_t i = 0; i < criteria->size(); ++i) {
    const std::string here = "criteria[" + std::to_string(i) + "]";
    const Json& item = (*criteria)[i];
    if (!item.is_object()) return Bad(here, "must be an object, not " + TypeName(item));
    SB_RETURN_IF_ERROR(OnlyKeys(item, here, {"id", "area", "text", "action", "auto"}));
    Criterion criterion;
    SB_ASSIGN_OR_RETURN(criterion.id, Text(item, here, "id"));
    if (!ValidId(criterion.id)) {
      return Bad(here + ".id", "\"" + criterion.id + "\" must be 1..64 of a-z, 0-9 and _");
    }
    if (!seen.insert(criterion.id).second) {
      return Bad(here + ".id", "\"" + criterion.id + "\" is used twice");
    }
    SB_ASSIGN_OR_RETURN(std::string area, Text(item, here, "area"));
    criterion.area = -1;
    for (int a = 0; a < kAreaCount; ++a) {
      if (playbook.areas[a].id == area) criterion.area = a;
    }
    if (criterion.area < 0) {
      return Bad(here + ".area", "unknown area \"" + area + "\" (areas are " + area_list + ")");
    }
    SB_ASSIGN_OR_RETURN(criterion.text, Local(item, here, "text"));
    SB_ASSIGN_OR_RETURN(criterion.action, Local(item, here, "action"));
    if (auto it = item.find("auto"); it != item.end()) {
      SB_ASSIGN_OR_RETURN(criterion.auto_rule, ParseAuto(*it, here + ".auto", playbook.subject_type));
    }
    playbook.criteria.push_back(std::move(criterion));
  }
  for (int a = 0; a < kAreaCount; ++a) {
    const int n = playbook.CriteriaIn(a);
    if (n == 0) return Bad("criteria", "area \"" + playbook.areas[a].id + "\" has no criteria");
    if (n > 10) {
      return Bad("criteria", "area \"" + playbook.areas[a].id + "\" has " + std::to_string(n) +
                                 " criteria; at most 10");
    }
  }

  SB_ASSIGN_OR_RETURN(const Json* minimums,
                      Member(root, "", "minimums", Json::value_t::object, "an object"));
  std::vector<std::string_view> keys;
  const char* stale_key = nullptr;
  if (playbook.subject_type == SubjectType::kOpportunity) {
    keys = {"qualify", "discover", "propose", "negotiate", "commit"};
    stale_key = "stale_after_days";
  } else {
    keys = {"A", "B", "C"};
    stale_key = "touchpoints_per_year";
  }
  for (auto it = minimums->begin(); it != minimums->end(); ++it) {
    if (std::find(keys.begin(), keys.end(), it.key()) == keys.end()) {
      std::string list;
      for (std::string_view key : keys) list += (list.empty() ? "" : ", ") + std::string(key);
      return Bad("minimums." + it.key(),
                 playbook.subject_type == SubjectType::kOpportunity
                     ? "unknown stage (open stages are " + list + ")"
                     : "unknown ABC class (classes are " + list + ")");
    }
  }
  for (std::string_view key : keys) {
    const std::string here = "minimums." + std::string(key);
    SB_ASSIGN_OR_RETURN(const Json* entry, Member(*minimums, "minimums", std::string(key).c_str(),
                                                  Json::value_t::object, "an object"));
    SB_RETURN_IF_ERROR(OnlyKeys(*entry, here, {"areas", stale_key}));
    SB_ASSIGN_OR_RETURN(const Json* values,
                        Member(*entry, here, "areas", Json::value_t::array, "an array"));
    if (values->size() != kAreaCount) {
      return Bad(here + ".areas", "needs " + std::to_string(kAreaCount) + " numbers, one per area");
    }
    Minimum minimum;
    for (int a = 0; a < kAreaCount; ++a) {
      const Json& value = (*values)[static_cast<size_t>(a)];
      const std::string at = here + ".areas[" + std::to_string(a) + "]";
      if (!value.is_number_integer()) return Bad(at, "must be an integer");
      const int64_t n = value.get<int64_t>();
      const int limit = playbook.CriteriaIn(a);
      if (n < 0) return Bad(at, "must not be negative");
      if (n > limit) {
        return Bad(at, std::to_string(n) + " is more than the " + std::to_string(limit) +
                           " criteria of area \"" + playbook.areas[a].id + "\"");
      }
      minimum.areas[a] = static_cast<int>(n);
    }
    if (playbook.subject_type == SubjectType::kOpportunity) {
      SB_ASSIGN_OR_RETURN(minimum.stale_after_days,
                          Integer(*entry, here, "stale_after_days", 1, 3660));
    } else {
      SB_ASSIGN_OR_RETURN(minimum.touchpoints_per_year,
                          Integer(*entry, here, "touchpoints_per_year", 0, 1000));
    }
    playbook.minimums.emplace(std::string(key), minimum);
  }
  return playbook;
}

}  // namespace salesbox::analytics::audit

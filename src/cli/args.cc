// SPDX-License-Identifier: MIT
#include "cli/args.h"

#include <algorithm>

namespace salesbox::cli {

Result<Args> Args::Parse(std::span<const std::string> args, std::span<const FlagSpec> flags) {
  Args out;
  bool only_positional = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& word = args[i];
    if (only_positional || word.size() < 2 || word[0] != '-' || word == "-") {
      out.positional_.push_back(word);
      continue;
    }
    if (word == "--") {
      only_positional = true;
      continue;
    }
    if (word == "--help" || word == "-h") {
      out.help_ = true;
      continue;
    }
    if (word.rfind("--", 0) != 0) {
      return Status::InvalidArgument("unknown option " + word);
    }
    std::string name = word.substr(2);
    std::optional<std::string> inline_value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    auto spec = std::find_if(flags.begin(), flags.end(),
                             [&](const FlagSpec& f) { return f.name == name; });
    if (spec == flags.end()) return Status::InvalidArgument("unknown option --" + name);
    if (out.Has(name)) return Status::InvalidArgument("option --" + name + " is given twice");
    std::string value;
    if (!spec->value_name.empty()) {
      if (inline_value) {
        value = *inline_value;
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return Status::InvalidArgument("option --" + name + " needs a value (" +
                                       std::string(spec->value_name) + ")");
      }
    } else if (inline_value) {
      return Status::InvalidArgument("option --" + name + " takes no value");
    }
    out.values_.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

bool Args::Has(std::string_view name) const {
  return std::any_of(values_.begin(), values_.end(),
                     [&](const auto& v) { return v.first == name; });
}

std::optional<std::string> Args::Get(std::string_view name) const {
  for (const auto& [n, v] : values_) {
    if (n == name) return v;
  }
  return std::nullopt;
}

Result<std::string> Args::Require(std::string_view name) const {
  std::optional<std::string> value = Get(name);
  if (!value || value->empty()) {
    return Status::InvalidArgument("option --" + std::string(name) + " is required");
  }
  return *value;
}

std::string FormatFlags(std::span<const FlagSpec> flags) {
  std::string out;
  for (const FlagSpec& flag : flags) {
    std::string left = "  --" + std::string(flag.name);
    if (!flag.value_name.empty()) left += " " + std::string(flag.value_name);
    if (left.size() < 24) left.resize(24, ' ');
    else left += "  ";
    out += left + std::string(flag.help) + "\n";
  }
  out += "  --help                show this help\n";
  return out;
}

}  // namespace salesbox::cli

// SPDX-License-Identifier: MIT
// A small command-line flag parser: `--name value`, `--name=value`, boolean `--flag`, and
// positional arguments, checked against the flags a command declares.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace salesbox::cli {

struct FlagSpec {
  std::string_view name;  // without "--"
  std::string_view value_name;  // empty: a boolean flag
  std::string_view help;
};

class Args {
 public:
  // Parses `args` (the words after the command name). kInvalidArgument names an unknown flag,
  // a flag given twice, or a missing value. "--help"/"-h" is always accepted.
  static Result<Args> Parse(std::span<const std::string> args, std::span<const FlagSpec> flags);

  bool Has(std::string_view name) const;
  std::optional<std::string> Get(std::string_view name) const;
  // The value of a flag that must be present; kInvalidArgument otherwise.
  Result<std::string> Require(std::string_view name) const;
  const std::vector<std::string>& positional() const { return positional_; }
  bool help() const { return help_; }

 private:
  std::vector<std::pair<std::string, std::string>> values_;
  std::vector<std::string> positional_;
  bool help_ = false;
};

// "  --db PATH        the database ..." lines for a usage text.
std::string FormatFlags(std::span<const FlagSpec> flags);

}  // namespace salesbox::cli

// SPDX-License-Identifier: MIT
// A schema migration compiled into the binary by salesbox_embed_sql (cmake/SalesboxHelpers.cmake).
#pragma once

#include <span>
#include <string_view>

namespace salesbox::storage {

struct Migration {
  int version;            // from the file name: 0001_init.sql -> 1
  std::string_view name;  // "0001_init"
  std::string_view sql;   // one or more statements
};

}  // namespace salesbox::storage

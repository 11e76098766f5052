// SPDX-License-Identifier: MIT
// `salesbox init`: creates a database or applies pending migrations to it.
#include <cstdio>

#include "cli/args.h"
#include "cli/command.h"
#include "storage/open_store.h"

namespace salesbox::cli {
namespace {

constexpr FlagSpec kFlags[] = {
    {"db", "PATH", "the database: a file path, sqlite:PATH or postgres://... (required)"},
};

}  // namespace

int RunInit(std::span<const std::string> words) {
  Result<Args> args = Args::Parse(words, kFlags);
  if (!args.ok()) return Fail("init", args.status(), /*usage=*/true);
  if (args->help()) {
    std::printf("usage: salesbox init --db PATH\n\nCreates the database if it does not exist and "
                "applies every pending schema migration.\n\n%s",
                FormatFlags(kFlags).c_str());
    return kExitOk;
  }
  Result<std::string> db = args->Require("db");
  if (!db.ok()) return Fail("init", db.status(), /*usage=*/true);
  if (!args->positional().empty()) {
    return Fail("init", Status::InvalidArgument("unexpected argument " + args->positional()[0]),
                /*usage=*/true);
  }
  Result<std::unique_ptr<storage::Store>> store = storage::OpenStore(*db);
  if (!store.ok()) return Fail("init", store.status());
  Result<std::vector<storage::AppliedMigration>> migrations = (*store)->AppliedMigrations();
  if (!migrations.ok()) return Fail("init", migrations.status());
  std::printf("%s: schema version %d (%zu migrations applied)\n", db->c_str(),
              migrations->empty() ? 0 : migrations->back().version, migrations->size());
  return kExitOk;
}

}  // namespace salesbox::cli

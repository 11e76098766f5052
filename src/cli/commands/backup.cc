// SPDX-License-Identifier: MIT
// `salesbox backup` and `salesbox restore`: a consistent copy of the database taken while it is in
// use (SQLite's online backup API), and putting such a copy back.
#include <cstdio>
#include <filesystem>

#include "cli/args.h"
#include "cli/command.h"
#include "storage/open_store.h"

namespace salesbox::cli {
namespace {

constexpr FlagSpec kBackupFlags[] = {
    {"db", "PATH", "the database (required); it may be in use by salesbox serve"},
    {"out", "FILE", "the backup file to write (required; must not exist)"},
};

constexpr FlagSpec kRestoreFlags[] = {
    {"from", "FILE", "a backup written by salesbox backup (required)"},
    {"db", "PATH", "the database to restore into (required); no server may be using it"},
    {"replace", "", "overwrite the database if it exists"},
};

Status NoPositional(const Args& args) {
  if (args.positional().empty()) return Status::Ok();
  return Status::InvalidArgument("unexpected argument " + args.positional()[0]);
}

}  // namespace

int RunBackup(std::span<const std::string> words) {
  Result<Args> args = Args::Parse(words, kBackupFlags);
  if (!args.ok()) return Fail("backup", args.status(), /*usage=*/true);
  if (args->help()) {
    std::printf(
        "usage: salesbox backup --db PATH --out FILE\n\nWrites a consistent copy of the database "
        "to FILE, also while salesbox serve is\nusing it: the copy holds every change committed "
        "when it finished. FILE appears\nonly once the copy is complete and checked.\n\n%s",
        FormatFlags(kBackupFlags).c_str());
    return kExitOk;
  }
  Result<std::string> db = args->Require("db");
  if (!db.ok()) return Fail("backup", db.status(), /*usage=*/true);
  Result<std::string> out = args->Require("out");
  if (!out.ok()) return Fail("backup", out.status(), /*usage=*/true);
  if (Status extra = NoPositional(*args); !extra.ok()) return Fail("backup", extra, true);
  Status status = storage::BackupStore(*db, *out);
  if (!status.ok()) return Fail("backup", status);
  std::error_code ec;
  const auto size = std::filesystem::file_size(*out, ec);
  std::printf("salesbox backup: %s -> %s (%.1f MB)\n", db->c_str(), out->c_str(),
              ec ? 0.0 : static_cast<double>(size) / 1e6);
  return kExitOk;
}

int RunRestore(std::span<const std::string> words) {
  Result<Args> args = Args::Parse(words, kRestoreFlags);
  if (!args.ok()) return Fail("restore", args.status(), /*usage=*/true);
  if (args->help()) {
    std::printf(
        "usage: salesbox restore --from FILE --db PATH [--replace]\n\nChecks that FILE is a sound "
        "salesbox backup and makes it the database at PATH.\nStop salesbox serve first: a "
        "database in use is refused.\n\n%s",
        FormatFlags(kRestoreFlags).c_str());
    return kExitOk;
  }
  Result<std::string> from = args->Require("from");
  if (!from.ok()) return Fail("restore", from.status(), /*usage=*/true);
  Result<std::string> db = args->Require("db");
  if (!db.ok()) return Fail("restore", db.status(), /*usage=*/true);
  if (Status extra = NoPositional(*args); !extra.ok()) return Fail("restore", extra, true);
  Status status = storage::RestoreStore(*from, *db, args->Has("replace"));
  if (!status.ok()) return Fail("restore", status);
  // The live facts kept beside the database (salesbox serve) describe the data before the
  // restore: without them the next start gathers the facts from the restored data.
  std::error_code ec;
  const std::string file = (db->rfind("sqlite:", 0) == 0 ? db->substr(7) : *db) + ".facts";
  std::filesystem::remove(file, ec);
  // The store brings an older backup's schema up to date, as every command does on open.
  Result<std::unique_ptr<storage::Store>> store = OpenExistingStore(*db);
  if (!store.ok()) return Fail("restore", store.status());
  std::printf("salesbox restore: %s -> %s\n", from->c_str(), db->c_str());
  return kExitOk;
}

}  // namespace salesbox::cli

// SPDX-License-Identifier: MIT
// The command table and the dispatcher behind main().
#include "cli/command.h"

#include "storage/open_store.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace salesbox::cli {
namespace {

constexpr Command kCommands[] = {
    {"init", "create a database (or bring its schema up to date)", RunInit},
    {"import", "import a CSV file of accounts, opportunities, ... (all or nothing)", RunImport},
    {"export", "write every record of a kind as CSV or JSON", RunExport},
    {"demo", "generate the demo company (a realistic Nordic B2B company)", RunDemo},
    {"stats", "what is in the database: counts, pipeline, wins, orders", RunStats},
    {"serve", "serve the web app and the REST API", RunServe},
    {"user", "add users, set passwords, list who may sign in", RunUser},
    {"backup", "a consistent copy of the database, also while it is in use", RunBackup},
    {"restore", "put a backup back in place of a database", RunRestore},
    {"audit", "five-area audit of opportunities and customers: red/yellow/green", RunAudit},
    {"playbook", "load, list and show the audit's playbooks", RunPlaybook},
    {"clv", "customer lifetime value (BG/NBD, Gamma-Gamma) and ABC classes", RunClv},
    {"forecast", "evidence-based forecast of a period, and its backtest", RunForecast},
    {"doctor", "data quality: what in the data makes the audit and forecast less than they seem",
     RunDoctor},
};

void PrintUsage(std::FILE* out) {
  std::fprintf(out,
               "salesbox - a sales manager in a box\n\n"
               "usage: salesbox COMMAND [OPTIONS]\n\ncommands:\n");
  for (const Command& command : kCommands) {
    std::fprintf(out, "  %-10s %.*s\n", std::string(command.name).c_str(),
                 static_cast<int>(command.summary.size()), command.summary.data());
  }
  std::fprintf(out, "\nRun `salesbox COMMAND --help` for a command's options.\n");
}

}  // namespace

int Fail(std::string_view command, const Status& status, bool usage) {
  std::fprintf(stderr, "salesbox %.*s: %s\n", static_cast<int>(command.size()), command.data(),
               status.message().c_str());
  return usage ? kExitUsage : kExitError;
}

Status WriteOutput(const std::optional<std::string>& path,
                   const std::function<void(const std::function<void(std::string_view)>&)>& produce) {
  if (!path) {
    produce([](std::string_view piece) { std::fwrite(piece.data(), 1, piece.size(), stdout); });
    return std::fflush(stdout) == 0 ? Status::Ok() : Status::Internal("writing the output failed");
  }
  const std::string temp = *path + ".partial";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::InvalidArgument("--out: cannot write " + *path);
    produce([&out](std::string_view piece) {
      out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
    });
    out.close();
    if (!out) {
      std::remove(temp.c_str());
      return Status::InvalidArgument("--out: cannot write " + *path);
    }
  }
  if (std::rename(temp.c_str(), path->c_str()) != 0) {
    std::remove(temp.c_str());
    return Status::InvalidArgument("--out: cannot write " + *path);
  }
  return Status::Ok();
}

Status WriteOutput(const std::optional<std::string>& path, const std::string& bytes) {
  return WriteOutput(path, [&bytes](const std::function<void(std::string_view)>& write) {
    write(bytes);
  });
}

Result<std::unique_ptr<storage::Store>> OpenExistingStore(const std::string& db) {
  std::error_code ec;
  if (db.rfind("sqlite:", 0) != 0 && db.rfind("postgres", 0) != 0 &&
      !std::filesystem::exists(db, ec)) {
    return Status::NotFound(db + " does not exist; create it with `salesbox init --db " + db +
                            "` or `salesbox demo --db " + db + "`");
  }
  return storage::OpenStore(db);
}

std::shared_ptr<const service::facts::FactSnapshot> KeptFacts(storage::Store& store,
                                                              const std::string& db,
                                                              bool with_model) {
  if (db.find(":memory:") != std::string::npos) return nullptr;
  const std::string path = (db.rfind("sqlite:", 0) == 0 ? db.substr(7) : db) + ".facts";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return nullptr;
  SystemClock clock;
  service::facts::LiveFacts::Options options;
  options.fact_file = path;
  options.write_file = false;
  options.train = with_model;
  service::facts::LiveFacts live(store, clock, options);
  Result<std::shared_ptr<const service::facts::FactSnapshot>> kept = live.ResumeFromFile();
  return kept.ok() ? *kept : nullptr;
}

int Main(int argc, char** argv) {  // NOLINT
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    PrintUsage(stderr);
    return kExitUsage;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    PrintUsage(stdout);
    return kExitOk;
  }
  if (args[0] == "--version") {
    std::printf("salesbox 0.1.0\n");
    return kExitOk;
  }
  for (const Command& command : kCommands) {
    if (command.name == args[0]) {
      return command.run(std::span<const std::string>(args).subspan(1));
    }
  }
  std::fprintf(stderr, "salesbox: unknown command \"%s\"\n\n", args[0].c_str());
  PrintUsage(stderr);
  return kExitUsage;
}

}  // namespace salesbox::cli

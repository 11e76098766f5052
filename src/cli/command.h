// SPDX-License-Identifier: MIT
// The subcommands of `salesbox`. Each parses its own flags, calls services and prints; it returns
// the process exit code: 0 success, 2 usage error, 1 any other error (with a message on stderr).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include <functional>
#include <memory>
#include <optional>

#include "common/result.h"
#include "common/status.h"
#include "service/facts/live_facts.h"
#include "storage/store.h"

namespace salesbox::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;

struct Command {
  std::string_view name;
  std::string_view summary;
  int (*run)(std::span<const std::string> args);
};

// Runs `salesbox ARGS...` and returns the exit code.
int Main(int argc, char** argv);

int RunInit(std::span<const std::string> args);
int RunImport(std::span<const std::string> args);
int RunExport(std::span<const std::string> args);
int RunDemo(std::span<const std::string> args);
int RunStats(std::span<const std::string> args);
int RunServe(std::span<const std::string> args);
int RunUser(std::span<const std::string> args);
int RunBackup(std::span<const std::string> args);
int RunRestore(std::span<const std::string> args);
int RunAudit(std::span<const std::string> args);
int RunPlaybook(std::span<const std::string> args);
int RunClv(std::span<const std::string> args);
int RunForecast(std::span<const std::string> args);
int RunDoctor(std::span<const std::string> args);

// Writes what `produce` hands to its writer to `path`, or to standard output when `path` is
// empty. A file is written beside the target and renamed, so a failed write never leaves half
// a file. kInvalidArgument ("--out: cannot write PATH") when the file cannot be written.
Status WriteOutput(const std::optional<std::string>& path,
                   const std::function<void(const std::function<void(std::string_view)>&)>& produce);
// The same for output that is ready as one string.
Status WriteOutput(const std::optional<std::string>& path, const std::string& bytes);

// Opens a database that must already exist (a plain path is checked first, so a typo does not
// create an empty database): kNotFound with a hint to `salesbox init` or `salesbox demo`.
Result<std::unique_ptr<storage::Store>> OpenExistingStore(const std::string& db);

// Today's audit and forecast facts as `salesbox serve` keeps them beside a file database
// (service/facts/fact_file.h), read back and brought up to date with the change feed: a command
// then starts in a fraction of a full gathering. Null when there is no usable fact file (another
// day's, another database's, damaged) or `db` is in memory; `with_model`: only a file with the
// day's forecast model.
std::shared_ptr<const service::facts::FactSnapshot> KeptFacts(storage::Store& store,
                                                              const std::string& db,
                                                              bool with_model);

// The --locale flag of commands that print a report for reading (en, da, sv, nb; default en) as
// an index of analytics::audit::kLocales; kInvalidArgument names the languages.
class Args;
Result<int> ParseReportLocale(const Args& args);
// Prints the data-quality report of `store` (service/data_quality.h) to standard output.
Status PrintDataQuality(storage::Store& store, int locale);

// Prints "salesbox COMMAND: message" to stderr and returns kExitUsage (for kInvalidArgument from
// argument parsing) or kExitError.
int Fail(std::string_view command, const Status& status, bool usage = false);

}  // namespace salesbox::cli

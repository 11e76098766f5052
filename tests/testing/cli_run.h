// SPDX-License-Identifier: MIT
// Runs the built `salesbox` binary the way a user does, for the CLI tests.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace salesbox::test {

struct CliRun {
  int exit_code = -1;  // -1: the command did not exit normally
  std::string output;  // stdout and stderr, interleaved
};

// Runs `binary ARGS` through the shell and collects its output and exit code.
inline CliRun RunCli(const std::string& binary, const std::string& args) {
  const std::string command = binary + " " + args + " 2>&1";
  CliRun run;
  std::FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0) run.output.append(buffer, n);
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

}  // namespace salesbox::test

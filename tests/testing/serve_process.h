// SPDX-License-Identifier: MIT
// `salesbox serve` (or any salesbox command) as a child process, for tests that kill it, limit
// its file sizes or talk to it over HTTP.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

namespace salesbox::test {

struct ChildOptions {
  // RLIMIT_FSIZE in bytes (0: none). SIGXFSZ is ignored, so a write past it fails with EFBIG
  // the way a full disk fails with ENOSPC, instead of killing the process.
  uint64_t file_size_limit = 0;
  std::string output_file;  // stdout and stderr go here ("": /dev/null)
};

// A salesbox process started with `args`. The destructor kills it (SIGKILL) if it still runs.
class Child {
 public:
  Child(const std::string& binary, const std::vector<std::string>& args,
        const ChildOptions& options = {}) {
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      if (options.file_size_limit > 0) {
        const rlimit limit{options.file_size_limit, options.file_size_limit};
        ::setrlimit(RLIMIT_FSIZE, &limit);
        ::signal(SIGXFSZ, SIG_IGN);
      }
      ::dup2(out[1], 1);
      const int err = options.output_file.empty()
                          ? ::open("/dev/null", O_WRONLY)
                          : ::open(options.output_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (err >= 0) ::dup2(err, 2);
      std::vector<char*> argv;
      argv.push_back(const_cast<char*>(binary.c_str()));
      for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
      argv.push_back(nullptr);
      ::execv(binary.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    stdout_ = out[0];
  }
  ~Child() {
    Kill(SIGKILL);
    if (stdout_ >= 0) ::close(stdout_);
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }
  // The wait status once Running() found the process ended by itself.
  int exit_status() const { return exit_status_; }

  // Reads stdout until a line contains `text` or `timeout` passes; returns what was read.
  std::string ReadUntil(const std::string& text, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (output_.find(text) == std::string::npos) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd fd{stdout_, POLLIN, 0};
      if (::poll(&fd, 1, static_cast<int>(left.count())) <= 0) break;
      char buffer[4096];
      const ssize_t n = ::read(stdout_, buffer, sizeof(buffer));
      if (n <= 0) break;
      output_.append(buffer, static_cast<size_t>(n));
    }
    return output_;
  }

  // For `salesbox serve --port 0`: the port from its "listening" line, 0 if none came in
  // `timeout`.
  uint16_t WaitForPort(std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    const std::string marker = "http://127.0.0.1:";
    const std::string text = ReadUntil("/\n", timeout);
    const size_t at = text.find(marker);
    if (at == std::string::npos) return 0;
    return static_cast<uint16_t>(std::atoi(text.c_str() + at + marker.size()));
  }

  // Sends `signal` and waits for the process; returns its wait status (-1 if already reaped).
  int Kill(int signal) {
    if (pid_ <= 0) return -1;
    ::kill(pid_, signal);
    return Wait();
  }

  // Waits for the process to end; returns its wait status (-1 if already reaped).
  int Wait() {
    if (pid_ <= 0) return -1;
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

  // True while the process has not ended (reaps it when it has).
  bool Running() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == 0) return true;
    pid_ = -1;
    exit_status_ = status;
    return false;
  }

 private:
  pid_t pid_ = -1;
  int stdout_ = -1;
  int exit_status_ = 0;
  std::string output_;
};

}  // namespace salesbox::test

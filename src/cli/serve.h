// SPDX-License-Identifier: MIT
// What `salesbox serve` and `salesbox demo` share: the server's flags and running it.
#pragma once

#include <functional>
#include <string>

#include "cli/args.h"
#include "common/result.h"
#include "storage/store.h"

namespace salesbox::cli {

struct ServeOptions {
  int port = 8080;
  std::string bind = "127.0.0.1";
  std::string web_dir;
  int threads = 0;
  // The database's path or URL, for the live fact model's own read connections; empty (or an
  // in-memory database): it reads through the served store.
  std::string db;
  // http::ServerOptions::public_url and metrics_token.
  std::string public_url;
  std::string metrics_token;
};

// Reads --port, --bind, --web, --threads, --public-url and --metrics-token-file (flags the
// caller declared) and the SALESBOX_METRICS_TOKEN environment variable. kInvalidArgument for a
// public URL that is not http(s)://, an unreadable token file or a token under 16 characters.
Result<ServeOptions> ParseServeFlags(const Args& args);

// Serves `store` until SIGINT/SIGTERM; calls `on_listening` with the URL once it listens.
// Returns the exit code.
int Serve(storage::Store& store, const ServeOptions& options,
          const std::function<void(const std::string& url)>& on_listening);

}  // namespace salesbox::cli

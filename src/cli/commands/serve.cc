// SPDX-License-Identifier: MIT
// `salesbox serve`: the web app and the REST API over one database.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <filesystem>
#include <string>

#include "api/api.h"
#include "common/status_macros.h"
#include "cli/args.h"
#include "cli/command.h"
#include "cli/serve.h"
#include "http/server.h"
#include "service/auth.h"
#include "service/facts/live_facts.h"
#include "storage/open_store.h"

namespace salesbox::cli {
namespace {

constexpr FlagSpec kFlags[] = {
    {"db", "PATH", "the database (required)"},
    {"port", "N", "TCP port (default 8080; 0 picks a free one)"},
    {"bind", "ADDRESS", "address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)"},
    {"web", "DIR", "the built web app (default: web/dist next to the source tree)"},
    {"threads", "N", "server threads (default: one per core, at least 2)"},
    {"public-url", "URL",
     "where users reach it (https://crm.example.com: Secure cookie and HSTS; see README)"},
    {"metrics-token-file", "FILE",
     "a bearer token for /metrics (also SALESBOX_METRICS_TOKEN); without one /metrics answers "
     "only on loopback"},
};

// web/dist of the source tree this binary was built from (build/salesbox -> web/dist), else
// ./web/dist.
std::string DefaultWebDir() {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (std::filesystem::path dir = exe.parent_path(); !dir.empty() && dir != dir.root_path();
         dir = dir.parent_path()) {
      if (std::filesystem::exists(dir / "web" / "dist" / "index.html", ec)) {
        return (dir / "web" / "dist").string();
      }
    }
  }
  if (std::filesystem::exists("web/dist/index.html", ec)) return "web/dist";
  return "";
}

Result<int> ParseNumber(const std::optional<std::string>& text, int fallback, int low, int high,
                        std::string_view flag) {
  if (!text) return fallback;
  char* end = nullptr;
  const long value = std::strtol(text->c_str(), &end, 10);
  if (end == text->c_str() || *end != '\0' || value < low || value > high) {
    return Status::InvalidArgument("--" + std::string(flag) + " must be a whole number from " +
                                   std::to_string(low) + " to " + std::to_string(high));
  }
  return static_cast<int>(value);
}

}  // namespace

Result<ServeOptions> ParseServeFlags(const Args& args) {
  ServeOptions options;
  SB_ASSIGN_OR_RETURN(options.port, ParseNumber(args.Get("port"), 8080, 0, 65535, "port"));
  SB_ASSIGN_OR_RETURN(options.threads, ParseNumber(args.Get("threads"), 0, 0, 256, "threads"));
  if (auto bind = args.Get("bind")) options.bind = *bind;
  options.web_dir = args.Get("web").value_or(DefaultWebDir());
  if (auto url = args.Get("public-url")) {
    if (url->rfind("https://", 0) != 0 && url->rfind("http://", 0) != 0) {
      return Status::InvalidArgument("--public-url must start with https:// or http://");
    }
    options.public_url = *url;
  }
  if (const char* token = std::getenv("SALESBOX_METRICS_TOKEN"); token != nullptr) {
    options.metrics_token = token;
  }
  if (auto file = args.Get("metrics-token-file")) {
    std::ifstream in(*file);
    std::string token;
    if (!in || !std::getline(in, token)) {
      return Status::InvalidArgument("--metrics-token-file: cannot read " + *file);
    }
    while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.pop_back();
    options.metrics_token = token;
  }
  if (!options.metrics_token.empty() && options.metrics_token.size() < 16) {
    return Status::InvalidArgument("the metrics token needs at least 16 characters");
  }
  return options;
}

int Serve(storage::Store& store, const ServeOptions& options,
          const std::function<void(const std::string& url)>& on_listening) {
  SystemClock clock;
  service::AuthService auth(store, clock);
  if (Result<int64_t> purged = auth.PurgeExpired(); !purged.ok()) {
    return Fail("serve", purged.status());
  }
  // The audit's and forecast's facts: loaded in the background now, then kept current from the
  // change feed (service/facts/live_facts.h); pages wait for the first load, nothing else does.
  service::facts::LiveFacts::Options live_options;
  if (!options.db.empty() && options.db.find(":memory:") == std::string::npos) {
    const std::string db = options.db;
    live_options.open_reader = [db] { return OpenExistingStore(db); };
    // Beside the database: a restart reads it and replays the feed since (fact_file.h).
    live_options.fact_file = (db.rfind("sqlite:", 0) == 0 ? db.substr(7) : db) + ".facts";
  }
  service::facts::LiveFacts live(store, clock, live_options);
  live.Start();
  api::Api api(store, clock, auth, &live);
  http::ServerOptions server_options;
  server_options.bind = options.bind;
  server_options.port = static_cast<uint16_t>(options.port);
  server_options.threads = options.threads;
  server_options.web_dir = options.web_dir;
  server_options.public_url = options.public_url;
  server_options.metrics_token = options.metrics_token;
  server_options.health_check = [&store] { return store.teams().Count({}).ok(); };
  http::Server server(server_options, [&api](const http::Request& r) { return api.Handle(r); });
  Status started = server.Start();
  if (!started.ok()) return Fail("serve", started);
  const std::string host = options.bind == "0.0.0.0" || options.bind == "::" ? "127.0.0.1"
                           : options.bind.find(':') != std::string::npos
                               ? "[" + options.bind + "]"
                               : options.bind;
  const std::string url = "http://" + host + ":" + std::to_string(server.port()) + "/";
  if (options.web_dir.empty()) {
    std::fprintf(stderr,
                 "salesbox serve: no built web app found (run `make` or pass --web DIR); serving "
                 "the API only\n");
  }
  on_listening(url);
  std::fflush(stdout);
  server.Run();
  std::printf("salesbox serve: stopped\n");
  return kExitOk;
}

int RunServe(std::span<const std::string> words) {
  Result<Args> args = Args::Parse(words, kFlags);
  if (!args.ok()) return Fail("serve", args.status(), /*usage=*/true);
  if (args->help()) {
    std::printf(
        "usage: salesbox serve --db PATH [--port 8080] [--bind 127.0.0.1] [--web DIR]\n"
        "                      [--public-url https://...] [--metrics-token-file FILE]\n"
        "\nServes the web app and the REST API (/api/v1, docs/api.md) over the database,\n"
        "with /healthz and Prometheus /metrics. Stop with Ctrl-C.\n\n%s",
        FormatFlags(kFlags).c_str());
    return kExitOk;
  }
  Result<std::string> db = args->Require("db");
  if (!db.ok()) return Fail("serve", db.status(), /*usage=*/true);
  Result<ServeOptions> options = ParseServeFlags(*args);
  if (!options.ok()) return Fail("serve", options.status(), /*usage=*/true);
  options->db = *db;
  Result<std::unique_ptr<storage::Store>> store = OpenExistingStore(*db);
  if (!store.ok()) return Fail("serve", store.status());
  return Serve(**store, *options, [&](const std::string& url) {
    std::printf("salesbox serve: %s on %s\n", db->c_str(), url.c_str());
  });
}

}  // namespace salesbox::cli

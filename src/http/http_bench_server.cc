// SPDX-License-Identifier: MIT
// http_bench_server: the HTTP server alone, with /healthz and a fixed small JSON at /api/ping, so
// bench/http/run-wrk can measure the server layer without the database.
//   http_bench_server [--port 8080] [--threads 2] [--bind 127.0.0.1] [--web-dir DIR]
// Prints "listening on <bind>:<port>" once it accepts connections; stops on SIGINT/SIGTERM.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http/server.h"

int main(int argc, char** argv) {
  salesbox::http::ServerOptions options;
  options.threads = 2;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--port" && has_value) {
      options.port = static_cast<uint16_t>(std::atoi(argv[++i]));
    } else if (arg == "--threads" && has_value) {
      options.threads = std::atoi(argv[++i]);
    } else if (arg == "--bind" && has_value) {
      options.bind = argv[++i];
    } else if (arg == "--web-dir" && has_value) {
      options.web_dir = argv[++i];
    } else {
      std::fprintf(stderr,
                   "usage: http_bench_server [--port N] [--threads N] [--bind ADDRESS] "
                   "[--web-dir DIR]\n");
      return 2;
    }
  }

  salesbox::http::Server server(options, [](const salesbox::http::Request& request) {
    if (request.path == "/api/ping") {
      salesbox::http::Response response =
          salesbox::http::Response::Json(200, R"({"pong":true,"service":"salesbox"})");
      response.route = "GET /api/ping";
      return response;
    }
    return salesbox::http::Response::Error(404, "not_found", "no such route");
  });
  const salesbox::Status status = server.Start();
  if (!status.ok()) {
    std::fprintf(stderr, "http_bench_server: %s\n", status.ToString().c_str());
    return 1;
  }
  std::printf("listening on %s:%u\n", options.bind.c_str(), server.port());
  std::fflush(stdout);
  server.Run();
  return 0;
}

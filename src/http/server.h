// SPDX-License-Identifier: MIT
// The HTTP/1.1 server under `salesbox serve`: asynchronous keep-alive connections on a few
// threads, /api/ requests handed to the application's Handler, the web app's static files,
// /healthz and Prometheus /metrics. Boost stays inside server.cc.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/status.h"
#include "http/message.h"

namespace salesbox::http {

struct ServerOptions {
  std::string bind = "127.0.0.1";  // an IPv4 or IPv6 address ("0.0.0.0", "::")
  uint16_t port = 8080;            // 0: an ephemeral port (tests); see Server::port()
  int threads = 0;                 // 0: std::thread::hardware_concurrency(), at least 2
  // Threads that run `handler` for /api/ requests, apart from the threads above that read and
  // write the connections and answer /healthz, /metrics and static files: a slow handler then
  // never keeps those waiting. 0: four per server thread (a page being made must not hold up
  // answers from the cache either); -1: none (handlers run inline).
  int handler_threads = 0;
  size_t body_limit = 1 << 20;     // bigger bodies get 413 with the JSON error, connection closed
  std::string web_dir;             // static files (the built web app); empty: none (404)
  std::chrono::seconds idle_timeout{60};  // a connection silent this long is closed
  // The address users reach the server at ("https://crm.example.com"). An https:// URL marks
  // every request secure (the session cookie gets Secure) and every response carries
  // Strict-Transport-Security. Empty: only X-Forwarded-Proto: https marks a request secure.
  std::string public_url;
  // GET /metrics needs "Authorization: Bearer <metrics_token>" when this is set; when it is
  // empty, /metrics answers only to clients on loopback that no proxy forwarded (403 otherwise).
  std::string metrics_token;
  // /healthz answers 200 {"status":"ok"} when this returns true (or is empty), else 503
  // {"status":"unavailable"}. Called on a server thread; must be thread-safe and quick.
  std::function<bool()> health_check;
};

// What the server answers:
//  * /healthz and /metrics itself (GET and HEAD); /metrics only as options.metrics_token says.
//  * Every path starting with /api/ through `handler`. A handler that throws gets a 500 JSON
//    error (the exception is logged to stderr and counted as an error); the server goes on.
//  * Everything else from options.web_dir (see internal/static_files.h): GET and HEAD, ETag/304,
//    the single-page-app fallback to index.html, 404 JSON error for a missing file.
// Requests it refuses itself, each with the JSON error body and the connection closed:
// malformed HTTP or a bad path (bad percent escape, NUL, a ".." segment) 400, headers above
// 16 KiB 431, a body above options.body_limit 413 ("payload_too_large").
// Every response carries X-Content-Type-Options, Referrer-Policy and X-Frame-Options; HTML also
// a Content-Security-Policy; with an https:// public_url also Strict-Transport-Security.
//
// The client's address (Request::remote_address, used for sign-in throttling) is the peer's,
// except that a request from a loopback peer with X-Forwarded-For (a reverse proxy on the same
// host: nginx's $proxy_add_x_forwarded_for, Caddy) takes the last address of that header, the
// one the proxy itself added.
//
// Lifecycle: construct, Start() (binds), Run() (serves until Stop() or SIGINT/SIGTERM), destroy.
// A Server runs once: Start() after Run() has returned fails.
class Server {
 public:
  Server(ServerOptions options, Handler handler);
  // REQUIRES: Run() is not running (it has returned, or was never called).
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds options.bind:options.port and listens. kUnavailable if the address is in use
  // ("127.0.0.1:8080 is already in use"), kInvalidArgument for a bad bind address or a web_dir
  // that is not a directory, kPermissionDenied for a privileged port, kFailedPrecondition if
  // already started.
  Status Start();

  // The bound port (the chosen one when options.port was 0); 0 before Start().
  uint16_t port() const;

  // Serves on options.threads threads (the calling thread is one of them) and blocks until Stop()
  // is called or the process gets SIGINT or SIGTERM (handled only while Run() runs). Then it stops
  // accepting, lets requests in progress finish (up to 5 s), closes idle connections and returns.
  // REQUIRES: Start() returned OK.
  void Run();

  // Asks Run() to stop as described there and returns at once, without waiting for it.
  // Thread-safe; may be called from a handler, before Run() (Run() then returns at once), and
  // more than once.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace salesbox::http

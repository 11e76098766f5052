// SPDX-License-Identifier: MIT
// Fuzz target: the HTTP request parser as the server runs it. One http::Server on 127.0.0.1
// (started once) gets each input as raw bytes on a fresh connection, whose sending side is then
// closed; the server must answer or close the connection, and keep serving. The same bytes are
// also read as a Cookie header and a query string by http::Request.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "http/message.h"
#include "http/server.h"

namespace {

uint16_t ServerPort() {
  static const uint16_t port = [] {
    salesbox::http::ServerOptions options;
    options.port = 0;
    options.threads = 2;
    options.handler_threads = -1;
    options.idle_timeout = std::chrono::seconds(2);
    auto* server = new salesbox::http::Server(options, [](const salesbox::http::Request& r) {
      (void)r.QueryParams();
      (void)r.Cookie("sb_session");
      return salesbox::http::Response::Json(200, "{}");
    });
    if (!server->Start().ok()) std::abort();
    std::thread([server] { server->Run(); }).detach();
    return server->port();
  }();
  return port;
}

// Sends `bytes`, closes the sending side, reads until the server closes. False if the server
// could not be reached.
bool Exchange(uint16_t port, const uint8_t* bytes, size_t size) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int fd = -1;
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return true;  // out of descriptors: not the server's fault
    timeval timeout{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    // Closed with a reset, so that hundreds of thousands of connections leave no TIME_WAIT
    // behind to use up the ephemeral ports.
    const linger reset{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
      ::close(fd);
      fd = -1;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  if (fd < 0) return false;
  for (size_t sent = 0; sent < size;) {
    const ssize_t n = ::send(fd, bytes + sent, size - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server refused early and closed: fine
    sent += static_cast<size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  char buffer[4096];
  while (::recv(fd, buffer, sizeof(buffer), 0) > 0) {
  }
  ::close(fd);
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  salesbox::http::Request request;
  request.query = text;
  request.headers.emplace_back("cookie", text);
  (void)request.QueryParams();
  (void)request.Cookie("sb_session");
  if (!Exchange(ServerPort(), data, size)) std::abort();  // the server stopped serving
  return 0;
}

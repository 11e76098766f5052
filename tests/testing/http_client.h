// SPDX-License-Identifier: MIT
// A minimal blocking HTTP/1.1 client on 127.0.0.1 for tests that run `salesbox serve` as a
// process: one request per connection (Connection: close), the answer read to the end.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

namespace salesbox::test {

struct HttpAnswer {
  int status = 0;  // 0: no answer (connection refused, timeout, cut off)
  std::string headers;
  std::string body;

  // The value of the first header `name` (case-sensitive as the server writes it), or "".
  std::string Header(const std::string& name) const {
    const size_t at = headers.find("\r\n" + name + ": ");
    if (at == std::string::npos) return "";
    const size_t start = at + name.size() + 4;
    return headers.substr(start, headers.find("\r\n", start) - start);
  }
};

// Sends one request to 127.0.0.1:`port` and waits up to `timeout_ms` for the whole answer.
inline HttpAnswer HttpRequest(uint16_t port, const std::string& method, const std::string& target,
                              const std::string& body = "",
                              const std::vector<std::pair<std::string, std::string>>& headers = {},
                              int timeout_ms = 10000) {
  HttpAnswer answer;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return answer;
  timeval timeout{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd);
    return answer;
  }
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  request += "Connection: close\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  if (!body.empty() || method == "POST" || method == "PATCH" || method == "PUT") {
    request += "Content-Type: application/json\r\nContent-Length: " +
               std::to_string(body.size()) + "\r\n";
  }
  request += "\r\n" + body;
  for (size_t sent = 0; sent < request.size();) {
    const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      ::close(fd);
      return answer;
    }
    sent += static_cast<size_t>(n);
  }
  std::string raw;
  char buffer[8192];
  ssize_t n;
  while ((n = ::recv(fd, buffer, sizeof(buffer), 0)) > 0) raw.append(buffer, static_cast<size_t>(n));
  ::close(fd);
  const size_t end = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/1.1 ", 0) != 0 || end == std::string::npos) return answer;
  answer.headers = raw.substr(0, end + 2);
  answer.body = raw.substr(end + 4);
  const std::string length = answer.Header("Content-Length");
  if (!length.empty() && answer.body.size() < std::strtoull(length.c_str(), nullptr, 10)) {
    return HttpAnswer{};  // cut off
  }
  answer.status = std::atoi(raw.c_str() + 9);
  return answer;
}

}  // namespace salesbox::test

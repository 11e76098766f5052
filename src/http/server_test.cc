// SPDX-License-Identifier: MIT
// Tests for Server: a real server on 127.0.0.1 with an ephemeral port, served on a background
// thread, spoken to with raw POSIX sockets so that every byte on the wire is under the test's
// control (keep-alive, pipelining, garbage, oversize bodies, HEAD without a body).
#include "http/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace salesbox::http {
namespace {

namespace fs = std::filesystem;
using ::salesbox::test::StatusIsWithMessage;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-case
  std::string body;

  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

// A blocking HTTP/1.1 client on one TCP connection, with a 2 s receive timeout so that a server
// bug fails the test instead of hanging it.
class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval timeout{2, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  }
  ~Client() { ::close(fd_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return connected_; }

  bool Send(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads one response (skipping 1xx ones unless `keep_informational`). For a response to HEAD
  // pass `head`: its Content-Length announces a body that is not sent.
  std::optional<RawResponse> Read(bool head = false, bool keep_informational = false) {
    for (;;) {
      size_t end;
      while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
        if (!Fill()) return std::nullopt;
      }
      RawResponse response;
      const std::string head_text = buffer_.substr(0, end);
      buffer_.erase(0, end + 4);
      size_t line_end = head_text.find("\r\n");
      const std::string status_line = head_text.substr(0, line_end);
      if (status_line.size() < 12 || status_line.compare(0, 5, "HTTP/") != 0) return std::nullopt;
      response.status = std::stoi(status_line.substr(9, 3));
      while (line_end != std::string::npos) {
        const size_t start = line_end + 2;
        line_end = head_text.find("\r\n", start);
        const std::string line = head_text.substr(start, line_end - start);
        const size_t colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string name = line.substr(0, colon);
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        size_t value_start = colon + 1;
        while (value_start < line.size() && line[value_start] == ' ') ++value_start;
        response.headers[name] = line.substr(value_start);
      }
      if (response.status / 100 == 1 && !keep_informational) continue;
      const bool has_body =
          !head && response.status / 100 != 1 && response.status != 204 && response.status != 304;
      if (has_body) {
        const size_t length = std::stoul(
            response.Header("content-length").empty() ? "0" : response.Header("content-length"));
        while (buffer_.size() < length) {
          if (!Fill()) return std::nullopt;
        }
        response.body = buffer_.substr(0, length);
        buffer_.erase(0, length);
      }
      return response;
    }
  }

  // True if the server closed the connection (EOF or reset) with no further bytes.
  bool ClosedByPeer() {
    if (!buffer_.empty()) return false;
    char byte;
    const ssize_t n = ::recv(fd_, &byte, 1, 0);
    return n == 0 || (n < 0 && errno == ECONNRESET);
  }

 private:
  bool Fill() {
    char chunk[16384];
    const ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

std::string Get(std::string_view target, std::string_view extra_headers = "") {
  std::string request = "GET ";
  request += target;
  request += " HTTP/1.1\r\nHost: test\r\n";
  request += extra_headers;
  request += "\r\n";
  return request;
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    web_dir_ = fs::temp_directory_path() /
               ("salesbox_server_test_" + std::to_string(::getpid()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(web_dir_);
    fs::create_directories(web_dir_ / "assets");
    std::ofstream(web_dir_ / "index.html") << "<!doctype html><title>salesbox</title>";
    std::ofstream(web_dir_ / "assets" / "app-1a2b.js") << "console.log('salesbox')";
    std::ofstream(web_dir_.parent_path() / ("passwd_" + std::to_string(::getpid()))) << "root:x";
  }

  void TearDown() override {
    StopServer();
    fs::remove_all(web_dir_);
    fs::remove(web_dir_.parent_path() / ("passwd_" + std::to_string(::getpid())));
  }

  // Starts a server with `options` (port 0, 2 threads, this test's web dir and health flag
  // unless set) and serves it on a background thread.
  void StartServer(ServerOptions options = {}, bool with_web_dir = true) {
    options.port = 0;
    options.threads = 2;
    if (with_web_dir) options.web_dir = web_dir_.string();
    options.health_check = [this] { return healthy_.load(); };
    server_ = std::make_unique<Server>(std::move(options),
                                       [this](const Request& request) { return Handle(request); });
    SB_ASSERT_OK(server_->Start());
    ASSERT_NE(server_->port(), 0);
    run_done_ = false;
    thread_ = std::thread([this] {
      server_->Run();
      run_done_ = true;
    });
  }

  // Stops the server and returns how long Run() took to return.
  std::chrono::milliseconds StopServer() {
    if (!server_) return std::chrono::milliseconds(0);
    const auto start = std::chrono::steady_clock::now();
    server_->Stop();
    thread_.join();
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    server_.reset();
    return took;
  }

  Response Handle(const Request& request) {
    {
      std::lock_guard lock(mu_);
      last_request_ = request;
    }
    if (request.path == "/api/throw") throw std::runtime_error("handler bug");
    if (request.path == "/api/slow") {  // holds its thread until the test releases it
      std::unique_lock lock(slow_mu_);
      ++in_slow_;
      slow_cv_.notify_all();
      slow_cv_.wait_for(lock, std::chrono::seconds(20), [this] { return released_; });
    }
    if (request.path == "/api/big") return Response::Json(200, std::string(5000, ' ') + "{}");
    if (request.path == "/api/bad-status") return Response::Empty(42);
    if (request.path == "/api/inject") {
      Response response = Response::Json(200, "{}");
      response.headers.emplace_back("X-Name", "a\r\nSet-Cookie: sb_session=evil");
      response.headers.emplace_back("Content-Length", "9999");
      response.headers.emplace_back("X-Fine", "yes");
      return response;
    }
    Response response = Response::Json(200, R"({"ok":true})");
    if (request.path == "/api/echo") response.route = "ANY /api/echo";
    return response;
  }

  Request LastRequest() {
    std::lock_guard lock(mu_);
    return last_request_;
  }

  fs::path web_dir_;
  std::atomic<bool> healthy_{true};
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::atomic<bool> run_done_{false};
  std::mutex mu_;
  Request last_request_;
  std::mutex slow_mu_;
  std::condition_variable slow_cv_;
  int in_slow_ = 0;
  bool released_ = false;
};

TEST_F(ServerTest, HandlerGetsTheRequestFields) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.Send(
      "POST /api/v1/acc%C3%A6unts/7?limit=5&q=a+b%26c HTTP/1.1\r\n"
      "Host: test\r\nX-Custom-Header: Value\r\nX-Forwarded-Proto: https\r\n"
      "Cookie: theme=dark; sb_session=s3cret\r\nContent-Length: 11\r\n\r\nhello world"));
  std::optional<RawResponse> response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, R"({"ok":true})");
  EXPECT_EQ(response->Header("content-type"), "application/json");
  EXPECT_EQ(response->Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(response->Header("referrer-policy"), "same-origin");
  EXPECT_EQ(response->Header("x-frame-options"), "DENY");
  EXPECT_EQ(response->Header("content-security-policy"), "");  // not HTML

  const Request request = LastRequest();
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.path, "/api/v1/acc\xc3\xa6unts/7");
  EXPECT_EQ(request.query, "limit=5&q=a+b%26c");
  EXPECT_THAT(request.QueryParams(),
              ::testing::ElementsAre(Pair("limit", "5"), Pair("q", "a b&c")));
  EXPECT_THAT(request.headers, ::testing::Contains(Pair("x-custom-header", "Value")));
  EXPECT_EQ(request.Header("x-custom-header"), "Value");
  EXPECT_EQ(request.Cookie("sb_session"), "s3cret");
  EXPECT_EQ(request.body, "hello world");
  EXPECT_EQ(request.remote_address, "127.0.0.1");
  EXPECT_TRUE(request.secure);
}

TEST_F(ServerTest, PlainHttpIsNotSecureAndChunkedBodiesArrive) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(
      client.Send("PUT /api/x HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"));
  std::optional<RawResponse> response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(LastRequest().body, "hello world");
  EXPECT_FALSE(LastRequest().secure);
}

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  StartServer();
  Client client(server_->port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client.Send(Get("/api/echo?i=" + std::to_string(i))));
    std::optional<RawResponse> response = client.Read();
    ASSERT_TRUE(response) << "request " << i;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(LastRequest().query, "i=" + std::to_string(i));
  }
  // Pipelined: two requests in one write, answered in order.
  ASSERT_TRUE(client.Send(Get("/api/big") + Get("/healthz")));
  std::optional<RawResponse> first = client.Read();
  std::optional<RawResponse> second = client.Read();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->body.size(), 5002u);
  EXPECT_EQ(second->body, R"({"status":"ok"})");
}

TEST_F(ServerTest, ConnectionCloseAndHttp10CloseAfterTheResponse) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/api/echo", "Connection: close\r\n")));
  std::optional<RawResponse> response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->Header("connection"), "close");
  EXPECT_TRUE(client.ClosedByPeer());

  Client old(server_->port());
  ASSERT_TRUE(old.Send("GET /api/echo HTTP/1.0\r\n\r\n"));
  ASSERT_TRUE(old.Read());
  EXPECT_TRUE(old.ClosedByPeer());
}

TEST_F(ServerTest, OversizeBodyIs413AndTheConnectionCloses) {
  ServerOptions options;
  options.body_limit = 1024;
  StartServer(options);

  // Refused from Content-Length, before the body is read.
  Client client(server_->port());
  ASSERT_TRUE(client.Send("POST /api/x HTTP/1.1\r\nHost: t\r\nContent-Length: 1025\r\n\r\n" +
                          std::string(100, 'x')));
  std::optional<RawResponse> response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(response->Header("content-type"), "application/json");
  EXPECT_THAT(response->body, HasSubstr(R"({"error":{"code":"payload_too_large","message":")"));
  EXPECT_EQ(response->Header("connection"), "close");
  EXPECT_TRUE(client.ClosedByPeer());

  // A chunked body is refused when it grows past the limit.
  Client chunked(server_->port());
  ASSERT_TRUE(
      chunked.Send("POST /api/x HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                   "800\r\n" +
                   std::string(0x800, 'y') + "\r\n0\r\n\r\n"));
  response = chunked.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_TRUE(chunked.ClosedByPeer());

  // At the limit is fine.
  Client fits(server_->port());
  ASSERT_TRUE(fits.Send("POST /api/x HTTP/1.1\r\nHost: t\r\nContent-Length: 1024\r\n\r\n" +
                        std::string(1024, 'z')));
  response = fits.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(LastRequest().body.size(), 1024u);
}

TEST_F(ServerTest, ExpectContinueGets100ThenTheAnswer) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(
      "POST /api/x HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n"));
  std::optional<RawResponse> interim = client.Read(/*head=*/false, /*keep_informational=*/true);
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(client.Send("ping"));
  std::optional<RawResponse> response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(LastRequest().body, "ping");
}

TEST_F(ServerTest, GarbageIs400AndTheConnectionCloses) {
  StartServer();
  for (const char* garbage : {"this is not http\r\n\r\n", "GET / HTTP/9.9\r\n\r\n",
                              "GET / HTTP/1.1\r\nBad Header Line\r\n\r\n"}) {
    Client client(server_->port());
    ASSERT_TRUE(client.Send(garbage));
    std::optional<RawResponse> response = client.Read();
    ASSERT_TRUE(response) << garbage;
    EXPECT_EQ(response->status, 400) << garbage;
    EXPECT_THAT(response->body, HasSubstr(R"("code":"bad_request")"));
    EXPECT_TRUE(client.ClosedByPeer()) << garbage;
  }
}

TEST_F(ServerTest, BadPathsAre400) {
  StartServer();
  Client client(server_->port());
  for (const char* target : {"/api/a%zzb", "/api/a%00b", "/api/x/../y", "/%2e%2e/secret"}) {
    ASSERT_TRUE(client.Send(Get(target)));
    std::optional<RawResponse> response = client.Read();
    ASSERT_TRUE(response) << target;
    EXPECT_EQ(response->status, 400) << target;
    EXPECT_THAT(response->body, HasSubstr(R"("code":"bad_request")")) << target;
  }
}

TEST_F(ServerTest, ServesStaticFilesWithEtagsAndTheSpaFallback) {
  StartServer();
  Client client(server_->port());

  ASSERT_TRUE(client.Send(Get("/assets/app-1a2b.js")));
  std::optional<RawResponse> asset = client.Read();
  ASSERT_TRUE(asset);
  EXPECT_EQ(asset->status, 200);
  EXPECT_EQ(asset->body, "console.log('salesbox')");
  EXPECT_EQ(asset->Header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(asset->Header("cache-control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(asset->Header("x-content-type-options"), "nosniff");
  const std::string etag = asset->Header("etag");
  ASSERT_FALSE(etag.empty());

  ASSERT_TRUE(client.Send(Get("/assets/app-1a2b.js", "If-None-Match: " + etag + "\r\n")));
  std::optional<RawResponse> not_modified = client.Read();
  ASSERT_TRUE(not_modified);
  EXPECT_EQ(not_modified->status, 304);
  EXPECT_EQ(not_modified->body, "");
  EXPECT_EQ(not_modified->Header("etag"), etag);

  ASSERT_TRUE(client.Send(Get("/accounts/7")));
  std::optional<RawResponse> spa = client.Read();
  ASSERT_TRUE(spa);
  EXPECT_EQ(spa->status, 200);
  EXPECT_THAT(spa->body, HasSubstr("<title>salesbox</title>"));
  EXPECT_EQ(spa->Header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(spa->Header("cache-control"), "no-cache");
  EXPECT_EQ(spa->Header("content-security-policy"),
            "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'");

  ASSERT_TRUE(client.Send(Get("/assets/missing.js")));
  std::optional<RawResponse> missing = client.Read();
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_THAT(missing->body, HasSubstr(R"("code":"not_found")"));
}

TEST_F(ServerTest, HeadAnswersTheLengthWithoutTheBody) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send("HEAD /index.html HTTP/1.1\r\nHost: t\r\n\r\n"));
  std::optional<RawResponse> head = client.Read(/*head=*/true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->Header("content-length"), "38");
  EXPECT_EQ(head->Header("content-type"), "text/html; charset=utf-8");
  // Had the body been sent, it would now be read as the next response's status line.
  ASSERT_TRUE(client.Send(Get("/healthz")));
  std::optional<RawResponse> next = client.Read();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
}

TEST_F(ServerTest, TraversalIsRefused) {
  StartServer();
  const std::string passwd = "passwd_" + std::to_string(::getpid());
  for (const std::string& target :
       {std::string("/../etc/passwd"), std::string("/%2e%2e/%2e%2e/etc/passwd"),
        "/%2E%2E/" + passwd, "/assets/..%2f..%2f" + passwd, "/assets/%2e%2e/%2e%2e/" + passwd,
        "/..\\" + passwd}) {
    Client client(server_->port());
    ASSERT_TRUE(client.Send(Get(target)));
    std::optional<RawResponse> response = client.Read();
    ASSERT_TRUE(response) << target;
    EXPECT_NE(response->status, 200) << target;
    EXPECT_THAT(response->body, Not(HasSubstr("root:"))) << target;
  }
}

TEST_F(ServerTest, WithoutWebDirStaticPathsAre404) {
  StartServer({}, /*with_web_dir=*/false);
  Client client(server_->port());
  for (const char* target : {"/", "/index.html", "/accounts/7"}) {
    ASSERT_TRUE(client.Send(Get(target)));
    std::optional<RawResponse> response = client.Read();
    ASSERT_TRUE(response) << target;
    EXPECT_EQ(response->status, 404) << target;
    EXPECT_THAT(response->body, HasSubstr(R"("code":"not_found")"));
  }
}

TEST_F(ServerTest, HealthzFollowsTheHealthCheck) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/healthz")));
  std::optional<RawResponse> response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, R"({"status":"ok"})");

  healthy_ = false;
  ASSERT_TRUE(client.Send(Get("/healthz")));
  response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 503);
  EXPECT_EQ(response->body, R"({"status":"unavailable"})");
}

// Handlers run on their own threads: while every server thread's worth of handlers is busy,
// /healthz still answers (server.cc design note 3).
TEST_F(ServerTest, HealthzAnswersWhileEveryHandlerIsBusy) {
  StartServer();
  Client first(server_->port()), second(server_->port()), third(server_->port());
  ASSERT_TRUE(first.Send(Get("/api/slow")));
  ASSERT_TRUE(second.Send(Get("/api/slow")));
  {
    std::unique_lock lock(slow_mu_);
    ASSERT_TRUE(slow_cv_.wait_for(lock, std::chrono::seconds(10), [this] { return in_slow_ == 2; }));
  }
  ASSERT_TRUE(third.Send(Get("/healthz")));
  std::optional<RawResponse> health = third.Read();
  bool still_held = false;
  {
    std::lock_guard lock(slow_mu_);
    still_held = !released_;
    released_ = true;
  }
  slow_cv_.notify_all();
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_TRUE(still_held) << "/healthz waited for the handlers";
  for (Client* client : {&first, &second}) {
    std::optional<RawResponse> slow = client->Read();
    ASSERT_TRUE(slow);
    EXPECT_EQ(slow->status, 200);
  }
}

TEST_F(ServerTest, MetricsCountRequestsByRoute) {
  StartServer();
  Client client(server_->port());
  // One connection: each response is recorded before the next request is read, so /metrics
  // sees all of them.
  for (const char* target :
       {"/api/echo", "/api/echo", "/api/v1/accounts/7", "/assets/app-1a2b.js", "/healthz"}) {
    ASSERT_TRUE(client.Send(Get(target)));
    ASSERT_TRUE(client.Read()) << target;
  }
  ASSERT_TRUE(client.Send(Get("/metrics")));
  std::optional<RawResponse> response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->Header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = response->body;
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(salesbox_http_requests_total{method="GET",route="ANY /api/echo",status="200"} 2)"));
  EXPECT_THAT(
      text,
      HasSubstr(R"(salesbox_http_requests_total{method="GET",route="other",status="200"} 1)"));
  EXPECT_THAT(
      text,
      HasSubstr(R"(salesbox_http_requests_total{method="GET",route="static",status="200"} 1)"));
  EXPECT_THAT(
      text,
      HasSubstr(R"(salesbox_http_requests_total{method="GET",route="healthz",status="200"} 1)"));
  EXPECT_THAT(
      text, HasSubstr(R"(salesbox_http_request_duration_seconds_count{route="ANY /api/echo"} 2)"));
  EXPECT_THAT(
      text,
      HasSubstr(R"(salesbox_http_request_duration_seconds_bucket{route="static",le="+Inf"} 1)"));
  EXPECT_THAT(text, HasSubstr("salesbox_http_open_connections 1\n"));
  EXPECT_THAT(text, Not(HasSubstr("accounts/7")));  // never the raw path
}

// Issue 19: /metrics was public. Without a token it answers only to this host: a request a
// reverse proxy forwarded (X-Forwarded-For, Forwarded, X-Real-IP) is from elsewhere.
TEST_F(ServerTest, MetricsWithoutATokenAnswerOnlyUnforwardedLoopbackClients) {
  StartServer();
  Client client(server_->port());
  for (const char* header : {"X-Forwarded-For: 198.51.100.7\r\n", "Forwarded: for=198.51.100.7\r\n",
                             "X-Real-IP: 198.51.100.7\r\n"}) {
    SCOPED_TRACE(header);
    ASSERT_TRUE(client.Send(Get("/metrics", header)));
    std::optional<RawResponse> refused = client.Read();
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 403);
    EXPECT_THAT(refused->body, HasSubstr("\"code\":\"forbidden\""));
    EXPECT_THAT(refused->body, Not(HasSubstr("salesbox_http")));
  }
  ASSERT_TRUE(client.Send(Get("/metrics")));
  std::optional<RawResponse> local = client.Read();
  ASSERT_TRUE(local);
  EXPECT_EQ(local->status, 200);
}

TEST_F(ServerTest, MetricsWithATokenNeedTheBearerTokenFromAnywhere) {
  ServerOptions options;
  options.metrics_token = "0123456789abcdef-metrics";
  StartServer(options);
  Client client(server_->port());
  for (const char* header : {"", "Authorization: Bearer wrong\r\n",
                             "Authorization: Bearer 0123456789abcdef-metricz\r\n",
                             "Authorization: 0123456789abcdef-metrics\r\n"}) {
    SCOPED_TRACE(header);
    ASSERT_TRUE(client.Send(Get("/metrics", header)));
    std::optional<RawResponse> refused = client.Read();
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 401);
    EXPECT_EQ(refused->Header("www-authenticate"), "Bearer");
  }
  ASSERT_TRUE(client.Send(Get("/metrics",
                              "Authorization: Bearer 0123456789abcdef-metrics\r\n"
                              "X-Forwarded-For: 198.51.100.7\r\n")));
  std::optional<RawResponse> allowed = client.Read();
  ASSERT_TRUE(allowed);
  EXPECT_EQ(allowed->status, 200);
  EXPECT_THAT(allowed->body, HasSubstr("salesbox_http_requests_total"));
}

// Behind a proxy on the same host the client's address (for sign-in throttling) is the last
// X-Forwarded-For entry, the one the proxy added; a client cannot choose it by sending its own.
TEST_F(ServerTest, ARequestForwardedByALocalProxyCarriesTheClientsAddress) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/api/echo", "X-Forwarded-For: 10.9.9.9, 198.51.100.7\r\n")));
  ASSERT_TRUE(client.Read());
  EXPECT_EQ(LastRequest().remote_address, "198.51.100.7");
  EXPECT_FALSE(LastRequest().local);
  ASSERT_TRUE(client.Send(Get("/api/echo", "X-Forwarded-For: not-an-address\r\n")));
  ASSERT_TRUE(client.Read());
  EXPECT_EQ(LastRequest().remote_address, "127.0.0.1");
  ASSERT_TRUE(client.Send(Get("/api/echo")));
  ASSERT_TRUE(client.Read());
  EXPECT_EQ(LastRequest().remote_address, "127.0.0.1");
  EXPECT_TRUE(LastRequest().local);
}

TEST_F(ServerTest, AnHttpsPublicUrlMakesEveryRequestSecureAndAddsHsts) {
  ServerOptions options;
  options.public_url = "https://crm.example.com";
  StartServer(options);
  Client client(server_->port());
  for (const char* target : {"/api/echo", "/", "/healthz"}) {
    SCOPED_TRACE(target);
    ASSERT_TRUE(client.Send(Get(target)));
    std::optional<RawResponse> response = client.Read();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->Header("strict-transport-security"), "max-age=31536000");
  }
  ASSERT_TRUE(client.Send(Get("/api/echo")));
  ASSERT_TRUE(client.Read());
  EXPECT_TRUE(LastRequest().secure);
}

TEST_F(ServerTest, WithoutAnHttpsPublicUrlThereIsNoHsts) {
  ServerOptions options;
  options.public_url = "http://crm.example.com";
  StartServer(options);
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/api/echo")));
  std::optional<RawResponse> response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->Header("strict-transport-security"), "");
  EXPECT_FALSE(LastRequest().secure);
}

TEST_F(ServerTest, AThrowingHandlerGets500AndTheServerKeepsServing) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/api/throw")));
  std::optional<RawResponse> response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(response->Header("content-type"), "application/json");
  EXPECT_THAT(response->body, HasSubstr(R"({"error":{"code":"internal")"));

  ASSERT_TRUE(client.Send(Get("/api/echo")));
  response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);

  ASSERT_TRUE(client.Send(Get("/metrics")));
  response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_THAT(response->body, HasSubstr(R"(salesbox_http_errors_total{route="other"} 1)"));
  EXPECT_THAT(
      response->body,
      HasSubstr(R"(salesbox_http_requests_total{method="GET",route="other",status="500"} 1)"));
}

TEST_F(ServerTest, UnsafeHandlerHeadersAndStatusesAreNotSent) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/api/inject")));
  std::optional<RawResponse> response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->Header("x-name"), "");
  EXPECT_EQ(response->Header("set-cookie"), "");
  EXPECT_EQ(response->Header("content-length"), "2");  // the server's own framing
  EXPECT_EQ(response->Header("x-fine"), "yes");

  ASSERT_TRUE(client.Send(Get("/api/bad-status")));
  response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);
}

TEST_F(ServerTest, StopReturnsPromptlyWithIdleKeepAliveConnections) {
  StartServer();
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 5; ++i) {
    clients.push_back(std::make_unique<Client>(server_->port()));
    ASSERT_TRUE(clients.back()->Send(Get("/healthz")));
    ASSERT_TRUE(clients.back()->Read());
  }
  Client silent(server_->port());  // connected, never sends
  ASSERT_TRUE(silent.connected());

  EXPECT_LT(StopServer(), std::chrono::milliseconds(500));
  for (auto& client : clients) EXPECT_TRUE(client->ClosedByPeer());
}

TEST_F(ServerTest, IdleConnectionsAreClosedAfterTheIdleTimeout) {
  ServerOptions options;
  options.idle_timeout = std::chrono::seconds(1);  // the shortest there is; swept every 250 ms
  StartServer(options);
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/healthz")));
  ASSERT_TRUE(client.Read());
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.ClosedByPeer());  // waits up to the client's 2 s receive timeout
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(900));
}

TEST_F(ServerTest, StopFromAHandlerAndBeforeRun) {
  ServerOptions options;
  options.port = 0;
  options.threads = 2;
  Server early(options, [](const Request&) { return Response::Empty(204); });
  SB_ASSERT_OK(early.Start());
  early.Stop();
  const auto start = std::chrono::steady_clock::now();
  early.Run();  // returns at once
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(500));

  Server* self = nullptr;
  Server stops_itself(options, [&self](const Request&) {
    self->Stop();
    return Response::Empty(204);
  });
  self = &stops_itself;
  SB_ASSERT_OK(stops_itself.Start());
  std::thread runner([&stops_itself] { stops_itself.Run(); });
  Client client(stops_itself.port());
  ASSERT_TRUE(client.Send(Get("/api/stop")));
  std::optional<RawResponse> response = client.Read();
  ASSERT_TRUE(response);  // the request in progress is still answered
  EXPECT_EQ(response->status, 204);
  EXPECT_EQ(response->Header("content-length"), "");
  runner.join();
}

TEST_F(ServerTest, StartReportsAPortInUseAndBadOptions) {
  StartServer();
  ServerOptions options;
  options.port = server_->port();
  Server second(options, [](const Request&) { return Response::Empty(204); });
  EXPECT_THAT(second.Start(), StatusIsWithMessage(StatusCode::kUnavailable, "already in use"));

  ServerOptions bad_bind;
  bad_bind.port = 0;
  bad_bind.bind = "localhost:80";
  EXPECT_THAT(Server(bad_bind, {}).Start(), test::StatusIs(StatusCode::kInvalidArgument));

  ServerOptions bad_dir;
  bad_dir.port = 0;
  bad_dir.web_dir = (web_dir_ / "missing").string();
  EXPECT_THAT(Server(bad_dir, {}).Start(), test::StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace salesbox::http

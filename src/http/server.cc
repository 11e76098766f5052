// SPDX-License-Identifier: MIT
// The Boost.Beast/Asio server behind server.h. The only translation unit that includes Beast: it
// compiles slowly, and nothing of it may leak into other layers.
//
// Design notes.
// (1) Threads: one io_context run by options.threads threads. Each connection is a Session whose
//     socket lives on its own strand, so a session's handlers never run concurrently and need no
//     locks. The acceptor, the signal set and the shutdown timer share one more strand (control_).
// (2) A request is read in two steps, header then body, so that a body above the limit is refused
//     from its Content-Length before it is read, and a client that sent "Expect: 100-continue" is
//     told to go on. A GET has no body, so it costs one read.
// (3) The Handler runs on a pool of handler threads (options.handler_threads), and its response
//     is written back on the session's strand: the threads that read and write connections and
//     answer /healthz, /metrics and static files never wait for an analytics page being made
//     (on 2 cores the OS time-slices them with the handlers, so /healthz stays at milliseconds
//     while handlers are busy). A work guard keeps the io_context running while a handler works.
//     With handler_threads -1 the Handler runs inline on the strand. Exceptions from it are
//     caught here (STYLE.md B4: the boundary with throwing code) and become 500.
// (4) Refusals that end the connection (malformed HTTP, 413, 431) are answered, then the send side
//     is shut down and whatever the client is still sending is read and dropped for up to
//     kLingerTime. Closing at once would make the kernel answer the unread bytes with a reset,
//     and the client could lose the error response before reading it.
// (5) Stop(): close the acceptor, then tell every session (via its strand) to close once its
//     current response is written; sessions waiting for a request are cancelled at once. Run()
//     returns when the last session is gone, or after kShutdownGrace regardless.
// (6) Sessions are registered in a map under a mutex so that Stop() and the sweeper (7) can reach
//     them: one lock per connection, never per request.
// (7) Timeouts are not a timer per read or write (beast::tcp_stream's way): that took 15-20% of
//     the CPU per request in the timer queue (measured with http_bench_server). Instead a session
//     stores the deadline of its pending read or write in an atomic, and one sweeper timer per
//     server looks at all sessions every sweep_period_ (a quarter of idle_timeout, between
//     kMinSweepPeriod and kMaxSweepPeriod) and cancels the overdue ones on their strands. Timeouts
//     are therefore late by up to one period, which for an idle timeout of a minute does not
//     matter.
#include "http/server.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "common/check.h"
#include "http/internal/metrics.h"
#include "http/internal/static_files.h"

namespace salesbox::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using Clock = std::chrono::steady_clock;

constexpr size_t kHeaderLimit = 16 * 1024;
constexpr auto kShutdownGrace = std::chrono::seconds(5);
constexpr auto kShutdownPoll = std::chrono::milliseconds(5);
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr size_t kLingerBytes = 8 << 20;
constexpr auto kAcceptRetry = std::chrono::milliseconds(100);
constexpr auto kMaxSweepPeriod = std::chrono::milliseconds(1000);
constexpr auto kMinSweepPeriod = std::chrono::milliseconds(250);

using Strand = asio::strand<asio::io_context::executor_type>;
// The concrete executor type (not any_io_executor) spares a type-erased call per operation.
using Socket = asio::basic_stream_socket<tcp, Strand>;

constexpr std::string_view kHtmlCsp =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

void Log(const std::string& message) {
  std::fprintf(stderr, "salesbox http: %s\n", message.c_str());
}

// Decodes a request target's path; nullopt (with `*error`) if the server must refuse it.
// ".." and "." segments are refused for every route, not only static files: nothing legitimate
// needs them, and a proxy in front might resolve them differently from us.
std::optional<std::string> DecodePath(std::string_view raw, std::string* error) {
  if (raw.empty() || raw.front() != '/') {
    *error = "the request target must be a path starting with '/'";
    return std::nullopt;
  }
  std::optional<std::string> path = PercentDecode(raw, /*plus_is_space=*/false);
  if (!path) {
    *error = "bad percent escape in the path";
    return std::nullopt;
  }
  if (path->find('\0') != std::string::npos) {
    *error = "NUL in the path";
    return std::nullopt;
  }
  std::string_view rest = *path;
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (segment == "." || segment == "..") {
      *error = "the path must not contain '.' or '..' segments";
      return std::nullopt;
    }
  }
  return path;
}

// Header names are tokens; values may hold any visible text and tabs but no CR, LF or NUL.
bool IsHeaderSafe(std::string_view name, std::string_view value) {
  if (name.empty()) return false;
  for (char c : name) {
    if (c <= ' ' || c == ':' || c == 0x7f) return false;
  }
  for (char c : value) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

// The last address in an X-Forwarded-For value ("198.51.100.7, 10.0.0.2": the proxy next to us
// added the last one); nullopt when it is not an IP address.
std::optional<std::string> ForwardedClient(std::string_view header);

std::string AddressText(const asio::ip::address& address) {
  // A dual-stack listener ("::") sees IPv4 clients as ::ffff:a.b.c.d; throttling and logs want
  // the plain IPv4 form.
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).to_string();
  }
  return address.to_string();
}

std::optional<std::string> ForwardedClient(std::string_view header) {
  const size_t comma = header.rfind(',');
  std::string_view last = comma == std::string_view::npos ? header : header.substr(comma + 1);
  while (!last.empty() && (last.front() == ' ' || last.front() == '\t')) last.remove_prefix(1);
  while (!last.empty() && (last.back() == ' ' || last.back() == '\t')) last.remove_suffix(1);
  if (last.empty() || last.size() > 64) return std::nullopt;
  error_code ec;
  const asio::ip::address address = asio::ip::make_address(std::string(last), ec);
  if (ec) return std::nullopt;
  return AddressText(address);
}

// Compares in time that does not depend on where the texts differ.
bool SameSecret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, Handler handler);
  ~Impl();

  Status Start();
  uint16_t port() const { return port_.load(); }
  void Run();
  void Stop();

 private:
  class Session;
  friend class Session;

  void DoAccept();
  void OnStopRequested();  // on control_
  void PollShutdown();     // on control_
  void Sweep();            // on control_, see design note (7)

  // Answers a request that was read completely and passed DecodePath. Sets `*route`.
  Response Dispatch(const Request& request, std::string* route);
  Response Health(const Request& request);

  void Register(Session* session, std::weak_ptr<Session> weak);
  void Unregister(Session* session);

  const ServerOptions options_;
  const bool https_;  // options_.public_url is https://
  const Handler handler_;
  const int threads_;
  std::optional<internal::StaticFiles> static_files_;
  internal::Metrics metrics_;

  std::mutex sessions_mu_;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;  // guarded by sessions_mu_

  std::atomic<bool> started_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<uint16_t> port_{0};
  Clock::time_point shutdown_deadline_;  // on control_

  // Declared after everything a Session touches in its destructor: ~io_context destroys sessions
  // still queued in it, and they must find metrics_ and the registry alive.
  asio::io_context ioc_;
  asio::strand<asio::io_context::executor_type> control_;
  tcp::acceptor acceptor_;
  asio::steady_timer control_timer_;  // accept retry, then shutdown polling
  asio::steady_timer sweep_timer_;
  const Clock::duration sweep_period_;
  std::optional<asio::signal_set> signals_;
  // Declared last, so destroyed (joined) first: its queued work holds sessions.
  std::optional<asio::thread_pool> handlers_;
};

// One client connection: reads requests one after another and writes each response before
// reading the next (HTTP/1.1 pipelining works, serially). Lives as long as an operation of it is
// pending (shared_from_this); every member function runs on the socket's strand.
class Server::Impl::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Impl& server, Socket socket) : server_(server), socket_(std::move(socket)) {
    error_code ec;
    socket_.set_option(tcp::no_delay(true), ec);  // small responses must not wait
    const tcp::endpoint peer = socket_.remote_endpoint(ec);
    if (!ec) {
      remote_address_ = AddressText(peer.address());
      const asio::ip::address address = peer.address();
      loopback_ = address.is_loopback() ||
                  (address.is_v6() && address.to_v6().is_v4_mapped() &&
                   asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).is_loopback());
    }
    server_.metrics_.ConnectionOpened();
  }

  ~Session() {
    server_.metrics_.ConnectionClosed();
    server_.Unregister(this);
  }

  void Start() {
    server_.Register(this, weak_from_this());
    asio::dispatch(socket_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
  }

  // Called by Stop() from any thread.
  void RequestStop() {
    asio::post(socket_.get_executor(), [self = shared_from_this()] {
      // Waiting for a request (or draining): cancel. Handling or writing one: the write
      // completion sees stopping_ and closes.
      if (self->reading_) self->Cancel();
    });
  }

  // True if the pending read or write is past its deadline. Called by the sweeper, any thread.
  bool Overdue(Clock::rep now) const {
    const Clock::rep deadline = deadline_.load(std::memory_order_relaxed);
    return deadline != 0 && deadline < now;
  }

  // Called by the sweeper from any thread: cancels the pending operation if it is still overdue
  // once on the strand (it may have completed meanwhile and a new one started).
  void Expire() {
    asio::post(socket_.get_executor(), [self = shared_from_this()] {
      if (self->Overdue(Clock::now().time_since_epoch().count())) self->Cancel();
    });
  }

 private:
  void ReadHeader() {
    if (server_.stopping_.load()) return Close();
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(server_.options_.body_limit);
    SetDeadline(server_.options_.idle_timeout);
    reading_ = true;
    bhttp::async_read_header(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(error_code ec) {
    reading_ = false;
    deadline_.store(0, std::memory_order_relaxed);
    start_ = Clock::now();
    if (ec) return OnReadError(ec);
    if (parser_->is_done()) return Process();
    // RFC 7231 section 5.1.1: a client that waits for "100 Continue" gets it only now that the
    // header passed the checks (the Content-Length limit among them).
    if (beast::iequals(parser_->get()[bhttp::field::expect], "100-continue") &&
        parser_->get().version() >= 11) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      SetDeadline(server_.options_.idle_timeout);
      asio::async_write(socket_, asio::buffer(kContinue.data(), kContinue.size()),
                        [self = shared_from_this()](error_code write_ec, size_t) {
                          if (write_ec) return self->Close();
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    if (server_.stopping_.load()) return Close();
    SetDeadline(server_.options_.idle_timeout);
    reading_ = true;
    bhttp::async_read(socket_, buffer_, *parser_,
                      [self = shared_from_this()](error_code ec, size_t) {
                        self->reading_ = false;
                        self->deadline_.store(0, std::memory_order_relaxed);
                        if (ec) return self->OnReadError(ec);
                        self->Process();
                      });
  }

  void OnReadError(error_code ec) {
    if (ec == bhttp::error::body_limit) {
      return Refuse(Response::Error(413, "payload_too_large",
                                    "the request body is larger than " +
                                        std::to_string(server_.options_.body_limit) + " bytes"));
    }
    if (ec == bhttp::error::header_limit) {
      return Refuse(Response::Error(
          431, "headers_too_large",
          "the request headers are larger than " + std::to_string(kHeaderLimit) + " bytes"));
    }
    // Anything else the parser reports is malformed HTTP. The rest are not for an answer: the
    // client went away (end_of_stream between requests, partial_message within one), the read
    // timed out (the sweeper cancelled it), or Stop() cancelled it.
    const bool parse_error =
        ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
        ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
    if (!parse_error) return Close();
    Refuse(Response::Error(400, "bad_request", "malformed HTTP request: " + ec.message()));
  }

  // Answers a refusal and ends the connection, see design note (4).
  void Refuse(Response response) {
    method_ = std::string(parser_ ? parser_->get().method_string() : std::string_view());
    route_ = "other";
    Write(std::move(response), /*keep_alive=*/false, /*head=*/false, /*linger=*/true, 11);
  }

  void Process() {
    bhttp::request<bhttp::string_body>& message = parser_->get();

    Request request;
    request.method = std::string(message.method_string());
    const std::string_view target = message.target();
    const size_t question = target.find('?');
    std::string error;
    std::optional<std::string> path = DecodePath(target.substr(0, question), &error);
    if (question != std::string_view::npos)
      request.query = std::string(target.substr(question + 1));
    request.headers.reserve(16);
    for (const auto& field : message) {
      std::string name(field.name_string());
      for (char& c : name) c = LowerAscii(c);
      request.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    request.body = std::move(message.body());
    request.remote_address = remote_address_;
    const bool forwarded = message.find("X-Forwarded-For") != message.end() ||
                           message.find(bhttp::field::forwarded) != message.end() ||
                           message.find("X-Real-IP") != message.end();
    if (loopback_ && forwarded) {
      if (std::optional<std::string> client = ForwardedClient(message["X-Forwarded-For"])) {
        request.remote_address = *client;
      }
    }
    request.local = loopback_ && !forwarded;
    request.secure =
        server_.https_ || beast::iequals(message["X-Forwarded-Proto"], "https");

    const bool keep_alive = message.keep_alive() && !server_.stopping_.load();
    const bool head = message.method() == bhttp::verb::head;
    const unsigned version = message.version();
    method_ = request.method;

    Response response;
    if (!path) {
      route_ = "other";
      response = Response::Error(400, "bad_request", error);
    } else if (server_.handlers_ && path->rfind("/api/", 0) == 0) {
      // Design note (3): made on a handler thread, written back on this strand.
      request.path = std::move(*path);
      auto work = asio::make_work_guard(socket_.get_executor());
      asio::post(*server_.handlers_, [self = shared_from_this(), request = std::move(request),
                                      work = std::move(work), keep_alive, head, version]() mutable {
        std::string route;
        Response made = self->server_.Dispatch(request, &route);
        asio::post(self->socket_.get_executor(),
                   [self, made = std::move(made), route = std::move(route), keep_alive, head,
                    version]() mutable {
                     self->route_ = std::move(route);
                     self->Write(std::move(made), keep_alive, head, /*linger=*/false, version);
                   });
      });
      return;
    } else {
      request.path = std::move(*path);
      response = server_.Dispatch(request, &route_);
    }
    Write(std::move(response), keep_alive, head, /*linger=*/false, version);
  }

  void Write(Response response, bool keep_alive, bool head, bool linger, unsigned version) {
    if (response.status < 200 || response.status > 599) {
      // 1xx would announce a second response that never comes; Beast throws above 999.
      Log("handler answered status " + std::to_string(response.status) + " on " + method_ +
          "; sent 500 instead");
      response = Response::Error(500, "internal", "internal error");
    }
    status_ = response.status;
    res_ = {};
    res_.version(version);
    res_.result(static_cast<unsigned>(response.status));
    bool is_html = false;
    for (auto& [name, value] : response.headers) {
      // Framing is the server's business: a handler's own values could corrupt the stream.
      if (beast::iequals(name, "content-length") || beast::iequals(name, "transfer-encoding") ||
          beast::iequals(name, "connection")) {
        continue;
      }
      if (!IsHeaderSafe(name, value)) {
        // A CR or LF from data that reached a header (a file name in Content-Disposition, say)
        // would let the data write its own headers: drop the header rather than send that.
        Log("dropped response header \"" + name + "\" with a control character");
        continue;
      }
      if (beast::iequals(name, "content-type")) {
        is_html =
            value.size() >= 9 && beast::iequals(std::string_view(value).substr(0, 9), "text/html");
      }
      res_.insert(name, value);
    }
    if (res_.find("X-Content-Type-Options") == res_.end())
      res_.set("X-Content-Type-Options", "nosniff");
    if (res_.find("Referrer-Policy") == res_.end()) res_.set("Referrer-Policy", "same-origin");
    if (res_.find(bhttp::field::x_frame_options) == res_.end()) {
      res_.set(bhttp::field::x_frame_options, "DENY");
    }
    if (is_html && res_.find("Content-Security-Policy") == res_.end()) {
      res_.set("Content-Security-Policy", kHtmlCsp);
    }
    if (server_.https_) res_.set("Strict-Transport-Security", "max-age=31536000");

    const int status = response.status;
    if (status == 204 || status == 304) {
      // No body and no Content-Length (RFC 7230 section 3.3.2).
    } else {
      res_.content_length(response.body.size());
      // HEAD: the length the GET would have, without the body (RFC 7231 section 4.3.2).
      if (!head) res_.body() = std::move(response.body);
    }
    res_.keep_alive(keep_alive);

    SetDeadline(server_.options_.idle_timeout);
    bhttp::async_write(socket_, res_,
                       [self = shared_from_this(), keep_alive, linger](error_code ec, size_t) {
                         self->OnWrite(ec, keep_alive, linger);
                       });
  }

  void OnWrite(error_code ec, bool keep_alive, bool linger) {
    deadline_.store(0, std::memory_order_relaxed);
    const double seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    server_.metrics_.RecordRequest(method_, route_, status_, seconds);
    res_ = {};  // a large body need not live until the next response
    if (ec) return Close();
    if (linger) return Linger();
    if (!keep_alive || server_.stopping_.load()) return Close();
    ReadHeader();
  }

  void Linger() {
    error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return Close();
    SetDeadline(kLingerTime);  // bounds the whole drain: Drain() does not renew it
    buffer_.consume(buffer_.size());
    Drain();
  }

  void Drain() {
    if (server_.stopping_.load()) return Close();
    reading_ = true;
    socket_.async_read_some(buffer_.prepare(16 * 1024),
                            [self = shared_from_this()](error_code ec, size_t n) {
                              self->reading_ = false;
                              self->drained_ += n;
                              if (ec || self->drained_ > kLingerBytes) return self->Close();
                              self->Drain();
                            });
  }

  void SetDeadline(Clock::duration timeout) {
    deadline_.store((Clock::now() + timeout).time_since_epoch().count(), std::memory_order_relaxed);
  }

  void Cancel() {
    error_code ec;
    socket_.cancel(ec);  // the pending operation completes with operation_aborted and closes
  }

  void Close() {
    deadline_.store(0, std::memory_order_relaxed);
    error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
  }

  Impl& server_;
  Socket socket_;
  std::atomic<Clock::rep> deadline_{0};  // of the pending read or write; 0: none
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::string_body> res_;
  std::string remote_address_;
  bool loopback_ = false;  // the peer is on this host
  bool reading_ = false;  // a read is pending that Stop() may cancel
  size_t drained_ = 0;
  // The request being answered, for metrics.
  Clock::time_point start_;
  std::string method_;
  std::string route_;
  int status_ = 0;
};

Server::Impl::Impl(ServerOptions options, Handler handler)
    : options_(std::move(options)),
      https_(options_.public_url.rfind("https://", 0) == 0),
      handler_(std::move(handler)),
      threads_(options_.threads > 0
                   ? options_.threads
                   : std::max(2, static_cast<int>(std::thread::hardware_concurrency()))),
      ioc_(threads_),
      control_(asio::make_strand(ioc_)),
      acceptor_(control_),
      control_timer_(control_),
      sweep_timer_(control_),
      sweep_period_(std::clamp<Clock::duration>(options_.idle_timeout / 4, kMinSweepPeriod,
                                                kMaxSweepPeriod)) {
  if (options_.handler_threads >= 0) {
    handlers_.emplace(static_cast<size_t>(options_.handler_threads > 0 ? options_.handler_threads
                                                                        : 4 * threads_));
  }
}

Server::Impl::~Impl() {
  error_code ec;
  acceptor_.close(ec);
}

Status Server::Impl::Start() {
  if (started_.exchange(true)) return Status::FailedPrecondition("http server already started");
  if (!options_.web_dir.empty()) {
    Result<internal::StaticFiles> files = internal::StaticFiles::Open(options_.web_dir);
    if (!files.ok()) return files.status().WithContext("http server");
    static_files_.emplace(std::move(files).value());
  }

  error_code ec;
  const asio::ip::address address = asio::ip::make_address(options_.bind, ec);
  if (ec) {
    return Status::InvalidArgument("http server: bind address \"" + options_.bind +
                                   "\" is not an IP address");
  }
  const tcp::endpoint endpoint(address, options_.port);
  const std::string where = (address.is_v6() ? "[" + options_.bind + "]" : options_.bind) + ":" +
                            std::to_string(options_.port);
  auto fail = [&](const char* what) -> Status {
    error_code close_ec;
    acceptor_.close(close_ec);
    if (ec == asio::error::address_in_use) {
      return Status::Unavailable("http server: " + where + " is already in use");
    }
    if (ec == asio::error::access_denied) {
      return Status::PermissionDenied("http server: no permission to listen on " + where);
    }
    if (ec == boost::system::errc::address_not_available) {
      return Status::InvalidArgument("http server: " + options_.bind +
                                     " is not an address of this machine");
    }
    return Status::Unavailable("http server: " + std::string(what) + " " + where + ": " +
                               ec.message());
  };
  acceptor_.open(endpoint.protocol(), ec);
  if (ec) return fail("cannot open a socket for");
  // Lets a restarted server bind while old connections sit in TIME_WAIT; it does not allow two
  // live listeners on one port on Linux, so "already in use" still works.
  acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  acceptor_.bind(endpoint, ec);
  if (ec) return fail("cannot bind");
  acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("cannot listen on");
  port_.store(acceptor_.local_endpoint(ec).port());
  return Status::Ok();
}

void Server::Impl::Run() {
  SB_CHECK(started_.load() && acceptor_.is_open());
  signals_.emplace(control_, SIGINT, SIGTERM);
  signals_->async_wait([this](error_code ec, int) {
    if (!ec) Stop();
  });
  asio::dispatch(control_, [this] {
    DoAccept();
    Sweep();
  });

  auto run = [this] {
    // Nothing in salesbox throws, but Boost and the standard library can (bad_alloc): log it and
    // keep the thread serving rather than std::terminate the process.
    for (;;) {
      try {
        ioc_.run();
        return;
      } catch (const std::exception& e) {
        Log(std::string("unexpected exception in the event loop: ") + e.what());
      } catch (...) {
        Log("unexpected exception in the event loop");
      }
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(threads_ - 1);
  for (int i = 1; i < threads_; ++i) threads.emplace_back(run);
  run();
  for (std::thread& thread : threads) thread.join();
  if (handlers_) handlers_->join();
  // Restore the default SIGINT/SIGTERM behaviour once nothing serves.
  signals_.reset();
}

void Server::Impl::Stop() {
  if (stopping_.exchange(true)) return;
  asio::post(control_, [this] { OnStopRequested(); });
}

void Server::Impl::DoAccept() {
  if (stopping_.load()) return;
  acceptor_.async_accept(asio::make_strand(ioc_), [this](error_code ec, Socket socket) {
    if (stopping_.load() || ec == asio::error::operation_aborted) return;
    if (ec) {
      // Out of file descriptors and the like: accepting again at once would spin.
      Log("accept failed: " + ec.message());
      control_timer_.expires_after(kAcceptRetry);
      control_timer_.async_wait([this](error_code wait_ec) {
        if (!wait_ec) DoAccept();
      });
      return;
    }
    std::make_shared<Session>(*this, std::move(socket))->Start();
    DoAccept();
  });
}

void Server::Impl::OnStopRequested() {
  error_code ec;
  acceptor_.close(ec);
  if (signals_) signals_->cancel(ec);
  control_timer_.cancel();
  sweep_timer_.cancel();

  std::vector<std::shared_ptr<Session>> sessions;
  {
    std::lock_guard lock(sessions_mu_);
    sessions.reserve(sessions_.size());
    for (auto& [raw, weak] : sessions_) {
      if (std::shared_ptr<Session> session = weak.lock()) sessions.push_back(std::move(session));
    }
  }
  for (const std::shared_ptr<Session>& session : sessions) session->RequestStop();
  sessions.clear();

  shutdown_deadline_ = Clock::now() + kShutdownGrace;
  PollShutdown();
}

void Server::Impl::PollShutdown() {
  bool idle;
  {
    std::lock_guard lock(sessions_mu_);
    idle = sessions_.empty();
  }
  if (idle || Clock::now() >= shutdown_deadline_) {
    if (!idle) Log("shutdown: closing connections still busy after the grace period");
    ioc_.stop();
    return;
  }
  control_timer_.expires_after(kShutdownPoll);
  control_timer_.async_wait([this](error_code ec) {
    if (!ec) PollShutdown();
  });
}

void Server::Impl::Sweep() {
  if (stopping_.load()) return;
  const Clock::rep now = Clock::now().time_since_epoch().count();
  std::vector<std::shared_ptr<Session>> overdue;
  {
    std::lock_guard lock(sessions_mu_);
    for (auto& [raw, weak] : sessions_) {
      std::shared_ptr<Session> session = weak.lock();
      if (session && session->Overdue(now)) overdue.push_back(std::move(session));
    }
  }
  for (const std::shared_ptr<Session>& session : overdue) session->Expire();
  sweep_timer_.expires_after(sweep_period_);
  sweep_timer_.async_wait([this](error_code ec) {
    if (!ec) Sweep();
  });
}

void Server::Impl::Register(Session* session, std::weak_ptr<Session> weak) {
  std::lock_guard lock(sessions_mu_);
  sessions_.emplace(session, std::move(weak));
}

void Server::Impl::Unregister(Session* session) {
  std::lock_guard lock(sessions_mu_);
  sessions_.erase(session);
}

Response Server::Impl::Health(const Request& request) {
  if (request.method != "GET" && request.method != "HEAD") {
    Response response = Response::Error(405, "method_not_allowed", "use GET on /healthz");
    response.headers.emplace_back("Allow", "GET, HEAD");
    return response;
  }
  bool healthy = true;
  if (options_.health_check) {
    try {
      healthy = options_.health_check();
    } catch (const std::exception& e) {
      Log(std::string("health check threw: ") + e.what());
      healthy = false;
    } catch (...) {
      Log("health check threw");
      healthy = false;
    }
  }
  Response response = healthy ? Response::Json(200, R"({"status":"ok"})")
                              : Response::Json(503, R"({"status":"unavailable"})");
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

Response Server::Impl::Dispatch(const Request& request, std::string* route) {
  const std::string_view path = request.path;
  if (path == "/healthz") {
    *route = "healthz";
    return Health(request);
  }
  if (path == "/metrics") {
    *route = "metrics";
    if (request.method != "GET" && request.method != "HEAD") {
      Response response = Response::Error(405, "method_not_allowed", "use GET on /metrics");
      response.headers.emplace_back("Allow", "GET, HEAD");
      return response;
    }
    // Who may read the counters (failed sign-ins per route among them): a configured bearer
    // token, else only this host.
    if (!options_.metrics_token.empty()) {
      if (!SameSecret(request.Header("authorization"), "Bearer " + options_.metrics_token)) {
        Response response =
            Response::Error(401, "unauthenticated", "/metrics needs the metrics bearer token");
        response.headers.emplace_back("WWW-Authenticate", "Bearer");
        return response;
      }
    } else if (!request.local) {
      return Response::Error(403, "forbidden",
                             "/metrics answers only on loopback unless a metrics token is set "
                             "(salesbox serve --metrics-token-file)");
    }
    Response response;
    response.headers.emplace_back("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    response.headers.emplace_back("Cache-Control", "no-store");
    response.body = metrics_.Render();
    return response;
  }
  if (path.rfind("/api/", 0) == 0) {
    Response response;
    try {
      response = handler_(request);
    } catch (const std::exception& e) {
      Log("handler threw on " + request.method + " " + request.path + ": " + e.what());
      response = Response::Error(500, "internal", "internal error");
    } catch (...) {
      Log("handler threw on " + request.method + " " + request.path);
      response = Response::Error(500, "internal", "internal error");
    }
    // Never the raw path as a label: one series per record id would grow without bound.
    *route = response.route.empty() ? "other" : response.route;
    return response;
  }
  *route = "static";
  if (!static_files_) {
    std::string message = "no such file: ";
    message += path;
    return Response::Error(404, "not_found", message);
  }
  return static_files_->Serve(request);
}

Server::Server(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}
Server::~Server() = default;
Status Server::Start() { return impl_->Start(); }
uint16_t Server::port() const { return impl_->port(); }
void Server::Run() { impl_->Run(); }
void Server::Stop() { impl_->Stop(); }

}  // namespace salesbox::http

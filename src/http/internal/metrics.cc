// SPDX-License-Identifier: MIT
// Design notes. Every request updates a few numbers, and 50k requests/s on a handful of threads
// must not serialize on one lock. The series live in kShardCount shards; a thread always uses
// the same shard (assigned round-robin on its first request), so with the usual one shard per
// server thread the shard mutex is uncontended and costs two atomic operations. /metrics merges
// the shards under each shard's lock in turn; a scrape is rare and the merge is small (routes ×
// methods × statuses). The route lookup takes a string_view (heterogeneous lookup), so a request
// for a known route allocates nothing.
#include "http/internal/metrics.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace salesbox::http::internal {
namespace {

constexpr unsigned kShardCount = 16;

// Methods get their own label value; anything else is "OTHER" (cardinality).
constexpr std::string_view kMethods[] = {"GET",   "HEAD",   "POST",    "PUT",
                                         "PATCH", "DELETE", "OPTIONS", "OTHER"};

std::string_view CanonicalMethod(std::string_view method) {
  for (std::string_view known : kMethods) {
    if (known == method) return known;
  }
  return "OTHER";
}

// The label texts of the bucket bounds, written out so they read as Prometheus clients write them.
constexpr std::string_view kBucketLabels[Metrics::kBucketCount] = {
    "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5"};

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

struct StatusCount {
  std::string_view method;  // one of kMethods
  int status = 0;
  uint64_t count = 0;
};

struct RouteSeries {
  uint64_t buckets[Metrics::kBucketCount + 1] = {};  // not cumulative; the last one is +Inf
  double sum = 0;
  uint64_t count = 0;
  uint64_t errors = 0;
  std::vector<StatusCount> requests;  // a few entries per route: a linear scan is fastest

  void Add(std::string_view method, int status, uint64_t n) {
    for (StatusCount& entry : requests) {
      if (entry.status == status && entry.method == method) {
        entry.count += n;
        return;
      }
    }
    requests.push_back({method, status, n});
  }

  void Merge(const RouteSeries& other) {
    for (int i = 0; i <= Metrics::kBucketCount; ++i) buckets[i] += other.buckets[i];
    sum += other.sum;
    count += other.count;
    errors += other.errors;
    for (const StatusCount& entry : other.requests) Add(entry.method, entry.status, entry.count);
  }
};

// Prometheus label values escape backslash, double quote and newline.
void AppendLabelValue(std::string_view value, std::string* out) {
  for (char c : value) {
    if (c == '\\') {
      *out += "\\\\";
    } else if (c == '"') {
      *out += "\\\"";
    } else if (c == '\n') {
      *out += "\\n";
    } else {
      *out += c;
    }
  }
}

void AppendLine(std::string* out, std::string_view name, std::string_view labels, double value) {
  // to_chars gives the shortest text that reads back as the same double (7.0035, not
  // 7.0034999999999998).
  char number[32];
  const std::to_chars_result end = std::to_chars(number, number + sizeof(number), value);
  *out += name;
  *out += labels;
  *out += ' ';
  out->append(number, end.ptr);
  *out += '\n';
}

void AppendLine(std::string* out, std::string_view name, std::string_view labels, uint64_t value) {
  *out += name;
  *out += labels;
  *out += ' ';
  *out += std::to_string(value);
  *out += '\n';
}

}  // namespace

struct Metrics::Shard {
  alignas(64) std::mutex mu;
  std::unordered_map<std::string, RouteSeries, StringHash, std::equal_to<>> routes;
};

Metrics::Metrics() : shards_(new Shard[kShardCount]) {}
Metrics::~Metrics() = default;

Metrics::Shard& Metrics::ThisThreadShard() {
  static std::atomic<unsigned> next_shard{0};
  thread_local const unsigned shard = next_shard.fetch_add(1, std::memory_order_relaxed);
  return shards_[shard % kShardCount];
}

void Metrics::RecordRequest(std::string_view method, std::string_view route, int status,
                            double seconds) {
  int bucket = 0;
  while (bucket < kBucketCount && seconds > kBucketBounds[bucket]) ++bucket;
  const std::string_view canonical_method = CanonicalMethod(method);

  Shard& shard = ThisThreadShard();
  std::lock_guard lock(shard.mu);
  auto it = shard.routes.find(route);
  if (it == shard.routes.end()) it = shard.routes.emplace(std::string(route), RouteSeries()).first;
  RouteSeries& series = it->second;
  ++series.buckets[bucket];
  series.sum += seconds;
  ++series.count;
  if (status >= 500) ++series.errors;
  series.Add(canonical_method, status, 1);
}

void Metrics::ConnectionOpened() {
  open_connections_.fetch_add(1, std::memory_order_relaxed);
  connections_total_.fetch_add(1, std::memory_order_relaxed);
}

void Metrics::ConnectionClosed() { open_connections_.fetch_sub(1, std::memory_order_relaxed); }

std::string Metrics::Render() const {
  std::map<std::string, RouteSeries, std::less<>> routes;
  for (unsigned i = 0; i < kShardCount; ++i) {
    std::lock_guard lock(shards_[i].mu);
    for (const auto& [route, series] : shards_[i].routes) routes[route].Merge(series);
  }

  std::string out;
  out.reserve(512 + routes.size() * 1200);

  out +=
      "# HELP salesbox_http_requests_total HTTP requests answered, by method, route and status.\n"
      "# TYPE salesbox_http_requests_total counter\n";
  for (auto& [route, series] : routes) {
    std::sort(series.requests.begin(), series.requests.end(),
              [](const StatusCount& a, const StatusCount& b) {
                return a.method != b.method ? a.method < b.method : a.status < b.status;
              });
    for (const StatusCount& entry : series.requests) {
      std::string labels = "{method=\"";
      labels += entry.method;
      labels += "\",route=\"";
      AppendLabelValue(route, &labels);
      labels += "\",status=\"";
      labels += std::to_string(entry.status);
      labels += "\"}";
      AppendLine(&out, "salesbox_http_requests_total", labels, entry.count);
    }
  }

  out +=
      "# HELP salesbox_http_request_duration_seconds Time from a request's headers arriving to "
      "its response being written, by route.\n"
      "# TYPE salesbox_http_request_duration_seconds histogram\n";
  for (const auto& [route, series] : routes) {
    std::string route_label = "route=\"";
    AppendLabelValue(route, &route_label);
    route_label += '"';
    uint64_t cumulative = 0;
    for (int i = 0; i <= kBucketCount; ++i) {
      cumulative += series.buckets[i];
      std::string labels = "{" + route_label + ",le=\"";
      labels += i < kBucketCount ? kBucketLabels[i] : "+Inf";
      labels += "\"}";
      AppendLine(&out, "salesbox_http_request_duration_seconds_bucket", labels, cumulative);
    }
    AppendLine(&out, "salesbox_http_request_duration_seconds_sum", "{" + route_label + "}",
               series.sum);
    AppendLine(&out, "salesbox_http_request_duration_seconds_count", "{" + route_label + "}",
               series.count);
  }

  out +=
      "# HELP salesbox_http_errors_total Requests answered with a 5xx status, by route.\n"
      "# TYPE salesbox_http_errors_total counter\n";
  for (const auto& [route, series] : routes) {
    std::string labels = "{route=\"";
    AppendLabelValue(route, &labels);
    labels += "\"}";
    AppendLine(&out, "salesbox_http_errors_total", labels, series.errors);
  }

  out +=
      "# HELP salesbox_http_open_connections Client connections open now.\n"
      "# TYPE salesbox_http_open_connections gauge\n";
  AppendLine(&out, "salesbox_http_open_connections", "",
             static_cast<uint64_t>(std::max<int64_t>(0, open_connections())));
  out +=
      "# HELP salesbox_http_connections_total Client connections accepted.\n"
      "# TYPE salesbox_http_connections_total counter\n";
  AppendLine(&out, "salesbox_http_connections_total", "",
             connections_total_.load(std::memory_order_relaxed));
  return out;
}

}  // namespace salesbox::http::internal

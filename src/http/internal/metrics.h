// SPDX-License-Identifier: MIT
// The server's own Prometheus metrics: request counters, latency histograms, 5xx counters and the
// open-connection gauge, cheap enough to update on every request under load.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace salesbox::http::internal {

class Metrics {
 public:
  // Upper bounds (seconds) of the latency histogram buckets, besides +Inf.
  static constexpr double kBucketBounds[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                             0.1,   0.25,   0.5,   1,    2.5,   5};
  static constexpr int kBucketCount = sizeof(kBucketBounds) / sizeof(kBucketBounds[0]);

  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Counts one answered request that took `seconds`. `method` is reduced to the standard methods
  // (anything else counts as "OTHER") so a client cannot create series; `route` must already be
  // low-cardinality (a route template or "static"/"healthz"/"metrics"/"other").
  // Thread-safe: takes only the calling thread's shard lock, never held during I/O.
  void RecordRequest(std::string_view method, std::string_view route, int status, double seconds);

  // The open-connections gauge. Thread-safe.
  void ConnectionOpened();
  void ConnectionClosed();
  int64_t open_connections() const { return open_connections_.load(std::memory_order_relaxed); }

  // Everything in the Prometheus text exposition format 0.0.4, series sorted by their labels so
  // the output is stable. Thread-safe; locks each shard in turn, briefly.
  std::string Render() const;

 private:
  struct Shard;
  Shard& ThisThreadShard();

  std::unique_ptr<Shard[]> shards_;
  std::atomic<int64_t> open_connections_{0};
  std::atomic<uint64_t> connections_total_{0};
};

}  // namespace salesbox::http::internal

// SPDX-License-Identifier: MIT
// Tests for the Prometheus rendering of Metrics and for recording from several threads.
#include "http/internal/metrics.h"

#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace salesbox::http::internal {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(MetricsTest, RendersCountersHistogramErrorsAndGauge) {
  Metrics metrics;
  metrics.ConnectionOpened();
  metrics.ConnectionOpened();
  metrics.ConnectionClosed();
  metrics.RecordRequest("GET", "GET /api/v1/accounts/{id}", 200, 0.0005);
  metrics.RecordRequest("GET", "GET /api/v1/accounts/{id}", 200, 0.003);
  metrics.RecordRequest("GET", "GET /api/v1/accounts/{id}", 500, 7.0);
  metrics.RecordRequest("BREW", "other", 404, 0.0001);

  const std::string text = metrics.Render();
  EXPECT_THAT(text, HasSubstr("# TYPE salesbox_http_requests_total counter\n"));
  EXPECT_THAT(text, HasSubstr("salesbox_http_requests_total{method=\"GET\",route=\"GET "
                              "/api/v1/accounts/{id}\",status=\"200\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("salesbox_http_requests_total{method=\"GET\",route=\"GET "
                              "/api/v1/accounts/{id}\",status=\"500\"} 1\n"));
  // Unknown methods are folded into one label value.
  EXPECT_THAT(text, HasSubstr("{method=\"OTHER\",route=\"other\",status=\"404\"} 1\n"));
  EXPECT_THAT(text, Not(HasSubstr("BREW")));

  EXPECT_THAT(text, HasSubstr("# TYPE salesbox_http_request_duration_seconds histogram\n"));
  const std::string route = "route=\"GET /api/v1/accounts/{id}\"";
  // Cumulative buckets: 0.0005 <= 0.001, 0.003 <= 0.005, 7 only in +Inf.
  EXPECT_THAT(text, HasSubstr("_bucket{" + route + ",le=\"0.001\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("_bucket{" + route + ",le=\"0.0025\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("_bucket{" + route + ",le=\"0.005\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("_bucket{" + route + ",le=\"5\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("_bucket{" + route + ",le=\"+Inf\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("salesbox_http_request_duration_seconds_count{" + route + "} 3\n"));
  EXPECT_THAT(text, HasSubstr("salesbox_http_request_duration_seconds_sum{" + route + "} 7.0035"));

  EXPECT_THAT(text, HasSubstr("salesbox_http_errors_total{" + route + "} 1\n"));
  EXPECT_THAT(text, HasSubstr("salesbox_http_errors_total{route=\"other\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("salesbox_http_open_connections 1\n"));
  EXPECT_THAT(text, HasSubstr("salesbox_http_connections_total 2\n"));
}

TEST(MetricsTest, EscapesLabelValues) {
  Metrics metrics;
  metrics.RecordRequest("GET", "a\"b\\c\nd", 200, 0.01);
  EXPECT_THAT(metrics.Render(), HasSubstr("route=\"a\\\"b\\\\c\\nd\""));
}

TEST(MetricsTest, MergesShardsFromManyThreads) {
  Metrics metrics;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&metrics] {
      for (int i = 0; i < 1000; ++i) metrics.RecordRequest("POST", "r", 201, 0.002);
    });
  }
  for (std::thread& thread : threads) thread.join();
  const std::string text = metrics.Render();
  EXPECT_THAT(text, HasSubstr("{method=\"POST\",route=\"r\",status=\"201\"} 8000\n"));
  EXPECT_THAT(text, HasSubstr("salesbox_http_request_duration_seconds_count{route=\"r\"} 8000\n"));
}

}  // namespace
}  // namespace salesbox::http::internal

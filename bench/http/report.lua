-- SPDX-License-Identifier: MIT
-- wrk script: prints one parseable line at the end of a run (bench/http/run-wrk adds the run's
-- URL, connections and threads in front of it). Latencies are milliseconds.
--   requests=.. duration_s=.. rps=.. p50_ms=.. p90_ms=.. p99_ms=.. max_ms=.. non2xx=..
--   socket_errors=.. connect=.. read=.. write=.. timeout=..
-- non2xx is wrk's own count of responses with a status >= 400 (it counts 3xx as success);
-- socket_errors is the sum of connect, read, write and timeout errors.

done = function(summary, latency, requests)
  local errors = summary.errors
  local socket_errors = errors.connect + errors.read + errors.write + errors.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "requests=%d duration_s=%.2f rps=%.0f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f " ..
    "non2xx=%d socket_errors=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    errors.status, socket_errors, errors.connect, errors.read, errors.write, errors.timeout))
end

-- SPDX-License-Identifier: MIT
-- wrk script: prints one parseable line at the end of a run (bench/http/run-wrk adds the run's
-- URL, connections and threads in front of it). Latencies are milliseconds.
--   requests=.. duration_s=.. rps=.. p50_ms=.. p90_ms=.. p99_ms=.. max_ms=.. non2xx=..
--   socket_errors=.. connect=.. read=.. write=.. timeout=..
-- non2xx is wrk's own count of responses with a status >= 400 (it counts 3xx as success);
-- socket_errors is the sum of connect, read, write and timeout errors.

-- With SALESBOX_WRK_PATHS="/a|/b|/c" (run-wrk --paths) each connection asks for the paths in
-- turn, so one run measures a mix of pages as their users load them.
local paths = {}
for path in string.gmatch(os.getenv("SALESBOX_WRK_PATHS") or "", "[^|]+") do
  table.insert(paths, path)
end
if #paths > 0 then
  local n = 0
  request = function()
    n = n + 1
    return wrk.format("GET", paths[(n % #paths) + 1])
  end
end

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

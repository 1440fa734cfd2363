-- wrk prints 50/75/90/99; the issue asks for p50 and p95. errors= is the sum of the kinds after it
-- (status = answers that were not 2xx/3xx; timeout = no answer within wrk's 2 s).
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f requests=%d errors=%d seconds=%.1f rps=%.1f"
      .. " connect=%d read=%d write=%d status=%d timeout=%d\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, e.connect + e.read + e.write + e.status + e.timeout, summary.duration / 1e6,
    summary.requests / (summary.duration / 1e6), e.connect, e.read, e.write, e.status, e.timeout))
end

-- wrk prints 50/75/90/99; the issue asks for p50 and p95.
done = function(summary, latency, requests)
  io.write(string.format("RESULT p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f requests=%d errors=%d seconds=%.1f rps=%.1f\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
      + summary.errors.timeout, summary.duration / 1e6, summary.requests / (summary.duration / 1e6)))
end

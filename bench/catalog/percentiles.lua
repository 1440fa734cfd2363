-- Each request carries the session of the next member in $SESSIONS (one JSESSIONID a line; each wrk thread
-- starts at its own place in the list), so that with many members the pages kept per member are measured as
-- members would use them, not only the hits of one member.
-- wrk prints 50/75/90/99; the issue asks for p50 and p95. errors= is the sum of the kinds after it
-- (status = answers that were not 2xx/3xx; timeout = no answer within wrk's 2 s).
local sessions = {}
local next_session = 1
local threads = 0

setup = function(thread)
  threads = threads + 1
  thread:set("offset", threads * 37)
end

init = function(args)
  local file = os.getenv("SESSIONS")
  if file then
    for line in io.lines(file) do
      if line ~= "" then sessions[#sessions + 1] = line end
    end
  end
  if #sessions > 0 then next_session = (tonumber(offset) or 0) % #sessions + 1 end
end

request = function()
  if #sessions > 0 then
    wrk.headers["Cookie"] = "JSESSIONID=" .. sessions[next_session]
    next_session = next_session % #sessions + 1
  end
  return wrk.format()
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f requests=%d errors=%d seconds=%.1f rps=%.1f"
      .. " connect=%d read=%d write=%d status=%d timeout=%d\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, e.connect + e.read + e.write + e.status + e.timeout, summary.duration / 1e6,
    summary.requests / (summary.duration / 1e6), e.connect, e.read, e.write, e.status, e.timeout))
end

-- wrk script: the refresh_token grant. Every refresh rotates the token, so each thread keeps a pool of live tokens:
-- a request takes one, its response puts the successor back. Tokens come from $BENCH_TOKENS (one per line), dealt
-- out to the $BENCH_THREADS threads; each thread needs at least as many as it has connections.
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

local tokens = {}
local headers = {
  ["Content-Type"] = "application/x-www-form-urlencoded",
  ["Authorization"] = os.getenv("BENCH_AUTH"),
}

function init(args)
  local threads = tonumber(os.getenv("BENCH_THREADS"))
  local i = 0
  for line in io.lines(os.getenv("BENCH_TOKENS")) do
    if i % threads == id - 1 then
      table.insert(tokens, line)
    end
    i = i + 1
  end
end

function request()
  local token = table.remove(tokens) or "exhausted"
  return wrk.format("POST", nil, headers, "grant_type=refresh_token&refresh_token=" .. token)
end

function response(status, headers, body)
  local token = body:match('"refresh_token":"([^"]+)"')
  if token then
    table.insert(tokens, token)
  end
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, (summary.errors.status or 0)))
end

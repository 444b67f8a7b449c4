-- Status look-ups for wrk: every request takes a random (token, case) pair from the
-- file given as the first script argument, one "token case_id" pair a line, where the
-- token's holder is the case's applicant, so every answer should be a 200.
-- Usage: wrk ... -s status.lua http://127.0.0.1:PORT -- pairs.txt
local counter = 0
local threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("thread_number", counter)
  table.insert(threads, thread)
end

local requests_ = {}
non2xx = 0

function init(args)
  for line in io.lines(args[1]) do
    local token, case_id = line:match("^(%S+) (%S+)$")
    if token then
      requests_[#requests_ + 1] = wrk.format(
        "GET", "/api/v1/cases/" .. case_id, { ["Authorization"] = "Bearer " .. token }
      )
    end
  end
  math.randomseed(os.time() * 1000 + thread_number)
end

function request()
  return requests_[math.random(#requests_)]
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("non2xx") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "non2xx": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "timeouts": %d, "status_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, bad, e.connect, e.read, e.write, e.timeout, e.status
  ))
end

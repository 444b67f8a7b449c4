-- Submissions for wrk: every request posts the same valid application as a random
-- token holder (tokens from the file given as the first script argument, one a line),
-- with an Idempotency-Key never used before (the second argument makes it unique
-- across runs), so every answer should be a 201.
-- Usage: wrk ... -s submit.lua http://127.0.0.1:PORT -- tokens.txt RUN_ID
local counter = 0
local threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("thread_number", counter)
  table.insert(threads, thread)
end

local tokens = {}
local body = '{"program": "iec", "category": "working-holiday", "given_name": "Amélie", ' ..
  '"family_name": "Poulain", "date_of_birth": "1998-02-28", "citizenship": "FR", ' ..
  '"email": "amelie@example.com", "preferred_language": "fr", ' ..
  '"answers": {"funds_cad": 3000, "job_offer": false, "previous_visits": 0}}'
local run_id = "0"
local sent = 0
non2xx = 0

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then
      tokens[#tokens + 1] = "Bearer " .. line
    end
  end
  run_id = args[2] or run_id
  math.randomseed(os.time() * 1000 + thread_number)
end

function request()
  sent = sent + 1
  local key = string.format("bench-%s-%d-%d-%08x", run_id, thread_number, sent,
    math.random(0, 0x7fffffff))
  return wrk.format("POST", "/api/v1/applications", {
    ["Authorization"] = tokens[math.random(#tokens)],
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = key,
  }, body)
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

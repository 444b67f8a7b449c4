-- Submissions for wrk: every request posts the same valid application as a random
-- token holder (tokens from the file given as the first script argument, one a line),
-- with an Idempotency-Key never used before (the second argument makes it unique
-- across runs), so every answer should be a 201.
-- Usage: wrk ... -s submit.lua http://127.0.0.1:PORT -- tokens.txt RUN_ID
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "report.lua")

local tokens = {}
local body = '{"program": "iec", "category": "working-holiday", "given_name": "Amélie", ' ..
  '"family_name": "Poulain", "date_of_birth": "1998-02-28", "citizenship": "FR", ' ..
  '"email": "amelie@example.com", "preferred_language": "fr", ' ..
  '"answers": {"funds_cad": 3000, "job_offer": false, "previous_visits": 0}}'
local run_id = "0"
local sent = 0

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

-- Status look-ups for wrk: every request takes a random (token, case) pair from the
-- file given as the first script argument, one "token case_id" pair a line, where the
-- token's holder is the case's applicant, so every answer should be a 200.
-- Usage: wrk ... -s status.lua http://127.0.0.1:PORT -- pairs.txt
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "report.lua")

local requests_ = {}

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

-- Tracker requests for wrk: every request takes a random line of the file given as the
-- first script argument, "path<TAB>header name<TAB>header value" (a bearer token for the
-- API, the session cookie for the page), where the person may see the case, so every
-- answer should be a 200.
-- Usage: wrk ... -s tracker.lua http://127.0.0.1:PORT -- requests.txt
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "report.lua")

local requests_ = {}

function init(args)
  for line in io.lines(args[1]) do
    local path, name, value = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)$")
    if path then
      requests_[#requests_ + 1] = wrk.format("GET", path, { [name] = value })
    end
  end
  math.randomseed(os.time() * 1000 + thread_number)
end

function request()
  return requests_[math.random(#requests_)]
end

-- wrk script: one sendsms per request, each to a distinct Chinese mobile number
-- (thread t uses 13t########). Client "bench" and template "bench" (a ${code} placeholder);
-- the passcode comes from the PASSCODE environment variable. See docs/scaling.md.
local threads = 0
function setup(thread) thread:set("tid", threads); threads = threads + 1 end
local n = 0
function request()
  n = n + 1
  local body = string.format('{"client_id":"bench","passcode":"%s","phone_number":"13%d%08d","templet_id":"bench","contents":[{"p1":"1234"}]}', os.getenv("PASSCODE"), tid, n)
  return wrk.format("POST", "/api/sms/v1/sendsms", {["Content-Type"] = "application/json"}, body)
end

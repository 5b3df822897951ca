-- Requests rotating over N distinct bots (tokens "<id>:<secret>", ids 100000001…), each
-- connection thread starting at its own offset. The same script serves N = 1, so the
-- load generator does the same work per request whatever N is.
--
--   wrk ... -s bench/wrk/rotate.lua URL -- N METHOD            (GET)
--   wrk ... -s bench/wrk/rotate.lua URL -- N METHOD JSON_BODY  (POST application/json)
--
-- done() prints one line `BENCH {json}` that the bale-bench driver reads.

local requests_ = {}
local count = 0
local index = 0
local next_thread = 0

-- Runs in the main Lua state, once per wrk thread: numbers the threads (global thread_no).
function setup(thread)
   thread:set("thread_no", next_thread)
   next_thread = next_thread + 1
end

function init(args)
   count = tonumber(args[1])
   local method, body = args[2], args[3]
   local headers = {}
   local verb = "GET"
   if body ~= nil then
      verb = "POST"
      headers["Content-Type"] = "application/json"
   end
   for i = 1, count do
      local path = string.format("/bot%d:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/%s", 100000000 + i, method)
      requests_[i] = wrk.format(verb, path, headers, body)
   end
   index = ((thread_no or 0) * 7919) % count
end

function request()
   index = index + 1
   if index > count then
      index = 1
   end
   return requests_[index]
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      'BENCH {"requests":%d,"duration_us":%d,"bytes":%d,' ..
      '"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,' ..
      '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f}\n',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(99),
      latency.max, latency.mean))
end

-- One fixed request, built once per thread (wrk's fast "static" mode: no request()).
--
--   wrk ... -s bench/wrk/static.lua URL -- get  PATH
--   wrk ... -s bench/wrk/static.lua URL -- json PATH BODY
--   wrk ... -s bench/wrk/static.lua URL -- form PATH BODY
--
-- done() prints one line `BENCH {json}` that the bale-bench driver reads.

function init(args)
   local mode, path, body = args[1], args[2], args[3]
   wrk.path = path
   if mode == "get" then
      wrk.method = "GET"
   elseif mode == "json" then
      wrk.method = "POST"
      wrk.body = body
      wrk.headers["Content-Type"] = "application/json"
   elseif mode == "form" then
      wrk.method = "POST"
      wrk.body = body
      wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
   else
      error("static.lua: unknown mode " .. tostring(mode))
   end
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

-- wrk ... -s bench/wrk/bench.lua URL -- METHOD PATH [CONTENT_TYPE BODY]: one fixed request
-- (wrk's fast static mode), and a line `BENCH {json}` that bale-bench parses with serde.
function init(args)
   wrk.method, wrk.path = args[1], args[2]
   if args[3] then
      wrk.headers["Content-Type"], wrk.body = args[3], args[4]
   end
end

function done(summary, latency, requests)
   io.write(string.format(
      'BENCH {"requests":%d,"duration_us":%d,"status_errors":%d,"p50_us":%d,"p99_us":%d}\n',
      summary.requests, summary.duration, summary.errors.status,
      latency:percentile(50), latency:percentile(99)))
end

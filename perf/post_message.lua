-- wrk script: POST /q/<queue>/new_message with a form body, the REST way to create a message.
-- usage: wrk ... -s perf/post_message.lua http://127.0.0.1:PORT/q/perf/new_message -- perf
-- The argument after `--` is the message's dest (default "perf").
-- Counts replies that are not HTTP 200 with a body starting ["ok", so a run that only
-- produced errors cannot pass for a fast one.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   local dest = args[1] or "perf"
   -- x_format=json&mesg={"dest":"<dest>"} , form-encoded
   wrk.method = "POST"
   wrk.body = "x_format=json&mesg=%7B%22dest%22%3A%22" .. dest .. "%22%7D"
   wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
   bad = 0
end

function response(status, headers, body)
   if status ~= 200 or string.sub(body, 1, 5) ~= '["ok"' then
      bad = bad + 1
   end
end

function done(summary, latency, requests)
   local total_bad = 0
   for _, thread in ipairs(threads) do
      total_bad = total_bad + (thread:get("bad") or 0)
   end
   io.write(string.format("Replies not [\"ok\",…]: %d\n", total_bad))
end

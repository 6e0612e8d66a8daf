#!/bin/bash
# bash by its path, not through `env`: commit -> start measures the server, and `env` is one
# more exec (with its own locale loading, ~1 ms on this VM) before the script's first line.
# Queue script of perf/worker_bench.sh (latency): appends "<msg id> <start time>" to the file
# named by RQ_PARAM1, then reports success on fd 3. $EPOCHREALTIME is a bash builtin (no fork),
# so the stamp is taken as early as a bash script can take one.
printf '%s %s\n' "$RQ_MSG_ID" "${EPOCHREALTIME:-$(date +%s.%N)}" >>"$RQ_PARAM1"
echo "done ok" >&3

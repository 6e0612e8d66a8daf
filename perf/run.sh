#!/usr/bin/env bash
# Benchmarks message creation on the real rq-server.
#
# Builds release, installs a throw-away root on a free loopback port, starts the server in the
# foreground (background job of this script), creates two paused queues, then measures:
#   * REST: POST /q/<q>/new_message (form body x_format=json&mesg={"dest":"<q>"}) with wrk,
#     keep-alive, 1 and 16 connections;
#   * rq1:  create_message on queue/<q>/queue.sock, one request per connection, 1 and 16
#     client processes (perf/rq1_bench.py);
# each for DURATION seconds, on a durable queue `perf` (reply only after fsync) and on a
# queue `perfnf` with "fsync":"no-fsync". Queues stay paused, so this measures intake only
# (no script runs; exec_prefix is "" anyway, see DESIGN.md on the cost of `bash -lc`).
# Messages pile up in `que` across runs of the same queue.
#
# usage: perf/run.sh
#   env: DURATION   seconds per run (default 10)
#        RQ_SERVER  use this rq-server binary instead of building release
#        KEEP_ROOT=1 keep the temp root (logs, raw wrk/rq1 outputs) for inspection
set -euo pipefail

DURATION=${DURATION:-10}
source "$(dirname "$0")/common.sh"

need_command wrk
find_server
install_root perf
say "installed into $ROOT, port $PORT"
mkdir -p "$ROOT/perf"
cp "$PERF/done.sh" "$ROOT/perf/done.sh"

say "file system baseline: mkdir + create of msg, one process, no fsync, 5 s"
FS_BASELINE=$(python3 "$PERF/fs_baseline.py" "$ROOT" 5)
echo "$FS_BASELINE dirs/s"

say "starting rq-server"
start_server
create_queue perf ./perf/done.sh 1 paused
create_queue perfnf ./perf/done.sh 1 paused ',"fsync":"no-fsync"'

queued() {
    rq1 "$ROOT/queue/$1/queue.sock" num_messages '{}' |
        python3 -c 'import json,sys; print(json.load(sys.stdin).get("que","?"))' 2>/dev/null || echo "?"
}

RESULTS=$ROOT/results.txt
: >"$RESULTS"

# bench_rest QUEUE CONNECTIONS
bench_rest() {
    local queue=$1 conns=$2 threads=1 out before after
    if [ "$conns" -gt 1 ]; then threads=2; fi
    out=$ROOT/wrk-$queue-$conns.txt
    before=$(queued "$queue")
    say "REST POST /q/$queue/new_message: wrk $conns connection(s), $threads thread(s), keep-alive, ${DURATION}s"
    timeout $((DURATION + 60)) wrk -t"$threads" -c"$conns" -d"${DURATION}s" --timeout 10s --latency \
        -s "$PERF/post_message.lua" "http://127.0.0.1:$PORT/q/$queue/new_message" -- "$queue" | tee "$out" ||
        echo "wrk failed"
    after=$(queued "$queue")
    echo "messages in que: $before -> $after"
    local rps p50 p99 errors
    rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")
    p50=$(awk '$1 == "50%" {print $2}' "$out")
    p99=$(awk '$1 == "99%" {print $2}' "$out")
    errors=$(awk -F': ' '/^Replies not/ {print $2}' "$out")
    printf '%-5s %-7s %5s %10s %10s %10s %7s\n' REST "$queue" "$conns" "${rps:-?}" "${p50:-?}" "${p99:-?}" "${errors:-?}" >>"$RESULTS"
}

# bench_rq1 QUEUE CLIENTS
bench_rq1() {
    local queue=$1 clients=$2 out before after
    out=$ROOT/rq1-$queue-$clients.txt
    before=$(queued "$queue")
    say "rq1 create_message on queue/$queue/queue.sock: $clients client process(es), ${DURATION}s"
    timeout $((DURATION + 60)) python3 "$PERF/rq1_bench.py" --socket "$ROOT/queue/$queue/queue.sock" \
        --clients "$clients" --duration "$DURATION" --dest "$queue" | tee "$out" || true
    after=$(queued "$queue")
    echo "messages in que: $before -> $after"
    local line
    line=$(grep '^RESULT ' "$out" || echo "RESULT")
    printf '%-5s %-7s %5s %10s %10s %10s %7s\n' rq1 "$queue" "$clients" "$(result_field "$line" msgs_per_s)" \
        "$(result_field "$line" p50_ms)ms" "$(result_field "$line" p99_ms)ms" "$(result_field "$line" errors)" >>"$RESULTS"
}

for queue in perf perfnf; do
    for conns in 1 16; do bench_rest "$queue" "$conns"; done
    for clients in 1 16; do bench_rq1 "$queue" "$clients"; done
done

say "summary (perf = durable, fsync before each ok; perfnf = \"fsync\":\"no-fsync\"; ${DURATION}s each)"
printf '%-5s %-7s %5s %10s %10s %10s %7s\n' api queue conns "req/s" p50 p99 errors
cat "$RESULTS"
echo "file system baseline (mkdir + create, no fsync, one process): $FS_BASELINE dirs/s"
echo "server: $(grep -c . "$ROOT/server.log" || true) log line(s) in $ROOT/server.log"

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

if ! command -v wrk >/dev/null; then
    say "installing wrk (Debian package)"
    if [ "$(id -u)" = 0 ]; then
        timeout 300 apt-get install -y wrk >/dev/null || { timeout 300 apt-get update >/dev/null && timeout 300 apt-get install -y wrk >/dev/null; }
    else
        timeout 300 sudo apt-get install -y wrk >/dev/null
    fi
    command -v wrk >/dev/null || die "wrk is not installed"
fi

SERVER=${RQ_SERVER:-}
if [ -z "$SERVER" ]; then
    say "building release"
    (cd "$REPO" && timeout 1800 swift build -c release --product rq-server)
    SERVER=$(cd "$REPO" && swift build -c release --show-bin-path)/rq-server
fi
[ -x "$SERVER" ] || die "no server binary at $SERVER"

ROOT=$(mktemp -d /tmp/rq-perf.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
say "installing into $ROOT, port $PORT"
"$SERVER" install --root "$ROOT" --port "$PORT" --force
mkdir -p "$ROOT/perf"
cp "$PERF/done.sh" "$ROOT/perf/done.sh"

say "file system baseline: mkdir + create of msg, one process, no fsync, 5 s"
FS_BASELINE=$(python3 "$PERF/fs_baseline.py" "$ROOT" 5)
echo "$FS_BASELINE dirs/s"

say "starting rq-server"
"$SERVER" run --root "$ROOT" >"$ROOT/server.log" 2>&1 &
SERVER_PID=$!

rq1() { timeout 10 python3 "$PERF/rq1_call.py" "$@"; }

# wait_for WHAT SECONDS COMMAND...: retry COMMAND until it succeeds.
wait_for() {
    local what=$1 seconds=$2
    shift 2
    for _ in $(seq $((seconds * 10))); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        kill -0 "$SERVER_PID" 2>/dev/null || { tail -20 "$ROOT/server.log" >&2; die "server exited while waiting for $what"; }
        sleep 0.1
    done
    tail -20 "$ROOT/server.log" >&2
    die "timed out waiting for $what"
}

wait_for "the manager socket" 20 rq1 "$ROOT/config/queuemgr.sock" ping
wait_for "the web server" 20 curl -sS --max-time 2 -o /dev/null "http://127.0.0.1:$PORT/"

# create_paused_queue NAME EXTRA_JSON_FIELDS
create_paused_queue() {
    local name=$1 extra=$2 reply
    touch "$ROOT/config/$name.pause" # before creation, so no script ever runs
    reply=$(rq1 "$ROOT/config/queuemgr.sock" create_queue \
        "{\"name\":\"$name\",\"script\":\"./perf/done.sh\",\"num_workers\":1,\"exec_prefix\":\"\"$extra}")
    echo "create_queue $name: $reply"
    case $reply in '["success"'*) ;; *) die "could not create queue $name" ;; esac
    wait_for "queue $name to pause" 20 sh -c \
        "python3 '$PERF/rq1_call.py' '$ROOT/queue/$name/queue.sock' status | grep -q PAUSE"
}
create_paused_queue perf ''
create_paused_queue perfnf ',"fsync":"no-fsync"'

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

# result_field "RESULT k=v ..." KEY: the value of KEY in rq1_bench.py's last line.
result_field() { echo "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k {print $2}'; }

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

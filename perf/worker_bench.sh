#!/usr/bin/env bash
# Benchmarks the worker side of rq-server: how fast queue scripts are run.
#
# Builds release (like perf/run.sh), installs a throw-away root on a free loopback port,
# starts the server, then measures:
#   * throughput: N messages enqueued in a paused queue whose script (perf/worker_done.sh)
#     only writes `done ok` to fd 3; the queue is resumed and timed until all N are done;
#     once with num_workers 1 and once with num_workers 4;
#   * baseline: the same script run COUNT times by a bare posix_spawn loop (worker_bench.py
#     spawnloop: same fds and environment, no server), right before and right after the
#     num_workers 1 run;
#     the ratio end to end (1 worker) / mean of the two loops is printed (target >= 0.8);
#   * latency: on an idle queue (num_workers 1, perf/worker_stamp.sh records its start time),
#     one message at a time: time from the create_message request ("commit") to the script's
#     first instruction, p50 and p99; then the same with perf/worker_stamp.c (the same job
#     compiled, built here with cc), whose first instruction comes without an interpreter's
#     start-up, so that figure is the server's part; each beside its floor (the script
#     spawned by a bare posix_spawn, no server).
# Every queue uses exec_prefix "" (direct exec): the original's default `bash -lc ` costs
# ~160 ms per job on these machines (DESIGN.md) and would measure the login shell, not us.
#
# usage: perf/worker_bench.sh
#   env: COUNT      messages per throughput run (default 2000)
#        SAMPLES    latency samples (default 200)
#        RQ_SERVER  use this rq-server binary instead of building release
#        KEEP_ROOT=1 keep the temp root (server.log, raw outputs) for inspection
set -euo pipefail

COUNT=${COUNT:-2000}
SAMPLES=${SAMPLES:-200}
source "$(dirname "$0")/common.sh"

need_command cc gcc
find_server
install_root wbench
say "starting rq-server on $ROOT, port $PORT"
start_server

RESULTS=$ROOT/results.txt
: >"$RESULTS"

# bench_throughput WORKERS
bench_throughput() {
    local workers=$1 queue=wbench$1 out line
    create_queue "$queue" "$PERF/worker_done.sh" "$workers" paused
    out=$ROOT/throughput-$workers.txt
    say "throughput: $COUNT messages, num_workers $workers, script writes only 'done ok'"
    timeout 900 python3 "$PERF/worker_bench.py" throughput --root "$ROOT" --queue "$queue" --count "$COUNT" |
        tee "$out" || echo "throughput run failed"
    line=$(grep '^RESULT ' "$out" || echo "RESULT")
    printf '%-11s %7s %7s %10s %10s %7s\n' throughput "$workers" "$(result_field "$line" msgs)" \
        "$(result_field "$line" seconds)s" "$(result_field "$line" msgs_per_s)" "$(result_field "$line" errors)" >>"$RESULTS"
}

# bench_spawnloop LABEL: prints the bare loop's runs/s.
bench_spawnloop() {
    local dir=$ROOT/spawnloop-$1 out line
    mkdir -p "$dir"
    say "baseline ($1): bare posix_spawn loop of the same script, $COUNT runs" >&2
    out=$dir/result.txt
    timeout 900 python3 "$PERF/worker_bench.py" spawnloop --script "$PERF/worker_done.sh" --count "$COUNT" --dir "$dir" |
        tee "$out" >&2 || echo "spawn loop failed" >&2
    line=$(grep '^RESULT ' "$out" || echo "RESULT")
    result_field "$line" runs_per_s
}

LOOP_BEFORE=$(bench_spawnloop before)
bench_throughput 1
LOOP_AFTER=$(bench_spawnloop after)
bench_throughput 4
ONE_WORKER=$(awk '$1 == "throughput" && $2 == 1 {print $5}' "$RESULTS")
RATIO=$(awk -v a="$LOOP_BEFORE" -v b="$LOOP_AFTER" -v s="$ONE_WORKER" \
    'BEGIN { if (a > 0 && b > 0 && s > 0) printf "%.2f", s / ((a + b) / 2); else print "n/a" }')

# bench_latency LABEL SCRIPT: commit -> start on an idle 1-worker queue, then the floor (the
# same script spawned with no server); prints the two RESULT lines joined.
bench_latency() {
    local label=$1 script=$2 out floor
    say "latency ($label): commit -> script start on an idle queue, $SAMPLES samples" >&2
    create_queue "wlatency$label" "$script" 1 running >&2
    out=$(timeout 600 python3 "$PERF/worker_bench.py" latency --root "$ROOT" --queue "wlatency$label" --samples "$SAMPLES" \
        --stamps "$ROOT/latency-$label-stamps.txt" | tee /dev/stderr | grep '^RESULT ' || echo "RESULT")
    say "floor ($label): spawn of the same script to its first line, no server, $SAMPLES samples" >&2
    floor=$(timeout 600 python3 "$PERF/worker_bench.py" floor --script "$script" --samples "$SAMPLES" \
        --stamps "$ROOT/floor-$label-stamps.txt" | tee /dev/stderr | grep '^RESULT ' || echo "RESULT")
    echo "$out ${floor#RESULT}"
}

LATENCY=$(bench_latency bash "$PERF/worker_stamp.sh")
cc -O2 -o "$ROOT/worker_stamp" "$PERF/worker_stamp.c" || die "could not build perf/worker_stamp.c"
COMPILED=$(bench_latency compiled "$ROOT/worker_stamp")

say "summary (exec_prefix \"\", durable queues; $(nproc) CPU(s) shared by server, scripts and clients)"
printf '%-11s %7s %7s %10s %10s %7s\n' run workers msgs time "msgs/s" errors
cat "$RESULTS"
printf 'baseline    bare posix_spawn loop %s / %s runs/s (before / after); end to end 1 worker / loop = %s (target >= 0.8)\n' \
    "$LOOP_BEFORE" "$LOOP_AFTER" "$RATIO"
for which in LATENCY COMPILED; do
    line=${!which}
    kind=bash
    [ "$which" = COMPILED ] && kind="compiled (perf/worker_stamp.c)"
    printf 'latency     %s script: commit->start p50 %s ms, p99 %s ms (from the ok reply: p50 %s ms, p99 %s ms), %s samples\n' \
        "$kind" "$(result_field "$line" p50_ms)" "$(result_field "$line" p99_ms)" \
        "$(result_field "$line" reply_p50_ms)" "$(result_field "$line" reply_p99_ms)" "$(result_field "$line" samples)"
    printf 'floor       %s script: spawn -> script start with no server p50 %s ms, p99 %s ms\n' \
        "$kind" "$(result_field "$line" floor_p50_ms)" "$(result_field "$line" floor_p99_ms)"
done
echo "server: $(grep -c . "$ROOT/server.log" || true) log line(s) in $ROOT/server.log"
printf 'RESULT part=workers loop_before=%s loop_after=%s end_to_end_1=%s end_to_end_4=%s ratio=%s p50_ms=%s p99_ms=%s samples=%s floor_p50_ms=%s floor_p99_ms=%s compiled_p50_ms=%s compiled_p99_ms=%s compiled_floor_p50_ms=%s compiled_floor_p99_ms=%s\n' \
    "$LOOP_BEFORE" "$LOOP_AFTER" "$ONE_WORKER" "$(awk '$1 == "throughput" && $2 == 4 {print $5}' "$RESULTS")" "$RATIO" \
    "$(result_field "$LATENCY" p50_ms)" "$(result_field "$LATENCY" p99_ms)" "$(result_field "$LATENCY" samples)" \
    "$(result_field "$LATENCY" floor_p50_ms)" "$(result_field "$LATENCY" floor_p99_ms)" \
    "$(result_field "$COMPILED" p50_ms)" "$(result_field "$COMPILED" p99_ms)" \
    "$(result_field "$COMPILED" floor_p50_ms)" "$(result_field "$COMPILED" floor_p99_ms)"

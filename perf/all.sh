#!/usr/bin/env bash
# Every benchmark of issue 10 in one run, side by side on one machine state, ending with one
# summary table (perf/summary.py): figure, value, ratio, target, met. Builds the release
# rq-server once (or uses RQ_SERVER) and runs the parts, each with its own throw-away root:
#   ingest   perf/durable_ingest.sh  durable REST 1/16/64 clients vs beanstalkd -f0, 3 runs
#                                    each; no-fsync; fdatasync and mkdir + create baselines
#   batch    perf/batch_ingest.sh    NDJSON batches vs the mkdir + create baseline
#   workers  perf/worker_bench.sh    end to end vs a bare posix_spawn loop; commit -> start
#   startup  perf/startup_scale.sh   start-up time and RSS with STARTUP_COUNTS queued, idle RSS
# Each part prints its usual output and a `RESULT part=... key=value ...` line; a part that
# fails is reported, the others still run, and the exit status is 1.
#
# usage: bash perf/all.sh
#   env: PARTS           parts to run, in order (default "ingest batch workers startup")
#        DURATION        seconds per ingest / batch run (default 5)
#        COUNT, SAMPLES  workers: messages per throughput run (2000), latency samples (200)
#        STARTUP_COUNTS  queued messages for start-up (default "100000 1000000")
#        RQ_SERVER       use this rq-server binary instead of building release
#        KEEP_ROOT=1     keep the parts' logs (and each part's root)
set -euo pipefail
PARTS=${PARTS:-ingest batch workers startup}
export DURATION=${DURATION:-5} STARTUP_COUNTS=${STARTUP_COUNTS:-100000 1000000}
source "$(dirname "$0")/common.sh"

declare -A SCRIPTS=([ingest]=durable_ingest.sh [batch]=batch_ingest.sh [workers]=worker_bench.sh [startup]=startup_scale.sh)
for part in $PARTS; do [ -n "${SCRIPTS[$part]:-}" ] || die "unknown part '$part' (known: ${!SCRIPTS[*]})"; done

find_server
export RQ_SERVER=$SERVER
ROOT=$(mktemp -d /tmp/rq-all.XXXXXX) # the parts' logs

say "machine"
echo "cores:   $(nproc), $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)," \
    "$(awk '/^MemTotal/ {printf "%.0f GiB", $2 / 2^20}' /proc/meminfo)"
echo "kernel:  $(uname -sr)"
echo "/tmp:    $(findmnt -n -o SOURCE,FSTYPE,OPTIONS -T /tmp)," \
    "$(df -h --output=size,avail /tmp | awk 'NR == 2 {print $1 " size, " $2 " free"}')"
if [ "${RQ_BENCH_FS:-fresh}" = fresh ] && [ "$(id -u)" = 0 ]; then
    echo "roots:   each on a fresh ext4 in a sparse file in /tmp, loop-mounted (perf/common.sh fresh_fs)"
else
    echo "roots:   in /tmp"
fi
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"
echo "server:  $SERVER ($(git -C "$REPO" describe --always --dirty 2>/dev/null || echo "no git"))"
echo "started: $(date -u +%FT%TZ), parts: $PARTS"

FAILED=()
for part in $PARTS; do
    say "part $part: perf/${SCRIPTS[$part]}"
    began=$SECONDS
    if ! bash "$PERF/${SCRIPTS[$part]}" 2>&1 | tee "$ROOT/$part.log"; then
        echo "part $part FAILED"
        FAILED+=("$part")
    fi
    echo "part $part took $((SECONDS - began)) s"
done

say "summary ($(date -u +%FT%TZ); ratios compare figures of this run)"
python3 "$PERF/summary.py" "$ROOT"/*.log
[ ${#FAILED[@]} = 0 ] || die "failed: ${FAILED[*]} (their output is above)"

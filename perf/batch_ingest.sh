#!/usr/bin/env bash
# Batch ingest (`POST /q/<q>/messages`, NDJSON, one message per line) against the file
# system's own ceiling for the message layout, in one run. For each BATCH_LINES x BATCH_CLIENTS
# (keep-alive clients of perf/ingest_client.py each posting batches of that many lines to a
# durable queue), and once for rq1 `create_messages` with the largest batch and client count
# (one request per connection), the rate is set against the mkdir + create baseline
# (perf/fs_baseline.py, one process, no fsync) measured right before and right after it: this
# disk's metadata speed swings several-fold within a minute, so only neighbouring figures
# compare. Then the largest batch once to a no-fsync queue. Every run posts to a queue of its
# own, empty when the run starts, as the baseline writes into an empty directory of its own:
# ext4's cost per entry grows with the directory (its htree), and one queue for all runs held
# 100,000+ messages by the last run, which then measured the size of que/, not the server.
# The queues are paused, so only intake is measured. Prints messages/s and ratios, the best
# ratio (target >= 0.9), and `RESULT part=batch ...`.
#
# usage: perf/batch_ingest.sh
#   env: DURATION       seconds per run (default 5)
#        BATCH_LINES    lines per request (default "100 1000"; at most 10,000, the server's limit)
#        BATCH_CLIENTS  client counts (default "1 16")
#        RQ_SERVER      use this rq-server binary instead of building release
set -euo pipefail

DURATION=${DURATION:-5}
BATCH_LINES=${BATCH_LINES:-100 1000}
BATCH_CLIENTS=${BATCH_CLIENTS:-1 16}
source "$(dirname "$0")/common.sh"

find_server
install_root batch
mkdir -p "$ROOT/perf"
cp "$PERF/done.sh" "$ROOT/perf/done.sh"
start_server

queued() { rq1 "$ROOT/queue/$1/queue.sock" num_messages '{}' | python3 -c 'import json, sys; print(json.load(sys.stdin)["que"])'; }
batch() { python3 "$PERF/ingest_client.py" batch 127.0.0.1 "$PORT" "$1" "$2" "$DURATION" "$3"; }
rq1batch() { python3 "$PERF/ingest_client.py" rq1batch "$ROOT/queue/$1/queue.sock" - "$1" "$2" "$DURATION" "$3"; }
baseline() { python3 "$PERF/fs_baseline.py" "$(mktemp -d "$ROOT/baseline.XXXXXX")" "$DURATION"; }

# fresh_queue NAME [EXTRA_JSON_FIELDS]: a new, paused, empty queue for one run.
fresh_queue() { create_queue "$1" ./perf/done.sh 1 paused "${2:-}" >/dev/null; }

# measure LABEL KEY CLIENT ARGS...: runs `CLIENT KEY ARGS...` (batch or rq1batch; it prints
# messages/s) against a fresh queue named KEY, then the baseline after it, and sets the rate
# against the mean of the baselines right before and right after.
measure() {
    local label=$1 key=$2 client=$3 rate after around r stored
    shift 3
    fresh_queue "$key"
    rate=$("$client" "$key" "$@")
    stored=$(queued "$key")
    STORED=$((STORED + stored))
    after=$(baseline)
    around=$(((BEFORE + after) / 2))
    r=$(ratio "$rate" "$around")
    printf '%-40s %8s %16s %6s\n' "$label" "$rate" "$BEFORE / $after" "$r"
    FIELDS+=" $key=$rate,$around"
    if [ -z "$BEST" ] || python3 -c "import sys; sys.exit(not $r > ${BEST%% *})"; then BEST="$r $rate $around $key"; fi
    BEFORE=$after
}

echo "batch ingest, $DURATION s per run, $(nproc) cores, $(date -u +%FT%TZ)"
printf '%-40s %8s %16s %6s\n' "what (durable queue unless said)" "msgs/s" "baseline around" "ratio"
FIELDS="" BEST="" STORED=0
BEFORE=$(baseline)
for lines in $BATCH_LINES; do
    for clients in $BATCH_CLIENTS; do
        measure "REST, $clients clients x $lines lines" "rest_${lines}x$clients" batch "$clients" "$lines"
    done
done
LARGEST=$(printf '%s\n' $BATCH_LINES | sort -n | tail -1)
MOST=$(printf '%s\n' $BATCH_CLIENTS | sort -n | tail -1)
measure "rq1 create_messages, $MOST clients x $LARGEST" "rq1_${LARGEST}x$MOST" rq1batch "$MOST" "$LARGEST"
fresh_queue perfnf ',"fsync":"no-fsync"'
NOFSYNC=$(batch perfnf 1 "$LARGEST")
printf '%-40s %8s\n' "REST no-fsync, 1 client x $LARGEST lines" "$NOFSYNC"
read -r RATIO RATE AROUND BEST_AT <<<"$BEST"
echo "durable batches stored $STORED messages in que"
echo "best: $BEST_AT (lines x clients) / mkdir + create around it: $RATIO (target >= 0.9)"
echo "RESULT part=batch seconds=$DURATION$FIELDS nofsync_${LARGEST}x1=$NOFSYNC best=$RATE baseline=$AROUND" \
    "ratio=$RATIO best_at=$BEST_AT stored=$STORED"

#!/usr/bin/env bash
# Durable REST ingest side by side with beanstalkd `-f0` (binlog fsynced on every put), in one
# run, with the same client (perf/ingest_client.py: N processes, one keep-alive connection
# each). Prints, for 1/16/64 clients, three back-to-back runs of each, then no-fsync ingest,
# one more durable and no-fsync 16-client run each counted with the sync it leaves behind,
# and the file-system baselines (a preallocated write + fdatasync loop, mkdir + create), and
# the ratios that matter (mean durable vs mean beanstalkd, durable vs no-fsync), and ends with
# one machine-readable line `RESULT part=ingest rest16=a,b,c beanstalk16=... nofsync16=...`.
# Read ratios, not absolute figures: the VM's disk and CPU are shared.
#
# usage: perf/durable_ingest.sh
#   env: DURATION  seconds per run (default 5)
#        RQ_SERVER use this rq-server binary instead of building release
#        DURABILITY journal (default) or fsync: the root config's "durability"
set -euo pipefail

DURATION=${DURATION:-5}
DURABILITY=${DURABILITY:-journal}
source "$(dirname "$0")/common.sh"

need_command beanstalkd
find_server
install_root ingest
python3 - "$ROOT/config/config.json" "$DURABILITY" <<'PY'
import json, sys
path, mode = sys.argv[1], sys.argv[2]
config = json.load(open(path)); config["durability"] = mode
json.dump(config, open(path, "w"))
PY
mkdir -p "$ROOT/perf" "$ROOT/beanstalkd"
cp "$PERF/done.sh" "$ROOT/perf/done.sh"
start_server
BPORT=$(free_port)
beanstalkd -l 127.0.0.1 -p "$BPORT" -b "$ROOT/beanstalkd" -f0 &
PEER_PIDS+=($!)
create_queue perf ./perf/done.sh 1 paused >/dev/null
create_queue perfnf ./perf/done.sh 1 paused ',"fsync":"no-fsync"' >/dev/null
sleep 1

client() { python3 "$PERF/ingest_client.py" "$@"; }
mean() { python3 -c 'import sys; v = [float(x) for x in sys.argv[1:]]; print(f"{sum(v) / len(v):.0f}")' "$@"; }
echo "durability: $DURABILITY, $DURATION s per run, $(nproc) cores, $(date -u +%FT%TZ)"
printf '%-44s %8s %8s %8s\n' "what" "run 1" "run 2" "run 3"
declare -A RUNS MEAN
for clients in 1 16 64; do
    for kind in rest beanstalk; do
        port=$PORT label="rq-swift REST durable"
        [ "$kind" = beanstalk ] && port=$BPORT label="beanstalkd -f0 put"
        results=()
        for _ in 1 2 3; do results+=("$(client "$kind" 127.0.0.1 "$port" perf "$clients" "$DURATION")"); done
        printf '%-44s %8s %8s %8s\n' "$label, $clients clients" "${results[@]}"
        RUNS[$kind$clients]=$(IFS=,; echo "${results[*]}")
        MEAN[$kind$clients]=$(mean "${results[@]}")
    done
done
for clients in 1 16; do
    MEAN[nofsync$clients]=$(client rest 127.0.0.1 "$PORT" perfnf "$clients" "$DURATION")
    printf '%-44s %8s\n' "rq-swift REST no-fsync, $clients clients" "${MEAN[nofsync$clients]}"
done
# settled QUEUE: messages/s of one 16-client run into QUEUE counted over its DURATION plus the
# `sync -f` of the file system right after it (which starts synced). A no-fsync run leaves its
# writes in the page cache, written back ~30 s later into whatever runs then; a durable run pays
# for them inside its window at its checkpoints. Counting the sync each leaves behind compares
# what each costs the disk; the plain ratio above compares only where the cost falls.
settled() {
    local rate began
    sync -f "$ROOT"
    rate=$(client rest 127.0.0.1 "$PORT" "$1" 16 "$DURATION")
    began=$(now)
    sync -f "$ROOT"
    python3 -c "print(round($rate * $DURATION / ($DURATION + $(since "$began"))))"
}
SETTLED_DURABLE=$(settled perf)
SETTLED_NOFSYNC=$(settled perfnf)
printf '%-44s %8s\n' "rq-swift REST durable, 16, + sync after" "$SETTLED_DURABLE" \
    "rq-swift REST no-fsync, 16, + sync after" "$SETTLED_NOFSYNC"
FDATASYNC=$(client fsync "$ROOT" - - 1 "$DURATION")
MKDIR_CREATE=$(python3 "$PERF/fs_baseline.py" "$ROOT" "$DURATION")
printf '%-44s %8s\n' "baseline: 400 B write + fdatasync, prealloc" "$FDATASYNC" \
    "baseline: mkdir + create msg, no fsync" "$MKDIR_CREATE"
for clients in 1 16 64; do
    echo "mean durable / mean beanstalkd -f0, $clients clients: $(ratio "${MEAN[rest$clients]}" "${MEAN[beanstalk$clients]}")"
done
for clients in 1 16; do
    echo "mean durable / no-fsync, $clients clients: $(ratio "${MEAN[rest$clients]}" "${MEAN[nofsync$clients]}")"
done
echo "durable / no-fsync, 16 clients, each counted with the sync after it: $(ratio "$SETTLED_DURABLE" "$SETTLED_NOFSYNC")"
echo "RESULT part=ingest durability=$DURABILITY seconds=$DURATION" \
    "rest1=${RUNS[rest1]} rest16=${RUNS[rest16]} rest64=${RUNS[rest64]}" \
    "beanstalk1=${RUNS[beanstalk1]} beanstalk16=${RUNS[beanstalk16]} beanstalk64=${RUNS[beanstalk64]}" \
    "nofsync1=${MEAN[nofsync1]} nofsync16=${MEAN[nofsync16]} settled_durable16=$SETTLED_DURABLE" \
    "settled_nofsync16=$SETTLED_NOFSYNC fdatasync=$FDATASYNC mkdir_create=$MKDIR_CREATE"

#!/usr/bin/env bash
# Durable REST ingest side by side with beanstalkd `-f0` (binlog fsynced on every put), in one
# run, with the same client (perf/ingest_client.py: N processes, one keep-alive connection
# each). Prints, for 1/16/64 clients, three back-to-back runs of each, then no-fsync ingest
# and the file-system baselines (a preallocated write + fdatasync loop, mkdir + create), and
# the ratios that matter (durable vs beanstalkd, durable vs no-fsync). Read ratios, not
# absolute figures: the VM's disk and CPU are shared.
#
# usage: perf/durable_ingest.sh
#   env: DURATION  seconds per run (default 5)
#        RQ_SERVER use this rq-server binary instead of building release
#        DURABILITY journal (default) or fsync: the root config's "durability"
set -euo pipefail

DURATION=${DURATION:-5}
DURABILITY=${DURABILITY:-journal}
source "$(dirname "$0")/common.sh"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

if ! command -v beanstalkd >/dev/null; then
    say "installing beanstalkd (Debian package)"
    timeout 300 apt-get install -y beanstalkd >/dev/null || { timeout 300 apt-get update >/dev/null && timeout 300 apt-get install -y beanstalkd >/dev/null; }
fi
SERVER=${RQ_SERVER:-}
if [ -z "$SERVER" ]; then
    say "building release"
    (cd "$REPO" && timeout 1800 swift build -c release --product rq-server)
    SERVER=$(cd "$REPO" && swift build -c release --show-bin-path)/rq-server
fi

ROOT=$(mktemp -d /tmp/rq-ingest.XXXXXX)
PORT=$(free_port)
"$SERVER" install --root "$ROOT" --port "$PORT" --force >/dev/null
python3 - "$ROOT/config/config.json" "$DURABILITY" <<'PY'
import json, sys
path, mode = sys.argv[1], sys.argv[2]
config = json.load(open(path)); config["durability"] = mode
json.dump(config, open(path, "w"))
PY
mkdir -p "$ROOT/perf" "$ROOT/beanstalkd"
cp "$PERF/done.sh" "$ROOT/perf/done.sh"
"$SERVER" run --root "$ROOT" >"$ROOT/server.log" 2>&1 &
SERVER_PID=$!
BPORT=$(free_port)
beanstalkd -l 127.0.0.1 -p "$BPORT" -b "$ROOT/beanstalkd" -f0 &
PEER_PIDS+=($!)

rq1() { timeout 10 python3 "$PERF/rq1_call.py" "$@"; }
for _ in $(seq 200); do rq1 "$ROOT/config/queuemgr.sock" ping >/dev/null 2>&1 && break; sleep 0.1; done
for q in perf:'' perfnf:',"fsync":"no-fsync"'; do
    name=${q%%:*}
    touch "$ROOT/config/$name.pause"
    rq1 "$ROOT/config/queuemgr.sock" create_queue \
        "{\"name\":\"$name\",\"script\":\"./perf/done.sh\",\"num_workers\":1,\"exec_prefix\":\"\"${q#*:}}" >/dev/null
done
sleep 1

client() { python3 "$PERF/ingest_client.py" "$@"; }
echo "durability: $DURABILITY, $DURATION s per run, $(nproc) cores, $(date -u +%FT%TZ)"
printf '%-44s %8s %8s %8s\n' "what" "run 1" "run 2" "run 3"
declare -A BEST
for clients in 1 16 64; do
    for side in rest:perf beanstalk:perf; do
        kind=${side%%:*}
        port=$PORT; [ "$kind" = beanstalk ] && port=$BPORT
        results=()
        for run in 1 2 3; do results+=("$(client "$kind" 127.0.0.1 "$port" perf "$clients" "$DURATION")"); done
        label="rq-swift REST durable"; [ "$kind" = beanstalk ] && label="beanstalkd -f0 put"
        printf '%-44s %8s %8s %8s\n' "$label, $clients clients" "${results[@]}"
        BEST[$kind$clients]=$(printf '%s\n' "${results[@]}" | sort -n | tail -1)
    done
done
for clients in 1 16; do
    nf=$(client rest 127.0.0.1 "$PORT" perfnf "$clients" "$DURATION")
    printf '%-44s %8s\n' "rq-swift REST no-fsync, $clients clients" "$nf"
    BEST[nf$clients]=$nf
done
printf '%-44s %8s\n' "baseline: 400 B write + fdatasync, prealloc" "$(client fsync "$ROOT" - - 1 "$DURATION")"
printf '%-44s %8s\n' "baseline: mkdir + create msg, no fsync" "$(python3 "$PERF/fs_baseline.py" "$ROOT" "$DURATION")"
ratio() { python3 -c "print(f'{$1 / max($2, 1):.2f}')"; }
for clients in 1 16 64; do
    echo "best durable / best beanstalkd -f0, $clients clients: $(ratio "${BEST[rest$clients]}" "${BEST[beanstalk$clients]}")"
done
for clients in 1 16; do
    echo "best durable / no-fsync, $clients clients: $(ratio "${BEST[rest$clients]}" "${BEST[nf$clients]}")"
done

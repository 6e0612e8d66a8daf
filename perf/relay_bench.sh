#!/usr/bin/env bash
# Benchmarks the relay (store and forward between two local servers):
#   * small messages/s: COUNT messages are stored in A's paused `relay` queue (dest: B's paused
#     queue `sink`), then A's relay queue is resumed and timed until all COUNT are relayed;
#     relay num_workers = WORKERS (several deliveries in flight);
#   * one big attachment: a BIG_MIB MiB file (sparse: measures the relay pipeline, not the
#     disk) is attached to one relay message; timed until relayed, MB/s; and A's peak RSS
#     (VmHWM) before and after, to show the upload streams in bounded memory.
#
# usage: perf/relay_bench.sh
#   env: COUNT (default 500), WORKERS (default 4), BIG_MIB (default 1024)
#        SINK_NOFSYNC=1  the receiver's queue skips fsync ("fsync":"no-fsync"): shows the
#                        relay's own cost without the receiver's durable commits
#        RQ_SERVER / RQ_CLI  use these binaries instead of building release
#        KEEP_ROOT=1 keep the temp roots
set -euo pipefail

COUNT=${COUNT:-500}
WORKERS=${WORKERS:-4}
BIG_MIB=${BIG_MIB:-1024}
REPO=$(cd "$(dirname "$0")/.." && pwd)
ROOTS=()
PIDS=()

cleanup() {
    local status=$?
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [ "${KEEP_ROOT:-0}" = 1 ]; then echo "roots kept: ${ROOTS[*]}"; else rm -rf "${ROOTS[@]}"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
say() { printf '\n== %s\n' "$*"; }

SERVER=${RQ_SERVER:-}
CLI=${RQ_CLI:-}
if [ -z "$SERVER" ]; then
    say "building release"
    (cd "$REPO" && timeout 1800 swift build -c release --product rq-server && swift build -c release --product rq)
    BIN=$(cd "$REPO" && swift build -c release --show-bin-path)
    SERVER=$BIN/rq-server
    CLI=$BIN/rq
fi
CLI=${CLI:-$(dirname "$SERVER")/rq}
# Absolute: the CLI runs from inside the sender's root.
SERVER=$(realpath "$SERVER"); CLI=$(realpath "$CLI")

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start_server ROOT PORT -> pid in $STARTED
start_server() {
    "$SERVER" run --root "$1" >"$1/server.log" 2>&1 &
    STARTED=$!
    PIDS+=("$STARTED")
    for _ in $(seq 200); do
        curl -s -o /dev/null "http://127.0.0.1:$2/" && [ -S "$1/config/queuemgr.sock" ] && return 0
        sleep 0.05
    done
    echo "server on $2 did not start" >&2; exit 1
}

mgr() { python3 "$REPO/perf/rq1_call.py" "$1/config/queuemgr.sock" "$2" "${3:-}"; }

A=$(mktemp -d /tmp/rq-relayA.XXXXXX); B=$(mktemp -d /tmp/rq-relayB.XXXXXX); ROOTS=("$A" "$B")
PA=$(free_port); PB=$(free_port)
"$SERVER" install --root "$A" --port "$PA" --force >/dev/null
"$SERVER" install --root "$B" --port "$PB" --force >/dev/null
cat >"$A/queue/relay/config.json" <<JSON
{"name":"relay","script":"$A/default_scripts/relay/run","num_workers":$WORKERS,"exec_prefix":"","env_vars":{"RQ_RETRY_BASE_SECONDS":"0"},"coalesce_params":[],"blocking_params":[]}
JSON
touch "$A/config/relay.pause"
start_server "$A" "$PA"; APID=$STARTED
start_server "$B" "$PB"
touch "$B/config/sink.pause"
SINK_FSYNC=""
[ "${SINK_NOFSYNC:-0}" = 1 ] && SINK_FSYNC=',"fsync":"no-fsync"'
mgr "$B" create_queue "{\"name\":\"sink\",\"script\":\"$REPO/perf/done.sh\",\"num_workers\":1,\"exec_prefix\":\"\"$SINK_FSYNC}" >/dev/null

count_relayed() { find "$A/queue/relay/relayed" -mindepth 4 -maxdepth 4 -type d | wc -l; }

say "storing $COUNT small messages in A's paused relay queue"
python3 - "$PA" "$PB" "$COUNT" <<'PY'
import http.client, json, sys, urllib.parse
pa, pb, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
c = http.client.HTTPConnection("127.0.0.1", int(pa))
for i in range(n):
    mesg = json.dumps({"dest": "http://127.0.0.1:%s/q/sink" % pb, "param1": str(i)})
    c.request("POST", "/q/relay/new_message", urllib.parse.urlencode({"x_format": "json", "mesg": mesg}),
              {"Content-Type": "application/x-www-form-urlencoded"})
    r = c.getresponse(); body = r.read()
    assert r.status == 200 and body.startswith(b'["ok"'), body
PY
say "relaying (num_workers $WORKERS)"
start=$(date +%s.%N)
mgr "$A" resume_queue relay >/dev/null
while [ "$(count_relayed)" -lt "$COUNT" ]; do sleep 0.05; done
end=$(date +%s.%N)
python3 -c "d=$end-$start; print('small messages: %d in %.2f s = %.0f msg/s' % ($COUNT, d, $COUNT/d))"

say "one ${BIG_MIB} MiB attachment"
BIGFILE=$A/big.bin
truncate -s "${BIG_MIB}M" "$BIGFILE"
hwm() { awk '/VmHWM/ {print $2}' "/proc/$APID/status"; }
before=$(hwm)
export RQ_ROOT=$A
id=$(cd "$A" && "$CLI" prepmesg --dest "http://127.0.0.1:$PB/q/sink" --relay-ok | awk '{print $2}')
(cd "$A" && "$CLI" attachmesg --msg_id "$id" --pathname "$BIGFILE" >/dev/null)
start=$(date +%s.%N)
(cd "$A" && "$CLI" commitmesg --msg_id "$id" >/dev/null)
until (cd "$A" && "$CLI" statusmesg --msg_id "$id") | grep -q '^ok relayed'; do sleep 0.1; done
end=$(date +%s.%N)
after=$(hwm)
python3 -c "d=$end-$start; print('big attachment: %d MiB in %.2f s = %.0f MB/s (md5 on both sides included)' % ($BIG_MIB, d, $BIG_MIB*1.048576/d))"
echo "sender peak RSS (VmHWM): before ${before} kB, after ${after} kB"

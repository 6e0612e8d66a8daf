#!/usr/bin/env bash
# Start-up time and memory with many queued messages: writes COUNT messages straight into
# queue/big/que/ (the layout a long outage leaves), starts the server, and prints the seconds
# until it answers its first HTTP request and its RSS then (and the RSS of an idle server).
#
# usage: perf/startup_scale.sh [COUNT...]   (default: 100000)
#   env: RQ_SERVER  use this rq-server binary instead of building release
set -euo pipefail
COUNTS=("${@:-100000}")
REPO=$(cd "$(dirname "$0")/.." && pwd)
ROOT=""
PID=""
cleanup() {
    [ -n "$PID" ] && { kill -TERM "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }
    [ -n "$ROOT" ] && rm -rf "$ROOT"
}
trap cleanup EXIT
SERVER=${RQ_SERVER:-}
if [ -z "$SERVER" ]; then
    (cd "$REPO" && timeout 1800 swift build -c release --product rq-server >/dev/null)
    SERVER=$(cd "$REPO" && swift build -c release --show-bin-path)/rq-server
fi
rss() { awk '/VmRSS/ { printf "%.0f MiB", $2 / 1024 }' "/proc/$1/status"; }

# start: runs the server and waits for HTTP; prints seconds to first answer and RSS.
start() {
    local began
    began=$(date +%s.%N)
    "$SERVER" run --root "$ROOT" >>"$ROOT/server.log" 2>&1 &
    PID=$!
    until curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/"; do
        kill -0 "$PID" || { tail "$ROOT/server.log"; exit 1; }
        sleep 0.02
    done
    echo "$(python3 -c "print(f'{$(date +%s.%N) - $began:.2f}')") s, RSS $(rss "$PID")"
}
stop() { kill -TERM "$PID"; wait "$PID" || true; PID=""; }

for count in "${COUNTS[@]}"; do
    ROOT=$(mktemp -d /tmp/rq-startup.XXXXXX)
    PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "$SERVER" install --root "$ROOT" --port "$PORT" --force >/dev/null
    echo "idle server: $(start)"
    stop
    mkdir -p "$ROOT/queue/big"
    touch "$ROOT/config/big.pause"
    echo '{"name":"big","script":"/bin/true","num_workers":1,"exec_prefix":""}' >"$ROOT/queue/big/config.json"
    python3 - "$ROOT/queue/big/que" "$count" <<'PY'
import os, sys
que, count = sys.argv[1], int(sys.argv[2])
os.makedirs(que, exist_ok=True)
for n in range(count):
    mid = "20261201.0000.%02d.%03d.%d" % (n // 1000 % 60, n % 1000, 10000000 + n)
    os.mkdir(f"{que}/{mid}")
    with open(f"{que}/{mid}/msg", "w") as f:
        f.write('{"msg_id":"%s","dest":"big","count":0,"max_count":15,"due":1796100000,"param1":"p%d"}' % (mid, n % 100))
PY
    sync
    echo "$count queued: $(start)"
    stop
    rm -rf "$ROOT"; ROOT=""
done

# Sourced by the perf scripts that start one throw-away server: paths, clean-up on exit (the
# server and any PEER_PIDS stopped gracefully, leftover background jobs killed, the temp ROOT
# removed unless KEEP_ROOT=1), and the `say`/`die` helpers.
REPO=$(cd "$(dirname "${BASH_SOURCE[1]}")/.." && pwd)
PERF=$REPO/perf
PERF_SCRIPT=perf/$(basename "${BASH_SOURCE[1]}")
ROOT=""
SERVER_PID=""
PEER_PIDS=()

stop_pid() {
    local pid=$1
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local status=$?
    for pid in $SERVER_PID "${PEER_PIDS[@]}"; do stop_pid "$pid"; done
    jobs -p | xargs -r kill 2>/dev/null || true
    if [ -n "$ROOT" ]; then
        if [ "${KEEP_ROOT:-0}" = 1 ]; then echo "root kept: $ROOT"; else rm -rf "$ROOT"; fi
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '\n== %s\n' "$*"; }
die() { echo "$PERF_SCRIPT: $*" >&2; exit 1; }

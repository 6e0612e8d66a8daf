# Sourced by the perf scripts that start one throw-away server: paths, clean-up on exit (the
# server and any PEER_PIDS stopped gracefully, leftover background jobs killed, the temp ROOT
# removed unless KEEP_ROOT=1), and the helpers they share: `say`/`die`, `need_command`, `find_server` (RQ_SERVER
# or a release build), `install_root`, `start_server`, `create_queue`, `rq1`, `wait_for`,
# `free_port`, `ratio` and `result_field` (reads the `RESULT key=value ...` lines every script prints).
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

# need_command COMMAND [PACKAGE]: installs the Debian package when COMMAND is missing.
need_command() {
    command -v "$1" >/dev/null && return 0
    local package=${2:-$1} sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    say "installing $package (Debian package)"
    timeout 300 $sudo apt-get install -y "$package" >/dev/null ||
        { timeout 300 $sudo apt-get update >/dev/null && timeout 300 $sudo apt-get install -y "$package" >/dev/null; } || true
    command -v "$1" >/dev/null || die "$package is not installed"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
rq1() { timeout 10 python3 "$PERF/rq1_call.py" "$@"; }

# ratio A B: A / B with two decimals.
ratio() { python3 -c "print(f'{$1 / max($2, 1):.2f}')"; }

# result_field "RESULT k=v ..." KEY: the value of KEY.
result_field() { echo "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k {print $2}'; }

# find_server: sets SERVER to $RQ_SERVER, or builds this repository's release rq-server.
find_server() {
    SERVER=${RQ_SERVER:-}
    if [ -z "$SERVER" ]; then
        say "building release" >&2
        (cd "$REPO" && timeout 1800 swift build -c release --product rq-server) >&2
        SERVER=$(cd "$REPO" && swift build -c release --show-bin-path)/rq-server
    fi
    [ -x "$SERVER" ] || die "no server binary at $SERVER"
}

# install_root NAME: a throw-away root /tmp/rq-NAME.* (ROOT) for a free loopback PORT.
install_root() {
    ROOT=$(mktemp -d "/tmp/rq-$1.XXXXXX")
    PORT=$(free_port)
    "$SERVER" install --root "$ROOT" --port "$PORT" --force >/dev/null
}

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

# start_server: runs the server on ROOT (log in ROOT/server.log) until its manager socket and
# its web server answer.
start_server() {
    "$SERVER" run --root "$ROOT" >>"$ROOT/server.log" 2>&1 &
    SERVER_PID=$!
    wait_for "the manager socket" 20 rq1 "$ROOT/config/queuemgr.sock" ping
    wait_for "the web server" 20 curl -sS --max-time 2 -o /dev/null "http://127.0.0.1:$PORT/"
}

# create_queue NAME SCRIPT WORKERS paused|running [EXTRA_JSON_FIELDS]: exec_prefix "" (direct
# exec; the original's `bash -lc ` would measure a login shell, see DESIGN.md).
create_queue() {
    local name=$1 script=$2 workers=$3 mode=$4 extra=${5:-} reply want=UP
    if [ "$mode" = paused ]; then touch "$ROOT/config/$name.pause"; want=PAUSE; fi # before creation: nothing runs
    reply=$(rq1 "$ROOT/config/queuemgr.sock" create_queue \
        "{\"name\":\"$name\",\"script\":\"$script\",\"num_workers\":$workers,\"exec_prefix\":\"\"$extra}")
    echo "create_queue $name: $reply"
    case $reply in '["success"'*) ;; *) die "could not create queue $name" ;; esac
    wait_for "queue $name to be $want" 20 sh -c \
        "python3 '$PERF/rq1_call.py' '$ROOT/queue/$name/queue.sock' status | grep -q $want"
}

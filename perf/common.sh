# Sourced by the perf scripts that start one throw-away server: paths, clean-up on exit (the
# server and any PEER_PIDS stopped gracefully, leftover background jobs killed, the temp ROOT
# removed unless KEEP_ROOT=1), and the helpers they share: `say`/`die`, `need_command`, `find_server` (RQ_SERVER
# or a release build), `install_root`, `start_server`, `create_queue`, `rq1`, `wait_for`,
# `free_port`, `now`/`since`, `ratio` and `result_field` (reads the `RESULT key=value ...` lines every script prints).
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
        if [ "${KEEP_ROOT:-0}" = 1 ]; then echo "root kept: $ROOT"; else drop_root; fi
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

# now: the time in seconds (with nanoseconds); since T: seconds from T to now, two decimals.
now() { date +%s.%N; }
since() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$1" "$(now)"; }

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

# The root fs of the dev VM is mounted with `discard` and churned by every run before (ext4
# skips inodes freed in the last minutes): one mkdir + create loop gave 6,000/s there and
# 21,000/s on a fresh ext4 of the same disk in the same minute, and each run was slower than
# the one before. So, as root, every root lives on a fresh ext4 made in a sparse file on the
# same disk and loop-mounted (fsyncs still reach the disk through the loop device), and the
# server, beanstalkd and the baselines of one part share it. RQ_BENCH_FS=tmp keeps /tmp.
BENCH_FS=""
BENCH_IMAGE=""

# fresh_fs: mounts a new ext4 (32 GiB sparse, 2.6 M inodes: a million queued messages fit)
# at BENCH_FS, unless RQ_BENCH_FS=tmp or not root.
fresh_fs() {
    [ "${RQ_BENCH_FS:-fresh}" = fresh ] && [ "$(id -u)" = 0 ] && command -v mkfs.ext4 >/dev/null || return 0
    BENCH_IMAGE=$(mktemp /tmp/rq-fs.XXXXXX.img)
    BENCH_FS=${BENCH_IMAGE%.img}.mnt
    truncate -s 32G "$BENCH_IMAGE"
    mkfs.ext4 -q -F -N 2600000 -E lazy_itable_init=0,lazy_journal_init=0 "$BENCH_IMAGE"
    mkdir -p "$BENCH_FS"
    mount -o loop "$BENCH_IMAGE" "$BENCH_FS" || { rm -f "$BENCH_IMAGE"; BENCH_FS="" BENCH_IMAGE=""; }
}

# drop_root: removes ROOT (and the fresh file system it lives on), and waits until the disk
# has written all of it, so that the flush of the dropped file system and the discards of its
# freed image do not run into the part that follows (whose server writes; its baselines may not).
drop_root() {
    if [ -n "$BENCH_FS" ]; then
        umount "$BENCH_FS" 2>/dev/null || umount -l "$BENCH_FS" 2>/dev/null || true
        rmdir "$BENCH_FS" 2>/dev/null || true
        rm -f "$BENCH_IMAGE"
        BENCH_FS="" BENCH_IMAGE=""
    else
        rm -rf "$ROOT"
    fi
    sync
    ROOT=""
}

# install_root NAME: a throw-away root rq-NAME.* (ROOT) for a free loopback PORT, on a fresh
# file system (see fresh_fs) or in /tmp; RQ_CONFIG (a JSON object) adds keys to its
# config/config.json, e.g. the journal's tuning.
install_root() {
    [ -z "$ROOT" ] || drop_root
    fresh_fs
    ROOT=$(mktemp -d "${BENCH_FS:-/tmp}/rq-$1.XXXXXX")
    PORT=$(free_port)
    "$SERVER" install --root "$ROOT" --port "$PORT" --force >/dev/null
    # RQ_CONFIG='{"journal_checkpoint_bytes": 8388608}' merges keys into config/config.json.
    if [ -n "${RQ_CONFIG:-}" ]; then
        python3 -c 'import json, sys
path = sys.argv[1]; config = json.load(open(path)); config.update(json.loads(sys.argv[2]))
json.dump(config, open(path, "w"))' "$ROOT/config/config.json" "$RQ_CONFIG"
    fi
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

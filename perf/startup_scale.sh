#!/usr/bin/env bash
# Start-up time and memory with many queued messages. For each COUNT: a fresh root, COUNT
# messages written straight into queue/big/que/ (perf/fill_queue.py, the layout a long outage
# leaves; `big` is paused), then the server is started and timed until it answers its first
# HTTP request (`GET /`) and until it accepts a message (`POST /q/big/new_message`); its RSS is
# read then and again once the server logs that the whole index is built.
# An idle server (empty root) is measured first. Ends with `RESULT part=startup ...` lines.
#
# usage: perf/startup_scale.sh [COUNT...]   (default: $STARTUP_COUNTS or "100000 1000000")
#   env: RQ_SERVER  use this rq-server binary instead of building release
#        FILL_PROCESSES  writers for the messages (default: the number of cores)
set -euo pipefail
read -r -a COUNTS <<<"${*:-${STARTUP_COUNTS:-100000 1000000}}"
source "$(dirname "$0")/common.sh"
find_server

rss_mib() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$SERVER_PID/status"; }
answers() { curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/"; }
accepts() {
    [[ $(curl -s --max-time 5 --data-urlencode 'mesg={"dest":"big"}' -d x_format=json \
        "http://127.0.0.1:$PORT/q/big/new_message") == *'"ok"'* ]]
}
# The only outside sign that the index is complete: the server logs "queue big: N queued
# message(s) indexed in <duration>" when the scan of que/ took over half a second.
indexed_line() { grep -m1 'queue big: .* indexed in' "$ROOT/server.log"; }

# launch: starts the server on ROOT; sets FIRST_ANSWER (seconds until `GET /` answers) and
# RSS_FIRST (MiB then).
launch() {
    local began
    began=$(now)
    "$SERVER" run --root "$ROOT" >>"$ROOT/server.log" 2>&1 &
    SERVER_PID=$!
    until answers; do
        kill -0 "$SERVER_PID" 2>/dev/null || { tail "$ROOT/server.log" >&2; die "server exited during start-up"; }
        sleep 0.02
    done
    FIRST_ANSWER=$(since "$began")
    RSS_FIRST=$(rss_mib)
    LAUNCHED=$began
}
stop() { stop_pid "$SERVER_PID"; SERVER_PID=""; }

install_root startup
launch
echo "idle server: first HTTP answer after $FIRST_ANSWER s, RSS $RSS_FIRST MiB"
echo "RESULT part=startup count=0 first_answer_s=$FIRST_ANSWER rss_mib=$RSS_FIRST"
stop
drop_root

for count in "${COUNTS[@]}"; do
    install_root startup
    mkdir -p "$ROOT/queue/big"
    touch "$ROOT/config/big.pause"
    echo '{"name":"big","script":"/bin/true","num_workers":1,"exec_prefix":""}' >"$ROOT/queue/big/config.json"
    began=$(now)
    rate=$(python3 "$PERF/fill_queue.py" "$ROOT/queue/big/que" "$count" "${FILL_PROCESSES:-$(nproc)}")
    sync
    echo "$count messages written in $(since "$began") s ($rate/s while writing), synced"
    launch
    until accepts; do sleep 0.02; done
    accepted=$(since "$LAUNCHED")
    wait_s=$((count / 5000 > 10 ? count / 5000 : 10)) # a scan under 0.5 s logs nothing: give up then
    for _ in $(seq $((wait_s * 10))); do indexed_line >/dev/null && break; sleep 0.1; done
    line=$(indexed_line || true) rss_full=$(rss_mib)
    if [ -n "$line" ]; then
        indexed=$(printf '%.2f' "$(echo "$line" | sed -E 's/.* indexed in ([0-9.]+) seconds.*/\1/')")
        index_note="index built in $indexed s by the server's log (RSS then $rss_full MiB)"
    else
        indexed=unknown
        index_note="no 'indexed' line in the server log after $wait_s s (RSS then $rss_full MiB)"
    fi
    echo "$count queued: first HTTP answer after $FIRST_ANSWER s (RSS $RSS_FIRST MiB), first message accepted" \
        "after $accepted s; $index_note"
    echo "RESULT part=startup count=$count first_answer_s=$FIRST_ANSWER accept_s=$accepted indexed_s=$indexed" \
        "rss_first_mib=$RSS_FIRST rss_mib=$rss_full"
    stop
    began=$(now)
    drop_root
    echo "root removed in $(since "$began") s"
done

#!/usr/bin/env bash
# How long `GET /` waits while a 1 GiB upload and a 1 GiB download run (issue 11, part 6).
#
# Installs a throw-away root on a free loopback port, starts the server, attaches a 1 GiB
# sparse file to message A (via rq1 attach_message, then commit), and then at the same time:
#   * downloads A's attachment with curl (GET /q/big/<A>/attach/big.bin, rate unlimited),
#   * uploads another 1 GiB file to prep message B (POST /q/big/<B>/attach/new, multipart),
#   * requests GET / every 50 ms with curl and records each time_total;
# and prints how many probes ran and their p50 / p99 / max in milliseconds.
#
# usage: perf/slices.sh
#   env: RQ_SERVER  rq-server binary (default: build release)
#        SIZE_MIB   size of the upload and the download (default 1024)
#        ONLY       "upload" or "download" to run just one of the transfers
set -euo pipefail

SIZE_MIB=${SIZE_MIB:-1024}
source "$(dirname "$0")/common.sh"

find_server
install_root slices
start_server
create_queue big ./x.sh 1 paused >/dev/null
# rq1_call.py with a long timeout: attaching hashes the whole file first.
rq1() { timeout 600 python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import rq1_call
print(rq1_call.call(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else "", timeout=600).decode())' "$PERF" "$@"; }
SOCK=$ROOT/queue/big/queue.sock
short_id() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[1].rsplit("/",1)[-1])' "$1"; }

truncate -s "${SIZE_MIB}M" "$ROOT/big.bin" "$ROOT/up.bin"
A=$(short_id "$(rq1 "$SOCK" prep_message '{"dest":"big"}')")
rq1 "$SOCK" attach_message "{\"msg_id\":\"$A\",\"pathname\":\"$ROOT/big.bin\"}" >/dev/null
rq1 "$SOCK" commit_message "{\"msg_id\":\"$A\"}" >/dev/null
B=$(short_id "$(rq1 "$SOCK" prep_message '{"dest":"big"}')")
BASE=http://127.0.0.1:$PORT

DOWN=0 UP=0
if [ "${ONLY:-}" != upload ]; then curl -sS -o /dev/null "$BASE/q/big/$A/attach/big.bin" & DOWN=$!; fi
if [ "${ONLY:-}" != download ]; then
    curl -sS -o /dev/null -F "filedata=@$ROOT/up.bin" -F x_format=json "$BASE/q/big/$B/attach/new" & UP=$!
fi
: >"$ROOT/probes"
running() { [ "$1" != 0 ] && kill -0 "$1" 2>/dev/null; }
while running "$DOWN" || running "$UP"; do
    curl -sS -o /dev/null -w '%{time_total}\n' "$BASE/" >>"$ROOT/probes"
    sleep 0.05
done
for pid in $DOWN $UP; do [ "$pid" = 0 ] || wait "$pid" || die "a transfer failed"; done
python3 - "$ROOT/probes" <<'PY'
import sys
ms = sorted(float(line) * 1000 for line in open(sys.argv[1]) if line.strip())
if not ms: sys.exit("no probes")
pick = lambda q: ms[min(len(ms) - 1, int(q * len(ms)))]
print("GET / during transfers: %d probes, p50 %.1f ms, p99 %.1f ms, max %.1f ms" % (len(ms), pick(0.5), pick(0.99), ms[-1]))
PY

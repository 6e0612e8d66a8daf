#!/usr/bin/env bash
# Queue script of the worker integration tests (Tests/IntegrationTests/Worker*Tests.swift).
# RQ_PARAM1 picks the behaviour; RQ_PARAM2/RQ_PARAM3 carry its arguments (usually paths of
# files the test reads back). Status lines go to fd 3 (RQ_WRITE), dup replies come on fd 4.
set -u

# say LINE: one status line on the status pipe.
say() { printf '%s\n' "$*" >&3; }
# stamp: wall-clock seconds with nanoseconds, comparable with the test's Date().
stamp() { date +%s.%N; }

case "${RQ_PARAM1:-}" in
done)
    echo "stdout line of $RQ_MSG_ID"
    echo "stderr line of $RQ_MSG_ID" >&2
    say "run working"
    say "done finished ok"
    ;;
err)
    say "run about to fail"
    say "err by design"
    ;;
sneaky)
    # done, then a non-zero exit: the exit code wins. $$ is the worker's pid (direct exec).
    echo "$$" >"$RQ_PARAM2"
    say "done sneaky non-zero exit"
    exit 3
    ;;
silent)
    # exit 0 without a final status.
    say "run only progress"
    ;;
split)
    # a line split across writes, and a last line without a newline.
    printf 'run a\nrun b\ndo' >&3
    sleep 0.3
    printf 'ne joined at last' >&3
    ;;
resend)
    # resend once (2 s later), done on the second run; every run appends its start time.
    stamp >>"$RQ_PARAM2"
    if [ "$RQ_COUNT" = 0 ]; then say "resend 2-try again later"; else say "done second run"; fi
    ;;
resend_always)
    say "resend 0-again"
    ;;
dup)
    # clone this message to queue RQ_PARAM2, write the reply from fd 4 to the file RQ_PARAM3.
    say "dup 0-X-$RQ_PARAM2"
    reply=""
    read -r -t 5 -u 4 reply
    printf '%s\n' "$reply" >"$RQ_PARAM3"
    say "done dup replied"
    ;;
symlink)
    say "done $0|$RQ_REALSCRIPT|$RQ_SCRIPT"
    ;;
timeline)
    # appends start and end times to RQ_PARAM2/<msg id>.start|.end around a sleep of RQ_PARAM3 s.
    stamp >>"$RQ_PARAM2/$RQ_MSG_ID.start"
    sleep "$RQ_PARAM3"
    stamp >>"$RQ_PARAM2/$RQ_MSG_ID.end"
    say "done slept"
    ;;
record)
    # appends the msg id to the file RQ_PARAM2: which messages really ran.
    echo "$RQ_MSG_ID" >>"$RQ_PARAM2"
    say "done recorded"
    ;;
hang)
    # a child process that holds the pipes: only signalling the process group ends it quickly.
    say "run sleeping"
    sleep 30
    say "done woke up"
    ;;
closefd)
    # reports done, closes its status pipe, and keeps running for RQ_PARAM2 seconds: the message
    # must stay in run until the process exits.
    say "done closed early"
    exec 3>&-
    sleep "$RQ_PARAM2"
    ;;
slowerr)
    # fails after RQ_PARAM3 seconds: time for a test to act while this run holds its dups.
    say "run failing soon"
    sleep "$RQ_PARAM3"
    say "err failed on purpose"
    ;;
flood)
    # 100k progress lines as fast as possible, in pipe-sized chunks that split lines.
    seq 1 100000 | sed 's/^/run flood /' >&3
    say "done flood over"
    ;;
leftovers)
    # leaves a child in its process group and one that escaped it with setsid, both holding
    # fds 3/4; writes their pids to RQ_PARAM2/group and RQ_PARAM2/escaped.
    ( sleep 300 & echo $! >"$RQ_PARAM2/group.tmp" )
    mv "$RQ_PARAM2/group.tmp" "$RQ_PARAM2/group"
    setsid sleep 300 &
    echo $! >"$RQ_PARAM2/escaped.tmp"
    mv "$RQ_PARAM2/escaped.tmp" "$RQ_PARAM2/escaped"
    say "done left children behind"
    ;;
dupflood)
    # RQ_PARAM3 dups to queue RQ_PARAM2 written at once into a status pipe made large enough
    # to hold them all, so the server finds them all waiting; replies never read.
    python3 - "$RQ_PARAM2" "$RQ_PARAM3" <<'PY'
import fcntl, os, sys
F_SETPIPE_SZ = 1031
fcntl.fcntl(3, F_SETPIPE_SZ, 1 << 20)
data = ("dup 0-X-%s\n" % sys.argv[1]).encode() * int(sys.argv[2])
while data:
    data = data[os.write(3, data):]
PY
    say "done flooded"
    ;;
dupreplies)
    # RQ_PARAM3 dups to queue RQ_PARAM2, then reads every reply into the file RQ_PARAM4.
    yes "dup 0-X-$RQ_PARAM2" | head -n "$RQ_PARAM3" >&3
    n=0
    while [ "$n" -lt "$RQ_PARAM3" ] && read -r -t 20 -u 4 line; do
        printf '%s\n' "$line"
        n=$((n + 1))
    done >"$RQ_PARAM4"
    say "done read $n replies"
    ;;
*)
    say "err unknown mode ${RQ_PARAM1:-}"
    ;;
esac

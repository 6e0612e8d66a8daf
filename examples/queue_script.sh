#!/usr/bin/env bash
# Example RQ queue script in bash.
#
# RQ runs one copy per message, in the message's job/ directory, with stdout and stderr
# appended to job/stdio.log. It reports to the queue by writing lines to fd 3 ($RQ_WRITE):
#   run <text>              progress (becomes the message's status text)
#   done <text>             success
#   err <text>              failure, the message goes to err/ for an operator
#   resend <secs>-<reason>  run again in <secs> seconds (RQ_COUNT goes up by one)
#   dup <secs>-X-<dest>     copy this message to queue <dest> (or a URL); the queue answers
#                           one line on fd 4 ($RQ_READ): "ok <new full id>" or "fail <reason>"
# The message's final state is decided when the script exits: exit 0 after the line above.
#
# This example picks a path from RQ_PARAM1: "err", "resend", "dup" (RQ_PARAM2 = target
# queue), anything else runs three steps and finishes with "done".
set -u

status() { printf '%s\n' "$*" >&"${RQ_WRITE:-3}"; }

status run "started ${RQ_MSG_ID:-?} (count ${RQ_COUNT:-0})"
for step in 1 2 3; do
    echo "working on step $step"          # goes to job/stdio.log
    status run "step $step of 3"
done

case "${RQ_PARAM1:-}" in
    err)
        status err "failed on purpose (param1=err)"
        exit 0
        ;;
    resend)
        if [ "${RQ_COUNT:-0}" -lt 1 ]; then
            status resend "5-not ready yet, trying again in 5 seconds"
            exit 0
        fi
        ;;
    dup)
        status dup "0-X-${RQ_PARAM2:-}"
        IFS= read -r reply <&"${RQ_READ:-4}"
        case "$reply" in
            "ok "*) status run "copied to ${reply#ok }" ;;
            *) status err "dup refused: $reply"; exit 0 ;;
        esac
        ;;
esac

status done "all 3 steps done"

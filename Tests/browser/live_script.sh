#!/usr/bin/env bash
# Queue script of the browser test: writes a coloured line and an HTML-looking line, then a
# tick per 0.2 s (to stdio.log and as its status) until the file named by RQ_PARAM2 exists.
# RQ_PARAM1=fail ends in err at once instead.
set -u
if [ "${RQ_PARAM1:-}" = fail ]; then
    echo "failing on purpose"
    printf 'err failed on purpose\n' >&3
    exit 0
fi
printf '\033[31mred alert\033[0m and <b>not bold</b>\n'
for i in $(seq 1 1500); do
    echo "tick $i"
    printf 'run tick %s\n' "$i" >&3
    [ -e "${RQ_PARAM2:-/nonexistent}" ] && break
    sleep 0.2
done
printf 'done stopped after tick %s\n' "$i" >&3

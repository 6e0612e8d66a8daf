#!/usr/bin/env bash
# Second target of the symlink test: a re-pointed symlink runs this for the next job.
printf 'done other|%s\n' "$RQ_REALSCRIPT" >&3

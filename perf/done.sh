#!/bin/sh
# Queue script for the perf queues: reports success at once on the status pipe (fd 3).
# The benchmarks keep their queues paused, so this only runs if someone resumes them.
echo "done perf" >&3

#!/usr/bin/env python3
"""The file system's own ceiling for the message layout: how many `mkdir <dir>` + create of a
small `<dir>/msg` file one process manages per second (no fsync) in DIR. Printed beside the
server's figures so runs on different machines or days can be compared. The directories are
left for the caller to remove: deleting them here would slow the server's run that follows
(ext4 passes over inodes freed in the last minutes when it allocates new ones)."""
import os
import sys
import time

base = os.path.join(sys.argv[1], "fs-baseline")
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 5.0
os.makedirs(base)
count = 0
started = time.monotonic()
while time.monotonic() - started < seconds:
    directory = f"{base}/m{count}"
    os.mkdir(directory)
    with open(directory + "/msg", "w") as f:
        f.write('{"dest":"x"}')
    count += 1
elapsed = time.monotonic() - started
print(f"{count / elapsed:.0f}")

#!/usr/bin/env python3
"""Writes COUNT queued messages straight into QUE (queue/<name>/que), the layout a long outage
leaves: one directory per message with its `msg` file, ids in arrival order, due in the past.
PROCESSES writers split the ids between them (mkdir in one directory serialises on its lock, so
more than the core count does not help). Prints the messages written per second.
  usage: fill_queue.py QUE COUNT [PROCESSES]"""
import multiprocessing
import os
import sys
import time

MSG = '{"msg_id":"%s","dest":"big","count":0,"max_count":15,"due":1796100000,"param1":"p%d"}'


def message_id(n):
    # YYYYMMDD.HHMM.SS.mmm.<inode>: distinct, ordered ids; the last part need not be an inode.
    return "20261201.%02d%02d.%02d.%03d.%d" % (n // 3_600_000 % 24, n // 60_000 % 60, n // 1000 % 60, n % 1000, 10_000_000 + n)


def write(task):
    que, first, last = task
    for n in range(first, last):
        mid = message_id(n)
        os.mkdir(f"{que}/{mid}")
        fd = os.open(f"{que}/{mid}/msg", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        os.write(fd, (MSG % (mid, n % 100)).encode())
        os.close(fd)
    return last - first


def main():
    que, count = sys.argv[1], int(sys.argv[2])
    processes = int(sys.argv[3]) if len(sys.argv) > 3 else os.cpu_count() or 1
    os.makedirs(que, exist_ok=True)
    step = max(1, count // (processes * 20))  # small tasks keep the writers evenly busy
    tasks = [(que, first, min(count, first + step)) for first in range(0, count, step)]
    started = time.monotonic()
    with multiprocessing.Pool(processes) as pool:
        written = sum(pool.imap_unordered(write, tasks))
    print(f"{written / (time.monotonic() - started):.0f}")


if __name__ == "__main__":
    main()

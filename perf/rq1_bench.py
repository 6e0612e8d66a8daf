#!/usr/bin/env python3
"""Benchmark rq1 create_message on a queue's Unix socket.

N client processes (processes, not threads: the GIL would make the clients the bottleneck),
each in a loop for DURATION seconds: connect, send one create_message packet, read the
reply, close — one request per connection, as the original client does. Measures
messages/s (replies starting with ["ok") and per-request latency from connect to reply.

usage: rq1_bench.py --socket ROOT/queue/perf/queue.sock [--clients 16] [--duration 10]
                    [--dest perf]
The last line is machine-readable:
RESULT clients=N msgs=M msgs_per_s=X p50_ms=Y p99_ms=Z errors=E
"""
import argparse
import json
import multiprocessing
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rq1_call import call  # noqa: E402


def client(sock_path, argument, deadline, results):
    latencies = []
    errors = 0
    first_error = ""
    while time.monotonic() < deadline:
        start = time.monotonic()
        try:
            reply = call(sock_path, "create_message", argument)
            ok = reply.startswith(b'["ok"')
        except (OSError, ValueError) as error:
            ok = False
            reply = str(error).encode()
        if ok:
            latencies.append(time.monotonic() - start)
        else:
            errors += 1
            first_error = first_error or reply.decode("utf-8", "replace")[:200]
            time.sleep(0.01)  # an erroring server must not turn this into a busy loop
    results.put((latencies, errors, first_error))


def percentile(sorted_values, fraction):
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, int(round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--socket", required=True, help="queue socket, e.g. ROOT/queue/perf/queue.sock")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--dest", default="perf", help="dest field of the messages")
    args = parser.parse_args()

    argument = json.dumps({"dest": args.dest}, separators=(",", ":"))
    print("rq1 create_message on %s: %d client(s), one request per connection, %.0f s"
          % (args.socket, args.clients, args.duration), flush=True)
    results = multiprocessing.Queue()
    started = time.monotonic()
    deadline = started + args.duration
    workers = [multiprocessing.Process(target=client, args=(args.socket, argument, deadline, results))
               for _ in range(args.clients)]
    for worker in workers:
        worker.start()
    latencies, errors, first_error = [], 0, ""
    collected = 0
    # Each client stops at the deadline; a request may then take at most the socket timeout.
    while collected < len(workers):
        try:
            part, part_errors, part_first = results.get(timeout=max(1.0, deadline + 30 - time.monotonic()))
        except Exception:  # queue.Empty: a client hung past every bound
            print("rq1_bench: %d client(s) did not report" % (len(workers) - collected), file=sys.stderr)
            break
        latencies += part
        errors += part_errors
        first_error = first_error or part_first
        collected += 1
    elapsed = time.monotonic() - started
    for worker in workers:
        worker.join(timeout=5)
        if worker.is_alive():
            worker.terminate()

    latencies.sort()
    rate = len(latencies) / elapsed if elapsed > 0 else 0.0
    p50 = percentile(latencies, 0.50) * 1000
    p99 = percentile(latencies, 0.99) * 1000
    print("messages created: %d in %.1f s  ->  %.0f msgs/s" % (len(latencies), elapsed, rate))
    print("latency per request (connect..reply): p50 %.2f ms, p99 %.2f ms" % (p50, p99))
    if errors:
        print("errors: %d (first: %s)" % (errors, first_error))
    print("RESULT clients=%d msgs=%d msgs_per_s=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d"
          % (args.clients, len(latencies), rate, p50, p99, errors))
    return 0 if latencies and not errors else 1


if __name__ == "__main__":
    sys.exit(main())

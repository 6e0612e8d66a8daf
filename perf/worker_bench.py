#!/usr/bin/env python3
"""Client side of perf/worker_bench.sh: measures how fast rq-server runs queue scripts.

throughput --root ROOT --queue Q --count N [--clients 16]
    The queue must be paused. Enqueues N messages (rq1 create_message, CLIENTS threads, not
    timed), resumes the queue over the manager socket, then polls num_messages every 20 ms
    until done+err reaches N. Prints
    RESULT queue=Q msgs=N seconds=S msgs_per_s=X errors=E
latency --root ROOT --queue Q --samples M --stamps FILE
    The queue must be idle and its script perf/worker_stamp.sh. For each sample: note the
    time, create_message (the server commits, schedules and replies), read the script's start
    time from FILE (made a FIFO here, so waiting for it is a blocking read that takes no CPU
    from the script starting), wait until the message is done, next. Latency = script start - time the
    create_message request was sent ("commit"); also reported from the reply. Prints
    RESULT queue=Q samples=M p50_ms=A p99_ms=B reply_p50_ms=C reply_p99_ms=D
floor --script S --samples M --stamps FILE
    What commit -> start cannot go below: spawn of the latency script to its first line, no
    server. Prints RESULT floor_p50_ms=A floor_p99_ms=B
spawnloop --script S --count N --dir D [--environment inherit|path]
    The baseline for throughput: runs S N times, one after the other, with a bare
    posix_spawn and the fds a queue script gets (0 /dev/null, 1+2 D/stdio.log appended,
    3 a pipe read to EOF, 4 a pipe), cwd D, then waitpid. No server, no store, no header.
    The environment is this process's own (`inherit`, the default), which is what the
    server started from the same shell passes on to its scripts: it matters, because with
    LANG=C.UTF-8 (and no locale archive) `env` and `bash` each open a dozen locale files,
    ~12 % of a run here. `path` passes PATH alone, as this loop did up to 2026-12-06.
    Prints RESULT runs=N seconds=S runs_per_s=X failures=F
"""
import argparse
import concurrent.futures
import json
import os
import select
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rq1_call import call  # noqa: E402


def queue_socket(root, queue):
    return os.path.join(root, "queue", queue, "queue.sock")


def create(root, queue, fields=None):
    message = {"dest": queue}
    message.update(fields or {})
    reply = json.loads(call(queue_socket(root, queue), "create_message", json.dumps(message)))
    if not (isinstance(reply, list) and reply and reply[0] == "ok"):
        raise RuntimeError("create_message failed: %r" % (reply,))
    return reply[1].rsplit("/", 1)[-1]


def counts(root, queue):
    return json.loads(call(queue_socket(root, queue), "num_messages", "{}"))


def percentile(sorted_values, fraction):
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(round(fraction * (len(sorted_values) - 1))))]


def throughput(args):
    before = counts(args.root, args.queue)
    finished_before = before.get("done", 0) + before.get("err", 0)
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.clients) as pool:
        list(pool.map(lambda _: create(args.root, args.queue), range(args.count)))
    queued = counts(args.root, args.queue)
    print("enqueued %d (que: %s) in paused queue %s" % (args.count, queued.get("que"), args.queue), flush=True)
    reply = call(os.path.join(args.root, "config", "queuemgr.sock"), "resume_queue", args.queue)
    started = time.monotonic()
    if not reply.startswith(b'["ok"'):
        raise RuntimeError("resume_queue failed: %r" % reply)
    deadline = started + args.timeout
    while True:
        now = counts(args.root, args.queue)
        finished = now.get("done", 0) + now.get("err", 0) - finished_before
        if finished >= args.count:
            break
        if time.monotonic() > deadline:
            raise RuntimeError("only %d of %d finished after %d s: %r" % (finished, args.count, args.timeout, now))
        time.sleep(poll_interval(started, finished, args.count))
    elapsed = time.monotonic() - started
    errors = now.get("err", 0) - before.get("err", 0)
    print("%d messages ran in %.2f s -> %.0f msgs/s (%d err)" % (args.count, elapsed, args.count / elapsed, errors))
    print("RESULT queue=%s msgs=%d seconds=%.2f msgs_per_s=%.0f errors=%d"
          % (args.queue, args.count, elapsed, args.count / elapsed, errors))
    return 0 if errors == 0 else 1


def poll_interval(started, finished, count):
    """How long to wait before asking again: half the time the remaining runs should take at
    the rate so far, between 5 and 500 ms. Each question costs the server and this process
    CPU that the scripts being timed share (2 cores); polling every 20 ms, as before, asked
    ~50 times a second for the whole run. This way a 2,000-run measure (~7 s) asks about
    twenty times, and the end is still seen within ~5 ms."""
    elapsed = time.monotonic() - started
    if finished <= 0:
        return 0.05
    remaining = (count - finished) * elapsed / finished
    return min(0.5, max(0.005, remaining / 2))


class StampPipe:
    """The latency script's stamps arrive through a FIFO that this process holds open for
    reading and writing (so it never sees end of file): waiting for one is a blocking
    read, not a poll loop. A poller would take CPU from the script it is timing (on this
    2-core VM it read the growing stamps file every 0.5 ms while bash started)."""

    def __init__(self, path):
        if os.path.exists(path):
            os.unlink(path)
        os.mkfifo(path)
        self.fd = os.open(path, os.O_RDWR)
        self.buffer = b""

    def wait(self, msg_id, timeout=10.0):
        deadline = time.monotonic() + timeout
        while True:
            while b"\n" in self.buffer:
                line, self.buffer = self.buffer.split(b"\n", 1)
                parts = line.split()
                if len(parts) == 2 and parts[0].decode() == msg_id:
                    return float(parts[1])
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.fd], [], [], remaining)[0]:
                raise RuntimeError("script for %s did not start within %.0f s" % (msg_id, timeout))
            self.buffer += os.read(self.fd, 4096)


def wait_for_done(root, queue, msg_id, timeout=10.0):
    deadline = time.monotonic() + timeout
    argument = json.dumps({"msg_id": msg_id})
    while time.monotonic() < deadline:
        reply = json.loads(call(queue_socket(root, queue), "get_message_state", argument))
        if reply == ["ok", "done"]:
            return
        time.sleep(0.001)
    raise RuntimeError("%s not done within %.0f s" % (msg_id, timeout))


def latency(args):
    from_send, from_reply = [], []
    stamps = StampPipe(args.stamps)
    for _ in range(args.samples):
        sent = time.time()
        msg_id = create(args.root, args.queue, {"param1": args.stamps})
        replied = time.time()
        started = stamps.wait(msg_id)
        from_send.append(started - sent)
        from_reply.append(started - replied)
        wait_for_done(args.root, args.queue, msg_id)
    from_send.sort()
    from_reply.sort()
    ms = lambda values, fraction: percentile(values, fraction) * 1000  # noqa: E731
    print("commit -> script start over %d samples: p50 %.2f ms, p99 %.2f ms (from the reply: p50 %.2f ms, p99 %.2f ms)"
          % (args.samples, ms(from_send, 0.5), ms(from_send, 0.99), ms(from_reply, 0.5), ms(from_reply, 0.99)))
    print("RESULT queue=%s samples=%d p50_ms=%.2f p99_ms=%.2f reply_p50_ms=%.2f reply_p99_ms=%.2f"
          % (args.queue, args.samples, ms(from_send, 0.5), ms(from_send, 0.99), ms(from_reply, 0.5), ms(from_reply, 0.99)))
    return 0


def floor(args):
    """The latency floor no server can beat: posix_spawn of the latency script (same
    environment, fd 3 a pipe) to its first line's $EPOCHREALTIME, one at a time."""
    values = []
    environment = dict(os.environ, RQ_PARAM1=args.stamps, RQ_MSG_ID="floor")
    for _ in range(args.samples):
        try:
            os.unlink(args.stamps)
        except FileNotFoundError:
            pass
        status_read, status_write = os.pipe()
        sent = time.time()
        pid = os.posix_spawn(args.script, [args.script], environment,
                             file_actions=[(os.POSIX_SPAWN_DUP2, status_write, 3)])
        os.close(status_write)
        while os.read(status_read, 4096):
            pass
        os.close(status_read)
        os.waitpid(pid, 0)
        with open(args.stamps) as stamps:
            values.append(float(stamps.read().split()[1]) - sent)
    values.sort()
    ms = lambda fraction: percentile(values, fraction) * 1000  # noqa: E731
    print("spawn -> script start (no server) over %d samples: p50 %.2f ms, p99 %.2f ms" % (args.samples, ms(0.5), ms(0.99)))
    print("RESULT floor_p50_ms=%.2f floor_p99_ms=%.2f" % (ms(0.5), ms(0.99)))
    return 0


def spawnloop(args):
    log = os.open(os.path.join(args.dir, "stdio.log"), os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
    if args.environment == "path":
        environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    else:
        environment = dict(os.environ)
    failures = 0
    started = time.monotonic()
    for _ in range(args.count):
        status_read, status_write = os.pipe()
        reply_read, reply_write = os.pipe()
        actions = [
            (os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
            (os.POSIX_SPAWN_DUP2, log, 1),
            (os.POSIX_SPAWN_DUP2, log, 2),
            (os.POSIX_SPAWN_DUP2, status_write, 3),
            (os.POSIX_SPAWN_DUP2, reply_read, 4),
        ]
        os.chdir(args.dir)
        pid = os.posix_spawn(args.script, [args.script, ""], environment, file_actions=actions, setpgroup=0)
        os.close(status_write)
        os.close(reply_read)
        while os.read(status_read, 4096):
            pass
        os.close(status_read)
        os.close(reply_write)
        _, wait_status = os.waitpid(pid, 0)
        failures += 0 if os.waitstatus_to_exitcode(wait_status) == 0 else 1
    elapsed = time.monotonic() - started
    os.close(log)
    print("bare posix_spawn loop: %d runs in %.2f s -> %.0f runs/s (%d failed)"
          % (args.count, elapsed, args.count / elapsed, failures))
    print("RESULT runs=%d seconds=%.2f runs_per_s=%.0f failures=%d"
          % (args.count, elapsed, args.count / elapsed, failures))
    return 0 if failures == 0 else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="mode", required=True)
    tp = sub.add_parser("throughput")
    tp.add_argument("--root", required=True)
    tp.add_argument("--queue", required=True)
    tp.add_argument("--count", type=int, default=2000)
    tp.add_argument("--clients", type=int, default=16)
    tp.add_argument("--timeout", type=int, default=600)
    lt = sub.add_parser("latency")
    lt.add_argument("--root", required=True)
    lt.add_argument("--queue", required=True)
    lt.add_argument("--samples", type=int, default=200)
    lt.add_argument("--stamps", required=True)
    sl = sub.add_parser("spawnloop")
    sl.add_argument("--script", required=True)
    sl.add_argument("--count", type=int, default=2000)
    sl.add_argument("--dir", required=True)
    sl.add_argument("--environment", choices=["inherit", "path"], default="inherit")
    fl = sub.add_parser("floor")
    fl.add_argument("--script", required=True)
    fl.add_argument("--samples", type=int, default=200)
    fl.add_argument("--stamps", required=True)
    args = parser.parse_args()
    modes = {"throughput": throughput, "latency": latency, "spawnloop": spawnloop, "floor": floor}
    try:
        return modes[args.mode](args)
    except (OSError, ValueError, RuntimeError) as error:
        print("worker_bench: %s" % error, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

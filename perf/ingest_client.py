#!/usr/bin/env python3
"""One small load generator for perf/durable_ingest.sh and perf/batch_ingest.sh, so the client's
own cost is the same for rq-swift and beanstalkd: CLIENTS processes, one keep-alive connection each,
sending requests one after another for SECONDS; prints messages acknowledged per second.
  rest HOST PORT QUEUE CLIENTS SECONDS   POST /q/QUEUE/new_message (form x_format=json)
  batch HOST PORT QUEUE CLIENTS SECONDS LINES   POST /q/QUEUE/messages, LINES NDJSON messages
  rq1batch SOCKET - QUEUE CLIENTS SECONDS LINES   rq1 create_messages with LINES messages
  beanstalk HOST PORT TUBE CLIENTS SECONDS   put (a message of the same size)
  fsync DIR - - 1 SECONDS   write + fdatasync of 400 bytes into a preallocated file"""
import multiprocessing, os, socket, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rq1_call import call  # noqa: E402

mode, host, port, name, clients, seconds = sys.argv[1:7]
clients, seconds = int(clients), float(seconds)
lines = int(sys.argv[7]) if mode in ("batch", "rq1batch") else 1
JOB = b'{"dest":"' + name.encode() + b'"}'


def post(path, content_type, body):
    return (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


REQUESTS = {
    "rest": post(f"/q/{name}/new_message", "application/x-www-form-urlencoded",
                 ("x_format=json&mesg=%7B%22dest%22%3A%22" + name + "%22%7D").encode()),
    "batch": post(f"/q/{name}/messages", "application/x-ndjson", (JOB + b"\n") * lines),
}


def http(deadline):
    """Counts the `"ok"`s in the replies: one per message, whether one or a batch per request."""
    s = socket.create_connection((host, int(port)))
    request, n = REQUESTS[mode], 0
    while time.monotonic() < deadline:
        s.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data:
            data += s.recv(65536)
        head, _, body = data.partition(b"\r\n\r\n")
        length = int([l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")][0].split(b":")[1])
        while len(body) < length:
            body += s.recv(65536)
        n += body.count(b'"ok"')
    return n


def rq1_batch(deadline):
    """One request per connection, as the original's clients do; the reply is
    `["ok", [["ok", id], ...]]`, so its first "ok" is not a message."""
    argument = "[" + ",".join([JOB.decode()] * lines) + "]"
    n = 0
    while time.monotonic() < deadline:
        reply = call(host, "create_messages", argument, timeout=60)
        if reply.startswith(b'["ok"'):
            n += reply.count(b'"ok"') - 1
    return n


def beanstalk(deadline):
    s = socket.create_connection((host, int(port)))
    s.sendall(b"use " + name.encode() + b"\r\n")
    s.recv(100)
    n = 0
    command = b"put 0 0 120 %d\r\n%s\r\n" % (len(JOB), JOB)
    while time.monotonic() < deadline:
        s.sendall(command)
        reply = s.recv(100)
        if reply.startswith(b"INSERTED"):
            n += 1
    return n


def fsync_loop(deadline):
    path = os.path.join(host, "prealloc.bin")
    size = 64 << 20
    with open(path, "wb") as f:
        f.write(b"\0" * size)
        f.flush()
        os.fsync(f.fileno())
    fd = os.open(path, os.O_WRONLY)
    n, offset, record = 0, 0, b"x" * 400
    while time.monotonic() < deadline and offset + 400 < size:
        os.pwrite(fd, record, offset)
        os.fdatasync(fd)
        offset += 400
        n += 1
    os.close(fd)
    os.unlink(path)
    return n


def run(_):
    deadline = time.monotonic() + seconds
    return {"rest": http, "batch": http, "rq1batch": rq1_batch, "beanstalk": beanstalk, "fsync": fsync_loop}[mode](deadline)


if __name__ == "__main__":
    started = time.monotonic()
    with multiprocessing.Pool(clients) as pool:
        total = sum(pool.map(run, range(clients)))
    print(f"{total / (time.monotonic() - started):.0f}")

#!/usr/bin/env python3
"""One rq1 request over a Unix socket: connect, send one packet, read one packet, close.

usage: rq1_call.py SOCKET COMMAND [ARGUMENT]   prints the reply payload; exit 1 on error.
Also imported by rq1_bench.py (call()).
"""
import socket
import sys

TIMEOUT = 5.0


def _read_exactly(conn, count):
    data = bytearray()
    while len(data) < count:
        chunk = conn.recv(count - len(data))
        if not chunk:
            raise ConnectionError("connection closed after %d of %d bytes" % (len(data), count))
        data += chunk
    return bytes(data)


def call(sock_path, command, argument="", timeout=TIMEOUT):
    """Returns the reply payload (bytes). The request is "<command> <argument>" (the space is
    sent even without an argument, as the original client did)."""
    payload = ("%s %s" % (command, argument)).encode("utf-8")
    packet = b"rq1 %08d " % len(payload) + payload
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(timeout)
        conn.connect(sock_path)
        conn.sendall(packet)
        header = _read_exactly(conn, 13)
        if not header.startswith(b"rq1 ") or header[12:13] != b" ":
            raise ValueError("bad rq1 header %r" % header)
        return _read_exactly(conn, int(header[4:12]))


def main():
    if len(sys.argv) not in (3, 4):
        sys.stderr.write(__doc__)
        return 2
    try:
        reply = call(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) == 4 else "")
    except (OSError, ValueError) as error:
        sys.stderr.write("rq1_call: %s\n" % error)
        return 1
    sys.stdout.write(reply.decode("utf-8", "replace") + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""A scripted rq1 server on a Unix socket, standing in for a queue in CLI tests.

usage: mock_rq1.py SOCKET SCRIPT LOG

SCRIPT is a JSON array with one entry per expected connection:
  "<payload>"        reply with this payload in an rq1 frame
  {"raw": "<text>"}  send these bytes as they are (no framing), then close
  {"close": true}    close without replying
Each request frame is read completely (header + payload) and its exact bytes are appended to
LOG. When SCRIPT is used up the server exits; LOG + ".ready" is created once it listens.
Every wait is bounded so a broken client can never hang a test run.
"""
import json
import os
import socket
import sys

OVERALL_TIMEOUT = 20.0
CONNECTION_TIMEOUT = 5.0


def read_exactly(conn, count):
    data = b""
    while len(data) < count:
        chunk = conn.recv(count - len(data))
        if not chunk:
            break
        data += chunk
    return data


def read_request(conn):
    header = read_exactly(conn, 13)
    if len(header) < 13 or not header.startswith(b"rq1 ") or header[12:13] != b" ":
        return header
    try:
        size = int(header[4:12].decode("ascii"))
    except ValueError:
        return header
    return header + read_exactly(conn, size)


def frame(payload):
    body = payload.encode("utf-8")
    return b"rq1 %08d " % len(body) + body


def main():
    sock_path, script_path, log_path = sys.argv[1:4]
    with open(script_path, encoding="utf-8") as f:
        script = json.load(f)
    if os.path.exists(sock_path):
        os.unlink(sock_path)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(sock_path)
    server.listen(8)
    server.settimeout(OVERALL_TIMEOUT)
    open(log_path, "wb").close()
    open(log_path + ".ready", "w").close()
    try:
        for step in script:
            conn, _ = server.accept()
            conn.settimeout(CONNECTION_TIMEOUT)
            with conn:
                request = read_request(conn)
                with open(log_path, "ab") as log:
                    log.write(request)
                if isinstance(step, str):
                    conn.sendall(frame(step))
                elif "raw" in step:
                    conn.sendall(step["raw"].encode("utf-8"))
    except socket.timeout:
        sys.stderr.write("mock_rq1: timed out waiting for a client\n")
        return 1
    finally:
        server.close()
        os.unlink(sock_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

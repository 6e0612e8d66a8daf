#!/usr/bin/env python3
"""A misbehaving receiver for relay and webhook tests.

usage: relay_peer.py MODE LOGFILE
Binds 127.0.0.1 on a free port and prints the port on the first line of stdout.
Every request is appended to LOGFILE as one JSON line {method, path, fields}.

MODE:
  lie-md5   speaks RQ but answers every attachment with a wrong md5
  500       answers every request with HTTP 500
  silent    reads the request, never answers (keeps the connection open)
  html      answers 200 with an HTML page (not RQ)
  redirect  answers 302 to the same path (a redirect loop if followed)
  huge      answers 200 with a 64 MiB body
  lose      speaks RQ but has lost every prepared message ("cannot find message")
  commit-500  speaks RQ but answers every commit with HTTP 500
  hook      a webhook receiver: 200 and nothing else
  hook-flaky  500 for the first two requests, then 200
"""
import json, socket, sys, threading, time, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODE, LOG = sys.argv[1], sys.argv[2]
lock = threading.Lock()
seen = {"n": 0}


def fields_of(handler, body):
    ctype = handler.headers.get("Content-Type", "")
    if ctype.startswith("application/x-www-form-urlencoded"):
        return {k: v[0] for k, v in urllib.parse.parse_qs(body.decode("utf-8", "replace")).items()}
    if ctype.startswith("multipart/form-data"):
        boundary = ctype.split("boundary=", 1)[1].strip('"').encode()
        out = {}
        for part in body.split(b"--" + boundary):
            head, _, value = part.partition(b"\r\n\r\n")
            if b'name="' not in head:
                continue
            name = head.split(b'name="', 1)[1].split(b'"', 1)[0].decode()
            value = value[:-2] if value.endswith(b"\r\n") else value
            out[name] = value.decode("utf-8", "replace") if name != "filedata" else "<%d bytes>" % len(value)
        return out
    return {}


class Peer(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body, headers=()):
        data = body if isinstance(body, bytes) else body.encode()
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.answer(200, "peer " + MODE)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        fields = fields_of(self, body)
        with lock:
            seen["n"] += 1
            n = seen["n"]
            with open(LOG, "a") as f:
                f.write(json.dumps({"method": "POST", "path": self.path, "fields": fields}) + "\n")
        if MODE == "silent":
            time.sleep(3600)
        elif MODE == "500":
            self.answer(500, "<html>Internal Server Error</html>")
        elif MODE == "html":
            self.answer(200, "<html><body>Welcome to nginx!</body></html>")
        elif MODE == "redirect":
            self.answer(302, "", [("Location", self.path)])
        elif MODE == "huge":
            self.answer(200, b"[" + b" " * (64 << 20) + b"]")
        elif MODE in ("hook", "hook-flaky"):
            self.answer(500 if MODE == "hook-flaky" and n <= 2 else 200, "thanks")
        else:
            self.rq(fields)

    def rq(self, fields):
        port = self.server.server_address[1]
        if self.path.endswith("/new_message"):
            queue = self.path.split("/")[2]
            self.answer(200, json.dumps(["ok", "http://127.0.0.1:%d/q/%s/20261201.0508.31.123.%d" % (port, queue, seen["n"])]))
        elif MODE == "lose":
            self.answer(200, json.dumps(["fail", "cannot find message"]))
        elif MODE == "commit-500" and fields.get("_method") == "commit":
            self.answer(500, "commit refused")
        elif self.path.endswith("/attach/new"):
            self.answer(200, json.dumps(["ok", "0123456789abcdef0123456789abcdef-Attached successfully"]))
        else:
            self.answer(200, json.dumps(["ok", "msg committed"]))


server = ThreadingHTTPServer(("127.0.0.1", 0), Peer)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()

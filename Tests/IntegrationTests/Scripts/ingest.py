#!/usr/bin/env python3
"""Posts messages over keep-alive HTTP from several threads until the server goes away (or
SECONDS pass) and prints the id of every acknowledged message, one per line, as it arrives.
Usage: ingest.py BASE_URL SECONDS QUEUE:PARAM1 [QUEUE:PARAM1 ...]  (one client per target)"""
import http.client, json, sys, threading, time, urllib.parse

base, seconds, targets = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
host, port = urllib.parse.urlsplit(base).hostname, urllib.parse.urlsplit(base).port
lock = threading.Lock()
deadline = time.time() + seconds

def client(n, queue, param1):
    conn = http.client.HTTPConnection(host, port, timeout=10)
    i = 0
    while time.time() < deadline:
        i += 1
        mesg = json.dumps({"dest": queue, "param1": param1, "param2": "c%d-%d" % (n, i)})
        body = urllib.parse.urlencode({"x_format": "json", "mesg": mesg})
        try:
            conn.request("POST", "/q/%s/new_message" % queue, body,
                         {"Content-Type": "application/x-www-form-urlencoded"})
            reply = json.loads(conn.getresponse().read())
        except Exception:
            return
        if reply[0] == "ok":
            with lock:
                print(queue, reply[1].rsplit("/", 1)[1], flush=True)

threads = [threading.Thread(target=client, args=(n,) + tuple(t.split(":", 1))) for n, t in enumerate(targets)]
for t in threads: t.start()
for t in threads: t.join()

#!/usr/bin/env python3
"""Cleaner benchmark: N old done messages, one cleaner message, the loop's responsiveness.

usage: perf/cleaner_bench.py SERVER_BINARY [COUNT]

Installs a throw-away root on a free loopback port (without the daily cleaner timer), places
COUNT done messages ten days old in queue `old` (one `msg` file each, 40 per minute dir, as a
busy queue leaves them), starts the server, sends `cleaner` {param1: old, param2: 1} and,
until it is done, times `GET /` every 20 ms. Prints the removal rate and the probe latencies.
"""
import http.client, json, os, shutil, socket, subprocess, sys, tempfile, time, urllib.parse

server, count = os.path.abspath(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
root = tempfile.mkdtemp(prefix="rq-cbench.")
s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
proc = None
try:
    subprocess.run([server, "install", "--root", root, "--port", str(port), "--force"], check=True, capture_output=True)
    os.unlink(root + "/timers/cleaner.json")
    qdir = root + "/queue/old"
    for d in ("prep", "que", "run", "done", "err", "relayed"): os.makedirs(qdir + "/" + d, exist_ok=True)
    with open(qdir + "/config.json", "w") as f:
        f.write('{"name":"old","script":"/bin/true","num_workers":1,"exec_prefix":""}')
    base = time.time() - 10 * 86400
    t0 = time.time()
    for i in range(count):
        t = time.gmtime(base - (i // 40) * 60)
        mid = time.strftime("%Y%m%d.%H%M.%S", t) + ".000.%d" % (100000 + i)
        path = "%s/done/%s/%s/%s/%s" % (qdir, mid[:8], mid[9:11], mid[11:13], mid)
        os.makedirs(path)
        with open(path + "/msg", "w") as f: f.write('{"dest":"old"}')
    print("placed %d messages in %.1f s" % (count, time.time() - t0))
    log = open(root + "/log/bench-server.log", "w")
    proc = subprocess.Popen([server, "run", "--root", root], stdout=log, stderr=log, cwd=root)

    def get(path):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.request("GET", path); r = c.getresponse(); body = r.read(); c.close()
        return r.status, body

    for _ in range(400):
        try:
            if get("/")[0] == 200: break
        except OSError: pass
        time.sleep(0.05)
    # Let the start-up count finish so it does not mix into the measurement.
    status = json.loads(get("/q/old.json")[1])
    print("done_size before: %d" % status["done_size"])
    idle = []
    for _ in range(50):
        t = time.time(); get("/"); idle.append((time.time() - t) * 1000); time.sleep(0.02)
    idle.sort()
    print("GET / before the clean: p50 %.1f ms, max %.1f ms" % (idle[25], idle[-1]))
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = urllib.parse.urlencode({"x_format": "json", "mesg": json.dumps({"dest": "cleaner", "param1": "old", "param2": "1"})})
    c.request("POST", "/q/cleaner/new_message", body, {"Content-Type": "application/x-www-form-urlencoded"})
    full_id = json.loads(c.getresponse().read())[1]; c.close()
    start = time.time(); probes = []
    while True:
        t = time.time(); get("/"); probes.append((time.time() - t) * 1000)
        state = json.loads(get("/q/cleaner/%s.json" % full_id.rsplit("/", 1)[1])[1]).get("state")
        if state in ("done", "err"): break
        time.sleep(0.02)
    elapsed = time.time() - start
    probes.sort()
    pct = lambda p: probes[min(len(probes) - 1, int(len(probes) * p))]
    print("cleaned %d messages in %.2f s: %.0f messages/s" % (count, elapsed, count / elapsed))
    print("GET / during the clean: %d probes, p50 %.1f ms, p99 %.1f ms, max %.1f ms" % (len(probes), pct(0.5), pct(0.99), probes[-1]))
    print("done_size after: %d" % json.loads(get("/q/old.json")[1])["done_size"])
finally:
    if proc: proc.terminate(); proc.wait()
    shutil.rmtree(root, ignore_errors=True)

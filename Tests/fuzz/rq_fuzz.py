#!/usr/bin/env python3
"""Mutation fuzzer against a running rq-server: mutated HTTP requests (from valid seeds: forms,
chunked, multipart, ranges, 100-continue) on the TCP port and rq1 packets with random commands
and argument objects (hostile values: huge numbers, NUL, paths, /dev/zero) on the manager and
`fz` queue sockets. It only sends; afterwards check that the server is alive and that its fd
count, RSS and tmp/uploads are flat (see README "Tests").

usage: rq_fuzz.py ROOT PORT SECONDS [SEED]   (the queue `fz` is created and re-created)
env:   FUZZ_SCRIPT  the queue script of `fz` (default /bin/true; examples/queue_script.sh makes
       the random param1 values drive done/err/resend/dup)
"""
import os, random, socket, sys, time, json
root, port, secs = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
rnd = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
http_seeds = [
 b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
 b"GET /q.json HTTP/1.1\r\nHost: x\r\n\r\n",
 b"GET /q/fz/config.json HTTP/1.1\r\n\r\n",
 b"POST /q/fz/new_message HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 40\r\n\r\nx_format=json&mesg=%7B%22dest%22%3A%22fz%22%7D",
 b"POST /q/fz/new_message HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n5\r\nx_for\r\n0\r\n\r\n",
 b"POST /q/fz/new_message HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=XX\r\nContent-Length: 120\r\n\r\n--XX\r\nContent-Disposition: form-data; name=\"mesg\"\r\n\r\n{\"dest\":\"fz\"}\r\n--XX\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n\r\nabc\r\n--XX--\r\n",
 b"POST /new_queue HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 60\r\n\r\nqueue%5Bname%5D=zz&queue%5Bscript%5D=%2Fbin%2Ftrue&x_format=json",
 b"GET /q/fz/20240101.0101.01.001.1/log/stdio.log HTTP/1.1\r\nRange: bytes=0-5\r\n\r\n",
 b"POST /q/fz/adminoper HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 20\r\n\r\nadmin_oper=pause",
 b"GET /q/fz/20240101.0101.01.001.1.json HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc",
 b"POST /q/fz/messages HTTP/1.1\r\nContent-Type: application/x-ndjson\r\nContent-Length: 54\r\n\r\n{\"dest\":\"fz\"}\n{\"dest\":\"fz\",\"param1\":\"done\"}\n{\"due\":1}\n",
 b"POST /q/fz/messages HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nd\r\n{\"dest\":\"fz\"}\r\n1\r\n\n\r\n0\r\n\r\n",
]
cmds = ["ping", "create_message", "create_messages", "prep_message", "attach_message", "commit_message", "get_message",
        "get_message_state", "messages", "num_messages", "delete_message", "clone_message", "run_message",
        "destroy_message", "single_que", "status", "config", "create_queue", "create_queue_link", "delete_queue",
        "pause_queue", "resume_queue", "down_queue", "up_queue", "restart_queue", "ack_errs", "queues"]
vals = ["fz", "", "done", "err", "resend", "dup", "relayed", "/", "..", "/etc/passwd", "/dev/zero", 1e308, -1, 0, None, True, [], {}, "\u0000", "x"*5000,
        "20240101.0101.01.001.1", "fz/20240101.0101.01.001.1", "http://127.0.0.1:1/q/fz/1", 2**63, "a\nb"]
keys = ["dest", "msg_id", "pathname", "name", "due", "count", "max_count", "param1", "src", "_method", "state",
        "script", "num_workers", "exec_prefix", "coalesce_params", "blocking_params", "env_vars", "timeout", "fsync", "attachment_name"]
def mutate(b):
    b = bytearray(b)
    for _ in range(rnd.randint(1, 6)):
        op = rnd.randint(0, 5)
        i = rnd.randint(0, max(0, len(b)-1))
        if op == 0 and b: b[i] = rnd.randint(0, 255)
        elif op == 1: b[i:i] = bytes(rnd.randint(0,255) for _ in range(rnd.randint(1, 20)))
        elif op == 2 and b: del b[i:i+rnd.randint(1, 20)]
        elif op == 3: b[i:i] = rnd.choice([b"\r\n", b"%00", b"%2F", b"..", b"\xff\xfe", b"999999999999", b":", b";", b"--XX", b"0\r\n\r\n"])
        elif op == 4: b = b[:i]
        else: b += rnd.choice(http_seeds)
    return bytes(b)
def rq1_payload():
    obj = {rnd.choice(keys): rnd.choice(vals) for _ in range(rnd.randint(0, 5))}
    arg = json.dumps(obj) if rnd.random() < 0.8 else rnd.choice(["", "fz", "{", "[1,2]", "null", "\"x\""])
    if rnd.random() < 0.1:  # create_messages takes a list of message objects
        arg = json.dumps([{rnd.choice(keys): rnd.choice(vals) for _ in range(rnd.randint(0, 4))} for _ in range(rnd.randint(0, 30))])
    p = (rnd.choice(cmds) + " " + arg).encode()
    if rnd.random() < 0.2: p = mutate(p)
    return p
def send(sock_family, addr, data, shut=True):
    s = socket.socket(sock_family, socket.SOCK_STREAM); s.settimeout(0.3)
    try:
        s.connect(addr); s.sendall(data)
        if shut: s.shutdown(socket.SHUT_WR)
        while s.recv(65536): pass
    except OSError: pass
    finally: s.close()
SCRIPT = os.environ.get("FUZZ_SCRIPT", "/bin/true")  # e.g. examples/queue_script.sh
def create_fz():
    p = json.dumps({"name": "fz", "script": SCRIPT, "num_workers": 2, "exec_prefix": ""}).encode()
    p = b"create_queue " + p
    send(socket.AF_UNIX, root + "/config/queuemgr.sock", b"rq1 %08d " % len(p) + p)
create_fz()
end = time.time() + secs; n = 0
while time.time() < end:
    r = rnd.random()
    if r < 0.5:
        send(socket.AF_INET, ("127.0.0.1", port), mutate(rnd.choice(http_seeds)), shut=rnd.random() < 0.7)
    else:
        sockpath = rnd.choice([root + "/config/queuemgr.sock", root + "/queue/fz/queue.sock"])
        if not os.path.exists(sockpath): continue
        p = rq1_payload()
        frame = b"rq1 %08d " % len(p) + p
        if rnd.random() < 0.1: frame = mutate(frame)
        send(socket.AF_UNIX, sockpath, frame)
    n += 1
    if n % 200 == 0: create_fz()  # the fuzz deletes it now and then
print("requests", n)

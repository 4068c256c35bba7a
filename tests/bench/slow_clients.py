#!/usr/bin/env python3
"""Opens N slow connections to host:port from ADDRESSES attacker addresses (default 8:
127.0.0.2-127.0.0.9; half trickle a partial header one byte at a time, half are idle keep-alive
connections after one answered request; with IDLE=1 all are idle keep-alive), then times a
fresh visitor's requests from 127.0.0.1 meanwhile and, when PIDS are given, sums their RSS
while the connections are open. Prints one line:
'slow=<open> refused=<n> new_ms p50=<x> max=<y> failed=<z> [rss_kib=<r>]'.
Usage: slow_clients.py PORT COUNT [PATH [PID...]]"""
import os, resource, select, socket, sys, time

port, count = int(sys.argv[1]), int(sys.argv[2])
path = sys.argv[3] if len(sys.argv) > 3 else "/"
pids = sys.argv[4:]
addresses = int(os.environ.get("ADDRESSES", "8"))
idle_only = os.environ.get("IDLE") == "1"
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, count + 1024), hard))

conns = []
for i in range(count):
    s = socket.socket()
    try:
        n = i % addresses
        s.bind((f"127.0.{n // 250}.{2 + n % 250}", 0))
        s.connect(("127.0.0.1", port))
    except OSError:
        s.close()
        break
    if i % 2 and not idle_only:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nUser-Agent: slow".encode())
    else:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
    s.setblocking(False)
    conns.append(s)
# Let the keep-alive ones read their answer; then trickle a byte on the partial ones.
time.sleep(0.5)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return next((int(l.split()[1]) for l in f if l.startswith("VmRSS:")), 0)


rss = f" rss_kib={sum(rss_kib(p) for p in pids)}" if pids else ""
refused = 0
for s in conns if idle_only else conns[0::2]:
    try:
        refused += s.recv(1 << 16).startswith(b"HTTP/1.1 503")
    except OSError:
        pass
for s in [] if idle_only else conns[1::2]:
    try:
        s.send(b"x")
        refused += s.recv(1 << 16).startswith(b"HTTP/1.1 503")
    except OSError:
        pass

def visit():
    t = time.perf_counter()
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    return (time.perf_counter() - t) * 1000, data.startswith(b"HTTP/1.1 200")

times, failed = [], 0
for _ in range(20):
    try:
        ms, ok = visit()
        times.append(ms)
        failed += 0 if ok else 1
    except OSError:
        failed += 1
times.sort()
p50 = times[len(times) // 2] if times else float("nan")
mx = times[-1] if times else float("nan")
print(f"slow={len(conns)} refused={refused} new_ms p50={p50:.1f} max={mx:.1f} failed={failed}{rss}")
for s in conns:
    s.close()

#!/usr/bin/env python3
"""Steady HTTP load for tests/docker/deploy_test.sh.

    steady_load.py HOST PORT STOP_FILE

LOAD_CLIENTS keep-alive clients (4) GET /robots.txt, /sitemap.xml and /livez in turn through the
proxy, and client 0 also /en/ twice a second (pages are rate-limited to 10/s per address), until
STOP_FILE exists, LOAD_MAX_SECONDS (300) have passed or LOAD_MAX_REQUESTS (200000) were sent.
Then it prints one JSON object: requests, ok (2xx), failed (any other status or a connection
error), the first failures, the slowest answer. HOST must be a loopback address.
"""
import http.client
import ipaddress
import json
import os
import sys
import threading
import time

host, port, stop_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if not ipaddress.ip_address(host).is_loopback:
    sys.exit(f"steady_load: {host!r} is not a loopback address")
max_seconds = float(os.environ.get("LOAD_MAX_SECONDS", "300"))
max_requests = int(os.environ.get("LOAD_MAX_REQUESTS", "200000"))
clients = int(os.environ.get("LOAD_CLIENTS", "4"))
paths = ["/robots.txt", "/sitemap.xml", "/livez"]

lock = threading.Lock()
stop = threading.Event()
stats = {"requests": 0, "ok": 0, "failed": 0, "slowest_s": 0.0, "failures": []}
t_start = time.monotonic()


def record(path, outcome, seconds):
    with lock:
        stats["requests"] += 1
        stats["slowest_s"] = max(stats["slowest_s"], seconds)
        if isinstance(outcome, int) and 200 <= outcome < 300:
            stats["ok"] += 1
        else:
            stats["failed"] += 1
            if len(stats["failures"]) < 10:
                at = round(time.monotonic() - t_start, 2)
                stats["failures"].append({"at_s": at, "path": path, "outcome": str(outcome)})
        if stats["requests"] >= max_requests:
            stop.set()


def client(index):
    conn = None
    n = 0
    last_page = 0.0
    while not stop.is_set():
        now = time.monotonic()
        if index == 0 and now - last_page >= 0.5:
            path, last_page = "/en/", now
        else:
            path = paths[n % len(paths)]
            n += 1
        t0 = time.monotonic()
        try:
            if conn is None:
                conn = http.client.HTTPConnection(host, port, timeout=30)
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            outcome = response.status
            if (response.getheader("Connection") or "").lower() == "close":
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException) as e:
            outcome = f"{type(e).__name__}: {e}"
            if conn is not None:
                conn.close()
            conn = None
        record(path, outcome, time.monotonic() - t0)


threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
for t in threads:
    t.start()
while not stop.is_set():
    if os.path.exists(stop_file) or time.monotonic() - t_start >= max_seconds:
        stop.set()
    time.sleep(0.1)
for t in threads:
    t.join(timeout=35)
stats["seconds"] = round(time.monotonic() - t_start, 1)
stats["slowest_s"] = round(stats["slowest_s"], 3)
print(json.dumps(stats))

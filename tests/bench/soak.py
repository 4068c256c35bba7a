#!/usr/bin/env python3
"""Mixed traffic against a running portico for a while; prints RSS every minute and a summary.

Pages, assets, 404s, contact form GETs and valid posts come from many loopback addresses
(127.0.0.2 and up, so the shipped rate limits see many visitors), and a pool of slow clients
trickles partial headers throughout. Nothing here asserts: it prints what it saw.

Usage: soak.py PORT PID MINUTES
Prints lines 'minute N rss_kib R requests Q' and at the end one 'summary ...' line with
'acknowledged=<303 answers>' for the caller to compare with the messages stored.
"""
import http.client
import random
import re
import socket
import sys
import threading
import time
import urllib.parse

port, pid, minutes = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
deadline = time.monotonic() + minutes * 60
lock = threading.Lock()
counts = {"requests": 0, "ok": 0, "not_found": 0, "limited": 0, "unexpected": 0,
          "acknowledged": 0, "refused_form": 0, "slow_reopened": 0}
unexpected_samples = []


def count(key, sample=None):
    with lock:
        counts[key] += 1
        if sample and len(unexpected_samples) < 10:
            unexpected_samples.append(sample)


def rss_kib():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def connection(source):
    return http.client.HTTPConnection("127.0.0.1", port, timeout=10,
                                      source_address=(source, 0))


def fetch(conn, method, path, body=None, headers=None):
    conn.request(method, path, body=body, headers=headers or {})
    res = conn.getresponse()
    data = res.read()
    with lock:
        counts["requests"] += 1
    return res.status, res.getheader("Location", ""), data


def address(n):
    return f"127.0.{1 + n // 250}.{2 + n % 250}"


def pages(worker):
    """Pages, assets and 404s, keep-alive, rotating over addresses."""
    rng = random.Random(worker)
    home = fetch(connection("127.0.0.2"), "GET", "/en/")[2].decode("utf-8", "replace")
    assets = re.findall(r'(?:href|src)="(/assets/[^"]+)"', home) or ["/robots.txt"]
    paths = ["/", "/de/", "/en/", "/en/about/", "/de/projekte/", "/sitemap.xml", "/robots.txt"]
    n = worker * 1000
    while time.monotonic() < deadline:
        n += 1
        conn = connection(address(n % 2000))
        try:
            for _ in range(5):
                roll = rng.random()
                path = (rng.choice(assets) if roll < 0.4 else
                        f"/en/missing-{rng.randrange(1000)}/" if roll < 0.5 else rng.choice(paths))
                status, _, _ = fetch(conn, "GET", path, headers={"Accept-Encoding": "br, gzip"})
                if status == 200:
                    count("ok")
                elif status == 404 and "missing" in path:
                    count("not_found")
                elif status == 429:
                    count("limited")
                else:
                    count("unexpected", f"GET {path} -> {status}")
        except (OSError, http.client.HTTPException) as e:
            count("unexpected", f"pages: {e!r}")
        finally:
            conn.close()
        time.sleep(0.01)


def poster(worker):
    """Contact form: GET the page, wait past min_fill_seconds, post a valid message."""
    n = 0
    while time.monotonic() < deadline - 5:
        n += 1
        source = address(3000 + worker * 100 + n % 100)
        locale_path = "/en/contact/" if n % 2 else "/de/kontakt/"
        try:
            conn = connection(source)
            status, _, page = fetch(conn, "GET", locale_path)
            conn.close()
            token = re.search(rb'name="token" value="([^"]+)"', page)
            if status != 200 or not token:
                count("unexpected", f"GET {locale_path} -> {status}")
                continue
            time.sleep(3.2)
            form = urllib.parse.urlencode({
                "name": f"Soak {worker}-{n}", "email": f"soak{worker}.{n}@example.com",
                "company": "Soak GmbH", "message": f"Message {worker}-{n}\nsecond line",
                "consent": "yes", "website": "", "token": token.group(1).decode()})
            conn = connection(source)
            status, location, _ = fetch(conn, "POST", locale_path, body=form, headers={
                "Content-Type": "application/x-www-form-urlencoded"})
            conn.close()
            if status == 303 and ("danke" in location or "thanks" in location):
                count("acknowledged")
            elif status == 429:
                count("limited")
            elif status in (422, 409, 503):
                count("refused_form", f"POST {locale_path} -> {status}")
            else:
                count("unexpected", f"POST {locale_path} -> {status}")
        except (OSError, http.client.HTTPException) as e:
            count("unexpected", f"poster: {e!r}")


def slow(worker, size=100):
    """Keeps `size` connections trickling a header, reopening the ones the server closes."""
    socks = []
    while time.monotonic() < deadline:
        while len(socks) < size:
            s = socket.socket()
            try:
                s.bind((f"127.0.{200 + worker}.{2 + len(socks) % 250}", 0))
                s.connect(("127.0.0.1", port))
                s.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
                s.setblocking(False)
                socks.append(s)
            except OSError:
                s.close()
                break
        alive = []
        for s in socks:
            try:
                s.send(b"x")
                try:
                    if s.recv(4096) == b"":
                        raise OSError("closed")
                    raise OSError("answered")  # 408 after the header deadline
                except BlockingIOError:
                    alive.append(s)
            except OSError:
                s.close()
                count("slow_reopened")
        socks = alive
        time.sleep(1)
    for s in socks:
        s.close()


threads = [threading.Thread(target=pages, args=(i,), daemon=True) for i in range(4)]
threads += [threading.Thread(target=poster, args=(i,), daemon=True) for i in range(4)]
threads += [threading.Thread(target=slow, args=(i,), daemon=True) for i in range(2)]
for t in threads:
    t.start()
start = time.monotonic()
minute = 0
rss = [rss_kib()]
print(f"minute 0 rss_kib {rss[0]} requests 0", flush=True)
while time.monotonic() < deadline:
    time.sleep(max(0.0, min(60.0, deadline - time.monotonic())))
    minute += 1
    rss.append(rss_kib())
    with lock:
        print(f"minute {minute} rss_kib {rss[-1]} requests {counts['requests']}", flush=True)
for t in threads:
    t.join(timeout=30)
warm = rss[min(2, len(rss) - 1)]
growth = (rss[-1] - warm) * 100.0 / warm if warm else 0.0
with lock:
    summary = " ".join(f"{k}={v}" for k, v in counts.items())
print(f"summary {summary} rss_warm_kib={warm} rss_end_kib={rss[-1]} "
      f"growth_after_warmup_pct={growth:.1f}", flush=True)
for sample in unexpected_samples:
    print(f"unexpected: {sample}")

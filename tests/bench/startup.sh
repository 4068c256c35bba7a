#!/usr/bin/env bash
# Time from `portico serve` (the shipped config/portico.json, run from the source tree) to the
# first 200 on /livez, against nginx serving a `portico export` of the same site. Not a test;
# builds nothing, prints medians.
#   tests/bench/startup.sh BUILD_DIR [RUNS]
# BUILD_DIR holds bin/portico and lib/ (a release build: build/release). RUNS starts per case
# (default 9). cold: an empty data_dir each start (no compressed-variant cache, no contact
# secret); warm: one data_dir kept across starts. Loopback only; every process it starts is
# stopped by its PID, each start is bounded by TIMEOUT seconds (default 20).
set -euo pipefail
build="$(cd "${1:?usage: startup.sh BUILD_DIR [RUNS]}" && pwd)"
runs="${2:-9}"
here="$(cd "$(dirname "$0")" && pwd)"
src="${PORTICO_SRC:-$(cd "$here/../.." && pwd)}"
timeout="${TIMEOUT:-20}"
bin="$build/bin/portico"
[ -x "$bin" ] || { echo "startup: $bin missing (cmake --preset release; build portico and the plugins)"; exit 1; }
for tool in nginx python3; do
  command -v "$tool" >/dev/null || { echo "startup: $tool missing (scripts/setup.sh)"; exit 1; }
done
export LD_LIBRARY_PATH="$build/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"  # a copied build too

work="$(mktemp -d)"
chmod 755 "$work"  # nginx workers run as another user when started as root
trap 'rm -rf "$work"' EXIT  # each server is stopped by time_to_live, which started it

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Starts "$@" (cwd $src), polls http://127.0.0.1:$port/livez every millisecond until it answers
# 200, prints the milliseconds that took, then stops the process by its PID (SIGTERM, then
# SIGKILL after 5 s). Non-zero when it did not answer within $timeout seconds.
time_to_live() {  # port log command...
  python3 - "$timeout" "$@" <<'PY'
import os, signal, socket, subprocess, sys, time
timeout, port, log, cmd = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4:]
def live():
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(b"GET /livez HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            return s.recv(16).startswith(b"HTTP/1.1 200")
    except OSError:
        return False
with open(log, "ab") as out:
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=out, stderr=out, cwd=os.environ["SRC"])
    ok = False
    try:
        while time.monotonic() - t0 < timeout and p.poll() is None:
            if live():
                ok = True
                break
            time.sleep(0.001)
        ms = (time.monotonic() - t0) * 1000
    finally:  # stopped by its PID whatever happened, Ctrl-C included
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
print(f"{ms:.0f}" if ok else "fail")
sys.exit(0 if ok else 1)
PY
}

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }

serve_portico() {  # data_dir -> prints ms
  local port; port=$(free_port)
  PORTICO_PORT=$port PORTICO_ADDRESS=127.0.0.1 PORTICO_ADMIN_ADDRESS=127.0.0.1 \
    PORTICO_ADMIN_PORT=0 PORTICO_DATA_DIR="$1" PORTICO_LOG_LEVEL=warn CONTACT_SECRET= SRC="$src" \
    time_to_live "$port" "$work/portico.log" "$bin" serve --config config/portico.json \
    || { echo "startup: portico did not answer /livez; log:" >&2; tail -20 "$work/portico.log" >&2; exit 1; }
}

cold=() warm=() ngx=()
for i in $(seq 1 "$runs"); do
  rm -rf "$work/cold"; mkdir -m 700 "$work/cold"
  cold+=("$(serve_portico "$work/cold")")
done
mkdir -m 700 "$work/warm"; serve_portico "$work/warm" >/dev/null  # fills the data_dir once
for i in $(seq 1 "$runs"); do warm+=("$(serve_portico "$work/warm")"); done

# nginx serves what `portico export` writes (.gz and .br beside each file; gzip_static),
# plus a /livez that answers 200 as portico's does.
PORTICO_DATA_DIR="$work/export-data" PORTICO_LOG_LEVEL=warn CONTACT_SECRET= \
  bash -c 'cd "$0" && exec "$1" export "$2" --config config/portico.json' "$src" "$bin" "$work/export" \
  >"$work/export.log" 2>&1 || { echo "startup: portico export failed:" >&2; cat "$work/export.log" >&2; exit 1; }
for i in $(seq 1 "$runs"); do
  nport=$(free_port)
  cat > "$work/nginx.conf" <<NGINX
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on; tcp_nopush on;
  gzip_static on;
  server {
    listen 127.0.0.1:$nport reuseport; root $work/export; index index.html;
    location = /livez { default_type text/plain; return 200 "ok\n"; }
  }
}
NGINX
  ngx+=("$(SRC="$work" time_to_live "$nport" "$work/nginx.log" nginx -p "$work" -c "$work/nginx.conf" -g 'daemon off;' \
    || { echo "startup: nginx did not answer; log:" >&2; cat "$work/nginx-error.log" >&2; exit 1; })")
done

printf 'time to the first 200 on /livez, median of %s starts (ms; every start listed)\n' "$runs"
printf '  %-15s %6s   %s\n' "portico cold" "$(echo "${cold[*]}" | median)" "${cold[*]}"
printf '  %-15s %6s   %s\n' "portico warm" "$(echo "${warm[*]}" | median)" "${warm[*]}"
printf '  %-15s %6s   %s\n' "nginx" "$(echo "${ngx[*]}" | median)" "${ngx[*]}"
echo "portico: $bin; cold = empty data_dir, warm = data_dir of an earlier start"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

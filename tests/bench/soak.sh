#!/usr/bin/env bash
# Soak: the shipped config under mixed traffic (pages, assets, 404s, contact GETs and valid
# posts, slow clients) for SOAK_MINUTES (default 30); prints RSS every minute, the error count
# and the contact messages stored against those acknowledged with a thank-you. Not a test.
#   tests/bench/soak.sh            builds the release preset into build/bench, then soaks
# Environment: PORTICO_SRC, PORTICO_BUILD (as tests/bench/run.sh), SOAK_MINUTES.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
src="${PORTICO_SRC:-$(cd "$here/../.." && pwd)}"
build="${PORTICO_BUILD:-$src/build/bench}"
minutes="${SOAK_MINUTES:-30}"
ulimit -n "$(ulimit -Hn)" || true

cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build "$build" -j2 >/dev/null
bin="$(find "$build" -type f -name portico -perm -u+x | head -1)"

work="$(mktemp -d)"
pid=""
cleanup() { [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

port=$(free_port)
export PORTICO_ADDRESS=127.0.0.1 PORTICO_PORT="$port" PORTICO_ADMIN_PORT="$(free_port)" \
  PORTICO_DATA_DIR="$work/data" PORTICO_LOG_LEVEL=warn
(cd "$src" && exec "$bin" serve --config config/portico.json) >"$work/portico.log" 2>&1 &
pid=$!
for _ in $(seq 1 500); do curl -fs -o /dev/null "http://127.0.0.1:$port/livez" && break; sleep 0.02; done

echo "soak: $minutes minutes against portico (pid $pid, port $port), shipped config"
python3 "$here/soak.py" "$port" "$pid" "$minutes" | tee "$work/soak.out"
kill -TERM "$pid"
wait "$pid" || true
pid=""
stored=$(cd "$src" && "$bin" contact export --format json --config config/portico.json |
  python3 -c 'import json, sys; print(sum(1 for m in json.load(sys.stdin) if m["name"].startswith("Soak ")))')
acknowledged=$(sed -n 's/.*acknowledged=\([0-9]*\).*/\1/p' "$work/soak.out")
echo "contact messages: acknowledged $acknowledged, stored $stored"
errors=$(grep -ci 'error\|critical' "$work/portico.log" || true)
echo "portico log: $errors error lines"
grep -i 'error\|critical' "$work/portico.log" | head -5 || true
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$acknowledged" = "$stored" ] || { echo "soak: acknowledged and stored differ"; exit 1; }

#!/usr/bin/env bash
# What each plugin's hooks cost per request, from the host's own histogram
# (portico_plugin_hook_seconds): the shipped config/portico.json run from the source tree, wrk
# on one page with a browser's User-Agent (so the insights plugin counts every request, as it
# would a visitor's), then the mean time per call of every plugin and hook kind from the admin
# listener's /metrics. Not a test; prints a table. Loopback only; stops what it started by PID.
#   tests/bench/hooks.sh BUILD_DIR [PATH]      e.g. build/release /en/
# Environment: DURATION (seconds of wrk, default 10), CONNECTIONS (default 50).
set -euo pipefail
build="$(cd "${1:?usage: hooks.sh BUILD_DIR [PATH]}" && pwd)"
path="${2:-/en/}"
duration="${DURATION:-10}"
connections="${CONNECTIONS:-50}"
here="$(cd "$(dirname "$0")" && pwd)"
src="${PORTICO_SRC:-$(cd "$here/../.." && pwd)}"
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "hooks: $tool missing (scripts/setup.sh)"; exit 1; }
done
agent='Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'

work="$(mktemp -d)"
pid=""
cleanup() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

port=$(free_port)
admin=$(free_port)
# The shipped config, with the rate limiter's page policy and the per-client connection cap
# lifted (wrk is one client; they would turn its load into 429s and refusals).
python3 - "$src/config/portico.json" >"$work/portico.json" <<'PY'
import json, re, sys
text = "\n".join(l for l in open(sys.argv[1]) if not re.match(r"\s*//", l))
config = json.loads(text)
config["server"]["max_connections_per_client"] = 0
config["plugins"]["ratelimit"]["policies"]["pages"] = {"limit": 1000000, "period_s": 1,
                                                      "burst": 1000000}
print(json.dumps(config, indent=1))
PY
(cd "$src" && PORTICO_ADDRESS=127.0.0.1 PORTICO_PORT=$port PORTICO_ADMIN_PORT=$admin \
  PORTICO_DATA_DIR="$work/data" PORTICO_SITE_DIR="$src" PORTICO_LOG_LEVEL=warn \
  exec "$build/bin/portico" serve --config "$work/portico.json") >"$work/portico.log" 2>&1 &
pid=$!
for _ in $(seq 1 500); do curl -fs -o /dev/null "http://127.0.0.1:$port/livez" && break; sleep 0.02; done
curl -fs -o /dev/null "http://127.0.0.1:$port/livez" || { cat "$work/portico.log"; exit 1; }

wrk -t1 -c"$connections" -d"${duration}s" -H "User-Agent: $agent" -H 'Accept-Encoding: gzip' \
  "http://127.0.0.1:$port$path" | sed -n '/Requests\/sec/p;/Non-2xx/p'
curl -fs "http://127.0.0.1:$admin/metrics" >"$work/metrics"
python3 - "$work/metrics" <<'PY'
import re, sys
sums, counts = {}, {}
for line in open(sys.argv[1]):
    m = re.match(r'portico_plugin_hook_seconds_(sum|count)\{(.*)\} (\S+)', line)
    if not m:
        continue
    labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(2)))
    key = (labels.get("plugin", "?"), labels.get("hook", "?"))
    (sums if m.group(1) == "sum" else counts)[key] = float(m.group(3))
print(f"{'plugin':<12}{'hook':<12}{'calls':>12}{'mean':>12}")
for key in sorted(counts):
    n = counts[key]
    mean = sums.get(key, 0) / n * 1e6 if n else 0
    print(f"{key[0]:<12}{key[1]:<12}{int(n):>12}{mean:>10.3f} us")
PY

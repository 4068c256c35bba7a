#!/usr/bin/env bash
# Memory of the in-memory rate-limit table under a flood of distinct clients, through the real
# process. Not a test; prints figures. Starts portico (loopback, 127.0.0.1 a trusted proxy) and
# sends KEYS requests with distinct X-Forwarded-For addresses with wrk, once with max_keys
# 1,000,000 and once with the default cap (100,000); then prints VmRSS / VmHWM and the keys
# held (portico_ratelimit_keys on the admin listener).
#   tests/bench/ratelimit_keys.sh BUILD_DIR      e.g. build/release or build/dev
# Environment: KEYS (default 1000000), THREADS (wrk threads, 2), CONNECTIONS (64).
set -euo pipefail
build=$(cd "${1:?usage: $0 BUILD_DIR}" && pwd)
keys=${KEYS:-1000000}
threads=${THREADS:-2}
connections=${CONNECTIONS:-64}
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool missing (scripts/setup.sh)"; exit 1; }
done

work=$(mktemp -d /tmp/portico-rlkeys-XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
status_kib() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
metric() { curl -fsS "http://127.0.0.1:$1/metrics" | awk -v m="$2" '$1 == m {printf "%d\n", $2}'; }

# Request n of thread t names client 10.a.b.c with n * threads + t: distinct across threads.
cat >"$work/flood.lua" <<'LUA'
local threads, per_thread = tonumber(os.getenv("THREADS")), 0
local next_id = 0
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end
function init(args)
  per_thread = math.ceil(tonumber(os.getenv("KEYS")) / threads)
  sent, answered = 0, 0
end
function request()
  local n = sent * threads + id
  sent = sent + 1
  local ip = string.format("10.%d.%d.%d", math.floor(n / 65536) % 256,
                           math.floor(n / 256) % 256, n % 256)
  return wrk.format("GET", "/x", {["X-Forwarded-For"] = ip})
end
function response(status, headers, body)
  answered = answered + 1
  if answered >= per_thread then wrk.thread:stop() end
end
LUA

run() {  # $1: max_keys or "default"
  local port admin cap_json=""
  port=$(free_port)
  admin=$(free_port)
  [ "$1" = default ] || cap_json="\"max_keys\": $1,"
  cat >"$work/portico.json" <<JSON
{"listen": {"address": "127.0.0.1", "port": $port}, "data_dir": "$work/data",
 "admin": {"address": "127.0.0.1", "port": $admin},
 "log": {"level": "warn", "access_log": false},
 "server": {"trusted_proxies": ["127.0.0.1/32"]},
 "site": {"base_url": "http://localhost"},
 "plugin_dirs": ["$build/lib/portico/plugins"],
 "plugins": {"metrics": {},
   "ratelimit": {$cap_json
     "policies": {"p": {"limit": 10, "period_s": 3600, "burst": 5}},
     "rules": [{"policy": "p"}]}}}
JSON
  "$build/bin/portico" serve --config "$work/portico.json" >"$work/portico.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 500); do curl -fs -o /dev/null "http://127.0.0.1:$admin/metrics" && break; sleep 0.02; done
  local rss0 t0 t1
  rss0=$(status_kib "$pid" VmRSS)
  t0=$(date +%s)
  # wrk runs for its whole -d; it is interrupted (and prints its figures) once every request
  # has been decided.
  KEYS=$keys THREADS=$threads wrk -t"$threads" -c"$connections" -d600s --timeout 10s \
    -s "$work/flood.lua" "http://127.0.0.1:$port/x" >"$work/wrk.txt" &
  local wrk_pid=$! decided=0
  while [ "${decided:-0}" -lt "$keys" ] && kill -0 "$wrk_pid" 2>/dev/null; do
    sleep 1
    decided=$(metric "$admin" 'portico_ratelimit_decisions_total{policy="p",decision="allowed"}')
  done
  kill -INT "$wrk_pid" 2>/dev/null || true
  wait "$wrk_pid" || true
  t1=$(date +%s)
  local sent held rss hwm
  sent=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
  held=$(metric "$admin" portico_ratelimit_keys)
  rss=$(status_kib "$pid" VmRSS)
  hwm=$(status_kib "$pid" VmHWM)
  printf '%-10s %10s %12s %12s %10s %10s %6s\n' "$1" "$sent" "$held" \
    "$((rss0 / 1024)) MiB" "$((rss / 1024)) MiB" "$((hwm / 1024)) MiB" "$((t1 - t0)) s"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=
  rm -rf "$work/data"
}

echo "portico $build/bin/portico, $keys distinct clients per run (wrk -t$threads -c$connections)"
printf '%-10s %10s %12s %12s %10s %10s %6s\n' max_keys requests "keys held" "RSS before" \
  "RSS after" "VmHWM" time
run 1000000
run default

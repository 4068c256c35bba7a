#!/usr/bin/env bash
# Portico against nginx (and Caddy when installed) on loopback. Not a test; prints a table.
#   tests/bench/run.sh            builds the release preset into build/bench, then measures
# Environment: PORTICO_SRC (source tree, default this repo), PORTICO_BUILD (build dir),
# DURATION (seconds per wrk run, default 5), ROUNDS (default 3), SLOW (slow connections, 10000).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
src="${PORTICO_SRC:-$(cd "$here/../.." && pwd)}"
build="${PORTICO_BUILD:-$src/build/bench}"
duration="${DURATION:-5}"
rounds="${ROUNDS:-3}"
slow="${SLOW:-10000}"
for tool in wrk nginx curl python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool missing (scripts/setup.sh)"; exit 1; }
done
ulimit -n "$(ulimit -Hn)" || true

cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build "$build" -j2 >/dev/null
bin="$(find "$build" -type f -name portico -perm -u+x | head -1)"
plugins="$(dirname "$(find "$build" -name 'pages.so' | head -1)")"

work="$(mktemp -d)"
chmod 755 "$work"  # nginx workers run as another user when started as root
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rss_kib() { local t=0; for p in "$@"; do t=$((t + $(awk '/VmRSS/{print $2}' "/proc/$p/status" 2>/dev/null || echo 0))); done; echo "$t"; }
wait_up() { for _ in $(seq 1 500); do curl -fs -o /dev/null "http://127.0.0.1:$1/" && return 0; sleep 0.01; done; return 1; }

# portico run from the source tree (plugin defaults find www/ and locales/); every plugin built
# here is listed; access log off as in the nginx config below.
# wrk speaks from one address: the per-address cap is lifted for throughput runs. "defaults"
# keeps the shipped server defaults (the slow-client and memory runs).
server_block() {
  if [ "$1" = defaults ]; then echo '"server": {}'; return; fi
  echo "\"server\": {\"max_connections\": 20000, \"max_connections_per_client\": 0, \"inline_handlers\": $1}"
}
start_portico() {  # $1 port, $2 inline_handlers (true/false/defaults), $3 plugins on (true/false)
  local plugin_block
  plugin_block="$(python3 - "$src" "$plugins" "$3" <<'PY'
import json, os, re, sys
src, plugins, on = sys.argv[1], sys.argv[2], sys.argv[3] == "true"
ids = sorted(f[:-3] for f in os.listdir(plugins) if f.endswith(".so"))
# Plugins whose defaults need a value get one; everything else runs on its defaults.
# The rate limiter runs its check on every request, with a policy the benchmark's one client
# never reaches (its default, 600 a minute per client, would turn the load into 429s).
needs = {"studio": {"host": "studio.localhost"},
         "ratelimit": {"policies": {"pages": {"limit": 1000000, "period_s": 1, "burst": 1000000}}},
         "analytics": {"provider": "umami", "script_url": "https://analytics.example.com/script.js",
                       "website_id": "4f1c2d3e-0000-4000-8000-000000000000",
                       "domains": ["localhost"]}}
print(json.dumps({i: dict(needs.get(i, {}), enabled=on or i == "pages") for i in ids}))
PY
)"
  cat > "$work/portico-$1.json" <<JSON
{"listen": {"address": "127.0.0.1", "port": $1}, "data_dir": "$work/data-$1",
 "admin": {"enabled": false},
 "log": {"level": "warn", "access_log": false},
 $(server_block "$2"),
 "site": {"base_url": "http://localhost", "hosts": ["localhost"], "locales": ["de", "en"],
          "default_locale": "de"},
 "plugin_dirs": ["$plugins"],
 "plugins": $plugin_block}
JSON
  local t0; t0=$(date +%s%N)
  (cd "$src" && exec "$bin" serve --config "$work/portico-$1.json") >"$work/portico-$1.log" 2>&1 &
  pids+=($!); PORTICO_PID=$!
  wait_up "$1" || { cat "$work/portico-$1.log"; exit 1; }
  STARTUP_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
}

pport=$(free_port); start_portico "$pport" false true
ppid=$PORTICO_PID; pstart=$STARTUP_MS
home=/; css="$(curl -fs "http://127.0.0.1:$pport/" | grep -o 'href="[^"]*\.css[^"]*"' | head -1 | sed 's/href="//; s/"$//')"
[ -n "$css" ] || css=/assets/css/site.css
# Export what portico serves so nginx sends the same bytes (with .gz beside them).
mkdir -p "$work/export"
for target in "$home" "$css"; do
  file="$work/export${target%/}"; [ "${target: -1}" = "/" ] && file="$work/export${target}index.html"
  mkdir -p "$(dirname "$file")"
  curl -fs "http://127.0.0.1:$pport$target" -o "$file"
  gzip -k -9 "$file"
done
nport=$(free_port)
cat > "$work/nginx.conf" <<NGINX
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 20000; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on; tcp_nopush on; keepalive_requests 100000;
  gzip_static on;
  server { listen 127.0.0.1:$nport reuseport; root $work/export; index index.html; }
}
NGINX
t0=$(date +%s%N)
nginx -p "$work" -c "$work/nginx.conf" -g 'daemon off;' &
pids+=($!); npid=$!
wait_up "$nport"; nstart=$(( ($(date +%s%N) - t0) / 1000000 ))
nworkers() { pgrep -P "$npid" | tr '\n' ' '; }

iport=$(free_port); start_portico "$iport" true true; ipid=$PORTICO_PID
oport=$(free_port); start_portico "$oport" false false
servers="nginx portico portico-inline portico-off"
if command -v caddy >/dev/null; then
  cport=$(free_port)
  cat > "$work/Caddyfile" <<CADDY
{
  admin off
  auto_https off
}
http://127.0.0.1:$cport {
  root * $work/export
  file_server {
    precompressed gzip
  }
}
CADDY
  caddy run --config "$work/Caddyfile" --adapter caddyfile >"$work/caddy.log" 2>&1 &
  pids+=($!)
  wait_up "$cport" && servers="$servers caddy"
fi

declare -A rps p50 p99
bad_runs=0
run_wrk() {  # name port target conns
  local out; out="$(wrk -t1 -c"$4" -d"${duration}s" --latency -H 'Accept-Encoding: gzip' "http://127.0.0.1:$2$3")"
  local r l50 l99 non2xx
  # A run with error answers measures the errors, not the page: say so loudly.
  non2xx=$(awk '/Non-2xx or 3xx responses/{print $NF}' <<<"$out")
  if [ -n "$non2xx" ] || grep -q 'Socket errors' <<<"$out"; then
    bad_runs=$((bad_runs + 1))
    echo "bench: $1 $3 at $4 connections: ${non2xx:-0} non-2xx answers; $(grep 'Socket errors' <<<"$out" || true)" >&2
  fi
  r=$(awk '/Requests\/sec/{print $2}' <<<"$out")
  l50=$(awk '$1=="50%"{print $2}' <<<"$out"); l99=$(awk '$1=="99%"{print $2}' <<<"$out")
  local key="$1|$3|$4"
  rps[$key]="${rps[$key]:-} $r"; p50[$key]="$l50"; p99[$key]="$l99"
}
rss_load=0
for round in $(seq 1 "$rounds"); do
  for conns in 100 1000; do
    for target in "$home" "$css"; do
      run_wrk nginx "$nport" "$target" "$conns"
      if [ "$conns" = 1000 ] && [ "$round" = 1 ]; then
        (sleep 2; rss_kib "$ppid" > "$work/rss_load") &
      fi
      run_wrk portico "$pport" "$target" "$conns"
      run_wrk portico-inline "$iport" "$target" "$conns"
      run_wrk portico-off "$oport" "$target" "$conns"
      [[ $servers == *caddy* ]] && run_wrk caddy "$cport" "$target" "$conns"
    done
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
out_dir="${BENCH_OUT:-$src/tests/bench}"
tsv="$work/results.tsv"
printf '\n%-15s %-22s %6s %10s %10s %10s %8s\n' server target conns req/s p50 p99 "x nginx"
for conns in 100 1000; do
  for target in "$home" "$css"; do
    nmed=$(echo "${rps[nginx|$target|$conns]}" | median)
    for name in $servers; do
      med=$(echo "${rps[$name|$target|$conns]}" | median)
      ratio=$(printf '%.2f' "$(echo "$med / $nmed" | bc -l)")
      printf '%-15s %-22s %6s %10s %10s %10s %8s\n' "$name" "$target" "$conns" "$med" \
        "${p50[$name|$target|$conns]}" "${p99[$name|$target|$conns]}" "$ratio"
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$([ "$target" = / ] && echo page || echo css)" \
        "$conns" "$med" "${p50[$name|$target|$conns]}" "${p99[$name|$target|$conns]}" "$ratio" >>"$tsv"
    done
  done
done
mkdir -p "$out_dir"
cp "$tsv" "$out_dir/results.tsv"
python3 "$here/chart.py" "$tsv" "$out_dir/results.svg" \
  "Portico against nginx: $(nproc) cores, wrk -t1, median of $rounds runs of ${duration} s"
echo "table: $out_dir/results.tsv, chart: $out_dir/results.svg"
echo "portico: worker pool, all plugins on; portico-inline: handlers on the I/O threads, all"
echo "plugins on; portico-off: worker pool, only the pages plugin."
for conns in 100 1000; do
  for target in "$home" "$css"; do
    on=$(echo "${rps[portico|$target|$conns]}" | median)
    off=$(echo "${rps[portico-off|$target|$conns]}" | median)
    printf 'plugins on / off  %-22s %6s %8.2f\n' "$target" "$conns" "$(echo "$on / $off" | bc -l)"
  done
done
echo
echo "start-up ms: portico $pstart, nginx $nstart"
echo "RSS KiB idle (after the runs): portico $(rss_kib "$ppid"), nginx $(rss_kib "$npid" $(nworkers))"
echo "RSS KiB portico under load (1,000 connections): $(cat "$work/rss_load" 2>/dev/null || echo n/a)"
dport=$(free_port); start_portico "$dport" defaults true; dpid=$PORTICO_PID
echo "$slow slow or idle connections from 127.0.0.2-9, a new visitor from 127.0.0.1 (shipped defaults):"
echo "  portico: $(python3 "$here/slow_clients.py" "$dport" "$slow" / "$dpid")"
echo "  nginx:   $(python3 "$here/slow_clients.py" "$nport" "$slow" / "$npid" $(nworkers))"
echo "$slow idle keep-alive connections from 100 addresses, RSS while open (shipped defaults):"
echo "  portico: $(IDLE=1 ADDRESSES=100 python3 "$here/slow_clients.py" "$dport" "$slow" / "$dpid")"
echo "  nginx:   $(IDLE=1 ADDRESSES=100 python3 "$here/slow_clients.py" "$nport" "$slow" / "$npid" $(nworkers))"
if command -v slowhttptest >/dev/null; then
  slowhttptest -c 2000 -H -i 5 -r 500 -l 12 -t GET -u "http://127.0.0.1:$pport/" -x 24 -p 3 \
    >"$work/slowhttptest.log" 2>&1 &
  sh_pid=$!; pids+=($sh_pid)
  sleep 6
  t=$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$pport/")
  echo "slowhttptest (2,000 slowloris connections) meanwhile a new request took ${t}s"
  wait "$sh_pid" || true
fi
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
if ((bad_runs)); then echo "bench: $bad_runs wrk run(s) had error answers or socket errors (see above)"; fi

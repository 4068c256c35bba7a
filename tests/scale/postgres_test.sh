#!/usr/bin/env bash
# Scale-out against a real PostgreSQL: starts a throwaway cluster (initdb + pg_ctl in a temp
# folder, as the unprivileged user `nobody`, loopback only), then two `portico serve` processes
# on different ports sharing it. Checks: both start (migrations serialized by the advisory
# lock), each migration is recorded once, every message posted to either replica is stored
# exactly once, and a rate limit kept in a real redis-server (started here, loopback, no
# persistence) is one limit for both. Needs root (for runuser) and Debian's postgresql and
# redis-server packages.
#
#   tests/scale/postgres_test.sh BUILD_DIR      e.g. build/dev
set -euo pipefail

build=$(cd "${1:?usage: $0 BUILD_DIR}" && pwd)
portico="$build/bin/portico"
pgbin=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d | sort -V | tail -1)
per_replica=${PORTICO_SCALE_MESSAGES:-25}

work=$(mktemp -d /tmp/portico-scale-XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -f "$work/pg/PG_VERSION" ]; then
    runuser -u nobody -- "$pgbin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=tests/support/portico.sh
source "$(dirname "$0")/../support/portico.sh"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
fail() { echo "FAIL: $*" >&2; exit 1; }

mkdir "$work/pg" "$work/sock"
chown nobody "$work/pg" "$work/sock"
runuser -u nobody -- "$pgbin/initdb" -D "$work/pg" -U portico --auth=trust >"$work/initdb.log"
pg_port=$(free_port)
runuser -u nobody -- "$pgbin/pg_ctl" -D "$work/pg" -l "$work/sock/pg.log" -w start \
  -o "-p $pg_port -k $work/sock -c listen_addresses=127.0.0.1" >/dev/null
psql_q() { runuser -u nobody -- psql -qAt -h 127.0.0.1 -p "$pg_port" -U portico postgres -c "$1"; }

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" \
  --logfile "$work/redis.log" & pids+=($!)
for _ in $(seq 1 200); do
  [ "$(redis-cli -p "$redis_port" ping 2>/dev/null)" = PONG ] && break
  sleep 0.05
done
[ "$(redis-cli -p "$redis_port" ping)" = PONG ] || fail "redis-server did not start"

cat >"$work/portico.json" <<JSON
{
  "listen": {"address": "127.0.0.1", "port": 0},
  "admin": {"port": 0},
  "data_dir": "$work/data",
  "database": {"url": "\${DATABASE_URL}"},
  "site": {"base_url": "http://localhost"},
  "plugin_dirs": ["$build/lib/portico/plugins"],
  "plugins": {"contact": {"secret": "scale-test-secret-0123", "min_fill_seconds": 0},
              "health": {},
              "insights": {"flush_seconds": 1},
              "ratelimit": {"backend": "redis", "redis": {"url": "\${REDIS_URL}"},
                            "policies": {"shared": {"limit": 10, "period_s": 3600, "burst": 5}},
                            "rules": [{"path_prefix": "/limited", "policy": "shared"}]}}
}
JSON
export DATABASE_URL="postgresql://portico@127.0.0.1:$pg_port/postgres"
export REDIS_URL="redis://127.0.0.1:$redis_port/0"

# Both replicas start at the same moment: the second waits on the migration lock.
"$portico" serve --config "$work/portico.json" >"$work/a.log" 2>&1 & pids+=($!)
"$portico" serve --config "$work/portico.json" >"$work/b.log" 2>&1 & pids+=($!)
ports=()
for log in a b; do
  for _ in $(seq 1 200); do
    port=$(grep -o 'listening on http://[^ ]*' "$work/$log.log" | sed 's/.*://' || true)
    [ -n "$port" ] && break
    sleep 0.05
  done
  [ -n "$port" ] || { cat "$work/$log.log"; fail "replica $log did not start"; }
  ports+=("$port")
done

for port in "${ports[@]}"; do
  for i in $(seq 1 "$per_replica"); do
    token=$(portico_contact_token "$port")
    code=$(portico_post_contact "$port" "r$port-$i" "$token")
    [ "$code" = 303 ] || fail "POST to replica $port answered $code"
  done
done

# The last token, replayed on the other replica: the shared store knows it was used.
code=$(portico_post_contact "${ports[0]}" replay "$token")
[ "$code" = 409 ] || fail "a token used on one replica answered $code on the other, not 409"

total=$(psql_q "SELECT COUNT(*) FROM contact_messages")
distinct=$(psql_q "SELECT COUNT(DISTINCT name) FROM contact_messages")
expected=$((2 * per_replica))
[ "$total" = "$expected" ] || fail "expected $expected messages, found $total"
[ "$distinct" = "$expected" ] || fail "expected $expected distinct messages, found $distinct"
migrations=$(psql_q "SELECT string_agg(plugin || ':' || version, ',' ORDER BY plugin, version) FROM portico_migrations")
[ "$migrations" = "contact:1,contact:2,contact:3,contact:4,insights:1,insights:2" ] || fail "migrations recorded: $migrations"
listed=$(DATABASE_URL="$DATABASE_URL" "$portico" contact list --config "$work/portico.json" | tail -1)
[ "$listed" = "$expected messages" ] || fail "portico contact list says: $listed"

# Insights on one store: page views on both replicas add up, and a visitor seen by both is one
# visitor (both hash with the day's salt the first replica stored).
browser='Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'
for port in "${ports[@]}"; do
  for source in 127.0.0.2 127.0.0.3; do
    code=$(curl -sS -o /dev/null -w '%{http_code}' --interface "$source" -A "$browser" \
      "http://127.0.0.1:$port/en/contact/")
    [ "$code" = 200 ] || fail "GET /en/contact/ from $source answered $code"
  done
done
views="" visitors=""
for _ in $(seq 1 50); do
  views=$(psql_q "SELECT COALESCE(SUM(views), 0) FROM insights_hourly WHERE dimension = 'page'")
  visitors=$(psql_q "SELECT COUNT(*) FROM insights_visitors")
  [ "$views" = 4 ] && [ "$visitors" = 2 ] && break
  sleep 0.2
done
[ "$views" = 4 ] || fail "insights: expected 4 page views from both replicas, found $views"
[ "$visitors" = 2 ] || fail "insights: expected 2 visitors across both replicas, found $visitors"
# The view the console reads adds the same figures up on PostgreSQL.
day=$(psql_q "SELECT visitors || ' ' || views FROM insights_days")
[ "$day" = "2 4" ] || fail "insights_days: expected 2 visitors and 4 views today, found \"$day\""
salts=$(psql_q "SELECT COUNT(*) FROM insights_salts")
[ "$salts" = 1 ] || fail "insights: expected one salt for today, found $salts"

# One rate limit for both: a burst of 5 (then one per 6 minutes), alternating between replicas.
passed=0 limited=0
for i in $(seq 0 19); do
  code=$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:${ports[$((i % 2))]}/limited")
  case "$code" in 404) passed=$((passed + 1)) ;; 429) limited=$((limited + 1)) ;;
    *) fail "GET /limited answered $code" ;; esac
done
if [ "$passed" != 5 ] || [ "$limited" != 15 ]; then
  fail "shared limit: $passed passed, $limited limited; want 5 and 15"
fi
keys=$(redis-cli -p "$redis_port" --scan --pattern 'portico:rl:*' | wc -l)
[ "$keys" = 1 ] || fail "expected one rate-limit key in Redis, found $keys"

# PostgreSQL goes away: the visitor gets 503 with Retry-After and the form, never a 303.
runuser -u nobody -- "$pgbin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null
token=$(portico_contact_token "${ports[0]}")
answer=$(curl -sS -D - -o "$work/down.html" -H 'Content-Type: application/x-www-form-urlencoded' \
  --data "name=down&email=a%40example.com&message=hi&consent=yes&token=$token" \
  "http://127.0.0.1:${ports[0]}/en/contact/")
grep -q '^HTTP/1.1 503' <<<"$answer" || fail "with PostgreSQL down: $(head -1 <<<"$answer")"
grep -qi '^retry-after: 30' <<<"$answer" || fail "no Retry-After with PostgreSQL down"
grep -q 'value="down"' "$work/down.html" || fail "the 503 page lost the visitor's input"
# Public readiness reuses the checks' result for up to a second (health.cache_ms).
ready_within() {  # port, wanted status: polls /readyz for up to 3 s
  local code=""
  for _ in $(seq 1 30); do
    code=$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/readyz")
    [ "$code" = "$2" ] && break
    sleep 0.1
  done
  echo "$code"
}
ready=$(ready_within "${ports[0]}" 503)
[ "$ready" = 503 ] || fail "/readyz answered $ready with PostgreSQL down, not 503"

# PostgreSQL comes back: both replicas reconnect by themselves (a pooled session that died with
# the old server is dropped when it fails), and /readyz passes again.
runuser -u nobody -- "$pgbin/pg_ctl" -D "$work/pg" -l "$work/sock/pg.log" -w start \
  -o "-p $pg_port -k $work/sock -c listen_addresses=127.0.0.1" >/dev/null
for port in "${ports[@]}"; do
  token=$(portico_contact_token "$port")
  code=""
  for attempt in $(seq 1 10); do
    code=$(portico_post_contact "$port" "back-$port" "$token")
    [ "$code" = 303 ] && break
    [ "$code" = 503 ] || fail "after PostgreSQL came back, replica $port answered $code"
    sleep 0.5
  done
  [ "$code" = 303 ] || fail "replica $port did not reconnect to PostgreSQL (still $code)"
  echo "replica $port stored a message again after $attempt attempt(s)"
  ready=$(ready_within "$port" 200)
  [ "$ready" = 200 ] || fail "/readyz on $port answered $ready after PostgreSQL came back"
done
back=$(psql_q "SELECT COUNT(*) FROM contact_messages WHERE name LIKE 'back-%'")
[ "$back" = 2 ] || fail "expected 2 messages after the outage, found $back"
down=$(psql_q "SELECT COUNT(*) FROM contact_messages WHERE name = 'down'")
[ "$down" = 0 ] || fail "the message answered with 503 was stored"

echo "ok: 2 replicas on one PostgreSQL, $expected messages stored once each, migrations $migrations; insights $views views of $visitors visitors across both; 503 while PostgreSQL is down, reconnected after; one Redis rate limit: $passed of 20 passed"

#!/usr/bin/env bash
# Scale-out against a real PostgreSQL: starts a throwaway cluster (initdb + pg_ctl in a temp
# folder, as the unprivileged user `nobody`, loopback only), then two `portico serve` processes
# on different ports sharing it. Checks: both start (migrations serialized by the advisory
# lock), each migration is recorded once, every message posted to either replica is stored
# exactly once. Needs root (for runuser) and Debian's postgresql package.
#
#   tests/scale/postgres_test.sh BUILD_DIR      e.g. build/dev
set -euo pipefail

build=$(cd "${1:?usage: $0 BUILD_DIR}" && pwd)
portico="$build/bin/portico"
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
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

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
fail() { echo "FAIL: $*" >&2; exit 1; }

mkdir "$work/pg" "$work/sock"
chown nobody "$work/pg" "$work/sock"
runuser -u nobody -- "$pgbin/initdb" -D "$work/pg" -U portico --auth=trust >"$work/initdb.log"
pg_port=$(free_port)
runuser -u nobody -- "$pgbin/pg_ctl" -D "$work/pg" -l "$work/sock/pg.log" -w start \
  -o "-p $pg_port -k $work/sock -c listen_addresses=127.0.0.1" >/dev/null
psql_q() { runuser -u nobody -- psql -qAt -h 127.0.0.1 -p "$pg_port" -U portico postgres -c "$1"; }

cat >"$work/portico.json" <<JSON
{
  "listen": {"address": "127.0.0.1", "port": 0},
  "data_dir": "$work/data",
  "database": {"url": "\${DATABASE_URL}"},
  "site": {"base_url": "http://localhost"},
  "plugin_dirs": ["$build/lib/portico/plugins"],
  "plugins": {"contact": {"secret": "scale-test-secret-0123", "min_fill_seconds": 0}}
}
JSON
export DATABASE_URL="postgresql://portico@127.0.0.1:$pg_port/postgres"

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
  token=$(curl -fsS "http://127.0.0.1:$port/en/contact/" | grep -o 'name="token" value="[^"]*"' |
    sed 's/.*value="//; s/"$//')
  for i in $(seq 1 "$per_replica"); do
    code=$(curl -sS -o /dev/null -w '%{http_code}' \
      -H 'Content-Type: application/x-www-form-urlencoded' \
      --data "name=r$port-$i&email=a%40example.com&message=hi&consent=yes&token=$token" \
      "http://127.0.0.1:$port/en/contact/")
    [ "$code" = 303 ] || fail "POST to replica $port answered $code"
  done
done

total=$(psql_q "SELECT COUNT(*) FROM contact_messages")
distinct=$(psql_q "SELECT COUNT(DISTINCT name) FROM contact_messages")
expected=$((2 * per_replica))
[ "$total" = "$expected" ] || fail "expected $expected messages, found $total"
[ "$distinct" = "$expected" ] || fail "expected $expected distinct messages, found $distinct"
migrations=$(psql_q "SELECT string_agg(plugin || ':' || version, ',' ORDER BY version) FROM portico_migrations")
[ "$migrations" = "contact:1,contact:2" ] || fail "migrations recorded: $migrations"
listed=$(DATABASE_URL="$DATABASE_URL" "$portico" contact list --config "$work/portico.json" | tail -1)
[ "$listed" = "$expected messages" ] || fail "portico contact list says: $listed"

# PostgreSQL goes away: the visitor gets 503 with Retry-After and the form, never a 303.
runuser -u nobody -- "$pgbin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null
token=$(curl -fsS "http://127.0.0.1:${ports[0]}/en/contact/" | grep -o 'name="token" value="[^"]*"' |
  sed 's/.*value="//; s/"$//')
answer=$(curl -sS -D - -o "$work/down.html" -H 'Content-Type: application/x-www-form-urlencoded' \
  --data "name=down&email=a%40example.com&message=hi&consent=yes&token=$token" \
  "http://127.0.0.1:${ports[0]}/en/contact/")
grep -q '^HTTP/1.1 503' <<<"$answer" || fail "with PostgreSQL down: $(head -1 <<<"$answer")"
grep -qi '^retry-after: 30' <<<"$answer" || fail "no Retry-After with PostgreSQL down"
grep -q 'value="down"' "$work/down.html" || fail "the 503 page lost the visitor's input"
echo "ok: 2 replicas on one PostgreSQL, $expected messages stored once each, migrations $migrations; 503 while PostgreSQL is down"

#!/usr/bin/env bash
# compose.yaml, statically: accepted with every profile by docker-compose (Debian's 1.29) and by
# the compose plugin where present; a missing required variable names itself; no service but
# the opt-in watchtower mounts the Docker socket; Traefik routes from deploy/traefik/dynamic.yml
# (valid YAML, to web); web is hardened and trusts only the proxy network (compose_static.py).
#
# Then two runs against stand-ins built from Debian packages (PostgreSQL, Redis, and nginx for
# Traefik), expecting the image from image_test.sh ($PORTICO_IMAGE):
# - SQLite + backup: `portico backup` writes a snapshot into the backups volume, it restores into
#   a fresh volume that holds the message sent before, and a failed backup is loud (exit status,
#   a JSON line at level error, the service unhealthy).
# - scale + backup: nginx in front of two web replicas with PostgreSQL and Redis. web runs
#   read-only without capabilities; its admin listener answers on the admin network only; Redis
#   refuses a PING without the password; backup-postgres dumps PostgreSQL, the dump restores into
#   a fresh database that holds a message sent before, and a failed dump is loud. Last, two client
#   containers with their own addresses get independent rate limits through the proxy, and the
#   stored contact message carries the hash of its sender's address, not the proxy's (this part
#   needs the host's server.trusted_proxies).
set -euo pipefail
# shellcheck source=tests/docker/lib.sh
source "$(dirname "$0")/lib.sh"

ensure_dockerd || fail "no Docker engine (run as root with dockerd installed)"
composers=()
if command -v docker-compose >/dev/null; then composers+=(docker-compose); fi
if dk compose version >/dev/null 2>&1; then composers+=("$docker_bin compose"); fi
((${#composers[@]})) || fail "neither docker-compose nor the docker compose plugin is installed"
py=$(yaml_python)

work=$(mktemp -d /tmp/portico-compose-test.XXXXXX)
on_exit "rm -rf '$work'"
cp "$repo_root/.env.example" "$work/env"
profiles=(--profile scale --profile backup --profile monitoring --profile watchtower)
services=(traefik web postgres redis backup backup-postgres restic prometheus watchtower)

for c in "${composers[@]}"; do
  # shellcheck disable=SC2086
  $c -f "$repo_root/compose.yaml" --env-file "$work/env" "${profiles[@]}" config >"$work/config.yaml" ||
    fail "$c config rejects compose.yaml"
  for svc in "${services[@]}"; do
    grep -qE "^  $svc:" "$work/config.yaml" || fail "$c config: service $svc missing"
  done
  [ "$(grep -c 'max-size: 10m' "$work/config.yaml")" -eq ${#services[@]} ] ||
    fail "$c config: not every service rotates its logs"
  for var in SITE_DOMAIN ACME_EMAIL; do
    grep -v "^$var=" "$work/env" >"$work/env.missing"
    # shellcheck disable=SC2086
    if out=$(env -u "$var" $c -f "$repo_root/compose.yaml" --env-file "$work/env.missing" config 2>&1); then
      fail "$c config accepts a missing $var"
    fi
    grep -q "$var is required" <<<"$out" || fail "$c config: the error does not name $var: $out"
  done
  pass "$c config accepts compose.yaml with every profile; a missing SITE_DOMAIN or ACME_EMAIL is named"
  "$py" "$(dirname "$0")/compose_static.py" "$work/config.yaml" "$repo_root/deploy/traefik/dynamic.yml" >&2 ||
    fail "$c config: the static checks above failed"
  pass "$c config: only watchtower (opt-in) mounts docker.sock; Traefik routes from dynamic.yml to web; web hardened"
done

# --- the stand-ins ---------------------------------------------------------------------------
dk image inspect "$image" >/dev/null 2>&1 || fail "image $image missing: run image_test.sh first"
log "building the PostgreSQL, Redis and reverse proxy stand-ins"
dk build --network host -q -t postgres:15 "$(dirname "$0")/standins/postgres" >/dev/null
dk build --network host -q -t redis:7 "$(dirname "$0")/standins/redis" >/dev/null
proxy_image=portico-test/proxy-standin
dk build --network host -q -t "$proxy_image" "$(dirname "$0")/standins/proxy" >/dev/null

c=${composers[0]}
run_profiles=(--profile backup)
# PORTICO_IMAGE of this script is name:tag; compose's (from env.run) is the name alone.
run_compose() {
  # shellcheck disable=SC2086
  env -u PORTICO_IMAGE -u PORTICO_TAG $c -p "$project" --project-directory "$repo_root" -f "$repo_root/compose.yaml" \
    -f "$work/override.yaml" --env-file "$work/env.run" "${run_profiles[@]}" "$@"
}
secret=compose-test-secret-0123456789

# --- SQLite: backup and restore -------------------------------------------------------------------
t0=$SECONDS
project=porticocts$$
cat >"$work/env.run" <<ENV
SITE_DOMAIN=example.test
ACME_EMAIL=ops@example.test
PORTICO_IMAGE=${image%%:*}
PORTICO_TAG=${image##*:}
CONTACT_SECRET=$secret
BACKUP_INTERVAL_SECONDS=3600
ENV
cat >"$work/override.yaml" <<'YAML'
services:
  web:
    ports: ["127.0.0.1::8080"]
    healthcheck:
      interval: 2s
      start_period: 60s
  backup:
    healthcheck:
      interval: 1s
      start_period: 0s
YAML
on_exit "run_compose down -v --remove-orphans -t 5"
run_compose up -d --no-build web >"$work/up.log" 2>&1 || { cat "$work/up.log" >&2; fail "compose up of web failed"; }
web=$(run_compose ps -q web)
wait_healthy "$web" 120 >/dev/null
port=$(published_port "$web" 8080)
form=$(curl -fsS -c "$work/jar" "http://127.0.0.1:$port/en/contact/") || fail "GET /en/contact/ failed"
token=$(sed -n 's/.*name="token" value="\([^"]*\)".*/\1/p' <<<"$form" | head -1)
subject="sqlite compose test $$"
sleep 4
status=$(curl -sS -o /dev/null -w '%{http_code}' -b "$work/jar" \
  --data-urlencode "name=Compose Test" --data-urlencode "email=ct@example.test" \
  --data-urlencode "message=$subject" --data-urlencode "consent=yes" \
  --data-urlencode "website=" --data-urlencode "token=$token" "http://127.0.0.1:$port/en/contact/")
[ "$status" = 303 ] || fail "POST /en/contact/ answered $status, not 303"
run_compose up -d --no-build backup >>"$work/up.log" 2>&1 || { cat "$work/up.log" >&2; fail "compose up of backup failed"; }
backup=$(run_compose ps -q backup)
wait_healthy "$backup" 60 >/dev/null
snapshot=$(dk exec "$backup" sh -c 'ls /backups/portico-*.db' | tail -1)
[ -n "$snapshot" ] || fail "the backup service wrote no snapshot into the backups volume"
fresh=${project}_restored
on_exit "dk volume rm -f $fresh"
dk run --rm -v "$fresh:/srv/portico/data" -v "${project}_backups:/backups:ro" "$image" restore "$snapshot" >/dev/null ||
  fail "portico restore of $snapshot into a fresh volume failed"
dk run --rm -v "$fresh:/srv/portico/data" "$image" contact list | grep -F -- "$subject" >/dev/null ||
  fail "the data restored from $snapshot lacks the message"
pass "the backup service snapshots SQLite into the backups volume; it restores into a fresh volume with the message"

set +e
out=$(dk exec -e BACKUP_DIR=/proc/portico-no-such-dir "$backup" portico-backup-job once 2>&1)
rc=$?
set -e
[ "$rc" != 0 ] || fail "a failed SQLite backup exited 0"
grep -q '"level":"error"' <<<"$out" || fail "a failed SQLite backup logged no error line: $out"
for _ in $(seq 1 30); do
  [ "$(dk inspect -f '{{.State.Health.Status}}' "$backup")" = unhealthy ] && break
  sleep 1
done
[ "$(dk inspect -f '{{.State.Health.Status}}' "$backup")" = unhealthy ] ||
  fail "the backup service is not unhealthy after a failed backup"
pass "a failed SQLite backup exits $rc, logs at level error and turns the service unhealthy"
log "SQLite + backup run: $((SECONDS - t0)) s"
run_compose down -v --remove-orphans -t 5 >/dev/null 2>&1

# --- scale + backup: the proxy stand-in, two replicas, PostgreSQL, Redis ------------------------
run_profiles=(--profile scale --profile backup)
project=porticoct$$
password=ct-$$-secret
redis_password=ct$$redis0123456789abcdef
clients_subnet=10.213.7.0/24
# shellcheck disable=SC2034 # read as ${!ip_var}
client_a=10.213.7.10
client_b=10.213.7.11
cat >"$work/env.run" <<ENV
SITE_DOMAIN=example.test
ACME_EMAIL=ops@example.test
PORTICO_IMAGE=${image%%:*}
PORTICO_TAG=${image##*:}
WEB_REPLICAS=2
POSTGRES_PASSWORD=$password
DATABASE_URL=postgresql://portico:$password@postgres:5432/portico
REDIS_PASSWORD=$redis_password
REDIS_URL=redis://:$redis_password@redis:6379/0
RATELIMIT_BACKEND=redis
CONTACT_SECRET=$secret
HTTP_BIND=127.0.0.1
HTTP_PORT=$(free_port)
HTTPS_PORT=$(free_port)
BACKUP_INTERVAL_SECONDS=3600
ENV
# nginx stands in for Traefik; the clients network holds the test's client containers (each
# with its own address, outside every subnet web trusts). Health is probed every second.
cat >"$work/override.yaml" <<YAML
services:
  traefik:
    image: $proxy_image
    entrypoint: ["nginx"]
    command: ["-g", "daemon off;"]
    networks: [proxy, clients]
    healthcheck:
      test: ["CMD", "curl", "-fsS", "http://127.0.0.1/proxy-health"]
      interval: 1s
  web:
    healthcheck:
      interval: 2s
      start_period: 60s
  backup:
    healthcheck:
      interval: 1s
      start_period: 0s
  backup-postgres:
    healthcheck:
      interval: 1s
      start_period: 0s
networks:
  clients:
    ipam:
      config: [{subnet: "$clients_subnet"}]
YAML
on_exit "run_compose down -v --remove-orphans -t 5"
t0=$SECONDS
# The data services first: a replica that starts before PostgreSQL accepts connections exits
# (its restart policy brings it back, but a test that counts health must not race that).
run_compose up -d --no-build postgres redis >"$work/up.log" 2>&1 ||
  { cat "$work/up.log" >&2; fail "compose up of postgres and redis failed"; }
for svc in postgres redis; do wait_healthy "$(run_compose ps -q "$svc")" 120 >/dev/null; done
run_compose up -d --no-build --scale web=2 postgres redis web traefik >>"$work/up.log" 2>&1 ||
  { cat "$work/up.log" >&2; fail "compose up failed"; }
mapfile -t webs < <(run_compose ps -q web)
((${#webs[@]} == 2)) || fail "expected 2 web replicas, got ${#webs[@]}"
for id in "${webs[@]}"; do wait_healthy "$id" 120 >/dev/null; done
proxy=$(run_compose ps -q traefik)
wait_healthy "$proxy" 60 >/dev/null
log "compose up to healthy (proxy, 2 replicas, PostgreSQL, Redis): $((SECONDS - t0)) s"
pass "two web replicas healthy behind the proxy stand-in"

# --- web: read-only, no capabilities, limits --------------------------------------------------
for id in "${webs[@]}"; do
  settings=$(dk inspect -f '{{.HostConfig.ReadonlyRootfs}} {{.HostConfig.CapDrop}} {{.HostConfig.SecurityOpt}} {{.HostConfig.Memory}} {{.HostConfig.PidsLimit}} {{.Config.User}}' "$id")
  read -r ro caps sec mem pids _ <<<"$settings"
  [ "$ro" = true ] || fail "web $id: root file system writable ($settings)"
  [ "$caps" = "[ALL]" ] || fail "web $id: capabilities not all dropped ($settings)"
  grep -q 'no-new-privileges:true' <<<"$sec" || fail "web $id: no no-new-privileges ($settings)"
  ((mem > 0 && pids > 0)) || fail "web $id: no memory or pids limit ($settings)"
  [ "$(dk exec "$id" cat /proc/1/status | awk '/^CapEff/ {print $2}')" = 0000000000000000 ] ||
    fail "web $id: the server has effective capabilities"
  if dk exec "$id" sh -c 'echo x > /srv/portico/probe' 2>/dev/null; then fail "web $id: wrote outside its volumes"; fi
done
pass "web runs with a read-only root, no capabilities, no-new-privileges, memory and pids limits"

# --- the admin listener: on the admin network only --------------------------------------------
metrics=$(dk run --rm --network "${project}_admin" "$proxy_image" curl -fsS --max-time 5 http://web:9100/metrics) ||
  fail "the admin listener does not answer /metrics on the admin network"
grep -q '^# TYPE' <<<"$metrics" || fail "/metrics on the admin network is not Prometheus text"
if dk exec "$proxy" curl -fsS --max-time 5 -o /dev/null http://web:9100/metrics 2>/dev/null; then
  fail "the admin listener answers on the proxy network (Traefik's)"
fi
pass "the admin listener answers on the admin network, not on Traefik's"

# --- Redis requires its password ---------------------------------------------------------------
redis_id=$(run_compose ps -q redis)
out=$(dk exec "$redis_id" redis-cli ping 2>&1 || true)
grep -q NOAUTH <<<"$out" || fail "redis answered an unauthenticated PING: $out"
[ "$(dk exec -e REDISCLI_AUTH="$redis_password" "$redis_id" redis-cli ping)" = PONG ] ||
  fail "redis refuses its password"
pass "redis refuses an unauthenticated PING (NOAUTH) and answers with the password"

# --- clients of the proxy: containers with their own addresses ---------------------------------
for who in a b; do
  ip_var=client_$who
  on_exit "dk rm -f ${project}-client-$who"
  dk run -d --name "${project}-client-$who" --network "${project}_clients" --ip "${!ip_var}" \
    "$proxy_image" sleep 600 >/dev/null
done
as_client() { local who=$1; shift; dk exec "${project}-client-$who" "$@"; }
body=$(as_client a curl -fsS --max-time 10 http://traefik/en/) || fail "GET /en/ through the proxy failed"
grep -qi '<html' <<<"$body" || fail "the proxy did not serve the site"
pass "the site is served through the proxy stand-in"

# Sends a contact message as client $1 through the proxy; prints the HTTP status.
send_message() {
  local who=$1 subject=$2 form token
  form=$(as_client "$who" curl -fsS --max-time 10 -c /tmp/jar http://traefik/en/contact/) ||
    fail "client $who: GET /en/contact/ failed"
  token=$(sed -n 's/.*name="token" value="\([^"]*\)".*/\1/p' <<<"$form" | head -1)
  [ -n "$token" ] || fail "no form token on /en/contact/"
  sleep 4  # the form refuses answers sent faster than min_fill_seconds (3 s by default)
  as_client "$who" curl -sS -o /dev/null -w '%{http_code}' --max-time 10 -b /tmp/jar \
    --data-urlencode "name=Compose Test" --data-urlencode "email=ct@example.test" \
    --data-urlencode "message=$subject" --data-urlencode "consent=yes" \
    --data-urlencode "website=" --data-urlencode "token=$token" http://traefik/en/contact/
}
backup_subject="compose backup test $$"
status=$(send_message b "$backup_subject")
[ "$status" = 303 ] || fail "POST /en/contact/ through the proxy answered $status, not 303"
for id in "${webs[@]}"; do
  dk exec "$id" portico contact list | grep -F -- "$backup_subject" >/dev/null ||
    fail "replica $id does not see the message in PostgreSQL"
done
pass "a contact message sent through the proxy is stored in PostgreSQL and read by both replicas"

# --- backups of PostgreSQL ----------------------------------------------------------------------
postgres_id=$(run_compose ps -q postgres)
run_compose up -d --no-build backup backup-postgres >>"$work/up.log" 2>&1 ||
  { cat "$work/up.log" >&2; fail "compose up of the backup services failed"; }
backup_pg=$(run_compose ps -q backup-postgres)
wait_healthy "$backup_pg" 120 >/dev/null
wait_healthy "$(run_compose ps -q backup)" 60 >/dev/null
dk logs "$(run_compose ps -q backup)" 2>&1 | grep -F 'nothing to back up here' >/dev/null ||
  fail "the SQLite backup service does not say that it idles with DATABASE_URL set"
dump=$(dk exec "$backup_pg" sh -c 'ls /backups/postgres-*.dump' | tail -1)
[ -n "$dump" ] || fail "backup-postgres wrote no dump"
dk exec "$postgres_id" createdb -U portico restored
dk exec "$backup_pg" pg_restore --no-owner \
  --dbname="postgresql://portico:$password@postgres:5432/restored" "$dump" ||
  fail "the dump does not restore into a fresh database"
dk run --rm --network "${project}_data" \
  -e DATABASE_URL="postgresql://portico:$password@postgres:5432/restored" "$image" contact list |
  grep -F -- "$backup_subject" >/dev/null || fail "the database restored from $dump lacks the message"
pass "backup-postgres dumps PostgreSQL; the dump restores into a fresh database with the message"

set +e
out=$(dk exec -e DATABASE_URL="postgresql://portico:wrong@postgres:5432/portico" "$backup_pg" \
  portico-backup-job once 2>&1)
rc=$?
set -e
[ "$rc" != 0 ] || fail "a failed PostgreSQL backup exited 0"
grep -q '"level":"error"' <<<"$out" || fail "a failed PostgreSQL backup logged no error line: $out"
if dk exec "$backup_pg" portico-backup-job health >/dev/null; then fail "health is ok after a failed backup"; fi
for _ in $(seq 1 30); do
  [ "$(dk inspect -f '{{.State.Health.Status}}' "$backup_pg")" = unhealthy ] && break
  sleep 1
done
[ "$(dk inspect -f '{{.State.Health.Status}}' "$backup_pg")" = unhealthy ] ||
  fail "backup-postgres is not unhealthy after a failed backup"
dk exec "$backup_pg" portico-backup-job once 2>/dev/null || fail "a backup after the failure failed"
dk exec "$backup_pg" portico-backup-job health >/dev/null || fail "health not ok again after a good backup"
pass "a failed PostgreSQL backup exits $rc, logs at level error and turns the service unhealthy"

# --- client addresses through the proxy (needs the host's server.trusted_proxies) ------------
# Client A posts until the forms policy (burst 5) answers 429, each time claiming another
# address in X-Forwarded-For (the proxy appends the real one, as Traefik does).
# shellcheck disable=SC2016 # expanded by the client container's shell
codes=$(as_client a sh -c 'for i in $(seq 1 12); do
  curl -s -o /dev/null -w "%{http_code} " --max-time 10 -H "X-Forwarded-For: 198.51.100.$i" \
    --data "name=x" http://traefik/en/contact/; done')
log "client A's 12 POSTs: $codes"
grep -q 429 <<<"$codes" || fail "client A was never limited (12 POSTs: $codes)"
[ "$(awk '{print $NF}' <<<"$codes")" = 429 ] || fail "client A escaped its limit with a forged X-Forwarded-For ($codes)"
# Client B, another address, is not limited by A's requests (asked at once: the bucket refills
# one request per 3 s), then sends a real message.
status=$(as_client b curl -s -o /dev/null -w '%{http_code}' --max-time 10 --data "name=x" http://traefik/en/contact/)
[ "$status" != 429 ] ||
  fail "client B's first POST answered 429 right after client A's burst: one bucket for everyone behind the proxy"
subject="compose test $$"
status=$(send_message b "$subject")
[ "$status" = 303 ] || fail "client B: POST /en/contact/ answered $status, not 303"
pass "two clients behind the proxy have independent rate limits (A: 429 after its burst, B: 303)"

stored=$(dk exec "$postgres_id" psql -U portico -d portico -Atc \
  "select client_hash from contact_messages where message = '$subject'")
expected=$(python3 -c 'import hmac, hashlib, sys
print(hmac.new(sys.argv[1].encode(), ("client-address:" + sys.argv[2]).encode(), hashlib.sha256).hexdigest()[:32])' \
  "$secret" "$client_b")
proxy_ip=$(dk inspect -f "{{(index .NetworkSettings.Networks \"${project}_proxy\").IPAddress}}" "$proxy")
[ "$stored" = "$expected" ] ||
  fail "the message's client hash is $stored, not the hash of client B's address $client_b ($expected; the proxy is $proxy_ip)"
pass "the stored message carries the hash of its sender's address ($client_b), not the proxy's"

# The client containers sit on the stack's clients network: without them first, `down` cannot
# remove that network and fails.
dk rm -f "${project}-client-a" "${project}-client-b" >/dev/null
run_compose down -v --remove-orphans -t 5 >/dev/null 2>&1
log "scale + backup run: $((SECONDS - t0)) s"

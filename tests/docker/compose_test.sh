#!/usr/bin/env bash
# compose.yaml: accepted with every profile by docker-compose (Debian's 1.29) and by the compose
# plugin where present; a missing required variable names itself; then `web` runs with the scale
# profile's PostgreSQL and Redis (stand-ins built from Debian packages) as two replicas, serves
# the site and stores a contact message (the shipped config enables contact) that the other
# replica reads back from PostgreSQL. Expects the image from image_test.sh ($PORTICO_IMAGE).
set -euo pipefail
# shellcheck source=tests/docker/lib.sh
source "$(dirname "$0")/lib.sh"

ensure_dockerd || fail "no Docker engine (run as root with dockerd installed)"
composers=()
if command -v docker-compose >/dev/null; then composers+=(docker-compose); fi
if dk compose version >/dev/null 2>&1; then composers+=("$docker_bin compose"); fi
((${#composers[@]})) || fail "neither docker-compose nor the docker compose plugin is installed"

work=$(mktemp -d /tmp/portico-compose-test.XXXXXX)
on_exit "rm -rf '$work'"
cp "$repo_root/.env.example" "$work/env"
profiles=(--profile scale --profile backup --profile monitoring --profile watchtower)

for c in "${composers[@]}"; do
  # shellcheck disable=SC2086
  $c -f "$repo_root/compose.yaml" --env-file "$work/env" "${profiles[@]}" config >"$work/config.yaml" ||
    fail "$c config rejects compose.yaml"
  for svc in traefik web postgres redis backup restic prometheus watchtower; do
    grep -qE "^  $svc:" "$work/config.yaml" || fail "$c config: service $svc missing"
  done
  [ "$(grep -c 'max-size: 10m' "$work/config.yaml")" -eq 8 ] || fail "$c config: not every service rotates its logs"
  for var in SITE_DOMAIN ACME_EMAIL; do
    grep -v "^$var=" "$work/env" >"$work/env.missing"
    # shellcheck disable=SC2086
    if out=$(env -u "$var" $c -f "$repo_root/compose.yaml" --env-file "$work/env.missing" config 2>&1); then
      fail "$c config accepts a missing $var"
    fi
    grep -q "$var is required" <<<"$out" || fail "$c config: the error does not name $var: $out"
  done
  pass "$c config accepts compose.yaml with every profile; a missing SITE_DOMAIN or ACME_EMAIL is named"
done

# --- a run of web with the scale profile -----------------------------------------------------
dk image inspect "$image" >/dev/null 2>&1 || fail "image $image missing: run image_test.sh first"
log "building the PostgreSQL and Redis stand-ins"
dk build --network host -q -t postgres:15 "$(dirname "$0")/standins/postgres" >/dev/null
dk build --network host -q -t redis:7 "$(dirname "$0")/standins/redis" >/dev/null

project=porticoct$$
password=ct-$$-secret
cat >"$work/env.run" <<ENV
SITE_DOMAIN=example.test
ACME_EMAIL=ops@example.test
PORTICO_IMAGE=${image%%:*}
PORTICO_TAG=${image##*:}
WEB_REPLICAS=2
POSTGRES_PASSWORD=$password
DATABASE_URL=postgresql://portico:$password@postgres:5432/portico
REDIS_URL=redis://redis:6379
RATELIMIT_BACKEND=redis
CONTACT_SECRET=compose-test-secret-0123456789
ENV
# The test reaches the replicas through ports on 127.0.0.1 (Traefik cannot run here).
cat >"$work/override.yaml" <<'YAML'
services:
  web:
    ports: ["127.0.0.1::8080"]
    healthcheck:
      interval: 2s
      start_period: 60s
YAML
c=${composers[0]}
run_compose() {
  # shellcheck disable=SC2086
  $c -p "$project" --project-directory "$repo_root" -f "$repo_root/compose.yaml" \
    -f "$work/override.yaml" --env-file "$work/env.run" --profile scale "$@"
}
on_exit "run_compose down -v --remove-orphans -t 5"
t0=$SECONDS
# The data services first: a replica that starts before PostgreSQL accepts connections exits
# (its restart policy brings it back, but a test that counts health must not race that).
run_compose up -d --no-build postgres redis >"$work/up.log" 2>&1 ||
  { cat "$work/up.log" >&2; fail "compose up of postgres and redis failed"; }
for svc in postgres redis; do wait_healthy "$(run_compose ps -q "$svc")" 120 >/dev/null; done
run_compose up -d --no-build --scale web=2 postgres redis web >>"$work/up.log" 2>&1 ||
  { cat "$work/up.log" >&2; fail "compose up failed"; }
mapfile -t webs < <(run_compose ps -q web)
((${#webs[@]} == 2)) || fail "expected 2 web replicas, got ${#webs[@]}"
for id in "${webs[@]}"; do wait_healthy "$id" 120 >/dev/null; done
log "compose up to healthy (2 replicas, PostgreSQL, Redis): $((SECONDS - t0)) s"
pass "two web replicas healthy"

ports=()
for id in "${webs[@]}"; do
  p=$(published_port "$id" 8080)
  ports+=("$p")
  http_get "$p" / | grep -qi '<html' || fail "replica $id does not serve the site"
done
pass "both replicas serve the site"

dk exec "${webs[0]}" portico plugins | grep -qE '^contact +[^ ]+ +[^ ]+ +yes' ||
  fail "the contact plugin is not enabled in the image's config/portico.json"
form=$(curl -fsS -c "$work/jar" "http://127.0.0.1:${ports[0]}/en/contact/") || fail "GET /en/contact/ failed"
token=$(sed -n 's/.*name="token" value="\([^"]*\)".*/\1/p' <<<"$form" | head -1)
[ -n "$token" ] || fail "no form token on /en/contact/"
subject="compose test $$"
sleep 4  # the form refuses answers sent faster than min_fill_seconds (3 s by default)
status=$(curl -sS -o /dev/null -w '%{http_code}' -b "$work/jar" \
  --data-urlencode "name=Compose Test" --data-urlencode "email=ct@example.test" \
  --data-urlencode "message=$subject" --data-urlencode "consent=yes" \
  --data-urlencode "website=" --data-urlencode "token=$token" \
  "http://127.0.0.1:${ports[0]}/en/contact/")
[ "$status" = 303 ] || fail "POST /en/contact/ answered $status, not 303"
dk exec "${webs[1]}" portico contact list | grep -q "$subject" ||
  fail "the other replica does not see the message in PostgreSQL"
dk exec "$(run_compose ps -q postgres)" psql -U portico -d portico -Atc 'select 1' >/dev/null ||
  fail "PostgreSQL stand-in not usable"
pass "a contact message sent to one replica is stored in PostgreSQL and read by the other"

#!/usr/bin/env bash
# Deploys that visitors do not notice: the real deploy/deploy.sh, reached the way CI reaches the
# VM (Debian's sshd on loopback, a known_hosts file, the deploy key restricted to
# deploy/ssh-command.sh), drives compose.yaml on this engine while steady_load.py sends requests
# through the reverse proxy stand-in (nginx for Traefik, tests/docker/standins/proxy).
#
#   1. `deploy v1` on an empty machine starts the stack (proxy + web).
#   2. `deploy v2` under load: v2 starts beside v1, turns healthy, v1 drains and stops;
#      0 failed requests, exit 0, only v2 runs.
#   3. `deploy broken` (v2 with a config path that does not exist: it exits at start) and
#      `deploy unready` (v2 whose HEALTHCHECK always fails) under load: exit 1, a message naming
#      the tag, the reason and the rollback; 0 failed requests; the v2 container never stopped;
#      PORTICO_TAG is v2 again; no container of the bad tag is left.
#   4. A client whose known_hosts lacks the server's key is refused before any command runs.
#
# The tags are the image of image_test.sh ($PORTICO_IMAGE) under another name, and two-line
# Dockerfiles FROM it. Prints the request counts and how long each deploy took.
set -euo pipefail
# shellcheck source=tests/docker/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/support/sshd.sh
source "$(dirname "$0")/../support/sshd.sh"

ensure_dockerd || fail "no Docker engine (run as root with dockerd installed)"
[ "$(id -u)" -eq 0 ] || fail "needs root (it starts sshd)"
[ -x /usr/sbin/sshd ] || fail "needs /usr/sbin/sshd (scripts/setup.sh installs openssh-server)"
dk image inspect "$image" >/dev/null 2>&1 || fail "image $image missing: run image_test.sh first"
t_all=$SECONDS

work=$(mktemp -d /tmp/portico-deploy-test.XXXXXX)
on_exit "rm -rf '$work'"
project=porticodt$$
name=portico-deploytest
proxy_image=portico-test/proxy-standin
dk build --network host -q -t "$proxy_image" "$(dirname "$0")/standins/proxy" >/dev/null

# --- the tags ------------------------------------------------------------------------------------
# Builds image $1 from the Dockerfile lines on stdin.
build_tag() { dk build --network host -q -t "$1" - >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; fail "cannot build $1"; }; }
dk tag "$image" "$name:v1"
printf 'FROM %s\nLABEL org.opencontainers.image.version=v2\n' "$image" | build_tag "$name:v2"
# Exits at start: the config it is told to read does not exist.
printf 'FROM %s:v2\nENV PORTICO_CONFIG=/srv/portico/config/missing.json\n' "$name" | build_tag "$name:broken"
# Serves, but its health check never passes.
printf 'FROM %s:v2\nHEALTHCHECK --interval=1s --timeout=2s --retries=3 CMD ["false"]\n' "$name" |
  build_tag "$name:unready"
on_exit "dk rmi $name:v1 $name:v2 $name:broken $name:unready"

# --- the VM's checkout: a clone of a bare origin, .env beside it ---------------------------------
git() { command git -c user.name=test -c user.email=test@example.test -c init.defaultBranch=main "$@"; }
git init -q --bare "$work/origin.git"
git clone -q "$work/origin.git" "$work/seed" 2>/dev/null
mkdir -p "$work/seed/deploy/traefik"
cp "$repo_root/compose.yaml" "$work/seed/"
cp "$repo_root/deploy/deploy.sh" "$work/seed/deploy/"
cp "$repo_root/deploy/traefik/dynamic.yml" "$work/seed/deploy/traefik/"
# nginx stands in for Traefik; web's health is probed every second here (10 s in compose.yaml).
cat >"$work/seed/compose.test.yaml" <<YAML
services:
  traefik:
    image: $proxy_image
    entrypoint: ["nginx"]
    command: ["-g", "daemon off;"]
    healthcheck:
      test: ["CMD", "curl", "-fsS", "http://127.0.0.1/proxy-health"]
      interval: 1s
  web:
    healthcheck:
      interval: 1s
      start_period: 20s
YAML
printf '.env\n.deploy/\n' >"$work/seed/.gitignore"
git -C "$work/seed" add -A && git -C "$work/seed" commit -qm seed && git -C "$work/seed" push -q origin HEAD
git clone -q "$work/origin.git" "$work/checkout"
http_port=$(free_port)
cat >"$work/checkout/.env" <<ENV
COMPOSE_PROJECT_NAME=$project
COMPOSE_FILE=compose.yaml:compose.test.yaml
SITE_DOMAIN=example.test
ACME_EMAIL=ops@example.test
PORTICO_IMAGE=$name
CONTACT_SECRET=deploy-test-secret-0123456789
HTTP_BIND=127.0.0.1
HTTP_PORT=$http_port
HTTPS_PORT=$(free_port)
PROXY_SUBNET=10.231.10.0/24
DATA_SUBNET=10.231.11.0/24
ADMIN_SUBNET=10.231.12.0/24
MONITORING_SUBNET=10.231.13.0/24
ENV
chmod 600 "$work/checkout/.env"
if command -v docker-compose >/dev/null; then compose=(docker-compose); else compose=("$docker_bin" compose); fi
on_exit "cd '$work/checkout' && ${compose[*]} down -v --remove-orphans -t 5"

# --- sshd on loopback: the deploy key runs only the forced command -------------------------------
mkdir "$work/bin"
install -m 755 "$repo_root/deploy/ssh-command.sh" "$work/bin/portico-ssh-command"
sshd_keys "$work"
forced="PORTICO_DEPLOY_REPO=$work/checkout PATH=$(dirname "$(command -v "$docker_bin")"):/usr/bin:/bin $work/bin/portico-ssh-command"
printf 'restrict,command="%s" %s\n' "$forced" "$(cat "$work/client_key.pub")" >"$work/authorized_keys"
sshd_start "$work" || fail "sshd did not start"
on_exit "kill $sshd_pid"
ci() { sshd_client "$work" "$@" </dev/null; }

# --- helpers -------------------------------------------------------------------------------------
running_web() {
  dk ps -q --no-trunc --filter "label=com.docker.compose.project=$project" \
    --filter "label=com.docker.compose.service=web"
}
image_of() { dk inspect -f '{{.Config.Image}}' "$1"; }
current_tag() { sed -n 's/^PORTICO_TAG=//p' "$work/checkout/.env"; }

load_pid=""
# shellcheck disable=SC2016 # expanded when the cleanup runs
on_exit 'if [ -n "$load_pid" ]; then kill $load_pid; fi'
figures=()

# --- 1. the first deploy starts the stack --------------------------------------------------------
t0=$SECONDS
out=$(ci "$work/known_hosts" 'deploy v1' 2>&1) || { printf '%s\n' "$out" >&2; fail "the first deploy (v1) failed"; }
printf '%s\n' "$out" | grep '^deploy:' | sed 's/^/    /' >&2
mapfile -t webs < <(running_web)
((${#webs[@]} == 1)) || fail "after deploy v1: ${#webs[@]} web containers run, not 1"
[ "$(image_of "${webs[0]}")" = "$name:v1" ] || fail "after deploy v1 the web container runs $(image_of "${webs[0]}")"
wait_healthy "$(cd "$work/checkout" && "${compose[@]}" ps -q traefik)" 60 >/dev/null
curl -fsS --max-time 10 -o /dev/null "http://127.0.0.1:$http_port/en/" || fail "the site is not served through the proxy"
pass "'deploy v1' over ssh starts the stack on an empty machine ($((SECONDS - t0)) s)"
v1=${webs[0]}

# --- 2. deploy v2 under load ---------------------------------------------------------------------
load_start
t0=$SECONDS
out=$(ci "$work/known_hosts" 'deploy v2' 2>&1) || { printf '%s\n' "$out" >&2; fail "deploy v2 failed"; }
took=$((SECONDS - t0))
load_check "deploy v1 -> v2 ($took s)"
printf '%s\n' "$out" | sed 's/^/    /' >&2
grep -q 'v2 serves' <<<"$out" || fail "deploy v2 did not say that v2 serves: $out"
mapfile -t webs < <(running_web)
((${#webs[@]} == 1)) || fail "after deploy v2: ${#webs[@]} web containers run, not 1"
[ "$(image_of "${webs[0]}")" = "$name:v2" ] || fail "after deploy v2 the web container runs $(image_of "${webs[0]}")"
if dk inspect "$v1" >/dev/null 2>&1; then fail "the v1 container was not removed"; fi
[ "$(current_tag)" = v2 ] || fail "PORTICO_TAG is $(current_tag) after deploy v2"
[ "$(cat "$work/checkout/.deploy/previous-tag")" = v1 ] || fail ".deploy/previous-tag is not v1"
pass "'deploy v2' under load: v2 serves, v1 drained and removed, no request failed ($took s)"
v2=${webs[0]}
v2_started=$(dk inspect -f '{{.State.StartedAt}} {{.RestartCount}}' "$v2")

# --- 3. bad tags are rolled back -----------------------------------------------------------------
for bad in broken unready; do
  case $bad in
    broken) reason='it exits at start' ;;
    unready) reason='its health check failed' ;;
  esac
  load_start
  t0=$SECONDS
  set +e
  out=$(ci "$work/known_hosts" "deploy $bad" 2>&1)
  rc=$?
  set -e
  took=$((SECONDS - t0))
  load_check "deploy v2 -> $bad, rolled back ($took s)"
  printf '%s\n' "$out" | grep '^deploy:' | sed 's/^/    /' >&2
  [ "$rc" = 1 ] || fail "deploy $bad exited $rc, not 1: $out"
  grep -q "FAILED: $bad: .*$reason" <<<"$out" || fail "deploy $bad: no message naming the tag and '$reason': $out"
  grep -q 'rolled back: v2 still serves' <<<"$out" || fail "deploy $bad: no message that v2 still serves: $out"
  mapfile -t webs < <(running_web)
  [ "${webs[*]}" = "$v2" ] || fail "after deploy $bad the web containers are ${webs[*]}, not the v2 one ($v2)"
  [ "$(dk inspect -f '{{.State.StartedAt}} {{.RestartCount}}' "$v2")" = "$v2_started" ] ||
    fail "the v2 container was restarted during the deploy of $bad"
  [ "$(current_tag)" = v2 ] || fail "PORTICO_TAG is $(current_tag) after the failed deploy of $bad"
  left=$(dk ps -aq --filter "ancestor=$name:$bad")
  [ -z "$left" ] || fail "containers of $bad are left: $left"
  curl -fsS --max-time 10 -o /dev/null "http://127.0.0.1:$http_port/en/" || fail "the site is not served after the rollback"
  pass "'deploy $bad' under load: exit 1, '$reason' named, rolled back, v2 never stopped, no request failed ($took s)"
done

# --- 4. an unknown host key is refused ------------------------------------------------------------
set +e
out=$(ci /dev/null 'deploy v1' 2>&1)
rc=$?
set -e
[ "$rc" = 255 ] || fail "a client without the server's host key was not refused (exit $rc): $out"
grep -qi 'host key verification failed' <<<"$out" || fail "no host key error: $out"
if [ "$(current_tag)" != v2 ] || [ "$(running_web)" != "$v2" ]; then
  fail "a command ran despite the unknown host key"
fi
pass "a client whose known_hosts lacks the server's key is refused; nothing is deployed"

(cd "$work/checkout" && "${compose[@]}" down -v --remove-orphans -t 5 >/dev/null 2>&1)
for f in "${figures[@]}"; do log "figure: $f"; done
log "deploy test: $((SECONDS - t_all)) s"

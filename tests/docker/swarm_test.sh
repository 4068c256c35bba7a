#!/usr/bin/env bash
# deploy/swarm/stack.yml on a one-node Docker Swarm of its own: a second dockerd started here
# (own data root, exec root, socket and bridge, no iptables), `docker swarm init`, the node
# labelled portico.edge and portico.data, the images moved in with `docker save | docker load`.
# nginx stands in for Traefik (tests/docker/standins/proxy, ports published in mode host as the
# stack has them), Debian's PostgreSQL and Redis for the official images; steady_load.py sends
# requests through it whenever something changes.
#
#   0. Without DATABASE_URL or REDIS_URL the stack is refused, with a message naming it.
#   1. `docker stack deploy` of v1: 2 web replicas healthy, read-only, without capabilities,
#      with their CPU, memory and pids limits; the site served through the proxy.
#   2. v1 -> v2 (the same image plus a LABEL layer) by deploying the stack again under load:
#      the rolling update completes, every task runs v2, 0 failed requests.
#   3. web scaled from 2 to 4 under load: `web` resolves to 4 addresses, each task answers.
#   4. v2 -> broken (v2 whose config path does not exist: it exits at start) and v2 -> unready
#      (v2 whose HEALTHCHECK always fails) under load: swarm rolls back by itself, 4 v2 tasks
#      serve afterwards (for broken: the very ones that served before), 0 failed requests.
#
# Expects the image of image_test.sh ($PORTICO_IMAGE). Prints how long each step took and the
# request counts. Everything it started (its dockerd by PID, the bridges, the data root) is
# removed on exit, also after a failure.
set -euo pipefail
# shellcheck source=tests/docker/lib.sh
source "$(dirname "$0")/lib.sh"

ensure_dockerd || fail "no Docker engine (run as root with dockerd installed)"
[ "$(id -u)" -eq 0 ] || fail "needs root (it starts a second dockerd)"
command -v ip >/dev/null || fail "needs ip (Debian: iproute2)"
dk image inspect "$image" >/dev/null 2>&1 || fail "image $image missing: run image_test.sh first"
# The swarm engine's gateway bridge has a fixed name: another swarm engine on this host (or one
# left over) would share it.
if ip link show docker_gwbridge >/dev/null 2>&1; then
  fail "docker_gwbridge exists already: another swarm engine runs here (or a stale one: ip link del docker_gwbridge)"
fi
t_all=$SECONDS

work=$(mktemp -d /var/tmp/portico-swarm-test.XXXXXX)
on_exit "rm -rf '$work'"
name=portico-swarmtest
stack=porticosw
proxy_image=portico-test/traefik-standin
pg_image=portico-test/postgres-standin
redis_image=portico-test/redis-standin

# --- the images, made on the main engine -----------------------------------------------------------
log "building the stand-ins and the tags"
dk build --network host -q -t portico-test/proxy-standin "$(dirname "$0")/standins/proxy" >/dev/null
# The stack's health check of Traefik is `traefik healthcheck --ping` (and a second compose file
# can only add to a test command, not replace it): here `traefik` asks nginx instead.
printf '%s\n' 'FROM portico-test/proxy-standin' \
  "RUN printf '#!/bin/sh\\nexec curl -fsS --max-time 2 -o /dev/null http://127.0.0.1/proxy-health\\n' >/usr/local/bin/traefik && chmod 755 /usr/local/bin/traefik" |
  dk build --network host -q -t "$proxy_image" - >/dev/null
dk build --network host -q -t "$pg_image" "$(dirname "$0")/standins/postgres" >/dev/null
dk build --network host -q -t "$redis_image" "$(dirname "$0")/standins/redis" >/dev/null
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

# --- the second engine ---------------------------------------------------------------------------
# Its own bridge (a second engine on docker0 would take the first one's; --bridge=none would
# delete docker0), its own address pools for docker_gwbridge (10.241/16) and the overlays
# (10.242/16), no iptables (host-mode ports go through docker-proxy, overlays need no NAT), and
# containerd namespaces of its own, should it find a system containerd that the first uses too.
bridge=pswbr$$
ip link add name "$bridge" type bridge
on_exit "ip link del '$bridge'"
ip addr add 10.243.0.1/24 dev "$bridge"
ip link set "$bridge" up
sock=$work/docker.sock
sdk() { "$docker_bin" -H "unix://$sock" "$@"; }
swarm_dockerd_pid=""
# The engine leaves docker_gwbridge behind (checked above that it did not exist before).
on_exit "ip link del docker_gwbridge"
# After the engine is gone, whatever it left mounted under the work folder (network namespaces).
# shellcheck disable=SC2016 # expanded when the cleanup runs
on_exit 'grep -o " $work/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l'
# shellcheck disable=SC2016 # expanded when the cleanup runs
on_exit 'if [ -n "$swarm_dockerd_pid" ]; then stop_swarm_dockerd; fi'
stop_swarm_dockerd() {
  kill "$swarm_dockerd_pid" 2>/dev/null || true
  local n=0
  while kill -0 "$swarm_dockerd_pid" 2>/dev/null && ((n++ < 60)); do sleep 0.5; done
  kill -9 "$swarm_dockerd_pid" 2>/dev/null || true
  swarm_dockerd_pid=""
}
t0=$SECONDS
dockerd --data-root "$work/root" --exec-root "$work/exec" --pidfile "$work/dockerd.pid" \
  -H "unix://$sock" --bridge "$bridge" --iptables=false --storage-driver=vfs \
  --default-address-pool base=10.241.0.0/16,size=24 \
  --containerd-namespace portico-swarmtest --containerd-plugins-namespace portico-swarmtest-plugins \
  >"$work/dockerd.log" 2>&1 &
swarm_dockerd_pid=$!
n=0
until sdk info >/dev/null 2>&1; do
  if ! kill -0 "$swarm_dockerd_pid" 2>/dev/null || ((n++ > 60)); then
    tail -20 "$work/dockerd.log" >&2
    fail "the second dockerd did not start"
  fi
  sleep 0.5
done
on_exit "sdk swarm leave --force"
sdk swarm init --advertise-addr 127.0.0.1 --default-addr-pool 10.242.0.0/16 >/dev/null ||
  fail "docker swarm init failed"
node=$(sdk node ls -q)
sdk node update --label-add portico.edge=true --label-add portico.data=true "$node" >/dev/null
log "second dockerd (pid $swarm_dockerd_pid) up, one-node swarm initialised: $((SECONDS - t0)) s"
t0=$SECONDS
dk save "$name:v1" "$name:v2" "$name:broken" "$name:unready" "$proxy_image" "$pg_image" "$redis_image" | sdk load -q >/dev/null ||
  fail "the images did not load into the swarm engine"
log "images moved into the swarm engine: $((SECONDS - t0)) s"

# --- the stack's environment and the stand-ins ---------------------------------------------------
http_port=$(free_port)
export SITE_DOMAIN=example.test ACME_EMAIL=ops@example.test
export PORTICO_IMAGE=$name PORTICO_TAG=v1 WEB_REPLICAS=2
export POSTGRES_PASSWORD=swarm-test-pg-0123456789 REDIS_PASSWORD=swarm-test-redis-0123456789
export DATABASE_URL=postgresql://portico:$POSTGRES_PASSWORD@postgres:5432/portico
export REDIS_URL=redis://:$REDIS_PASSWORD@redis:6379/0
export CONTACT_SECRET=swarm-test-secret-0123456789
export HTTP_PORT=$http_port HTTPS_PORT
HTTPS_PORT=$(free_port)
export PROXY_SUBNET=10.242.110.0/24 DATA_SUBNET=10.242.111.0/24 ADMIN_SUBNET=10.242.112.0/24
# nginx for Traefik; web's health is probed every second here (10 s in the image).
cat >"$work/test.yml" <<YAML
version: "3.9"
services:
  traefik:
    image: $proxy_image
    command: ["nginx", "-g", "daemon off;"]
    healthcheck:
      interval: 1s
  web:
    healthcheck:
      interval: 1s
      start_period: 20s
  postgres:
    image: $pg_image
    healthcheck:
      interval: 1s
  redis:
    image: $redis_image
    healthcheck:
      interval: 1s
YAML
stack_file=$repo_root/deploy/swarm/stack.yml
deploy_stack() { sdk stack deploy --resolve-image never -c "$stack_file" -c "$work/test.yml" "$stack"; }
on_exit "sdk stack rm $stack"

# --- helpers -------------------------------------------------------------------------------------
# The IDs of the running web containers, and the image each runs.
web_containers() { sdk ps -q --no-trunc --filter "label=com.docker.swarm.service.name=${stack}_web"; }
web_images() {
  local id
  for id in $(web_containers); do sdk inspect -f '{{.Config.Image}}' "$id"; done | sort | uniq -c | awk '{print $2 "x" $1}' | paste -sd' '
}
replicas() { sdk service ls --filter "name=${stack}_$1" --format '{{.Replicas}}'; }
# Waits up to $2 s until service $1 runs all its replicas (healthy, where it has a health check).
wait_replicas() {
  local svc=$1 limit=$2 t=$SECONDS r
  while :; do
    r=$(replicas "$svc")
    if [[ $r =~ ^([0-9]+)/([0-9]+)$ ]] && ((BASH_REMATCH[1] == BASH_REMATCH[2] && BASH_REMATCH[2] > 0)); then return 0; fi
    if ((SECONDS - t >= limit)); then
      sdk service ps --no-trunc "${stack}_$svc" >&2 || true
      fail "service $svc runs $r replicas after ${limit}s"
    fi
    sleep 1
  done
}
update_started() { sdk service inspect -f '{{if .UpdateStatus}}{{.UpdateStatus.StartedAt}}{{end}}' "${stack}_web"; }
# Waits up to $2 s for the update of web begun after $1 (an earlier StartedAt) to end; prints its
# final state (completed, rollback_completed, paused, rollback_paused) and message.
wait_update() {
  local before=$1 limit=$2 t=$SECONDS state
  while :; do
    if [ "$(update_started)" != "$before" ]; then
      state=$(sdk service inspect -f '{{.UpdateStatus.State}}|{{.UpdateStatus.Message}}' "${stack}_web")
      case ${state%%|*} in
        completed | rollback_completed | paused | rollback_paused) echo "$state"; return 0 ;;
      esac
    fi
    if ((SECONDS - t >= limit)); then
      sdk service ps --no-trunc "${stack}_web" >&2 || true
      fail "the update of web did not end within ${limit}s (state: ${state:-not started})"
    fi
    sleep 1
  done
}
proxy_container() { sdk ps -q --filter "label=com.docker.swarm.service.name=${stack}_traefik" | head -1; }

load_pid=""
# shellcheck disable=SC2016 # expanded when the cleanup runs
on_exit 'if [ -n "$load_pid" ]; then kill $load_pid; fi'
figures=()

# --- 0. the shared state is required -------------------------------------------------------------
for var in DATABASE_URL REDIS_URL; do
  if out=$(env -u "$var" "$docker_bin" -H "unix://$sock" stack deploy --resolve-image never \
    -c "$stack_file" -c "$work/test.yml" "$stack" 2>&1); then
    fail "the stack deployed without $var"
  fi
  grep -q "$var is required" <<<"$out" || fail "the refusal does not name $var: $out"
done
[ -z "$(sdk service ls -q)" ] || fail "a refused deploy created services: $(sdk service ls)"
pass "the stack is refused without DATABASE_URL or REDIS_URL, naming the variable; nothing deployed"

# --- 1. the first deploy -------------------------------------------------------------------------
t0=$SECONDS
deploy_stack >"$work/deploy.log" 2>&1 || { cat "$work/deploy.log" >&2; fail "docker stack deploy of v1 failed"; }
for svc in postgres redis web traefik; do wait_replicas "$svc" 180; done
until curl -fsS --max-time 5 -o /dev/null "http://127.0.0.1:$http_port/en/" 2>/dev/null; do
  ((SECONDS - t0 < 240)) || fail "the site is not served through the proxy on port $http_port"
  sleep 1
done
took=$((SECONDS - t0))
figures+=("first deploy (proxy, PostgreSQL, Redis, 2 web replicas healthy, site served): $took s")
[ "$(web_images)" = "$name:v1x2" ] || fail "after the first deploy web runs $(web_images), not 2 x v1"
for id in $(web_containers); do
  settings=$(sdk inspect -f '{{.HostConfig.ReadonlyRootfs}} {{.HostConfig.CapDrop}} {{.HostConfig.NanoCpus}} {{.HostConfig.Memory}} {{.HostConfig.PidsLimit}}' "$id")
  [ "$settings" = "true [ALL] 1000000000 536870912 256" ] ||
    fail "web $id: not read-only, capabilities, CPU, memory or pids not limited as the stack says ($settings)"
done
pass "the stack deploys ($took s): 2 web replicas healthy, read-only, no capabilities, 1 CPU, 512 MiB, 256 pids; the site served"

# --- 2. v1 -> v2 under load ----------------------------------------------------------------------
before=$(update_started)
v1_containers=$(web_containers | sort)
load_start
t0=$SECONDS
PORTICO_TAG=v2 deploy_stack >"$work/deploy.log" 2>&1 || { cat "$work/deploy.log" >&2; fail "docker stack deploy of v2 failed"; }
result=$(wait_update "$before" 300)
took=$((SECONDS - t0))
load_check "rolling update v1 -> v2 ($took s)"
[ "${result%%|*}" = completed ] || fail "the update to v2 ended $result"
[ "$(web_images)" = "$name:v2x2" ] || fail "after the update web runs $(web_images), not 2 x v2"
[ -z "$(comm -12 <(web_containers | sort) <(echo "$v1_containers"))" ] || fail "v1 containers still run"
pass "v1 -> v2 rolled out under load, start-first, one task at a time: every task runs v2, no request failed ($took s)"

# --- 3. scale 2 -> 4 ---------------------------------------------------------------------------
load_start
t0=$SECONDS
PORTICO_TAG=v2 WEB_REPLICAS=4 deploy_stack >"$work/deploy.log" 2>&1 || { cat "$work/deploy.log" >&2; fail "docker stack deploy with 4 replicas failed"; }
wait_replicas web 180
took=$((SECONDS - t0))
load_check "scale web 2 -> 4 ($took s)"
[ "$(web_images)" = "$name:v2x4" ] || fail "after scaling web runs $(web_images), not 4 x v2"
proxy=$(proxy_container)
mapfile -t addresses < <(for id in $(web_containers); do
  sdk inspect -f "{{(index .NetworkSettings.Networks \"${stack}_proxy\").IPAddress}}" "$id"
done | sort)
((${#addresses[@]} == 4)) || fail "4 web tasks should have an address on the proxy network: ${addresses[*]}"
resolved=$(sdk exec "$proxy" getent ahostsv4 web | awk '{print $1}' | sort -u | paste -sd' ')
[ "$resolved" = "${addresses[*]}" ] || fail "web resolves to $resolved, not to the 4 tasks (${addresses[*]})"
for a in "${addresses[@]}"; do
  sdk exec "$proxy" curl -fsS --max-time 5 -o /dev/null "http://$a:8080/en/" || fail "the web task at $a does not answer"
done
pass "web scaled from 2 to 4 under load ($took s): web resolves to the 4 tasks and each answers"

# --- 4. bad tags are rolled back ----------------------------------------------------------------
v2_containers=$(web_containers | sort)
for bad in broken unready; do
  before=$(update_started)
  load_start
  t0=$SECONDS
  PORTICO_TAG=$bad WEB_REPLICAS=4 deploy_stack >"$work/deploy.log" 2>&1 || { cat "$work/deploy.log" >&2; fail "docker stack deploy of $bad failed"; }
  result=$(wait_update "$before" 300)
  took=$((SECONDS - t0))
  load_check "v2 -> $bad, rolled back ($took s)"
  [ "${result%%|*}" = rollback_completed ] || fail "the update to $bad ended $result, not rolled back"
  reason=$(sdk service ps --no-trunc --format '{{.Image}}|{{.CurrentState}}|{{.Error}}' "${stack}_web" |
    sed -n "s/^$name:$bad|\([A-Za-z]*\)[^|]*|\(.*\)$/\1 \2/p" | sort -u | paste -sd';' | sed 's/;/; /g')
  log "swarm: ${result#*|}; the $bad tasks ended: $reason"
  for id in $(sdk ps -aq --filter "ancestor=$name:$bad"); do
    log "  $bad container $id: $(sdk inspect -f 'exit {{.State.ExitCode}}, health {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$id"), last log line: $(sdk logs --tail 1 "$id" 2>&1 | cut -c1-160)"
  done
  wait_replicas web 60
  [ "$(web_images)" = "$name:v2x4" ] || fail "after the rollback from $bad web runs $(web_images), not 4 x v2"
  # A task that exits at start fails, and the update stops there. A task that never turns
  # healthy is stopped by swarm after its third failed probe; Portico drains and exits 0 on that
  # SIGTERM, which the updater of Docker 20.10 may take for a started task: it then stops the
  # old task of that slot and goes on to the next slot before the failure rolls it all back
  # (docs/swarm.md). Visitors are served by the other replicas meanwhile (the load above).
  replaced=$(comm -23 <(echo "$v2_containers") <(web_containers | sort) | wc -l)
  if [ "$bad" = broken ] && ((replaced > 0)); then
    sdk service ps --no-trunc "${stack}_web" >&2
    fail "$replaced v2 containers were replaced during the rollback from $bad"
  fi
  figures+=("v2 -> $bad: $replaced of 4 v2 tasks replaced during the rollback")
  [ "$(sdk service inspect -f '{{.Spec.TaskTemplate.ContainerSpec.Image}}' "${stack}_web")" = "$name:v2" ] ||
    fail "web's spec does not name v2 after the rollback from $bad"
  [ -z "$(sdk ps -aq --filter "ancestor=$name:$bad" --filter status=running)" ] || fail "a $bad container still runs"
  curl -fsS --max-time 10 -o /dev/null "http://127.0.0.1:$http_port/en/" || fail "the site is not served after the rollback from $bad"
  pass "v2 -> $bad under load: rolled back by swarm, 4 v2 tasks serve, no request failed ($took s)"
  v2_containers=$(web_containers | sort)
done

sdk stack rm "$stack" >/dev/null
for f in "${figures[@]}"; do log "figure: $f"; done
log "swarm test: $((SECONDS - t_all)) s"

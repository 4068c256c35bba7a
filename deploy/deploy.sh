#!/usr/bin/env bash
# Runs on the VM from the repository folder: deploys image tag TAG of the web service without
# visitors noticing, or rolls back to the tag deployed before it.
#
#   deploy/deploy.sh TAG          start TAG beside the running web containers, wait for its
#                                 HEALTHCHECK (/readyz), then stop the old ones gracefully
#   deploy/deploy.sh --rollback   the same, to the tag that ran before the current one
#
# When the new containers are not healthy in time (DEPLOY_HEALTH_TIMEOUT, 120 s), keep
# restarting, or turn unhealthy, they are removed and PORTICO_TAG is set back: the old
# containers never stopped serving. Exit status 0: TAG serves; 1: it does not, and the message
# names the tag and why. The current tag is PORTICO_TAG in .env, the one before it is kept in
# .deploy/previous-tag. With no web container running (the first deploy) the stack is started.
#
# Works with the compose plugin (`docker compose`) and Debian 12's docker-compose 1.29: the new
# containers come from `up --no-deps --no-recreate --scale web=2N web`, which leaves the N
# running ones alone. Stopping an old one sends SIGTERM: portico closes its listener (new
# connections are refused, so the proxy dials another address of `web`), finishes the requests
# in flight (server.shutdown_timeout_ms, 8 s) and exits; DEPLOY_STOP_TIMEOUT (30 s) bounds it.
set -euo pipefail
cd "$(dirname "$0")/.."

state_dir=.deploy
health_timeout=${DEPLOY_HEALTH_TIMEOUT:-120}
stop_timeout=${DEPLOY_STOP_TIMEOUT:-30}
max_restarts=3
compose() { docker compose "$@"; }
if ! docker compose version >/dev/null 2>&1; then compose() { docker-compose "$@"; }; fi

say() { printf 'deploy: %s\n' "$*"; }
complain() { printf 'deploy: %s\n' "$*" >&2; }

[ -f .env ] || { complain ".env is missing; copy .env.example and fill it in"; exit 1; }
mkdir -p "$state_dir"
# One deploy at a time: a second one would count the first one's new containers as old.
exec 9>"$state_dir/lock"
flock -n 9 || { complain "another deploy is running (lock $state_dir/lock)"; exit 1; }

env_value() { sed -n "s/^$1=//p" .env | tail -1; }
current_tag() { env_value PORTICO_TAG; }
set_tag() {
  if grep -q '^PORTICO_TAG=' .env; then
    sed -i "s/^PORTICO_TAG=.*/PORTICO_TAG=$1/" .env
  else
    printf 'PORTICO_TAG=%s\n' "$1" >>.env
  fi
}

# "health restarts status exit-code" of container $1, e.g. "starting 0 running 0".
container_state() {
  docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{.RestartCount}} {{.State.Status}} {{.State.ExitCode}}' "$1" 2>/dev/null ||
    echo "gone 0 gone 0"
}

# Every web container of compose project $1, running or not.
web_containers() {
  docker ps -aq --no-trunc --filter "label=com.docker.compose.project=$1" \
    --filter "label=com.docker.compose.service=web"
}
running_web() { compose ps -q web 2>/dev/null | while read -r id; do
  [ "$(docker inspect -f '{{.State.Running}}' "$id" 2>/dev/null)" = true ] && docker inspect -f '{{.Id}}' "$id"
done; }

# Pulls TAG; a tag the registry does not have is fine when the image is here already.
pull() {
  local image
  image="$(env_value PORTICO_IMAGE)"
  image="${image:-portico}:$1"
  if compose pull -q web >/dev/null 2>&1; then return 0; fi
  if docker image inspect "$image" >/dev/null 2>&1; then
    say "could not pull $image; using the image already on this machine"
    return 0
  fi
  complain "cannot pull $image (see \`docker compose pull web\`)"
  return 1
}

# Waits until every container in $@ reports healthy. On failure, `why` says what was seen.
why=""
wait_healthy() {
  local t0=$SECONDS id health restarts status code ok seen
  while :; do
    ok=1
    for id in "$@"; do
      read -r health restarts status code <<<"$(container_state "$id")"
      seen="container $status, last exit code $code, restarted $restarts times"
      if ((restarts >= max_restarts)); then why="it exits at start ($seen)"; return 1; fi
      if [ "$health" = unhealthy ]; then
        if ((restarts > 0)); then why="it exits at start and its health check failed ($seen)"; return 1; fi
        why="its health check failed ($seen)"
        return 1
      fi
      if [ "$status" = exited ] || [ "$status" = dead ] || [ "$status" = gone ]; then
        why="it stopped ($seen)"
        return 1
      fi
      [ "$health" = healthy ] || ok=0
    done
    if ((ok)); then
      say "healthy after $((SECONDS - t0)) s"
      return 0
    fi
    if ((SECONDS - t0 >= health_timeout)); then
      why="it was not healthy within $health_timeout s (health $health, $seen)"
      return 1
    fi
    sleep 1
  done
}

# Stops containers gracefully (SIGTERM, drain) and removes them.
retire() {
  (($#)) || return 0
  docker stop -t "$stop_timeout" "$@" >/dev/null
  docker rm "$@" >/dev/null
}

# The first deploy (no web container runs): start the stack on TAG; on failure the old tag again.
first_start() {
  local tag=$1 old=$2
  set_tag "$tag"
  if pull "$tag" && compose up -d --remove-orphans && mapfile -t ids < <(running_web) &&
    ((${#ids[@]})) && wait_healthy "${ids[@]}"; then
    return 0
  fi
  complain "FAILED: $tag does not serve: ${why:-compose up failed}"
  compose logs --tail 50 web >&2 || true
  if [ -n "$old" ] && [ "$old" != "$tag" ]; then
    complain "starting $old again"
    set_tag "$old"
    compose up -d --remove-orphans || true
  fi
  return 1
}

# Starts TAG beside the running web containers, then retires the old ones or the new ones.
roll_out() {
  local tag=$1 old=$2 project id t0=$SECONDS
  local -a old_ids new_ids stale=()
  mapfile -t old_ids < <(running_web)
  if ((${#old_ids[@]} == 0)); then
    say "no web container runs: starting the stack on $tag"
    first_start "$tag" "$old"
    return
  fi
  project=$(docker inspect -f '{{index .Config.Labels "com.docker.compose.project"}}' "${old_ids[0]}")
  # A stopped web container would be started again by --scale instead of a new one.
  for id in $(web_containers "$project"); do
    [[ " ${old_ids[*]} " == *" $id "* ]] || stale+=("$id")
  done
  if ((${#stale[@]})); then
    say "removing ${#stale[@]} stopped web container(s)"
    docker rm -f "${stale[@]}" >/dev/null
  fi

  set_tag "$tag"
  if ! pull "$tag"; then
    set_tag "$old"
    complain "FAILED: $tag cannot be pulled; ${old:-the old tag} still serves (nothing was changed)"
    return 1
  fi
  say "starting $tag beside ${#old_ids[@]} running container(s) of ${old:-the old tag}"
  compose up -d --no-deps --no-recreate --scale "web=$((2 * ${#old_ids[@]}))" web || true
  new_ids=()
  for id in $(web_containers "$project"); do
    [[ " ${old_ids[*]} " == *" $id "* ]] || new_ids+=("$id")
  done
  if ((${#new_ids[@]} == 0)); then
    why="compose started no new container"
  elif wait_healthy "${new_ids[@]}"; then
    say "stopping the ${#old_ids[@]} container(s) of ${old:-the old tag} (SIGTERM: they drain, then exit)"
    local t1=$SECONDS t2
    docker stop -t "$stop_timeout" "${old_ids[@]}" >/dev/null
    t2=$SECONDS
    docker rm "${old_ids[@]}" >/dev/null
    say "$tag serves; the old containers drained and stopped in $((t2 - t1)) s (removed in $((SECONDS - t2)) s); the deploy took $((SECONDS - t0)) s"
    return 0
  fi
  complain "FAILED: $tag: $why"
  for id in "${new_ids[@]}"; do docker logs --tail 20 "$id" >&2 2>&1 || true; done
  retire "${new_ids[@]}" || docker rm -f "${new_ids[@]}" >/dev/null 2>&1 || true
  set_tag "$old"
  complain "rolled back: ${old:-the old tag} still serves (${#old_ids[@]} container(s), never stopped); $tag removed after $((SECONDS - t0)) s"
  return 1
}

if [ "${1:-}" = "--rollback" ]; then
  previous=$(cat "$state_dir/previous-tag" 2>/dev/null || true)
  [ -n "$previous" ] || { complain "no previous tag to roll back to"; exit 1; }
  new=$previous
  say "rolling back to $previous"
else
  new=${1:?usage: deploy/deploy.sh TAG | --rollback}
fi
old=$(current_tag)
say "${old:-(none)} -> $new"
roll_out "$new" "$old" || exit 1
if [ -n "$old" ] && [ "$old" != "$new" ]; then echo "$old" >"$state_dir/previous-tag"; fi
docker image prune -f >/dev/null 2>&1 || true

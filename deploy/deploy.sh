#!/usr/bin/env bash
# Runs on the VM from the repository folder: deploys image tag TAG of the web service, or rolls
# back to the tag deployed before it.
#
#   deploy/deploy.sh TAG          pull TAG, start it, wait for healthy; on failure roll back
#   deploy/deploy.sh --rollback   start the previous tag again
#
# The current tag is PORTICO_TAG in .env; the one before it is kept in .deploy/previous-tag.
set -euo pipefail
cd "$(dirname "$0")/.."

state_dir=.deploy
health_timeout=${DEPLOY_HEALTH_TIMEOUT:-120}
compose() { docker compose "$@"; }
if ! docker compose version >/dev/null 2>&1; then compose() { docker-compose "$@"; }; fi

[ -f .env ] || { echo "deploy: .env is missing; copy .env.example and fill it in" >&2; exit 1; }
mkdir -p "$state_dir"

current_tag() { sed -n 's/^PORTICO_TAG=//p' .env | tail -1; }
set_tag() {
  if grep -q '^PORTICO_TAG=' .env; then
    sed -i "s/^PORTICO_TAG=.*/PORTICO_TAG=$1/" .env
  else
    printf 'PORTICO_TAG=%s\n' "$1" >>.env
  fi
}

# Waits until every web container reports healthy; returns 1 after the timeout.
wait_healthy() {
  local t0=$SECONDS ids id state ok
  while ((SECONDS - t0 < health_timeout)); do
    ids=$(compose ps -q web)
    ok=1
    for id in $ids; do
      state=$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$id")
      [ "$state" = healthy ] || ok=0
    done
    if [ -n "$ids" ] && [ $ok = 1 ]; then
      echo "deploy: web healthy after $((SECONDS - t0)) s"
      return 0
    fi
    sleep 3
  done
  echo "deploy: web not healthy after ${health_timeout} s" >&2
  compose logs --tail 50 web >&2 || true
  return 1
}

start() {
  set_tag "$1"
  compose pull web
  compose up -d --remove-orphans
}

if [ "${1:-}" = "--rollback" ]; then
  previous=$(cat "$state_dir/previous-tag" 2>/dev/null || true)
  [ -n "$previous" ] || { echo "deploy: no previous tag to roll back to" >&2; exit 1; }
  echo "deploy: rolling back to $previous"
  start "$previous"
  wait_healthy
  exit
fi

new=${1:?usage: deploy/deploy.sh TAG | --rollback}
old=$(current_tag)
echo "deploy: ${old:-(none)} -> $new"
if start "$new" && wait_healthy; then
  if [ -n "$old" ] && [ "$old" != "$new" ]; then echo "$old" >"$state_dir/previous-tag"; fi
  docker image prune -f >/dev/null || true
  exit 0
fi
if [ -n "$old" ] && [ "$old" != "$new" ]; then
  echo "deploy: $new failed; rolling back to $old" >&2
  { start "$old" && wait_healthy; } || true
fi
exit 1

#!/usr/bin/env bash
# Runs the Docker tests (image_test.sh, compose_test.sh, deploy_test.sh, swarm_test.sh,
# package_test.sh, and setup_test.sh beside them) against one engine: the one that answers, or a
# private dockerd started here as root and stopped at the end (swarm_test.sh starts a second one
# of its own for its swarm). Without an engine and without root the tests are skipped with a
# loud message; as root, an engine that does not start is a failure. The whole run is bounded by
# PORTICO_DOCKER_TEST_TIMEOUT (default 1200 s).
set -euo pipefail
# shellcheck source=tests/docker/lib.sh
source "$(dirname "$0")/lib.sh"

if ! ensure_dockerd; then
  if [ "$(id -u)" -eq 0 ] && command -v dockerd >/dev/null; then
    fail "dockerd did not start (see ${PORTICO_DOCKERD_LOG:-/tmp/portico-dockerd.log})"
  fi
  printf '\n%s\n%s\n\n' "!!!!! DOCKER TESTS SKIPPED: no Docker engine answers and dockerd cannot be started here" \
    "!!!!! (run as root with the docker.io package installed: scripts/setup.sh installs it)" >&2
  exit 0
fi

limit=${PORTICO_DOCKER_TEST_TIMEOUT:-1200}
passed=0
failed=0
t0=$SECONDS
# setup_test.sh mostly waits for the package mirror and dpkg: it runs beside the others (after
# the base images exist, which it shares with them), its output kept until it ends.
ensure_base_images
setup_log=$(mktemp /tmp/portico-setup-test.XXXXXX)
log "=== setup_test.sh (beside the others; its output follows at the end)"
timeout --foreground "$limit" "$(dirname "$0")/setup_test.sh" >"$setup_log" 2>&1 &
setup_pid=$!
image_ok=1
for t in image_test.sh compose_test.sh deploy_test.sh swarm_test.sh package_test.sh; do
  if [[ $t =~ ^(compose|deploy|swarm)_test\.sh$ ]] && ((!image_ok)); then
    log "=== $t skipped: it needs the image"
    failed=$((failed + 1))
    continue
  fi
  log "=== $t"
  t1=$SECONDS
  if timeout --foreground "$limit" "$(dirname "$0")/$t"; then
    passed=$((passed + 1))
    log "=== $t took $((SECONDS - t1)) s"
  else
    failed=$((failed + 1))
    log "=== $t FAILED after $((SECONDS - t1)) s"
    if [ "$t" = image_test.sh ]; then image_ok=0; fi
  fi
done
if wait "$setup_pid"; then setup_ok=1; else setup_ok=0; fi
log "=== setup_test.sh output:"
cat "$setup_log" >&2
rm -f "$setup_log"
if ((setup_ok)); then
  passed=$((passed + 1))
  log "=== setup_test.sh passed (ended $((SECONDS - t0)) s after the start)"
else
  failed=$((failed + 1))
  log "=== setup_test.sh FAILED"
fi
log "docker tests took $((SECONDS - t0)) s"
echo "docker: $passed passed, $failed failed"
((failed == 0))

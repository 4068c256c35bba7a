#!/usr/bin/env bash
# Runs the Docker tests (image_test.sh, compose_test.sh, deploy_test.sh, package_test.sh, then
# setup_test.sh) against one engine: the one that answers, or a private dockerd started here as
# root and stopped at the end. Without an engine and without root the tests are skipped with a
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
image_ok=1
for t in image_test.sh compose_test.sh deploy_test.sh package_test.sh setup_test.sh; do
  if { [ "$t" = compose_test.sh ] || [ "$t" = deploy_test.sh ]; } && ((!image_ok)); then
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
log "docker tests took $((SECONDS - t0)) s"
echo "docker: $passed passed, $failed failed"
((failed == 0))

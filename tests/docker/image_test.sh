#!/usr/bin/env bash
# The image: builds, stays under 150 MB, runs `portico version` and `check-config`, runs as a
# non-root user, turns healthy through its HEALTHCHECK, serves the site, and keeps its data
# volume across a restart and a new container. Prints the figures it measured.
set -euo pipefail
# shellcheck source=tests/docker/lib.sh
source "$(dirname "$0")/lib.sh"

max_bytes=$((150 * 1000 * 1000))
ensure_dockerd || fail "no Docker engine (run as root with dockerd installed)"
ensure_base_images
build_image

size=$(dk image inspect -f '{{.Size}}' "$image")
log "image size: $((size / 1000 / 1000)) MB ($size bytes)"
((size < max_bytes)) || fail "image is $size bytes, more than $max_bytes"
pass "image under 150 MB"

dk run --rm "$image" version || fail "portico version does not run in the image"
dk run --rm "$image" check-config || fail "portico check-config rejects the shipped config"
pass "version and check-config run in the image"

labels=$(dk image inspect -f '{{json .Config.Labels}}' "$image")
for key in title version revision; do
  grep -q "\"org.opencontainers.image.$key\"" <<<"$labels" || fail "OCI label $key missing"
done
[ "$(dk image inspect -f '{{.Config.StopSignal}}' "$image")" = SIGTERM ] || fail "STOPSIGNAL is not SIGTERM"
pass "OCI labels and STOPSIGNAL"

name=portico-image-test-$$
volume=portico-image-test-data-$$
on_exit "dk volume rm -f $volume"
on_exit "dk rm -f $name"
start_container() {
  dk run -d --name "$name" -v "$volume:/srv/portico/data" -p 127.0.0.1::8080 \
    --health-interval 1s --health-start-period 30s "$image" >/dev/null
}
start_container

uid=$(dk exec "$name" id -u)
[ "$uid" != 0 ] || fail "the container runs as root"
proc_user=$(dk top "$name" -o pid,user,comm | awk 'NR > 1 && $3 == "portico" {print $2}' | head -1)
[ -n "$proc_user" ] || fail "no portico process in the container"
[ "$proc_user" != root ] || fail "the portico process runs as root"
pass "runs as non-root (uid $uid)"

secs=$(wait_healthy "$name" 60)
log "healthy $secs s after start"
pass "HEALTHCHECK turns healthy"

port=$(published_port "$name" 8080)
body=$(http_get "$port" /) || fail "GET / failed"
grep -qi '<html' <<<"$body" || fail "GET / did not return HTML"
pass "site served from the container on port $port"

# Data written by the server's user survives a restart and a new container on the same volume.
dk exec "$name" sh -c 'echo kept > /srv/portico/data/restart-probe'
if dk exec "$name" portico plugins 2>/dev/null | grep -qE '^contact .*enabled'; then
  has_store=1
else
  has_store=0
fi
dk restart -t 10 "$name" >/dev/null
wait_healthy "$name" 60 >/dev/null
[ "$(dk exec "$name" cat /srv/portico/data/restart-probe)" = kept ] || fail "data lost on restart"
dk rm -f "$name" >/dev/null
start_container
wait_healthy "$name" 60 >/dev/null
[ "$(dk exec "$name" cat /srv/portico/data/restart-probe)" = kept ] || fail "data lost with a new container"
if ((has_store)); then
  dk exec "$name" test -s /srv/portico/data/portico.db || fail "the SQLite store is not in the data volume"
fi
pass "data volume survives a restart and a new container"

# SIGTERM stops the server gracefully and quickly.
t0=$SECONDS
dk stop -t 20 "$name" >/dev/null
code=$(dk inspect -f '{{.State.ExitCode}}' "$name")
[ "$code" = 0 ] || fail "exit code $code after SIGTERM"
pass "stops on SIGTERM with status 0 in $((SECONDS - t0)) s"

#!/usr/bin/env bash
# The linux/arm64 image (production runs on arm64: Oracle A1), built on this amd64 machine and run
# under qemu-user emulation. Not part of CI: too slow for its budget. Run it by hand, as root:
#
#   tests/arm64/run.sh            (PORTICO_ARM64_TIMEOUT: the bound in seconds, default 3600)
#
# Sets up binfmt_misc and qemu-aarch64 (Debian's qemu-user-static), makes the Debian base images
# with debootstrap when missing, builds the image with deploy/docker/build-arm64.sh (cross
# compiled, no compiler under emulation), then checks that `file` calls the binary ARM aarch64,
# that `portico version` in the image reports aarch64, and that a container started with
# --platform linux/arm64 --network host on a free loopback port turns healthy through its
# HEALTHCHECK and serves / and a page as HTML. Prints the timings and a short wrk figure, which
# measures qemu, not an arm64 machine. Removes its containers and temporary files and stops a
# Docker engine it started; the images stay as the next run's cache (PORTICO_ARM64_RMI=1 removes
# the Portico one).
set -euo pipefail
if [ -z "${PORTICO_ARM64_BOUNDED:-}" ]; then
  export PORTICO_ARM64_BOUNDED=1
  exec timeout -k 30 "${PORTICO_ARM64_TIMEOUT:-3600}" "$0" "$@"
fi
# shellcheck source=tests/docker/lib.sh
source "$(dirname "$0")/../docker/lib.sh"
trap 'exit 124' TERM INT  # so that run_cleanup (the EXIT trap) runs when the bound is reached

image=${PORTICO_ARM64_IMAGE:-portico:arm64}
arm64_base=${PORTICO_ARM64_BASE:-portico/debian-arm64:bookworm-slim}
export PORTICO_ARM64_BASE=$arm64_base PORTICO_CROSS_BASE=debian:bookworm
[ "$(id -u)" -eq 0 ] || fail "run as root: binfmt_misc, debootstrap and dockerd need it"
declare -A took

# binfmt_misc mounted, qemu-aarch64 registered with the F flag: the kernel opens the interpreter
# at registration, so arm64 binaries run inside containers that have no qemu of their own.
setup_binfmt() {
  if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
    mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc || fail "cannot mount binfmt_misc"
  fi
  if ! command -v qemu-aarch64-static >/dev/null || ! command -v update-binfmts >/dev/null; then
    log "installing qemu-user-static and binfmt-support"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      qemu-user-static binfmt-support >/dev/null || fail "cannot install qemu-user-static"
  fi
  if ! grep -qx enabled /proc/sys/fs/binfmt_misc/qemu-aarch64 2>/dev/null; then
    update-binfmts --enable qemu-aarch64 || fail "update-binfmts --enable qemu-aarch64 failed"
  fi
  grep -q '^flags: .*F' /proc/sys/fs/binfmt_misc/qemu-aarch64 ||
    fail "qemu-aarch64 is registered without the F (fix binary) flag"
  update-binfmts --display qemu-aarch64 | sed 's/^/  /' >&2
  pass "binfmt_misc runs aarch64 binaries with $(readlink -f /usr/libexec/qemu-binfmt/aarch64-binfmt-P 2>/dev/null || echo qemu-aarch64-static)"
}

setup_binfmt
ensure_dockerd || fail "no Docker engine (run as root with dockerd installed)"
t0=$SECONDS
ensure_base_images
if ! dk image inspect "$arm64_base" >/dev/null 2>&1; then
  import_debian_image "$arm64_base" arm64
fi
took[base_images]=$((SECONDS - t0))

log "building $image (deploy/docker/build-arm64.sh; log in build/arm64-image.*.log)"
[ "${PORTICO_ARM64_RMI:-0}" = 1 ] && on_exit "dk rmi -f '$image'"
timings=$("$repo_root/deploy/docker/build-arm64.sh" "$image") || fail "building the arm64 image failed"
while IFS='=' read -r key value; do took[${key#timing: }]=$value; done <<<"$timings"
[ "$(dk image inspect -f '{{.Architecture}}' "$image")" = arm64 ] || fail "$image is not arm64"
pass "built $image for linux/arm64"

tmp=$(mktemp -d /tmp/portico-arm64.XXXXXX)
on_exit "rm -rf '$tmp'"
probe=portico-arm64-probe-$$
on_exit "dk rm -f $probe"
dk create --platform linux/arm64 --name "$probe" "$image" >/dev/null
dk cp "$probe:/opt/portico/bin/portico" "$tmp/portico"
file_out=$(file -b "$tmp/portico")
grep -q 'ARM aarch64' <<<"$file_out" || fail "the binary is not ARM aarch64: $file_out"
pass "file: $file_out"

version=$(dk run --rm --platform linux/arm64 --network none "$image" version) ||
  fail "portico version does not run in the image"
grep -qx 'arch aarch64' <<<"$version" || fail "portico version does not report aarch64: $version"
pass "portico version under emulation: $(tr '\n' ';' <<<"$version")"

# Host network on free loopback ports: only 127.0.0.1 is bound, and the admin listener gets a
# port of its own so that it cannot clash with a server already running on this machine. The
# image's own HEALTHCHECK command runs (it reads the port from the same environment); only its
# timings are stretched for emulation.
port=$(free_port)
admin_port=$(free_port)
name=portico-arm64-test-$$
on_exit "dk rm -f $name"
t0=$SECONDS
dk run -d --name "$name" --platform linux/arm64 --network host \
  -e PORTICO_ADDRESS=127.0.0.1 -e PORTICO_PORT="$port" -e PORTICO_ADMIN_PORT="$admin_port" \
  -e SITE_URL="http://127.0.0.1:$port" \
  --health-interval 2s --health-timeout 20s --health-start-period 120s "$image" >/dev/null
wait_healthy "$name" 300 >/dev/null
took[start_to_healthy]=$((SECONDS - t0))
pass "HEALTHCHECK turned healthy under emulation"

for path in / /en/ /en/about/; do
  code=$(curl -sS --max-time 30 -o "$tmp/body" -w '%{http_code} %{content_type}' \
    "http://127.0.0.1:$port$path") || fail "GET $path failed"
  case $code in
    "200 text/html"*) ;;
    *) fail "GET $path answered '$code', expected 200 text/html" ;;
  esac
  grep -qi '<html' "$tmp/body" || fail "GET $path is not an HTML page"
done
pass "/, /en/ and /en/about/ answer 200 with HTML on 127.0.0.1:$port"

# The page's stylesheet: a prebuilt asset, exempt from the rate limit, so wrk measures serving,
# not 429s.
rps=unmeasured
css=$(grep -o 'href="/assets/[^"]*\.css"' "$tmp/body" | head -1 | cut -d'"' -f2)
[ -n "$css" ] || fail "no stylesheet link in /en/about/"
if command -v wrk >/dev/null; then
  curl -fsS --max-time 30 -o /dev/null "http://127.0.0.1:$port$css" || fail "GET $css failed"
  wrk_out=$(timeout 60 wrk -t1 -c4 -d5s "http://127.0.0.1:$port$css") || fail "wrk failed"
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$wrk_out")
  if grep -q 'Non-2xx' <<<"$wrk_out"; then fail "wrk saw non-2xx answers: $wrk_out"; fi
else
  log "wrk is not installed: no requests/s figure"
fi

log "figures (this machine: $(nproc) cores, $(uname -m)):"
log "  base images (debootstrap, 0 when cached): ${took[base_images]} s"
log "  cross-toolchain image (0 when cached):    ${took[cross_image_s]:-?} s"
log "  cross build + install + strip:            ${took[cross_build_s]:-?} s"
log "  arm64 runtime image build (qemu apt):     ${took[image_build_s]:-?} s"
log "  image size:                               $(($(dk image inspect -f '{{.Size}}' "$image") / 1000 / 1000)) MB"
log "  start to healthy (emulated):              ${took[start_to_healthy]} s"
log "  wrk -t1 -c4 -d5s $css: $rps requests/s (EMULATED arm64 under qemu-user)"
pass "arm64 image builds, runs under emulation and serves the site"

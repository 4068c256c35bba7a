# Shared helpers of the Docker tests; sourced, not run. Starts a private Docker engine when none
# answers (as root, stopped again by PID on exit), makes the Debian base images from the host's own
# Debian mirror when Docker Hub cannot be reached, and cleans up every container it started.
# shellcheck shell=bash

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
image=${PORTICO_IMAGE:-portico:test}
docker_bin=${DOCKER:-docker}
started_dockerd_pid=""
cleanup_actions=()

log() { printf '[docker-test] %s\n' "$*" >&2; }
fail() { printf '[docker-test] FAIL: %s\n' "$*" >&2; exit 1; }
pass() { printf '[docker-test] ok: %s\n' "$*" >&2; }

dk() { "$docker_bin" "$@"; }

# Runs the cleanup actions in reverse order, then stops the engine this script started.
run_cleanup() {
  local i
  for ((i = ${#cleanup_actions[@]} - 1; i >= 0; i--)); do
    eval "${cleanup_actions[i]}" >/dev/null 2>&1 || true
  done
  if [ -n "$started_dockerd_pid" ]; then
    log "stopping dockerd (pid $started_dockerd_pid)"
    kill "$started_dockerd_pid" 2>/dev/null || true
    local n=0
    while kill -0 "$started_dockerd_pid" 2>/dev/null && ((n++ < 60)); do sleep 0.5; done
    kill -9 "$started_dockerd_pid" 2>/dev/null || true
  fi
}
on_exit() { cleanup_actions+=("$1"); }
trap run_cleanup EXIT

# Prints whether an engine answers; starts one (root only) when none does. Returns 1 when no
# engine can be had, so callers can skip loudly.
ensure_dockerd() {
  if dk info >/dev/null 2>&1; then return 0; fi
  if [ "$(id -u)" -ne 0 ] || ! command -v dockerd >/dev/null; then return 1; fi
  local logf=${PORTICO_DOCKERD_LOG:-/tmp/portico-dockerd.log}
  log "starting dockerd (log: $logf)"
  dockerd --iptables=false --storage-driver=vfs >"$logf" 2>&1 &
  started_dockerd_pid=$!
  local n=0
  until dk info >/dev/null 2>&1; do
    if ! kill -0 "$started_dockerd_pid" 2>/dev/null || ((n++ > 60)); then
      tail -20 "$logf" >&2
      started_dockerd_pid=""
      return 1
    fi
    sleep 0.5
  done
}

# The Debian archive URIs the host's apt uses (main archive first, then security), one per line.
host_debian_mirrors() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    grep -hoE '(^URIs:[[:space:]]*|^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?)[a-z]+://[^[:space:]]+' "$f" |
      grep -oE '[a-z]+://[^[:space:]]+' | grep -E '/debian(-security)?/?$' || true
  done | awk '!seen[$0]++' | sort -t/ -k4,4
}

# Makes debian:bookworm-slim and debian:bookworm from a debootstrapped minbase when either tag is
# missing and cannot be pulled.
ensure_base_images() {
  if dk image inspect debian:bookworm-slim >/dev/null 2>&1 &&
    dk image inspect debian:bookworm >/dev/null 2>&1; then return 0; fi
  if timeout 20 "$docker_bin" pull -q debian:bookworm-slim >/dev/null 2>&1 &&
    timeout 20 "$docker_bin" pull -q debian:bookworm >/dev/null 2>&1; then return 0; fi
  import_debian_image debian:bookworm-slim
  dk tag debian:bookworm-slim debian:bookworm
  log "made debian:bookworm-slim and debian:bookworm ($(dk image inspect -f '{{.Size}}' debian:bookworm-slim) bytes)"
}

# Makes image $1 from a debootstrapped Debian 12 minbase, for architecture $2 (default: the
# host's; a foreign one runs its maintainer scripts through qemu-user-static's binfmt handler).
# The rootfs keeps apt pointed at the host's mirror and is slimmed the way the official slim
# image is (no docs, man pages or locales).
import_debian_image() {
  command -v debootstrap >/dev/null || fail "debootstrap is needed to make the base image"
  local tag=$1 arch=${2:-} mirrors main security dir
  local arch_opts=()
  if [ -n "$arch" ]; then arch_opts=(--arch "$arch"); fi
  mirrors=$(host_debian_mirrors)
  main=$(grep -E '/debian/?$' <<<"$mirrors" | head -1)
  security=$(grep -E '/debian-security/?$' <<<"$mirrors" | head -1)
  [ -n "$main" ] || fail "no Debian mirror found in /etc/apt/sources.list{,.d}"
  dir=$(mktemp -d /var/tmp/portico-rootfs.XXXXXX)
  chmod 755 "$dir"  # it becomes the image's /, which every user must traverse
  on_exit "rm -rf '$dir'"
  log "debootstrap bookworm ${arch:-(native)} from $main (a few minutes, once)"
  debootstrap "${arch_opts[@]}" --variant=minbase bookworm "$dir" "$main" >"$dir.log" 2>&1 ||
    { tail -20 "$dir.log" >&2; fail "debootstrap failed"; }
  rm -f "$dir.log"
  {
    echo "deb $main bookworm main"
    echo "deb $main bookworm-updates main"
    if [ -n "$security" ]; then echo "deb $security bookworm-security main"; fi
  } >"$dir/etc/apt/sources.list"
  cat >"$dir/etc/dpkg/dpkg.cfg.d/docker-slim" <<'SLIM'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
SLIM
  cat >"$dir/etc/apt/apt.conf.d/docker-clean" <<'CLEAN'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
CLEAN
  find "$dir/usr/share/doc" -mindepth 2 -not -name copyright -not -type d -delete 2>/dev/null || true
  rm -rf "$dir"/usr/share/{man,info,locale,lintian}/* "$dir"/var/lib/apt/lists/* \
    "$dir"/var/cache/apt/* "$dir"/var/log/*.log "$dir"/tmp/*
  tar -C "$dir" --numeric-owner -c . | import_rootfs "$tag" "$arch"
  log "made $tag${arch:+ ($arch)}"
}

# Makes image $1 for architecture $2 (default: the host's) from a root filesystem tar on stdin.
# A foreign one is built FROM scratch with --platform, because `docker import --platform` of
# Docker 20.10 records the engine's own architecture whatever the flag says.
import_rootfs() {
  local tag=$1 arch=${2:-} ctx
  if [ -z "$arch" ]; then
    dk import --change 'CMD ["bash"]' \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      - "$tag" >/dev/null
    return
  fi
  ctx=$(mktemp -d /var/tmp/portico-rootfs-ctx.XXXXXX)
  cat >"$ctx/rootfs.tar"
  printf '%s\n' 'FROM scratch' 'ADD rootfs.tar /' \
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' 'CMD ["bash"]' \
    >"$ctx/Dockerfile"
  DOCKER_BUILDKIT=0 dk build -q --platform "linux/$arch" -t "$tag" "$ctx" >/dev/null ||
    { rm -rf "$ctx"; fail "making $tag from its root filesystem failed"; }
  rm -rf "$ctx"
  [ "$(dk image inspect -f '{{.Architecture}}' "$tag")" = "$arch" ] || fail "$tag is not $arch"
}

# Builds the Portico image from the repository (layers are reused between runs);
# PORTICO_IMAGE_PREBUILT=1 takes an existing $image as it is.
build_image() {
  local t0=$SECONDS
  if [ "${PORTICO_IMAGE_PREBUILT:-0}" = 1 ] && dk image inspect "$image" >/dev/null 2>&1; then
    log "using the existing $image (PORTICO_IMAGE_PREBUILT=1)"
    return 0
  fi
  log "building $image"
  dk build --network host --force-rm -t "$image" \
    --build-arg VERSION="$(git -C "$repo_root" describe --tags --always 2>/dev/null || echo dev)" \
    --build-arg REVISION="$(git -C "$repo_root" rev-parse HEAD 2>/dev/null || echo unknown)" \
    "$repo_root" >"${PORTICO_BUILD_LOG:-/tmp/portico-image-build.log}" 2>&1 ||
    { tail -40 "${PORTICO_BUILD_LOG:-/tmp/portico-image-build.log}" >&2; fail "docker build failed"; }
  log "built $image in $((SECONDS - t0)) s"
}

# Waits until container $1 reports health "healthy"; fails on "unhealthy" or after $2 seconds.
wait_healthy() {
  local name=$1 limit=${2:-90} t0=$SECONDS state
  while :; do
    state=$(dk inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$name" 2>/dev/null || echo gone)
    case $state in
      healthy) echo $((SECONDS - t0)); return 0 ;;
      unhealthy | gone | none)
        dk logs --tail 30 "$name" >&2 || true
        dk inspect -f '{{json .State.Health}}' "$name" >&2 || true
        fail "container $name is $state" ;;
    esac
    ((SECONDS - t0 < limit)) || { dk logs --tail 30 "$name" >&2; fail "container $name not healthy after ${limit}s"; }
    sleep 1
  done
}

# The host port that container $1 publishes for its port $2 on 127.0.0.1.
published_port() { dk port "$1" "$2/tcp" | sed -n 's/^127\.0\.0\.1:\([0-9]*\)$/\1/p' | head -1; }

# GET http://127.0.0.1:$1$2 and print the body; returns curl's status.
http_get() { curl -fsS --max-time 10 "http://127.0.0.1:$1$2"; }

# A python3 that can import yaml (Debian's python3-yaml, which docker-compose also needs),
# preferring the system one over a python3 of another installation earlier on the PATH.
yaml_python() {
  local py
  for py in /usr/bin/python3 python3; do
    if "$py" -c 'import yaml' 2>/dev/null; then echo "$py"; return 0; fi
  done
  fail "no python3 with the yaml module (Debian: python3-yaml)"
}

# A free TCP port on 127.0.0.1.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Steady load through the proxy on 127.0.0.1:$http_port while something changes (a deploy, a
# rolling update): load_start begins it (3 s before the change); load_check stops it 3 s later
# and fails unless every request was answered with a 2xx, adding a line to the caller's
# `figures` array. The caller sets `work`, `http_port` and `load_pid=""`, and registers
# on_exit 'if [ -n "$load_pid" ]; then kill $load_pid; fi'.
# shellcheck disable=SC2154 # work and http_port are the caller's
load_start() {
  rm -f "$work/stop"
  python3 "$(dirname "$0")/steady_load.py" 127.0.0.1 "$http_port" "$work/stop" >"$work/load.json" &
  load_pid=$!
  sleep 3  # steady traffic before the change starts
}
# shellcheck disable=SC2154 # work is the caller's
load_check() {
  local what=$1 requests ok failed slowest seconds
  sleep 3
  touch "$work/stop"
  wait "$load_pid" || fail "$what: the load generator failed"
  load_pid=""
  read -r requests ok failed slowest seconds < <(python3 -c 'import json, sys
s = json.load(open(sys.argv[1])); print(s["requests"], s["ok"], s["failed"], s["slowest_s"], s["seconds"])' "$work/load.json")
  log "$what: $requests requests in $seconds s through the proxy: $ok answered 2xx, $failed failed; slowest $slowest s"
  ((requests > 0)) || fail "$what: the load generator sent nothing"
  ((failed == 0)) || fail "$what: $failed requests failed: $(cat "$work/load.json")"
  figures+=("$what: $ok/$requests answered, $failed failed, slowest $slowest s")
}

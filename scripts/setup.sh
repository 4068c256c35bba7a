#!/usr/bin/env bash
# Installs the Debian 12 packages Portico needs: by default only what building a release, making
# the .deb packages and serving need (scripts/serve.sh, scripts/package.sh); with --test also
# the test toolchain (scripts/test.sh: browsers, Java, Docker, PostgreSQL, Prometheus, ...).
# Safe to run again: only missing packages are installed. Uses sudo when not run as root.
# Node.js and npm (the workflow lint and the browser gates, --test only) come from Debian only
# when no `node` of at least $node_min is on the PATH with npm beside it, so a newer Node
# installed otherwise is kept. The servers installed for the tests (sshd, nginx, redis,
# PostgreSQL, dockerd) are not started as system services when the machine has none running
# yet: each test starts its own.
set -euo pipefail
node_min=18.16  # Lighthouse 12.8's floor (tests/e2e); Debian 12 has 18.19

usage() { echo "usage: scripts/setup.sh [--test]" >&2; exit 2; }
with_tests=0
case "${1:-}" in
  "") ;;
  --test) with_tests=1 ;;
  *) usage ;;
esac

# Building (the -dev packages are also the Dockerfile's build stage list) and packaging
# (`file` for cpack's shared-library dependencies).
build_packages=(
  build-essential cmake ninja-build pkg-config ca-certificates file
  libpoco-dev nlohmann-json3-dev libspdlog-dev libfmt-dev
  libkainjow-mustache-dev libcmark-dev cmark zlib1g-dev libbrotli-dev libyaml-cpp-dev
  libsqlite3-dev libpq-dev libhttp-parser-dev libssl-dev
  libjpeg62-turbo-dev libpng-dev libwebp-dev libavif-dev
  libsource-highlight-dev
)

# Only the tests call these: the test build (Catch2, libxml2), the fuzzers and sanitizers
# (clang), the servers the integration, scale and bench tests start, the Docker tests, the
# browser gates (imagemagick for the visual check's compare, fonts-dejavu-core for the font its
# references were taken with; its `convert` also made the sample images in www/assets/img, which
# the site never needs at run time), the deploy SSH test, the systemd unit check
# (systemd-analyze) and the cloud-init schema check.
test_packages=(
  git curl catch2 libxml2-dev libxml2-utils
  postgresql python3 python3-aiosmtpd python3-yaml
  clang libclang-rt-14-dev clang-format clang-tidy ccache wrk nginx-light slowhttptest
  prometheus redis-server systemd
  docker.io docker-compose debootstrap openssh-server cloud-init
  default-jre-headless chromium imagemagick fonts-dejavu-core
)

packages=("${build_packages[@]}")
if ((with_tests)); then packages+=("${test_packages[@]}"); fi

# "18.19.0" >= "18.16"? (sort -V orders version strings)
version_at_least() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -1)" = "$2" ]; }
node_version=$(node --version 2>/dev/null | sed 's/^v//' || true)
if ((with_tests)); then
  if [ -n "$node_version" ] && version_at_least "$node_version" "$node_min" && command -v npm >/dev/null; then
    echo "setup: node $node_version and npm on the PATH"
  else
    echo "setup: node ${node_version:-missing} (need $node_min and npm): installing Debian's nodejs and npm"
    packages+=(nodejs npm)
  fi
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -q
  # Without an init system (containers, CI) no service may start; where policy-rc.d is absent,
  # one that refuses every start stands in for the install and is removed after it.
  policy=""
  if [ ! -e /usr/sbin/policy-rc.d ] && [ ! -d /run/systemd/system ]; then
    policy=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod 755 "$policy"
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" ||
    { if [ -n "$policy" ]; then $sudo rm -f "$policy"; fi; exit 1; }
  if [ -n "$policy" ]; then $sudo rm -f "$policy"; fi
else
  echo "setup: all packages present"
fi

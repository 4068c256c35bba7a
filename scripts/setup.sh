#!/usr/bin/env bash
# Installs the Debian 12 packages Portico needs to build, serve and test. Safe to run again:
# only missing packages are installed. Uses sudo when not run as root.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates curl
  libpoco-dev nlohmann-json3-dev libspdlog-dev libfmt-dev catch2
  libkainjow-mustache-dev libcmark-dev cmark zlib1g-dev libbrotli-dev libyaml-cpp-dev libxml2-dev
  libxml2-utils
  libsqlite3-dev libpq-dev postgresql python3 python3-aiosmtpd
  libhttp-parser-dev clang libclang-rt-14-dev wrk nginx-light slowhttptest
  prometheus redis-server
  docker.io docker-compose debootstrap
  default-jre-headless chromium
)

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
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "setup: all packages present"
fi

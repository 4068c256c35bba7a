#!/usr/bin/env bash
# Builds the Debian packages from a release build: build/release/packages/portico_<version>_<arch>.deb
# (host, bundled plugins, site, systemd unit) and portico-sdk_<version>_<arch>.deb (the plugin
# SDK). Install them with `sudo apt install ./build/release/packages/portico_*.deb`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset release
cmake --build --preset release
cpack --config build/release/CPackConfig.cmake
ls -1 build/release/packages/*.deb

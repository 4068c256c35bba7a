#!/usr/bin/env bash
# What per-response compression costs on the real contact page: the SDK's gzipCompress and
# brotliCompress at every level, microseconds per call and bytes. Not a test; prints a table.
#   tests/bench/compression.sh BUILD_DIR [FILE]
# BUILD_DIR is a release build (bin/portico, lib/libportico_sdk.so). Without FILE the page is
# the German contact page of a `portico export` of the shipped site. Compiles one small program
# with the system's c++ against the SDK of BUILD_DIR into a temporary folder.
set -euo pipefail
build="$(cd "${1:?usage: compression.sh BUILD_DIR [FILE]}" && pwd)"
here="$(cd "$(dirname "$0")" && pwd)"
src="${PORTICO_SRC:-$(cd "$here/../.." && pwd)}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export LD_LIBRARY_PATH="$build/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
page="${2:-}"
if [ -z "$page" ]; then
  (cd "$src" && PORTICO_DATA_DIR="$work/data" PORTICO_LOG_LEVEL=error CONTACT_SECRET= \
    "$build/bin/portico" export "$work/site" --config config/portico.json >/dev/null)
  page="$work/site/de/kontakt/index.html"
fi
c++ -std=c++17 -O2 -I"$src/sdk/include" "$here/compression_levels.cpp" -o "$work/levels" \
  -L"$build/lib" -lportico_sdk -lspdlog -lfmt -lPocoData -lPocoFoundation
"$work/levels" "$page" "${CALLS:-200}"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

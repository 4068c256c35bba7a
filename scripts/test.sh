#!/usr/bin/env bash
# Installs what is needed, builds and runs every test: the ci preset (optimised, warnings as
# errors, fuzzers included), the whole suite again under AddressSanitizer + UndefinedBehavior-
# Sanitizer, the workflow lint, the deploy SSH test and the Docker tests.
# PORTICO_SKIP_ASAN=1 / PORTICO_SKIP_DOCKER=1 skip those passes for a quicker local run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
jobs=$(nproc)
export CTEST_PARALLEL_LEVEL=${CTEST_PARALLEL_LEVEL:-$jobs}
export CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-$jobs}
# A compiler cache (ccache, from the test packages): a CI machine that ran this before compiles
# only what changed, in any checkout path (paths are hashed relative to the checkout). CMake reads
# the launcher from the environment when it configures a build directory (the ci, asan and fuzz
# builds, and the SDK consumers built as projects of their own). PORTICO_CCACHE=0 turns it off.
if [ "${PORTICO_CCACHE:-1}" != "0" ] && command -v ccache >/dev/null; then
  export CMAKE_C_COMPILER_LAUNCHER=ccache CMAKE_CXX_COMPILER_LAUNCHER=ccache
  export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=1
  ccache --zero-stats >/dev/null
fi
# Each phase's duration goes to the end of the log, so the CI budget (60 minutes on 2 cores) can
# be watched phase by phase.
timings=()
phase() {
  local t0=$SECONDS
  "$@"
  timings+=("$((SECONDS - t0)) s  $*")
}
phase cmake --workflow --preset ci
if [ "${PORTICO_SKIP_ASAN:-0}" != "1" ]; then
  phase cmake --workflow --preset asan
fi
# The workflow lint, the deploy key's forced command behind a real sshd (as root; skipped loudly
# otherwise), then the Docker image and compose tests (they start their own dockerd as root
# and are skipped loudly when no engine can be had; PORTICO_SKIP_DOCKER=1 skips them).
phase tests/workflows/run.sh
phase tests/deploy/ssh_command_test.sh
if [ "${PORTICO_SKIP_DOCKER:-0}" != "1" ]; then
  phase tests/docker/run.sh
fi
printf 'phase: %s\n' "${timings[@]}"
echo "total: $SECONDS s"
if [ -n "${CMAKE_CXX_COMPILER_LAUNCHER:-}" ]; then ccache --show-stats | grep -E 'Hits|Misses' || true; fi

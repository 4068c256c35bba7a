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
cmake --workflow --preset ci
if [ "${PORTICO_SKIP_ASAN:-0}" != "1" ]; then
  cmake --workflow --preset asan
fi
# The workflow lint, the deploy key's forced command behind a real sshd (as root; skipped loudly
# otherwise), then the Docker image and compose tests (they start their own dockerd as root
# and are skipped loudly when no engine can be had; PORTICO_SKIP_DOCKER=1 skips them).
tests/workflows/run.sh
tests/deploy/ssh_command_test.sh
if [ "${PORTICO_SKIP_DOCKER:-0}" != "1" ]; then
  tests/docker/run.sh
fi

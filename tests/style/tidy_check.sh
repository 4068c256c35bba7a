#!/usr/bin/env bash
# Check mode of clang-tidy (.clang-tidy: bugprone, performance, naming) over the SDK: the
# library every plugin links, the request pipeline and the test kit. A warning fails the check.
# usage: tidy_check.sh SOURCE_DIR BUILD_DIR (BUILD_DIR holds compile_commands.json)
set -euo pipefail
root=$(cd "${1:?usage: tidy_check.sh SOURCE_DIR BUILD_DIR}" && pwd)
build=$(cd "${2:?usage: tidy_check.sh SOURCE_DIR BUILD_DIR}" && pwd)
tidy=$(command -v clang-tidy-14 || command -v clang-tidy || true)
if [ -z "$tidy" ]; then
  echo "tidy_check: clang-tidy is not installed (scripts/setup.sh --test installs it)" >&2
  exit 1
fi
if [ ! -f "$build/compile_commands.json" ]; then
  echo "tidy_check: $build/compile_commands.json is missing (CMAKE_EXPORT_COMPILE_COMMANDS)" >&2
  exit 1
fi
cd "$root"
mapfile -t files < <(ls sdk/src/*.cpp sdk/pipeline/src/*.cpp sdk/testkit/src/*.cpp)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
printf '%s\n' "${files[@]}" |
  xargs -P "$(nproc)" -n 1 "$tidy" -p "$build" --quiet --warnings-as-errors='*' >"$log" 2>&1 ||
  status=$?
if [ "$status" -ne 0 ]; then
  grep -E "(warning|error): " "$log" | sort -u
  echo "tidy_check: clang-tidy found problems in the SDK (${#files[@]} files checked)" >&2
  exit 1
fi
echo "tidy_check: ${#files[@]} SDK files pass .clang-tidy ($("$tidy" --version | grep -o 'version [0-9.]*'))"

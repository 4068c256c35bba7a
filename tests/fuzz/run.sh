#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for a bounded time from
# its seed corpus in corpus/<target>/. Exits non-zero when a target crashes or fails to build.
#   tests/fuzz/run.sh [build-dir] [seconds-per-target]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build/fuzz}"
seconds="${2:-20}"
command -v clang++ >/dev/null || { echo "fuzz: clang++ not found (scripts/setup.sh installs it)"; exit 1; }
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$build" -j2
status=0
for target in request_parser config_loader html_transform insights; do
  work="$(mktemp -d)"
  cp -r "$here/corpus/$target/." "$work/"
  echo "fuzz: $target for ${seconds}s"
  # New inputs go to a scratch copy so the checked-in seeds stay small and reviewed.
  if ! (cd "$build" && ASAN_OPTIONS=detect_leaks=1 "./fuzz_$target" -max_total_time="$seconds" \
        -max_len=8192 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$build/crash-$target-" "$work" 2>"$build/$target.log"); then
    echo "fuzz: $target FAILED; last lines of $build/$target.log:"
    tail -40 "$build/$target.log"
    status=1
  else
    grep -E "stat::number_of_executed_units|cov:" "$build/$target.log" | tail -2
  fi
  rm -rf "$work"
done
exit $status

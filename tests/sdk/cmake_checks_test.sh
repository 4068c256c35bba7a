#!/usr/bin/env bash
# What portico_add_plugin and find_package(Portico) refuse at configure time, before anything
# compiles: a plugin id that breaks the id rule, and a compiler or C++ standard other than the
# SDK's (the host would refuse the built plugin for either). A plugin that gets everything right
# configures.
# Usage: tests/sdk/cmake_checks_test.sh <main build dir>
set -euo pipefail
build_dir=$(cd "$1" && pwd)
source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
stage=$build_dir/sdk-stage
work=$(mktemp -d "${TMPDIR:-/tmp}/portico-cmake-checks.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0

# project <name> <id> <how the SDK is found: stage|tree>
project() {
    local dir=$work/$1
    mkdir -p "$dir"
    echo 'int portico_test_logic = 1;' > "$dir/plugin.cpp"
    echo 'int portico_test_entry = 1;' > "$dir/entry.cpp"
    if [[ $3 == stage ]]; then
        local find='find_package(Portico REQUIRED)'
    else
        local find="include(\"$source_dir/cmake/PorticoPlugin.cmake\")"
    fi
    cat > "$dir/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.25)
project($1 LANGUAGES CXX)
$find
portico_add_plugin($2 SOURCES plugin.cpp entry.cpp)
CMAKE
    echo "$dir"
}

# expect <ok|fail> <text expected in the output, or ""> <project dir> [cmake args...]
expect() {
    local want=$1 text=$2 dir=$3
    shift 3
    local out status=0
    out=$(cmake -S "$dir" -B "$dir/build" -DCMAKE_PREFIX_PATH="$stage" "$@" 2>&1) || status=$?
    if [[ $want == ok && $status -ne 0 ]] || [[ $want == fail && $status -eq 0 ]]; then
        echo "FAIL: $dir $*: expected $want, exit status $status"
        echo "$out"
        failures=$((failures + 1))
    elif [[ -n $text ]] && ! tr -s ' \n' '  ' <<< "$out" | grep -qF -- "$text"; then
        echo "FAIL: $dir $*: output lacks: $text"
        echo "$out"
        failures=$((failures + 1))
    else
        echo "ok: $dir $* -> $want"
    fi
}

expect fail 'plugin id must match ^[a-z][a-z0-9_]*$ (lowercase letters, digits and underscores, starting with a letter), got "guestbook-lite"' \
    "$(project tree_bad_id guestbook-lite tree)"
expect fail 'got "Guestbook"' "$(project stage_bad_id Guestbook stage)"
expect ok '' "$(project stage_good guestbook_lite stage)"
expect fail 'set CMAKE_CXX_STANDARD to 17' "$(project stage_std guestbook stage)" \
    -DCMAKE_CXX_STANDARD=20
if command -v clang++ > /dev/null && ! c++ --version | grep -q clang; then
    expect fail 'configure a fresh build directory with -DCMAKE_CXX_COMPILER=' "$(project stage_compiler guestbook stage)" \
        -DCMAKE_CXX_COMPILER=clang++
fi
exit $((failures > 0))

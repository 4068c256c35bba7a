#!/usr/bin/env bash
# Builds and tests the out-of-tree example plugin exactly as sdk/README.md tells a plugin author:
# install the SDK from <main build dir> into a temporary prefix, copy sdk/examples/hello, then
# configure it with -DCMAKE_PREFIX_PATH=<prefix>, build it and run its tests with ctest.
#
# Usage: tests/sdk/out_of_tree.sh <main build dir>
# Progress goes to stderr; the last line of stdout is the path of the built hello.so. The
# temporary directory is kept so that the .so (and the prefix it links against) stay usable.
# Exits non-zero on any failure. PORTICO_PLUGIN_CXX_FLAGS and PORTICO_PLUGIN_LINKER_FLAGS set
# the plugin's compiler and linker flags (the test suite passes those of the main build, so a
# sanitizer build tests a sanitized plugin).
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 <main build dir>" >&2
    exit 2
fi
build_dir=$(cd "$1" && pwd)
source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/portico-out-of-tree.XXXXXX")
prefix=$work/prefix
plugin_src=$work/hello
jobs=${PORTICO_JOBS:-2}

step() { echo "== $*" >&2; }

step "installing the SDK from $build_dir into $prefix"
cmake --install "$build_dir" --prefix "$prefix" >&2

step "copying the example plugin to $plugin_src"
cp -R "$source_dir/sdk/examples/hello" "$plugin_src"
rm -rf "$plugin_src/build"

step "configuring against the installed SDK"
cmake -S "$plugin_src" -B "$plugin_src/build" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS="${PORTICO_PLUGIN_CXX_FLAGS:-}" \
    -DCMAKE_EXE_LINKER_FLAGS="${PORTICO_PLUGIN_LINKER_FLAGS:-}" \
    -DCMAKE_MODULE_LINKER_FLAGS="${PORTICO_PLUGIN_LINKER_FLAGS:-}" >&2

step "building"
cmake --build "$plugin_src/build" -j "$jobs" >&2

step "running the plugin's tests"
ctest --test-dir "$plugin_src/build" --output-on-failure --no-tests=error >&2

plugin_file=$plugin_src/build/plugins/hello.so
if [[ ! -f $plugin_file ]]; then
    echo "error: $plugin_file was not built" >&2
    exit 1
fi
step "done"
echo "$plugin_file"

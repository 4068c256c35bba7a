#!/usr/bin/env bash
# `portico plugins new` end to end, as a plugin author runs it: scaffold a plugin with the real
# portico into a temporary folder, check its C++ with clang-format-14 (the house style it ships
# in its .clang-format), configure, build and test it with CMake against the staged SDK
# (<build>/sdk-stage: what `cmake --install` puts into a prefix), then load the built plugin into
# the real portico from plugin_dirs and GET its route over loopback.
#
# Usage: tests/sdk/scaffold_test.sh <main build dir>
# PORTICO_PLUGIN_CXX_FLAGS and PORTICO_PLUGIN_LINKER_FLAGS: the plugin's flags (the suite passes
# the main build's, so -Werror and the sanitizers reach it); PORTICO_PLUGIN_CXX_COMPILER and
# PORTICO_PLUGIN_COMPILER_LAUNCHER (e.g. ccache): the main build's compiler and launcher.
set -euo pipefail
build_dir=$(cd "$1" && pwd)
portico=$build_dir/bin/portico
stage=$build_dir/sdk-stage
# A fixed folder in the build tree, not a random one: the plugin's compile lines then stay the
# same from run to run, so a compiler cache (ccache under CCACHE_BASEDIR) can answer them.
work=$build_dir/scaffold-test
rm -rf "$work"
mkdir -p "$work"
server_pid=""
cleanup() {
    if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then kill "$server_pid"; fi
    rm -rf "$work"
}
trap cleanup EXIT
step() { echo "== $*"; }
fail() {
    echo "FAIL: $*"
    exit 1
}

[[ -x $portico ]] || fail "$portico is not built"
[[ -d $stage ]] || fail "no staged SDK in $stage (the build installs it there)"
command -v clang-format-14 > /dev/null || fail "clang-format-14 is missing (scripts/setup.sh installs it)"

id=greeter_demo
plugin=$work/$id
step "portico plugins new $id --dir $plugin"
"$portico" plugins new "$id" --dir "$plugin"

# The layout depends on the id's length only through clang-format's line breaks: check a short
# id and a long one (40 characters).
long_id=a_plugin_id_of_forty_characters_exactly_
[[ ${#long_id} -eq 40 ]] || fail "the long id is ${#long_id} characters"
"$portico" plugins new "$long_id" --dir "$work/$long_id" > /dev/null
for dir in "$plugin" "$work/$long_id"; do
    step "clang-format-14 --dry-run --Werror in $dir"
    (cd "$dir" && find src test -name '*.cpp' -o -name '*.hpp' | sort |
        xargs clang-format-14 --dry-run --Werror)
done

step "configuring against the staged SDK $stage"
cmake -S "$plugin" -B "$plugin/build" -DCMAKE_PREFIX_PATH="$stage" -DCMAKE_BUILD_TYPE=Release \
    ${PORTICO_PLUGIN_CXX_COMPILER:+-DCMAKE_CXX_COMPILER="$PORTICO_PLUGIN_CXX_COMPILER"} \
    ${PORTICO_PLUGIN_COMPILER_LAUNCHER:+-DCMAKE_CXX_COMPILER_LAUNCHER="$PORTICO_PLUGIN_COMPILER_LAUNCHER"} \
    -DCMAKE_CXX_FLAGS="${PORTICO_PLUGIN_CXX_FLAGS:-}" \
    -DCMAKE_EXE_LINKER_FLAGS="${PORTICO_PLUGIN_LINKER_FLAGS:-}" \
    -DCMAKE_MODULE_LINKER_FLAGS="${PORTICO_PLUGIN_LINKER_FLAGS:-}"

step "building"
cmake --build "$plugin/build" -j "${PORTICO_JOBS:-2}"

step "running the plugin's own tests"
ctest --test-dir "$plugin/build" --output-on-failure --no-tests=error | tee "$work/ctest.log"
grep -q "100% tests passed, 0 tests failed out of 3" "$work/ctest.log" ||
    fail "expected the 3 test cases the scaffold writes to pass"

so=$plugin/build/plugins/$id.so
[[ -f $so ]] || fail "$so was not built"

cat > "$work/portico.json" <<JSON
{
  "listen": {"address": "127.0.0.1", "port": 0},
  "data_dir": "$work/data",
  "site": {"base_url": "http://localhost"},
  "plugin_dirs": ["$plugin/build/plugins"],
  "plugins": {"$id": {"greeting": "Grüß dich"}}
}
JSON

step "loading it into portico"
"$portico" check-config --config "$work/portico.json"
"$portico" plugins --config "$work/portico.json" |
    grep -E "^$id +0\.1\.0 +[0-9.]+ +yes +Answers GET with a configurable greeting$" ||
    fail "portico plugins does not list $id as enabled"

"$portico" serve --config "$work/portico.json" > "$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 200); do
    grep -q "listening on" "$work/serve.log" && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.05
done
port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$work/serve.log" | grep -o '[0-9]*$' || true)
[[ -n $port ]] || { cat "$work/serve.log"; fail "portico did not start"; }

body=$(curl -sS --max-time 5 "http://127.0.0.1:$port/$id/")
echo "GET /$id/ -> $body"
[[ $body == "Grüß dich" ]] || fail "expected the configured greeting, got \"$body\""
status=$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/elsewhere")
[[ $status == 404 ]] || fail "GET /elsewhere: expected 404, got $status"

kill -TERM "$server_pid"
wait "$server_pid"
server_pid=""
echo "1 passed, 0 failed"

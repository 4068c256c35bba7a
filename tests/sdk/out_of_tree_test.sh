#!/usr/bin/env bash
# The plugin author's path end to end, as sdk/README.md describes it: install the SDK, build and
# test sdk/examples/hello out of tree against it, then load the built hello.so into the real
# portico, run its command (`portico hello greet NAME`) and call its route over loopback.
# Usage: tests/sdk/out_of_tree_test.sh <main build dir>
set -euo pipefail
build_dir=$(cd "$1" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/portico-oot-test.XXXXXX")
server_pid=""
cleanup() {
    if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then kill "$server_pid"; fi
    rm -rf "$work"
}
trap cleanup EXIT

plugin=$(TMPDIR=$work "$here/out_of_tree.sh" "$build_dir" | tail -n 1)
echo "built $plugin"

cat > "$work/hello.json" <<JSON
{
  "listen": {"address": "127.0.0.1", "port": 0},
  "data_dir": "$work/data",
  "site": {"base_url": "http://localhost"},
  "plugin_dirs": ["$(dirname "$plugin")"],
  "plugins": {"hello": {"greeting": "Hallo"}}
}
JSON

portico=$build_dir/bin/portico
"$portico" check-config --config "$work/hello.json"
abi=$("$portico" version | sed -n 's/.*plugin abi \([0-9.]*\).*/\1/p')
[[ -n $abi ]] || { echo "no plugin abi in 'portico version'"; exit 1; }
"$portico" plugins --config "$work/hello.json" | grep -E "^hello +0\.1\.0 +${abi//./\\.} +yes"

# The plugin's command (portico hello greet NAME), run by the real host on the configured plugin.
fail() { echo "FAILED: $*"; exit 1; }
out=$("$portico" hello greet Ada --config "$work/hello.json")
[[ $out == "Hallo, Ada!" ]] || fail "portico hello greet Ada printed '$out'"
out=$("$portico" hello greet Ada --shout --config "$work/hello.json")
[[ $out == "HALLO, ADA!" ]] || fail "portico hello greet Ada --shout printed '$out'"
status=0
"$portico" hello wave --config "$work/hello.json" > "$work/out" 2> "$work/err" || status=$?
[[ $status == 2 && ! -s $work/out ]] || fail "portico hello wave: status $status, output $(cat "$work/out")"
grep -qxF "hello: expected 'greet NAME'" "$work/err" || fail "portico hello wave said: $(cat "$work/err")"
"$portico" --help --config "$work/hello.json" |
    grep -qE "^  hello +print the greeting for a name \(plugin hello\)$" ||
    fail "portico --help does not list the hello command"
"$portico" hello --help --config "$work/hello.json" | grep -q "^usage: portico hello greet NAME" ||
    fail "portico hello --help does not show the usage"

# Disabled, the command is not listed, and running it names the plugin.
sed 's/"hello": {/"hello": {"enabled": false, /' "$work/hello.json" > "$work/hello-off.json"
if "$portico" --help --config "$work/hello-off.json" | grep -q "plugin hello"; then
    fail "portico --help lists the command of the disabled hello plugin"
fi
status=0
"$portico" hello greet Ada --config "$work/hello-off.json" 2> "$work/err" || status=$?
[[ $status == 2 ]] || fail "portico hello with the plugin disabled exited $status"
grep -qF "portico: unknown command 'hello'; plugin 'hello' adds it, but it is disabled in $work/hello-off.json (plugins.hello.enabled)" "$work/err" ||
    fail "portico hello with the plugin disabled said: $(cat "$work/err")"
echo "the hello command: ok"

"$portico" serve --config "$work/hello.json" > "$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 200); do
    grep -q "listening on" "$work/serve.log" && break
    sleep 0.05
done
port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$work/serve.log" | grep -o '[0-9]*$')
[[ -n $port ]] || { cat "$work/serve.log"; exit 1; }

body=$(curl -sS --max-time 5 "http://127.0.0.1:$port/hello?name=Ada")
headers=$(curl -sS --max-time 5 -I "http://127.0.0.1:$port/hello")
echo "GET /hello?name=Ada -> $body"
[[ $body == "Hallo, Ada!" ]]
grep -qi '^x-hello: 1' <<< "$headers"

kill -TERM "$server_pid"
wait "$server_pid"
server_pid=""
echo "1 passed, 0 failed"

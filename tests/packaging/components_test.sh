#!/usr/bin/env bash
# The install components, each into a temporary root as a package build would install it:
#   runtime  the host, libportico_sdk.so.N, every bundled plugin and the site, nothing of the SDK;
#            the installed host loads every plugin and passes check-config with the shipped config;
#   sdk      headers, the libportico_sdk.so link, the test kit and the CMake package, nothing else;
#   service  the systemd unit, the low-port drop-in, /etc/portico/portico.json and .env;
#   (none)   a plain `cmake --install` writes runtime + sdk under the prefix, never /etc.
# Usage: tests/packaging/components_test.sh <build dir>
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/portico-components.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# install COMPONENT: into $work/<component> with prefix /usr (DESTDIR, as CPack does); prints
# the installed paths relative to that root, sorted.
install_component() {
  local root=$work/$1
  DESTDIR=$root cmake --install "$build" --component "$1" --prefix /usr >"$work/$1.log" 2>&1 ||
    { cat "$work/$1.log" >&2; echo "FAIL: cmake --install --component $1" >&2; exit 1; }
  (cd "$root" && find . \( -type f -o -type l \) | sed 's|^\./||' | sort)
}
has() { grep -qxE "$2" <<<"$1" || fail "$3: missing $2"; }
lacks() { if grep -qE "$2" <<<"$1"; then fail "$3: must not hold $(grep -E "$2" <<<"$1" | head -3 | tr '\n' ' ')"; fi; }

runtime=$(install_component runtime)
has "$runtime" 'usr/bin/portico' runtime
has "$runtime" 'usr/lib/libportico_sdk\.so\.[0-9]+' runtime
for dir in "$src"/plugins/*/; do
  id=$(basename "$dir")
  has "$runtime" "usr/lib/portico/plugins/$id\.so" runtime
done
for f in config/portico.json locales/de.json locales/en.json www/templates/layouts/page.mustache \
  studio/templates/layout.mustache; do
  has "$runtime" "usr/share/portico/${f//./\\.}" runtime
done
lacks "$runtime" '^usr/include/|^usr/lib/cmake/|libportico_testkit|libportico_sdk\.so$|^etc/|systemd' runtime

sdk=$(install_component sdk)
has "$sdk" 'usr/lib/libportico_sdk\.so' sdk
has "$sdk" 'usr/lib/libportico_testkit\.so(\.[0-9.]+)?' sdk
for name in PorticoConfig PorticoConfigVersion PorticoTargets PorticoPlugin; do
  has "$sdk" "usr/lib/cmake/Portico/$name\.cmake" sdk
done
for header in $(cd "$src/sdk/include" && find . -name '*.hpp' | sed 's|^\./||') \
  $(cd "$src/sdk/testkit/include" && find . -name '*.hpp' | sed 's|^\./||') portico/sdk/poco_version.hpp; do
  has "$sdk" "usr/include/${header//./\\.}" sdk
done
lacks "$sdk" '^usr/bin/|^usr/share/|^usr/lib/portico/|libportico_sdk\.so\.|^etc/' sdk
soname=$(objdump -p "$work/runtime/usr/lib/libportico_sdk.so."[0-9]*.[0-9]* | awk '$1 == "SONAME" {print $2}')
if [ -z "$soname" ] || [ "$(readlink "$work/sdk/usr/lib/libportico_sdk.so")" != "$soname" ] ||
  [ ! -e "$work/runtime/usr/lib/$soname" ]; then
  fail "sdk: libportico_sdk.so does not name the runtime's library by its soname ($soname)"
fi

service=$(install_component service)
for f in etc/portico/portico.json etc/portico/.env usr/lib/systemd/system/portico.service \
  usr/share/portico/systemd/bind-low-ports.conf; do
  has "$service" "${f//./\\.}" service
done
[ "$(wc -l <<<"$service")" -eq 4 ] || fail "service: more than its 4 files: $service"

# The runtime on its own: every bundled plugin loads, the shipped config checks out.
root=$work/runtime
plugins=$("$root/usr/bin/portico" plugins --config "$root/usr/share/portico/config/portico.json" 2>&1) ||
  fail "runtime: portico plugins: $plugins"
for dir in "$src"/plugins/*/; do
  id=$(basename "$dir")
  grep -qE "^$id " <<<"$plugins" || fail "runtime: plugin $id not listed: $plugins"
done
mkdir -p "$work/cwd"
out=$(cd "$work/cwd" && PORTICO_SITE_DIR=$root/usr/share/portico PORTICO_DATA_DIR=$work/data \
  "$root/usr/bin/portico" check-config --config "$root/usr/share/portico/config/portico.json" 2>&1) ||
  fail "runtime: check-config with the shipped config: $out"

# A plain install: runtime and sdk under the prefix, the service files nowhere.
cmake --install "$build" --prefix "$work/all" >"$work/all.log" 2>&1 ||
  { cat "$work/all.log" >&2; fail "plain cmake --install"; }
grep -E 'Installing: /etc/|systemd' "$work/all.log" && fail "a plain install writes the service files"
if [ ! -x "$work/all/bin/portico" ] || [ ! -f "$work/all/include/portico/sdk/plugin.hpp" ]; then
  fail "a plain install lacks the host or the SDK headers"
fi

if ((failures)); then echo "$failures failed" >&2; exit 1; fi
echo "install components: runtime $(wc -l <<<"$runtime") files, sdk $(wc -l <<<"$sdk"), service 4: ok"

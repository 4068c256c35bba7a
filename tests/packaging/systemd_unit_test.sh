#!/usr/bin/env bash
# The packaged systemd unit: `systemd-analyze verify` accepts it (alone and with the low-port
# drop-in) in a root that holds the installed package files, the sandbox settings the package
# promises are there, and `systemd-analyze security` rates it at most 2.5 ("OK" or better).
# Usage: tests/packaging/systemd_unit_test.sh <build dir>
set -euo pipefail
build=$(cd "$1" && pwd)
command -v systemd-analyze >/dev/null ||
  { echo "FAIL: systemd-analyze is missing (Debian: systemd; scripts/setup.sh --test installs it)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/portico-unit.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/root
# The root also needs the units the portico unit depends on by default (sysinit.target, ...)
# and the /bin/kill of ExecReload=: the host's.
mkdir -p "$root/usr/lib/systemd/system" "$root/bin"
cp -a /usr/lib/systemd/system/. "$root/usr/lib/systemd/system/"
cp /bin/kill "$root/bin/kill"
for component in runtime service; do
  DESTDIR=$root cmake --install "$build" --component "$component" --prefix /usr >/dev/null
done
unit=$root/usr/lib/systemd/system/portico.service
[ -f "$unit" ] || { echo "FAIL: no portico.service in the service component" >&2; exit 1; }

# systemd-analyze finds ExecStart= and the unit's search path under --root.
verify() {
  local out
  if ! out=$(systemd-analyze verify --root="$root" "$unit" 2>&1) || [ -n "$out" ]; then
    echo "FAIL: systemd-analyze verify ($1):" >&2
    echo "$out" >&2
    exit 1
  fi
  echo "ok: systemd-analyze verify accepts the unit ($1)"
}
verify "as packaged"
mkdir -p "$root/etc/systemd/system/portico.service.d"
cp "$root/usr/share/portico/systemd/bind-low-ports.conf" "$root/etc/systemd/system/portico.service.d/"
verify "with the bind-low-ports.conf drop-in"

# What the package promises, line by line.
# shellcheck disable=SC2016 # $MAINPID is systemd's, literally
for line in Type=notify ExecReload='/bin/kill -HUP $MAINPID' WatchdogSec=30s User=portico \
  Group=portico ProtectSystem=strict ReadWritePaths=/var/lib/portico StateDirectory=portico \
  NoNewPrivileges=yes PrivateTmp=yes ProtectHome=yes CapabilityBoundingSet= AmbientCapabilities=; do
  grep -qxF "$line" "$unit" || { echo "FAIL: the unit lacks the line $line" >&2; exit 1; }
done
grep -q '^AmbientCapabilities=CAP_NET_BIND_SERVICE$' \
  "$root/etc/systemd/system/portico.service.d/bind-low-ports.conf" ||
  { echo "FAIL: the drop-in does not grant CAP_NET_BIND_SERVICE" >&2; exit 1; }
echo "ok: the unit has the sandbox and notify settings the package promises"

rm -rf "$root/etc/systemd/system/portico.service.d"
score=$(systemd-analyze security --offline=true --root="$root" "$unit" 2>&1 |
  sed -n 's/.*Overall exposure level for portico.service: \([0-9.]*\).*/\1/p')
[ -n "$score" ] || { systemd-analyze security --offline=true --root="$root" "$unit" >&2 || true; echo "FAIL: no exposure level" >&2; exit 1; }
awk -v s="$score" 'BEGIN { exit !(s <= 2.5) }' ||
  { echo "FAIL: systemd-analyze security rates the unit $score (more than 2.5)" >&2; exit 1; }
echo "ok: systemd-analyze security: exposure $score"

#!/usr/bin/env bash
# The restore drill of docs/runbook.md, timed, on the real binary with SQLite: a server takes
# PORTICO_DRILL_MESSAGES messages through the contact form (default 30), `portico backup`
# snapshots the store while it serves, the store is lost (server stopped, database files
# deleted), `portico restore` brings the snapshot back, and the server starts again. Checks that
# restore refuses while a server runs, that every message is back and that the form works after
# the restore; prints the time of each step (the runbook quotes them).
#
#   tests/deploy/restore_drill.sh BUILD_DIR      e.g. build/ci
set -euo pipefail

build=$(cd "${1:?usage: $0 BUILD_DIR}" && pwd)
portico="$build/bin/portico"
messages=${PORTICO_DRILL_MESSAGES:-30}

# shellcheck source=tests/support/portico.sh
source "$(dirname "$0")/../support/portico.sh"
work=$(mktemp -d /tmp/portico-drill-XXXXXX)
trap 'portico_stop; rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

cat >"$work/portico.json" <<JSON
{
  "listen": {"address": "127.0.0.1", "port": 0},
  "admin": {"port": 0},
  "data_dir": "$work/data",
  "log": {"access_log": false},
  "site": {"base_url": "http://localhost"},
  "plugin_dirs": ["$build/lib/portico/plugins"],
  "plugins": {"contact": {"secret": "restore-drill-secret-0123", "min_fill_seconds": 0},
              "health": {}}
}
JSON

start_server() {  # sets $port once the server answers /readyz with 200
  if ! portico_start "$portico" "$work/portico.json" "$work/serve.log" || ! portico_ready "$portico_port"; then
    cat "$work/serve.log" >&2
    fail "the server did not become ready"
  fi
  port=$portico_port
}

post() {  # name
  local code
  code=$(portico_post_contact "$port" "$1")
  [ "$code" = 303 ] || fail "POST of message $1 answered $code"
}

count() {  # the number of messages `portico contact list` reports
  "$portico" contact list --config "$work/portico.json" | tail -1 | sed -n 's/^\([0-9]*\) messages\{0,1\}$/\1/p'
}

start_server
for i in $(seq 1 "$messages"); do post "drill-$i"; done
[ "$(count)" = "$messages" ] || fail "before the drill: $(count) messages, not $messages"

# 1. The backup, taken while the server serves (the backup service does this on a timer).
t=$(now)
"$portico" backup --out "$work/backups/" --keep 3 --config "$work/portico.json" >"$work/backup.log" 2>&1 ||
  { cat "$work/backup.log" >&2; fail "portico backup failed"; }
t_backup=$(since "$t")
snapshots=("$work"/backups/portico-*.db)
snapshot=${snapshots[-1]}
[ -f "$snapshot" ] || fail "portico backup wrote no snapshot"
size_kb=$(($(stat -c %s "$snapshot") / 1024))

# restore refuses while a server uses the data directory.
if "$portico" restore "$snapshot" --config "$work/portico.json" >"$work/refused.log" 2>&1; then
  fail "portico restore replaced the store of a running server"
fi

# 2. The loss: the server stops and the store is gone.
t_down=$(now)
portico_stop
rm -f "$work"/data/portico.db "$work"/data/portico.db-wal "$work"/data/portico.db-shm

# 3. The restore, then the server again.
t=$(now)
"$portico" restore "$snapshot" --config "$work/portico.json" >"$work/restore.log" 2>&1 ||
  { cat "$work/restore.log" >&2; fail "portico restore failed"; }
t_restore=$(since "$t")
t=$(now)
start_server
t_start=$(since "$t")
t_total=$(since "$t_down")

[ "$(count)" = "$messages" ] || fail "after the restore: $(count) messages, not $messages"
post "after-restore"
[ "$(count)" = "$((messages + 1))" ] || fail "the form does not store after the restore"

echo "restore drill: $messages messages, snapshot $size_kb kB; backup while serving ${t_backup} s," \
  "restore ${t_restore} s, start to ready ${t_start} s; from stop to ready again ${t_total} s"

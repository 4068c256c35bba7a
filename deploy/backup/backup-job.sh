#!/bin/sh
# The backup profile's job (compose.yaml mounts it as /usr/local/bin/portico-backup-job into the
# `backup` service, Portico's image, and `backup-postgres`, the postgres image). DATABASE_URL
# picks the store: empty, Portico keeps its data in SQLite and `backup` snapshots it with
# `portico backup`; set, `backup-postgres` dumps it with pg_dump -Fc. The other service idles.
#
#   portico-backup-job loop     a backup now, then one every BACKUP_INTERVAL_SECONDS
#   portico-backup-job once     one backup; exit status 0, or 1 with an error line
#   portico-backup-job health   the service's healthcheck: 0 while the last backup succeeded and
#                               is at most BACKUP_INTERVAL_SECONDS + BACKUP_GRACE_SECONDS old
#
# A failed backup exits 1, logs a JSON line at level "error" and turns the service unhealthy
# (`docker compose ps` shows it) until a backup succeeds again.
set -eu
umask 077  # dumps and snapshots hold every message
store=${BACKUP_STORE:?BACKUP_STORE must be sqlite or postgres}
dir=${BACKUP_DIR:-/backups}
keep=${BACKUP_KEEP:-7}
interval=${BACKUP_INTERVAL_SECONDS:-86400}
grace=${BACKUP_GRACE_SECONDS:-3600}
state=${BACKUP_STATE_DIR:-/tmp/portico-backup}

# One JSON line on stderr, like portico's own log: level, logger, message (escaped).
log() {
  msg=$(printf '%s' "$2" | tr -d '\000-\010\013-\037' | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' |
    awk '{ printf "%s%s", (NR > 1 ? "\\n" : ""), $0 }')
  printf '{"time":"%s","level":"%s","logger":"backup-%s","msg":"%s"}\n' \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$1" "$store" "$msg" >&2
}

# Whether this service has nothing to do: the other one backs the store in use up.
idle_reason() {
  case $store in
    sqlite) if [ -n "${DATABASE_URL:-}" ]; then echo "DATABASE_URL is set: PostgreSQL holds the data, backup-postgres dumps it"; fi ;;
    postgres) if [ -z "${DATABASE_URL:-}" ]; then echo "DATABASE_URL is empty: SQLite holds the data, the backup service snapshots it"; fi ;;
    *) echo "BACKUP_STORE must be sqlite or postgres, got \"$store\""; return 1 ;;
  esac
}

backup_sqlite() { portico backup --out "$dir/" --keep "$keep"; }

backup_postgres() {
  file="$dir/postgres-$(date -u +%Y%m%dT%H%M%SZ).dump"
  # pg_restore --list: a readable archive, not a truncated one.
  if ! pg_dump --format=custom --dbname="$DATABASE_URL" --file="$file.partial" ||
    ! pg_restore --list "$file.partial" >/dev/null || ! mv "$file.partial" "$file"; then
    rm -f "$file.partial"
    return 1
  fi
  echo "backup: wrote $file ($(wc -c <"$file") bytes)"
  for old in "$dir"/postgres-*.dump; do
    if [ -f "$old" ]; then echo "$old"; fi
  done | sort -r | awk -v keep="$keep" 'NR > keep' |
    while read -r old; do rm -f "$old" && echo "backup: removed old $old"; done
}

once() {
  mkdir -p "$state"
  if ! reason=$(idle_reason); then log error "backup failed: $reason"; return 1; fi
  if [ -n "$reason" ]; then log info "nothing to back up here: $reason"; return 0; fi
  started=$(date +%s)
  : >"$state/running"
  if out=$("backup_$store" 2>&1); then
    rm -f "$state/running"
    date +%s >"$state/last-success"
    rm -f "$state/last-failure"
    log info "$out (in $(($(date +%s) - started)) s)"
    return 0
  fi
  rm -f "$state/running"
  printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$out" >"$state/last-failure"
  log error "backup failed: $out"
  return 1
}

health() {
  if ! reason=$(idle_reason); then echo "$reason"; return 1; fi
  if [ -n "$reason" ]; then echo "idle: $reason"; return 0; fi
  if [ -f "$state/last-failure" ]; then echo "last backup failed: $(cat "$state/last-failure")"; return 1; fi
  if [ ! -f "$state/last-success" ]; then
    if [ -f "$state/running" ]; then echo "the first backup is running"; return 0; fi
    echo "no successful backup yet"
    return 1
  fi
  age=$(($(date +%s) - $(cat "$state/last-success")))
  if [ "$age" -gt $((interval + grace)) ]; then echo "last successful backup ${age} s ago"; return 1; fi
  echo "last backup ok, ${age} s ago"
}

case ${1:-} in
  once) once ;;
  health) health ;;
  loop)
    while :; do
      once || true
      sleep "$interval"
    done ;;
  *) echo "usage: portico-backup-job loop|once|health" >&2; exit 2 ;;
esac

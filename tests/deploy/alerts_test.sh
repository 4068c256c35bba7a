#!/usr/bin/env bash
# The monitoring profile's Prometheus config and alerting rules: promtool (Debian's prometheus
# package) checks deploy/prometheus/prometheus.yml with the rules it loads and runs their unit
# tests (alerts_test.yml); then a real portico, with every plugin that exports a metric the
# rules use, is scraped, and every portico_* metric the rules name must be one it exports, so an
# alert cannot watch a metric that was renamed away. Every alert needs its section in
# docs/runbook.md.
#
#   tests/deploy/alerts_test.sh BUILD_DIR      e.g. build/ci
set -euo pipefail

build=$(cd "${1:?usage: $0 BUILD_DIR}" && pwd)
repo=$(cd "$(dirname "$0")/../.." && pwd)
rules="$repo/deploy/prometheus/alerts.yml"
portico="$build/bin/portico"

fail() { echo "FAIL: $*" >&2; exit 1; }
command -v promtool >/dev/null || fail "promtool is missing (scripts/setup.sh --test installs prometheus)"

promtool check config "$repo/deploy/prometheus/prometheus.yml" >/dev/null ||
  fail "promtool rejects deploy/prometheus/prometheus.yml or its rules"
(cd "$(dirname "$0")" && promtool test rules alerts_test.yml) || fail "the alerting rules' unit tests"

# Every alert has a section in the runbook, under the anchor its annotation links to.
while read -r anchor; do
  grep -qi "^### *$anchor\$" "$repo/docs/runbook.md" ||
    fail "docs/runbook.md has no section '### $anchor' (linked from alerts.yml)"
done < <(grep -o 'docs/runbook.md#[a-z0-9-]*' "$rules" | sed 's/.*#//')
alerts=$(grep -c '^ *- alert:' "$rules")
linked=$(grep -c 'runbook: "docs/runbook.md#' "$rules")
[ "$alerts" = "$linked" ] || fail "$alerts alerts, but $linked link to the runbook"

# shellcheck source=tests/support/portico.sh
source "$(dirname "$0")/../support/portico.sh"
work=$(mktemp -d /tmp/portico-alerts-XXXXXX)
trap 'portico_stop; rm -rf "$work"' EXIT

# Notifications on (to a port nobody listens on) and the Redis backend (nothing answers either):
# both register their metrics at start.
cat >"$work/portico.json" <<JSON
{
  "listen": {"address": "127.0.0.1", "port": 0},
  "admin": {"address": "127.0.0.1", "port": 0},
  "data_dir": "$work/data",
  "log": {"access_log": false},
  "site": {"base_url": "http://localhost"},
  "plugin_dirs": ["$build/lib/portico/plugins"],
  "plugins": {"metrics": {}, "health": {},
              "contact": {"secret": "alerts-test-secret-0123",
                          "notify": {"enabled": true, "smtp_host": "127.0.0.1", "smtp_port": 9,
                                     "from": "site@example.test", "to": "owner@example.test"}},
              "ratelimit": {"backend": "redis", "redis": {"url": "redis://127.0.0.1:9/0"}},
              "insights": {}}
}
JSON
if ! portico_start "$portico" "$work/portico.json" "$work/serve.log" || [ -z "$portico_admin" ]; then
  cat "$work/serve.log" >&2
  fail "portico did not start both listeners"
fi
port=$portico_port
admin=$portico_admin
# One request, so that the per-request series exist.
curl -sS -o /dev/null "http://127.0.0.1:$port/" || fail "GET / failed"
curl -fsS "http://127.0.0.1:$admin/metrics" >"$work/metrics" || fail "GET /metrics on the admin listener failed"

missing=()
while read -r metric; do
  grep -q "^# TYPE $metric " "$work/metrics" || missing+=("$metric")
done < <(grep -oE 'portico_[a-z_]+' "$rules" | sed -E 's/_(bucket|count|sum)$//' | sort -u)
((${#missing[@]} == 0)) || fail "alerts.yml uses metrics portico does not export: ${missing[*]}"
echo "alerts: $alerts rules checked by promtool and unit-tested, each in the runbook;" \
  "the $(grep -oE 'portico_[a-z_]+' "$rules" | sed -E 's/_(bucket|count|sum)$//' | sort -u | wc -l) metrics they use are exported"

#!/usr/bin/env bash
# deploy/cloud-init.yaml against cloud-init's own schema (`cloud-init schema`, Debian package
# cloud-init): the file passes, and a copy with a wrong type in it is refused, so that the check
# is seen to bite. Prints the schema's deprecation notes when there are any.
set -euo pipefail
repo_root=$(cd "$(dirname "$0")/../.." && pwd)
file=$repo_root/deploy/cloud-init.yaml

fail() { printf '[cloud-init-test] FAIL: %s\n' "$*" >&2; exit 1; }
pass() { printf '[cloud-init-test] ok: %s\n' "$*" >&2; }
command -v cloud-init >/dev/null || fail "cloud-init is not installed (scripts/setup.sh --test installs it)"

out=$(cloud-init schema --config-file "$file" 2>&1) || fail "cloud-init schema rejects $file: $out"
grep -q '^Valid cloud-config' <<<"$out" || fail "cloud-init schema did not call $file valid: $out"
pass "cloud-init schema accepts deploy/cloud-init.yaml ($(cloud-init --version 2>&1 | awk '{print $NF}'))"

work=$(mktemp -d /tmp/portico-cloud-init-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
sed 's/^packages:$/packages: docker.io\nunused_packages:/' "$file" >"$work/bad.yaml"
grep -q '^packages: docker.io$' "$work/bad.yaml" || fail "could not make the broken copy"
if out=$(cloud-init schema --config-file "$work/bad.yaml" 2>&1); then
  fail "cloud-init schema accepts packages given as a string: $out"
fi
grep -q "packages: 'docker.io' is not of type 'array'" <<<"$out" || fail "unexpected refusal: $out"
pass "a copy with 'packages: docker.io' (a string, not a list) is refused"

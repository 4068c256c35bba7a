#!/usr/bin/env bash
# The deploy key's forced command (deploy/ssh-command.sh) behind a real sshd: starts Debian's
# sshd (openssh-server) as root on a free loopback port with its own host key and config in a
# temp folder; root may log in with the test key only through the forced command
# (PermitRootLogin forced-commands-only, `restrict,command=...` as deploy/bootstrap.sh writes it).
# The checkout it deploys is a temp clone whose deploy/deploy.sh is a stub that records its
# arguments, and `docker` is a stub that records a login. Checks: `deploy TAG` pulls and runs
# deploy.sh TAG (a token on stdin logs in to the image's registry and out again); `rollback`
# runs deploy.sh --rollback; every other request is refused with exit status 2 and runs
# nothing; a client whose known_hosts holds another key for the server is refused before any
# command. Needs root and openssh-server (scripts/setup.sh); skipped loudly without them.
# tests/docker/deploy_test.sh runs the real deploy.sh behind the same forced command.
set -euo pipefail
repo_root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/support/sshd.sh
source "$repo_root/tests/support/sshd.sh"
sshd_bin=/usr/sbin/sshd

fail() { printf '[deploy-test] FAIL: %s\n' "$*" >&2; exit 1; }
pass() { printf '[deploy-test] ok: %s\n' "$*" >&2; }
if [ "$(id -u)" -ne 0 ] || [ ! -x "$sshd_bin" ]; then
  printf '\n%s\n\n' "!!!!! SSH DEPLOY TEST SKIPPED: needs root and $sshd_bin (scripts/setup.sh installs openssh-server)" >&2
  exit 0
fi

work=$(mktemp -d /tmp/portico-ssh-test.XXXXXX)
sshd_pid=""
cleanup() {
  if [ -n "$sshd_pid" ]; then kill "$sshd_pid" 2>/dev/null || true; wait "$sshd_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
t0=$SECONDS

# The checkout: a clone of a bare "origin", so that `git pull --ff-only` has something to pull.
git() { command git -c user.name=test -c user.email=test@example.test -c init.defaultBranch=main "$@"; }
git init -q --bare "$work/origin.git"
git clone -q "$work/origin.git" "$work/seed" 2>/dev/null
mkdir -p "$work/seed/deploy"
cat >"$work/seed/deploy/deploy.sh" <<'STUB'
#!/bin/sh
printf '%s\n' "$*" >>"$(dirname "$0")/../calls"
STUB
chmod +x "$work/seed/deploy/deploy.sh"
printf 'PORTICO_IMAGE=registry.example.test/owner/portico\n' >"$work/seed/.env"
printf 'calls\n' >"$work/seed/.gitignore"
git -C "$work/seed" add -A && git -C "$work/seed" commit -qm one && git -C "$work/seed" push -q origin HEAD
git clone -q "$work/origin.git" "$work/checkout"
printf 'two\n' >"$work/seed/pulled" && git -C "$work/seed" add -A &&
  git -C "$work/seed" commit -qm two && git -C "$work/seed" push -q origin HEAD

mkdir "$work/bin"
cat >"$work/bin/docker" <<'STUB'
#!/bin/sh
printf 'docker %s stdin=%s\n' "$*" "$(if [ "$1" = login ]; then cat; fi)" >>"$PORTICO_DEPLOY_REPO/calls"
STUB
chmod +x "$work/bin/docker"
install -m 755 "$repo_root/deploy/ssh-command.sh" "$work/bin/portico-ssh-command"

# Server: host key, the client key allowed only through the forced command.
sshd_keys "$work"
ssh-keygen -q -t ed25519 -N '' -f "$work/other_host_key"
forced="PORTICO_DEPLOY_REPO=$work/checkout PATH=$work/bin:/usr/bin:/bin $work/bin/portico-ssh-command"
printf 'restrict,command="%s" %s\n' "$forced" "$(cat "$work/client_key.pub")" >"$work/authorized_keys"
sshd_start "$work" || fail "sshd did not start"
printf '[127.0.0.1]:%s %s\n' "$sshd_port" "$(cut -d' ' -f1,2 "$work/other_host_key.pub")" >"$work/wrong_known_hosts"
client() { sshd_client "$work" "$@"; }
calls() { cat "$work/checkout/calls" 2>/dev/null || true; }

# Allowed: deploy TAG (pulls first), with and without a token; rollback.
out=$(client "$work/known_hosts" 'deploy sha-1a2b3c4' </dev/null 2>&1) || fail "deploy TAG failed: $out"
[ "$(calls)" = "sha-1a2b3c4" ] || fail "deploy.sh was not called with the tag: $(calls)"
[ -f "$work/checkout/pulled" ] || fail "deploy TAG did not git pull the checkout first"
pass "'deploy sha-1a2b3c4' pulls the checkout and runs deploy.sh sha-1a2b3c4"
rm -f "$work/checkout/calls"
out=$(printf 'token-123\n' | client "$work/known_hosts" 'deploy v1.2.3' 2>&1) || fail "deploy with a token failed: $out"
expected="docker login registry.example.test --username portico-deploy --password-stdin stdin=token-123
v1.2.3
docker logout registry.example.test stdin="
[ "$(calls)" = "$expected" ] || fail "deploy with a token: expected
$expected
got
$(calls)"
pass "'deploy v1.2.3' with a token on stdin logs in to the image's registry, deploys, logs out"
rm -f "$work/checkout/calls"
client "$work/known_hosts" rollback </dev/null >/dev/null 2>&1 || fail "rollback failed"
[ "$(calls)" = "--rollback" ] || fail "rollback did not run deploy.sh --rollback: $(calls)"
pass "'rollback' runs deploy.sh --rollback"
rm -f "$work/checkout/calls"

# Refused: anything else, including shell syntax around an allowed word.
# shellcheck disable=SC2016 # the $(...) and backticks are the point: sent unexpanded
refused=(
  'cat /etc/passwd'
  'deploy ;rm -rf /'
  'deploy $(id)'
  'deploy `id`'
  'deploy v1 v2'
  'deploy'
  'deploy -x'
  'deploy ../../etc'
  "deploy v1
id"
  'rollback; id'
  ' rollback'
  'deploy.sh v1'
  "deploy $(printf 'a%.0s' $(seq 1 129))"
  ''
)
for cmd in "${refused[@]}"; do
  set +e
  out=$(client "$work/known_hosts" "$cmd" </dev/null 2>&1)
  rc=$?
  set -e
  [ "$rc" = 2 ] || fail "$(printf '%q' "$cmd") exited $rc, not 2: $out"
  grep -q "portico-ssh: refused" <<<"$out" || fail "$(printf '%q' "$cmd"): no refusal message: $out"
  [ -z "$(calls)" ] || fail "$(printf '%q' "$cmd") ran something: $(calls)"
done
pass "${#refused[@]} other requests (cat /etc/passwd, 'deploy ;rm -rf /', 'deploy \$(id)', ...) refused with status 2, nothing run"

# A server key that is not the one in known_hosts: ssh refuses before sending any command.
set +e
out=$(client "$work/wrong_known_hosts" 'deploy v9' </dev/null 2>&1)
rc=$?
set -e
[ "$rc" = 255 ] || fail "a wrong known_hosts entry was accepted (exit $rc): $out"
grep -qi 'host key verification failed\|HOST IDENTIFICATION HAS CHANGED' <<<"$out" ||
  fail "no host key error with a wrong known_hosts entry: $out"
[ -z "$(calls)" ] || fail "a command ran despite the wrong host key: $(calls)"
set +e
out=$(client /dev/null 'deploy v9' </dev/null 2>&1)
rc=$?
set -e
if [ "$rc" != 255 ] || [ -n "$(calls)" ]; then fail "an unknown host key was accepted (exit $rc): $out"; fi
pass "a client with a wrong or no known_hosts entry is refused (StrictHostKeyChecking=yes)"
echo "deploy ssh test: passed in $((SECONDS - t0)) s"

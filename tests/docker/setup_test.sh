#!/usr/bin/env bash
# shellcheck disable=SC2016 # the quoted commands are expanded by the container's shell
# The README's commands on a fresh Debian 12: runs scripts/setup.sh (what serve.sh runs: build
# and serve packages, no test tool) and then scripts/setup.sh --test (what test.sh runs) in a
# bare Debian 12 container (the debootstrapped debian:bookworm of lib.sh; apt through the host's
# network) that holds only the repository, read-only, then checks that every tool the test
# suites call is on the PATH and runs. Then setup.sh's Node.js decision: a node older than 18.16 on the PATH is
# not enough, a newer one with npm is kept. Prints how long setup.sh took.
set -euo pipefail
# shellcheck source=tests/docker/lib.sh
source "$(dirname "$0")/lib.sh"

ensure_dockerd || fail "no Docker engine (run as root with dockerd installed)"
ensure_base_images

name=portico-setup-test-$$
on_exit "dk rm -f $name"
t0=$SECONDS
# The .deb files are kept in a volume between runs (the image deletes them after each install),
# and dpkg skips its fsyncs: setup.sh runs as it would, only the downloads and the disk are spared.
dk run -d --name "$name" --network host -v "$repo_root:/repo:ro" \
  -v portico-setup-test-debs:/var/cache/apt/archives debian:bookworm sleep 3600 >/dev/null
in_box() { dk exec "$name" bash -c "$1"; }
in_box 'rm -f /etc/apt/apt.conf.d/docker-clean && echo force-unsafe-io >/etc/dpkg/dpkg.cfg.d/unsafe-io'
in_box 'command -v node npm' && fail "the bare container already has node or npm"

# scripts/serve.sh's set: what building and serving need, none of the test toolchain.
in_box '/repo/scripts/setup.sh' >"/tmp/$name.log" 2>&1 ||
  { tail -40 "/tmp/$name.log" >&2; fail "scripts/setup.sh failed in a bare Debian 12 container (log: /tmp/$name.log)"; }
log "scripts/setup.sh (build and serve) in a bare Debian 12 container: $((SECONDS - t0)) s"
for check in 'cmake --version' 'ninja --version' 'g++ --version' 'pkg-config --version' 'cmark --version' \
  'test -f /usr/include/Poco/Net/HTTPServer.h' 'test -f /usr/include/http_parser.h' 'pkg-config --exists libpq'; do
  in_box "$check" >/dev/null 2>&1 || fail "after scripts/setup.sh this does not run: $check"
done
for tool in chromium java node dockerd psql redis-server prometheus nginx clang++; do
  if in_box "command -v $tool" >/dev/null 2>&1; then
    fail "scripts/setup.sh without --test installed $tool, a test-only tool"
  fi
done
pass "scripts/setup.sh installs the build and serve packages only"

t1=$SECONDS
in_box '/repo/scripts/setup.sh --test' >"/tmp/$name.log" 2>&1 ||
  { tail -40 "/tmp/$name.log" >&2; fail "scripts/setup.sh --test failed in a bare Debian 12 container (log: /tmp/$name.log)"; }
log "scripts/setup.sh --test after it: $((SECONDS - t1)) s"
rm -f "/tmp/$name.log"

# Each tool as the suites call it (grep the tests for more): CMake presets, the browser gates
# (node, npm, java, chromium, xmllint), the integration and scale tests (redis-server, the
# PostgreSQL binaries, promtool, aiosmtpd), the bench, the fuzzers, the deploy SSH and cloud-init
# tests and the Docker tests themselves.
checks=(
  'cmake --version' 'ninja --version' 'g++ --version' 'clang++ --version' 'pkg-config --version'
  'git --version' 'curl --version' 'cmark --version'
  'node --version' 'npm --version' 'java -version' 'chromium --version' 'xmllint --version'
  'redis-server --version' 'redis-cli --version'
  'pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1) && "$pgbin/initdb" --version && "$pgbin/pg_ctl" --version && "$pgbin/postgres" --version'
  'psql --version' 'promtool --version' 'python3 -m aiosmtpd --version' 'python3 -c "import yaml"'
  'wrk -v 2>&1 | grep -q wrk' 'nginx -v' 'slowhttptest -h 2>&1 | grep -qi slowhttptest'
  '/usr/sbin/sshd -V 2>&1 | grep -q OpenSSH' 'ssh -V' 'ssh-keygen --help 2>&1 | grep -q usage'
  'docker --version' 'dockerd --version' 'docker-compose version' 'debootstrap --version'
  'runuser --version' 'systemd-analyze --version' 'cloud-init --version'
)
missing=()
for check in "${checks[@]}"; do
  in_box "$check" >/dev/null 2>&1 || missing+=("$check")
done
((${#missing[@]} == 0)) || fail "after setup.sh these do not run: $(printf '[%s] ' "${missing[@]}")"
node_version=$(in_box 'node --version')
pass "after setup.sh every tool the suites call runs (${#checks[@]} checks; Debian's node $node_version)"

# The Node.js decision, with stand-in `node` commands first on the PATH (nothing to install now).
in_box 'mkdir -p /tmp/old /tmp/new && printf "#!/bin/sh\necho v16.20.0\n" >/tmp/old/node &&
  printf "#!/bin/sh\necho v22.1.0\n" >/tmp/new/node && chmod +x /tmp/old/node /tmp/new/node'
out=$(in_box 'PATH=/tmp/old:$PATH /repo/scripts/setup.sh --test')
grep -qF "node 16.20.0 (need 18.16 and npm): installing" <<<"$out" || fail "setup.sh accepts node 16: $out"
out=$(in_box 'PATH=/tmp/new:$PATH /repo/scripts/setup.sh --test')
grep -qF "node 22.1.0 and npm on the PATH" <<<"$out" || fail "setup.sh does not keep a newer node: $out"
pass "setup.sh installs Debian's Node.js only when node is missing or older than 18.16"
log "setup test: $((SECONDS - t0)) s"

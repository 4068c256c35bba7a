#!/usr/bin/env bash
# shellcheck disable=SC2016 # the quoted commands are expanded by the container's shell
# The .deb packages on a fresh Debian 12: cpack builds portico and portico-sdk from the ci build
# (PORTICO_BUILD_DIR, default build/ci; PORTICO_DEB_DIR takes ready packages instead), then a
# bare debian:bookworm-slim container (lib.sh's debootstrapped image) installs both with
# `apt install ./portico_*.deb ./portico-sdk_*.deb`. There: the portico system user, the data
# directory and the .env modes postinst sets, `portico check-config` of the packaged
# /etc/portico/portico.json as that user, the packaged site served on loopback, and a plugin
# (sdk/examples/hello) built against the installed SDK and loaded by the installed host.
set -euo pipefail
# shellcheck source=tests/docker/lib.sh
source "$(dirname "$0")/lib.sh"

ensure_dockerd || fail "no Docker engine (run as root with dockerd installed)"
ensure_base_images
t0=$SECONDS

debs=${PORTICO_DEB_DIR:-}
if [ -z "$debs" ]; then
  build=${PORTICO_BUILD_DIR:-$repo_root/build/ci}
  debs=$(mktemp -d /var/tmp/portico-debs.XXXXXX)
  chmod 755 "$debs"
  on_exit "rm -rf '$debs'"
  if [ -f "$build/CPackConfig.cmake" ]; then
    (cd "$debs" && cpack --config "$build/CPackConfig.cmake" -B "$debs" >"$debs/cpack.log" 2>&1) ||
      { tail -30 "$debs/cpack.log" >&2; fail "cpack failed"; }
  else
    # No build here (the CI's Docker job): the release build of the image's build stage, which
    # image_test.sh has just built (cached layers), packaged inside it.
    log "no $build: packaging the image's build stage"
    dk build --network host -q --target build -t portico:package-build "$repo_root" >/dev/null ||
      fail "docker build --target build failed"
    on_exit "dk rmi portico:package-build"
    dk run --rm --network host -v "$repo_root/deploy:/src/deploy:ro" -v "$debs:/out" portico:package-build \
      bash -c 'apt-get update -q && apt-get install -y -q --no-install-recommends file &&
        cd /out && cpack --config /src/build/release/CPackConfig.cmake -B /out' >"$debs/cpack.log" 2>&1 ||
      { tail -30 "$debs/cpack.log" >&2; fail "cpack in the build stage failed"; }
  fi
  log "cpack: $(cd "$debs" && echo ./*.deb) in $((SECONDS - t0)) s"
fi
ls "$debs"/portico_*.deb "$debs"/portico-sdk_*.deb >/dev/null 2>&1 || fail "no portico_*.deb and portico-sdk_*.deb in $debs"
for deb in "$debs"/portico_*.deb "$debs"/portico-sdk_*.deb; do
  log "$(basename "$deb"): Depends: $(dpkg-deb -f "$deb" Depends)"
done

name=portico-package-test-$$
on_exit "dk rm -f $name"
# The archive cache volume is setup_test.sh's: the Debian packages both tests need are fetched once.
dk run -d --name "$name" --network host -v "$debs:/debs:ro" -v "$repo_root/sdk/examples:/examples:ro" \
  -v portico-setup-test-debs:/var/cache/apt/archives debian:bookworm-slim sleep 3600 >/dev/null
in_box() { dk exec "$name" bash -c "$1"; }
in_box 'rm -f /etc/apt/apt.conf.d/docker-clean && echo force-unsafe-io >/etc/dpkg/dpkg.cfg.d/unsafe-io'
in_box 'command -v portico' && fail "the bare container already has portico"
in_box 'apt-get update -q && cd /debs && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ./portico_*.deb ./portico-sdk_*.deb' \
  >"/tmp/$name.log" 2>&1 || { tail -40 "/tmp/$name.log" >&2; fail "apt install ./portico_*.deb ./portico-sdk_*.deb failed (log: /tmp/$name.log)"; }
rm -f "/tmp/$name.log"
pass "apt install ./portico_*.deb ./portico-sdk_*.deb on a fresh Debian 12 ($((SECONDS - t0)) s so far)"

# What postinst promised.
[ "$(in_box 'id -un portico && id -gn portico && getent passwd portico | cut -d: -f6,7')" = $'portico\nportico\n/var/lib/portico:/usr/sbin/nologin' ] ||
  fail "postinst: no portico system user with home /var/lib/portico and no shell"
[ "$(in_box 'stat -c "%U:%G %a" /var/lib/portico /etc/portico/.env')" = $'portico:portico 700\nroot:portico 640' ] ||
  fail "postinst: /var/lib/portico must be portico:portico 700, /etc/portico/.env root:portico 640"
in_box 'dpkg-query -W -f="\${Conffiles}\n" portico' | grep -q '/etc/portico/portico.json' ||
  fail "/etc/portico/portico.json is no conffile"
in_box 'test -f /usr/lib/systemd/system/portico.service' || fail "no portico.service"
pass "postinst: the portico user, /var/lib/portico 0700, /etc/portico/.env 0640, the unit and its conffiles"

out=$(in_box 'cd / && runuser -u portico -- portico check-config --config /etc/portico/portico.json' 2>&1) ||
  fail "portico check-config with the packaged config failed: $out"
pass "portico check-config passes with the packaged /etc/portico/portico.json as the portico user"

# Serve the packaged site as the unit would (user, working directory, config), on a free port.
port=$(free_port)
admin=$(free_port)
in_box "cd /var/lib/portico && PORTICO_PORT=$port PORTICO_ADMIN_PORT=$admin PORTICO_ADDRESS=127.0.0.1 \
  runuser -u portico -- portico serve --config /etc/portico/portico.json >/tmp/serve.log 2>&1 &"
ok=0
for _ in $(seq 1 100); do
  if in_box "portico healthcheck http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then ok=1; break; fi
  sleep 0.3
done
((ok)) || { in_box 'cat /tmp/serve.log' >&2 || true; fail "the packaged site did not become ready"; }
page=$(http_get "$port" /en/) || fail "GET /en/ of the packaged site failed"
grep -q '<html' <<<"$page" || fail "GET /en/ is no page: ${page:0:200}"
in_box 'test -f /var/lib/portico/portico.db' || fail "no SQLite store in /var/lib/portico"
pass "the packaged site is served from /usr/share/portico with its data in /var/lib/portico"

# The SDK package: an out-of-tree plugin builds against it and the installed host loads it.
in_box 'cp -r /examples/hello /tmp/hello && cmake -S /tmp/hello -B /tmp/hello/build -DBUILD_TESTING=OFF -G "Unix Makefiles" >/tmp/hello.log 2>&1 &&
  cmake --build /tmp/hello/build -j2 >>/tmp/hello.log 2>&1' ||
  { in_box 'tail -30 /tmp/hello.log' >&2 || true; fail "sdk/examples/hello does not build against the installed portico-sdk"; }
in_box 'printf "{\"listen\": {\"port\": 0}, \"data_dir\": \"/tmp/hello-data\", \"site\": {\"base_url\": \"http://localhost\"},
  \"plugin_dirs\": [\"/tmp/hello/build/plugins\"], \"plugins\": {\"hello\": {}}}" >/tmp/hello.json &&
  portico check-config --config /tmp/hello.json && portico plugins --config /tmp/hello.json | grep -E "^hello +0\.1\.0 .* yes"' >/dev/null ||
  fail "the installed host does not load the plugin built against the installed SDK"
pass "a plugin built against the installed portico-sdk loads into the installed portico"
log "package test: $((SECONDS - t0)) s"

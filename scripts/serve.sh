#!/usr/bin/env bash
# Installs what building and serving need (no test tools), builds a release and serves the site
# on http://localhost:8080 with config/portico.json (override with PORTICO_CONFIG). Arguments
# go to `portico serve` (`scripts/serve.sh --watch`: live reload for authors). Stop with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset release
cmake --build --preset release
exec build/release/bin/portico serve --config "${PORTICO_CONFIG:-config/portico.json}" "$@"

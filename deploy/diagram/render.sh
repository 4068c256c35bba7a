#!/usr/bin/env bash
# Renders architecture.dot to architecture.png (graphviz from Debian: apt-get install graphviz).
# Run after editing the .dot file and commit both.
set -euo pipefail
cd "$(dirname "$0")"
command -v dot >/dev/null || { echo "render: install graphviz (apt-get install graphviz)" >&2; exit 1; }
dot -Tpng -Gdpi=110 architecture.dot -o architecture.png
echo "render: wrote $(pwd)/architecture.png"

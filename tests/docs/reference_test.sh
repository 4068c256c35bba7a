#!/usr/bin/env bash
# Fails when the committed configuration reference differs from what `portico reference`
# generates from the schemas of the host and the installed plugins, and shows the difference.
#
#   tests/docs/reference_test.sh PORTICO_BINARY REFERENCE_FILE
set -euo pipefail
portico=${1:?usage: $0 PORTICO_BINARY REFERENCE_FILE}
reference=${2:?usage: $0 PORTICO_BINARY REFERENCE_FILE}
generated=$(mktemp)
trap 'rm -f "$generated"' EXIT

"$portico" reference --out "$generated"
if ! diff -u "$reference" "$generated"; then
    echo "FAIL: $reference is out of date; regenerate it with:" >&2
    echo "  $portico reference --out $reference" >&2
    exit 1
fi
echo "$reference matches $(grep -c '^| `' "$generated") documented keys"

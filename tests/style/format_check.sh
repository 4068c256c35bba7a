#!/usr/bin/env bash
# Check mode of clang-format: every C++ file of the tree is formatted as .clang-format says.
# Lists each file that would change and exits 1; `clang-format-14 -i FILE` fixes one.
set -euo pipefail
root=$(cd "${1:?usage: format_check.sh SOURCE_DIR}" && pwd)
cd "$root"
format=$(command -v clang-format-14 || command -v clang-format || true)
if [ -z "$format" ]; then
  echo "format_check: clang-format is not installed (scripts/setup.sh --test installs it)" >&2
  exit 1
fi
mapfile -t files < <(find sdk host plugins tests \( -name build -prune \) -o \
  \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' \) -type f -print | sort)
if ((${#files[@]} < 100)); then
  echo "format_check: found only ${#files[@]} C++ files under $root; is this the source tree?" >&2
  exit 1
fi
# One run over every file; each violation names its file ("path:line:col: warning: ...").
report=$("$format" --dry-run --Werror "${files[@]}" 2>&1 || true)
mapfile -t bad < <(printf '%s\n' "$report" | sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: .*clang-format-violations.*/\1/p' | sort -u)
if [ -n "$report" ] && ((${#bad[@]} == 0)); then
  printf '%s\n' "$report" | head -20
  echo "format_check: $format failed" >&2
  exit 1
fi
if ((${#bad[@]})); then
  echo "format_check: ${#bad[@]} of ${#files[@]} files are not formatted (fix: $format -i FILE):"
  printf '  %s\n' "${bad[@]}"
  printf '%s\n' "$report" | head -20
  exit 1
fi
echo "format_check: ${#files[@]} files formatted as .clang-format says ($("$format" --version))"

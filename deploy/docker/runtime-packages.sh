#!/bin/bash
# Prints the Debian packages that own the shared libraries the given binaries and plugins load,
# one per line, without the architecture suffix. Run in the image's build stage, so the runtime
# stage installs exactly what the final binaries need (a plugin that links a new library brings
# its package along without anyone editing a list). Libraries under the given files' own prefix
# (libportico_sdk) are skipped.
set -euo pipefail
prefix=$1
shift
# Data files (templates, strings) sit beside the binaries: ldd fails on them, which is no error.
find "$@" -type f | while read -r f; do
  { ldd "$f" 2>/dev/null || true; } | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}'
done | sort -u | while read -r lib; do
  case $lib in "$prefix"/*) continue ;; esac
  real=$(readlink -f "$lib")
  # Debian 12 merges /usr, but dpkg may record either spelling of a path.
  for p in "$lib" "$real" "/usr$lib" "${lib#/usr}" "/usr$real" "${real#/usr}"; do
    owner=$(dpkg-query -S "$p" 2>/dev/null | head -1 | cut -d: -f1) || true
    if [ -n "$owner" ]; then echo "$owner"; break; fi
  done
  if [ -z "${owner:-}" ]; then echo "runtime-packages: no package owns $lib" >&2; exit 1; fi
  owner=""
done | sort -u

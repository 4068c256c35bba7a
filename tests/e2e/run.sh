#!/usr/bin/env bash
# Quality gates of the shipped site against the real portico of BUILD_DIR:
#   run.sh html BUILD_DIR        the Nu HTML Checker on every page, sitemap.xml against the
#                                sitemaps.org schema (and the size of each page and
#                                asset as sent with brotli)
#   run.sh lighthouse BUILD_DIR  Lighthouse on the key pages, desktop and mobile (lighthouse.mjs)
#   run.sh visual BUILD_DIR      screenshots of the key pages (390 and 1280 px, light and dark)
#                                against tests/e2e/visual/, and the CV printed to PDF
#                                (visual.mjs; UPDATE_VISUAL=1 rewrites the references)
#   run.sh console BUILD_DIR     the operator's console in Chromium: page loads counted in its
#                                charts, the inbox actions across a restart, CSRF refusal, Nu
#                                HTML and Lighthouse accessibility (console.mjs)
#   run.sh livereload BUILD_DIR  serve --watch on a copy of the site: an open tab reloads by
#                                itself after a Markdown edit and shows a broken one (livereload.mjs)
# Needs Java, Chromium and ImageMagick from Debian (scripts/setup.sh); a missing one fails the
# gate. The npm packages are installed from package-lock.json into tests/e2e/node_modules on first
# use, with install scripts off, so no browser and no Java is downloaded.
set -euo pipefail
gate=${1:?usage: run.sh html|lighthouse|visual|console|livereload BUILD_DIR}
build=$(cd "${2:?usage: run.sh html|lighthouse|visual|console|livereload BUILD_DIR}" && pwd)
cd "$(dirname "$0")"
export PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi
case "$gate" in
  html) exec node html_check.mjs "$build" ;;
  lighthouse) exec node lighthouse.mjs "$build" ;;
  visual) exec node visual.mjs "$build" ;;
  console) exec node console.mjs "$build" ;;
  livereload) exec node livereload.mjs "$build" ;;
  *) echo "run.sh: unknown gate \"$gate\" (html, lighthouse, visual, console or livereload)" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Builds everything without calling `pnpm` itself (it may not be on PATH):
# generated indexes, the CLI + host bundle, the extension for Chrome and Firefox.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
node scripts/gen-anchors.mjs
node scripts/gen-municipalities.mjs
(cd bridge && node build.mjs)
(cd extension && node_modules/.bin/wxt build >/dev/null && node_modules/.bin/wxt build -b firefox --mv3 >/dev/null)
for f in bridge/dist/jpki-guard.mjs bridge/dist/jpki-guard-host.mjs extension/.output/chrome-mv3/manifest.json extension/.output/firefox-mv3/manifest.json; do
  [ -f "$f" ] || { echo "build: $f was not produced" >&2; exit 1; }
done

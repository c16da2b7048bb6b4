#!/usr/bin/env bash
# Builds everything without calling `pnpm` itself (it may not be on PATH):
# generated indexes, the CLI + host bundle, the extension for Chrome and Firefox.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
node scripts/gen-anchors.mjs
node scripts/gen-municipalities.mjs
(cd bridge && node build.mjs)
# WXT (Rollup) warns at length about comments inside zod; keep its output unless it fails.
wxt_log="$(mktemp)"
if ! (cd extension && node_modules/.bin/wxt build && node_modules/.bin/wxt build -b firefox --mv3) >"$wxt_log" 2>&1; then
  cat "$wxt_log" >&2
  rm -f "$wxt_log"
  exit 1
fi
rm -f "$wxt_log"
for f in bridge/dist/jpki-guard.mjs bridge/dist/jpki-guard-host.mjs extension/.output/chrome-mv3/manifest.json extension/.output/firefox-mv3/manifest.json; do
  [ -f "$f" ] || { echo "build: $f was not produced" >&2; exit 1; }
done

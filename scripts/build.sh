#!/usr/bin/env bash
# Builds everything without calling `pnpm` itself (it may not be on PATH):
# generated indexes, the CLI + host bundles (development and release), the
# extension for Chrome and Firefox.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
node scripts/gen-anchors.mjs
node scripts/gen-municipalities.mjs
node scripts/gen-holidays.mjs
node bridge/build.mjs            # development build (bridge/dist): virtual card, demo
node bridge/build.mjs --release  # what the release packages carry (bridge/dist-release)
# WXT (Rollup) warns at length about comments inside zod; keep its output unless it fails.
wxt_log="$(mktemp)"
if ! (cd extension && node_modules/.bin/wxt build && node_modules/.bin/wxt build -b firefox --mv3) >"$wxt_log" 2>&1; then
  cat "$wxt_log" >&2
  rm -f "$wxt_log"
  exit 1
fi
rm -f "$wxt_log"
for f in bridge/dist/jpki-guard.mjs bridge/dist/jpki-guard-host.mjs bridge/dist-release/jpki-guard.mjs bridge/dist-release/jpki-guard-host.mjs extension/.output/chrome-mv3/manifest.json extension/.output/firefox-mv3/manifest.json; do
  [ -f "$f" ] || { echo "build: $f was not produced" >&2; exit 1; }
done

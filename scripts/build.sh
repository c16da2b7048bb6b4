#!/usr/bin/env bash
# Builds everything without calling `pnpm` itself (it may not be on PATH):
# generated indexes, the CLI + host bundles (development and release), the
# extension for Chrome and Firefox (release and the end-to-end tests' build).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
node scripts/gen-anchors.mjs
node scripts/gen-municipalities.mjs
node scripts/gen-holidays.mjs
node bridge/build.mjs            # development build (bridge/dist): virtual card, demo
node bridge/build.mjs --release  # what the release packages carry (bridge/dist-release)
# WXT (Rollup) warns at length about comments inside zod; keep its output unless it fails.
wxt_log="$(mktemp)"
# The e2e build (--mode e2e, .output/*-mv3-e2e) is what the end-to-end tests load: it alone honours the
# tests' platform in storage.local (extension/lib/build-flags.ts); the release and the stores carry the other.
if ! (cd extension && node_modules/.bin/wxt build && node_modules/.bin/wxt build -b firefox --mv3 &&
  node_modules/.bin/wxt build --mode e2e && node_modules/.bin/wxt build -b firefox --mv3 --mode e2e) >"$wxt_log" 2>&1; then
  cat "$wxt_log" >&2
  rm -f "$wxt_log"
  exit 1
fi
rm -f "$wxt_log"
for f in bridge/dist/jpki-guard.mjs bridge/dist/jpki-guard-host.mjs bridge/dist-release/jpki-guard.mjs bridge/dist-release/jpki-guard-host.mjs extension/.output/chrome-mv3/manifest.json extension/.output/firefox-mv3/manifest.json extension/.output/chrome-mv3-e2e/manifest.json extension/.output/firefox-mv3-e2e/manifest.json; do
  [ -f "$f" ] || { echo "build: $f was not produced" >&2; exit 1; }
done

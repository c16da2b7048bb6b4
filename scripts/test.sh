#!/usr/bin/env bash
# Runs every test on a fresh Debian/Ubuntu machine: installs what is missing,
# builds, lints, type-checks, runs the unit tests and the integration tests
# (the real pcscd + vpcd serving the virtual card, and OpenSC reading it).
# Needs root (system packages; a private pcscd): re-runs itself with sudo.
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then exec sudo -E env "PATH=$PATH" bash "$0" "$@"; fi
export JPKI_GUARD_WITH_BROWSER=1
source "$(dirname "${BASH_SOURCE[0]}")/lib/prepare.sh"

log "lint (biome)"
"$PNPM" exec biome check .
log "type-check (tsc)"
"$PNPM" run --silent typecheck
log "Firefox build lint (addons-linter)"
"$PNPM" --filter @jpki-guard/extension exec addons-linter --output text .output/firefox-mv3
log "release packages (scripts/package.sh), tested as installed below"
bash "$ROOT/scripts/package.sh"
log "Wine for the Windows build's tests (scripts/lib/wine.sh)"
JPKI_GUARD_WINE="$(bash "$ROOT/scripts/lib/wine.sh")"
export JPKI_GUARD_WINE
log "tests (vitest: unit, then integration through pcscd)"
results="$(mktemp)"
set +e
"$PNPM" exec vitest run --reporter=default --reporter=json --outputFile.json="$results"
code=$?
set -e
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
if (r.numTotalTests === 0) process.exit(1);
' "$results" || code=1
rm -f "$results"
exit "$code"

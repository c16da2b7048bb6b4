#!/usr/bin/env bash
# Sets everything up on a fresh Debian/Ubuntu machine and runs the main job:
# checks the card in the first reader, or, with no reader and card present,
# the built-in virtual card (labelled as such).
source "$(dirname "${BASH_SOURCE[0]}")/lib/prepare.sh"

log "checking the card (jpki-guard demo)"
set +e
if [ -z "$SUDO" ]; then
  node bridge/dist/jpki-guard.mjs demo
else
  # The built-in virtual card starts a private pcscd, which needs root.
  $SUDO env "PATH=$PATH" node bridge/dist/jpki-guard.mjs demo
fi
code=$?
set -e
[ -f bridge/dist/jpki-guard.mjs ] || die "the build did not produce bridge/dist/jpki-guard.mjs"
log "done (exit $code: 0 ready, 1 attention, 2 blocked, 3 cannot tell). Next: pnpm jpki-guard --help"
# The verdict is the result; the set-up itself succeeded.
[ "$code" -le 3 ] || exit "$code"

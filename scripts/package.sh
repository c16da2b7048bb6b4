#!/usr/bin/env bash
# Builds every release artifact into dist/release/ from a clean checkout
# (offline except for the package registries) and writes SHA256SUMS:
# the .deb, the two .msi (per user / per machine), the macOS archive and the
# extension packages (Chrome, Firefox, sources), the report viewer (one HTML
# file from docs/). Installs what it needs
# (dpkg-deb is there on Debian; wixl from apt; runtimes from npm).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if ! command -v wixl >/dev/null || ! command -v zip >/dev/null || ! command -v dpkg-shlibdeps >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wixl zip dpkg-dev binutils >/dev/null
fi
if [ ! -d node_modules ] || [ ! -f bridge/dist-release/jpki-guard.mjs ]; then
  source "$ROOT/scripts/lib/prepare.sh"
fi
node bridge/build.mjs --release
node scripts/lib/package.mjs

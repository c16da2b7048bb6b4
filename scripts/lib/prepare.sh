# Shared by scripts/setup.sh and scripts/test.sh: installs what jpki-guard needs
# on a fresh Debian/Ubuntu machine (system packages, pnpm, dependencies) and
# builds it. Source it; it sets ROOT, PNPM and SUDO.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

PNPM_VERSION=12.4.2
NODE_MIN_MAJOR=20
NODE_MIN_MINOR=19

log() { printf '\033[1m[jpki-guard]\033[0m %s\n' "$*" >&2; }
die() { printf '[jpki-guard] error: %s\n' "$*" >&2; exit 1; }

if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
  die "needs root or sudo to install system packages"; fi

# --- system packages --------------------------------------------------------
need_pkgs=()
pkg_for() { # command-or-file -> package
  case "$1" in
    pcscd) echo pcscd ;;
    /usr/lib/x86_64-linux-gnu/libpcsclite.so.1|/usr/lib/aarch64-linux-gnu/libpcsclite.so.1) echo libpcsclite1 ;;
    pcsc_scan) echo pcsc-tools ;;
    /usr/lib/pcsc/drivers/serial/libifdvpcd.so) echo vsmartcard-vpcd ;;
    opensc-tool) echo opensc ;;
    chromium) echo chromium ;;
    firefox-esr) echo firefox-esr ;;
    /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc) echo fonts-noto-cjk ;;
    openssl) echo openssl ;;
    lintian) echo lintian ;;
    man) echo man-db ;;
    readelf|strip) echo binutils ;;
    dpkg-shlibdeps) echo dpkg-dev ;;
    zip) echo zip ;;
    unzip) echo unzip ;;
  esac
}
check_need() {
  for what in "$@"; do
    if [[ "$what" == /* ]]; then [ -e "$what" ] && continue
    else command -v "$what" >/dev/null 2>&1 && continue
      [ -x "/usr/sbin/$what" ] && continue
    fi
    need_pkgs+=("$(pkg_for "$what")")
  done
}
# The PC/SC runtime library (called through koffi: nothing is compiled), the
# service, and for the tests and the demo the virtual reader and OpenSC.
check_need pcscd "/usr/lib/$(uname -m)-linux-gnu/libpcsclite.so.1" pcsc_scan /usr/lib/pcsc/drivers/serial/libifdvpcd.so opensc-tool
# The browser tests need Chromium and Firefox ESR, and Japanese fonts for readable screenshots.
if [ "${JPKI_GUARD_WITH_BROWSER:-0}" = 1 ]; then check_need chromium firefox-esr /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc openssl; fi
# The release packages and their checks (scripts/package.sh, release-packaging.test.ts): Debian's
# lintian, man, the ELF tools (strip, readelf, dpkg-shlibdeps), zip for the store kit.
if [ "${JPKI_GUARD_WITH_BROWSER:-0}" = 1 ]; then check_need lintian man readelf strip dpkg-shlibdeps zip unzip; fi
if [ "${#need_pkgs[@]}" -gt 0 ]; then
  command -v apt-get >/dev/null || die "missing ${need_pkgs[*]} and no apt-get: install them with your package manager"
  log "installing system packages: ${need_pkgs[*]}"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

# --- node + pnpm ------------------------------------------------------------
command -v node >/dev/null || die "Node.js ${NODE_MIN_MAJOR}.${NODE_MIN_MINOR}+ is required (Debian: apt-get install nodejs, or nodesource)"
node -e "const [a,b]=process.versions.node.split('.').map(Number);process.exit(a>${NODE_MIN_MAJOR}||(a===${NODE_MIN_MAJOR}&&b>=${NODE_MIN_MINOR})?0:1)" \
  || die "Node.js ${NODE_MIN_MAJOR}.${NODE_MIN_MINOR}+ is required (found $(node -v))"

PNPM=""
if command -v pnpm >/dev/null && [ "$(pnpm --version 2>/dev/null)" = "$PNPM_VERSION" ]; then PNPM="$(command -v pnpm)"
elif [ -x "$ROOT/.tools/node_modules/.bin/pnpm" ] && [ "$("$ROOT/.tools/node_modules/.bin/pnpm" --version)" = "$PNPM_VERSION" ]; then
  PNPM="$ROOT/.tools/node_modules/.bin/pnpm"
elif [ -z "$SUDO" ] && [ "${JPKI_GUARD_LOCAL_PNPM:-0}" != 1 ] && npm install -g --silent --no-audit --no-fund "pnpm@$PNPM_VERSION" >/dev/null 2>&1 \
  && [ "$(pnpm --version 2>/dev/null)" = "$PNPM_VERSION" ]; then
  # Root: a global pnpm, so that `pnpm jpki-guard ...` works afterwards.
  # (Corepack fails here with "No compatible signature found"; npm works.)
  PNPM="$(command -v pnpm)"
  log "installed pnpm $PNPM_VERSION globally"
else
  log "installing pnpm $PNPM_VERSION (project-local, in .tools/; use .tools/node_modules/.bin/pnpm or node bridge/dist/jpki-guard.mjs)"
  npm install --silent --no-audit --no-fund --prefix "$ROOT/.tools" "pnpm@$PNPM_VERSION" >/dev/null 2>&1 \
    || npm install --no-audit --no-fund --prefix "$ROOT/.tools" "pnpm@$PNPM_VERSION"
  PNPM="$ROOT/.tools/node_modules/.bin/pnpm"
fi

# --- dependencies and build -------------------------------------------------
log "installing dependencies (pnpm $PNPM_VERSION)"
"$PNPM" install --frozen-lockfile --reporter=silent
log "building"
bash "$ROOT/scripts/build.sh"

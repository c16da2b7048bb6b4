#!/usr/bin/env bash
# Prepares Wine for the Windows tests (the only Windows here), idempotently,
# under .cache/wine, and prints the folder. Recipe and limits: docs/pcsc.md.
#
# - Debian 12's Wine 8 (wine64) from apt; its winscard.dll is a stub.
# - winscard.dll + winscard.so from Debian 13's libwine (Wine 10), fetched with
#   `apt-get download` from the archive this machine's own apt sources name,
#   swapped into a private tree (symlinks to the system's Wine for the rest):
#   the system's Wine is left as it is.
# - A prefix that says Windows 10 (node.exe refuses Windows 7).
#
# Use it as:  W=$(bash scripts/lib/wine.sh); "$W/wine" node.exe ...   (with the env from "$W/env")
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
W="$ROOT/.cache/wine"
LIBWINE_VERSION="10.0~repack-6"
MULTIARCH="$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)"
SYSWINE="/usr/lib/$MULTIARCH/wine"
log() { printf '[jpki-guard wine] %s\n' "$*" >&2; }

if [ -f "$W/ready" ] && [ -x "$W/tree/lib/wine/wine64" ] && [ -d "$W/prefix/drive_c" ]; then echo "$W"; exit 0; fi
mkdir -p "$W"

if [ ! -x /usr/lib/wine/wine64 ]; then
  log "installing wine64 (Debian's Wine)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wine64 >/dev/null
fi

if [ ! -f "$W/dlls/x86_64-unix/winscard.so" ]; then
  log "fetching winscard from libwine $LIBWINE_VERSION (Debian 13)"
  # The archive this machine already uses for Debian 12, asked for Debian 13 ("trixie").
  uri="$(awk '/^URIs:/{u=$2} /^Suites:/ && /(^| )bookworm( |$)/{print u; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)"
  if [ -z "$uri" ]; then uri="$(awk '$1=="deb" && $3=="bookworm"{print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)"; fi
  [ -n "$uri" ] || { log "no Debian 12 archive found in the apt sources"; exit 1; }
  A="$W/apt"
  rm -rf "$A"; mkdir -p "$A/parts" "$A/lists/partial" "$A/cache/archives/partial"
  printf 'Types: deb\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uri" >"$A/parts/trixie.sources"
  o=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$A/parts" -o "Dir::State::Lists=$A/lists" -o "Dir::Cache=$A/cache" -o "APT::Sandbox::User=root")
  apt-get "${o[@]}" update -qq
  (cd "$A" && apt-get "${o[@]}" download "libwine=$LIBWINE_VERSION" >/dev/null)
  mkdir -p "$A/x"
  dpkg-deb --fsys-tarfile "$A"/libwine_*.deb | tar -x -C "$A/x" --wildcards '*/winscard.dll' '*/winscard.so'
  mkdir -p "$W/dlls/x86_64-unix" "$W/dlls/x86_64-windows"
  cp "$A/x/usr/lib/$MULTIARCH/wine/x86_64-unix/winscard.so" "$W/dlls/x86_64-unix/"
  cp "$A/x/usr/lib/$MULTIARCH/wine/x86_64-windows/winscard.dll" "$W/dlls/x86_64-windows/"
  rm -rf "$A"
fi

log "building the private Wine tree"
T="$W/tree"
rm -rf "$T"
mkdir -p "$T/lib/wine" "$T/lib/$MULTIARCH" "$T/share"
# The loader finds its DLLs relative to itself, and its data (NLS files) in ../../share/wine.
cp /usr/lib/wine/wine64 /usr/lib/wine/wineserver /usr/lib/wine/wineserver64 "$T/lib/wine/"
cp -as "$SYSWINE" "$T/lib/$MULTIARCH/wine"
for f in x86_64-unix/winscard.so x86_64-windows/winscard.dll; do
  rm -f "$T/lib/$MULTIARCH/wine/$f"
  cp "$W/dlls/$f" "$T/lib/$MULTIARCH/wine/$f"
done
# Wine takes its DLL folder from where ntdll.so was loaded, with links
# resolved: ntdll.so must be a real file in the tree, or the system's stub
# winscard would be used.
rm -f "$T/lib/$MULTIARCH/wine/x86_64-unix/ntdll.so"
cp "$SYSWINE/x86_64-unix/ntdll.so" "$T/lib/$MULTIARCH/wine/x86_64-unix/ntdll.so"
ln -sfn /usr/share/wine "$T/share/wine"

cat >"$W/env" <<EOF
export WINEPREFIX="$W/prefix"
export WINELOADER="$T/lib/wine/wine64"
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml="
EOF
# shellcheck disable=SC1091
source "$W/env"
if [ ! -d "$W/prefix/drive_c" ]; then
  log "creating the Wine prefix (Windows 10)"
  "$WINELOADER" winecfg -v win10 >/dev/null 2>&1 || true
  "$T/lib/wine/wineserver" -w || true
fi
[ -d "$W/prefix/drive_c" ] || { log "the Wine prefix was not created"; exit 1; }
rm -f "$W/wine"
printf '#!/bin/sh\n. "%s/env"\nexec "%s" "$@"\n' "$W" "$T/lib/wine/wine64" >"$W/wine"
chmod 755 "$W/wine"
touch "$W/ready"
echo "$W"

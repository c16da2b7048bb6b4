#!/bin/sh
# jpki-guard for macOS: installs for this user (no administrator rights).
# Copies the bridge to ~/Library/Application Support/jpki-guard and registers
# the native-messaging host with Chrome, Chromium, Edge, Brave, Vivaldi and
# Firefox (their per-user NativeMessagingHosts folders).
#   sh install.sh        (from the unpacked jpki-guard folder)
# $HOME may hold any character: it is quoted for sh in the launchers, escaped
# for JSON in the manifests and for sed in the substitution; a home folder
# with a control character (a line break) is refused.
set -eu
SRC="$(cd "$(dirname "$0")" && pwd)"
case "$HOME" in
*"
"*) echo "jpki-guard: the home folder's name contains a line break; not installing" >&2; exit 1 ;;
esac
if printf '%s' "$HOME" | LC_ALL=C grep -q '[[:cntrl:]]'; then
  echo "jpki-guard: the home folder's name contains a control character; not installing" >&2
  exit 1
fi
APP_SUPPORT="$HOME/Library/Application Support"
DEST="$APP_SUPPORT/jpki-guard"
HOST_NAME="@HOST_NAME@" # filled in by scripts/lib/package.mjs (shared/src/native-host.json)
# What every launcher clears (bridge/src/install/launcher-env.json), filled in by scripts/lib/package.mjs.
CLEAN_ENV=$(cat <<'ENV'
@CLEAN_ENV@
ENV
)
# 'text' for sh, whatever text holds.
shq() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
# text inside a JSON string: backslash and double quote escaped.
jsonq() { printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g'; }
# text as a sed replacement (s|...|here|): backslash, & and the delimiter escaped.
sedq() { printf '%s' "$1" | sed -e 's/[\\&|]/\\&/g'; }
QDEST="$(shq "$DEST")"
launcher() { # file, script
  { printf '#!/bin/sh\n%s\n' "$CLEAN_ENV"; printf 'exec %s/node %s/app/%s "$@"\n' "$QDEST" "$QDEST" "$2"; } >"$1"
}
umask 022
rm -rf "$DEST.new"
mkdir -p "$DEST.new"
cp -R "$SRC/node" "$SRC/app" "$SRC/allowed-origins.json" "$SRC/uninstall.sh" "$DEST.new/"
for f in NODE-LICENSE THIRD-PARTY-NOTICES jpki-guard.1; do
  if [ -f "$SRC/$f" ]; then cp "$SRC/$f" "$DEST.new/"; fi
done
launcher "$DEST.new/jpki-guard-host" jpki-guard-host.mjs
launcher "$DEST.new/jpki-guard" jpki-guard.mjs
chmod 755 "$DEST.new/jpki-guard-host" "$DEST.new/jpki-guard" "$DEST.new/node"
# Downloaded files carry a quarantine flag; the installed copy is the user's own.
command -v xattr >/dev/null 2>&1 && xattr -dr com.apple.quarantine "$DEST.new" 2>/dev/null || true
rm -rf "$DEST"
mv "$DEST.new" "$DEST"

HOST_IN_JSON="$(sedq "$(jsonq "$DEST/jpki-guard-host")")"
manifest() { # template, target folder
  mkdir -p "$2"
  sed "s|@HOST@|$HOST_IN_JSON|" "$SRC/$1" >"$2/$HOST_NAME.json"
  chmod 644 "$2/$HOST_NAME.json"
  echo "  $2/$HOST_NAME.json"
}
echo "jpki-guard: installed in $DEST"
echo "ブラウザへの登録 / registered with the browsers:"
manifest chromium.json.in "$APP_SUPPORT/Google/Chrome/NativeMessagingHosts"
manifest chromium.json.in "$APP_SUPPORT/Chromium/NativeMessagingHosts"
manifest chromium.json.in "$APP_SUPPORT/Microsoft Edge/NativeMessagingHosts"
manifest chromium.json.in "$APP_SUPPORT/BraveSoftware/Brave-Browser/NativeMessagingHosts"
manifest chromium.json.in "$APP_SUPPORT/Vivaldi/NativeMessagingHosts"
manifest firefox.json.in "$APP_SUPPORT/Mozilla/NativeMessagingHosts"
echo "次に、ブラウザに jpki-guard 拡張機能を追加してください。/ Next, add the jpki-guard extension to your browser."

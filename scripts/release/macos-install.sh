#!/bin/sh
# jpki-guard for macOS: installs for this user (no administrator rights).
# Copies the bridge to ~/Library/Application Support/jpki-guard and registers
# the native-messaging host with Chrome, Chromium, Edge, Brave, Vivaldi and
# Firefox (their per-user NativeMessagingHosts folders).
#   sh install.sh        (from the unpacked jpki-guard folder)
set -eu
SRC="$(cd "$(dirname "$0")" && pwd)"
APP_SUPPORT="$HOME/Library/Application Support"
DEST="$APP_SUPPORT/jpki-guard"
HOST_NAME="@HOST_NAME@" # filled in by scripts/lib/package.mjs (shared/src/native-host.json)
umask 022
rm -rf "$DEST.new"
mkdir -p "$DEST.new"
cp -R "$SRC/node" "$SRC/app" "$SRC/allowed-origins.json" "$SRC/uninstall.sh" "$DEST.new/"
[ -f "$SRC/NODE-LICENSE" ] && cp "$SRC/NODE-LICENSE" "$DEST.new/"
cat >"$DEST.new/jpki-guard-host" <<HOST
#!/bin/sh
unset NODE_OPTIONS NODE_PATH NODE_REPL_EXTERNAL_MODULE DYLD_INSERT_LIBRARIES DYLD_LIBRARY_PATH
exec "$DEST/node" "$DEST/app/jpki-guard-host.mjs" "\$@"
HOST
cat >"$DEST.new/jpki-guard" <<CLI
#!/bin/sh
unset NODE_OPTIONS NODE_PATH NODE_REPL_EXTERNAL_MODULE DYLD_INSERT_LIBRARIES DYLD_LIBRARY_PATH
exec "$DEST/node" "$DEST/app/jpki-guard.mjs" "\$@"
CLI
chmod 755 "$DEST.new/jpki-guard-host" "$DEST.new/jpki-guard" "$DEST.new/node"
# Downloaded files carry a quarantine flag; the installed copy is the user's own.
command -v xattr >/dev/null 2>&1 && xattr -dr com.apple.quarantine "$DEST.new" 2>/dev/null || true
rm -rf "$DEST"
mv "$DEST.new" "$DEST"

manifest() { # template, target folder
  mkdir -p "$2"
  sed "s|@HOST@|$DEST/jpki-guard-host|" "$SRC/$1" >"$2/$HOST_NAME.json"
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

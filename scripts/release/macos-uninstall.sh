#!/bin/sh
# Removes what install.sh wrote for this user.
set -eu
APP_SUPPORT="$HOME/Library/Application Support"
HOST_NAME="@HOST_NAME@" # filled in by scripts/lib/package.mjs (shared/src/native-host.json)
for d in "Google/Chrome" "Chromium" "Microsoft Edge" "BraveSoftware/Brave-Browser" "Vivaldi" "Mozilla"; do
  rm -f "$APP_SUPPORT/$d/NativeMessagingHosts/$HOST_NAME.json"
done
rm -rf "$APP_SUPPORT/jpki-guard"
echo "jpki-guard: removed"

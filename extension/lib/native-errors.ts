/**
 * The browsers' own native-messaging errors (English, whatever the user's language) mapped to our
 * catalog. The popup shows our sentence and keeps the browser's original in a "詳細 / Details" fold
 * for a help desk. Unknown strings map to "other": never shown raw outside the fold.
 *
 * Sources (read 2026-12-01): Chromium's extensions/browser/api/messaging/native_message_host.cc
 * (kNotFoundError, kForbiddenError, kNativeHostExited, kFailedToStartError, kInvalidNameError,
 * kHostInputOutputError); Firefox's "No such native application <name>" as reported by extension
 * projects that handle it (Firefox's NativeMessaging module raises it when no manifest is found).
 */
export type NativeErrorKind = "not-installed" | "forbidden" | "exited" | "start-failed" | "io" | "other";

const TABLE: ReadonlyArray<[RegExp, NativeErrorKind]> = [
  [/^Specified native messaging host not found\.?$/i, "not-installed"],
  [/^Invalid native messaging host name specified\.?$/i, "not-installed"],
  [/^No such native application\b/i, "not-installed"],
  [/^Access to the specified native messaging host is forbidden\.?$/i, "forbidden"],
  [/^Native host has exited\.?$/i, "exited"],
  [/^Failed to start native messaging host\.?$/i, "start-failed"],
  [/^Error when communicating with the native messaging host\.?$/i, "io"],
];

/** Longer than any browser message: a longer string is not one, and is cut before it is kept. */
export const MAX_NATIVE_ERROR = 200;

export function nativeErrorKind(raw: string): NativeErrorKind {
  const s = raw.trim();
  if (s.length > MAX_NATIVE_ERROR) return "other";
  return TABLE.find(([re]) => re.test(s))?.[1] ?? "other";
}

const TEXT: Record<"ja" | "en", Record<NativeErrorKind, string>> = {
  ja: {
    "not-installed":
      "ブラウザが jpki-guard のブリッジを見つけられませんでした。インストールされていないか、このブラウザ向けの登録がありません。",
    forbidden:
      "ブリッジはインストールされていますが、この拡張機能からの接続を許可していません。ブリッジを入れ直すか、管理者に確認してください。",
    exited: "ブリッジが起動してすぐに終了しました。ブリッジを入れ直してください。",
    "start-failed": "ブラウザがブリッジを起動できませんでした。ブリッジを入れ直してください。",
    io: "ブラウザとブリッジのやりとりが途中で失敗しました。ブラウザを再起動してください。",
    other: "ブラウザがブリッジにつなげませんでした。",
  },
  en: {
    "not-installed":
      "The browser could not find the jpki-guard bridge: it is not installed, or not registered for this browser.",
    forbidden:
      "The bridge is installed but does not allow this extension. Reinstall the bridge or ask your administrator.",
    exited: "The bridge stopped right after it started. Reinstall the bridge.",
    "start-failed": "The browser could not start the bridge. Reinstall the bridge.",
    io: "The browser and the bridge stopped understanding each other. Restart the browser.",
    other: "The browser could not connect to the bridge.",
  },
};

export function nativeErrorText(lang: "ja" | "en", raw: string): string {
  return TEXT[lang][nativeErrorKind(raw)];
}

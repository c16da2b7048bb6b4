/**
 * Linux browsers and how they are packaged (distribution package, snap,
 * Flatpak system-wide or per user), and what that means for the native host.
 * Facts (docs/linux-browsers.md): snap Firefox and snap Chromium reach native
 * hosts through the xdg "WebExtensions" portal, which reads the ordinary
 * manifest folders and asks the user once; Firefox as a Flatpak does since
 * Firefox 157 through xdg-native-messaging-proxy, when that service is
 * installed and running; Chrome/Chromium-family Flatpaks have no known way.
 * Everything is decided from files, so tests use fake filesystem roots.
 */
import { posix } from "node:path";
import { BROWSER_NAMES, type Browser, HOST_NAME, manifestDir } from "./targets.js";

export type Packaging = "native" | "snap" | "flatpak" | "flatpak-user";
export type Support = "works" | "portal" | "needs-proxy" | "unsupported";

export interface Text {
  ja: string;
  en: string;
}

export interface DetectedBrowser {
  browser: Browser;
  packaging: Packaging;
  /** What the sandbox allows. */
  support: Support;
  /** A manifest this browser reads was found (the system one the .deb installs, or the user's). */
  manifestFound: boolean;
  /** Expected to reach the host as things are. */
  expectedToWork: boolean;
  /** One line for a person: what applies, and the next step. */
  text: Text;
}

export interface FsView {
  exists(path: string): boolean;
}

const NAMES = BROWSER_NAMES;

/** Distribution packages: their executables. */
const NATIVE_BINARIES: Record<Browser, string[]> = {
  chrome: ["/opt/google/chrome/chrome", "/usr/bin/google-chrome-stable"],
  chromium: [
    "/usr/lib/chromium/chromium",
    "/usr/lib64/chromium-browser/chromium-browser",
    "/usr/lib/chromium-browser/chromium-browser",
  ],
  edge: ["/opt/microsoft/msedge/msedge"],
  brave: ["/opt/brave.com/brave/brave"],
  vivaldi: ["/opt/vivaldi/vivaldi"],
  firefox: ["/usr/lib/firefox/firefox", "/usr/lib/firefox-esr/firefox-esr", "/usr/lib64/firefox/firefox"],
};

const SNAPS: Partial<Record<Browser, string>> = { firefox: "firefox", chromium: "chromium", brave: "brave" };

const FLATPAKS: Record<Browser, string> = {
  chrome: "com.google.Chrome",
  chromium: "org.chromium.Chromium",
  edge: "com.microsoft.Edge",
  brave: "com.brave.Browser",
  vivaldi: "com.vivaldi.Vivaldi",
  firefox: "org.mozilla.firefox",
};

/**
 * Manifest files each browser reads: system first, then the user's: the
 * folders `install` and the .deb write (targets.ts), plus Firefox's lib64
 * system folder on some distributions.
 */
export function manifestCandidates(b: Browser, home: string): string[] {
  const file = `${HOST_NAME}.json`;
  const out = [
    posix.join(manifestDir(b, "linux", "system", home), file),
    posix.join(manifestDir(b, "linux", "user", home), file),
  ];
  if (b === "firefox") out.splice(1, 0, posix.join("/usr/lib64/mozilla/native-messaging-hosts", file));
  return out;
}

const PROXY_BINARIES = ["/usr/libexec/xdg-native-messaging-proxy", "/usr/lib/xdg-native-messaging-proxy"];

function text(
  b: Browser,
  packaging: Packaging,
  support: Support,
  manifestFound: boolean,
  o: { proxyInstalled: boolean; proxyEnabled: boolean },
): Text {
  const name = NAMES[b];
  const kind = {
    native: { ja: "ディストリビューションのパッケージ", en: "distribution package" },
    snap: { ja: "snap", en: "snap" },
    flatpak: { ja: "Flatpak(システム)", en: "Flatpak (system)" },
    "flatpak-user": { ja: "Flatpak(ユーザー)", en: "Flatpak (per user)" },
  }[packaging];
  const head = { ja: `${name}(${kind.ja})`, en: `${name} (${kind.en})` };
  const noManifest = {
    ja: "ホストの登録が見つかりません。jpki-guard のパッケージを入れ直すか、jpki-guard install を実行してください。",
    en: "no host manifest found: reinstall the jpki-guard package or run jpki-guard install.",
  };
  switch (support) {
    case "works":
      return manifestFound
        ? { ja: `${head.ja}: 使えます。`, en: `${head.en}: works.` }
        : { ja: `${head.ja}: ${noManifest.ja}`, en: `${head.en}: ${noManifest.en}` };
    case "portal":
      return manifestFound
        ? {
            ja: `${head.ja}: 使えます(デスクトップのポータル経由)。初めて使うとき、jpki-guard の起動を許可するか尋ねられるので「許可」を選んでください。拒否してしまったときは ~/.local/share/flatpak/db/webextensions を削除して、ログインし直してください。`,
            en: `${head.en}: works through the desktop's WebExtensions portal. The first time, you are asked whether to let it start jpki-guard: choose Allow. If you refused, delete ~/.local/share/flatpak/db/webextensions and log in again.`,
          }
        : {
            ja: `${head.ja}: ポータル経由で使えますが、${noManifest.ja}`,
            en: `${head.en}: works through the portal, but ${noManifest.en}`,
          };
    case "needs-proxy":
      if (!o.proxyInstalled)
        return {
          ja: `${head.ja}: Firefox 157 以降は xdg-native-messaging-proxy があれば使えますが、入っていません。ディストリビューションのパッケージ(xdg-native-messaging-proxy)を入れて、systemctl --user enable --now xdg-native-messaging-proxy.service を実行してください。入れられない場合は、ディストリビューション版の Firefox を使ってください。`,
          en: `${head.en}: Firefox 157 and later work when xdg-native-messaging-proxy is installed, and it is not. Install your distribution's xdg-native-messaging-proxy package and run systemctl --user enable --now xdg-native-messaging-proxy.service, or use your distribution's Firefox.`,
        };
      if (!o.proxyEnabled)
        return {
          ja: `${head.ja}: xdg-native-messaging-proxy は入っています。systemctl --user enable --now xdg-native-messaging-proxy.service で有効にしてください(Firefox 157 以降が必要です)。`,
          en: `${head.en}: xdg-native-messaging-proxy is installed; enable it with systemctl --user enable --now xdg-native-messaging-proxy.service (needs Firefox 157 or later).`,
        };
      return manifestFound
        ? {
            ja: `${head.ja}: xdg-native-messaging-proxy 経由で使えます(Firefox 157 以降)。`,
            en: `${head.en}: works through xdg-native-messaging-proxy (Firefox 157 or later).`,
          }
        : { ja: `${head.ja}: ${noManifest.ja}`, en: `${head.en}: ${noManifest.en}` };
    case "unsupported":
      return {
        ja: `${head.ja}: この形式ではカードブリッジを起動できる方法が知られていません。ディストリビューションのパッケージ版の ${name}、または Firefox を使ってください。`,
        en: `${head.en}: no known way for this packaging to start the card bridge. Use your distribution's ${name} package, or Firefox.`,
      };
  }
}

/**
 * Every browser found on this machine, with its packaging and what applies.
 */
export function detectBrowsers(home: string, fs: FsView): DetectedBrowser[] {
  const out: DetectedBrowser[] = [];
  const proxyInstalled = PROXY_BINARIES.some((p) => fs.exists(p));
  // `systemctl --user enable` links the unit into the target it is wanted by.
  const proxyEnabled =
    proxyInstalled &&
    ["default.target.wants", "graphical-session.target.wants"].some(
      (t) =>
        fs.exists(posix.join(home, ".config/systemd/user", t, "xdg-native-messaging-proxy.service")) ||
        fs.exists(posix.join("/etc/systemd/user", t, "xdg-native-messaging-proxy.service")),
    );
  const ctx = { proxyInstalled, proxyEnabled };
  const add = (browser: Browser, packaging: Packaging, support: Support) => {
    // Sandboxed browsers read the same system and user folders (through the portal or the proxy).
    const manifestFound = manifestCandidates(browser, home).some((m) => fs.exists(m));
    const expectedToWork =
      manifestFound && (support === "works" || support === "portal" || (support === "needs-proxy" && proxyEnabled));
    out.push({
      browser,
      packaging,
      support,
      manifestFound,
      expectedToWork,
      text: text(browser, packaging, support, manifestFound, ctx),
    });
  };
  for (const b of Object.keys(NAMES) as Browser[]) {
    const snap = SNAPS[b];
    const isSnap = snap !== undefined && fs.exists(`/snap/${snap}`);
    // On Ubuntu /usr/bin/firefox and /usr/bin/chromium-browser are wrappers for the snap: only real binaries count.
    if (NATIVE_BINARIES[b].some((p) => fs.exists(p))) add(b, "native", "works");
    if (isSnap) add(b, "snap", b === "brave" ? "unsupported" : "portal");
    const id = FLATPAKS[b];
    const support: Support = b === "firefox" ? "needs-proxy" : "unsupported";
    if (fs.exists(`/var/lib/flatpak/app/${id}`)) add(b, "flatpak", support);
    if (fs.exists(posix.join(home, ".local/share/flatpak/app", id))) add(b, "flatpak-user", support);
  }
  return out;
}

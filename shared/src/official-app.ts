/**
 * The official Mynaportal extension and app, as a Mynaportal page shows
 * them: the official extension adds hidden inputs to the page,
 * `#extension-is-installed` (its major version) and `#app-is-installed` (a
 * value per OS, when its native app answered). Our content script reads
 * whether each is there (never their values) once the page has settled;
 * judgeOfficialApp() turns that into findings. Only Mynaportal's contract is
 * known: no other portal gets these findings.
 */
import type { Environment } from "./environment.js";
import { pageFinding } from "./environment.js";
import { officialAppStepsFor } from "./page-checklist.js";
import type { Finding } from "./verdict.js";

/** What the page showed: each input detected or not. Nothing else crosses from the page. */
export interface OfficialAppSeen {
  extension: boolean;
  app: boolean;
}

/** Where the contract comes from (docs/guidance-sources.md lists the same). */
export const OFFICIAL_APP_CONTRACT = {
  portal: "mynaportal",
  source:
    "The official Mynaportal extension's content script (Chrome id fjjibalalngebiaophebgkkohaaggphf) as seen in github.com/jpki/myna mpa/extension: #extension-is-installed (major version), #app-is-installed (per OS: Windows and macOS values only); a disabled extension adds neither (Chrome disables it when an update asks for new permissions: wins10.jimdofree.com 2023-09, aqlier.com 2026-01, third party)",
  date: "2026-12-01",
} as const;

/**
 * The official app's native-messaging host names, the current one first:
 * what the official extension's background script asks the browser for
 * (`connectNative`), so what the official app registers with each browser.
 * `jpki-guard doctor` looks for both, read-only (bridge/src/install/official-app.ts).
 */
export const OFFICIAL_APP_HOSTS = {
  names: ["jp.go.cao.mpa", "jp.go.myna"],
  source:
    "jp.go.cao.mpa: the official extension's background script calls chrome.runtime.connectNative(\"jp.go.cao.mpa\") (a public copy of it found by its text in a code index; the field notes on the official app record the same); a Homebrew cask for the official macOS package (MynaPortalAppSetup.pkg 8.2.0) deletes /Library/Google/Chrome/NativeMessagingHosts/jp.go.cao.mpa.json on uninstall (hiroga-cc/homebrew-tap Casks/myna-portal-chrome.rb, third party). jp.go.myna: the older Chrome extension's host name, in a Linux user's notes (github.com/naota/mnp-etax README, third party, undated; the field notes record it as the older name)",
  date: "2026-12-01",
} as const;
export type OfficialAppHost = (typeof OFFICIAL_APP_HOSTS.names)[number];

/**
 * The findings for what a Mynaportal page showed. Only on Windows and macOS,
 * where the official app exists: on Linux the environment's own finding
 * says there is no official path (never "install the app"); on an unknown
 * OS nothing is said. A missing extension input says nothing about the app
 * (the extension writes both), so it is one finding, not two.
 */
export function judgeOfficialApp(seen: OfficialAppSeen, env: Environment | null): Finding[] {
  if (!env || (env.os !== "win" && env.os !== "mac")) return [];
  const forOs = (f: Finding): Finding => officialAppStepsFor(f, env.os);
  if (!seen.extension) return [forOs(pageFinding("official-extension-not-detected"))];
  if (!seen.app) return [forOs(pageFinding("official-app-not-detected"))];
  return [];
}

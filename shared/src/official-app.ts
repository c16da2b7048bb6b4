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

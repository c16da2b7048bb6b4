/**
 * The portals' supported environments as data: which OS and browser a
 * portal's action needs, each rule with its source and the date it was
 * seen. A rule that rests only on third-party reports is `reported: true`
 * and its finding says "reported". Where no source says anything (ChromeOS,
 * most browser brands), there is no rule and nothing is said.
 * judgeEnvironment() is pure: the extension passes what the running browser
 * says of itself (runtime.getPlatformInfo, its brand and version), tests pass
 * any platform. docs/guidance-sources.md lists the same sources.
 */
import { affectsOf, FINDING_TABLE, type FindingCode } from "./findings.js";
import { bilingual, type Params } from "./messages.js";
import type { Action, Finding } from "./verdict.js";

/** The portals with rules (user-added portals have none). */
export const PORTAL_IDS = ["mynaportal", "etax", "keisan", "egov"] as const;
export type PortalId = (typeof PORTAL_IDS)[number];

/** runtime.getPlatformInfo()'s `os` values (Chrome's and Firefox's); "other": anything else. */
export const OS_KINDS = ["win", "mac", "linux", "cros", "android", "openbsd", "fuchsia", "other"] as const;
export type OsKind = (typeof OS_KINDS)[number];

export const BROWSER_BRANDS = ["chrome", "edge", "firefox", "chromium", "brave", "vivaldi", "opera", "other"] as const;
export type BrowserBrand = (typeof BROWSER_BRANDS)[number];

/** What the running browser says of itself. */
export interface Environment {
  os: OsKind;
  brand: BrowserBrand;
  /** The browser's major version, null if unknown. */
  version: number | null;
  /** Windows 10 or 11 when the browser tells (Chromium's platformVersion), else null. */
  windows: 10 | 11 | null;
}

export interface EnvironmentRule {
  id: string;
  portal: PortalId;
  action: Action;
  /** It applies when every given condition holds. */
  when: { os?: readonly OsKind[]; brand?: readonly BrowserBrand[]; windows?: 10 | 11 };
  finding: Extract<FindingCode, `env-${string}`>;
  /** Only third-party reports back it: shown as "reported", never as fact. */
  reported: boolean;
  /** Where the fact comes from. */
  source: string;
  /** When the source was seen (or, for a report, when it was made). */
  date: string;
  params?: Params;
}

export const ENVIRONMENT_RULES: readonly EnvironmentRule[] = [
  {
    id: "mynaportal-login-linux",
    portal: "mynaportal",
    action: "login",
    when: { os: ["linux"] },
    finding: "env-no-official-app",
    reported: false,
    source:
      "The official Mynaportal extension's content script: #app-is-installed carries a value for Windows and for macOS only (as seen in github.com/jpki/myna mpa/extension, an unofficial Linux reimplementation that has to fake a Windows user agent because the site rejects Linux)",
    date: "2026-12-01",
  },
  {
    id: "etax-sign-windows-10",
    portal: "etax",
    action: "sign",
    when: { os: ["win"], windows: 10 },
    finding: "env-reported-unsupported",
    reported: true,
    source:
      "trinitas.jp column, 2026 filing season: e-Tax refused the card method on Windows 10 (「ご利用のパソコン環境(OS/ブラウザ)では…ご利用になれません」); third party, unverified",
    date: "2026-02",
    params: { portal: "e-Tax", env: "Windows 10" },
  },
];

/** The rules that apply to this environment on this portal for this action. */
export function environmentRules(
  env: Environment,
  portal: PortalId | null,
  action: Action,
  rules: readonly EnvironmentRule[] = ENVIRONMENT_RULES,
): EnvironmentRule[] {
  if (portal === null) return [];
  return rules.filter(
    (r) =>
      r.portal === portal &&
      r.action === action &&
      (r.when.os === undefined || r.when.os.includes(env.os)) &&
      (r.when.brand === undefined || r.when.brand.includes(env.brand)) &&
      (r.when.windows === undefined || r.when.windows === env.windows),
  );
}

/** A finding from its row (findings.ts) and its params: for what the page shows, not the card. */
export function pageFinding(code: FindingCode, params: Params = {}): Finding {
  const row = FINDING_TABLE[code];
  return {
    code,
    severity: row.severity,
    affects: affectsOf(code, null),
    params,
    text: bilingual(`finding.${code}`, params),
    steps: row.steps.map((s) => ({
      code: s as Finding["steps"][number]["code"],
      text: bilingual(`step.${s}`, params),
    })),
  };
}

/** The environment's findings for a portal page. */
export function judgeEnvironment(
  env: Environment,
  portal: PortalId | null,
  action: Action,
  rules: readonly EnvironmentRule[] = ENVIRONMENT_RULES,
): Finding[] {
  return environmentRules(env, portal, action, rules).map((r) =>
    pageFinding(r.finding, { ...(r.params ?? {}), ...(r.reported ? { date: r.date } : {}) }),
  );
}

/**
 * The brand from the browser's own words: Chromium's `navigator.userAgentData.brands`
 * (or "firefox" when the extension runs in Firefox). Unknown brands are "other".
 */
export function brandFrom(
  brands: readonly { brand: string; version: string }[] | null,
  firefox: boolean,
): {
  brand: BrowserBrand;
  version: number | null;
} {
  if (firefox) return { brand: "firefox", version: null };
  const names: Array<[RegExp, BrowserBrand]> = [
    [/^Microsoft Edge$/, "edge"],
    [/^Brave$/, "brave"],
    [/^Vivaldi$/, "vivaldi"],
    [/^Opera$/, "opera"],
    [/^Google Chrome$/, "chrome"],
    [/^Chromium$/, "chromium"],
  ];
  for (const [re, brand] of names) {
    const b = brands?.find((x) => re.test(x.brand));
    if (b) {
      const v = Number.parseInt(b.version, 10);
      return { brand, version: Number.isFinite(v) && v > 0 && v < 10_000 ? v : null };
    }
  }
  return { brand: "other", version: null };
}

/** Windows 10 or 11 from Chromium's high-entropy platformVersion ("13.0.0" and up is 11), else null. */
export function windowsFrom(os: OsKind, platformVersion: string | null): 10 | 11 | null {
  if (os !== "win" || !platformVersion || !/^\d{1,3}(\.\d{1,5}){0,3}$/.test(platformVersion)) return null;
  const major = Number.parseInt(platformVersion, 10);
  if (major >= 13) return 11;
  if (major >= 1) return 10;
  return null;
}

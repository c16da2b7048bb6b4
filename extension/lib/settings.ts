/** User settings (storage.local), validated on every read: a bad value falls back to the default. */
import type { PortalId } from "@jpki-guard/shared";
import { parse } from "tldts";
import * as z from "zod/mini";
import { BUILTIN_PORTALS, type PortalAction } from "./portals";

/**
 * Why a user-added portal pattern is refused, or null. A pattern may name one
 * site or the sites under one registrable domain, never a public suffix's
 * worth of other people's sites (https://*.github.io/*, https://*.co.jp/*,
 * https://*.jp/*): the Public Suffix List (tldts) decides, private suffixes
 * included. IP addresses are refused too.
 */
export function portalPatternProblem(pattern: string): string | null {
  const m = /^https:\/\/(\*\.)?([a-z0-9-]+(\.[a-z0-9-]+)+)\/\*$/.exec(pattern);
  if (!m)
    return "https://host.example.jp/* または https://*.example.jp/* の形で / use https://host.example.jp/* or https://*.example.jp/*";
  const host = m[2]!;
  const info = parse(host, { allowPrivateDomains: true });
  if (info.isIp) return "IP アドレスは登録できません / IP addresses are not accepted";
  if (!info.publicSuffix || info.publicSuffix === host || !info.domain)
    return "公開サフィックス(例: github.io, co.jp)全体は登録できません / a whole public suffix (such as github.io or co.jp) is not accepted";
  return null;
}

export const PortalPatternSchema = z.string().check(
  z.maxLength(200),
  z.refine((p) => portalPatternProblem(p) === null, "not an accepted portal pattern"),
);

const lgCode = z.string().check(z.regex(/^\d{6}$/));

export const SettingsSchema = z.strictObject({
  /**
   * The citizen's municipality: a local government code once chosen. Older
   * versions stored an id ("hiratsuka", "national") whenever any setting was
   * saved, chosen or not: such a value only preselects the question.
   */
  municipality: z.nullable(z.string().check(z.regex(/^(\d{6}|[a-z][a-z0-9-]{1,39})$/))),
  /** Set only by the citizen's own choice (popup or options): until then the guidance is national. */
  municipalityChosen: z.boolean(),
  language: z.enum(["ja", "en"]),
  reminders: z.boolean(),
  portals: z.array(PortalPatternSchema).check(z.maxLength(50)),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  municipality: null,
  municipalityChosen: false,
  language: "ja",
  reminders: true,
  portals: [],
};

export function parseSettings(raw: unknown): Settings {
  const r = SettingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...(typeof raw === "object" && raw ? raw : {}) });
  return r.success ? r.data : DEFAULT_SETTINGS;
}

export { BUILTIN_PORTALS } from "./portals";

/** The ids older versions could store, as codes. */
const LEGACY_IDS: Record<string, string> = { hiratsuka: "142034" };

/**
 * Whose guidance: an administrator's preset (managed storage) wins; else the
 * citizen's own choice; else none (national guidance, naming no city).
 */
export function municipalityFor(s: Settings, managed: string | null): string | null {
  if (managed) return managed;
  return s.municipalityChosen ? s.municipality : null;
}

/** What the first-use question offers first: an unconfirmed value stored by an older version. */
export function preselectFor(s: Settings): string | null {
  if (s.municipalityChosen || !s.municipality) return null;
  return LEGACY_IDS[s.municipality] ?? (/^\d{6}$/.test(s.municipality) ? s.municipality : null);
}

/** The citizen's choice (a code, or null for national guidance), recorded as chosen. */
export function chooseMunicipality(s: Settings, code: string | null): Settings {
  return { ...s, municipality: code, municipalityChosen: true };
}

/**
 * The administrator's preset from managed storage (Chrome/Edge policy
 * "3rdparty", Firefox policies.json "3rdparty"): a 6-digit code, else nothing.
 */
export function parseManaged(raw: unknown): string | null {
  const r = z.object({ municipality: lgCode }).safeParse(raw);
  return r.success ? r.data.municipality : null;
}

/** Does a URL match a match pattern of the forms above? */
export function matchesPattern(url: string, pattern: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  const m = /^https:\/\/(\*\.)?([^/]+)\/\*$/.exec(pattern);
  if (!m || u.protocol !== "https:") return false;
  const host = m[2]!;
  return m[1] ? u.hostname === host || u.hostname.endsWith(`.${host}`) : u.hostname === host;
}

/** Which built-in portal a URL belongs to (the environment rules are per portal); user-added portals: null. */
export function portalIdOf(url: string): PortalId | null {
  for (const p of BUILTIN_PORTALS) if (matchesPattern(url, p.pattern)) return p.portal;
  return null;
}

export function portalAction(url: string, userPortals: string[]): PortalAction | null {
  for (const p of BUILTIN_PORTALS) if (matchesPattern(url, p.pattern)) return p.action;
  for (const p of userPortals) if (matchesPattern(url, p)) return "login";
  return null;
}

/** User settings (storage.local), validated on every read: a bad value falls back to the default. */
import { DEFAULT_MUNICIPALITY } from "@jpki-guard/shared";
import { parse } from "tldts";
import * as z from "zod/mini";
import { BUILTIN_PORTALS } from "./portals";

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

export const SettingsSchema = z.strictObject({
  /** A municipality id from the guidance data, or "national" for national guidance only. */
  municipality: z.string().check(z.regex(/^[a-z0-9-]{2,40}$/)),
  language: z.enum(["ja", "en"]),
  reminders: z.boolean(),
  portals: z.array(PortalPatternSchema).check(z.maxLength(50)),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  municipality: DEFAULT_MUNICIPALITY,
  language: "ja",
  reminders: true,
  portals: [],
};

export function parseSettings(raw: unknown): Settings {
  const r = SettingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...(typeof raw === "object" && raw ? raw : {}) });
  return r.success ? r.data : DEFAULT_SETTINGS;
}

export { BUILTIN_PORTALS } from "./portals";

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

export function portalAction(url: string, userPortals: string[]): "login" | "sign" | null {
  for (const p of BUILTIN_PORTALS) if (matchesPattern(url, p.pattern)) return p.action;
  for (const p of userPortals) if (matchesPattern(url, p)) return "login";
  return null;
}

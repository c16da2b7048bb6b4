/**
 * The portals jpki-guard knows without asking for permissions: one list for
 * the content script's matches (the manifest) and for the background's
 * action per page. Host names as seen in use (docs/guidance-sources.md).
 */
import type { Action, PortalId } from "@jpki-guard/shared";

/** What a portal page is for: logging in (authentication certificate) or signing (signature certificate). */
export type PortalAction = Action;

export const BUILTIN_PORTALS = [
  // Mynaportal: login with the authentication certificate.
  { pattern: "https://myna.go.jp/*", action: "login", portal: "mynaportal" },
  { pattern: "https://*.myna.go.jp/*", action: "login", portal: "mynaportal" },
  // e-Tax and the 確定申告書等作成コーナー: filing signs with the signature certificate.
  { pattern: "https://*.e-tax.nta.go.jp/*", action: "sign", portal: "etax" },
  { pattern: "https://www.keisan.nta.go.jp/*", action: "sign", portal: "keisan" },
  // e-Gov electronic applications: signed with the signature certificate.
  { pattern: "https://shinsei.e-gov.go.jp/*", action: "sign", portal: "egov" },
] as const satisfies ReadonlyArray<{ pattern: string; action: PortalAction; portal: PortalId }>;

export const BUILTIN_PORTAL_PATTERNS: string[] = BUILTIN_PORTALS.map((p) => p.pattern);

/**
 * The portal content script's file in the built extension: an unlisted script
 * (entrypoints/portal.ts) that the manifest and the user portals' registration
 * list as a content script, so that WXT's content-script start-up event is
 * never sent (docs/decisions.md).
 */
export const PORTAL_SCRIPT = "portal.js";

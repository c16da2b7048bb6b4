/**
 * What the JPKI application's small files say: EF 0008 (which certificates
 * are present) and EF 0006 (the token name telling a My Number card from a
 * 住基カード). Parsing only; jpki.ts reads them.
 */
import type { CardKind, Presence } from "@jpki-guard/shared/rules";
import { TOKEN_JUKI, TOKEN_MYNUMBER } from "./jpki.js";

/**
 * EF 0008 (certificate presence). `8F 8F 00` when both are present (single
 * source); which byte is which certificate is not documented, so only the
 * all-absent / all-present patterns and byte 0 for the signature certificate
 * (our reading) are used, and the authentication certificate is decided by
 * reading it.
 */
export function presenceFromFile(b: Uint8Array): { signature: Presence } {
  if (b.length < 2) return { signature: "unknown" };
  const v = b[0]!;
  return { signature: v === 0x8f ? "present" : v === 0x00 ? "absent" : "unknown" };
}

export function tokenText(b: Uint8Array): string {
  // 32 bytes of ASCII, space- (or NUL-) padded; anything unprintable shown as "?".
  let end = b.length;
  while (end > 0 && (b[end - 1] === 0x20 || b[end - 1] === 0x00)) end--;
  return Array.from(b.subarray(0, Math.min(end, 32)), (c) =>
    c >= 0x20 && c <= 0x7e ? String.fromCharCode(c) : "?",
  ).join("");
}

export function kindFromToken(token: string): CardKind {
  if (token === TOKEN_MYNUMBER) return "mynumber";
  if (token === TOKEN_JUKI) return "juki";
  return "unknown";
}

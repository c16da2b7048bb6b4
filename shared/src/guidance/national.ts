/**
 * National rules, valid everywhere. Each fact's source: docs/guidance-sources.md;
 * the sentences are ours, in messages.ts.
 */
import type { Text } from "./schema.js";

/**
 * How long a certificate is valid and when its renewal window opens, keyed by
 * card generation. The next-generation card (planned for about FY2028;
 * reported by secondary sources after the government task force's final
 * report of 2024-03-18) changes both and moves to ECDSA P-384 keys: when it
 * arrives, this table is what changes.
 */
export const VALIDITY_SCHEMES = {
  /** Cards since 2016: RSA-2048, 5th birthday after issue, window opens 3 months before expiry. */
  current: { lifetimeYears: 5, renewalWindowMonths: 3 },
  /** Announced, not in use: 10 years (5 for under-18s), window 1 year. */
  "next-generation": { lifetimeYears: 10, renewalWindowMonths: 12 },
} as const;
export type ValidityScheme = keyof typeof VALIDITY_SCHEMES;

/** The scheme of a certificate: an EC key marks the next-generation card (today's cards are all RSA). */
export function validitySchemeFor(c: { keyAlgorithm?: string }): ValidityScheme {
  return c.keyAlgorithm === "EC" ? "next-generation" : "current";
}

export const NATIONAL = {
  genericWindow: {
    ja: "お住まいの市区町村のマイナンバーカード窓口",
    en: "Your municipality's My Number card counter",
  } satisfies Text,
} as const;

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

/** Where a national fact comes from: a public page, its own date, and the day we read it. */
export interface NationalSource {
  url: string;
  title: string;
  /** The page's own date where it shows one (else null). */
  updated: string | null;
  /** When the fact was taken from it. */
  read: string;
}

/**
 * マイナンバー総合フリーダイヤル: the national helpline that every
 * municipality's page points to. The only phone numbers and hours the
 * guidance gives for a municipality without curated data.
 */
export const HELPLINE = {
  phone: "0120-95-0178",
  /** Card and certificates (Portuguese, Spanish, English, Chinese, Korean). */
  foreignPhone: "0120-0178-27",
  weekdays: { open: "9:30", close: "20:00" },
  weekends: { open: "9:30", close: "17:30" },
  sources: [
    {
      url: "https://www.town.kanda.lg.jp/page/1076.html",
      title: "苅田町「マイナンバー制度について」",
      updated: null,
      read: "2026-12-01",
    },
    {
      url: "http://www.oizumi-tabunka.jp/archives/16021.htm",
      title: "大泉町多文化共生「社会保障・税番号(マイナンバー)制度について」",
      updated: null,
      read: "2026-12-01",
    },
  ] satisfies NationalSource[],
} as const;

/**
 * The card's own expiry (printed on its front) against the certificates':
 * a certificate ends on the 5th birthday after issue or with the card,
 * whichever comes first; a card issued at 18 or older ends on the 10th
 * birthday after issue, under 18 on the 5th (under 20 for applications
 * before 2022-04-01). So a card issued to a minor ends with its first
 * certificates, and then the fix is a new card, not a renewal.
 */
export const CARD_EXPIRY = {
  adultYears: 10,
  minorYears: 5,
  minorAgeBefore20220401: 20,
  minorAge: 18,
  sources: [
    {
      url: "https://www.gov-online.go.jp/media/cd/202509/202509_02.html",
      title: "政府広報オンライン 音声広報CD「明日への声」vol.105(マイナンバーカードと電子証明書の有効期限)",
      updated: "2025-09-01",
      read: "2026-12-01",
    },
    {
      url: "https://www.city.hiratsuka.kanagawa.jp/todokede/page-c_03297.html",
      title: "平塚市「公的個人認証サービス・電子証明書」",
      updated: "2025-01-16",
      read: "2026-11-26",
    },
  ] satisfies NationalSource[],
} as const;

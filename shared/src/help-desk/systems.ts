/** Where a reported error code was seen, and how sure its meaning is (no zod: the lookup loads this). */
import type { Text } from "../guidance/schema.js";

export const SYSTEMS = [
  "mynaportal",
  "mynaportal-extension",
  "mynaportal-smartphone",
  "etax",
  "jpki-smartphone",
] as const;
export type ErrorSystem = (typeof SYSTEMS)[number];

export const SYSTEM_NAMES: Record<ErrorSystem, Text> = {
  mynaportal: { ja: "マイナポータル", en: "Mynaportal" },
  "mynaportal-extension": {
    ja: "マイナポータルの公式ブラウザ拡張・アプリ",
    en: "Mynaportal's official extension and app",
  },
  "mynaportal-smartphone": { ja: "マイナポータルのスマートフォンアプリ", en: "the Mynaportal smartphone app" },
  etax: { ja: "e-Tax", en: "e-Tax" },
  "jpki-smartphone": { ja: "公的個人認証のスマートフォン向けアプリ", en: "JPKI smartphone apps" },
};

export const CONFIDENCES = ["official", "third-party", "unverified"] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export const CONFIDENCE_NAMES: Record<Confidence, Text> = {
  official: { ja: "公式の情報", en: "official" },
  "third-party": { ja: "第三者の情報(公式ではない)", en: "third-party (not official)" },
  unverified: { ja: "未確認の情報(一つの報告だけ)", en: "unverified (a single report)" },
};

/** An entry's sources on one line: "did2memo.net (2024-02-04); collected 2026-11-26" in one language. */
export function sourcesLine(
  e: {
    sources: { name: string; ref: string | null; date: string | null; kind: "official" | "third-party" }[];
    collected: string;
  },
  lang: "ja" | "en",
): string {
  const one = (s: (typeof e.sources)[number]) => {
    const bits = [s.ref, s.date ?? (lang === "ja" ? "日付なし" : "undated")].filter((b) => b !== null);
    return `${s.name} (${bits.join(", ")})`;
  };
  return `${e.sources.map(one).join("; ")}${lang === "ja" ? `、${e.collected} に確認` : `; collected ${e.collected}`}`;
}

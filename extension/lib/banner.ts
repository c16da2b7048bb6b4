/**
 * What a portal page's banner shows: plain strings only, made in the
 * background from the verdict. No facts, no fingerprints, nothing else.
 */
import type { Verdict } from "@jpki-guard/shared";
import { type Lang, text } from "./ui-text.js";

export interface BannerModel {
  show: true;
  level: "attention" | "blocked";
  lang: Lang;
  /** Collapsed, the banner shows only these two: one sentence and the one most important next step. */
  lead: string;
  next: string | null;
  moreLabel: string;
  lessLabel: string;
  title: string;
  summary: string;
  items: { text: string; steps: string[] }[];
  counter: string[];
  closeLabel: string;
  footer: string;
}

/** What a portal tab is sent: a banner, or none (the content script's only input from the background). */
export type Banner = BannerModel | { show: false };

export function bannerFor(v: Verdict | null, lang: Lang): Banner {
  // Nothing intrusive when all is well, or when nothing could be read (no card yet).
  if (!v || v.level === "ready" || v.level === "unknown") return { show: false };
  const t = text(lang);
  const items = v.findings
    .filter((f) => f.severity !== "info" && (f.affects.includes(v.action) || f.affects.length === 0))
    .map((f) => ({ text: f.text[lang], steps: f.steps.map((s) => s.text[lang]) }));
  // 「暗証番号がわからない」 in the details, whatever the tries count: the PIN this action uses.
  const pins: Array<["auth" | "sign", string]> =
    v.action === "sign"
      ? [
          ["sign", t.pinUnknownSign],
          ["auth", t.pinUnknownAuth],
        ]
      : [["auth", t.pinUnknownAuth]];
  for (const [which, label] of pins)
    items.push({ text: `${t.pinUnknown}: ${label}`, steps: v.pinHelp[which].map((s) => s.text[lang]) });
  const w = v.window;
  const counter = [
    w.name[lang],
    w.place?.[lang],
    w.phone ? `TEL ${w.phone}` : undefined,
    w.next?.[lang],
    w.notice?.[lang],
  ].filter((x): x is string => Boolean(x));
  const first = v.findings.find(
    (f) => f.severity !== "info" && (f.affects.includes(v.action) || f.affects.length === 0),
  );
  return {
    show: true,
    level: v.level,
    lang,
    lead: firstSentence(first?.text[lang] ?? v.summary[lang], lang),
    next: first?.steps[0] ? firstSentence(first.steps[0].text[lang], lang) : null,
    moreLabel: t.bannerMore,
    lessLabel: t.bannerLess,
    title: t.bannerTitle,
    summary: v.summary[lang],
    items,
    counter,
    closeLabel: t.close,
    footer: t.openPopup,
  };
}

/** The first sentence of a text ("…です。" / "… ."), for the collapsed banner. */
export function firstSentence(s: string, lang: Lang): string {
  const m = lang === "ja" ? /^[^。]*。/.exec(s) : /^.*?[.!?](?=\s|$)/.exec(s);
  return (m ? m[0] : s).trim();
}

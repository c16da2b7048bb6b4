/**
 * What a portal page's banner shows: plain strings only, made in the
 * background from the verdict. No facts, no fingerprints, nothing else.
 */
import type { Finding, Verdict } from "@jpki-guard/shared";
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

/**
 * `page`: findings about the page's environment (shared environment.ts), for
 * this page's action: they show even when the card is fine or unread. A
 * blocker among them comes first (it stops the login whatever the card);
 * their warnings follow the card's.
 */
export function bannerFor(v: Verdict | null, lang: Lang, page: readonly Finding[] = []): Banner {
  const shown = page.filter((f) => f.severity !== "info");
  // Nothing intrusive when all is well, or when nothing could be read (no card yet).
  if (!v || v.level === "ready" || v.level === "unknown") return pageOnly(shown, lang);
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
  const pageBlockers = shown.filter((f) => f.severity === "blocker");
  const pageWarnings = shown.filter((f) => f.severity !== "blocker");
  const asItem = (f: Finding) => ({ text: f.text[lang], steps: f.steps.map((s) => s.text[lang]) });
  items.unshift(...pageBlockers.map(asItem));
  items.push(...pageWarnings.map(asItem));
  const first =
    pageBlockers[0] ??
    v.findings.find((f) => f.severity !== "info" && (f.affects.includes(v.action) || f.affects.length === 0));
  return {
    show: true,
    level: pageBlockers.length > 0 ? "blocked" : v.level,
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

/** A banner of the page's own findings alone (the card is fine, or not read). */
function pageOnly(shown: readonly Finding[], lang: Lang): Banner {
  if (shown.length === 0) return { show: false };
  const t = text(lang);
  const ordered = [...shown].sort((a, b) => Number(b.severity === "blocker") - Number(a.severity === "blocker"));
  const first = ordered[0]!;
  return {
    show: true,
    level: first.severity === "blocker" ? "blocked" : "attention",
    lang,
    lead: firstSentence(first.text[lang], lang),
    next: first.steps[0] ? firstSentence(first.steps[0].text[lang], lang) : null,
    moreLabel: t.bannerMore,
    lessLabel: t.bannerLess,
    title: t.bannerTitle,
    summary: first.text[lang],
    items: ordered.map((f) => ({ text: f.text[lang], steps: f.steps.map((s) => s.text[lang]) })),
    counter: [],
    closeLabel: t.close,
    footer: t.openPopup,
  };
}

/** The first sentence of a text ("…です。" / "… ."), for the collapsed banner. */
export function firstSentence(s: string, lang: Lang): string {
  const m = lang === "ja" ? /^[^。]*。/.exec(s) : /^.*?[.!?](?=\s|$)/.exec(s);
  return (m ? m[0] : s).trim();
}

/**
 * What a portal page's banner shows: plain strings only, made in the
 * background from the verdict. No facts, no fingerprints, nothing else.
 */
import {
  type Action,
  type ChecklistEntry,
  type Finding,
  newSteps,
  pageChecklist,
  type Verdict,
} from "@jpki-guard/shared";
import { type Lang, text } from "./ui-text.js";

export interface BannerItem {
  text: string;
  steps: string[];
  /** The finding's code and what it is about (the findings table's source); absent for the PIN help. */
  code?: string;
  source?: string;
}

export interface BannerModel {
  show: true;
  level: "attention" | "blocked";
  lang: Lang;
  /** Collapsed, the banner shows only these two: one sentence (the first thing to fix) and its first step. */
  lead: string;
  next: string | null;
  moreLabel: string;
  lessLabel: string;
  title: string;
  summary: string;
  /** "詳しく": the checklist in its order (pageChecklist), then the PIN help. */
  items: BannerItem[];
  counter: string[];
  closeLabel: string;
  footer: string;
}

/** What a portal tab is sent: a banner, or none (the content script's only input from the background). */
export type Banner = BannerModel | { show: false };

/**
 * The page's checklist (shared pageChecklist: the page's own findings and
 * the card's, for this page's action, by what blocks first) as a banner.
 * Shown only when an item is a blocker or a warning on the page: nothing
 * when all is well, and nothing for quiet problems alone (no card in the
 * reader: the official app asks for it). The first item is the one
 * sentence; "詳しく" lists the checklist's items (information only for the
 * quiet problems, which are about this login), then 「暗証番号がわからない」.
 * `page`: the page's own findings (environment, official app) for this
 * page's action.
 */
export function bannerFor(v: Verdict | null, lang: Lang, page: readonly Finding[] = []): Banner {
  const action = v?.action ?? "login";
  const list = bannerEntries(v, page, action);
  const first = list[0];
  if (!first || first.severity === "info") return { show: false };
  const t = text(lang);
  const steps = newSteps(list);
  const items: BannerItem[] = list.map((e, i) => ({
    text: e.finding.text[lang],
    steps: steps[i]!.map((s) => s.text[lang]),
    code: e.code,
    source: e.source,
  }));
  // The card needs attention: 「暗証番号がわからない」 and the counter, as before.
  const card = v !== null && (v.level === "attention" || v.level === "blocked");
  let counter: string[] = [];
  if (card) {
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
    counter = [
      w.name[lang],
      w.place?.[lang],
      w.phone ? `TEL ${w.phone}` : undefined,
      w.next?.[lang],
      w.notice?.[lang],
    ].filter((x): x is string => Boolean(x));
  }
  return {
    show: true,
    level: list.some((e) => e.severity === "blocker") ? "blocked" : "attention",
    lang,
    lead: firstSentence(first.finding.text[lang], lang),
    next: first.finding.steps[0] ? firstSentence(first.finding.steps[0].text[lang], lang) : null,
    moreLabel: t.bannerMore,
    lessLabel: t.bannerLess,
    title: t.bannerTitle,
    // The card's own summary when the card is judged; else how many things there are (the first is
    // the lead; repeating its sentence above the list would only say it twice).
    summary: v && v.level !== "ready" ? v.summary[lang] : t.bannerPageSummary(list.length, action === "sign"),
    items,
    counter,
    closeLabel: t.close,
    footer: t.openPopup,
  };
}

/**
 * The banner's entries: the checklist for the action, without what is only
 * information in the findings table (two PIN tries left, revocation not
 * checked, ...); the quiet problems stay (as information, after the rest).
 */
export function bannerEntries(v: Verdict | null, page: readonly Finding[], action: Action): ChecklistEntry[] {
  return pageChecklist({ verdict: v, page, action }).filter((e) => e.forAction && e.finding.severity !== "info");
}

/** The first sentence of a text ("…です。" / "… ."), for the collapsed banner. */
export function firstSentence(s: string, lang: Lang): string {
  const m = lang === "ja" ? /^[^。]*。/.exec(s) : /^.*?[.!?](?=\s|$)/.exec(s);
  return (m ? m[0] : s).trim();
}

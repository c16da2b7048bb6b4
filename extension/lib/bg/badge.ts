/** The toolbar badge: what the card's state looks like at a glance. Pure; the background applies it. */
import type { Status } from "@jpki-guard/shared";
import type { BridgeState } from "../bridge";
import { type Lang, text } from "../ui-text";

export interface Badge {
  text: string;
  color: string;
  title: string;
}

const NO_CARD = ["no-card", "no-reader", "pcsc-unavailable", "reader-not-found"];

export function badgeForStatus(s: Status, lang: Lang): Badge {
  const t = text(lang);
  const v = s.verdict;
  if (s.facts.problems.some((p) => NO_CARD.includes(p.code)))
    return { text: "–", color: "#6b7280", title: `${t.title}: ${t.noCard}` };
  const title = `${t.title}: ${v.summary[lang]}`;
  if (v.level === "ready") return { text: "OK", color: "#15803d", title };
  if (v.level === "attention") return { text: "!", color: "#b45309", title };
  if (v.level === "blocked") return { text: "×", color: "#b91c1c", title };
  return { text: "–", color: "#6b7280", title };
}

/** The badge while the bridge itself is the problem, or null when the card's status decides. */
export function badgeForBridge(s: BridgeState, lang: Lang): Badge | null {
  const t = text(lang);
  if (s.kind === "no-bridge") return { text: "?", color: "#6b7280", title: `${t.title}: ${t.noBridge}` };
  if (s.kind === "version-mismatch")
    return { text: "?", color: "#6b7280", title: `${t.title}: ${t.versionMismatch(s.update)}` };
  return null;
}

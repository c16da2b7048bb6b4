/** The toolbar badge: what the card's state looks like at a glance. Pure; the background applies it. */
import { errorRow, type Status } from "@jpki-guard/shared";
import type { BridgeState } from "../bridge";
import { asOfLabel, judgedBeforeToday } from "../clock";
import { type Lang, text } from "../ui-text";

export interface Badge {
  text: string;
  color: string;
  title: string;
}

/**
 * When no host watches the card (not needed, or gone), the badge says so:
 * the last known symbol in grey, "as of 12:30" in its title; once a
 * Japan-time midnight has passed since the verdict was judged, "…" (the
 * day counts may be wrong: the next look judges again).
 */
export interface Liveness {
  live: boolean;
  /** When the state was last known to be true (the host's last word). */
  asOf: Date;
  now: Date;
}

export function badgeForStatus(s: Status, lang: Lang, l?: Liveness): Badge {
  const b = liveBadge(s, lang);
  if (!l || l.live) return b;
  const t = text(lang);
  const when = t.asOf(asOfLabel(l.asOf, l.now));
  if (judgedBeforeToday(s, l.now)) return { text: "…", color: GREY, title: `${t.title}: ${t.dayPassed} (${when})` };
  return { text: b.text, color: GREY, title: `${b.title} (${when})` };
}

const GREY = "#6b7280";

function liveBadge(s: Status, lang: Lang): Badge {
  const t = text(lang);
  const v = s.verdict;
  // No card was reached (no service, reader or card): "no card", whatever the verdict says.
  if (s.facts.problems.some((p) => !errorRow(p.code).touchesCard))
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

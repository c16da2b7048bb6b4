/**
 * A help desk's lookup: an error code a citizen reports -> what it is
 * reported to mean (with its source and how sure that is), and, given this
 * card's verdict, whether the card explains it. Data: error-codes.json.
 */

import { FINDING_TABLE } from "../findings.js";
import type { Text } from "../guidance/schema.js";
import type { FindingCode, Verdict } from "../verdict.js";
import data from "./error-codes.json";
import type { ErrorCodeEntry } from "./schema.js";
import type { ErrorSystem } from "./systems.js";

export type { ErrorCodeEntry } from "./schema.js";
export * from "./systems.js";

/** The bundled entries (validated by their unit test, not at every start). */
export const ERROR_CODE_ENTRIES = (data as unknown as { entries: ErrorCodeEntry[] }).entries;

/** "ei123 - 2008", "ＥＩ１２３－２００８", "エラー115" -> the entry's spelling. */
export function normaliseCode(input: string): string {
  return input
    .slice(0, 60)
    .normalize("NFKC")
    .toUpperCase()
    .replace(/[‐‑‒–—―ー−]/g, "-")
    .replace(/\s+/g, "")
    .replace(/^(ERROR|ERR|エラ-|エラー)(?=\d)/, "")
    .slice(0, 30);
}

/** A shown message as typed, for finding a code-less entry by its words (NFKC, no spaces). */
function normaliseWords(input: string): string {
  return input.slice(0, 200).normalize("NFKC").replace(/\s+/g, "");
}

const sameCode = (e: ErrorCodeEntry, c: string): boolean =>
  e.code !== null &&
  (e.code === c || e.aliases.some((a) => normaliseCode(a) === c) || e.code.replace(/-/g, "") === c.replace(/-/g, ""));

/** Entries for a code in any system (a generic code number may have several). */
export function entriesForCode(input: string): ErrorCodeEntry[] {
  const c = normaliseCode(input);
  return c ? ERROR_CODE_ENTRIES.filter((e) => sameCode(e, c)) : [];
}

/** An entry found by the words of its message (for messages shown without a code). */
export function findByWords(input: string): ErrorCodeEntry | null {
  const t = normaliseWords(input);
  if (t.length < 4) return null;
  return (
    ERROR_CODE_ENTRIES.find((e) =>
      e.words.some((w) => {
        const n = normaliseWords(w);
        return t.includes(n) || (t.length >= 6 && n.includes(t));
      }),
    ) ?? null
  );
}

/** The entry for a code (as seen in `where`, when given), else one found by its message's words. */
export function findErrorCode(input: string, where: ErrorSystem | null = null): ErrorCodeEntry | null {
  const byCode = entriesForCode(input);
  if (byCode.length > 0) return (where ? byCode.find((e) => e.system === where) : byCode[0]) ?? null;
  const w = findByWords(input);
  return w && (!where || w.system === where) ? w : null;
}

export interface Explanation {
  /** As the user typed it, normalised (never more than 30 characters). */
  code: string;
  entry: ErrorCodeEntry | null;
  /** Found by the words of a message shown without a code. */
  byWords: boolean;
  /** Where the help desk said it was seen (null: not said). */
  where: ErrorSystem | null;
  /** The code number is used by other systems too: the answer holds only for the entry's system. */
  askWhere: boolean;
  /** When nothing is known for `where`: the systems where the code is documented. */
  elsewhere: ErrorSystem[];
  /**
   * Given a verdict: "explains" (a finding on this card accounts for the code),
   * "not-this-card" (the card looks fine for it), "not-card" (the code is
   * about something other than the card), or "cannot-tell" (no card read, or
   * no verdict given).
   */
  card: "explains" | "not-this-card" | "not-card" | "cannot-tell";
  /** The card's findings that explain the code (their own texts). */
  because: { code: FindingCode; text: Text }[];
  /** What to check on the computer or phone, when the entry names it. */
  environment: Text | null;
  /** What to do or check next. */
  next: Text[];
}

const CHECKLIST: Text[] = [
  {
    ja: "jpki-guard doctor(またはポップアップの「ヘルプデスク用レポート」)で、リーダ・カード・証明書・暗証番号の残り回数を確認してください。",
    en: "Run jpki-guard doctor (or the popup's help-desk report) to check the reader, the card, the certificates and the PIN tries.",
  },
  {
    ja: "エラーが出た画面の名前と、エラーコードの前後の文をそのまま控えてください。",
    en: "Note the screen's name and the exact text around the error code.",
  },
];

export function explainCode(input: string, verdict: Verdict | null, where: ErrorSystem | null = null): Explanation {
  const code = normaliseCode(input);
  const entry = findErrorCode(input, where);
  const byCode = entriesForCode(input);
  const base = {
    code,
    entry,
    byWords: entry !== null && byCode.length === 0,
    where,
    askWhere: entry !== null && where === null && entry.generic,
    elsewhere: entry ? [] : [...new Set(byCode.map((e) => e.system))],
    environment: entry?.environment ?? null,
  };
  if (!entry) return { ...base, card: verdict ? "not-this-card" : "cannot-tell", because: [], next: CHECKLIST };
  if (entry.explainedBy.length === 0) return { ...base, card: "not-card", because: [], next: [entry.otherwise] };
  // A code only PIN counters explain can be judged whenever the counters were read (signing's readiness is
  // "unknown" until the signature certificate is read with its PIN, but its PIN's tries are known before).
  const onlyPins = entry.explainedBy.every((c) => FINDING_TABLE[c].source === "pin");
  const pinsRead =
    verdict !== null &&
    !verdict.findings.some((f) => f.code === "pin-status-unknown" || FINDING_TABLE[f.code].source === "check");
  const cannotTell =
    !verdict ||
    (verdict.readiness[entry.action] === "unknown" &&
      verdict.findings.every((f) => f.severity !== "blocker") &&
      !(onlyPins && pinsRead));
  const because = (verdict?.findings ?? [])
    .filter((f) => (entry.explainedBy as readonly string[]).includes(f.code))
    .map((f) => ({ code: f.code, text: f.text }));
  if (because.length > 0) return { ...base, card: "explains", because, next: [] };
  if (cannotTell) return { ...base, card: "cannot-tell", because: [], next: CHECKLIST };
  return { ...base, card: "not-this-card", because: [], next: [entry.otherwise] };
}

/**
 * A help desk's lookup: an error code a citizen reports -> what it is
 * reported to mean (with its source and how sure that is), and, given this
 * card's verdict, whether the card explains it. Data: error-codes.json.
 */
import type { Text } from "../guidance/schema.js";
import type { FindingCode, Verdict } from "../verdict.js";
import data from "./error-codes.json";
import type { ErrorCodeEntry } from "./schema.js";

export type { ErrorCodeEntry } from "./schema.js";

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

export function findErrorCode(input: string): ErrorCodeEntry | null {
  const c = normaliseCode(input);
  if (!c) return null;
  return (
    ERROR_CODE_ENTRIES.find(
      (e) =>
        e.code === c ||
        e.aliases.some((a) => normaliseCode(a) === c) ||
        e.code.replace(/-/g, "") === c.replace(/-/g, ""),
    ) ?? null
  );
}

export interface Explanation {
  /** As the user typed it, normalised (never more than 30 characters). */
  code: string;
  entry: ErrorCodeEntry | null;
  /**
   * Given a verdict: "explains" (a finding on this card accounts for the code),
   * "not-this-card" (the card looks fine for it), or "cannot-tell" (no card
   * read, or no verdict given).
   */
  card: "explains" | "not-this-card" | "cannot-tell";
  /** The card's findings that explain the code (their own texts). */
  because: { code: FindingCode; text: Text }[];
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

export function explainCode(input: string, verdict: Verdict | null): Explanation {
  const code = normaliseCode(input);
  const entry = findErrorCode(input);
  if (!entry)
    return { code, entry: null, card: verdict ? "not-this-card" : "cannot-tell", because: [], next: CHECKLIST };
  const cannotTell =
    !verdict ||
    (verdict.readiness[entry.action] === "unknown" && verdict.findings.every((f) => f.severity !== "blocker"));
  const because = (verdict?.findings ?? [])
    .filter((f) => (entry.explainedBy as readonly string[]).includes(f.code))
    .map((f) => ({ code: f.code, text: f.text }));
  if (because.length > 0) return { code, entry, card: "explains", because, next: [] };
  if (cannotTell) return { code, entry, card: "cannot-tell", because: [], next: CHECKLIST };
  return { code, entry, card: "not-this-card", because: [], next: [entry.otherwise] };
}

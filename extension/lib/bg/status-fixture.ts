/** Test statuses for the background's modules: a card as the host would report it (judged for login unless asked). */
import { type Action, emptyFacts, evaluate, type Status } from "@jpki-guard/shared";

export const NOW = new Date("2026-11-26T03:00:00Z");
export const cert = (fp: string, notAfter: string) => ({
  notBefore: "2024-01-01T00:00:00Z",
  notAfter,
  issuer: { kind: "jlis" as const, generation: "2023" as const, name: "x" },
  chain: "verified" as const,
  keyAlgorithm: "RSA" as const,
  keyBits: 2048,
  keyCurve: null,
  fingerprint: fp,
  sizeBytes: 1000,
});
export interface StatusOptions {
  fp?: string;
  /** The signature certificate was read (the user's own check), valid until this date (default 2029). */
  sign?: boolean | string;
  authTries?: number;
  signTries?: number;
  noCard?: boolean;
  /** A problem that stopped the check before any card (no service, no reader, no card, a busy card). */
  problem?: "pcsc-unavailable" | "no-reader" | "no-card" | "card-busy";
  action?: Action;
  /** When it was read and judged (default NOW). */
  on?: Date;
  /** The authentication certificate's expiry (default 2029-05-31). */
  authTo?: string;
}

export function status(o: StatusOptions = {}): Status {
  const now = o.on ?? NOW;
  const f = emptyFacts(now);
  if (o.noCard) f.problems.push({ code: "no-card", message: "x" });
  else if (o.problem) {
    // As checkCard reports them: no reader chosen without service or reader; a reader named otherwise.
    if (o.problem === "no-card" || o.problem === "card-busy") f.reader = { name: "R 00 00", virtual: false };
    f.problems.push({ code: o.problem, message: "x" });
    if (o.problem !== "card-busy") f.notChecked.push({ what: "card", why: "no-card" });
  } else {
    f.reader = { name: "R 00 00", virtual: false };
    f.card = { kind: "mynumber", atr: "3B", token: null };
    f.presence = { auth: "present", signature: "present" };
    f.authCertificate = cert(o.fp ?? "00000000000000aa", o.authTo ?? "2029-05-31T14:59:59Z");
    if (o.sign) f.signatureCertificate = cert("00000000000000bb", o.sign === true ? "2029-05-31T14:59:59Z" : o.sign);
    f.pins.auth = { triesLeft: o.authTries ?? 3, maxTries: 3, locked: o.authTries === 0 };
    f.pins.signature = { triesLeft: o.signTries ?? 5, maxTries: 5, locked: o.signTries === 0 };
  }
  return { facts: f, verdict: evaluate(f, { now, locality: null, action: o.action }) };
}

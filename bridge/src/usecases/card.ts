/**
 * What the use cases share: choosing the reader, one operation on the card
 * (a shared connection holding one transaction), reading the facts, and
 * turning errors into problems with fixed sentences.
 */
import { type CardFacts, isJpkiGuardError, JpkiGuardError } from "@jpki-guard/shared/rules";
import type { TraceLine } from "../apdu/apdu.js";
import { type Anchor, certificateFacts } from "../cert/facts.js";
import { kindFromToken, presenceFromFile, tokenText } from "../jpki/files.js";
import { JPKI_EF, type JpkiCard } from "../jpki/jpki.js";
import { forLog } from "../log.js";
import { queueFor } from "../queue.js";
import type { CardConnection, ReaderInfo, Transport } from "../transport/types.js";
import type { CachedCard, FactsCache } from "./facts-cache.js";

export interface CheckOptions {
  transport: Transport;
  /** Reader to use; default: the first reader with a card in it. */
  reader?: string;
  /** The reader is the built-in virtual card. */
  virtual?: boolean;
  now?: Date;
  trace?: boolean;
  /** Extra trust anchors (the virtual card's TEST CA). */
  extraAnchors?: Anchor[];
  /**
   * Certificate facts kept per reader until its card changes (the native
   * host keeps one): a repeated check then only re-reads the PIN counters.
   */
  cache?: FactsCache;
}

export interface CheckResult {
  facts: CardFacts;
  trace: TraceLine[] | null;
}

/** Pick the reader: the named one, else the first with a card, else the first. */
export async function chooseReader(transport: Transport, wanted?: string): Promise<ReaderInfo> {
  const readers = await transport.listReaders();
  if (wanted !== undefined) {
    const r = readers.find((x) => x.name === wanted);
    if (!r) {
      const names = readers.map((x) => `"${x.name}"`).join(", ") || "none";
      throw new JpkiGuardError("reader-not-found", `no reader named "${wanted}" (connected: ${names})`);
    }
    return r;
  }
  if (readers.length === 0) throw new JpkiGuardError("no-reader", "no card reader is connected");
  return readers.find((r) => r.cardPresent) ?? readers[0]!;
}

export function problem(facts: CardFacts, e: unknown): void {
  // Raw exception text (paths, user names) stays on stderr; the facts get a code and a fixed sentence.
  if (!isJpkiGuardError(e)) process.stderr.write(`jpki-guard: unexpected: ${forLog(e)}\n`);
  const err = isJpkiGuardError(e)
    ? e
    : new JpkiGuardError("internal", "unexpected error (details on the error output)");
  facts.problems.push({ code: err.code, message: err.message.slice(0, 1000) });
}

/** Revocation is never checked locally; every set of facts says so. */
export function markRevocationNotChecked(facts: CardFacts): void {
  if (!facts.notChecked.some((n) => n.what === "revocation"))
    facts.notChecked.push({ what: "revocation", why: "no-public-revocation-service" });
}

/**
 * Run `fn` alone on the reader's queue, as one operation: a shared
 * connection holding a PC/SC transaction, released without touching the
 * card. `fn` may ask for a reset on release (only when our own PIN
 * verification could not be undone otherwise).
 */
export function withConnection<T>(
  transport: Transport,
  reader: string,
  fn: (c: CardConnection, release: { reset: boolean }) => Promise<T>,
): Promise<T> {
  return queueFor(transport, reader).run(async () => {
    const conn = await transport.connect(reader);
    const release = { reset: false };
    try {
      return await fn(conn, release);
    } finally {
      await conn.close(release);
    }
  });
}

/** Warm check: the same card as last time; only the PIN counters can have changed. */
export async function readPinsOnly(card: JpkiCard, facts: CardFacts, cached: CachedCard): Promise<void> {
  if (!(await card.selectAp()))
    throw new JpkiGuardError("card-error", "the card no longer answers as a My Number card");
  facts.card = structuredClone(cached.card);
  facts.presence = structuredClone(cached.presence);
  facts.authCertificate = structuredClone(cached.authCertificate);
  facts.notChecked = cached.notChecked.filter((n) => n.what !== "revocation");
  facts.cached = true;
  await readPins(card, facts);
}

export async function readPins(card: JpkiCard, facts: CardFacts): Promise<void> {
  for (const pin of ["auth", "signature"] as const) {
    try {
      const s = await card.pinStatus(pin);
      facts.pins[pin].triesLeft = s.triesLeft;
      facts.pins[pin].locked = s.blocked;
    } catch (e) {
      if (isJpkiGuardError(e) && e.code === "card-error") {
        facts.notChecked.push({ what: "pins", why: "error" });
        problem(facts, e);
      } else throw e;
    }
  }
}

/** Cold check: everything the card tells without a PIN. `atr` as the reader gave it (at most 33 bytes are kept). */
export async function readFacts(
  card: JpkiCard,
  facts: CardFacts,
  atr: Uint8Array,
  extraAnchors: Anchor[],
): Promise<void> {
  facts.card = { kind: "unknown", atr: Buffer.from(atr.subarray(0, 33)).toString("hex").toUpperCase(), token: null };
  if (!(await card.selectAp())) {
    facts.card.kind = "not-mynumber";
    facts.notChecked.push({ what: "card", why: "not-mynumber" });
    throw new JpkiGuardError("not-mynumber", "this card has no JPKI application: it is not a My Number card");
  }
  const presence = await card.readSmallFile(JPKI_EF.presence, 256);
  if (presence.status === "ok") {
    facts.card.kind = "mynumber";
    // A hint only (single source): "present" is taken, anything else is confirmed below.
    const hint = presenceFromFile(presence.data).signature;
    facts.presence.signature = hint === "present" ? "present" : "unknown";
  } else {
    // No presence file: the token tells a My Number card from a 住基カード.
    const token = await card.readSmallFile(JPKI_EF.token, 32);
    if (token.status === "ok") {
      const text = tokenText(token.data);
      facts.card.token = text;
      facts.card.kind = kindFromToken(text);
    }
    facts.notChecked.push({ what: "certificate-presence", why: "card-unreadable" });
  }
  if (facts.presence.signature === "unknown") {
    // Confirmed check: READ of EF 0001 without the PIN. 69 82 = there but locked;
    // "absent" only when the file cannot be selected (6A 82 to SELECT). Any
    // other answer: cannot tell, never a false "absent".
    const probe = await card.readSmallFile(JPKI_EF.signCert, 1).catch((e: unknown) => {
      if (isJpkiGuardError(e) && e.code === "card-error") return null;
      throw e;
    });
    facts.presence.signature = probe === null ? "unknown" : probe.status === "absent" ? "absent" : "present";
  }
  await readPins(card, facts);
  const auth = await card.readCertificate(JPKI_EF.authCert);
  if (auth.status === "ok") {
    facts.presence.auth = "present";
    facts.authCertificate = await certificateFacts(auth.data, "auth", extraAnchors);
  } else if (auth.status === "absent") {
    facts.presence.auth = "absent";
  } else {
    facts.presence.auth = "present";
    facts.notChecked.push({ what: "auth-certificate", why: "card-unreadable" });
  }
  if (facts.presence.signature === "present")
    facts.notChecked.push({ what: "signature-certificate", why: "needs-signature-pin" });
  if (facts.card.kind === "juki")
    throw new JpkiGuardError("juki-card", "this is an old 住基カード (Juki-Net card), not a My Number card");
}

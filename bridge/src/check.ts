/**
 * The "check" use case: one reader, one card -> card facts. Shared by the CLI
 * and the native host; neither talks APDUs itself. Spends no PIN try.
 */
import {
  type CardFacts,
  type CardKind,
  emptyFacts,
  isJpkiGuardError,
  JpkiGuardError,
  message,
  type Presence,
  pinFormatProblem,
} from "@jpki-guard/shared/rules";
import { ApduChannel, type TraceLine } from "./apdu/apdu.js";
import type { Anchor } from "./cert/facts.js";
import type { PersonalData } from "./cert/personal.js";
import {
  type CardCapabilities,
  freshCapabilities,
  JPKI_EF,
  JpkiCard,
  TOKEN_JUKI,
  TOKEN_MYNUMBER,
} from "./jpki/jpki.js";
import { forLog } from "./log.js";
import { queueFor } from "./queue.js";
import type { CardConnection, ReaderInfo, Transport } from "./transport/types.js";

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

interface CachedCard {
  eventCount: number;
  atr: string | null;
  card: NonNullable<CardFacts["card"]>;
  presence: CardFacts["presence"];
  authCertificate: CardFacts["authCertificate"];
  notChecked: CardFacts["notChecked"];
  /** What this card showed about the short-EF forms (kept until the card changes). */
  caps: CardCapabilities;
}

/** Per-reader certificate facts, valid while the reader's card-event counter stays the same. */
export class FactsCache {
  private m = new Map<string, CachedCard>();
  get(reader: ReaderInfo): CachedCard | undefined {
    const c = this.m.get(reader.name);
    if (!c || reader.eventCount === null || c.eventCount !== reader.eventCount || c.atr !== reader.atr)
      return undefined;
    return c;
  }
  set(reader: ReaderInfo, facts: CardFacts, caps: CardCapabilities): void {
    if (reader.eventCount === null || !facts.card) return;
    this.m.set(
      reader.name,
      structuredClone({
        eventCount: reader.eventCount,
        atr: reader.atr,
        card: facts.card,
        presence: facts.presence,
        authCertificate: facts.authCertificate,
        notChecked: facts.notChecked,
        caps,
      }),
    );
  }
  drop(reader: string): void {
    this.m.delete(reader);
  }
  clear(): void {
    this.m.clear();
  }
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

function problem(facts: CardFacts, e: unknown): void {
  // Raw exception text (paths, user names) stays on stderr; the facts get a code and a fixed sentence.
  if (!isJpkiGuardError(e)) process.stderr.write(`jpki-guard: unexpected: ${forLog(e)}\n`);
  const err = isJpkiGuardError(e)
    ? e
    : new JpkiGuardError("internal", "unexpected error (details on the error output)");
  facts.problems.push({ code: err.code, message: err.message.slice(0, 1000) });
}

/**
 * EF 0008 (certificate presence). `8F 8F 00` when both are present (single
 * source); which byte is which certificate is not documented, so only the
 * all-absent / all-present patterns and byte 0 for the signature certificate
 * (our reading) are used, and the authentication certificate is decided by
 * reading it.
 */
/**
 * The certificate layer is imported on first need. checkCard starts the import before it touches the
 * card, so a fresh process compiles it while the reader answers.
 */
let certLayer: Promise<typeof import("./cert/facts.js")> | null = null;
function certificates(): Promise<typeof import("./cert/facts.js")> {
  certLayer ??= import("./cert/facts.js");
  return certLayer;
}

export function presenceFromFile(b: Uint8Array): { signature: Presence } {
  if (b.length < 2) return { signature: "unknown" };
  const v = b[0]!;
  return { signature: v === 0x8f ? "present" : v === 0x00 ? "absent" : "unknown" };
}

function tokenText(b: Uint8Array): string {
  // 32 bytes of ASCII, space- (or NUL-) padded; anything unprintable shown as "?".
  let end = b.length;
  while (end > 0 && (b[end - 1] === 0x20 || b[end - 1] === 0x00)) end--;
  return Array.from(b.subarray(0, Math.min(end, 32)), (c) =>
    c >= 0x20 && c <= 0x7e ? String.fromCharCode(c) : "?",
  ).join("");
}

export function kindFromToken(token: string): CardKind {
  if (token === TOKEN_MYNUMBER) return "mynumber";
  if (token === TOKEN_JUKI) return "juki";
  return "unknown";
}

/** Revocation is never checked locally; every set of facts says so. */
function markRevocationNotChecked(facts: CardFacts): void {
  if (!facts.notChecked.some((n) => n.what === "revocation"))
    facts.notChecked.push({ what: "revocation", why: "no-public-revocation-service" });
}

/**
 * Run `fn` alone on the reader's queue, as one operation: a shared
 * connection holding a PC/SC transaction, released without touching the
 * card. `fn` may ask for a reset on release (only when our own PIN
 * verification could not be undone otherwise).
 */
function withConnection<T>(
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

export async function checkCard(options: CheckOptions): Promise<CheckResult> {
  const started = performance.now();
  const now = options.now ?? new Date();
  const facts = emptyFacts(now);
  certificates().catch(() => undefined); // start loading it now; a failure surfaces where it is used
  let trace: TraceLine[] | null = null;
  const finish = (): CheckResult => {
    facts.durationMs = Math.round((performance.now() - started) * 10) / 10;
    markRevocationNotChecked(facts);
    return { facts, trace };
  };

  let reader: ReaderInfo;
  try {
    reader = await chooseReader(options.transport, options.reader);
  } catch (e) {
    problem(facts, e);
    facts.notChecked.push({ what: "card", why: "no-card" });
    return finish();
  }
  facts.reader = { name: reader.name, virtual: options.virtual ?? false };
  if (!reader.cardPresent) {
    problem(facts, new JpkiGuardError("no-card", `no card is in the reader "${reader.name}"`));
    facts.notChecked.push({ what: "card", why: "no-card" });
    return finish();
  }

  try {
    await withConnection(options.transport, reader.name, async (conn) => {
      const ch = new ApduChannel(conn, { trace: options.trace });
      trace = ch.trace;
      const atr = Buffer.from(conn.atr).toString("hex").toUpperCase().slice(0, 66);
      // Inside the reader's queue, with the card held: the reader state (and its
      // card-event counter) read now cannot be overtaken by a swap.
      const now = options.cache
        ? (await options.transport.listReaders()).find((r) => r.name === reader.name)
        : undefined;
      const cached = now ? options.cache?.get(now) : undefined;
      const caps = cached ? { ...cached.caps } : freshCapabilities();
      const card = new JpkiCard(ch, caps);
      try {
        if (cached) await readPinsOnly(card, facts, cached);
        else await readFacts(card, facts, atr, options.extraAnchors ?? []);
        if (now && options.cache && facts.problems.length === 0) options.cache.set(now, facts, caps);
      } finally {
        facts.apduCount = ch.count;
      }
    });
  } catch (e) {
    problem(facts, e);
    // Nothing half-read survives a failure: a removed card gives "card removed", not a corrupt certificate.
    facts.authCertificate = null;
  }
  if (options.cache && facts.problems.length > 0) options.cache.drop(reader.name);
  return finish();
}

/** Warm check: the same card as last time; only the PIN counters can have changed. */
async function readPinsOnly(card: JpkiCard, facts: CardFacts, cached: CachedCard): Promise<void> {
  if (!(await card.selectAp()))
    throw new JpkiGuardError("card-error", "the card no longer answers as a My Number card");
  facts.card = structuredClone(cached.card);
  facts.presence = structuredClone(cached.presence);
  facts.authCertificate = structuredClone(cached.authCertificate);
  facts.notChecked = cached.notChecked.filter((n) => n.what !== "revocation");
  facts.cached = true;
  await readPins(card, facts);
}

async function readPins(card: JpkiCard, facts: CardFacts): Promise<void> {
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

async function readFacts(card: JpkiCard, facts: CardFacts, atr: string, extraAnchors: Anchor[]): Promise<void> {
  facts.card = { kind: "unknown", atr, token: null };
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
    facts.authCertificate = await (await certificates()).certificateFacts(auth.data, "auth", extraAnchors);
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

export interface SignatureReadOptions extends CheckOptions {
  pin: string;
  /** Also return the holder's personal data (name, address, birth date, gender). */
  includePersonalData?: boolean;
}

export interface SignatureReadResult {
  facts: CardFacts;
  personalData: PersonalData | null;
  trace: TraceLine[] | null;
}

/**
 * Read the signature certificate with the signature PIN, guarded: the format
 * is checked before anything is sent, and with one try (or none) left the
 * card is not asked at all.
 */
export async function readSignatureCertificate(options: SignatureReadOptions): Promise<SignatureReadResult> {
  // Loaded before the card is touched: nothing is imported while the transaction is held.
  const personal = options.includePersonalData ? import("./cert/personal.js") : null;
  personal?.catch(() => undefined);
  certificates().catch(() => undefined);
  const problemKind = pinFormatProblem("signature", options.pin);
  if (problemKind) {
    // The catalog's text (the CLI and the extension show it in Japanese first); nothing was sent to the card.
    throw new JpkiGuardError("pin-format", message("en", `pin-format.signature.${problemKind}`), {
      problem: problemKind,
    });
  }
  // One operation (one transaction) for the whole read: read the card's facts
  // (which include the signature PIN's tries, read just now with the card
  // held), then VERIFY and read the certificate.
  const started = performance.now();
  const facts = emptyFacts(options.now ?? new Date());
  markRevocationNotChecked(facts);
  const reader = await chooseReader(options.transport, options.reader);
  facts.reader = { name: reader.name, virtual: options.virtual ?? false };
  if (!reader.cardPresent) throw new JpkiGuardError("no-card", `no card is in the reader "${reader.name}"`);
  return withConnection(options.transport, reader.name, async (conn, release) => {
    const ch = new ApduChannel(conn, { trace: options.trace });
    // Set before the PIN goes out: if the answer is lost (timeout, removal), the card may still be verified.
    let pinSent = false;
    const card = new JpkiCard(ch);
    try {
      const atr = Buffer.from(conn.atr).toString("hex").toUpperCase().slice(0, 66);
      await readFacts(card, facts, atr, options.extraAnchors ?? []);
      if (facts.presence.signature === "absent")
        throw new JpkiGuardError("card-error", "this card has no signature certificate");
      const tries = facts.pins.signature.triesLeft;
      if (tries === null)
        throw new JpkiGuardError(
          "card-error",
          facts.problems[0]?.message ?? "the signature PIN's tries left could not be read; nothing was sent",
        );
      if (tries === 0)
        throw new JpkiGuardError("pin-blocked", "the signature PIN is locked; nothing was sent", { triesLeft: 0 });
      if (tries <= 1)
        throw new JpkiGuardError(
          "pin-too-few-tries",
          "the signature PIN has only 1 try left: a wrong PIN now would lock it, so jpki-guard will not try. Reset the PIN first.",
          { triesLeft: tries },
        );
      pinSent = true;
      const pinBytes = new TextEncoder().encode(options.pin);
      const v = await card.verify("signature", pinBytes).finally(() => pinBytes.fill(0));
      if (!v.ok) {
        facts.pins.signature.triesLeft = v.status.triesLeft;
        facts.pins.signature.locked = v.status.blocked;
        throw new JpkiGuardError(
          v.status.blocked ? "pin-blocked" : "pin-wrong",
          v.status.blocked
            ? "the signature PIN was wrong and is now locked"
            : `the signature PIN was wrong; ${v.status.triesLeft} tries left`,
          { triesLeft: v.status.triesLeft },
        );
      }
      facts.pins.signature.triesLeft = facts.pins.signature.maxTries;
      facts.pins.signature.locked = false;
      const cert = await card.readCertificate(JPKI_EF.signCert);
      if (cert.status !== "ok") throw new JpkiGuardError("card-error", "the signature certificate could not be read");
      const { certificateFacts } = await certificates();
      facts.signatureCertificate = await certificateFacts(cert.data, "sign", options.extraAnchors ?? []);
      facts.presence.signature = "present";
      facts.notChecked = facts.notChecked.filter((n) => n.what !== "signature-certificate");
      return {
        facts,
        personalData: personal ? (await personal).personalData(cert.data) : null,
        trace: ch.trace,
      };
    } finally {
      // Re-selecting the AP drops the verified state ("logout"); after any
      // VERIFY we sent (its answer may have been lost) we confirm it: the signature certificate must need
      // the PIN again. If it does not (or the card does not answer), the card
      // is reset on release: the only other way to be sure nobody can sign
      // with the PIN the user just typed (docs/decisions.md).
      const reselected = await card.selectAp().catch(() => false);
      if (pinSent) {
        const loggedOut = reselected ? await card.readNeedsPin(JPKI_EF.signCert).catch(() => false) : false;
        if (!loggedOut) release.reset = true;
      }
      facts.apduCount = ch.count;
      facts.durationMs = Math.round((performance.now() - started) * 10) / 10;
    }
  });
}

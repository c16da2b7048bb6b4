/**
 * The "read the signature certificate" use case: the user's explicit
 * request, with the signature PIN. Format checked first, refused at one try
 * left, one VERIFY at most, the card logged out afterwards.
 */
import { type CardFacts, emptyFacts, JpkiGuardError, message, pinFormatProblem } from "@jpki-guard/shared/rules";
import { ApduChannel, type TraceLine } from "../apdu/apdu.js";
import { certificateFacts } from "../cert/facts.js";
import type { PersonalData } from "../cert/personal.js";
import { JPKI_EF, JpkiCard } from "../jpki/jpki.js";
import { type CheckOptions, chooseReader, markRevocationNotChecked, readFacts, withConnection } from "./card.js";

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
  const personal = options.includePersonalData ? import("../cert/personal.js") : null;
  personal?.catch(() => undefined);
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
      await readFacts(card, facts, conn.atr, options.extraAnchors ?? []);
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

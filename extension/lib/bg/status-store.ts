/**
 * The extension's one store of what the card said: the latest status from
 * the host (PIN counters, the authentication certificate, the verdict for
 * login) and, separately, the last signature check the user ran (the
 * signature certificate needs the PIN, so the host never re-reads it by
 * itself). A new status of the same card keeps the signature check; another
 * card (or no card) drops it.
 */
import type { CertificateFacts, Status } from "@jpki-guard/shared";

export class StatusStore {
  private latest: Status | null = null;
  private signature: Status | null = null;

  /** The latest status, with the signature certificate from the user's last check of this card if it has none. */
  get status(): Status | null {
    const s = this.latest;
    if (!s || s.facts.signatureCertificate || !this.signature) return s;
    return { ...s, facts: { ...s.facts, signatureCertificate: this.signature.facts.signatureCertificate } };
  }

  /** The result of the user's last signature check, while the same card is in the reader. */
  get signatureCheck(): Status | null {
    return this.signature;
  }

  update(s: Status): void {
    if (this.signature && !sameCard(this.signature, s)) this.signature = null;
    this.latest = s;
  }

  /** The user's signature check; its facts (read just now) are also the latest when it read the card. */
  recordSignature(s: Status): void {
    this.signature = s;
    if (s.facts.authCertificate) this.latest = s;
  }

  /** What storage.session keeps (memory only: the expiry dates are the holder's birthday). */
  snapshot(): { latest: Status | null; signature: Status | null } {
    return { latest: this.latest, signature: this.signature };
  }

  /** Back from storage.session (validated by the caller). */
  restore(s: { latest: Status | null; signature: Status | null }): void {
    this.latest = s.latest;
    this.signature = s.signature;
  }

  /** Forget everything (settings changed: the verdicts depend on them). */
  clear(): void {
    this.latest = null;
    this.signature = null;
  }
}

/** The same card: the same reader and the same authentication certificate (told apart by its fingerprint). */
export function sameCard(a: Status, b: Status): boolean {
  const fp = (c: CertificateFacts | null) => c?.fingerprint ?? null;
  return (
    a.facts.reader?.name === b.facts.reader?.name &&
    fp(a.facts.authCertificate) !== null &&
    fp(a.facts.authCertificate) === fp(b.facts.authCertificate)
  );
}

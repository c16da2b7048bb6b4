/**
 * What a report may say (`jpki-guard doctor`, its --report file, the popup's
 * help-desk report): what a help desk needs to tell what is wrong, and
 * nothing that names the person or the machine. Kept: dates to the day, PIN
 * tries, verdict, card kind and ATR (a card model, not a person), versions,
 * the reader's model. Dropped: the certificate fingerprint, exact times,
 * serial numbers in reader names (pcsc-lite appends the USB serial in
 * parentheses), the home folder and the user name.
 */
import {
  type CardFacts,
  type CertificateFacts,
  formatJstDate,
  jstDate,
  type ReportCertificate,
  type ReportFacts,
} from "@jpki-guard/shared/rules";

export type { ReportCertificate, ReportFacts } from "@jpki-guard/shared/rules";

const day = (iso: string) => formatJstDate(jstDate(new Date(iso)));

/**
 * A reader's model without its serial number: "ACS ACR39U ICC Reader
 * (0A1B2C3D) 00 00" -> "ACS ACR39U ICC Reader 00 00". Parenthesised groups
 * holding a digit go, and so does any long run of hex digits.
 */
export function readerModel(name: string): string {
  return name
    .replace(/\s*\([^()]*\d[^()]*\)/g, "")
    .replace(/\b[0-9A-Fa-f]{8,}\b/g, "…")
    .replace(/\s{2,}/g, " ")
    .trim()
    .slice(0, 120);
}

function certificate(c: CertificateFacts | null): ReportCertificate | null {
  if (!c) return null;
  return {
    validFrom: day(c.notBefore),
    validTo: day(c.notAfter),
    issuer: c.issuer,
    chain: c.chain,
    keyAlgorithm: c.keyAlgorithm,
    keyBits: c.keyBits,
    keyCurve: c.keyCurve,
  };
}

export function reportFacts(f: CardFacts): ReportFacts {
  return {
    checkedOn: day(f.checkedAt),
    reader: f.reader ? { model: readerModel(f.reader.name), virtual: f.reader.virtual } : null,
    card: f.card ? { kind: f.card.kind, atr: f.card.atr } : null,
    presence: f.presence,
    authCertificate: certificate(f.authCertificate),
    signatureCertificate: certificate(f.signatureCertificate),
    pins: f.pins,
    notChecked: f.notChecked,
    problems: f.problems.map((p) => p.code),
    apduCount: f.apduCount,
    cached: f.cached,
  };
}

export { scrub } from "../log.js";

/**
 * Test code only (never imported by product code: bridge/src/layers.test.ts
 * checks). The one healthy card the rule tests start from: a My Number card
 * with a verified J-LIS authentication certificate valid to 31 May 2029
 * (Japan time) and both PINs untouched. Each test changes what it is about.
 */
import { type CardFacts, type CertificateFacts, emptyFacts } from "../facts.js";

/** A J-LIS (2023 generation) RSA-2048 certificate, chain verified. */
export function jlisCertificate(notBefore: string, notAfter: string): CertificateFacts {
  return {
    notBefore,
    notAfter,
    issuer: { kind: "jlis", generation: "2023", name: "C=JP, O=JPKI" },
    chain: "verified",
    keyAlgorithm: "RSA",
    keyBits: 2048,
    keyCurve: null,
    fingerprint: "0123456789abcdef",
    sizeBytes: 1200,
  };
}

/** A healthy card checked at `checkedAt`; `edit` changes it in place before it is returned. */
export function healthyCard(checkedAt: Date, edit: (f: CardFacts) => void = () => undefined): CardFacts {
  const f = emptyFacts(checkedAt);
  f.reader = { name: "r", virtual: false };
  f.card = { kind: "mynumber", atr: "3BE000FF8131FE4514", token: null };
  f.presence = { auth: "present", signature: "present" };
  f.authCertificate = jlisCertificate("2024-01-01T00:00:00Z", "2029-05-31T14:59:59Z");
  f.pins.auth = { triesLeft: 3, maxTries: 3, locked: false };
  f.pins.signature = { triesLeft: 5, maxTries: 5, locked: false };
  edit(f);
  return f;
}

/**
 * DER certificate -> certificate facts: validity, issuer and J-LIS
 * generation, chain to a bundled anchor, key type and size, and a one-way
 * fingerprint instead of the serial.
 *
 * Parsing and signature checks are Node's own X509Certificate (OpenSSL,
 * native): nothing to load or compile at start-up, RSA and EC keys alike.
 * The holder's personal data (subjectAltName, signature certificate only) is
 * read by personal.ts with pkijs/asn1js, loaded only on explicit request.
 * Why: docs/decisions.md, "Certificate facts on Node's X509Certificate".
 */
import { createHash, X509Certificate } from "node:crypto";
import { type CertificateFacts, JpkiGuardError } from "@jpki-guard/shared/rules";
import { derTotalLength, MAX_CERT_BYTES } from "../der.js";
import { JLIS_ANCHORS } from "./anchors.js";

/** OpenSSL's curve names -> NIST names. */
const CURVES: Record<string, "P-256" | "P-384" | "P-521"> = {
  prime256v1: "P-256",
  secp384r1: "P-384",
  secp521r1: "P-521",
};

const JLIS_ORG = "JPKI";
const JLIS_OU = "Japan Agency for Local Authority Information Systems";

export interface Anchor {
  cert: X509Certificate;
  purpose: "auth" | "sign";
  generation: "2015" | "2019" | "2023" | null;
  kind: "jlis" | "test";
  /** Subject key id (hex) of a bundled J-LIS CA, as anchors.ts lists it (anchors.test.ts checks it against the certificate); null for a test anchor. */
  ski: string | null;
  name: string;
}

/** One DER certificate, exactly: no trailing bytes, a plausible size. */
export function parseCertificate(der: Uint8Array): X509Certificate {
  if (der.length < 16 || der.length > MAX_CERT_BYTES)
    throw new JpkiGuardError("certificate-invalid", `a ${der.length}-byte certificate is not plausible`);
  const total = derTotalLength(der);
  if (total !== der.length)
    throw new JpkiGuardError(
      "certificate-invalid",
      total < der.length ? "trailing bytes after the certificate" : "the certificate is cut short",
    );
  try {
    return new X509Certificate(der);
  } catch {
    throw new JpkiGuardError("certificate-invalid", "the certificate cannot be parsed");
  }
}

function pemToDer(pem: string): Uint8Array {
  const b64 = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, "");
  return new Uint8Array(Buffer.from(b64, "base64"));
}

/**
 * The attributes of a distinguished name in Node's multi-line form: one RDN
 * per line, " + " between the attributes of a multi-valued RDN, OpenSSL
 * short names, values escaped as in RFC 2253 (so a literal "+" is "\+").
 */
function attributes(multiline: string): string[] {
  return multiline
    .split("\n")
    .flatMap((l) => l.split(" + "))
    .filter(Boolean);
}

/** A distinguished name as one line, "C=JP, O=JPKI, OU=...". scripts/gen-anchors.mjs writes the same form. */
export function dnString(multiline: string): string {
  return attributes(multiline).join(", ");
}

function dnValues(multiline: string, short: string): string[] {
  return attributes(multiline)
    .filter((l) => l.startsWith(`${short}=`))
    .map((l) => l.slice(short.length + 1));
}

function looksJlis(name: string): boolean {
  return dnValues(name, "O").includes(JLIS_ORG) && dnValues(name, "OU").includes(JLIS_OU);
}

function looksTest(name: string): boolean {
  return dnValues(name, "O").some((o) => /\bTEST\b/.test(o));
}

let bundled: Anchor[] | null = null;
/** The bundled J-LIS CAs; each certificate is parsed on first use (names and key ids are precomputed). */
export function bundledAnchors(): Anchor[] {
  if (!bundled) {
    bundled = JLIS_ANCHORS.map((a) => {
      let cert: X509Certificate | null = null;
      return {
        get cert() {
          cert ??= parseCertificate(pemToDer(a.pem));
          return cert;
        },
        purpose: a.purpose,
        generation: a.generation,
        kind: "jlis" as const,
        ski: a.ski,
        name: a.subject,
      };
    });
  }
  return bundled;
}

/** Extra anchors for the virtual card's TEST CA (never for a real card). */
export function testAnchor(der: Uint8Array, purpose: "auth" | "sign"): Anchor {
  const cert = parseCertificate(der);
  return { cert, purpose, generation: null, kind: "test", ski: null, name: dnString(cert.subject) };
}

export function fingerprint(der: Uint8Array): string {
  return createHash("sha256").update(der).digest("hex").slice(0, 16);
}

function verifiedBy(cert: X509Certificate, anchor: Anchor): boolean {
  try {
    return cert.verify(anchor.cert.publicKey);
  } catch {
    return false;
  }
}

export async function certificateFacts(
  der: Uint8Array,
  purpose: "auth" | "sign",
  extraAnchors: Anchor[] = [],
): Promise<CertificateFacts> {
  try {
    return readCertificateFacts(der, purpose, extraAnchors);
  } catch (e) {
    if (e instanceof JpkiGuardError) throw e;
    throw new JpkiGuardError("certificate-invalid", "the certificate cannot be read");
  }
}

function readCertificateFacts(der: Uint8Array, purpose: "auth" | "sign", extraAnchors: Anchor[]): CertificateFacts {
  const cert = parseCertificate(der);
  const notBefore = new Date(cert.validFrom);
  const notAfter = new Date(cert.validTo);
  if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime()))
    throw new JpkiGuardError("certificate-invalid", "the certificate's validity dates cannot be read");
  const issuerName = dnString(cert.issuer);
  // Anchors with the issuer's name; checkIssued also compares the authority
  // key id with the anchor's subject key id (so the 2019 J-LIS CA, same name,
  // other key, does not match the 2015 or 2023 one).
  const named = [...extraAnchors, ...bundledAnchors()].filter((a) => a.purpose === purpose && a.name === issuerName);
  const issuers = named.filter((a) => {
    try {
      return cert.checkIssued(a.cert);
    } catch {
      return false;
    }
  });
  let chain: CertificateFacts["chain"];
  let issuerKind: CertificateFacts["issuer"]["kind"];
  let generation: CertificateFacts["issuer"]["generation"] = null;
  const verifiedAnchor = issuers.find((a) => verifiedBy(cert, a));
  if (verifiedAnchor) {
    chain = "verified";
    issuerKind = verifiedAnchor.kind;
    generation = verifiedAnchor.generation;
  } else if (issuers.length > 0) {
    chain = "failed";
    issuerKind = issuers[0]!.kind;
  } else if (looksJlis(cert.issuer)) {
    chain = "anchor-not-bundled";
    issuerKind = "jlis";
    generation = guessGeneration(notBefore);
  } else {
    chain = "untrusted";
    issuerKind = looksTest(cert.issuer) ? "test" : "unknown";
  }
  let keyAlgorithm: CertificateFacts["keyAlgorithm"] = "other";
  let keyBits = 0;
  let keyCurve: CertificateFacts["keyCurve"] = null;
  try {
    const key = cert.publicKey;
    if (key.asymmetricKeyType === "rsa") {
      keyAlgorithm = "RSA";
      keyBits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    } else if (key.asymmetricKeyType === "ec") {
      keyAlgorithm = "EC";
      keyCurve = CURVES[key.asymmetricKeyDetails?.namedCurve ?? ""] ?? null;
      keyBits = keyCurve ? Number(keyCurve.slice(2)) : 0;
    }
  } catch {
    // An unreadable key is reported as "other", 0 bits.
  }
  return {
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    issuer: { kind: issuerKind, generation, name: issuerName },
    chain,
    keyAlgorithm,
    keyBits,
    keyCurve,
    fingerprint: fingerprint(der),
    sizeBytes: der.length,
  };
}

/** J-LIS CA generations by issuance date, for certificates whose anchor is not bundled. */
function guessGeneration(notBefore: Date): "2015" | "2019" | "2023" | null {
  const y = notBefore.getUTCFullYear();
  if (y >= 2023) return null; // could be 2019 or 2023; don't guess
  if (y >= 2019) return "2019";
  return null;
}

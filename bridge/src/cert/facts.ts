/**
 * DER certificate -> certificate facts (pkijs/asn1js): validity, issuer and
 * J-LIS generation, chain to a bundled anchor, key size, and a one-way
 * fingerprint instead of the serial. Personal data from the signature
 * certificate is extracted only by `personalData`, on explicit request.
 */
import { createHash, webcrypto } from "node:crypto";
import { type CertificateFacts, JpkiGuardError } from "@jpki-guard/shared/rules";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { JLIS_ANCHORS } from "./anchors.js";

const engine = new pkijs.CryptoEngine({
  name: "node",
  crypto: webcrypto as unknown as Crypto,
  subtle: webcrypto.subtle as unknown as SubtleCrypto,
});

const OID_SAN = "2.5.29.17";
const OID_AKI = "2.5.29.35";
const OID_SKI = "2.5.29.14";
const OID_RSA = "1.2.840.113549.1.1.1";
const PERSONAL = {
  name: "1.2.392.200149.8.5.5.1",
  nameSubstitute: "1.2.392.200149.8.5.5.2",
  gender: "1.2.392.200149.8.5.5.3",
  birthDate: "1.2.392.200149.8.5.5.4",
  address: "1.2.392.200149.8.5.5.5",
  addressSubstitute: "1.2.392.200149.8.5.5.6",
} as const;

const JLIS_ORG = "JPKI";
const JLIS_OU = "Japan Agency for Local Authority Information Systems";

export interface Anchor {
  cert: pkijs.Certificate;
  purpose: "auth" | "sign";
  generation: "2015" | "2019" | "2023" | null;
  kind: "jlis" | "test";
  ski: string | null;
  name: string;
}

export function parseCertificate(der: Uint8Array): pkijs.Certificate {
  if (der.length < 16 || der.length > 16_384)
    throw new JpkiGuardError("certificate-invalid", `a ${der.length}-byte certificate is not plausible`);
  try {
    const asn = asn1js.fromBER(der.slice().buffer as ArrayBuffer);
    if (asn.offset === -1 || asn.offset !== der.length)
      throw new Error(asn.offset === -1 ? asn.result.error : "trailing bytes after the certificate");
    return new pkijs.Certificate({ schema: asn.result });
  } catch (e) {
    throw new JpkiGuardError("certificate-invalid", `the certificate cannot be parsed: ${(e as Error).message}`);
  }
}

function pemToDer(pem: string): Uint8Array {
  const b64 = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, "");
  return new Uint8Array(Buffer.from(b64, "base64"));
}

const RDN_SHORT: Record<string, string> = {
  "2.5.4.6": "C",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "2.5.4.3": "CN",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
};

export function dnString(n: pkijs.RelativeDistinguishedNames): string {
  return n.typesAndValues
    .map((tv) => `${RDN_SHORT[tv.type] ?? tv.type}=${String(tv.value.valueBlock.value)}`)
    .join(", ");
}

function dnValues(n: pkijs.RelativeDistinguishedNames, oid: string): string[] {
  return n.typesAndValues.filter((tv) => tv.type === oid).map((tv) => String(tv.value.valueBlock.value));
}

function extension(c: pkijs.Certificate, oid: string): pkijs.Extension | undefined {
  return c.extensions?.find((e) => e.extnID === oid);
}

function keyIdHex(c: pkijs.Certificate, which: "aki" | "ski"): string | null {
  const e = extension(c, which === "aki" ? OID_AKI : OID_SKI);
  if (!e) return null;
  try {
    const v = asn1js.fromBER(e.extnValue.valueBlock.valueHexView.slice().buffer as ArrayBuffer).result;
    if (which === "ski") return Buffer.from((v as asn1js.OctetString).valueBlock.valueHexView).toString("hex");
    const seq = v as asn1js.Sequence;
    const id = seq.valueBlock.value.find((x) => x.idBlock.tagClass === 3 && x.idBlock.tagNumber === 0);
    return id ? Buffer.from((id as asn1js.Primitive).valueBlock.valueHexView).toString("hex") : null;
  } catch {
    return null;
  }
}

function looksJlis(n: pkijs.RelativeDistinguishedNames): boolean {
  return dnValues(n, "2.5.4.10").includes(JLIS_ORG) && dnValues(n, "2.5.4.11").includes(JLIS_OU);
}

function looksTest(n: pkijs.RelativeDistinguishedNames): boolean {
  return dnValues(n, "2.5.4.10").some((o) => /\bTEST\b/.test(o));
}

let bundled: Anchor[] | null = null;
/** The bundled J-LIS CAs; each certificate is parsed on first use (names and key ids are precomputed). */
export function bundledAnchors(): Anchor[] {
  if (!bundled) {
    bundled = JLIS_ANCHORS.map((a) => {
      let cert: pkijs.Certificate | null = null;
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
  return { cert, purpose, generation: null, kind: "test", ski: keyIdHex(cert, "ski"), name: dnString(cert.subject) };
}

export function fingerprint(der: Uint8Array): string {
  return createHash("sha256").update(der).digest("hex").slice(0, 16);
}

async function verifiedBy(cert: pkijs.Certificate, anchor: Anchor): Promise<boolean> {
  try {
    return await cert.verify(anchor.cert, engine);
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
    return await readCertificateFacts(der, purpose, extraAnchors);
  } catch (e) {
    // asn1js decodes some values lazily: a malformed one can throw late (RangeError and the like).
    if (e instanceof JpkiGuardError) throw e;
    throw new JpkiGuardError("certificate-invalid", `the certificate cannot be read: ${(e as Error).message}`);
  }
}

async function readCertificateFacts(
  der: Uint8Array,
  purpose: "auth" | "sign",
  extraAnchors: Anchor[],
): Promise<CertificateFacts> {
  const cert = parseCertificate(der);
  const notBefore = cert.notBefore.value;
  const notAfter = cert.notAfter.value;
  if (!(notBefore instanceof Date) || Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime()))
    throw new JpkiGuardError("certificate-invalid", "the certificate's validity dates cannot be read");
  const issuerName = dnString(cert.issuer);
  const aki = keyIdHex(cert, "aki");
  const candidates = [...extraAnchors, ...bundledAnchors()].filter(
    (a) => a.purpose === purpose && a.name === issuerName,
  );
  const byKeyId = aki ? candidates.filter((a) => a.ski === aki) : candidates;
  let chain: CertificateFacts["chain"];
  let issuerKind: CertificateFacts["issuer"]["kind"];
  let generation: CertificateFacts["issuer"]["generation"] = null;
  const matched = byKeyId.length > 0 ? byKeyId : aki ? [] : candidates;
  let verifiedAnchor: Anchor | undefined;
  for (const a of matched) {
    if (await verifiedBy(cert, a)) {
      verifiedAnchor = a;
      break;
    }
  }
  if (verifiedAnchor) {
    chain = "verified";
    issuerKind = verifiedAnchor.kind;
    generation = verifiedAnchor.generation;
  } else if (matched.length > 0) {
    chain = "failed";
    issuerKind = matched[0]!.kind;
  } else if (looksJlis(cert.issuer)) {
    chain = "anchor-not-bundled";
    issuerKind = "jlis";
    generation = guessGeneration(notBefore);
  } else {
    chain = "untrusted";
    issuerKind = looksTest(cert.issuer) ? "test" : "unknown";
  }
  const spki = cert.subjectPublicKeyInfo;
  let keyBits = 0;
  const isRsa = spki.algorithm.algorithmId === OID_RSA;
  if (isRsa) {
    try {
      const rsa = pkijs.RSAPublicKey.fromBER(
        spki.subjectPublicKey.valueBlock.valueHexView.slice().buffer as ArrayBuffer,
      );
      const mod = rsa.modulus.valueBlock.valueHexView;
      let i = 0;
      while (i < mod.length && mod[i] === 0) i++;
      keyBits = (mod.length - i) * 8 - (mod[i] !== undefined ? Math.clz32(mod[i]!) - 24 : 0);
    } catch {
      keyBits = 0;
    }
  }
  return {
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    issuer: { kind: issuerKind, generation, name: issuerName },
    chain,
    keyAlgorithm: isRsa ? "RSA" : "other",
    keyBits,
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

export interface PersonalData {
  name: string | null;
  nameSubstitute: string | null;
  gender: string | null;
  birthDate: string | null;
  address: string | null;
  addressSubstitute: string | null;
}

/**
 * The holder's personal data from the signature certificate's
 * subjectAltName. Call only when the user explicitly asked; never log it.
 */
export function personalData(der: Uint8Array): PersonalData {
  try {
    return readPersonalData(der);
  } catch (e) {
    if (e instanceof JpkiGuardError) throw e;
    throw new JpkiGuardError(
      "certificate-invalid",
      `the certificate's personal data cannot be read: ${(e as Error).message}`,
    );
  }
}

function readPersonalData(der: Uint8Array): PersonalData {
  const cert = parseCertificate(der);
  const out: PersonalData = {
    name: null,
    nameSubstitute: null,
    gender: null,
    birthDate: null,
    address: null,
    addressSubstitute: null,
  };
  const san = extension(cert, OID_SAN);
  if (!san) return out;
  const parsed = asn1js.fromBER(san.extnValue.valueBlock.valueHexView.slice().buffer as ArrayBuffer);
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) return out;
  for (const gn of parsed.result.valueBlock.value) {
    if (gn.idBlock.tagClass !== 3 || gn.idBlock.tagNumber !== 0) continue;
    const parts = (gn as asn1js.Constructed).valueBlock.value;
    const oid = parts[0] instanceof asn1js.ObjectIdentifier ? parts[0].valueBlock.toString() : null;
    const wrapped = parts[1] as asn1js.Constructed | undefined;
    const inner = wrapped?.valueBlock?.value?.[0] as { valueBlock?: { value?: unknown } } | undefined;
    const value = typeof inner?.valueBlock?.value === "string" ? inner.valueBlock.value : null;
    for (const [key, o] of Object.entries(PERSONAL)) if (o === oid) out[key as keyof PersonalData] = value;
  }
  return out;
}

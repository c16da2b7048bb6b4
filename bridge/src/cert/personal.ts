/**
 * The holder's personal data from the signature certificate's
 * subjectAltName (JPKI otherName entries), with pkijs/asn1js. Loaded only
 * when the user explicitly asks (`read-signature --show-personal-data`);
 * never logged, never sent to a page.
 */
import { JpkiGuardError } from "@jpki-guard/shared/rules";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { derTotalLength, MAX_CERT_BYTES } from "../der.js";

const OID_SAN = "2.5.29.17";
const PERSONAL = {
  name: "1.2.392.200149.8.5.5.1",
  nameSubstitute: "1.2.392.200149.8.5.5.2",
  gender: "1.2.392.200149.8.5.5.3",
  birthDate: "1.2.392.200149.8.5.5.4",
  address: "1.2.392.200149.8.5.5.5",
  addressSubstitute: "1.2.392.200149.8.5.5.6",
} as const;

function parse(der: Uint8Array): pkijs.Certificate {
  if (der.length < 16 || der.length > MAX_CERT_BYTES || derTotalLength(der) !== der.length)
    throw new JpkiGuardError("certificate-invalid", "the certificate is not one plausible DER certificate");
  const asn = asn1js.fromBER(der.slice().buffer as ArrayBuffer);
  if (asn.offset === -1) throw new JpkiGuardError("certificate-invalid", "the certificate cannot be parsed");
  return new pkijs.Certificate({ schema: asn.result });
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
    throw new JpkiGuardError("certificate-invalid", "the certificate's personal data cannot be read");
  }
}

function readPersonalData(der: Uint8Array): PersonalData {
  const cert = parse(der);
  const out: PersonalData = {
    name: null,
    nameSubstitute: null,
    gender: null,
    birthDate: null,
    address: null,
    addressSubstitute: null,
  };
  const san = cert.extensions?.find((e) => e.extnID === OID_SAN);
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

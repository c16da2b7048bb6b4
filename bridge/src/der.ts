/**
 * The DER facts both the card layer (jpki/, how much to read) and the
 * certificate layer (cert/, what to parse) need, kept below both so neither
 * imports the other.
 */
import { JpkiGuardError } from "@jpki-guard/shared/rules";

/**
 * Largest certificate accepted, from a card or as an anchor. Real JPKI
 * certificates and J-LIS CA certificates are under 2 KB; 8192 leaves four
 * times that and bounds a hostile card to 32 READ BINARY commands.
 */
export const MAX_CERT_BYTES = 8192;

/** Total length of the DER element that starts `b` (tag + length + content). */
export function derTotalLength(b: Uint8Array): number {
  if (b.length < 2) throw new JpkiGuardError("certificate-invalid", "the certificate is shorter than its header");
  if (b[0] !== 0x30) throw new JpkiGuardError("certificate-invalid", "the file does not start with a DER SEQUENCE");
  const l = b[1]!;
  if (l < 0x80) return 2 + l;
  const n = l & 0x7f;
  if (n === 0 || n > 3) throw new JpkiGuardError("certificate-invalid", "unsupported DER length form");
  if (b.length < 2 + n) throw new JpkiGuardError("certificate-invalid", "the certificate header is cut short");
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + b[2 + i]!;
  return 2 + n + len;
}

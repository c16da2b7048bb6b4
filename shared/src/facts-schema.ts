/**
 * The schemas of the card facts (zod): what the host's replies and the
 * extension's checks validate. Kept apart from facts.ts so that code which
 * only builds or reads facts (the CLI's check) does not load zod.
 */
import * as z from "zod/mini";
import { ERROR_CODES } from "./errors.js";
import { FACTS_SCHEMA_VERSION } from "./facts.js";

const isoDate = z.iso.datetime({ offset: true });
const count = z.int().check(z.nonnegative());
const maxLen = (n: number) => z.string().check(z.maxLength(n));

export const IssuerSchema = z.strictObject({
  /** jlis: a J-LIS JPKI CA name; test: the project's TEST CA; unknown: anything else. */
  kind: z.enum(["jlis", "test", "unknown"]),
  /** Which J-LIS CA generation signed it, when a bundled anchor matched. */
  generation: z.nullable(z.enum(["2015", "2019", "2023"])),
  /** The issuer's distinguished name (a CA's name, never the holder's). */
  name: maxLen(512),
});

export const ChainStatusSchema = z.enum([
  /** Signature verified against a bundled J-LIS anchor (or the virtual card's TEST anchor). */
  "verified",
  /** Issuer looks like J-LIS but no bundled anchor matches its key id (e.g. a 2019 CA). */
  "anchor-not-bundled",
  /** Signature does not verify against the anchor it names. */
  "failed",
  /** Issuer is not a J-LIS JPKI CA. */
  "untrusted",
]);

/** RSA today; EC on the announced next-generation card (ECDSA P-384). */
export const KeyAlgorithmSchema = z.enum(["RSA", "EC", "other"]);
/** The named curve of an EC key, else null. */
export const KeyCurveSchema = z.nullable(z.enum(["P-256", "P-384", "P-521"]));

export const CertificateFactsSchema = z.strictObject({
  notBefore: isoDate,
  notAfter: isoDate,
  issuer: IssuerSchema,
  chain: ChainStatusSchema,
  keyAlgorithm: KeyAlgorithmSchema,
  /** Key size in bits (RSA: the modulus; EC: the curve's). */
  keyBits: count,
  keyCurve: KeyCurveSchema,
  /** First 16 hex digits of SHA-256 over the certificate: tells two certificates apart, reveals nothing. */
  fingerprint: z.string().check(z.regex(/^[0-9a-f]{16}$/)),
  sizeBytes: z.int().check(z.positive()),
});
export type CertificateFacts = z.infer<typeof CertificateFactsSchema>;

export const PinFactsSchema = z.strictObject({
  triesLeft: z.nullable(z.int().check(z.minimum(0), z.maximum(15))),
  maxTries: z.int().check(z.positive()),
  locked: z.nullable(z.boolean()),
});
export type PinFacts = z.infer<typeof PinFactsSchema>;

export const PresenceSchema = z.enum(["present", "absent", "unknown"]);
export type Presence = z.infer<typeof PresenceSchema>;

export const NotCheckedSchema = z.strictObject({
  what: z.enum(["signature-certificate", "revocation", "auth-certificate", "pins", "card", "certificate-presence"]),
  why: z.enum([
    "needs-signature-pin",
    "no-public-revocation-service",
    "card-unreadable",
    "no-card",
    "not-mynumber",
    "error",
  ]),
});

export const ProblemSchema = z.strictObject({
  code: z.enum(ERROR_CODES),
  message: maxLen(1000),
});
export type Problem = z.infer<typeof ProblemSchema>;

export const CardKindSchema = z.enum(["mynumber", "juki", "not-mynumber", "unknown"]);
export type CardKind = z.infer<typeof CardKindSchema>;

export const CardFactsSchema = z.strictObject({
  schemaVersion: z.literal(FACTS_SCHEMA_VERSION),
  checkedAt: isoDate,
  reader: z.nullable(
    z.strictObject({
      name: maxLen(256),
      /** The built-in virtual card, not the user's own. */
      virtual: z.boolean(),
    }),
  ),
  card: z.nullable(
    z.strictObject({
      kind: CardKindSchema,
      atr: z.string().check(z.regex(/^[0-9A-F]{0,66}$/)),
      token: z.nullable(maxLen(32)),
    }),
  ),
  presence: z.strictObject({ auth: PresenceSchema, signature: PresenceSchema }),
  authCertificate: z.nullable(CertificateFactsSchema),
  /** Read only with the signature PIN, on explicit request; otherwise null. */
  signatureCertificate: z.nullable(CertificateFactsSchema),
  pins: z.strictObject({ auth: PinFactsSchema, signature: PinFactsSchema }),
  notChecked: z.array(NotCheckedSchema).check(z.maxLength(16)),
  problems: z.array(ProblemSchema).check(z.maxLength(16)),
  apduCount: count,
  durationMs: z.number().check(z.nonnegative()),
  /** Certificate facts came from the cache of this card (only the PIN counters were re-read). */
  cached: z.boolean(),
});
export type CardFacts = z.infer<typeof CardFactsSchema>;

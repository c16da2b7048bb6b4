/**
 * What one check of a card found: the contract between the bridge, the CLI's
 * `check --json`, the native host and the extension. No PIN, serial number,
 * CN or personal data ever goes in here.
 */
import { z } from "zod";
import { ERROR_CODES } from "./errors.js";

export const FACTS_SCHEMA_VERSION = 1;

const isoDate = z.iso.datetime({ offset: true });

export const IssuerSchema = z
  .object({
    /** jlis: a J-LIS JPKI CA name; test: the project's TEST CA; unknown: anything else. */
    kind: z.enum(["jlis", "test", "unknown"]),
    /** Which J-LIS CA generation signed it, when a bundled anchor matched. */
    generation: z.enum(["2015", "2019", "2023"]).nullable(),
    /** The issuer's distinguished name (a CA's name, never the holder's). */
    name: z.string().max(512),
  })
  .strict();

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

export const CertificateFactsSchema = z
  .object({
    notBefore: isoDate,
    notAfter: isoDate,
    issuer: IssuerSchema,
    chain: ChainStatusSchema,
    keyAlgorithm: z.enum(["RSA", "other"]),
    keyBits: z.number().int().nonnegative(),
    /** First 16 hex digits of SHA-256 over the certificate: tells two certificates apart, reveals nothing. */
    fingerprint: z.string().regex(/^[0-9a-f]{16}$/),
    sizeBytes: z.number().int().positive(),
  })
  .strict();
export type CertificateFacts = z.infer<typeof CertificateFactsSchema>;

export const PinFactsSchema = z
  .object({
    triesLeft: z.number().int().min(0).max(15).nullable(),
    maxTries: z.number().int().positive(),
    locked: z.boolean().nullable(),
  })
  .strict();
export type PinFacts = z.infer<typeof PinFactsSchema>;

export const PresenceSchema = z.enum(["present", "absent", "unknown"]);
export type Presence = z.infer<typeof PresenceSchema>;

export const NotCheckedSchema = z
  .object({
    what: z.enum(["signature-certificate", "revocation", "auth-certificate", "pins", "card", "certificate-presence"]),
    why: z.enum([
      "needs-signature-pin",
      "no-public-revocation-service",
      "card-unreadable",
      "no-card",
      "not-mynumber",
      "error",
    ]),
  })
  .strict();

export const ProblemSchema = z
  .object({
    code: z.enum(ERROR_CODES),
    message: z.string().max(1000),
  })
  .strict();
export type Problem = z.infer<typeof ProblemSchema>;

export const CardKindSchema = z.enum(["mynumber", "juki", "not-mynumber", "unknown"]);
export type CardKind = z.infer<typeof CardKindSchema>;

export const CardFactsSchema = z
  .object({
    schemaVersion: z.literal(FACTS_SCHEMA_VERSION),
    checkedAt: isoDate,
    reader: z
      .object({
        name: z.string().max(256),
        /** The built-in virtual card, not the user's own. */
        virtual: z.boolean(),
      })
      .strict()
      .nullable(),
    card: z
      .object({
        kind: CardKindSchema,
        atr: z.string().regex(/^[0-9A-F]{0,66}$/),
        token: z.string().max(32).nullable(),
      })
      .strict()
      .nullable(),
    presence: z.object({ auth: PresenceSchema, signature: PresenceSchema }).strict(),
    authCertificate: CertificateFactsSchema.nullable(),
    /** Read only with the signature PIN, on explicit request; otherwise null. */
    signatureCertificate: CertificateFactsSchema.nullable(),
    pins: z.object({ auth: PinFactsSchema, signature: PinFactsSchema }).strict(),
    notChecked: z.array(NotCheckedSchema).max(16),
    problems: z.array(ProblemSchema).max(16),
    apduCount: z.number().int().nonnegative(),
    durationMs: z.number().nonnegative(),
    /** Certificate facts came from the cache of this card (only the PIN counters were re-read). */
    cached: z.boolean(),
  })
  .strict();
export type CardFacts = z.infer<typeof CardFactsSchema>;

export const AUTH_PIN_MAX_TRIES = 3;
export const SIGNATURE_PIN_MAX_TRIES = 5;

export function emptyFacts(now: Date): CardFacts {
  return {
    schemaVersion: FACTS_SCHEMA_VERSION,
    checkedAt: now.toISOString(),
    reader: null,
    card: null,
    presence: { auth: "unknown", signature: "unknown" },
    authCertificate: null,
    signatureCertificate: null,
    pins: {
      auth: { triesLeft: null, maxTries: AUTH_PIN_MAX_TRIES, locked: null },
      signature: { triesLeft: null, maxTries: SIGNATURE_PIN_MAX_TRIES, locked: null },
    },
    notChecked: [],
    problems: [],
    apduCount: 0,
    durationMs: 0,
    cached: false,
  };
}

/** PIN formats as the card defines them. */
export const PIN_RULES = {
  auth: { pattern: /^[0-9]{4}$/, description: "exactly 4 digits" },
  signature: { pattern: /^[0-9A-Z]{6,16}$/, description: "6-16 characters: digits 0-9 and upper-case letters A-Z" },
} as const;

export type PinFormatProblem = "empty" | "too-short" | "too-long" | "lower-case" | "bad-character" | "not-digits";

/** Why a PIN has the wrong format, or null when it is well-formed. Never changes the PIN. */
export function pinFormatProblem(kind: "auth" | "signature", pin: string): PinFormatProblem | null {
  if (pin.length === 0) return "empty";
  if (kind === "auth") {
    if (!/^[0-9]*$/.test(pin)) return "not-digits";
    if (pin.length < 4) return "too-short";
    if (pin.length > 4) return "too-long";
    return null;
  }
  if (/[a-z]/.test(pin)) return "lower-case";
  if (/[^0-9A-Z]/.test(pin)) return "bad-character";
  if (pin.length < 6) return "too-short";
  if (pin.length > 16) return "too-long";
  return null;
}

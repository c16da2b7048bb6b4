/**
 * Named virtual-card profiles (what citizens really carry) and JSON profile
 * files. Dates are relative to `now` so that "valid" stays valid and
 * "renewal-window" stays inside the window whenever the tests run.
 */
import { readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { z } from "zod";
import { caCertificate, certificateBytes, holderCertificate } from "./certs.js";
import {
  AID_JPKI,
  AID_TEXT,
  AID_VISUAL,
  type Application,
  type CardFile,
  CardModel,
  type CardModelSpec,
  EF,
  hex,
} from "./model.js";

/** ATR of the contact interface, as OpenSC's JPKI driver lists it. */
export const ATR_CONTACT = "3BE000FF8131FE4514";
/**
 * Contactless: PC/SC readers synthesise an ATR from the type-B ATQB
 * (PC/SC part 3): 3B 88 80 01 + application data + protocol info + MBLI + TCK.
 */
export const ATR_CONTACTLESS = withTck("3B88800100000000B3817100");
/** An unrelated ISO card (not a My Number card). */
export const ATR_OTHER = withTck("3B8A80010031C173C84000009000");
/** An old 住基カード as a contact reader reports it (shape only). */
export const ATR_JUKI = withTck("3B8B80010031C06408440310009000");

/**
 * ATRs reported for real My Number cards (docs/real-cards.md): contact, and
 * contactless as PC/SC part 3 builds them from the ATQB. Detection never
 * depends on the ATR; the tests read a card with each.
 */
export const REAL_ATRS = [
  "3BE000FF8131FE4514",
  "3BDA13FF8131FB468012392F31C173C601C03B",
  "3BC5FF8131FB458073C6010000",
  "3B888001000005E0B381A1007F",
  "3B888001000041E0B381A1003B",
  "3B888001004B51FF0081D100BC",
] as const;

export const DEFAULT_AUTH_PIN = "1234";
export const DEFAULT_SIGN_PIN = "ABC123";
export const DEFAULT_TEXT_PIN = "1234";

export const PROFILE_NAMES = [
  "valid",
  "renewal-window",
  "expired",
  "not-yet-valid",
  "auth-pin-1-left",
  "auth-pin-locked",
  "sign-pin-locked",
  "no-sign-cert",
  "no-certs",
  "not-mynumber",
  "juki-card",
  "t0-card",
  "no-short-ef",
  "removed-mid-read",
  "next-generation",
] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export const PROFILE_DESCRIPTIONS: Record<ProfileName, string> = {
  valid: "both certificates valid for years, PINs untouched",
  "renewal-window": "both certificates expire in 45 days (inside the 3-month renewal window)",
  expired: "both certificates expired 20 days ago",
  "not-yet-valid": "certificates start in 5 days (clock or issuance problem)",
  "auth-pin-1-left": "authentication PIN has 1 try left",
  "auth-pin-locked": "authentication PIN is locked (0 tries)",
  "sign-pin-locked": "signature PIN is locked (0 tries)",
  "no-sign-cert": "no signature certificate (holder under 15 or declined)",
  "no-certs": "neither certificate (declined at issuance)",
  "not-mynumber": "a smart card without the JPKI application",
  "juki-card": "an old 住基カード (Juki-Net card) JPKI token",
  "t0-card": "valid card that answers 61xx / 6Cxx like a T=0 card",
  "no-short-ef": "valid card that rejects short-EF-id READ BINARY / VERIFY",
  "removed-mid-read": "valid card pulled out in the middle of reading the authentication certificate",
  "next-generation":
    "announced next-generation card (not in use yet): ECDSA P-384 certificates valid 10 years, 8 months left",
};

/** Everything a profile decides; the card model is built from this. */
export interface ProfileSpec {
  atr: string;
  jpki: boolean;
  token: string;
  authCertificate: Uint8Array | null;
  signatureCertificate: Uint8Array | null;
  authCaCertificate: Uint8Array;
  signatureCaCertificate: Uint8Array;
  /** Contents of EF 0008, or null when the file is absent. */
  presence: Uint8Array | null;
  authPin: string;
  signaturePin: string;
  authPinTriesLeft: number;
  signaturePinTriesLeft: number;
  textPin: string;
  textPinTriesLeft: number;
  /** READ BINARY / VERIFY by short EF id: "supported", or the status word the card answers instead. */
  shortEfRead: "supported" | number;
  shortEfVerify: "supported" | number;
  t0: boolean;
  removeAfterApdus?: number;
}

const DAY = 86_400_000;

/** 23:59:59 Japan time on the day `days` from now: how JPKI writes notAfter. */
export function endOfJapanDay(now: Date, days: number): Date {
  const jst = new Date(now.getTime() + 9 * 3600_000 + days * DAY);
  return new Date(Date.UTC(jst.getUTCFullYear(), jst.getUTCMonth(), jst.getUTCDate(), 14, 59, 59));
}

function tokenBytes(token: string): Uint8Array {
  const b = new Uint8Array(32).fill(0x20);
  b.set(new TextEncoder().encode(token).subarray(0, 32));
  return b;
}

/**
 * EF 0008 (certificate presence): `8F 8F 00` when both are present (single
 * source). Which byte stands for which certificate is not documented; we
 * write byte 0 = signature, byte 1 = authentication and the bridge treats
 * the file as a hint only.
 */
export function presenceBytes(sign: boolean, auth: boolean): Uint8Array {
  return Uint8Array.of(sign ? 0x8f : 0x00, auth ? 0x8f : 0x00, 0x00);
}

async function certs(now: Date, days: { notBefore: number; notAfter: number }) {
  const notBefore = new Date(endOfJapanDay(now, days.notBefore).getTime() - DAY + 1000);
  const notAfter = endOfJapanDay(now, days.notAfter);
  return {
    auth: await holderCertificate({ kind: "auth", notBefore, notAfter }),
    sign: await holderCertificate({ kind: "sign", notBefore, notAfter }),
  };
}

export async function namedProfile(name: ProfileName, now: Date = new Date()): Promise<ProfileSpec> {
  const base: ProfileSpec = {
    atr: ATR_CONTACT,
    jpki: true,
    token: "JPKIAPICCTOKEN2",
    authCertificate: null,
    signatureCertificate: null,
    authCaCertificate: await caCertificate("auth"),
    signatureCaCertificate: await caCertificate("sign"),
    presence: presenceBytes(true, true),
    authPin: DEFAULT_AUTH_PIN,
    signaturePin: DEFAULT_SIGN_PIN,
    authPinTriesLeft: 3,
    signaturePinTriesLeft: 5,
    textPin: DEFAULT_TEXT_PIN,
    textPinTriesLeft: 3,
    shortEfRead: "supported",
    shortEfVerify: "supported",
    t0: false,
  };
  const valid = await certs(now, { notBefore: -400, notAfter: 3 * 365 });
  const withValid = { ...base, authCertificate: valid.auth, signatureCertificate: valid.sign };
  switch (name) {
    case "valid":
      return withValid;
    case "renewal-window": {
      const c = await certs(now, { notBefore: -5 * 365 + 45, notAfter: 45 });
      return { ...base, authCertificate: c.auth, signatureCertificate: c.sign };
    }
    case "expired": {
      const c = await certs(now, { notBefore: -5 * 365 - 20, notAfter: -20 });
      return { ...base, authCertificate: c.auth, signatureCertificate: c.sign };
    }
    case "not-yet-valid": {
      const c = await certs(now, { notBefore: 5, notAfter: 5 * 365 });
      return { ...base, authCertificate: c.auth, signatureCertificate: c.sign };
    }
    case "auth-pin-1-left":
      return { ...withValid, authPinTriesLeft: 1 };
    case "auth-pin-locked":
      return { ...withValid, authPinTriesLeft: 0 };
    case "sign-pin-locked":
      return { ...withValid, signaturePinTriesLeft: 0 };
    case "no-sign-cert":
      return { ...withValid, signatureCertificate: null, presence: presenceBytes(false, true) };
    case "no-certs":
      return { ...base, presence: presenceBytes(false, false) };
    case "not-mynumber":
      return { ...base, atr: ATR_OTHER, jpki: false };
    case "juki-card": {
      // 住基カード: JPKI tokens ended with the card; signature certificate only, long expired.
      const sign = await holderCertificate({
        kind: "sign",
        notBefore: new Date("2012-03-01T00:00:00Z"),
        notAfter: new Date("2015-03-01T14:59:59Z"),
      });
      return { ...base, atr: ATR_JUKI, token: "JPKIAPICCTOKEN", presence: null, signatureCertificate: sign };
    }
    case "t0-card":
      return { ...withValid, t0: true };
    case "no-short-ef":
      return { ...withValid, shortEfRead: 0x6a86, shortEfVerify: 0x6a86 };
    case "removed-mid-read":
      // Gone after 5 APDUs: inside the authentication certificate read.
      return { ...withValid, removeAfterApdus: 5 };
    case "next-generation": {
      // ECDSA P-384 from an EC test CA, 10-year validity, 8 months left: inside the announced
      // 1-year renewal window, outside today's 3-month one.
      const notBefore = new Date(endOfJapanDay(now, -(10 * 365 - 240)).getTime() - DAY + 1000);
      const notAfter = endOfJapanDay(now, 240);
      return {
        ...base,
        authCaCertificate: await caCertificate("auth", "ec-p384"),
        signatureCaCertificate: await caCertificate("sign", "ec-p384"),
        authCertificate: await holderCertificate({ kind: "auth", notBefore, notAfter, keyType: "ec-p384" }),
        signatureCertificate: await holderCertificate({ kind: "sign", notBefore, notAfter, keyType: "ec-p384" }),
      };
    }
  }
}

// ---------------------------------------------------------------------------
// JSON profile files

const pinTries = (max: number) => z.number().int().min(0).max(max);
const certPath = z.string().min(1).max(4096).nullable();

/** "supported", or a status word (4 hex digits) other than 90 00 that the card answers instead. */
const shortEfSupport = z.union([
  z.literal("supported"),
  z
    .string()
    .regex(/^[0-9A-Fa-f]{4}$/, "a status word: 4 hex digits, e.g. 6A86")
    .refine((v) => v.toUpperCase() !== "9000", "9000 would mean supported"),
]);

export const ProfileFileSchema = z
  .object({
    $schema: z.string().optional(),
    description: z.string().max(500).optional(),
    base: z.enum(PROFILE_NAMES).optional(),
    authCertificate: certPath.optional(),
    signatureCertificate: certPath.optional(),
    authCaCertificate: z.string().min(1).max(4096).optional(),
    signatureCaCertificate: z.string().min(1).max(4096).optional(),
    authPin: z
      .string()
      .regex(/^[0-9]{4}$/, "authPin must be exactly 4 digits")
      .optional(),
    signaturePin: z
      .string()
      .regex(/^[0-9A-Z]{6,16}$/, "signaturePin must be 6-16 characters of 0-9 and upper-case A-Z")
      .optional(),
    authPinTriesLeft: pinTries(3).optional(),
    signaturePinTriesLeft: pinTries(5).optional(),
    token: z
      .string()
      .regex(/^[\x20-\x7e]{0,32}$/, "token must be at most 32 printable ASCII characters")
      .optional(),
    atr: z
      .union([
        z.enum(["contact", "contactless"]),
        z.string().regex(/^([0-9a-fA-F]{2}[ :]?){2,33}$/, "atr must be 2-33 bytes of hex"),
      ])
      .optional(),
    jpki: z.boolean().optional(),
    /** Shorthand: false = the card refuses both short-EF forms with 6A 86. */
    shortEf: z.boolean().optional(),
    shortEfRead: shortEfSupport.optional(),
    shortEfVerify: shortEfSupport.optional(),
    /** "absent": the card has no EF 0008 (certificate presence file). */
    presenceFile: z.enum(["supported", "absent"]).optional(),
    t0: z.boolean().optional(),
    removeAfterApdus: z.number().int().min(0).max(10_000).optional(),
  })
  .strict();
export type ProfileFile = z.infer<typeof ProfileFileSchema>;

function swOf(v: string): "supported" | number {
  return v === "supported" ? v : Number.parseInt(v, 16);
}

export class ProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProfileError";
  }
}

const MAX_PROFILE_BYTES = 64 * 1024;
const MAX_CERT_BYTES = 16 * 1024;

function readBounded(path: string, max: number, what: string): Uint8Array {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new ProfileError(`${what}: cannot read ${path}`);
  }
  if (size > max) throw new ProfileError(`${what}: ${path} is ${size} bytes, more than the ${max} allowed`);
  return new Uint8Array(readFileSync(path));
}

function readCert(base: string, rel: string, what: string): Uint8Array {
  const bytes = certificateBytes(readBounded(resolve(base, rel), MAX_CERT_BYTES, what));
  if (bytes.length < 4 || bytes[0] !== 0x30) throw new ProfileError(`${what}: ${rel} is not a DER or PEM certificate`);
  return bytes;
}

/** Load and validate a JSON profile file; paths inside are relative to it. */
export async function profileFromFile(path: string, now: Date = new Date()): Promise<ProfileSpec> {
  const raw = Buffer.from(readBounded(path, MAX_PROFILE_BYTES, "profile")).toString("utf8");
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new ProfileError(`profile ${path}: not valid JSON (${(e as Error).message})`);
  }
  const parsed = ProfileFileSchema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(top level)"}: ${i.message}`);
    throw new ProfileError(`profile ${path} is not valid:\n${lines.join("\n")}`);
  }
  const f = parsed.data;
  const dir = dirname(resolve(path));
  const spec = await namedProfile(f.base ?? "valid", now);
  if (f.authCertificate !== undefined)
    spec.authCertificate = f.authCertificate === null ? null : readCert(dir, f.authCertificate, "authCertificate");
  if (f.signatureCertificate !== undefined)
    spec.signatureCertificate =
      f.signatureCertificate === null ? null : readCert(dir, f.signatureCertificate, "signatureCertificate");
  if (f.authCaCertificate) spec.authCaCertificate = readCert(dir, f.authCaCertificate, "authCaCertificate");
  if (f.signatureCaCertificate)
    spec.signatureCaCertificate = readCert(dir, f.signatureCaCertificate, "signatureCaCertificate");
  if (f.authCertificate !== undefined || f.signatureCertificate !== undefined) {
    spec.presence = presenceBytes(spec.signatureCertificate !== null, spec.authCertificate !== null);
  }
  if (f.authPin) spec.authPin = f.authPin;
  if (f.signaturePin) spec.signaturePin = f.signaturePin;
  if (f.authPinTriesLeft !== undefined) spec.authPinTriesLeft = f.authPinTriesLeft;
  if (f.signaturePinTriesLeft !== undefined) spec.signaturePinTriesLeft = f.signaturePinTriesLeft;
  if (f.token !== undefined) spec.token = f.token;
  if (f.atr !== undefined)
    spec.atr =
      f.atr === "contact" ? ATR_CONTACT : f.atr === "contactless" ? ATR_CONTACTLESS : f.atr.replace(/[ :]/g, "");
  if (f.jpki !== undefined) spec.jpki = f.jpki;
  if (f.shortEf !== undefined) {
    spec.shortEfRead = f.shortEf ? "supported" : 0x6a86;
    spec.shortEfVerify = spec.shortEfRead;
  }
  if (f.shortEfRead !== undefined) spec.shortEfRead = swOf(f.shortEfRead);
  if (f.shortEfVerify !== undefined) spec.shortEfVerify = swOf(f.shortEfVerify);
  if (f.presenceFile === "absent") spec.presence = null;
  if (f.t0 !== undefined) spec.t0 = f.t0;
  if (f.removeAfterApdus !== undefined) spec.removeAfterApdus = f.removeAfterApdus;
  return spec;
}

/** A profile name, or a path to a JSON profile file. */
export async function loadProfile(nameOrPath: string, now: Date = new Date()): Promise<ProfileSpec> {
  if ((PROFILE_NAMES as readonly string[]).includes(nameOrPath)) return namedProfile(nameOrPath as ProfileName, now);
  if (nameOrPath.endsWith(".json")) return profileFromFile(nameOrPath, now);
  throw new ProfileError(
    `unknown virtual card profile "${nameOrPath}": use one of ${PROFILE_NAMES.join(", ")} or a .json profile file`,
  );
}

export function buildCard(spec: ProfileSpec): CardModel {
  const applications: Application[] = [];
  if (spec.jpki) {
    const files = new Map<number, CardFile>();
    files.set(EF.token, { kind: "binary", data: tokenBytes(spec.token) });
    if (spec.presence) files.set(EF.presence, { kind: "binary", data: spec.presence });
    if (spec.authCertificate) {
      files.set(EF.authCert, { kind: "binary", data: spec.authCertificate });
      files.set(EF.authKey, { kind: "key" });
    }
    files.set(EF.authCaCert, { kind: "binary", data: spec.authCaCertificate });
    files.set(EF.authPin, { kind: "pin", pin: { value: spec.authPin, maxTries: 3, triesLeft: spec.authPinTriesLeft } });
    if (spec.signatureCertificate) {
      files.set(EF.signCert, { kind: "binary", data: spec.signatureCertificate, readPin: EF.signPin });
      files.set(EF.signKey, { kind: "key" });
    }
    files.set(EF.signCaCert, { kind: "binary", data: spec.signatureCaCertificate });
    files.set(EF.signPin, {
      kind: "pin",
      pin: { value: spec.signaturePin, maxTries: 5, triesLeft: spec.signaturePinTriesLeft },
    });
    applications.push({ aid: AID_JPKI, files });
    // 券面事項入力補助AP: its own 4-digit PIN guards the text data.
    const text = new Map<number, CardFile>();
    text.set(EF.textPin, { kind: "pin", pin: { value: spec.textPin, maxTries: 3, triesLeft: spec.textPinTriesLeft } });
    text.set(EF.textMyNumber, { kind: "binary", data: new TextEncoder().encode("000000000000"), readPin: EF.textPin });
    text.set(EF.textAttributes, { kind: "binary", data: new TextEncoder().encode("TEST"), readPin: EF.textPin });
    applications.push({ aid: AID_TEXT, files: text });
    applications.push({ aid: AID_VISUAL, files: new Map() });
  }
  const spec2: CardModelSpec = {
    atr: hex(spec.atr),
    applications,
    behaviour: {
      shortEfRead: spec.shortEfRead,
      shortEfVerify: spec.shortEfVerify,
      t0: spec.t0,
      removeAfterApdus: spec.removeAfterApdus,
    },
  };
  return new CardModel(spec2);
}

/** ISO 7816-3 check byte: XOR of T0..the last historical byte. */
export function withTck(atrWithoutTck: string): string {
  const b = hex(atrWithoutTck);
  let x = 0;
  for (let i = 1; i < b.length; i++) x ^= b[i]!;
  return atrWithoutTck + x.toString(16).padStart(2, "0").toUpperCase();
}

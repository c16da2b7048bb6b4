/**
 * What one check of a card found: the contract between the bridge, the CLI's
 * `check --json`, the native host and the extension. No PIN, serial number,
 * CN or personal data ever goes in here.
 */
export type {
  CardFacts,
  CardKind,
  CertificateFacts,
  PinFacts,
  Presence,
  Problem,
} from "./facts-schema.js";

import type { CardFacts } from "./facts-schema.js";

export const FACTS_SCHEMA_VERSION = 1;

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

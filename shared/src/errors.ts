/**
 * Every error code in one table: raised in the layer that knows, carried
 * unchanged across the host protocol, shown from the message catalog
 * (messages.ts) and turned into an answer by one serializer
 * (error-body.ts). Adding a code is one row here plus its two sentences in
 * the catalog; errors.test.ts checks that every row is complete.
 *
 * Kept free of imports (the CLI loads it at start-up).
 */
import type { StepCode } from "./verdict.js";

/** The CLI's exit code for an error, by name (the numbers are the CLI's EXIT). */
export type CliExit = "unknown" | "usage" | "failure";

export interface ErrorRow {
  /**
   * Who raises it: the card bridge (a JpkiGuardError, also a card check's
   * problem), the host's protocol layer, or the extension (the host did not
   * answer).
   */
  origin: "bridge" | "protocol" | "extension";
  /**
   * The card was (or may have been) reached: what the card said can have
   * changed, so a status is worth reading again and is worth keeping. False:
   * no card was reached (no service, no reader, no card, input refused
   * before anything was sent).
   */
  touchesCard: boolean;
  /** Asking again, unchanged, can succeed (the card was busy, an answer was late). */
  retriable: boolean;
  /** What the citizen can do (step codes of the catalog), most useful first. */
  steps: readonly StepCode[];
  /** The CLI's exit code when a command ends with this error. */
  exit: CliExit;
  /** The catalog key of its sentence ("error.<code>"). */
  message: `error.${string}`;
}

const row = <C extends string, R extends Omit<ErrorRow, "message">>(code: C, r: R): R & { message: `error.${C}` } => ({
  ...r,
  message: `error.${code}`,
});

const bridge = (touchesCard: boolean, retriable: boolean, steps: readonly StepCode[], exit: CliExit = "unknown") => ({
  origin: "bridge" as "bridge",
  touchesCard,
  retriable,
  steps,
  exit,
});

export const ERROR_TABLE = {
  "pcsc-unavailable": row("pcsc-unavailable", bridge(false, false, ["start-pcscd"])),
  "no-reader": row("no-reader", bridge(false, false, ["connect-reader"])),
  "reader-not-found": row("reader-not-found", bridge(false, false, ["connect-reader"])),
  "no-card": row("no-card", bridge(false, false, ["insert-card"])),
  "card-busy": row("card-busy", bridge(true, true, ["close-other-program"])),
  "card-removed": row("card-removed", bridge(true, false, ["reinsert-card"])),
  "card-timeout": row("card-timeout", bridge(true, true, ["reinsert-card", "card-damaged"])),
  "not-mynumber": row("not-mynumber", bridge(true, false, ["use-mynumber-card"])),
  "juki-card": row("juki-card", bridge(true, false, ["apply-mynumber-card"])),
  "card-error": row("card-error", bridge(true, false, ["reinsert-card", "card-damaged"])),
  "bad-response": row("bad-response", bridge(true, false, ["reinsert-card", "card-damaged"])),
  "certificate-invalid": row("certificate-invalid", bridge(true, false, ["card-damaged"])),
  "pin-format": row("pin-format", bridge(false, false, [], "usage")),
  "pin-too-few-tries": row("pin-too-few-tries", bridge(false, false, ["unlock-pin-window"])),
  "pin-wrong": row("pin-wrong", bridge(true, false, ["do-not-guess"])),
  "pin-blocked": row("pin-blocked", bridge(true, false, ["unlock-pin-window"])),
  "virtual-card-unavailable": row("virtual-card-unavailable", bridge(false, false, [])),
  "bad-input": row("bad-input", bridge(false, false, [], "usage")),
  internal: row("internal", bridge(true, false, ["report-problem"], "failure")),
  // The host's protocol layer: the request never reached the card.
  "bad-request": row("bad-request", {
    origin: "protocol",
    touchesCard: false,
    retriable: false,
    steps: [],
    exit: "failure",
  }),
  "too-large": row("too-large", {
    origin: "protocol",
    touchesCard: false,
    retriable: false,
    steps: [],
    exit: "failure",
  }),
  "version-mismatch": row("version-mismatch", {
    origin: "protocol",
    touchesCard: false,
    retriable: false,
    steps: [],
    exit: "failure",
  }),
  "forbidden-origin": row("forbidden-origin", {
    origin: "protocol",
    touchesCard: false,
    retriable: false,
    steps: [],
    exit: "failure",
  }),
  "unknown-command": row("unknown-command", {
    origin: "protocol",
    touchesCard: false,
    retriable: false,
    steps: [],
    exit: "failure",
  }),
  // The extension's own: the host did not answer in time, or went away mid-request (a card may have been reached).
  "host-timeout": row("host-timeout", {
    origin: "extension",
    touchesCard: true,
    retriable: true,
    steps: [],
    exit: "failure",
  }),
  "host-disconnected": row("host-disconnected", {
    origin: "extension",
    touchesCard: true,
    retriable: true,
    steps: [],
    exit: "failure",
  }),
} as const satisfies Record<string, ErrorRow>;

/** Every code any side can answer with (the protocol's error enum). */
export type AnyErrorCode = keyof typeof ERROR_TABLE;
export const ANY_ERROR_CODES = Object.keys(ERROR_TABLE) as [AnyErrorCode, ...AnyErrorCode[]];

type BridgeCode<K extends AnyErrorCode> = K extends unknown
  ? (typeof ERROR_TABLE)[K]["origin"] extends "bridge"
    ? K
    : never
  : never;
/** The codes the card bridge raises (and a card check may report as a problem). */
export type ErrorCode = BridgeCode<AnyErrorCode>;
export const ERROR_CODES = ANY_ERROR_CODES.filter((c) => ERROR_TABLE[c].origin === "bridge") as [
  ErrorCode,
  ...ErrorCode[],
];

/** The row of a code, or internal's for a code no table row knows. */
export function errorRow(code: string): ErrorRow {
  return Object.hasOwn(ERROR_TABLE, code) ? ERROR_TABLE[code as AnyErrorCode] : ERROR_TABLE.internal;
}

export class JpkiGuardError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail?: Record<string, string | number | boolean | null>,
  ) {
    super(message);
    this.name = "JpkiGuardError";
  }
}

export function isJpkiGuardError(e: unknown): e is JpkiGuardError {
  return e instanceof JpkiGuardError;
}

/**
 * Error codes shared by the bridge, the native host and the extension. Each
 * is raised in the layer that knows, carried unchanged across the host
 * protocol, and shown from the same message catalog (messages.ts).
 */
export const ERROR_CODES = [
  "pcsc-unavailable",
  "no-reader",
  "reader-not-found",
  "no-card",
  "card-busy",
  "card-removed",
  "card-timeout",
  "not-mynumber",
  "juki-card",
  "card-error",
  "bad-response",
  "certificate-invalid",
  "pin-format",
  "pin-too-few-tries",
  "pin-wrong",
  "pin-blocked",
  "virtual-card-unavailable",
  "bad-input",
  "internal",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

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

/** PC/SC return codes -> the project's error codes, with a sentence a person can act on. */
import { type ErrorCode, JpkiGuardError } from "@jpki-guard/shared/rules";
import { SCARD } from "./pcsc-abi.js";
import { PcscCallError, PcscLibraryError } from "./pcsc-api.js";

/** Which PC/SC return codes mean what to a person (anything else: card-error with the code). */
const MAPPING: ReadonlyArray<readonly [readonly number[], ErrorCode, string]> = [
  [
    [SCARD.E_NO_SERVICE, SCARD.E_SERVICE_STOPPED, SCARD.E_INVALID_HANDLE, SCARD.F_COMM_ERROR, SCARD.E_SYSTEM_CANCELLED],
    "pcsc-unavailable",
    "the PC/SC service is not running",
  ],
  [[SCARD.E_NO_READERS_AVAILABLE], "no-reader", "no card reader is connected"],
  [[SCARD.E_UNKNOWN_READER, SCARD.E_READER_UNAVAILABLE], "reader-not-found", "the reader is not available"],
  [[SCARD.E_SHARING_VIOLATION], "card-busy", "the card is in use by another program"],
  [[SCARD.E_NO_SMARTCARD], "no-card", "no card is in the reader"],
  [
    [SCARD.W_REMOVED_CARD, SCARD.W_RESET_CARD, SCARD.E_NOT_TRANSACTED],
    "card-removed",
    "the card was removed (or reset) during the operation",
  ],
  [
    [SCARD.W_UNRESPONSIVE_CARD, SCARD.W_UNPOWERED_CARD, SCARD.E_PROTO_MISMATCH, SCARD.W_UNSUPPORTED_CARD],
    "card-error",
    "the card does not respond; take it out and put it back in",
  ],
  [[SCARD.E_TIMEOUT], "card-timeout", "the card did not answer in time"],
];

/** Map a PC/SC failure to a typed error a person can act on (the code, never the raw text). */
export function mapPcscError(e: unknown, reader?: string): JpkiGuardError {
  if (e instanceof JpkiGuardError) return e;
  if (e instanceof PcscLibraryError)
    return new JpkiGuardError(
      "pcsc-unavailable",
      "the PC/SC library could not be loaded; install pcscd and libpcsclite1",
    );
  const code = e instanceof PcscCallError ? e.rv : (((e as { rv?: number })?.rv ?? 0) as number) >>> 0;
  for (const [codes, errorCode, sentence] of MAPPING)
    if (codes.includes(code)) {
      const text = errorCode === "reader-not-found" && reader ? `the reader "${reader}" is not available` : sentence;
      return new JpkiGuardError(errorCode, text);
    }
  return new JpkiGuardError("card-error", `PC/SC error 0x${code.toString(16).padStart(8, "0")}`);
}

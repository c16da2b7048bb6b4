/** PC/SC return codes -> the project's error codes, with a sentence a person can act on. */
import { JpkiGuardError } from "@jpki-guard/shared/rules";
import { SCARD } from "./pcsc-abi.js";
import { PcscCallError, PcscLibraryError } from "./pcsc-api.js";

/** Map a PC/SC failure to a typed error a person can act on (the code, never the raw text). */
export function mapPcscError(e: unknown, reader?: string): JpkiGuardError {
  if (e instanceof JpkiGuardError) return e;
  if (e instanceof PcscLibraryError)
    return new JpkiGuardError(
      "pcsc-unavailable",
      "the PC/SC library could not be loaded; install pcscd and libpcsclite1",
    );
  const code = e instanceof PcscCallError ? e.rv : (((e as { rv?: number })?.rv ?? 0) as number) >>> 0;
  switch (code) {
    case SCARD.E_NO_SERVICE:
    case SCARD.E_SERVICE_STOPPED:
    case SCARD.E_INVALID_HANDLE:
    case SCARD.F_COMM_ERROR:
    case SCARD.E_SYSTEM_CANCELLED:
      return new JpkiGuardError("pcsc-unavailable", "the PC/SC service is not running");
    case SCARD.E_NO_READERS_AVAILABLE:
      return new JpkiGuardError("no-reader", "no card reader is connected");
    case SCARD.E_UNKNOWN_READER:
    case SCARD.E_READER_UNAVAILABLE:
      return new JpkiGuardError(
        "reader-not-found",
        reader ? `the reader "${reader}" is not available` : "the reader is not available",
      );
    case SCARD.E_SHARING_VIOLATION:
      return new JpkiGuardError("card-busy", "the card is in use by another program");
    case SCARD.E_NO_SMARTCARD:
      return new JpkiGuardError("no-card", "no card is in the reader");
    case SCARD.W_REMOVED_CARD:
    case SCARD.W_RESET_CARD:
    case SCARD.E_NOT_TRANSACTED:
      return new JpkiGuardError("card-removed", "the card was removed (or reset) during the operation");
    case SCARD.W_UNRESPONSIVE_CARD:
    case SCARD.W_UNPOWERED_CARD:
    case SCARD.E_PROTO_MISMATCH:
    case SCARD.W_UNSUPPORTED_CARD:
      return new JpkiGuardError("card-error", "the card does not respond; take it out and put it back in");
    case SCARD.E_TIMEOUT:
      return new JpkiGuardError("card-timeout", "the card did not answer in time");
    default:
      return new JpkiGuardError("card-error", `PC/SC error 0x${code.toString(16).padStart(8, "0")}`);
  }
}

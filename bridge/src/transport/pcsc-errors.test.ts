import { describe, expect, it } from "vitest";
import { SCARD } from "./pcsc-abi.js";
import { PcscCallError, PcscLibraryError } from "./pcsc-api.js";
import { mapPcscError } from "./pcsc-errors.js";
import { normaliseRv } from "./pcsc-ffi.js";

describe("PC/SC return codes a person understands", () => {
  it.each([
    [SCARD.E_NO_SERVICE, "pcsc-unavailable"],
    [SCARD.E_SERVICE_STOPPED, "pcsc-unavailable"],
    [SCARD.E_INVALID_HANDLE, "pcsc-unavailable"],
    [SCARD.E_NO_READERS_AVAILABLE, "no-reader"],
    [SCARD.E_SHARING_VIOLATION, "card-busy"],
    [SCARD.E_NO_SMARTCARD, "no-card"],
    [SCARD.W_REMOVED_CARD, "card-removed"],
    [SCARD.W_RESET_CARD, "card-removed"],
    [SCARD.E_NOT_TRANSACTED, "card-removed"],
    [SCARD.W_UNRESPONSIVE_CARD, "card-error"],
    [SCARD.E_TIMEOUT, "card-timeout"],
    [SCARD.E_UNKNOWN_READER, "reader-not-found"],
    [0x80100099, "card-error"],
  ])("0x%s -> %s", (rv, code) => {
    expect(mapPcscError(new PcscCallError("SCardX", rv)).code).toBe(code);
  });

  it("an unknown code is shown as a number, never as someone's text", () => {
    expect(mapPcscError(new PcscCallError("SCardX", 0x80100099)).message).toBe("PC/SC error 0x80100099");
    expect(mapPcscError(new Error("C:\\Users\\taro\\secret")).message).not.toContain("taro");
  });

  it("a missing library says what to install", () => {
    const e = mapPcscError(new PcscLibraryError("libpcsclite.so.1: cannot open /home/taro/x"));
    expect(e.code).toBe("pcsc-unavailable");
    expect(e.message).not.toContain("taro");
  });

  it("normalises Windows' negative 32-bit and pcsc-lite's positive 64-bit codes alike", () => {
    expect(normaliseRv(-2146435043)).toBe(SCARD.E_NO_SERVICE);
    expect(normaliseRv(0x8010001d)).toBe(SCARD.E_NO_SERVICE);
    expect(normaliseRv(0x8010001dn)).toBe(SCARD.E_NO_SERVICE);
    expect(normaliseRv(0)).toBe(0);
  });
});

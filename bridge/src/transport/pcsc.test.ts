import { describe, expect, it } from "vitest";
import { mapPcscError } from "./pcsc.js";

describe("PC/SC errors a person understands", () => {
  it.each([
    [{ code: 0x8010001d }, "pcsc-unavailable"],
    [{ code: -2146435043 }, "pcsc-unavailable"], // the same code, signed
    [new Error("PC/SC service not running"), "pcsc-unavailable"],
    [new Error("No readers available"), "no-reader"],
    [new Error("Sharing violation"), "card-busy"],
    [new Error("No smart card present"), "no-card"],
    [new Error("Card was removed"), "card-removed"],
    [new Error("Transaction failed"), "card-removed"],
    [new Error("Card is unresponsive"), "card-error"],
    [new Error("Operation timed out"), "card-timeout"],
    [new Error("Unknown reader"), "reader-not-found"],
    [new Error("something else"), "card-error"],
  ])("%o -> %s", (e, code) => {
    expect(mapPcscError(e).code).toBe(code);
  });
});

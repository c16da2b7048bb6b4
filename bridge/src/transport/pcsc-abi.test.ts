/**
 * The per-OS ABI table against the documented layouts (pcsc-lite's
 * pcsclite.h/wintypes.h, Microsoft's winscard.h, pcsc-lite's __APPLE__
 * branch with #pragma pack(1)), and koffi's own layout of the same members.
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { abiFor, cardPresentFromStatus, PCSC_ABI, parseMultiString } from "./pcsc-abi.js";

const koffi = createRequire(import.meta.url)("koffi") as typeof import("koffi");

describe("PC/SC ABI per OS", () => {
  it.each([
    // os, DWORD size, SCARD_READERSTATE size, cbAtr, rgbAtr, MAX_ATR_SIZE, SCARD_IO_REQUEST size
    ["linux", 8, 80, 32, 40, 33, 16],
    ["windows", 4, 64, 24, 28, 36, 8],
    ["macos", 4, 61, 24, 28, 33, 8],
  ] as const)(
    "%s: DWORD %i bytes, SCARD_READERSTATE %i bytes, cbAtr at %i, rgbAtr at %i",
    (os, dw, size, cbAtr, rgbAtr, maxAtr, io) => {
      const abi = PCSC_ABI[os];
      expect(abi.dwordSize).toBe(dw);
      expect(abi.readerState.size).toBe(size);
      expect(abi.readerState.offsets.cbAtr).toBe(cbAtr);
      expect(abi.readerState.offsets.rgbAtr).toBe(rgbAtr);
      expect(abi.readerState.maxAtr).toBe(maxAtr);
      expect(abi.ioRequestSize).toBe(io);
      // koffi lays the members out as the table says (on this 64-bit machine: pointers are 8 bytes everywhere).
      const members = {
        szReader: "const char *",
        pvUserData: "void *",
        dwCurrentState: abi.dword === "unsigned long" ? "uint64_t" : "uint32_t",
        dwEventState: abi.dword === "unsigned long" ? "uint64_t" : "uint32_t",
        cbAtr: abi.dword === "unsigned long" ? "uint64_t" : "uint32_t",
        rgbAtr: koffi.array("uint8_t", abi.readerState.maxAtr),
      };
      const name = `RS_test_${os}`;
      const T = abi.readerState.packed ? koffi.pack(name, members) : koffi.struct(name, members);
      expect(koffi.sizeof(T)).toBe(size);
      for (const [member, offset] of Object.entries(abi.readerState.offsets))
        expect([member, koffi.offsetof(T, member)]).toEqual([member, offset]);
    },
  );

  it("Windows uses the ANSI (A) variants of the calls that take strings; the others use plain names", () => {
    expect(Object.values(PCSC_ABI.windows.names)).toEqual([
      "SCardListReadersA",
      "SCardConnectA",
      "SCardGetStatusChangeA",
      "SCardStatusA",
    ]);
    expect(Object.values(PCSC_ABI.linux.names).every((n) => !n.endsWith("A"))).toBe(true);
    expect(Object.values(PCSC_ABI.macos.names)).toEqual(Object.values(PCSC_ABI.linux.names));
  });

  it("libraries and handle sizes per OS", () => {
    expect(abiFor("linux").library[0]).toBe("libpcsclite.so.1");
    expect(abiFor("win32").library).toEqual(["winscard.dll"]);
    expect(abiFor("darwin").library[0]).toBe("/System/Library/Frameworks/PCSC.framework/PCSC");
    expect(abiFor("darwin").handle).toBe("int32_t");
    expect(abiFor("win32").handle).toBe("uint64_t");
    expect(abiFor("win32").long).toBe("int32_t");
  });

  it("SCardStatus: pcsc-lite's bit mask and Windows' enumeration both tell whether a card is in", () => {
    // pcsc-lite: 0x34 = PRESENT|POWERED|NEGOTIABLE; 0x02 = ABSENT; upper bits can carry counters.
    expect(cardPresentFromStatus(0x10034, "bitmask")).toBe(true);
    expect(cardPresentFromStatus(0x0002, "bitmask")).toBe(false);
    // Windows: SCARD_SPECIFIC = 6 must not be read as the bit 0x02 ("absent").
    expect(cardPresentFromStatus(6, "enum")).toBe(true);
    expect(cardPresentFromStatus(2, "enum")).toBe(true);
    expect(cardPresentFromStatus(1, "enum")).toBe(false);
    expect(cardPresentFromStatus(0, "enum")).toBe(false);
  });

  it("reader lists are NUL-separated and double-NUL-terminated", () => {
    const b = Buffer.from("Reader A 00 00\0Reader B 01 00\0\0", "utf8");
    expect(parseMultiString(b, b.length)).toEqual(["Reader A 00 00", "Reader B 01 00"]);
    expect(parseMultiString(Buffer.from("\0\0"), 2)).toEqual([]);
  });
});

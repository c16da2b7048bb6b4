/**
 * The PC/SC ABI per operating system, in one table: which library, which
 * function names, the size of DWORD/LONG/handles, and the layout of
 * SCARD_READERSTATE and SCARD_IO_REQUEST. Nothing here loads koffi: the
 * layouts are data, checked by pcsc-abi.test.ts against the documented
 * offsets, and bound to koffi in pcsc-ffi.ts.
 *
 * Sources (see docs/pcsc.md): pcsc-lite's wintypes.h / pcsclite.h (Linux,
 * and the `__APPLE__` branch for macOS, which packs its structs), Microsoft's
 * winscard.h (Windows x64: DWORD and LONG are 32-bit, handles ULONG_PTR).
 */
import type { ReaderInfo } from "./types.js";

export type PcscOs = "linux" | "windows" | "macos";

export interface ReaderStateLayout {
  /** Total size of one SCARD_READERSTATE. */
  size: number;
  /** Byte offsets of the members we read or write. */
  offsets: {
    szReader: number;
    pvUserData: number;
    dwCurrentState: number;
    dwEventState: number;
    cbAtr: number;
    rgbAtr: number;
  };
  maxAtr: number;
  packed: boolean;
}

export interface PcscAbi {
  os: PcscOs;
  /** Candidates for the library, in order. */
  library: string[];
  /** C type of DWORD / LONG (return codes) / SCARDCONTEXT and SCARDHANDLE, as koffi spells them. */
  dword: "unsigned long" | "uint32_t";
  long: "long" | "int32_t";
  handle: "int64_t" | "uint64_t" | "int32_t";
  /** Size in bytes of DWORD. */
  dwordSize: 4 | 8;
  readerState: ReaderStateLayout;
  /** sizeof(SCARD_IO_REQUEST) = two DWORDs. */
  ioRequestSize: number;
  /** Function name suffix: Windows exports ANSI variants with "A" for calls that take strings. */
  names: { listReaders: string; connect: string; getStatusChange: string; status: string };
  /** SCardStatus's state: pcsc-lite's bit mask, or Windows' enumeration SCARD_ABSENT(1)..SCARD_SPECIFIC(6). */
  statusState: "bitmask" | "enum";
}

/** pcsc-lite and macOS export one name per call; Windows has A/W variants (see below). */
const PLAIN_NAMES: PcscAbi["names"] = {
  listReaders: "SCardListReaders",
  connect: "SCardConnect",
  getStatusChange: "SCardGetStatusChange",
  status: "SCardStatus",
};

export const PCSC_ABI: Record<PcscOs, PcscAbi> = {
  linux: {
    os: "linux",
    library: ["libpcsclite.so.1", "libpcsclite.so"],
    dword: "unsigned long",
    long: "long",
    handle: "int64_t",
    dwordSize: 8,
    readerState: {
      size: 80,
      offsets: { szReader: 0, pvUserData: 8, dwCurrentState: 16, dwEventState: 24, cbAtr: 32, rgbAtr: 40 },
      maxAtr: 33,
      packed: false,
    },
    ioRequestSize: 16,
    names: PLAIN_NAMES,
    statusState: "bitmask",
  },
  windows: {
    os: "windows",
    library: ["winscard.dll"],
    dword: "uint32_t",
    long: "int32_t",
    handle: "uint64_t",
    dwordSize: 4,
    readerState: {
      size: 64,
      offsets: { szReader: 0, pvUserData: 8, dwCurrentState: 16, dwEventState: 20, cbAtr: 24, rgbAtr: 28 },
      maxAtr: 36,
      packed: false,
    },
    ioRequestSize: 8,
    names: {
      listReaders: "SCardListReadersA",
      connect: "SCardConnectA",
      getStatusChange: "SCardGetStatusChangeA",
      status: "SCardStatusA",
    },
    statusState: "enum",
  },
  macos: {
    os: "macos",
    library: ["/System/Library/Frameworks/PCSC.framework/PCSC"],
    dword: "uint32_t",
    long: "int32_t",
    handle: "int32_t",
    dwordSize: 4,
    readerState: {
      size: 61,
      offsets: { szReader: 0, pvUserData: 8, dwCurrentState: 16, dwEventState: 20, cbAtr: 24, rgbAtr: 28 },
      maxAtr: 33,
      packed: true,
    },
    ioRequestSize: 8,
    names: PLAIN_NAMES,
    statusState: "bitmask",
  },
};

export function abiFor(platform: NodeJS.Platform): PcscAbi {
  if (platform === "win32") return PCSC_ABI.windows;
  if (platform === "darwin") return PCSC_ABI.macos;
  return PCSC_ABI.linux;
}

/** Return codes (pcsclite.h / winscard.h); compare after `>>> 0`. */
export const SCARD = {
  S_SUCCESS: 0,
  F_INTERNAL_ERROR: 0x80100001,
  E_CANCELLED: 0x80100002,
  E_INVALID_HANDLE: 0x80100003,
  E_INVALID_PARAMETER: 0x80100004,
  E_INVALID_VALUE: 0x80100011,
  E_NO_MEMORY: 0x80100006,
  E_INSUFFICIENT_BUFFER: 0x80100008,
  E_UNKNOWN_READER: 0x80100009,
  E_TIMEOUT: 0x8010000a,
  E_SHARING_VIOLATION: 0x8010000b,
  E_NO_SMARTCARD: 0x8010000c,
  E_PROTO_MISMATCH: 0x8010000f,
  E_NOT_READY: 0x80100010,
  E_SYSTEM_CANCELLED: 0x80100012,
  F_COMM_ERROR: 0x80100013,
  E_NOT_TRANSACTED: 0x80100016,
  E_READER_UNAVAILABLE: 0x80100017,
  E_NO_SERVICE: 0x8010001d,
  E_SERVICE_STOPPED: 0x8010001e,
  E_NO_READERS_AVAILABLE: 0x8010002e,
  W_UNSUPPORTED_CARD: 0x80100065,
  W_UNRESPONSIVE_CARD: 0x80100066,
  W_UNPOWERED_CARD: 0x80100067,
  W_RESET_CARD: 0x80100068,
  W_REMOVED_CARD: 0x80100069,
} as const;

export const SCARD_SCOPE_SYSTEM = 2;
export const SCARD_SHARE_SHARED = 2;
export const SCARD_PROTOCOL_T0 = 1;
export const SCARD_PROTOCOL_T1 = 2;
/** Disposition on release / end of transaction: leave the card as it is. */
export const SCARD_LEAVE_CARD = 0;
/** Used only when our own logout could not be confirmed (see docs/decisions.md). */
export const SCARD_RESET_CARD = 1;
export const INFINITE = 0xffffffff;
export const PNP_NOTIFICATION = "\\\\?PnP?\\Notification";

/** Reader-state bits (same values on every OS for SCardGetStatusChange). */
export const STATE = {
  UNAWARE: 0x0,
  IGNORE: 0x1,
  CHANGED: 0x2,
  UNKNOWN: 0x4,
  UNAVAILABLE: 0x8,
  EMPTY: 0x10,
  PRESENT: 0x20,
  EXCLUSIVE: 0x80,
  INUSE: 0x100,
  MUTE: 0x200,
} as const;

/** Is a card in the reader, from SCardStatus's state (bit mask on pcsc-lite/macOS, 1..6 on Windows)? */
export function cardPresentFromStatus(state: number, kind: PcscAbi["statusState"]): boolean {
  if (kind === "enum") return state >= 2 && state <= 6; // SCARD_PRESENT(2) .. SCARD_SPECIFIC(6)
  // pcsc-lite: SCARD_ABSENT 0x02, SCARD_PRESENT 0x04 (and higher bits for powered/negotiable/specific)
  return (state & 0x02) === 0 && (state & 0x04) !== 0;
}

/** An ATR as the project shows it (upper-case hex); null when there is none. */
export function atrHex(b: Uint8Array): string | null {
  return b.length > 0 ? Buffer.from(b).toString("hex").toUpperCase() : null;
}

/** A reader as the transport reports it, from its SCardGetStatusChange event state. */
export function readerInfo(name: string, eventState: number, atr: Uint8Array, os: PcscOs): ReaderInfo {
  const present = (eventState & STATE.PRESENT) !== 0;
  return {
    name,
    cardPresent: present,
    atr: present ? atrHex(atr) : null,
    // pcsc-lite: the high 16 bits of the event state count insertions and removals.
    eventCount: os === "linux" ? eventState >>> 16 : null,
  };
}

/** Split a multi-string (NUL-separated, double-NUL-terminated) into names. */
export function parseMultiString(buf: Uint8Array, length: number): string[] {
  const out: string[] = [];
  let start = 0;
  const end = Math.min(length, buf.length);
  for (let i = 0; i < end; i++) {
    if (buf[i] === 0) {
      if (i > start) out.push(Buffer.from(buf.subarray(start, i)).toString("utf8"));
      start = i + 1;
    }
  }
  return out;
}

/** What a PC/SC code means for whoever holds the context. */
export function isServiceGone(rv: number): boolean {
  return (
    rv === SCARD.E_NO_SERVICE ||
    rv === SCARD.E_SERVICE_STOPPED ||
    rv === SCARD.E_INVALID_HANDLE ||
    rv === SCARD.F_COMM_ERROR ||
    rv === SCARD.E_SYSTEM_CANCELLED
  );
}

/**
 * PC/SC through npm `smartcard` (N-API; pinned in package.json). The only
 * module that imports it, and lazily: `jpki-guard --help` never loads the
 * native addon.
 */
import { createRequire } from "node:module";
import { JpkiGuardError } from "@jpki-guard/shared";
import type { CardConnection, ReaderEvent, ReaderInfo, Transport } from "./types.js";

type Smartcard = typeof import("smartcard");
type NativeContext = import("smartcard").ContextInterface;
type NativeCard = import("smartcard").CardInterface;

let lib: Smartcard | null = null;
function smartcard(): Smartcard {
  if (!lib) {
    const require = createRequire(import.meta.url);
    try {
      lib = require("smartcard") as Smartcard;
    } catch (e) {
      throw new JpkiGuardError(
        "pcsc-unavailable",
        `the PC/SC library could not be loaded (${(e as Error).message}); install libpcsclite1 and pcscd`,
      );
    }
  }
  return lib;
}

// PC/SC return codes (pcsclite.h / winscard.h)
const SCARD = {
  E_CANCELLED: 0x80100002,
  E_NO_SERVICE: 0x8010001d,
  E_SERVICE_STOPPED: 0x8010001e,
  E_NO_READERS_AVAILABLE: 0x8010002e,
  E_UNKNOWN_READER: 0x80100009,
  E_READER_UNAVAILABLE: 0x80100017,
  E_SHARING_VIOLATION: 0x8010000b,
  E_NO_SMARTCARD: 0x8010000c,
  E_TIMEOUT: 0x8010000a,
  E_NOT_TRANSACTED: 0x80100016,
  E_PROTO_MISMATCH: 0x8010000f,
  W_UNRESPONSIVE_CARD: 0x80100066,
  W_UNPOWERED_CARD: 0x80100067,
  W_RESET_CARD: 0x80100068,
  W_REMOVED_CARD: 0x80100069,
  W_UNSUPPORTED_CARD: 0x80100065,
};

/**
 * The native addon rejects with its own message text and no code (smartcard
 * 3.7 src/pcsc_errors.h); its JS error classes carry a code. Both are mapped.
 */
const MESSAGE_CODES: Record<string, number> = {
  "Operation cancelled": SCARD.E_CANCELLED,
  "PC/SC service not running": SCARD.E_NO_SERVICE,
  "PC/SC service stopped": SCARD.E_SERVICE_STOPPED,
  "No readers available": SCARD.E_NO_READERS_AVAILABLE,
  "Unknown reader": SCARD.E_UNKNOWN_READER,
  "Reader unavailable": SCARD.E_READER_UNAVAILABLE,
  "Sharing violation": SCARD.E_SHARING_VIOLATION,
  "No smart card present": SCARD.E_NO_SMARTCARD,
  "Operation timed out": SCARD.E_TIMEOUT,
  "Transaction failed": SCARD.E_NOT_TRANSACTED,
  "Protocol mismatch": SCARD.E_PROTO_MISMATCH,
  "Card is unresponsive": SCARD.W_UNRESPONSIVE_CARD,
  "Card is unpowered": SCARD.W_UNPOWERED_CARD,
  "Card was reset": SCARD.W_RESET_CARD,
  "Card was removed": SCARD.W_REMOVED_CARD,
  "Card is not supported": SCARD.W_UNSUPPORTED_CARD,
};

/** Map a PC/SC failure to a typed error a person can act on. */
export function mapPcscError(e: unknown, reader?: string): JpkiGuardError {
  if (e instanceof JpkiGuardError) return e;
  const raw = (e as Error)?.message ?? String(e);
  const code = (((e as { code?: number }).code ?? MESSAGE_CODES[raw.trim()] ?? 0) as number) >>> 0;
  switch (code) {
    case SCARD.E_NO_SERVICE:
    case SCARD.E_SERVICE_STOPPED:
      return new JpkiGuardError("pcsc-unavailable", "the PC/SC service (pcscd) is not running");
    case SCARD.E_NO_READERS_AVAILABLE:
      return new JpkiGuardError("no-reader", "no card reader is connected");
    case SCARD.E_UNKNOWN_READER:
    case SCARD.E_READER_UNAVAILABLE:
      return new JpkiGuardError("reader-not-found", `the reader ${reader ?? ""} is not available`.replace("  ", " "));
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
      return new JpkiGuardError("card-error", `PC/SC error: ${raw}`);
  }
}

function hexOf(b: Buffer | null | undefined): string | null {
  return b && b.length > 0 ? b.toString("hex").toUpperCase() : null;
}

export interface PcscOptions {
  /** Time limit for one APDU (the card or reader hanging). */
  apduTimeoutMs?: number;
  /** How long to retry an exclusive connect while another program holds the card. */
  busyRetryMs?: number;
}

class PcscConnection implements CardConnection {
  private closed = false;
  constructor(
    private readonly card: NativeCard,
    readonly atr: Uint8Array,
    private readonly reader: string,
    private readonly timeoutMs: number,
  ) {}

  async transmit(command: Uint8Array): Promise<Uint8Array> {
    if (this.closed) throw new JpkiGuardError("internal", "transmit after close");
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new JpkiGuardError("card-timeout", `the card did not answer within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
    });
    try {
      const r = await Promise.race([
        this.card.transmit(Buffer.from(command), { autoGetResponse: false, maxRecvLength: 258 }),
        timeout,
      ]);
      // pcscd answers "success, 0 bytes" when the card vanished mid-command.
      if (r.length === 0 && !(await this.stillPresent()))
        throw new JpkiGuardError("card-removed", "the card was removed during the operation");
      return new Uint8Array(r);
    } catch (e) {
      throw mapPcscError(e, this.reader);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * After an empty answer: wait up to one pcscd poll (~400 ms) to learn
   * whether the card is still there. SCardStatus flags: 0x02 absent, 0x04 present.
   */
  private async stillPresent(): Promise<boolean> {
    for (let i = 0; i < 8; i++) {
      try {
        const s = this.card.getStatus();
        if ((s.state & 0x02) !== 0 || (s.state & 0x04) === 0) return false;
      } catch {
        return false;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      this.card.disconnect(smartcard().SCARD_UNPOWER_CARD);
    } catch {
      // card already gone: nothing to release
    }
  }
}

export class PcscTransport implements Transport {
  private ctx: NativeContext | null = null;
  private readonly apduTimeoutMs: number;
  private readonly busyRetryMs: number;
  private watchers = new Set<(e: ReaderEvent) => void>();
  private monitor: import("smartcard").ReaderMonitorInterface | null = null;

  constructor(options: PcscOptions = {}) {
    this.apduTimeoutMs = options.apduTimeoutMs ?? 5000;
    this.busyRetryMs = options.busyRetryMs ?? 1500;
  }

  private context(): NativeContext {
    if (this.ctx?.isValid) return this.ctx;
    try {
      this.ctx = new (smartcard().Context)();
    } catch (e) {
      throw mapPcscError(e);
    }
    return this.ctx;
  }

  async listReaders(): Promise<ReaderInfo[]> {
    let readers: ReturnType<NativeContext["listReaders"]>;
    try {
      readers = this.context().listReaders();
    } catch (e) {
      const err = mapPcscError(e);
      if (err.code === "no-reader") return [];
      throw err;
    }
    const PRESENT = smartcard().SCARD_STATE_PRESENT;
    return readers.map((r) => ({
      name: r.name,
      cardPresent: (r.state & PRESENT) !== 0,
      atr: (r.state & PRESENT) !== 0 ? hexOf(r.atr) : null,
      // pcsc-lite: the high 16 bits of the event state count insertions and removals.
      eventCount: process.platform === "linux" ? r.state >>> 16 : null,
    }));
  }

  async connect(readerName: string): Promise<CardConnection> {
    const sc = smartcard();
    const deadline = Date.now() + this.busyRetryMs;
    for (;;) {
      const reader = this.context()
        .listReaders()
        .find((r) => r.name === readerName);
      if (!reader) throw new JpkiGuardError("reader-not-found", `the reader "${readerName}" is not connected`);
      if ((reader.state & sc.SCARD_STATE_PRESENT) === 0)
        throw new JpkiGuardError("no-card", `no card is in the reader "${readerName}"`);
      try {
        const card = await reader.connect(sc.SCARD_SHARE_EXCLUSIVE, sc.SCARD_PROTOCOL_T0 | sc.SCARD_PROTOCOL_T1);
        const atr = new Uint8Array(card.atr ?? reader.atr ?? Buffer.alloc(0));
        return new PcscConnection(card, atr, readerName, this.apduTimeoutMs);
      } catch (e) {
        const err = mapPcscError(e, readerName);
        if (err.code === "card-busy" && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 100));
          continue;
        }
        throw err;
      }
    }
  }

  watch(listener: (e: ReaderEvent) => void): () => void {
    this.watchers.add(listener);
    if (!this.monitor) {
      const monitor = new (smartcard().ReaderMonitor)();
      monitor.start((ev) => {
        const e: ReaderEvent | null =
          ev.type === "reader-attached"
            ? { type: "reader-added", reader: ev.reader }
            : ev.type === "reader-detached"
              ? { type: "reader-removed", reader: ev.reader }
              : ev.type === "card-inserted"
                ? { type: "card-inserted", reader: ev.reader, atr: hexOf(ev.atr) }
                : ev.type === "card-removed"
                  ? { type: "card-removed", reader: ev.reader }
                  : null;
        if (e) for (const w of this.watchers) w(e);
      });
      this.monitor = monitor;
    }
    return () => {
      this.watchers.delete(listener);
      if (this.watchers.size === 0 && this.monitor) {
        this.monitor.stop();
        this.monitor = null;
      }
    };
  }

  async close(): Promise<void> {
    this.monitor?.stop();
    this.monitor = null;
    this.watchers.clear();
    try {
      this.ctx?.close();
    } catch {
      // already closed
    }
    this.ctx = null;
  }
}

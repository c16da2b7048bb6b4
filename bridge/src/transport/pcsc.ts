/**
 * PC/SC transport over the OS's own library (pcsc-ffi.ts). Cooperative by
 * design, because the official software shares the reader with us:
 * - connect SHARED, hold a transaction for exactly one operation, end it and
 *   release with SCARD_LEAVE_CARD (never reset, never power down);
 * - leave an idle gap between our own operations, so a program waiting for
 *   the card always gets its turn (pcscd has no fair queue);
 * - wait a bounded time for a card another program holds, then "card-busy";
 * - a service that went away (pcscd restart, Windows' service stopping with
 *   the last reader) drops our contexts; the next call establishes new ones,
 *   and the watcher re-establishes with a capped backoff and says so.
 */
import { JpkiGuardError } from "@jpki-guard/shared/rules";
import {
  cardPresentFromStatus,
  INFINITE,
  isServiceGone,
  PNP_NOTIFICATION,
  SCARD,
  SCARD_LEAVE_CARD,
  SCARD_PROTOCOL_T0,
  SCARD_PROTOCOL_T1,
  SCARD_RESET_CARD,
  SCARD_SHARE_SHARED,
  STATE,
} from "./pcsc-abi.js";
import { type Handle, loadPcsc, type PcscApi, PcscCallError, PcscLibraryError } from "./pcsc-ffi.js";
import type { CardConnection, ReaderEvent, ReaderInfo, Transport } from "./types.js";

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

export interface PcscOptions {
  /** Time limit for one APDU (the card or reader hanging). */
  apduTimeoutMs?: number;
  /** How long to wait for a card that another program holds (connect + transaction). */
  busyWaitMs?: number;
  /** Idle time between the end of one of our operations and the start of the next. */
  idleGapMs?: number;
  /** Longest wait between attempts to reach a PC/SC service that went away. */
  maxBackoffMs?: number;
  /**
   * While watching, how often the readers' "in use" flags are looked at (no
   * card access: pcscd does not wake waiting clients when another program
   * connects, so this is how we learn that the PIN counters may have changed).
   */
  usePollMs?: number;
  /** The PC/SC library (tests inject one); default: the OS's, loaded on first use. */
  api?: PcscApi;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function hex(b: Uint8Array): string | null {
  return b.length > 0 ? Buffer.from(b).toString("hex").toUpperCase() : null;
}

/**
 * Run a PC/SC call that may wait on another program (connect, begin
 * transaction). If it has not returned by `ms`, reject with card-busy and
 * hand its eventual result to `abandon`, which releases whatever it got.
 */
function bounded<T>(p: Promise<T>, ms: number, abandon: (late: T) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      reject(new JpkiGuardError("card-busy", "the card is in use by another program"));
    }, ms);
    p.then(
      (v) => {
        if (done) abandon(v);
        else {
          done = true;
          clearTimeout(timer);
          resolve(v);
        }
      },
      (e) => {
        if (!done) {
          done = true;
          clearTimeout(timer);
          reject(e);
        }
      },
    );
  });
}

class PcscConnection implements CardConnection {
  private closed = false;
  constructor(
    private readonly t: PcscTransport,
    private readonly api: PcscApi,
    private readonly ctx: Handle,
    private readonly card: Handle,
    private readonly protocol: number,
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
      const r = await Promise.race([this.api.transmit(this.card, this.protocol, command, 258 + 2), timeout]);
      if (r.rv !== SCARD.S_SUCCESS) throw new PcscCallError("SCardTransmit", r.rv);
      // pcscd answers "success, 0 bytes" when the card vanished mid-command.
      if (r.data.length < 2) {
        if (await this.gone()) throw new JpkiGuardError("card-removed", "the card was removed during the operation");
        throw new JpkiGuardError("card-error", "the card gave an answer without a status word");
      }
      return r.data;
    } catch (e) {
      const err = mapPcscError(e, this.reader);
      if (err.code === "pcsc-unavailable") this.t.serviceGone();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * After an empty answer: wait up to one presence poll of the PC/SC service
   * (pcscd polls about every 400 ms) to learn whether the card is gone.
   */
  private async gone(): Promise<boolean> {
    for (let i = 0; i < 8; i++) {
      const s = await this.api.status(this.card).catch(() => null);
      if (!s || s.rv !== SCARD.S_SUCCESS || !cardPresentFromStatus(s.state, this.api.abi.statusState)) return true;
      await sleep(100);
    }
    return false;
  }

  async close(options: { reset?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const disposition = options.reset ? SCARD_RESET_CARD : SCARD_LEAVE_CARD;
    const end = await this.api.endTransaction(this.card, disposition).catch(() => -1);
    const dis = await this.api.disconnect(this.card, SCARD_LEAVE_CARD).catch(() => -1);
    if (end === SCARD.S_SUCCESS && dis === SCARD.S_SUCCESS) this.t.keepContext(this.ctx);
    else await this.api.release(this.ctx).catch(() => undefined);
    this.t.operationEnded(this.reader);
  }
}

export class PcscTransport implements Transport {
  private ctx: Handle | null = null;
  private ctxPromise: Promise<Handle> | null = null;
  private readonly o: Required<Omit<PcscOptions, "api">>;
  private apiInstance: PcscApi | null;
  private watchers = new Set<(e: ReaderEvent) => void>();
  private watcher: Watcher | null = null;
  private lastOperationEnd = new Map<string, number>();
  private closed = false;

  constructor(options: PcscOptions = {}) {
    this.o = {
      apduTimeoutMs: options.apduTimeoutMs ?? 5000,
      busyWaitMs: options.busyWaitMs ?? 3000,
      idleGapMs: options.idleGapMs ?? 200,
      maxBackoffMs: options.maxBackoffMs ?? 1000,
      usePollMs: options.usePollMs ?? 250,
    };
    this.apiInstance = options.api ?? null;
  }

  get api(): PcscApi {
    if (!this.apiInstance) {
      try {
        this.apiInstance = loadPcsc();
      } catch (e) {
        throw mapPcscError(e);
      }
    }
    return this.apiInstance;
  }

  /** The query context (list readers, reader states); established on demand. */
  private async context(): Promise<Handle> {
    if (this.ctx !== null) return this.ctx;
    if (!this.ctxPromise) {
      const api = this.api;
      this.ctxPromise = api.establish().then(
        (c) => {
          this.ctxPromise = null;
          if (this.closed) {
            void api.release(c);
            throw new JpkiGuardError("internal", "transport closed");
          }
          this.ctx = c;
          return c;
        },
        (e) => {
          this.ctxPromise = null;
          throw mapPcscError(e);
        },
      );
    }
    return this.ctxPromise;
  }

  /** ATRs from the last reader list. */
  private atrs = new Map<string, Uint8Array>();
  /** A context for the next operation, kept between operations. */
  private spare: Handle | null = null;

  /** A call said the service is gone: forget our contexts (their service is dead). */
  serviceGone(): void {
    for (const c of [this.ctx, this.spare]) if (c !== null) void this.api.release(c).catch(() => undefined);
    this.ctx = null;
    this.spare = null;
  }

  /** An operation ended normally: keep its context for the next one. */
  keepContext(ctx: Handle): void {
    if (this.spare === null && !this.closed) this.spare = ctx;
    else void this.api.release(ctx).catch(() => undefined);
  }

  /** Operations of ours under way per reader (their connections show as "in use" too). */
  private active = new Map<string, number>();

  operationEnded(reader: string): void {
    this.lastOperationEnd.set(reader, Date.now());
    this.active.set(reader, Math.max((this.active.get(reader) ?? 1) - 1, 0));
  }

  /** Run `fn` with the query context; a stale context (service restarted) is replaced once. */
  private async withContext<T>(fn: (ctx: Handle) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const ctx = await this.context();
      try {
        return await fn(ctx);
      } catch (e) {
        const rv = e instanceof PcscCallError ? e.rv : null;
        if (rv !== null && isServiceGone(rv)) {
          this.serviceGone();
          if (attempt === 0) continue;
        }
        throw mapPcscError(e);
      }
    }
  }

  async listReaders(): Promise<ReaderInfo[]> {
    const api = this.api;
    return this.withContext(async (ctx) => {
      const names = await api.listReaders(ctx);
      if (names.length === 0) return [];
      const r = await api.getStatusChange(
        ctx,
        0,
        names.map((reader) => ({ reader, currentState: STATE.UNAWARE })),
      );
      // E_TIMEOUT: nothing "changed" relative to UNAWARE cannot happen, but be lenient.
      if (r.rv !== SCARD.S_SUCCESS && r.rv !== SCARD.E_TIMEOUT) {
        if (r.rv === SCARD.E_UNKNOWN_READER) return []; // a reader left between the two calls
        throw new PcscCallError("SCardGetStatusChange", r.rv);
      }
      this.atrs.clear();
      for (const s of r.states)
        if ((s.eventState & STATE.PRESENT) !== 0 && s.atr.length > 0) this.atrs.set(s.reader, s.atr);
      return r.states.map((s) => readerInfo(s.reader, s.eventState, s.atr, api.abi.os));
    });
  }

  async connect(readerName: string): Promise<CardConnection> {
    // The idle gap: someone waiting for the card gets it before our next operation.
    const last = this.lastOperationEnd.get(readerName);
    if (last !== undefined) {
      const wait = last + this.o.idleGapMs - Date.now();
      if (wait > 0) await sleep(wait);
    }
    this.active.set(readerName, (this.active.get(readerName) ?? 0) + 1);
    try {
      return await this.begin(readerName);
    } catch (e) {
      this.operationEnded(readerName);
      throw e;
    }
  }

  private async begin(readerName: string): Promise<CardConnection> {
    const api = this.api;
    // Operations use a context apart from the query context; one abandoned
    // while waiting for another program keeps its context (released when the
    // wait ends), so it cannot hold up the next operation.
    let ctx: Handle;
    try {
      ctx = this.spare ?? (await api.establish());
      this.spare = null;
    } catch (e) {
      const err = mapPcscError(e);
      if (err.code === "pcsc-unavailable") this.serviceGone();
      throw err;
    }
    const deadline = Date.now() + this.o.busyWaitMs;
    const releaseCtx = () => void api.release(ctx).catch(() => undefined);
    try {
      // Shared connect; another program holding the card exclusively answers
      // SHARING_VIOLATION at once, so retry until the deadline.
      let conn: { card: Handle; protocol: number };
      for (;;) {
        try {
          conn = await bounded(
            api.connect(ctx, readerName, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1),
            Math.max(deadline - Date.now(), 1),
            (late) => void api.disconnect(late.card, SCARD_LEAVE_CARD).finally(releaseCtx),
          );
          break;
        } catch (e) {
          const err = mapPcscError(e, readerName);
          if (err.code === "card-busy" && e instanceof PcscCallError && Date.now() + 100 < deadline) {
            await sleep(100);
            continue;
          }
          throw Object.assign(err, { abandoned: !(e instanceof PcscCallError) });
        }
      }
      // The transaction: waits (inside the PC/SC library) while another program holds one.
      for (let attempt = 0; ; attempt++) {
        const rv = await bounded(api.beginTransaction(conn.card), Math.max(deadline - Date.now(), 1), (lateRv) => {
          const end = lateRv === SCARD.S_SUCCESS ? api.endTransaction(conn.card, SCARD_LEAVE_CARD) : Promise.resolve(0);
          void end.then(() => api.disconnect(conn.card, SCARD_LEAVE_CARD)).finally(releaseCtx);
        }).catch((e) => {
          throw Object.assign(mapPcscError(e, readerName), { abandoned: true });
        });
        if (rv === SCARD.S_SUCCESS) break;
        if (rv === SCARD.W_RESET_CARD && attempt === 0) {
          // Another program reset the card: take note of it (without resetting it ourselves) and go on.
          const re = await api.reconnect(
            conn.card,
            SCARD_SHARE_SHARED,
            SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1,
            SCARD_LEAVE_CARD,
          );
          if (re.rv === SCARD.S_SUCCESS) {
            conn = { card: conn.card, protocol: re.protocol };
            continue;
          }
        }
        await api.disconnect(conn.card, SCARD_LEAVE_CARD).catch(() => undefined);
        throw new PcscCallError("SCardBeginTransaction", rv);
      }
      // The ATR from the reader list read just before (checkCard lists the
      // readers to choose one); asked of the card's handle only when unknown.
      let atr = this.atrs.get(readerName);
      if (!atr) {
        const s = await api.status(conn.card);
        if (s.rv !== SCARD.S_SUCCESS) throw new PcscCallError("SCardStatus", s.rv);
        atr = s.atr;
      }
      return new PcscConnection(this, api, ctx, conn.card, conn.protocol, atr, readerName, this.o.apduTimeoutMs);
    } catch (e) {
      if (!(e as { abandoned?: boolean }).abandoned) releaseCtx();
      const err = mapPcscError(e, readerName);
      if (err.code === "pcsc-unavailable") this.serviceGone();
      throw err;
    }
  }

  watch(listener: (e: ReaderEvent) => void): () => void {
    this.watchers.add(listener);
    if (!this.watcher) {
      this.watcher = new Watcher(
        this.api,
        this.o.maxBackoffMs,
        this.o.usePollMs,
        (r) => (this.active.get(r) ?? 0) > 0,
        (e) => {
          if (e.type === "service-stopped") this.serviceGone();
          for (const w of this.watchers) w(e);
        },
      );
      this.watcher.start();
    }
    return () => {
      this.watchers.delete(listener);
      if (this.watchers.size === 0 && this.watcher) {
        void this.watcher.stop();
        this.watcher = null;
      }
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.watchers.clear();
    const w = this.watcher;
    this.watcher = null;
    await w?.stop();
    for (const c of [this.ctx, this.spare])
      if (c !== null && this.apiInstance) await this.apiInstance.release(c).catch(() => undefined);
    this.ctx = null;
    this.spare = null;
  }
}

function readerInfo(name: string, eventState: number, atr: Uint8Array, os: string): ReaderInfo {
  const present = (eventState & STATE.PRESENT) !== 0;
  return {
    name,
    cardPresent: present,
    atr: present ? hex(atr) : null,
    // pcsc-lite: the high 16 bits of the event state count insertions and removals.
    eventCount: os === "linux" ? eventState >>> 16 : null,
  };
}

interface Seen {
  state: number;
}

/**
 * Waits for reader and card changes with SCardGetStatusChange on a context of
 * its own (pcsc-lite serialises calls per context), including the PnP
 * notification pseudo-reader, so readers plugged in later are seen without
 * polling. A service that goes away is reported, and re-established with a
 * capped backoff; stop() cancels the wait with SCardCancel.
 */
class Watcher {
  private ctx: Handle | null = null;
  private stopped = false;
  private loop: Promise<void> | null = null;
  private seen = new Map<string, Seen>();
  private pnp = 0;
  private serviceDown = false;
  private wake: (() => void) | null = null;
  /** Readers another program has been seen connected to, since we last looked. */
  private othersUsing = new Set<string>();

  constructor(
    private readonly api: PcscApi,
    private readonly maxBackoffMs: number,
    private readonly usePollMs: number,
    private readonly ownOperation: (reader: string) => boolean,
    private readonly emit: (e: ReaderEvent) => void,
  ) {}

  start(): void {
    this.loop = this.run().catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.ctx !== null) this.api.cancel(this.ctx);
    this.wake?.();
    await this.loop;
    if (this.ctx !== null) await this.api.release(this.ctx).catch(() => undefined);
    this.ctx = null;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((r) => {
      const t = setTimeout(() => {
        this.wake = null;
        r();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        this.wake = null;
        r();
      };
    });
  }

  private down(): void {
    const c = this.ctx;
    this.ctx = null;
    if (c !== null) void this.api.release(c).catch(() => undefined);
    if (!this.serviceDown) {
      this.serviceDown = true;
      this.emit({ type: "service-stopped" });
    }
  }

  private async run(): Promise<void> {
    let backoff = 100;
    let first = true;
    while (!this.stopped) {
      if (this.ctx === null) {
        try {
          this.ctx = await this.api.establish();
        } catch {
          this.down();
          await this.sleep(backoff);
          backoff = Math.min(backoff * 2, this.maxBackoffMs);
          continue;
        }
        if (this.stopped) break;
        backoff = 100;
        const wasDown = this.serviceDown;
        this.serviceDown = false;
        // A new service knows nothing of our earlier states: start from UNAWARE.
        const before = new Map(this.seen);
        this.seen.clear();
        this.pnp = 0;
        try {
          await this.refreshReaders(first ? null : before);
        } catch {
          this.down();
          continue;
        }
        first = false;
        if (wasDown) this.emit({ type: "service-started" });
      }
      const names = [...this.seen.keys()];
      const states = [
        { reader: PNP_NOTIFICATION, currentState: this.pnp },
        ...names.map((reader) => ({ reader, currentState: this.seen.get(reader)!.state })),
      ];
      const started = Date.now();
      let r: Awaited<ReturnType<PcscApi["getStatusChange"]>>;
      try {
        r = await this.api.getStatusChange(this.ctx, names.length > 0 ? this.usePollMs : INFINITE, states);
      } catch {
        this.down();
        continue;
      }
      if (this.stopped || r.rv === SCARD.E_CANCELLED) break;
      if (r.rv === SCARD.E_TIMEOUT) {
        try {
          await this.lookForOtherPrograms(names);
        } catch {
          this.down();
        }
        continue;
      }
      if (isServiceGone(r.rv)) {
        this.down();
        continue;
      }
      let changed = false;
      if (r.rv === SCARD.S_SUCCESS) {
        const pnp = r.states[0]!;
        if ((pnp.eventState & STATE.CHANGED) !== 0) {
          this.pnp = pnp.eventState & ~STATE.CHANGED;
          changed = true;
        }
        for (const s of r.states.slice(1)) {
          if ((s.eventState & STATE.CHANGED) === 0) continue;
          changed = true;
          this.compare(s.reader, s.eventState & ~STATE.CHANGED);
        }
      }
      if (r.rv === SCARD.S_SUCCESS || r.rv === SCARD.E_UNKNOWN_READER || r.rv === SCARD.E_NO_READERS_AVAILABLE) {
        try {
          if (await this.refreshReaders(this.seen)) changed = true;
        } catch {
          this.down();
          continue;
        }
      }
      // Some PC/SC implementations (Wine's) return at once without a change:
      // never spin; wait a little before asking again.
      if (!changed && Date.now() - started < 250) await this.sleep(500);
      else if (r.rv !== SCARD.S_SUCCESS && r.rv !== SCARD.E_TIMEOUT && r.rv !== SCARD.E_UNKNOWN_READER)
        await this.sleep(250);
    }
  }

  /**
   * Another program connected to a card shows as INUSE/EXCLUSIVE in the
   * reader state; when it lets go, its PIN tries (a login attempt in the
   * official software) may have changed the counters: say "card-used" then.
   * Our own operations show the same flags and are not counted.
   */
  private async lookForOtherPrograms(names: string[]): Promise<void> {
    if (names.length === 0 || this.ctx === null) return;
    const r = await this.api.getStatusChange(
      this.ctx,
      0,
      names.map((reader) => ({ reader, currentState: STATE.UNAWARE })),
    );
    if (isServiceGone(r.rv)) throw new PcscCallError("SCardGetStatusChange", r.rv);
    if (r.rv !== SCARD.S_SUCCESS) return;
    for (const s of r.states) {
      const used = (s.eventState & (STATE.INUSE | STATE.EXCLUSIVE)) !== 0 && (s.eventState & STATE.PRESENT) !== 0;
      if (used && !this.ownOperation(s.reader)) this.othersUsing.add(s.reader);
      else if (!used && this.othersUsing.delete(s.reader)) this.emit({ type: "card-used", reader: s.reader });
    }
  }

  /** Compare one reader's new state with what we saw, and emit what happened. */
  private compare(reader: string, state: number): void {
    const old = this.seen.get(reader);
    this.seen.set(reader, { state });
    if (!old) return;
    const wasPresent = (old.state & STATE.PRESENT) !== 0;
    const isPresent = (state & STATE.PRESENT) !== 0;
    const counterMoved = old.state >>> 16 !== state >>> 16;
    if (wasPresent && (!isPresent || counterMoved)) this.emit({ type: "card-removed", reader });
    if (isPresent && (!wasPresent || counterMoved)) this.emit({ type: "card-inserted", reader, atr: null });
    if (!isPresent || counterMoved) this.othersUsing.delete(reader);
  }

  /**
   * List readers; add new ones (with their current state) and drop gone
   * ones, emitting events against `previous` (null: the first look, silent).
   * Returns whether anything changed.
   */
  private async refreshReaders(previous: Map<string, Seen> | null): Promise<boolean> {
    const ctx = this.ctx!;
    const names = await this.api.listReaders(ctx);
    let changed = false;
    for (const gone of [...this.seen.keys()].filter((n) => !names.includes(n))) {
      this.seen.delete(gone);
      if (previous !== null) this.emit({ type: "reader-removed", reader: gone });
      changed = true;
    }
    const fresh = names.filter((n) => !this.seen.has(n));
    if (fresh.length > 0) {
      const r = await this.api.getStatusChange(
        ctx,
        0,
        fresh.map((reader) => ({ reader, currentState: STATE.UNAWARE })),
      );
      if (isServiceGone(r.rv)) throw new PcscCallError("SCardGetStatusChange", r.rv);
      for (const s of r.states) {
        const state = s.eventState & ~STATE.CHANGED;
        const before = previous?.get(s.reader);
        this.seen.set(s.reader, { state });
        if (previous === null) continue;
        if (!before) this.emit({ type: "reader-added", reader: s.reader });
        const wasPresent = before ? (before.state & STATE.PRESENT) !== 0 : false;
        const isPresent = (state & STATE.PRESENT) !== 0;
        if (wasPresent && !isPresent) this.emit({ type: "card-removed", reader: s.reader });
        if (isPresent && !wasPresent) this.emit({ type: "card-inserted", reader: s.reader, atr: hex(s.atr) });
        changed = true;
      }
    }
    return changed;
  }
}

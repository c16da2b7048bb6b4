/**
 * PC/SC transport over the OS's own library. Cooperative by
 * design, because the official software shares the reader with us:
 * - connect SHARED, hold a transaction for exactly one operation, end it and
 *   release with SCARD_LEAVE_CARD (never reset, never power down);
 * - leave an idle gap between our own operations, so a program waiting for
 *   the card always gets its turn (pcscd has no fair queue);
 * - wait a bounded time for a card another program holds, then "card-busy";
 * - a service that went away (pcscd restart, Windows' service stopping with
 *   the last reader) drops our contexts; the next call establishes new ones,
 *   and the watcher re-establishes with a capped backoff and says so.
 *
 * This file keeps the contexts, the reader list and the idle gap; the parts:
 * pcsc-api.ts (the seam: the calls we make), pcsc-ffi.ts (the seam over the
 * OS's library, koffi), pcsc-errors.ts (codes -> errors), pcsc-wait.ts (the
 * bounded wait), pcsc-connection.ts (one operation), pcsc-watcher.ts (events).
 */
import { JpkiGuardError } from "@jpki-guard/shared/rules";
import { isServiceGone, readerInfo, SCARD, STATE } from "./pcsc-abi.js";
import { type Handle, type PcscApi, PcscCallError } from "./pcsc-api.js";
import { type ConnectionOwner, openConnection } from "./pcsc-connection.js";
import { mapPcscError } from "./pcsc-errors.js";
import { loadPcsc } from "./pcsc-ffi.js";
import { sleep } from "./pcsc-wait.js";
import { Watcher } from "./pcsc-watcher.js";
import type { CardConnection, ReaderEvent, ReaderInfo, Transport } from "./types.js";

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
  /** The PC/SC library; default: the OS's (pcsc-ffi.ts), loaded on first use. Unit tests pass pcsc-fake.ts's script. */
  api?: PcscApi;
}

export class PcscTransport implements Transport, ConnectionOwner {
  private ctx: Handle | null = null;
  private ctxPromise: Promise<Handle> | null = null;
  private readonly o: Required<Omit<PcscOptions, "api">>;
  private apiInstance: PcscApi | null;
  private watchers = new Set<(e: ReaderEvent) => void>();
  private watcher: Watcher | null = null;
  private inUsePoll = true;
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

  knownAtr(reader: string): Uint8Array | undefined {
    return this.atrs.get(reader);
  }

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
    return openConnection({
      api,
      owner: this,
      ctx,
      reader: readerName,
      busyWaitMs: this.o.busyWaitMs,
      apduTimeoutMs: this.o.apduTimeoutMs,
    });
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
      this.watcher.setInUsePoll(this.inUsePoll);
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

  watchInUse(on: boolean): void {
    this.inUsePoll = on;
    this.watcher?.setInUsePoll(on);
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

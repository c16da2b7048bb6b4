import { atrHex, INFINITE, isServiceGone, PNP_NOTIFICATION, SCARD, STATE } from "./pcsc-abi.js";
import { type Handle, type PcscApi, PcscCallError } from "./pcsc-api.js";
import type { ReaderEvent } from "./types.js";

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
export class Watcher {
  private ctx: Handle | null = null;
  private stopped = false;
  private loop: Promise<void> | null = null;
  private seen = new Map<string, Seen>();
  private pnp = 0;
  private serviceDown = false;
  private wake: (() => void) | null = null;
  /** Readers another program has been seen connected to, since we last looked. */
  private othersUsing = new Set<string>();
  /** Look at the readers' "in use" flags every usePollMs (else the wait blocks until a change). */
  private pollInUse = true;
  /** The wait was cancelled to change how it waits, not to stop. */
  private rearm = false;

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

  /**
   * Poll the "in use" flags (another program's PIN try) or not. Card and
   * reader events come from the blocking wait either way; a wait under way
   * is cancelled and started again the new way.
   */
  setInUsePoll(on: boolean): void {
    if (this.pollInUse === on) return;
    this.pollInUse = on;
    if (this.ctx !== null && this.loop !== null && !this.stopped) {
      this.rearm = true;
      this.api.cancel(this.ctx);
    }
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
        const poll = names.length > 0 && this.pollInUse;
        r = await this.api.getStatusChange(this.ctx, poll ? this.usePollMs : INFINITE, states);
      } catch {
        this.down();
        continue;
      }
      if (!this.stopped && r.rv === SCARD.E_CANCELLED && this.rearm) {
        this.rearm = false;
        continue;
      }
      if (this.stopped || r.rv === SCARD.E_CANCELLED) break;
      if (r.rv === SCARD.E_TIMEOUT) {
        // pcsc-lite fills each reader's state on a timeout too (measured: the "in use" flag of a
        // program that connected is there): one call per look. A library that leaves the states
        // empty gets a second, immediate call that asks for them.
        const filled = r.states.slice(1);
        if (filled.length === names.length && filled.every((s) => s.eventState !== 0)) {
          for (const s of filled) this.noteUse(s.reader, s.eventState);
          continue;
        }
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
    for (const s of r.states) this.noteUse(s.reader, s.eventState);
  }

  /** A reader's state as looked at: another program holding its card, or letting go of it (card-used). */
  private noteUse(reader: string, state: number): void {
    const used = (state & (STATE.INUSE | STATE.EXCLUSIVE)) !== 0 && (state & STATE.PRESENT) !== 0;
    if (used && !this.ownOperation(reader)) this.othersUsing.add(reader);
    else if (!used && this.othersUsing.delete(reader)) this.emit({ type: "card-used", reader });
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
        if (isPresent && !wasPresent) this.emit({ type: "card-inserted", reader: s.reader, atr: atrHex(s.atr) });
        changed = true;
      }
    }
    return changed;
  }
}

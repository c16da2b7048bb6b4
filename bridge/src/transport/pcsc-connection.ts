/**
 * One operation on a card over PC/SC: open it (a shared connection, a
 * transaction, both waited for a bounded time while another program holds
 * the card) and the open connection (APDUs, release without touching the
 * card, or with a reset after an unconfirmed logout).
 */
import { JpkiGuardError } from "@jpki-guard/shared/rules";
import {
  cardPresentFromStatus,
  readerInfo,
  SCARD,
  SCARD_LEAVE_CARD,
  SCARD_PROTOCOL_T0,
  SCARD_PROTOCOL_T1,
  SCARD_RESET_CARD,
  SCARD_SHARE_SHARED,
  STATE,
} from "./pcsc-abi.js";
import { type Handle, type PcscApi, PcscCallError } from "./pcsc-api.js";
import { mapPcscError } from "./pcsc-errors.js";
import { bounded, sleep } from "./pcsc-wait.js";
import type { CardConnection } from "./types.js";

/** What a connection tells the transport that opened it. */
export interface ConnectionOwner {
  /** A call said the service is gone: forget the contexts. */
  serviceGone(): void;
  /** The operation ended normally: its context may serve the next one. */
  keepContext(ctx: Handle): void;
  operationEnded(reader: string): void;
  /** The ATR from the last reader list, if the reader had a card then. */
  knownAtr(reader: string): Uint8Array | undefined;
}

export interface OpenOptions {
  api: PcscApi;
  owner: ConnectionOwner;
  /** The operation's own context (pcsc-lite serialises calls per context); released on failure. */
  ctx: Handle;
  reader: string;
  busyWaitMs: number;
  apduTimeoutMs: number;
}

/**
 * Connect SHARED and begin the transaction, waiting at most `busyWaitMs` for
 * another program that holds the card; a wait abandoned at the deadline
 * keeps its context, released with whatever the late call got.
 */
export async function openConnection(o: OpenOptions): Promise<CardConnection> {
  const { api, ctx, reader: readerName } = o;
  const deadline = Date.now() + o.busyWaitMs;
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
    let atr = o.owner.knownAtr(readerName);
    if (!atr) {
      const s = await api.status(conn.card);
      if (s.rv !== SCARD.S_SUCCESS) throw new PcscCallError("SCardStatus", s.rv);
      atr = s.atr;
    }
    return new PcscConnection(o.owner, api, ctx, conn.card, conn.protocol, atr, readerName, o.apduTimeoutMs);
  } catch (e) {
    if (!(e as { abandoned?: boolean }).abandoned) releaseCtx();
    const err = mapPcscError(e, readerName);
    if (err.code === "pcsc-unavailable") o.owner.serviceGone();
    throw err;
  }
}

class PcscConnection implements CardConnection {
  private closed = false;
  constructor(
    private readonly t: ConnectionOwner,
    private readonly api: PcscApi,
    private readonly ctx: Handle,
    private readonly card: Handle,
    private readonly protocol: number,
    readonly atr: Uint8Array,
    private readonly reader: string,
    private readonly timeoutMs: number,
  ) {}

  async eventCount(): Promise<number | null> {
    if (this.api.abi.os !== "linux") return null;
    // One reader's state on the operation's own context (no reader listing).
    const r = await this.api.getStatusChange(this.ctx, 0, [{ reader: this.reader, currentState: STATE.UNAWARE }]);
    if (r.rv !== SCARD.S_SUCCESS && r.rv !== SCARD.E_TIMEOUT)
      throw mapPcscError(new PcscCallError("SCardGetStatusChange", r.rv), this.reader);
    const s = r.states[0];
    return s ? readerInfo(s.reader, s.eventState, s.atr, this.api.abi.os).eventCount : null;
  }

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

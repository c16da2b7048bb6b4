/**
 * The card side of vpcd's socket protocol (vsmartcard's virtual reader
 * driver for pcscd). Every message both ways is a 2-byte big-endian length
 * and a payload. A 1-byte payload from vpcd is a control code: 00 power off,
 * 01 power on, 02 reset (no reply), 04 get ATR (reply: the ATR). Anything
 * longer is a command APDU; the reply is the response APDU.
 *
 * vpcd runs in its listening mode (DEVICENAME /dev/null:PORT) and this card
 * connects to it on loopback: connecting is "card inserted", closing the
 * socket is "card removed". (vpcd 3.3's connect-out mode aborts pcscd when a
 * card goes away, so it cannot model removal; see docs/decisions.md.)
 */
import { connect, type Socket } from "node:net";
import { type CardModel, CardRemovedSignal, sw } from "./model.js";

const MAX_MESSAGE = 261; // a short command APDU is at most 261 bytes

export interface VpcdCardEvents {
  onApdu?: (command: Uint8Array, response: Uint8Array) => void;
}

/** The slot-0 card socket. Holds at most one card; insert, remove and swap at run time. */
export class VpcdEndpoint {
  private card: CardModel | null = null;
  private socket: Socket | null = null;
  private pollWaiters: Array<() => void> = [];
  /** ATR requests seen while a card is in: each is one presence poll by pcscd. */
  polls = 0;

  constructor(
    readonly port: number,
    private readonly events: VpcdCardEvents = {},
  ) {}

  get inserted(): CardModel | null {
    return this.card;
  }

  /** Connect `card` to vpcd (retrying while vpcd is not listening yet). */
  async insert(card: CardModel, timeoutMs = 15_000): Promise<void> {
    this.remove();
    card.removed = false;
    card.reset();
    this.card = card;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        this.socket = await this.open(card);
        return;
      } catch (e) {
        if (this.card !== card) return; // removed while we were connecting
        if (Date.now() > deadline) throw new Error(`vpcd is not listening on 127.0.0.1:${this.port}: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  private open(card: CardModel): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const sock = connect({ host: "127.0.0.1", port: this.port });
      sock.once("error", reject);
      sock.once("connect", () => {
        sock.off("error", reject);
        sock.setNoDelay(true);
        sock.on("error", () => sock.destroy());
        this.serve(sock, card);
        resolve(sock);
      });
    });
  }

  private serve(sock: Socket, card: CardModel): void {
    let buf = Buffer.alloc(0);
    sock.on("close", () => {
      if (this.socket === sock) {
        this.socket = null;
        this.card = null;
      }
    });
    sock.on("data", (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2) {
        const len = buf.readUInt16BE(0);
        if (len > MAX_MESSAGE) {
          sock.destroy();
          return;
        }
        if (buf.length < 2 + len) break;
        const msg = new Uint8Array(buf.subarray(2, 2 + len));
        buf = buf.subarray(2 + len);
        const reply = this.handle(card, msg);
        if (reply === "removed") {
          if (this.card === card) this.card = null;
          sock.destroy();
          return;
        }
        if (reply) {
          const out = Buffer.alloc(2 + reply.length);
          out.writeUInt16BE(reply.length, 0);
          out.set(reply, 2);
          sock.write(out);
        }
      }
    });
  }

  private handle(card: CardModel, msg: Uint8Array): Uint8Array | null | "removed" {
    if (msg.length === 1) {
      switch (msg[0]) {
        case 0x00:
        case 0x01:
        case 0x02:
          card.reset();
          return null;
        case 0x04:
          this.polls++;
          for (const w of this.pollWaiters.splice(0)) w();
          return card.atr;
        default:
          return null;
      }
    }
    try {
      const response = card.transmit(msg);
      this.events.onApdu?.(msg, response);
      return response;
    } catch (e) {
      // Pulled out mid-operation: the reader loses the card at once.
      if (e instanceof CardRemovedSignal) return "removed";
      return sw(0x6f00);
    }
  }

  /** Pull the card out. */
  remove(): void {
    this.card = null;
    this.socket?.destroy();
    this.socket = null;
  }

  /** Resolves after pcscd has polled the inserted card `count` more times. */
  nextPolls(count = 1, timeoutMs = 10_000): Promise<void> {
    const target = this.polls + count;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("pcscd did not poll the virtual card in time")), timeoutMs);
      const check = () => {
        if (this.polls >= target) {
          clearTimeout(timer);
          resolve();
        } else this.pollWaiters.push(check);
      };
      check();
    });
  }

  close(): void {
    this.remove();
  }
}

/**
 * The card side of vpcd's socket protocol (vsmartcard's virtual reader
 * driver for pcscd). Every message both ways is a 2-byte big-endian length
 * and a payload. A 1-byte payload from vpcd is a control code: 00 power off,
 * 01 power on, 02 reset (no reply), 04 get ATR (reply: the ATR). Anything
 * longer is a command APDU; the reply is the response APDU.
 *
 * vpcd runs in its listening mode (DEVICENAME /dev/null:PORT) and the card
 * connects to it on loopback: connecting is "card inserted", closing the
 * socket is "card removed". (vpcd 3.3's connect-out mode aborts pcscd when a
 * card goes away, so it cannot model removal; see docs/decisions.md.)
 *
 * The socket lives in a worker thread that answers pcscd's presence polls
 * (ATR requests) by itself. PC/SC clients in this same process make
 * synchronous calls (SCardDisconnect, SCardListReaders) that wait on
 * pcscd's reader lock while pcscd waits on a poll; if the main thread had to
 * answer the poll, the two would deadlock. APDUs only arrive while the
 * client awaits an asynchronous transmit, so the main thread answers those.
 */
import { Worker } from "node:worker_threads";
import { type CardModel, CardRemovedSignal, sw } from "./model.js";

// Plain JavaScript, evaluated in the worker: no build step, works under
// vitest, tsx and the bundled CLI alike.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const net = require("node:net");
const port = workerData.port;
let sock = null;
let atr = null;
let generation = 0;
const MAX = 261;

function send(s, payload) {
  const out = Buffer.alloc(2 + payload.length);
  out.writeUInt16BE(payload.length, 0);
  Buffer.from(payload).copy(out, 2);
  s.write(out);
}

function open(gen, deadline) {
  const s = net.connect({ host: "127.0.0.1", port });
  s.once("error", (e) => {
    if (gen !== generation) return;
    if (Date.now() > deadline) { parentPort.postMessage({ type: "insert-failed", message: String(e.message) }); return; }
    setTimeout(() => open(gen, deadline), 50);
  });
  s.once("connect", () => {
    if (gen !== generation) { s.destroy(); return; }
    s.setNoDelay(true);
    s.on("error", () => s.destroy());
    sock = s;
    parentPort.postMessage({ type: "inserted", gen });
    let buf = Buffer.alloc(0);
    s.on("close", () => { if (sock === s) { sock = null; parentPort.postMessage({ type: "gone", gen }); } });
    s.on("data", (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2) {
        const len = buf.readUInt16BE(0);
        if (len > MAX) { s.destroy(); return; }
        if (buf.length < 2 + len) break;
        const msg = buf.subarray(2, 2 + len);
        buf = buf.subarray(2 + len);
        if (msg.length === 1) {
          if (msg[0] === 4) send(s, atr);
          else if (msg[0] <= 2) parentPort.postMessage({ type: "reset", gen });
        } else {
          parentPort.postMessage({ type: "apdu", gen, bytes: new Uint8Array(msg) });
        }
      }
    });
  });
}

parentPort.on("message", (m) => {
  if (m.type === "insert") {
    generation = m.gen;
    if (sock) { sock.destroy(); sock = null; }
    atr = Buffer.from(m.atr);
    open(m.gen, Date.now() + m.timeoutMs);
  } else if (m.type === "remove") {
    generation = m.gen;
    if (sock) { sock.destroy(); sock = null; }
  } else if (m.type === "response") {
    if (m.gen === generation && sock) send(sock, m.bytes);
  }
});
`;

export interface VpcdCardEvents {
  onApdu?: (command: Uint8Array, response: Uint8Array) => void;
}

type FromWorker =
  | { type: "inserted"; gen: number }
  | { type: "insert-failed"; message: string }
  | { type: "gone"; gen: number }
  | { type: "reset"; gen: number }
  | { type: "apdu"; gen: number; bytes: Uint8Array };

/** The slot-0 card. Holds at most one card; insert, remove and swap at run time. */
export class VpcdEndpoint {
  private card: CardModel | null = null;
  private gen = 0;
  private worker: Worker | null = null;
  private insertWaiter: { gen: number; resolve: () => void; reject: (e: Error) => void } | null = null;

  constructor(
    readonly port: number,
    private readonly events: VpcdCardEvents = {},
  ) {}

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { port: this.port } });
    w.on("message", (m: FromWorker) => this.onMessage(m));
    this.worker = w;
    return w;
  }

  private onMessage(m: FromWorker): void {
    if (m.type === "insert-failed") {
      this.insertWaiter?.reject(new Error(`vpcd is not listening on 127.0.0.1:${this.port}: ${m.message}`));
      this.insertWaiter = null;
      return;
    }
    if (m.gen !== this.gen) return;
    switch (m.type) {
      case "inserted":
        if (this.insertWaiter?.gen === m.gen) this.insertWaiter.resolve();
        this.insertWaiter = null;
        break;
      case "gone":
        this.card = null;
        break;
      case "reset":
        this.card?.reset();
        break;
      case "apdu": {
        const card = this.card;
        if (!card) return;
        let response: Uint8Array;
        try {
          response = card.transmit(m.bytes);
          this.events.onApdu?.(m.bytes, response);
        } catch (e) {
          if (e instanceof CardRemovedSignal) {
            // Pulled out mid-operation: the reader loses the card at once.
            this.remove();
            return;
          }
          response = sw(0x6f00);
        }
        this.worker?.postMessage({ type: "response", gen: m.gen, bytes: response });
        break;
      }
    }
  }

  get inserted(): CardModel | null {
    return this.card;
  }

  /** Connect `card` to vpcd (retrying while vpcd is not listening yet). */
  insert(card: CardModel, timeoutMs = 15_000): Promise<void> {
    const w = this.ensureWorker();
    card.removed = false;
    card.reset();
    this.card = card;
    const gen = ++this.gen;
    return new Promise((resolve, reject) => {
      this.insertWaiter = { gen, resolve, reject };
      w.postMessage({ type: "insert", gen, atr: card.atr, timeoutMs });
    });
  }

  /** Pull the card out. */
  remove(): void {
    this.card = null;
    const gen = ++this.gen;
    this.worker?.postMessage({ type: "remove", gen });
  }

  async close(): Promise<void> {
    this.remove();
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}

/** One operation over PC/SC, against the scripted library: no pcscd, no root, no real waiting. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PcscTransport } from "./pcsc.js";
import {
  SCARD,
  SCARD_LEAVE_CARD,
  SCARD_PROTOCOL_T0,
  SCARD_PROTOCOL_T1,
  SCARD_RESET_CARD,
  SCARD_SHARE_SHARED,
  STATE,
} from "./pcsc-abi.js";
import { FakePcsc, type Step } from "./pcsc-fake.js";

const R = "Reader 0";
const ATR = "3B E0 00 FF 81 31 FE 45 14";
const SHARED = { share: SCARD_SHARE_SHARED, protocols: SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1 };
const LEAVE = SCARD_LEAVE_CARD;

/** The steps of one ordinary operation on context `ctx`, up to the open transaction. */
const opened = (ctx: number): Step[] => [
  { call: "connect", ctx, reader: R, ...SHARED },
  { call: "beginTransaction" },
  { call: "status", atr: ATR },
];
const released: Step[] = [
  { call: "endTransaction", disposition: LEAVE },
  { call: "disconnect", disposition: LEAVE },
];

/** Settle-tracking: what a promise has come to so far (fake timers decide when). */
function track<T>(p: Promise<T>) {
  const s: { value?: T; error?: { code?: string }; settled: boolean } = { settled: false };
  p.then(
    (v) => Object.assign(s, { value: v, settled: true }),
    (e) => Object.assign(s, { error: e, settled: true }),
  );
  return s;
}

let fake: FakePcsc;
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("PcscTransport.connect over the scripted library", () => {
  it("with the card held, the reader's card-event counter is one reader's state on the operation's context (no reader listing)", async () => {
    fake = new FakePcsc([
      { call: "establish" },
      ...opened(1),
      {
        call: "getStatusChange",
        ctx: 1,
        timeoutMs: 0,
        expect: [{ reader: R, currentState: STATE.UNAWARE }],
        states: { [R]: { eventState: (7 << 16) | STATE.PRESENT, atr: ATR } },
      },
      ...released,
      { call: "release", ctx: 1 },
    ]);
    const t = new PcscTransport({ api: fake });
    const conn = await t.connect(R);
    expect(await conn.eventCount()).toBe(7);
    await conn.close();
    await t.close();
    fake.verify();
    expect(fake.times("listReaders")).toHaveLength(0);
  });

  it("connects SHARED, holds one transaction, leaves the card on release and keeps the context; the next operation waits the idle gap", async () => {
    fake = new FakePcsc([
      { call: "establish" },
      ...opened(1),
      { call: "transmit", command: "00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01", answer: "90 00" },
      ...released,
      ...opened(1), // the same context: no new establish
      ...released,
      { call: "release", ctx: 1 },
    ]);
    const t = new PcscTransport({ api: fake });
    const conn = await t.connect(R);
    expect(Buffer.from(conn.atr).toString("hex").toUpperCase()).toBe(ATR.replace(/ /g, ""));
    const answer = await conn.transmit(Uint8Array.from(Buffer.from("00A4040C0AD392F000260100000001", "hex")));
    expect(Array.from(answer)).toEqual([0x90, 0x00]);
    await conn.close();
    const ended = Date.now();

    const second = track(t.connect(R));
    await vi.advanceTimersByTimeAsync(199);
    expect(fake.times("connect")).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(second.settled).toBe(true);
    expect(fake.times("connect")[1]).toBe(ended + 200);
    await second.value!.close();
    await t.close();
    fake.verify();
    expect(fake.open()).toEqual({ contexts: [], cards: [] });
  });

  it("takes the ATR from the reader list just read, without asking the card", async () => {
    fake = new FakePcsc([
      { call: "establish" },
      { call: "listReaders", readers: [R] },
      { call: "getStatusChange", states: { [R]: { eventState: STATE.PRESENT | STATE.CHANGED, atr: ATR } } },
      { call: "establish" },
      { call: "connect", ctx: 2, reader: R, ...SHARED },
      { call: "beginTransaction" },
      ...released,
      { call: "release", ctx: 1 },
      { call: "release", ctx: 2 },
    ]);
    const t = new PcscTransport({ api: fake });
    expect((await t.listReaders())[0]).toMatchObject({ name: R, cardPresent: true, atr: ATR.replace(/ /g, "") });
    const conn = await t.connect(R);
    expect(conn.atr).toHaveLength(9);
    await conn.close();
    await t.close();
    fake.verify();
    expect(fake.open()).toEqual({ contexts: [], cards: [] });
  });

  it("retries a card held exclusively (SHARING_VIOLATION) every 100 ms, then says card-busy at the bound and releases its context", async () => {
    fake = new FakePcsc([
      { call: "establish" },
      { call: "connect", rv: SCARD.E_SHARING_VIOLATION, times: 30 },
      { call: "release", ctx: 1 },
    ]);
    const t = new PcscTransport({ api: fake });
    const start = Date.now();
    const r = track(t.connect(R));
    await vi.advanceTimersByTimeAsync(2899);
    expect(r.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(r.error).toMatchObject({ code: "card-busy" });
    expect(fake.times("connect").map((at) => at - start)).toEqual(Array.from({ length: 30 }, (_, i) => i * 100));
    fake.verify();
    expect(fake.open()).toEqual({ contexts: [], cards: [] });
  });

  it("abandons a transaction another program holds at the bound (card-busy), and releases what the late call got", async () => {
    fake = new FakePcsc([
      { call: "establish" },
      { call: "connect", reader: R, ...SHARED },
      { call: "beginTransaction", delayMs: 5000 },
      { call: "endTransaction", disposition: LEAVE },
      { call: "disconnect", disposition: LEAVE },
      { call: "release", ctx: 1 },
    ]);
    const t = new PcscTransport({ api: fake });
    const r = track(t.connect(R));
    await vi.advanceTimersByTimeAsync(2999);
    expect(r.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(r.error).toMatchObject({ code: "card-busy" });
    expect(fake.open().cards).toHaveLength(1); // still waiting inside the library
    await vi.advanceTimersByTimeAsync(2000);
    fake.verify();
    expect(fake.open()).toEqual({ contexts: [], cards: [] });
  });

  it("abandons a connect still waiting at the bound, and disconnects the card it gets later", async () => {
    fake = new FakePcsc([
      { call: "establish" },
      { call: "connect", delayMs: 4000 },
      { call: "disconnect", disposition: LEAVE },
      { call: "release", ctx: 1 },
    ]);
    const t = new PcscTransport({ api: fake });
    const r = track(t.connect(R));
    await vi.advanceTimersByTimeAsync(3000);
    expect(r.error).toMatchObject({ code: "card-busy" });
    await vi.advanceTimersByTimeAsync(1000);
    fake.verify();
    expect(fake.open()).toEqual({ contexts: [], cards: [] });
  });

  it("takes note of a card another program reset (W_RESET_CARD) with SCardReconnect(LEAVE) and goes on with its protocol", async () => {
    fake = new FakePcsc([
      { call: "establish" },
      { call: "connect", reader: R, ...SHARED, protocol: SCARD_PROTOCOL_T1 },
      { call: "beginTransaction", rv: SCARD.W_RESET_CARD },
      { call: "reconnect", ...SHARED, init: LEAVE, protocol: SCARD_PROTOCOL_T0 },
      { call: "beginTransaction" },
      { call: "status", atr: ATR },
      { call: "transmit", protocol: SCARD_PROTOCOL_T0, answer: "90 00" },
      ...released,
    ]);
    const conn = await new PcscTransport({ api: fake }).connect(R);
    await conn.transmit(Uint8Array.of(0, 0xa4, 4, 0x0c));
    await conn.close();
    fake.verify();
  });

  it("a second reset in a row is card-removed: disconnected (LEAVE), context released", async () => {
    fake = new FakePcsc([
      { call: "establish" },
      { call: "connect" },
      { call: "beginTransaction", rv: SCARD.W_RESET_CARD },
      { call: "reconnect", init: LEAVE },
      { call: "beginTransaction", rv: SCARD.W_RESET_CARD },
      { call: "disconnect", disposition: LEAVE },
      { call: "release", ctx: 1 },
    ]);
    await expect(new PcscTransport({ api: fake }).connect(R)).rejects.toMatchObject({ code: "card-removed" });
    fake.verify();
    expect(fake.open()).toEqual({ contexts: [], cards: [] });
  });
});

describe("an open PC/SC connection", () => {
  it("an empty answer with the card gone (pcscd's 'success, 0 bytes') is card-removed", async () => {
    fake = new FakePcsc([
      { call: "establish" },
      ...opened(1),
      { call: "transmit", answer: "" },
      { call: "status", state: 0x02 }, // SCARD_ABSENT
    ]);
    const conn = await new PcscTransport({ api: fake }).connect(R);
    await expect(conn.transmit(Uint8Array.of(0, 0xb0, 0, 0, 0))).rejects.toMatchObject({ code: "card-removed" });
    fake.verify();
  });

  it("a card that does not answer within the APDU time limit is card-timeout", async () => {
    fake = new FakePcsc([{ call: "establish" }, ...opened(1), { call: "transmit", answer: "90 00", delayMs: 6000 }]);
    const conn = await new PcscTransport({ api: fake }).connect(R);
    const r = track(conn.transmit(Uint8Array.of(0, 0xb0, 0, 0, 0)));
    await vi.advanceTimersByTimeAsync(4999);
    expect(r.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(r.error).toMatchObject({ code: "card-timeout" });
    await vi.advanceTimersByTimeAsync(1000);
    fake.verify();
  });

  it("close({reset: true}) ends the transaction with SCARD_RESET_CARD and still disconnects with LEAVE", async () => {
    fake = new FakePcsc([
      { call: "establish" },
      ...opened(1),
      { call: "endTransaction", disposition: SCARD_RESET_CARD },
      { call: "disconnect", disposition: LEAVE },
    ]);
    const conn = await new PcscTransport({ api: fake }).connect(R);
    await conn.close({ reset: true });
    fake.verify();
  });

  it("a release that fails drops the operation's context instead of keeping it", async () => {
    fake = new FakePcsc([
      { call: "establish" },
      ...opened(1),
      { call: "endTransaction", rv: SCARD.E_NOT_TRANSACTED },
      { call: "disconnect" },
      { call: "release", ctx: 1 },
      { call: "establish" }, // the next operation needs a new one
      ...opened(2),
    ]);
    const t = new PcscTransport({ api: fake, idleGapMs: 0 });
    await (await t.connect(R)).close();
    await t.connect(R);
    fake.verify();
  });
});

/** The watcher against the scripted library, on fake timers: state compare, other programs, service backoff. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PcscTransport } from "./pcsc.js";
import { INFINITE, PNP_NOTIFICATION, SCARD, STATE } from "./pcsc-abi.js";
import { FakePcsc, type Step } from "./pcsc-fake.js";
import type { ReaderEvent } from "./types.js";

const R = "Reader 0";
const R2 = "Reader 1";
const { PRESENT, EMPTY, CHANGED, INUSE, UNAWARE } = STATE;
/** pcsc-lite's event counter (insertions + removals) lives in the high 16 bits. */
const n = (count: number) => count << 16;

/** The first look: list the readers and take their states (silently). */
const firstLook = (state: number): Step[] => [
  { call: "establish" },
  { call: "listReaders", readers: [R] },
  {
    call: "getStatusChange",
    timeoutMs: 0,
    expect: [{ reader: R, currentState: UNAWARE }],
    states: { [R]: { eventState: state | CHANGED } },
  },
];
/** One wake-up of the watcher's wait (PnP pseudo-reader first) with `R`'s new state. */
const wake = (seen: number, state: number): Step[] => [
  {
    call: "getStatusChange",
    timeoutMs: 250,
    expect: [
      { reader: PNP_NOTIFICATION, currentState: 0 },
      { reader: R, currentState: seen },
    ],
    states: { [R]: { eventState: state | CHANGED } },
  },
  { call: "listReaders", readers: [R] },
];
const waitThenStop = (ctx: number): Step[] => [
  { call: "getStatusChange", wait: true },
  { call: "cancel", ctx },
  { call: "release", ctx },
];
const look = (state: number): Step[] => [
  { call: "getStatusChange", wait: true },
  {
    call: "getStatusChange",
    timeoutMs: 0,
    expect: [{ reader: R, currentState: UNAWARE }],
    states: { [R]: { eventState: state } },
  },
];

let start = 0;
function watching(fake: FakePcsc, t = new PcscTransport({ api: fake })) {
  const events: (ReaderEvent & { at: number })[] = [];
  start = Date.now();
  const stop = t.watch((e) => events.push({ ...e, at: Date.now() - start }));
  return { events, stop, t };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("the watcher compares reader states", () => {
  it("reports insertion, removal, and a swap faster than a wake-up (the event counter moved); the first look is silent", async () => {
    const fake = new FakePcsc([
      ...firstLook(EMPTY | n(1)),
      ...wake(EMPTY | n(1), PRESENT | n(2)),
      ...wake(PRESENT | n(2), PRESENT | n(4)),
      ...wake(PRESENT | n(4), EMPTY | n(5)),
      ...waitThenStop(1),
    ]);
    const { events, stop } = watching(fake);
    await vi.advanceTimersByTimeAsync(100);
    stop();
    await vi.advanceTimersByTimeAsync(0);
    expect(events.map(({ at: _, ...e }) => e)).toEqual([
      { type: "card-inserted", reader: R, atr: null },
      { type: "card-removed", reader: R },
      { type: "card-inserted", reader: R, atr: null },
      { type: "card-removed", reader: R },
    ]);
    fake.verify();
    expect(fake.open().contexts).toEqual([]);
  });

  it("sees a reader plugged in later through the PnP pseudo-reader, and its leaving", async () => {
    const fake = new FakePcsc([
      ...firstLook(EMPTY),
      { call: "getStatusChange", states: { [PNP_NOTIFICATION]: { eventState: n(1) | CHANGED } } },
      { call: "listReaders", readers: [R, R2] },
      { call: "getStatusChange", timeoutMs: 0, states: { [R2]: { eventState: PRESENT | CHANGED, atr: "3B 8F" } } },
      {
        call: "getStatusChange",
        expect: [
          { reader: PNP_NOTIFICATION, currentState: n(1) },
          { reader: R, currentState: EMPTY },
          { reader: R2, currentState: PRESENT },
        ],
        states: { [PNP_NOTIFICATION]: { eventState: n(2) | CHANGED } },
      },
      { call: "listReaders", readers: [R] },
      ...waitThenStop(1),
    ]);
    const { events, stop } = watching(fake);
    await vi.advanceTimersByTimeAsync(100);
    stop();
    await vi.advanceTimersByTimeAsync(0);
    expect(events.map(({ at: _, ...e }) => e)).toEqual([
      { type: "reader-added", reader: R2 },
      { type: "card-inserted", reader: R2, atr: "3B8F" },
      { type: "reader-removed", reader: R2 },
    ]);
    fake.verify();
  });

  it("never spins on a library that returns at once without a change (Wine): 500 ms between looks", async () => {
    const fake = new FakePcsc([
      ...firstLook(EMPTY),
      { call: "getStatusChange" },
      { call: "listReaders", readers: [R] },
      { call: "getStatusChange" },
      { call: "listReaders", readers: [R] },
      ...waitThenStop(1),
    ]);
    const { stop } = watching(fake);
    await vi.advanceTimersByTimeAsync(1100);
    stop();
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.times("getStatusChange").map((at) => at - start)).toEqual([0, 0, 500, 1000]);
    fake.verify();
  });
});

describe("the watcher notices other programs", () => {
  it("reports card-used once another program that held the card lets go (looked at every 250 ms)", async () => {
    const fake = new FakePcsc([
      ...firstLook(PRESENT),
      ...look(PRESENT | INUSE),
      ...look(PRESENT | INUSE),
      ...look(PRESENT),
      ...waitThenStop(1),
    ]);
    const { events, stop } = watching(fake);
    await vi.advanceTimersByTimeAsync(749);
    expect(events).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(events).toEqual([{ type: "card-used", reader: R, at: 750 }]);
    stop();
    await vi.advanceTimersByTimeAsync(0);
    fake.verify();
  });

  it("pcsc-lite fills the states on a timeout: one call per look, no second call, card-used when the other program lets go", async () => {
    // The wait times out with R's state filled in (in use by another program), twice; then free.
    const timedOut = (state: number): Step => ({
      call: "getStatusChange",
      timeoutMs: 250,
      wait: true,
      states: { [R]: { eventState: state } },
    });
    const fake = new FakePcsc([
      ...firstLook(PRESENT),
      timedOut(PRESENT | INUSE),
      timedOut(PRESENT | INUSE),
      timedOut(PRESENT),
      ...waitThenStop(1),
    ]);
    const { events, stop } = watching(fake);
    await vi.advanceTimersByTimeAsync(749);
    expect(events).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(events).toEqual([{ type: "card-used", reader: R, at: 750 }]);
    stop();
    await vi.advanceTimersByTimeAsync(0);
    // Every call was one of the scripted waits: no immediate second look in between.
    fake.verify();
  });

  it("does not count our own operation, which shows as in use too", async () => {
    const fake = new FakePcsc([
      ...firstLook(PRESENT),
      { call: "getStatusChange", wait: true },
      // our operation starts while the watcher waits
      { call: "establish" },
      { call: "connect", ctx: 2 },
      { call: "beginTransaction" },
      { call: "status", atr: "3B 00" },
      { call: "getStatusChange", timeoutMs: 0, states: { [R]: { eventState: PRESENT | INUSE } } }, // the look at 250 ms
      { call: "getStatusChange", wait: true },
      { call: "endTransaction" },
      { call: "disconnect" },
      { call: "getStatusChange", timeoutMs: 0, states: { [R]: { eventState: PRESENT } } }, // at 500 ms: let go
      ...waitThenStop(1),
    ]);
    const { events, stop, t } = watching(fake);
    await vi.advanceTimersByTimeAsync(0);
    const conn = await t.connect(R);
    await vi.advanceTimersByTimeAsync(250);
    await conn.close();
    await vi.advanceTimersByTimeAsync(250);
    stop();
    await vi.advanceTimersByTimeAsync(0);
    fake.verify();
    expect(events).toEqual([]);
  });
});

describe("the watcher while the PC/SC service is away", () => {
  it("says service-stopped once, retries with a backoff from 100 ms doubling to 1 s, and service-started when back", async () => {
    const fake = new FakePcsc([
      { call: "establish", rv: SCARD.E_NO_SERVICE, times: 6 },
      ...firstLook(PRESENT),
      ...waitThenStop(1),
    ]);
    const { events, stop } = watching(fake);
    await vi.advanceTimersByTimeAsync(3500);
    expect(fake.times("establish").map((at) => at - start)).toEqual([0, 100, 300, 700, 1500, 2500, 3500]);
    expect(events).toEqual([
      { type: "service-stopped", at: 0 },
      { type: "service-started", at: 3500 },
    ]);
    stop();
    await vi.advanceTimersByTimeAsync(0);
    fake.verify();
  });

  it("a service lost while watching: the dead context is released, and on return the readers are compared with what was seen", async () => {
    const fake = new FakePcsc([
      ...firstLook(PRESENT | n(1)),
      { call: "getStatusChange", rv: SCARD.E_SERVICE_STOPPED },
      { call: "release", ctx: 1 },
      { call: "establish", rv: SCARD.E_NO_SERVICE },
      { call: "establish" },
      { call: "listReaders", ctx: 2, readers: [R] },
      { call: "getStatusChange", timeoutMs: 0, states: { [R]: { eventState: EMPTY | CHANGED | n(2) } } },
      ...waitThenStop(2),
    ]);
    const { events, stop } = watching(fake);
    await vi.advanceTimersByTimeAsync(100);
    stop();
    await vi.advanceTimersByTimeAsync(0);
    expect(events).toEqual([
      { type: "service-stopped", at: 0 },
      { type: "card-removed", reader: R, at: 100 },
      { type: "service-started", at: 100 },
    ]);
    fake.verify();
    expect(fake.open().contexts).toEqual([]);
  });
});

describe("the in-use poll only when asked (issue 22, item 2)", () => {
  it("off: one blocking wait (INFINITE), no wake-ups and no looks for an hour; on again: the wait is re-armed with the poll", async () => {
    const fake = new FakePcsc([
      ...firstLook(PRESENT | n(1)),
      { call: "getStatusChange", timeoutMs: INFINITE, wait: true },
      { call: "cancel", ctx: 1 },
      { call: "getStatusChange", timeoutMs: 250, wait: true },
      { call: "cancel", ctx: 1 },
      { call: "release", ctx: 1 },
    ]);
    const t = new PcscTransport({ api: fake });
    t.watchInUse(false);
    const { events, stop } = watching(fake, t);
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(fake.times("getStatusChange")).toHaveLength(2); // the first look and the one wait
    t.watchInUse(true);
    await vi.advanceTimersByTimeAsync(100);
    stop();
    await vi.advanceTimersByTimeAsync(0);
    expect(events).toEqual([]);
    fake.verify();
    expect(fake.open().contexts).toEqual([]);
  });

  it("off, a card still comes and goes through the blocking wait", async () => {
    const fake = new FakePcsc([
      ...firstLook(EMPTY | n(1)),
      {
        call: "getStatusChange",
        timeoutMs: INFINITE,
        expect: [
          { reader: PNP_NOTIFICATION, currentState: 0 },
          { reader: R, currentState: EMPTY | n(1) },
        ],
        states: { [R]: { eventState: PRESENT | n(2) | CHANGED } },
      },
      { call: "listReaders", readers: [R] },
      ...waitThenStop(1),
    ]);
    const t = new PcscTransport({ api: fake });
    t.watchInUse(false);
    const { events, stop } = watching(fake, t);
    await vi.advanceTimersByTimeAsync(100);
    stop();
    await vi.advanceTimersByTimeAsync(0);
    expect(events.map(({ at: _, ...e }) => e)).toEqual([{ type: "card-inserted", reader: R, atr: null }]);
    fake.verify();
  });
});

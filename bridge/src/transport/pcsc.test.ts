/** The transport's contexts when the PC/SC service goes away and comes back, against the scripted library. */
import { describe, expect, it } from "vitest";
import { PcscTransport } from "./pcsc.js";
import { SCARD, SCARD_LEAVE_CARD, STATE } from "./pcsc-abi.js";
import { FakePcsc, type Step } from "./pcsc-fake.js";

const R = "Reader 0";
const EMPTY_READER: Step = { call: "getStatusChange", states: { [R]: { eventState: STATE.EMPTY | STATE.CHANGED } } };

describe("PcscTransport when the PC/SC service goes away", () => {
  it("drops a dead query context and retries once with a fresh one (the first list after a restart is right)", async () => {
    const fake = new FakePcsc([
      { call: "establish" },
      { call: "listReaders", readers: [R] },
      EMPTY_READER,
      // pcscd restarted: the context is dead
      { call: "listReaders", ctx: 1, rv: SCARD.E_SERVICE_STOPPED },
      { call: "release", ctx: 1, rv: SCARD.E_INVALID_HANDLE },
      { call: "establish" },
      { call: "listReaders", ctx: 2, readers: [R] },
      EMPTY_READER,
      { call: "release", ctx: 2 },
    ]);
    const t = new PcscTransport({ api: fake });
    await t.listReaders();
    expect(await t.listReaders()).toEqual([{ name: R, cardPresent: false, atr: null, eventCount: 0 }]);
    await t.close();
    fake.verify();
    expect(fake.open()).toEqual({ contexts: [], cards: [] });
  });

  it("retries only once: a service still gone is pcsc-unavailable, and the next call starts afresh", async () => {
    const fake = new FakePcsc([
      { call: "establish" },
      { call: "listReaders", rv: SCARD.E_NO_SERVICE },
      { call: "release", ctx: 1 },
      { call: "establish" },
      { call: "listReaders", rv: SCARD.E_NO_SERVICE },
      { call: "release", ctx: 2 },
      { call: "establish", rv: SCARD.E_NO_SERVICE },
      { call: "establish" },
      { call: "listReaders", ctx: 3, readers: [] },
    ]);
    const t = new PcscTransport({ api: fake });
    await expect(t.listReaders()).rejects.toMatchObject({ code: "pcsc-unavailable" });
    await expect(t.listReaders()).rejects.toMatchObject({ code: "pcsc-unavailable" });
    expect(await t.listReaders()).toEqual([]);
    fake.verify();
  });

  it("a service lost during an operation drops the query context and the spare: the next calls establish new ones", async () => {
    const fake = new FakePcsc([
      { call: "establish" },
      { call: "listReaders", readers: [R] },
      { call: "getStatusChange", states: { [R]: { eventState: STATE.PRESENT | STATE.CHANGED, atr: "3B 00" } } },
      { call: "establish" },
      { call: "connect", ctx: 2 },
      { call: "beginTransaction" },
      { call: "transmit", rv: SCARD.E_NO_SERVICE },
      { call: "release", ctx: 1 }, // the query context
      { call: "endTransaction", rv: SCARD.E_NO_SERVICE },
      { call: "disconnect", disposition: SCARD_LEAVE_CARD, rv: SCARD.E_NO_SERVICE },
      { call: "release", ctx: 2 }, // the operation's, not kept
      { call: "establish" },
      { call: "listReaders", ctx: 3, readers: [R] },
      EMPTY_READER,
      { call: "establish" },
      { call: "connect", ctx: 4 },
      { call: "beginTransaction" },
      { call: "status", atr: "3B 00" },
    ]);
    const t = new PcscTransport({ api: fake, idleGapMs: 0 });
    await t.listReaders();
    const conn = await t.connect(R);
    await expect(conn.transmit(Uint8Array.of(0, 0xb0, 0, 0, 0))).rejects.toMatchObject({ code: "pcsc-unavailable" });
    await conn.close();
    await t.listReaders();
    await t.connect(R);
    fake.verify();
  });

  it("an operation that cannot establish its context is pcsc-unavailable; the next one tries again", async () => {
    const fake = new FakePcsc([
      { call: "establish", rv: SCARD.E_NO_SERVICE },
      { call: "establish" },
      { call: "connect", ctx: 1 },
      { call: "beginTransaction" },
      { call: "status", atr: "3B 00" },
    ]);
    const t = new PcscTransport({ api: fake, idleGapMs: 0 });
    await expect(t.connect(R)).rejects.toMatchObject({ code: "pcsc-unavailable" });
    await t.connect(R);
    fake.verify();
  });
});

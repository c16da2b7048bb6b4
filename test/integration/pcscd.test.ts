/**
 * The bridge reading the virtual card through the real pcscd + vpcd.
 */
import { checkCard, loadPcsc, PcscTransport, type ReaderEvent } from "@jpki-guard/bridge";
import type { PcscdRig } from "@jpki-guard/virtual-card";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { card, startRig } from "./helpers.js";

let rig: PcscdRig;
let transport: PcscTransport;

beforeAll(async () => {
  rig = await startRig("valid");
  transport = new PcscTransport();
});
afterAll(async () => {
  await transport?.close();
  await rig?.stop();
});

describe("through pcscd", () => {
  it("lists the virtual reader with the card in it", async () => {
    const readers = await transport.listReaders();
    const r = readers.find((x) => x.name === rig.readerName);
    expect(r?.cardPresent).toBe(true);
    expect(r?.atr).toBe("3BE000FF8131FE4514");
  });

  it("checks a valid card in 4 + ceil(L/256) APDUs", async () => {
    const { facts } = await checkCard({ transport, reader: rig.readerName });
    expect(facts.problems).toEqual([]);
    expect(facts.card?.kind).toBe("mynumber");
    expect(facts.pins.auth.triesLeft).toBe(3);
    expect(facts.pins.signature.triesLeft).toBe(5);
    expect(facts.apduCount).toBe(4 + Math.ceil(facts.authCertificate!.sizeBytes / 256));
  });

  it("serialises concurrent checks on one reader", async () => {
    const before = rig.endpoint.inserted!.trace.length;
    const results = await Promise.all([1, 2, 3].map(() => checkCard({ transport, reader: rig.readerName })));
    for (const r of results) expect(r.facts.problems).toEqual([]);
    const cmds = rig.endpoint.inserted!.trace.slice(before).map((t) => t.command);
    // Three checks, each starting with SELECT AP and never interleaved: SELECT AP appears at the start of each block.
    const selects = cmds.map((c, i) => (c[1] === 0xa4 && c[2] === 0x04 ? i : -1)).filter((i) => i >= 0);
    const per = results[0]!.facts.apduCount;
    expect(selects).toEqual([0, per, 2 * per]);
  });

  it("says card-busy after a bounded wait while another program holds a transaction, then works again", async () => {
    const other = new PcscTransport();
    const held = await other.connect(rig.readerName);
    const fast = new PcscTransport({ busyWaitMs: 300 });
    try {
      const t0 = Date.now();
      const { facts } = await checkCard({ transport: fast, reader: rig.readerName });
      expect(facts.problems.map((p) => p.code)).toEqual(["card-busy"]);
      expect(Date.now() - t0).toBeLessThan(3000);
    } finally {
      await held.close();
      await other.close();
    }
    // The abandoned wait releases what it got later; the next operation works.
    const again = await checkCard({ transport: fast, reader: rig.readerName });
    await fast.close();
    expect(again.facts.problems).toEqual([]);
  });

  it("says card-busy while another program holds the card exclusively", async () => {
    const api = loadPcsc();
    const ctx = await api.establish();
    const excl = await api.connect(ctx, rig.readerName, 1 /* SCARD_SHARE_EXCLUSIVE */, 3);
    try {
      const fast = new PcscTransport({ busyWaitMs: 300 });
      const { facts } = await checkCard({ transport: fast, reader: rig.readerName });
      await fast.close();
      expect(facts.problems.map((p) => p.code)).toEqual(["card-busy"]);
    } finally {
      await api.disconnect(excl.card, 0);
      await api.release(ctx);
    }
  });

  it("sees removal and insertion as events, and a swapped card's own facts", async () => {
    const events: ReaderEvent[] = [];
    const stop = transport.watch((e) => events.push(e));
    try {
      await new Promise((r) => setTimeout(r, 300));
      await rig.remove();
      const empty = await checkCard({ transport, reader: rig.readerName });
      expect(empty.facts.problems.map((p) => p.code)).toEqual(["no-card"]);
      await rig.insert(await card("auth-pin-locked"));
      const locked = await checkCard({ transport, reader: rig.readerName });
      expect(locked.facts.pins.auth.triesLeft).toBe(0);
      const deadline = Date.now() + 5000;
      while (!events.some((e) => e.type === "card-inserted") && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["card-removed", "card-inserted"]));
    } finally {
      stop();
    }
  });

  it("a card pulled out mid-read gives card-removed, never a corrupt certificate", async () => {
    await rig.swap(await card("removed-mid-read"));
    const { facts } = await checkCard({ transport, reader: rig.readerName });
    expect(facts.problems.map((p) => p.code)).toEqual(["card-removed"]);
    expect(facts.authCertificate).toBeNull();
  });

  it("t0-card and no-short-ef profiles read correctly through pcscd", async () => {
    for (const p of ["t0-card", "no-short-ef"] as const) {
      await rig.swap(await card(p));
      const { facts } = await checkCard({ transport, reader: rig.readerName });
      expect(facts.problems).toEqual([]);
      expect(facts.presence.auth).toBe("present");
    }
  });
});

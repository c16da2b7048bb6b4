/** The scripted PC/SC library fails a test that strays from its script. */
import { describe, expect, it } from "vitest";
import { SCARD_LEAVE_CARD, SCARD_RESET_CARD } from "./pcsc-abi.js";
import { FakePcsc } from "./pcsc-fake.js";

describe("FakePcsc", () => {
  it("answers the script in order and records the calls", async () => {
    const fake = new FakePcsc([{ call: "establish" }, { call: "listReaders", readers: ["R"] }, { call: "release" }]);
    const ctx = await fake.establish();
    expect(await fake.listReaders(ctx)).toEqual(["R"]);
    await fake.release(ctx);
    fake.verify();
    expect(fake.calls.map((c) => c.call)).toEqual(["establish", "listReaders", "release"]);
  });

  it("fails on a call out of order, even when the caller swallows the error", async () => {
    const fake = new FakePcsc([{ call: "establish" }]);
    await fake.listReaders(1).catch(() => undefined);
    expect(() => fake.verify()).toThrow(/unexpected listReaders\(1\); expected establish/);
  });

  it("fails on other arguments than the script's", async () => {
    const fake = new FakePcsc([
      { call: "establish" },
      { call: "connect" },
      { call: "endTransaction", disposition: SCARD_LEAVE_CARD },
    ]);
    const { card } = await fake.connect(await fake.establish(), "R", 2, 3);
    await fake.endTransaction(card, SCARD_RESET_CARD).catch(() => undefined);
    expect(() => fake.verify()).toThrow(/disposition is 1, expected 0/);
  });

  it("fails on a handle that is not open, on steps never called, and lists what was never released", async () => {
    const fake = new FakePcsc([{ call: "establish" }, { call: "beginTransaction" }, { call: "release" }]);
    const ctx = await fake.establish();
    await fake.beginTransaction(999).catch(() => undefined);
    expect(fake.open()).toEqual({ contexts: [ctx], cards: [] });
    expect(() => fake.verify()).toThrow(/beginTransaction on a card not open; never called: release/);
  });
});

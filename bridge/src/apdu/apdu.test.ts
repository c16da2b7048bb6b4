import { describe, expect, it } from "vitest";
import { encode } from "./apdu.js";

const PIN = Uint8Array.from([0x31, 0x32, 0x33, 0x34]);

describe("encode", () => {
  it("writes header, Lc + data and Le (256 as 00)", () => {
    expect([...encode({ cla: 0, ins: 0xb0, p1: 0, p2: 0 })]).toEqual([0, 0xb0, 0, 0]);
    expect([...encode({ cla: 0, ins: 0xb0, p1: 0x8a, p2: 0, le: 256 })]).toEqual([0, 0xb0, 0x8a, 0, 0]);
    expect([...encode({ cla: 0, ins: 0x20, p1: 0, p2: 0x80, data: PIN })]).toEqual([0, 0x20, 0, 0x80, 4, ...PIN]);
    expect([...encode({ cla: 0, ins: 0xa4, p1: 4, p2: 0xc, data: Uint8Array.of(0xd3), le: 2 })]).toEqual([
      0, 0xa4, 4, 0xc, 1, 0xd3, 2,
    ]);
    expect(() => encode({ cla: 0, ins: 0, p1: 0, p2: 0, data: new Uint8Array(256) })).toThrow(/255/);
  });

  it("a PIN goes straight into the bytes that are sent: no array on the way holds it (security)", () => {
    const seen: unknown[][] = [];
    const push = Array.prototype.push;
    // Synchronous and restored at once: every push during encode is recorded.
    Array.prototype.push = function (this: unknown[], ...items: unknown[]) {
      seen[seen.length] = items;
      return push.apply(this, items);
    };
    let out: Uint8Array;
    try {
      out = encode({ cla: 0, ins: 0x20, p1: 0, p2: 0x80, data: PIN, secret: true });
    } finally {
      Array.prototype.push = push;
    }
    expect([...out.subarray(5)]).toEqual([...PIN]);
    const pinDigits = [...PIN];
    for (const items of seen) expect(pinDigits.every((d) => items.includes(d))).toBe(false);
  });
});

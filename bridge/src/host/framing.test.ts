import { afterEach, describe, expect, it, vi } from "vitest";
import { encodeFrame, FrameReader } from "./framing.js";

const PIN = "73915264";
const zeroed = (b: Uint8Array) => b.every((x) => x === 0);

describe("framing keeps no copy of a PIN (security)", () => {
  afterEach(() => vi.restoreAllMocks());

  it("a frame split inside the PIN: the partial-frame buffer that Buffer.concat replaces is wiped", () => {
    const frame = encodeFrame({ id: "a", v: 1, command: "readSignatureCertificate", params: { pin: PIN } });
    const cut = frame.indexOf(Buffer.from(PIN)) + 3; // inside the PIN
    // Every buffer the reader joins or produces, to look at after it let go of them.
    const seen: Buffer[] = [];
    const concat = Buffer.concat.bind(Buffer);
    vi.spyOn(Buffer, "concat").mockImplementation((list: readonly Uint8Array[], total?: number) => {
      seen.push(...list.map((b) => b as Buffer));
      const out = concat(list, total);
      seen.push(out);
      return out;
    });
    const r = new FrameReader(8192);
    expect(r.push(Buffer.from(frame.subarray(0, cut)))).toEqual([]);
    const events = r.push(Buffer.from(frame.subarray(cut)));
    expect(events).toMatchObject([{ kind: "message", value: { params: { pin: PIN } } }]);
    expect(seen.length).toBeGreaterThanOrEqual(3); // the old partial, the new chunk, the joined frame
    for (const b of seen) expect(zeroed(b)).toBe(true);
    expect(r.buffered).toBe(0);
  });

  it("the bytes after a complete frame are copied on, and the old buffer holding both is wiped", () => {
    const a = encodeFrame({ id: "a", v: 1, command: "status" });
    const b = encodeFrame({ id: "b", v: 1, command: "readSignatureCertificate", params: { pin: PIN } });
    const rest = b.indexOf(Buffer.from(PIN)) + 3; // the next frame, cut inside its PIN
    const chunk = Buffer.concat([a, b.subarray(0, rest)]);
    const froms: Buffer[] = [];
    const from = Buffer.from.bind(Buffer) as (...x: unknown[]) => Buffer;
    vi.spyOn(Buffer, "from").mockImplementation(((...args: unknown[]) => {
      const out = from(...args);
      froms.push(out);
      return out;
    }) as typeof Buffer.from);
    const r = new FrameReader(8192);
    expect(r.push(chunk)).toMatchObject([{ kind: "message", value: { id: "a" } }]);
    vi.restoreAllMocks();
    expect(r.buffered).toBe(rest);
    // Every copy the reader made, except the one it still holds (the start of frame b), is zero.
    const dropped = froms.filter((f) => f.length !== rest);
    expect(dropped.length).toBeGreaterThan(0);
    for (const f of dropped) expect(zeroed(f)).toBe(true);
  });
});

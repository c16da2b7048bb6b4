import { EventEmitter } from "node:events";
import { type MessageFromHost, MessageFromHostSchema, PROTOCOL_VERSION, parseRequest } from "@jpki-guard/shared";
import { buildCard, namedProfile } from "@jpki-guard/virtual-card";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { MemoryTransport } from "../transport/memory.js";
import { encodeFrame, FrameReader } from "./framing.js";
import { allowedOrigins, callerOrigin, MAX_EARLY_BYTES, runHost } from "./main.js";
import { HostSession } from "./session.js";

const MAX = 8 * 1024;

describe("framing", () => {
  it("delivers frames however the bytes are split, several per chunk", () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue({ maxDepth: 3 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 20 }),
        (values, cuts) => {
          const all = Buffer.concat(values.map((v) => encodeFrame(v)));
          const r = new FrameReader(1 << 20);
          const got: unknown[] = [];
          let o = 0;
          let i = 0;
          while (o < all.length) {
            const n = cuts[i++ % cuts.length]!;
            for (const e of r.push(all.subarray(o, o + n))) {
              expect(e.kind).toBe("message");
              if (e.kind === "message") got.push(e.value);
            }
            o += n;
          }
          expect(got).toEqual(values.map((v) => JSON.parse(JSON.stringify(v))));
          expect(r.pendingPartial).toBe(false);
        },
      ),
    );
  });

  it("random bytes: only typed errors, messages or a violation, bounded buffering", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 4096 }), { maxLength: 20 }), (chunks) => {
        const r = new FrameReader(MAX);
        for (const c of chunks) {
          for (const e of r.push(c)) expect(["message", "error", "violation"]).toContain(e.kind);
          expect(r.buffered).toBeLessThanOrEqual(4 + MAX + 4096);
        }
      }),
    );
  });

  it("a huge declared length is refused and its bytes skipped without being kept; the next frame still arrives", () => {
    const r = new FrameReader(MAX);
    const head = Buffer.alloc(4);
    head.writeUInt32LE(100_000);
    const ev1 = r.push(head);
    expect(ev1).toEqual([{ kind: "error", code: "too-large", message: expect.stringContaining("100000") }]);
    for (let i = 0; i < 100; i++) expect(r.push(Buffer.alloc(1000))).toEqual([]);
    expect(r.buffered).toBe(0);
    expect(r.push(encodeFrame({ ok: 1 }))).toEqual([{ kind: "message", value: { ok: 1 }, bytes: 8 }]);
  });

  it("the bytes of a request are overwritten once decoded (a request may carry a PIN)", () => {
    const r = new FrameReader(MAX);
    const frame = encodeFrame({ id: "1", v: 1, command: "readSignatureCertificate", params: { pin: "ABC123" } });
    const first = frame.subarray(0, 20);
    const rest = frame.subarray(20);
    expect(r.push(first)).toEqual([]);
    const ev = r.push(rest);
    expect(ev[0]).toMatchObject({ kind: "message", value: { params: { pin: "ABC123" } } });
    expect(frame.every((b) => b === 0)).toBe(true);
    expect(r.buffered).toBe(0);
  });

  it("4 GiB declared: a protocol violation at once", () => {
    const r = new FrameReader(MAX);
    expect(r.push(Buffer.from([0xff, 0xff, 0xff, 0xff]))[0]).toMatchObject({ kind: "violation" });
  });

  it("invalid UTF-8 and invalid JSON are bad-request; deep nesting does not crash", () => {
    const r = new FrameReader(MAX);
    const bad = Buffer.from([0xc3, 0x28]);
    const head = Buffer.alloc(4);
    head.writeUInt32LE(2);
    expect(r.push(Buffer.concat([head, bad]))[0]).toMatchObject({ code: "bad-request" });
    expect(r.push(encodeFrame("x").subarray(0, 4))).toEqual([]);
    const deep = "[".repeat(4000) + "]".repeat(4000);
    const f = Buffer.from(deep);
    const h2 = Buffer.alloc(4);
    h2.writeUInt32LE(f.length);
    const r2 = new FrameReader(MAX);
    const ev = r2.push(Buffer.concat([h2, f]));
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ kind: "message" });
    expect(parseRequest((ev[0] as { value: unknown }).value).ok).toBe(false);
  });
});

describe("protocol", () => {
  it.each([
    [{ id: "1", v: PROTOCOL_VERSION, command: "status" }, true],
    [{ id: "1", v: PROTOCOL_VERSION, command: "status", params: { action: "sign" } }, true],
    [{ id: "1", v: PROTOCOL_VERSION, command: "status", extra: 1 }, "bad-request"],
    [{ id: "1", v: PROTOCOL_VERSION, command: "status", params: { action: "pay" } }, "bad-request"],
    [{ id: 1, v: PROTOCOL_VERSION, command: "status" }, "bad-request"],
    [{ id: "1", command: "status" }, "bad-request"],
    [{ id: "1", v: PROTOCOL_VERSION, command: "format-card" }, "unknown-command"],
    [{ id: "1", v: 99, command: "status" }, "version-mismatch"],
    [{ id: "1", v: PROTOCOL_VERSION, command: "readSignatureCertificate", params: {} }, "bad-request"],
    [[1, 2, 3], "bad-request"],
    [null, "bad-request"],
  ])("%j", (msg, want) => {
    const r = parseRequest(msg);
    if (want === true) expect(r.ok).toBe(true);
    else {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe(want);
    }
  });

  it("version mismatch says which side to update", () => {
    const newer = parseRequest({ id: "1", v: PROTOCOL_VERSION + 1, command: "status" });
    const older = parseRequest({ id: "1", v: PROTOCOL_VERSION - 1 || 0, command: "status" });
    expect(!newer.ok && newer.error.update).toBe("host");
    expect(!older.ok && older.error.update).toBe("extension");
  });

  it("random JSON never throws, always a typed answer", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = parseRequest(v);
        if (!r.ok) expect(["bad-request", "unknown-command", "version-mismatch"]).toContain(r.error.code);
      }),
    );
  });
});

describe("hostile input (security)", () => {
  it("an impossible length (0xFFFFFFF0) is a protocol violation: reported, and nothing after it is read", () => {
    const r = new FrameReader(MAX);
    const head = Buffer.alloc(4);
    head.writeUInt32LE(0xfffffff0);
    const ev = r.push(Buffer.concat([head, encodeFrame({ id: "x" })]));
    expect(ev).toEqual([{ kind: "violation", message: "a frame header declares an impossible length" }]);
    expect(r.push(encodeFrame({ ok: 1 }))).toEqual([]);
  });

  it("a JSON error never quotes what was sent", () => {
    const r = new FrameReader(MAX);
    const bad = Buffer.from("SECRET123");
    const head = Buffer.alloc(4);
    head.writeUInt32LE(bad.length);
    const [ev] = r.push(Buffer.concat([head, bad]));
    expect(ev).toMatchObject({ kind: "error", code: "bad-request" });
    expect(JSON.stringify(ev)).not.toContain("SECRET");
  });

  it("an unexpected exception reaches the extension as a code and a fixed sentence, never its text", async () => {
    const transport = new MemoryTransport({ R: null });
    transport.listReaders = async () => {
      throw new Error("EACCES: /home/taro/secret/libpcsclite.so");
    };
    const sent: MessageFromHost[] = [];
    const s = new HostSession({ send: (m) => sent.push(m), transport: () => transport });
    s.receive({ kind: "message", value: { id: "a", v: PROTOCOL_VERSION, command: "diagnose" } });
    await s.drain();
    const text = JSON.stringify(sent);
    expect(text).not.toContain("taro");
    expect(text).not.toContain("EACCES");
    await s.close();
  });

  it("stderr diagnostics name neither the home folder nor the user", async () => {
    const { forLog } = await import("../log.js");
    const { homedir } = await import("node:os");
    const line = forLog(new Error(`cannot open ${homedir()}/.config/x`));
    expect(line).not.toContain(homedir());
    expect(line).toContain("~/.config/x");
  });

  it("bytes sent before the session is ready are kept only up to a bound: then stdin pauses, and resumes after", async () => {
    const calls: string[] = [];
    let held = 0;
    const stdin = Object.assign(new EventEmitter(), {
      pause: () => calls.push("pause"),
      resume: () => calls.push("resume"),
    });
    const frames: Buffer[] = [];
    let exited: number | null = null;
    const running = runHost({
      stdin: stdin as unknown as NodeJS.ReadableStream & { pause(): unknown; resume(): unknown },
      writeFrame: (b) => frames.push(b) > 0,
      argv: ["chrome-extension://abc/"],
      env: {},
      installedOrigins: ["chrome-extension://abc/"],
      exit: (c) => {
        exited = c;
      },
    });
    // Before the session exists (runHost is still loading it): 20 chunks of 16 KiB of tiny invalid frames.
    const tiny = encodeFrame("x");
    const chunk = Buffer.concat(Array.from({ length: Math.floor(16384 / tiny.length) }, () => tiny));
    for (let i = 0; i < 20; i++) {
      if (calls.at(-1) === "pause") break; // a paused stream emits nothing more
      stdin.emit("data", Buffer.from(chunk)); // each chunk its own buffer, as a stream delivers them
      held += chunk.length;
    }
    expect(calls).toEqual(["pause"]);
    expect(held).toBeLessThanOrEqual(MAX_EARLY_BYTES + chunk.length);
    await running;
    expect(calls[1]).toBe("resume");
    // Every kept frame is answered (a bad-request each), after the hello.
    const expected = (held / tiny.length) | 0;
    for (let i = 0; i < 200 && frames.length - 1 < expected; i++) await new Promise((r) => setTimeout(r, 10));
    const replies = frames.slice(1).map((f) => JSON.parse(f.subarray(4).toString("utf8")));
    expect(replies.length).toBe(expected);
    expect(new Set(replies.map((r) => r.error?.code))).toEqual(new Set(["bad-request"]));
    expect(exited).toBeNull();
    stdin.emit("end");
  });

  it("the caller is the argument in the browser's own position; anything else is refused", () => {
    // Chrome: first argument. Firefox: the second, after the manifest path.
    expect(callerOrigin(["chrome-extension://abc/", "--parent-window=0"])).toBe("chrome-extension://abc/");
    expect(callerOrigin(["/usr/lib/mozilla/native-messaging-hosts/x.json", "a@b"])).toBe("a@b");
    // Spoofs: an origin later in the line, or after --allow.
    expect(callerOrigin(["--allow", "chrome-extension://evil/", "chrome-extension://evil/"])).toBeNull();
    expect(callerOrigin(["--parent-window=0", "chrome-extension://evil/"])).toBeNull();
    expect(callerOrigin(["x.json", "--allow"])).toBeNull();
    expect(callerOrigin([])).toBeNull();
  });

  it("a development host's allow-list: --allow arguments and JPKI_GUARD_ALLOWED_ORIGINS", () => {
    expect(allowedOrigins({ JPKI_GUARD_ALLOWED_ORIGINS: "chrome-extension://a/, b@c" }, [])).toEqual([
      "chrome-extension://a/",
      "b@c",
    ]);
    expect(allowedOrigins({}, ["--allow", "x@y", "chrome-extension://z/"])).toEqual(["x@y"]);
  });
});

/** The session's next push: waits for it to arrive (an explicit signal), not for a fixed time. */
async function nextEvent(s: HostSession, sent: MessageFromHost[], after: number) {
  await vi.waitFor(() => expect(sent.length).toBeGreaterThan(after), { timeout: 5000, interval: 5 });
  await s.drain();
  const ev = sent.at(-1)!;
  expect(ev.type).toBe("event");
  return ev as Extract<MessageFromHost, { type: "event" }>;
}

/** Nothing will happen: the event reached the session (synchronously) and it scheduled no push. */
function expectNoPushScheduled(act: () => void): void {
  vi.useFakeTimers();
  try {
    act();
    expect(vi.getTimerCount()).toBe(0);
  } finally {
    vi.useRealTimers();
  }
}

async function session(profile: Parameters<typeof namedProfile>[0] = "valid") {
  const card = buildCard(await namedProfile(profile));
  const transport = new MemoryTransport({ R: card });
  const sent: MessageFromHost[] = [];
  const bp: boolean[] = [];
  const s = new HostSession({
    send: (m) => sent.push(MessageFromHostSchema.parse(m)),
    transport: () => transport,
    backpressure: (p) => bp.push(p),
    maxPending: 8,
    watchDelayMs: 10,
  });
  const req = (o: Record<string, unknown>) => s.receive({ kind: "message", value: { v: PROTOCOL_VERSION, ...o } });
  return { s, sent, card, transport, req, bp };
}

describe("host session", () => {
  it("repeated status requests reuse the last read until something changes; certificate facts stay cached until the card changes", async () => {
    const { s, sent, req, transport, card } = await session();
    type R = {
      result: {
        facts: { apduCount: number; cached: boolean; authCertificate: unknown; pins: { auth: { triesLeft: number } } };
      };
    };
    const facts = (i: number) => (sent[i] as unknown as R).result.facts;
    req({ id: "a", command: "status" });
    await s.drain();
    const afterFirst = card.trace.length;
    // Page loads, several tabs, another action: no card access at all.
    req({ id: "b", command: "status" });
    req({ id: "b2", command: "status", params: { action: "sign" } });
    await s.drain();
    expect(card.trace.length).toBe(afterFirst);
    expect(s.cardReads).toBe(1);
    expect(facts(1)).toEqual(facts(0));
    // The user asks: the card is read, but only the PIN counters (SELECT AP + two empty VERIFYs).
    req({ id: "c", command: "status", params: { fresh: true } });
    await s.drain();
    expect(facts(3).cached).toBe(true);
    expect(facts(3).apduCount).toBe(3);
    // Another program used the card (a login attempt in the official software): read again.
    transport.used("R");
    req({ id: "d", command: "status" });
    await s.drain();
    expect(s.cardReads).toBe(3);
    expect(facts(4).apduCount).toBe(3);
    // a new card: neither cache is used
    transport.insert("R", buildCard(await namedProfile("auth-pin-locked")));
    req({ id: "e", command: "status" });
    await s.drain();
    expect(facts(5).cached).toBe(false);
    expect(facts(5).pins.auth.triesLeft).toBe(0);
    await s.close();
  });

  it("a repeated status is judged again with the host's clock, from the last read (the extension's midnight re-judge: no card access)", async () => {
    const card = buildCard(await namedProfile("valid"));
    const transport = new MemoryTransport({ R: card });
    const sent: MessageFromHost[] = [];
    let now = new Date("2026-11-26T03:00:00Z");
    const s = new HostSession({
      send: (m) => sent.push(MessageFromHostSchema.parse(m)),
      transport: () => transport,
      now: () => now,
    });
    const req = (o: Record<string, unknown>) => s.receive({ kind: "message", value: { v: PROTOCOL_VERSION, ...o } });
    req({ id: "a", command: "status" });
    await s.drain();
    const before = card.trace.length;
    now = new Date("2026-11-26T15:30:00Z"); // the next day in Japan
    req({ id: "b", command: "status" });
    await s.drain();
    expect(card.trace.length).toBe(before);
    expect(s.cardReads).toBe(1);
    const on = (i: number) => (sent[i] as { result: { verdict: { on: string } } }).result.verdict.on;
    expect(on(0)).toBe("2026-11-26T03:00:00.000Z");
    expect(on(1)).toBe("2026-11-26T15:30:00.000Z");
    await s.close();
  });

  it("watch with inUse false turns the transport's in-use poll off; without the field it stays on", async () => {
    const card = buildCard(await namedProfile("valid"));
    const polls: boolean[] = [];
    const transport = Object.assign(new MemoryTransport({ R: card }), { watchInUse: (on: boolean) => polls.push(on) });
    const s = new HostSession({ send: () => undefined, transport: () => transport });
    const req = (o: Record<string, unknown>) => s.receive({ kind: "message", value: { v: PROTOCOL_VERSION, ...o } });
    req({ id: "a", command: "watch", params: { inUse: false } });
    req({ id: "b", command: "watch", params: { inUse: true } });
    req({ id: "c", command: "watch" });
    await s.drain();
    expect(polls).toEqual([false, true, true]);
    await s.close();
  });

  it("a read during which the card changed (an event mid-read) is not kept: the next status reads the card again", async () => {
    const { s, req, transport } = await session();
    req({ id: "a", command: "status" });
    await s.drain();
    expect(s.cardReads).toBe(1);
    // The next read connects, and meanwhile another program uses the card (or it is pulled out).
    const connect = transport.connect.bind(transport);
    transport.connect = async (reader: string) => {
      const c = await connect(reader);
      transport.used(reader);
      transport.connect = connect;
      return c;
    };
    req({ id: "b", command: "status", params: { fresh: true } });
    await s.drain();
    expect(s.cardReads).toBe(2);
    req({ id: "c", command: "status" });
    await s.drain();
    expect(s.cardReads).toBe(3);
    await s.close();
  });

  it("a PIN try spent by another program shows up in the next status", async () => {
    const { s, sent, req, transport, card } = await session();
    req({ id: "a", command: "status" });
    await s.drain();
    // The official software tries a wrong authentication PIN.
    card.transmit(
      Uint8Array.from([0x00, 0xa4, 0x04, 0x0c, 0x0a, 0xd3, 0x92, 0xf0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01]),
    );
    card.transmit(Uint8Array.from([0x00, 0xa4, 0x02, 0x0c, 0x02, 0x00, 0x18]));
    card.transmit(Uint8Array.from([0x00, 0x20, 0x00, 0x80, 0x04, 0x39, 0x39, 0x39, 0x39]));
    transport.used("R");
    req({ id: "b", command: "status" });
    await s.drain();
    const f = (sent[1] as { result: { facts: { pins: { auth: { triesLeft: number } } } } }).result.facts;
    expect(f.pins.auth.triesLeft).toBe(2);
    await s.close();
  });

  it("a flood of requests: replies in request order, reading pauses and resumes, card access still served", async () => {
    const { s, sent, req, bp } = await session();
    for (let i = 0; i < 200; i++) {
      if (i % 50 === 0) req({ id: `card${i}`, command: "status" });
      else s.receive({ kind: "message", value: { id: `junk${i}`, v: PROTOCOL_VERSION, command: "status", junk: i } });
    }
    await s.drain();
    expect(sent.map((m) => ("id" in m ? m.id : null))).toEqual(
      Array.from({ length: 200 }, (_, i) => (i % 50 === 0 ? `card${i}` : `junk${i}`)),
    );
    expect(sent.filter((m) => m.type === "reply")).toHaveLength(4);
    expect(bp[0]).toBe(true);
    expect(bp.at(-1)).toBe(false);
  });

  it("watch pushes a new status when the card is removed and inserted", async () => {
    const { s, sent, req, transport } = await session();
    req({ id: "w", command: "watch" });
    await s.drain();
    const expired = buildCard(await namedProfile("expired"));
    transport.insert("R", null);
    const ev = await nextEvent(s, sent, 1);
    expect(ev.status.facts.problems[0]!.code).toBe("no-card");
    transport.insert("R", expired);
    const last = await nextEvent(s, sent, 2);
    expect(last.status.verdict.level).toBe("blocked");
    req({ id: "u", command: "unwatch" });
    await s.drain();
    const n = sent.length;
    expectNoPushScheduled(() => transport.insert("R", null));
    await s.drain();
    expect(sent.length).toBe(n);
    await s.close();
  });

  it("a card change is pushed after a short wait (30 ms); another program letting go of the card after 250 ms (it may not be done)", async () => {
    const transport = new MemoryTransport({ R: buildCard(await namedProfile("valid")) });
    const s = new HostSession({ send: () => undefined, transport: () => transport });
    s.receive({ kind: "message", value: { id: "w", v: PROTOCOL_VERSION, command: "watch" } });
    await s.drain();
    const due = (act: () => void): number => {
      vi.useFakeTimers();
      try {
        act();
        const times: number[] = [];
        for (let ms = 0; ms <= 400 && times.length === 0; ms += 10) {
          if (vi.getTimerCount() === 0) times.push(ms);
          else vi.advanceTimersByTime(10);
        }
        return times[0] ?? Number.POSITIVE_INFINITY;
      } finally {
        vi.clearAllTimers();
        vi.useRealTimers();
      }
    };
    // (The push itself is stopped with the timers: only when it would start is measured.)
    expect(due(() => transport.insert("R", null))).toBe(30);
    expect(due(() => transport.used("R"))).toBe(250);
    await s.close();
  });

  it("the PC/SC service going away and coming back: a push for each, the cache dropped, no request needed", async () => {
    const { s, sent, req, transport } = await session();
    req({ id: "w", command: "watch" });
    await s.drain();
    transport.service(false);
    const down = await nextEvent(s, sent, 1);
    expect(down.status.facts.problems.map((p) => p.code)).toEqual(["pcsc-unavailable"]);
    transport.service(true);
    const up = await nextEvent(s, sent, 2);
    expect(up.status.facts.problems).toEqual([]);
    expect(up.status.facts.cached).toBe(false); // read afresh: a new service's counters mean nothing to the old cache
    await s.close();
  });

  it("readSignatureCertificate: format refused before the card, never any personal data", async () => {
    const { s, sent, req, card } = await session();
    req({ id: "x", command: "readSignatureCertificate", params: { pin: "abc123" } });
    req({ id: "y", command: "readSignatureCertificate", params: { pin: "ABC123" } });
    await s.drain();
    expect(sent[0]).toMatchObject({ type: "error", id: "x", error: { code: "pin-format" } });
    expect(sent[1]).toMatchObject({ type: "reply", id: "y" });
    expect(JSON.stringify(sent)).not.toContain("試験");
    expect(card.pin(card.applications[0]!.aid, 0x1b)!.triesLeft).toBe(5);
  });

  it("framing errors and bad requests get typed errors with the id when there is one", async () => {
    const { s, sent } = await session();
    s.receive({ kind: "error", code: "too-large", message: "big" });
    s.receive({ kind: "message", value: { id: "q", v: PROTOCOL_VERSION, command: "status", params: { reader: 5 } } });
    await s.drain();
    expect(sent[0]).toMatchObject({ type: "error", id: null, error: { code: "too-large" } });
    expect(sent[1]).toMatchObject({ type: "error", id: "q", error: { code: "bad-request" } });
  });
});

describe("the hello's protocol version", () => {
  it("a development build answers JPKI_GUARD_DEV_PROTOCOL (the version-skew tests); a release build, and anything else, its own", async () => {
    const { helloProtocol } = await import("./main.js");
    expect(helloProtocol({ JPKI_GUARD_DEV_PROTOCOL: "0" }, false)).toBe(0);
    expect(helloProtocol({ JPKI_GUARD_DEV_PROTOCOL: "2" }, false)).toBe(2);
    expect(helloProtocol({ JPKI_GUARD_DEV_PROTOCOL: "2" }, true)).toBe(PROTOCOL_VERSION);
    expect(helloProtocol({ JPKI_GUARD_DEV_PROTOCOL: "-1" }, false)).toBe(PROTOCOL_VERSION);
    expect(helloProtocol({ JPKI_GUARD_DEV_PROTOCOL: "1e9" }, false)).toBe(PROTOCOL_VERSION);
    expect(helloProtocol({}, false)).toBe(PROTOCOL_VERSION);
  });
});

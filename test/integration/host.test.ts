/**
 * The built native-messaging host (bridge/dist/jpki-guard-host.mjs) as a
 * browser runs it: spawned with the caller's origin, framed messages on
 * stdin/stdout, the virtual card behind the real pcscd.
 */
import { type MessageFromHost, PROTOCOL_VERSION } from "@jpki-guard/shared";
import type { PcscdRig } from "@jpki-guard/virtual-card";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { card, HostProcess, ORIGIN, startRig } from "./helpers.js";

let rig: PcscdRig;
let apdus = 0;
beforeAll(async () => {
  rig = await startRig("valid", { onApdu: () => apdus++ });
});
afterAll(async () => {
  await rig?.stop();
});

describe("native-messaging host process", () => {
  it("refuses a caller it was not installed for, with a typed error frame", async () => {
    const h = new HostProcess(["chrome-extension://pppppppppppppppppppppppppppppppp/"]);
    const m = await h.next((x) => x.type === "error");
    expect(m).toMatchObject({ type: "error", error: { code: "forbidden-origin" } });
    expect(await h.exited()).toBe(1);
  });

  it("hello first; status cold, then from the last read while nothing changed, then warm (only the PIN counters) when asked; replies echo ids", async () => {
    const h = new HostProcess([ORIGIN]);
    const hello = await h.next((m) => m.type === "hello");
    expect(hello).toMatchObject({
      protocol: PROTOCOL_VERSION,
      capabilities: expect.arrayContaining(["status", "watch"]),
    });
    const a0 = apdus;
    h.send({ id: "s1", v: PROTOCOL_VERSION, command: "status", params: { reader: rig.readerName } });
    const s1 = (await h.next((m) => m.type === "reply" && m.id === "s1")) as Extract<
      MessageFromHost,
      { type: "reply" }
    >;
    const cold = apdus - a0;
    // Nothing changed: the next status is answered without touching the card.
    h.send({ id: "s0", v: PROTOCOL_VERSION, command: "status", params: { reader: rig.readerName, action: "sign" } });
    await h.next((m) => m.type === "reply" && m.id === "s0");
    expect(apdus - a0).toBe(cold);
    // The user asks again: only the PIN counters are read.
    const a1 = apdus;
    h.send({ id: "s2", v: PROTOCOL_VERSION, command: "status", params: { reader: rig.readerName, fresh: true } });
    const s2 = (await h.next((m) => m.type === "reply" && m.id === "s2")) as Extract<
      MessageFromHost,
      { type: "reply" }
    >;
    const warm = apdus - a1;
    const f1 = (s1.result as { facts: { apduCount: number; cached: boolean } }).facts;
    const f2 = (s2.result as { facts: { apduCount: number; cached: boolean } }).facts;
    expect(f1.cached).toBe(false);
    expect(cold).toBe(f1.apduCount);
    expect(f2.cached).toBe(true);
    expect(warm).toBe(3);
    h.child.stdin!.end();
    expect(await h.exited()).toBe(0);
  });

  it("bad input: oversized frame, bad JSON, unknown keys, version mismatch: typed errors, then still serving", async () => {
    const h = new HostProcess([ORIGIN]);
    await h.next((m) => m.type === "hello");
    const head = Buffer.alloc(4);
    head.writeUInt32LE(20_000);
    h.child.stdin!.write(Buffer.concat([head, Buffer.alloc(20_000, 0x20)]));
    const bad = Buffer.from("{nope");
    const h2 = Buffer.alloc(4);
    h2.writeUInt32LE(bad.length);
    h.child.stdin!.write(Buffer.concat([h2, bad]));
    h.send({ id: "k", v: PROTOCOL_VERSION, command: "status", sneaky: true });
    h.send({ id: "v", v: PROTOCOL_VERSION + 1, command: "status" });
    h.send({ id: "ok", v: PROTOCOL_VERSION, command: "status", params: { reader: rig.readerName } });
    await h.next((m) => m.type === "reply" && m.id === "ok");
    const errs = h.messages.filter((m) => m.type === "error").map((m) => (m.type === "error" ? m.error.code : ""));
    expect(errs).toEqual(["too-large", "bad-request", "bad-request", "version-mismatch"]);
    expect(await h.quit()).toBe(0);
  });

  it("a spoofed caller (an allowed origin after --allow, not in the browser's position) is refused", async () => {
    const evil = "chrome-extension://eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee/";
    const h = new HostProcess(["--allow", evil, evil], { JPKI_GUARD_ALLOWED_ORIGINS: "" });
    expect(await h.next((m) => m.type === "error")).toMatchObject({ error: { code: "forbidden-origin" } });
    expect(await h.exited()).toBe(1);
  });

  it("an impossible frame length (0xFFFFFFF0): one error, the host leaves, what follows is never answered", async () => {
    const h = new HostProcess([ORIGIN]);
    await h.next((m) => m.type === "hello");
    const head = Buffer.alloc(4);
    head.writeUInt32LE(0xfffffff0);
    h.child.stdin!.write(head);
    h.send({ id: "after", v: PROTOCOL_VERSION, command: "status", params: { reader: rig.readerName } });
    expect(await h.next((m) => m.type === "error")).toMatchObject({ id: null, error: { code: "bad-request" } });
    expect(await h.exited()).toBe(1);
    expect(h.messages.some((m) => m.type === "reply")).toBe(false);
  });

  it("watch: pulling the card out and putting another in pushes new statuses", async () => {
    const h = new HostProcess([ORIGIN]);
    await h.next((m) => m.type === "hello");
    await h.watch(rig.readerName);
    await rig.remove();
    const gone = (await h.next(
      (m) => m.type === "event" && m.status.facts.problems.some((p) => p.code === "no-card"),
    )) as Extract<MessageFromHost, { type: "event" }>;
    expect(gone.status.verdict.level).toBe("unknown");
    await rig.insert(await card("auth-pin-locked"));
    const locked = (await h.next((m) => m.type === "event" && m.status.facts.pins.auth.triesLeft === 0)) as Extract<
      MessageFromHost,
      { type: "event" }
    >;
    expect(locked.status.verdict.level).toBe("blocked");
    h.child.stdin!.end();
    expect(await h.exited()).toBe(0);
  });
});

/**
 * The PC/SC service going away and coming back, through the real pcscd: the
 * built host as a browser runs it, the virtual card staying "in the reader"
 * across restarts as a physical card would.
 */
import { type MessageFromHost, PROTOCOL_VERSION } from "@jpki-guard/shared";
import type { PcscdRig } from "@jpki-guard/virtual-card";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cpuSeconds, HostProcess, ORIGIN, resources, startRig } from "./helpers.js";

type Ev = Extract<MessageFromHost, { type: "event" }>;
const isDown = (m: MessageFromHost) =>
  m.type === "event" && m.status.facts.problems.some((p) => p.code === "pcsc-unavailable");
const isGood = (m: MessageFromHost) =>
  m.type === "event" && m.status.facts.problems.length === 0 && m.status.facts.pins.auth.triesLeft === 3;

let rig: PcscdRig;
beforeAll(async () => {
  rig = await startRig("valid");
});
afterAll(async () => {
  await rig?.stop();
});

async function watchingHost(): Promise<HostProcess> {
  const h = new HostProcess([ORIGIN]);
  await h.next((m) => m.type === "hello");
  await h.watch(rig.readerName);
  return h;
}

describe("PC/SC service restarts", () => {
  it("watching: a push within 2 s when the service stops, low CPU while it is away, a correct push within 2 s of its return", async () => {
    const h = await watchingHost();
    const seen = h.messages.length;
    const t0 = Date.now();
    await rig.stopService();
    const down = (await h.next((m) => h.messages.indexOf(m) >= seen && isDown(m), 5000)) as Ev;
    expect(Date.now() - t0).toBeLessThan(2000 + 500); // stopService itself waits for pcscd to exit
    expect(down.status.verdict.level).toBe("unknown");
    // While the service is away: backoff, not a busy loop.
    const c0 = cpuSeconds(h.child.pid!);
    await new Promise((r) => setTimeout(r, 3000));
    const cpu = (cpuSeconds(h.child.pid!) - c0) / 3;
    expect(cpu).toBeLessThan(0.05);
    const before = h.messages.length;
    await rig.startService(); // resolves once pcscd reported the card inserted again
    const t1 = Date.now();
    await h.next((m) => h.messages.indexOf(m) >= before && isGood(m), 5000);
    expect(Date.now() - t1).toBeLessThan(2000);
    expect(await h.quit()).toBe(0);
  });

  it("not watching: the first status after a restart is correct (a stale context is replaced)", async () => {
    const h = new HostProcess([ORIGIN]);
    await h.next((m) => m.type === "hello");
    h.send({ id: "a", v: PROTOCOL_VERSION, command: "status", params: { reader: rig.readerName } });
    await h.next((m) => m.type === "reply" && m.id === "a");
    await rig.restartService();
    h.send({ id: "b", v: PROTOCOL_VERSION, command: "status", params: { reader: rig.readerName } });
    const b = (await h.next((m) => m.type === "reply" && m.id === "b")) as Extract<MessageFromHost, { type: "reply" }>;
    const facts = (b.result as { facts: { problems: unknown[]; pins: { auth: { triesLeft: number } } } }).facts;
    expect(facts.problems).toEqual([]);
    expect(facts.pins.auth.triesLeft).toBe(3);
    expect(await h.quit()).toBe(0);
  });

  it("ten stop/start cycles leak no file descriptors or threads", async () => {
    const h = await watchingHost();
    // One cycle first: koffi's worker pool and the contexts reach their working size.
    await rig.restartService();
    await h.next((m) => isGood(m) && h.messages.filter(isGood).length >= 1, 5000);
    await new Promise((r) => setTimeout(r, 500));
    const start = resources(h.child.pid!);
    for (let i = 0; i < 10; i++) {
      const n = h.messages.length;
      await rig.restartService();
      await h.next((m) => h.messages.indexOf(m) >= n && isGood(m), 5000);
    }
    await new Promise((r) => setTimeout(r, 500));
    const end = resources(h.child.pid!);
    expect(end.fds).toBeLessThanOrEqual(start.fds + 1);
    expect(end.threads).toBeLessThanOrEqual(start.threads + 1);
    expect(await h.quit()).toBe(0);
  });

  it("a host started before the service and its reader (browser first, reader plugged in later) sees the card when they come", async () => {
    await rig.stopService();
    const h = new HostProcess([ORIGIN]);
    await h.next((m) => m.type === "hello");
    h.send({ id: "w", v: PROTOCOL_VERSION, command: "watch" });
    const first = (await h.next((m) => m.type === "reply" && m.id === "w")) as Extract<
      MessageFromHost,
      { type: "reply" }
    >;
    expect((first.result as { facts: { problems: { code: string }[] } }).facts.problems[0]!.code).toBe(
      "pcsc-unavailable",
    );
    const n = h.messages.length;
    await rig.startService();
    const t1 = Date.now();
    const ev = (await h.next((m) => h.messages.indexOf(m) >= n && isGood(m), 5000)) as Ev;
    expect(Date.now() - t1).toBeLessThan(2000);
    expect(ev.status.facts.reader?.name).toBe(rig.readerName);
    expect(await h.quit()).toBe(0);
  });
});

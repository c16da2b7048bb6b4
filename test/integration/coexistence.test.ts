/**
 * jpki-guard must never make the official software fail. OpenSC stands in
 * for it (shared connection + transactions, as JPKI利用者ソフト and the
 * e-Tax software use the reader): while the built host is asked to read the
 * card every 250 ms, OpenSC reads the authentication certificate 15 times.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type MessageFromHost, PROTOCOL_VERSION } from "@jpki-guard/shared";
import type { PcscdRig } from "@jpki-guard/virtual-card";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HostProcess, ORIGIN, startRig } from "./helpers.js";

const run = promisify(execFile);
let rig: PcscdRig;
let apdus = 0;
beforeAll(async () => {
  rig = await startRig("valid", { onApdu: () => apdus++ });
});
afterAll(async () => {
  await rig?.stop();
});

type Reply = Extract<MessageFromHost, { type: "reply" }>;

describe("sharing the reader with the official software", () => {
  it("OpenSC reads the certificate 15 of 15 times while the host reads the card every 250 ms, and the host's answers stay right", async () => {
    const h = new HostProcess([ORIGIN]);
    await h.next((m) => m.type === "hello");
    let n = 0;
    let stop = false;
    // "fresh": the worst case, a user pressing "check now" four times a second; every request reads the card.
    const ticker = (async () => {
      while (!stop) {
        h.send({
          id: `s${n++}`,
          v: PROTOCOL_VERSION,
          command: "status",
          params: { reader: rig.readerName, fresh: true },
        });
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    const dir = mkdtempSync(join(tmpdir(), "jpki-coexist-"));
    const results: boolean[] = [];
    const apdusBefore = apdus;
    try {
      for (let i = 0; i < 15; i++) {
        const out = join(dir, `auth-${i}.pem`);
        const ok = await run("pkcs15-tool", ["-r", rig.readerName, "--read-certificate", "01", "-o", out], {
          env: { ...process.env, OPENSC_DRIVER: "jpki" },
          timeout: 20_000,
        }).then(
          () => true,
          () => false,
        );
        results.push(ok);
      }
    } finally {
      stop = true;
      await ticker;
      rmSync(dir, { recursive: true, force: true });
    }
    const last = `s${n - 1}`;
    await h.next((m) => m.type === "reply" && m.id === last, 20_000);
    expect(results.filter(Boolean).length).toBe(15);
    const replies = h.messages.filter((m): m is Reply => m.type === "reply");
    // The host really was reading the card meanwhile (not answering from a cache)...
    expect(replies.length).toBeGreaterThanOrEqual(10);
    expect(apdus - apdusBefore).toBeGreaterThan(replies.length * 3);
    // ...and every answer is the card's true state, or (when OpenSC held the
    // card longer than our bounded wait) an honest "card busy": never a wrong one.
    let busy = 0;
    for (const r of replies) {
      const f = (
        r.result as {
          facts: {
            problems: { code: string }[];
            pins: { auth: { triesLeft: number }; signature: { triesLeft: number } };
          };
        }
      ).facts;
      if (f.problems.length === 1 && f.problems[0]!.code === "card-busy") {
        busy++;
        continue;
      }
      expect(f.problems).toEqual([]);
      expect(f.pins.auth.triesLeft).toBe(3);
      expect(f.pins.signature.triesLeft).toBe(5);
    }
    console.log(
      `coexistence: OpenSC ${results.filter(Boolean).length}/15, host ${replies.length} replies, ${busy} card-busy`,
    );
    expect(busy).toBeLessThanOrEqual(Math.floor(replies.length / 5));
    expect(await h.quit()).toBe(0);
  });

  it("a wrong PIN tried in another program shows up as fewer tries in the next status, without a request to read afresh", async () => {
    const h = new HostProcess([ORIGIN]);
    await h.next((m) => m.type === "hello");
    await h.watch(rig.readerName);
    // The official software tries a wrong authentication PIN (SELECT AP, SELECT EF 0018, VERIFY "9999").
    await run("opensc-tool", [
      "-r",
      rig.readerName,
      "-s",
      "00A4040C0AD392F000260100000001",
      "-s",
      "00A4020C020018",
      "-s",
      "002000800439393939",
    ]);
    // A portal page loaded afterwards asks for the status the ordinary way.
    await new Promise((r) => setTimeout(r, 1000));
    h.send({ id: "p", v: PROTOCOL_VERSION, command: "status", params: { reader: rig.readerName } });
    const p = (await h.next((m) => m.type === "reply" && m.id === "p")) as Reply;
    const f = (p.result as { facts: { pins: { auth: { triesLeft: number } } } }).facts;
    expect(f.pins.auth.triesLeft).toBe(2);
    expect(await h.quit()).toBe(0);
  });
});

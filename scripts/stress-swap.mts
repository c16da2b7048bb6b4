/**
 * Stress: the native host watching while cards are swapped in between status
 * and signature reads (the race that once left pcscd blind to a swap).
 *   tsx scripts/stress-swap.mts   (root; run pnpm build first)
 */
// biome-ignore-all lint/suspicious/noExplicitAny: a throwaway stress script
import { spawn } from "node:child_process";
import { copyFileSync } from "node:fs";
import { encodeFrame, FrameReader } from "../bridge/src/index.js";
import { buildCard, namedProfile, PcscdRig } from "../test/virtual-card/src/index.js";

const ORIGIN = "chrome-extension://abcdefghijklmnopabcdefghijklmnop/";
const rig = await PcscdRig.start({ card: buildCard(await namedProfile("valid")), log: true });
const host = spawn(process.execPath, ["bridge/dist/jpki-guard-host.mjs", ORIGIN], {
  env: { ...process.env, JPKI_GUARD_ALLOWED_ORIGINS: ORIGIN },
});
const msgs: any[] = [];
const frames = new FrameReader(1024 * 1024);
host.stdout.on("data", (d: Buffer) => {
  for (const e of frames.push(d)) if (e.kind === "message") msgs.push(e.value);
});
host.stderr.on("data", (d) => process.stderr.write(d));
const send = (o: unknown) => host.stdin.write(encodeFrame(o));
send({ id: "w", v: 1, command: "watch", params: { reader: rig.readerName } });
let fails = 0;
for (let i = 0; i < 20; i++) {
  send({ id: `s${i}`, v: 1, command: "status", params: { reader: rig.readerName } });
  send({ id: `r${i}`, v: 1, command: "readSignatureCertificate", params: { pin: "ABC123", reader: rig.readerName } });
  await new Promise((r) => setTimeout(r, 300));
  const want = i % 2 ? 3 : 0;
  await rig.swap(buildCard(await namedProfile(want === 0 ? "auth-pin-locked" : "valid")));
  const start = msgs.length;
  const deadline = Date.now() + 4000;
  let ok = false;
  while (Date.now() < deadline) {
    if (msgs.slice(start).some((m) => m.type === "event" && m.status.facts.pins.auth.triesLeft === want)) {
      ok = true;
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!ok) {
    fails++;
    console.log("FAIL at", i, JSON.stringify(msgs.slice(-2)).slice(0, 400));
    copyFileSync(rig.logFile, "/tmp/pcscd-fail.log");
    break;
  }
}
console.log("fails", fails);
host.stdin.end();
await rig.stop();

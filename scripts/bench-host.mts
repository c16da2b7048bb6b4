/**
 * Host start-up benchmark (prints figures; asserts nothing): time from
 * spawning the native-messaging host to its hello and to the first status
 * reply, against a bare `node` process that sends the same hello, in one run;
 * and the APDUs of a cold, a repeated and a fresh status, counted by the virtual card.
 *
 *   pnpm bench:host   (root: private pcscd; run pnpm build first)
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { encodeFrame, FrameReader } from "../bridge/src/index.js";
import { MAX_REPLY_BYTES } from "../shared/src/index.js";
import { buildCard, namedProfile, PcscdRig } from "../test/virtual-card/src/index.js";
import { median } from "./lib/median.mjs";
import { enableQuickack } from "./lib/quickack.mjs";

const quickack = enableQuickack();

const HOST = fileURLToPath(new URL("../bridge/dist/jpki-guard-host.mjs", import.meta.url));
const ORIGIN = "chrome-extension://abcdefghijklmnopabcdefghijklmnop/";
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const BARE = `const b=Buffer.from(JSON.stringify({type:"hello",protocol:1,host:{name:"bare",version:"0"},capabilities:[]}));const h=Buffer.alloc(4);h.writeUInt32LE(b.length);process.stdout.write(Buffer.concat([h,b]));process.stdin.on("data",()=>{});process.stdin.on("end",()=>process.exit(0));`;

/** Decode the host's stdout frames and hand each message on. */
function frames(onMessage: (m: { type: string; id?: string }) => void) {
  const reader = new FrameReader(MAX_REPLY_BYTES);
  return (d: Buffer) => {
    for (const e of reader.push(d)) if (e.kind === "message") onMessage(e.value as { type: string; id?: string });
  };
}

async function once(args: string[], reader: string | null): Promise<{ hello: number; status: number | null }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { env: { ...process.env, JPKI_GUARD_ALLOWED_ORIGINS: ORIGIN } });
  return new Promise((resolve) => {
    let hello = 0;
    child.stdout.on(
      "data",
      frames((m) => {
        if (m.type === "hello") {
          hello = performance.now() - t0;
          if (!reader) {
            child.stdin.end();
            resolve({ hello, status: null });
            return;
          }
          child.stdin.write(encodeFrame({ id: "1", v: 1, command: "status", params: { reader } }));
        } else if (m.id === "1") {
          const status = performance.now() - t0;
          child.stdin.end();
          resolve({ hello, status });
        }
      }),
    );
  });
}

let apdus = 0;
const rig = await PcscdRig.start({ card: buildCard(await namedProfile("valid")), onApdu: () => apdus++ });
try {
  await once([HOST, ORIGIN], rig.readerName);
  await once(["-e", BARE], null); // warm-up
  const host: Array<{ hello: number; status: number | null }> = [];
  const bare: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    host.push(await once([HOST, ORIGIN], rig.readerName));
    bare.push((await once(["-e", BARE], null)).hello);
  }
  const hHello = median(host.map((x) => x.hello));
  const hStatus = median(host.map((x) => x.status!));
  const bHello = median(bare);
  console.log(
    `jpki-guard host bench: ${ROUNDS} alternating rounds, median; loopback quickack ${quickack ? "ON" : "off (not root)"}`,
  );
  console.log(`  bare node, spawn -> hello frame:        ${bHello.toFixed(1)} ms`);
  console.log(
    `  jpki-guard host, spawn -> hello:        ${hHello.toFixed(1)} ms   ratio ${(hHello / bHello).toFixed(2)} (goal <= 1.5)`,
  );
  console.log(
    `  jpki-guard host, spawn -> first status: ${hStatus.toFixed(1)} ms   ratio ${(hStatus / bHello).toFixed(2)}`,
  );

  // In one host session: a cold status, a repeated one (nothing changed: answered from the last read),
  // and one the user asked for ("fresh": only the PIN counters are read).
  const child = spawn(process.execPath, [HOST, ORIGIN], {
    env: { ...process.env, JPKI_GUARD_ALLOWED_ORIGINS: ORIGIN },
  });
  const steps = [
    { id: "cold", fresh: false },
    { id: "repeat", fresh: false },
    { id: "fresh", fresh: true },
  ];
  const counts: number[] = [];
  await new Promise<void>((resolve) => {
    let before = 0;
    const ask = (i: number) => {
      before = apdus;
      const { id, fresh } = steps[i]!;
      child.stdin.write(encodeFrame({ id, v: 1, command: "status", params: { reader: rig.readerName, fresh } }));
    };
    child.stdout.on(
      "data",
      frames((m) => {
        if (m.type === "hello") return ask(0);
        const i = steps.findIndex((s) => s.id === m.id);
        if (i < 0) return;
        counts.push(apdus - before);
        if (i + 1 < steps.length) ask(i + 1);
        else {
          child.stdin.end();
          resolve();
        }
      }),
    );
  });
  console.log(
    `  APDUs: cold status ${counts[0]}, repeated status ${counts[1]} (nothing changed: the last read), asked afresh ${counts[2]} (the PIN counters only)`,
  );
} finally {
  await rig.stop();
}

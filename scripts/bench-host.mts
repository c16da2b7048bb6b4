/**
 * Host start-up benchmark (prints figures; asserts nothing): time from
 * spawning the native-messaging host to its hello and to the first status
 * reply, against a bare `node` process that sends the same hello, in one run;
 * and the APDUs of a cold and a warm status, counted by the virtual card.
 *
 *   pnpm bench:host   (root: private pcscd; run pnpm build first)
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { buildCard, namedProfile, PcscdRig } from "../test/virtual-card/src/index.js";
import { enableQuickack } from "./lib/quickack.mjs";

const quickack = enableQuickack();

const HOST = fileURLToPath(new URL("../bridge/dist/jpki-guard-host.mjs", import.meta.url));
const ORIGIN = "chrome-extension://abcdefghijklmnopabcdefghijklmnop/";
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const BARE = `const b=Buffer.from(JSON.stringify({type:"hello",protocol:1,host:{name:"bare",version:"0"},capabilities:[]}));const h=Buffer.alloc(4);h.writeUInt32LE(b.length);process.stdout.write(Buffer.concat([h,b]));process.stdin.on("data",()=>{});process.stdin.on("end",()=>process.exit(0));`;

function frames(onMessage: (m: { type: string; id?: string }) => void) {
  let buf = Buffer.alloc(0);
  return (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    while (buf.length >= 4) {
      const len = buf.readUInt32LE(0);
      if (buf.length < 4 + len) break;
      onMessage(JSON.parse(buf.subarray(4, 4 + len).toString("utf8")));
      buf = buf.subarray(4 + len);
    }
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
          const b = Buffer.from(JSON.stringify({ id: "1", v: 1, command: "status", params: { reader } }));
          const h = Buffer.alloc(4);
          h.writeUInt32LE(b.length);
          child.stdin.write(Buffer.concat([h, b]));
        } else if (m.id === "1") {
          const status = performance.now() - t0;
          child.stdin.end();
          resolve({ hello, status });
        }
      }),
    );
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

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

  // Cold and warm status in one host session.
  const child = spawn(process.execPath, [HOST, ORIGIN], {
    env: { ...process.env, JPKI_GUARD_ALLOWED_ORIGINS: ORIGIN },
  });
  const counts: number[] = [];
  await new Promise<void>((resolve) => {
    let before = 0;
    const ask = (id: string) => {
      before = apdus;
      const b = Buffer.from(JSON.stringify({ id, v: 1, command: "status", params: { reader: rig.readerName } }));
      const h = Buffer.alloc(4);
      h.writeUInt32LE(b.length);
      child.stdin.write(Buffer.concat([h, b]));
    };
    child.stdout.on(
      "data",
      frames((m) => {
        if (m.type === "hello") ask("cold");
        else if (m.id === "cold") {
          counts.push(apdus - before);
          ask("warm");
        } else if (m.id === "warm") {
          counts.push(apdus - before);
          child.stdin.end();
          resolve();
        }
      }),
    );
  });
  console.log(`  APDUs: cold status ${counts[0]}, warm status ${counts[1]} (the PIN counters only)`);
} finally {
  await rig.stop();
}

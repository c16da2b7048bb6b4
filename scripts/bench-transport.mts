/**
 * Benchmark (prints figures; asserts nothing): the check in process, as the
 * host runs it, through this checkout's PC/SC transport and through another
 * checkout's (the baseline, e.g. the last commit with the `smartcard` addon),
 * alternating on the same virtual card and pcscd in one process.
 *
 *   pnpm bench:transport -- --baseline /path/to/other/checkout   (root; both built and installed)
 *
 * Each round waits 300 ms first, outside the timing, so this transport's idle
 * gap between operations (200 ms, for other programs) is not counted.
 */
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { checkCard, PcscTransport } from "../bridge/src/index.js";
import { buildCard, namedProfile, PcscdRig, type ProfileName } from "../test/virtual-card/src/index.js";
import { median } from "./lib/median.mjs";
import { enableQuickack } from "./lib/quickack.mjs";

const i = process.argv.indexOf("--baseline");
if (i < 0 || !process.argv[i + 1]) {
  console.error("usage: bench-transport.mts --baseline CHECKOUT");
  process.exit(64);
}
const baselineDir = resolve(process.argv[i + 1]!);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 21);
const quickack = enableQuickack();
type Bridge = { checkCard: typeof checkCard; PcscTransport: new () => { close(): Promise<void> } };
const base = (await import(pathToFileURL(join(baselineDir, "bridge/src/index.ts")).href)) as unknown as Bridge;

console.log(
  `transport bench: ${ROUNDS} alternating rounds, median; loopback quickack ${quickack ? "ON" : "off (not root)"}`,
);
console.log(`baseline: ${baselineDir}`);
for (const profile of ["valid", "no-short-ef"] as ProfileName[]) {
  const rig = await PcscdRig.start({ card: buildCard(await namedProfile(profile)) });
  try {
    const ours = new PcscTransport();
    const theirs = new base.PcscTransport();
    const time = async (fn: () => Promise<{ facts: { problems: unknown[] } }>) => {
      await new Promise((r) => setTimeout(r, 300));
      const t0 = performance.now();
      const r = await fn();
      const ms = performance.now() - t0;
      if (r.facts.problems.length) throw new Error(`a check failed: ${JSON.stringify(r.facts.problems)}`);
      return ms;
    };
    const a: number[] = [];
    const b: number[] = [];
    for (let k = 0; k <= ROUNDS; k++) {
      const x = await time(() => checkCard({ transport: ours, reader: rig.readerName }));
      const y = await time(() => base.checkCard({ transport: theirs as never, reader: rig.readerName }));
      if (k > 0) {
        a.push(x);
        b.push(y);
      }
    }
    await ours.close();
    await theirs.close();
    const ma = median(a);
    const mb = median(b);
    console.log(
      `profile ${profile}: cold check in process: this ${ma.toFixed(1)} ms, baseline ${mb.toFixed(1)} ms, ratio ${(ma / mb).toFixed(2)}`,
    );
  } finally {
    await rig.stop();
  }
}

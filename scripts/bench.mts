/**
 * Benchmark (prints figures; asserts nothing): a cold check by jpki-guard vs
 * OpenSC reading the same facts (pkcs15-tool: authentication certificate +
 * PIN list), on the same virtual card through the same private pcscd, in one
 * run. APDUs are counted on the card's side.
 *
 *   pnpm bench            (needs root for the private pcscd; run pnpm build first)
 *
 * Then the start-up of the release: the Linux package's own Node runtime and
 * bundle (staged as scripts/package.sh lays them out), `jpki-guard check` as
 * one process against `node -e 0` of the same runtime, alternating in one run.
 *
 * Loopback quickack is turned on for the run when root (see lib/quickack.mts);
 * the output says whether it applied.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { checkCard, PcscTransport } from "../bridge/src/index.js";
import { buildCard, namedProfile, PcscdRig, type ProfileName } from "../test/virtual-card/src/index.js";
import { median } from "./lib/median.mjs";
import { enableQuickack } from "./lib/quickack.mjs";
import { stage } from "./lib/stage.mjs";

const run = promisify(execFile);
const CLI = fileURLToPath(new URL("../bridge/dist/jpki-guard.mjs", import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

const quickack = enableQuickack();

async function measure(profile: ProfileName) {
  let apdus = 0;
  const rig = await PcscdRig.start({ card: buildCard(await namedProfile(profile)), onApdu: () => apdus++ });
  try {
    const reader = rig.readerName;
    const ours = async () => {
      const before = apdus;
      const t0 = performance.now();
      const r = await run(process.execPath, [CLI, "check", "--reader", reader, "--json"]).catch((e) => e);
      const ms = performance.now() - t0;
      const facts = JSON.parse(r.stdout).facts;
      return {
        ms,
        apdus: apdus - before,
        inProcessMs: facts.durationMs as number,
        size: facts.authCertificate.sizeBytes as number,
      };
    };
    const opensc = async () => {
      const before = apdus;
      const t0 = performance.now();
      await run("pkcs15-tool", ["--reader", reader, "--read-certificate", "01", "--list-pins"], {
        env: { ...process.env, OPENSC_DRIVER: "jpki" },
      });
      return { ms: performance.now() - t0, apdus: apdus - before };
    };
    // In process: what the native host does, with the transport already open.
    const transport = new PcscTransport();
    const lib = async () => {
      const t0 = performance.now();
      await checkCard({ transport, reader });
      return performance.now() - t0;
    };
    await ours();
    await opensc(); // warm-up (disk cache, key cache)
    await lib();
    const a: Awaited<ReturnType<typeof ours>>[] = [];
    const b: Awaited<ReturnType<typeof opensc>>[] = [];
    const c: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      a.push(await ours());
      b.push(await opensc());
      c.push(await lib());
    }
    await transport.close();
    return { a, b, c };
  } finally {
    await rig.stop();
  }
}

console.log(
  `jpki-guard bench: ${ROUNDS} alternating rounds per tool, median; loopback quickack ${quickack ? "ON" : "off (not root)"}`,
);
for (const profile of ["valid", "no-short-ef"] as ProfileName[]) {
  const { a, b, c } = await measure(profile);
  const L = a[0]!.size;
  const ourApdus = a[0]!.apdus;
  const oscApdus = b[0]!.apdus;
  const ourMs = median(a.map((x) => x.ms));
  const oscMs = median(b.map((x) => x.ms));
  console.log(`\nprofile ${profile}: authentication certificate L = ${L} bytes`);
  console.log(
    `  jpki-guard check : ${ourApdus} APDUs (${profile === "no-short-ef" ? "without short EF ids: 9" : "budget 4"} + ceil(L/256) = ${(profile === "no-short-ef" ? 9 : 4) + Math.ceil(L / 256)}), ${ourMs.toFixed(1)} ms per process, ${median(a.map((x) => x.inProcessMs)).toFixed(1)} ms card work`,
  );
  console.log(`  OpenSC pkcs15-tool: ${oscApdus} APDUs, ${oscMs.toFixed(1)} ms per process`);
  const libMs = median(c);
  console.log(`  jpki-guard in process (open transport, as the host runs it): ${libMs.toFixed(1)} ms`);
  console.log(
    `  ratio (ours / OpenSC): APDUs ${(ourApdus / oscApdus).toFixed(2)}, time per process ${(ourMs / oscMs).toFixed(2)}, time in process ${(libMs / oscMs).toFixed(2)}`,
  );
}

// --- release start-up ---------------------------------------------------------------------------
const RELEASE = fileURLToPath(new URL("../bridge/dist-release/jpki-guard.mjs", import.meta.url));
if (!existsSync(RELEASE)) {
  console.log("\nrelease start-up: skipped (no bridge/dist-release: run pnpm build)");
} else {
  const dir = mkdtempSync(join(tmpdir(), "jg-bench-release-"));
  const { node, app } = stage("linux", dir);
  let apdus = 0;
  const rig = await PcscdRig.start({ card: buildCard(await namedProfile("valid")), onApdu: () => apdus++ });
  try {
    const time = async (args: string[]) => {
      const t0 = performance.now();
      await run(node, args).catch((e) => e);
      return performance.now() - t0;
    };
    const cases: Array<[string, string[]]> = [
      ["node -e 0", ["-e", "0"]],
      ["jpki-guard --version", [join(app, "jpki-guard.mjs"), "--version"]],
      ["jpki-guard check (card)", [join(app, "jpki-guard.mjs"), "check", "--reader", rig.readerName, "--json"]],
    ];
    const before = apdus;
    const probe = await run(node, cases[2]![1]).catch((e) => e);
    const facts = JSON.parse(probe.stdout).facts;
    const perCheck = apdus - before;
    for (const [, args] of cases) await time(args); // warm-up (disk cache)
    const ms = cases.map(() => [] as number[]);
    const rounds = ROUNDS * 3;
    for (let i = 0; i < rounds; i++) for (const [k, [, args]] of cases.entries()) ms[k]!.push(await time(args));
    const base = median(ms[0]!);
    console.log(
      `\nrelease start-up (Node ${(await run(node, ["-p", "process.version"])).stdout.trim()} from the package, ${rounds} alternating rounds, median):`,
    );
    for (const [k, [name]] of cases.entries())
      console.log(
        `  ${name.padEnd(26)} ${median(ms[k]!).toFixed(1).padStart(6)} ms   ratio ${(median(ms[k]!) / base).toFixed(2)}`,
      );
    console.log(
      `  (the check: ${perCheck} APDUs, ${facts.durationMs.toFixed(1)} ms of card work in the process; goal: check <= 2x node -e 0)`,
    );
  } finally {
    await rig.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The Windows build of the bridge (node.exe 22 from npm, koffi's win32
 * binary, winscard.dll's A functions, Windows' 32-bit DWORD and 64-byte
 * SCARD_READERSTATE) reads the virtual card under Wine, through the same
 * pcscd: the release layout (scripts/lib/stage.mjs), the release bundle.
 * Wine is prepared by scripts/lib/wine.sh (scripts/test.sh runs it).
 *
 * Known Wine gap (docs/pcsc.md): its SCardGetStatusChangeA returns at once,
 * so waiting for card events is not tested here.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { PcscdRig } from "@jpki-guard/virtual-card";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { card } from "./helpers.js";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const WINE_DIR = process.env.JPKI_GUARD_WINE ?? join(ROOT, ".cache/wine");
const WINE = join(WINE_DIR, "wine");
const RELEASE_CLI = join(ROOT, "bridge/dist-release/jpki-guard.mjs");

let rig: PcscdRig;
let dir: string;
let node: string;
let app: string;

beforeAll(async () => {
  if (!existsSync(join(WINE_DIR, "ready")))
    throw new Error(`Wine is not prepared in ${WINE_DIR}: run bash scripts/lib/wine.sh (scripts/test.sh does)`);
  if (!existsSync(RELEASE_CLI)) throw new Error("no release bundle: run node bridge/build.mjs --release");
  const { stage } = await import("../../scripts/lib/stage.mjs");
  dir = mkdtempSync(join(tmpdir(), "jpki-wine-"));
  ({ node, app } = stage("windows", join(dir, "JPKI Guard")));
  const { PcscdRig } = await import("@jpki-guard/virtual-card");
  rig = await PcscdRig.start({ card: await card("valid") });
}, 120_000);
afterAll(async () => {
  await rig?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Run the staged node.exe under Wine; node.exe needs files (not pipes) for stdout/stderr under Wine. */
async function underWine(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  const out = join(dir, "out.txt");
  const err = join(dir, "err.txt");
  const q = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
  const cmd = `${q(WINE)} ${q(node)} ${[join(app, "jpki-guard.mjs"), ...args].map(q).join(" ")} >${q(out)} 2>${q(err)}`;
  const code = await run("sh", ["-c", cmd], { timeout: 90_000 }).then(
    () => 0,
    (e: { code?: number }) => e.code ?? -1,
  );
  return { stdout: readFileSync(out, "utf8"), stderr: readFileSync(err, "utf8"), code };
}

const comparable = (facts: Record<string, unknown>) => {
  const { checkedAt: _c, durationMs: _d, ...rest } = facts;
  return rest;
};

describe("the Windows build under Wine, through pcscd", () => {
  it("node.exe reports a Windows platform", async () => {
    const r = await underWine(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  }, 120_000);

  it("reads the card: SELECT, both PIN counters, the authentication certificate, the same facts as on Linux", async () => {
    const win = await underWine(["check", "--reader", rig.readerName, "--json"]);
    expect(win.stderr).toBe("");
    const linux = await run(process.execPath, [RELEASE_CLI, "check", "--reader", rig.readerName, "--json"]).catch(
      (e: { stdout: string }) => e,
    );
    const w = JSON.parse(win.stdout) as { facts: Record<string, unknown> & { problems: unknown[]; apduCount: number } };
    const l = JSON.parse(linux.stdout) as { facts: Record<string, unknown> };
    expect(w.facts.problems).toEqual([]);
    expect(w.facts.pins).toEqual({
      auth: { triesLeft: 3, maxTries: 3, locked: false },
      signature: { triesLeft: 5, maxTries: 5, locked: false },
    });
    expect(comparable(w.facts)).toEqual(comparable(l.facts));
  }, 120_000);

  it("doctor under Wine names the platform and finds the reader and card", async () => {
    const r = await underWine(["doctor", "--json"]);
    const report = JSON.parse(r.stdout) as { items: Array<{ id: string; ok: boolean; detail: string }> };
    const item = (id: string) => report.items.find((i) => i.id === id)!;
    expect(item("pcsc-service").ok).toBe(true);
    expect(item("card").ok).toBe(true);
    expect(item("versions").detail).toContain("win32-x64");
  }, 120_000);
});

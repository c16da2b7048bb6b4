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
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { encodeFrame, FrameReader } from "@jpki-guard/bridge";
import { MAX_REPLY_BYTES, type MessageFromHost, PROTOCOL_VERSION } from "@jpki-guard/shared";
import { CHROME_EXTENSION_ID } from "@jpki-guard/shared/ids";
import type { PcscdRig } from "@jpki-guard/virtual-card";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRig } from "./helpers.js";

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
  rig = await startRig("valid");
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

  it("doctor under Wine reads the official app's registration through Wine's reg.exe: none, then Chrome's key", async () => {
    const officialApp = async () => {
      const r = await underWine(["doctor", "--json"]);
      const report = JSON.parse(r.stdout) as { items: Array<{ id: string; status?: string; detail: string }> };
      return report.items.find((i) => i.id === "official-app")!;
    };
    const none = await officialApp();
    // Read (not "could not be read"), nothing there: a warning with where the official app comes from.
    expect(none.status).toBe("warning");
    expect(none.detail).not.toMatch(/could not be read|読めませんでした/);
    const key = "HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\jp.go.cao.mpa";
    expect((await wine(["reg", "add", key, "/ve", "/t", "REG_SZ", "/d", "C:\\jp\\mpa.json", "/f"])).code).toBe(0);
    try {
      const found = await officialApp();
      expect(found.status).toBe("ok");
      expect(found.detail).toContain("Chrome");
      expect(found.detail).toContain("jp.go.cao.mpa");
      expect(found.detail).not.toContain("mpa.json");
    } finally {
      await wine(["reg", "delete", key, "/f"]);
    }
  }, 180_000);
});

/** A Wine program with plain arguments (not node.exe); its output through files, like node.exe's. */
async function wine(args: string[], stdin?: string): Promise<{ stdout: string; code: number }> {
  const out = join(dir, "wine-out.bin");
  const q = (x: string) => `'${x.replaceAll("'", "'\\''")}'`;
  const cmd = `${q(WINE)} ${args.map(q).join(" ")} >${q(out)} 2>/dev/null${stdin ? ` <${q(stdin)}` : ""}`;
  const code = await run("sh", ["-c", cmd], { timeout: 120_000 }).then(
    () => 0,
    (e: { code?: number }) => e.code ?? -1,
  );
  return { stdout: readFileSync(out, "latin1"), code };
}

const regValue = (text: string, name: string) =>
  new RegExp(`^\\s*${name.replace(/[()]/g, "\\$&")}\\s+REG_SZ\\s+(.+?)\\s*$`, "m").exec(text)?.[1] ?? null;

describe("the per-user .msi under Wine", () => {
  const key = { id: CHROME_EXTENSION_ID };
  const prefix = join(WINE_DIR, "prefix");
  const unix = (winPath: string) => join(prefix, "drive_c", winPath.replace(/^C:\\/i, "").replaceAll("\\", "/"));
  const msi = () => {
    const rel = join(ROOT, "dist/release");
    const f = existsSync(rel) ? readdirSync(rel).find((n) => /-windows-x64\.msi$/.test(n)) : undefined;
    if (!f) throw new Error("no .msi in dist/release: run bash scripts/package.sh (scripts/test.sh does)");
    return join(rel, f);
  };

  it("msiexec /i writes the browsers' keys; the registered host answers hello and a status of the virtual card; msiexec /x removes files and keys", async () => {
    const pkg = msi();
    expect((await wine(["msiexec", "/i", pkg, "/qn"])).code).toBe(0);
    const chromeKey = "HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\com.jpki_guard.bridge";
    const keys = {
      chrome: chromeKey,
      edge: "HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\com.jpki_guard.bridge",
      firefox: "HKCU\\Software\\Mozilla\\NativeMessagingHosts\\com.jpki_guard.bridge",
      brave: "HKCU\\Software\\BraveSoftware\\Brave-Browser\\NativeMessagingHosts\\com.jpki_guard.bridge",
      chromium: "HKCU\\Software\\Chromium\\NativeMessagingHosts\\com.jpki_guard.bridge",
    };
    const manifests: Record<string, string> = {};
    for (const [b, k] of Object.entries(keys)) {
      const v = regValue((await wine(["reg", "query", k])).stdout, "(Default)");
      expect([b, v]).toEqual([b, expect.stringMatching(/com\.jpki_guard\.bridge\.(chromium|firefox)\.json$/)]);
      manifests[b] = v!;
    }
    // Do what Chrome does: read the manifest, take its path (relative to the manifest's folder), start it.
    const manifestFile = unix(manifests.chrome!);
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { path: string; allowed_origins: string[] };
    expect(manifest.allowed_origins).toEqual([`chrome-extension://${key.id}/`]);
    const winDir = manifests.chrome!.slice(0, manifests.chrome!.lastIndexOf("\\") + 1);
    const input = join(dir, "host-in.bin");
    writeFileSync(
      input,
      Buffer.concat([
        encodeFrame({ id: "s", v: PROTOCOL_VERSION, command: "status", params: { reader: rig.readerName } }),
      ]),
    );
    const host = await wine(["cmd", "/c", `${winDir}${manifest.path}`, `chrome-extension://${key.id}/`], input);
    const frames = new FrameReader(MAX_REPLY_BYTES).push(Buffer.from(host.stdout, "latin1"));
    const messages = frames.map((f) => (f.kind === "message" ? (f.value as MessageFromHost) : null));
    expect(messages[0]?.type).toBe("hello");
    const reply = messages.find((m) => m?.type === "reply") as {
      result: { facts: { problems: unknown[]; pins: { auth: { triesLeft: number } } } };
    };
    expect(reply.result.facts.problems).toEqual([]);
    expect(reply.result.facts.pins.auth.triesLeft).toBe(3);

    expect((await wine(["msiexec", "/x", pkg, "/qn"])).code).toBe(0);
    for (const k of Object.values(keys))
      expect(regValue((await wine(["reg", "query", k])).stdout, "(Default)")).toBeNull();
    expect(existsSync(manifestFile)).toBe(false);
    expect(existsSync(join(dirname(manifestFile), "node.exe"))).toBe(false);
  }, 300_000);
});

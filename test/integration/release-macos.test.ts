/**
 * The macOS archive, layout only: there is no Mac here (the README says the
 * macOS build is untested on a Mac). Unpacked and installed into a fake home
 * with its own install.sh; what it writes is what each browser reads.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const RELEASE = join(ROOT, "dist/release");
let dir: string;
let home: string;
let unpacked: string;

beforeAll(async () => {
  const tgz = existsSync(RELEASE) ? readdirSync(RELEASE).find((f) => /-macos\.tar\.gz$/.test(f)) : undefined;
  if (!tgz) throw new Error("no macOS archive in dist/release: run bash scripts/package.sh");
  dir = mkdtempSync(join(tmpdir(), "jg-macos-"));
  home = join(dir, "home");
  await run("tar", ["-xzf", join(RELEASE, tgz), "-C", dir]);
  unpacked = join(dir, "jpki-guard");
  await run("sh", [join(unpacked, "install.sh")], { env: { ...process.env, HOME: home } });
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const AS = () => join(home, "Library/Application Support");

describe("the macOS archive (layout; untested on a Mac)", () => {
  it("carries Node for macOS x64 and koffi's binaries for x64 and Apple Silicon, and no test code", async () => {
    const magic = readFileSync(join(unpacked, "node")).subarray(0, 4).toString("hex");
    expect(["cffaedfe", "cafebabe"]).toContain(magic); // Mach-O 64-bit (or universal)
    for (const arch of ["x64", "arm64"])
      expect(
        existsSync(join(unpacked, `app/node_modules/@koromix/koffi-darwin-${arch}/darwin_${arch}/koffi.node`)),
      ).toBe(true);
    for (const f of readdirSync(join(unpacked, "app/chunks")))
      expect(readFileSync(join(unpacked, "app/chunks", f), "utf8")).not.toMatch(/PcscdRig|JPKI TEST/);
  });

  it("install.sh copies it under Application Support and registers the host with every browser, per user", () => {
    const installed = join(AS(), "jpki-guard");
    const host = join(installed, "jpki-guard-host");
    expect(statSync(host).mode & 0o777).toBe(0o755);
    // The launcher quotes the install folder for sh (a home folder may hold any character).
    expect(readFileSync(host, "utf8")).toContain(
      `exec '${installed}'/node '${installed}'/app/jpki-guard-host.mjs "$@"`,
    );
    for (const b of [
      "Google/Chrome",
      "Chromium",
      "Microsoft Edge",
      "BraveSoftware/Brave-Browser",
      "Vivaldi",
      "Mozilla",
    ]) {
      const m = JSON.parse(readFileSync(join(AS(), b, "NativeMessagingHosts/com.jpki_guard.bridge.json"), "utf8"));
      expect([b, m.path]).toEqual([b, host]);
      expect(m.allowed_origins ?? m.allowed_extensions).toHaveLength(1);
    }
    expect(JSON.parse(readFileSync(join(installed, "allowed-origins.json"), "utf8"))).toHaveLength(2);
  });

  it("uninstall.sh removes what install.sh wrote", async () => {
    await run("sh", [join(AS(), "jpki-guard/uninstall.sh")], { env: { ...process.env, HOME: home } });
    expect(existsSync(join(AS(), "jpki-guard"))).toBe(false);
    expect(existsSync(join(AS(), "Mozilla/NativeMessagingHosts/com.jpki_guard.bridge.json"))).toBe(false);
  });
});

/**
 * Two release builds of the same commit on this machine give byte-identical artifacts: the .deb,
 * both .msi, the macOS archive, the extension zips and the SBOM (equal SHA256SUMS). No pcscd, no
 * install; each build goes to its own folder (JPKI_GUARD_RELEASE_OUT). The runtimes come from
 * .cache/ (scripts/package.sh fetches them once).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "jg-repro-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = promisify(execFile);

/** Asynchronous: a build takes minutes, and the test worker must keep answering vitest meanwhile. */
async function build(name: string): Promise<string> {
  const out = join(dir, name);
  await run("bash", [join(ROOT, "scripts/package.sh")], {
    cwd: ROOT,
    env: { ...process.env, JPKI_GUARD_RELEASE_OUT: out },
    maxBuffer: 64 << 20,
  });
  return readFileSync(join(out, "SHA256SUMS"), "utf8");
}

describe("reproducible release builds", () => {
  it("two builds of one commit have equal SHA256SUMS, every artifact listed", async () => {
    const a = await build("a");
    const b = await build("b");
    const names = a
      .trim()
      .split("\n")
      .map((l) => l.split("  ")[1]);
    expect(names).toEqual([
      expect.stringMatching(/^jpki-guard_.*_amd64\.deb$/),
      expect.stringMatching(/-windows-x64\.msi$/),
      expect.stringMatching(/-windows-x64-allusers\.msi$/),
      expect.stringMatching(/-macos\.tar\.gz$/),
      expect.stringMatching(/-chrome\.zip$/),
      expect.stringMatching(/-firefox\.zip$/),
      expect.stringMatching(/-sources\.zip$/),
      expect.stringMatching(/-report-viewer\.html$/),
      expect.stringMatching(/\.cdx\.json$/),
    ]);
    expect(b).toBe(a);
  }, 900_000);
});

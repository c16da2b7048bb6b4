// Bundles the CLI (jpki-guard.mjs) and the native-messaging host (jpki-guard-host.mjs); shared code and
// lazily loaded modules go to chunks/. koffi (the FFI module that reaches the OS's PC/SC library) stays
// external: it loads its prebuilt binary from its @koromix/koffi-<os>-<arch> package, lazily on first
// card access.
//
//   node build.mjs            dist/          the development build (built-in virtual card, demo, profiles)
//   node build.mjs --release  dist-release/  what the release packages carry: cli/virtual.ts is replaced by
//                                            cli/virtual-release.ts, so no virtual card, test CA or test
//                                            profile is in it (scripts/package.sh checks that)
import { rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const release = process.argv.includes("--release");
const releaseOnly = {
  name: "release-only",
  setup(b) {
    b.onResolve({ filter: /\/virtual\.js$/ }, (args) =>
      /\/cli\/(main|transport)\.ts$/.test(args.importer)
        ? { path: fileURLToPath(new URL("src/cli/virtual-release.ts", import.meta.url)) }
        : undefined,
    );
    b.onResolve({ filter: /^@jpki-guard\/virtual-card/ }, (args) => ({
      errors: [{ text: `release bundle must not import ${args.path} (from ${args.importer})` }],
    }));
  },
};

// zod's namespaces carry `locales`, every language's error messages (about 300 KB of the bundle), kept
// whole because `import * as z` reaches them. Nothing here uses them (the protocol's errors never quote
// zod's text: shared/src/protocol.ts), so they are left out: the host starts faster and smaller.
const noZodLocales = {
  name: "no-zod-locales",
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/]/.test(args.importer) ? { path: "zod-locales", namespace: "no-zod-locales" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "no-zod-locales" }, () => ({ contents: "export {};", loader: "js" }));
  },
};

// Chunk names carry content hashes: start empty so no stale chunk is shipped.
const outdir = release ? "dist-release" : "dist";
rmSync(fileURLToPath(new URL(outdir, import.meta.url)), { recursive: true, force: true });

const result = await build({
  absWorkingDir: fileURLToPath(new URL(".", import.meta.url)),
  entryPoints: { "jpki-guard": "src/cli/bin.ts", "jpki-guard-host": "src/host/bin.ts" },
  outdir,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  external: ["koffi"],
  // ESM builds first (pkijs, asn1js): tree-shaken, and no CommonJS wrappers to evaluate at start-up.
  mainFields: ["module", "main"],
  banner: {
    js: "import { createRequire as __jgCreateRequire } from 'node:module'; const require = __jgCreateRequire(import.meta.url);",
  },
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning",
  minify: release,
  // The release build ignores development-only switches (host/main.ts: JPKI_GUARD_DEV_PROTOCOL).
  define: { __JPKI_GUARD_RELEASE__: release ? "true" : "false" },
  legalComments: release ? "linked" : "inline",
  plugins: release ? [noZodLocales, releaseOnly] : [noZodLocales],
  metafile: release,
});

// The release's inputs, beside (not inside) the bundle folder: scripts/lib/components.mjs names every npm
// package the bundle contains for the copyright file, THIRD-PARTY-NOTICES and the SBOM.
if (release)
  writeFileSync(
    fileURLToPath(new URL("dist-release.inputs.json", import.meta.url)),
    `${JSON.stringify(Object.keys(result.metafile.inputs).sort(), null, 1)}\n`,
  );

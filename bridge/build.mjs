// Bundles the CLI (dist/jpki-guard.mjs) and the native-messaging host
// (dist/jpki-guard-host.mjs); shared code and lazily loaded modules go to dist/chunks. koffi (the FFI
// module that reaches the OS's PC/SC library) stays external: it loads its prebuilt binary from its
// @koromix/koffi-<os>-<arch> package, lazily on first card access.
import { build } from "esbuild";

await build({
  entryPoints: { "jpki-guard": "src/cli/bin.ts", "jpki-guard-host": "src/host/bin.ts" },
  outdir: "dist",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  external: ["koffi"],
  banner: {
    js: "import { createRequire as __jgCreateRequire } from 'node:module'; const require = __jgCreateRequire(import.meta.url);",
  },
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning",
});

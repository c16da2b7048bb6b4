// Bundles the CLI into one file (dist/jpki-guard.mjs). The native PC/SC addon
// stays external and is loaded lazily on first card access.
import { build } from "esbuild";

await build({
  entryPoints: { "jpki-guard": "src/cli/bin.ts" },
  outdir: "dist",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  external: ["smartcard"],
  banner: {
    js: "import { createRequire as __jgCreateRequire } from 'node:module'; const require = __jgCreateRequire(import.meta.url);",
  },
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning",
});

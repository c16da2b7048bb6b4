/**
 * The drawing in docs/architecture.md, kept true: every import, export-from
 * and dynamic import in the TypeScript sources (read with TypeScript's own
 * pre-processor, so comments and strings never count) is checked against
 * the layers. Bridge: transport -> apdu -> jpki -> usecases -> host | cli,
 * with cert beside jpki (neither imports the other) and install beside
 * usecases (for the CLI and the host only); the files directly in
 * bridge/src (log, queue, der, version) sit below every layer. A layer
 * imports only itself and what is below it; host and cli never import each
 * other. shared imports neither the bridge nor the extension; the extension
 * never imports the bridge; nothing but tests imports test code, except the
 * development-only bridge/src/cli/virtual.ts (replaced in release builds by
 * virtual-release.ts, build.mjs).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const SCANNED = ["shared/src", "bridge/src", "extension/lib", "extension/entrypoints", "test"];

type Layer =
  | "base"
  | "transport"
  | "apdu"
  | "jpki"
  | "cert"
  | "usecases"
  | "install"
  | "host"
  | "cli"
  | "bridge-entry"
  | "shared"
  | "extension"
  | "test"
  | "other";

const BRIDGE_LAYERS = ["transport", "apdu", "jpki", "cert", "usecases", "install", "host", "cli"] as const;

/** What each layer may import besides itself, the shared package and files outside the scanned trees. */
const MAY_IMPORT: Partial<Record<Layer, Layer[]>> = {
  base: [],
  transport: ["base"],
  apdu: ["base", "transport"],
  jpki: ["base", "transport", "apdu"],
  cert: ["base"],
  usecases: ["base", "transport", "apdu", "jpki", "cert"],
  install: ["base"],
  host: ["base", "transport", "apdu", "jpki", "cert", "usecases", "install"],
  cli: ["base", "transport", "apdu", "jpki", "cert", "usecases", "install"],
  "bridge-entry": ["base", ...BRIDGE_LAYERS],
  shared: [],
  extension: [],
};

/** The one non-test file drawn as reaching test code: the development build's virtual card. */
const MAY_IMPORT_TEST_CODE = new Set(["bridge/src/cli/virtual.ts"]);

const isTestCode = (file: string): boolean =>
  file.startsWith("test/") || /\.test\.ts$/.test(file) || file.includes("/test-support/");

function layerOf(file: string): Layer {
  if (isTestCode(file)) return "test";
  if (file.startsWith("shared/")) return "shared";
  if (file.startsWith("extension/")) return "extension";
  const m = /^bridge\/src\/([^/]+)(\/)?/.exec(file);
  if (!m) return "other";
  if (!m[2]) return m[1] === "index.ts" ? "bridge-entry" : "base";
  return (BRIDGE_LAYERS as readonly string[]).includes(m[1]!) ? (m[1] as Layer) : "other";
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory()) {
      if (e.name !== "node_modules" && !e.name.startsWith(".")) out.push(...sources(p));
    } else if (/\.(ts|mts|tsx)$/.test(e.name) && !e.name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

/** A specifier as a repository path (or a package name when it leaves the repository's sources). */
function resolveSpecifier(from: string, spec: string): string {
  const pkg = /^@jpki-guard\/(shared|bridge|virtual-card)(\/.*)?$/.exec(spec);
  if (pkg) return { shared: "shared/src/", bridge: "bridge/src/", "virtual-card": "test/virtual-card/src/" }[pkg[1]!]!;
  if (!spec.startsWith(".")) return spec;
  const abs = resolve(ROOT, dirname(from), spec);
  const base = relative(ROOT, abs).split("\\").join("/");
  for (const c of [base.replace(/\.js$/, ".ts"), `${base}.ts`, `${base}/index.ts`])
    if (existsSync(join(ROOT, c))) return c;
  return base;
}

interface Edge {
  from: string;
  to: string;
  spec: string;
}

function edgesOf(file: string, text: string): Edge[] {
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles.map((f) => ({ from: file, spec: f.fileName, to: resolveSpecifier(file, f.fileName) }));
}

/** Why an edge breaks the drawing, or null. */
function violation(e: Edge): string | null {
  const a = layerOf(e.from);
  const b = layerOf(e.to);
  if (a === "test") return null; // tests may reach anything
  if (b === "test") return MAY_IMPORT_TEST_CODE.has(e.from) ? null : `${e.from} imports test code ${e.spec}`;
  if (a === "extension" && (e.to.startsWith("bridge/") || e.spec.includes("bridge/src")))
    return `the extension imports the bridge: ${e.from} -> ${e.spec}`;
  if (a === "shared" && (b === "extension" || e.to.startsWith("bridge/")))
    return `shared imports ${b === "extension" ? "the extension" : "the bridge"}: ${e.from} -> ${e.spec}`;
  const allowed = MAY_IMPORT[a];
  if (!allowed || a === b || b === "shared" || b === "other") return null;
  return allowed.includes(b) ? null : `${a} imports ${b}: ${e.from} -> ${e.spec}`;
}

function repositoryEdges(): Edge[] {
  return SCANNED.flatMap((d) => sources(d)).flatMap((f) => edgesOf(f, readFileSync(join(ROOT, f), "utf8")));
}

describe("the import graph follows docs/architecture.md", () => {
  it("no layer imports upward or across, the extension never imports the bridge, nothing imports test code", () => {
    const edges = repositoryEdges();
    expect(edges.length).toBeGreaterThan(300); // the scan found the sources
    expect(edges.map(violation).filter((v) => v !== null)).toEqual([]);
  });

  it("the rule sees every import form and says which layer broke it", () => {
    const e = (from: string, text: string) => edgesOf(from, text).map(violation);
    expect(e("bridge/src/usecases/x.ts", 'import { a } from "../cli/main.js";')).toEqual([
      "usecases imports cli: bridge/src/usecases/x.ts -> ../cli/main.js",
    ]);
    expect(e("bridge/src/host/x.ts", 'export { a } from "../cli/options.js";')).toEqual([
      "host imports cli: bridge/src/host/x.ts -> ../cli/options.js",
    ]);
    expect(e("bridge/src/usecases/x.ts", 'const m = await import("../install/checks.js");')).toEqual([
      "usecases imports install: bridge/src/usecases/x.ts -> ../install/checks.js",
    ]);
    expect(e("bridge/src/cert/x.ts", 'import "../jpki/jpki.js";')).toEqual([
      "cert imports jpki: bridge/src/cert/x.ts -> ../jpki/jpki.js",
    ]);
    expect(e("bridge/src/transport/x.ts", 'import type { C } from "../apdu/apdu.js";')).toEqual([
      "transport imports apdu: bridge/src/transport/x.ts -> ../apdu/apdu.js",
    ]);
    expect(e("extension/lib/x.ts", 'import { FrameReader } from "@jpki-guard/bridge";')).toEqual([
      "the extension imports the bridge: extension/lib/x.ts -> @jpki-guard/bridge",
    ]);
    expect(e("shared/src/x.ts", 'import { healthyCard } from "./test-support/cards.js";')).toEqual([
      "shared/src/x.ts imports test code ./test-support/cards.js",
    ]);
    expect(e("bridge/src/cli/main.ts", 'import { buildCard } from "@jpki-guard/virtual-card";')).toEqual([
      "bridge/src/cli/main.ts imports test code @jpki-guard/virtual-card",
    ]);
    // Downward, the drawn exception, comments and tests: fine.
    expect(
      e(
        "bridge/src/usecases/x.ts",
        '// import "../cli/main.js"\nconst s = "import(\\"../host/x.js\\")";\nimport { a } from "../jpki/jpki.js";',
      ),
    ).toEqual([null]);
    expect(e("bridge/src/cli/virtual.ts", 'import "@jpki-guard/virtual-card";')).toEqual([null]);
    expect(e("bridge/src/usecases/doctor.test.ts", 'import "../cli/commands/doctor.js";')).toEqual([null]);
  });
});

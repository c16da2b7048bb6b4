/**
 * The release .deb as a citizen installs it: dpkg -i on this machine, then
 * the installed files, owners and modes, the command, the host through the
 * system-wide manifest that Debian's Chromium reads (not a per-profile copy),
 * a status of the virtual card through pcscd; dpkg -r leaves nothing behind.
 * scripts/test.sh builds the package (scripts/package.sh) first.
 */

import { execFile, execFileSync, spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { PROTOCOL_VERSION } from "@jpki-guard/shared";
import { CHROME_EXTENSION_ID } from "@jpki-guard/shared/ids";
import type { PcscdRig } from "@jpki-guard/virtual-card";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch } from "./browser.js";
import { HostProcess, startRig, writeProbeExtension } from "./helpers.js";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const RELEASE = join(ROOT, "dist/release");
const key = {
  id: CHROME_EXTENSION_ID,
  key: (JSON.parse(readFileSync(join(ROOT, "extension/extension-key.json"), "utf8")) as { key: string }).key,
};
const ORIGIN = `chrome-extension://${key.id}/`;
const HOST = "/usr/lib/jpki-guard/jpki-guard-host";

let deb: string;
let files: string[] = [];
let rig: PcscdRig;

beforeAll(async () => {
  const found = existsSync(RELEASE)
    ? readdirSync(RELEASE).find((f) => /^jpki-guard_.*_amd64\.deb$/.test(f))
    : undefined;
  if (!found) throw new Error("no .deb in dist/release: run bash scripts/package.sh (scripts/test.sh does)");
  deb = join(RELEASE, found);
  execFileSync("dpkg", ["-i", deb], { stdio: "ignore" });
  files = execFileSync("dpkg", ["-L", "jpki-guard"], { encoding: "utf8" }).trim().split("\n").filter(Boolean);
  rig = await startRig("valid");
}, 120_000);

afterAll(async () => {
  await rig?.stop();
  // Purge: the manifests under /etc are conffiles, which dpkg -r keeps.
  if (spawnSync("dpkg", ["-s", "jpki-guard"], { stdio: "ignore" }).status === 0)
    execFileSync("dpkg", ["-P", "jpki-guard"], { stdio: "ignore" });
});

describe("the release .deb, installed", () => {
  it("puts every file where it belongs: root-owned, nobody else can write it or any folder above it", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "/usr/bin/jpki-guard",
        HOST,
        "/usr/lib/jpki-guard/node",
        "/usr/lib/jpki-guard/allowed-origins.json",
        "/usr/lib/jpki-guard/app/jpki-guard-host.mjs",
        "/etc/chromium/native-messaging-hosts/com.jpki_guard.bridge.json",
        "/etc/opt/chrome/native-messaging-hosts/com.jpki_guard.bridge.json",
        "/etc/opt/edge/native-messaging-hosts/com.jpki_guard.bridge.json",
        "/etc/opt/vivaldi/native-messaging-hosts/com.jpki_guard.bridge.json",
        "/usr/lib/mozilla/native-messaging-hosts/com.jpki_guard.bridge.json",
      ]),
    );
    const checked = new Set<string>();
    for (const f of files) {
      for (let p = f; p !== "/" && !checked.has(p); p = dirname(p)) {
        checked.add(p);
        const st = lstatSync(p);
        expect([p, st.uid, st.gid]).toEqual([p, 0, 0]);
        expect([p, (st.mode & 0o022).toString(8)]).toEqual([p, "0"]);
      }
    }
    // No test code ships.
    const app = files.filter((f) => f.startsWith("/usr/lib/jpki-guard/app/") && f.endsWith(".mjs"));
    for (const f of app) expect(readFileSync(f, "utf8")).not.toMatch(/PcscdRig|JPKI TEST|vpcd/);
  });

  it("the manifests point at the installed host and allow only the jpki-guard extension", () => {
    const chromium = JSON.parse(
      readFileSync("/etc/chromium/native-messaging-hosts/com.jpki_guard.bridge.json", "utf8"),
    );
    expect(chromium).toMatchObject({ path: HOST, type: "stdio", allowed_origins: [ORIGIN] });
    const firefox = JSON.parse(
      readFileSync("/usr/lib/mozilla/native-messaging-hosts/com.jpki_guard.bridge.json", "utf8"),
    );
    expect(firefox).toMatchObject({ path: HOST, allowed_extensions: ["jpki-guard@jpki-guard.org"] });
  });

  it("jpki-guard --version and doctor run from the installed copy", async () => {
    // Asynchronous runs only: this process serves the virtual card's APDUs.
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect((await run("/usr/bin/jpki-guard", ["--version"])).stdout.trim()).toBe(pkg.version);
    const r = await run("/usr/bin/jpki-guard", ["doctor", "--json", "--reader", rig.readerName]).catch(
      (e: { stdout: string }) => e,
    );
    const report = JSON.parse(r.stdout) as { items: Array<{ id: string; ok: boolean; detail: string }> };
    expect(report.items.find((i) => i.id === "card")?.ok).toBe(true);
    const inst = report.items.find((i) => i.id === "installation") as { ok: boolean; detail: string };
    expect(inst.ok).toBe(true);
    expect(inst.detail).toContain(`jpki-guard ${pkg.version}, Debian/Ubuntu package (.deb)`);
    expect(inst.detail).toContain("manifests pointing at it: chrome, chromium, edge, vivaldi, firefox");
    // The development-only virtual card is not part of an installation.
    const demo = await run("/usr/bin/jpki-guard", ["demo"]).catch((e: { code: number }) => e);
    expect((demo as { code?: number }).code).toBe(64);
  });

  it("the installed host serves the extension's id from its installed allow-list, and nobody else, whatever the environment says", async () => {
    const h = new HostProcess([ORIGIN], { JPKI_GUARD_ALLOWED_ORIGINS: "" }, HOST);
    await h.next((m) => m.type === "hello");
    h.send({ id: "s", v: PROTOCOL_VERSION, command: "status", params: { reader: rig.readerName } });
    const s = await h.next((m) => m.type === "reply" && m.id === "s");
    expect(
      (s as { result: { facts: { pins: { auth: { triesLeft: number } } } } }).result.facts.pins.auth.triesLeft,
    ).toBe(3);
    expect(await h.quit()).toBe(0);
    const evil = "chrome-extension://pppppppppppppppppppppppppppppppp/";
    const e = new HostProcess([evil], { JPKI_GUARD_ALLOWED_ORIGINS: evil }, HOST);
    expect(await e.next((m) => m.type === "error")).toMatchObject({ error: { code: "forbidden-origin" } });
    expect(await e.exited()).toBe(1);
  });

  it("Debian's Chromium reaches the installed host through the system manifest (no per-profile copy)", async () => {
    const home = mkdtempSync(join(tmpdir(), "jg-deb-chromium-"));
    let context: BrowserContext | undefined;
    try {
      const ext = writeProbeExtension(join(home, "probe"), key.key);
      context = await launch(join(home, "profile"), 9, ext);
      expect(existsSync(join(home, "profile", "NativeMessagingHosts", "com.jpki_guard.bridge.json"))).toBe(false);
      const sw = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));
      const r = (await sw.evaluate(
        (reader) => (globalThis as unknown as { probe: (r: string) => Promise<unknown> }).probe(reader),
        rig.readerName,
      )) as { got: Array<{ type: string; result?: { facts: { problems: unknown[] } } }> };
      expect(r.got[0]!.type).toBe("hello");
      expect(r.got.find((m) => m.type === "reply")?.result?.facts.problems).toEqual([]);
    } finally {
      await context?.close();
      rmSync(home, { recursive: true, force: true });
    }
  }, 120_000);

  it("dpkg -r keeps only the manifests under /etc (conffiles) and their folders; dpkg -P removes every file and folder it added", () => {
    const conffiles = readFileSync("/var/lib/dpkg/info/jpki-guard.conffiles", "utf8").trim().split("\n");
    expect(conffiles.sort()).toEqual(files.filter((f) => f.startsWith("/etc/") && f.endsWith(".json")).sort());
    expect(conffiles).toHaveLength(4);
    // Packages other than jpki-guard that own a path (/usr, /etc/chromium of Debian's Chromium...).
    const ownedByOthers = (f: string) => {
      const r = spawnSync("dpkg-query", ["-S", f], { encoding: "utf8" });
      if (r.status !== 0) return false;
      return r.stdout
        .split("\n")
        .filter(Boolean)
        .some((l) =>
          l
            .slice(0, l.lastIndexOf(": "))
            .split(", ")
            .some((p) => p.split(":")[0] !== "jpki-guard"),
        );
    };
    const left = () => files.filter((f) => f !== "/." && existsSync(f) && !ownedByOthers(f));
    execFileSync("dpkg", ["-r", "jpki-guard"], { stdio: "ignore" });
    expect(existsSync("/usr/lib/jpki-guard")).toBe(false);
    const kept = left();
    expect(kept.filter((f) => !conffiles.some((c) => c === f || c.startsWith(`${f}/`)))).toEqual([]);
    expect(kept).toEqual(expect.arrayContaining(conffiles));
    execFileSync("dpkg", ["-P", "jpki-guard"], { stdio: "ignore" });
    expect(left()).toEqual([]);
  });
});

/**
 * Real Chromium (Debian's, driven by playwright-core) + `jpki-guard install`
 * into a fresh profile + the built host + pcscd + the virtual card: an
 * extension with the development key reaches the host over native messaging.
 */

import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROME_EXTENSION_ID } from "@jpki-guard/shared/ids";
import type { PcscdRig } from "@jpki-guard/virtual-card";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch } from "./browser.js";
import { startRig, writeProbeExtension } from "./helpers.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLI = join(ROOT, "bridge/dist/jpki-guard.mjs");
const CHROMIUM = "/usr/bin/chromium";
if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run pnpm build first`);
if (!existsSync(CHROMIUM)) throw new Error("Debian's chromium is not installed (scripts/test.sh installs it)");

const key = {
  id: CHROME_EXTENSION_ID,
  key: (JSON.parse(readFileSync(join(ROOT, "extension/extension-key.json"), "utf8")) as { key: string }).key,
};

let rig: PcscdRig;
let home: string;
let context: BrowserContext;

beforeAll(async () => {
  rig = await startRig("renewal-window");
  home = mkdtempSync(join(tmpdir(), "jg-chromium-"));
  const profile = join(home, "profile");
  const ext = writeProbeExtension(join(home, "probe-extension"), key.key);
  execFileSync(process.execPath, [CLI, "install", "--browser", "chromium", "--chromium-user-data-dir", profile], {
    env: { ...process.env, HOME: home, XDG_DATA_HOME: join(home, ".local/share") },
  });
  // No portal pages here: the host-resolver rules point at an unused port.
  context = await launch(profile, 9, ext);
}, 120_000);

afterAll(async () => {
  await context?.close();
  await rig?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe("Chromium -> native messaging -> host -> pcscd -> virtual card", () => {
  it("the extension (id fixed by its key) gets the hello and a status of the card", async () => {
    const sw = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));
    expect(sw.url()).toBe(`chrome-extension://${key.id}/sw.js`);
    const r = (await sw.evaluate(
      (reader) => (globalThis as unknown as { probe: (r: string) => Promise<unknown> }).probe(reader),
      rig.readerName,
    )) as {
      got: Array<{ type: string; result?: { verdict: { level: string; findings: { code: string }[] } } }>;
      disconnected?: string;
    };
    expect(r.got[0]!.type).toBe("hello");
    const reply = r.got.find((m) => m.type === "reply");
    expect(reply, JSON.stringify(r)).toBeDefined();
    expect(reply!.result!.verdict.level).toBe("attention");
    expect(reply!.result!.verdict.findings.map((f) => f.code)).toContain("auth-cert-renewal-window");
  });
});

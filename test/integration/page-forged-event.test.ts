/**
 * A portal page that forges WXT's content-script start-up event
 * (`<our public id>:portal:wxt:content-script-started` on `document`, the
 * event WXT's content scripts obey by stopping themselves) still gets its
 * banner (issue 23, item 6). Needs a status: the real host over native
 * messaging, pcscd and the virtual card in its renewal window (a card that
 * has a banner to show). The page forges the event before our script
 * starts, while it starts and after it has shown the banner.
 * The page left untouched without a banner: page-untouched.test.ts.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROME_EXTENSION_ID } from "@jpki-guard/shared/ids";
import type { PcscdRig } from "@jpki-guard/virtual-card";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bannerText,
  E2E_EXTENSION,
  launch,
  OFFICIAL_APP_INPUTS,
  selfSignedTls,
  setPlatform,
  until,
  WINDOWS_CHROME,
  worker,
} from "./browser.js";
import { card } from "./helpers.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLI = join(ROOT, "bridge/dist/jpki-guard.mjs");
const EXT = join(ROOT, E2E_EXTENSION.chrome);
for (const p of [CLI, join(EXT, "manifest.json")])
  if (!existsSync(p)) throw new Error(`${p} is missing: run pnpm build first`);
const EXT_ID = CHROME_EXTENSION_ID;

const FORGE = `<script>
const forge = () => document.dispatchEvent(new CustomEvent("${EXT_ID}:portal:wxt:content-script-started", { detail: { contentScriptName: "portal", messageId: "forged" } }));
forge(); let n = 0; const t = setInterval(() => { forge(); if (++n >= 40) clearInterval(t); }, 100);
</script>`;
const PAGES: Record<string, string> = {
  "/": `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>マイナポータル (test)</title></head><body><h1>マイナポータル</h1>${OFFICIAL_APP_INPUTS}</body></html>`,
  "/forge": `<!doctype html><html lang="ja"><head><meta charset="utf-8">${FORGE}<title>forged</title></head><body><h1>forged</h1>${OFFICIAL_APP_INPUTS}</body></html>`,
};

let rig: PcscdRig;
let home: string;
let server: Server;
let context: BrowserContext;

beforeAll(async () => {
  const { PcscdRig } = await import("@jpki-guard/virtual-card");
  rig = await PcscdRig.start({ card: await card("renewal-window") });
  home = mkdtempSync(join(tmpdir(), "jg-forged-"));
  server = createServer(selfSignedTls(home), (req, res) => {
    const page = PAGES[(req.url ?? "/").split("?")[0]!];
    res.writeHead(page ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
    res.end(page ?? "not found");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  const profile = join(home, "profile");
  execFileSync(process.execPath, [CLI, "install", "--browser", "chromium", "--chromium-user-data-dir", profile], {
    env: { ...process.env, HOME: home, XDG_DATA_HOME: join(home, ".local/share") },
  });
  context = await launch(profile, port, EXT);
  // Windows and Chrome: the banner is the card's (the renewal window), not Linux's.
  await setPlatform(await worker(context, EXT_ID), WINDOWS_CHROME);
}, 120_000);

afterAll(async () => {
  await context?.close();
  await rig?.stop();
  server?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe("a page that forges WXT's start-up event", () => {
  it("still gets its banner, and keeps it while the page goes on forging", async () => {
    // Control: the same card shows a banner on a plain page.
    const plain = await context.newPage();
    await plain.goto("https://myna.go.jp/");
    const control = await until(
      () => bannerText(plain),
      (t) => t !== null,
      "banner on the plain page",
    );
    await plain.close();

    const page = await context.newPage();
    await page.goto("https://myna.go.jp/forge");
    const shown = await until(
      () => bannerText(page),
      (t) => t !== null,
      "banner on the forging page",
    );
    expect(shown).toBe(control);
    // The page forges for 4 s in all: the banner is still there once it has stopped.
    await page.waitForTimeout(4500);
    expect(await bannerText(page)).toBe(control);
    await page.close();
  });
});

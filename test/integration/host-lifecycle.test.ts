/**
 * The host's life in real Chromium (issue 22, items 1, 3 and 4): the built
 * extension + the development host installed into the test profile + pcscd
 * + the virtual card, as in extension-e2e.test.ts. Host processes are
 * counted by a marker in the browser's environment (browser.ts
 * hostProcesses), so other runs' hosts are not counted.
 *
 *   - no portal tab or popup: no host runs; a portal tab starts exactly one;
 *     60 s after the last portal tab closed none runs, and the badge says
 *     the state is not live (grey, "時点");
 *   - the host dies (killed) and the card changes meanwhile: the badge shows
 *     the new card without anyone doing anything (the reconnect's watch);
 *   - Chromium stops the service worker (CDP ServiceWorker.stopAllWorkers):
 *     the next portal page and popup show the card's real state, and exactly
 *     one host runs;
 *   - closing the browser leaves no host behind.
 */

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CHROME_EXTENSION_ID } from "@jpki-guard/shared/ids";
import type { CardModel, PcscdRig } from "@jpki-guard/virtual-card";
import type { BrowserContext, Worker } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  badgeLookOf,
  badgeOf,
  bannerText,
  e2ePaths,
  hostProcesses,
  launch,
  liveWorker,
  OFFICIAL_APP_INPUTS,
  selfSignedTls,
  setPlatform,
  until,
  WINDOWS_CHROME,
  worker,
} from "./browser.js";
import { card } from "./helpers.js";

const { CLI, EXT, SHOTS } = e2ePaths();
const EXT_ID = CHROME_EXTENSION_ID;
const MARK = `lifecycle-${process.pid}-${Date.now()}`;
const GREY = [107, 114, 128, 255];

const PAGE = `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>マイナポータル (test)</title></head>
<body><h1>マイナポータル</h1><p>テスト用のページです。</p>${OFFICIAL_APP_INPUTS}</body></html>`;

let rig: PcscdRig;
let model: CardModel;
let home: string;
let server: Server;
let port: number;
let context: BrowserContext;
let sw: Worker;
const badge = () => badgeOf(sw);
const hosts = () => hostProcesses(MARK);

beforeAll(async () => {
  const { PcscdRig } = await import("@jpki-guard/virtual-card");
  model = await card("valid");
  rig = await PcscdRig.start({ card: model });
  home = mkdtempSync(join(tmpdir(), "jg-life-"));
  mkdirSync(SHOTS, { recursive: true });
  server = createServer(selfSignedTls(home), (_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(PAGE);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
  const profile = join(home, "profile");
  execFileSync(process.execPath, [CLI, "install", "--browser", "chromium", "--chromium-user-data-dir", profile], {
    env: { ...process.env, HOME: home, XDG_DATA_HOME: join(home, ".local/share") },
  });
  context = await launch(profile, port, EXT, { JG_TEST_MARK: MARK });
  sw = await worker(context, EXT_ID);
  // Windows and Chrome: the banners these tests wait for are the card's alone.
  await setPlatform(sw, WINDOWS_CHROME);
}, 120_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await rig?.stop();
  server?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe("the host only while it is useful", () => {
  it("no portal tab or popup: no host; a portal tab starts one; 60 s after it closed none runs and the badge is grey with its time", async () => {
    await new Promise((r) => setTimeout(r, 3000));
    expect(hosts()).toEqual([]);
    const page = await context.newPage();
    await page.goto("https://myna.go.jp/");
    await until(badge, (b) => b === "OK", "badge OK with a portal tab");
    expect(hosts()).toHaveLength(1);
    expect((await badgeLookOf(sw)).color).not.toEqual(GREY);
    // Live while the tab is open: a card change shows without a page load.
    await rig.swap(await card("auth-pin-1-left"));
    await until(badge, (b) => b === "!", "badge ! (live)");
    await page.close();
    await until(
      async () => hosts().length,
      (n) => n === 0,
      "no host 60 s after the last portal tab closed",
      75_000,
    );
    const look = await badgeLookOf(sw);
    expect(await badge()).toBe("!");
    expect(look.color).toEqual(GREY);
    expect(look.title).toContain("時点");
    // The last state is in storage.session (memory), nothing of it in storage.local.
    const stored = await sw.evaluate(async () => {
      const s = (
        globalThis as unknown as {
          chrome: { storage: Record<"local" | "session", { get(k: null): Promise<Record<string, unknown>> }> };
        }
      ).chrome.storage;
      return { local: await s.local.get(null), session: await s.session.get(null) };
    });
    expect(JSON.stringify(stored.local)).not.toContain("notAfter");
    expect(JSON.stringify(stored.session)).toContain("notAfter");
  }, 120_000);

  it("the popup with no host: the last state 'as of' at once, then the fresh reading; the host goes 60 s after it closes", async () => {
    expect(hosts()).toEqual([]);
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${EXT_ID}/popup.html`);
    await until(
      () => popup.locator("main").innerText(),
      (t) => t.includes("残り 1 回 / 3 回"),
      "the popup's state",
    );
    // The fresh reading replaces the "as of" state (#as-of) once the host has read the card.
    await until(
      () => popup.locator("#as-of").count(),
      (n) => n === 0,
      "the popup's fresh reading",
    );
    expect(hosts()).toHaveLength(1);
    await popup.close();
    await until(
      async () => hosts().length,
      (n) => n === 0,
      "no host 60 s after the popup closed",
      75_000,
    );
  }, 120_000);
});

describe("reconnects refresh", () => {
  it("the host is killed and the card changes: the badge shows the new card by itself, and one host runs again", async () => {
    await rig.swap(await card("valid"));
    const page = await context.newPage();
    await page.goto("https://myna.go.jp/");
    await until(badge, (b) => b === "OK", "badge OK");
    const [pid] = hosts();
    expect(pid).toBeDefined();
    process.kill(pid!, "SIGKILL");
    await rig.swap(await card("auth-pin-locked"));
    const t0 = Date.now();
    await until(badge, (b) => b === "×", "badge × after the host came back");
    // The goal is 3 s (issue 22); measured here, printed, not asserted (no timed assertions).
    console.log(`reconnect: badge changed ${Date.now() - t0} ms after the card swap`);
    await until(
      async () => hosts(),
      (h) => h.length === 1 && h[0] !== pid,
      "exactly one new host",
    );
    await page.close();
  }, 60_000);
});

describe("service-worker lifecycle", () => {
  it("Chromium stops the service worker: the next portal page and the popup show the card's real state; exactly one host", async () => {
    await rig.swap(await card("valid"));
    const page = await context.newPage();
    await page.goto("https://myna.go.jp/");
    await until(badge, (b) => b === "OK", "badge OK");
    // Stop every service worker of the profile, as Chromium does when it idles one.
    const options = await context.newPage();
    await options.goto(`chrome-extension://${EXT_ID}/options.html`);
    const cdp = await context.newCDPSession(options);
    await cdp.send("ServiceWorker.enable");
    await cdp.send("ServiceWorker.stopAllWorkers");
    await cdp.detach();
    await options.close();
    await page.close();
    // Its native port closed with it: the host ends.
    await until(
      async () => hosts().length,
      (n) => n === 0,
      "the host ended with the stopped worker",
    );
    // The card changes while nothing runs.
    await rig.swap(await card("auth-pin-locked"));
    const next = await context.newPage();
    await next.goto("https://myna.go.jp/");
    const text = await until(
      () => bannerText(next),
      (t) => t?.includes("ロック") ?? false,
      "the locked banner after the restart",
    );
    expect(text).not.toBeNull();
    sw = await liveWorker(context, EXT_ID);
    await until(badge, (b) => b === "×", "badge × after the restart");
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${EXT_ID}/popup.html`);
    await until(
      () => popup.locator("main").innerText(),
      (t) => t.includes("ロック中"),
      "the popup after the restart",
    );
    expect(await popup.locator("#as-of").count()).toBe(0);
    expect(hosts()).toHaveLength(1);
    await popup.close();
    await next.close();
  }, 90_000);

  it("closing the browser leaves no host process", async () => {
    const page = await context.newPage();
    await page.goto("https://myna.go.jp/");
    await until(
      async () => hosts().length,
      (n) => n === 1,
      "a host with a portal tab",
    );
    await context.close();
    await until(
      async () => hosts().length,
      (n) => n === 0,
      "no orphan host after the browser closed",
    );
  }, 60_000);
});

/**
 * The host's life in Debian's firefox-esr when Firefox suspends the
 * extension's background (issue 22, item 4; Chromium's side, where the
 * service worker is stopped over CDP, is host-lifecycle.test.ts).
 *
 * The Firefox e2e build (a non-persistent background page), the development
 * host installed for this test's user with `jpki-guard install --browser
 * firefox` (HOME is a temporary folder: the manifest goes to
 * ~/.mozilla/native-messaging-hosts), pcscd and the virtual card. Firefox
 * is driven by puppeteer-core over WebDriver BiDi (firefox-browser.ts); the
 * hosts it starts inherit JG_TEST_MARK, so only this test's hosts are
 * counted (browser.ts hostProcesses). The banner's text is read by the
 * test-only reader add-on; what the background judged, through popup-state
 * from our options page, and the popup itself opened as a tab.
 *
 * Suspension: `extensions.background.idle.timeout` is 2 s here (Firefox's
 * default is 30 s). Whether the background really was suspended is not
 * assumed from the pref: before the wait, a marker is put into the
 * background page's global scope (runtime.getBackgroundPage from our options
 * page: an event page in Firefox is a real window), and after the next
 * portal page it must be gone, which only a fresh start of the background
 * does. Reading it earlier would wake the background itself, so the wait
 * before the next portal page is a deliberate fixed one (3x the idle
 * timeout after the host is gone).
 *
 * Flow: Windows and Firefox (the page carries the official app's inputs, so
 * only the card decides the banner); a card in the renewal window; a portal
 * page shows its banner with one host; the page closes, the host ends, the
 * background is suspended, and the card changes meanwhile (one PIN try
 * left); the next portal page shows the new card's banner, never the old
 * one, popup-state and the popup show the new card live, exactly one host
 * runs; closing the browser leaves none.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { Server } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FIREFOX_ADDON_ID } from "@jpki-guard/shared/ids";
import type { PcscdRig } from "@jpki-guard/virtual-card";
import type { Browser, Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E2E_EXTENSION, e2ePaths, hostProcesses, OFFICIAL_APP_INPUTS, until, WINDOWS_FIREFOX } from "./browser.js";
import {
  BANNER_READER_ID,
  BANNER_READER_UUID,
  bannerReaderExtension,
  extensionPage,
  FIREFOX,
  launchFirefox,
  popupStateFrom,
  readBanner,
  setPlatformFrom,
} from "./firefox-browser.js";
import { card, startRig } from "./helpers.js";
import { fixturePortal } from "./official-app-fixture.js";

const { ROOT, CLI } = e2ePaths();
const EXT = join(ROOT, E2E_EXTENSION.firefox);
const UUID = "5d0c4b1e-3f2a-4e6b-9c7d-1a2b3c4d5e6f";
const MARK = `ff-lifecycle-${process.pid}-${Date.now()}`;
/** Firefox suspends an idle background page after this long (ms). */
const IDLE_MS = 2000;
const PAGE = `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>マイナポータル (fixture)</title></head>
<body><h1>マイナポータル</h1><p>テスト用のページです。</p>${OFFICIAL_APP_INPUTS}</body></html>`;

let rig: PcscdRig;
let home: string;
let server: Server;
let port: number;
let browser: Browser;
const hosts = () => hostProcesses(MARK);

/** What popup-state says of the card, asked from one of our pages as the popup asks. */
type Judged = { live: boolean; asOf: string | null; checklist: Array<{ code: string }> };
const popupState = (page: Page): Promise<Judged> => popupStateFrom<Judged>(page);

/**
 * The marker in the background page's global scope: set it (`set`) or read
 * it. `page` is the background's own address, so the reading is known to
 * come from the background and not from an error.
 */
const backgroundMark = (from: Page, set: string | null): Promise<{ page: string; mark: string | null }> =>
  from.evaluate(async (set: string | null) => {
    const w = (await (
      globalThis as unknown as { browser: { runtime: { getBackgroundPage(): Promise<Record<string, unknown>> } } }
    ).browser.runtime.getBackgroundPage()) as { location: { pathname: string }; __jgTestMark?: string };
    const mark = w.__jgTestMark ?? null;
    if (set !== null) w.__jgTestMark = set;
    return { page: w.location.pathname, mark };
  }, set);

/** The banner's text, read anew until `ok` (each reading is taken after it was asked for). */
const bannerUntil = (ok: (t: string | null) => boolean, what: string) =>
  until(() => readBanner(browser, Date.now()), ok, what, 30_000);

beforeAll(async () => {
  if (!existsSync(FIREFOX)) throw new Error("firefox-esr is not installed (scripts/test.sh installs it)");
  if (!existsSync(join(EXT, "manifest.json"))) throw new Error(`${EXT} is missing: run pnpm build first`);
  rig = await startRig("renewal-window");
  home = mkdtempSync(join(tmpdir(), "jg-ff-life-"));
  ({ server, port } = await fixturePortal(home, PAGE));
  // The host for this user's Firefox, as a citizen installs it (HOME is the test's folder).
  execFileSync(process.execPath, [CLI, "install", "--browser", "firefox"], {
    env: { ...process.env, HOME: home, XDG_DATA_HOME: join(home, ".local/share") },
  });
  const manifest = JSON.parse(
    readFileSync(join(home, ".mozilla/native-messaging-hosts/com.jpki_guard.bridge.json"), "utf8"),
  ) as { allowed_extensions: string[] };
  expect(manifest.allowed_extensions).toEqual([FIREFOX_ADDON_ID]);
  browser = await launchFirefox(
    home,
    { [FIREFOX_ADDON_ID]: UUID, [BANNER_READER_ID]: BANNER_READER_UUID },
    { env: { JG_TEST_MARK: MARK }, prefs: { "extensions.background.idle.timeout": IDLE_MS } },
  );
  await browser.installExtension(EXT);
  await browser.installExtension(bannerReaderExtension(join(home, "reader")));
  const options = await extensionPage(browser, `moz-extension://${UUID}/options.html`);
  await setPlatformFrom(options, WINDOWS_FIREFOX);
  await options.close();
}, 120_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await rig?.stop();
  server?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe("Firefox suspends the background (firefox-esr, the host installed for the user)", () => {
  it("after a suspension the next portal page, popup-state and the popup show the card as it is now; exactly one host; none after the browser closes", async () => {
    expect(hosts()).toEqual([]);
    const first = await browser.newPage();
    await first.goto(`https://myna.go.jp:${port}/`);
    expect(await first.evaluate(() => [location.hostname, document.title])).toEqual([
      "myna.go.jp",
      "マイナポータル (fixture)",
    ]);
    const before = await bannerUntil(
      (t) => t?.includes("利用者証明用電子証明書の有効期限は") ?? false,
      "the renewal-window banner",
    );
    expect(before).not.toContain("あと1回間違えると");
    expect(hosts()).toHaveLength(1);

    // Mark the background as it is now, then let it go: no portal tab, no extension page open.
    const options = await extensionPage(browser, `moz-extension://${UUID}/options.html`);
    expect(await backgroundMark(options, "before the suspension")).toEqual({
      page: "/_generated_background_page.html",
      mark: null,
    });
    await options.close();
    await first.close();
    // The card changes while nothing of ours runs: one authentication PIN try left.
    await rig.swap(await card("auth-pin-1-left"));
    const swapped = Date.now();
    // The host ends with its port (at the latest 60 s after the last reason; sooner if the page is suspended).
    const t0 = Date.now();
    await until(
      async () => hosts().length,
      (n) => n === 0,
      "the host to end",
      75_000,
    );
    console.log(`firefox: the host ended ${Date.now() - t0} ms after the last portal tab closed`);
    // The deliberate wait: reading the marker now would wake the background (see the file's comment).
    await new Promise((r) => setTimeout(r, 3 * IDLE_MS));

    const next = await browser.newPage();
    await next.goto(`https://myna.go.jp:${port}/`);
    const after = await bannerUntil(
      (t) => t?.includes("あと1回間違えるとロックされます") ?? false,
      "the new card's banner after the suspension",
    );
    // The new card's state only: nothing of the card that was read before the suspension.
    expect(after).not.toContain("有効期限は");
    const [pid] = hosts();
    expect(pid).toBeDefined();

    const page = await extensionPage(browser, `moz-extension://${UUID}/options.html`);
    // The background that answered is a new start: the marker put in before the wait is gone.
    expect(await backgroundMark(page, null)).toEqual({ page: "/_generated_background_page.html", mark: null });
    const judged = await until(
      () => popupState(page),
      (s) => s.live && s.checklist.some((e) => e.code === "auth-pin-last-try"),
      "popup-state with the new card, live",
    );
    // Its reading is one taken after the card changed (asOf: the time of the last status).
    expect(Date.parse(judged.asOf ?? "")).toBeGreaterThanOrEqual(swapped);
    expect(judged.checklist.map((e) => e.code)).not.toContain("auth-cert-renewal-window");

    const popup = await extensionPage(browser, `moz-extension://${UUID}/popup.html`);
    const shown = await until(
      () => popup.evaluate(() => document.querySelector("main")?.innerText ?? ""),
      (t) => t.includes("残り 1 回 / 3 回"),
      "the popup with the new card",
    );
    expect(shown).not.toContain("更新できる期間に入っています");
    expect(await popup.$$eval("#as-of", (es) => es.length)).toBe(0);
    // Exactly one host, the same one that served the portal page (no second one, no restart).
    expect(hosts()).toEqual([pid]);

    await browser.close();
    await until(
      async () => hosts().length,
      (n) => n === 0,
      "no orphan host after the browser closed",
    );
  }, 170_000);
});

/**
 * firefox-esr helpers (official-app-firefox.test.ts and
 * page-untouched-firefox.test.ts, with no host and no pcscd;
 * firefox-lifecycle.test.ts, with both): Debian's firefox-esr driven by
 * puppeteer-core over WebDriver BiDi, the Mynaportal fixture reached over
 * local TLS, a test platform set from one of our extension pages, and the
 * banner's text read by a small test-only add-on (below).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "puppeteer-core";
import { TEST_PLATFORM_KEY, type TestPlatform, until } from "./browser.js";

export const FIREFOX = "/usr/bin/firefox-esr";

/**
 * Launch firefox-esr on a fresh profile in `home`. `uuids`: add-on id -> the
 * moz-extension:// host it gets (fixed, so its pages can be opened by URL).
 * `myna.go.jp` resolves to this machine (`network.dns.localDomains`: Firefox
 * has no host-resolver rules; content-script match patterns ignore the
 * port, so the fixture's loopback port does) and its self-signed
 * certificate is accepted (the session's acceptInsecureCerts). MV3 content
 * scripts need their host permission granted: Firefox grants the
 * `content_scripts` matches at install when
 * `extensions.originControls.grantByDefault` is true (firefox-esr's default,
 * set here all the same: with it false, neither our content script nor a
 * fake's runs, even in these temporary installs; seen with 153 ESR,
 * 2026-12-01).
 * `o.env`: more of Firefox's environment, which the native hosts it starts
 * inherit (e.g. JG_TEST_MARK, browser.ts hostProcesses); `o.prefs`: more
 * preferences (e.g. `extensions.background.idle.timeout`).
 */
export async function launchFirefox(
  home: string,
  uuids: Record<string, string>,
  o: { env?: Record<string, string>; prefs?: Record<string, unknown> } = {},
): Promise<Browser> {
  mkdirSync(join(home, "profile"), { recursive: true });
  const puppeteer = (await import("puppeteer-core")).default;
  return puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX,
    headless: true,
    userDataDir: join(home, "profile"),
    acceptInsecureCerts: true,
    // moz-extension:// pages can be opened over BiDi only with this flag.
    args: ["--remote-allow-system-access"],
    env: { ...process.env, HOME: home, ...o.env },
    extraPrefsFirefox: {
      "extensions.webextensions.uuids": JSON.stringify(uuids),
      "extensions.originControls.grantByDefault": true,
      "network.dns.localDomains": "myna.go.jp",
      "datareporting.policy.dataSubmissionEnabled": false,
      ...o.prefs,
    },
  });
}

/**
 * Open one of an add-on's pages and wait until its `browser` API answers
 * (goto may not settle on an extension page: start it, then poll).
 */
export async function extensionPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  void page.goto(url).catch(() => undefined);
  await until(
    () =>
      page
        .evaluate(() => typeof (globalThis as unknown as { browser?: { runtime?: unknown } }).browser?.runtime)
        .catch(() => "not yet"),
    (t) => t === "object",
    `${url} to load`,
    30_000,
  );
  return page;
}

/** Set the platform our e2e build judges (browser.ts TEST_PLATFORM_KEY), from one of our extension pages. */
export async function setPlatformFrom(page: Page, platform: TestPlatform): Promise<void> {
  await page.evaluate(
    async (key: string, value: TestPlatform) => {
      await (
        globalThis as unknown as { browser: { storage: { local: { set(o: object): Promise<void> } } } }
      ).browser.storage.local.set({ [key]: value });
    },
    TEST_PLATFORM_KEY,
    platform,
  );
}

/** What the popup is told (popup-state), asked from one of our extension pages as the popup asks; typed by the caller. */
export function popupStateFrom<T>(page: Page): Promise<T> {
  return page.evaluate(() =>
    (
      globalThis as unknown as { browser: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }
    ).browser.runtime.sendMessage({ type: "popup-state" }),
  ) as Promise<T>;
}

/** The banner reader's add-on id and moz-extension:// host. */
export const BANNER_READER_ID = "banner-reader@jpki-guard.invalid";
export const BANNER_READER_UUID = "0b9d2c3e-6a71-4f58-9e2d-7c4b1a0f3e86";

/**
 * A test-only add-on that reads our banner's text. The banner lives in a
 * closed shadow root, which no page script can open, and Firefox has no CDP
 * to pierce it; but Firefox gives extensions' content scripts
 * `Element.openOrClosedShadowRoot`. Its content script (Mynaportal pages)
 * reads the text every 100 ms — never writing to the page, sending or
 * listening to any event — and keeps the latest reading in its own
 * storage.local as `{ banner, at }`: `banner` null when there is no
 * `<jpki-guard-banner>`, its text nodes outside `<style>` one a line
 * otherwise (as browser.ts bannerText does in Chromium), "(no shadow root)"
 * if the root could not be opened.
 */
export function bannerReaderExtension(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "manifest.json"),
    JSON.stringify({
      manifest_version: 3,
      name: "jpki-guard banner reader (test)",
      version: "1.0.0",
      permissions: ["storage"],
      content_scripts: [{ matches: ["https://myna.go.jp/*"], js: ["content.js"], run_at: "document_start" }],
      browser_specific_settings: { gecko: { id: BANNER_READER_ID } },
    }),
  );
  writeFileSync(
    join(dir, "content.js"),
    `const text = (root) => {
  const parts = [];
  const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = w.nextNode(); n; n = w.nextNode()) if (n.parentNode.nodeName !== "STYLE") parts.push(n.nodeValue);
  return parts.join("\\n");
};
setInterval(() => {
  const host = document.querySelector("jpki-guard-banner");
  const root = host && host.openOrClosedShadowRoot;
  browser.storage.local.set({ banner: host ? (root ? text(root) : "(no shadow root)") : null, at: Date.now() });
}, 100);
`,
  );
  writeFileSync(join(dir, "page.html"), '<!doctype html><meta charset="utf-8"><title>banner reader</title>');
  return dir;
}

/**
 * The banner's text as the reader saw it at `since` or later (null: no
 * banner). Fails if the reader never ran on the page.
 */
export async function readBanner(browser: Browser, since: number): Promise<string | null> {
  const page = await extensionPage(browser, `moz-extension://${BANNER_READER_UUID}/page.html`);
  try {
    const seen = await until(
      () =>
        page.evaluate(() =>
          (
            globalThis as unknown as {
              browser: { storage: { local: { get(k: null): Promise<{ banner?: string | null; at?: number }> } } };
            }
          ).browser.storage.local.get(null),
        ),
      (s) => typeof s.at === "number" && s.at >= since,
      "the banner reader's reading",
      15_000,
    );
    return seen.banner ?? null;
  } finally {
    await page.close();
  }
}

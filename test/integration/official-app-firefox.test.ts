/**
 * The official Mynaportal app, seen from the page (issue 23, item 1), in
 * Debian's firefox-esr with no card, no host and no pcscd: the three cases
 * of official-app.test.ts (Chromium), on the same fixture page with the
 * same fake official extension (official-app-fixture.ts; here a temporary
 * MV3 add-on with a test id), beside the Firefox e2e build, driven by
 * puppeteer-core over WebDriver BiDi (firefox-browser.ts):
 *   - fake adding both inputs: no finding, no banner;
 *   - no fake: "official extension not found";
 *   - fake adding the extension's input only: "official app not found";
 * and Firefox on Linux as it is: no official app exists there, so the
 * banner says card login has no official path and names the QR login.
 * `myna.go.jp` resolves to the loopback fixture server (a pref, not host
 * rules) and the test checks that the fixture page itself loaded. The
 * platform is Windows and Firefox, set from our options page. What our
 * background judged is read through popup-state from that page, as the
 * popup reads it; the banner's text (a closed shadow root) by a test-only
 * reader add-on through `openOrClosedShadowRoot`, which Firefox gives
 * extensions' content scripts only. One profile per case.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { FIREFOX_ADDON_ID } from "@jpki-guard/shared/ids";
import type { Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E2E_EXTENSION, LINUX_FIREFOX, until, WINDOWS_FIREFOX } from "./browser.js";
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
import {
  fakeOfficialExtension,
  fixturePortal,
  inputsOf,
  OFFICIAL_APP_CASES,
  type PageState,
} from "./official-app-fixture.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const EXT = join(ROOT, E2E_EXTENSION.firefox);
const UUID = "5d0c4b1e-3f2a-4e6b-9c7d-1a2b3c4d5e6f";

let home: string;
let server: Server;
let port: number;

beforeAll(async () => {
  if (!existsSync(FIREFOX)) throw new Error("firefox-esr is not installed (scripts/test.sh installs it)");
  if (!existsSync(join(EXT, "manifest.json"))) throw new Error(`${EXT} is missing: run pnpm build first`);
  home = mkdtempSync(join(tmpdir(), "jg-official-ff-"));
  ({ server, port } = await fixturePortal(home));
}, 60_000);

afterAll(async () => {
  server?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe("the official Mynaportal app, seen from the page (firefox-esr, no host)", () => {
  it.each(OFFICIAL_APP_CASES)(
    "%s",
    async (_name, fake, codes) => {
      const dir = join(home, `run-${fake}`);
      const browser: Browser = await launchFirefox(dir, {
        [FIREFOX_ADDON_ID]: UUID,
        [BANNER_READER_ID]: BANNER_READER_UUID,
      });
      try {
        await browser.installExtension(EXT);
        if (fake !== "none")
          await browser.installExtension(fakeOfficialExtension(join(dir, "fake"), fake === "both", "firefox"));
        await browser.installExtension(bannerReaderExtension(join(dir, "reader")));
        const options = await extensionPage(browser, `moz-extension://${UUID}/options.html`);
        await setPlatformFrom(options, WINDOWS_FIREFOX);

        const page = await browser.newPage();
        await page.goto(`https://myna.go.jp:${port}/`);
        // The fixture itself, under its own name (not an error page).
        expect(await page.evaluate(() => [location.hostname, document.title])).toEqual([
          "myna.go.jp",
          "マイナポータル (fixture)",
        ]);

        // The portal tab opened last is the fixture page: popup-state carries its findings.
        const state = await until(
          () => popupStateFrom<{ page: PageState }>(options),
          (s) => s.page.officialAppChecked,
          "the page's report of the official extension and app",
          30_000,
        );
        // A reading taken a second after the background had judged: the banner has been drawn by then.
        const banner = await readBanner(browser, Date.now() + 1000);
        // The hidden inputs the page carries: the fake's content script ran (or there was none).
        const inputs = await page.$$eval("input[type=hidden]", (es) => es.map((e) => e.id));

        expect(inputs).toEqual(inputsOf(fake));
        expect(state.page.portal).toBe("mynaportal");
        expect(state.page.findings.map((f) => f.code)).toEqual(codes);
        if (codes.length === 0) expect(banner).toBeNull();
        else {
          // Our content script ran and drew the banner: it says what was not found, never that it is not installed.
          expect(banner).toContain("見つかりませんでした");
          expect(banner).not.toContain("入っていません");
        }
      } finally {
        await browser.close();
      }
    },
    90_000,
  );

  it("on Linux: the banner says there is no official way to log in with the card and names the QR login; nothing about installing the app", async () => {
    const dir = join(home, "run-linux");
    const browser: Browser = await launchFirefox(dir, {
      [FIREFOX_ADDON_ID]: UUID,
      [BANNER_READER_ID]: BANNER_READER_UUID,
    });
    try {
      await browser.installExtension(EXT);
      await browser.installExtension(bannerReaderExtension(join(dir, "reader")));
      const options = await extensionPage(browser, `moz-extension://${UUID}/options.html`);
      await setPlatformFrom(options, LINUX_FIREFOX);
      const page = await browser.newPage();
      await page.goto(`https://myna.go.jp:${port}/`);
      const state = await until(
        () => popupStateFrom<{ page: PageState }>(options),
        (s) => s.page.officialAppChecked,
        "the page's report",
        30_000,
      );
      expect(state.page.findings.map((f) => f.code)).toEqual(["env-no-official-app"]);
      const banner = await readBanner(browser, Date.now() + 1000);
      expect(banner).toContain(
        "Linux では、マイナンバーカードとカードリーダでマイナポータルにログインする公式の方法はありません。",
      );
      expect(banner).toContain("2次元バーコード");
      expect(banner).not.toMatch(/アプリをインストール/);
    } finally {
      await browser.close();
    }
  }, 90_000);
});

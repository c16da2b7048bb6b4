/**
 * Our content script leaves a portal page as it was (issue 23, item 6), in
 * Debian's firefox-esr: page-untouched.test.ts (Chromium) again, driven by
 * puppeteer-core over WebDriver BiDi (firefox-browser.ts). The same local
 * https "Mynaportal" page (official-app-fixture.ts fixturePortal; the name
 * resolves to loopback through a pref) is loaded in two firefox-esr
 * profiles: one without and one with the Firefox release build
 * (extension/.output/firefox-mv3, what ships: no test platform hook, so it
 * judges this machine as it is, Linux and Firefox, and shows the
 * environment's banner on Mynaportal without a card). No card bridge is
 * installed and no pcscd is needed.
 *
 * The page's own first script, inline in its <head> (page-recorder.ts,
 * shared with the Chromium test), records every event it can see on
 * `window` and `document` (every `on*` event type Firefox names, plus
 * WXT's start-up event under our add-on id and the official extension's
 * names) and every DOM mutation; events, mutations and the DOM outside
 * `<jpki-guard-banner>` must be identical in both runs.
 *
 * The "with" run proves our content script ran (else the comparison would
 * prove nothing): the test-only banner reader add-on (firefox-browser.ts;
 * it reads the closed shadow root through `openOrClosedShadowRoot`, never
 * writes to the page, sends or listens to any event) reads the Linux
 * banner, and popup-state, asked from our options page, names the tab's
 * portal and says the official inputs were read. The reader is a second
 * add-on with a content script on the page, so it is installed in BOTH
 * runs: the only difference between them is our extension.
 *
 * `/forge`: the page dispatches WXT's start-up event under our add-on id and
 * under the generic name before our script starts (at `document_idle`) and
 * for 2 s after: the page is still untouched and the banner still appears
 * (our script is not a WXT content script: nothing listens for that event).
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { FIREFOX_ADDON_ID } from "@jpki-guard/shared/ids";
import type { Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BANNER_READER_ID,
  BANNER_READER_UUID,
  bannerReaderExtension,
  extensionPage,
  FIREFOX,
  launchFirefox,
  popupStateFrom,
  readBanner,
} from "./firefox-browser.js";
import { fixturePortal, type PageState } from "./official-app-fixture.js";
import { announcementTypes, forgeScript, type PageRecord, READ_RECORD, recordedPage } from "./page-recorder.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const EXT = join(ROOT, "extension/.output/firefox-mv3");
const UUID = "8e1f6a2d-4c3b-4a5e-9f7d-2b6c1e0a9d35";
const TYPES = announcementTypes(FIREFOX_ADDON_ID);
const FORGED = [`${FIREFOX_ADDON_ID}:portal:wxt:content-script-started`, "wxt:content-script-started"];

const PAGES: Record<string, string> = {
  "/": recordedPage(
    TYPES,
    "マイナポータル (test)",
    "<h1>マイナポータル</h1><p>テスト用のページです。</p><button>ログイン</button>",
  ),
  "/forge": recordedPage(TYPES, "forged", `<h1>forged start-up event</h1>${forgeScript(FORGED)}`),
};

/** The first sentence of the environment's banner on Linux (shared/src/environment.ts, env-no-official-app). */
const LINUX_LEAD = "Linux では、マイナンバーカードとカードリーダでマイナポータルにログインする公式の方法はありません。";

let home: string;
const servers: Server[] = [];
const ports: Record<string, number> = {};
let without: Browser;
let withExt: Browser;

/** A firefox-esr profile with the banner reader and, for `ours`, our release build. */
async function firefox(name: string, ours: boolean): Promise<Browser> {
  const dir = join(home, name);
  // The same prefs in both runs (our id's fixed host included), so that only the add-on differs.
  const browser = await launchFirefox(dir, { [FIREFOX_ADDON_ID]: UUID, [BANNER_READER_ID]: BANNER_READER_UUID });
  if (ours) await browser.installExtension(EXT);
  await browser.installExtension(bannerReaderExtension(join(dir, "reader")));
  return browser;
}

beforeAll(async () => {
  if (!existsSync(FIREFOX)) throw new Error("firefox-esr is not installed (scripts/test.sh installs it)");
  if (!existsSync(join(EXT, "manifest.json"))) throw new Error(`${EXT} is missing: run pnpm build first`);
  home = mkdtempSync(join(tmpdir(), "jg-untouched-ff-"));
  for (const [path, page] of Object.entries(PAGES)) {
    const { server, port } = await fixturePortal(home, page);
    servers.push(server);
    ports[path] = port;
  }
  [without, withExt] = await Promise.all([firefox("without", false), firefox("with", true)]);
}, 120_000);

afterAll(async () => {
  await without?.close();
  await withExt?.close();
  for (const s of servers) s.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

/**
 * Load the page and let it settle: our script runs at document_idle, asks
 * the background for its banner, then on Mynaportal reads the official
 * extension's inputs 3 s after the page has loaded and asks again; 5 s
 * covers both. Then read the page's record, and only then (a new tab, so
 * after the record) the banner reader's reading and, with our extension,
 * popup-state.
 */
async function visit(
  browser: Browser,
  path: string,
  ours: boolean,
): Promise<{ record: PageRecord; banner: string | null; state: PageState | null; page: [string, string] }> {
  const page = await browser.newPage();
  try {
    await page.goto(`https://myna.go.jp:${ports[path]}${path}`, { waitUntil: "load" });
    const where = (await page.evaluate(() => [location.hostname, document.title])) as [string, string];
    await new Promise((r) => setTimeout(r, 5000));
    const record = (await page.evaluate(READ_RECORD)) as PageRecord;
    const banner = await readBanner(browser, Date.now());
    let state: PageState | null = null;
    if (ours) {
      const options = await extensionPage(browser, `moz-extension://${UUID}/options.html`);
      state = (await popupStateFrom<{ page: PageState }>(options)).page;
      await options.close();
    }
    return { record, banner, state, page: where };
  } finally {
    await page.close();
  }
}

describe("a portal page with and without jpki-guard (firefox-esr, release build, no host)", () => {
  for (const path of ["/", "/forge"]) {
    it(`${path}: the same events on window and document, the same DOM and mutations outside our banner`, async () => {
      const a = await visit(without, path, false);
      const b = await visit(withExt, path, true);
      // The fixture page itself, under its own name, in both runs (not an error page).
      expect(a.page[0]).toBe("myna.go.jp");
      expect(b.page).toEqual(a.page);
      // The recorder listened to Firefox's whole list of event types (hundreds), not a handful.
      expect(a.record.types).toBeGreaterThan(100);
      expect(a.record.events).toContain("window load ");
      if (path === "/forge")
        expect(a.record.events.filter((e) => e.includes("content-script-started") && e.includes("forged")).length).toBe(
          2 * 2 * 11,
        );
      // Without us the reader ran and saw no banner; with us our content script ran and drew the Linux banner,
      // and the background judged this tab (the official inputs were read, on Linux no app finding).
      expect(a.banner).toBeNull();
      expect(b.banner).toContain(LINUX_LEAD);
      expect(b.state?.portal).toBe("mynaportal");
      expect(b.state?.officialAppChecked).toBe(true);
      expect(b.state?.findings.map((f) => f.code)).toEqual(["env-no-official-app"]);
      // And the page saw nothing of it.
      expect(b.record.events).toEqual(a.record.events);
      expect(b.record.mutations).toEqual(a.record.mutations);
      expect(b.record.dom).toBe(a.record.dom);
      expect(b.record.events.some((e) => e.includes("content-script-started") && !e.includes("forged"))).toBe(false);
    }, 90_000);
  }
});

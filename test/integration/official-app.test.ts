/**
 * The official Mynaportal app, seen from the page (issue 23, item 1), in
 * Debian's Chromium with no card, no host and no pcscd. A local https
 * "Mynaportal" page (the fixture: it only carries the page's side of the
 * contract, nothing that answers) is loaded with our e2e build beside a
 * small fake of the official extension (test code, never shipped;
 * official-app-fixture.ts, shared with official-app-firefox.test.ts, the
 * same cases in firefox-esr): an MV3 content script that adds the hidden inputs
 * `#extension-is-installed` and `#app-is-installed` as the official one
 * does (facts: docs/guidance-sources.md). What our background judged is
 * read through the popup-state message, as the popup reads it:
 *   - fake adding both inputs: no finding;
 *   - no fake: "official extension not found";
 *   - fake adding the extension's input only: "official app not found".
 * The platform is Windows and Chrome (the e2e build's test platform), where
 * the official app exists.
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROME_EXTENSION_ID } from "@jpki-guard/shared/ids";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bannerText, E2E_EXTENSION, launch, setPlatform, until, WINDOWS_CHROME, worker } from "./browser.js";
import {
  fakeOfficialExtension,
  fixturePortal,
  inputsOf,
  OFFICIAL_APP_CASES,
  type PageState,
} from "./official-app-fixture.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const EXT = join(ROOT, E2E_EXTENSION.chrome);
const EXT_ID = CHROME_EXTENSION_ID;

let home: string;
let server: Server;
let port: number;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "jg-official-"));
  ({ server, port } = await fixturePortal(home));
}, 60_000);

afterAll(async () => {
  server?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

/** Open the fixture page, then read what the background judged once the page has reported. */
async function judged(context: BrowserContext): Promise<{ page: PageState; banner: string | null; inputs: string[] }> {
  await setPlatform(await worker(context, EXT_ID), WINDOWS_CHROME);
  const page = await context.newPage();
  await page.goto("https://myna.go.jp/");
  const reader = await context.newPage();
  await reader.goto(`chrome-extension://${EXT_ID}/options.html`);
  // The portal tab opened last is the fixture page: popup-state carries its findings.
  const state = await until(
    () =>
      reader.evaluate(() =>
        (
          globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<{ page: PageState }> } } }
        ).chrome.runtime.sendMessage({ type: "popup-state" }),
      ),
    (s) => s.page.officialAppChecked,
    "the page's report of the official extension and app",
    30_000,
  );
  await reader.close();
  const banner = await bannerText(page);
  // The hidden inputs the page carries (what the fake added, if it ran).
  const inputs = await page.$$eval("input[type=hidden]", (es) => es.map((e) => e.id));
  await page.close();
  return { page: state.page, banner, inputs };
}

describe("the official Mynaportal app, seen from the page (Chromium, no host)", () => {
  it.each(OFFICIAL_APP_CASES)(
    "%s",
    async (_name, fake, codes) => {
      const dir = join(home, `run-${fake}`);
      const exts =
        fake === "none" ? EXT : `${EXT},${fakeOfficialExtension(join(dir, "fake"), fake === "both", "chrome")}`;
      const context = await launch(join(dir, "profile"), port, exts);
      try {
        const { page, banner, inputs } = await judged(context);
        expect(inputs).toEqual(inputsOf(fake));
        expect(page.portal).toBe("mynaportal");
        expect(page.findings.map((f) => f.code)).toEqual(codes);
        if (codes.length === 0) expect(banner).toBeNull();
        else {
          // The banner says what was not found, never that it is not installed.
          expect(banner).toContain("見つかりませんでした");
          expect(banner).not.toContain("入っていません");
        }
      } finally {
        await context.close();
      }
    },
    90_000,
  );
});

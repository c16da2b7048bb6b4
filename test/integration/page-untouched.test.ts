/**
 * Our content script leaves a portal page as it was (issue 23, item 6).
 * Debian's Chromium loads the same local https "Mynaportal" page twice: once
 * without any extension and once with the built jpki-guard extension. No
 * card bridge is installed and no pcscd is needed. (The release build on
 * this Linux machine shows the environment's banner on Mynaportal even
 * without a card; a card's banner: page-forged-event.test.ts, with pcscd.)
 *
 * The page records, from its first script on (inline in its <head>), every
 * event it can see on `window` and on `document`: a capturing listener for
 * every event type the browser names (every `on*` property of window,
 * Document and HTMLElement) and for the names an extension could use to
 * announce itself (WXT's start-up event with our public id, the official
 * Mynaportal extension's names). It also records every DOM mutation and the
 * final DOM outside our banner's host element. Both runs must be identical.
 * The recorder is shared with firefox-esr's test
 * (page-untouched-firefox.test.ts): page-recorder.ts.
 *
 * The "with" run proves the content script ran (its isolated world appears
 * on the page through the DevTools protocol and the background counted the
 * tab): otherwise the comparison would pass without testing anything.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROME_EXTENSION_ID } from "@jpki-guard/shared/ids";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch, selfSignedTls, worker } from "./browser.js";
import { announcementTypes, forgeScript, type PageRecord, READ_RECORD, recordedPage } from "./page-recorder.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const EXT = join(ROOT, "extension/.output/chrome-mv3");
if (!existsSync(join(EXT, "manifest.json"))) throw new Error(`${EXT} is missing: run pnpm build first`);
const EXT_ID = CHROME_EXTENSION_ID;

const TYPES = announcementTypes(EXT_ID);

const PAGES: Record<string, string> = {
  "/": recordedPage(
    TYPES,
    "マイナポータル (test)",
    "<h1>マイナポータル</h1><p>テスト用のページです。</p><button>ログイン</button>",
  ),
  // A page that forges WXT's start-up event with our public id, before and after our script starts.
  "/forge": recordedPage(
    TYPES,
    "forged",
    `<h1>forged start-up event</h1>${forgeScript([`${EXT_ID}:portal:wxt:content-script-started`])}`,
  ),
};

let home: string;
let server: Server;
let port: number;
let withExt: BrowserContext;
let without: BrowserContext;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "jg-untouched-"));
  server = createServer(selfSignedTls(home), (req, res) => {
    const page = PAGES[(req.url ?? "/").split("?")[0]!];
    res.writeHead(page ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
    res.end(page ?? "not found");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
  withExt = await launch(join(home, "with"), port, EXT);
  await worker(withExt, EXT_ID);
  without = await launch(join(home, "without"), port, null);
}, 120_000);

afterAll(async () => {
  await withExt?.close();
  await without?.close();
  server?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

/** Load the page, let it settle (our script runs at document_idle, then asks the background), read its record. */
async function visit(ctx: BrowserContext, path: string): Promise<{ record: PageRecord; extensionWorlds: number }> {
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  let extensionWorlds = 0;
  cdp.on("Runtime.executionContextCreated", (e: { context: { origin: string } }) => {
    if (e.context.origin === `chrome-extension://${EXT_ID}`) extensionWorlds++;
  });
  await cdp.send("Runtime.enable");
  await page.goto(`https://myna.go.jp${path}`);
  await page.waitForLoadState("load");
  await page.waitForTimeout(3000);
  const record = (await page.evaluate(READ_RECORD)) as PageRecord;
  await cdp.detach();
  await page.close();
  return { record, extensionWorlds };
}

describe("a portal page with and without jpki-guard", () => {
  for (const path of ["/", "/forge"]) {
    it(`${path}: the same events on window and document, the same DOM and mutations outside our banner`, async () => {
      const a = await visit(without, path);
      const b = await visit(withExt, path);
      // The recorder listened to the browser's whole list of event types (hundreds), not a handful.
      expect(a.record.types).toBeGreaterThan(100);
      expect(a.record.events).toContain("window load ");
      expect(a.extensionWorlds).toBe(0);
      // Our content script did run in the second browser.
      expect(b.extensionWorlds).toBeGreaterThan(0);
      expect(b.record.events).toEqual(a.record.events);
      expect(b.record.mutations).toEqual(a.record.mutations);
      expect(b.record.dom).toBe(a.record.dom);
      expect(b.record.events.some((e) => e.includes("content-script-started") && !e.includes("forged"))).toBe(false);
    });
  }
});

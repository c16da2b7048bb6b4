/**
 * The official Mynaportal app, seen from the page (issue 23, item 1), in
 * Debian's Chromium with no card, no host and no pcscd. A local https
 * "Mynaportal" page (the fixture: it only carries the page's side of the
 * contract, nothing that answers) is loaded with our e2e build beside a
 * small fake of the official extension (test code written here, never
 * shipped): an MV3 content script that adds the hidden inputs
 * `#extension-is-installed` and `#app-is-installed` as the official one
 * does (facts: docs/guidance-sources.md). What our background judged is
 * read through the popup-state message, as the popup reads it:
 *   - fake adding both inputs: no finding;
 *   - no fake: "official extension not found";
 *   - fake adding the extension's input only: "official app not found".
 * The platform is Windows and Chrome (the e2e build's test platform), where
 * the official app exists.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROME_EXTENSION_ID } from "@jpki-guard/shared/ids";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bannerText,
  E2E_EXTENSION,
  launch,
  selfSignedTls,
  setPlatform,
  until,
  WINDOWS_CHROME,
  worker,
} from "./browser.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const EXT = join(ROOT, E2E_EXTENSION.chrome);
const EXT_ID = CHROME_EXTENSION_ID;

/** The fixture Mynaportal page: a login button and nothing else of ours or theirs. */
const PAGE = `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>マイナポータル (fixture)</title></head>
<body><h1>マイナポータル</h1><p>ログインにはマイナポータルアプリが必要です。</p><button id="login">ログイン</button></body></html>`;

/**
 * A fake official extension: adds the hidden inputs to Mynaportal pages (the Windows app's value when
 * `app`). Unpacked into a temporary folder; its id is whatever Chromium gives it.
 */
function fakeOfficialExtension(dir: string, app: boolean): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "manifest.json"),
    JSON.stringify({
      manifest_version: 3,
      name: "fake official Mynaportal extension (test)",
      version: "29.0.0",
      content_scripts: [{ matches: ["https://myna.go.jp/*"], js: ["content.js"], run_at: "document_end" }],
    }),
  );
  writeFileSync(
    join(dir, "content.js"),
    `const add = (id, value) => { const i = document.createElement("input"); i.type = "hidden"; i.id = id; i.value = value; document.body.append(i); };
add("extension-is-installed", "29");
${app ? 'add("app-is-installed", "29");' : ""}
`,
  );
  return dir;
}

let home: string;
let server: Server;
let port: number;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "jg-official-"));
  server = createServer(selfSignedTls(home), (_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(PAGE);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
}, 60_000);

afterAll(async () => {
  server?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

interface PageState {
  portal: string | null;
  findings: Array<{ code: string; text: { ja: string } }>;
  officialAppChecked: boolean;
}

/** Open the fixture page, then read what the background judged once the page has reported. */
async function judged(context: BrowserContext): Promise<{ page: PageState; banner: string | null }> {
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
  await page.close();
  return { page: state.page, banner };
}

describe("the official Mynaportal app, seen from the page (Chromium, no host)", () => {
  const cases: Array<[string, "both" | "none" | "extension-only", string[]]> = [
    ["the official extension and app are there: no finding", "both", []],
    ["no official extension: 'not found'", "none", ["official-extension-not-detected"]],
    ["the extension's input only: 'app not found'", "extension-only", ["official-app-not-detected"]],
  ];
  it.each(cases)(
    "%s",
    async (_name, fake, codes) => {
      const dir = join(home, `run-${fake}`);
      const exts = fake === "none" ? EXT : `${EXT},${fakeOfficialExtension(join(dir, "fake"), fake === "both")}`;
      const context = await launch(join(dir, "profile"), port, exts);
      try {
        const { page, banner } = await judged(context);
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

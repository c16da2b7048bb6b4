/**
 * What the official-app tests share between Chromium (official-app.test.ts)
 * and firefox-esr (official-app-firefox.test.ts): the fixture Mynaportal
 * page served over local https, the small fake of the official Mynaportal
 * extension (test code, never shipped), the three cases and what the
 * background's popup-state says of the page. (fixturePortal also serves
 * page-untouched-firefox.test.ts's pages.)
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { selfSignedTls } from "./browser.js";

/** The fixture Mynaportal page: a login button and nothing else of ours or theirs. */
export const OFFICIAL_APP_PAGE = `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>マイナポータル (fixture)</title></head>
<body><h1>マイナポータル</h1><p>ログインにはマイナポータルアプリが必要です。</p><button id="login">ログイン</button></body></html>`;

/**
 * Serve the fixture page (or `page`) on a loopback port, over TLS with a
 * self-signed certificate for myna.go.jp (key in `dir`).
 */
export async function fixturePortal(dir: string, page = OFFICIAL_APP_PAGE): Promise<{ server: Server; port: number }> {
  const server = createServer(selfSignedTls(dir), (_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(page);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, port: (server.address() as AddressInfo).port };
}

/** The fake official extension's Firefox add-on id (Firefox needs one to install an MV3 add-on; a test id). */
export const FAKE_OFFICIAL_GECKO_ID = "fake-official-mynaportal@jpki-guard.invalid";

/**
 * A fake official extension: an MV3 content script that adds the hidden
 * inputs to Mynaportal pages as the official one does (the Windows app's
 * value too when `app`; facts: docs/guidance-sources.md). Written into `dir`
 * and returned: Chromium loads it unpacked (its id is whatever Chromium
 * gives it), Firefox installs it as a temporary add-on (with a test id).
 */
export function fakeOfficialExtension(dir: string, app: boolean, browser: "chrome" | "firefox"): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "manifest.json"),
    JSON.stringify({
      manifest_version: 3,
      name: "fake official Mynaportal extension (test)",
      version: "29.0.0",
      content_scripts: [{ matches: ["https://myna.go.jp/*"], js: ["content.js"], run_at: "document_end" }],
      ...(browser === "firefox" ? { browser_specific_settings: { gecko: { id: FAKE_OFFICIAL_GECKO_ID } } } : {}),
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

/** Which fake runs beside ours: both inputs, none (no fake at all), or the extension's input only. */
export type FakeOfficial = "both" | "none" | "extension-only";

/** The three cases of issue 23: [name, fake, the finding codes the background must judge]. */
export const OFFICIAL_APP_CASES: Array<[string, FakeOfficial, string[]]> = [
  ["the official extension and app are there: no finding", "both", []],
  ["no official extension: 'not found'", "none", ["official-extension-not-detected"]],
  ["the extension's input only: 'app not found'", "extension-only", ["official-app-not-detected"]],
];

/** The inputs the fake adds to the page in each case (what the page must show once it has loaded). */
export function inputsOf(fake: FakeOfficial): string[] {
  return fake === "both"
    ? ["extension-is-installed", "app-is-installed"]
    : fake === "extension-only"
      ? ["extension-is-installed"]
      : [];
}

/** The part of popup-state these tests read: what the background judged of the portal tab opened last. */
export interface PageState {
  portal: string | null;
  findings: Array<{ code: string; text: { ja: string } }>;
  officialAppChecked: boolean;
}

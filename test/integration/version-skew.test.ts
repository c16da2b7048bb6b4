/**
 * Version skew (issue 22, item 5), in Debian's Chromium with the built
 * extension and the development host installed into a test profile: the
 * host is made to answer an older (0) or a newer (2) protocol version
 * (JPKI_GUARD_DEV_PROTOCOL, honoured only by the development build), and
 * the popup says, Japanese first, which part to update with the steps for
 * this OS. No card is read: the hello is refused before any request.
 */

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CHROME_EXTENSION_ID } from "@jpki-guard/shared/ids";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { badgeOf, e2ePaths, launch, selfSignedTls, setPlatform, until, WINDOWS_CHROME, worker } from "./browser.js";

const { CLI, EXT, SHOTS } = e2ePaths();
const EXT_ID = CHROME_EXTENSION_ID;

let home: string;
let server: Server;
let port: number;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "jg-skew-"));
  mkdirSync(SHOTS, { recursive: true });
  server = createServer(selfSignedTls(home), (_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end("<!doctype html><title>マイナポータル (test)</title><h1>マイナポータル</h1>");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
}, 60_000);

afterAll(async () => {
  server?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe("version skew between the extension and the host", () => {
  it.each([
    ["0", "older", "ブリッジを更新してください", "sudo apt install ./jpki-guard_", "通信の版: ブリッジ 0、拡張機能 1"],
    ["2", "newer", "拡張機能を更新してください", "chrome://extensions", "通信の版: ブリッジ 2、拡張機能 1"],
  ])(
    "a host answering protocol %s (%s): the popup names the part to update and how",
    async (protocol, _which, lead, step, versions) => {
      const profile = join(home, `profile-${protocol}`);
      execFileSync(process.execPath, [CLI, "install", "--browser", "chromium", "--chromium-user-data-dir", profile], {
        env: { ...process.env, HOME: home, XDG_DATA_HOME: join(home, ".local/share") },
      });
      const context = await launch(profile, port, EXT, { JPKI_GUARD_DEV_PROTOCOL: protocol });
      try {
        const sw = await worker(context, EXT_ID);
        await setPlatform(sw, WINDOWS_CHROME);
        const popup = await context.newPage();
        await popup.setViewportSize({ width: 420, height: 600 });
        await popup.goto(`chrome-extension://${EXT_ID}/popup.html`);
        const body = await until(
          () => popup.locator("main").innerText(),
          (t) => t.includes(lead),
          `the popup's version-skew message (protocol ${protocol})`,
        );
        expect(body).toContain(step);
        expect(body).toContain(versions);
        // Japanese first: the message is the popup's first alert.
        expect(await popup.locator("[role=alert]").first().innerText()).toContain(lead);
        await popup.screenshot({ path: join(SHOTS, `popup-version-skew-${protocol}.png`) });
        expect(await badgeOf(sw)).toBe("?");
        await popup.close();
      } finally {
        await context.close();
      }
    },
  );
});

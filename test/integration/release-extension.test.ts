/**
 * The README's steps for adding the extension before it is in a store, with
 * the very folders a citizen gets: the release's chrome zip, unpacked and
 * loaded in Debian's Chromium (developer mode, "Load unpacked"), keeps the id
 * the installed bridge allows; the firefox zip is a valid WebExtension for
 * firefox-esr (installed by firefox.test.ts from the same zip). Screenshots of
 * the extensions page with developer mode on go to test-results/ for the README.
 * Needs no card and no host.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROME_EXTENSION_ID, FIREFOX_ADDON_ID } from "@jpki-guard/shared/ids";
import { afterAll, describe, expect, it } from "vitest";
import { launch, worker } from "./browser.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const REL = join(ROOT, "dist/release");
const SHOTS = join(ROOT, "test-results");
const zip = (kind: string) => {
  const f = existsSync(REL) ? readdirSync(REL).find((z) => z.endsWith(`-${kind}.zip`)) : undefined;
  if (!f) throw new Error(`no ${kind} zip in dist/release: run bash scripts/package.sh`);
  return join(REL, f);
};
const home = mkdtempSync(join(tmpdir(), "jg-release-ext-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

function unpack(kind: string): string {
  const dir = join(home, kind);
  mkdirSync(dir, { recursive: true });
  execFileSync("unzip", ["-q", zip(kind), "-d", dir]);
  return dir;
}

describe("the release's extension zips, as the README says to add them", () => {
  it("Chrome/Edge: the unpacked chrome zip loads in Chromium with developer mode, with the id the bridge allows", async () => {
    const dir = unpack("chrome");
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
    expect(manifest.key).toBeTruthy(); // the development key fixes the id for developer-mode loading
    const profile = join(home, "profile");
    // Developer mode on, as the README's step says (the extensions page shows the id and the folder).
    mkdirSync(join(profile, "Default"), { recursive: true });
    writeFileSync(
      join(profile, "Default", "Preferences"),
      JSON.stringify({ extensions: { ui: { developer_mode: true } } }),
    );
    const ctx = await launch(profile, 9, dir);
    try {
      const sw = await worker(ctx, CHROME_EXTENSION_ID);
      expect(sw.url()).toBe(`chrome-extension://${CHROME_EXTENSION_ID}/background.js`);
      const popup = await ctx.newPage();
      await popup.goto(`chrome-extension://${CHROME_EXTENSION_ID}/popup.html`);
      await popup.waitForSelector("h1");
      expect(await popup.locator("h1").innerText()).toContain("jpki-guard");
      const page = await ctx.newPage();
      await page.setViewportSize({ width: 1100, height: 700 });
      await page.goto("chrome://extensions/");
      await page.waitForTimeout(1000);
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, "install-chromium-developer-mode.png") });
    } finally {
      await ctx.close();
    }
  });

  it("Firefox: the unpacked firefox zip installs in firefox-esr and its popup runs (with no bridge installed: the install page)", async () => {
    const dir = unpack("firefox");
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
    expect(manifest.browser_specific_settings.gecko.id).toBe(FIREFOX_ADDON_ID);
    expect(manifest.key).toBeUndefined();
    const UUID = "6e1d5c2f-4a3b-4f7c-8d9e-2b3c4d5e6f70";
    const puppeteer = (await import("puppeteer-core")).default;
    mkdirSync(join(home, "fx-profile"));
    const browser = await puppeteer.launch({
      browser: "firefox",
      executablePath: "/usr/bin/firefox-esr",
      headless: true,
      userDataDir: join(home, "fx-profile"),
      args: ["--remote-allow-system-access"],
      env: { ...process.env, HOME: home },
      extraPrefsFirefox: {
        "extensions.webextensions.uuids": JSON.stringify({ [FIREFOX_ADDON_ID]: UUID }),
        "datareporting.policy.dataSubmissionEnabled": false,
      },
    });
    try {
      await browser.installExtension(dir);
      const page = await browser.newPage();
      void page.goto(`moz-extension://${UUID}/popup.html`).catch(() => undefined);
      const deadline = Date.now() + 30_000;
      let title = "";
      while (Date.now() < deadline && !title.includes("jpki-guard")) {
        title = await page.evaluate(() => document.querySelector("h1")?.textContent ?? "").catch(() => "");
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(title).toContain("jpki-guard");
    } finally {
      await browser.close();
    }
  }, 90_000);
});

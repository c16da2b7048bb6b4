/**
 * Firefox for real: Debian's firefox-esr, driven by puppeteer-core over
 * WebDriver BiDi, loads the Firefox build of the extension (its e2e build, whose
 * platform the test sets; release-extension.test.ts installs the release zip); the installed
 * .deb's system manifest (/usr/lib/mozilla/native-messaging-hosts) starts the
 * installed host; the popup shows the virtual card's status through pcscd.
 */

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { FIREFOX_ADDON_ID } from "@jpki-guard/shared/ids";
import type { PcscdRig } from "@jpki-guard/virtual-card";
import type { Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E2E_EXTENSION, TEST_PLATFORM_KEY, type TestPlatform, WINDOWS_FIREFOX } from "./browser.js";
import { startRig } from "./helpers.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const EXT = join(ROOT, E2E_EXTENSION.firefox);
const FIREFOX = "/usr/bin/firefox-esr";
const ADDON_ID = FIREFOX_ADDON_ID;
const UUID = "5d0c4b1e-3f2a-4e6b-9c7d-1a2b3c4d5e6f";

let rig: PcscdRig;
let home: string;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(FIREFOX)) throw new Error("firefox-esr is not installed (scripts/test.sh installs it)");
  const rel = join(ROOT, "dist/release");
  const deb = existsSync(rel) ? readdirSync(rel).find((f) => /^jpki-guard_.*_amd64\.deb$/.test(f)) : undefined;
  if (!deb) throw new Error("no .deb in dist/release: run bash scripts/package.sh");
  execFileSync("dpkg", ["-i", join(rel, deb)], { stdio: "ignore" });
  rig = await startRig("renewal-window");
  home = mkdtempSync(join(tmpdir(), "jg-firefox-"));
  mkdirSync(join(home, "profile"));
  const puppeteer = (await import("puppeteer-core")).default;
  browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX,
    headless: true,
    userDataDir: join(home, "profile"),
    // moz-extension:// pages can be opened over BiDi only with this flag.
    args: ["--remote-allow-system-access"],
    env: { ...process.env, HOME: home },
    extraPrefsFirefox: {
      "extensions.webextensions.uuids": JSON.stringify({ [ADDON_ID]: UUID }),
      "datareporting.policy.dataSubmissionEnabled": false,
    },
  });
  await browser.installExtension(EXT);
  // The platform these tests mean: Windows and Firefox (the e2e build reads it from storage.local,
  // browser.ts setPlatform), set from one of the extension's own pages.
  const setup = await browser.newPage();
  void setup.goto(`moz-extension://${UUID}/popup.html`).catch(() => undefined);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ok = await setup
      .evaluate(
        async (key: string, value: TestPlatform) => {
          await (
            globalThis as unknown as { browser: { storage: { local: { set(o: object): Promise<void> } } } }
          ).browser.storage.local.set({ [key]: value });
          return true;
        },
        TEST_PLATFORM_KEY,
        WINDOWS_FIREFOX,
      )
      .catch(() => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error("could not set the test platform in Firefox");
    await new Promise((r) => setTimeout(r, 500));
  }
  await setup.close();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await rig?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
  if (spawnSync("dpkg", ["-s", "jpki-guard"], { stdio: "ignore" }).status === 0)
    execFileSync("dpkg", ["-r", "jpki-guard"], { stdio: "ignore" });
});

describe("Firefox (firefox-esr) with the installed bridge", () => {
  it("the popup shows the virtual card's status through the .deb's host", async () => {
    const page = await browser.newPage();
    // goto may not settle on an extension page: start it, then poll the page.
    void page.goto(`moz-extension://${UUID}/popup.html`).catch(() => undefined);
    const deadline = Date.now() + 45_000;
    let text = "";
    while (Date.now() < deadline) {
      text = await page.evaluate(() => document.querySelector("main")?.textContent ?? "").catch(() => "");
      if (/2027|あと\s*\d+\s*日/.test(text)) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    mkdirSync(join(ROOT, "test-results"), { recursive: true });
    await page.screenshot({ path: join(ROOT, "test-results/firefox-popup.png") });
    expect(text).not.toContain("見つかりません");
    // The renewal-window card: the authentication certificate's expiry and the PIN tries are shown.
    expect(text).toMatch(/3\s*\/\s*3|残り\s*3/);
    expect(text).toMatch(/更新/);
  }, 90_000);

  it("first use in Firefox: the popup asks for the municipality; the keyboard choice is stored and names the counter", async () => {
    const page = await browser.newPage();
    void page.goto(`moz-extension://${UUID}/popup.html`).catch(() => undefined);
    const deadline = Date.now() + 45_000;
    while (Date.now() < deadline) {
      const ready = await page.evaluate(() => !!document.querySelector("#popup-muni-input")).catch(() => false);
      if (ready) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const before = await page.evaluate(() => document.querySelector("main")?.textContent ?? "");
    expect(before).toContain("お住まいの市区町村を選んでください");
    expect(before).not.toContain("0463");
    await page.type("#popup-muni-input", "142034");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    let text = "";
    const until = Date.now() + 30_000;
    while (Date.now() < until) {
      text = await page.evaluate(() => document.querySelector("main")?.textContent ?? "").catch(() => "");
      if (text.includes("0463-71-6521") && !text.includes("お住まいの市区町村を選んでください")) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(text).toContain("0463-71-6521");
    expect(text).not.toContain("お住まいの市区町村を選んでください");
  }, 90_000);
});

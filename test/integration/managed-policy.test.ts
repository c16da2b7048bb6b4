/**
 * A city hall's help desk presets the municipality by browser policy: Debian's
 * Chromium reads a real policy file from /etc/chromium/policies/managed/
 * ("3rdparty" -> the extension's managed storage, schema in the manifest's
 * storage.managed_schema). The preset wins over the user's own choice, the
 * popup does not ask, and the options page shows it as set by the administrator.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROME_EXTENSION_ID } from "@jpki-guard/shared/ids";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E2E_EXTENSION, launch, setPlatform, until, WINDOWS_CHROME, worker } from "./browser.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const EXT = join(ROOT, E2E_EXTENSION.chrome);
const POLICY_DIR = "/etc/chromium/policies/managed";
const POLICY = join(POLICY_DIR, "jpki-guard-test-municipality.json");
const canWrite = process.getuid?.() === 0 && existsSync("/usr/bin/chromium");

let home: string;
let context: BrowserContext;

describe.skipIf(!canWrite)("municipality preset by Chromium policy (/etc/chromium/policies/managed)", () => {
  beforeAll(async () => {
    mkdirSync(POLICY_DIR, { recursive: true });
    writeFileSync(
      POLICY,
      JSON.stringify({ "3rdparty": { extensions: { [CHROME_EXTENSION_ID]: { municipality: "271276" } } } }),
    );
    home = mkdtempSync(join(tmpdir(), "jg-policy-"));
    // No host installed: the preset is the extension's own business.
    context = await launch(join(home, "profile"), 9, EXT);
    await setPlatform(await worker(context, CHROME_EXTENSION_ID), WINDOWS_CHROME);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    rmSync(POLICY, { force: true });
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it("the preset wins: the popup does not ask, the background uses it, options show it as the administrator's", async () => {
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${CHROME_EXTENSION_ID}/popup.html`);
    const state = (await until(
      () =>
        popup.evaluate(() =>
          (
            globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }
          ).chrome.runtime.sendMessage({ type: "popup-state" }),
        ),
      (s) => (s as { municipality?: { code: string | null } }).municipality?.code === "271276",
      "managed municipality in the background",
    )) as { municipality: { managed: boolean } };
    expect(state.municipality.managed).toBe(true);
    await popup.reload();
    await until(
      () => popup.locator("main").innerText(),
      (t) => t.length > 0,
      "popup",
    );
    expect(await popup.locator("#muni-ask").count()).toBe(0);
    await popup.close();
    const options = await context.newPage();
    await options.goto(`chrome-extension://${CHROME_EXTENSION_ID}/options.html`);
    const managed = await until(
      () =>
        options
          .locator("#municipality-managed")
          .innerText()
          .catch(() => ""),
      (t) => t.length > 0,
      "managed municipality on the options page",
    );
    expect(managed).toContain("大阪市北区");
    expect(managed).toContain("管理者が設定しています");
    expect(await options.locator("#options-muni-input").count()).toBe(0);
    await options.close();
  });
});

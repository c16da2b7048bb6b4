/**
 * The page's own findings wired into the background: the environment probe
 * (injected, as the e2e build's test platform is) decides what the banner
 * and the popup show on each portal, whatever the card says.
 */
import type { Environment } from "@jpki-guard/shared";
import { describe, expect, it } from "vitest";
import { buildDefines } from "../../build-flags";
import { browserEnvironment, parseTestEnvironment, TEST_ENVIRONMENT_KEY } from "../../environment-probe";
import { status } from "../status-fixture";
import { fakeBackground, POPUP, portalTab } from "./fake-background";
import { officialApp } from "./official-app";
import { popupState } from "./popup-state";
import { portalStatus } from "./portal-status";

const WIN: Environment = { os: "win", brand: "chrome", version: 142, windows: 11 };
const LINUX: Environment = { os: "linux", brand: "chromium", version: 142, windows: null };
const MAC: Environment = { os: "mac", brand: "chrome", version: 142, windows: null };
const ask = (bg: Parameters<typeof portalStatus>[0], url: string) =>
  portalStatus(bg, { type: "portal-status" }, portalTab(url));

describe("the environment in the banner", () => {
  it("a valid card on Mynaportal: no banner on Windows or macOS; on Linux a blocked banner that names the QR login", async () => {
    for (const env of [WIN, MAC]) {
      const { bg, host } = fakeBackground({ environment: env });
      host.answer("watch", status());
      expect(await ask(bg, "https://myna.go.jp/")).toEqual({ show: false });
    }
    const { bg, host } = fakeBackground({ environment: LINUX });
    host.answer("watch", status());
    const b = await ask(bg, "https://myna.go.jp/");
    expect(b).toMatchObject({ show: true, level: "blocked" });
    if (!b.show) throw new Error("no banner");
    expect(b.lead).toContain("Linux");
    expect(b.lead).toContain("公式の方法はありません");
    expect(b.next).toContain("2次元バーコード");
    // Never sent to install an app that does not exist for Linux.
    expect(JSON.stringify(b)).not.toMatch(/アプリをインストール|install the official/i);
  });

  it("the rule is Mynaportal's: a valid card on e-Tax on Linux gets no banner from it", async () => {
    const { bg, host } = fakeBackground({ environment: LINUX });
    host.answer("watch", status({ sign: true, action: "sign" }));
    expect(await ask(bg, "https://www.e-tax.nta.go.jp/x")).toEqual({ show: false });
  });

  it("a card problem and Linux: the environment comes first, the card's findings follow", async () => {
    const { bg, host } = fakeBackground({ environment: LINUX });
    host.answer("watch", status({ authTries: 1 }));
    const b = await ask(bg, "https://myna.go.jp/");
    if (!b.show) throw new Error("no banner");
    expect(b.level).toBe("blocked");
    expect(b.items[0]?.text).toContain("Linux");
    expect(b.items.length).toBeGreaterThan(1);
  });

  it("a pushed banner (a new status) carries the tab's page findings too", async () => {
    const { bg, host, sentToTabs } = fakeBackground({ environment: LINUX });
    host.answer("watch", status());
    await ask(bg, "https://myna.go.jp/");
    sentToTabs.length = 0;
    await bg.onStatus(status());
    expect(sentToTabs).toHaveLength(1);
    expect(sentToTabs[0]?.[1]).toMatchObject({ type: "banner", model: { show: true, level: "blocked" } });
  });

  it("no probe, or a probe that fails: no environment finding (nothing is guessed)", async () => {
    const none = fakeBackground();
    none.host.answer("watch", status());
    expect(await ask(none.bg, "https://myna.go.jp/")).toEqual({ show: false });
    const failing = fakeBackground({ environment: LINUX });
    failing.platform.env = null;
    failing.host.answer("watch", status());
    expect(await ask(failing.bg, "https://myna.go.jp/")).toEqual({ show: false });
  });
});

describe("the environment in the popup", () => {
  it("no portal tab: Mynaportal's login; then the portal tab opened last", async () => {
    const { bg, host } = fakeBackground({ environment: LINUX });
    host.answer("watch", status());
    const first = await popupState(bg, { type: "popup-state" }, POPUP);
    expect(first.page).toMatchObject({ portal: "mynaportal", action: "login" });
    expect(first.page.findings.map((f) => f.code)).toEqual(["env-no-official-app"]);
    await ask(bg, "https://www.e-tax.nta.go.jp/x");
    const etax = await popupState(bg, { type: "popup-state" }, POPUP);
    expect(etax.page).toEqual({
      portal: "etax",
      action: "sign",
      findings: [],
      officialAppChecked: false,
      platform: { os: "linux", brand: "chromium", windows: null },
    });
  });

  it("Windows: nothing about the page", async () => {
    const { bg, host } = fakeBackground({ environment: WIN });
    host.answer("watch", status());
    expect((await popupState(bg, { type: "popup-state" }, POPUP)).page.findings).toEqual([]);
  });
});

describe("the e2e tests' platform (storage.local, e2e build only)", () => {
  const apis = { getPlatformInfo: async () => ({ os: "linux" }), userAgentData: null };

  it("the release build (mode production) defines the hooks off; only --mode e2e turns them on", () => {
    expect(buildDefines("production")).toEqual({ __JPKI_GUARD_E2E__: "false" });
    expect(buildDefines("development")).toEqual({ __JPKI_GUARD_E2E__: "false" });
    expect(buildDefines("e2e")).toEqual({ __JPKI_GUARD_E2E__: "true" });
  });

  it("without the hooks the stored platform is never read: the browser's own word", async () => {
    let reads = 0;
    const read = async () => {
      reads++;
      return WIN;
    };
    expect(await browserEnvironment(apis, false, read)).toMatchObject({ os: "linux", brand: "other" });
    expect(reads).toBe(0);
    expect(await browserEnvironment(apis, true, read)).toEqual(WIN);
    expect(reads).toBe(1);
  });

  it("a stored platform is checked like any input; a bad one is ignored", async () => {
    expect(TEST_ENVIRONMENT_KEY).toBe("jpkiGuardTestEnvironment");
    expect(parseTestEnvironment(MAC)).toEqual(MAC);
    expect(parseTestEnvironment({ os: "win", brand: "chrome" })).toEqual({
      os: "win",
      brand: "chrome",
      version: null,
      windows: null,
    });
    for (const bad of [
      null,
      "win",
      [],
      { os: "windows", brand: "chrome" },
      { os: "win", brand: "netscape" },
      { os: "win", brand: "chrome", version: -1 },
      { os: "win", brand: "chrome", version: 1.5 },
      { os: "win", brand: "chrome", windows: 7 },
      { os: "win", brand: "chrome", extra: 1 },
    ])
      expect(parseTestEnvironment(bad)).toBeNull();
    expect(await browserEnvironment(apis, true, async () => ({ os: "nope" }))).toMatchObject({ os: "linux" });
    expect(
      await browserEnvironment(apis, true, async () => {
        throw new Error("storage");
      }),
    ).toMatchObject({ os: "linux" });
  });
});

describe("the official Mynaportal extension and app, as the page showed them", () => {
  const seen = (bg: Parameters<typeof officialApp>[0], url: string, extension: boolean, app: boolean) =>
    officialApp(bg, { type: "official-app", extension, app }, portalTab(url));
  const codes = (b: Awaited<ReturnType<typeof ask>>) => (b.show ? b.items.map((i) => i.text) : []);

  it("both inputs: no finding; no extension input: 'not found' for the extension; extension only: 'app not found'", async () => {
    const { bg, host } = fakeBackground({ environment: WIN });
    host.answer("watch", status());
    expect(await ask(bg, "https://myna.go.jp/")).toEqual({ show: false });
    expect(await seen(bg, "https://myna.go.jp/", true, true)).toEqual({ show: false });
    const none = await seen(bg, "https://myna.go.jp/", false, false);
    expect(none).toMatchObject({ show: true, level: "attention" });
    expect(codes(none)).toHaveLength(1);
    expect(codes(none)[0]).toContain("公式のマイナポータル拡張機能が見つかりませんでした");
    const state = await popupState(bg, { type: "popup-state" }, POPUP);
    expect(state.page.findings.map((f) => f.code)).toEqual(["official-extension-not-detected"]);
    expect(state.page.officialAppChecked).toBe(true);
    // Next steps: switch the extension on (Chrome's new-permissions case), restart, the Windows app only.
    expect(state.page.findings[0]?.steps.map((s) => s.code)).toEqual([
      "enable-official-extension",
      "restart-browser",
      "official-app-windows",
    ]);
    const appOnly = await seen(bg, "https://myna.go.jp/", true, false);
    expect(codes(appOnly)[0]).toContain("公式のマイナポータルアプリ(パソコンに入れるプログラム)が見つかりませんでした");
    // Never more than was seen.
    expect(JSON.stringify(appOnly)).not.toContain("入っていません");
  });

  it("macOS gets the Mac app; Linux gets no 'install the app' (the environment finding says there is none)", async () => {
    const mac = fakeBackground({ environment: MAC });
    mac.host.answer("watch", status());
    await ask(mac.bg, "https://myna.go.jp/");
    await seen(mac.bg, "https://myna.go.jp/", true, false);
    const m = (await popupState(mac.bg, { type: "popup-state" }, POPUP)).page.findings;
    expect(m.map((f) => f.code)).toEqual(["official-app-not-detected"]);
    expect(m[0]?.steps.map((s) => s.code)).toEqual(["official-app-mac", "restart-browser"]);
    const linux = fakeBackground({ environment: LINUX });
    linux.host.answer("watch", status());
    await ask(linux.bg, "https://myna.go.jp/");
    await seen(linux.bg, "https://myna.go.jp/", false, false);
    const l = (await popupState(linux.bg, { type: "popup-state" }, POPUP)).page.findings;
    expect(l.map((f) => f.code)).toEqual(["env-no-official-app"]);
  });

  it("only Mynaportal's contract is known: from e-Tax the report is ignored; a page that loads again forgets it", async () => {
    const { bg, host } = fakeBackground({ environment: WIN });
    host.answer("watch", status({ sign: true, action: "sign" }));
    await ask(bg, "https://www.e-tax.nta.go.jp/x");
    expect(await seen(bg, "https://www.e-tax.nta.go.jp/x", false, false)).toEqual({ show: false });
    expect((await popupState(bg, { type: "popup-state" }, POPUP)).page.officialAppChecked).toBe(false);
    await ask(bg, "https://myna.go.jp/");
    await seen(bg, "https://myna.go.jp/", false, false);
    expect((await popupState(bg, { type: "popup-state" }, POPUP)).page.findings).toHaveLength(1);
    // The tab loads again: nothing is known of the new page until it reports.
    expect(await ask(bg, "https://myna.go.jp/")).toEqual({ show: false });
    expect((await popupState(bg, { type: "popup-state" }, POPUP)).page).toMatchObject({
      findings: [],
      officialAppChecked: false,
    });
  });

  it("the message carries two booleans and nothing else (the values never leave the page)", async () => {
    const { InternalMessageSchema } = await import("../../messages");
    expect(InternalMessageSchema.safeParse({ type: "official-app", extension: true, app: false }).success).toBe(true);
    for (const bad of [
      { type: "official-app", extension: "29", app: false },
      { type: "official-app", extension: true },
      { type: "official-app", extension: true, app: true, value: "29" },
    ])
      expect(InternalMessageSchema.safeParse(bad).success).toBe(false);
  });
});

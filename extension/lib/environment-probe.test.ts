/** The environment probe and the banner's page findings: every platform and brand, set through the APIs passed in. */
import { evaluate, judgeEnvironment } from "@jpki-guard/shared";
import { healthyCard } from "@jpki-guard/shared/test-support";
import { describe, expect, it } from "vitest";
import { bannerFor } from "./banner";
import { type EnvironmentApis, probeEnvironment } from "./environment-probe";

const chromium = (
  os: string,
  brands: Array<{ brand: string; version: string }>,
  platformVersion = "15.0.0",
): EnvironmentApis => ({
  getPlatformInfo: async () => ({ os }),
  userAgentData: { brands, getHighEntropyValues: async () => ({ platformVersion }) },
});
const CHROME = [
  { brand: "Google Chrome", version: "140" },
  { brand: "Chromium", version: "140" },
];

describe("probeEnvironment", () => {
  it("Windows, macOS, Linux and ChromeOS from getPlatformInfo; an unknown OS is 'other', never a guess", async () => {
    expect(await probeEnvironment(chromium("win", CHROME))).toEqual({
      os: "win",
      brand: "chrome",
      version: 140,
      windows: 11,
    });
    expect(await probeEnvironment(chromium("win", CHROME, "10.0.0"))).toMatchObject({ windows: 10 });
    expect(await probeEnvironment(chromium("mac", CHROME))).toEqual({
      os: "mac",
      brand: "chrome",
      version: 140,
      windows: null,
    });
    expect(await probeEnvironment(chromium("linux", CHROME))).toMatchObject({ os: "linux", windows: null });
    expect(await probeEnvironment(chromium("cros", CHROME))).toMatchObject({ os: "cros" });
    expect(await probeEnvironment(chromium("plan9", CHROME))).toMatchObject({ os: "other" });
  });

  it("each brand: Chrome, Edge, Chromium, Brave, Opera from userAgentData; Firefox from getBrowserInfo", async () => {
    const b = async (brand: string) => (await probeEnvironment(chromium("win", [{ brand, version: "139" }]))).brand;
    expect(await b("Microsoft Edge")).toBe("edge");
    expect(await b("Chromium")).toBe("chromium");
    expect(await b("Brave")).toBe("brave");
    expect(await b("Opera")).toBe("opera");
    expect(await b("Something Else")).toBe("other");
    const ff = await probeEnvironment({
      getPlatformInfo: async () => ({ os: "linux" }),
      getBrowserInfo: async () => ({ name: "Firefox", version: "140.0" }),
    });
    expect(ff).toEqual({ os: "linux", brand: "firefox", version: 140, windows: null });
    // No userAgentData at all (an older Chromium): brand unknown, nothing claimed.
    expect(await probeEnvironment({ getPlatformInfo: async () => ({ os: "win" }) })).toEqual({
      os: "win",
      brand: "other",
      version: null,
      windows: null,
    });
  });
});

describe("the banner with the page's environment", () => {
  const linux = judgeEnvironment({ os: "linux", brand: "chrome", version: 140, windows: null }, "mynaportal", "login");

  it("Linux on Mynaportal with no card read yet: the banner says there is no official path and names the smartphone's QR login", () => {
    for (const v of [null, evaluate(healthyCard(new Date()), { now: new Date(), locality: null })]) {
      const b = bannerFor(v, "ja", linux);
      if (!b.show) throw new Error("banner expected");
      expect(b.level).toBe("blocked");
      expect(b.lead).toContain("Linux");
      expect(b.lead).toContain("公式の方法はありません");
      expect(b.next).toContain("2次元バーコード");
      expect(b.items.map((i) => i.text).join("\n")).toContain("Windows か Mac");
      expect(JSON.stringify(b)).not.toMatch(/インストール|入れてください/);
    }
    const en = bannerFor(null, "en", linux);
    if (!en.show) throw new Error("banner expected");
    expect(en.lead).toContain("no official way");
  });

  it("a card problem on Linux: the environment blocker comes first, the card's finding follows", () => {
    const card = healthyCard(new Date(), (c) => {
      c.pins.auth = { triesLeft: 0, maxTries: 3, locked: true };
    });
    const b = bannerFor(evaluate(card, { now: new Date(), locality: null }), "ja", linux);
    if (!b.show) throw new Error("banner expected");
    expect(b.items[0]!.text).toContain("Linux");
    expect(b.items.some((i) => i.text.includes("ロック"))).toBe(true);
  });

  it("Windows and macOS on Mynaportal: no page finding, so a healthy card still shows no banner", () => {
    for (const os of ["win", "mac"] as const) {
      const page = judgeEnvironment({ os, brand: "chrome", version: 140, windows: null }, "mynaportal", "login");
      expect(page).toEqual([]);
      expect(bannerFor(evaluate(healthyCard(new Date()), { now: new Date(), locality: null }), "ja", page)).toEqual({
        show: false,
      });
    }
  });
});

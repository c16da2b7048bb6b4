/**
 * The page's one checklist (issue 23, points 3 and 4): the reader and the
 * PC/SC service as the host reports them, in the same list as the page's
 * own findings and the card's; the banner's first sentence is the first
 * thing to fix, "詳しく" the rest in the same order, and the popup shows the
 * same list. With no reader, every OS is offered the way without one.
 */
import type { Environment } from "@jpki-guard/shared";
import { describe, expect, it } from "vitest";
import type { Banner, BannerModel } from "../../banner";
import { status } from "../status-fixture";
import { diagnose } from "./diagnose";
import { fakeBackground, POPUP, portalTab } from "./fake-background";
import { officialApp } from "./official-app";
import { popupState } from "./popup-state";
import { portalStatus } from "./portal-status";

const WIN: Environment = { os: "win", brand: "chrome", version: 142, windows: 11 };
const MAC: Environment = { os: "mac", brand: "chrome", version: 142, windows: null };
const LINUX: Environment = { os: "linux", brand: "chromium", version: 142, windows: null };
const MYNA = "https://myna.go.jp/";
const ETAX = "https://www.e-tax.nta.go.jp/x";

type Bg = Parameters<typeof portalStatus>[0];
const ask = (bg: Bg, url: string) => portalStatus(bg, { type: "portal-status" }, portalTab(url));
/** The page settled and showed both of the official extension's inputs (the official app answers). */
const officialSeen = (bg: Bg, extension = true, app = true) =>
  officialApp(bg, { type: "official-app", extension, app }, portalTab(MYNA));
const shown = (b: Banner): BannerModel => {
  if (!b.show) throw new Error("a banner was expected");
  return b;
};
const QR = "2次元バーコード";

describe("no reader, no service: a banner on the portal page, with the way without a reader", () => {
  it("Windows, Mynaportal, the official app there: the reader first, its step, then the QR login", async () => {
    const { bg, host } = fakeBackground({ environment: WIN });
    host.answer("watch", status({ problem: "no-reader" }));
    await ask(bg, MYNA);
    const b = shown(await officialSeen(bg));
    expect(b.level).toBe("attention");
    expect(b.lead).toBe("ICカードリーダが見つかりません。");
    expect(b.next).toContain("ICカードリーダを接続");
    expect(b.items[0]).toMatchObject({ code: "no-reader", source: "check" });
    expect(b.items[0]!.steps.join(" ")).toContain(QR);
    expect(b.items[0]!.steps.join(" ")).toContain("スマートフォン用電子証明書");
    // Never more than was seen: the card could not be judged, so nothing is said about it.
    expect(b.summary).toBe("カードの状態を確認できませんでした。");
    expect(b.items.map((i) => i.code)).toEqual(["no-reader"]);
    expect(b.counter).toEqual([]);
  });

  it("the same before the page has settled (the official app not yet looked for), and in English", async () => {
    const { bg, host } = fakeBackground({ environment: WIN, settings: { language: "en" } });
    await bg.reloadSettings();
    host.answer("watch", status({ problem: "no-reader" }));
    const b = shown(await ask(bg, MYNA));
    expect(b.lead).toBe("No card reader was found.");
    expect(b.items[0]!.steps.at(-1)).toMatch(/QR code/);
  });

  it("macOS: the same banner and the same way without a reader", async () => {
    const { bg, host } = fakeBackground({ environment: MAC });
    host.answer("watch", status({ problem: "no-reader" }));
    await ask(bg, MYNA);
    const b = shown(await officialSeen(bg));
    expect(b.lead).toBe("ICカードリーダが見つかりません。");
    expect(JSON.stringify(b.items)).toContain(QR);
  });

  it("Linux: the environment leads (no official path), the reader follows; the QR login is said once", async () => {
    const { bg, host } = fakeBackground({ environment: LINUX });
    host.answer("watch", status({ problem: "no-reader" }));
    const b = shown(await ask(bg, MYNA));
    expect(b.level).toBe("blocked");
    expect(b.lead).toContain("Linux");
    expect(b.items.map((i) => [i.code, i.source])).toEqual([
      ["env-no-official-app", "page"],
      ["no-reader", "check"],
    ]);
    expect(b.items[1]!.steps).toEqual(["ICカードリーダを接続し、必要ならドライバを入れてください。"]);
    // The QR login step (its first words), once: in the environment's item.
    expect(JSON.stringify(b.items).split("カードリーダなしでもログインできます")).toHaveLength(2);
  });

  it("the PC/SC service stopped: a banner with its step and the QR login; on e-Tax too (signing stops there)", async () => {
    const { bg, host } = fakeBackground({ environment: WIN });
    host.answer("watch", status({ problem: "pcsc-unavailable" }));
    await ask(bg, MYNA);
    const b = shown(await officialSeen(bg));
    expect(b.lead).toBe("カードリーダのサービス(PC/SC)が止まっています。");
    expect(b.items[0]).toMatchObject({ code: "pcsc-unavailable", source: "check" });
    expect(b.items[0]!.steps.join(" ")).toContain(QR);
    expect(shown(await ask(bg, ETAX)).lead).toBe("カードリーダのサービス(PC/SC)が止まっています。");
  });

  it("no card in the reader, or a card another program holds: information, never a banner by itself", async () => {
    for (const problem of ["no-card", "card-busy"] as const) {
      const { bg, host } = fakeBackground({ environment: WIN });
      host.answer("watch", status({ problem }));
      await ask(bg, MYNA);
      expect(await officialSeen(bg), problem).toEqual({ show: false });
      // The popup lists it, as information, with its step.
      const state = await popupState(bg, { type: "popup-state" }, POPUP);
      expect(
        state.checklist.map((e) => [e.code, e.severity, e.forAction]),
        problem,
      ).toEqual([[problem, "info", true]]);
      expect(state.checklist[0]!.finding.steps.length).toBeGreaterThan(0);
    }
  });

  it("no card, and something else needs the banner: the card is listed after it, never first", async () => {
    const { bg, host } = fakeBackground({ environment: WIN });
    host.answer("watch", status({ problem: "no-card" }));
    await ask(bg, MYNA);
    const b = shown(await officialSeen(bg, false, false));
    expect(b.lead).toContain("公式のマイナポータル拡張機能が見つかりませんでした");
    expect(b.items.map((i) => i.code)).toEqual(["official-extension-not-detected", "no-card"]);
  });
});

describe("one order for the banner and the popup", () => {
  it("official extension, then the certificate, then the PIN (warnings by stage); the popup has the same list", async () => {
    const { bg, host } = fakeBackground({ environment: WIN });
    // Renewal window (a warning on the certificate) and one authentication PIN try left (a warning on the PIN).
    host.answer("watch", status({ authTries: 1, authTo: "2027-01-10T14:59:59Z" }));
    await ask(bg, MYNA);
    const b = shown(await officialSeen(bg, false, false));
    const order = ["official-extension-not-detected", "auth-cert-renewal-window", "auth-pin-last-try"];
    expect(b.items.filter((i) => i.code).map((i) => i.code)).toEqual(order);
    expect(b.lead).toContain("公式のマイナポータル拡張機能が見つかりませんでした");
    // After the checklist: 「暗証番号がわからない」, no code of its own.
    expect(b.items.at(-1)).toMatchObject({ text: expect.stringContaining("暗証番号がわからないとき") });
    expect(b.items.at(-1)!.code).toBeUndefined();
    const state = await popupState(bg, { type: "popup-state" }, POPUP);
    const popupOrder = state.checklist.filter((e) => e.forAction && e.finding.severity !== "info").map((e) => e.code);
    expect(popupOrder).toEqual(order);
    // The popup also lists the information with steps, after them (the signature certificate not read).
    expect(state.checklist.filter((e) => e.forAction).map((e) => e.code)).toEqual([
      ...order,
      "sign-cert-not-checked",
      "revocation-not-checked",
    ]);
  });

  it("a blocker comes before any warning, whatever its stage (Linux before the PIN; the PIN lock before the extension)", async () => {
    const linux = fakeBackground({ environment: LINUX });
    linux.host.answer("watch", status({ authTries: 1 }));
    const l = shown(await ask(linux.bg, MYNA));
    expect(l.items.filter((i) => i.code).map((i) => i.code)).toEqual(["env-no-official-app", "auth-pin-last-try"]);
    const win = fakeBackground({ environment: WIN });
    win.host.answer("watch", status({ authTries: 0 }));
    await ask(win.bg, MYNA);
    const w = shown(await officialSeen(win.bg, false, false));
    expect(w.level).toBe("blocked");
    expect(w.items.filter((i) => i.code).map((i) => i.code)).toEqual([
      "auth-pin-locked",
      "official-extension-not-detected",
    ]);
    const state = await popupState(win.bg, { type: "popup-state" }, POPUP);
    expect(state.checklist.filter((e) => e.forAction && e.finding.severity !== "info").map((e) => e.code)).toEqual([
      "auth-pin-locked",
      "official-extension-not-detected",
    ]);
  });

  it("the popup keeps what stops only the other action apart; the banner leaves it out", async () => {
    const { bg, host } = fakeBackground({ environment: WIN });
    host.answer("watch", status({ signTries: 0 }));
    await ask(bg, MYNA);
    expect(await officialSeen(bg)).toEqual({ show: false });
    const state = await popupState(bg, { type: "popup-state" }, POPUP);
    expect(state.checklist.filter((e) => !e.forAction).map((e) => e.code)).toEqual(["sign-pin-locked"]);
  });
});

describe("the popup's help-desk report carries the page", () => {
  it("codes, portal, action and the platform judged; no address, nothing the page holds", async () => {
    const { bg, host } = fakeBackground({ environment: WIN });
    host.answer("watch", status({ problem: "no-reader" }));
    await ask(bg, `${MYNA}some/path?q=secret`);
    await officialSeen(bg, true, false);
    host.answer("diagnose", { text: "jpki-guard doctor" } as never);
    const r = await diagnose(bg, { type: "diagnose" }, POPUP);
    if (!r.ok) throw new Error("diagnose failed");
    expect(r.page).toEqual({
      bridge: "answered",
      os: "win",
      brand: "chrome",
      windows: 11,
      portal: "mynaportal",
      action: "login",
      findings: ["official-app-not-detected"],
      officialAppChecked: true,
    });
    expect(JSON.stringify(r.page)).not.toMatch(/https?:|secret|path/);
  });
});

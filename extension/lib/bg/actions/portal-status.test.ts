import { describe, expect, it } from "vitest";
import { status } from "../status-fixture";
import { fakeBackground, portalTab } from "./fake-background";
import { portalStatus } from "./portal-status";

describe("portal-status", () => {
  // The signature certificate is expired: login is ready (no banner), signing is blocked.
  const card = () => status({ sign: "2026-01-31T14:59:59Z" });

  it("an e-Tax tab gets the banner for signing, a Mynaportal tab the one for login; each tab is remembered", async () => {
    const { bg, host, sentToTabs } = fakeBackground();
    host.answer("watch", card());
    const etax = await portalStatus(bg, { type: "portal-status" }, portalTab("https://www.e-tax.nta.go.jp/x"));
    expect(etax).toMatchObject({ show: true, level: "blocked" });
    expect(await portalStatus(bg, { type: "portal-status" }, portalTab("https://myna.go.jp/"))).toEqual({
      show: false,
    });
    expect(host.calls.map(([c]) => c)).toEqual(["watch"]);
    // Tab 7 is remembered with its latest action (login now): a new status pushes it that banner.
    sentToTabs.length = 0;
    await bg.onStatus(card());
    expect(sentToTabs).toEqual([[7, { type: "banner", model: { show: false } }]]);
  });

  it("a user-added portal is for login", async () => {
    const { bg, host } = fakeBackground({ settings: { portals: ["https://*.example.jp/*"] } });
    await bg.reloadSettings();
    host.answer("watch", card());
    expect(await portalStatus(bg, { type: "portal-status" }, portalTab("https://a.example.jp/"))).toEqual({
      show: false,
    });
  });
});

describe("the policy's municipality, read slowly at the browser's start", () => {
  const card = () => status({ sign: "2026-01-31T14:59:59Z" });
  it("the banner does not wait for the managed-storage read; a preset that arrives later is watched again and pushed in place", async () => {
    let answerPolicy: (m: string | null) => void = () => undefined;
    const managedRead = new Promise<string | null>((r) => {
      answerPolicy = r;
    });
    const { bg, host, sentToTabs } = fakeBackground({ managedRead });
    await bg.reloadSettings(); // returns with the policy still unread
    host.answer("watch", card());
    const banner = await portalStatus(bg, { type: "portal-status" }, portalTab("https://www.e-tax.nta.go.jp/x"));
    expect(banner).toMatchObject({ show: true, level: "blocked" });
    expect(host.calls).toEqual([["watch", { inUse: true }]]);
    // The policy names Osaka's Kita ward: the host watches again with it (its last read, no card read).
    host.answer("watch", card());
    sentToTabs.length = 0;
    answerPolicy("271276");
    await bg.settled();
    expect(host.calls).toEqual([
      ["watch", { inUse: true }],
      ["watch", { municipality: "271276", inUse: true }],
    ]);
    expect(bg.params()).toEqual({ municipality: "271276" });
    expect(sentToTabs).toEqual([[7, { type: "banner", model: expect.objectContaining({ show: true }) }]]);
  });

  it("a policy read that says what was already known asks the host for nothing more", async () => {
    const { bg, host } = fakeBackground({ managedRead: Promise.resolve(null) });
    await bg.reloadSettings();
    host.answer("watch", card());
    await portalStatus(bg, { type: "portal-status" }, portalTab("https://myna.go.jp/"));
    await bg.settled();
    expect(host.calls.map(([c]) => c)).toEqual(["watch"]);
  });
});

describe("never a stale 'ready' for signing", () => {
  it("tabs asking at once before the first answer share one watch (one card read)", async () => {
    const { bg, host } = fakeBackground();
    host.answer("watch", status());
    const tabs = await Promise.all(
      [1, 2, 3, 4, 5, 6].map(() => portalStatus(bg, { type: "portal-status" }, portalTab("https://myna.go.jp/"))),
    );
    expect(tabs).toHaveLength(6);
    expect(host.calls.map(([c]) => c)).toEqual(["watch"]);
  });

  it("after the user's own signature check, fewer signature PIN tries in the latest counters win over that check", async () => {
    const { bg } = fakeBackground();
    await bg.onStatus(status());
    // The popup's check found a valid signature certificate with 5 tries: e-Tax is ready.
    bg.store.recordSignature(status({ sign: true, action: "sign" }));
    const etax = () => portalStatus(bg, { type: "portal-status" }, portalTab("https://www.e-tax.nta.go.jp/x"));
    expect(await etax()).toEqual({ show: false });
    // Then the official software locks the signature PIN: the host pushes the new counters.
    await bg.onStatus(status({ signTries: 0 }));
    expect(await etax()).toMatchObject({ show: true, level: "blocked" });
    // One wrong try is enough to leave the check behind (the banner judges the latest counters).
    await bg.onStatus(status({ signTries: 4 }));
    expect(bg.store.signatureCheck).not.toBeNull();
    expect(await bg.statusFor("sign")).toMatchObject({ facts: { pins: { signature: { triesLeft: 4 } } } });
  });
});

/** The background's modules without a browser: store, badge, reminders, portal tabs, router. */
import { describe, expect, it } from "vitest";
import type { InternalMessage } from "../messages";
import { badgeForBridge, badgeForStatus } from "./badge";
import { PortalTabs } from "./portal-tabs";
import { RemindersJob } from "./reminders-job";
import { route } from "./router";
import { cert, status } from "./status-fixture";
import { StatusStore } from "./status-store";

describe("status store", () => {
  it("a checked signature certificate survives the next status of the same card", () => {
    const st = new StatusStore();
    st.update(status());
    st.recordSignature(status({ sign: true }));
    st.update(status({ authTries: 2 })); // the next push: PIN counters re-read, no signature certificate
    expect(st.status?.facts.pins.auth.triesLeft).toBe(2);
    expect(st.status?.facts.signatureCertificate?.fingerprint).toBe("00000000000000bb");
  });

  it("another card, or no card, drops it", () => {
    const st = new StatusStore();
    st.recordSignature(status({ sign: true }));
    st.update(status({ fp: "00000000000000cc" }));
    expect(st.status?.facts.signatureCertificate).toBeNull();
    st.recordSignature(status({ sign: true }));
    st.update(status({ noCard: true }));
    expect(st.signatureCheck).toBeNull();
  });
});

describe("badge", () => {
  it("OK, !, ×, – and ? as the card and the bridge say", () => {
    expect(badgeForStatus(status(), "ja").text).toBe("OK");
    expect(badgeForStatus(status({ authTries: 1 }), "ja").text).toBe("!");
    expect(badgeForStatus(status({ authTries: 0 }), "ja").text).toBe("×");
    expect(badgeForStatus(status({ noCard: true }), "ja").text).toBe("–");
    expect(badgeForBridge({ kind: "no-bridge", detail: "" }, "en")?.text).toBe("?");
    expect(badgeForBridge({ kind: "ready", hostVersion: "1" }, "en")).toBeNull();
  });
});

describe("reminders job", () => {
  it("stores due dates only, shows a due reminder once", async () => {
    const store: Record<string, unknown> = {};
    const shown: string[] = [];
    let now = new Date("2026-11-26T03:00:00Z");
    const job = new RemindersJob({
      get: async (keys) => Object.fromEntries(keys.filter((k) => k in store).map((k) => [k, store[k]])),
      set: async (items) => void Object.assign(store, items),
      notify: async (id) => void shown.push(id),
      now: () => now,
    });
    const s = status();
    s.facts.authCertificate = cert("00000000000000aa", "2027-01-10T14:59:59Z");
    await job.remember(s);
    expect(JSON.stringify(store)).not.toContain("2027-01-10");
    expect(await job.run({ enabled: true, lang: "ja" })).toEqual(["auth:2026-10-10:window"]);
    expect(await job.run({ enabled: true, lang: "ja" })).toEqual([]);
    now = new Date("2027-01-05T03:00:00Z");
    expect(await job.run({ enabled: false, lang: "ja" })).toEqual([]);
    expect(await job.run({ enabled: true, lang: "en" })).toEqual(["auth:2027-01-03:7"]);
    expect(shown).toEqual(["auth:2026-10-10:window", "auth:2027-01-03:7"]);
    expect(Object.keys(store).sort()).toEqual(["reminders", "shown"]);
  });
});

describe("portal tabs", () => {
  it("pushes a banner to each tab, forgets tabs that stopped listening, and stays bounded", async () => {
    const sent: number[] = [];
    const tabs = new PortalTabs(async (id) => {
      if (id === 2) throw new Error("gone");
      sent.push(id);
    }, 3);
    tabs.add(1, "login");
    tabs.add(2, "sign");
    await tabs.push(async (a) => ({ a }));
    expect(sent).toEqual([1]);
    expect(tabs.size).toBe(1);
    for (let i = 10; i < 20; i++) tabs.add(i, "login");
    expect(tabs.size).toBe(3);
  });
});

describe("router", () => {
  const ID = "abcdefghijklmnopabcdefghijklmnop";
  const ctx = { runtimeId: ID, extensionOrigin: `chrome-extension://${ID}/`, portals: [] };
  const seen: InternalMessage[] = [];
  const h = async (m: InternalMessage) => void seen.push(m);
  const portal = { id: ID, url: "https://myna.go.jp/", tab: { id: 1 }, frameId: 0 };
  const popup = { id: ID, url: `chrome-extension://${ID}/popup.html` };

  it("a portal content script gets its banner and nothing else; only the popup reaches the PIN", async () => {
    await route({ type: "portal-status" }, portal, ctx, h);
    expect(route({ type: "read-signature", pin: "ABC123" }, portal, ctx, h)).toBeUndefined();
    expect(route({ type: "diagnose" }, portal, ctx, h)).toBeUndefined();
    expect(
      route(
        { type: "read-signature", pin: "ABC123" },
        { id: ID, url: `chrome-extension://${ID}/options.html` },
        ctx,
        h,
      ),
    ).toBeUndefined();
    await route({ type: "read-signature", pin: "ABC123" }, popup, ctx, h);
    expect(route({ type: "read-signature", pin: "ABC123", extra: 1 }, popup, ctx, h)).toBeUndefined();
    expect(route({ type: "popup-state" }, { ...popup, id: "other" }, ctx, h)).toBeUndefined();
    expect(seen).toEqual([{ type: "portal-status" }, { type: "read-signature", pin: "ABC123" }]);
  });
});

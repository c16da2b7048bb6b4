/** The background's gatekeeping, without a browser: forged senders, double submissions. */
import { emptyFacts, type Status } from "@jpki-guard/shared";
import { describe, expect, it } from "vitest";
import { admits, type Sender, senderKind } from "./sender";
import { parseSettings, portalPatternProblem } from "./settings";
import { SignatureGate } from "./signature-gate";

const ID = "abcdefghijklmnopabcdefghijklmnop";
const ctx = { runtimeId: ID, extensionOrigin: `chrome-extension://${ID}/`, portals: ["https://portal.example.jp/*"] };
const portalTab = { id: 7 };

describe("senderKind with forged senders", () => {
  it("knows its own popup, its own pages and its own content script on a portal's top frame", () => {
    expect(senderKind({ id: ID, url: `chrome-extension://${ID}/popup.html` }, ctx)).toBe("popup");
    expect(senderKind({ id: ID, url: `chrome-extension://${ID}/options.html` }, ctx)).toBe("page");
    expect(senderKind({ id: ID, url: "https://myna.go.jp/", tab: portalTab, frameId: 0 }, ctx)).toBe("portal");
    expect(senderKind({ id: ID, url: "https://portal.example.jp/x", tab: portalTab, frameId: 0 }, ctx)).toBe("portal");
  });

  it.each<[string, Sender]>([
    ["another extension", { id: "ponmlkjihgfedcbaponmlkjihgfedcba", url: `chrome-extension://${ID}/popup.html` }],
    ["no id (a web page through some bridge)", { url: `chrome-extension://${ID}/popup.html` }],
    ["another extension's popup", { id: ID, url: "chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba/popup.html" }],
    ["a portal's iframe", { id: ID, url: "https://myna.go.jp/", tab: portalTab, frameId: 3 }],
    ["a look-alike host", { id: ID, url: "https://myna.go.jp.evil.example/", tab: portalTab, frameId: 0 }],
    ["plain http", { id: ID, url: "http://myna.go.jp/", tab: portalTab, frameId: 0 }],
    ["a page that is not a portal", { id: ID, url: "https://example.com/", tab: portalTab, frameId: 0 }],
    ["a portal URL without a tab", { id: ID, url: "https://myna.go.jp/" }],
    ["no URL", { id: ID }],
  ])("%s: nobody", (_, sender) => {
    expect(senderKind(sender, ctx)).toBeNull();
  });

  it("only the popup's exact path is the popup (a PIN may come from it alone)", () => {
    expect(senderKind({ id: ID, url: `chrome-extension://${ID}/popup.html.evil` }, ctx)).toBe("page");
    expect(senderKind({ id: ID, url: `chrome-extension://${ID}/x/popup.html` }, ctx)).toBe("page");
    expect(senderKind({ id: ID, url: `chrome-extension://${ID}/popup.html?x=1` }, ctx)).toBe("popup");
  });

  it("a portal content script may only ask for its banner: never read-signature, diagnose or popup-only messages", () => {
    expect(admits("portal", "portal-status")).toBe(true);
    for (const t of ["read-signature", "diagnose", "popup-state", "check-again", "settings-changed"] as const)
      expect(admits("portal", t), t).toBe(false);
  });

  it("only the popup may send a PIN; the options page may not", () => {
    expect(admits("popup", "read-signature")).toBe(true);
    expect(admits("page", "read-signature")).toBe(false);
    expect(admits("page", "settings-changed")).toBe(true);
    expect(admits("popup", "portal-status")).toBe(false);
  });
});

function statusWith(tries: number): Status {
  const facts = emptyFacts(new Date("2026-11-26T00:00:00Z"));
  facts.pins.signature = { triesLeft: tries, maxTries: 5, locked: tries === 0 };
  return { facts, verdict: {} as Status["verdict"] };
}

describe("the signature gate (one VERIFY per explicit action)", () => {
  it("two quick submissions at 2 tries left: exactly one reaches the card", async () => {
    let calls = 0;
    let release: () => void = () => undefined;
    const gate = new SignatureGate({
      read: async () => {
        calls++;
        await new Promise<void>((r) => {
          release = r;
        });
        throw Object.assign(new Error("wrong"), { body: { code: "pin-wrong", message: "wrong", triesLeft: 1 } });
      },
      knownTries: () => 2,
    });
    const first = gate.submit("ZZZ999");
    const second = await gate.submit("ZZZ999");
    expect(second).toMatchObject({ ok: false, error: { code: "card-busy" } });
    release();
    expect(await first).toMatchObject({ ok: false, error: { code: "pin-wrong", triesLeft: 1 } });
    expect(calls).toBe(1);
    // Now one try is left (the gate remembers, even before a new status arrives): refused without the card.
    expect(await gate.submit("ZZZ999")).toMatchObject({ ok: false, error: { code: "pin-too-few-tries" } });
    expect(calls).toBe(1);
  });

  it("format first, then tries: nothing is sent for a malformed PIN or at one try left", async () => {
    let calls = 0;
    let tries = 5;
    const gate = new SignatureGate({
      read: async () => {
        calls++;
        return statusWith(5);
      },
      knownTries: () => tries,
    });
    expect(await gate.submit("abc123")).toMatchObject({ ok: false, error: { code: "pin-format" } });
    expect(await gate.submit("12345")).toMatchObject({ ok: false, error: { code: "pin-format" } });
    tries = 1;
    expect(await gate.submit("ABC123")).toMatchObject({ ok: false, error: { code: "pin-too-few-tries" } });
    expect(calls).toBe(0);
    tries = 5;
    expect(await gate.submit("ABC123")).toMatchObject({ ok: true });
    expect(calls).toBe(1);
  });
});

describe("user-added portals", () => {
  it.each([
    "https://*.github.io/*",
    "https://*.co.jp/*",
    "https://*.jp/*",
    "https://*.com/*",
    "https://github.io/*",
    "https://*.s3.amazonaws.com/*",
    "https://*.lg.jp/*",
    "https://*/*",
    "https://192.168.1.10/*",
    "http://example.co.jp/*",
  ])("%s is refused", (p) => {
    expect(portalPatternProblem(p)).not.toBeNull();
    expect(parseSettings({ portals: [p] }).portals).toEqual([]);
  });

  it.each([
    "https://portal.example.jp/*",
    "https://*.example.co.jp/*",
    "https://alice.github.io/*",
    "https://*.city.example.lg.jp/*",
  ])("%s is accepted", (p) => {
    expect(portalPatternProblem(p)).toBeNull();
    expect(parseSettings({ portals: [p] }).portals).toEqual([p]);
  });
});

describe("built-in portals", () => {
  it("Mynaportal logs in; e-Tax, the 作成コーナー and e-Gov sign; user portals outside go.jp keep working", async () => {
    const { portalAction } = await import("./settings");
    expect(portalAction("https://myna.go.jp/", [])).toBe("login");
    expect(portalAction("https://img.myna.go.jp/x", [])).toBe("login");
    expect(portalAction("https://login.e-tax.nta.go.jp/", [])).toBe("sign");
    expect(portalAction("https://www.keisan.nta.go.jp/", [])).toBe("sign");
    expect(portalAction("https://shinsei.e-gov.go.jp/recept/", [])).toBe("sign");
    expect(portalAction("https://e-gov.go.jp/", [])).toBeNull();
    expect(portalAction("https://www.onshikaku.org/", ["https://*.onshikaku.org/*"])).toBe("login");
  });
});

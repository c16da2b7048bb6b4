/**
 * Every verdict shown is judged against today's date: when a tab or the
 * popup asks after a Japan-time midnight, and at each midnight (issue 22,
 * item 0). The host judges its last read again with its clock (a status
 * request, no card read); the background never shows yesterday's verdict.
 */
import { describe, expect, it } from "vitest";
import { asOfLabel, judgedBeforeToday, nextJstMidnight } from "../clock";
import { fakeBackground, POPUP, portalTab } from "./actions/fake-background";
import { popupState } from "./actions/popup-state";
import { portalStatus } from "./actions/portal-status";
import { NOW, status } from "./status-fixture";

// The authentication certificate's last day is 26 Nov (Japan time); NOW is 26 Nov, 12:00 Japan time.
const LAST_DAY = "2026-11-26T14:59:59Z";
const AFTER_MIDNIGHT = new Date("2026-11-26T15:30:00Z"); // 27 Nov, 00:30 Japan time
const myna = portalTab("https://myna.go.jp/");

describe("the Japan-time calendar", () => {
  it("an earlier Japan-time day, the next midnight, the 'as of' time", () => {
    const s = status();
    expect(judgedBeforeToday(s, NOW)).toBe(false);
    expect(judgedBeforeToday(s, new Date("2026-11-26T14:59:00Z"))).toBe(false); // 23:59 the same day
    expect(judgedBeforeToday(s, AFTER_MIDNIGHT)).toBe(true);
    expect(nextJstMidnight(NOW).toISOString()).toBe("2026-11-26T15:00:00.000Z");
    expect(nextJstMidnight(new Date("2026-11-26T15:00:00Z")).toISOString()).toBe("2026-11-27T15:00:00.000Z");
    expect(asOfLabel(new Date("2026-11-26T03:30:00Z"), NOW)).toBe("12:30");
    expect(asOfLabel(new Date("2026-11-26T03:30:00Z"), AFTER_MIDNIGHT)).toBe("11/26 12:30");
  });
});

describe("a verdict judged on an earlier day is judged again before it is shown", () => {
  it("a portal tab after midnight: the host judges its last read again and the banner says 'expired'", async () => {
    const { bg, host, clock } = fakeBackground();
    await bg.onStatus(status({ authTo: LAST_DAY }));
    expect(await portalStatus(bg, { type: "portal-status" }, myna)).toMatchObject({ level: "attention" });
    clock.now = AFTER_MIDNIGHT;
    host.answer("status", status({ authTo: LAST_DAY, on: AFTER_MIDNIGHT }));
    expect(await portalStatus(bg, { type: "portal-status" }, myna)).toMatchObject({ show: true, level: "blocked" });
    expect(host.calls).toEqual([["status", { action: "login" }]]);
  });

  it("the same day: nothing is asked", async () => {
    const { bg, host, clock } = fakeBackground();
    await bg.onStatus(status({ authTo: LAST_DAY }));
    clock.now = new Date("2026-11-26T14:59:00Z");
    await portalStatus(bg, { type: "portal-status" }, myna);
    expect(host.calls).toEqual([]);
  });

  it("tabs asking at once after midnight share one request", async () => {
    const { bg, host, clock } = fakeBackground();
    await bg.onStatus(status());
    clock.now = AFTER_MIDNIGHT;
    host.answer("status", status({ on: AFTER_MIDNIGHT }));
    await Promise.all([1, 2, 3].map(() => portalStatus(bg, { type: "portal-status" }, myna)));
    expect(host.calls.map(([c]) => c)).toEqual(["status"]);
  });

  it("the popup after midnight shows the verdict judged today", async () => {
    const { bg, host, clock } = fakeBackground();
    await bg.onStatus(status({ authTo: LAST_DAY }));
    clock.now = AFTER_MIDNIGHT;
    host.answer("status", status({ authTo: LAST_DAY, on: AFTER_MIDNIGHT }));
    const p = await popupState(bg, { type: "popup-state" }, POPUP);
    expect(p.status?.verdict.level).toBe("blocked");
    expect(p.live).toBe(true);
  });

  it("when the host cannot judge again, yesterday's verdict is not shown on a portal (no banner from it)", async () => {
    const { bg, host, clock } = fakeBackground();
    await bg.onStatus(status({ authTo: LAST_DAY }));
    clock.now = AFTER_MIDNIGHT;
    host.fail("status", { code: "host-disconnected" });
    expect(await bg.statusFor("login")).toBeNull();
    expect(bg.lastError?.code).toBe("host-disconnected");
  });

  it("the user's own signature check from an earlier day no longer answers for signing", async () => {
    const { bg, host, clock } = fakeBackground();
    await bg.onStatus(status());
    const checked = status({ sign: true, action: "sign" });
    bg.store.recordSignature(checked);
    expect(await bg.statusFor("sign")).toBe(checked);
    clock.now = AFTER_MIDNIGHT;
    host.answer("status", status({ on: AFTER_MIDNIGHT }));
    const s = await bg.statusFor("sign");
    expect(s).not.toBe(checked);
    expect(s?.verdict.on).toBe(AFTER_MIDNIGHT.toISOString());
  });
});

describe("each Japan-time midnight", () => {
  it("with a host connected: it judges again, the badge and every portal tab follow", async () => {
    const { bg, host, clock, badges, sentToTabs } = fakeBackground();
    await bg.onStatus(status({ authTo: LAST_DAY }));
    bg.tabs.add(7, "login");
    expect(badges.at(-1)?.text).toBe("!");
    clock.now = AFTER_MIDNIGHT;
    host.answer("status", status({ authTo: LAST_DAY, on: AFTER_MIDNIGHT }));
    await bg.onMidnight();
    expect(host.calls.map(([c]) => c)).toEqual(["status"]);
    expect(badges.at(-1)?.text).toBe("×");
    expect(sentToTabs.at(-1)).toMatchObject([7, { type: "banner", model: { level: "blocked" } }]);
  });

  it("without a host: nothing is asked; the badge stops claiming a level and says since when", async () => {
    const { bg, host, clock, badges } = fakeBackground();
    await bg.onStatus(status());
    expect(badges.at(-1)?.text).toBe("OK");
    host.state = { kind: "disconnected" };
    clock.now = AFTER_MIDNIGHT;
    await bg.onMidnight();
    expect(host.calls).toEqual([]);
    expect(badges.at(-1)).toMatchObject({ text: "…", color: "#6b7280" });
    expect(badges.at(-1)?.title).toContain("12:00 時点");
  });

  it("a midnight with nothing from an earlier day changes nothing", async () => {
    const { bg, host, badges } = fakeBackground();
    await bg.onStatus(status());
    const n = badges.length;
    await bg.onMidnight();
    expect(host.calls).toEqual([]);
    expect(badges).toHaveLength(n);
  });
});

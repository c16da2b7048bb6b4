/**
 * The host on demand (issue 22, item 1): the background connects only with a
 * reason (a portal tab, the popup, an operation) and lets the host go 60 s
 * after the last reason went; with no host the last known state is shown
 * grey with its time, from storage.session.
 */
import { describe, expect, it } from "vitest";
import { bannerFor } from "../banner";
import { checkAgain } from "./actions/check-again";
import { fakeBackground, POPUP, portalTab } from "./actions/fake-background";
import { popupState } from "./actions/popup-state";
import { portalStatus } from "./actions/portal-status";
import { HostDemand } from "./host-demand";
import { NOW, status } from "./status-fixture";

/** A background as after a browser start: no host running. */
function cold(o: Parameters<typeof fakeBackground>[0] = {}) {
  const f = fakeBackground(o);
  f.host.state = { kind: "disconnected" };
  return f;
}
const myna = portalTab("https://myna.go.jp/");

describe("host demand", () => {
  it("released once, idleMs after the last reason went; a reason coming back in time keeps it", () => {
    const timers: Array<{ f: () => void; ms: number; cleared: boolean }> = [];
    let released = 0;
    const d = new HostDemand({
      idleMs: 60_000,
      release: () => released++,
      setTimer: (f, ms) => {
        const t = { f, ms, cleared: false };
        timers.push(t);
        return t;
      },
      clearTimer: (t) => {
        (t as { cleared: boolean }).cleared = true;
      },
    });
    d.hold("popup");
    d.hold("popup");
    d.set("portal-tabs", true);
    d.drop("popup");
    d.set("portal-tabs", false);
    expect(timers).toHaveLength(0); // one popup still open
    d.drop("popup");
    expect(timers.map((t) => t.ms)).toEqual([60_000]);
    d.hold("check-again"); // back within 60 s
    expect(timers[0]!.cleared).toBe(true);
    d.drop("check-again");
    for (const t of timers) if (!t.cleared) t.f();
    expect(released).toBe(1);
    expect(d.needed).toBe(false);
  });
});

describe("the host on demand", () => {
  it("nothing asks: no host is started; the last state from storage.session shows grey, with its time", async () => {
    const { bg, host, badges } = cold({
      session: { latest: status(), signature: null, asOf: "2026-11-26T03:30:00.000Z" },
    });
    await bg.restore();
    expect(host.calls).toEqual([]);
    expect(badges.at(-1)).toMatchObject({ text: "OK", color: "#6b7280" });
    expect(badges.at(-1)?.title).toContain("12:30 時点");
    const p = await popupState(bg, { type: "popup-state" }, POPUP);
    expect(host.calls).toEqual([]); // answered at once; the popup's own port starts the host
    expect(p).toMatchObject({ live: false, asOf: "2026-11-26T03:30:00.000Z", status: status() });
  });

  it("garbage in storage.session is not shown", async () => {
    const { bg, badges } = cold({ session: { latest: { facts: "x" }, signature: null, asOf: 5 } });
    await bg.restore();
    expect(bg.store.status).toBeNull();
    expect(badges).toEqual([]);
  });

  it("a portal tab starts the host; 60 s after the last portal tab closed the host is closed and the badge turns grey", async () => {
    const { bg, host, badges, runTimers, session } = cold();
    host.answer("watch", status());
    await portalStatus(bg, { type: "portal-status" }, myna);
    expect(host.started).toBe(1);
    expect(bg.live).toBe(true);
    runTimers(60_000);
    expect(host.closed).toBe(0); // the tab is still open
    // The last portal tab closes: the host is told to stop the in-use poll (answered from its last read).
    host.answer("watch", status());
    bg.tabs.remove(7);
    await new Promise((r) => setTimeout(r, 0));
    expect(host.calls.map(([c, p]) => [c, p])).toEqual([
      ["watch", { inUse: true }],
      ["watch", { inUse: false }],
    ]);
    runTimers(59_999);
    expect(host.closed).toBe(0);
    runTimers(60_000);
    await Promise.resolve();
    expect(host.closed).toBe(1);
    expect(bg.live).toBe(false);
    expect(badges.at(-1)).toMatchObject({ text: "OK", color: "#6b7280" });
    // The last state lives in storage.session (memory only), with when it was last known.
    expect(session.value).toMatchObject({ latest: status(), asOf: NOW.toISOString() });
  });

  it("a portal page that starts the host waits for the host's reading: never the stored state first", async () => {
    const { bg, host, sentToTabs } = cold({ session: { latest: status(), signature: null, asOf: null } });
    await bg.restore();
    // The card's authentication PIN was locked since (the stored state still says OK).
    host.answer("watch", status({ authTries: 0 }));
    const banner = await portalStatus(bg, { type: "portal-status" }, myna);
    expect(banner).toMatchObject({ show: true, level: "blocked" });
    expect(host.calls.map(([c]) => c)).toEqual(["watch"]);
    for (const [, m] of sentToTabs) expect(m).toEqual({ type: "banner", model: banner });
  });

  it("the popup is a reason while open; its closing lets the host go after 60 s", async () => {
    const { bg, host, runTimers } = cold();
    host.answer("watch", status());
    bg.need("popup");
    await bg.ensureLive();
    expect(host.calls.map(([c]) => c)).toEqual(["watch"]);
    runTimers(60_000);
    expect(host.closed).toBe(0);
    bg.demand.drop("popup");
    runTimers(60_000);
    await Promise.resolve();
    expect(host.closed).toBe(1);
  });

  it("'check again' with no host: starting one reads the card (its watch), no second read", async () => {
    const { bg, host, timers } = cold({ session: { latest: status(), signature: null, asOf: null } });
    await bg.restore();
    host.answer("watch", status({ authTries: 2 }));
    const p = await checkAgain(bg, { type: "check-again" }, POPUP);
    expect(host.calls.map(([c]) => c)).toEqual(["watch"]);
    expect(p).toMatchObject({ live: true, status: { facts: { pins: { auth: { triesLeft: 2 } } } } });
    // Nothing else needs the host: it goes 60 s later.
    expect(timers.filter((t) => !t.cleared).map((t) => t.ms)).toEqual([60_000]);
  });

  it("a host that cannot start: the portal gets no banner from the stored state", async () => {
    const { bg, host } = cold({ session: { latest: status({ authTries: 1 }), signature: null, asOf: null } });
    await bg.restore();
    host.fail("watch", { code: "internal" });
    expect(await portalStatus(bg, { type: "portal-status" }, myna)).toEqual(bannerFor(null, "ja"));
  });
});

/** The background's status flow without a browser: what a new status reaches, and the status for each action. */
import { errorAnswer, evaluate } from "@jpki-guard/shared";
import { describe, expect, it } from "vitest";
import { bannerFor } from "../banner";
import { fakeBackground } from "./actions/fake-background";
import { NOW, status } from "./status-fixture";

describe("background state", () => {
  it("a new status reaches the store, the badge, reminders and every portal tab", async () => {
    const { bg, badges, remembered, sentToTabs } = fakeBackground();
    bg.tabs.add(3, "login");
    bg.lastError = { code: "no-card", message: "x" };
    const s = status({ authTries: 1 });
    await bg.onStatus(s);
    expect(bg.store.status).toEqual(s);
    expect(bg.lastError).toBeNull();
    expect(badges.map((b) => b.text)).toEqual(["!"]);
    expect(remembered).toEqual([s]);
    expect(sentToTabs).toEqual([[3, { type: "banner", model: bannerFor(s.verdict, "ja") }]]);
  });

  it("e-Tax and e-Gov: the login verdict re-aimed at signing, equal to the host's judgement, without asking the host", async () => {
    const { bg, host } = fakeBackground();
    // The signature certificate is expired: login is ready, signing blocked.
    const login = status({ sign: "2026-01-31T14:59:59Z" });
    host.answer("watch", login);
    const sign = await bg.statusFor("sign");
    expect(host.calls.map(([c]) => c)).toEqual(["watch"]);
    expect(sign?.verdict).toEqual(evaluate(login.facts, { now: NOW, locality: null, action: "sign" }));
    expect(sign?.verdict.level).toBe("blocked");
    expect(await bg.statusFor("login")).toEqual(login);
    expect(host.calls).toHaveLength(1);
  });

  it("the user's own signature check of this card answers for signing", async () => {
    const { bg, host } = fakeBackground();
    await bg.onStatus(status());
    const checked = status({ sign: true, action: "sign" });
    bg.store.recordSignature(checked);
    expect(await bg.statusFor("sign")).toBe(checked);
    expect(host.calls).toEqual([]);
  });

  it("no status yet: watches with the citizen's municipality; a failure is kept as the catalog's answer", async () => {
    const { bg, host } = fakeBackground({ settings: { municipality: "142034", municipalityChosen: true } });
    await bg.reloadSettings();
    host.fail("watch", { code: "no-reader", message: "reader 'Alice's reader' not found" });
    expect(await bg.statusFor("login")).toBeNull();
    expect(host.calls).toEqual([["watch", { municipality: "142034", inUse: false }]]);
    expect(bg.lastError).toEqual(errorAnswer("no-reader"));
    expect(JSON.stringify(bg.lastError)).not.toContain("Alice");
  });
});

import { errorAnswer } from "@jpki-guard/shared";
import { describe, expect, it } from "vitest";
import { status } from "../status-fixture";
import { checkAgain } from "./check-again";
import { fakeBackground, POPUP } from "./fake-background";

describe("check-again", () => {
  it("asks the host to read the card now, and shows what it read", async () => {
    const { bg, host, badges } = fakeBackground({ settings: { municipality: "142034", municipalityChosen: true } });
    await bg.reloadSettings();
    await bg.onStatus(status());
    const now = status({ authTries: 1 });
    host.answer("status", now);
    const state = await checkAgain(bg, { type: "check-again" }, POPUP);
    expect(host.calls).toEqual([["status", { municipality: "142034", action: "login", fresh: true }]]);
    expect(state.status).toEqual(now);
    expect(badges.at(-1)?.text).toBe("!");
  });

  it("a failure is shown as the catalog's answer (never the thrown text); the last status stays", async () => {
    const { bg, host } = fakeBackground();
    const before = status();
    await bg.onStatus(before);
    host.fail("status", { code: "card-removed", message: "card in 'Bob's reader' removed" });
    const state = await checkAgain(bg, { type: "check-again" }, POPUP);
    expect(state.error).toEqual(errorAnswer("card-removed"));
    expect(state.status).toEqual(before);
  });
});

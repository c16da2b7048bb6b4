import { describe, expect, it } from "vitest";
import { status } from "../status-fixture";
import { fakeBackground, POPUP } from "./fake-background";
import { popupState } from "./popup-state";

describe("popup-state", () => {
  it("no status yet: the card is read once (watching), with the administrator's municipality", async () => {
    const { bg, host } = fakeBackground({ managed: "271276" });
    await bg.reloadSettings();
    const s = status();
    host.answer("watch", s);
    const state = await popupState(bg, { type: "popup-state" }, POPUP);
    expect(host.calls).toEqual([["watch", { municipality: "271276", inUse: false }]]);
    expect(state).toMatchObject({
      bridge: { kind: "ready" },
      status: s,
      error: null,
      municipality: { code: "271276", managed: true, preselect: null },
    });
    // Asked again: answered from the store.
    await popupState(bg, { type: "popup-state" }, POPUP);
    expect(host.calls).toHaveLength(1);
  });

  it("no bridge: nothing is asked; an older unconfirmed city only preselects the first-use question", async () => {
    const { bg, host } = fakeBackground({ settings: { municipality: "hiratsuka", municipalityChosen: false } });
    await bg.reloadSettings();
    host.state = { kind: "no-bridge", detail: "" };
    const state = await popupState(bg, { type: "popup-state" }, POPUP);
    expect(host.calls).toEqual([]);
    expect(state.status).toBeNull();
    expect(state.municipality).toEqual({ code: null, managed: false, preselect: "142034" });
  });
});

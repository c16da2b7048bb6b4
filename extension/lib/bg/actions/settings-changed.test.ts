import { describe, expect, it } from "vitest";
import { parseSettings } from "../../settings";
import { status } from "../status-fixture";
import { fakeBackground, POPUP } from "./fake-background";
import { settingsChanged } from "./settings-changed";

describe("settings-changed", () => {
  it("reads the settings again, registers the user's portals and reads the card for the new municipality", async () => {
    const f = fakeBackground();
    const { bg, host } = f;
    await bg.onStatus(status());
    bg.store.recordSignature(status({ sign: true, action: "sign" }));
    f.settings.settings = parseSettings({
      municipality: "271276",
      municipalityChosen: true,
      portals: ["https://*.example.jp/*"],
    });
    const fresh = status({ authTries: 2 });
    host.answer("watch", fresh);
    expect(await settingsChanged(bg, { type: "settings-changed" }, POPUP)).toEqual({ ok: true });
    expect(f.registered).toEqual([["https://*.example.jp/*"]]);
    expect(host.calls).toEqual([["watch", { municipality: "271276", inUse: false }]]);
    // The verdicts depended on the old settings: the old status and the signature check are gone.
    expect(bg.store.status).toEqual(fresh);
    expect(bg.store.signatureCheck).toBeNull();
  });
});

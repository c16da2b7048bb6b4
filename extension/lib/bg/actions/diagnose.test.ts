import { errorAnswer, type ResultOf } from "@jpki-guard/shared";
import { describe, expect, it } from "vitest";
import { diagnose } from "./diagnose";
import { fakeBackground, POPUP } from "./fake-background";

describe("diagnose", () => {
  it("the host's report, asked with the citizen's municipality", async () => {
    const { bg, host } = fakeBackground({ settings: { municipality: "142034", municipalityChosen: true } });
    await bg.reloadSettings();
    const report = { text: "jpki-guard doctor" } as unknown as ResultOf<"diagnose">;
    host.answer("diagnose", report);
    // No probe, no portal tab: Mynaportal's login, nothing judged of the page.
    expect(await diagnose(bg, { type: "diagnose" }, POPUP)).toEqual({
      ok: true,
      report,
      page: { bridge: "answered", portal: "mynaportal", action: "login", findings: [], officialAppChecked: false },
    });
    expect(host.calls).toEqual([["diagnose", { municipality: "142034" }]]);
  });

  it("a failure: the code and the catalog's sentence, not the thrown text", async () => {
    const { bg, host } = fakeBackground();
    host.fail("diagnose", { code: "host-timeout", message: "no answer within 20000 ms from /home/alice" });
    expect(await diagnose(bg, { type: "diagnose" }, POPUP)).toEqual({ ok: false, error: errorAnswer("host-timeout") });
  });
});

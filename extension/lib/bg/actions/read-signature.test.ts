import { errorAnswer } from "@jpki-guard/shared";
import { describe, expect, it, vi } from "vitest";
import { status } from "../status-fixture";
import { fakeBackground, POPUP } from "./fake-background";
import { readSignature } from "./read-signature";

const PIN = { type: "read-signature" as const, pin: "ABC123" };

describe("read-signature", () => {
  it("success: one request, no second read; the reply is the signature check and, judged for login, the status", async () => {
    const { bg, host, badges } = fakeBackground({ settings: { municipality: "142034", municipalityChosen: true } });
    await bg.reloadSettings();
    await bg.onStatus(status({ signTries: 4 }));
    const reply = status({ sign: true, action: "sign" });
    host.answer("readSignatureCertificate", reply);
    const r = await readSignature(bg, PIN, POPUP);
    expect(r).toEqual({ ok: true, status: reply });
    expect(host.calls).toEqual([["readSignatureCertificate", { pin: "ABC123", municipality: "142034" }]]);
    expect(bg.store.signatureCheck).toEqual(reply);
    // The reply's counters (read with the card held) and its judgement, aimed at login.
    expect(bg.store.status?.facts).toEqual(reply.facts);
    expect(bg.store.status?.verdict).toEqual(status({ sign: true }).verdict);
    expect(bg.store.status?.verdict.readiness.sign).toBe("ready");
    expect(badges.at(-1)?.text).toBe("OK");
  });

  it("a wrong PIN: the counters are read again (the card was reached)", async () => {
    const { bg, host } = fakeBackground();
    await bg.onStatus(status());
    host.fail("readSignatureCertificate", { code: "pin-wrong", triesLeft: 4 });
    const after = status({ signTries: 4 });
    host.answer("status", after);
    const r = await readSignature(bg, PIN, POPUP);
    expect(r).toEqual({ ok: false, error: errorAnswer("pin-wrong", { triesLeft: 4 }) });
    expect(host.calls.map(([c, p]) => [c, p])).toEqual([
      ["readSignatureCertificate", { pin: "ABC123" }],
      ["status", { action: "login" }],
    ]);
    await vi.waitFor(() => expect(bg.store.status).toEqual(after));
  });

  it.each([
    ["card-busy", "another check holds the card"],
    ["no-card", "no card was reached"],
    ["pin-too-few-tries", "refused before anything was sent"],
  ])("%s from the host: no second read (%s)", async (code) => {
    const { bg, host } = fakeBackground();
    await bg.onStatus(status());
    host.fail("readSignatureCertificate", { code });
    const r = await readSignature(bg, PIN, POPUP);
    expect(r).toMatchObject({ ok: false, error: { code } });
    // The follow-up request would be made before the handler returns: none was.
    expect(host.calls.map(([c]) => c)).toEqual(["readSignatureCertificate"]);
  });

  it("refused by the gate (format): the host is never asked", async () => {
    const { bg, host } = fakeBackground();
    await bg.onStatus(status());
    expect(await readSignature(bg, { type: "read-signature", pin: "abc123" }, POPUP)).toEqual({
      ok: false,
      error: errorAnswer("pin-format"),
    });
    expect(host.calls).toEqual([]);
  });
});

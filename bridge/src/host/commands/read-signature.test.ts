import { type Action, type CardFacts, evaluate, JpkiGuardError } from "@jpki-guard/shared";
import { buildCard, namedProfile } from "@jpki-guard/virtual-card";
import { describe, expect, it } from "vitest";
import { MemoryTransport } from "../../transport/memory.js";
import type { CommandContext } from "./context.js";
import { readSignatureCertificate } from "./read-signature.js";

async function setup() {
  const card = buildCard(await namedProfile("valid"));
  const calls: string[] = [];
  const ctx = {
    transport: new MemoryTransport({ R: card }),
    forgetLastRead: () => calls.push("forget"),
    judge: (facts: CardFacts, action: Action, p: { municipality?: string }) => {
      calls.push(`judge ${action} ${p.municipality ?? "-"}`);
      return { facts, verdict: evaluate(facts, { now: new Date(), action }) };
    },
  } as unknown as CommandContext;
  return { card, calls, ctx };
}

describe("readSignatureCertificate command", () => {
  it("the right PIN: the signature certificate's facts, judged for signing; the last read is dropped first", async () => {
    const { ctx, calls } = await setup();
    const s = await readSignatureCertificate(ctx, { pin: "ABC123", municipality: "142034" });
    expect(s.facts.signatureCertificate).not.toBeNull();
    expect(s.verdict.action).toBe("sign");
    expect(s.facts.pins.signature.triesLeft).toBe(5);
    expect(calls).toEqual(["forget", "judge sign 142034"]);
    expect(JSON.stringify(s)).not.toContain("ABC123");
  });

  it("a wrong PIN: an error with the tries left, nothing judged", async () => {
    const { ctx, calls } = await setup();
    const e = await readSignatureCertificate(ctx, { pin: "ZZZ999" }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(JpkiGuardError);
    expect(e).toMatchObject({ code: "pin-wrong", detail: { triesLeft: 4 } });
    expect(calls).toEqual(["forget"]);
  });
});

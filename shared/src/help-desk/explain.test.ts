import { describe, expect, it } from "vitest";
import { type CardFacts, emptyFacts } from "../facts.js";
import { locality } from "../guidance/index.js";
import { healthyCard } from "../test-support/cards.js";
import { evaluate } from "../verdict.js";
import data from "./error-codes.json";
import { ERROR_CODE_ENTRIES, explainCode, findErrorCode, normaliseCode } from "./explain.js";
import { ErrorCodesSchema } from "./schema.js";

const NOW = new Date("2026-11-26T03:00:00Z");

function card(over: (f: CardFacts) => void = () => undefined) {
  return evaluate(healthyCard(NOW, over), { now: NOW, locality: locality("hiratsuka") });
}

describe("error-code data", () => {
  it("validates against its schema; every entry names a source and how sure it is", () => {
    const r = ErrorCodesSchema.safeParse(data);
    expect(r.success, r.error?.message).toBe(true);
    for (const e of ERROR_CODE_ENTRIES) {
      expect(e.source.length).toBeGreaterThan(10);
      expect(["reported", "unconfirmed"]).toContain(e.confidence);
    }
    const codes = ERROR_CODE_ENTRIES.map((e) => e.code);
    expect(codes).toEqual(expect.arrayContaining(["EI123-2008", "EI123-2303", "115", "HJS0407E", "EW044-C300"]));
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("finds a code however it was typed", () => {
    expect(normaliseCode(" ｅｉ１２３－２００８ ")).toBe("EI123-2008");
    expect(findErrorCode("ei123 2008")?.code).toBe("EI123-2008");
    expect(findErrorCode("EI1232008")?.code).toBe("EI123-2008");
    expect(findErrorCode("MPA-IS-I05")?.code).toBe("EI123-2008");
    expect(findErrorCode("エラー115")?.code).toBe("115");
    expect(findErrorCode("hjs0407e")?.code).toBe("HJS0407E");
    expect(findErrorCode("XYZ-0000")).toBeNull();
    expect(normaliseCode("A".repeat(1000)).length).toBeLessThanOrEqual(30);
  });
});

describe("explain a code with this card", () => {
  it("an expired authentication certificate explains EI123-2008", () => {
    const v = card((f) => {
      f.authCertificate!.notAfter = "2026-01-10T14:59:59Z";
    });
    const x = explainCode("EI123-2008", v);
    expect(x.card).toBe("explains");
    expect(x.because.map((b) => b.code)).toEqual(["auth-cert-expired"]);
  });

  it("a sound card does not explain it: the reply says what cannot be checked here (revocation)", () => {
    const x = explainCode("EI123-2008", card());
    expect(x.card).toBe("not-this-card");
    expect(x.next[0]!.ja).toContain("失効");
    expect(x.next[0]!.en).toMatch(/revoked/);
  });

  it("a locked signature PIN or a missing signature certificate explains error 115; a reader problem explains HJS0407E", () => {
    expect(
      explainCode(
        "115",
        card((f) => {
          f.pins.signature = { triesLeft: 0, maxTries: 5, locked: true };
        }),
      ).card,
    ).toBe("explains");
    const noCard = emptyFacts(NOW);
    noCard.problems.push({ code: "no-card", message: "x" });
    const v = evaluate(noCard, { now: NOW, locality: null });
    expect(explainCode("HJS0407E", v)).toMatchObject({ card: "explains", because: [{ code: "no-card" }] });
    // Without a card, a certificate error cannot be judged.
    expect(explainCode("EI123-2008", v).card).toBe("cannot-tell");
  });

  it("an unknown code: said honestly, with the general checklist", () => {
    const x = explainCode("ZZ999", card());
    expect(x.entry).toBeNull();
    expect(x.next.length).toBeGreaterThan(0);
    expect(explainCode("ZZ999", null).card).toBe("cannot-tell");
  });

  it("an unconfirmed meaning is marked as such", () => {
    expect(findErrorCode("EW044-C300")?.confidence).toBe("unconfirmed");
  });
});

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

/** Every code in the field notes' "Error codes users report" (and the code-less e-Tax message). */
const DOCUMENTED = [
  "EI123-2008",
  "EI123-2303",
  "115",
  "HJS0432E",
  "HJS0407E",
  "HJS0407Z",
  "E0001",
  "EW044-C300",
  "EM044-C300",
  "APL0001",
  "E0008",
];

describe("error-code data", () => {
  it("validates against its schema; every entry names its sources with dates and how sure it is", () => {
    const r = ErrorCodesSchema.safeParse(data);
    expect(r.success, r.error?.message).toBe(true);
    for (const e of ERROR_CODE_ENTRIES) {
      expect(e.sources.length).toBeGreaterThan(0);
      expect(e.collected).toMatch(/^2026-\d{2}-\d{2}$/);
      expect(["official", "third-party", "unverified"]).toContain(e.confidence);
      // Only an operator's own source makes an entry official.
      if (e.confidence === "official") expect(e.sources.some((s) => s.kind === "official")).toBe(true);
      // A code-less entry is found by its words; a coded one by its code.
      expect(e.code !== null || e.words.length > 0).toBe(true);
    }
    const keys = ERROR_CODE_ENTRIES.map((e) => `${e.code}@${e.system}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(DOCUMENTED)("%s is known, with its sources and confidence", (code) => {
    const e = findErrorCode(code);
    expect(e, code).not.toBeNull();
    expect(e!.sources[0]!.name.length).toBeGreaterThan(2);
  });

  it("the sure ones and the unsure ones as the sources say", () => {
    expect(findErrorCode("HJS0432E")!.confidence).toBe("official");
    expect(findErrorCode("EI123-2008")!.confidence).toBe("third-party");
    expect(findErrorCode("E0001")!.confidence).toBe("unverified");
    expect(findErrorCode("EM044-C300")!.code).toBe("EW044-C300");
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

  it("HJS0432E: a locked signature PIN explains it; a sound card does not", () => {
    const locked = card((f) => {
      f.pins.signature = { triesLeft: 0, maxTries: 5, locked: true };
    });
    expect(explainCode("HJS0432E", locked)).toMatchObject({ card: "explains", because: [{ code: "sign-pin-locked" }] });
    expect(explainCode("HJS0432E", card()).card).toBe("not-this-card");
  });

  it("codes about the app, the phone or the network are not the card's, and say what to check instead", () => {
    for (const c of ["EW044-C300", "APL0001", "E0008", "HJS0407Z"]) {
      const x = explainCode(c, card());
      expect(x.card, c).toBe("not-card");
      expect(x.environment, c).not.toBeNull();
    }
  });

  it("E0001 is looked up with where it was seen: e-Tax's meaning, or nothing on record for another system", () => {
    const any = explainCode("E0001", null);
    expect(any.entry?.system).toBe("etax");
    expect(any.askWhere).toBe(true);
    const etax = explainCode("E0001", null, "etax");
    expect(etax.askWhere).toBe(false);
    expect(etax.entry?.confidence).toBe("unverified");
    const portal = explainCode("E0001", card(), "mynaportal");
    expect(portal.entry).toBeNull();
    expect(portal.elsewhere).toEqual(["etax"]);
    expect(portal.next.length).toBeGreaterThan(0); // the honest checklist
  });

  it("the e-Tax message without a code is found by its words", () => {
    const full = explainCode(
      "ご利用のパソコン環境(OS/ブラウザ)では、マイナンバーカード方式によるe-Taxをご利用になれません",
      card(),
    );
    expect(full.entry?.code).toBeNull();
    expect(full.byWords).toBe(true);
    expect(full.card).toBe("not-card");
    expect(explainCode("パソコン環境(OS/ブラウザ)", null).entry?.system).toBe("etax");
    expect(explainCode("ＯＳ／ブラウザ", null).entry?.system).toBe("etax"); // full-width, as pasted
    expect(explainCode("ブラウザ", null).entry).toBeNull(); // too little to go on
  });

  it("an unknown code: said honestly, with the general checklist", () => {
    const x = explainCode("ZZ999", card());
    expect(x.entry).toBeNull();
    expect(x.next.length).toBeGreaterThan(0);
    expect(explainCode("ZZ999", null).card).toBe("cannot-tell");
  });

  it("a code no card read can judge: without a card reading, a PIN code cannot be told either", () => {
    const noCard = emptyFacts(NOW);
    noCard.problems.push({ code: "no-card", message: "x" });
    expect(explainCode("HJS0432E", evaluate(noCard, { now: NOW, locality: null })).card).toBe("cannot-tell");
  });
});

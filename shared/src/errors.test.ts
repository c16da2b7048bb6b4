/** The one error table and its serializer. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { errorSentence, serializeError } from "./error-body.js";
import { ANY_ERROR_CODES, ERROR_CODES, ERROR_TABLE, errorRow, JpkiGuardError } from "./errors.js";
import { ProblemSchema } from "./facts-schema.js";
import { CATALOGS } from "./messages.js";
import { ErrorBodySchema } from "./protocol.js";
import { STEP_CODES } from "./verdict.js";

describe("the error table", () => {
  it("every code has every field, with a sentence in both languages and steps the catalog knows", () => {
    const fields = ["origin", "touchesCard", "retriable", "steps", "exit", "message"].sort();
    for (const code of ANY_ERROR_CODES) {
      const r = ERROR_TABLE[code];
      expect(Object.keys(r).sort(), code).toEqual(fields);
      expect(["bridge", "protocol", "extension"]).toContain(r.origin);
      expect(typeof r.touchesCard).toBe("boolean");
      expect(typeof r.retriable).toBe("boolean");
      expect(["unknown", "usage", "failure"]).toContain(r.exit);
      expect(r.message).toBe(`error.${code}`);
      for (const lang of ["ja", "en"] as const) expect(CATALOGS[lang][r.message], `${lang} ${code}`).toBeDefined();
      for (const s of r.steps) {
        expect(STEP_CODES).toContain(s);
        expect(CATALOGS.ja[`step.${s}`], s).toBeDefined();
      }
    }
  });

  it("the bridge's codes are the ones a card check may report; the protocol's enum is the whole table", () => {
    expect(ERROR_CODES).toEqual(ANY_ERROR_CODES.filter((c) => ERROR_TABLE[c].origin === "bridge"));
    expect(ERROR_CODES).toContain("no-card");
    expect(ERROR_CODES).not.toContain("bad-request");
    for (const c of ERROR_CODES) expect(ProblemSchema.safeParse({ code: c, message: "x" }).success).toBe(true);
    expect(ProblemSchema.safeParse({ code: "host-timeout", message: "x" }).success).toBe(false);
    for (const c of ANY_ERROR_CODES) expect(ErrorBodySchema.safeParse({ code: c, message: "x" }).success).toBe(true);
  });

  it("no card reached: no service, no reader, no card (the badge's 'no card', the host's not-kept)", () => {
    expect(ERROR_CODES.filter((c) => !ERROR_TABLE[c].touchesCard && c.match(/card|reader|pcsc/))).toEqual([
      "pcsc-unavailable",
      "no-reader",
      "reader-not-found",
      "no-card",
      "virtual-card-unavailable",
    ]);
    expect(errorRow("card-busy").touchesCard).toBe(true);
    expect(errorRow("no such code")).toBe(ERROR_TABLE.internal);
    expect(errorRow("toString")).toBe(ERROR_TABLE.internal);
  });
});

describe("the serializer", () => {
  it("one of ours: its code and tries left, in the catalog's words, never its own text", () => {
    const e = new JpkiGuardError("reader-not-found", 'no reader named "/home/taro <script>" (connected: X)');
    const a = serializeError(e);
    expect(a).toEqual({ code: "reader-not-found", message: CATALOGS.en["error.reader-not-found"] });
    expect(serializeError(new JpkiGuardError("pin-wrong", "wrong; 2 tries left", { triesLeft: 2 }))).toEqual({
      code: "pin-wrong",
      message: "Wrong PIN. 2 tries left.",
      triesLeft: 2,
    });
  });

  it("an answer passed on (the extension's BridgeError) keeps code, tries and side; anything else is internal", () => {
    const passed = { body: { code: "version-mismatch", message: "from the host", update: "host" } };
    expect(serializeError(passed)).toMatchObject({ code: "version-mismatch", update: "host" });
    expect(serializeError(passed).message).not.toContain("from the host");
    expect(serializeError({ body: { code: "made-up", message: "x" } }).code).toBe("internal");
    expect(serializeError(new Error("EACCES /home/taro/.config"))).toEqual({
      code: "internal",
      message: CATALOGS.en["error.internal"],
    });
    expect(serializeError(null).code).toBe("internal");
  });

  it("whatever was thrown, the answer is valid on the wire and quotes none of it", () => {
    const word = fc.stringMatching(/^[A-Za-z]{12,20}$/);
    fc.assert(
      fc.property(word, fc.constantFrom(...ERROR_CODES), fc.integer({ min: -3, max: 40 }), (w, code, tries) => {
        for (const thrown of [
          new JpkiGuardError(code, w, { triesLeft: tries, problem: w }),
          { body: { code, message: w, triesLeft: tries, update: w } },
          new Error(w),
          w,
        ]) {
          const a = serializeError(thrown);
          expect(ErrorBodySchema.safeParse(a).success).toBe(true);
          expect(JSON.stringify(a)).not.toContain(w);
        }
      }),
    );
  });

  it("the citizen's sentence comes from the catalog by code", () => {
    expect(errorSentence("ja", { code: "pin-wrong", triesLeft: 1 })).toBe("暗証番号が違います。残り1回です。");
    expect(errorSentence("en", { code: "nonsense" })).toBe(CATALOGS.en["error.internal"]);
  });
});

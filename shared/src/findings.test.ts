/** The findings table: every row complete, and a verdict re-aimed at another action equals the one judged for it. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CardFacts, emptyFacts } from "./facts.js";
import { affectsOf, doctorItemOf, FINDING_CODES, FINDING_TABLE, type StepPart } from "./findings.js";
import { locality } from "./guidance/index.js";
import { CATALOGS } from "./messages.js";
import { ACTIONS, aimVerdict, evaluate, STEP_CODES } from "./verdict.js";

const TOKENS = ["@renewal", "@issue", "@unlock", "@store", "@etax"];

describe("the findings table", () => {
  it("every code has every field: severity, affects, steps, source, checklist item, and its sentences", () => {
    const fields = ["severity", "affects", "steps", "source", "doctorItem"].sort();
    for (const code of FINDING_CODES) {
      const r = FINDING_TABLE[code];
      expect(Object.keys(r).sort(), code).toEqual(fields);
      expect(["blocker", "warning", "info"]).toContain(r.severity);
      if (r.affects !== "which") for (const a of r.affects) expect(ACTIONS).toContain(a);
      expect(["certificate", "pin", "card", "check", "limits", "page"]).toContain(r.source);
      const parts: readonly StepPart[] = r.steps;
      for (const p of parts) expect([...STEP_CODES, ...TOKENS], `${code} ${p}`).toContain(p);
      // e-Tax's rule is placed before the plain steps that follow it: only plain steps may.
      const etax = parts.indexOf("@etax");
      if (etax >= 0) for (const p of parts.slice(etax + 1)) expect(TOKENS).not.toContain(p);
      for (const which of ["auth", "sign"] as const) {
        const item = doctorItemOf(code, which);
        // Only what this computer cannot check, or what the page's environment is, has no checklist item.
        if (item === null) expect(["limits", "page"]).toContain(r.source);
        else expect(CATALOGS.en[`doctor.item.${item}`], `${code} ${item}`).toBeDefined();
        expect(affectsOf(code, which).every((a) => ACTIONS.includes(a))).toBe(true);
      }
      for (const lang of ["ja", "en"] as const) expect(CATALOGS[lang][`finding.${code}`], code).toBeDefined();
    }
  });

  it("a blocker stands in the way of something; information stands in the way of nothing it does not name", () => {
    for (const code of FINDING_CODES) {
      if (FINDING_TABLE[code].severity === "blocker") expect(affectsOf(code, "sign").length, code).toBeGreaterThan(0);
    }
    expect(affectsOf("cert-chain-failed", "auth")).toEqual(["login", "sign"]);
    expect(affectsOf("cert-chain-failed", "sign")).toEqual(["sign"]);
  });
});

const cert = (notAfter: string, chain: "verified" | "failed" = "verified") => ({
  notBefore: "2021-06-01T00:00:00Z",
  notAfter,
  issuer: { kind: "jlis" as const, generation: "2023" as const, name: "x" },
  chain,
  keyAlgorithm: "RSA" as const,
  keyBits: 2048,
  keyCurve: null,
  fingerprint: "0123456789abcdef",
  sizeBytes: 1200,
});

describe("aimVerdict", () => {
  it("re-aiming the login verdict at signing gives exactly the signing verdict, and back (any card, any place)", () => {
    const expiry = fc.constantFrom(
      "2026-10-31T14:59:59Z", // expired
      "2027-01-10T14:59:59Z", // renewal window
      "2029-05-31T14:59:59Z", // valid
    );
    const tries = fc.constantFrom(null, 0, 1, 2, 3, 5);
    fc.assert(
      fc.property(
        fc.option(expiry),
        fc.option(expiry),
        tries,
        tries,
        fc.boolean(),
        fc.constantFrom(null, "142034", "271276", "011002"),
        (auth, sign, at, st, failed, place) => {
          const f: CardFacts = emptyFacts(new Date("2026-11-26T00:00:00Z"));
          f.reader = { name: "r", virtual: false };
          f.card = { kind: "mynumber", atr: "3B", token: null };
          f.presence = { auth: auth ? "present" : "absent", signature: "present" };
          f.authCertificate = auth ? cert(auth, failed ? "failed" : "verified") : null;
          f.signatureCertificate = sign ? cert(sign) : null;
          f.pins.auth = { triesLeft: at, maxTries: 3, locked: at === 0 };
          f.pins.signature = { triesLeft: st, maxTries: 5, locked: st === 0 };
          const o = { now: new Date("2026-11-26T03:00:00Z"), locality: locality(place) };
          const login = evaluate(f, { ...o, action: "login" });
          const signing = evaluate(f, { ...o, action: "sign" });
          expect(aimVerdict(login, "sign")).toEqual(signing);
          expect(aimVerdict(signing, "login")).toEqual(login);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("e-Tax's next-day rule is a signing step only, before the smartphone login", () => {
    const f = emptyFacts(new Date("2026-11-26T00:00:00Z"));
    f.reader = { name: "r", virtual: false };
    f.card = { kind: "mynumber", atr: "3B", token: null };
    f.presence = { auth: "present", signature: "present" };
    f.authCertificate = cert("2026-10-31T14:59:59Z");
    const v = evaluate(f, { now: new Date("2026-11-26T03:00:00Z"), locality: null, action: "sign" });
    const steps = v.findings.find((x) => x.code === "auth-cert-expired")!.steps.map((s) => s.code);
    expect(steps.slice(-2)).toEqual(["etax-next-day", "smartphone-login"]);
    expect(aimVerdict(v, "login").findings.flatMap((x) => x.steps.map((s) => s.code))).not.toContain("etax-next-day");
    expect(aimVerdict(v, "login").summary).toEqual(evaluate(f, { now: new Date("2026-11-26T03:00:00Z") }).summary);
  });
});

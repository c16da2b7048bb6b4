/** The page's checklist: one order (what blocks first), quiet problems, the steps not repeated, a report's codes. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pageFinding } from "./environment.js";
import { emptyFacts } from "./facts.js";
import { affectsOf, doctorItemOf, FINDING_CODES, FINDING_TABLE, type FindingCode } from "./findings.js";
import {
  CHECKLIST_STAGES,
  newSteps,
  orderFindings,
  pageChecklist,
  pageFindingsFromCodes,
  pageSeverity,
  QUIET_ON_PAGE,
  STAGE_OF,
} from "./page-checklist.js";
import { evaluate, type Finding } from "./verdict.js";

const codes = (fs: readonly { code: string }[]) => fs.map((f) => f.code);
/** A finding as the table makes it, its text its code (the order looks at nothing else). */
const fake = (code: FindingCode): Finding => ({
  code,
  severity: FINDING_TABLE[code].severity,
  affects: affectsOf(code, null),
  params: {},
  text: { ja: code, en: code },
  steps: [],
});

describe("stages", () => {
  it("every finding has a stage, and the card's agree with the doctor's checklist item", () => {
    const byItem: Record<string, string> = {
      "pcsc-service": "pcsc-service",
      readers: "reader",
      card: "card",
      "card-kind": "card",
      "auth-certificate": "certificate",
      "signature-certificate": "certificate",
      "auth-pin": "pin",
      "signature-pin": "pin",
    };
    for (const code of FINDING_CODES) {
      expect(CHECKLIST_STAGES, code).toContain(STAGE_OF[code]);
      const item = doctorItemOf(code, "auth");
      if (item !== null) expect(STAGE_OF[code], code).toBe(byItem[item]);
      if (FINDING_TABLE[code].source === "page")
        expect(["environment", "official-extension", "official-app"], code).toContain(STAGE_OF[code]);
    }
    expect(STAGE_OF["revocation-not-checked"]).toBe("certificate");
  });

  it("quiet problems are information on a page; a stopped service and a missing reader are not", () => {
    for (const c of ["no-card", "card-busy", "card-removed", "card-timeout", "internal"] as const)
      expect(pageSeverity(c), c).toBe("info");
    for (const c of ["pcsc-unavailable", "no-reader", "reader-not-found"] as const) {
      expect(pageSeverity(c), c).toBe("warning");
      expect(QUIET_ON_PAGE.has(c)).toBe(false);
    }
    // Only problems that stopped the check are quiet: nothing about the card itself is played down.
    for (const c of QUIET_ON_PAGE) expect(FINDING_TABLE[c].source, c).toBe("check");
    expect(pageSeverity("auth-pin-locked")).toBe("blocker");
  });

  it("with no service or no reader, the way without a reader follows (every OS: it is the card's finding)", () => {
    for (const c of ["pcsc-unavailable", "no-reader", "reader-not-found"] as const) {
      const steps: readonly string[] = FINDING_TABLE[c].steps;
      expect(steps.at(-1), c).toBe("qr-login");
      expect(steps[0], c).not.toBe("qr-login");
    }
    expect(FINDING_TABLE["no-card"].steps).not.toContain("qr-login");
  });
});

describe("the order", () => {
  // One finding per (severity, stage): the order is total.
  const EXPECTED: FindingCode[] = [
    // blockers
    "env-no-official-app",
    "auth-cert-expired",
    "auth-pin-locked",
    // warnings
    "env-reported-unsupported",
    "official-extension-not-detected",
    "official-app-not-detected",
    "pcsc-unavailable",
    "no-reader",
    "sign-cert-renewal-window",
    "auth-pin-last-try",
    // information (no card: quiet)
    "no-card",
    "sign-cert-not-checked",
    "auth-pin-two-left",
  ];
  const findings = EXPECTED.map(fake);

  it("blockers, warnings, information; within each: environment, official extension, app, service, reader, card, certificates, PINs", () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(findings, { minLength: findings.length }), (shuffled) => {
        expect(codes(orderFindings(shuffled))).toEqual(EXPECTED);
      }),
      { numRuns: 200 },
    );
  });

  it("equal ones keep their order (the verdict's: authentication before signature)", () => {
    const a = fake("auth-cert-renewal-window");
    const s = fake("sign-cert-renewal-window");
    expect(codes(orderFindings([a, s]))).toEqual(["auth-cert-renewal-window", "sign-cert-renewal-window"]);
    expect(codes(orderFindings([s, a]))).toEqual(["sign-cert-renewal-window", "auth-cert-renewal-window"]);
  });
});

describe("pageChecklist", () => {
  const now = new Date("2026-11-26T03:00:00Z");
  const card = (edit: (f: ReturnType<typeof emptyFacts>) => void) => {
    const f = emptyFacts(now);
    f.reader = { name: "R", virtual: false };
    f.card = { kind: "mynumber", atr: "3B", token: null };
    f.presence = { auth: "present", signature: "present" };
    f.pins.auth = { triesLeft: 3, maxTries: 3, locked: false };
    f.pins.signature = { triesLeft: 5, maxTries: 5, locked: false };
    f.authCertificate = {
      notBefore: "2024-01-01T00:00:00Z",
      notAfter: "2029-05-31T14:59:59Z",
      issuer: { kind: "jlis", generation: "2023", name: "x" },
      chain: "verified",
      keyAlgorithm: "RSA",
      keyBits: 2048,
      keyCurve: null,
      fingerprint: "00",
      sizeBytes: 1,
    };
    edit(f);
    return f;
  };

  it("the page's findings and the card's for the action first, in order; the other action's apart", () => {
    const f = card((c) => {
      c.pins.auth = { triesLeft: 1, maxTries: 3, locked: false };
      c.pins.signature = { triesLeft: 0, maxTries: 5, locked: true };
    });
    const v = evaluate(f, { now, locality: null });
    const list = pageChecklist({ verdict: v, page: [pageFinding("official-app-not-detected")], action: "login" });
    const mine = list.filter((e) => e.forAction);
    expect(codes(mine)).toEqual([
      "official-app-not-detected",
      "auth-pin-last-try",
      "sign-cert-not-checked",
      "revocation-not-checked",
    ]);
    // The signature PIN's lock stops signing, not this login: after the login's own, marked as such.
    expect(list.at(-1)).toMatchObject({ code: "sign-pin-locked", forAction: false, severity: "blocker", stage: "pin" });
    expect(list.find((e) => e.code === "official-app-not-detected")).toMatchObject({
      source: "page",
      stage: "official-app",
      severity: "warning",
    });
    // For signing, the same card: the lock comes first.
    const sign = pageChecklist({
      verdict: evaluate(f, { now, locality: null, action: "sign" }),
      page: [],
      action: "sign",
    });
    expect(sign[0]).toMatchObject({ code: "sign-pin-locked", forAction: true });
  });

  it("a check that found no reader: the reader's finding, nothing claimed about the card", () => {
    const f = emptyFacts(now);
    f.problems.push({ code: "no-reader", message: "x" });
    const v = evaluate(f, { now, locality: null });
    expect(v.level).toBe("unknown");
    const list = pageChecklist({ verdict: v, page: [], action: "login" });
    expect(list.map((e) => [e.code, e.severity, e.stage, e.source])).toEqual([
      ["no-reader", "warning", "reader", "check"],
    ]);
  });

  it("a step an earlier item gave is not repeated (Linux and no reader: the QR login once)", () => {
    const f = emptyFacts(now);
    f.problems.push({ code: "no-reader", message: "x" });
    const list = pageChecklist({
      verdict: evaluate(f, { now, locality: null }),
      page: [pageFinding("env-no-official-app")],
      action: "login",
    });
    expect(codes(list)).toEqual(["env-no-official-app", "no-reader"]);
    const steps = newSteps(list).map((s) => s.map((x) => x.code));
    expect(steps).toEqual([["qr-login", "another-computer"], ["connect-reader"]]);
    // The findings themselves keep every step.
    expect(list[1]!.finding.steps.map((s) => s.code)).toEqual(["connect-reader", "qr-login"]);
  });
});

describe("a report's page codes as findings", () => {
  it("the environment's words from its rule; the official app's steps for the OS judged", () => {
    const [etax] = pageFindingsFromCodes(["env-reported-unsupported"], { portal: "etax", action: "sign" });
    expect(etax!.text.ja).toContain("e-Tax");
    expect(etax!.text.ja).toContain("Windows 10");
    expect(etax!.text.ja).toContain("2026-02");
    expect(JSON.stringify(etax)).not.toContain("undefined");
    const win = pageFindingsFromCodes(["official-extension-not-detected"], { portal: "mynaportal", os: "win" });
    expect(win[0]!.steps.map((s) => s.code)).toContain("official-app-windows");
    expect(win[0]!.steps.map((s) => s.code)).not.toContain("official-app-mac");
    // A read-out code carries no OS: both apps, nothing guessed.
    const unknown = pageFindingsFromCodes(["official-extension-not-detected"]);
    expect(unknown[0]!.steps.map((s) => s.code)).toEqual(
      expect.arrayContaining(["official-app-windows", "official-app-mac"]),
    );
    // Only page codes; in checklist order.
    expect(
      codes(pageFindingsFromCodes(["official-app-not-detected", "auth-pin-locked", "env-no-official-app"], {})),
    ).toEqual(["env-no-official-app", "official-app-not-detected"]);
  });
});

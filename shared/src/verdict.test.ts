import { describe, expect, it } from "vitest";
import { type CardFacts, emptyFacts } from "./facts.js";
import { locality } from "./guidance/index.js";
import { healthyCard, jlisCertificate } from "./test-support/cards.js";
import { evaluate, judgeCertificate } from "./verdict.js";
import { VerdictSchema } from "./verdict-schema.js";

const cert = jlisCertificate;

function facts(over: Partial<CardFacts> = {}): CardFacts {
  return { ...healthyCard(new Date("2026-11-26T00:00:00Z")), ...over };
}

const codes = (f: CardFacts, now: string, action: "login" | "sign" = "login") => {
  const v = evaluate(f, { now: new Date(now), action, locality: locality("hiratsuka") });
  VerdictSchema.parse(v);
  return { level: v.level, codes: v.findings.map((x) => x.code), v };
};

describe("certificate dates in Japan time", () => {
  // notAfter 2029-05-31 14:59:59Z = 2029-05-31 23:59:59 JST
  it("the last valid second is still valid, the next is expired", () => {
    expect(
      judgeCertificate(cert("2024-01-01T00:00:00Z", "2029-05-31T14:59:59Z"), new Date("2029-05-31T14:59:59Z")).state,
    ).toBe("renewal-window");
    expect(
      judgeCertificate(cert("2024-01-01T00:00:00Z", "2029-05-31T14:59:59Z"), new Date("2029-05-31T14:59:59.001Z"))
        .state,
    ).toBe("expired");
  });

  it("renewal opens on the same day 3 months before, clamped: 31 May -> 28 Feb (not a leap year)", () => {
    const c = cert("2024-01-01T00:00:00Z", "2029-05-31T14:59:59Z");
    // 2029-02-27 23:59:59 JST: not yet
    expect(judgeCertificate(c, new Date("2029-02-27T14:59:59Z")).state).toBe("valid");
    // 2029-02-28 00:00 JST (= 27 Feb 15:00 UTC): open
    expect(judgeCertificate(c, new Date("2029-02-27T15:00:00Z")).state).toBe("renewal-window");
    expect(judgeCertificate(c, new Date("2029-02-27T15:00:00Z")).windowOpens).toBe("2029-02-28");
  });

  it("31 May in a leap year opens on 29 February", () => {
    const c = cert("2023-01-01T00:00:00Z", "2028-05-31T14:59:59Z");
    expect(judgeCertificate(c, new Date("2028-02-28T14:59:59Z")).state).toBe("valid");
    expect(judgeCertificate(c, new Date("2028-02-28T15:00:00Z")).windowOpens).toBe("2028-02-29");
    expect(judgeCertificate(c, new Date("2028-02-28T15:00:00Z")).state).toBe("renewal-window");
  });

  it("a certificate ending on 29 February opens on 29 November", () => {
    const c = cert("2023-01-01T00:00:00Z", "2028-02-29T14:59:59Z");
    expect(judgeCertificate(c, new Date("2027-11-28T15:00:00Z")).windowOpens).toBe("2027-11-29");
    expect(judgeCertificate(c, new Date("2027-11-28T14:59:59Z")).state).toBe("valid");
    expect(judgeCertificate(c, new Date("2027-11-28T15:00:00Z")).state).toBe("renewal-window");
  });

  it("Japan date, not UTC date: 00:30 JST on expiry+1 is expired", () => {
    const c = cert("2024-01-01T00:00:00Z", "2029-05-31T14:59:59Z");
    const j = judgeCertificate(c, new Date("2029-05-31T15:30:00Z"));
    expect(j.state).toBe("expired");
    expect(j.expiryDate).toBe("2029-05-31");
  });

  it("gives the same answer whatever the machine's time zone", () => {
    const c = cert("2024-01-01T00:00:00Z", "2029-05-31T14:59:59Z");
    const old = process.env.TZ;
    const results: string[] = [];
    for (const tz of ["UTC", "America/Los_Angeles", "Asia/Tokyo", "Pacific/Kiritimati"]) {
      process.env.TZ = tz;
      const j = judgeCertificate(c, new Date("2029-02-27T15:00:00Z"));
      results.push(`${j.state} ${j.windowOpens} ${j.daysLeft}`);
    }
    process.env.TZ = old;
    expect(new Set(results).size).toBe(1);
  });

  it("valid to the card's expiry (before the 5th birthday): the certificate's own notAfter decides", () => {
    // Card expires 2027-08-10 (10th birthday of a minor's card); the certificate ends with it.
    const f = facts({ authCertificate: cert("2022-08-11T00:00:00Z", "2027-08-10T14:59:59Z") });
    expect(codes(f, "2027-05-09T14:59:59Z").codes).not.toContain("auth-cert-renewal-window");
    expect(codes(f, "2027-05-09T14:59:59Z").level).toBe("ready");
    expect(codes(f, "2027-05-09T15:00:00Z").codes).toContain("auth-cert-renewal-window");
    expect(codes(f, "2027-08-10T15:00:00Z").codes).toContain("auth-cert-expired");
    expect(codes(f, "2027-08-10T15:00:00Z").level).toBe("blocked");
  });
});

describe("verdict", () => {
  const NOW = "2026-11-26T03:00:00Z";

  it("a healthy card is ready for login; signing cannot be told without the PIN", () => {
    const r = codes(facts(), NOW);
    expect(r.level).toBe("ready");
    expect(r.v.readiness.sign).toBe("unknown");
    expect(r.codes).toEqual(["sign-cert-not-checked", "revocation-not-checked"]);
  });

  it("never claims revocation was checked; lists it as not checked", () => {
    const r = codes(facts(), NOW);
    const f = r.v.findings.find((x) => x.code === "revocation-not-checked")!;
    expect(f.text.en).toMatch(/cannot be checked/);
  });

  it("the sign-cert finding reminds of automatic revocation on moving or marriage", () => {
    const r = codes(facts(), NOW);
    const f = r.v.findings.find((x) => x.code === "sign-cert-not-checked")!;
    expect(f.steps.map((s) => s.code)).toContain("sign-revoked-on-change");
  });

  it.each([
    [3, "ready", []],
    [2, "ready", ["auth-pin-two-left"]],
    [1, "attention", ["auth-pin-last-try"]],
    [0, "blocked", ["auth-pin-locked"]],
  ] as const)("auth PIN with %i tries: %s", (tries, level, extra) => {
    const f = facts();
    f.pins.auth = { triesLeft: tries, maxTries: 3, locked: tries === 0 };
    const r = codes(f, NOW);
    expect(r.level).toBe(level);
    for (const c of extra) expect(r.codes).toContain(c);
  });

  it("a locked signature PIN blocks signing, offers the convenience-store reset, leaves login ready", () => {
    const f = facts();
    f.pins.signature = { triesLeft: 0, maxTries: 5, locked: true };
    const r = codes(f, NOW);
    expect(r.v.readiness.login).toBe("ready");
    expect(r.v.readiness.sign).toBe("blocked");
    const steps = r.v.findings.find((x) => x.code === "sign-pin-locked")!.steps.map((s) => s.code);
    expect(steps).toContain("reset-sign-pin-store");
  });

  it("no store reset offered when the 4-digit PIN is locked too (the app needs it)", () => {
    const f = facts();
    f.pins.signature = { triesLeft: 0, maxTries: 5, locked: true };
    f.pins.auth = { triesLeft: 0, maxTries: 3, locked: true };
    const steps = codes(f, NOW)
      .v.findings.find((x) => x.code === "sign-pin-locked")!
      .steps.map((s) => s.code);
    expect(steps).not.toContain("reset-sign-pin-store");
  });

  it("missing certificates: blocked with the likely reasons", () => {
    const f = facts({ authCertificate: null, presence: { auth: "absent", signature: "absent" } });
    const r = codes(f, NOW, "sign");
    expect(r.level).toBe("blocked");
    expect(r.codes).toEqual(expect.arrayContaining(["auth-cert-missing", "sign-cert-missing"]));
    const steps = r.v.findings.find((x) => x.code === "sign-cert-missing")!.steps.map((s) => s.code);
    expect(steps).toContain("no-sign-cert-why");
  });

  it("renewal steps carry Hiratsuka's reservation details and phone", () => {
    const f = facts({ authCertificate: cert("2022-01-01T00:00:00Z", "2027-01-10T14:59:59Z") });
    const r = codes(f, NOW);
    expect(r.level).toBe("attention");
    const renew = r.v.findings.find((x) => x.code === "auth-cert-renewal-window")!;
    expect(renew.params.days).toBe(45);
    const all = JSON.stringify(renew.steps);
    expect(all).toContain("ログインID");
    expect(all).toContain("0463-71-6521");
    expect(r.v.window.phone).toBe("0463-71-6521");
    // The next opening time is part of the steps: Thu 26 Nov 2026 12:00 JST -> open now until 17:00.
    const visit = renew.steps.find((st) => st.code === "visit-counter")!;
    expect(visit.text.ja).toContain("本館3階");
    expect(visit.text.en).toContain("open now, until 17:00");
    const late = codes(f, "2026-11-27T10:00:00Z"); // Fri 19:00 JST
    const visitLate = late.v.findings
      .find((x) => x.code === "auth-cert-renewal-window")!
      .steps.find((st) => st.code === "visit-counter")!;
    expect(visitLate.text.en).toContain("next open: Sat 28 Nov, 8:30-12:00");
  });

  it("other municipalities fall back to national guidance", () => {
    const f = facts({ authCertificate: cert("2020-01-01T00:00:00Z", "2026-01-10T14:59:59Z") });
    const v = evaluate(f, { now: new Date(NOW), locality: null });
    expect(v.findings[0]!.code).toBe("auth-cert-expired");
    expect(v.findings[0]!.steps.map((s) => s.code)).toEqual([
      "renew",
      "compare-card-expiry",
      "check-municipality-page-national",
      "national-helpline",
      "smartphone-login",
    ]);
    expect(v.window.name.ja).toContain("市区町村");
    expect(v.window.next).toBeNull();
  });

  it("PC/SC problems become diagnostics and 'cannot tell', claiming nothing about the card", () => {
    const f = emptyFacts(new Date(NOW));
    f.problems.push({ code: "pcsc-unavailable", message: "x" });
    const r = codes(f, NOW);
    expect(r.level).toBe("unknown");
    expect(r.codes).toEqual(["pcsc-unavailable"]);
    expect(r.v.findings[0]!.steps[0]!.code).toBe("start-pcscd");
  });

  it("not a My Number card / 住基カード: blocked with the right step", () => {
    const f = facts({ problems: [{ code: "juki-card", message: "x" }] });
    f.card = { kind: "juki", atr: "", token: "JPKIAPICCTOKEN" };
    const r = codes(f, NOW);
    expect(r.level).toBe("blocked");
    expect(r.codes).toEqual(["juki-card"]);
  });

  it("a certificate that fails its chain blocks; an unbundled J-LIS generation is only information", () => {
    const f = facts();
    f.authCertificate = { ...f.authCertificate!, chain: "failed" };
    expect(codes(f, NOW).level).toBe("blocked");
    f.authCertificate = { ...f.authCertificate!, chain: "anchor-not-bundled" };
    expect(codes(f, NOW).level).toBe("ready");
    expect(codes(f, NOW).codes).toContain("cert-anchor-not-bundled");
  });
});

describe("PIN resets: the store path needs the other PIN (every combination of the two PIN states)", () => {
  const AUTH = [null, 0, 1, 2, 3] as const;
  const SIGN = [null, 0, 1, 2, 3, 4, 5] as const;
  for (const a of AUTH)
    for (const s of SIGN)
      it(`auth PIN ${a ?? "unknown"} left, signature PIN ${s ?? "unknown"} left`, () => {
        const f = facts();
        f.pins.auth = { triesLeft: a, maxTries: 3, locked: a === null ? null : a === 0 };
        f.pins.signature = { triesLeft: s, maxTries: 5, locked: s === null ? null : s === 0 };
        const v = evaluate(f, {
          now: new Date("2026-11-26T03:00:00Z"),
          action: "login",
          locality: locality("hiratsuka"),
        });
        VerdictSchema.parse(v);
        const stepsOf = (code: string) => v.findings.find((x) => x.code === code)?.steps.map((st) => st.code) ?? null;
        // The authentication PIN.
        const authFinding = a === 0 ? "auth-pin-locked" : a === 1 ? "auth-pin-last-try" : null;
        if (authFinding) {
          const steps = stepsOf(authFinding)!;
          const storeOk = s !== null && s > 0;
          expect(steps.includes("reset-auth-pin-store"), "auth store path").toBe(storeOk);
          // Store first, counter second.
          if (storeOk) expect(steps.indexOf("reset-auth-pin-store")).toBeLessThan(steps.indexOf("unlock-pin-window"));
          expect(steps).toContain("unlock-pin-window");
          expect(steps.includes("reset-sign-pin-store")).toBe(false);
          // A locked authentication PIN blocks card login: the smartphone certificate is mentioned (last).
          expect(steps.includes("smartphone-login")).toBe(a === 0);
        }
        // The signature PIN.
        const signFinding = s === 0 ? "sign-pin-locked" : s === 1 ? "sign-pin-last-try" : null;
        if (signFinding) {
          const steps = stepsOf(signFinding)!;
          const storeOk = a !== null && a > 0;
          expect(steps.includes("reset-sign-pin-store"), "sign store path").toBe(storeOk);
          if (storeOk) expect(steps.indexOf("reset-sign-pin-store")).toBeLessThan(steps.indexOf("unlock-pin-window"));
          expect(steps).toContain("unlock-pin-window");
          expect(steps.includes("reset-auth-pin-store")).toBe(false);
          expect(steps.includes("smartphone-login")).toBe(false);
        }
      });
});

describe("smartphone certificate, renewal and e-Tax", () => {
  it("login blocked by the card (expired or missing authentication certificate) mentions the smartphone, without promising signing", () => {
    const expired = facts({ authCertificate: cert("2019-01-01T00:00:00Z", "2026-01-10T14:59:59Z") });
    const r = codes(expired, "2026-11-26T03:00:00Z");
    expect(r.v.findings.find((x) => x.code === "auth-cert-expired")!.steps.map((st) => st.code)).toContain(
      "smartphone-login",
    );
    const missing = facts({ authCertificate: null, presence: { auth: "absent", signature: "present" } });
    expect(codes(missing, "2026-11-26T03:00:00Z").v.findings[0]!.steps.map((st) => st.code)).toContain(
      "smartphone-login",
    );
    const step = r.v.findings
      .find((x) => x.code === "auth-cert-expired")!
      .steps.find((st) => st.code === "smartphone-login")!;
    expect(step.text.ja).toContain("iPhone");
    expect(step.text.en).toMatch(/not judged here/);
  });

  it("in the renewal window: renewing early keeps the full term; for signing, e-Tax takes the new certificate from the next day", () => {
    const f = facts({ authCertificate: cert("2022-01-01T00:00:00Z", "2027-01-10T14:59:59Z") });
    const login = codes(f, "2026-11-26T03:00:00Z", "login");
    const steps = login.v.findings.find((x) => x.code === "auth-cert-renewal-window")!.steps.map((st) => st.code);
    expect(steps).toContain("renew-early-keeps-term");
    expect(steps).not.toContain("etax-next-day");
    const sign = codes(f, "2026-11-26T03:00:00Z", "sign");
    expect(sign.v.findings.find((x) => x.code === "auth-cert-renewal-window")!.steps.map((st) => st.code)).toContain(
      "etax-next-day",
    );
  });

  it("the validity scheme is data: an EC (next-generation) certificate's window opens a year before expiry", () => {
    const rsa = judgeCertificate(
      cert("2025-01-01T00:00:00Z", "2030-01-10T14:59:59Z"),
      new Date("2029-06-01T00:00:00Z"),
    );
    expect(rsa.state).toBe("valid");
    expect(rsa.windowOpens).toBe("2029-10-10");
    const ec = judgeCertificate(
      { ...cert("2028-01-01T00:00:00Z", "2038-01-10T14:59:59Z"), keyAlgorithm: "EC" },
      new Date("2037-06-01T00:00:00Z"),
    );
    expect(ec.windowOpens).toBe("2037-01-10");
    expect(ec.state).toBe("renewal-window");
  });
});

/**
 * Rules: card facts + intended action + a date -> the verdict a citizen
 * reads. Pure functions: no I/O, no clock reads (the date is an argument).
 * Dates are compared in Japan time whatever the machine's zone.
 */
import type { CardFacts, CertificateFacts } from "./facts.js";
import type { Locality } from "./guidance/index.js";
import { CARD_EXPIRY, NATIONAL, VALIDITY_SCHEMES, validitySchemeFor } from "./guidance/national.js";
import type { Text } from "./guidance/schema.js";
import { issueSteps, renewalSteps, step, unlockSteps, windowFor } from "./guidance/steps.js";
import { bilingual, type Params } from "./messages.js";
import { addMonths, calendarDaysBetween, compareJstDate, formatJstDate, jstDate } from "./time.js";

export const LEVELS = ["ready", "attention", "blocked", "unknown"] as const;
export type Level = (typeof LEVELS)[number];
export const ACTIONS = ["login", "sign"] as const;
export type Action = (typeof ACTIONS)[number];

export const FINDING_CODES = [
  "auth-cert-expired",
  "auth-cert-not-yet-valid",
  "auth-cert-renewal-window",
  "auth-cert-missing",
  "auth-cert-unreadable",
  "sign-cert-expired",
  "sign-cert-not-yet-valid",
  "sign-cert-renewal-window",
  "sign-cert-missing",
  "sign-cert-not-checked",
  "auth-pin-locked",
  "auth-pin-last-try",
  "auth-pin-two-left",
  "sign-pin-locked",
  "sign-pin-last-try",
  "sign-pin-two-left",
  "pin-status-unknown",
  "cert-chain-failed",
  "cert-untrusted-issuer",
  "cert-anchor-not-bundled",
  "cert-test-ca",
  "not-mynumber",
  "juki-card",
  "revocation-not-checked",
  "pcsc-unavailable",
  "no-reader",
  "reader-not-found",
  "no-card",
  "card-busy",
  "card-removed",
  "card-timeout",
  "card-error",
  "bad-response",
  "certificate-invalid",
  "internal",
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

export const STEP_CODES = [
  "renew",
  "renew-reservation",
  "renew-bring",
  "renew-not-accepted",
  "window",
  "visit-counter",
  "issue-certificate",
  "no-sign-cert-why",
  "check-sign-cert",
  "sign-revoked-on-change",
  "unlock-pin-window",
  "unlock-pin-proxy",
  "reset-sign-pin-store",
  "reset-auth-pin-store",
  "smartphone-login",
  "renew-early-keeps-term",
  "etax-next-day",
  "do-not-guess",
  "start-pcscd",
  "connect-reader",
  "insert-card",
  "close-other-program",
  "reinsert-card",
  "use-mynumber-card",
  "apply-mynumber-card",
  "check-clock",
  "card-damaged",
  "report-problem",
  "renew-local",
  "visit-office",
  "unlock-pin-local",
  "check-municipality-page",
  "check-municipality-page-national",
  "national-helpline",
  "info-as-of",
  "info-undated",
  "compare-card-expiry",
  "pin-which-auth",
  "pin-which-sign",
  "pin-other-pins",
] as const;
export type StepCode = (typeof STEP_CODES)[number];

export type { Finding, NextStep, Verdict } from "./verdict-schema.js";

import type { Finding, NextStep, Verdict } from "./verdict-schema.js";

export interface EvaluateOptions {
  action?: Action;
  /** The moment to judge for; the caller reads the clock. */
  now: Date;
  /** The citizen's municipality (null or absent: national guidance, naming no city). */
  locality?: Locality | null;
}

const text = (key: string, params: Params = {}): Text => bilingual(key, params);

interface CertJudgement {
  state: "expired" | "not-yet-valid" | "renewal-window" | "valid";
  daysLeft: number;
  expiryDate: string;
  windowOpens: string;
}

/**
 * Valid from notBefore through notAfter inclusive (RFC 5280). Renewal opens
 * on the same calendar day N months before the expiry date in Japan time,
 * clamped to the end of a shorter month; N comes from the certificate's
 * validity scheme (3 today).
 */
export function judgeCertificate(
  c: Pick<CertificateFacts, "notBefore" | "notAfter"> & Partial<Pick<CertificateFacts, "keyAlgorithm">>,
  now: Date,
): CertJudgement {
  const notAfter = new Date(c.notAfter);
  const notBefore = new Date(c.notBefore);
  const expiry = jstDate(notAfter);
  const opens = addMonths(expiry, -VALIDITY_SCHEMES[validitySchemeFor(c)].renewalWindowMonths);
  const base = {
    daysLeft: calendarDaysBetween(now, notAfter),
    expiryDate: formatJstDate(expiry),
    windowOpens: formatJstDate(opens),
  };
  if (now.getTime() > notAfter.getTime()) return { state: "expired", ...base };
  if (now.getTime() < notBefore.getTime()) return { state: "not-yet-valid", ...base };
  if (compareJstDate(jstDate(now), opens) >= 0) return { state: "renewal-window", ...base };
  return { state: "valid", ...base };
}

const PROBLEM_STEPS: Partial<Record<FindingCode, StepCode[]>> = {
  "pcsc-unavailable": ["start-pcscd"],
  "no-reader": ["connect-reader"],
  "reader-not-found": ["connect-reader"],
  "no-card": ["insert-card"],
  "card-busy": ["close-other-program"],
  "card-removed": ["reinsert-card"],
  "card-timeout": ["reinsert-card", "card-damaged"],
  "card-error": ["reinsert-card", "card-damaged"],
  "bad-response": ["reinsert-card", "card-damaged"],
  "certificate-invalid": ["card-damaged"],
  internal: ["report-problem"],
  "not-mynumber": ["use-mynumber-card"],
  "juki-card": ["apply-mynumber-card"],
};

export function evaluate(facts: CardFacts, options: EvaluateOptions): Verdict {
  const { now } = options;
  const action = options.action ?? "login";
  const l = options.locality ?? null;
  const findings: Finding[] = [];
  const add = (
    code: FindingCode,
    severity: Finding["severity"],
    affects: Action[],
    params: Params,
    steps: NextStep[],
  ) => findings.push({ code, severity, affects, params, text: text(`finding.${code}`, params), steps });

  // Problems that stopped the check: diagnostic findings, nothing claimed about the card.
  let cannotTell = false;
  for (const p of facts.problems) {
    const code = (FINDING_CODES as readonly string[]).includes(p.code) ? (p.code as FindingCode) : "internal";
    const isCardKind = code === "not-mynumber" || code === "juki-card";
    if (!isCardKind) cannotTell = true;
    add(
      code,
      isCardKind ? "blocker" : "warning",
      isCardKind ? ["login", "sign"] : [],
      { reader: facts.reader?.name ?? "" },
      (PROBLEM_STEPS[code] ?? ["report-problem"]).map((s) => step(s)),
    );
  }

  const cardOk = facts.card?.kind === "mynumber" || (facts.card?.kind === "unknown" && facts.problems.length === 0);
  if (cardOk) {
    // Authentication certificate.
    if (facts.authCertificate) judgeCert("auth", facts.authCertificate);
    else if (facts.presence.auth === "absent")
      add("auth-cert-missing", "blocker", ["login", "sign"], {}, [...issueSteps(l, now), step("smartphone-login")]);
    else if (!cannotTell) add("auth-cert-unreadable", "warning", ["login"], {}, [step("reinsert-card")]);

    // Signature certificate.
    if (facts.signatureCertificate) judgeCert("sign", facts.signatureCertificate);
    else if (facts.presence.signature === "absent")
      add("sign-cert-missing", "blocker", ["sign"], {}, [step("no-sign-cert-why"), ...issueSteps(l, now)]);
    else if (facts.presence.signature === "present") {
      const p: Params = facts.authCertificate
        ? { authExpiry: formatJstDate(jstDate(new Date(facts.authCertificate.notAfter))) }
        : {};
      add("sign-cert-not-checked", "info", [], p, [step("check-sign-cert"), step("sign-revoked-on-change")]);
    }

    // PINs.
    pinFindings("auth", facts.pins.auth.triesLeft);
    pinFindings("sign", facts.pins.signature.triesLeft);
    if (!cannotTell) add("revocation-not-checked", "info", [], {}, []);
  }

  const readiness = {
    login: levelFor("login", findings, cannotTell, facts),
    sign: levelFor("sign", findings, cannotTell, facts),
  };
  const window = windowFor(l, now, NATIONAL.genericWindow);
  const level = readiness[action];
  return {
    level,
    action,
    readiness,
    on: now.toISOString(),
    findings: sortFindings(findings),
    window,
    summary: text(`summary.${action}.${level}`),
    pinHelp: pinHelp(facts, l, now),
  };

  function judgeCert(which: "auth" | "sign", c: CertificateFacts): void {
    const j = judgeCertificate(c, now);
    const affects: Action[] = which === "auth" ? ["login", "sign"] : ["sign"];
    const params = {
      days: j.daysLeft,
      date: j.expiryDate,
      opens: j.windowOpens,
      start: formatJstDate(jstDate(new Date(c.notBefore))),
    };
    // Signing on e-Tax soon: a renewed certificate works there only from the next day.
    const etax = action === "sign" ? [step("etax-next-day")] : [];
    if (j.state === "expired")
      add(`${which}-cert-expired`, "blocker", affects, params, [
        ...withCardExpiry(renewalSteps(l, now), params.date),
        ...etax,
        ...(which === "auth" ? [step("smartphone-login")] : []),
      ]);
    else if (j.state === "not-yet-valid")
      add(`${which}-cert-not-yet-valid`, "blocker", affects, params, [step("check-clock")]);
    else if (j.state === "renewal-window")
      add(`${which}-cert-renewal-window`, "warning", [], params, [
        ...withCardExpiry(renewalSteps(l, now), params.date),
        step("renew-early-keeps-term"),
        ...etax,
      ]);
    if (c.chain === "failed") add("cert-chain-failed", "blocker", affects, { which }, [step("card-damaged")]);
    else if (c.chain === "untrusted" && c.issuer.kind === "test") add("cert-test-ca", "info", [], { which }, []);
    else if (c.chain === "untrusted")
      add("cert-untrusted-issuer", "blocker", affects, { which }, [step("use-mynumber-card")]);
    else if (c.chain === "anchor-not-bundled") add("cert-anchor-not-bundled", "info", [], { which }, []);
    else if (c.issuer.kind === "test") add("cert-test-ca", "info", [], { which }, []);
  }

  function pinFindings(which: "auth" | "sign", tries: number | null): void {
    if (tries === null) {
      if (!cannotTell) add("pin-status-unknown", "warning", [], { which }, [step("reinsert-card")]);
      return;
    }
    const affects: Action[] = which === "auth" ? ["login", "sign"] : ["sign"];
    // A store kiosk can reset either PIN, after the JPKI PIN-reset app's check, but each needs the
    // OTHER PIN: offered first only while the other PIN is known to work (tries left, not locked).
    const other = which === "auth" ? facts.pins.signature.triesLeft : facts.pins.auth.triesLeft;
    const store =
      other !== null && other > 0 ? [step(which === "auth" ? "reset-auth-pin-store" : "reset-sign-pin-store")] : [];
    const resetSteps = [...store, ...unlockSteps(l, now)];
    // Login blocked by the card: a smartphone certificate already issued still logs in to Mynaportal.
    const phone = which === "auth" ? [step("smartphone-login")] : [];
    if (tries === 0) add(`${which}-pin-locked`, "blocker", affects, { tries }, [...resetSteps, ...phone]);
    else if (tries === 1)
      add(`${which}-pin-last-try`, "warning", affects, { tries }, [step("do-not-guess"), ...resetSteps]);
    else if (tries === 2) add(`${which}-pin-two-left`, "info", affects, { tries }, [step("do-not-guess")]);
  }
}

function levelFor(action: Action, findings: Finding[], cannotTell: boolean, facts: CardFacts): Level {
  const relevant = findings.filter((f) => f.affects.includes(action) || f.affects.length === 0);
  if (relevant.some((f) => f.severity === "blocker" && f.affects.includes(action))) return "blocked";
  if (cannotTell) return "unknown";
  if (action === "sign" && !facts.signatureCertificate && facts.presence.signature !== "absent") {
    // The signature certificate itself was not read: say "attention" only when something else is wrong.
    if (relevant.some((f) => f.severity === "warning")) return "attention";
    return "unknown";
  }
  if (relevant.some((f) => f.severity === "warning")) return "attention";
  return "ready";
}

/**
 * The renewal steps with "compare the card's printed expiry" second: the first
 * step (how to renew here) stays the one the banner shows; the comparison comes
 * before any booking detail, since a card that ends first needs a new card.
 */
function withCardExpiry(steps: NextStep[], date: string): NextStep[] {
  const compare = step("compare-card-expiry", { date, minorAge: CARD_EXPIRY.minorAge });
  return [...steps.slice(0, 1), compare, ...steps.slice(1)];
}

/**
 * 「暗証番号がわからない」, offered at any tries count: which PIN is which,
 * the store reset when the other PIN is known (and not locked), the counter
 * (the citizen's own, or what is true everywhere).
 */
export function pinHelp(facts: CardFacts, l: Locality | null, now: Date): { auth: NextStep[]; sign: NextStep[] } {
  const usable = (t: number | null) => t === null || t > 0;
  const counter = unlockSteps(l, now);
  return {
    auth: [
      step("pin-which-auth"),
      ...(usable(facts.pins.signature.triesLeft) ? [step("reset-auth-pin-store")] : []),
      ...counter,
      step("pin-other-pins"),
    ],
    sign: [
      step("pin-which-sign"),
      ...(usable(facts.pins.auth.triesLeft) ? [step("reset-sign-pin-store")] : []),
      ...counter,
      step("pin-other-pins"),
    ],
  };
}

const SEVERITY_ORDER = { blocker: 0, warning: 1, info: 2 } as const;
function sortFindings(f: Finding[]): Finding[] {
  return [...f].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

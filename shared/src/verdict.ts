/**
 * Rules: card facts + intended action + a date -> the verdict a citizen
 * reads. Pure functions: no I/O, no clock reads (the date is an argument).
 * Dates are compared in Japan time whatever the machine's zone.
 */
import type { CardFacts, CertificateFacts } from "./facts.js";
import { affectsOf, FINDING_TABLE, type FindingCode, type StepPart } from "./findings.js";
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

export { FINDING_CODES, FINDING_TABLE, type FindingCode } from "./findings.js";

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
  "qr-login",
  "another-computer",
  "check-portal-environment",
  "enable-official-extension",
  "restart-browser",
  "official-app-windows",
  "official-app-mac",
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

export function evaluate(facts: CardFacts, options: EvaluateOptions): Verdict {
  const { now } = options;
  const l = options.locality ?? null;
  const findings: Finding[] = [];
  /** A finding: everything but its params comes from its row (findings.ts). */
  const add = (code: FindingCode, params: Params, which: "auth" | "sign" | null = null) => {
    const row = FINDING_TABLE[code];
    findings.push({
      code,
      severity: row.severity,
      affects: affectsOf(code, which),
      params,
      text: text(`finding.${code}`, params),
      steps: row.steps.flatMap((part) => expand(part, which, params)),
    });
  };

  // Problems that stopped the check: diagnostic findings, nothing claimed about the card.
  let cannotTell = false;
  for (const p of facts.problems) {
    const code: FindingCode = Object.hasOwn(FINDING_TABLE, p.code) ? (p.code as FindingCode) : "internal";
    if (FINDING_TABLE[code].source !== "card") cannotTell = true;
    add(code, { reader: facts.reader?.name ?? "" });
  }

  const cardOk = facts.card?.kind === "mynumber" || (facts.card?.kind === "unknown" && facts.problems.length === 0);
  if (cardOk) {
    // Authentication certificate.
    if (facts.authCertificate) judgeCert("auth", facts.authCertificate);
    else if (facts.presence.auth === "absent") add("auth-cert-missing", {}, "auth");
    else if (!cannotTell) add("auth-cert-unreadable", {}, "auth");

    // Signature certificate.
    if (facts.signatureCertificate) judgeCert("sign", facts.signatureCertificate);
    else if (facts.presence.signature === "absent") add("sign-cert-missing", {}, "sign");
    else if (facts.presence.signature === "present") {
      const p: Params = facts.authCertificate
        ? { authExpiry: formatJstDate(jstDate(new Date(facts.authCertificate.notAfter))) }
        : {};
      add("sign-cert-not-checked", p, "sign");
    }

    // PINs.
    pinFindings("auth", facts.pins.auth.triesLeft);
    pinFindings("sign", facts.pins.signature.triesLeft);
    if (!cannotTell) add("revocation-not-checked", {});
  }

  const readiness = {
    login: levelFor("login", findings, cannotTell, facts),
    sign: levelFor("sign", findings, cannotTell, facts),
  };
  // Judged for login first; the action's own parts (its level, summary, e-Tax's rule) are added by aimVerdict.
  const judged: Verdict = {
    level: readiness.login,
    action: "login",
    readiness,
    on: now.toISOString(),
    findings: sortFindings(findings),
    window: windowFor(l, now, NATIONAL.genericWindow),
    summary: text(`summary.login.${readiness.login}`),
    pinHelp: pinHelp(facts, l, now),
  };
  return aimVerdict(judged, options.action ?? "login");

  /** One part of a row's steps, made for this card and this place. */
  function expand(part: StepPart, which: "auth" | "sign" | null, params: Params): NextStep[] {
    switch (part) {
      case "@renewal":
        return withCardExpiry(renewalSteps(l, now), String(params.date));
      case "@issue":
        return issueSteps(l, now);
      case "@unlock":
        return unlockSteps(l, now);
      case "@store": {
        // A store kiosk can reset either PIN, after the JPKI PIN-reset app's check, but each needs the
        // OTHER PIN: offered first only while the other PIN is known to work (tries left, not locked).
        const other = which === "auth" ? facts.pins.signature.triesLeft : facts.pins.auth.triesLeft;
        return other !== null && other > 0
          ? [step(which === "auth" ? "reset-auth-pin-store" : "reset-sign-pin-store")]
          : [];
      }
      case "@etax":
        return []; // aimVerdict's
      default:
        return [step(part)];
    }
  }

  function judgeCert(which: "auth" | "sign", c: CertificateFacts): void {
    const j = judgeCertificate(c, now);
    const params = {
      days: j.daysLeft,
      date: j.expiryDate,
      opens: j.windowOpens,
      start: formatJstDate(jstDate(new Date(c.notBefore))),
    };
    if (j.state === "expired") add(`${which}-cert-expired`, params, which);
    else if (j.state === "not-yet-valid") add(`${which}-cert-not-yet-valid`, params, which);
    else if (j.state === "renewal-window") add(`${which}-cert-renewal-window`, params, which);
    if (c.chain === "failed") add("cert-chain-failed", { which }, which);
    else if (c.chain === "untrusted" && c.issuer.kind === "test") add("cert-test-ca", { which }, which);
    else if (c.chain === "untrusted") add("cert-untrusted-issuer", { which }, which);
    else if (c.chain === "anchor-not-bundled") add("cert-anchor-not-bundled", { which }, which);
    else if (c.issuer.kind === "test") add("cert-test-ca", { which }, which);
  }

  function pinFindings(which: "auth" | "sign", tries: number | null): void {
    if (tries === null) {
      if (!cannotTell) add("pin-status-unknown", { which }, which);
      return;
    }
    if (tries === 0) add(`${which}-pin-locked`, { tries }, which);
    else if (tries === 1) add(`${which}-pin-last-try`, { tries }, which);
    else if (tries === 2) add(`${which}-pin-two-left`, { tries }, which);
  }
}

/**
 * The same judgement for another action: its level and summary, and e-Tax's
 * next-day rule where a row asks for it ("@etax": a renewed certificate works
 * on e-Tax only from the next day). Pure: the extension re-aims the host's
 * login verdict for an e-Tax tab without asking the host again.
 */
export function aimVerdict(v: Verdict, action: Action): Verdict {
  if (v.action === action) return v;
  const level = v.readiness[action];
  return {
    ...v,
    level,
    action,
    summary: text(`summary.${action}.${level}`),
    findings: v.findings.map((f) => {
      const parts: readonly StepPart[] = FINDING_TABLE[f.code].steps;
      const at = parts.indexOf("@etax");
      if (at < 0) return f;
      const steps = f.steps.filter((s) => s.code !== "etax-next-day");
      if (action !== "sign") return { ...f, steps };
      // Only plain steps follow "@etax" in a row: it goes just before them.
      const cut = steps.length - (parts.length - 1 - at);
      return { ...f, steps: [...steps.slice(0, cut), step("etax-next-day"), ...steps.slice(cut)] };
    }),
  };
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

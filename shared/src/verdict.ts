/**
 * Rules: card facts + intended action + a date -> the verdict a citizen
 * reads. Pure functions: no I/O, no clock reads (the date is an argument).
 * Dates are compared in Japan time whatever the machine's zone.
 */
import type { CardFacts, CertificateFacts } from "./facts.js";
import { NATIONAL, VALIDITY_SCHEMES, validitySchemeFor } from "./guidance/national.js";
import { describeOpening, nextOpening } from "./guidance/schedule.js";
import type { Municipality, Text } from "./guidance/schema.js";
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
] as const;
export type StepCode = (typeof STEP_CODES)[number];

export type { Finding, NextStep, Verdict } from "./verdict-schema.js";

import type { Finding, NextStep, Verdict } from "./verdict-schema.js";

export interface EvaluateOptions {
  action?: Action;
  /** The moment to judge for; the caller reads the clock. */
  now: Date;
  municipality?: Municipality | null;
}

const text = (key: string, params: Params = {}): Text => bilingual(key, params);

function step(code: StepCode, params: Params = {}, url?: string): NextStep {
  return url ? { code, text: text(`step.${code}`, params), url } : { code, text: text(`step.${code}`, params) };
}

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

type OpeningInfo = ReturnType<typeof nextOpening>;

/** Where to go and when it is next open: "平塚市 …窓口(本館3階 304会議室)TEL …。次の受付: 11月28日(土) 8:30〜12:00". */
function counterStep(m: Municipality | null, opening: OpeningInfo): NextStep {
  const s = step("visit-counter");
  if (!m) return s;
  const next = opening ? describeOpening(opening) : null;
  s.text = {
    ja: `${m.name.ja} ${m.window.name.ja}(${m.window.place.ja})TEL ${m.window.phone}${next ? `。${next.ja}` : ""}`,
    en: `${m.name.en}: ${m.window.name.en}, ${m.window.place.en}, phone ${m.window.phone}${next ? `; ${next.en}` : ""}`,
  };
  return s;
}

function renewalSteps(m: Municipality | null, opening: OpeningInfo): NextStep[] {
  if (!m) return [step("renew")];
  const steps = [step("renew-reservation", {}, m.renewal.reservationUrl)];
  steps[0]!.text = m.renewal.reservation;
  const contact = step("window");
  contact.text = m.renewal.noReservationContact;
  steps.push(contact);
  const bring = step("renew-bring");
  bring.text = {
    ja: `持ち物: ${m.renewal.bringInPerson.map((b) => b.ja).join("、")}。代理人の場合: ${m.renewal.bringByProxy.map((b) => b.ja).join("、")}。`,
    en: `Bring: ${m.renewal.bringInPerson.map((b) => b.en).join("; ")}. A proxy brings: ${m.renewal.bringByProxy.map((b) => b.en).join("; ")}.`,
  };
  steps.push(bring);
  if (m.renewal.notAccepted.length > 0) {
    const na = step("renew-not-accepted");
    na.text = {
      ja: `受け付けていないもの: ${m.renewal.notAccepted.map((b) => b.ja).join("、")}。`,
      en: `Not accepted: ${m.renewal.notAccepted.map((b) => b.en).join("; ")}.`,
    };
    steps.push(na);
  }
  steps.push(counterStep(m, opening));
  return steps;
}

function unlockSteps(m: Municipality | null, opening: OpeningInfo): NextStep[] {
  const s = [step("unlock-pin-window")];
  const proxy = step("unlock-pin-proxy");
  if (m) proxy.text = m.pinReset.byProxy;
  s.push(proxy);
  if (m) s.push(counterStep(m, opening));
  return s;
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
  const m = options.municipality ?? null;
  const opening = m ? nextOpening(m, now) : null;
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
      add("auth-cert-missing", "blocker", ["login", "sign"], {}, [
        step("issue-certificate"),
        ...(m ? [counterStep(m, opening)] : []),
        step("smartphone-login"),
      ]);
    else if (!cannotTell) add("auth-cert-unreadable", "warning", ["login"], {}, [step("reinsert-card")]);

    // Signature certificate.
    if (facts.signatureCertificate) judgeCert("sign", facts.signatureCertificate);
    else if (facts.presence.signature === "absent")
      add("sign-cert-missing", "blocker", ["sign"], {}, [
        step("no-sign-cert-why"),
        step("issue-certificate"),
        ...(m ? [counterStep(m, opening)] : []),
      ]);
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
  const window = {
    municipality: m?.id ?? null,
    name: m
      ? { ja: `${m.name.ja} ${m.window.name.ja}`, en: `${m.name.en}: ${m.window.name.en}` }
      : NATIONAL.genericWindow,
    place: m?.window.place ?? null,
    phone: m?.window.phone ?? null,
    next: opening ? describeOpening(opening) : null,
  };
  const level = readiness[action];
  return {
    level,
    action,
    readiness,
    on: now.toISOString(),
    findings: sortFindings(findings),
    window,
    summary: text(`summary.${action}.${level}`),
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
        ...renewalSteps(m, opening),
        ...etax,
        ...(which === "auth" ? [step("smartphone-login")] : []),
      ]);
    else if (j.state === "not-yet-valid")
      add(`${which}-cert-not-yet-valid`, "blocker", affects, params, [step("check-clock")]);
    else if (j.state === "renewal-window")
      add(`${which}-cert-renewal-window`, "warning", [], params, [
        ...renewalSteps(m, opening),
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
    const resetSteps = [...store, ...unlockSteps(m, opening)];
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

const SEVERITY_ORDER = { blocker: 0, warning: 1, info: 2 } as const;
function sortFindings(f: Finding[]): Finding[] {
  return [...f].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

/**
 * The page's checklist: everything that can stop a login or a signature on
 * a portal page, in one list and one order. The page's own findings (the
 * OS and browser, the official extension and app) and the card's (the
 * PC/SC service, the reader, the card, its certificates and PINs) are
 * ordered by what blocks first: blockers, then warnings, then information;
 * within each, by where the login would stop (ORDER below). The banner
 * (its one sentence is the first item, "詳しく" the rest) and the popup
 * both take their list from here, and so does the help desk's reading of
 * a report's page findings.
 */
import { ENVIRONMENT_RULES, type OsKind, type PortalId, pageFinding } from "./environment.js";
import { FINDING_TABLE, type FindingCode, type FindingRow, type Severity } from "./findings.js";
import type { Action, Finding, NextStep, Verdict } from "./verdict.js";

/** Where a login stops, first to last: the order of the checklist within one severity. */
export const CHECKLIST_STAGES = [
  "environment",
  "official-extension",
  "official-app",
  "pcsc-service",
  "reader",
  "card",
  "certificate",
  "pin",
] as const;
export type ChecklistStage = (typeof CHECKLIST_STAGES)[number];

/** Each finding's stage (every code has one: the type says so). */
export const STAGE_OF: Record<FindingCode, ChecklistStage> = {
  "env-no-official-app": "environment",
  "env-reported-unsupported": "environment",
  "official-extension-not-detected": "official-extension",
  "official-app-not-detected": "official-app",
  "pcsc-unavailable": "pcsc-service",
  "no-reader": "reader",
  "reader-not-found": "reader",
  "no-card": "card",
  "card-busy": "card",
  "card-removed": "card",
  "card-timeout": "card",
  "card-error": "card",
  "bad-response": "card",
  "certificate-invalid": "card",
  "not-mynumber": "card",
  "juki-card": "card",
  internal: "card",
  "auth-cert-expired": "certificate",
  "auth-cert-not-yet-valid": "certificate",
  "auth-cert-renewal-window": "certificate",
  "auth-cert-missing": "certificate",
  "auth-cert-unreadable": "certificate",
  "sign-cert-expired": "certificate",
  "sign-cert-not-yet-valid": "certificate",
  "sign-cert-renewal-window": "certificate",
  "sign-cert-missing": "certificate",
  "sign-cert-not-checked": "certificate",
  "cert-chain-failed": "certificate",
  "cert-untrusted-issuer": "certificate",
  "cert-anchor-not-bundled": "certificate",
  "cert-test-ca": "certificate",
  "revocation-not-checked": "certificate",
  "auth-pin-locked": "pin",
  "auth-pin-last-try": "pin",
  "auth-pin-two-left": "pin",
  "sign-pin-locked": "pin",
  "sign-pin-last-try": "pin",
  "sign-pin-two-left": "pin",
  "pin-status-unknown": "pin",
};

/**
 * Problems that stopped the card check but do not stop a login before the
 * official app asks for the card: on a page they count as information
 * (listed, never a banner by themselves, never its first sentence). No
 * card: the official app asks the citizen to put it on the reader. A busy,
 * slow, removed or oddly answering card: often the official software
 * itself using it at that moment. A stopped PC/SC service and a missing
 * reader are not quiet: the login fails at the button (docs/decisions.md).
 */
export const QUIET_ON_PAGE: ReadonlySet<FindingCode> = new Set<FindingCode>([
  "no-card",
  "card-busy",
  "card-removed",
  "card-timeout",
  "card-error",
  "bad-response",
  "certificate-invalid",
  "internal",
]);

/** A finding's weight on a page: its own severity, except the quiet problems (information). */
export function pageSeverity(code: FindingCode): Severity {
  return QUIET_ON_PAGE.has(code) ? "info" : FINDING_TABLE[code].severity;
}

export interface ChecklistEntry {
  code: FindingCode;
  /** Its weight on the page (pageSeverity). */
  severity: Severity;
  stage: ChecklistStage;
  /** What it is about (the findings table's source column). */
  source: FindingRow["source"];
  /** It concerns the page's action (or no action in particular); false: only the other action. */
  forAction: boolean;
  /** The finding as judged: its own severity, text and steps. */
  finding: Finding;
}

const RANK: Record<Severity, number> = { blocker: 0, warning: 1, info: 2 };

/** Findings in checklist order: severity on the page, then stage; equal ones keep their order. */
export function orderFindings(findings: readonly Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort(
      (a, b) =>
        RANK[pageSeverity(a.f.code)] - RANK[pageSeverity(b.f.code)] ||
        CHECKLIST_STAGES.indexOf(STAGE_OF[a.f.code]) - CHECKLIST_STAGES.indexOf(STAGE_OF[b.f.code]) ||
        a.i - b.i,
    )
    .map((x) => x.f);
}

/**
 * The checklist for a page: its own findings (judged for its action) and
 * the card's verdict for that action, in checklist order; those for the
 * action first, then the card's findings that concern only the other
 * action (the popup shows them apart, the banner not at all).
 */
export function pageChecklist(o: {
  verdict: Pick<Verdict, "findings"> | null;
  page: readonly Finding[];
  action: Action;
}): ChecklistEntry[] {
  const entry = (f: Finding, forAction: boolean): ChecklistEntry => ({
    code: f.code,
    severity: pageSeverity(f.code),
    stage: STAGE_OF[f.code],
    source: FINDING_TABLE[f.code].source,
    forAction,
    finding: f,
  });
  const card = o.verdict?.findings ?? [];
  const mine = (f: Finding) => f.affects.length === 0 || f.affects.includes(o.action);
  const forAction = orderFindings([...o.page, ...card.filter(mine)]).map((f) => entry(f, true));
  const others = orderFindings(card.filter((f) => !mine(f))).map((f) => entry(f, false));
  return [...forAction, ...others];
}

/** Each entry's steps, without those an earlier entry of the list already gave (the same words). */
export function newSteps<E extends { finding: Pick<Finding, "steps"> }>(entries: readonly E[]): NextStep[][] {
  const seen = new Set<string>();
  return entries.map((e) =>
    e.finding.steps.filter((s) => {
      const k = `${s.code}\u0000${s.text.ja}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    }),
  );
}

/**
 * The official app's steps for this OS: the other OS's app is left out
 * (Windows gets the Windows app, macOS the Mac app); an unknown OS keeps both.
 */
export function officialAppStepsFor(f: Finding, os: OsKind | null): Finding {
  const other = os === "win" ? "official-app-mac" : os === "mac" ? "official-app-windows" : null;
  return other ? { ...f, steps: f.steps.filter((s) => s.code !== other) } : f;
}

/**
 * The page findings a report names by code, as the popup showed them:
 * an environment finding takes its rule's words (the portal, the
 * environment, a report's date) from the rule for that portal and action
 * (or the only rule giving it); the official app's steps follow the OS.
 * In checklist order.
 */
export function pageFindingsFromCodes(
  codes: readonly FindingCode[],
  where: { portal?: PortalId | null; action?: Action; os?: string | null } = {},
): Finding[] {
  const os = (where.os ?? null) as OsKind | null;
  const out = codes
    .filter((c) => FINDING_TABLE[c].source === "page")
    .map((code) => {
      const rules = ENVIRONMENT_RULES.filter((r) => r.finding === code);
      const rule =
        rules.find(
          (r) =>
            (where.portal == null || r.portal === where.portal) && (where.action == null || r.action === where.action),
        ) ?? (rules.length === 1 ? rules[0] : undefined);
      const params = rule ? { ...(rule.params ?? {}), ...(rule.reported ? { date: rule.date } : {}) } : {};
      return officialAppStepsFor(pageFinding(code, params), os);
    });
  return orderFindings(out);
}

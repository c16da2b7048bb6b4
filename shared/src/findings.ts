/**
 * Every verdict finding in one table: how grave, which actions it stands in
 * the way of, its next steps, what it is about, and the doctor's checklist
 * item it belongs to. evaluate() (verdict.ts) decides which findings a card
 * has; everything else about a finding is its row here, so a new finding is
 * one row (plus its sentence in the catalog; findings.test.ts checks both).
 */
import { ERROR_TABLE, type ErrorCode } from "./errors.js";
import type { Action, StepCode } from "./verdict.js";

export type Severity = "blocker" | "warning" | "info";

/**
 * A next step, or a placeholder filled in when the verdict is made:
 * "@renewal" how to renew here (with "compare the card's printed expiry"),
 * "@issue" how to have a certificate issued here, "@unlock" the counter that
 * resets a PIN here, "@store" the store kiosk reset (only while the other
 * PIN works), "@etax" e-Tax's next-day rule (only when judging for signing;
 * only plain steps may follow it).
 */
export type StepPart = StepCode | "@renewal" | "@issue" | "@unlock" | "@store" | "@etax";

/** The doctor's checklist items a finding can belong to (doctor.item.* in the catalog). */
export type DoctorItemId =
  | "pcsc-service"
  | "readers"
  | "card"
  | "card-kind"
  | "auth-certificate"
  | "signature-certificate"
  | "auth-pin"
  | "signature-pin";

export interface FindingRow {
  severity: Severity;
  /** The actions it stands in the way of; "which": those of the certificate or PIN it names (params.which). */
  affects: readonly Action[] | "which";
  steps: readonly StepPart[];
  /**
   * What it is about: a certificate, a PIN counter, the card itself, a
   * problem that stopped the check, what this computer cannot check, or the
   * page's environment ("page": the browser and OS the portal runs in; never
   * on the card checklist, the CLI cannot see a page).
   */
  source: "certificate" | "pin" | "card" | "check" | "limits" | "page";
  /** The checklist item it belongs to (by params.which when it names either), or null: the verdict line only. */
  doctorItem: DoctorItemId | { auth: DoctorItemId; sign: DoctorItemId } | null;
}

const BOTH: readonly Action[] = ["login", "sign"];
const SIGN: readonly Action[] = ["sign"];
const NONE: readonly Action[] = [];
const CERT = { auth: "auth-certificate", sign: "signature-certificate" } as const;
const PIN = { auth: "auth-pin", sign: "signature-pin" } as const;

const cert = (which: "auth" | "sign", severity: Severity, affects: readonly Action[], steps: readonly StepPart[]) =>
  ({ severity, affects, steps, source: "certificate", doctorItem: CERT[which] }) as const;
const pin = (which: "auth" | "sign", severity: Severity, steps: readonly StepPart[]) =>
  ({ severity, affects: which === "auth" ? BOTH : SIGN, steps, source: "pin", doctorItem: PIN[which] }) as const;
/** A problem that stopped the check: its steps are the error table's; nothing is claimed about the card. */
const problem = (code: ErrorCode, doctorItem: DoctorItemId) =>
  ({ severity: "warning", affects: NONE, steps: ERROR_TABLE[code].steps, source: "check", doctorItem }) as const;

/** A problem that keeps the card out of reach whatever the card: its steps, then the way without a reader. */
const withoutReader = <R extends { steps: readonly StepPart[] }>(r: R) =>
  ({ ...r, steps: [...r.steps, "qr-login"] }) as const;

export const FINDING_TABLE = {
  "auth-cert-expired": cert("auth", "blocker", BOTH, ["@renewal", "@etax", "smartphone-login"]),
  "auth-cert-not-yet-valid": cert("auth", "blocker", BOTH, ["check-clock"]),
  "auth-cert-renewal-window": cert("auth", "warning", NONE, ["@renewal", "renew-early-keeps-term", "@etax"]),
  "auth-cert-missing": cert("auth", "blocker", BOTH, ["@issue", "smartphone-login"]),
  "auth-cert-unreadable": cert("auth", "warning", ["login"], ["reinsert-card"]),
  "sign-cert-expired": cert("sign", "blocker", SIGN, ["@renewal", "@etax"]),
  "sign-cert-not-yet-valid": cert("sign", "blocker", SIGN, ["check-clock"]),
  "sign-cert-renewal-window": cert("sign", "warning", NONE, ["@renewal", "renew-early-keeps-term", "@etax"]),
  "sign-cert-missing": cert("sign", "blocker", SIGN, ["no-sign-cert-why", "@issue"]),
  "sign-cert-not-checked": {
    severity: "info",
    affects: NONE,
    steps: ["check-sign-cert", "sign-revoked-on-change"],
    source: "limits",
    doctorItem: "signature-certificate",
  },
  "auth-pin-locked": pin("auth", "blocker", ["@store", "@unlock", "smartphone-login"]),
  "auth-pin-last-try": pin("auth", "warning", ["do-not-guess", "@store", "@unlock"]),
  "auth-pin-two-left": pin("auth", "info", ["do-not-guess"]),
  "sign-pin-locked": pin("sign", "blocker", ["@store", "@unlock"]),
  "sign-pin-last-try": pin("sign", "warning", ["do-not-guess", "@store", "@unlock"]),
  "sign-pin-two-left": pin("sign", "info", ["do-not-guess"]),
  "pin-status-unknown": {
    severity: "warning",
    affects: NONE,
    steps: ["reinsert-card"],
    source: "pin",
    doctorItem: PIN,
  },
  "cert-chain-failed": {
    severity: "blocker",
    affects: "which",
    steps: ["card-damaged"],
    source: "certificate",
    doctorItem: CERT,
  },
  "cert-untrusted-issuer": {
    severity: "blocker",
    affects: "which",
    steps: ["use-mynumber-card"],
    source: "certificate",
    doctorItem: CERT,
  },
  "cert-anchor-not-bundled": { severity: "info", affects: NONE, steps: [], source: "limits", doctorItem: CERT },
  "cert-test-ca": { severity: "info", affects: NONE, steps: [], source: "certificate", doctorItem: CERT },
  // The card itself: it will not do, whatever the action.
  "not-mynumber": { ...problem("not-mynumber", "card-kind"), severity: "blocker", affects: BOTH, source: "card" },
  "juki-card": { ...problem("juki-card", "card-kind"), severity: "blocker", affects: BOTH, source: "card" },
  "revocation-not-checked": { severity: "info", affects: NONE, steps: [], source: "limits", doctorItem: null },
  // No service or no reader: whatever the OS, the way without a reader follows (Mynaportal's QR login with the
  // phone reading the card, or the phone's own certificate; docs/guidance-sources.md).
  "pcsc-unavailable": withoutReader(problem("pcsc-unavailable", "pcsc-service")),
  "no-reader": withoutReader(problem("no-reader", "readers")),
  "reader-not-found": withoutReader(problem("reader-not-found", "readers")),
  "no-card": problem("no-card", "card"),
  "card-busy": problem("card-busy", "card"),
  "card-removed": problem("card-removed", "card"),
  "card-timeout": problem("card-timeout", "card"),
  "card-error": problem("card-error", "card"),
  "bad-response": problem("bad-response", "card"),
  "certificate-invalid": problem("certificate-invalid", "card"),
  // The page's environment (environment.ts: each rule with its source and date).
  "env-no-official-app": {
    severity: "blocker",
    affects: ["login"],
    steps: ["qr-login", "another-computer"],
    source: "page",
    doctorItem: null,
  },
  "env-reported-unsupported": {
    severity: "warning",
    affects: NONE,
    steps: ["check-portal-environment"],
    source: "page",
    doctorItem: null,
  },
  // The official Mynaportal extension and app as the portal page showed them (official-app.ts: the
  // hidden inputs #extension-is-installed / #app-is-installed; source and date there). Warnings: what was
  // not seen is not proof of absence.
  "official-extension-not-detected": {
    severity: "warning",
    affects: ["login"],
    steps: ["enable-official-extension", "restart-browser", "official-app-windows", "official-app-mac"],
    source: "page",
    doctorItem: null,
  },
  "official-app-not-detected": {
    severity: "warning",
    affects: ["login"],
    steps: ["official-app-windows", "official-app-mac", "restart-browser"],
    source: "page",
    doctorItem: null,
  },
  internal: problem("internal", "card"),
} as const satisfies Record<string, FindingRow>;

export type FindingCode = keyof typeof FINDING_TABLE;
export const FINDING_CODES = Object.keys(FINDING_TABLE) as [FindingCode, ...FindingCode[]];

/** A finding's row. */
export function findingRow(code: FindingCode): FindingRow {
  return FINDING_TABLE[code];
}

/** The actions a finding stands in the way of. */
export function affectsOf(code: FindingCode, which: "auth" | "sign" | null): Action[] {
  const a = FINDING_TABLE[code].affects;
  if (a !== "which") return [...a];
  return which === "sign" ? [...SIGN] : [...BOTH];
}

/** The checklist item a finding belongs to, or null. */
export function doctorItemOf(code: FindingCode, which: "auth" | "sign" | null): DoctorItemId | null {
  const d: FindingRow["doctorItem"] = FINDING_TABLE[code].doctorItem;
  if (d === null || typeof d === "string") return d;
  return which === "sign" ? d.sign : d.auth;
}

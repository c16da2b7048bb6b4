/**
 * The read-out code: a report's summary short enough to read out on the
 * phone. It carries levels, PIN tries left, days left on each certificate
 * (never a date: an expiry date is the holder's birthday), the findings,
 * the municipality code and the version; never a serial, a name or a date.
 *
 * 110 bits in 22 characters of an alphabet without look-alikes (no 0/O,
 * 1/I), then one check character (Luhn mod 32: any one wrong character and
 * most swaps of two neighbours are caught), shown as "JG-" and groups of 4.
 */
import { FINDING_TABLE, type FindingCode } from "./findings.js";
import type { ReportFile } from "./report-file.js";
import { reportSchemaFor } from "./report-version.js";
import { formatJstDate, jstDate, jstMidnight } from "./time.js";
import { LEVELS } from "./verdict.js";

/** 32 symbols: digits 2-9 and A-Z without I and O. */
export const READOUT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
export const READOUT_VERSION = 1;

/**
 * The findings' bit order in version 1. Append only: a code added to the
 * findings table is appended here (a test checks every code is listed).
 */
export const READOUT_FINDINGS: readonly FindingCode[] = [
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
  "env-no-official-app",
  "env-reported-unsupported",
  "official-extension-not-detected",
  "official-app-not-detected",
];
const FINDING_BITS = 40;

export interface Readout {
  version: number;
  login: (typeof LEVELS)[number];
  sign: (typeof LEVELS)[number];
  /** Tries left, null: unknown. */
  authTries: number | null;
  signTries: number | null;
  /** Days from the check to the certificate's last day (negative: expired), null: no certificate read. */
  authDays: number | null;
  signDays: number | null;
  /** The certificates' key is EC (the next-generation card), not RSA. */
  ec: boolean;
  findings: FindingCode[];
  /** Local government code (6 digits), null: national guidance. */
  municipality: string | null;
  /** jpki-guard's version, "major.minor.patch". */
  toolVersion: string;
}

/** The fields in order: name, bits. */
const LAYOUT = [
  ["version", 3],
  ["login", 2],
  ["sign", 2],
  ["authTries", 3],
  ["signTries", 3],
  ["authDays", 12],
  ["signDays", 12],
  ["ec", 1],
  ["findings", FINDING_BITS],
  ["municipality", 17],
  ["major", 4],
  ["minor", 6],
  ["patch", 5],
] as const;
const TOTAL_BITS = LAYOUT.reduce((n, [, b]) => n + b, 0); // 110
const CHARS = Math.ceil(TOTAL_BITS / 5); // 22

const NONE_TRIES = 7;
const NONE_DAYS = 0xfff;
const DAYS_OFFSET = 2048;

function luhnCheck(symbols: number[]): number {
  // Luhn mod N over the symbols, from the right, doubling every other one.
  let sum = 0;
  let double = true;
  for (let i = symbols.length - 1; i >= 0; i--) {
    let v = symbols[i]! * (double ? 2 : 1);
    v = Math.floor(v / 32) + (v % 32);
    sum += v;
    double = !double;
  }
  return (32 - (sum % 32)) % 32;
}

/** The code for a summary. */
export function encodeReadout(r: Readout): string {
  const [major, minor, patch] = r.toolVersion.split(".").map((x) => Number.parseInt(x, 10) || 0);
  const days = (d: number | null) => (d === null ? NONE_DAYS : Math.max(0, Math.min(NONE_DAYS - 1, d + DAYS_OFFSET)));
  let mask = 0n;
  for (const f of r.findings) {
    const i = READOUT_FINDINGS.indexOf(f);
    if (i >= 0) mask |= 1n << BigInt(i);
  }
  const values: Record<(typeof LAYOUT)[number][0], bigint> = {
    version: BigInt(r.version),
    login: BigInt(LEVELS.indexOf(r.login)),
    sign: BigInt(LEVELS.indexOf(r.sign)),
    authTries: BigInt(r.authTries ?? NONE_TRIES),
    signTries: BigInt(r.signTries ?? NONE_TRIES),
    authDays: BigInt(days(r.authDays)),
    signDays: BigInt(days(r.signDays)),
    ec: r.ec ? 1n : 0n,
    findings: mask,
    // The 6th digit of a local government code is a check digit: the first five carry it.
    municipality: r.municipality ? BigInt(Number.parseInt(r.municipality.slice(0, 5), 10)) : 0n,
    major: BigInt(Math.min(15, major ?? 0)),
    minor: BigInt(Math.min(63, minor ?? 0)),
    patch: BigInt(Math.min(31, patch ?? 0)),
  };
  let n = 0n;
  for (const [name, bits] of LAYOUT) n = (n << BigInt(bits)) | (values[name] & ((1n << BigInt(bits)) - 1n));
  n <<= BigInt(CHARS * 5 - TOTAL_BITS);
  const symbols: number[] = [];
  for (let i = CHARS - 1; i >= 0; i--) symbols.push(Number((n >> BigInt(i * 5)) & 31n));
  symbols.push(luhnCheck(symbols));
  const s = symbols.map((v) => READOUT_ALPHABET[v]).join("");
  return `JG-${s.match(/.{1,4}/g)!.join("-")}`;
}

export type ReadoutProblem =
  | { kind: "length"; got: number }
  | { kind: "character"; position: number }
  | { kind: "check" }
  | { kind: "newer"; version: number }
  | { kind: "invalid" };

/** The check digit of a local government code (JIS X 0401/0402). */
function lgCheckDigit(five: string): number {
  const d = [...five].map(Number);
  const s = d[0]! * 6 + d[1]! * 5 + d[2]! * 4 + d[3]! * 3 + d[4]! * 2;
  const r = s % 11;
  return r === 0 ? 0 : r === 1 ? 0 : 11 - r;
}

/** A code as read out or typed: spaces, hyphens, lower case and full-width forms are fine. */
export function decodeReadout(input: string): Readout | { problem: ReadoutProblem } {
  const t = input
    .slice(0, 80)
    .normalize("NFKC")
    .toUpperCase()
    .replace(/[\s\-‐‑‒–—―ー−]/g, "")
    .replace(/^JG/, "");
  if (t.length !== CHARS + 1) return { problem: { kind: "length", got: t.length } };
  const symbols: number[] = [];
  for (let i = 0; i < t.length; i++) {
    const v = READOUT_ALPHABET.indexOf(t[i]!);
    if (v < 0) return { problem: { kind: "character", position: i + 1 } };
    symbols.push(v);
  }
  if (luhnCheck(symbols.slice(0, CHARS)) !== symbols[CHARS]) return { problem: { kind: "check" } };
  let n = 0n;
  for (const v of symbols.slice(0, CHARS)) n = (n << 5n) | BigInt(v);
  n >>= BigInt(CHARS * 5 - TOTAL_BITS);
  const out: Record<string, bigint> = {};
  for (let i = LAYOUT.length - 1; i >= 0; i--) {
    const [name, bits] = LAYOUT[i]!;
    out[name] = n & ((1n << BigInt(bits)) - 1n);
    n >>= BigInt(bits);
  }
  const version = Number(out.version);
  if (version > READOUT_VERSION) return { problem: { kind: "newer", version } };
  if (version !== READOUT_VERSION) return { problem: { kind: "invalid" } };
  const tries = (v: bigint, max: number) => (Number(v) === NONE_TRIES ? null : Number(v) <= max ? Number(v) : -1);
  const days = (v: bigint) => (Number(v) === NONE_DAYS ? null : Number(v) - DAYS_OFFSET);
  const authTries = tries(out.authTries!, 3);
  const signTries = tries(out.signTries!, 5);
  if (authTries === -1 || signTries === -1) return { problem: { kind: "invalid" } };
  const findings = READOUT_FINDINGS.filter((_, i) => (out.findings! >> BigInt(i)) & 1n);
  if (out.findings! >> BigInt(READOUT_FINDINGS.length) !== 0n) return { problem: { kind: "newer", version } };
  const m = Number(out.municipality);
  const five = String(m).padStart(5, "0");
  return {
    version,
    login: LEVELS[Number(out.login)]!,
    sign: LEVELS[Number(out.sign)]!,
    authTries,
    signTries,
    authDays: days(out.authDays!),
    signDays: days(out.signDays!),
    ec: out.ec === 1n,
    findings,
    municipality: m === 0 ? null : `${five}${lgCheckDigit(five)}`,
    toolVersion: `${out.major}.${out.minor}.${out.patch}`,
  };
}

export function readoutProblemText(p: ReadoutProblem): { ja: string; en: string } {
  switch (p.kind) {
    case "length":
      return {
        ja: `読み上げコードの長さが違います(JG- のあとに ${CHARS + 1} 文字、いまは ${p.got} 文字)。`,
        en: `A read-out code has ${CHARS + 1} characters after JG- (this has ${p.got}).`,
      };
    case "character":
      return {
        ja: `${p.position} 文字目が読み上げコードの文字ではありません(使う文字: ${READOUT_ALPHABET})。`,
        en: `Character ${p.position} is not one of the code's (${READOUT_ALPHABET}).`,
      };
    case "check":
      return {
        ja: "読み上げコードの確認用の文字が合いません。聞き間違いか打ち間違いがあります。もう一度読み上げてもらってください。",
        en: "The code's check character does not match: a character was misheard or mistyped. Ask for it again.",
      };
    case "newer":
      return {
        ja: `新しい jpki-guard のコードです(形式 ${p.version})。形式 ${p.version} に対応した jpki-guard が必要です。`,
        en: `A code from a newer jpki-guard (format ${p.version}): reading it needs a jpki-guard that reads format ${p.version}.`,
      };
    case "invalid":
      return { ja: "読み上げコードとして正しくありません。", en: "Not a valid read-out code." };
  }
}

/** The summary of a report, for its code (days counted from the report's day). */
export function readoutFromReport(r: ReportFile): Readout {
  const day = (s: string) => jstMidnight({ year: +s.slice(0, 4), month: +s.slice(5, 7), day: +s.slice(8, 10) });
  const checked = day(r.facts.checkedOn).getTime();
  const left = (c: ReportFile["facts"]["authCertificate"]) =>
    c ? Math.round((day(c.validTo).getTime() - checked) / 86_400_000) : null;
  return {
    version: READOUT_VERSION,
    login: r.verdict.readiness.login,
    sign: r.verdict.readiness.sign,
    authTries: r.facts.pins.auth.triesLeft,
    signTries: r.facts.pins.signature.triesLeft,
    authDays: left(r.facts.authCertificate),
    signDays: left(r.facts.signatureCertificate),
    ec: (r.facts.authCertificate ?? r.facts.signatureCertificate)?.keyAlgorithm === "EC",
    // The page's findings too: their bits were in the order from the start (an older reader decodes
    // them and judges the card again without them; a newer one shows them as the page's).
    findings: [...r.verdict.findings, ...(r.page?.findings ?? [])],
    municipality: r.municipality ?? null,
    toolVersion: r.version,
  };
}

/**
 * A report standing for a code, checked on `today`: the facts the code
 * carries and nothing else (no reader, no ATR, the certificates' validity
 * start unknown and taken as long past, their issuer from the findings).
 */
export function reportFromReadout(c: Readout, today: Date): ReportFile {
  const has = (f: FindingCode) => c.findings.includes(f);
  // The page's findings are the page's (no portal, platform or version: the code does not carry them).
  const page = c.findings.filter((f) => FINDING_TABLE[f].source === "page");
  const card = c.findings.filter((f) => FINDING_TABLE[f].source !== "page");
  const checkedOn = formatJstDate(jstDate(today));
  const plus = (days: number) =>
    formatJstDate(jstDate(new Date(jstMidnight(jstDate(today)).getTime() + days * 86_400_000)));
  const problems = c.findings.filter((f) => FINDING_TABLE[f].source === "check" || FINDING_TABLE[f].source === "card");
  const cardGone = problems.some((f) => FINDING_TABLE[f].source === "check");
  const kind = has("juki-card") ? "juki" : has("not-mynumber") ? "not-mynumber" : "mynumber";
  const cert = (daysLeft: number | null) =>
    daysLeft === null
      ? null
      : {
          validFrom: plus(has("auth-cert-not-yet-valid") || has("sign-cert-not-yet-valid") ? 1 : -365),
          validTo: plus(daysLeft),
          issuer: {
            kind: has("cert-test-ca")
              ? ("test" as const)
              : has("cert-untrusted-issuer")
                ? ("unknown" as const)
                : ("jlis" as const),
            generation: null,
            name: "",
          },
          chain: has("cert-chain-failed")
            ? ("failed" as const)
            : has("cert-untrusted-issuer")
              ? ("untrusted" as const)
              : has("cert-anchor-not-bundled")
                ? ("anchor-not-bundled" as const)
                : ("verified" as const),
          keyAlgorithm: c.ec ? ("EC" as const) : ("RSA" as const),
          keyBits: c.ec ? 384 : 2048,
          keyCurve: c.ec ? ("P-384" as const) : null,
        };
  const presence = (missing: boolean, days: number | null, notChecked: boolean) =>
    cardGone
      ? ("unknown" as const)
      : missing
        ? ("absent" as const)
        : days !== null || notChecked
          ? ("present" as const)
          : ("unknown" as const);
  return {
    reportSchema: reportSchemaFor(page.length > 0),
    tool: "jpki-guard",
    version: c.toolVersion,
    municipality: c.municipality,
    items: [],
    facts: {
      checkedOn,
      reader: null,
      card: cardGone && !has("not-mynumber") && !has("juki-card") ? null : { kind, atr: "" },
      presence: {
        auth: presence(has("auth-cert-missing"), c.authDays, false),
        signature: presence(has("sign-cert-missing"), c.signDays, has("sign-cert-not-checked")),
      },
      authCertificate: cert(c.authDays),
      signatureCertificate: cert(c.signDays),
      pins: {
        auth: { triesLeft: c.authTries, maxTries: 3, locked: c.authTries === null ? null : c.authTries === 0 },
        signature: { triesLeft: c.signTries, maxTries: 5, locked: c.signTries === null ? null : c.signTries === 0 },
      },
      notChecked: [],
      problems: problems as ReportFile["facts"]["problems"],
      apduCount: 0,
      cached: false,
    },
    verdict: { level: c.login, readiness: { login: c.login, sign: c.sign }, findings: card },
    ...(page.length > 0 ? { page: { findings: page } } : {}),
  };
}

/**
 * A citizen's report file, read by a help desk (`jpki-guard doctor --read`,
 * the report viewer): parsed as hostile input and judged again. Nothing in
 * it is executed, followed or written anywhere; every failure is a typed
 * problem that names where in the file it is and never echoes more than an
 * escaped, shortened piece of what was sent.
 *
 * The file is what `doctor --report` writes (and the popup's "Save"):
 * the checklist, the redacted facts, the verdict's codes, the municipality
 * code the citizen chose. From the facts (dates to the day) the verdicts
 * are judged again: as of the report's day, and as of today.
 */
import * as z from "zod/mini";
import { cardChecklist, statusOf } from "./checklist.js";
import { BROWSER_BRANDS, PORTAL_IDS } from "./environment.js";
import type { CardFacts, CertificateFacts } from "./facts.js";
import { FACTS_SCHEMA_VERSION } from "./facts.js";
import { FINDING_TABLE, type FindingCode } from "./findings.js";
import { judgeFacts } from "./judge.js";
import { pageFindingsFromCodes } from "./page-checklist.js";
import { type DiagnoseResult, DoctorItemSchema, ReportFactsSchema } from "./report-schema.js";
import { MAX_REPORT_FILE_BYTES, REPORT_SCHEMA_VERSION, reportSchemaFor } from "./report-version.js";
import { jstMidnight } from "./time.js";
import { ACTIONS, FINDING_CODES, LEVELS } from "./verdict.js";
import type { Finding, Verdict } from "./verdict-schema.js";

const short = (n: number) => z.string().check(z.maxLength(n));

/** The page findings' codes (source "page": the environment, the official app). */
export const PAGE_FINDING_CODES = FINDING_CODES.filter((c) => FINDING_TABLE[c].source === "page") as [
  FindingCode,
  ...FindingCode[],
];

/**
 * What only the popup saw (not the bridge): the browser's own view of this
 * computer and the page's findings. Codes only, the portal's id and the
 * platform the portal's rules were judged against: no address, nothing
 * personal. Every key is optional: schema 1 knew only the first three
 * (and nothing wrote them); schema 2 added the rest (issue 23).
 */
export const PageSeenSchema = z.strictObject({
  /** The extension's version. */
  extension: z.optional(short(40)),
  /** The OS the portal's rules were judged against (runtime.getPlatformInfo's os: win, mac, linux, ...). */
  os: z.optional(short(20)),
  /** Whether the bridge (card reader side) answered the popup. */
  bridge: z.optional(z.enum(["answered", "not-installed", "no-answer"])),
  /** The browser's brand and Windows version (10 or 11, null: not told) as judged. */
  brand: z.optional(z.enum(BROWSER_BRANDS)),
  windows: z.optional(z.nullable(z.union([z.literal(10), z.literal(11)]))),
  /** The portal whose page findings these are (null: a portal the user added), and its action. */
  portal: z.optional(z.nullable(z.enum(PORTAL_IDS))),
  action: z.optional(z.enum(ACTIONS)),
  /** The page's findings, codes only, in checklist order. */
  findings: z.optional(z.array(z.enum(PAGE_FINDING_CODES)).check(z.maxLength(16))),
  /** The portal page reported what it showed of the official extension and app (Mynaportal only). */
  officialAppChecked: z.optional(z.boolean()),
});
export type PageSeen = z.infer<typeof PageSeenSchema>;

export const ReportFileSchema = z.strictObject({
  reportSchema: z.optional(z.union([z.literal(1), z.literal(REPORT_SCHEMA_VERSION)])),
  tool: z.literal("jpki-guard"),
  version: short(40),
  node: z.optional(short(40)),
  platform: z.optional(short(40)),
  /** The municipality (local government code) whose next steps the citizen chose; null: national. */
  municipality: z.optional(z.nullable(z.string().check(z.regex(/^\d{6}$/)))),
  items: z.array(DoctorItemSchema).check(z.maxLength(64)),
  facts: ReportFactsSchema,
  verdict: z.strictObject({
    level: z.enum(LEVELS),
    readiness: z.strictObject({ login: z.enum(LEVELS), sign: z.enum(LEVELS) }),
    findings: z.array(z.enum(FINDING_CODES)).check(z.maxLength(64)),
  }),
  text: z.optional(short(20_000)),
  page: z.optional(PageSeenSchema),
});
export type ReportFile = z.infer<typeof ReportFileSchema>;

export type ReportProblem =
  | { kind: "too-large"; bytes: number }
  | { kind: "not-json" }
  | { kind: "newer-schema"; version: number }
  | { kind: "wrong-schema"; issues: { path: string; message: string }[] }
  | { kind: "unsafe-text"; path: string; shown: string; what: "control" | "markup" };

/** Characters a terminal or a page could act on: C0/C1 controls, DEL, line separators, bidi overrides. */
function isControl(c: number): boolean {
  return (
    c < 0x20 ||
    (c >= 0x7f && c <= 0x9f) ||
    c === 0x2028 ||
    c === 0x2029 ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2066 && c <= 0x2069)
  );
}
const hasControl = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) if (isControl(s.charCodeAt(i))) return true;
  return false;
};
/** Markup: a tag's start or an entity. "<user>" is the report's own placeholder for a scrubbed user name. */
const MARKUP = /<(?!user>)[a-zA-Z/!?]|&[a-zA-Z#][a-zA-Z0-9]*;/;

/** A piece of a hostile string for an error message: escaped (\u001b, \u003c) and at most 60 characters. */
export function escapeShown(s: string): string {
  const cut = s.length > 60 ? `${s.slice(0, 60)}…` : s;
  let out = "";
  for (const ch of cut) {
    const c = ch.charCodeAt(0);
    out += isControl(c) || ch === "<" || ch === ">" || ch === "&" ? `\\u${c.toString(16).padStart(4, "0")}` : ch;
  }
  return out;
}

/** Every string in the value with its JSON path (bounded: the file is already at most 1 MiB). */
function* strings(v: unknown, path: string): Generator<[string, string]> {
  if (typeof v === "string") yield [path, v];
  else if (Array.isArray(v)) for (let i = 0; i < v.length; i++) yield* strings(v[i], `${path}[${i}]`);
  else if (v !== null && typeof v === "object")
    for (const [k, x] of Object.entries(v)) {
      yield [`${path}.<key>`, k];
      yield* strings(x, `${path}.${/^[A-Za-z0-9_-]{1,40}$/.test(k) ? k : "?"}`);
    }
}

/**
 * Parse a report file's bytes. The checks in order: size, UTF-8 and JSON,
 * the schema version, control characters and markup in any string (key or
 * value; only the `text` field may hold line breaks), then the schema.
 */
export function parseReportFile(bytes: Uint8Array, totalBytes = bytes.length): ReportFile | ReportProblem {
  if (totalBytes > MAX_REPORT_FILE_BYTES) return { kind: "too-large", bytes: totalBytes };
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return { kind: "not-json" };
  }
  if (data === null || typeof data !== "object" || Array.isArray(data))
    return { kind: "wrong-schema", issues: [{ path: "$", message: "not an object" }] };
  const version = (data as Record<string, unknown>).reportSchema;
  if (typeof version === "number" && Number.isSafeInteger(version) && version > REPORT_SCHEMA_VERSION)
    return { kind: "newer-schema", version };
  for (const [path, s] of strings(data, "$")) {
    const withoutBreaks = path === "$.text" ? s.replace(/\n/g, "") : s;
    if (hasControl(withoutBreaks)) return { kind: "unsafe-text", path, shown: escapeShown(s), what: "control" };
    if (MARKUP.test(s)) return { kind: "unsafe-text", path, shown: escapeShown(s), what: "markup" };
  }
  const r = ReportFileSchema.safeParse(data);
  if (!r.success)
    return {
      kind: "wrong-schema",
      issues: r.error.issues.slice(0, 8).map((i) => ({
        path: `$${i.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${escapeShown(String(p)).slice(0, 40)}`)).join("")}`,
        message: i.code,
      })),
    };
  return r.data;
}

/** A report file's text as `doctor --report` writes it (two-space JSON, a final line break). */
export function reportFileText(r: ReportFile): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

/**
 * The report file the popup saves, built from the host's `diagnose` reply
 * (the same checklist, facts and verdict `doctor --report` writes) and the
 * municipality the citizen chose; `page` holds what only the popup saw.
 * The versions come from the checklist's "versions" line (protocol 1's
 * reply has no field for them). Finding codes this version does not know
 * (a newer bridge) are left out: the reader judges the facts again anyway.
 * The result goes through `parseReportFile`, the reader `doctor --read`
 * uses, so what is saved is what a help desk can read.
 */
export function reportFromDiagnose(
  d: DiagnoseResult,
  municipality: string | null,
  page?: PageSeen,
): ReportFile | ReportProblem {
  const versions = d.items.find((i) => i.id === "versions")?.detail ?? "";
  const m = /^jpki-guard ([0-9A-Za-z.+-]{1,40}), node (v[0-9.]{1,20}), ([a-z0-9]{1,20}-[a-z0-9]{1,19})$/.exec(versions);
  const known = new Set<string>(FINDING_CODES);
  const out = {
    reportSchema: reportSchemaFor(page !== undefined),
    tool: "jpki-guard",
    version: m?.[1] ?? "unknown",
    ...(m ? { node: m[2], platform: m[3] } : {}),
    municipality,
    items: d.items,
    facts: d.facts,
    verdict: { ...d.verdict, findings: d.verdict.findings.filter((f) => known.has(f)) },
    text: d.text,
    ...(page ? { page } : {}),
  };
  return parseReportFile(new TextEncoder().encode(`${JSON.stringify(out, null, 2)}\n`));
}

const PORTAL_NAMES: Record<(typeof PORTAL_IDS)[number], string> = {
  mynaportal: "マイナポータル / Mynaportal",
  etax: "e-Tax",
  keisan: "確定申告書等作成コーナー / the NTA's filing pages",
  egov: "e-Gov",
};

/**
 * What the popup saw, for the desk (Japanese / English), one line each:
 * the extension and the bridge, the page (portal, action, the platform its
 * rules were judged against) and whether the official app was looked for.
 * A read-out code carries only the page's finding codes: the rest is said
 * to be missing, never guessed.
 */
export function pageSeenLines(p: PageSeen): string[] {
  const out: string[] = [];
  if (p.extension !== undefined || p.bridge !== undefined)
    out.push(`ポップアップ / popup: 拡張機能 / extension ${p.extension ?? "-"}, ブリッジ / bridge ${p.bridge ?? "-"}`);
  const where =
    p.portal === undefined
      ? "(レポートにありません) / (not in the report)"
      : `${p.portal === null ? "追加したポータル / a portal the user added" : PORTAL_NAMES[p.portal]}${p.action ? `, ${p.action === "sign" ? "署名 / sign" : "ログイン / login"}` : ""}`;
  out.push(`ページ / page: ${where}`);
  if (p.os !== undefined || p.brand !== undefined)
    out.push(
      `判定に使った環境 / judged for: OS ${p.os ?? "-"}, ${p.brand ?? "-"}${p.windows ? `, Windows ${p.windows}` : ""}`,
    );
  if (p.officialAppChecked !== undefined)
    out.push(
      p.officialAppChecked
        ? "公式の拡張機能・アプリ: ページで確認済み / official extension and app: looked for on the page"
        : "公式の拡張機能・アプリ: ページからの報告なし / official extension and app: not reported by the page",
    );
  return out;
}

/** The page findings a report carries, with their texts and steps, in checklist order. */
export function reportPageFindings(r: Pick<ReportFile, "page">): Finding[] {
  return r.page?.findings ? pageFindingsFromCodes(r.page.findings, r.page) : [];
}

export function isReportProblem(x: ReportFile | ReportProblem): x is ReportProblem {
  return "kind" in x && typeof (x as { kind: unknown }).kind === "string";
}

/** A problem as one sentence, Japanese and English. */
export function reportProblemText(p: ReportProblem): { ja: string; en: string } {
  switch (p.kind) {
    case "too-large":
      return {
        ja: `ファイルが大きすぎます(1 MiB まで)。jpki-guard のレポートではありません。`,
        en: "The file is larger than 1 MiB: not a jpki-guard report.",
      };
    case "not-json":
      return {
        ja: "ファイルが JSON ではありません(UTF-8 の JSON として読めません)。",
        en: "The file is not JSON (it does not read as UTF-8 JSON).",
      };
    case "newer-schema":
      return {
        ja: `新しい jpki-guard が書いたレポートです(レポート形式 ${p.version})。読むには形式 ${p.version} に対応した jpki-guard が必要です(この版は形式 ${REPORT_SCHEMA_VERSION} まで)。`,
        en: `This report was written by a newer jpki-guard (report schema ${p.version}). Reading it needs a jpki-guard that reads schema ${p.version}; this one reads up to ${REPORT_SCHEMA_VERSION}.`,
      };
    case "wrong-schema": {
      const where = p.issues.map((i) => `${i.path} (${i.message})`).join(", ");
      return {
        ja: `jpki-guard のレポートの形になっていません: ${where}`,
        en: `Not in the shape of a jpki-guard report: ${where}`,
      };
    }
    case "unsafe-text":
      return p.what === "control"
        ? {
            ja: `${p.path} に制御文字があります(表示はエスケープ済み): "${p.shown}"`,
            en: `${p.path} holds control characters (shown escaped): "${p.shown}"`,
          }
        : {
            ja: `${p.path} にマークアップがあります(表示はエスケープ済み): "${p.shown}"`,
            en: `${p.path} holds markup (shown escaped): "${p.shown}"`,
          };
  }
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const midnight = (day: string): Date => {
  const m = DAY.exec(day)!;
  return jstMidnight({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) });
};

/** The card facts a report stands for: dates to the day (a certificate runs to the end of its last day). */
export function factsFromReport(f: ReportFile["facts"]): CardFacts {
  const cert = (c: ReportFile["facts"]["authCertificate"]): CertificateFacts | null =>
    c && {
      notBefore: midnight(c.validFrom).toISOString(),
      notAfter: new Date(midnight(c.validTo).getTime() + 86_400_000 - 1000).toISOString(),
      issuer: c.issuer,
      chain: c.chain,
      keyAlgorithm: c.keyAlgorithm,
      keyBits: c.keyBits,
      keyCurve: c.keyCurve,
      fingerprint: "0000000000000000",
      sizeBytes: 1,
    };
  return {
    schemaVersion: FACTS_SCHEMA_VERSION,
    // Noon of the report's day: the report keeps the day, not the time.
    checkedAt: new Date(midnight(f.checkedOn).getTime() + 12 * 3600_000).toISOString(),
    reader: f.reader ? { name: f.reader.model, virtual: f.reader.virtual } : null,
    card: f.card ? { ...f.card, token: null } : null,
    presence: f.presence,
    authCertificate: cert(f.authCertificate),
    signatureCertificate: cert(f.signatureCertificate),
    pins: f.pins,
    notChecked: f.notChecked,
    problems: f.problems.map((code) => ({ code, message: "" })),
    apduCount: f.apduCount,
    durationMs: 0,
    cached: f.cached,
  };
}

export interface ReadReport {
  report: ReportFile;
  /** The municipality whose next steps are shown (the report's, unless the desk chose another). */
  municipality: string | null;
  verdicts: { atReport: Verdict; today: Verdict };
  /** The checklist as of the report (card items judged again, then the report's own other items). */
  items: ReportFile["items"];
}

/** Judge a parsed report again: as of its day and as of `today`, for its municipality. */
export function readReport(report: ReportFile, today: Date, municipality?: string | null): ReadReport {
  const facts = factsFromReport(report.facts);
  const place = municipality === undefined ? (report.municipality ?? null) : municipality;
  const atReport = judgeFacts(facts, { on: new Date(facts.checkedAt), action: "login", municipality: place });
  const now = judgeFacts(facts, { on: today, action: "login", municipality: place });
  const card = cardChecklist({ facts: report.facts, verdict: atReport, readers: null });
  const cardIds = new Set<string>([
    "pcsc-service",
    "readers",
    "card",
    "card-kind",
    "auth-certificate",
    "signature-certificate",
    "auth-pin",
    "signature-pin",
  ]);
  const others = report.items
    .filter((i) => !cardIds.has(i.id))
    .map((i) => ({ ...i, status: statusOf(i), ok: statusOf(i) === "ok" }));
  return { report, municipality: place, verdicts: { atReport, today: now }, items: [...card, ...others] };
}

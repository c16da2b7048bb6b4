/**
 * `doctor --read FILE`: a citizen's report (or read-out code) rendered for
 * the help desk, Japanese first: the same checklist as `doctor`, the
 * verdicts as of the report's day and as of today, and the next steps for
 * the report's municipality. The file is hostile input (shared's
 * `parseReportFile`): too large, not JSON, a newer or wrong schema, control
 * characters or markup end in exit 65 with the reason; nothing in it is run
 * and nothing is written.
 */
import {
  decodeReadout,
  type Finding,
  isReportProblem,
  pageSeenLines,
  parseReportFile,
  type ReadReport,
  readoutProblemText,
  readReport,
  reportFromReadout,
  reportPageFindings,
  reportProblemText,
} from "@jpki-guard/shared";
import { doctorText, formatJstDate, jstDate, locality, type Verdict } from "@jpki-guard/shared/rules";
import { EXIT } from "../exit.js";
import type { Options, Out } from "../options.js";
import { renderCheck } from "../render.js";
import { readReportFile } from "../report-file.js";
import { municipalityCode } from "./judge.js";

const LEVEL: Record<Verdict["level"], string> = {
  ready: "使えます / ready",
  attention: "要確認 / attention",
  blocked: "使えません / blocked",
  unknown: "判定できません / cannot tell",
};

export function readReportCommand(source: string, opts: Options, io: Out): number {
  const fail = (t: { ja: string; en: string }) => {
    io.stderr(`jpki-guard: ${t.ja}\n            ${t.en}\n`);
    return EXIT.dataError;
  };
  const chosen = opts.municipality === undefined ? undefined : municipalityCode(opts);
  let read: ReadReport;
  if (/^\s*JG[\s-]/i.test(source)) {
    // A read-out code (the citizen's popup shows it, and the QR code holds it).
    const code = decodeReadout(source);
    if ("problem" in code) return fail(readoutProblemText(code.problem));
    read = readReport(reportFromReadout(code, opts.on), opts.on, chosen);
  } else {
    const got = readReportFile(source);
    if ("error" in got)
      return fail(
        got.error === "not-a-file"
          ? { ja: "通常のファイルではありません。", en: "Not a regular file." }
          : { ja: `読めません(${got.error})。`, en: `Cannot be read (${got.error}).` },
      );
    const parsed = parseReportFile(got.bytes, got.tooLarge ? got.bytes.length + 1 : got.bytes.length);
    if (isReportProblem(parsed)) return fail(reportProblemText(parsed));
    read = readReport(parsed, opts.on, chosen);
  }
  if (opts.json)
    io.stdout(
      `${JSON.stringify({ report: read.report, municipality: read.municipality, verdicts: read.verdicts }, null, 2)}\n`,
    );
  else io.stdout(`${renderRead(read, opts)}\n`);
  return EXIT[read.verdicts.today.level];
}

function renderRead(r: ReadReport, opts: Options): string {
  const { report } = r;
  const v = r.verdicts.atReport;
  const now = r.verdicts.today;
  const today = formatJstDate(jstDate(new Date(now.on)));
  const place = r.municipality ? locality(r.municipality)?.place : null;
  const out: string[] = [
    `jpki-guard doctor --read: 利用者のレポート / a citizen's report`,
    `  作成 / written: ${report.facts.checkedOn}, jpki-guard ${report.version}${report.platform ? ` (${report.platform})` : ""}`,
    `  市区町村 / municipality: ${place ? `${place.fullName} (${place.code})` : "指定なし(全国共通の案内) / none (national guidance)"}`,
  ];
  if (report.page) out.push(...pageBlock(report, opts));
  out.push(
    "",
    doctorText({
      items: r.items,
      verdict: { level: v.level, readiness: v.readiness, findings: v.findings.map((f) => f.code), summary: v.summary },
      virtual: report.facts.reader?.virtual ?? false,
    }),
    "",
    `判定(レポートの日 ${report.facts.checkedOn}) / verdict as of the report (${report.facts.checkedOn}): ログイン / login ${LEVEL[v.readiness.login]}; 署名 / sign ${LEVEL[v.readiness.sign]}`,
    `判定(今日 ${today}) / verdict as of today (${today}): ログイン / login ${LEVEL[now.readiness.login]}; 署名 / sign ${LEVEL[now.readiness.sign]}`,
  );
  const before = new Set(v.findings.map((f) => f.code));
  const changed = now.findings.filter((f) => !before.has(f.code)).map((f) => f.code);
  if (changed.length > 0) out.push(`  レポートの後に変わったこと / changed since the report: ${changed.join(", ")}`);
  out.push("", "次にすること(今日の判定から) / next steps (from today's verdict):", "");
  // The same findings-and-steps block as `check`, for today, without the card lines (those are the report's).
  const text = renderCheck({ ...reportCardFacts(r), reader: null }, now, opts.langs);
  out.push(text.slice(text.indexOf("判定 / verdict")));
  return out.join("\n");
}

const SEV: Record<Finding["severity"], string> = { blocker: "✖", warning: "!", info: "i" };

/**
 * What the popup saw of the page: where, on what platform, and the page's
 * findings (codes, texts and steps, in the checklist's order), as the
 * popup showed them on the report's day. A page is not judged again: the
 * desk cannot see it.
 */
function pageBlock(report: ReadReport["report"], opts: Options): string[] {
  const page = report.page!;
  const out = pageSeenLines(page).map((l) => `  ${l}`);
  const findings = reportPageFindings(report);
  const none = page.findings === undefined ? "(レポートにありません) / (not in the report)" : "なし / none";
  out.push(
    `  ページの確認項目(ポップアップが見たもの) / the page's findings (as the popup saw them):${findings.length ? "" : ` ${none}`}`,
  );
  for (const f of findings) {
    out.push(`    ${SEV[f.severity]} [${f.code}] (page)`);
    for (const l of opts.langs) out.push(`      ${f.text[l]}`);
    for (const st of f.steps) {
      const [first, ...rest] = opts.langs.map((l) => st.text[l]);
      out.push(`      → ${first}`);
      for (const l of rest) out.push(`        ${l}`);
    }
  }
  return out;
}

/** The facts `renderCheck` needs to print the verdict block (its card lines are cut off above). */
function reportCardFacts(r: ReadReport) {
  return {
    schemaVersion: 1 as const,
    checkedAt: r.verdicts.today.on,
    reader: null,
    card: null,
    presence: r.report.facts.presence,
    authCertificate: null,
    signatureCertificate: null,
    pins: r.report.facts.pins,
    notChecked: [],
    problems: [],
    apduCount: 0,
    durationMs: 0,
    cached: false,
  };
}

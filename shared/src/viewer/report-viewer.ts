/**
 * The report viewer: one self-contained HTML page (docs/report-viewer.html,
 * built by scripts/gen-report-viewer.mjs) for help desks that cannot
 * install the CLI. It reads a citizen's report file or a typed read-out
 * code with the same shared code as `jpki-guard doctor --read`
 * (`parseReportFile`, `decodeReadout`, `readReport`, `doctorText`) and shows
 * the same checklist, the verdicts as of the report's day and as of the
 * chosen day, and the next steps, Japanese first.
 *
 * Everything from the file reaches the page through `textContent` only
 * (never innerHTML); a hostile file gets the same refusal as the CLI's. The
 * page loads nothing and sends nothing (its Content-Security-Policy allows
 * no network at all).
 */
import { doctorText } from "../doctor-text.js";
import { FINDING_TABLE } from "../findings.js";
import { locality } from "../guidance/index.js";
import { decodeReadout, readoutProblemText, reportFromReadout } from "../readout.js";
import {
  isReportProblem,
  pageSeenLines,
  parseReportFile,
  type ReadReport,
  readReport,
  reportPageFindings,
  reportProblemText,
} from "../report-file.js";
import { MAX_REPORT_FILE_BYTES } from "../report-version.js";
import { formatJstDate, jstDate, jstMidnight } from "../time.js";
import type { Finding, Verdict } from "../verdict-schema.js";

const LEVEL: Record<Verdict["level"], string> = {
  ready: "使えます / ready",
  attention: "要確認 / attention",
  blocked: "使えません / blocked",
  unknown: "判定できません / cannot tell",
};

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string | null)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) if (c !== null) e.append(c);
  return e;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** The day "today" stands for: the date field if set, else the computer's clock. */
function today(): Date {
  const v = $<HTMLInputElement>("on").value;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return new Date();
  // Noon in Japan: the middle of the chosen day.
  return new Date(jstMidnight({ year: +m[1]!, month: +m[2]!, day: +m[3]! }).getTime() + 12 * 3600_000);
}

function showError(t: { ja: string; en: string }): void {
  $("out").replaceChildren(
    el("div", { id: "error", role: "alert", class: "error" }, el("p", {}, t.ja), el("p", { lang: "en" }, t.en)),
  );
}

function show(r: ReadReport, fromCode: boolean): void {
  const { report } = r;
  const v = r.verdicts.atReport;
  const now = r.verdicts.today;
  const day = formatJstDate(jstDate(new Date(now.on)));
  const place = r.municipality ? locality(r.municipality)?.place : null;
  const head = el(
    "dl",
    { id: "about" },
    el("dt", {}, "作成 / written"),
    el(
      "dd",
      {},
      `${report.facts.checkedOn}, jpki-guard ${report.version}${report.platform ? ` (${report.platform})` : ""}`,
    ),
    el("dt", {}, "市区町村 / municipality"),
    el("dd", {}, place ? `${place.fullName} (${place.code})` : "指定なし(全国共通の案内) / none (national guidance)"),
  );
  // What the popup saw of the page (its findings as shown that day: a page is not judged again).
  const page: HTMLElement[] = [];
  if (report.page) {
    const list = el("ul", { id: "page-findings" });
    for (const f of reportPageFindings(report)) list.append(findingItem(f, "page"));
    page.push(
      el("h2", {}, "ページ(ポップアップが見たもの) / the page, as the popup saw it"),
      el("ul", { id: "page-seen" }, ...pageSeenLines(report.page).map((l) => el("li", {}, l))),
      list.childElementCount
        ? list
        : el(
            "p",
            { id: "page-findings" },
            report.page.findings === undefined
              ? "ページの確認項目: レポートにありません / the page's findings: not in the report"
              : "ページの確認項目: なし / the page's findings: none",
          ),
    );
  }
  const checklist = el(
    "pre",
    { id: "checklist" },
    doctorText({
      items: r.items,
      verdict: { level: v.level, readiness: v.readiness, findings: v.findings.map((f) => f.code), summary: v.summary },
      virtual: report.facts.reader?.virtual ?? false,
    }),
  );
  const verdicts = el(
    "table",
    { id: "verdicts" },
    el("tr", {}, el("th", {}, ""), el("th", {}, "ログイン / login"), el("th", {}, "署名 / sign")),
    el(
      "tr",
      { class: "at-report" },
      el("th", {}, `レポートの日 ${report.facts.checkedOn} / as of the report`),
      el("td", { class: v.readiness.login }, LEVEL[v.readiness.login]),
      el("td", { class: v.readiness.sign }, LEVEL[v.readiness.sign]),
    ),
    el(
      "tr",
      { class: "today" },
      el("th", {}, `今日 ${day} / as of today`),
      el("td", { class: now.readiness.login }, LEVEL[now.readiness.login]),
      el("td", { class: now.readiness.sign }, LEVEL[now.readiness.sign]),
    ),
  );
  const before = new Set(v.findings.map((f) => f.code));
  const changed = now.findings.filter((f) => !before.has(f.code)).map((f) => f.code);
  const steps = el("ul", { id: "steps" });
  for (const f of now.findings.filter((x) => x.severity !== "info" || x.steps.length > 0))
    steps.append(findingItem(f, FINDING_TABLE[f.code].source));
  $("out").replaceChildren(
    el("h2", {}, fromCode ? "読み上げコード / a read-out code" : "利用者のレポート / a citizen's report"),
    head,
    ...page,
    el("h2", {}, "チェックリスト / checklist"),
    checklist,
    el("h2", {}, "判定 / verdicts"),
    verdicts,
    ...(changed.length
      ? [el("p", { id: "changed" }, `レポートの後に変わったこと / changed since the report: ${changed.join(", ")}`)]
      : []),
    el("h2", {}, "次にすること(今日の判定から) / next steps (from today's verdict)"),
    steps,
  );
}

/** A finding with its code, what it is about, its text and steps, Japanese first. */
function findingItem(f: Finding, source: string): HTMLElement {
  const li = el(
    "li",
    { class: f.severity },
    el("strong", {}, `[${f.code}] `),
    el("span", { class: "source" }, `(${source}) `),
    f.text.ja,
    el("br"),
    el("span", { lang: "en" }, f.text.en),
  );
  if (f.steps.length)
    li.append(
      el(
        "ul",
        {},
        ...f.steps.map((s) =>
          el(
            "li",
            {},
            s.text.ja,
            el("br"),
            el("span", { lang: "en" }, s.text.en),
            s.url ? el("span", { class: "url" }, ` (${s.url})`) : null,
          ),
        ),
      ),
    );
  return li;
}

/** What was opened last, shown again when the "today" date changes. */
let again: (() => void) | null = null;

async function openFile(file: File): Promise<void> {
  // Read one byte past the cap at most, as doctor --read does.
  const bytes = new Uint8Array(await file.slice(0, MAX_REPORT_FILE_BYTES + 1).arrayBuffer());
  const parsed = parseReportFile(bytes, file.size);
  again = null;
  if (isReportProblem(parsed)) {
    showError(reportProblemText(parsed));
    return;
  }
  again = () => show(readReport(parsed, today()), false);
  again();
}

function openCode(input: string): void {
  const code = decodeReadout(input);
  again = null;
  if ("problem" in code) {
    showError(readoutProblemText(code.problem));
    return;
  }
  again = () => {
    const on = today();
    show(readReport(reportFromReadout(code, on), on), true);
  };
  again();
}

export function start(): void {
  const file = $<HTMLInputElement>("file");
  file.addEventListener("change", () => {
    const f = file.files?.[0];
    if (f) void openFile(f);
  });
  $<HTMLFormElement>("code-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    openCode($<HTMLInputElement>("code").value);
  });
  $<HTMLInputElement>("on").addEventListener("change", () => again?.());
  // A file dropped anywhere on the page.
  document.addEventListener("dragover", (ev) => ev.preventDefault());
  document.addEventListener("drop", (ev) => {
    ev.preventDefault();
    const f = ev.dataTransfer?.files?.[0];
    if (f) void openFile(f);
  });
}

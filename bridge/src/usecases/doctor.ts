/**
 * The help desk's checklist. Each item passes or fails with the next step.
 * Used by the CLI (`doctor`) and the native host (`diagnose`, the popup's
 * help-desk report). Everything in it goes through report.ts: no PIN,
 * serial, fingerprint, exact time, reader serial number, home folder or
 * user name.
 */

import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import {
  type Action,
  bilingual,
  CATALOGS,
  type DoctorItem,
  errorText,
  evaluate,
  formatJstDate,
  isJpkiGuardError,
  jstDate,
  locality,
  type Verdict,
} from "@jpki-guard/shared/rules";
import type { TraceLine } from "../apdu/apdu.js";
import type { Anchor } from "../cert/facts.js";
import { VERSION } from "../cli/version.js";
import type { Transport } from "../transport/types.js";
import { checkCard } from "./check.js";
import { type ReportFacts, readerModel, reportFacts, scrub } from "./report.js";

export type { DoctorItem } from "@jpki-guard/shared/rules";

/** A catalog entry as "日本語 / English" on one line. */
const both = (key: string): string => {
  const t = bilingual(key);
  return `${t.ja} / ${t.en}`;
};

/** Next steps: the verdict's own step texts where one fits, the doctor's own otherwise (one catalog). */
const NEXT = {
  connectReader: bilingual("step.connect-reader"),
  startPcsc: bilingual("step.start-pcscd"),
  putCard: bilingual("step.insert-card"),
  closeOthers: bilingual("step.close-other-program"),
  useMyNumber: bilingual("step.use-mynumber-card"),
  issueSign: bilingual("step.issue-certificate"),
  noBrowser: bilingual("doctor.next.no-browser"),
  install: bilingual("doctor.next.install"),
  reinstall: bilingual("doctor.next.reinstall"),
};

export interface DoctorReport {
  tool: string;
  version: string;
  node: string;
  platform: string;
  items: DoctorItem[];
  facts: ReportFacts;
  verdict: { level: Verdict["level"]; readiness: Verdict["readiness"]; findings: string[] };
  text: string;
  /** The APDU trace (status words and lengths; no PIN, no certificate bytes), only with --trace; never in the report file. */
  trace?: TraceLine[] | null;
}

export async function runDoctor(o: {
  transport: Transport;
  reader?: string;
  virtual: boolean;
  anchors: Anchor[];
  judge: { on: Date; action: Action; municipality: string | null };
  trace: boolean;
}): Promise<DoctorReport> {
  const items: DoctorItem[] = [];
  let readersOk = false;
  try {
    const readers = await o.transport.listReaders();
    items.push({ id: "pcsc-service", ok: true, detail: "応答あり / answers" });
    readersOk = readers.length > 0;
    items.push({
      id: "readers",
      ok: readersOk,
      detail: readersOk
        ? readers.map((r) => `${readerModel(r.name)}${r.cardPresent ? " [card]" : ""}`).join("; ")
        : "見つかりません / no reader",
      next: readersOk ? undefined : NEXT.connectReader,
    });
  } catch (e) {
    items.push({
      id: "pcsc-service",
      ok: false,
      detail: isJpkiGuardError(e)
        ? `${errorText("ja", e.code)} / ${errorText("en", e.code)}`
        : `${errorText("ja", "internal")} / ${errorText("en", "internal")}`,
      next: NEXT.startPcsc,
    });
  }
  const { facts, trace } = await checkCard({
    transport: o.transport,
    reader: o.reader,
    virtual: o.virtual,
    extraAnchors: o.anchors,
    trace: o.trace,
  });
  const verdict = evaluate(facts, {
    now: o.judge.on,
    action: o.judge.action,
    locality: locality(o.judge.municipality),
  });
  const problem = facts.problems[0];
  if (readersOk) {
    const noCard = problem?.code === "no-card";
    items.push({
      id: "card",
      ok: !noCard && facts.card !== null,
      detail: facts.card
        ? `あり / present (ATR ${facts.card.atr})`
        : `${errorText("ja", problem?.code ?? "no-card")} / ${errorText("en", problem?.code ?? "no-card")}`,
      next: noCard ? NEXT.putCard : problem?.code === "card-busy" ? NEXT.closeOthers : undefined,
    });
  }
  if (facts.card) {
    items.push({
      id: "card-kind",
      ok: facts.card.kind === "mynumber",
      detail: both(`doctor.kind.${facts.card.kind}`),
      next: facts.card.kind === "mynumber" ? undefined : NEXT.useMyNumber,
    });
    const auth = facts.authCertificate;
    items.push({
      id: "auth-certificate",
      ok: auth !== null && !verdict.findings.some((f) => f.code.startsWith("auth-cert") && f.severity === "blocker"),
      detail: auth
        ? `${formatJstDate(jstDate(new Date(auth.notAfter)))} まで / valid to ${formatJstDate(jstDate(new Date(auth.notAfter)))} (issuer ${auth.issuer.kind}, chain ${auth.chain})`
        : both(`doctor.presence.${facts.presence.auth}`),
      next: verdict.findings.find((f) => f.code.startsWith("auth-cert"))?.steps[0]?.text,
    });
    items.push({
      id: "signature-certificate",
      ok: facts.presence.signature === "present",
      detail: `${both(`doctor.presence.${facts.presence.signature}`)} (${both("doctor.note.sign-needs-pin")})`,
      next: facts.presence.signature === "absent" ? NEXT.issueSign : undefined,
    });
    for (const which of ["auth", "signature"] as const) {
      const p = facts.pins[which];
      items.push({
        id: `${which}-pin`,
        ok: p.triesLeft !== null && p.triesLeft > 1,
        detail:
          p.triesLeft === null
            ? "不明 / unknown"
            : `残り ${p.triesLeft} / ${p.maxTries} 回 / ${p.triesLeft} of ${p.maxTries} tries left`,
        // The verdict's own first step for this PIN (store or counter, in the order that applies).
        next:
          p.triesLeft !== null && p.triesLeft <= 1
            ? verdict.findings.find(
                (f) =>
                  f.code === `${which === "auth" ? "auth" : "sign"}-pin-${p.triesLeft === 0 ? "locked" : "last-try"}`,
              )?.steps[0]?.text
            : undefined,
      });
    }
  }
  if (process.platform === "linux") {
    // One line per browser found: packaging, manifest, expected to work, next step (docs/linux-browsers.md).
    const { detectBrowsers } = await import("../install/sandbox.js");
    const found = detectBrowsers(homedir(), { exists: existsSync });
    if (found.length === 0)
      items.push({
        id: "browsers",
        ok: false,
        detail: "対応するブラウザが見つかりません / no supported browser found",
        next: NEXT.noBrowser,
      });
    for (const b of found)
      items.push({
        id: `browser-${b.browser}-${b.packaging}`,
        ok: b.expectedToWork,
        detail: `${b.text.ja} / ${b.text.en}`,
      });
  }
  if (process.platform === "darwin") {
    const { inspectInstall } = await import("../install/install.js");
    const checks = inspectInstall({ platform: process.platform, scope: "user", home: homedir(), env: process.env });
    const installed = checks.filter((c) => c.detail !== "not installed");
    const good = installed.length > 0 && installed.every((c) => c.ok);
    items.push({
      id: "host-manifests",
      ok: good,
      detail:
        installed.length === 0
          ? "the native-messaging host is not installed for any browser of this user"
          : installed.map((c) => `${c.browser}: ${c.ok ? "ok" : "BROKEN"} (${c.detail})`).join("; "),
      next: good ? undefined : NEXT.install,
    });
  }
  items.push(await installationItem());
  items.push({
    id: "versions",
    ok: true,
    detail: `jpki-guard ${VERSION}, node ${process.version}, ${process.platform}-${process.arch}`,
  });

  for (const i of items) {
    i.detail = scrub(i.detail);
    if (i.next) i.next = { ja: scrub(i.next.ja), en: scrub(i.next.en) };
  }
  const lines = [
    `jpki-guard doctor: ヘルプデスク用チェックリスト / help-desk checklist${o.virtual ? "\n*** 内蔵の仮想カード(テスト用)です / BUILT-IN VIRTUAL CARD, not a real card ***" : ""}`,
    ...items.map(
      (i) =>
        `${i.ok ? "[ok]  " : "[FAIL]"} ${title(i.id)}: ${i.detail}${i.next ? `\n        次に / next: ${i.next.ja}\n                     ${i.next.en}` : ""}`,
    ),
    "",
    `判定 / verdict: ${verdict.summary.ja} / ${verdict.summary.en}`,
    `  (${verdict.level}; login ${verdict.readiness.login}, sign ${verdict.readiness.sign}; findings: ${verdict.findings.map((f) => f.code).join(", ") || "none"})`,
  ];
  return {
    tool: "jpki-guard",
    version: VERSION,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    items,
    facts: reportFacts(facts),
    verdict: { level: verdict.level, readiness: verdict.readiness, findings: verdict.findings.map((f) => f.code) },
    text: lines.join("\n"),
    trace,
  };
}

/**
 * Which installation is running, and which browsers' manifests point at its
 * host. Paths of release installs are fixed; anything else is reported as a
 * development checkout, without its path (it may name the user).
 */
async function installationItem(): Promise<DoctorItem> {
  const script = process.argv[1] ?? "";
  const norm = script.replaceAll("\\", "/");
  const kind = norm.startsWith("/usr/lib/jpki-guard/app/")
    ? { name: "Debian/Ubuntu package (.deb)", host: "/usr/lib/jpki-guard/jpki-guard-host" }
    : /\/Program Files\/jpki-guard\/app\//i.test(norm)
      ? { name: "Windows installer, all users (.msi)", host: null }
      : /\/AppData\/Local\/Programs\/jpki-guard\/app\//i.test(norm)
        ? { name: "Windows installer, this user (.msi)", host: null }
        : /\/Library\/Application Support\/jpki-guard\/app\//.test(norm)
          ? { name: "macOS install (install.sh)", host: null }
          : { name: "development checkout", host: null };
  let pointing = "";
  if (kind.host && process.platform === "linux") {
    const { BROWSERS, HOST_NAME, manifestDir } = await import("../install/targets.js");
    const ok: string[] = [];
    const bad: string[] = [];
    const seen = new Set<string>();
    for (const b of BROWSERS) {
      const dir = manifestDir(b, "linux", "system", homedir());
      if (seen.has(dir)) continue; // Brave reads Chrome's folder
      seen.add(dir);
      try {
        const m = JSON.parse(readFileSync(`${dir}/${HOST_NAME}.json`, "utf8")) as { path?: string };
        (m.path === kind.host ? ok : bad).push(b);
      } catch {
        bad.push(b);
      }
    }
    pointing = `; manifests pointing at it: ${ok.join(", ") || "none"}${bad.length ? `; missing or elsewhere: ${bad.join(", ")}` : ""}`;
    return {
      id: "installation",
      ok: bad.length === 0,
      detail: `jpki-guard ${VERSION}, ${kind.name}${pointing}`,
      next: bad.length ? NEXT.reinstall : undefined,
    };
  }
  return { id: "installation", ok: true, detail: `jpki-guard ${VERSION}, ${kind.name}` };
}

/** "利用者証明用暗証番号(数字4桁) / authentication PIN (auth-pin)". */
function title(id: string): string {
  const key = `doctor.item.${id.startsWith("browser-") ? "browsers" : id}`;
  return CATALOGS.ja[key] === undefined ? id : `${both(key)} (${id})`;
}

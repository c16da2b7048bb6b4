/**
 * The help desk's checklist. Each item passes or fails with the next step.
 * Used by the CLI (`doctor`) and the native host (`diagnose`, the popup's
 * help-desk report). Everything in it goes through report.ts: no PIN,
 * serial, fingerprint, exact time, reader serial number, home folder or
 * user name. It returns data: the installation's own items come in from the
 * caller (bridge/src/install/checks.ts), and the text is rendered by the CLI
 * and the host with shared's `doctorText`.
 */

import {
  bilingual,
  type DoctorItem,
  type DoctorView,
  errorText,
  formatJstDate,
  isJpkiGuardError,
  type Judgement,
  jstDate,
  judgeFacts,
} from "@jpki-guard/shared/rules";
import type { TraceLine } from "../apdu/apdu.js";
import type { Anchor } from "../cert/facts.js";
import type { Transport } from "../transport/types.js";
import { VERSION } from "../version.js";
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
};

export interface DoctorReport extends DoctorView {
  tool: string;
  version: string;
  node: string;
  platform: string;
  facts: ReportFacts;
  /** The APDU trace (status words and lengths; no PIN, no certificate bytes), only with --trace; never in the report file. */
  trace?: TraceLine[] | null;
}

export async function runDoctor(o: {
  transport: Transport;
  reader?: string;
  virtual: boolean;
  anchors: Anchor[];
  judge: Judgement;
  trace: boolean;
  /** The installation's items (browsers, manifests, which install), computed by the caller. */
  installation: DoctorItem[];
  /** Whose home folder and user name are taken out of the text (default: this process's). */
  person?: { home: string; user: string };
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
  const verdict = judgeFacts(facts, o.judge);
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
  items.push(...structuredClone(o.installation));
  items.push({
    id: "versions",
    ok: true,
    detail: `jpki-guard ${VERSION}, node ${process.version}, ${process.platform}-${process.arch}`,
  });

  for (const i of items) {
    const clean = (t: string) => scrub(t, o.person?.home, o.person?.user);
    i.detail = clean(i.detail);
    if (i.next) i.next = { ja: clean(i.next.ja), en: clean(i.next.en) };
  }
  return {
    tool: "jpki-guard",
    version: VERSION,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    items,
    facts: reportFacts(facts),
    verdict: {
      level: verdict.level,
      readiness: verdict.readiness,
      findings: verdict.findings.map((f) => f.code),
      summary: verdict.summary,
    },
    virtual: o.virtual,
    trace,
  };
}

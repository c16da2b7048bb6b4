/**
 * The help desk's checklist. Each item passes or fails with the next step.
 * Used by the CLI (`doctor`) and the native host (`diagnose`, the popup's
 * help-desk report). Everything in it goes through report.ts: no PIN,
 * serial, fingerprint, exact time, reader serial number, home folder or
 * user name. It returns data: the installation's own items come in from the
 * caller (bridge/src/install/checks.ts), and the text is rendered by the CLI
 * and the host with shared's `doctorText`.
 */

import { cardChecklist, type DoctorItem, type DoctorView, type Judgement, judgeFacts } from "@jpki-guard/shared/rules";
import type { TraceLine } from "../apdu/apdu.js";
import type { Anchor } from "../cert/facts.js";
import type { Transport } from "../transport/types.js";
import { VERSION } from "../version.js";
import { checkCard } from "./check.js";
import { type ReportFacts, readerModel, reportFacts, scrub } from "./report.js";

export type { DoctorItem } from "@jpki-guard/shared/rules";

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
  // The readers' models for the "readers" item; everything's status comes from the verdict (cardChecklist).
  let readers: { model: string; card: boolean }[] | null = null;
  try {
    readers = (await o.transport.listReaders()).map((r) => ({ model: readerModel(r.name), card: r.cardPresent }));
  } catch {
    readers = null; // the check below meets the same problem and the verdict says so
  }
  const { facts, trace } = await checkCard({
    transport: o.transport,
    reader: o.reader,
    virtual: o.virtual,
    extraAnchors: o.anchors,
    trace: o.trace,
  });
  const verdict = judgeFacts(facts, o.judge);
  const redacted = reportFacts(facts);
  const items: DoctorItem[] = cardChecklist({ facts: redacted, verdict, readers });
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
    facts: redacted,
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

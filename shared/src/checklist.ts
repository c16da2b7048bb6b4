/**
 * The doctor's card checklist, derived from the verdict: every item's status
 * comes from the verdict's findings through one mapping (the findings
 * table's `doctorItem` column, finding code -> item; severity -> status), so
 * the checklist can never say "[ok]" where the verdict says "blocked". The
 * items' details are the report's facts, Japanese first. Used by the
 * doctor (CLI and host) and by `doctor --read` (a citizen's report file).
 */

import { type DoctorItemId, doctorItemOf, FINDING_TABLE, type FindingCode, type Severity } from "./findings.js";
import type { Text } from "./guidance/schema.js";
import { bilingual, errorText } from "./messages.js";
import type { DoctorItem, ReportCertificate, ReportFacts } from "./report-schema.js";
import type { Finding, Verdict } from "./verdict-schema.js";

export const ITEM_STATUSES = ["ok", "warning", "fail"] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

/** The one mapping from a finding's severity to its item's status. */
export const STATUS_OF_SEVERITY: Record<Severity, ItemStatus> = { blocker: "fail", warning: "warning", info: "ok" };

const RANK: Record<ItemStatus, number> = { ok: 0, warning: 1, fail: 2 };

/** The worse of two statuses. */
export function worse(a: ItemStatus, b: ItemStatus): ItemStatus {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The checklist item a verdict finding belongs to (null: the verdict line only). */
export function findingItem(f: Pick<Finding, "code" | "params">): DoctorItemId | null {
  const which = f.params.which === "sign" ? "sign" : f.params.which === "auth" ? "auth" : null;
  // auth-… and sign-… codes name their side in the code; the table's column already says which item.
  return doctorItemOf(f.code, which ?? (f.code.startsWith("sign-") ? "sign" : "auth"));
}

/** A finding's status on its item. */
export function findingStatus(code: FindingCode): ItemStatus {
  return STATUS_OF_SEVERITY[FINDING_TABLE[code].severity];
}

/** Each item's status from the verdict's findings, and the finding that decides it (the first of the worst). */
export function itemStatuses(
  findings: readonly Finding[],
): Map<DoctorItemId, { status: ItemStatus; decisive: Finding | null }> {
  const out = new Map<DoctorItemId, { status: ItemStatus; decisive: Finding | null }>();
  for (const f of findings) {
    const id = findingItem(f);
    if (id === null) continue;
    const s = findingStatus(f.code);
    const had = out.get(id);
    if (!had) out.set(id, { status: s, decisive: s === "ok" ? null : f });
    else if (RANK[s] > RANK[had.status]) out.set(id, { status: s, decisive: f });
  }
  return out;
}

/** The status of an item that carries none (installation items, reports written before statuses). */
export function statusOf(i: Pick<DoctorItem, "ok" | "status">): ItemStatus {
  return i.status ?? (i.ok ? "ok" : "fail");
}

const both = (t: Text): string => `${t.ja} / ${t.en}`;
const key = (k: string): string => both(bilingual(k));

function certDetail(c: ReportCertificate): string {
  const issuer = bilingual(`doctor.issuer.${c.issuer.kind}`);
  const chain = bilingual(`doctor.chain.${c.chain}`);
  return `${c.validTo} まで(発行元: ${issuer.ja}、署名の検証: ${chain.ja}、${c.keyAlgorithm}-${c.keyBits}) / valid to ${c.validTo} (issuer: ${issuer.en}, chain: ${chain.en}, ${c.keyAlgorithm}-${c.keyBits})`;
}

export interface ChecklistInput {
  facts: ReportFacts;
  verdict: Pick<Verdict, "findings">;
  /**
   * The readers PC/SC listed (models, without serial numbers), or null when
   * the list is not known (a report file names only the reader it read).
   */
  readers: { model: string; card: boolean }[] | null;
}

/**
 * The card's items: PC/SC service, readers, card, card kind, both
 * certificates, both PINs. An item is shown when its precondition holds or
 * when a finding belongs to it; its status is its findings' worst.
 */
export function cardChecklist(o: ChecklistInput): DoctorItem[] {
  const { facts } = o;
  const statuses = itemStatuses(o.verdict.findings);
  const items: DoctorItem[] = [];
  const push = (id: DoctorItemId, detail: string, shown: boolean) => {
    const s = statuses.get(id);
    if (!shown && !s) return;
    const status = s?.status ?? "ok";
    const next = status === "ok" ? undefined : s?.decisive?.steps[0]?.text;
    items.push({ id, ok: status === "ok", status, detail, ...(next ? { next: { ja: next.ja, en: next.en } } : {}) });
  };
  const problem = (id: DoctorItemId): FindingCode | undefined =>
    o.verdict.findings.find((f) => findingItem(f) === id && f.severity !== "info")?.code;
  const problemText = (code: FindingCode) => `${errorText("ja", code)} / ${errorText("en", code)}`;

  const pcsc = problem("pcsc-service");
  push("pcsc-service", pcsc ? problemText(pcsc) : "応答あり / answers", true);
  const readers = o.readers ?? (facts.reader ? [{ model: facts.reader.model, card: facts.card !== null }] : []);
  const noReader = problem("readers");
  push(
    "readers",
    noReader
      ? problemText(noReader)
      : readers.length > 0
        ? readers.map((r) => `${r.model}${r.card ? " [card]" : ""}`).join("; ")
        : o.readers === null
          ? "(レポートにありません) / (not in the report)"
          : "見つかりません / no reader",
    !pcsc,
  );
  const cardProblem = problem("card");
  push(
    "card",
    facts.card ? `あり / present (ATR ${facts.card.atr})` : problemText(cardProblem ?? "no-card"),
    !pcsc && !noReader && readers.length > 0,
  );
  if (facts.card || statuses.has("card-kind")) {
    push("card-kind", key(`doctor.kind.${facts.card?.kind ?? "unknown"}`), true);
  }
  const cardShown = facts.card !== null && facts.card.kind === "mynumber";
  const auth = facts.authCertificate;
  push("auth-certificate", auth ? certDetail(auth) : key(`doctor.presence.${facts.presence.auth}`), cardShown);
  const sign = facts.signatureCertificate;
  push(
    "signature-certificate",
    sign
      ? certDetail(sign)
      : `${bilingual(`doctor.presence.${facts.presence.signature}`).ja}(${bilingual("doctor.note.sign-needs-pin").ja}) / ${bilingual(`doctor.presence.${facts.presence.signature}`).en} (${bilingual("doctor.note.sign-needs-pin").en})`,
    cardShown,
  );
  for (const which of ["auth", "signature"] as const) {
    const p = facts.pins[which];
    push(
      `${which}-pin`,
      p.triesLeft === null
        ? "不明 / unknown"
        : `残り ${p.triesLeft} / ${p.maxTries} 回 / ${p.triesLeft} of ${p.maxTries} tries left`,
      cardShown,
    );
  }
  return items;
}

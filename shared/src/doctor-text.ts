/**
 * The doctor's checklist as plain text (what a person pastes to a help desk),
 * from the items and the verdict's gist. One renderer for the CLI's `doctor`
 * and the host's `diagnose` reply (whose `text` the popup shows): the use
 * case itself returns data only.
 */
import { statusOf } from "./checklist.js";
import type { Text } from "./guidance/schema.js";
import { bilingual, CATALOGS } from "./messages.js";
import type { DoctorItem } from "./report-schema.js";
import type { Verdict } from "./verdict-schema.js";

export interface DoctorView {
  items: DoctorItem[];
  verdict: { level: Verdict["level"]; readiness: Verdict["readiness"]; findings: string[]; summary: Text };
  /** The built-in virtual card answered, not a real card. */
  virtual: boolean;
}

/** A catalog entry as "日本語 / English" on one line. */
export function bothLanguages(key: string): string {
  const t = bilingual(key);
  return `${t.ja} / ${t.en}`;
}

/** "利用者証明用暗証番号(数字4桁) / authentication PIN (auth-pin)". */
function title(id: string): string {
  const key = `doctor.item.${id.startsWith("browser-") ? "browsers" : id}`;
  return CATALOGS.ja[key] === undefined ? id : `${bothLanguages(key)} (${id})`;
}

const MARK = { ok: "[ok]  ", warning: "[warn]", fail: "[FAIL]" } as const;

export function doctorText(r: DoctorView): string {
  const v = r.verdict;
  return [
    `jpki-guard doctor: ヘルプデスク用チェックリスト / help-desk checklist${r.virtual ? "\n*** 内蔵の仮想カード(テスト用)です / BUILT-IN VIRTUAL CARD, not a real card ***" : ""}`,
    ...r.items.map(
      (i) =>
        `${MARK[statusOf(i)]} ${title(i.id)}: ${i.detail}${i.next ? `\n        次に / next: ${i.next.ja}\n                     ${i.next.en}` : ""}`,
    ),
    "",
    `判定 / verdict: ${v.summary.ja} / ${v.summary.en}`,
    `  (${v.level}; login ${v.readiness.login}, sign ${v.readiness.sign}; findings: ${v.findings.join(", ") || "none"})`,
  ].join("\n");
}

/**
 * `explain CODE`: what an error code a citizen reports is known to mean, and
 * (unless --no-card) whether the card in the reader explains it. For help
 * desks; reads the card without a PIN, like `check`.
 */
import { type Explanation, explainCode, judgeFacts, type Verdict } from "@jpki-guard/shared/rules";
import { checkCard } from "../../usecases/check.js";
import type { Options, Out } from "../options.js";
import { withTransport } from "../transport.js";
import { judge } from "./judge.js";

export async function explain(code: string, opts: Options & { noCard: boolean }, io: Out): Promise<number> {
  let verdict: Verdict | null = null;
  // A --municipality that names no single place is refused before anything else happens.
  const j = judge(opts, io);
  if (!opts.noCard) {
    verdict = await withTransport(opts, io, async (transport, ctx) => {
      const r = await checkCard({ transport, reader: ctx.reader, virtual: ctx.virtual, extraAnchors: ctx.anchors });
      return judgeFacts(r.facts, { ...j, action: "login" });
    });
  }
  const x = explainCode(code, verdict);
  if (opts.json) io.stdout(`${JSON.stringify(x, null, 2)}\n`);
  else io.stdout(`${renderExplanation(x, opts.langs, opts.noCard)}\n`);
  return 0;
}

export function renderExplanation(x: Explanation, langs: ("ja" | "en")[], noCard: boolean): string {
  const both = (ja: string, en: string) => langs.map((l) => (l === "ja" ? ja : en)).join(" / ");
  const lines: string[] = [];
  if (!x.entry) {
    lines.push(
      both(
        `エラーコード ${x.code || "(空)"} の意味は、jpki-guard の資料にはありません。`,
        `jpki-guard has no record of error code ${x.code || "(empty)"}.`,
      ),
    );
  } else {
    const e = x.entry;
    lines.push(`${both("エラーコード", "error code")}: ${e.code}  (${both(e.where.ja, e.where.en)})`);
    if (e.shown) lines.push(`${both("表示", "shown")}: ${e.shown}`);
    const sure = e.confidence === "reported" ? both("報告ベース", "from reports") : both("未確認", "unconfirmed");
    for (const l of langs) lines.push(`  ${e.meaning[l]}`);
    lines.push(`${both("確からしさ", "how sure")}: ${sure}; ${both("出典", "source")}: ${e.source}`);
  }
  lines.push("");
  if (noCard) lines.push(both("カードは確認していません(--no-card)。", "The card was not checked (--no-card)."));
  else if (x.card === "explains") {
    lines.push(both("このカードで説明がつきます:", "This card explains it:"));
    for (const b of x.because) for (const l of langs) lines.push(`  - ${b.text[l]}`);
  } else if (x.card === "not-this-card" && x.entry)
    lines.push(
      both(
        "このカードには、このエラーの原因になることが見つかりません。",
        "Nothing on this card accounts for this error.",
      ),
    );
  else if (x.card === "cannot-tell")
    lines.push(
      both(
        "カードを読み取れなかったため、このカードが原因かは判断できません。",
        "The card could not be read, so whether it is the cause cannot be told.",
      ),
    );
  for (const n of x.next) for (const l of langs) lines.push(`  - ${n[l]}`);
  return lines.join("\n");
}

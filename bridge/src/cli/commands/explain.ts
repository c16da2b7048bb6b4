/**
 * `explain CODE`: what an error code a citizen reports is known to mean, and
 * (unless --no-card) whether the card in the reader explains it. For help
 * desks; reads the card without a PIN, like `check`. For a code about the
 * official Mynaportal app (its entry's `machine`), also whether the official
 * app's host is registered on this computer, read-only, as `doctor` sees it.
 */
import { homedir } from "node:os";
import {
  CONFIDENCE_NAMES,
  type ErrorSystem,
  type Explanation,
  explainCode,
  judgeFacts,
  SYSTEM_NAMES,
  sourcesLine,
  type Verdict,
} from "@jpki-guard/shared/rules";
import {
  judgeOfficialHosts,
  type OfficialAppJudgement,
  type OfficialHostProbe,
  probeOfficialHosts,
} from "../../install/official-app.js";
import { checkCard } from "../../usecases/check.js";
import type { Options, Out } from "../options.js";
import { withTransport } from "../transport.js";
import { judge } from "./judge.js";

/** This computer's official-app registration (tests pass another computer's). */
export type OfficialHostsHere = () => OfficialHostProbe | null;

const officialHostsHere: OfficialHostsHere = () =>
  probeOfficialHosts({ platform: process.platform, home: homedir(), env: process.env });

export async function explain(
  code: string,
  opts: Options & { noCard: boolean; where?: ErrorSystem },
  io: Out,
  here: OfficialHostsHere = officialHostsHere,
): Promise<number> {
  let verdict: Verdict | null = null;
  // A --municipality that names no single place is refused before anything else happens.
  const j = judge(opts, io);
  if (!opts.noCard) {
    verdict = await withTransport(opts, io, async (transport, ctx) => {
      const r = await checkCard({ transport, reader: ctx.reader, virtual: ctx.virtual, extraAnchors: ctx.anchors });
      return judgeFacts(r.facts, { ...j, action: "login" });
    });
  }
  const x = explainCode(code, verdict, opts.where ?? null);
  // The computer, not the card: looked at whatever --no-card says (read-only, nothing is started).
  const probe = x.entry?.machine === "official-app-host" ? here() : null;
  const machine = probe ? judgeOfficialHosts(probe) : null;
  if (opts.json) {
    const thisComputer =
      probe && machine ? { officialAppHost: { platform: probe.platform, ...machine, found: probe.found } } : {};
    io.stdout(`${JSON.stringify({ ...x, ...thisComputer }, null, 2)}\n`);
  } else io.stdout(`${renderExplanation(x, opts.langs, opts.noCard, machine)}\n`);
  return 0;
}

export function renderExplanation(
  x: Explanation,
  langs: ("ja" | "en")[],
  noCard: boolean,
  machine: OfficialAppJudgement | null = null,
): string {
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
    const label = e.code ?? both("(コードなしのメッセージ)", "(a message without a code)");
    lines.push(`${both("エラーコード", "error code")}: ${label}  (${both(e.where.ja, e.where.en)})`);
    if (e.shown) lines.push(`${both("表示", "shown")}: ${e.shown}`);
    for (const l of langs) lines.push(`  ${e.meaning[l]}`);
    lines.push(
      `${both("確からしさ", "how sure")}: ${both(CONFIDENCE_NAMES[e.confidence].ja, CONFIDENCE_NAMES[e.confidence].en)}`,
    );
    lines.push(`${both("出典", "source")}: ${both(sourcesLine(e, "ja"), sourcesLine(e, "en"))}`);
    if (x.askWhere)
      lines.push(
        both(
          `このコードはほかのシステムでも使われ、意味が違うことがあります。上は ${SYSTEM_NAMES[e.system].ja} での意味です(--where で出た場所を指定できます)。`,
          `Other systems use this code with other meanings: the above is for ${SYSTEM_NAMES[e.system].en} (name where it was seen with --where).`,
        ),
      );
  }
  if (!x.entry && x.elsewhere.length > 0)
    lines.push(
      both(
        `このコードは ${x.elsewhere.map((w) => SYSTEM_NAMES[w].ja).join("、")} のものとしてだけ記録があります。`,
        `This code is on record only for ${x.elsewhere.map((w) => SYSTEM_NAMES[w].en).join(", ")}.`,
      ),
    );
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
  else if (x.card === "not-card")
    lines.push(
      both(
        "このエラーはカードではなく、パソコン・スマートフォン・通信などの問題とされています。",
        "This error is about the computer, the phone or the network, not the card.",
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
  if (x.environment) {
    lines.push(both("パソコン・スマートフォンで確かめること:", "Check on the computer or phone:"));
    for (const l of langs) lines.push(`  - ${x.environment[l]}`);
  }
  if (machine) {
    lines.push(
      both(
        "このパソコンでの公式アプリの登録(jpki-guard doctor と同じ確認。利用者のパソコンで実行したときだけ意味があります):",
        "The official app's registration on this computer (the same check as jpki-guard doctor; it means something only when run on the citizen's computer):",
      ),
    );
    for (const l of langs) lines.push(`  - ${machine.text[l]}`);
    if (machine.next) for (const l of langs) lines.push(`  → ${machine.next[l]}`);
  }
  return lines.join("\n");
}

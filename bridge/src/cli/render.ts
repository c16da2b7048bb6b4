/** Human-readable output: Japanese first, English second. No PIN, serial, CN or personal data. */
import type { CardFacts, CertificateFacts, Finding, Lang, Verdict } from "@jpki-guard/shared/rules";
import { formatJstDate, jstDate } from "@jpki-guard/shared/rules";

const LEVEL_MARK: Record<Verdict["level"], { ja: string; en: string }> = {
  ready: { ja: "OK", en: "ready" },
  attention: { ja: "要確認", en: "attention" },
  blocked: { ja: "使用不可", en: "blocked" },
  unknown: { ja: "判定不能", en: "cannot tell" },
};

const SEV: Record<Finding["severity"], string> = { blocker: "✖", warning: "!", info: "i" };

function both(t: { ja: string; en: string }, langs: Lang[]): string[] {
  return langs.map((l) => t[l]);
}

export function renderCheck(facts: CardFacts, verdict: Verdict, langs: Lang[] = ["ja", "en"]): string {
  const out: string[] = [];
  if (facts.reader?.virtual) {
    out.push("*** 内蔵の仮想カード(テスト用)です。あなたのカードではありません。 ***");
    out.push("*** This is the BUILT-IN VIRTUAL CARD (test data), not your own card. ***", "");
  }
  out.push(`リーダ / reader: ${facts.reader?.name ?? "-"}`);
  const kind = facts.card?.kind ?? "-";
  out.push(`カード / card: ${kind}${facts.card?.atr ? `  (ATR ${facts.card.atr})` : ""}`);
  const cert = (label: string, c: CardFacts["authCertificate"], presence: string) => {
    if (c) {
      const d = formatJstDate(jstDate(new Date(c.notAfter)));
      return `${label}: ${d} まで / valid to ${d}  [${c.issuer.kind}${c.issuer.generation ? ` ${c.issuer.generation}` : ""}, chain ${c.chain}, ${keyLabel(c)}]`;
    }
    return `${label}: ${presence === "present" ? "あり(未読) / present, not read" : presence === "absent" ? "なし / none" : "不明 / unknown"}`;
  };
  out.push(cert("利用者証明用 / authentication", facts.authCertificate, facts.presence.auth));
  out.push(cert("署名用 / signature", facts.signatureCertificate, facts.presence.signature));
  const pin = (p: CardFacts["pins"]["auth"]) => (p.triesLeft === null ? "?" : `${p.triesLeft}/${p.maxTries}`);
  out.push(
    `暗証番号の残り回数 / PIN tries left: 利用者証明用 auth ${pin(facts.pins.auth)}, 署名用 signature ${pin(facts.pins.signature)}`,
  );
  out.push(`APDU: ${facts.apduCount}, ${facts.durationMs} ms${facts.cached ? " (cached)" : ""}`, "");

  const lv = LEVEL_MARK[verdict.level];
  out.push(`判定 / verdict [${verdict.action}]: ${lv.ja} / ${lv.en}`);
  out.push(...both(verdict.summary, langs).map((s) => `  ${s}`));
  out.push(
    `  ログイン / login: ${LEVEL_MARK[verdict.readiness.login].ja} / ${LEVEL_MARK[verdict.readiness.login].en};  署名 / sign: ${LEVEL_MARK[verdict.readiness.sign].ja} / ${LEVEL_MARK[verdict.readiness.sign].en}`,
  );
  if (Math.abs(new Date(verdict.on).getTime() - new Date(facts.checkedAt).getTime()) > 60_000)
    out.push(`  (判定日 / as of ${formatJstDate(jstDate(new Date(verdict.on)))})`);
  for (const f of verdict.findings) {
    out.push("", `${SEV[f.severity]} [${f.code}]`);
    for (const t of both(f.text, langs)) out.push(`  ${t}`);
    for (const s of f.steps) {
      const lines = both(s.text, langs);
      out.push(`  → ${lines[0]}`);
      for (const l of lines.slice(1)) out.push(`    ${l}`);
      if (s.url) out.push(`    ${s.url}`);
    }
  }
  const w = verdict.window;
  if (verdict.findings.some((f) => f.steps.length > 0 && f.severity !== "info")) {
    out.push("", `窓口 / counter: ${w.name.ja} / ${w.name.en}`);
    if (w.place) out.push(`  ${w.place.ja}`, `  ${w.place.en}`);
    if (w.phone) out.push(`  電話 / phone: ${w.phone}`);
    if (w.next) out.push(`  ${w.next.ja} / ${w.next.en}`);
  }
  return out.join("\n");
}

/** "RSA-2048", "ECDSA P-384". */
export function keyLabel(c: Pick<CertificateFacts, "keyAlgorithm" | "keyBits" | "keyCurve">): string {
  if (c.keyAlgorithm === "RSA") return `RSA-${c.keyBits}`;
  if (c.keyAlgorithm === "EC") return `ECDSA ${c.keyCurve ?? `${c.keyBits}-bit curve`}`;
  return "key type not recognised";
}

/**
 * The popup's "Save": the report file built from the host's `diagnose`
 * reply (as the extension receives it, validated by the protocol's schema)
 * is one `doctor --read` accepts, with the exit code of the verdict; its
 * read-out code round-trips through `doctor --read` too.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type DiagnoseResult,
  decodeReadout,
  encodeReadout,
  isReportProblem,
  type MessageFromHost,
  MessageFromHostSchema,
  type PageSeen,
  PROTOCOL_VERSION,
  parseReportFile,
  readoutFromReport,
  reportFileText,
  reportFromDiagnose,
} from "@jpki-guard/shared";
import { buildCard, namedProfile, type ProfileName } from "@jpki-guard/virtual-card";
import { afterAll, describe, expect, it } from "vitest";
import { HostSession } from "../host/session.js";
import { MemoryTransport } from "../transport/memory.js";
import { EXIT } from "./exit.js";
import { cli } from "./test-support/terminal.js";

const dir = mkdtempSync(join(tmpdir(), "jg-popup-report-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The host's diagnose reply for a profile, as the popup gets it. */
async function diagnoseReply(profile: ProfileName): Promise<DiagnoseResult> {
  const transport = new MemoryTransport({ "Memory Reader 00 00": buildCard(await namedProfile(profile)) });
  const sent: MessageFromHost[] = [];
  const s = new HostSession({ send: (m) => sent.push(MessageFromHostSchema.parse(m)), transport: () => transport });
  s.receive({
    kind: "message",
    value: { id: "d", v: PROTOCOL_VERSION, command: "diagnose", params: { municipality: "142034" } },
  });
  await s.drain();
  await s.close();
  const reply = sent.find((m) => "id" in m && m.id === "d") as { result: DiagnoseResult } | undefined;
  if (!reply?.result) throw new Error(`no diagnose result: ${JSON.stringify(sent).slice(0, 300)}`);
  return reply.result;
}

/** A minimal valid report file (schema 1, no card), for the page's schema checks. */
function validFile() {
  return {
    tool: "jpki-guard",
    version: "0.1.0",
    items: [],
    facts: {
      checkedOn: "2026-12-01",
      reader: null,
      card: null,
      presence: { auth: "unknown", signature: "unknown" },
      authCertificate: null,
      signatureCertificate: null,
      pins: {
        auth: { triesLeft: null, maxTries: 3, locked: null },
        signature: { triesLeft: null, maxTries: 5, locked: null },
      },
      notChecked: [],
      problems: ["no-reader"],
      apduCount: 0,
      cached: false,
    },
    verdict: { level: "unknown", readiness: { login: "unknown", sign: "unknown" }, findings: ["no-reader"] },
  };
}

describe("the popup's saved report", () => {
  it.each([
    ["renewal-window", "attention"],
    ["auth-pin-locked", "blocked"],
    ["no-certs", "blocked"],
  ] as const)(
    "%s: doctor --read accepts the file and the code, with the verdict's exit code",
    async (profile, level) => {
      const d = await diagnoseReply(profile);
      expect(d.verdict.level).toBe(level);
      const exit = EXIT[level];
      const report = reportFromDiagnose(d, "142034");
      if (isReportProblem(report)) throw new Error(JSON.stringify(report));
      expect(report.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(report.platform).toBe(`${process.platform}-${process.arch}`);
      expect(report.municipality).toBe("142034");
      expect(report.page).toBeUndefined();
      expect(report.verdict.findings).toEqual(d.verdict.findings);
      const file = join(dir, `${profile}.json`);
      writeFileSync(file, reportFileText(report));
      const read = await cli(["doctor", "--read", file]);
      expect(read.stderr).toBe("");
      expect(read.code).toBe(exit);
      expect(read.stdout).toContain("市区町村 / municipality: 平塚市 (142034)");
      const code = encodeReadout(readoutFromReport(report));
      expect(decodeReadout(code)).toMatchObject({ login: d.verdict.readiness.login, municipality: "142034" });
      const byCode = await cli(["doctor", "--read", code]);
      expect(byCode.stderr).toBe("");
      expect(byCode.code).toBe(exit);
      const json = await cli(["doctor", "--read", code, "--json"]);
      expect(JSON.parse(json.stdout).verdicts.today.readiness).toEqual(d.verdict.readiness);
    },
  );

  it("with the page's findings: schema 2, and doctor --read shows them (codes, texts, where, the platform judged)", async () => {
    const d = await diagnoseReply("valid");
    const page: PageSeen = {
      extension: "0.1.0",
      bridge: "answered",
      os: "linux",
      brand: "chromium",
      windows: null,
      portal: "mynaportal",
      action: "login",
      findings: ["env-no-official-app"],
      officialAppChecked: false,
    };
    const report = reportFromDiagnose(d, "142034", page);
    if (isReportProblem(report)) throw new Error(JSON.stringify(report));
    expect(report.reportSchema).toBe(2);
    expect(report.page).toEqual(page);
    const file = join(dir, "page.json");
    writeFileSync(file, reportFileText(report));
    const read = await cli(["doctor", "--read", file]);
    expect(read.stderr).toBe("");
    // The card decides the exit code: a page is not judged again at the desk.
    expect(read.code).toBe(EXIT[d.verdict.level]);
    expect(read.stdout).toContain("ポップアップ / popup: 拡張機能 / extension 0.1.0, ブリッジ / bridge answered");
    expect(read.stdout).toContain("ページ / page: マイナポータル / Mynaportal, ログイン / login");
    expect(read.stdout).toContain("判定に使った環境 / judged for: OS linux, chromium");
    expect(read.stdout).toContain("✖ [env-no-official-app] (page)");
    expect(read.stdout).toContain(
      "Linux では、マイナンバーカードとカードリーダでマイナポータルにログインする公式の方法はありません。",
    );
    expect(read.stdout).toMatch(/→ カードリーダなしでもログインできます/);
    // The page block comes before the card's checklist.
    expect(read.stdout.indexOf("[env-no-official-app]")).toBeLessThan(read.stdout.indexOf("カードリーダのサービス"));
    const json = JSON.parse((await cli(["doctor", "--read", file, "--json"])).stdout);
    expect(json.report.page.findings).toEqual(["env-no-official-app"]);
    // The read-out code carries the codes (their bits were reserved from the start), not where or on what.
    const code = encodeReadout(readoutFromReport(report));
    expect(decodeReadout(code)).toMatchObject({ findings: expect.arrayContaining(["env-no-official-app"]) });
    const byCode = await cli(["doctor", "--read", code]);
    expect(byCode.code).toBe(EXIT[d.verdict.level]);
    expect(byCode.stdout).toContain("ページ / page: (レポートにありません) / (not in the report)");
    expect(byCode.stdout).toContain("✖ [env-no-official-app] (page)");
    // A report without page findings keeps schema 1 (every jpki-guard reads it) and shows no page block.
    const plain = reportFromDiagnose(d, "142034");
    if (isReportProblem(plain)) throw new Error(JSON.stringify(plain));
    expect(plain.reportSchema).toBe(1);
    const plainCode = await cli(["doctor", "--read", encodeReadout(readoutFromReport(plain))]);
    expect(plainCode.stdout).not.toContain("ページ / page");
  });

  it("e-Tax on Windows 10 and the official extension on Windows: the words of their rules and the OS's steps", async () => {
    const d = await diagnoseReply("valid");
    const etax = reportFromDiagnose(d, null, {
      os: "win",
      brand: "edge",
      windows: 10,
      portal: "etax",
      action: "sign",
      findings: ["env-reported-unsupported"],
    });
    if (isReportProblem(etax)) throw new Error(JSON.stringify(etax));
    writeFileSync(join(dir, "etax.json"), reportFileText(etax));
    const e = await cli(["doctor", "--read", join(dir, "etax.json")]);
    expect(e.stdout).toContain("判定に使った環境 / judged for: OS win, edge, Windows 10");
    expect(e.stdout).toContain("e-Tax では、Windows 10 でのマイナンバーカードの利用はできないという報告があります");
    expect(e.stdout).toContain("報告の時期: 2026-02");
    expect(e.stdout).not.toContain("undefined");
    const myna = reportFromDiagnose(d, null, {
      os: "win",
      portal: "mynaportal",
      action: "login",
      findings: ["official-extension-not-detected"],
      officialAppChecked: true,
    });
    if (isReportProblem(myna)) throw new Error(JSON.stringify(myna));
    writeFileSync(join(dir, "myna.json"), reportFileText(myna));
    const m = await cli(["doctor", "--read", join(dir, "myna.json")]);
    expect(m.stdout).toContain("! [official-extension-not-detected] (page)");
    expect(m.stdout).toContain("公式のマイナポータルアプリ(Windows 用)");
    expect(m.stdout).not.toContain("公式のマイナポータルアプリ(Mac 用)");
    expect(m.stdout).toContain("公式の拡張機能・アプリ: ページで確認済み");
  });

  it("older reports stay readable: schema 1, and a schema-1 page (extension, OS, bridge only)", async () => {
    const d = await diagnoseReply("valid");
    const base = reportFromDiagnose(d, null);
    if (isReportProblem(base)) throw new Error(JSON.stringify(base));
    const { reportSchema: _, ...noVersion } = base;
    for (const [name, body] of [
      ["v1.json", { ...base, reportSchema: 1 }],
      ["unversioned.json", noVersion],
      ["v1-page.json", { ...base, reportSchema: 1, page: { extension: "0.1.0", os: "win", bridge: "answered" } }],
    ] as const) {
      writeFileSync(join(dir, name), JSON.stringify(body));
      const r = await cli(["doctor", "--read", join(dir, name)]);
      expect(r.stderr, name).toBe("");
      expect(r.code, name).toBe(EXIT[d.verdict.level]);
    }
    const old = await cli(["doctor", "--read", join(dir, "v1-page.json")]);
    expect(old.stdout).toContain("ポップアップ / popup: 拡張機能 / extension 0.1.0, ブリッジ / bridge answered");
    expect(old.stdout).toContain("判定に使った環境 / judged for: OS win, -");
    // Nothing was reported of the page's findings: said so, never "none".
    expect(old.stdout).toContain(
      "the page's findings (as the popup saw them): (レポートにありません) / (not in the report)",
    );
  });

  it("a page holding anything else (an address, a card's code) is refused", () => {
    expect(isReportProblem(parseReportFile(new TextEncoder().encode(JSON.stringify(validFile()))))).toBe(false);
    const ok = { ...validFile(), reportSchema: 2, page: { portal: "mynaportal", findings: ["env-no-official-app"] } };
    expect(isReportProblem(parseReportFile(new TextEncoder().encode(JSON.stringify(ok))))).toBe(false);
    for (const page of [
      { portal: "mynaportal", url: "https://myna.go.jp/" },
      { findings: ["auth-pin-locked"] },
      { portal: "example.com" },
    ]) {
      const r = parseReportFile(new TextEncoder().encode(JSON.stringify({ ...validFile(), page })));
      expect(r, JSON.stringify(page)).toMatchObject({ kind: "wrong-schema" });
    }
  });

  it("a reply whose versions line is not ours still makes a readable report; unknown finding codes are left out", async () => {
    const d = await diagnoseReply("valid");
    const odd: DiagnoseResult = {
      ...d,
      items: d.items.map((i) => (i.id === "versions" ? { ...i, detail: "something else" } : i)),
      verdict: { ...d.verdict, findings: [...d.verdict.findings, "from-a-newer-bridge"] },
    };
    const report = reportFromDiagnose(odd, null);
    if (isReportProblem(report)) throw new Error(JSON.stringify(report));
    expect(report.version).toBe("unknown");
    expect(report.node).toBeUndefined();
    expect(report.verdict.findings).not.toContain("from-a-newer-bridge");
    expect(report.municipality).toBeNull();
  });

  it("a reply carrying markup is refused, not saved (the file would be refused by the reader)", async () => {
    const d = await diagnoseReply("valid");
    const bad: DiagnoseResult = { ...d, text: `${d.text}<script>alert(1)</script>` };
    expect(reportFromDiagnose(bad, null)).toMatchObject({ kind: "unsafe-text", what: "markup", path: "$.text" });
  });
});

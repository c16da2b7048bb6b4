/**
 * `doctor --read FILE`: a report written by the doctor on one virtual
 * profile (through the in-memory transport) and read on another day shows
 * both verdicts; hostile files end in exit 65 with a clear reason, escaped,
 * and nothing is written.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildCard, caCertificate, namedProfile } from "@jpki-guard/virtual-card";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testAnchor } from "../cert/facts.js";
import { MemoryTransport } from "../transport/memory.js";
import { runDoctor } from "../usecases/doctor.js";
import { reportJson } from "./commands/doctor.js";
import { cli } from "./test-support/terminal.js";

// The doctor dates its report by the clock, so the card is made for the clock too (45 days left today),
// and the report is read 90 days later, when its certificate has expired.
const NOW = new Date();
const LATER = new Date(NOW.getTime() + 90 * 86_400_000).toISOString().slice(0, 10);
const dir = mkdtempSync(join(tmpdir(), "jg-read-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let good = "";
let goodJson: Record<string, unknown> = {};

beforeAll(async () => {
  const transport = new MemoryTransport({
    "Memory Reader 00 00": buildCard(await namedProfile("renewal-window", NOW)),
  });
  const anchors = [testAnchor(await caCertificate("auth"), "auth"), testAnchor(await caCertificate("sign"), "sign")];
  const report = await runDoctor({
    transport,
    virtual: false,
    anchors,
    judge: { on: NOW, action: "login", municipality: "142034" },
    trace: false,
    installation: [{ id: "installation", ok: true, status: "ok", detail: "development checkout at ~/src (<user>)" }],
  });
  good = join(dir, "report.json");
  const text = reportJson(report, "142034");
  writeFileSync(good, text);
  goodJson = JSON.parse(text);
});

const hostile = (name: string, content: string | Buffer) => {
  const f = join(dir, name);
  writeFileSync(f, content);
  return f;
};

describe("doctor --read FILE", () => {
  it("shows the checklist and the verdicts as of the report's day and as of today, with the municipality's next steps", async () => {
    // The renewal-window card, read 90 days later: expired since.
    const r = await cli(["doctor", "--read", good, "--on", LATER]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(2); // today's verdict: blocked
    expect(r.stdout).toContain("利用者のレポート / a citizen's report");
    expect(r.stdout).toContain("市区町村 / municipality: 平塚市 (142034)");
    expect(r.stdout).toMatch(/\[warn\] 利用者証明用電子証明書 \/ authentication certificate \(auth-certificate\)/);
    const day = (goodJson.facts as { checkedOn: string }).checkedOn;
    expect(r.stdout).toContain(
      `判定(レポートの日 ${day}) / verdict as of the report (${day}): ログイン / login 要確認 / attention`,
    );
    expect(r.stdout).toContain(
      `判定(今日 ${LATER}) / verdict as of today (${LATER}): ログイン / login 使えません / blocked`,
    );
    expect(r.stdout).toContain("auth-cert-expired");
    expect(r.stdout).toContain("0463-71-6521"); // Hiratsuka's counter, from the report's municipality
    // Japanese before English in the next steps.
    expect(r.stdout.indexOf("有効期限が")).toBeLessThan(r.stdout.indexOf("expired on"));
  });

  it("--json: the parsed report and both verdicts", async () => {
    const r = await cli(["doctor", "--read", good, "--on", LATER, "--json"]);
    const x = JSON.parse(r.stdout);
    expect(x.report.facts.checkedOn).toBe((goodJson.facts as { checkedOn: string }).checkedOn);
    expect(x.verdicts.atReport.level).toBe("attention");
    expect(x.verdicts.today.level).toBe("blocked");
    expect(x.municipality).toBe("142034");
  });

  it("--municipality chooses another place's next steps", async () => {
    const r = await cli(["doctor", "--read", good, "--on", LATER, "--municipality", "渋谷区"]);
    expect(r.stdout).toContain("渋谷区 (131130)");
    expect(r.stdout).not.toContain("0463-71-6521");
  });

  const cases: [string, () => string, RegExp][] = [
    ["over 1 MiB", () => hostile("big.json", Buffer.alloc(1024 * 1024 + 1, 0x20)), /1 MiB/],
    ["not JSON", () => hostile("bad.json", "{not json"), /not JSON/],
    ["not UTF-8", () => hostile("latin1.json", Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d])), /not JSON/],
    [
      "wrong schema",
      () => hostile("wrong.json", JSON.stringify({ tool: "jpki-guard", facts: 1 })),
      /shape of a jpki-guard report: \$\.version/,
    ],
    [
      "a newer schema version",
      () => hostile("newer.json", JSON.stringify({ ...goodJson, reportSchema: 7 })),
      /reads schema 7; this one reads up to 2/,
    ],
    [
      "control characters",
      () => {
        const j = structuredClone(goodJson) as { items: { detail: string }[] };
        j.items[0]!.detail = "\u001b]0;owned\u0007\u001b[31mred";
        return hostile("ctl.json", JSON.stringify(j));
      },
      /\$\.items\[0\]\.detail holds control characters \(shown escaped\): "\\u001b\]0;owned\\u0007\\u001b\[31mred"/,
    ],
    [
      "markup",
      () => hostile("markup.json", JSON.stringify({ ...goodJson, version: "<img src=x onerror=alert(1)>" })),
      /\$\.version holds markup \(shown escaped\): "\\u003cimg src=x onerror=alert\(1\)\\u003e"/,
    ],
    [
      "a FIFO (no blocking)",
      () => {
        const f = join(dir, "pipe");
        execFileSync("mkfifo", [f]);
        return f;
      },
      /Not a regular file/,
    ],
  ];
  it.each(cases)("%s: exit 65 with the reason, nothing executed or written", async (_name, make, reason) => {
    const f = make();
    const before = readdirSync(dir).sort();
    const r = await cli(["doctor", "--read", f]);
    expect(r.code).toBe(65);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(reason);
    // Japanese first.
    expect(r.stderr).toMatch(/^jpki-guard: [^\n]*[ぁ-んァ-ン一-龯]/);
    // No raw control character reaches the terminal.
    const controls = [...r.stderr].filter((c) => c !== "\n" && (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f));
    expect(controls).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it("accepts the read-out code; a misheard character is caught by the check character", async () => {
    const { encodeReadout, parseReportFile, readoutFromReport } = await import("@jpki-guard/shared");
    const parsed = parseReportFile(Buffer.from(JSON.stringify(goodJson)));
    if ("kind" in parsed) throw new Error("the doctor's own report does not parse");
    const code = encodeReadout(readoutFromReport(parsed));
    // A code carries days left, not dates: it is read out on the day of the call, which is its day.
    const r = await cli(["doctor", "--read", code]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("市区町村 / municipality: 平塚市 (142034)");
    expect(r.stdout).toMatch(/\[warn\] 利用者証明用電子証明書/);
    expect(r.stdout).toMatch(/verdict as of today \(\d{4}-\d{2}-\d{2}\): ログイン \/ login 要確認 \/ attention/);
    expect(r.stdout).toContain("[ok]   署名用暗証番号(英数字6〜16桁) / signature PIN (signature-pin): 残り 5 / 5 回");
    expect(r.code).toBe(1);
    const last = code.at(-1) === "2" ? "3" : "2";
    const misheard = await cli(["doctor", "--read", `${code.slice(0, -1)}${last}`]);
    expect(misheard.code).toBe(65);
    expect(misheard.stderr).toContain("聞き間違いか打ち間違い");
  });

  it("--read and --report together are a usage error", async () => {
    expect((await cli(["doctor", "--read", good, "--report", join(dir, "x.json")])).code).toBe(64);
  });
});

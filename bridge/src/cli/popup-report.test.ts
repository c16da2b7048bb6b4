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
  PROTOCOL_VERSION,
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

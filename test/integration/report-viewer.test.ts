/**
 * The report viewer (docs/report-viewer.html, one self-contained file) in
 * Debian's Chromium from a file:// URL: it opens a report file written by
 * the bridge (the doctor's `--report` and the popup's "Save", both made
 * here through the in-memory transport, no pcscd) and a typed read-out
 * code, and shows the same checklist and verdicts as `doctor --read`; a
 * hostile file shows an error and none of its markup runs. The page makes
 * no request but its own file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  type DiagnoseResult,
  encodeReadout,
  isReportProblem,
  type MessageFromHost,
  MessageFromHostSchema,
  PROTOCOL_VERSION,
  parseReportFile,
  readoutFromReport,
  reportFileText,
  reportFromDiagnose,
} from "@jpki-guard/shared";
import { buildCard, caCertificate, namedProfile } from "@jpki-guard/virtual-card";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testAnchor } from "../../bridge/src/cert/facts.js";
import { reportJson } from "../../bridge/src/cli/commands/doctor.js";
import { HostSession } from "../../bridge/src/host/session.js";
import { MemoryTransport } from "../../bridge/src/transport/memory.js";
import { runDoctor } from "../../bridge/src/usecases/doctor.js";
import { launch, until } from "./browser.js";

const VIEWER = pathToFileURL(fileURLToPath(new URL("../../docs/report-viewer.html", import.meta.url))).href;
const NOW = new Date();
/** 90 days on: the renewal-window card's certificate (45 days left today) has expired. */
const LATER = new Date(NOW.getTime() + 90 * 86_400_000).toISOString().slice(0, 10);
const dir = mkdtempSync(join(tmpdir(), "jg-viewer-"));
let context: BrowserContext;
let doctorFile = "";
let popupFile = "";
let doctorCode = "";

/** The host's diagnose reply, as the popup gets it. */
async function diagnoseReply(profile: "auth-pin-locked"): Promise<DiagnoseResult> {
  const transport = new MemoryTransport({ "Memory Reader 00 00": buildCard(await namedProfile(profile, NOW)) });
  const sent: MessageFromHost[] = [];
  const s = new HostSession({ send: (m) => sent.push(MessageFromHostSchema.parse(m)), transport: () => transport });
  s.receive({
    kind: "message",
    value: { id: "d", v: PROTOCOL_VERSION, command: "diagnose", params: { municipality: "142034" } },
  });
  await s.drain();
  await s.close();
  const reply = sent.find((m) => "id" in m && m.id === "d") as { result?: DiagnoseResult } | undefined;
  if (!reply?.result) throw new Error(`no diagnose result: ${JSON.stringify(sent).slice(0, 300)}`);
  return reply.result;
}

beforeAll(async () => {
  // doctor --report on the renewal-window card, the test CA trusted as the bridge's unit tests do.
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
    installation: [{ id: "installation", ok: true, status: "ok", detail: "development checkout" }],
  });
  const text = reportJson(report, "142034");
  doctorFile = join(dir, "doctor-report.json");
  writeFileSync(doctorFile, text);
  const parsed = parseReportFile(new TextEncoder().encode(text));
  if (isReportProblem(parsed)) throw new Error(JSON.stringify(parsed));
  doctorCode = encodeReadout(readoutFromReport(parsed));
  // The popup's "Save" on a card whose authentication PIN is locked.
  const saved = reportFromDiagnose(await diagnoseReply("auth-pin-locked"), "142034");
  if (isReportProblem(saved)) throw new Error(JSON.stringify(saved));
  popupFile = join(dir, "popup-report.json");
  writeFileSync(popupFile, reportFileText(saved));
  context = await launch(join(dir, "profile"), 1, null);
}, 60_000);

afterAll(async () => {
  await context?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The viewer, with every request it makes and every error it raises recorded. */
async function viewer(): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await page.goto(VIEWER);
  return { page, requests, errors };
}

const out = (page: Page) => page.locator("#out").innerText();

describe("report viewer (file://, headless Chromium)", () => {
  it("opens doctor --report's file: the checklist, the report's verdict, and today's after a later date", async () => {
    const { page, requests, errors } = await viewer();
    await page.locator("#file").setInputFiles(doctorFile);
    const text = await until(
      () => out(page),
      (t) => t.includes("チェックリスト"),
      "report shown",
    );
    expect(text).toContain("利用者のレポート / a citizen's report");
    expect(text).toContain("平塚市 (142034)");
    expect(await page.locator("#checklist").innerText()).toMatch(
      /\[warn\] 利用者証明用電子証明書 \/ authentication certificate \(auth-certificate\)/,
    );
    expect(await page.locator("#verdicts tr.at-report").innerText()).toContain("要確認 / attention");
    expect(text).toContain("[auth-cert-renewal-window]");
    // Japanese first: the Japanese sentence comes before its English one.
    expect(text.indexOf("有効期限")).toBeLessThan(text.indexOf("expires"));
    // As of 90 days later: expired, blocked; the report's own day stays as it was.
    await page.locator("#on").fill(LATER);
    await page.locator("#on").dispatchEvent("change");
    await until(
      () => page.locator("#verdicts tr.today").innerText(),
      (t) => t.includes("使えません / blocked"),
      "today's verdict",
    );
    expect(await page.locator("#verdicts tr.at-report").innerText()).toContain("要確認 / attention");
    expect(await page.locator("#changed").innerText()).toContain("auth-cert-expired");
    expect(errors).toEqual([]);
    expect(requests.every((u) => u === VIEWER)).toBe(true);
    await page.close();
  });

  it("opens the popup's saved report (a locked authentication PIN fails its line)", async () => {
    const { page, errors } = await viewer();
    await page.locator("#file").setInputFiles(popupFile);
    const list = await until(
      () =>
        page
          .locator("#checklist")
          .innerText()
          .catch(() => ""),
      (t) => t.includes("auth-pin"),
      "checklist",
    );
    expect(list).toMatch(/\[FAIL\] 利用者証明用暗証番号\(数字4桁\) \/ authentication PIN \(auth-pin\)/);
    expect(await page.locator("#verdicts tr.at-report").innerText()).toContain("使えません / blocked");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a typed read-out code (lower case, spaces) shows the same verdict; a misheard character is caught", async () => {
    const { page, errors } = await viewer();
    await page.locator("#code").fill(doctorCode.toLowerCase().replaceAll("-", " "));
    await page.locator("#read-code").click();
    const text = await until(
      () => out(page),
      (t) => t.includes("チェックリスト"),
      "code shown",
    );
    expect(text).toContain("読み上げコード / a read-out code");
    expect(text).toContain("平塚市 (142034)");
    expect(await page.locator("#verdicts tr.today").innerText()).toContain("要確認 / attention");
    expect(await page.locator("#checklist").innerText()).toContain("[warn] 利用者証明用電子証明書");
    // One character changed: the check character catches it.
    const last = doctorCode.at(-1) === "2" ? "3" : "2";
    await page.locator("#code").fill(`${doctorCode.slice(0, -1)}${last}`);
    await page.locator("#read-code").click();
    expect(
      await until(
        () => page.locator("#error").innerText(),
        (t) => t.includes("確認用の文字が合いません"),
        "check error",
      ),
    ).toContain("Ask for it again");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("hostile files: an error, escaped, and none of their markup runs", async () => {
    const good = JSON.parse(readFileSync(doctorFile, "utf8"));
    const cases: Array<[string, string | Buffer, string]> = [
      [
        "markup.json",
        JSON.stringify({ ...good, version: `<img src=x onerror="window.__pwned=1">` }),
        "マークアップがあります",
      ],
      [
        "script.json",
        JSON.stringify({ ...good, text: `</pre><script>window.__pwned=2</script>` }),
        "マークアップがあります",
      ],
      ["control.json", JSON.stringify({ ...good, version: "0.1.0\u001b[2J" }), "制御文字があります"],
      ["newer.json", JSON.stringify({ ...good, reportSchema: 3 }), "レポート形式 3"],
      ["not-json.json", "<html><script>window.__pwned=3</script></html>", "JSON ではありません"],
      ["shape.json", JSON.stringify({ ...good, extra: 1 }), "形になっていません"],
      ["large.json", Buffer.alloc(1024 * 1024 + 1, 0x20), "大きすぎます"],
    ];
    const { page } = await viewer();
    for (const [name, content, says] of cases) {
      const f = join(dir, name);
      writeFileSync(f, content);
      await page.locator("#file").setInputFiles([]);
      await page.locator("#file").setInputFiles(f);
      const err = await until(
        () =>
          page
            .locator("#error")
            .innerText()
            .catch(() => ""),
        (t) => t.includes(says),
        `error for ${name}`,
      );
      expect(err, name).not.toContain("<img");
      expect(await page.locator("#out img, #out script").count(), name).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), name).toBeUndefined();
      expect(await page.locator("#checklist").count(), name).toBe(0);
    }
    // The markup case shows the hostile piece escaped.
    await page.locator("#file").setInputFiles([]);
    await page.locator("#file").setInputFiles(join(dir, "markup.json"));
    await until(
      () => page.locator("#error").innerText(),
      (t) => t.includes("\\u003cimg"),
      "escaped piece",
    );
    await page.close();
  });

  it("screenshot (test-results/report-viewer.png)", async () => {
    const { page } = await viewer();
    await page.setViewportSize({ width: 1000, height: 1400 });
    await page.locator("#file").setInputFiles(doctorFile);
    await until(
      () => out(page),
      (t) => t.includes("チェックリスト"),
      "report shown",
    );
    await page.screenshot({
      path: fileURLToPath(new URL("../../test-results/report-viewer.png", import.meta.url)),
      fullPage: true,
    });
    await page.close();
  });
});

/** The CLI's argument parsing and usage errors through main() with a fake terminal: no card, no pcscd. */
import { execFileSync } from "node:child_process";
import {
  chownSync,
  closeSync,
  constants,
  lstatSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { VERSION } from "../version.js";
import { writeReportFile } from "./commands/doctor.js";
import { cli } from "./test-support/terminal.js";

const dir = mkdtempSync(join(tmpdir(), "jg-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("jpki-guard command line", () => {
  it("--help and --version answer without a card; no command is a usage error", async () => {
    expect(await cli(["--version"])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: "" });
    const help = await cli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(`jpki-guard ${VERSION}`);
    expect((await cli([])).code).toBe(64);
  });

  it.each([
    [["check", "--bogus"], /Unknown option/],
    [["check", "--on", "2027-02-30"], /--on 2027-02-30: no such date/],
    [["check", "--action", "pay"], /use login or sign/],
    [["frobnicate"], /unknown command "frobnicate"/],
    [["explain"], /give the error code/],
    [["explain", "X".repeat(201)], /longer than any error code or message/],
    [["explain", "E0001", "--where", "somewhere"], /--where: use one of/],
    [["guidance", "check", "x.json"], /guidance validate FILE/],
  ])("%j -> exit 64 with the reason, nothing on stdout", async (args, msg) => {
    const r = await cli(args);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(msg);
    expect(r.stdout).toBe("");
  });

  it("--municipality 府中市 names two places: exit 64 listing both codes, before any card access", async () => {
    const r = await cli(["check", "--municipality", "府中市"]);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain("132063 東京都府中市");
    expect(r.stderr).toContain("342084 広島県府中市");
    expect(r.stdout).toBe("");
    const u = await cli(["explain", "EI123-2008", "--no-card", "--municipality", "平塚"]);
    expect(u.code).toBe(64);
    expect(u.stderr).toContain("142034 神奈川県平塚市");
  });

  it("municipalities --json: the national list, curated ones marked; a query lists matches", async () => {
    const r = await cli(["municipalities", "--json"]);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as Array<{ code: string; name: string; curated: boolean }>;
    expect(list.length).toBe(1741 + 175);
    expect(list.find((m) => m.code === "142034")).toMatchObject({ name: "平塚市", curated: true });
    const q = await cli(["municipalities", "ふちゅう"]);
    expect(q.stdout).toContain("132063  東京都府中市");
    expect(q.stdout).toContain("342084  広島県府中市");
  });

  it("guidance validate: a curated file passes (0); a broken one lists each problem with its path (65)", async () => {
    const curated = fileURLToPath(new URL("../../../shared/src/guidance/municipalities/142034.json", import.meta.url));
    expect((await cli(["guidance", "validate", curated])).code).toBe(0);
    const broken = JSON.parse(readFileSync(curated, "utf8"));
    broken.window.phone = "0463 71 6521";
    broken.renewal.source.updated = "2025-13-01";
    const f = join(dir, "broken.json");
    writeFileSync(f, JSON.stringify(broken));
    const bad = await cli(["guidance", "validate", f]);
    expect(bad.code).toBe(65);
    expect(bad.stdout).toContain("window.phone");
    expect(bad.stdout).toContain("renewal.source.updated");
    writeFileSync(f, "{not json");
    expect((await cli(["guidance", "validate", f])).code).toBe(65);
  });
});

describe("doctor --report FILE", () => {
  it("refuses a symbolic link and leaves its target alone", () => {
    const target = join(dir, "target.txt");
    writeFileSync(target, "keep me");
    const link = join(dir, "report.json");
    symlinkSync(target, link);
    expect(() => writeReportFile(link, "{}")).toThrow(/symbolic link/);
    expect(readFileSync(target, "utf8")).toBe("keep me");
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it("refuses a file that belongs to someone else, without truncating it", () => {
    const f = join(dir, "foreign.json");
    writeFileSync(f, "someone else's", { mode: 0o644 });
    const me = process.getuid?.() ?? 0;
    // As root the file really is given away; otherwise the check is asked for another owner.
    if (me === 0) chownSync(f, 65534, 65534);
    expect(() => writeReportFile(f, "{}\n", me === 0 ? 0 : me + 1)).toThrow(/belongs to another user/);
    expect(readFileSync(f, "utf8")).toBe("someone else's");
    expect(statSync(f).mode & 0o777).toBe(0o644);
  });

  it("never blocks on a FIFO, with or without a reader, and writes nothing into it", () => {
    const fifo = join(dir, "report.fifo");
    execFileSync("mkfifo", [fifo]);
    // No reader: a blocking open would hang here for ever.
    expect(() => writeReportFile(fifo, "{}\n")).toThrow(/not a regular file/);
    // A reader holding it open (so the writer's open succeeds): the check refuses and nothing is written.
    const rd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      expect(() => writeReportFile(fifo, "{}\n")).toThrow(/not a regular file/);
      const buf = Buffer.alloc(16);
      // Empty pipe, writer gone: end of file (0), or EAGAIN while the kernel still counts a writer.
      const n = (() => {
        try {
          return readSync(rd, buf, 0, 16, null);
        } catch (e) {
          return (e as NodeJS.ErrnoException).code === "EAGAIN" ? 0 : -1;
        }
      })();
      expect(n).toBe(0);
    } finally {
      closeSync(rd);
    }
  });

  it("writes 0600, also over a file that was readable by others", () => {
    const f = join(dir, "existing.json");
    writeFileSync(f, "old", { mode: 0o644 });
    writeReportFile(f, "{}\n");
    expect(statSync(f).mode & 0o777).toBe(0o600);
    expect(readFileSync(f, "utf8")).toBe("{}\n");
    const g = join(dir, "new.json");
    writeReportFile(g, "{}\n");
    expect(statSync(g).mode & 0o777).toBe(0o600);
  });
});

describe("explain --no-card: every documented code, with its sources and how sure", () => {
  it.each([
    ["EI123-2008", "第三者の情報", "did2memo.net (2024-02-04)"],
    ["EI123-2303", "第三者の情報", "sbapp.net (?p=114673"],
    ["115", "第三者の情報", "sbapp.net"],
    ["HJS0432E", "公式の情報", "keisan.nta.go.jp"],
    ["HJS0407E", "第三者の情報", "1010uzu.com"],
    ["HJS0407Z", "第三者の情報", "funshitsu.com"],
    ["E0001", "未確認の情報", "funshitsu.com"],
    ["EW044-C300", "公式の情報", "jpki/myna"],
    ["EM044-C300", "公式の情報", "jpki/myna"],
    ["APL0001", "第三者の情報", "funshitsu.com"],
    ["E0008", "第三者の情報", "did2memo.net (2020-07-02)"],
  ])("%s", async (code, sure, source) => {
    const r = await cli(["explain", code, "--no-card"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(sure);
    expect(r.stdout).toContain(source);
    expect(r.stdout).not.toContain("資料にはありません");
  });

  it("E0001 asks where it was seen; --where names the system; the e-Tax message is found by its words", async () => {
    expect((await cli(["explain", "E0001", "--no-card"])).stdout).toContain("--where");
    const portal = await cli(["explain", "E0001", "--no-card", "--where", "mynaportal", "--lang", "en"]);
    expect(portal.stdout).toContain("jpki-guard has no record of error code E0001.");
    expect(portal.stdout).toContain("on record only for e-Tax");
    const words = await cli(["explain", "パソコン環境(OS/ブラウザ)では", "--no-card", "--json"]);
    expect(JSON.parse(words.stdout)).toMatchObject({ byWords: true, card: "not-card", entry: { system: "etax" } });
  });
});

/**
 * The built CLI (bridge/dist/jpki-guard.mjs) against every virtual card
 * profile, each served by its own private pcscd. Run `pnpm build` first
 * (scripts/test.sh does).
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { CardFactsSchema, VerdictSchema } from "@jpki-guard/shared";
import { PROFILE_NAMES } from "@jpki-guard/virtual-card";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const CLI = fileURLToPath(new URL("../../bridge/dist/jpki-guard.mjs", import.meta.url));

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [CLI, ...args], { timeout: 60_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const EXPECTED: Record<(typeof PROFILE_NAMES)[number], { level: string; code: number; has: string[] }> = {
  valid: { level: "ready", code: 0, has: ["sign-cert-not-checked", "revocation-not-checked", "cert-test-ca"] },
  "renewal-window": { level: "attention", code: 1, has: ["auth-cert-renewal-window"] },
  expired: { level: "blocked", code: 2, has: ["auth-cert-expired"] },
  "not-yet-valid": { level: "blocked", code: 2, has: ["auth-cert-not-yet-valid"] },
  "auth-pin-1-left": { level: "attention", code: 1, has: ["auth-pin-last-try"] },
  "auth-pin-locked": { level: "blocked", code: 2, has: ["auth-pin-locked"] },
  "sign-pin-locked": { level: "ready", code: 0, has: ["sign-pin-locked"] },
  "no-sign-cert": { level: "ready", code: 0, has: ["sign-cert-missing"] },
  "no-certs": { level: "blocked", code: 2, has: ["auth-cert-missing", "sign-cert-missing"] },
  "not-mynumber": { level: "blocked", code: 2, has: ["not-mynumber"] },
  "juki-card": { level: "blocked", code: 2, has: ["juki-card"] },
  "t0-card": { level: "ready", code: 0, has: ["sign-cert-not-checked"] },
  "no-short-ef": { level: "ready", code: 0, has: ["sign-cert-not-checked"] },
  "removed-mid-read": { level: "unknown", code: 3, has: ["card-removed"] },
  "next-generation": { level: "attention", code: 1, has: ["auth-cert-renewal-window", "cert-test-ca"] },
};

if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run pnpm build first (scripts/test.sh does)`);

describe("jpki-guard check --virtual PROFILE --json", () => {
  it.each(PROFILE_NAMES)("%s", async (profile) => {
    const r = await cli(["check", "--virtual", profile, "--json"]);
    const out = JSON.parse(r.stdout);
    CardFactsSchema.parse(out.facts);
    VerdictSchema.parse(out.verdict);
    const want = EXPECTED[profile];
    expect(out.verdict.level).toBe(want.level);
    expect(r.code).toBe(want.code);
    const codes = out.verdict.findings.map((f: { code: string }) => f.code);
    for (const c of want.has) expect(codes).toContain(c);
    expect(out.facts.reader.virtual).toBe(true);
    // The documented contract for help-desk scripts.
    expect(typeof out.facts.apduCount).toBe("number");
    if (out.facts.authCertificate) expect(out.facts.authCertificate.notAfter).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    if (profile === "valid") {
      expect(out.facts.pins.auth.triesLeft).toBe(3);
      expect(out.facts.pins.signature.triesLeft).toBe(5);
      expect(out.facts.signatureCertificate).toBeNull();
    }
  });

  it("sign-pin-locked blocks signing, with the store reset as a next step", async () => {
    const r = await cli(["check", "--virtual", "sign-pin-locked", "--action", "sign", "--json"]);
    const out = JSON.parse(r.stdout);
    expect(out.verdict.level).toBe("blocked");
    expect(r.code).toBe(2);
    const f = out.verdict.findings.find((x: { code: string }) => x.code === "sign-pin-locked");
    expect(f.steps.map((s: { code: string }) => s.code)).toContain("reset-sign-pin-store");
  });

  it("--on answers for another day: the valid card is expired in 2031", async () => {
    const r = await cli(["check", "--virtual", "valid", "--on", "2031-01-01", "--json"]);
    expect(JSON.parse(r.stdout).verdict.findings[0].code).toBe("auth-cert-expired");
    expect(r.code).toBe(2);
  });

  it("human output labels the virtual card and leads with Japanese; Hiratsuka's counter only when asked for", async () => {
    const r = await cli(["check", "--virtual", "renewal-window", "--municipality", "平塚市"]);
    expect(r.stdout.split("\n")[0]).toContain("内蔵の仮想カード");
    expect(r.stdout).toContain("BUILT-IN VIRTUAL CARD");
    expect(r.stdout).toContain("0463-71-6521");
    for (const m of ["142034", "ひらつかし", "hiratsuka"])
      expect((await cli(["check", "--virtual", "renewal-window", "--municipality", m])).stdout).toContain(
        "0463-71-6521",
      );
  });

  it("without --municipality, or with a municipality without curated data: no city's counter, only the national helpline", async () => {
    for (const args of [[], ["--municipality", "大阪市北区"], ["--municipality", "132063"]]) {
      const r = await cli(["check", "--virtual", "expired", "--json", ...args]);
      const text = JSON.stringify(JSON.parse(r.stdout).verdict);
      for (const phone of text.match(/0\d{1,4}-\d{1,4}-\d{3,4}/g) ?? [])
        expect(["0120-95-0178", "0120-0178-27"]).toContain(phone);
      expect(text).not.toContain("平塚");
      expect(r.code).toBe(2);
    }
    const osaka = await cli(["check", "--virtual", "expired", "--municipality", "大阪市北区"]);
    expect(osaka.stdout).toContain("大阪市北区役所");
  });

  it("read-signature with the PIN on stdin reads the signature certificate; personal data only on request", async () => {
    const child = execFile(process.execPath, [CLI, "read-signature", "--virtual", "valid", "--json"]);
    child.stdin!.end("ABC123\n");
    let stdout = "";
    child.stdout!.on("data", (d) => {
      stdout += d;
    });
    const code = await new Promise<number>((res) => child.on("exit", (c) => res(c ?? -1)));
    const out = JSON.parse(stdout);
    expect(code).toBe(0);
    expect(out.facts.signatureCertificate.chain).toBe("verified");
    expect(out.personalData).toBeUndefined();
    expect(stdout).not.toContain("試験");
  });

  it("read-signature refuses a lower-case PIN before touching the card (usage exit 64)", async () => {
    const child = execFile(process.execPath, [CLI, "read-signature", "--virtual", "valid"]);
    child.stdin!.end("abc123\n");
    let stderr = "";
    child.stderr!.on("data", (d) => {
      stderr += d;
    });
    const code = await new Promise<number>((res) => child.on("exit", (c) => res(c ?? -1)));
    expect(code).toBe(64);
    // Japanese first, then English, from the one catalog.
    expect(stderr).toMatch(/英字は大文字で入力してください/);
    expect(stderr).toMatch(/upper case/);
    expect(stderr.indexOf("大文字")).toBeLessThan(stderr.indexOf("upper case"));
  });

  it("doctor writes a redacted report", async () => {
    const report = `/tmp/jpki-guard-doctor-${process.pid}.json`;
    const r = await cli(["doctor", "--virtual", "auth-pin-locked", "--report", report]);
    expect(r.code).toBe(2); // the verdict's exit code: blocked
    // Japanese first: the item's name, then the English one and the id; the next step in both languages.
    expect(r.stdout).toMatch(
      /\[FAIL\] 利用者証明用暗証番号\(数字4桁\) \/ authentication PIN \(auth-pin\): 残り 0 \/ 3 回 \/ 0 of 3 tries left/,
    );
    expect(r.stdout).toMatch(/次に \/ next: .*(セブン|窓口)/);
    expect(r.stdout.indexOf("判定 / verdict:")).toBeGreaterThan(0);
    const { readFileSync, rmSync } = await import("node:fs");
    const text = readFileSync(report, "utf8");
    rmSync(report);
    expect(text).not.toMatch(/TESTA[0-9A-F]{12}/); // the certificate CN
    expect(text).not.toContain("試験");
    expect(JSON.parse(text).verdict.findings).toContain("auth-pin-locked");
  });
});

describe("jpki-guard explain CODE (help desks)", () => {
  it("an expired card explains EI123-2008; the valid card does not, and says what cannot be checked here", async () => {
    const expired = await cli(["explain", "ei123-2008", "--virtual", "expired", "--json"]);
    expect(expired.code).toBe(0);
    const x = JSON.parse(expired.stdout);
    expect(x.entry.code).toBe("EI123-2008");
    expect(x.card).toBe("explains");
    expect(x.because.map((b: { code: string }) => b.code)).toContain("auth-cert-expired");
    const valid = await cli(["explain", "EI123-2008", "--virtual", "valid"]);
    expect(valid.stdout).toContain("このカードには、このエラーの原因になることが見つかりません。");
    expect(valid.stdout).toContain("有効性確認");
  });

  it("an unknown code: not known, with the general checklist; no code: a usage error", async () => {
    const r = await cli(["explain", "QQ-1", "--no-card", "--lang", "en"]);
    expect(r.stdout).toContain("jpki-guard has no record of error code QQ-1.");
    expect(r.stdout).toContain("jpki-guard doctor");
    expect((await cli(["explain"])).code).toBe(64);
  });
});

describe("municipalities", () => {
  it("municipalities --json lists every municipality and designated-city ward, curated ones marked", async () => {
    const r = await cli(["municipalities", "--json"]);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as Array<{
      code: string;
      prefecture: string;
      name: string;
      kana: string;
      curated: boolean;
    }>;
    expect(list.length).toBe(1741 + 175);
    expect(list.find((m) => m.code === "142034")).toEqual({
      code: "142034",
      prefecture: "神奈川県",
      name: "平塚市",
      kana: "ひらつかし",
      curated: true,
    });
    expect(list.filter((m) => m.curated).length).toBeGreaterThanOrEqual(11);
    expect(list.some((m) => m.code === "016969")).toBe(false);
    const q = await cli(["municipalities", "ふちゅう"]);
    expect(q.stdout).toContain("132063  東京都府中市");
    expect(q.stdout).toContain("342084  広島県府中市");
  });

  it("--municipality 府中市 is ambiguous: exit 64 naming both; an unknown name: the closest matches", async () => {
    const r = await cli(["check", "--municipality", "府中市"]);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain("132063 東京都府中市");
    expect(r.stderr).toContain("342084 広島県府中市");
    const u = await cli(["explain", "EI123-2008", "--no-card", "--municipality", "平塚"]);
    expect(u.code).toBe(64);
    expect(u.stderr).toContain("142034 神奈川県平塚市");
  });

  it("guidance validate: every curated file is valid (exit 0); a broken one lists each problem with its path (exit 65)", async () => {
    const dir = fileURLToPath(new URL("../../shared/src/guidance/municipalities/", import.meta.url));
    const ok = await cli(["guidance", "validate", `${dir}142034.json`]);
    expect(ok.code).toBe(0);
    const { mkdtempSync, readFileSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const broken = JSON.parse(readFileSync(`${dir}142034.json`, "utf8"));
    broken.window.phone = "0463 71 6521";
    broken.name.ja = "横浜市";
    broken.renewal.source.updated = "2025-13-01";
    const f = `${mkdtempSync(`${tmpdir()}/jg-validate-`)}/broken.json`;
    writeFileSync(f, JSON.stringify(broken));
    const bad = await cli(["guidance", "validate", f]);
    expect(bad.code).toBe(65);
    expect(bad.stdout).toContain("window.phone");
    expect(bad.stdout).toContain("renewal.source.updated");
    expect(bad.stdout.indexOf("形式が正しくありません")).toBeLessThan(bad.stdout.indexOf("phone must look like"));
    broken.window.phone = "0463-71-6521";
    broken.renewal.source.updated = "2025-01-16";
    writeFileSync(f, JSON.stringify(broken));
    const names = await cli(["guidance", "validate", f]);
    expect(names.code).toBe(65);
    expect(names.stdout).toContain("name.ja: コード 142034 の名前は「平塚市」です");
    writeFileSync(f, "{not json");
    expect((await cli(["guidance", "validate", f])).code).toBe(65);
  });
});

describe("usage errors", () => {
  it.each([
    [["check", "--bogus"], /Unknown option/],
    [["check", "--on", "2027-02-30"], /no such date/],
    [["check", "--action", "pay"], /use login or sign/],
    [["check", "--virtual", "nope"], /unknown virtual card profile/],
    [["frobnicate"], /unknown command/],
  ])("%j -> exit 64", async (args, msg) => {
    const r = await cli(args as string[]);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(msg);
    expect(r.stdout).toBe("");
  });
});

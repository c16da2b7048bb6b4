/**
 * `doctor` and `explain EW044-C300` with the official app's registration as
 * another computer would show it: a memory card instead of PC/SC, a made-up
 * Linux home or Windows registry instead of this machine's.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildCard, caCertificate, namedProfile } from "@jpki-guard/virtual-card";
import { afterAll, describe, expect, it } from "vitest";
import { testAnchor } from "../cert/facts.js";
import { installChecks } from "../install/checks.js";
import type { OfficialHostProbe } from "../install/official-app.js";
import { MemoryTransport } from "../transport/memory.js";
import { doctor } from "./commands/doctor.js";
import { explain } from "./commands/explain.js";
import { EXIT } from "./exit.js";
import type { Options } from "./options.js";
import type { withTransport } from "./transport.js";

const NOW = new Date("2026-11-26T03:00:00Z");
const READER = "Memory Reader 00 00";
const dir = mkdtempSync(join(tmpdir(), "jg-cli-official-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OPTS: Options = {
  json: true,
  on: NOW,
  action: "login",
  trace: false,
  langs: ["ja", "en"],
  showPersonalData: false,
  system: false,
};

function terminal() {
  const out = { stdout: "", stderr: "" };
  return {
    out,
    io: {
      stdout: (s: string) => {
        out.stdout += s;
      },
      stderr: (s: string) => {
        out.stderr += s;
      },
    },
  };
}

/** A healthy card in a memory reader, as withTransport would hand it over. */
async function memoryCard(): Promise<typeof withTransport> {
  const transport = new MemoryTransport({ [READER]: buildCard(await namedProfile("valid", NOW)) });
  const anchors = [testAnchor(await caCertificate("auth"), "auth"), testAnchor(await caCertificate("sign"), "sign")];
  return (_opts, _io, fn) => fn(transport, { reader: READER, virtual: false, anchors });
}

async function doctorOn(platform: NodeJS.Platform) {
  const t = terminal();
  const code = await doctor(OPTS, t.io, {
    withTransport: await memoryCard(),
    installation: () =>
      installChecks({
        platform,
        home: join(dir, "home"),
        root: join(dir, "root"),
        env: {},
        script: "/somewhere/jpki-guard.mjs",
        exists: () => false,
        readRegistry: () => null,
      }),
  });
  const json = JSON.parse(t.out.stdout) as {
    items: { id: string; ok: boolean; status?: string; detail: string }[];
    verdict: { level: keyof typeof EXIT };
  };
  return { code, json };
}

describe("doctor --json carries the official app's item; its exit code stays the verdict's", () => {
  it("Linux without the official app: the item is information, the exit code 0 for a healthy card", async () => {
    const { code, json } = await doctorOn("linux");
    const item = json.items.find((i) => i.id === "official-app");
    expect(item).toMatchObject({ ok: true, status: "ok" });
    expect(item?.detail).toContain("Linux 用の公式アプリはありません(情報)");
    expect(json.verdict.level).toBe("ready");
    expect(code).toBe(EXIT.ready);
  });

  it("Windows without the official app: the item warns, the verdict and the exit code are the same as on Linux", async () => {
    const { code, json } = await doctorOn("win32");
    expect(json.items.find((i) => i.id === "official-app")).toMatchObject({ ok: false, status: "warning" });
    expect(json.verdict.level).toBe("ready");
    expect(code).toBe(EXIT.ready);
  });
});

describe("explain EW044-C300 / EM044-C300 judges from this computer's registration", () => {
  const probe = (p: OfficialHostProbe | null) => {
    const asked: number[] = [];
    return {
      asked,
      here: () => {
        asked.push(1);
        return p;
      },
    };
  };
  const none = (platform: "linux" | "win32" | "darwin"): OfficialHostProbe => ({
    platform,
    found: [],
    unreadable: false,
  });
  const textOpts = { ...OPTS, json: false, noCard: true };

  it("Windows, none registered: says so for this computer, with the Windows app's step", async () => {
    const t = terminal();
    const p = probe(none("win32"));
    expect(await explain("EW044-C300", textOpts, t.io, p.here)).toBe(0);
    expect(p.asked.length).toBe(1);
    expect(t.out.stdout).toContain("このパソコンでの公式アプリの登録");
    expect(t.out.stdout).toContain("利用者のパソコンで実行したときだけ意味があります");
    expect(t.out.stdout).toContain("どのブラウザにも見つかりませんでした");
    expect(t.out.stdout).toContain("→ 公式のマイナポータルアプリ(Windows 用)");
  });

  it("macOS, registered for Chrome: names the browser and claims no more than the registration", async () => {
    const t = terminal();
    const p = probe({
      platform: "darwin",
      found: [{ browser: "chrome", host: "jp.go.cao.mpa", scope: "system", valid: true }],
      unreadable: false,
    });
    await explain("EM044-C300", { ...textOpts, langs: ["en"] }, t.io, p.here);
    expect(t.out.stdout).toContain("The official app's host is registered: Chrome (jp.go.cao.mpa: all users).");
    expect(t.out.stdout).toContain("Only the registration was checked, not whether the app runs.");
    expect(t.out.stdout).not.toContain("→");
    expect(t.out.stdout).not.toContain("このパソコン"); // --lang en only
  });

  it("Linux: information that there is no official app for Linux, never 'install it'", async () => {
    const t = terminal();
    await explain("EW044-C300", textOpts, t.io, probe(none("linux")).here);
    const tail = t.out.stdout.slice(t.out.stdout.indexOf("このパソコンでの公式アプリの登録"));
    expect(tail).toContain("Linux 用の公式アプリはありません(情報)");
    expect(tail).not.toContain("→");
  });

  it("--json adds officialAppHost for these codes only", async () => {
    const t = terminal();
    await explain("EW044-C300", { ...OPTS, noCard: true }, t.io, probe(none("win32")).here);
    const x = JSON.parse(t.out.stdout);
    expect(x.officialAppHost).toMatchObject({ platform: "win32", status: "warning", found: [] });
    expect(x.card).toBe("not-card");
  });

  it("other codes: the computer is not looked at and the answer is as before", async () => {
    for (const code of ["HJS0432E", "EI123-2008", "ZZ999"]) {
      const withProbe = terminal();
      const p = probe(none("win32"));
      await explain(code, textOpts, withProbe.io, p.here);
      expect(p.asked.length, code).toBe(0);
      expect(withProbe.out.stdout, code).not.toContain("公式アプリの登録");
      const json = terminal();
      await explain(code, { ...OPTS, noCard: true }, json.io, p.here);
      expect(Object.keys(JSON.parse(json.out.stdout)), code).not.toContain("officialAppHost");
    }
  });
});

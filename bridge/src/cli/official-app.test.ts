/**
 * `doctor` with the official app's registration as another computer would
 * show it: a memory card instead of PC/SC, a made-up Linux home or Windows
 * registry instead of this machine's.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildCard, caCertificate, namedProfile } from "@jpki-guard/virtual-card";
import { afterAll, describe, expect, it } from "vitest";
import { testAnchor } from "../cert/facts.js";
import { installChecks } from "../install/checks.js";
import { MemoryTransport } from "../transport/memory.js";
import { doctor } from "./commands/doctor.js";
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

/**
 * `jpki-guard doctor` on this machine with a snap Firefox present: the
 * detection reads the real filesystem, so the test makes /snap/firefox (as
 * snapd would) for the length of the test and removes it again.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const CLI = fileURLToPath(new URL("../../bridge/dist-release/jpki-guard.mjs", import.meta.url));
const made: string[] = [];

beforeAll(() => {
  for (const d of ["/snap", "/snap/firefox"])
    if (!existsSync(d)) {
      mkdirSync(d);
      made.unshift(d);
    }
});
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

describe("doctor and sandboxed browsers", () => {
  it("with /snap/firefox present, doctor says the snap Firefox works through the portal (and what to do about the prompt)", async () => {
    const r = await run(process.execPath, [CLI, "doctor", "--json"]).catch((e: { stdout: string }) => e);
    const report = JSON.parse(r.stdout) as { items: Array<{ id: string; ok: boolean; detail: string }> };
    const ff = report.items.find((i) => i.id === "browser-firefox-snap");
    expect(ff, JSON.stringify(report.items.map((i) => i.id))).toBeDefined();
    expect(ff!.detail).toContain("ポータル");
    expect(ff!.detail).toMatch(/works through the (desktop.s WebExtensions )?portal/);
    // Debian's own Chromium on this machine is a distribution package.
    expect(report.items.some((i) => i.id === "browser-chromium-native")).toBe(true);
  });
});
